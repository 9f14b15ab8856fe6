#include "daemon/core/calendar.h"

#include <array>
#include <cctype>

namespace warmth::core {

bool LocalWindow::Contains(std::chrono::minutes time_of_day) const {
  const auto tod = time_of_day;
  if (start == end) {
    return false;
  }
  if (start < end) {
    return start <= tod && tod < end;
  }
  return tod >= start || tod < end;
}

Result<std::chrono::minutes> ParseTimeOfDay(std::string_view text) {
  const auto bad = Status::InvalidArgument("time of day: expected HH:MM, such as \"09:00\"");
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) {
    return bad;
  }
  int h = 0;
  int m = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == colon) {
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return bad;
    }
    (i < colon ? h : m) = (i < colon ? h : m) * 10 + (text[i] - '0');
  }
  if (h > 23 || m > 59) {
    return bad;
  }
  return std::chrono::minutes(h * 60 + m);
}

Result<LocalWindow> ParseLocalWindow(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    return Status::InvalidArgument("window: expected HH:MM-HH:MM, such as \"21:00-09:00\"");
  }
  const auto start = ParseTimeOfDay(text.substr(0, dash));
  const auto end = ParseTimeOfDay(text.substr(dash + 1));
  if (!start.ok() || !end.ok()) {
    return Status::InvalidArgument("window: expected HH:MM-HH:MM, such as \"21:00-09:00\"");
  }
  return LocalWindow{*start, *end};
}

Result<WeeklyTime> ParseWeeklyTime(std::string_view text) {
  static constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed",
                                                            "thu", "fri", "sat"};
  const auto bad =
      Status::InvalidArgument("weekly time: expected a day and HH:MM, like \"Fri 15:00\"");
  const auto space = text.find(' ');
  if (space == std::string_view::npos || space < 3) {
    return bad;
  }
  std::string day(text.substr(0, 3));
  for (char& c : day) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (unsigned i = 0; i < kDays.size(); ++i) {
    if (kDays[i] == day) {
      const auto at = ParseTimeOfDay(text.substr(space + 1));
      if (!at.ok()) {
        return bad;
      }
      return WeeklyTime{date::weekday(i), *at};
    }
  }
  return bad;
}

date::local_time<Duration> LocalCalendar::ToLocal(TimePoint t) const {
  if (zone_ == nullptr) {
    return date::local_time<Duration>(t.time_since_epoch());
  }
  if (!has_period_ || t < period_.begin || t >= period_.end) {
    period_ = zone_->get_info(std::chrono::floor<std::chrono::seconds>(t));
    has_period_ = true;
  }
  return date::local_time<Duration>(t.time_since_epoch() + period_.offset);
}

date::local_days LocalCalendar::Day(TimePoint t) const {
  return date::floor<date::days>(ToLocal(t));
}

std::chrono::minutes LocalCalendar::TimeOfDay(TimePoint t) const {
  const auto local = ToLocal(t);
  return std::chrono::floor<std::chrono::minutes>(local - date::floor<date::days>(local));
}

TimePoint LocalCalendar::At(date::local_days day, std::chrono::minutes time_of_day) const {
  const date::local_time<Duration> local = day + time_of_day;
  if (zone_ == nullptr) {
    return TimePoint(local.time_since_epoch());
  }
  const date::local_info info = zone_->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    // The clock jumps over this time: use the moment the gap ends.
    return TimePoint(info.second.begin);
  }
  // Unique, or repeated (clocks going back): the first, earlier instant.
  return TimePoint(local.time_since_epoch() - info.first.offset);
}

TimePoint LocalCalendar::NextMidnight(TimePoint t) const {
  return At(Day(t) + date::days(1), std::chrono::minutes(0));
}

std::string LocalCalendar::FormatDay(date::local_days day, bool with_weekday) const {
  const date::year_month_day ymd(day);
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  std::string out;
  if (with_weekday) {
    out += kDays[date::weekday(day).c_encoding()];
    out += ' ';
  }
  out += kMonths[static_cast<unsigned>(ymd.month()) - 1];
  out += ' ';
  out += std::to_string(static_cast<unsigned>(ymd.day()));
  return out;
}

std::string LocalCalendar::FormatDay(TimePoint t, bool with_weekday) const {
  return FormatDay(Day(t), with_weekday);
}

}  // namespace warmth::core
