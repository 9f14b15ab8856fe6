#include "clients/import/ics.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include <libical/ical.h>

#include "clients/import/location.h"
#include "daemon/core/identifiers.h"
#include "daemon/core/text.h"
#include "daemon/transport/codec.h"

namespace warmth::import {

using core::Lower;
using core::Trim;
namespace {

constexpr std::size_t kMaxPastOccurrences = 5000;
constexpr std::size_t kMaxLineBytes = std::size_t{256} * 1024;
constexpr const char* kSource = "warmctl import ics";
constexpr std::int64_t kHourSeconds = 3600;
constexpr std::int64_t kDaySeconds = 24 * kHourSeconds;

std::string Hex(std::uint64_t h, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
    h >>= 4;
  }
  return out;
}

void InitLibical() {
  static std::once_flag once;
  // Never abort() on bad input; errors become X-LIC-ERROR properties.
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

std::string Text(const char* s) {
  return s == nullptr ? "" : Trim(s);
}

// "mailto:Ann@Example.com" -> "ann@example.com"; empty if not an address.
std::string Address(const char* value) {
  std::string v = Text(value);
  if (Lower(v.substr(0, 7)) == "mailto:") {
    v = v.substr(7);
  }
  if (v.find('@') == std::string::npos) {
    return "";
  }
  auto norm = core::NormalizeIdentifier(v, {});  // an address: no phone
  return norm.ok() && norm->find('@') != std::string::npos ? *norm : "";
}

// The zone of a DTSTART/DTEND/RECURRENCE-ID value.
const icaltimezone* ZoneOf(icalcomponent* calendar, icalproperty* prop, const icaltimezone* local) {
  if (prop == nullptr) {
    return local;
  }
  icalparameter* p = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
  if (p == nullptr) {
    return local;  // floating or UTC (the "Z" is in the value itself)
  }
  const char* tzid = icalparameter_get_tzid(p);
  if (tzid == nullptr) {
    return local;
  }
  if (calendar != nullptr) {
    if (icaltimezone* z = icalcomponent_get_timezone(calendar, tzid)) {
      return z;
    }
  }
  if (icaltimezone* z = icaltimezone_get_builtin_timezone(tzid)) {
    return z;
  }
  return local;
}

time_t ToTimeT(icaltimetype t, const icaltimezone* zone) {
  if (icaltime_is_utc(t)) {
    return icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
  }
  return icaltime_as_timet_with_zone(t, t.zone != nullptr ? t.zone : zone);
}

core::TimePoint FromTimeT(time_t t) {
  return core::TimePoint(std::chrono::seconds(t));
}

struct EventInfo {
  std::string uid;
  std::string where;  // "VEVENT 3 (uid …)"
  std::vector<std::string> counterparts;
  bool me_declined = false;
  bool me_present = false;  // me is the organizer or an attendee
  bool cancelled = false;
  bool online = false;
  std::string location;
};

EventInfo ReadEvent(icalcomponent* ev, const CalendarOptions& options) {
  EventInfo info;
  info.uid = Text(icalcomponent_get_uid(ev));
  const auto is_me = [&](const std::string& a) {
    return std::find(options.me_addresses.begin(), options.me_addresses.end(), a) !=
           options.me_addresses.end();
  };
  std::set<std::string> seen;
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p != nullptr;
       p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
    const std::string a = Address(icalproperty_get_attendee(p));
    if (a.empty()) {
      continue;
    }
    icalparameter* cutype = icalproperty_get_first_parameter(p, ICAL_CUTYPE_PARAMETER);
    if (cutype != nullptr && (icalparameter_get_cutype(cutype) == ICAL_CUTYPE_ROOM ||
                              icalparameter_get_cutype(cutype) == ICAL_CUTYPE_RESOURCE)) {
      continue;
    }
    icalparameter* partstat = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
    const bool declined =
        partstat != nullptr && icalparameter_get_partstat(partstat) == ICAL_PARTSTAT_DECLINED;
    if (is_me(a)) {
      info.me_present = true;
      info.me_declined = info.me_declined || declined;
      continue;
    }
    if (!declined && seen.insert(a).second) {
      info.counterparts.push_back(a);
    }
  }
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY)) {
    const std::string a = Address(icalproperty_get_organizer(p));
    if (!a.empty() && is_me(a)) {
      info.me_present = true;
    } else if (!a.empty() && seen.insert(a).second) {
      info.counterparts.push_back(a);
    }
  }
  info.cancelled = icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED;
  info.location = Text(icalcomponent_get_location(ev));

  bool conference = false;
  if (icalcomponent_get_first_property(ev, ICAL_CONFERENCE_PROPERTY) != nullptr) {
    conference = true;
  }
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
       p != nullptr && !conference; p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
    const std::string name = Lower(Text(icalproperty_get_x_name(p)));
    conference = name.find("conference") != std::string::npos ||
                 name.find("meetingurl") != std::string::npos ||
                 name.find("onlinemeeting") != std::string::npos;
  }
  if (!conference) {
    if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY)) {
      conference = MentionsVideoHost(Text(icalproperty_get_url(p)));
    }
  }
  if (!conference) {
    conference = MentionsVideoHost(info.location) ||
                 MentionsVideoHost(Text(icalcomponent_get_description(ev)));
  }
  const bool physical =
      !info.location.empty() && !IsUrl(info.location) && !MentionsVideoHost(info.location);
  info.online = conference && !physical;
  return info;
}

