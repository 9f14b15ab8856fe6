// warmctl list: contacts, coldest first.
#include <algorithm>
#include <iomanip>
#include <memory>

#include <CLI/CLI.hpp>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"

namespace warmth::warmctl {
namespace {

struct ListArgs {
  bool all = false;
  int limit = 0;
};

int PrintList(Context& ctx, bool all, const v1::Reply& reply) {
  const auto& contacts = reply.contacts().contacts();
  if (contacts.empty()) {
    ctx.out << (all ? "No contacts yet."
                    : "No contacts with a circle yet (warmctl list --all shows unsorted ones).")
            << '\n';
    return 0;
  }
  std::size_t width = 7;
  for (const auto& info : contacts) {
    width = std::max(width, Name(info.contact()).size());
  }
  ctx.out << std::left << std::setw(7) << "WARMTH" << std::setw(14) << "CIRCLE"
          << std::setw(static_cast<int>(width) + 2) << "CONTACT" << std::setw(14) << "LAST"
          << std::setw(15) << "CHANNEL"
          << "COOLS" << '\n';
  for (const auto& info : contacts) {
    const std::string last =
        info.has_last_interaction_at()
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
            << (info.has_last_interaction_at() ? ChannelName(info.last_channel()) : "-")
            << cools
            // Messages went unanswered: not proposed for a while (rules.reciprocity).
            << (info.has_one_sided_until() ? "  one-sided" : "") << '\n';
  }
  return 0;
}

int List(Context& ctx, bool all, int limit) {
  v1::Request request;
  request.mutable_list_contacts()->set_include_unsorted(all);
  request.mutable_list_contacts()->set_limit(limit);
  return CallAndPrint(ctx, request,
                      {.json = &v1::Reply::contacts,
                       .text = [&](const v1::Reply& reply) { return PrintList(ctx, all, reply); }});
}

}  // namespace

void AddListCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<ListArgs>();
  auto* list = cli.add_subcommand("list", "Contacts, coldest first");
  list->fallthrough();
  list->add_flag("--all,-a", args->all, "Include unsorted contacts (no circle)");
  list->add_option("--limit,-n", args->limit, "At most this many");
  commands.push_back({list, [&ctx, args] { return List(ctx, args->all, args->limit); }});
}

}  // namespace warmth::warmctl
