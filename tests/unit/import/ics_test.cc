// iCalendar import through libical, on the corpus and on calendars written here.
#include "clients/import/ics.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "clients/common/format.h"
#include "tests/support/support.h"

namespace warmth::import {
namespace {

using testing::ReadFile;
namespace fs = std::filesystem;
using testing::At;
using Strings = std::vector<std::string>;

const core::TimePoint kNow = At("2026-11-21T12:00:00Z");

std::string Ics(const std::string& name) {
  return testing::CorpusDir() + "/ics/" + name;
}

CalendarOptions Options(std::string me_city = "", Strings me = {}) {
  CalendarOptions o;
  o.now = kNow;
  o.me_city = std::move(me_city);
  o.me_addresses = std::move(me);
  return o;
}

int CountLines(const std::string& text, const std::string& line_upper) {
  int n = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    for (char& c : line) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    n += line == line_upper ? 1 : 0;
  }
  return n;
}

Strings Contacts(const v1::Interaction& in) {
  return {in.contacts().begin(), in.contacts().end()};
}

std::string Calendar(const std::string& events) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + events + "END:VCALENDAR\r\n";
}

TEST(IcsCorpus, EventCountsMatchBeginLinesInWellFormedFiles) {
  int files = 0;
  int begin_lines = 0;
  int read = 0;
  for (const auto& e : fs::recursive_directory_iterator(testing::CorpusDir() + "/ics")) {
    if (!e.is_regular_file() || e.path().extension() != ".ics") {
      continue;
    }
    // libical's own fuzz cases (README: "fuzz/crash inputs") are for the
    // corrupt-input test, not for counting.
    const std::string base = e.path().filename().string();
    if (base == "zday.ics" || base == "crash.ics" || base == "malloc.ics") {
      continue;
    }
    const std::string text = ReadFile(e.path().string());
    const int begins = CountLines(text, "BEGIN:VEVENT");
    // Only files whose BEGIN and END lines pair up: libical drops the rest.
    if (begins != CountLines(text, "END:VEVENT") ||
        CountLines(text, "BEGIN:VCALENDAR") != CountLines(text, "END:VCALENDAR")) {
      continue;
    }
    const CalendarFile f = ParseCalendar(text, Options("Boston"));
    EXPECT_EQ(f.events, begins) << e.path();
    ++files;
    begin_lines += begins;
    read += f.events;
  }
  EXPECT_GT(files, 280);
  EXPECT_EQ(read, begin_lines);
  EXPECT_GT(read, 1800);
}

std::string Upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

// Every address the importer turns into a meeting is written in that very
// file as an event's ATTENDEE or ORGANIZER (found here by a plain scan of
// the unfolded lines, not by libical; alarms' recipients left out); and in
// files with nothing to leave out (no cancelled events, declined
// invitations, rooms or resources, no crowd over max_attendees, nothing
// unreadable), the two sets are equal.
TEST(IcsCorpus, MeetingAddressesAreTheFilesAttendeesAndOrganizers) {
  CalendarOptions everything_past = Options();
  everything_past.now = At("2100-01-01T00:00:00Z");
  std::set<std::string> all_scanned;
  std::set<std::string> all_imported;
  int compared_files = 0;
  for (const auto& e : fs::recursive_directory_iterator(testing::CorpusDir() + "/ics")) {
    const std::string base = e.path().filename().string();
    if (!e.is_regular_file() || e.path().extension() != ".ics" || base == "zday.ics" ||
        base == "crash.ics" || base == "malloc.ics") {
      continue;
    }
    const std::string text = ReadFile(e.path().string());
    std::set<std::string> scanned;
    bool plain = true;
    int in_event = 0;
    int people_in_event = 0;
    bool in_alarm = false;
    for (const std::string& line : testing::UnfoldedLines(text)) {
      const std::string upper = Upper(line);
      if (upper.rfind("BEGIN:VEVENT", 0) == 0) {
        in_event = 1;
        people_in_event = 0;
      } else if (upper.rfind("END:VEVENT", 0) == 0) {
        in_event = 0;
        plain = plain && people_in_event <= everything_past.max_attendees + 1;
      }
      if (upper.rfind("STATUS:CANCELLED", 0) == 0 ||
          upper.find("PARTSTAT=DECLINED") != std::string::npos ||
          upper.find("CUTYPE=ROOM") != std::string::npos ||
          upper.find("CUTYPE=RESOURCE") != std::string::npos || upper.find("RECURRENCE-ID") == 0) {
        plain = false;
      }
      // An alarm's ATTENDEE is who gets the reminder, not who was there.
      if (upper.rfind("BEGIN:VALARM", 0) == 0) {
        in_alarm = true;
      } else if (upper.rfind("END:VALARM", 0) == 0) {
        in_alarm = false;
      }
      if (in_event == 0 || in_alarm ||
          (upper.rfind("ATTENDEE", 0) != 0 && upper.rfind("ORGANIZER", 0) != 0)) {
        continue;
      }
      // The value: "mailto:ann@example.com", or (seen in the wild) the bare address.
      std::string address = line.substr(line.rfind(':') + 1);
      for (char& c : address) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      if (address.find('@') != std::string::npos) {
        scanned.insert(address);
        ++people_in_event;
      }
    }
    const CalendarFile f = ParseCalendar(text, everything_past);
    std::set<std::string> imported;
    for (const auto& m : f.meetings) {
      for (const auto& c : m.contacts()) {
        imported.insert(c);
      }
    }
    for (const auto& address : imported) {
      EXPECT_TRUE(scanned.count(address))
          << e.path() << ": " << address << " is in no ATTENDEE/ORGANIZER line";
    }
    if (plain && f.problems.empty() && !scanned.empty()) {
      EXPECT_EQ(imported, scanned) << e.path();
      ++compared_files;
    }
    all_scanned.insert(scanned.begin(), scanned.end());
    all_imported.insert(imported.begin(), imported.end());
  }
  EXPECT_GE(compared_files, 15);
  EXPECT_GT(all_imported.size(), 10u);
  std::cout << "ics corpus: " << all_imported.size() << " distinct meeting addresses of "
            << all_scanned.size() << " in ATTENDEE/ORGANIZER lines; " << compared_files
            << " files compared whole" << std::endl;
}

