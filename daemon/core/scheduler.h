#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "daemon/core/time.h"

namespace warmth::core {

// A min-heap of due times, one per slot (a slot is the caller's name for "this
// contact's COOLING nudge", "this trip", …). Set and Cancel are O(log n):
// replaced entries stay in the heap as stale and are skipped when they reach
// the top, and the heap is rebuilt when stale entries outnumber live ones.
class Scheduler {
 public:
  using Slot = std::uint64_t;

  // Schedules `slot` at `due`, replacing its previous due time.
  void Set(Slot slot, TimePoint due);
  void Cancel(Slot slot);
  std::optional<TimePoint> DueOf(Slot slot) const;
  // The earliest due time, or nullopt when nothing is scheduled.
  std::optional<TimePoint> NextDue();
  // Removes and returns every slot due at or before `now`, earliest first.
  std::vector<Slot> PopDue(TimePoint now);
  std::size_t size() const { return live_.size(); }

 private:
  struct Entry {
    TimePoint due;
    Slot slot;
    std::uint64_t version;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.due != b.due ? a.due > b.due : a.slot > b.slot;
    }
  };
  struct Live {
    TimePoint due;
    std::uint64_t version;
  };

  bool IsLive(const Entry& e) const;
  void DropStaleTop();
  void Compact();

  std::vector<Entry> heap_;
  // Flat: six rule slots a contact are looked up, set or cancelled at every
  // Refresh, most of them cancelled slots that are not there; a node map
  // cost a cache miss and 40 bytes a slot (docs/performance.md).
  absl::flat_hash_map<Slot, Live> live_;
  std::uint64_t next_version_ = 1;
};

}  // namespace warmth::core
