// warmctl import vcard|linkedin|ics FILE: clients/import does the work.
#include <memory>

#include <CLI/CLI.hpp>

#include "clients/import/command.h"
#include "clients/warmctl/commands.h"

namespace warmth::warmctl {

void AddImportCommands(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<import::ImportArgs>();
  for (CLI::App* kind : import::AddImportCommands(cli, *args)) {
    commands.push_back({kind, [&ctx, args, kind] {
                          return import::RunImport(kind->get_name(), *args, ctx.Connection(),
                                                   ctx.config, ctx.out, ctx.err);
                        }});
  }
}

}  // namespace warmth::warmctl
