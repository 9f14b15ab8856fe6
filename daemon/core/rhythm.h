#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "daemon/core/optional_time.h"
#include "daemon/core/time.h"

namespace warmth::core {

// A contact's usual gap between interactions, learned from its history: an
// exponentially weighted median of the last kGaps gaps between sessions
// (events less than kSession apart are one session: a chat of forty
// messages is one contact, not forty). The median shrugs off one long
// holiday or one busy week; the weights let a changed rhythm take over
// within a few gaps. Small on purpose: one timestamp, a count and the last
// gaps in minutes (44 bytes).
class Rhythm {
 public:
  static constexpr int kGaps = 8;
  static constexpr Duration kSession = kDay;
  // Each older gap weighs this much less than the one after it.
  static constexpr double kDecay = 0.75;

  // Adds an event at `at`, not earlier than every event added so far.
  void Add(TimePoint at);
  // The usual gap, once at least `min_gaps` gaps were seen; else nullopt.
  std::optional<Duration> Usual(int min_gaps) const;
  // Every gap seen (saturates), and when the last session began.
  int Gaps() const { return count_; }
  std::optional<TimePoint> SessionAt() const { return session_at_; }

 private:
  OptionalTime session_at_;
  std::array<std::int32_t, kGaps> gaps_{};  // minutes; gaps_[next_ - 1] is the newest
  std::uint16_t count_ = 0;
  std::uint8_t next_ = 0;
};

}  // namespace warmth::core
