#include "daemon/core/rules.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "daemon/core/identifiers.h"
#include "daemon/core/model.h"

namespace warmth::core {
namespace {

std::string Key(std::string_view rule, std::int64_t id, TimePoint t) {
  std::string key(rule);
  key += '/';
  key += std::to_string(id);
  key += '/';
  key += std::to_string(ToUnixMicros(t));
  return key;
}

}  // namespace

std::optional<Candidate> CoolingCandidate(std::int64_t cid, const Summary& s, Circle circle,
                                          Duration half_life, double threshold,
                                          std::optional<Duration> every_max,
                                          const IsPublished& published) {
  if (circle == Circle::kUnspecified || !s.episode_at) {
    return std::nullopt;
  }
  const auto due = CrossingTime(s.episode_warmth, *s.episode_at, half_life, threshold);
  if (!due) {
    return std::nullopt;
  }
  Candidate plain{NudgeKind::kCooling, Key("cooling", cid, *s.episode_at), *due, std::nullopt};
  if (every_max) {
    const TimePoint max_due = *s.episode_at + *every_max;
    if (max_due <= *due || (published && published(plain.key))) {
      return Candidate{NudgeKind::kCooling, Key("cooling-max", cid, *s.episode_at), max_due,
                       std::nullopt};
    }
  }
  return plain;
}

bool IsPastMax(const std::string& cooling_key) {
  return cooling_key.starts_with("cooling-max/");
}

std::optional<Candidate> RhythmCandidate(std::int64_t cid, const Summary& s, Circle circle,
                                         const RuleOptions::RhythmRule& opts,
                                         std::optional<TimePoint> cooling_due) {
  const auto usual = s.rhythm.Usual(opts.min_gaps);
  const auto last = s.rhythm.SessionAt();
  if (circle == Circle::kUnspecified || !usual || !last || opts.factor <= 0) {
    return std::nullopt;
  }
  const auto wait =
      std::chrono::duration_cast<Duration>(std::chrono::duration<double, Duration::period>(
          static_cast<double>(usual->count()) * opts.factor));
  const TimePoint due = *last + std::max(wait, opts.min_silence);
  if (cooling_due && *cooling_due <= due) {
    return std::nullopt;
  }
  return Candidate{NudgeKind::kRhythm, Key("rhythm", cid, *last), due, std::nullopt};
}

std::optional<TimePoint> OneSidedUntil(const Summary& s, const RuleOptions::Reciprocity& opts) {
  if (!s.one_sided_at || opts.unanswered <= 0) {
    return std::nullopt;
  }
  return *s.one_sided_at + opts.cooldown;
}

std::optional<Candidate> OnlineOnlyCandidate(std::int64_t cid, const Summary& s,
                                             const RuleOptions::OnlineOnly& opts) {
  if (!s.streak_ready_at) {
    return std::nullopt;
  }
  TimePoint due = *s.streak_ready_at;
  if (s.last_live_at && *s.last_live_at + opts.no_live_for > due) {
    due = *s.last_live_at + opts.no_live_for;
  }
  // Alive until active_within after the latest message; a waiting one
  // expires then, like FOLLOW_UP.
  const TimePoint alive_until = s.last_conversation_at.value_or(due) + opts.active_within;
  if (due >= alive_until) {
    return std::nullopt;
  }
  const TimePoint streak_key = s.last_live_at.value_or(TimePoint{});
  return Candidate{NudgeKind::kOnlineOnly, Key("online", cid, streak_key), due, alive_until};
}

std::optional<Candidate> FollowUpCandidate(std::int64_t cid, const Summary& s,
                                           const RuleOptions::FollowUp& opts) {
  if (!s.last_pitch_at || (s.last_reply_at && *s.last_reply_at >= *s.last_pitch_at)) {
    return std::nullopt;
  }
  const TimePoint due = *s.last_pitch_at + opts.after;
  return Candidate{NudgeKind::kFollowUp, Key("follow", cid, *s.last_pitch_at), due,
                   due + opts.expire};
}

std::optional<Candidate> CallBackCandidate(std::int64_t cid, const Summary& s, bool sorted,
                                           const RuleOptions::CallBack& opts) {
  if (!opts.enabled || !s.missed_at) {
    return std::nullopt;
  }
  const TimePoint call = *s.missed_at;
  if (!sorted && !(s.missed_before_at && call - *s.missed_before_at <= opts.within)) {
    return std::nullopt;
  }
  return Candidate{NudgeKind::kCallBack, Key("callback", cid, call), call + opts.after,
                   call + opts.within};
}

std::optional<TimePoint> CallBackCallTime(std::string_view key) {
  // "callback/<cid>/<micros>", perhaps followed by "/snooze/<micros>".
  constexpr std::string_view kPrefix = "callback/";
  if (!key.starts_with(kPrefix)) {
    return std::nullopt;
  }
  const auto slash = key.find('/', kPrefix.size());
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view rest = key.substr(slash + 1);
  std::int64_t micros = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), micros);
  if (ec != std::errc() || (end != rest.data() + rest.size() && *end != '/')) {
    return std::nullopt;
  }
  return FromUnixMicros(micros);
}

