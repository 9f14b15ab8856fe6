#pragma once

#include <string>
#include <vector>

#include "daemon/core/calendar.h"
#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// Every text warmth shows a person, in one file: short, human, naming the
// person and the reason.

// `since`: since the last live interaction (talked), else since the last one.
// `past_max`: past the contact's every_max, "…, longer than you wanted."
std::string CoolingText(const std::string& name, Duration since, bool talked,
                        bool past_max = false);
// "You usually talk with Ana every 9 days; it has been 31."
std::string RhythmText(const std::string& name, Duration usual, Duration silence);
std::string OnlineOnlyText(const std::string& name, int messages, const std::string& since_day,
                           bool ever_spoke);
std::string FollowUpText(const std::string& name, Channel pitched_on);
std::string TripText(const std::string& city, const std::string& dates,
                     const std::vector<std::string>& names);
std::string WeekendText(const std::string& name);
std::string BirthdayText(const std::string& name, int age);  // age 0: unknown
// "Ann tried to call you at 14:10. Call back."; `when` from CallTime.
std::string CallBackText(const std::string& name, const std::string& when);
// "Time to call Bob Stone": a notification title; `who` is a name or a city.
std::string NudgeTitle(NudgeKind kind, const std::string& who);

// "Mar 3" for a day this year, "Mar 3, 2015" for another year's.
std::string SinceDay(const LocalCalendar& calendar, TimePoint since, TimePoint now);
// When a call came, local: "at 14:10" today, "yesterday at 22:05", else
// "on Mar 3 at 09:15".
std::string CallTime(const LocalCalendar& calendar, TimePoint call, TimePoint now);
// A trip's local days: "Mar 3", "Mar 3–5", "Mar 30 – Apr 2".
std::string TripDates(const LocalCalendar& calendar, const Trip& trip);

}  // namespace warmth::core
