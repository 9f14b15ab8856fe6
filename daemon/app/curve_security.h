#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <zmq.hpp>

#include "base/config.h"
#include "daemon/app/access.h"
#include "daemon/transport/curve.h"
#include "daemon/transport/sockets.h"

namespace warmth::app {

// warmthd's side of CURVE on its two endpoints: the authorized keys
// (Gatekeeper), the ZAP handler that consults them, and monitors that log
// failed handshakes (which never reach ZAP). An endpoint that is not tcp://
// (ipc://) goes without: its 0700 directory is the access control. Owns what
// it starts; the context must outlive it. Loop thread only.
class CurveSecurity {
 public:
  // Poll items: the ZAP handler, the API monitor, the nudge monitor.
  static constexpr std::size_t kPollItems = 3;

  // Sets up CURVE for whichever of `api` and `pub` is tcp://, and binds the
  // ZAP handler (before any CURVE socket is bound: without a handler libzmq
  // admits every key). Without a server key, plain TCP is allowed only on
  // loopback and only with `allow_insecure_tcp`. Throws base::ConfigError
  // naming the key (curve.secret_key, curve.authorized_keys) or StartupError.
  CurveSecurity(zmq::context_t& context, const base::CurveConfig& curve, bool allow_insecure_tcp,
                const std::string& api, const std::string& pub);
  CurveSecurity(const CurveSecurity&) = delete;
  CurveSecurity& operator=(const CurveSecurity&) = delete;

  // What to apply to each socket before binding it.
  const transport::SocketSetup& api_setup() const { return api_setup_; }
  const transport::SocketSetup& publish_setup() const { return publish_setup_; }

  // Once both sockets are bound: watches the CURVE ones for failed
  // handshakes.
  void Watch(zmq::context_t& context, zmq::socket_t& api, zmq::socket_t& pub);

  // The role behind a request: admin on a socket without CURVE, else the role
  // of the key that authenticated the connection (nullopt: none now).
  std::optional<Role> RoleOf(const transport::Envelope& envelope) const;
  // Logs (debug) a request refused to the key behind `envelope`.
  void LogDenied(const transport::Envelope& envelope, const std::string& request_id,
                 const std::string& body) const;

  // SIGHUP: re-reads the authorized keys; on error keeps those in force and
  // logs why. True when new keys are in force.
  bool ReloadKeys();
  // "3 keys (1 admin, 1 notify, 1 ingest)", or "" without CURVE.
  std::string KeysSummary() const;

  // Items for the loop's zmq::poll (an item without a socket has no events),
  // and their handling after it.
  std::array<zmq::pollitem_t, kPollItems> PollItems() const;
  void HandleEvents(std::span<const zmq::pollitem_t, kPollItems> items);

 private:
  void AllowInsecure(const std::string& api, bool api_tcp, const std::string& pub, bool pub_tcp);

  transport::SocketSetup api_setup_;
  transport::SocketSetup publish_setup_;
  bool api_curve_ = false;
  bool pub_curve_ = false;
  std::unique_ptr<Gatekeeper> gate_;  // null when no socket uses CURVE
  std::unique_ptr<transport::ZapHandler> zap_;
  std::unique_ptr<transport::HandshakeMonitor> api_monitor_;
  std::unique_ptr<transport::HandshakeMonitor> pub_monitor_;
};

}  // namespace warmth::app
