#pragma once

#include <string>

#include "base/config.h"
#include "daemon/core/status.h"
#include "daemon/transport/sockets.h"

namespace warmth::client {

// The command-line side of [client] in warmth.toml. Every client spells the
// flags the same way: --server-key KEY_OR_FILE and --key FILE.
struct KeyOptions {
  std::string server_key;  // the daemon's public key: a file or the 40 characters
  std::string secret_key;  // this client's secret key file (warmctl keygen)
};

// What a socket connecting to `endpoint` needs, for Client (ClientOptions::
// setup) and Subscriber alike: nothing for ipc://; for tcp://, CURVE with the
// server's public key and this client's key pair, each from `flags` when
// given, else from config.client (server_key, secret_key).
//
// A loopback tcp:// endpoint with no keys anywhere connects in plain TCP (a
// daemon started with --allow-insecure-tcp). Fails with kInvalidArgument
// naming the missing setting and its flag, or with the key file's problem
// (missing, open to other users, no valid key). Reads the key files now;
// the returned setup holds the keys, not the paths.
//
// warmth-mail and warmth-notify call it once per endpoint:
//   auto setup = client::ClientSocketSetup(config, endpoint, keys);
//   if (!setup.ok()) { /* print setup.status().message(), exit 2 */ }
//   client::ClientOptions options{.endpoint = endpoint, .setup = *setup};
core::Result<transport::SocketSetup> ClientSocketSetup(const base::Config& config,
                                                       const std::string& endpoint,
                                                       const KeyOptions& flags = {});

}  // namespace warmth::client
