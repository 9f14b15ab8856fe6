#pragma once

#include <deque>
#include <optional>

#include "daemon/core/calendar.h"
#include "daemon/core/time.h"

namespace warmth::core {

// [delivery] in warmth.toml.
struct DeliveryOptions {
  // Nudges due inside this local window wait until it ends. nullopt: none.
  std::optional<LocalWindow> quiet_hours =
      LocalWindow{std::chrono::hours(21), std::chrono::hours(9)};
  int max_per_day = 3;  // 0: no limit
};

// When nudges may go out: quiet hours and a per-local-day budget. Remembers
// what it published over the last two days; pure, one thread.
class DeliveryPolicy {
 public:
  DeliveryPolicy(DeliveryOptions options, const LocalCalendar& calendar)
      : options_(options), calendar_(calendar) {}

  bool IsQuiet(TimePoint t) const;
  // The end of the quiet window holding `t` (`t` itself when not quiet).
  TimePoint QuietEnd(TimePoint t) const;
  // How many more nudges may go out on the local day of `now` (INT_MAX: no limit).
  int Budget(TimePoint now) const;
  // The earliest moment at or after `now` at which a waiting nudge may go out.
  TimePoint NextOpening(TimePoint now) const;
  void RecordPublished(TimePoint at);

 private:
  DeliveryOptions options_;
  const LocalCalendar& calendar_;
  std::deque<TimePoint> published_;  // ascending, last two days or so
};

}  // namespace warmth::core
