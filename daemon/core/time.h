#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/core/status.h"

namespace warmth::core {

// Time is microseconds since the Unix epoch, UTC; local time only where a
// rule speaks of it (quiet hours, Friday 15:00), through the time-zone library.
using Duration = std::chrono::microseconds;
using TimePoint = std::chrono::sys_time<Duration>;

inline constexpr Duration kMinute = std::chrono::minutes(1);
inline constexpr Duration kHour = std::chrono::hours(1);
inline constexpr Duration kDay = std::chrono::hours(24);

inline std::int64_t ToUnixMicros(TimePoint t) {
  return t.time_since_epoch().count();
}
inline TimePoint FromUnixMicros(std::int64_t us) {
  return TimePoint(Duration(us));
}

// Parses "7d", "12h", "90m", "30s", "2w" and sums like "1d12h". Fails with
// kInvalidArgument on anything else, on zero units, or past 100 years.
Result<Duration> ParseDuration(std::string_view text);

// "3d", "1d12h", "90m", "45s": the inverse of ParseDuration (whole seconds).
std::string FormatDuration(Duration d);

// "2026-11-21T14:03:00Z" (UTC, whole seconds).
std::string FormatUtc(TimePoint t);

// Parses RFC 3339 ("2026-11-21T14:03:00Z", "…+01:00", fractional seconds)
// or a bare date "2026-11-21" (midnight UTC).
Result<TimePoint> ParseUtc(std::string_view text);

// A clock. The daemon reads the system clock through it; tests and replay
// drive a manual one. Implementations are used from one thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// A clock that only moves when told to: replay and tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint t) { now_ = t; }
  void Advance(Duration d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace warmth::core