TEST(IcsCorpus, LargeFileHasTheReadmesEventCount) {
  const CalendarFile f = ParseCalendar(ReadFile(Ics("libical/large.ics")), Options());
  EXPECT_EQ(f.events, 1458);
}

TEST(IcsCorpus, HandCheckedMeetings) {
  // Organizer and two attendees, in Europe/Paris: 18:00 CEST is 16:00 UTC.
  const CalendarFile one = ParseCalendar(ReadFile(Ics("radicale/event1.ics")), Options());
  ASSERT_EQ(one.meetings.size(), 1u);
  const auto& m = one.meetings[0];
  EXPECT_EQ(client::FromProto(m.occurred_at()), At("2013-09-01T16:00:00Z"));
  EXPECT_EQ(m.channel(), v1::IN_PERSON);
  EXPECT_EQ(m.direction(), v1::MUTUAL);
  Strings people = Contacts(m);
  std::sort(people.begin(), people.end());
  EXPECT_EQ(people,
            (Strings{"janedoe@example.com", "johndoe@example.com", "unclesam@example.com"}));

  // Seen from Jane: she is in it; from someone else: not their meeting.
  EXPECT_EQ(
      ParseCalendar(ReadFile(Ics("radicale/event1.ics")), Options("", {"janedoe@example.com"}))
          .meetings.size(),
      1u);
  const CalendarFile other =
      ParseCalendar(ReadFile(Ics("radicale/event1.ics")), Options("", {"nobody@example.com"}));
  EXPECT_TRUE(other.meetings.empty());
  EXPECT_EQ(other.skipped.at("you are not invited"), 1);

  const CalendarFile cancelled = ParseCalendar(ReadFile(Ics("radicale/event10.ics")), Options());
  EXPECT_TRUE(cancelled.meetings.empty());
  EXPECT_EQ(cancelled.skipped.at("cancelled"), 1);
}

TEST(IcsCorpus, RecurrencesExpandToTheirCount) {
  for (const char* name :
       {"radicale/event_daily_rrule.ics", "radicale/event_full_day_rrule_count_500.ics"}) {
    const std::string text = ReadFile(Ics(name));
    std::smatch match;
    ASSERT_TRUE(std::regex_search(text, match, std::regex("FREQ=DAILY;COUNT=([0-9]+)"))) << name;
    const CalendarFile f = ParseCalendar(text, Options());
    EXPECT_EQ(f.instances, std::stoi(match[1])) << name;
  }
  // An override (RECURRENCE-ID) replaces its occurrence: still five.
  const CalendarFile overridden =
      ParseCalendar(ReadFile(Ics("radicale/event_daily_rrule_overridden.ics")), Options());
  EXPECT_EQ(overridden.instances, 5);
  // Forever: cut, with a note.
  const CalendarFile forever =
      ParseCalendar(ReadFile(Ics("radicale/event_daily_rrule_forever.ics")), Options());
  EXPECT_EQ(forever.instances, 5000);
  EXPECT_EQ(forever.notes.size(), 1u);
}

