// warmctl contact add|edit|rm|show.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iomanip>
#include <memory>

#include <CLI/CLI.hpp>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "daemon/core/identifiers.h"
#include "daemon/core/text.h"
#include "daemon/core/types.h"

namespace warmth::warmctl {
namespace {

using core::Lower;
using core::Status;

core::Duration Of(const google::protobuf::Duration& d) {
  return std::chrono::duration_cast<core::Duration>(std::chrono::seconds(d.seconds()) +
                                                    std::chrono::nanoseconds(d.nanos()));
}

// "cadence: every 7d (set on this contact), at most 14d", "every 90d (tag
// mentor)", "circle (half-life 7d)"; the learned rhythm; one-sided.
void PrintCadence(Context& ctx, const v1::ContactInfo& info) {
  const v1::Contact& c = info.contact();
  std::ostream& out = ctx.out;
  out << "  cadence:     ";
  if (info.cadence_source() == "contact" && info.has_every()) {
    out << "every " << core::FormatDuration(Of(info.every())) << " (set on this contact)";
  } else if (info.cadence_source() == "tag" && info.has_every()) {
    out << "every " << core::FormatDuration(Of(info.every())) << " (tag " << info.cadence_tag()
        << " in [cadence])";
  } else {
    out << "the circle's";
  }
  if (info.has_half_life()) {
    const auto hours = std::chrono::round<std::chrono::hours>(Of(info.half_life()));
    out << ", half-life "
        << core::FormatDuration(std::chrono::duration_cast<core::Duration>(hours));
  }
  if (c.has_every_max()) {
    out << "; at most " << core::FormatDuration(Of(c.every_max()));
  }
  out << '\n';
  if (info.has_usual_gap()) {
    const auto days = std::chrono::round<std::chrono::days>(Of(info.usual_gap())).count();
    out << "  rhythm:      usually every "
        << (days <= 1 ? std::string("day") : std::to_string(days) + " days") << " (learned from "
        << info.rhythm_gaps() << " gaps)\n";
  } else if (info.interaction_count() > 0) {
    out << "  rhythm:      not learned yet (" << info.rhythm_gaps() << " gaps)\n";
  }
  if (info.has_one_sided_until()) {
    out << "  one-sided:   your messages went unanswered; not proposed until "
        << client::LocalTime(client::FromProto(info.one_sided_until()), ctx.zone) << '\n';
  }
}

void PrintContact(Context& ctx, const v1::ContactInfo& info) {
  const v1::Contact& c = info.contact();
  std::ostream& out = ctx.out;
  out << Name(c) << '\n';
  out << "  circle:      " << CircleName(c.circle()) << (c.family() ? ", family" : "")
      << (c.muted() ? ", muted" : "") << '\n';
  out << "  warmth:      " << Fixed(info.warmth());
  if (info.has_cools_at()) {
    out << " (falls below the threshold "
        << client::Ago(client::FromProto(info.cools_at()), ctx.now) << ")";
  }
  out << '\n';
  if (info.has_last_interaction_at()) {
    out << "  last:        " << ChannelName(info.last_channel()) << ", "
        << client::Ago(client::FromProto(info.last_interaction_at()), ctx.now) << " ("
        << client::LocalTime(client::FromProto(info.last_interaction_at()), ctx.zone) << ")\n";
  }
  out << "  interactions: " << info.interaction_count() << '\n';
  PrintCadence(ctx, info);
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
          << std::left << std::setw(13)
          << (r.missed() ? "missed " + ChannelName(r.channel()) : ChannelName(r.channel()))
          << std::setw(9) << std::string(core::Name(static_cast<core::Direction>(r.direction())))
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
  std::string every;
  std::string every_max;
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
    cmd->add_option("--birthday", birthday,
                    "MM-DD or YYYY-MM-DD" + std::string(edit ? "; none to clear" : ""));
    cmd->add_option("--tag", tags, "Tag (repeatable)");
    cmd->add_option("--every", every,
                    "Keep in touch this often, e.g. 1w, 30d; auto: the tag's or circle's");
    cmd->add_option("--max", every_max,
                    "A stronger nudge once this long has passed, e.g. 2w; none to clear");
    cmd->add_flag("--family", family, "Family: warmth fades half as fast");
    cmd->add_flag("--mute", mute, "Never nudge about this contact");
    if (edit) {
      cmd->add_option("--remove", remove, "Identifier to remove (repeatable)");
      cmd->add_option("--untag", untags, "Tag to remove (repeatable)");
      cmd->add_flag("--no-family", no_family, "Not family");
      cmd->add_flag("--unmute", unmute, "Nudge about this contact again");
    }
  }