std::string EventId(const std::string& uid_or_fallback, time_t start) {
  return "ics:" + Hex(core::StableHash(uid_or_fallback), 16) + ":" + std::to_string(start);
}

// What an event leads to, once its occurrences are known.
class Collector {
 public:
  Collector(const CalendarOptions& options, CalendarFile& out) : options_(options), out_(out) {}

  // Counted once per event (identity), however many occurrences it has.
  void Skip(const std::string& reason, const std::string& identity = "") {
    if (identity.empty() || skipped_.insert(identity + "\n" + reason).second) {
      ++out_.skipped[reason];
    }
  }

  // One past occurrence starting at `start`.
  void Meeting(const EventInfo& info, const std::string& identity, time_t start) {
    ++out_.instances;
    if (info.cancelled) {
      return Skip("cancelled", identity);
    }
    if (info.me_declined) {
      return Skip("declined", identity);
    }
    if (!options_.me_addresses.empty() && !info.me_present && !info.counterparts.empty()) {
      return Skip("you are not invited", identity);
    }
    if (info.counterparts.empty()) {
      return Skip("no attendees", identity);
    }
    if (static_cast<int>(info.counterparts.size()) > options_.max_attendees) {
      return Skip("more than " + std::to_string(options_.max_attendees) + " attendees", identity);
    }
    if (!seen_.insert(EventId(identity, start)).second) {
      return;  // RDATE repeating DTSTART, an override repeating its master
    }
    v1::Interaction& in = out_.meetings.emplace_back();
    in.set_event_id(EventId(identity, start));
    for (const auto& c : info.counterparts) {
      in.add_contacts(c);
    }
    in.set_channel(info.online ? v1::VIDEO : v1::IN_PERSON);
    in.set_direction(v1::MUTUAL);
    transport::ToProto(FromTimeT(start), in.mutable_occurred_at());
    in.set_source(kSource);
  }

  // One future, non-recurring occurrence.
  void MaybeTrip(const EventInfo& info, const std::string& identity, time_t start, time_t end,
                 bool all_day) {
    if (info.cancelled || info.me_declined) {
      return;
    }
    if (info.location.empty() || IsUrl(info.location) || info.online) {
      return Skip("future, no place");
    }
    if (options_.me_city.empty()) {
      return Skip("future, me.city not set");
    }
    bool address_like = false;
    const std::string city = CityOf(info.location, &address_like);
    if (city.empty()) {
      return Skip("future, no city in the location");
    }
    if (Lower(info.location).find(Lower(options_.me_city)) != std::string::npos ||
        Lower(city) == Lower(options_.me_city)) {
      return Skip("future, at home");
    }
    if (!all_day && !address_like && end - start < kHourSeconds * 20) {
      return Skip("future, not a trip");
    }
    v1::Trip trip;
    trip.set_city(city);
    transport::ToProto(FromTimeT(start), trip.mutable_starts_at());
    transport::ToProto(FromTimeT(std::max(end, start)), trip.mutable_ends_at());
    trip.set_id(Hex(core::StableHash(identity + "@" + std::to_string(start)), 8));  // for now
    pending_trips_.push_back(std::move(trip));
  }

