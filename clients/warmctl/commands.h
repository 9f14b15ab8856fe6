#pragma once

#include "base/cli_doc.h"
#include "clients/warmctl/context.h"

namespace CLI {
class App;
}

namespace warmth::warmctl {

// Each adds its subcommands, with their options, to `cli` and what they run
// to `commands`. The options' values live as long as `commands`; the actions
// use `ctx`, which must outlive them.
void AddLogCommand(CLI::App& cli, Context& ctx, Commands& commands);       // log.cc
void AddContactCommands(CLI::App& cli, Context& ctx, Commands& commands);  // contact.cc
void AddListCommand(CLI::App& cli, Context& ctx, Commands& commands);      // list.cc
// nudges, done, snooze, dismiss, watch.
void AddNudgeCommands(CLI::App& cli, Context& ctx, Commands& commands);   // nudges.cc
void AddStatusCommand(CLI::App& cli, Context& ctx, Commands& commands);   // status.cc
void AddTripCommands(CLI::App& cli, Context& ctx, Commands& commands);    // trips.cc
void AddKeygenCommand(CLI::App& cli, Context& ctx, Commands& commands);   // keygen.cc
void AddImportCommands(CLI::App& cli, Context& ctx, Commands& commands);  // import.cc
void AddExportCommand(CLI::App& cli, Context& ctx, Commands& commands);   // export.cc
void AddReportCommand(CLI::App& cli, Context& ctx, Commands& commands);   // report.cc
void AddChartCommand(CLI::App& cli, Context& ctx, Commands& commands);    // chart.cc
// Hidden: completion bash|zsh|fish|ids.
void AddCompletionCommand(CLI::App& cli, Context& ctx, Commands& commands);  // completion.cc

// The prose of warmctl's man page (warmctl --manual).
base::ManPage ManPage();  // manual.cc

}  // namespace warmth::warmctl
