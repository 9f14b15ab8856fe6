// warmthd: the warmth daemon, and `warmthd replay`.
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/logging.h"
#include "base/paths.h"
#include "daemon/app/daemon.h"
#include "daemon/app/replay.h"
#include "daemon/version.h"

namespace {

int Main(int argc, char** argv) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): main only
  CLI::App cli("warmthd: keeps a warmth score per contact and nudges you to pick up the phone",
               "warmthd");
  cli.set_version_flag("--version", std::string("warmthd ") + kVersion);
  std::string config_path;
  std::string data_dir;
  app::DaemonOptions options;
  std::string log_level = "info";
  cli.add_option("--config", config_path, "Config file (default " + base::ConfigFile() + ")");
  cli.add_option("--data-dir", data_dir, "Store directory (default " + base::DataDir() + ")");
  cli.add_option("--api", options.api_endpoint, "API endpoint (default " +
                                                    base::DefaultApiEndpoint() + ")");
  cli.add_option("--pub", options.publish_endpoint, "Nudge endpoint (default " +
                                                        base::DefaultPublishEndpoint() + ")");
  cli.add_flag("--allow-insecure-tcp", options.allow_insecure_tcp,
               "Allow plain tcp:// on loopback without CURVE (development only)");
  // Hidden: caps the store at N pages of 4 KiB to act out a full disk in
  // tests and drills (docs/reliability.md).
  cli.add_option("--store-max-pages", options.store.max_page_count)->group("");
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  auto* replay = cli.add_subcommand(
      "replay", "Run a timeline on a simulated clock and print every nudge as a JSON line");
  std::string timeline;
  std::string until;
  replay->add_option("timeline", timeline, "TimelineEntry JSON lines; - for stdin")->required();
  replay->add_option("--config", config_path, "Config file (default: built-in defaults)");
  replay->add_option("--until", until, "Keep the clock running to this time (RFC 3339)");
  CLI11_PARSE(cli, argc, argv);

  // Logs go to stderr (journald under systemd); stdout is replay's output.
  base::SetUpLogging("warmthd", log_level);
  try {
    if (replay->parsed()) {
      const base::Config config =
          config_path.empty() ? base::Config{} : base::LoadConfig(config_path, true);
      app::ReplayOptions replay_options;
      if (!until.empty()) {
        auto t = core::ParseUtc(until);
        if (!t.ok()) {
          std::cerr << "warmthd replay: --until: " << t.status().message() << '\n';
          return 2;
        }
        replay_options.until = *t;
      }
      if (timeline == "-") {
        return app::Replay(config, std::cin, "stdin", replay_options, std::cout, std::cerr);
      }
      std::ifstream in(timeline);
      if (!in) {
        std::cerr << "warmthd replay: cannot read " << timeline << '\n';
        return 2;
      }
      return app::Replay(config, in, timeline, replay_options, std::cout, std::cerr);
    }
    options.config = base::LoadConfigOrDefault(config_path);
    options.data_dir = data_dir;
    base::SystemClock clock;
    app::Daemon daemon(std::move(options), clock);
    daemon.Run();
    return 0;
  } catch (const base::ConfigError& e) {
    spdlog::critical("config: {}", e.what());
    return base::kExitConfig;
  } catch (const app::StartupError& e) {
    spdlog::critical("cannot start: {}", e.what());
    return base::kExitConfig;
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}
}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (...) {
    // Only a failure to print the failure gets here.
    return 1;
  }
}
