#include "daemon/core/rhythm.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace warmth::core {

void Rhythm::Add(TimePoint at) {
  if (session_at_ && at - *session_at_ < kSession) {
    return;  // the same session
  }
  if (session_at_) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(at - *session_at_);
    gaps_[next_] = static_cast<std::int32_t>(
        std::min<std::int64_t>(minutes.count(), std::numeric_limits<std::int32_t>::max()));
    next_ = static_cast<std::uint8_t>((next_ + 1) % kGaps);
    if (count_ < std::numeric_limits<std::uint16_t>::max()) {
      ++count_;
    }
  }
  session_at_ = at;
}

std::optional<Duration> Rhythm::Usual(int min_gaps) const {
  if (count_ == 0 || count_ < min_gaps) {
    return std::nullopt;
  }
  const int n = std::min<int>(count_, kGaps);
  // (gap, weight), newest weight 1.
  std::array<std::pair<std::int32_t, double>, kGaps> items{};
  double weight = 1;
  double total = 0;
  for (int age = 0; age < n; ++age) {
    const int i = (next_ - 1 - age + kGaps) % kGaps;
    items[static_cast<std::size_t>(age)] = {gaps_[static_cast<std::size_t>(i)], weight};
    total += weight;
    weight *= kDecay;
  }
  std::sort(items.begin(), items.begin() + n);
  // The weighted median: the smallest gap with at least half the weight at
  // or below it.
  double below = 0;
  for (int k = 0; k < n; ++k) {
    below += items[static_cast<std::size_t>(k)].second;
    if (below >= total / 2) {
      return std::chrono::minutes(items[static_cast<std::size_t>(k)].first);
    }
  }
  return std::chrono::minutes(items[static_cast<std::size_t>(n - 1)].first);
}

}  // namespace warmth::core