  // Merges overlapping trips to one city and names them.
  void FinishTrips(const icaltimezone* local) {
    std::sort(pending_trips_.begin(), pending_trips_.end(),
              [](const v1::Trip& a, const v1::Trip& b) {
                return a.starts_at().seconds() < b.starts_at().seconds();
              });
    std::vector<v1::Trip> merged;
    for (auto& t : pending_trips_) {
      auto it = std::find_if(merged.begin(), merged.end(), [&](const v1::Trip& m) {
        return Lower(m.city()) == Lower(t.city()) &&
               t.starts_at().seconds() <= m.ends_at().seconds() + kDaySeconds;
      });
      if (it != merged.end()) {
        if (t.ends_at().seconds() > it->ends_at().seconds()) {
          *it->mutable_ends_at() = t.ends_at();
        }
        continue;
      }
      merged.push_back(std::move(t));
    }
    for (auto& t : merged) {
      // The engine's own style, "<city>-<yyyy-mm-dd>", plus the hash of the
      // first event so that two calendars' trips do not collide.
      std::string slug;
      for (char c : Lower(t.city())) {
        if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
          slug += c;
        } else if (!slug.empty() && slug.back() != '-') {
          slug += '-';
        }
      }
      while (!slug.empty() && slug.back() == '-') {
        slug.pop_back();
      }
      const icaltimetype day =
          icaltime_from_timet_with_zone(static_cast<time_t>(t.starts_at().seconds()), 1, local);
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", day.year, day.month, day.day);
      t.set_id(slug.substr(0, 64) + "-" + date + "-" + t.id().substr(0, 6));
      // A trip lasts at most a year (the daemon's limit).
      if (t.ends_at().seconds() - t.starts_at().seconds() > 366LL * 24 * 3600) {
        t.mutable_ends_at()->set_seconds(t.starts_at().seconds() + 366LL * 24 * 3600);
      }
      out_.trips.push_back(std::move(t));
    }
  }

 private:
  const CalendarOptions& options_;
  CalendarFile& out_;
  std::set<std::string> seen_;
  std::set<std::string> skipped_;
  std::vector<v1::Trip> pending_trips_;
};

struct Occurrences {
  std::deque<time_t> starts;
  bool capped = false;
};

void CollectOccurrence(icalcomponent* /*comp*/, icaltime_span* span, void* data) {
  auto* occ = static_cast<Occurrences*>(data);
  occ->starts.push_back(span->start);
  if (occ->starts.size() > kMaxPastOccurrences) {
    occ->starts.pop_front();
    occ->capped = true;
  }
}

// Reads the events of one file into a Collector, and what it could not read
// into the CalendarFile.
class CalendarReader {
 public:
  CalendarReader(const CalendarOptions& options, const icaltimezone* local, Collector& collector,
                 CalendarFile& out)
      : options_(options),
        local_(local),
        now_(static_cast<time_t>(
            std::chrono::duration_cast<std::chrono::seconds>(options.now.time_since_epoch())
                .count())),
        collector_(collector),
        out_(out) {}

