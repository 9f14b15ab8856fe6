#include "daemon/app/cli.h"

#include <fstream>
#include <istream>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/exit_codes.h"
#include "base/logging.h"
#include "base/paths.h"
#include "daemon/app/daemon.h"
#include "daemon/app/replay.h"
#include "daemon/version.h"

namespace warmth::app {
namespace {

struct Args {
  std::string config_path;
  std::string data_dir;
  std::string log_level = "info";
  DaemonOptions options;
  // replay
  std::string timeline;
  std::string until;
  bool no_config = false;
  bool summary = false;
};

void AddDaemonFlags(CLI::App& cli, Args& args) {
  cli.set_version_flag("--version", std::string("warmthd ") + kVersion);
  cli.add_option("--config", args.config_path, "Config file (default " + base::ConfigFile() + ")");
  cli.add_option("--data-dir", args.data_dir, "Store directory (default " + base::DataDir() + ")");
  cli.add_option("--api", args.options.api_endpoint,
                 "API endpoint (default " + base::DefaultApiEndpoint() + ")");
  cli.add_option("--pub", args.options.publish_endpoint,
                 "Nudge endpoint (default " + base::DefaultPublishEndpoint() + ")");
  cli.add_flag("--allow-insecure-tcp", args.options.allow_insecure_tcp,
               "Allow plain tcp:// on loopback without CURVE (development only)");
  // Hidden: caps the store at N pages of 4 KiB to act out a full disk in
  // tests and drills (docs/reliability.md).
  cli.add_option("--store-max-pages", args.options.store.max_page_count)->group("");
  cli.add_option("--log-level", args.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
}

CLI::App* AddReplay(CLI::App& cli, Args& args) {
  auto* replay = cli.add_subcommand(
      "replay", "Run a timeline on a simulated clock and print every nudge as a JSON line");
  replay->add_option("timeline", args.timeline, "TimelineEntry JSON lines; - for stdin")
      ->required();
  auto* config = replay->add_option("--config", args.config_path,
                                    "Config file (default " + base::ConfigFile() + ")");
  replay
      ->add_flag("--no-config", args.no_config,
                 "The built-in defaults, not the config file: the same nudges on every machine")
      ->excludes(config);
  replay->add_option("--until", args.until, "Keep the clock running to this time (RFC 3339)");
  replay->add_flag("--summary", args.summary,
                   "Instead of the nudges, how many of each kind, in all and per ISO week");
  return replay;
}

int RunReplay(const Args& args, std::istream& in, std::ostream& out, std::ostream& err) {
  // The user's warmth.toml, like the daemon: replay is how they tune it.
  const base::Config config =
      args.no_config ? base::Config{} : base::LoadConfigOrDefault(args.config_path);
  ReplayOptions replay_options;
  replay_options.summary = args.summary;
  if (!args.until.empty()) {
    auto t = core::ParseUtc(args.until);
    if (!t.ok()) {
      err << "warmthd replay: --until: " << t.status().message() << '\n';
      return base::kExitUsage;
    }
    replay_options.until = *t;
  }
  if (args.timeline == "-") {
    return Replay(config, in, "stdin", replay_options, out, err);
  }
  std::ifstream file(args.timeline);
  if (!file) {
    err << "warmthd replay: cannot read " << args.timeline << '\n';
    return base::kExitUsage;
  }
  return Replay(config, file, args.timeline, replay_options, out, err);
}

int RunDaemon(Args& args) {
  args.options.config = base::LoadConfigOrDefault(args.config_path);
  args.options.data_dir = args.data_dir;
  base::SystemClock clock;
  Daemon daemon(std::move(args.options), clock);
  daemon.Run();
  return base::kExitOk;
}

}  // namespace

int Main(int argc, const char* const* argv, std::istream& in, std::ostream& out,
         std::ostream& err) {
  CLI::App cli("warmthd: keeps a warmth score per contact and nudges you to pick up the phone",
               "warmthd");
  Args args;
  AddDaemonFlags(cli, args);
  const CLI::App* replay = AddReplay(cli, args);
  base::AddManualFlag(cli, ManPage(), out);
  // Hidden: every config key and its kind, one a line, for the test that
  // keeps warmth.toml(5) and docs/warmth.toml.example complete.
  cli.add_flag_callback("--config-keys",
                        [&out] {
                          for (const auto& [key, kind] : base::ConfigKeys()) {
                            out << key << ' ' << kind << '\n';
                          }
                          throw CLI::Success();
                        })
      ->group("")
      ->trigger_on_parse();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every other parse error is a usage error
    // (CLI11's own codes are not ours).
    return cli.exit(e, out, err) == 0 ? base::kExitOk : base::kExitUsage;
  }
  // Logs go to stderr (journald under systemd); stdout is replay's output.
  base::SetUpLogging("warmthd", args.log_level);
  try {
    return replay->parsed() ? RunReplay(args, in, out, err) : RunDaemon(args);
  } catch (const base::ConfigError& e) {
    spdlog::critical("config: {}", e.what());
    return base::kExitConfig;
  } catch (const StartupError& e) {
    spdlog::critical("cannot start: {}", e.what());
    return base::kExitConfig;
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return base::kExitError;
  }
}

}  // namespace warmth::app
