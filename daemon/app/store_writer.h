#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "daemon/core/journal.h"
#include "daemon/core/status.h"
#include "daemon/store/sqlite_store.h"

namespace warmth::app {

// The store's writer thread: it commits one journal while the loop goes on
// handling the requests after it, so that the engine and the disk use both
// cores (docs/reliability.md, "The pipelined commit").
//
// The store is used by one thread at a time: by the writer from Submit until
// the commit has finished, by the loop otherwise. The loop calls WaitIdle()
// before it touches the store itself (a load, a read, a checkpoint).
class StoreWriter {
 public:
  struct Done {
    std::vector<core::Change> journal;  // as submitted
    core::Status status;                // SqliteStore::Write's
  };

  explicit StoreWriter(store::SqliteStore& store);
  // Finishes the commit in flight, if any, then ends the thread.
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Starts writing `journal` in one transaction. Only when !busy().
  void Submit(std::vector<core::Change> journal);
  // From Submit until Collect returns its commit.
  bool busy() const { return busy_; }
  // Readable while a finished commit waits for Collect.
  int fd() const { return event_fd_; }
  // The finished commit; nullopt while it still runs or when none was submitted.
  std::optional<Done> Collect();
  // Blocks until the commit in flight has finished; Collect still returns it.
  void WaitIdle();
  // How long the commit in flight has been running; zero when none.
  std::chrono::steady_clock::duration Running() const;

 private:
  void Run();

  store::SqliteStore& store_;
  int event_fd_;
  bool busy_ = false;  // loop thread only
  std::chrono::steady_clock::time_point submitted_at_{};

  std::mutex mutex_;
  std::condition_variable wake_;      // a job or the stop
  std::condition_variable finished_;  // a result
  std::optional<std::vector<core::Change>> job_;
  std::optional<Done> result_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace warmth::app
