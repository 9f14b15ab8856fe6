#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <date/tz.h>

#include "daemon/core/status.h"
#include "daemon/core/time.h"

namespace warmth::core {

// A span of local clock time, [start, end); it wraps past midnight when
// start > end ("21:00-09:00"). start == end is empty.
struct LocalWindow {
  std::chrono::minutes start{0};
  std::chrono::minutes end{0};
  bool Contains(std::chrono::minutes time_of_day) const;
  friend bool operator==(const LocalWindow&, const LocalWindow&) = default;
};

// "21:00-09:00" → LocalWindow. kInvalidArgument on anything else.
Result<LocalWindow> ParseLocalWindow(std::string_view text);
// "09:00" → 9h. kInvalidArgument on anything else.
Result<std::chrono::minutes> ParseTimeOfDay(std::string_view text);
// "Fri 15:00" (Mon…Sun, English, any case) → weekday and time of day.
struct WeeklyTime {
  date::weekday day = date::Friday;
  std::chrono::minutes at = std::chrono::hours(15);
  friend bool operator==(const WeeklyTime&, const WeeklyTime&) = default;
};
Result<WeeklyTime> ParseWeeklyTime(std::string_view text);

// Local days and times in one IANA time zone (UTC when none is given).
// Converting a local time that a DST change skips gives the first moment
// after the gap; one it repeats gives the earlier instant.
class LocalCalendar {
 public:
  explicit LocalCalendar(const date::time_zone* zone = nullptr) : zone_(zone) {}

  date::local_days Day(TimePoint t) const;
  std::chrono::minutes TimeOfDay(TimePoint t) const;
  TimePoint At(date::local_days day, std::chrono::minutes time_of_day) const;
  // The first instant of the local day after the one holding `t`.
  TimePoint NextMidnight(TimePoint t) const;
  // "Dec 3", "Mon Dec 3" (with_weekday), local.
  std::string FormatDay(TimePoint t, bool with_weekday = false) const;
  std::string FormatDay(date::local_days day, bool with_weekday = false) const;
  std::string ZoneName() const { return zone_ ? std::string(zone_->name()) : "UTC"; }

 private:
  date::local_time<Duration> ToLocal(TimePoint t) const;
  const date::time_zone* zone_;
  // The offset period holding the last time converted: almost every call
  // falls into it, and looking a zone up costs more than everything else a
  // replay does per event.
  mutable date::sys_info period_{};
  mutable bool has_period_ = false;
};

}  // namespace warmth::core