  // The VEVENTs of `calendar`, then those of every other component it holds.
  void Read(icalcomponent* calendar) {
    std::map<std::string, std::set<time_t>> overridden = Overridden(calendar);
    for (icalcomponent* ev = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         ev != nullptr; ev = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      ReadVevent(calendar, ev, overridden);
    }
    // A VCALENDAR left open swallows the next ones as children, and custom
    // components may hold events: read those too.
    std::vector<icalcomponent*> nested;
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_ANY_COMPONENT);
         c != nullptr; c = icalcomponent_get_next_component(calendar, ICAL_ANY_COMPONENT)) {
      const icalcomponent_kind k = icalcomponent_isa(c);
      if (k != ICAL_VEVENT_COMPONENT) {
        nested.push_back(c);
      }
    }
    for (icalcomponent* c : nested) {
      Read(c);
    }
  }

 private:
  // RECURRENCE-ID overrides, by UID: the occurrences they replace.
  std::map<std::string, std::set<time_t>> Overridden(icalcomponent* calendar) const {
    std::map<std::string, std::set<time_t>> overridden;
    for (icalcomponent* ev = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         ev != nullptr; ev = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      if (icalproperty* rid = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY)) {
        const icaltimetype t = icalproperty_get_recurrenceid(rid);
        if (!icaltime_is_null_time(t) && icaltime_is_valid_time(t)) {
          overridden[Text(icalcomponent_get_uid(ev))].insert(
              ToTimeT(t, ZoneOf(calendar, rid, local_)));
        }
      }
    }
    return overridden;
  }

  void ReadVevent(icalcomponent* calendar, icalcomponent* ev,
                  std::map<std::string, std::set<time_t>>& overridden) {
    ++out_.events;
    ++index_;
    EventInfo info = ReadEvent(ev, options_);
    info.where = "VEVENT " + std::to_string(index_) +
                 (info.uid.empty() ? "" : " (uid " + info.uid.substr(0, 60) + ")");
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(ev, ICAL_XLICERROR_PROPERTY)) {
      out_.problems.push_back({info.where, Text(icalproperty_get_xlicerror(p))});
    }
    icalproperty* dtstart_prop = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    const icaltimetype dtstart =
        dtstart_prop == nullptr ? icaltime_null_time() : icalproperty_get_dtstart(dtstart_prop);
    if (icaltime_is_null_time(dtstart) || !icaltime_is_valid_time(dtstart)) {
      out_.problems.push_back({info.where, "no valid DTSTART"});
      return;
    }
    const icaltimezone* zone = ZoneOf(calendar, dtstart_prop, local_);
    const time_t start = ToTimeT(dtstart, zone);
    const time_t end = EndOf(calendar, ev, dtstart, start);
    // The same event in two files, or without a UID: identify it by what it is.
    const std::string identity = !info.uid.empty()
                                     ? info.uid
                                     : "no-uid|" + std::to_string(start) + "|" + info.location +
                                           "|" + Text(icalcomponent_get_summary(ev));
    const bool is_override =
        icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY) != nullptr;
    const bool recurs =
        !is_override && (icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) != nullptr ||
                         icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY) != nullptr);
    if (!recurs) {
      if (start <= now_) {
        collector_.Meeting(info, identity, start);
      } else {
        collector_.MaybeTrip(info, identity, start, end, dtstart.is_date != 0);
      }
      return;
    }
    ReadRecurring(ev, info, identity, start, overridden);
  }

  // Where an event starting at `start` ends: DTEND, else DTSTART plus
  // DURATION, else a day after an all-day DTSTART, else at its start.
  time_t EndOf(icalcomponent* calendar, icalcomponent* ev, icaltimetype dtstart,
               time_t start) const {
    time_t end = start;
    if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY)) {
      const icaltimetype t = icalproperty_get_dtend(p);
      if (!icaltime_is_null_time(t) && icaltime_is_valid_time(t)) {
        end = ToTimeT(t, ZoneOf(calendar, p, local_));
      }
    } else if (icalproperty* d = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY)) {
      end = start + icaldurationtype_as_int(icalproperty_get_duration(d));
    } else if (dtstart.is_date) {
      end = start + kDaySeconds;
    }
    return end;
  }

  // Sub-daily rules (every minute since 1970…) are not meetings with people.
  static bool RepeatsTooOften(icalcomponent* ev) {
    bool too_frequent = false;
    for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
      const icalrecurrencetype r = icalproperty_get_rrule(p);
      too_frequent = too_frequent || r.freq == ICAL_SECONDLY_RECURRENCE ||
                     r.freq == ICAL_MINUTELY_RECURRENCE || r.freq == ICAL_HOURLY_RECURRENCE;
    }
    return too_frequent;
  }

  // A recurring event: its past occurrences up to now, overrides left out.
  void ReadRecurring(icalcomponent* ev, const EventInfo& info, const std::string& identity,
                     time_t start, std::map<std::string, std::set<time_t>>& overridden) {
    if (RepeatsTooOften(ev)) {
      out_.notes.push_back(info.where +
                           ": repeats more often than daily; only its first occurrence is used");
      if (start <= now_) {
        collector_.Meeting(info, identity, start);
      }
      return;
    }
    if (start > now_) {
      collector_.Skip("future, recurring", identity);
      return;
    }
    Occurrences occ;
    // The window opens a day early: libical leaves out a span that starts
    // exactly at its start.
    icalcomponent_foreach_recurrence(
        ev, icaltime_from_timet_with_zone(start - kDaySeconds, 0, icaltimezone_get_utc_timezone()),
        icaltime_from_timet_with_zone(now_, 0, icaltimezone_get_utc_timezone()), CollectOccurrence,
        &occ);
    if (occ.capped) {
      out_.notes.push_back(info.where + ": only its last " + std::to_string(kMaxPastOccurrences) +
                           " occurrences are used");
    }
    const auto& skip = overridden[info.uid];
    for (time_t t : occ.starts) {
      if (t <= now_ && !skip.contains(t)) {
        collector_.Meeting(info, identity, t);
      }
    }
  }

  const CalendarOptions& options_;
  const icaltimezone* local_;
  const time_t now_;
  Collector& collector_;
  CalendarFile& out_;
  int index_ = 0;  // VEVENTs read so far, in every calendar of the file
};

}  // namespace