  // --remove, --email, --phone, --handle: the identifiers.
  Status ApplyIdentifiers(v1::Contact& c, const core::PhoneNormalizer& phone) const {
    for (const auto& r : remove) {
      auto* ids = c.mutable_identifiers();
      // As typed, or in its normalized spelling ("tel:0171 1234567").
      const auto norm = core::NormalizeIdentifier(r, phone);
      const auto it = std::find_if(ids->begin(), ids->end(), [&](const std::string& x) {
        return Lower(x) == Lower(r) || (norm.ok() && x == *norm);
      });
      if (it == ids->end()) {
        return Status::InvalidArgument("--remove: " + c.id() + " has no identifier " + r);
      }
      ids->erase(it);
    }
    for (const auto& e : emails) {
      c.add_identifiers(e);
    }
    for (const auto& p : phones) {
      auto e164 = core::NormalizeIdentifier(Lower(p).rfind("tel:", 0) == 0 ? p : "tel:" + p, phone);
      if (!e164.ok()) {
        const std::string why = e164.status().message();
        return Status::InvalidArgument("--phone: " + why.substr(why.find(':') + 2));
      }
      c.add_identifiers(*e164);
    }
    for (const auto& h : handles) {
      c.add_identifiers(h);
    }
    return Status::Ok();
  }

  // --birthday MM-DD, YYYY-MM-DD or none.
  Status ApplyBirthday(v1::Contact& c) const {
    if (birthday.empty()) {
      return Status::Ok();
    }
    if (birthday == "none") {
      c.clear_birthday();
      return Status::Ok();
    }
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
    return Status::Ok();
  }

  // --every DURATION|auto and --max DURATION|none.
  Status ApplyCadence(v1::Contact& c) const {
    const auto set = [](const std::string& text, const char* flag, const char* clear,
                        google::protobuf::Duration* out, bool& cleared) -> Status {
      cleared = text == clear;
      if (cleared) {
        return Status::Ok();
      }
      const auto d = core::ParseDuration(text);
      if (!d.ok()) {
        return Status::InvalidArgument(std::string(flag) + ": expected a duration such as 1w or " +
                                       "30d, or " + clear);
      }
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(*d);
      out->set_seconds(secs.count());
      out->set_nanos(0);
      return Status::Ok();
    };
    bool cleared = false;
    if (!every.empty()) {
      if (Status s = set(every, "--every", "auto", c.mutable_every(), cleared); !s.ok()) {
        return s;
      }
      if (cleared) {
        c.clear_every();
      }
    }
    if (!every_max.empty()) {
      if (Status s = set(every_max, "--max", "none", c.mutable_every_max(), cleared); !s.ok()) {
        return s;
      }
      if (cleared) {
        c.clear_every_max();
      }
    }
    return Status::Ok();
  }

