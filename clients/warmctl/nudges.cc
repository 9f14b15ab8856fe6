// warmctl nudges, done, snooze, dismiss, watch: the daemon's nudges.
#include <cctype>
#include <csignal>
#include <iomanip>
#include <memory>

#include <CLI/CLI.hpp>

#include "base/clock.h"
#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "daemon/core/types.h"
#include "daemon/transport/codec.h"

namespace warmth::warmctl {
namespace {

using core::Status;

volatile std::sig_atomic_t g_interrupted = 0;

std::string KindName(int kind) {
  std::string name(core::Name(static_cast<core::NudgeKind>(kind)));
  for (char& c : name) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

void PrintNudge(Context& ctx, const v1::Nudge& n) {
  std::string who;
  for (int i = 0; i < n.contact_ids_size(); ++i) {
    who += (i > 0 ? "," : "") + n.contact_ids(i);
  }
  ctx.out << std::left << std::setw(18) << n.id() << std::setw(13) << KindName(n.kind())
          << std::setw(10) << std::string(core::Name(static_cast<core::NudgeState>(n.state())))
          << std::setw(12) << client::Ago(client::FromProto(n.published_at()), ctx.now)
          << std::right << n.text() << '\n';
}

struct NudgesArgs {
  bool all = false;
  std::vector<std::string> states;
  std::string contact;
  int limit = 0;
};

int PrintNudges(Context& ctx, const NudgesArgs& args, const v1::Reply& reply) {
  if (reply.nudges().nudges().empty()) {
    ctx.out << (args.all || !args.states.empty() ? "No nudges." : "No pending nudges.") << '\n';
    return 0;
  }
  for (const auto& n : reply.nudges().nudges()) {
    PrintNudge(ctx, n);
  }
  return 0;
}

int Nudges(Context& ctx, const NudgesArgs& args) {
  v1::Request request;
  auto* list = request.mutable_list_nudges();
  list->set_contact_id(args.contact);
  list->set_limit(args.limit);
  if (args.all) {
    for (int s = 1; s <= 4; ++s) {
      list->add_states(static_cast<v1::NudgeState>(s));
    }
  }
  for (const auto& name : args.states) {
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
  return CallAndPrint(ctx, request,
                      {.json = &v1::Reply::nudges, .text = [&](const v1::Reply& reply) {
                         return PrintNudges(ctx, args, reply);
                       }});
}

// Calls the daemon, then prints "`what` (nudges a, b)" or the ack's JSON.
int CallAndPrintAck(Context& ctx, const v1::Request& request,
                    const std::function<std::string()>& what) {
  return CallAndPrint(ctx, request, {.json = &v1::Reply::ack, .text = [&](const v1::Reply& reply) {
                                       ctx.out << what();
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
                                     }});
}

struct DoneArgs {
  std::string contact;
  std::string nudge;
  std::string channel;
};

int Done(Context& ctx, const DoneArgs& args) {
  if (args.contact.empty() && args.nudge.empty()) {
    return Usage(ctx, "done: name a contact or give --nudge ID");
  }
  v1::Request request;
  auto* done = request.mutable_done();
  done->set_contact_id(args.contact);
  done->set_nudge_id(args.nudge);
  if (!args.channel.empty()) {
    const auto ch = core::ParseChannel(args.channel);
    if (!ch) {
      return Usage(ctx, "--channel: unknown channel " + args.channel);
    }
    done->set_channel(static_cast<v1::Channel>(*ch));
  }
  return CallAndPrintAck(ctx, request, [&] {
    return "Recorded " + (args.channel.empty() ? std::string("a call") : args.channel) + " with " +
           (args.contact.empty() ? "the nudge's contact" : args.contact);
  });
}

struct SnoozeArgs {
  std::vector<std::string> args;  // CONTACT DURATION, or DURATION with --nudge
  std::string nudge;
};

int Snooze(Context& ctx, const SnoozeArgs& snooze) {
  const std::vector<std::string>& args = snooze.args;
  const std::string& nudge = snooze.nudge;
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
  return CallAndPrintAck(ctx, request, [&] {
    return "Snoozed " + (contact.empty() ? nudge : contact) + " until " +
           client::LocalTime(ctx.now + *d, ctx.zone);
  });
}

int Dismiss(Context& ctx, const std::string& nudge) {
  v1::Request request;
  request.mutable_dismiss()->set_nudge_id(nudge);
  return CallAndPrintAck(ctx, request, [&] { return "Dismissed " + nudge; });
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
  std::string endpoint = !ctx.flags.pub.empty() ? ctx.flags.pub : ctx.config.publish_endpoint;
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

void AddNudgesCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<NudgesArgs>();
  auto* nudges = cli.add_subcommand("nudges", "Pending nudges");
  nudges->add_flag("--all,-a", args->all, "Every state, not only pending");
  nudges->add_option("--state", args->states, "pending, done, snoozed or dismissed (repeatable)");
  nudges->add_option("--contact", args->contact, "Only this contact's");
  nudges->add_option("--limit,-n", args->limit, "At most this many");
  commands.push_back({nudges, [&ctx, args] { return Nudges(ctx, *args); }});
}

void AddDoneCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<DoneArgs>();
  auto* done = cli.add_subcommand("done", "You called (or met): record it and clear the nudges");
  done->add_option("contact", args->contact, "Contact id or identifier");
  done->add_option("--nudge", args->nudge, "Act on this nudge");
  done->add_flag_callback(
      "--call", [args] { args->channel = "call"; }, "It was a call (default)");
  done->add_flag_callback(
      "--video", [args] { args->channel = "video"; }, "It was a video call");
  done->add_flag_callback(
      "--in-person", [args] { args->channel = "in_person"; }, "You met");
  done->add_option("--channel", args->channel, "Any channel");
  commands.push_back({done, [&ctx, args] { return Done(ctx, *args); }});
}

void AddSnoozeCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<SnoozeArgs>();
  auto* snooze = cli.add_subcommand("snooze", "Hold a contact's nudges: snooze bob 3d");
  snooze->add_option("args", args->args, "CONTACT DURATION (or DURATION with --nudge)")->required();
  snooze->add_option("--nudge", args->nudge, "Snooze this nudge only");
  commands.push_back({snooze, [&ctx, args] { return Snooze(ctx, *args); }});
}

void AddDismissCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto nudge = std::make_shared<std::string>();
  auto* dismiss = cli.add_subcommand("dismiss", "Drop a nudge");
  dismiss->add_option("nudge_id", *nudge, "The nudge's id (warmctl nudges)")->required();
  commands.push_back({dismiss, [&ctx, nudge] { return Dismiss(ctx, *nudge); }});
}

void AddWatchCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto kinds = std::make_shared<std::vector<std::string>>();
  auto* watch = cli.add_subcommand("watch", "Print nudges as they are published");
  watch->add_option(
      "--kind", *kinds,
      "Only these kinds: cooling, online_only, follow_up, trip, weekend_call, birthday, "
      "call_back, rhythm");
  commands.push_back({watch, [&ctx, kinds] { return Watch(ctx, *kinds); }});
}

}  // namespace

void AddNudgeCommands(CLI::App& cli, Context& ctx, Commands& commands) {
  const std::size_t first = commands.size();
  AddNudgesCommand(cli, ctx, commands);
  AddDoneCommand(cli, ctx, commands);
  AddSnoozeCommand(cli, ctx, commands);
  AddDismissCommand(cli, ctx, commands);
  AddWatchCommand(cli, ctx, commands);
  for (std::size_t i = first; i < commands.size(); ++i) {
    commands[i].app->fallthrough();
  }
}

}  // namespace warmth::warmctl
