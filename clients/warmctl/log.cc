// warmctl log: record an interaction by hand.
#include <memory>

#include <CLI/CLI.hpp>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "clients/warmctl/warmctl.h"
#include "daemon/core/identifiers.h"
#include "daemon/core/types.h"
#include "daemon/transport/codec.h"

namespace warmth::warmctl {
namespace {

struct LogArgs {
  std::vector<std::string> contacts;
  std::string channel = "call";
  std::string direction;
  std::string at;
  std::vector<std::string> tags;
  std::string event_id;
  bool missed = false;
};

// "Logged call with bob: warmth 3.0" ("Logged missed call …"), one line per
// contact.
int PrintLogged(Context& ctx, const LogArgs& args, const v1::Reply& reply) {
  const auto& item = reply.ingest().items(0);
  switch (item.outcome()) {
    case v1::IngestResult::DUPLICATE:
      ctx.out << "Already logged (event " << item.event_id() << ")\n";
      return 0;
    case v1::IngestResult::REJECTED:
      return Fail(ctx, core::Status::InvalidArgument("rejected: " + item.reason()));
    default:
      break;
  }
  for (const auto& id : item.contact_ids()) {
    auto info = FetchContact(ctx, id);
    ctx.out << "Logged " << (args.missed ? "missed " : "") << args.channel << " with " << id;
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

int Log(Context& ctx, const LogArgs& args) {
  const auto ch = core::ParseChannel(args.channel);
  if (!ch) {
    return Usage(ctx,
                 "--channel: expected in_person, call, video, voice_message, letter, "
                 "message, email or social");
  }
  v1::Request request;
  v1::Interaction* in = request.mutable_ingest()->add_interactions();
  in->set_event_id(args.event_id.empty() ? "warmctl-" + client::RandomId() : args.event_id);
  const core::PhoneNormalizer phone = ctx.Phone();
  for (const auto& c : args.contacts) {
    // A phone number goes out in E.164, read with this config's [me]
    // region. One that does not read is sent as typed: it may be the id of
    // an old unsorted contact, else the daemon says why it is unusable.
    auto e164 = core::IsPhoneIdentifier(c) ? core::NormalizeIdentifier(c, phone)
                                           : core::Result<std::string>(c);
    in->add_contacts(e164.ok() ? *e164 : c);
  }
  in->set_channel(static_cast<v1::Channel>(*ch));
  if (!args.direction.empty()) {
    const auto dir = core::ParseDirection(args.direction);
    if (!dir) {
      return Usage(ctx, "--direction: expected outbound, inbound or mutual");
    }
    in->set_direction(static_cast<v1::Direction>(*dir));
  } else {
    // A call that did not connect is, unless told, one they made.
    in->set_direction(args.missed ? v1::INBOUND : core::IsLive(*ch) ? v1::MUTUAL : v1::OUTBOUND);
  }
  in->set_missed(args.missed);
  if (!args.at.empty()) {
    auto when = client::ParseWhen(args.at, ctx.zone, ctx.now);
    if (!when.ok()) {
      return Usage(ctx, "--at: " + when.status().message());
    }
    transport::ToProto(*when, in->mutable_occurred_at());
  }
  in->set_source("warmctl");
  for (const auto& t : args.tags) {
    in->add_tags(t);
  }
  return CallAndPrint(
      ctx, request,
      {.json = &v1::Reply::ingest,
       .text = [&](const v1::Reply& reply) { return PrintLogged(ctx, args, reply); },
       .json_exit =
           [](const v1::Reply& reply) {
             return reply.ingest().items(0).outcome() == v1::IngestResult::REJECTED ? kExitError
                                                                                    : 0;
           }});
}

}  // namespace

void AddLogCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<LogArgs>();
  auto* log = cli.add_subcommand("log", "Record an interaction (default: now)");
  log->fallthrough();
  log->add_option("contacts", args->contacts, "Contact ids or identifiers")->required();
  log->add_option("--channel,-c", args->channel,
                  "in_person, call, video, voice_message, letter, message, email, social")
      ->capture_default_str();
  log->add_option("--direction,-d", args->direction,
                  "outbound, inbound or mutual (default: mutual for live, else outbound)");
  log->add_option("--at", args->at,
                  "When: 2026-11-20T18:30:00Z, \"2026-11-20 18:30\", 2026-11-20, \"2h ago\"");
  log->add_option("--tag", args->tags, "Tag, e.g. pitch (repeatable)");
  log->add_flag("--missed", args->missed,
                "A call that did not connect (default direction: inbound, they called you)");
  log->add_option("--id", args->event_id,
                  "Event id (default: random); reuse it to make a retry safe");
  commands.push_back({log, [&ctx, args] { return Log(ctx, *args); }});
}

}  // namespace warmth::warmctl