  // Applies the flags given to `c`, phone numbers read with `phone` (the
  // daemon's own normalization, so that an unusable number is named here);
  // kInvalidArgument names the bad flag.
  Status ApplyTo(v1::Contact& c, const core::PhoneNormalizer& phone) const {
    if (!name.empty()) {
      c.set_display_name(name);
    }
    if (Status s = ApplyIdentifiers(c, phone); !s.ok()) {
      return s;
    }
    if (!circle.empty()) {
      const auto parsed = core::ParseCircle(circle);
      if (!parsed) {
        return Status::InvalidArgument(
            "--circle: expected inner, close, network, acquaintance or unsorted");
      }
      c.set_circle(static_cast<v1::Circle>(*parsed));
    }
    if (!city.empty()) {
      c.set_city(city == "none" ? "" : city);
    }
    if (Status s = ApplyBirthday(c); !s.ok()) {
      return s;
    }
    if (Status s = ApplyCadence(c); !s.ok()) {
      return s;
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

struct ContactArgs {
  std::string id;
  ContactFlags add_flags;
  ContactFlags edit_flags;
  int recent = 10;      // show
  bool forget = false;  // rm
};

// "Added bob …" or "Saved bob …" and the contact, or its JSON.
int CallAndPrintSaved(Context& ctx, const v1::Request& request, const std::string& verb) {
  return CallAndPrint(ctx, request,
                      {.json = &v1::Reply::contact, .text = [&](const v1::Reply& reply) {
                         ctx.out << verb << ' ';
                         PrintContact(ctx, reply.contact());
                         return 0;
                       }});
}

int ContactAdd(Context& ctx, const std::string& id, const ContactFlags& flags) {
  auto existing = FetchContact(ctx, id);
  if (existing.ok() && existing->contact().id() == id) {
    return Fail(
        ctx, Status::AlreadyExists("contact " + id + " exists; use: warmctl contact edit " + id));
  }
  if (!existing.ok() && existing.status().code() != core::Code::kNotFound) {
    return Fail(ctx, existing.status());
  }
  v1::Request request;
  v1::Contact* c = request.mutable_upsert_contact()->mutable_contact();
  c->set_id(id);
  if (Status s = flags.ApplyTo(*c, ctx.Phone()); !s.ok()) {
    return Usage(ctx, s.message());
  }
  return CallAndPrintSaved(ctx, request, "Added");
}

int ContactEdit(Context& ctx, const std::string& id, const ContactFlags& flags) {
  auto existing = FetchContact(ctx, id);
  if (!existing.ok()) {
    return Fail(ctx, existing.status());
  }
  v1::Request request;
  v1::Contact* c = request.mutable_upsert_contact()->mutable_contact();
  *c = existing->contact();
  if (Status s = flags.ApplyTo(*c, ctx.Phone()); !s.ok()) {
    return Usage(ctx, s.message());
  }
  return CallAndPrintSaved(ctx, request, "Saved");
}

int ContactRemove(Context& ctx, const std::string& id, bool forget) {
  v1::Request request;
  request.mutable_remove_contact()->set_contact_id(id);
  request.mutable_remove_contact()->set_forget(forget);
  return CallAndPrintLine(ctx, request, &v1::Reply::ack, (forget ? "Forgot " : "Removed ") + id);
}

int ContactShow(Context& ctx, const std::string& id, int recent) {
  v1::Request request;
  request.mutable_get_contact()->set_contact_id(id);
  request.mutable_get_contact()->set_recent(recent);
  return CallAndPrint(ctx, request,
                      {.json = &v1::Reply::contact, .text = [&](const v1::Reply& reply) {
                         PrintContact(ctx, reply.contact());
                         return 0;
                       }});
}

}  // namespace

void AddContactCommands(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<ContactArgs>();
  auto* contact = cli.add_subcommand("contact", "Add, edit, remove or show a contact");
  contact->require_subcommand(1);
  contact->fallthrough();
  auto* add = contact->add_subcommand("add", "Add a contact");
  add->add_option("id", args->id, "Short id, e.g. bob")->required();
  args->add_flags.Add(add, false);
  commands.push_back({add, [&ctx, args] { return ContactAdd(ctx, args->id, args->add_flags); }});
  auto* edit = contact->add_subcommand("edit", "Change a contact");
  edit->add_option("id", args->id, "Contact id or identifier")->required();
  args->edit_flags.Add(edit, true);
  commands.push_back({edit, [&ctx, args] { return ContactEdit(ctx, args->id, args->edit_flags); }});
  auto* rm = contact->add_subcommand("rm", "Remove a contact and its history");
  rm->add_option("id", args->id, "Contact id or identifier")->required();
  rm->add_flag("--forget", args->forget,
               "Also erase the interactions only they were in, with their event ids, from the "
               "store and its WAL; shared ones keep the others");
  commands.push_back({rm, [&ctx, args] { return ContactRemove(ctx, args->id, args->forget); }});
  auto* show = contact->add_subcommand("show", "Show a contact with its recent interactions");
  show->add_option("id", args->id, "Contact id or identifier")->required();
  show->add_option("--recent", args->recent, "How many recent interactions")->capture_default_str();
  commands.push_back({show, [&ctx, args] { return ContactShow(ctx, args->id, args->recent); }});
  for (CLI::App* sub : {add, edit, rm, show}) {
    sub->fallthrough();
  }
}

}  // namespace warmth::warmctl
