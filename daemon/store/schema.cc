#include "daemon/store/schema.h"

namespace warmth::store {
namespace {

constexpr char kSeparator = '\x1f';

// Each migration moves the schema from version-1 to version, in one
// transaction. Append only: a released migration never changes.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE contacts (
  cid            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  display_name   TEXT NOT NULL DEFAULT '',
  identifiers    TEXT NOT NULL DEFAULT '',
  circle         INTEGER NOT NULL DEFAULT 0,
  city           TEXT NOT NULL DEFAULT '',
  birthday_month INTEGER,
  birthday_day   INTEGER,
  birthday_year  INTEGER,
  tags           TEXT NOT NULL DEFAULT '',
  muted          INTEGER NOT NULL DEFAULT 0,
  family         INTEGER NOT NULL DEFAULT 0,
  snoozed_until  INTEGER,
  created_at     INTEGER NOT NULL
);
-- Identifier lookup; contacts.identifiers keeps the user's order.
CREATE TABLE identifiers (
  identifier TEXT PRIMARY KEY,
  cid        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX identifiers_by_cid ON identifiers(cid);
-- One row per accepted interaction. No subjects, no bodies.
-- Idempotency: the key leads with time, so inserts touch few B-tree pages
-- (a UNIQUE index on random event ids costs an order of magnitude in ingest
-- rate); the daemon also keeps a set of event-id hashes in memory.
CREATE TABLE interactions (
  seq         INTEGER PRIMARY KEY,
  event_id    TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  channel     INTEGER NOT NULL,
  direction   INTEGER NOT NULL,
  source      TEXT NOT NULL DEFAULT '',
  tags        TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX interactions_by_time_and_id ON interactions(occurred_at, event_id);
-- The per-contact model input, clustered by contact and time so that a
-- restart reads every history in order without sorting.
CREATE TABLE contact_events (
  cid         INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  channel     INTEGER NOT NULL,
  direction   INTEGER NOT NULL,
  pitch       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (cid, occurred_at, seq)
) WITHOUT ROWID;
CREATE TABLE trips (
  id        TEXT PRIMARY KEY,
  city      TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at   INTEGER NOT NULL,
  tags      TEXT NOT NULL DEFAULT ''
);
-- Published nudges and their state; a key is published at most once.
CREATE TABLE nudges (
  id                TEXT PRIMARY KEY,
  key               TEXT NOT NULL UNIQUE,
  kind              INTEGER NOT NULL,
  contact_ids       TEXT NOT NULL,
  text              TEXT NOT NULL,
  warmth            REAL NOT NULL,
  suggested_channel INTEGER NOT NULL,
  due_at            INTEGER NOT NULL,
  published_at      INTEGER NOT NULL,
  trip_id           TEXT NOT NULL DEFAULT '',
  state             INTEGER NOT NULL,
  snoozed_until     INTEGER
);
)sql"},
    // An e-mail that opened a thread: a pitch when the contact never wrote
    // before it (rules.follow_up.cold_outreach, decided when the history is
    // folded). Rows whose interaction was tagged new-thread get it too.
    {2, R"sql(
ALTER TABLE contact_events ADD COLUMN new_thread INTEGER NOT NULL DEFAULT 0;
UPDATE contact_events SET new_thread = 1
 WHERE channel = 7 AND direction = 1 AND seq IN (
   SELECT seq FROM interactions
    WHERE char(31) || lower(tags) || char(31) LIKE '%' || char(31) || 'new-thread' || char(31) || '%');
)sql"},
    // A call that did not connect (Interaction.missed): on the interaction,
    // for export, and on each contact's event, for the fold. Older rows were
    // all calls that connected.
    {3, R"sql(
ALTER TABLE interactions ADD COLUMN missed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact_events ADD COLUMN missed INTEGER NOT NULL DEFAULT 0;
)sql"},
    // A cadence per contact (Contact.every, every_max), in microseconds;
    // NULL: the tag's or circle's default.
    {4, R"sql(
ALTER TABLE contacts ADD COLUMN every INTEGER;
ALTER TABLE contacts ADD COLUMN every_max INTEGER;
)sql"},
};

}  // namespace

std::span<const Migration> Migrations() {
  return kMigrations;
}

std::string JoinList(std::span<const std::string> items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += kSeparator;
    }
    out += items[i];
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) {
    return out;
  }
  std::size_t start = 0;
  for (std::size_t i = 0; i <= joined.size(); ++i) {
    if (i == joined.size() || joined[i] == kSeparator) {
      out.emplace_back(joined.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace warmth::store
