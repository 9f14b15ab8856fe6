#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include <date/date.h>

#include "daemon/core/calendar.h"
#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::app {

// What `warmthd replay --summary` prints instead of the nudges: how many
// of each kind, and how many of each kind per ISO 8601 week (Monday to
// Sunday, local days of the configured zone). Every week of the replayed
// span gets its line, nudges or not, and every kind its column, so that the
// summaries of two configs compare line by line (diff). Not thread-safe.
class ReplaySummary {
 public:
  // `calendar` must outlive the summary.
  explicit ReplaySummary(const core::LocalCalendar& calendar) : calendar_(calendar) {}

  // Counts a published nudge, in the week of its published_at.
  void Add(const core::Nudge& nudge);

  // What the summary says about where the numbers come from.
  struct Span {
    std::string config;                   // the config file; "": the built-in defaults
    std::optional<core::TimePoint> from;  // the first entry; nullopt: an empty timeline
    core::TimePoint to;                   // where the clock stopped
  };
  void Print(const Span& span, std::ostream& out) const;

 private:
  using Counts = std::array<std::int64_t, core::kNudgeKindCount>;

  // The Monday starting the ISO week that holds `t` (a local day).
  date::sys_days WeekOf(core::TimePoint t) const;

  const core::LocalCalendar& calendar_;
  Counts total_{};
  std::map<date::sys_days, Counts> weeks_;
};

}  // namespace warmth::app