CalendarFile ParseCalendar(std::string_view text, const CalendarOptions& options) {
  InitLibical();
  CalendarFile out;
  const icaltimezone* local = icaltimezone_get_builtin_timezone(options.timezone.c_str());
  if (local == nullptr) {
    local = icaltimezone_get_utc_timezone();
  }
  // libical reads C strings, and takes quadratic time on a long physical
  // line (30 s for 10 MB): lines should be at most 75 bytes, folded, so a
  // line over 256 KiB is left out and reported.
  text = text.substr(0, text.find('\0'));
  std::string copy;
  copy.reserve(text.size());
  int line_number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line_number;
    if (next - pos > kMaxLineBytes) {
      out.problems.push_back({"line " + std::to_string(line_number),
                              "longer than 256 KiB (lines are folded at 75 bytes); left out"});
    } else {
      copy.append(text.substr(pos, next - pos));
    }
    pos = next;
  }
  std::unique_ptr<icalcomponent, ComponentFree> root(icalparser_parse_string(copy.c_str()));
  icalerror_clear_errno();
  if (root == nullptr) {
    out.problems.push_back(
        {"line 1", "libical found no complete calendar (no BEGIN:VCALENDAR, or one never ended)"});
    return out;
  }
  Collector collector(options, out);
  CalendarReader reader(options, local, collector, out);
  const icalcomponent_kind kind = icalcomponent_isa(root.get());
  if (kind == ICAL_VCALENDAR_COMPONENT || kind == ICAL_XROOT_COMPONENT) {
    // A calendar, or a root holding several (concatenated VCALENDARs).
    reader.Read(root.get());
  } else {
    // A bare component (a VEVENT exported on its own): read it as if a
    // VCALENDAR held it.
    std::unique_ptr<icalcomponent, ComponentFree> wrapper(
        icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
    icalcomponent_add_component(wrapper.get(), root.release());
    reader.Read(wrapper.get());
  }
  collector.FinishTrips(local);
  return out;
}

}  // namespace warmth::import
