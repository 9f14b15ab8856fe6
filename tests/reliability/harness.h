#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "daemon/core/time.h"

struct sqlite3;

namespace warmth::testing {

// The built load generator (set by CMake).
std::string WarmthLoadPath();

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
