#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/core/time.h"

struct sqlite3;

namespace warmth::testing {

// The built load generator (set by CMake).
std::string WarmthLoadPath();

// A child process with stdout and stderr sent to files. Not waited for by
// the destructor unless still running: then SIGKILL.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& out_path,
               const std::string& err_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The exit code once it has exited (128 + signal when killed), else nullopt.
  std::optional<int> Poll();
  // Waits up to `timeout`; nullopt if it is still running then.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// VmRSS of a process in KiB, from /proc/PID/status; 0 when unreadable.
std::int64_t VmRssKib(pid_t pid);

// Reads a whole file; "" when missing.
std::string ReadFile(const std::string& path);

// A read-only SQLite connection to a store file (the daemon may be running:
// WAL lets it read a consistent snapshot). Throws std::runtime_error when the
// file cannot be opened or a statement fails.
class StoreReader {
 public:
  explicit StoreReader(const std::string& path);
  ~StoreReader();
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  // Runs `sql`, calling `row` with the text of each column of each row.
  void Query(const std::string& sql,
             const std::function<void(const std::vector<std::string>& columns)>& row);
  // The first column of the first row ("" when there is none).
  std::string One(const std::string& sql);
  std::int64_t Count(const std::string& sql) { return std::stoll(One(sql)); }
  // PRAGMA integrity_check: "ok" or what it found.
  std::string IntegrityCheck();

 private:
  sqlite3* db_ = nullptr;
};

// One stored event as a contact's history sees it.
struct StoredEvent {
  core::TimePoint at;
  int channel = 0;
  int direction = 0;
};

// A contact's warmth at `now`, recomputed from scratch from its events with
// the model in DESIGN.md (written out here, independently of daemon/core):
// decay W·2^(−Δt/H) between events, gain W + g·(1 − W/100) at each, g the
// channel's gain, halved for INBOUND on non-live channels; H by circle,
// doubled for family.
double RecomputeWarmth(std::vector<StoredEvent> events, int circle, bool family,
                       core::TimePoint now);

// Every contact in the store with its events: id -> (circle, family, events).
struct StoredContact {
  int circle = 0;
  bool family = false;
  std::vector<StoredEvent> events;
};
std::vector<std::pair<std::string, StoredContact>> ReadContacts(StoreReader& store);

}  // namespace warmth::testing
