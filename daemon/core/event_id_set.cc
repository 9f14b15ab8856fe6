#include "daemon/core/event_id_set.h"

#include <algorithm>
#include <bit>
#include <iterator>

namespace warmth::core {
namespace {

// recent_ is folded into the array once it holds more than this many, or
// more than a quarter of the array: each fold copies the array once, so the
// copying stays proportional to what was inserted.
constexpr std::size_t kMinRecent = 1024;

}  // namespace

EventIdSet::EventIdSet(std::vector<std::uint64_t> hashes) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  Rebuild(std::move(hashes));
}

void EventIdSet::Rebuild(std::vector<std::uint64_t> sorted) {
  sorted_ = std::move(sorted);
  sorted_.shrink_to_fit();
  const std::size_t buckets = std::bit_ceil(std::max<std::size_t>(sorted_.size() / kPerBucket, 1));
  const int bits = std::countr_zero(buckets);
  shift_ = 64 - bits;
  directory_.assign(buckets + 1, 0);
  std::size_t i = 0;
  for (std::size_t b = 0; b < buckets; ++b) {
    directory_[b] = static_cast<std::uint32_t>(i);
    while (i < sorted_.size() && (bits == 0 ? 0 : sorted_[i] >> shift_) == b) {
      ++i;
    }
  }
  directory_[buckets] = static_cast<std::uint32_t>(sorted_.size());
}

bool EventIdSet::InSorted(std::uint64_t hash) const {
  if (sorted_.empty()) {
    return false;
  }
  const std::size_t b = shift_ == 64 ? 0 : static_cast<std::size_t>(hash >> shift_);
  const auto first = sorted_.begin() + directory_[b];
  const auto last = sorted_.begin() + directory_[b + 1];
  return std::find(first, last, hash) != last;  // about kPerBucket, in one or two cache lines
}

bool EventIdSet::Contains(std::uint64_t hash) const {
  return recent_.contains(hash) || InSorted(hash);
}

void EventIdSet::Insert(std::uint64_t hash) {
  if (InSorted(hash) || !recent_.insert(hash).second) {
    return;
  }
  if (recent_.size() > std::max(kMinRecent, sorted_.size() / 4)) {
    Fold();
  }
}

void EventIdSet::Fold() {
  std::vector<std::uint64_t> added(recent_.begin(), recent_.end());
  std::sort(added.begin(), added.end());
  std::vector<std::uint64_t> all;
  all.reserve(sorted_.size() + added.size());
  std::merge(sorted_.begin(), sorted_.end(), added.begin(), added.end(), std::back_inserter(all));
  recent_ = {};
  Rebuild(std::move(all));  // disjoint: Insert never adds what the array holds
}

void EventIdSet::Merge(EventIdSet other) {
  if (empty()) {
    *this = std::move(other);
    return;
  }
  std::vector<std::uint64_t> all = std::move(sorted_);
  all.insert(all.end(), recent_.begin(), recent_.end());
  all.insert(all.end(), other.sorted_.begin(), other.sorted_.end());
  all.insert(all.end(), other.recent_.begin(), other.recent_.end());
  *this = EventIdSet(std::move(all));
}

std::size_t EventIdSet::HeapBytes() const {
  return sorted_.capacity() * sizeof(std::uint64_t) +
         directory_.capacity() * sizeof(std::uint32_t) +
         recent_.capacity() * (sizeof(std::uint64_t) + 1);
}

}  // namespace warmth::core
