#include "clients/warmctl/warmctl.h"

#include <ostream>

#include <CLI/CLI.hpp>

#include "base/config.h"
#include "clients/common/connection.h"
#include "clients/warmctl/commands.h"
#include "clients/warmctl/context.h"
#include "daemon/version.h"

namespace warmth::warmctl {

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Context ctx(out, err);
  CLI::App cli("warmctl: log interactions, manage contacts and trips, act on nudges", "warmctl");
  cli.set_version_flag("--version", std::string("warmctl ") + kVersion);
  cli.require_subcommand(1);
  using client::Flag;
  client::AddConnectionFlags(cli, ctx.flags,
                             {{Flag::kConfig},
                              {Flag::kApi},
                              {Flag::kPub},
                              {Flag::kServerKey},
                              {Flag::kKey},
                              {Flag::kTimeout}});
  cli.add_flag("--json", ctx.json, "Machine-readable output (protobuf JSON)");
  base::AddManualFlag(cli, ManPage(), out);
  // The leaf commands, in the order of warmctl --help.
  Commands commands;
  for (auto add : {AddLogCommand, AddContactCommands, AddListCommand, AddNudgeCommands,
                   AddStatusCommand, AddTripCommands, AddKeygenCommand, AddImportCommands,
                   AddExportCommand, AddReportCommand, AddChartCommand, AddCompletionCommand}) {
    add(cli, ctx, commands);
  }
  try {
    cli.parse(argc, argv);
    for (const Command& command : commands) {
      if (command.app->parsed()) {
        if (command.needs_config) {
          ctx.Setup();
        }
        return command.run();
      }
    }
    ctx.Setup();
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
