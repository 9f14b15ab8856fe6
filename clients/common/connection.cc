#include "clients/common/connection.h"

#include <CLI/CLI.hpp>

#include "base/paths.h"

namespace warmth::client {
namespace {

std::string DefaultHelp(Flag flag) {
  switch (flag) {
    case Flag::kConfig:
      return "Config file (default " + base::ConfigFile() + ")";
    case Flag::kApi:
      return "Daemon API endpoint (default from the config)";
    case Flag::kPub:
      return "Daemon nudge endpoint (watch; default from the daemon)";
    case Flag::kServerKey:
      return "The daemon's public key, or a file holding it (tcp:// endpoints; "
             "default client.server_key)";
    case Flag::kKey:
      return "This client's secret key file (tcp:// endpoints; default client.secret_key)";
    case Flag::kTimeout:
      return "Seconds to wait for a reply";
  }
  return "";
}

}  // namespace

void AddConnectionFlags(CLI::App& cli, ConnectionFlags& flags,
                        std::initializer_list<FlagHelp> help) {
  for (const FlagHelp& h : help) {
    const std::string text = h.help.empty() ? DefaultHelp(h.flag) : h.help;
    switch (h.flag) {
      case Flag::kConfig:
        cli.add_option("--config", flags.config_path, text);
        break;
      case Flag::kApi:
        cli.add_option("--api", flags.api, text);
        break;
      case Flag::kPub:
        cli.add_option("--pub", flags.pub, text);
        break;
      case Flag::kServerKey:
        cli.add_option("--server-key", flags.keys.server_key, text);
        break;
      case Flag::kKey:
        cli.add_option("--key", flags.keys.secret_key, text);
        break;
      case Flag::kTimeout:
        cli.add_option("--timeout", flags.timeout_s, text)->check(CLI::PositiveNumber);
        break;
    }
  }
}

base::Config LoadConfig(const ConnectionFlags& flags) {
  return base::LoadConfigOrDefault(flags.config_path);
}

core::Result<ClientOptions> MakeClientOptions(const base::Config& config,
                                              const ConnectionFlags& flags) {
  ClientOptions options;
  options.endpoint = flags.api.empty() ? config.ApiEndpoint() : flags.api;
  options.timeout = std::chrono::milliseconds(static_cast<int>(flags.timeout_s * 1000));
  auto setup = ClientSocketSetup(config, options.endpoint, flags.keys);
  if (!setup.ok()) {
    return setup.status();
  }
  options.setup = std::move(setup).value();
  return options;
}

}  // namespace warmth::client
