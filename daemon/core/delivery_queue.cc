#include "daemon/core/delivery_queue.h"

#include <algorithm>

namespace warmth::core {

bool DeliveryQueue::Add(Waiting w) {
  if (!keys_.insert(w.candidate.key).second) {
    return false;
  }
  waiting_.push_back(std::move(w));
  ordered_ = 0;
  return true;
}

std::vector<Waiting> DeliveryQueue::RemoveIf(const Predicate& gone) {
  std::vector<Waiting> removed;
  ordered_ = 0;
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

void DeliveryQueue::Order(const Less& first, std::size_t count) {
  // Kept in reverse so that Pop takes from the back in O(1).
  const auto last_first = [&](const Waiting& a, const Waiting& b) { return first(b, a); };
  if (count < waiting_.size()) {
    const auto from = waiting_.end() - static_cast<std::ptrdiff_t>(count);
    std::nth_element(waiting_.begin(), from, waiting_.end(), last_first);
    std::sort(from, waiting_.end(), last_first);
    ordered_ = count;
  } else {
    std::sort(waiting_.begin(), waiting_.end(), last_first);
    ordered_ = waiting_.size();
  }
}

std::optional<Waiting> DeliveryQueue::Pop() {
  if (waiting_.empty()) {
    return std::nullopt;
  }
  Waiting w = std::move(waiting_.back());
  waiting_.pop_back();
  keys_.erase(w.candidate.key);
  ordered_ = ordered_ > 0 ? ordered_ - 1 : 0;
  return w;
}

}  // namespace warmth::core
