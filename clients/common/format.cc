#include "clients/common/format.h"

#include <algorithm>
#include <sstream>

#include <google/protobuf/util/json_util.h>

namespace warmth::client {

std::string Ago(core::TimePoint t, core::TimePoint now) {
  constexpr std::int64_t kDaySeconds = 86400;
  const bool future = t > now;
  const auto d = std::chrono::duration_cast<std::chrono::seconds>(future ? t - now : now - t);
  const auto s = d.count();
  std::string amount;
  if (s < 60) {
    return future ? "in a moment" : "just now";
  }
  if (s < 3600) {
    amount = std::to_string(s / 60) + " min";
  } else if (s < 86400) {
    amount = std::to_string(s / 3600) + " h";
  } else if (s < kDaySeconds * 60) {
    amount = std::to_string(s / kDaySeconds) + " d";
  } else if (s < kDaySeconds * 730) {
    amount = std::to_string(s / (kDaySeconds * 30)) + " mo";
  } else {
    amount = std::to_string(s / (kDaySeconds * 365)) + " y";
  }
  return future ? "in " + amount : amount + " ago";
}

std::string LocalTime(core::TimePoint t, const date::time_zone* zone) {
  return date::format("%F %R", date::make_zoned(zone, std::chrono::floor<std::chrono::minutes>(t)));
}

std::string LocalDate(core::TimePoint t, const date::time_zone* zone) {
  return date::format("%F", date::make_zoned(zone, std::chrono::floor<std::chrono::minutes>(t)));
}

core::TimePoint FromProto(const google::protobuf::Timestamp& ts) {
  return core::TimePoint(std::chrono::seconds(ts.seconds())) +
         std::chrono::duration_cast<core::Duration>(std::chrono::nanoseconds(ts.nanos()));
}

core::Result<core::TimePoint> ParseLocalDay(const std::string& text, const date::time_zone* zone) {
  std::istringstream in(text);
  date::local_days day;
  in >> date::parse("%F", day);
  if (in.fail() || text.size() != 10) {
    return core::Status::InvalidArgument("expected a date like 2026-12-03");
  }
  return core::TimePoint(zone->to_sys(date::local_seconds(day), date::choose::earliest));
}

core::Result<core::TimePoint> ParseWhen(const std::string& text, const date::time_zone* zone,
                                        core::TimePoint now) {
  std::string s = text;
  const std::string ago = " ago";
  if (s.size() > ago.size() && s.compare(s.size() - ago.size(), ago.size(), ago) == 0) {
    s = "-" + s.substr(0, s.size() - ago.size());
  }
  if (!s.empty() && s[0] == '-') {
    auto d = core::ParseDuration(s.substr(1));
    if (!d.ok()) {
      return core::Status::InvalidArgument("expected an offset like \"2h ago\" or \"-3d\"");
    }
    return now - *d;
  }
  if (s.size() == 10) {
    // A day alone means its local noon; today, before noon, it means now
    // (not a time in the future).
    auto day = ParseLocalDay(s, zone);
    if (!day.ok()) {
      return day.status();
    }
    const core::TimePoint noon = *day + std::chrono::hours(12);
    const auto local_now = zone->to_local(std::chrono::time_point_cast<std::chrono::seconds>(now));
    const bool today = date::format("%F", date::floor<date::days>(local_now)) == s;
    return today ? std::min(noon, now) : noon;
  }
  if (s.size() == 16 && s[10] == ' ') {
    std::istringstream in(s);
    date::local_seconds local;
    in >> date::parse("%F %R", local);
    if (!in.fail()) {
      return core::TimePoint(zone->to_sys(local, date::choose::earliest));
    }
  }
  auto t = core::ParseUtc(s);
  if (!t.ok()) {
    return core::Status::InvalidArgument(
        "expected a time like 2026-11-20T18:30:00Z, \"2026-11-20 18:30\", 2026-11-20 or \"2h "
        "ago\"");
  }
  return *t;
}

std::string Json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

}  // namespace warmth::client
