#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clients/common/client.h"
#include "clients/import/ics.h"
#include "clients/import/records.h"
#include "daemon/core/status.h"

namespace warmth::import {

// "ann-smith-3fa9c2": a slug of the name and 6 hex digits of the record's
// key, so the same record gets the same id on every import. Valid as a
// contact id (no white space, at most 128 bytes).
std::string ContactId(const ContactRecord& record);

// How a record changes the daemon's contact.
struct ContactPlan {
  enum class Action { kCreate, kUpdate, kUnchanged };
  Action action = Action::kUnchanged;
  v1::Contact contact;               // what to upsert (create, update)
  std::vector<std::string> changes;  // "name", "+2 identifiers", "city", "+tag linkedin", …
};

// Pure. With no `existing` contact: a new one, id ContactId(record), circle
// `circle` or unsorted. With one: fills in what it lacks (name, city,
// birthday, a birthday's year), adds identifiers and tags, sets `circle`
// only on an unsorted contact, never removes or overwrites anything.
ContactPlan PlanContact(const ContactRecord& record, const v1::Contact* existing,
                        std::optional<v1::Circle> circle);

struct ImportOptions {
  bool dry_run = false;              // look, print, change nothing
  std::optional<v1::Circle> circle;  // unset: imported contacts stay unsorted
  std::vector<std::string> tags;     // added to every imported contact
  bool verbose = false;              // print unchanged records too
};

struct ContactTotals {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t failed = 0;  // refused by the daemon (reported with the record's position)
  bool offline = false;     // dry run without a daemon: every record counted as new
};

// Matches each record with the daemon's contacts (by any identifier, then by
// ContactId), plans it and, unless dry_run, upserts it; one line per change
// on `out`, failures on `err`. An identifier that already belongs to another
// contact with a circle stays there (reported). Fails only when the daemon
// cannot be reached (kUnavailable).
core::Result<ContactTotals> ApplyContacts(client::Client& client,
                                          const std::vector<ContactRecord>& records,
                                          const ImportOptions& options, std::ostream& out,
                                          std::ostream& err);

struct CalendarTotals {
  std::int64_t meetings = 0;  // interactions sent (dry run: to send)
  std::int64_t accepted = 0;
  std::int64_t duplicate = 0;
  std::int64_t rejected = 0;
  std::int64_t trips_new = 0;
  std::int64_t trips_changed = 0;
  std::int64_t trips_unchanged = 0;
  bool offline = false;
};

// Sends the calendar's meetings (pipelined, idempotent by event id) and
// upserts its trips (new or changed ones only). Fails only when the daemon
// cannot be reached.
core::Result<CalendarTotals> ApplyCalendar(client::Client& client, const CalendarFile& calendar,
                                           const ImportOptions& options, std::ostream& out,
                                           std::ostream& err);

// Gives the name an export knew (an Android contact_name, a Telegram
// name) to each contact `names` maps an identifier to, where that contact
// has no display name yet: the unsorted contacts an import just created.
// Returns how many were (on a dry run: would be) named; fails only when the
// daemon cannot be reached.
core::Result<int> NameContacts(client::Client& client,
                               const std::map<std::string, std::string>& names, bool dry_run,
                               std::ostream& err);

}  // namespace warmth::import
