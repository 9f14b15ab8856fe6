#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "base/config.h"
#include "clients/common/client.h"
#include "clients/common/security.h"
#include "daemon/core/status.h"

namespace CLI {
class App;
}

namespace warmth::client {

// The command-line flags every client shares: which config file, which
// daemon, which CURVE keys, how long to wait.
struct ConnectionFlags {
  std::string config_path;  // --config FILE; empty: base::ConfigFile(), if it exists
  std::string api;          // --api ENDPOINT; empty: the config's
  std::string pub;          // --pub ENDPOINT; empty: each client's own default
  KeyOptions keys;          // --server-key KEY_OR_FILE, --key FILE
  double timeout_s = 10;    // --timeout SECONDS, positive
};

enum class Flag : std::uint8_t { kConfig, kApi, kPub, kServerKey, kKey, kTimeout };

// One flag a client takes. An empty `help` is warmctl's wording of it.
struct FlagHelp {
  Flag flag;
  std::string help = {};
};

// Adds the flags in `help` to `cli`, in that order, bound to `flags`. The
// names, value checks and defaults are the same in every client; the help
// text may differ.
//
//   client::AddConnectionFlags(cli, flags, {{Flag::kConfig}, {Flag::kApi}, {Flag::kTimeout}});
void AddConnectionFlags(CLI::App& cli, ConnectionFlags& flags,
                        std::initializer_list<FlagHelp> help);

// Reads --config (which must exist) or else the default file (which may
// not). Throws base::ConfigError.
base::Config LoadConfig(const ConnectionFlags& flags);

// How to reach the daemon's API: --api or the config's endpoint, --timeout,
// and the socket setup of ClientSocketSetup (--server-key and --key before
// the config's keys). Fails as ClientSocketSetup does.
core::Result<ClientOptions> MakeClientOptions(const base::Config& config,
                                              const ConnectionFlags& flags);

}  // namespace warmth::client
