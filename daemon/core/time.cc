#include "daemon/core/time.h"

#include <cctype>
#include <charconv>
#include <sstream>

#include <date/date.h>

namespace warmth::core {

Result<Duration> ParseDuration(std::string_view text) {
  const auto bad = [&] {
    return Status::InvalidArgument(
        "duration: expected a number with a unit s, m, h, d or w, such as \"7d\" or \"90m\"");
  };
  if (text.empty()) {
    return bad();
  }
  Duration total{0};
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), n);
    if (ec != std::errc() || end == text.data() + i || n < 0) {
      return bad();
    }
    i = static_cast<std::size_t>(end - text.data());
    if (i >= text.size()) {
      return bad();
    }
    Duration unit{};
    switch (text[i]) {
      case 's':
        unit = std::chrono::seconds(1);
        break;
      case 'm':
        unit = kMinute;
        break;
      case 'h':
        unit = kHour;
        break;
      case 'd':
        unit = kDay;
        break;
      case 'w':
        unit = 7 * kDay;
        break;
      default:
        return bad();
    }
    ++i;
    // Compare before multiplying: n * unit overflows for "400000000d".
    if (n > (36500 * kDay) / unit) {
      return bad();
    }
    total += n * unit;
    if (total > 36500 * kDay) {
      return bad();
    }
  }
  if (total <= Duration::zero()) {
    return Status::InvalidArgument("duration: must be more than zero");
  }
  return total;
}

std::string FormatDuration(Duration d) {
  if (d < Duration::zero()) {
    return "-" + FormatDuration(-d);
  }
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (secs == 0) {
    return "0s";
  }
  std::string out;
  const std::pair<std::int64_t, char> units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (const auto& [size, letter] : units) {
    if (secs >= size) {
      out += std::to_string(secs / size);
      out += letter;
      secs %= size;
    }
  }
  return out;
}

std::string FormatUtc(TimePoint t) {
  return date::format("%FT%TZ", std::chrono::floor<std::chrono::seconds>(t));
}

Result<TimePoint> ParseUtc(std::string_view text) {
  const std::string s(text);
  const auto bad = Status::InvalidArgument(
      "time: expected RFC 3339 like 2026-11-21T14:03:00Z or a date like 2026-11-21");
  if (s.size() == 10) {
    std::istringstream in(s);
    date::sys_days day;
    in >> date::parse("%F", day);
    if (in.fail()) {
      return bad;
    }
    return TimePoint(day);
  }
  // date::parse's %z wants "+0100"; accept "Z" and "+01:00" too.
  std::string norm = s;
  if (!norm.empty() && (norm.back() == 'Z' || norm.back() == 'z')) {
    norm.back() = '+';
    norm += "0000";
  } else if (norm.size() > 6 && norm[norm.size() - 3] == ':' &&
             (norm[norm.size() - 6] == '+' || norm[norm.size() - 6] == '-')) {
    norm.erase(norm.size() - 3, 1);
  }
  for (char& c : norm) {
    if (c == ' ' || c == 't') {
      c = 'T';
    }
  }
  std::istringstream in(norm);
  date::sys_time<Duration> tp;
  in >> date::parse("%FT%T%z", tp);
  if (in.fail()) {
    return bad;
  }
  return TimePoint(tp);
}

}  // namespace warmth::core
