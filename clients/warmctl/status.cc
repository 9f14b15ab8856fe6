// warmctl status: what the daemon says about itself.
#include <CLI/CLI.hpp>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "daemon/core/time.h"

namespace warmth::warmctl {
namespace {

int PrintStatus(Context& ctx, const v1::StatusReply& s) {
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

int StatusCommand(Context& ctx) {
  v1::Request request;
  request.mutable_status();
  return CallAndPrint(ctx, request,
                      {.json = &v1::Reply::status, .text = [&](const v1::Reply& reply) {
                         return PrintStatus(ctx, reply.status());
                       }});
}

}  // namespace

void AddStatusCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto* status = cli.add_subcommand("status", "Daemon version, uptime, store and counts");
  status->fallthrough();
  commands.push_back({status, [&ctx] { return StatusCommand(ctx); }});
}

}  // namespace warmth::warmctl
