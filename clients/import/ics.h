#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "clients/import/records.h"
#include "daemon/core/time.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::import {

namespace v1 = ::warmth::v1;

struct CalendarOptions {
  core::TimePoint now;                    // events starting before it are past
  std::string me_city;                    // [me] city; empty: no trips
  std::vector<std::string> me_addresses;  // lower case; empty: every event is yours
  // More counterparts than this make a big meeting (an all-hands, a
  // webinar), not a personal one: skipped.
  int max_attendees = 10;
  // IANA zone for floating times and all-day dates.
  std::string timezone = "UTC";
};

// What a calendar held and what warmth makes of it.
struct CalendarFile {
  int events = 0;     // VEVENT components read
  int instances = 0;  // past occurrences looked at, recurrences expanded
  // Past meetings: IN_PERSON (VIDEO for an online meeting: a conference URL
  // and no physical location), MUTUAL, with every attendee and the organizer
  // who is not you and did not decline (rooms and resources left out).
  // event_id "ics:<hash of UID>:<unix start>", the same on every run.
  std::vector<v1::Interaction> meetings;
  // Future events away from home: a LOCATION whose city is not me_city, on
  // an all-day or day-long event or at a full address. Overlapping trips to
  // one city are merged. id "<city>-<yyyy-mm-dd>-<hash>", stable.
  std::vector<v1::Trip> trips;
  std::map<std::string, int> skipped;  // reason -> events (or occurrences)
  std::vector<Problem> problems;       // "VEVENT 3 (uid …)": what libical could not read
  std::vector<std::string> notes;
};

// Reads iCalendar text with libical: one or many VCALENDARs, VTIMEZONEs or
// well-known TZIDs, RRULE/RDATE/EXDATE expanded from DTSTART up to `now`
// (sub-daily rules and more than 5000 past occurrences are cut short, with a
// note), RECURRENCE-ID overrides, CANCELLED events and declined invitations
// left out. Bad events are Problems, and so are physical lines over 256 KiB
// (left out: libical takes quadratic time on them); never fatal, safe on
// any bytes. Pure
// apart from libical (it reads no clock: `now` is given).
CalendarFile ParseCalendar(std::string_view text, const CalendarOptions& options);

// The city in a LOCATION such as "Hotel Adlon, Unter den Linden 77, 10117
// Berlin, Germany" ("Berlin"); empty when none can be told (a URL, a room
// name on its own). `address_like` is set when the location has several
// comma-separated parts.
std::string CityOf(std::string_view location, bool* address_like = nullptr);

}  // namespace warmth::import
