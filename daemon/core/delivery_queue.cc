#include "daemon/core/delivery_queue.h"

#include <algorithm>

namespace warmth::core {

bool DeliveryQueue::Add(Waiting w) {
  if (!keys_.insert(w.candidate.key).second) {
    return false;
  }
  waiting_.push_back(std::move(w));
  return true;
}

std::vector<Waiting> DeliveryQueue::RemoveIf(const Predicate& gone) {
  std::vector<Waiting> removed;
  std::erase_if(waiting_, [&](const Waiting& w) {
    if (!gone(w)) {
      return false;
    }
    keys_.erase(w.candidate.key);
    removed.push_back(w);
    return true;
  });
  return removed;
}

void DeliveryQueue::Order(const Less& first) {
  // Kept in reverse so that Pop takes from the back in O(1).
  std::sort(waiting_.begin(), waiting_.end(),
            [&](const Waiting& a, const Waiting& b) { return first(b, a); });
}

std::optional<Waiting> DeliveryQueue::Pop() {
  if (waiting_.empty()) {
    return std::nullopt;
  }
  Waiting w = std::move(waiting_.back());
  waiting_.pop_back();
  keys_.erase(w.candidate.key);
  return w;
}

}  // namespace warmth::core
