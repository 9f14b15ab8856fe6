#include "daemon/app/replay_summary.h"

#include <algorithm>
#include <iomanip>
#include <numeric>
#include <ostream>
#include <string_view>
#include <vector>

#include "warmth/v1/warmth.pb.h"

namespace warmth::app {
namespace {

// The kinds a nudge can have, in the order of the enum (and of the columns):
// those the wire knows, so that a number kept for another kind is no column.
std::vector<core::NudgeKind> Kinds() {
  std::vector<core::NudgeKind> kinds;
  for (int k = 1; k < core::kNudgeKindCount; ++k) {
    if (v1::NudgeKind_IsValid(k)) {
      kinds.push_back(static_cast<core::NudgeKind>(k));
    }
  }
  return kinds;
}

std::int64_t Sum(const std::array<std::int64_t, core::kNudgeKindCount>& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
}

}  // namespace

date::sys_days ReplaySummary::WeekOf(core::TimePoint t) const {
  // A local calendar day, read as a plain date.
  const date::sys_days day(calendar_.Day(t).time_since_epoch());
  return day - (date::weekday(day) - date::Monday);
}

void ReplaySummary::Add(const core::Nudge& nudge) {
  const auto kind = static_cast<std::size_t>(nudge.kind);
  if (kind >= total_.size()) {
    return;  // our own bug; a summary that miscounts is better than a crash
  }
  ++total_[kind];
  ++weeks_[WeekOf(nudge.published_at)][kind];
}

void ReplaySummary::Print(const Span& span, std::ostream& out) const {
  const std::vector<core::NudgeKind> kinds = Kinds();
  out << "config:    " << (span.config.empty() ? "built-in defaults" : span.config) << '\n'
      << "time zone: " << calendar_.ZoneName() << '\n'
      << "replayed:  ";
  if (span.from) {
    out << date::format("%F", calendar_.Day(*span.from)) << " to "
        << date::format("%F", calendar_.Day(span.to)) << '\n';
  } else {
    out << "nothing\n";
  }
  out << "nudges:    " << Sum(total_) << "\n\n";

  constexpr std::string_view kKind = "kind";
  constexpr std::string_view kNudges = "nudges";
  constexpr int kKindWidth = 12;  // "weekend_call"
  out << std::left << std::setw(kKindWidth) << kKind << "  " << kNudges << '\n';
  for (const core::NudgeKind kind : kinds) {
    out << std::left << std::setw(kKindWidth) << core::Name(kind) << "  " << std::right
        << std::setw(static_cast<int>(kNudges.size())) << total_[static_cast<std::size_t>(kind)]
        << '\n';
  }
  if (!span.from) {
    return;
  }

  constexpr std::string_view kWeek = "week";
  constexpr std::string_view kTotal = "total";
  constexpr int kWeekWidth = 8;  // "2026-W01"
  out << '\n' << std::left << std::setw(kWeekWidth) << kWeek << "  " << kTotal;
  for (const core::NudgeKind kind : kinds) {
    out << "  " << core::Name(kind);
  }
  out << '\n';
  const Counts none{};
  const date::sys_days last = WeekOf(std::max(span.to, *span.from));
  for (date::sys_days week = WeekOf(*span.from); week <= last; week += date::days(7)) {
    const auto it = weeks_.find(week);
    const Counts& counts = it == weeks_.end() ? none : it->second;
    out << std::left << std::setw(kWeekWidth) << date::format("%G-W%V", week) << "  " << std::right
        << std::setw(static_cast<int>(kTotal.size())) << Sum(counts);
    for (const core::NudgeKind kind : kinds) {
      out << "  " << std::setw(static_cast<int>(core::Name(kind).size()))
          << counts[static_cast<std::size_t>(kind)];
    }
    out << '\n';
  }
}

}  // namespace warmth::app
