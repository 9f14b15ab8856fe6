#include "daemon/core/wording.h"

#include <algorithm>
#include <cstdio>

namespace warmth::core {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += (i + 1 == names.size()) ? " and " : ", ";
    }
    out += names[i];
  }
  return out;
}

}  // namespace

std::string CoolingText(const std::string& name, Duration since, bool talked, bool past_max) {
  const auto days = std::chrono::floor<std::chrono::days>(since).count();
  const std::string span = days == 1 ? "a day" : std::to_string(days) + " days";
  return "It's been " + span +
         (talked ? " since you talked with " : " since you were last in touch with ") + name +
         (past_max ? ", longer than you wanted" : "") + ". Time to pick up the phone.";
}

std::string RhythmText(const std::string& name, Duration usual, Duration silence) {
  // Rounded, not floored: a usual gap of 8 days 20 hours reads "9 days".
  const auto usual_days =
      std::max<std::int64_t>(1, std::chrono::round<std::chrono::days>(usual).count());
  const auto silent_days = std::chrono::floor<std::chrono::days>(silence).count();
  return "You usually talk with " + name + " every " +
         (usual_days == 1 ? std::string("day") : std::to_string(usual_days) + " days") +
         "; it has been " + std::to_string(silent_days) + ".";
}

std::string OnlineOnlyText(const std::string& name, int messages, const std::string& since_day,
                           bool ever_spoke) {
  return "You and " + name + " have exchanged " + std::to_string(messages) + " messages since " +
         since_day + (ever_spoke ? " without a call or a meeting." : " but never spoke.") +
         " Take it offline.";
}

std::string FollowUpText(const std::string& name, Channel pitched_on) {
  return std::string("Follow up your ") + (pitched_on == Channel::kMessage ? "message" : "e-mail") +
         " to " + name + " with a phone call.";
}

std::string TripText(const std::string& city, const std::string& dates,
                     const std::vector<std::string>& names) {
  return "You'll be in " + city + " on " + dates + ". Meet in person: " + JoinNames(names) + ".";
}

std::string WeekendText(const std::string& name) {
  return "Before the weekend: call " + name + " just to say hello.";
}

std::string BirthdayText(const std::string& name, int age) {
  std::string text = "It's " + name + "'s birthday today";
  if (age > 0) {
    text += " (" + std::to_string(age) + ")";
  }
  return text + ". Call to wish them well.";
}

std::string CallBackText(const std::string& name, const std::string& when) {
  return name + " tried to call you " + when + ". Call back.";
}

std::string NudgeTitle(NudgeKind kind, const std::string& who) {
  switch (kind) {
    case NudgeKind::kTrip:
      return "Meet people in " + who;
    case NudgeKind::kBirthday:
      return "Birthday: " + who;
    case NudgeKind::kOnlineOnly:
      return "Take it offline with " + who;
    case NudgeKind::kFollowUp:
      return "Follow up with " + who;
    case NudgeKind::kCallBack:
      return "Call " + who + " back";
    default:
      return "Time to call " + who;
  }
}

std::string SinceDay(const LocalCalendar& calendar, TimePoint since, TimePoint now) {
  const auto day = calendar.Day(since);
  std::string text = calendar.FormatDay(day);
  const auto year = date::year_month_day(day).year();
  if (year != date::year_month_day(calendar.Day(now)).year()) {
    text += ", " + std::to_string(static_cast<int>(year));
  }
  return text;
}

std::string CallTime(const LocalCalendar& calendar, TimePoint call, TimePoint now) {
  const auto minutes = calendar.TimeOfDay(call).count();
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  const date::local_days day = calendar.Day(call);
  const date::local_days today = calendar.Day(now);
  if (day == today) {
    return std::string("at ") + clock;
  }
  if (day + date::days(1) == today) {
    return std::string("yesterday at ") + clock;
  }
  return "on " + SinceDay(calendar, call, now) + " at " + clock;
}

std::string TripDates(const LocalCalendar& calendar, const Trip& trip) {
  const TimePoint last = trip.ends_at > trip.starts_at ? trip.ends_at - Duration(1) : trip.ends_at;
  const auto first_day = calendar.Day(trip.starts_at);
  const auto last_day = calendar.Day(last);
  std::string dates = calendar.FormatDay(first_day);
  if (last_day != first_day) {
    const bool same_month =
        date::year_month_day(first_day).month() == date::year_month_day(last_day).month();
    dates += same_month
                 ? "–" + std::to_string(static_cast<unsigned>(date::year_month_day(last_day).day()))
                 : " – " + calendar.FormatDay(last_day);
  }
  return dates;
}

}  // namespace warmth::core
