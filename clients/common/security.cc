#include "clients/common/security.h"

#include "daemon/transport/curve.h"

namespace warmth::client {
namespace {

using core::Status;

bool IsLoopback(const std::string& endpoint) {
  for (const char* prefix : {"tcp://127.", "tcp://localhost:", "tcp://[::1]:"}) {
    if (endpoint.rfind(prefix, 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

core::Result<transport::SocketSetup> ClientSocketSetup(const base::Config& config,
                                                       const std::string& endpoint,
                                                       const KeyOptions& flags) {
  if (endpoint.rfind("tcp://", 0) != 0) {
    return transport::SocketSetup{};
  }
  const std::string server_key =
      !flags.server_key.empty() ? flags.server_key : config.client.server_key;
  const std::string secret_key =
      !flags.secret_key.empty() ? flags.secret_key : config.client.secret_key;
  if (server_key.empty() && secret_key.empty() && IsLoopback(endpoint)) {
    return transport::SocketSetup{};
  }
  if (server_key.empty()) {
    return Status::InvalidArgument(endpoint +
                                   " needs CURVE keys: the daemon's public key is missing "
                                   "(client.server_key in warmth.toml, or --server-key)");
  }
  if (secret_key.empty()) {
    return Status::InvalidArgument(endpoint +
                                   " needs CURVE keys: this client's secret key file is missing "
                                   "(client.secret_key in warmth.toml, or --key; "
                                   "warmctl keygen makes one)");
  }
  auto server = transport::ReadPublicKey(server_key);
  if (!server.ok()) {
    return Status::InvalidArgument("server key: " + server.status().message());
  }
  auto own = transport::ReadSecretKeyFile(secret_key);
  if (!own.ok()) {
    return Status::InvalidArgument("client key: " + own.status().message());
  }
  return transport::CurveClientSetup(*server, *own);
}

}  // namespace warmth::client
