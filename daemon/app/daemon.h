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
#include "daemon/app/store_writer.h"
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
// Everything happens in Run()'s thread except the commit, which the store's
// writer thread runs while the loop handles the next requests.
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
  struct Pending;  // a request and its reply
  // Requests handled, and due nudges taken, since the last submission: their
  // replies and publications wait for the commit of what they changed.
  struct Batch {
    std::vector<Pending> pending;
    std::vector<core::Nudge> due;
  };

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
  // Handles what fits in open_ (kMaxRequestsPerTurn requests a turn, up to
  // kMaxRequestsPerCommit), then Flush.
  void Serve();
  // Decodes, checks and executes one request.
  void Handle(Pending& p, core::TimePoint now);
  void Execute(Pending& p, core::TimePoint now);
  // After a failed commit: read-only requests again on the rebuilt engine,
  // the others UNAVAILABLE.
  void Redo(std::vector<Pending>& pending, core::TimePoint now);
  // Answers what is left in the backlog at the stop UNAVAILABLE.
  void RefuseBacklog();

  // TakeDue's nudges join open_: published once their commit is done.
  void PublishDue(core::TimePoint now);
  // Unless a commit is in flight: hands the engine's journal to the writer
  // with open_ waiting on it, or, when nothing changed, answers open_ now.
  void Flush();
  // The commit in flight has finished: publishes the state changes it held
  // (PublishClosed) and its nudges, then replies; subscribers never hear of
  // a change that was not saved and no client of one that may be lost. On
  // failure: logs, rebuilds the engine from the store (which drops open_'s
  // changes too), answers both batches as Redo does and holds writes back
  // for a moment. Then Flush.
  void Finish(core::TimePoint now);
  void Fail(const core::Status& s, core::TimePoint now);
  // Publishes the batch's nudges and sends its replies, then empties it
  // (its vectors keep their memory).
  void Answer(Batch& batch);
  // At the stop: the commit in flight and open_'s, then their replies.
  void Drain();
  // A PASSIVE checkpoint of at least `min_pages` when no commit is in
  // flight or waiting.
  void CheckpointIfIdle(int min_pages);
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
  std::unique_ptr<StoreWriter> writer_;  // after store_: ends before it
  std::unique_ptr<core::Engine> engine_;
  zmq::context_t context_;
  std::unique_ptr<CurveSecurity> security_;
  std::unique_ptr<transport::ApiServer> api_;
  std::unique_ptr<transport::NudgePublisher> publisher_;
  std::unique_ptr<Service> service_;         // holds the store error, "" when healthy
  RequestBacklog backlog_;                   // received, not yet handled
  Batch open_;                               // handled since the last submission
  Batch writing_;                            // waiting on the commit in flight
  std::vector<core::Change> spare_journal_;  // written, its memory kept for the next
  SystemdNotifier systemd_;
  RateLimitedLog bad_requests_;
  bool stop_ = false;
  core::TimePoint writes_held_until_{};
};

}  // namespace warmth::app