TEST(IcsCorpus, BrokenFilesAreProblemsNotCrashes) {
  for (const char* name : {"radicale/broken-vevent.ics", "libical/crash.ics", "libical/zday.ics",
                           "libical/malloc.ics", "icalendar/calendars/big_bad_calendar.ics"}) {
    const CalendarFile f = ParseCalendar(ReadFile(Ics(name)), Options("Boston"));
    EXPECT_FALSE(f.problems.empty()) << name;
  }
  const CalendarFile missing =
      ParseCalendar(ReadFile(Ics("radicale/broken-vevents.ics")), Options());
  ASSERT_FALSE(missing.problems.empty());
  EXPECT_EQ(missing.problems.back().where.rfind("VEVENT 2 (uid ", 0), 0u)
      << missing.problems.back().where;
}

TEST(Ics, OnlineMeetingsAreVideoCalls) {
  const std::string people =
      "ORGANIZER:mailto:me@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.com\r\n";
  const CalendarFile f = ParseCalendar(
      Calendar("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z\r\n" +
               people +
               "CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.example.com/abc\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260102T100000Z\r\n" +
               people +
               "LOCATION:https://zoom.us/j/123\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20260103T100000Z\r\n" +
               people +
               "LOCATION:Cafe Luna\\, Main St 5\r\n"
               "X-GOOGLE-CONFERENCE:https://meet.google.com/xyz\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260104T100000Z\r\n" +
               people + "LOCATION:Cafe Luna\r\nEND:VEVENT\r\n"),
      Options("", {"me@example.com"}));
  ASSERT_EQ(f.meetings.size(), 4u);
  EXPECT_EQ(f.meetings[0].channel(), v1::VIDEO);
  EXPECT_EQ(f.meetings[1].channel(), v1::VIDEO);
  EXPECT_EQ(f.meetings[2].channel(), v1::IN_PERSON) << "a physical place wins";
  EXPECT_EQ(f.meetings[3].channel(), v1::IN_PERSON);
  for (const auto& m : f.meetings) {
    EXPECT_EQ(Contacts(m), Strings{"ann@example.com"}) << "me is not a counterpart";
  }
}

TEST(Ics, WhoCountsAsACounterpart) {
  std::string many;
  for (int i = 0; i < 11; ++i) {
    many += "ATTENDEE:mailto:p" + std::to_string(i) + "@example.com\r\n";
  }
  const CalendarFile f = ParseCalendar(
      Calendar("BEGIN:VEVENT\r\nUID:room\r\nDTSTART:20260101T100000Z\r\n"
               "ATTENDEE;CUTYPE=ROOM:mailto:room1@example.com\r\n"
               "ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com\r\n"
               "ATTENDEE:MAILTO:Ann@Example.com\r\nATTENDEE:mailto:me@example.com\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:declined\r\nDTSTART:20260102T100000Z\r\n"
               "ATTENDEE:mailto:ann@example.com\r\n"
               "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:allhands\r\nDTSTART:20260103T100000Z\r\n" +
               many +
               "ATTENDEE:mailto:me@example.com\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:alone\r\nDTSTART:20260104T100000Z\r\nEND:VEVENT\r\n"),
      Options("", {"me@example.com"}));
  ASSERT_EQ(f.meetings.size(), 1u);
  EXPECT_EQ(Contacts(f.meetings[0]), Strings{"ann@example.com"});
  EXPECT_EQ(f.skipped.at("declined"), 1);
  EXPECT_EQ(f.skipped.at("more than 10 attendees"), 1);
  EXPECT_EQ(f.skipped.at("no attendees"), 1);
}

TEST(Ics, WeeklyMeetingUpToNowWithExdateAndOverride) {
  // Mondays from 2026-10-05, EXDATE 10-19, 10-26 moved to Tuesday; now is 11-21.
  const CalendarFile f = ParseCalendar(
      Calendar("BEGIN:VEVENT\r\nUID:weekly\r\nDTSTART:20261005T090000Z\r\nRRULE:FREQ=WEEKLY\r\n"
               "EXDATE:20261019T090000Z\r\nATTENDEE:mailto:ann@example.com\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:weekly\r\nRECURRENCE-ID:20261026T090000Z\r\n"
               "DTSTART:20261027T090000Z\r\nATTENDEE:mailto:ann@example.com\r\nEND:VEVENT\r\n"),
      Options());
  std::set<std::string> days;
  for (const auto& m : f.meetings) {
    days.insert(client::LocalDate(client::FromProto(m.occurred_at()), date::locate_zone("UTC")));
  }
  EXPECT_EQ(days, (std::set<std::string>{"2026-10-05", "2026-10-12", "2026-10-27", "2026-11-02",
                                         "2026-11-09", "2026-11-16"}));
}