std::optional<Candidate> BirthdayCandidate(std::int64_t cid, const Birthday& birthday,
                                           const LocalCalendar& cal, std::chrono::minutes at,
                                           TimePoint now, const IsPublished& published,
                                           std::optional<TimePoint> last_live) {
  if (birthday.month < 1 || birthday.month > 12 || birthday.day < 1 || birthday.day > 31) {
    return std::nullopt;
  }
  const date::year this_year = date::year_month_day(cal.Day(now)).year();
  for (date::year y = this_year; y <= this_year + date::years(4); ++y) {
    date::year_month_day ymd{y, date::month(static_cast<unsigned>(birthday.month)),
                             date::day(static_cast<unsigned>(birthday.day))};
    if (!ymd.ok()) {
      if (birthday.month == 2 && birthday.day == 29) {
        ymd = date::year_month_day{y, date::February, date::day(28)};
      } else {
        return std::nullopt;  // April 31st never comes
      }
    }
    const date::local_days day(ymd);
    const TimePoint ends = cal.At(day + date::days(1), std::chrono::minutes(0));
    std::string key = "birthday/" + std::to_string(cid) + "/" + std::to_string(static_cast<int>(y));
    if (ends <= now || published(key) ||
        (last_live && *last_live >= cal.At(day, std::chrono::minutes(0)) && *last_live < ends)) {
      continue;
    }
    return Candidate{NudgeKind::kBirthday, std::move(key), cal.At(day, at), ends};
  }
  return std::nullopt;
}

Candidate TripCandidate(const Trip& trip, Duration lead) {
  return Candidate{NudgeKind::kTrip,
                   "trip/" + trip.id + "/" + std::to_string(ToUnixMicros(trip.starts_at)),
                   trip.starts_at - lead, trip.ends_at};
}

Candidate WeekendCandidate(const LocalCalendar& cal, const WeeklyTime& at, TimePoint now,
                           const IsPublished& handled) {
  const date::local_days today = cal.Day(now);
  date::local_days day = today - (date::weekday(today) - at.day);
  for (;; day += date::weeks(1)) {
    const TimePoint ends = cal.At(day + date::days(1), std::chrono::minutes(0));
    std::string key = "weekend/" + date::format("%F", day);
    if (ends <= now || handled(key)) {
      continue;
    }
    return Candidate{NudgeKind::kWeekendCall, std::move(key), cal.At(day, at.at), ends};
  }
}

int KindRank(NudgeKind kind) {
  switch (kind) {
    case NudgeKind::kBirthday:
      return 0;
    case NudgeKind::kCallBack:
      return 1;
    case NudgeKind::kFollowUp:
      return 2;
    case NudgeKind::kTrip:
      return 3;
    case NudgeKind::kCooling:
      return 4;
    case NudgeKind::kRhythm:
      return 5;
    case NudgeKind::kOnlineOnly:
      return 6;
    case NudgeKind::kWeekendCall:
      return 7;
    default:
      return 8;
  }
}

int CircleRank(Circle circle) {
  return circle == Circle::kUnspecified ? kCircleCount : static_cast<int>(circle);
}

std::string NudgeId(NudgeKind kind, const std::string& key) {
  static constexpr std::string_view kPrefixes[] = {"n",       "cool", "online",   "follow", "trip",
                                                   "weekend", "bday", "callback", "rhythm"};
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(StableHash(key)));
  return std::string(
             kPrefixes[static_cast<int>(kind) < kNudgeKindCount ? static_cast<int>(kind) : 0]) +
         "-" + std::string(hex, 10);
}

}  // namespace warmth::core
