#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "daemon/core/rules.h"

namespace warmth::core {

// A due occasion waiting for delivery.
struct Waiting {
  Candidate candidate;   // key: the key it will be published under
  std::string base_key;  // the occasion it stands for (differs after a snooze)
  std::vector<std::int64_t> cids;
  std::string trip_id;
};

// The occasions that fell due and wait for quiet hours or the daily budget,
// each at most once (by key). Loop thread only.
class DeliveryQueue {
 public:
  using Predicate = std::function<bool(const Waiting&)>;
  using Less = std::function<bool(const Waiting&, const Waiting&)>;

  // False (and nothing added) when an occasion with that key already waits.
  bool Add(Waiting w);
  bool Holds(const std::string& key) const { return keys_.contains(key); }
  // Removes every occasion `gone` says, and returns them.
  std::vector<Waiting> RemoveIf(const Predicate& gone);
  // Orders the `count` first of what waits by `first` (all of it when
  // `count` reaches the size); the next `count` Pops take them in order.
  // A nudge budget of three needs three, not a sort of a queue that can
  // hold a million: O(n + count log count).
  void Order(const Less& first, std::size_t count = SIZE_MAX);
  // How many Pops from now still come in order; Add and RemoveIf end it.
  std::size_t OrderedLeft() const { return ordered_; }
  std::optional<Waiting> Pop();
  bool empty() const { return waiting_.empty(); }
  std::size_t size() const { return waiting_.size(); }

 private:
  std::vector<Waiting> waiting_;  // after Order: last one first
  std::size_t ordered_ = 0;
  std::unordered_set<std::string> keys_;
};

}  // namespace warmth::core