TEST(Ics, FutureEventsAwayFromHomeAreTrips) {
  const std::string events =
      "BEGIN:VEVENT\r\nUID:berlin\r\nDTSTART;VALUE=DATE:20261210\r\nDTEND;VALUE=DATE:20261213\r\n"
      "LOCATION:Hotel Adlon\\, Unter den Linden 77\\, 10117 Berlin\\, Germany\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:berlin2\r\nDTSTART:20261212T180000Z\r\nDTEND:20261212T200000Z\r\n"
      "LOCATION:Cafe Einstein\\, Kurfuerstenstr. 58\\, 10785 Berlin\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:room\r\nDTSTART:20261215T100000Z\r\nDTEND:20261215T110000Z\r\n"
      "LOCATION:Conference Room A\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:home\r\nDTSTART;VALUE=DATE:20261220\r\n"
      "LOCATION:Fenway Park\\, 4 Jersey St\\, Boston\\, MA 02215\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:online\r\nDTSTART;VALUE=DATE:20261222\r\n"
      "LOCATION:https://zoom.us/j/1\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:room\r\nDTSTART:20261215T100000Z\r\nLOCATION:Room 3B\r\nEND:VEVENT\r\n";
  const CalendarFile f = ParseCalendar(Calendar(events), Options("Boston"));
  ASSERT_EQ(f.trips.size(), 1u) << "the two Berlin events are one trip";
  const v1::Trip& t = f.trips[0];
  EXPECT_EQ(t.city(), "Berlin");
  EXPECT_EQ(client::FromProto(t.starts_at()), At("2026-12-10T00:00:00Z"));
  EXPECT_EQ(client::FromProto(t.ends_at()), At("2026-12-13T00:00:00Z"));
  EXPECT_EQ(t.id().rfind("berlin-2026-12-10-", 0), 0u) << t.id();
  EXPECT_TRUE(f.meetings.empty());
  EXPECT_EQ(f.skipped.at("future, at home"), 1);
  EXPECT_EQ(f.skipped.at("future, not a trip"), 1);
  EXPECT_EQ(f.skipped.at("future, no place"), 1);
  EXPECT_EQ(f.skipped.at("future, no city in the location"), 1);
  // Living in Berlin, the Boston game is the trip; no city configured: no trip.
  const CalendarFile from_berlin = ParseCalendar(Calendar(events), Options("berlin"));
  ASSERT_EQ(from_berlin.trips.size(), 1u);
  EXPECT_EQ(from_berlin.trips[0].city(), "Boston");
  EXPECT_TRUE(ParseCalendar(Calendar(events), Options("")).trips.empty());
}

TEST(Ics, IdsAreTheSameOnEveryRun) {
  const std::string text = ReadFile(Ics("radicale/event_issue2151.ics"));
  const CalendarFile a = ParseCalendar(text, Options());
  const CalendarFile b = ParseCalendar(text, Options());
  ASSERT_FALSE(a.meetings.empty());
  ASSERT_EQ(a.meetings.size(), b.meetings.size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < a.meetings.size(); ++i) {
    EXPECT_EQ(a.meetings[i].event_id(), b.meetings[i].event_id());
    EXPECT_LE(a.meetings[i].event_id().size(), 128u);
    ids.insert(a.meetings[i].event_id());
  }
  EXPECT_EQ(ids.size(), a.meetings.size());
}

TEST(Ics, CorruptInputNeverCrashes) {
  std::string garbage;
  for (int i = 0; i < 100000; ++i) {
    garbage += static_cast<char>((i * 7919 + 13) % 256);
  }
  EXPECT_FALSE(ParseCalendar(garbage, Options()).problems.empty());
  EXPECT_FALSE(ParseCalendar("", Options()).problems.empty());
  const std::string huge = Calendar(
      "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nSUMMARY:" + std::string(10 << 20, 's') +
      "\r\nATTENDEE:mailto:a@example.com\r\nEND:VEVENT\r\n");
  const CalendarFile h = ParseCalendar(huge, Options());
  EXPECT_EQ(h.meetings.size(), 1u) << "the event stays, its monster line goes";
  ASSERT_EQ(h.problems.size(), 1u);
  EXPECT_EQ(h.problems[0].where, "line 7");
  const std::string text = ReadFile(Ics("radicale/event1.ics"));
  for (std::size_t cut = 0; cut < text.size(); cut += 97) {
    (void)ParseCalendar(std::string_view(text).substr(0, cut), Options("Boston"));
  }
}

TEST(CityOf, Table) {
  struct Case {
    const char* location;
    const char* city;
  };
  const std::vector<Case> cases = {
      {"Berlin", "Berlin"},
      {"Paris, France", "Paris"},
      {"Hotel Adlon, Unter den Linden 77, 10117 Berlin, Germany", "Berlin"},
      {"123 Main St, Springfield, IL 62701, USA", "Springfield"},
      {"Cafe Luna, Berlin", "Berlin"},
      {"Lierstr. 20a, 80639 M\xC3\xBCnchen", "M\xC3\xBCnchen"},
      {"https://zoom.us/j/1", ""},
      {"", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CityOf(c.location), c.city) << c.location;
  }
}

}  // namespace
}  // namespace warmth::import
