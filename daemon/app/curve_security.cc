#include "daemon/app/curve_security.h"

#include <tuple>

#include <spdlog/spdlog.h>

#include "daemon/app/startup_error.h"

namespace warmth::app {
namespace {

bool IsTcp(const std::string& endpoint) {
  return endpoint.rfind("tcp://", 0) == 0;
}

bool IsLoopbackTcp(const std::string& endpoint) {
  for (const char* prefix : {"tcp://127.", "tcp://localhost:", "tcp://[::1]:"}) {
    if (endpoint.rfind(prefix, 0) == 0) {
      return true;
    }
  }
  return false;
}

zmq::pollitem_t PollItem(const std::unique_ptr<transport::ZapHandler>& zap) {
  return {zap != nullptr ? zap->socket().handle() : nullptr, -1, 0, 0};
}

zmq::pollitem_t PollItem(const std::unique_ptr<transport::HandshakeMonitor>& monitor) {
  return {monitor != nullptr ? monitor->socket().handle() : nullptr, -1, 0, 0};
}

bool Readable(const zmq::pollitem_t& item) {
  return (item.revents & ZMQ_POLLIN) != 0;
}

}  // namespace

CurveSecurity::CurveSecurity(zmq::context_t& context, const base::CurveConfig& curve,
                             bool allow_insecure_tcp, const std::string& api,
                             const std::string& pub) {
  const bool api_tcp = IsTcp(api);
  const bool pub_tcp = IsTcp(pub);
  if (!api_tcp && !pub_tcp) {
    return;
  }
  const std::string first_tcp = api_tcp ? "api.endpoint " + api : "api.publish " + pub;
  const std::string secret_path = ServerSecretKeyPath(curve);
  if (secret_path.empty()) {
    if (!allow_insecure_tcp) {
      throw base::ConfigError(
          "curve.secret_key",
          "not set, but " + first_tcp +
              " needs CURVE: set curve.secret_key to the server's secret key file "
              "and curve.authorized_keys to the client keys (see docs/deploy.md); "
              "--allow-insecure-tcp permits plain TCP on loopback for development");
    }
    AllowInsecure(api, api_tcp, pub, pub_tcp);
    return;
  }
  if (curve.authorized_keys.empty()) {
    throw base::ConfigError(
        "curve.authorized_keys",
        "not set, but " + first_tcp +
            " needs the file of client keys allowed to connect (see docs/deploy.md)");
  }
  auto server = transport::ReadSecretKeyFile(secret_path);
  if (!server.ok()) {
    throw base::ConfigError("curve.secret_key", server.status().message());
  }
  auto keys = AuthorizedKeys::Load(curve.authorized_keys);
  if (!keys.ok()) {
    throw base::ConfigError("curve.authorized_keys", keys.status().message());
  }
  spdlog::info("CURVE: server key {} from {}; authorized keys: {} from {}", server->public_key,
               secret_path, keys->Summary(), curve.authorized_keys);
  if (keys->entries().empty()) {
    spdlog::warn("{} lists no keys: no client can connect over TCP", curve.authorized_keys);
  }
  gate_ = std::make_unique<Gatekeeper>(curve.authorized_keys, std::move(keys).value());
  try {
    zap_ = std::make_unique<transport::ZapHandler>(
        context, [this](const transport::ZapRequest& r) { return gate_->Authorize(r); });
  } catch (const zmq::error_t& e) {
    throw StartupError(std::string("cannot start the authentication handler: ") + e.what());
  }
  api_curve_ = api_tcp;
  pub_curve_ = pub_tcp;
  if (api_tcp) {
    api_setup_ = transport::CurveServerSetup(*server, kApiDomain);
  }
  if (pub_tcp) {
    publish_setup_ = transport::CurveServerSetup(*server, kNudgeDomain);
  }
}

void CurveSecurity::AllowInsecure(const std::string& api, bool api_tcp, const std::string& pub,
                                  bool pub_tcp) {
  for (const auto& [key, endpoint, tcp] :
       {std::tuple{"api.endpoint", api, api_tcp}, {"api.publish", pub, pub_tcp}}) {
    if (!tcp) {
      continue;
    }
    if (!IsLoopbackTcp(endpoint)) {
      throw StartupError(std::string(key) + " " + endpoint +
                         ": --allow-insecure-tcp only allows loopback addresses");
    }
    spdlog::warn(
        "{} {}: plain TCP WITHOUT authentication or encryption "
        "(--allow-insecure-tcp); never use this beyond development",
        key, endpoint);
  }
}

void CurveSecurity::Watch(zmq::context_t& context, zmq::socket_t& api, zmq::socket_t& pub) {
  if (api_curve_) {
    api_monitor_ = std::make_unique<transport::HandshakeMonitor>(context, api, "api");
  }
  if (pub_curve_) {
    pub_monitor_ = std::make_unique<transport::HandshakeMonitor>(context, pub, "nudges");
  }
}

std::optional<Role> CurveSecurity::RoleOf(const transport::Envelope& envelope) const {
  if (!api_curve_) {
    return Role::kAdmin;  // ipc: the 0700 directory is the access control
  }
  return gate_->RoleOf(envelope.user_id);
}

void CurveSecurity::LogDenied(const transport::Envelope& envelope, const std::string& request_id,
                              const std::string& body) const {
  if (api_curve_) {
    spdlog::debug("request {} ({}) denied to key \"{}\"", request_id, body,
                  gate_->LabelOf(envelope.user_id));
  }
}

bool CurveSecurity::ReloadKeys() {
  if (gate_ == nullptr) {
    spdlog::info("SIGHUP received: nothing to reload (no CURVE keys in use)");
    return false;
  }
  if (core::Status s = gate_->Reload(); !s.ok()) {
    spdlog::error("SIGHUP: keeping the authorized keys in force ({}); {} is bad:\n{}",
                  gate_->keys().Summary(), gate_->keys_path(), s.message());
    return false;
  }
  spdlog::info("SIGHUP: reloaded {}: {}", gate_->keys_path(), gate_->keys().Summary());
  return true;
}

std::string CurveSecurity::KeysSummary() const {
  return gate_ != nullptr ? gate_->keys().Summary() : std::string();
}

std::array<zmq::pollitem_t, CurveSecurity::kPollItems> CurveSecurity::PollItems() const {
  std::array<zmq::pollitem_t, kPollItems> items = {PollItem(zap_), PollItem(api_monitor_),
                                                   PollItem(pub_monitor_)};
  // An item without a socket keeps no events and fd -1: zmq_poll leaves it
  // alone.
  for (zmq::pollitem_t& item : items) {
    if (item.socket != nullptr) {
      item.events = ZMQ_POLLIN;
    }
  }
  return items;
}

void CurveSecurity::HandleEvents(std::span<const zmq::pollitem_t, kPollItems> items) {
  if (Readable(items[0])) {
    zap_->HandlePending();
  }
  if (Readable(items[1])) {
    for (const auto& failure : api_monitor_->Drain()) {
      gate_->LogHandshakeFailure("the API socket", failure);
    }
  }
  if (Readable(items[2])) {
    for (const auto& failure : pub_monitor_->Drain()) {
      gate_->LogHandshakeFailure("the nudge socket", failure);
    }
  }
}

}  // namespace warmth::app
