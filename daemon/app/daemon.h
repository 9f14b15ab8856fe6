#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <zmq.hpp>

#include "base/config.h"
#include "daemon/app/access.h"
#include "daemon/app/service.h"
#include "daemon/core/engine.h"
#include "daemon/store/sqlite_store.h"
#include "daemon/transport/sockets.h"

namespace warmth::app {

// Raised while starting: the store is damaged or newer, the data directory is
// in use, an endpoint cannot be bound. main() logs it and exits 78.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DaemonOptions {
  base::Config config;
  std::string data_dir;          // empty: base::DataDir()
  std::string api_endpoint;      // empty: config, then the default
  std::string publish_endpoint;  // empty: config, then the default
  // Plain tcp:// on loopback without CURVE keys, for development.
  bool allow_insecure_tcp = false;
  store::StoreOptions store;
};

// Blocks SIGTERM, SIGINT and SIGHUP for the process and reads them from a
// descriptor the loop polls. Constructed before the ZeroMQ context, so that
// its I/O threads inherit the mask.
class SignalFd {
 public:
  SignalFd();
  ~SignalFd();
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;
  int fd() const { return fd_; }
  // The next pending signal number, or 0.
  int Read();

 private:
  int fd_ = -1;
};

// warmthd: owns the store, the engine and the sockets, and runs the loop.
// One thread; everything happens in Run().
class Daemon {
 public:
  // Opens the store, loads the engine, binds the sockets. Throws StartupError,
  // or ConfigError naming the key when a tcp:// endpoint lacks CURVE keys
  // (curve.secret_key, curve.authorized_keys) or a key file is bad.
  Daemon(DaemonOptions options, core::Clock& clock);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Serves until SIGTERM or SIGINT, then finishes the current commit. SIGHUP
  // re-reads the authorized-keys file. Tells systemd (sd_notify) READY=1,
  // STATUS=, WATCHDOG=1 and STOPPING=1.
  void Run();

  const std::string& api_endpoint() const { return api_->endpoint(); }
  const std::string& publish_endpoint() const { return publisher_->endpoint(); }
  const std::string& store_path() const { return store_->path(); }

 private:
  void Turn();
  // Moves requests waiting on the API socket into backlog_; a request that
  // does not fit is answered RESOURCE_EXHAUSTED at once.
  void Receive(core::TimePoint now);
  void Serve();
  void PublishDue(core::TimePoint now);
  // Writes the engine's journal. On failure: logs, rebuilds the engine from
  // the store and holds writes back for a moment. False if it failed.
  bool Commit(core::TimePoint now);
  std::unique_ptr<core::Engine> LoadEngine(core::TimePoint now);
  // Sets up CURVE for the tcp:// endpoints among `api` and `pub` (or checks
  // that plain TCP was allowed); returns the socket setups.
  std::pair<transport::SocketSetup, transport::SocketSetup> SetUpSecurity(const std::string& api,
                                                                          const std::string& pub);
  // The role behind a request: admin on a socket without CURVE, else the
  // role of the key that authenticated the connection (nullopt: none now).
  std::optional<Role> RoleOf(const transport::Envelope& envelope) const;
  void ReloadKeys();
  void Watchdog();
  // STATUS= for systemd: endpoints and counts, at most every 30 s.
  void ReportStatus(bool now);
  // Logs bad client input, at most kWarningsPerSecond a second.
  void WarnBadRequest(core::TimePoint now, const std::string& peer, const std::string& what);

  SignalFd signals_;
  DaemonOptions options_;
  core::Clock& clock_;
  const date::time_zone* zone_;
  std::string data_dir_;
  int lock_fd_ = -1;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<core::Engine> engine_;
  zmq::context_t context_;
  std::unique_ptr<Gatekeeper> gate_;  // null when no socket uses CURVE
  std::unique_ptr<transport::ZapHandler> zap_;
  bool api_curve_ = false;
  bool pub_curve_ = false;
  // Failed handshakes on the CURVE sockets, which never reach ZAP.
  std::unique_ptr<transport::HandshakeMonitor> api_monitor_;
  std::unique_ptr<transport::HandshakeMonitor> pub_monitor_;
  std::unique_ptr<transport::ApiServer> api_;
  std::unique_ptr<transport::NudgePublisher> publisher_;
  std::unique_ptr<Service> service_;
  // Received, not yet handled: bounded (kMaxBacklog, kMaxBacklogBytes).
  std::deque<transport::Envelope> backlog_;
  std::size_t backlog_bytes_ = 0;
  std::int64_t shed_since_log_ = 0;
  core::TimePoint shed_logged_at_{};
  bool stop_ = false;
  core::TimePoint writes_held_until_{};
  std::string store_error_;  // why the last write failed; "" when healthy
  // Watchdog and status times on the monotonic clock: a wall clock set back
  // must not silence the watchdog.
  std::chrono::steady_clock::duration watchdog_interval_{0};
  std::chrono::steady_clock::time_point last_watchdog_{};
  std::chrono::steady_clock::time_point last_status_{};
  bool notify_socket_ = false;
  std::int64_t suppressed_warnings_ = 0;
  core::TimePoint warning_window_{};
  int warnings_in_window_ = 0;
};

}  // namespace warmth::app
