// warmctl completion bash|zsh|fish|ids: hidden; the shells' completion
// scripts, made from this very command line, and the contact ids they offer.
#include <algorithm>
#include <memory>

#include <CLI/CLI.hpp>

#include "base/cli_doc.h"
#include "clients/warmctl/commands.h"
#include "daemon/core/types.h"

namespace warmth::warmctl {
namespace {

using Kind = base::CompletionValues::Kind;

base::CompletionValues Words(std::span<const std::string_view> names) {
  base::CompletionValues v{.kind = Kind::kWords};
  v.words.assign(names.begin(), names.end());
  return v;
}

// Which values the shells offer where: the names come from core, where the
// commands parse them.
base::CompletionHints Hints() {
  const base::CompletionValues ids{.kind = Kind::kCommand, .command = "completion ids"};
  const base::CompletionValues files{.kind = Kind::kFiles};
  const base::CompletionValues none{};
  return {
      {"--channel", Words(core::ChannelNames())},
      {"--direction", Words(core::DirectionNames())},
      {"--circle", Words(core::CircleNames())},
      {"--state", Words(core::NudgeStateNames())},
      {"--kind", Words(core::NudgeKindNames())},
      {"--contact", ids},
      {"contacts", ids},
      {"contact", ids},
      {"id", ids},
      {"args", ids},
      {"contact add id", none},  // a new id
      {"trip rm id", none},      // a trip's
      {"files", files},
      {"--config", files},
      {"--server-key", files},
      {"--key", files},
      {"--out", {.kind = Kind::kDirs}},
  };
}

// The contact ids, one a line; nothing (and 0) when the daemon does not
// answer within half a second: a shell is waiting.
int PrintIds(Context& ctx) {
  try {
    ctx.flags.timeout_s = std::min(ctx.flags.timeout_s, 0.5);
    ctx.Setup();
    v1::Request request;
    request.mutable_list_contacts()->set_include_unsorted(true);
    auto reply = ctx.Call(request);
    if (reply.ok()) {
      for (const auto& info : reply->contacts().contacts()) {
        ctx.out << info.contact().id() << '\n';
      }
    }
  } catch (const std::exception&) {
    // A bad config or keys: nothing to offer.
  }
  return 0;
}

}  // namespace

void AddCompletionCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto what = std::make_shared<std::string>();
  auto* completion = cli.add_subcommand(
      "completion", "Print the completion script for bash, zsh or fish; ids: the contact ids");
  completion->group("");
  completion->add_option("shell", *what, "bash, zsh, fish or ids")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish", "ids"}));
  commands.push_back({completion,
                      [&ctx, &cli, what] {
                        if (*what == "ids") {
                          return PrintIds(ctx);
                        }
                        const base::Shell shell = *what == "bash"  ? base::Shell::kBash
                                                  : *what == "zsh" ? base::Shell::kZsh
                                                                   : base::Shell::kFish;
                        base::WriteCompletion(cli, shell, Hints(), ctx.out);
                        return 0;
                      },
                      false});
}

}  // namespace warmth::warmctl
