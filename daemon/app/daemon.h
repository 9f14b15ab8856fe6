#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "base/config.h"
#include "base/signal_fd.h"
#include "daemon/app/curve_security.h"
#include "daemon/app/data_dir_lock.h"
#include "daemon/app/rate_limited_log.h"
#include "daemon/app/request_backlog.h"
#include "daemon/app/service.h"
#include "daemon/app/startup_error.h"
#include "daemon/app/systemd_notifier.h"
#include "daemon/core/engine.h"
#include "daemon/store/sqlite_store.h"
#include "daemon/transport/sockets.h"

namespace warmth::app {

struct DaemonOptions {
  base::Config config;
  std::string data_dir;          // empty: base::DataDir()
  std::string api_endpoint;      // empty: config, then the default
  std::string publish_endpoint;  // empty: config, then the default
  // Plain tcp:// on loopback without CURVE keys, for development.
  bool allow_insecure_tcp = false;
  store::StoreOptions store;
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
  struct Pending;  // a request of this turn and its reply

  void OpenStore(core::TimePoint now);
  void BindSockets(core::TimePoint started);
  std::unique_ptr<core::Engine> LoadEngine(core::TimePoint now);

  // One turn of the loop: publish what is due, poll, handle what came.
  void Turn();
  // How long the poll may sleep: until the next due nudge, the end of a
  // write hold or the next watchdog beat; 0 when requests are waiting.
  std::chrono::milliseconds PollTimeout(core::TimePoint now) const;
  void HandleSignals();
  // Serves when requests came or wait; checkpoints the store when idle.
  void ServeOrCheckpoint(bool requests_came);

  // Moves requests waiting on the API socket into backlog_; a request that
  // does not fit is answered RESOURCE_EXHAUSTED at once.
  void Receive(core::TimePoint now);
  void Serve();
  // Decodes, checks and executes one request. True if it changed state.
  bool Handle(Pending& p, core::TimePoint now);
  void Execute(Pending& p, core::TimePoint now);
  // After a failed commit: read-only requests again on the rebuilt engine,
  // the others UNAVAILABLE.
  void Redo(std::vector<Pending>& pending, core::TimePoint now);
  // Answers what is left in the backlog at the stop UNAVAILABLE.
  void RefuseBacklog();

  void PublishDue(core::TimePoint now);
  // Writes the engine's journal, then publishes the state changes it held
  // (PublishClosed): subscribers never hear of a change that was not saved.
  // On failure: logs, rebuilds the engine from the store and holds writes
  // back for a moment. False if it failed.
  bool Commit(core::TimePoint now);
  // Each nudge whose state the committed `journal` changed, as nudge.closed.
  void PublishClosed(const std::vector<core::Change>& journal);

  // STATUS= for systemd: endpoints and counts, at most every 30 s.
  void ReportStatus(bool force);
  std::string DescribeStatus() const;
  // Logs bad client input, at most kWarningsPerSecond a second.
  void WarnBadRequest(core::TimePoint now, const std::string& peer, const std::string& what);

  base::SignalFd signals_;  // first: before the ZeroMQ context starts threads
  DaemonOptions options_;
  core::Clock& clock_;
  const date::time_zone* zone_;
  DataDirLock data_dir_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<core::Engine> engine_;
  zmq::context_t context_;
  std::unique_ptr<CurveSecurity> security_;
  std::unique_ptr<transport::ApiServer> api_;
  std::unique_ptr<transport::NudgePublisher> publisher_;
  std::unique_ptr<Service> service_;  // holds the store error, "" when healthy
  RequestBacklog backlog_;            // received, not yet handled
  SystemdNotifier systemd_;
  RateLimitedLog bad_requests_;
  bool stop_ = false;
  core::TimePoint writes_held_until_{};
};

}  // namespace warmth::app
