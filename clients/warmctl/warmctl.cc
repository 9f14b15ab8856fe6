#include "clients/warmctl/warmctl.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "base/clock.h"
#include "base/config.h"
#include "base/paths.h"
#include "clients/common/client.h"
#include "clients/common/format.h"
#include "clients/common/security.h"
#include "clients/import/command.h"
#include "daemon/core/text.h"
#include "daemon/core/types.h"
#include "daemon/transport/codec.h"
#include "daemon/transport/curve.h"
#include "daemon/version.h"

namespace warmth::warmctl {

using core::Lower;
namespace {

namespace v1 = ::warmth::v1;
using core::Status;

volatile std::sig_atomic_t g_interrupted = 0;

std::string ChannelName(int channel) {
  return std::string(core::Name(static_cast<core::Channel>(channel)));
}

std::string KindName(int kind) {
  std::string name(core::Name(static_cast<core::NudgeKind>(kind)));
  for (char& c : name) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

std::string Fixed(double v, int digits = 1) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// Everything a command needs: the parsed options, a connection, output.
struct Context {
  std::ostream& out;
  std::ostream& err;
  std::string config_path;
  std::string api;
  std::string pub;
  client::KeyOptions keys;  // --server-key, --key
  double timeout_s = 10;
  bool json = false;
  base::Config config;
  const date::time_zone* zone = nullptr;
  core::TimePoint now;
  zmq::context_t zmq;
  std::optional<client::Client> connection;

  Context(std::ostream& o, std::ostream& e) : out(o), err(e), zmq(1) {}

  void Setup() {
    config = base::LoadConfigOrDefault(config_path);
    zone = base::ResolveTimeZone(config.timezone);
    now = base::Now();
  }

  // CURVE keys for a tcp:// endpoint. Throws ConfigError: a usage error.
  transport::SocketSetup Security(const std::string& endpoint) const {
    auto setup = client::ClientSocketSetup(config, endpoint, keys);
    if (!setup.ok()) {
      throw base::ConfigError("", setup.status().message());
    }
    return *setup;
  }

  client::Client& Connection() {
    if (!connection) {
      client::ClientOptions options;
      options.endpoint = api.empty() ? config.ApiEndpoint() : api;
      options.timeout = std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
      options.setup = Security(options.endpoint);
      connection.emplace(zmq, options);
    }
    return *connection;
  }

  core::Result<v1::Reply> Call(v1::Request request) { return Connection().Call(std::move(request)); }
};

// A failed call: one line on stderr and the exit code for its kind.
int Fail(Context& ctx, const Status& s) {
  ctx.err << "warmctl: " << s.message() << '\n';
  return s.code() == core::Code::kUnavailable ? kExitUnavailable : kExitError;
}

int Usage(Context& ctx, const std::string& message) {
  ctx.err << "warmctl: " << message << '\n';
  return kExitUsage;
}

std::string Name(const v1::Contact& c) {
  return c.display_name().empty() ? c.id() : c.display_name() + " (" + c.id() + ")";
}

std::string CircleName(int circle) {
  return std::string(core::Name(static_cast<core::Circle>(circle)));
}

void PrintContact(Context& ctx, const v1::ContactInfo& info) {
  const v1::Contact& c = info.contact();
  std::ostream& out = ctx.out;
  out << Name(c) << '\n';
  out << "  circle:      " << CircleName(c.circle()) << (c.family() ? ", family" : "")
      << (c.muted() ? ", muted" : "") << '\n';
  out << "  warmth:      " << Fixed(info.warmth());
  if (info.has_cools_at()) {
    out << " (falls below the threshold " << client::Ago(client::FromProto(info.cools_at()), ctx.now)
        << ")";
  }
  out << '\n';
  if (info.has_last_interaction_at()) {
    out << "  last:        " << ChannelName(info.last_channel()) << ", "
        << client::Ago(client::FromProto(info.last_interaction_at()), ctx.now) << " ("
        << client::LocalTime(client::FromProto(info.last_interaction_at()), ctx.zone) << ")\n";
  }
  out << "  interactions: " << info.interaction_count() << '\n';
  for (const auto& ident : c.identifiers()) {
    out << "  identifier:  " << ident << '\n';
  }
  if (!c.city().empty()) {
    out << "  city:        " << c.city() << '\n';
  }
  if (c.has_birthday() && c.birthday().month() > 0) {
    out << "  birthday:    ";
    if (c.birthday().year() > 0) {
      out << c.birthday().year() << '-';
    }
    out << std::setfill('0') << std::setw(2) << c.birthday().month() << '-' << std::setw(2)
        << c.birthday().day() << std::setfill(' ') << '\n';
  }
  if (c.tags_size() > 0) {
    out << "  tags:        ";
    for (int i = 0; i < c.tags_size(); ++i) {
      out << (i > 0 ? ", " : "") << c.tags(i);
    }
    out << '\n';
  }
  if (info.has_snoozed_until()) {
    out << "  snoozed:     until "
        << client::LocalTime(client::FromProto(info.snoozed_until()), ctx.zone) << '\n';
  }
  if (info.recent_size() > 0) {
    out << "  recent:\n";
    for (const auto& r : info.recent()) {
      out << "    " << client::LocalTime(client::FromProto(r.occurred_at()), ctx.zone) << "  "
          << std::left << std::setw(13) << ChannelName(r.channel()) << std::setw(9)
          << std::string(core::Name(static_cast<core::Direction>(r.direction())))
          << std::right << r.source() << '\n';
    }
  }
}

// --- Options shared by contact add and edit ---------------------------------
struct ContactFlags {
  std::string name;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  std::vector<std::string> handles;
  std::vector<std::string> remove;
  std::string circle;
  std::string city;
  std::string birthday;
  std::vector<std::string> tags;
  std::vector<std::string> untags;
  bool family = false;
  bool no_family = false;
  bool mute = false;
  bool unmute = false;

  void Add(CLI::App* cmd, bool edit) {
    cmd->add_option("--name", name, "Display name");
    cmd->add_option("--email", emails, "E-mail address (repeatable)");
    cmd->add_option("--phone", phones, "Phone number (repeatable)");
    cmd->add_option("--handle", handles, "Other identifier, e.g. @alice (repeatable)");
    cmd->add_option("--circle", circle, "inner, close, network, acquaintance or unsorted");
    cmd->add_option("--city", city, "Where they live (for trips)");
    cmd->add_option("--birthday", birthday, "MM-DD or YYYY-MM-DD" + std::string(edit ? "; none to clear" : ""));
    cmd->add_option("--tag", tags, "Tag (repeatable)");
    cmd->add_flag("--family", family, "Family: warmth fades half as fast");
    cmd->add_flag("--mute", mute, "Never nudge about this contact");
    if (edit) {
      cmd->add_option("--remove", remove, "Identifier to remove (repeatable)");
      cmd->add_option("--untag", untags, "Tag to remove (repeatable)");
      cmd->add_flag("--no-family", no_family, "Not family");
      cmd->add_flag("--unmute", unmute, "Nudge about this contact again");
    }
  }

  // Applies the flags given to `c`; kInvalidArgument names the bad flag.
  Status ApplyTo(v1::Contact& c) const {
    if (!name.empty()) {
      c.set_display_name(name);
    }
    for (const auto& r : remove) {
      auto* ids = c.mutable_identifiers();
      const auto it = std::find_if(ids->begin(), ids->end(),
                                   [&](const std::string& x) { return Lower(x) == Lower(r); });
      if (it == ids->end()) {
        return Status::InvalidArgument("--remove: " + c.id() + " has no identifier " + r);
      }
      ids->erase(it);
    }
    for (const auto& e : emails) {
      c.add_identifiers(e);
    }
    for (const auto& p : phones) {
      c.add_identifiers(p.rfind("tel:", 0) == 0 ? p : "tel:" + p);
    }
    for (const auto& h : handles) {
      c.add_identifiers(h);
    }
    if (!circle.empty()) {
      const auto parsed = core::ParseCircle(circle);
      if (!parsed) {
        return Status::InvalidArgument("--circle: expected inner, close, network, acquaintance or unsorted");
      }
      c.set_circle(static_cast<v1::Circle>(*parsed));
    }
    if (!city.empty()) {
      c.set_city(city == "none" ? "" : city);
    }
    if (!birthday.empty()) {
      if (birthday == "none") {
        c.clear_birthday();
      } else {
        int y = 0;
        int m = 0;
        int d = 0;
        char extra = 0;
        if (std::sscanf(birthday.c_str(), "%d-%d-%d%c", &y, &m, &d, &extra) != 3 &&
            (std::sscanf(birthday.c_str(), "%d-%d%c", &m, &d, &extra) != 2 || (y = 0) != 0)) {
          return Status::InvalidArgument("--birthday: expected MM-DD or YYYY-MM-DD");
        }
        c.mutable_birthday()->set_year(y);
        c.mutable_birthday()->set_month(m);
        c.mutable_birthday()->set_day(d);
      }
    }
    for (const auto& t : tags) {
      if (std::find(c.tags().begin(), c.tags().end(), t) == c.tags().end()) {
        c.add_tags(t);
      }
    }
    for (const auto& t : untags) {
      auto* all = c.mutable_tags();
      all->erase(std::remove(all->begin(), all->end(), t), all->end());
    }
    if (family) {
      c.set_family(true);
    }
    if (no_family) {
      c.set_family(false);
    }
    if (mute) {
      c.set_muted(true);
    }
    if (unmute) {
      c.set_muted(false);
    }
    return Status::Ok();
  }
};

core::Result<v1::ContactInfo> FetchContact(Context& ctx, const std::string& id, int recent = 0) {
  v1::Request request;
  request.mutable_get_contact()->set_contact_id(id);
  request.mutable_get_contact()->set_recent(recent);
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return reply.status();
  }
  return reply->contact();
}

int PrintSaved(Context& ctx, const v1::Reply& reply, const std::string& verb) {
  if (ctx.json) {
    ctx.out << client::Json(reply.contact()) << '\n';
    return 0;
  }
  ctx.out << verb << ' ';
  PrintContact(ctx, reply.contact());
  return 0;
}

int ContactAdd(Context& ctx, const std::string& id, const ContactFlags& flags) {
  auto existing = FetchContact(ctx, id);
  if (existing.ok() && existing->contact().id() == id) {
    return Fail(ctx, Status::AlreadyExists("contact " + id + " exists; use: warmctl contact edit " + id));
  }
  if (!existing.ok() && existing.status().code() != core::Code::kNotFound) {
    return Fail(ctx, existing.status());
  }
  v1::Request request;
  v1::Contact* c = request.mutable_upsert_contact()->mutable_contact();
  c->set_id(id);
  if (Status s = flags.ApplyTo(*c); !s.ok()) {
    return Usage(ctx, s.message());
  }
  auto reply = ctx.Call(request);
  return reply.ok() ? PrintSaved(ctx, *reply, "Added") : Fail(ctx, reply.status());
}

int ContactEdit(Context& ctx, const std::string& id, const ContactFlags& flags) {
  auto existing = FetchContact(ctx, id);
  if (!existing.ok()) {
    return Fail(ctx, existing.status());
  }
  v1::Request request;
  v1::Contact* c = request.mutable_upsert_contact()->mutable_contact();
  *c = existing->contact();
  if (Status s = flags.ApplyTo(*c); !s.ok()) {
    return Usage(ctx, s.message());
  }
  auto reply = ctx.Call(request);
  return reply.ok() ? PrintSaved(ctx, *reply, "Saved") : Fail(ctx, reply.status());
}

int ContactRemove(Context& ctx, const std::string& id) {
  v1::Request request;
  request.mutable_remove_contact()->set_contact_id(id);
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  if (ctx.json) {
    ctx.out << client::Json(reply->ack()) << '\n';
  } else {
    ctx.out << "Removed " << id << '\n';
  }
  return 0;
}

int ContactShow(Context& ctx, const std::string& id, int recent) {
  auto info = FetchContact(ctx, id, recent);
  if (!info.ok()) {
    return Fail(ctx, info.status());
  }
  if (ctx.json) {
    ctx.out << client::Json(*info) << '\n';
  } else {
    PrintContact(ctx, *info);
  }
  return 0;
}

int List(Context& ctx, bool all, int limit) {
  v1::Request request;
  request.mutable_list_contacts()->set_include_unsorted(all);
  request.mutable_list_contacts()->set_limit(limit);
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  if (ctx.json) {
    ctx.out << client::Json(reply->contacts()) << '\n';
    return 0;
  }
  const auto& contacts = reply->contacts().contacts();
  if (contacts.empty()) {
    ctx.out << (all ? "No contacts yet." : "No contacts with a circle yet (warmctl list --all shows unsorted ones).")
            << '\n';
    return 0;
  }
  std::size_t width = 7;
  for (const auto& info : contacts) {
    width = std::max(width, Name(info.contact()).size());
  }
  ctx.out << std::left << std::setw(7) << "WARMTH" << std::setw(14) << "CIRCLE"
          << std::setw(static_cast<int>(width) + 2) << "CONTACT" << std::setw(14) << "LAST"
          << std::setw(15) << "CHANNEL" << "COOLS" << '\n';
  for (const auto& info : contacts) {
    const std::string last = info.has_last_interaction_at()
                                 ? client::Ago(client::FromProto(info.last_interaction_at()), ctx.now)
                                 : "never";
    const std::string cools =
        info.has_cools_at() ? client::Ago(client::FromProto(info.cools_at()), ctx.now)
        : info.contact().circle() != v1::CIRCLE_UNSPECIFIED && info.has_last_interaction_at()
            ? "cold"
            : "-";
    ctx.out << std::left << std::setw(7) << Fixed(info.warmth()) << std::setw(14)
            << CircleName(info.contact().circle()) << std::setw(static_cast<int>(width) + 2)
            << Name(info.contact()) << std::setw(14) << last << std::setw(15)
            << (info.has_last_interaction_at() ? ChannelName(info.last_channel()) : "-") << cools
            << '\n';
  }
  return 0;
}

void PrintNudge(Context& ctx, const v1::Nudge& n) {
  std::string who;
  for (int i = 0; i < n.contact_ids_size(); ++i) {
    who += (i > 0 ? "," : "") + n.contact_ids(i);
  }
  ctx.out << std::left << std::setw(18) << n.id() << std::setw(13) << KindName(n.kind())
          << std::setw(10)
          << std::string(core::Name(static_cast<core::NudgeState>(n.state()))) << std::setw(12)
          << client::Ago(client::FromProto(n.published_at()), ctx.now) << std::right << n.text()
          << '\n';
}

int Nudges(Context& ctx, bool all, const std::vector<std::string>& states,
           const std::string& contact, int limit) {
  v1::Request request;
  auto* list = request.mutable_list_nudges();
  list->set_contact_id(contact);
  list->set_limit(limit);
  if (all) {
    for (int s = 1; s <= 4; ++s) {
      list->add_states(static_cast<v1::NudgeState>(s));
    }
  }
  for (const auto& name : states) {
    v1::NudgeState s{};
    std::string upper = name;
    for (char& c : upper) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (!v1::NudgeState_Parse(upper, &s) || s == v1::NUDGE_STATE_UNSPECIFIED) {
      return Usage(ctx, "--state: expected pending, done, snoozed or dismissed");
    }
    list->add_states(s);
  }
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  if (ctx.json) {
    ctx.out << client::Json(reply->nudges()) << '\n';
    return 0;
  }
  if (reply->nudges().nudges().empty()) {
    ctx.out << (all || !states.empty() ? "No nudges." : "No pending nudges.") << '\n';
    return 0;
  }
  for (const auto& n : reply->nudges().nudges()) {
    PrintNudge(ctx, n);
  }
  return 0;
}

int PrintAck(Context& ctx, const v1::Reply& reply, const std::string& what) {
  if (ctx.json) {
    ctx.out << client::Json(reply.ack()) << '\n';
    return 0;
  }
  ctx.out << what;
  const auto& ids = reply.ack().nudge_ids();
  if (!ids.empty()) {
    ctx.out << " (nudge" << (ids.size() > 1 ? "s " : " ");
    for (int i = 0; i < ids.size(); ++i) {
      ctx.out << (i > 0 ? ", " : "") << ids[i];
    }
    ctx.out << ")";
  }
  ctx.out << '\n';
  return 0;
}

int Log(Context& ctx, const std::vector<std::string>& contacts, const std::string& channel,
        const std::string& direction, const std::string& at, const std::vector<std::string>& tags,
        const std::string& event_id) {
  const auto ch = core::ParseChannel(channel);
  if (!ch) {
    return Usage(ctx, "--channel: expected in_person, call, video, voice_message, letter, "
                      "message, email or social");
  }
  v1::Request request;
  v1::Interaction* in = request.mutable_ingest()->add_interactions();
  in->set_event_id(event_id.empty() ? "warmctl-" + client::RandomId() : event_id);
  for (const auto& c : contacts) {
    in->add_contacts(c);
  }
  in->set_channel(static_cast<v1::Channel>(*ch));
  if (!direction.empty()) {
    const auto dir = core::ParseDirection(direction);
    if (!dir) {
      return Usage(ctx, "--direction: expected outbound, inbound or mutual");
    }
    in->set_direction(static_cast<v1::Direction>(*dir));
  } else {
    in->set_direction(core::IsLive(*ch) ? v1::MUTUAL : v1::OUTBOUND);
  }
  if (!at.empty()) {
    auto when = client::ParseWhen(at, ctx.zone, ctx.now);
    if (!when.ok()) {
      return Usage(ctx, "--at: " + when.status().message());
    }
    transport::ToProto(*when, in->mutable_occurred_at());
  }
  in->set_source("warmctl");
  for (const auto& t : tags) {
    in->add_tags(t);
  }
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  const auto& item = reply->ingest().items(0);
  if (ctx.json) {
    ctx.out << client::Json(reply->ingest()) << '\n';
    return item.outcome() == v1::IngestResult::REJECTED ? kExitError : 0;
  }
  switch (item.outcome()) {
    case v1::IngestResult::DUPLICATE:
      ctx.out << "Already logged (event " << item.event_id() << ")\n";
      return 0;
    case v1::IngestResult::REJECTED:
      return Fail(ctx, Status::InvalidArgument("rejected: " + item.reason()));
    default:
      break;
  }
  for (const auto& id : item.contact_ids()) {
    auto info = FetchContact(ctx, id);
    ctx.out << "Logged " << channel << " with " << id;
    if (info.ok()) {
      ctx.out << ": warmth " << Fixed(info->warmth())
              << (info->contact().circle() == v1::CIRCLE_UNSPECIFIED
                      ? " (unsorted: give it a circle with warmctl contact edit " + id +
                            " --circle …)"
                      : "");
    }
    ctx.out << '\n';
  }
  return 0;
}

int Done(Context& ctx, const std::string& contact, const std::string& nudge,
         const std::string& channel) {
  if (contact.empty() && nudge.empty()) {
    return Usage(ctx, "done: name a contact or give --nudge ID");
  }
  v1::Request request;
  auto* done = request.mutable_done();
  done->set_contact_id(contact);
  done->set_nudge_id(nudge);
  if (!channel.empty()) {
    const auto ch = core::ParseChannel(channel);
    if (!ch) {
      return Usage(ctx, "--channel: unknown channel " + channel);
    }
    done->set_channel(static_cast<v1::Channel>(*ch));
  }
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  return PrintAck(ctx, *reply,
                  "Recorded " + (channel.empty() ? std::string("a call") : channel) + " with " +
                      (contact.empty() ? "the nudge's contact" : contact));
}

int Snooze(Context& ctx, const std::vector<std::string>& args, const std::string& nudge) {
  std::string contact;
  std::string duration;
  if (!nudge.empty() && args.size() == 1) {
    duration = args[0];
  } else if (nudge.empty() && args.size() == 2) {
    contact = args[0];
    duration = args[1];
  } else {
    return Usage(ctx, "snooze: expected CONTACT DURATION, or --nudge ID DURATION");
  }
  auto d = core::ParseDuration(duration);
  if (!d.ok()) {
    return Usage(ctx, "snooze: " + d.status().message());
  }
  v1::Request request;
  request.mutable_snooze()->set_contact_id(contact);
  request.mutable_snooze()->set_nudge_id(nudge);
  transport::ToProto(*d, request.mutable_snooze()->mutable_duration());
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  return PrintAck(ctx, *reply,
                  "Snoozed " + (contact.empty() ? nudge : contact) + " until " +
                      client::LocalTime(ctx.now + *d, ctx.zone));
}

int Dismiss(Context& ctx, const std::string& nudge) {
  v1::Request request;
  request.mutable_dismiss()->set_nudge_id(nudge);
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  return PrintAck(ctx, *reply, "Dismissed " + nudge);
}

int Watch(Context& ctx, const std::vector<std::string>& kinds) {
  // Say so when the daemon is not there, rather than wait in silence.
  v1::Request ping;
  ping.mutable_status();
  auto status = ctx.Call(ping);
  // A notify key may not ask for Status: the daemon is there all the same.
  if (!status.ok() && status.status().code() != core::Code::kPermissionDenied) {
    return Fail(ctx, status.status());
  }
  // The flag, then the config (a daemon bound to tcp://0.0.0.0 reports an
  // address only it can use), then what the daemon says, then the default.
  std::string endpoint = !ctx.pub.empty() ? ctx.pub : ctx.config.publish_endpoint;
  if (endpoint.empty()) {
    endpoint = status.ok() ? status->status().publish_endpoint() : ctx.config.PublishEndpoint();
  }
  client::Subscriber sub(ctx.zmq, endpoint, ctx.Security(endpoint), kinds);
  std::signal(SIGINT, [](int) { g_interrupted = 1; });
  std::signal(SIGTERM, [](int) { g_interrupted = 1; });
  if (!ctx.json) {
    ctx.err << "Watching nudges from " << endpoint << " (Ctrl-C to stop)\n";
  }
  while (g_interrupted == 0) {
    std::optional<v1::Nudge> n;
    try {
      n = sub.Receive(std::chrono::milliseconds(500));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) {
        break;
      }
      throw;
    }
    if (!n) {
      continue;
    }
    if (ctx.json) {
      ctx.out << client::Json(*n) << std::endl;
    } else {
      ctx.now = base::Now();
      PrintNudge(ctx, *n);
      ctx.out.flush();
    }
  }
  return 0;
}

int StatusCommand(Context& ctx) {
  v1::Request request;
  request.mutable_status();
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  const v1::StatusReply& s = reply->status();
  if (ctx.json) {
    ctx.out << client::Json(s) << '\n';
    return 0;
  }
  const auto uptime = std::chrono::seconds(s.uptime().seconds());
  ctx.out << "warmthd " << s.version() << ", up " << core::FormatDuration(uptime) << '\n'
          << "  store:        " << s.store_path() << '\n'
          << "  api:          " << s.api_endpoint() << '\n'
          << "  nudges:       " << s.publish_endpoint() << '\n'
          << "  time zone:    " << s.timezone() << '\n'
          << "  contacts:     " << s.contacts() << " (+" << s.unsorted_contacts() << " unsorted)\n"
          << "  interactions: " << s.interactions() << '\n'
          << "  pending:      " << s.pending_nudges() << " nudges";
  if (s.waiting_nudges() > 0) {
    ctx.out << " (+" << s.waiting_nudges() << " waiting for quiet hours or tomorrow)";
  }
  ctx.out << '\n';
  if (s.has_next_due_at()) {
    ctx.out << "  next check:   " << client::LocalTime(client::FromProto(s.next_due_at()), ctx.zone)
            << '\n';
  }
  if (!s.last_store_error().empty()) {
    ctx.out << "  STORE ERROR:  " << s.last_store_error() << '\n';
  }
  return 0;
}

int TripAdd(Context& ctx, const std::string& city, const std::string& from, const std::string& to,
            const std::vector<std::string>& tags, const std::string& id) {
  auto start = client::ParseLocalDay(from, ctx.zone);
  if (!start.ok()) {
    return Usage(ctx, "--from: " + start.status().message());
  }
  auto last = client::ParseLocalDay(to.empty() ? from : to, ctx.zone);
  if (!last.ok()) {
    return Usage(ctx, "--to: " + last.status().message());
  }
  // --to names the last day: the trip ends when that day does.
  const date::local_days last_day =
      date::floor<date::days>(ctx.zone->to_local(*last)) + date::days(1);
  const core::TimePoint end(ctx.zone->to_sys(date::local_seconds(last_day), date::choose::earliest));
  v1::Request request;
  v1::Trip* trip = request.mutable_upsert_trip()->mutable_trip();
  trip->set_id(id);
  trip->set_city(city);
  transport::ToProto(*start, trip->mutable_starts_at());
  transport::ToProto(end, trip->mutable_ends_at());
  for (const auto& t : tags) {
    trip->add_tags(t);
  }
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  if (ctx.json) {
    ctx.out << client::Json(reply->trip()) << '\n';
  } else {
    ctx.out << "Added trip " << reply->trip().id() << ": " << city << ", " << from << " to "
            << (to.empty() ? from : to) << '\n';
  }
  return 0;
}

int TripList(Context& ctx) {
  v1::Request request;
  request.mutable_list_trips();
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  if (ctx.json) {
    ctx.out << client::Json(reply->trips()) << '\n';
    return 0;
  }
  if (reply->trips().trips().empty()) {
    ctx.out << "No trips.\n";
  }
  for (const auto& t : reply->trips().trips()) {
    const core::TimePoint end = client::FromProto(t.ends_at()) - core::Duration(1);
    ctx.out << std::left << std::setw(32) << t.id() << std::setw(20) << t.city()
            << client::LocalDate(client::FromProto(t.starts_at()), ctx.zone) << " to "
            << client::LocalDate(end, ctx.zone);
    for (int i = 0; i < t.tags_size(); ++i) {
      ctx.out << (i == 0 ? "  tags: " : ", ") << t.tags(i);
    }
    ctx.out << std::right << '\n';
  }
  return 0;
}

int TripRemove(Context& ctx, const std::string& id) {
  v1::Request request;
  request.mutable_remove_trip()->set_trip_id(id);
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  if (ctx.json) {
    ctx.out << client::Json(reply->ack()) << '\n';
  } else {
    ctx.out << "Removed trip " << id << '\n';
  }
  return 0;
}

int Keygen(Context& ctx, const std::string& out_dir, const std::string& name, bool force) {
  auto keys = transport::GenerateKeyPair();
  if (!keys.ok()) {
    return Fail(ctx, keys.status());
  }
  const std::string dir =
      out_dir.empty() ? std::filesystem::path(base::ConfigFile()).parent_path().string() : out_dir;
  auto written = transport::WriteKeyPair(*keys, dir, name, force);
  if (!written.ok()) {
    return Fail(ctx, written.status());
  }
  if (ctx.json) {
    ctx.out << "{\"publicKey\":\"" << keys->public_key << "\",\"secretKeyFile\":\""
            << written->first << "\",\"publicKeyFile\":\"" << written->second << "\"}\n";
    return 0;
  }
  ctx.out << "Wrote " << written->first << " (secret key, mode 0600) and " << written->second
          << ".\n"
          << "Public key: " << keys->public_key << "\n"
          << "A server's key: set curve.secret_key to the .key file; clients need the .pub.\n"
          << "A client's key: add a line KEY ROLE LABEL (role ingest, notify or admin) to the\n"
          << "server's authorized_keys and run systemctl reload warmthd, for example:\n"
          << "  " << keys->public_key << "  notify  " << name << "\n";
  return 0;
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Context ctx(out, err);
  CLI::App cli("warmctl: log interactions, manage contacts and trips, act on nudges", "warmctl");
  cli.set_version_flag("--version", std::string("warmctl ") + kVersion);
  cli.require_subcommand(1);
  cli.add_option("--config", ctx.config_path, "Config file (default " + base::ConfigFile() + ")");
  cli.add_option("--api", ctx.api, "Daemon API endpoint (default from the config)");
  cli.add_option("--pub", ctx.pub, "Daemon nudge endpoint (watch; default from the daemon)");
  cli.add_option("--server-key", ctx.keys.server_key,
                 "The daemon's public key, or a file holding it (tcp:// endpoints; "
                 "default client.server_key)");
  cli.add_option("--key", ctx.keys.secret_key,
                 "This client's secret key file (tcp:// endpoints; default client.secret_key)");
  cli.add_option("--timeout", ctx.timeout_s, "Seconds to wait for a reply")->check(CLI::PositiveNumber);
  cli.add_flag("--json", ctx.json, "Machine-readable output (protobuf JSON)");
  // The leaf command that was given, run after parsing and reading the config.
  std::map<CLI::App*, std::function<int()>> actions;

  // log
  auto* log = cli.add_subcommand("log", "Record an interaction (default: now)");
  std::vector<std::string> log_contacts;
  std::string channel = "call";
  std::string direction;
  std::string at;
  std::vector<std::string> log_tags;
  std::string event_id;
  log->add_option("contacts", log_contacts, "Contact ids or identifiers")->required();
  log->add_option("--channel,-c", channel, "in_person, call, video, voice_message, letter, message, email, social")
      ->capture_default_str();
  log->add_option("--direction,-d", direction, "outbound, inbound or mutual (default: mutual for live, else outbound)");
  log->add_option("--at", at, "When: 2026-11-20T18:30:00Z, \"2026-11-20 18:30\", 2026-11-20, \"2h ago\"");
  log->add_option("--tag", log_tags, "Tag, e.g. pitch (repeatable)");
  log->add_option("--id", event_id, "Event id (default: random); reuse it to make a retry safe");
  actions[log] = [&] { return Log(ctx, log_contacts, channel, direction, at, log_tags, event_id); };

  // contact …
  auto* contact = cli.add_subcommand("contact", "Add, edit, remove or show a contact");
  contact->require_subcommand(1);
  std::string contact_id;
  ContactFlags add_flags;
  ContactFlags edit_flags;
  int recent = 10;
  auto* add = contact->add_subcommand("add", "Add a contact");
  add->add_option("id", contact_id, "Short id, e.g. bob")->required();
  add_flags.Add(add, false);
  actions[add] = [&] { return ContactAdd(ctx, contact_id, add_flags); };
  auto* edit = contact->add_subcommand("edit", "Change a contact");
  edit->add_option("id", contact_id, "Contact id or identifier")->required();
  edit_flags.Add(edit, true);
  actions[edit] = [&] { return ContactEdit(ctx, contact_id, edit_flags); };
  auto* rm = contact->add_subcommand("rm", "Remove a contact and its history");
  rm->add_option("id", contact_id, "Contact id or identifier")->required();
  actions[rm] = [&] { return ContactRemove(ctx, contact_id); };
  auto* show = contact->add_subcommand("show", "Show a contact with its recent interactions");
  show->add_option("id", contact_id, "Contact id or identifier")->required();
  show->add_option("--recent", recent, "How many recent interactions")->capture_default_str();
  actions[show] = [&] { return ContactShow(ctx, contact_id, recent); };

  // list
  auto* list = cli.add_subcommand("list", "Contacts, coldest first");
  bool list_all = false;
  int limit = 0;
  list->add_flag("--all,-a", list_all, "Include unsorted contacts (no circle)");
  list->add_option("--limit,-n", limit, "At most this many");
  actions[list] = [&] { return List(ctx, list_all, limit); };

  // nudges
  auto* nudges = cli.add_subcommand("nudges", "Pending nudges");
  bool nudges_all = false;
  std::vector<std::string> states;
  std::string nudge_contact;
  nudges->add_flag("--all,-a", nudges_all, "Every state, not only pending");
  nudges->add_option("--state", states, "pending, done, snoozed or dismissed (repeatable)");
  nudges->add_option("--contact", nudge_contact, "Only this contact's");
  nudges->add_option("--limit,-n", limit, "At most this many");
  actions[nudges] = [&] { return Nudges(ctx, nudges_all, states, nudge_contact, limit); };

  // done
  auto* done = cli.add_subcommand("done", "You called (or met): record it and clear the nudges");
  std::string done_contact;
  std::string done_nudge;
  std::string done_channel;
  done->add_option("contact", done_contact, "Contact id or identifier");
  done->add_option("--nudge", done_nudge, "Act on this nudge");
  done->add_flag_callback("--call", [&] { done_channel = "call"; }, "It was a call (default)");
  done->add_flag_callback("--video", [&] { done_channel = "video"; }, "It was a video call");
  done->add_flag_callback("--in-person", [&] { done_channel = "in_person"; }, "You met");
  done->add_option("--channel", done_channel, "Any channel");
  actions[done] = [&] { return Done(ctx, done_contact, done_nudge, done_channel); };

  // snooze
  auto* snooze = cli.add_subcommand("snooze", "Hold a contact's nudges: snooze bob 3d");
  std::vector<std::string> snooze_args;
  std::string snooze_nudge;
  snooze->add_option("args", snooze_args, "CONTACT DURATION (or DURATION with --nudge)")->required();
  snooze->add_option("--nudge", snooze_nudge, "Snooze this nudge only");
  actions[snooze] = [&] { return Snooze(ctx, snooze_args, snooze_nudge); };

  // dismiss
  auto* dismiss = cli.add_subcommand("dismiss", "Drop a nudge");
  std::string dismiss_id;
  dismiss->add_option("nudge_id", dismiss_id, "The nudge's id (warmctl nudges)")->required();
  actions[dismiss] = [&] { return Dismiss(ctx, dismiss_id); };

  // watch
  auto* watch = cli.add_subcommand("watch", "Print nudges as they are published");
  std::vector<std::string> kinds;
  watch->add_option("--kind", kinds, "Only these kinds: cooling, online_only, follow_up, trip, weekend_call, birthday");
  actions[watch] = [&] { return Watch(ctx, kinds); };

  // status
  auto* status = cli.add_subcommand("status", "Daemon version, uptime, store and counts");
  actions[status] = [&] { return StatusCommand(ctx); };

  // trip …
  auto* trip = cli.add_subcommand("trip", "Trips: meet people where you travel");
  trip->require_subcommand(1);
  std::string city;
  std::string from;
  std::string to;
  std::vector<std::string> trip_tags;
  std::string trip_id;
  auto* trip_add = trip->add_subcommand("add", "Add a trip");
  trip_add->add_option("--city", city, "Where")->required();
  trip_add->add_option("--from", from, "First day, 2026-12-03")->required();
  trip_add->add_option("--to", to, "Last day (default: the first)");
  trip_add->add_option("--tag", trip_tags, "Contacts sharing a tag are suggested too (repeatable)");
  trip_add->add_option("--id", trip_id, "Id (default: city and date)");
  actions[trip_add] = [&] { return TripAdd(ctx, city, from, to, trip_tags, trip_id); };
  auto* trip_list = trip->add_subcommand("list", "List trips");
  actions[trip_list] = [&] { return TripList(ctx); };
  auto* trip_rm = trip->add_subcommand("rm", "Remove a trip");
  trip_rm->add_option("id", trip_id, "Trip id")->required();
  actions[trip_rm] = [&] { return TripRemove(ctx, trip_id); };

  // keygen
  auto* keygen = cli.add_subcommand(
      "keygen", "Make a CURVE key pair for a server or a client (NAME.key and NAME.pub)");
  std::string keygen_dir;
  std::string keygen_name = "client";
  bool keygen_force = false;
  keygen->add_option("--out", keygen_dir,
                     "Directory (default: the config file's, " +
                         std::filesystem::path(base::ConfigFile()).parent_path().string() + ")");
  keygen->add_option("--name", keygen_name, "File name without extension, e.g. server or laptop")
      ->capture_default_str();
  keygen->add_flag("--force", keygen_force, "Replace existing key files");
  actions[keygen] = [&] { return Keygen(ctx, keygen_dir, keygen_name, keygen_force); };

  // import vcard|linkedin|ics FILE
  import::ImportArgs import_args;
  for (CLI::App* kind : import::AddImportCommands(cli, import_args)) {
    actions[kind] = [&, kind] {
      return import::RunImport(kind->get_name(), import_args, ctx.Connection(), ctx.config,
                               ctx.out, ctx.err);
    };
  }

  for (CLI::App* sub : {log, contact, add, edit, rm, show, list, nudges, done, snooze, dismiss,
                        watch, status, trip, trip_add, trip_list, trip_rm, keygen}) {
    sub->fallthrough();
  }
  try {
    cli.parse(argc, argv);
    if (keygen->parsed()) {
      return actions[keygen]();  // needs no config and no daemon
    }
    ctx.Setup();
    for (const auto& [command, action] : actions) {
      if (command->parsed()) {
        return action();
      }
    }
    return Usage(ctx, "no command given; see warmctl --help");
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every other parse error is a usage error.
    return cli.exit(e, out, err) == 0 ? 0 : kExitUsage;
  } catch (const base::ConfigError& e) {
    err << "warmctl: config: " << e.what() << '\n';
    return kExitUsage;
  } catch (const zmq::error_t& e) {
    err << "warmctl: " << e.what() << '\n';
    return kExitUnavailable;
  }
}

}  // namespace warmth::warmctl
