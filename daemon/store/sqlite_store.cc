#include "daemon/store/sqlite_store.h"

#include <algorithm>
#include <functional>
#include <future>
#include <limits>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/core/time.h"
#include "daemon/store/event_ids.h"
#include "daemon/store/schema.h"
#include "daemon/store/statement.h"

namespace warmth::store {
namespace {

using core::Status;

// A file that a second connection opened by its path reaches.
bool IsPlainFile(const std::string& path) {
  return !path.empty() && path != ":memory:" && !path.starts_with("file:");
}

// The store holds the user's relationships: it is created owner-only (0600)
// whatever the umask, and a store an earlier version left 0644 is narrowed.
// SQLite gives the WAL and shared-memory files the database file's mode.
void MakeOwnerOnly(const std::string& path) {
  if (!IsPlainFile(path)) {
    return;
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return;  // sqlite3_open_v2 reports why
  }
  ::fchmod(fd, 0600);
  ::close(fd);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    ::chmod((path + suffix).c_str(), 0600);  // where they exist
  }
}

// PRAGMA quick_check on a read-only connection of its own.
Status QuickCheck(const std::string& path) {
  sqlite3* db = nullptr;
  bool ok = false;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) ==
      SQLITE_OK) {
    Statement check(db, "PRAGMA quick_check");
    ok = check.ok() && check.Step() == SQLITE_ROW && check.Text(0) == "ok";
  }
  sqlite3_close(db);
  if (!ok) {
    return Status::Internal("store: " + path +
                            " is damaged (quick_check failed); restore a backup or move it aside");
  }
  return Status::Ok();
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                             StoreOptions options) {
  MakeOwnerOnly(path);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "store: cannot open " + path + ": " +
                          (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return Status::Unavailable(std::move(message));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path, options));
  if (Status s = store->Migrate(); !s.ok()) {
    return s;
  }
  if (Status s = store->Prepare(); !s.ok()) {
    return s;
  }
  return store;
}

SqliteStore::SqliteStore(sqlite3* db, std::string path, StoreOptions options)
    : db_(db), path_(std::move(path)), options_(options) {}

SqliteStore::~SqliteStore() {
  statements_.clear();
  sqlite3_close(db_);
}

Status SqliteStore::Error(std::string_view what) const {
  return ErrorOf(db_, what);
}

Status SqliteStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return Error("exec");
  }
  return Status::Ok();
}

void SqliteStore::Rollback() {
  // Nothing to report if it fails: SQLite has then rolled back already.
  if (sqlite3_get_autocommit(db_) == 0) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status SqliteStore::Configure() {
  if (Status s = Exec("PRAGMA journal_mode=WAL"); !s.ok()) {
    return s;
  }
  if (Status s = Exec("PRAGMA synchronous=FULL"); !s.ok()) {
    return s;
  }
  // What is deleted or overwritten is zeroed, in the page and in freed
  // pages: a forgotten contact (RemoveContact.forget) leaves no bytes behind,
  // and neither does an earlier edit of it (an old name, a merged unsorted
  // contact's row). Only for the whole connection can it reach that slack:
  // left off, every update before the forget would have left its old cell in
  // the page. Inserts, nearly all of the daemon's writes, cost the same.
  if (Status s = Exec("PRAGMA secure_delete=ON"); !s.ok()) {
    return s;
  }
  // SQLite's own page cache (2 MiB by default): the contact_events pages a
  // commit touches are spread over every contact written to, and a page
  // that fell out of the cache was read back from the file (pread) before
  // being changed, on the writer's core.
  if (options_.cache_kib > 0) {
    const std::string pragma = "PRAGMA cache_size=-" + std::to_string(options_.cache_kib);
    if (Status s = Exec(pragma.c_str()); !s.ok()) {
      return s;
    }
  }
  sqlite3_wal_hook(db_, &SqliteStore::OnWalCommit, this);
  // After a checkpoint the WAL file is cut back to this size.
  if (Status s = Exec("PRAGMA journal_size_limit=67108864"); !s.ok()) {
    return s;
  }
  if (options_.max_page_count > 0) {
    const std::string pragma = "PRAGMA max_page_count=" + std::to_string(options_.max_page_count);
    if (Status s = Exec(pragma.c_str()); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status SqliteStore::Migrate() {
  // A file that is not a database fails here, at its first read.
  Statement version(db_, "PRAGMA user_version");
  if (!version.ok() || version.Step() != SQLITE_ROW) {
    const int code = sqlite3_errcode(db_);
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
      return Status::Internal("store: " + path_ + " is not a warmth database or is damaged");
    }
    return Error("reading the schema version");
  }
  schema_version_ = static_cast<int>(version.Int(0));
  version.Reset();
  if (schema_version_ > kSchemaVersion) {
    return Status::FailedPrecondition("store: " + path_ + " has schema version " +
                                      std::to_string(schema_version_) +
                                      ", newer than this warmthd understands (" +
                                      std::to_string(kSchemaVersion) + "); run a newer warmthd");
  }
  if (Status s = Configure(); !s.ok()) {
    return s;
  }
  if (options_.check_on_open && schema_version_ == kSchemaVersion) {
    // Nothing to migrate: the check reads the file on a connection and a
    // core of its own while LoadInto reads it on this one, and LoadInto
    // waits for it. A start-up costs the longer of the two, not the sum.
    check_ = std::async(std::launch::async, [path = path_] { return QuickCheck(path); });
  } else if (options_.check_on_open && schema_version_ > 0) {
    // A damaged file is never migrated.
    if (Status s = QuickCheck(path_); !s.ok()) {
      return s;
    }
  }
  for (const Migration& m : Migrations()) {
    if (m.version <= schema_version_) {
      continue;
    }
    if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) {
      return s;
    }
    Status s = Exec(m.sql);
    if (s.ok()) {
      s = Exec(("PRAGMA user_version=" + std::to_string(m.version)).c_str());
    }
    if (s.ok()) {
      s = Exec("COMMIT");
    }
    if (!s.ok()) {
      Rollback();
      return Status(s.code(), "store: migration to schema " + std::to_string(m.version) +
                                  " failed: " + s.message());
    }
    schema_version_ = m.version;
  }
  return Status::Ok();
}

Status SqliteStore::Prepare() {
  const auto make = [this](Statement*& slot, const char* sql) {
    statements_.push_back(std::make_unique<Statement>(db_, sql));
    slot = statements_.back().get();
    return slot->ok();
  };
  const bool ok =
      make(upsert_contact_,
           "INSERT INTO contacts (cid, id, display_name, identifiers, circle, city, "
           "birthday_month, birthday_day, birthday_year, tags, muted, family, snoozed_until, "
           "created_at, every, every_max) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
           "?12, ?13, ?14, ?15, ?16) "
           "ON CONFLICT (cid) DO UPDATE SET id = ?2, display_name = ?3, identifiers = ?4, "
           "circle = ?5, city = ?6, birthday_month = ?7, birthday_day = ?8, birthday_year = ?9, "
           "tags = ?10, muted = ?11, family = ?12, snoozed_until = ?13, every = ?15, "
           "every_max = ?16") &&
      make(delete_identifiers_, "DELETE FROM identifiers WHERE cid = ?1") &&
      make(insert_identifier_,
           "INSERT OR REPLACE INTO identifiers (identifier, cid) VALUES (?1, ?2)") &&
      make(delete_contact_events_, "DELETE FROM contact_events WHERE cid = ?1") &&
      // The interactions only this contact's events point to. One scan of
      // contact_events (it has no index on seq); a forget is rare.
      make(delete_own_interactions_,
           "DELETE FROM interactions WHERE seq IN (SELECT seq FROM contact_events WHERE cid = ?1 "
           "EXCEPT SELECT seq FROM contact_events WHERE cid <> ?1)") &&
      make(delete_contact_, "DELETE FROM contacts WHERE cid = ?1") &&
      make(move_contact_events_, "UPDATE OR IGNORE contact_events SET cid = ?2 WHERE cid = ?1") &&
      make(insert_interaction_,
           "INSERT INTO interactions (event_id, occurred_at, channel, direction, source, tags, "
           "received_at, missed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") &&
      make(insert_contact_event_,
           "INSERT OR IGNORE INTO contact_events (cid, occurred_at, seq, channel, direction, "
           "pitch, new_thread, missed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") &&
      make(upsert_nudge_,
           "INSERT INTO nudges (id, key, kind, contact_ids, text, warmth, suggested_channel, "
           "due_at, published_at, trip_id, state, snoozed_until) VALUES (?1, ?2, ?3, ?4, ?5, "
           "?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (id) DO UPDATE SET contact_ids = ?4, "
           "text = ?5, state = ?11, snoozed_until = ?12") &&
      make(delete_nudge_, "DELETE FROM nudges WHERE id = ?1") &&
      make(upsert_trip_,
           "INSERT OR REPLACE INTO trips (id, city, starts_at, ends_at, tags) VALUES (?1, ?2, "
           "?3, ?4, ?5)") &&
      make(delete_trip_, "DELETE FROM trips WHERE id = ?1") &&
      make(find_event_at_, "SELECT 1 FROM interactions WHERE occurred_at = ?1 AND event_id = ?2") &&
      make(find_event_, "SELECT 1 FROM interactions WHERE event_id = ?1 LIMIT 1") &&
      make(recent_,
           "SELECT i.event_id, i.occurred_at, i.channel, i.direction, i.source, i.tags, "
           "i.received_at, i.missed FROM contact_events e JOIN interactions i ON i.seq = e.seq "
           "WHERE e.cid = (SELECT cid FROM contacts WHERE id = ?1) "
           "ORDER BY e.occurred_at DESC, e.seq DESC LIMIT ?2") &&
      make(interactions_page_,
           "SELECT seq, event_id, occurred_at, channel, direction, source, tags, received_at, "
           "missed FROM interactions WHERE (occurred_at, event_id) > (?1, ?2) "
           "ORDER BY occurred_at, event_id LIMIT ?3") &&
      // Who a page of interactions counts for. contact_events has no index on
      // seq (ingest pays for every index): contacts drive the join, and each
      // contact's events in the page's time range come from the primary key
      // (cid, occurred_at, seq). One seek per contact per page.
      make(page_contacts_,
           "SELECT e.seq, c.id FROM contacts c CROSS JOIN contact_events e ON e.cid = c.cid "
           "WHERE e.occurred_at BETWEEN ?1 AND ?2 ORDER BY c.cid");
  return ok ? Status::Ok() : Error("preparing statements");
}

namespace {

core::ContactRow ContactRowOf(const Statement& q) {
  core::ContactRow row;
  row.cid = q.Int(0);
  row.contact.id = q.Text(1);
  row.contact.display_name = q.Text(2);
  row.contact.identifiers = SplitList(q.Text(3));
  row.contact.circle = static_cast<core::Circle>(q.Int(4));
  row.contact.city = q.Text(5);
  if (!q.IsNull(6)) {
    row.contact.birthday = core::Birthday{static_cast<int>(q.Int(6)), static_cast<int>(q.Int(7)),
                                          static_cast<int>(q.Int(8))};
  }
  row.contact.tags = SplitList(q.Text(9));
  row.contact.muted = q.Int(10) != 0;
  row.contact.family = q.Int(11) != 0;
  row.snoozed_until = q.Time(12);
  row.created_at = core::FromUnixMicros(q.Int(13));
  if (!q.IsNull(14)) {
    row.contact.every = core::Duration(q.Int(14));
  }
  if (!q.IsNull(15)) {
    row.contact.every_max = core::Duration(q.Int(15));
  }
  return row;
}

core::Nudge NudgeOf(const Statement& q) {
  core::Nudge n;
  n.id = q.Text(0);
  n.key = q.Text(1);
  n.kind = static_cast<core::NudgeKind>(q.Int(2));
  n.contact_ids = SplitList(q.Text(3));
  n.text = q.Text(4);
  n.warmth = q.Double(5);
  n.suggested_channel = static_cast<core::Channel>(q.Int(6));
  n.due_at = core::FromUnixMicros(q.Int(7));
  n.published_at = core::FromUnixMicros(q.Int(8));
  n.trip_id = q.Text(9);
  n.state = static_cast<core::NudgeState>(q.Int(10));
  n.snoozed_until = q.Time(11);
  return n;
}

}  // namespace

Status SqliteStore::Scan(const char* sql, std::string_view what,
                         const std::function<void(const Statement&)>& row) {
  Statement q(db_, sql);
  int rc = SQLITE_ERROR;
  while (q.ok() && (rc = q.Step()) == SQLITE_ROW) {
    row(q);
  }
  return rc == SQLITE_DONE ? Status::Ok() : Error(what);
}

Status SqliteStore::Checked() {
  if (check_.valid()) {
    check_status_ = check_.get();
  }
  return check_status_;
}

Status SqliteStore::LoadInto(core::LoadTarget& engine) {
  Status s = LoadRows(engine);
  // A damaged file is refused as damaged, whatever the load ran into first.
  if (Status checked = Checked(); !checked.ok()) {
    return checked;
  }
  return s;
}

Status SqliteStore::LoadRows(core::LoadTarget& engine) {
  // The event ids are the largest part of a load and no other part needs
  // them: a thread reads them on a connection of its own (to a file; an
  // in-memory store's are read here, after the rest) while this one reads
  // the contacts and their events (docs/performance.md).
  std::future<core::Result<core::StoredEventIds>> beside;
  if (IsPlainFile(path_)) {
    beside = std::async(std::launch::async, [path = path_] { return ReadEventIds(path); });
  }
  Status s = LoadContactsAndEvents(engine);
  if (s.ok()) {
    s = Scan("SELECT id, city, starts_at, ends_at, tags FROM trips", "loading trips",
             [&](const Statement& q) {
               engine.LoadTrip(core::Trip{std::string(q.Text(0)), std::string(q.Text(1)),
                                          core::FromUnixMicros(q.Int(2)),
                                          core::FromUnixMicros(q.Int(3)), SplitList(q.Text(4))});
             });
  }
  if (s.ok()) {
    s = Scan(
        "SELECT id, key, kind, contact_ids, text, warmth, suggested_channel, due_at, "
        "published_at, trip_id, state, snoozed_until FROM nudges",
        "loading nudges", [&](const Statement& q) { engine.LoadNudge(NudgeOf(q)); });
  }
  if (beside.valid() || s.ok()) {  // the thread is joined whatever happened here
    auto ids = beside.valid() ? beside.get() : ReadEventIds(db_);
    if (s.ok() && !ids.ok()) {
      s = ids.status();
    } else if (s.ok()) {
      engine.LoadEventIds(std::move(ids).value());
    }
  }
  return s;
}

Status SqliteStore::LoadContactsAndEvents(core::LoadTarget& engine) {
  Status s = Scan("SELECT max(cid) FROM contacts", "loading contacts", [&](const Statement& q) {
    constexpr std::int64_t kMostReserved = std::int64_t{1} << 24;  // against a number set by hand
    engine.ReserveContacts(std::clamp<std::int64_t>(q.Int(0), 0, kMostReserved));
  });
  if (s.ok()) {
    s = Scan(
        "SELECT cid, id, display_name, identifiers, circle, city, birthday_month, birthday_day, "
        "birthday_year, tags, muted, family, snoozed_until, created_at, every, every_max "
        "FROM contacts",
        "loading contacts", [&](const Statement& q) { engine.LoadContact(ContactRowOf(q)); });
  }
  // Each contact's events handed over at once: its history is allocated
  // once, at its size.
  std::vector<core::Event> history;
  std::int64_t cid = 0;
  if (s.ok()) {
    s = Scan(
        "SELECT cid, occurred_at, channel, direction, pitch, new_thread, missed "
        "FROM contact_events "
        "ORDER BY cid, occurred_at, seq",
        "loading interactions", [&](const Statement& q) {
          if (q.Int(0) != cid && !history.empty()) {
            engine.LoadEvents(cid, history);
            history.clear();
          }
          cid = q.Int(0);
          history.push_back(core::Event{
              core::FromUnixMicros(q.Int(1)), static_cast<core::Channel>(q.Int(2)),
              static_cast<core::Direction>(q.Int(3)), q.Int(4) != 0, q.Int(5) != 0, q.Int(6) != 0});
        });
  }
  if (s.ok() && !history.empty()) {
    engine.LoadEvents(cid, history);
  }
  return s;
}

Status SqliteStore::Done(Statement* s, std::string_view what) {
  return s->Run() == SQLITE_DONE ? Status::Ok() : Error(what);
}

Status SqliteStore::WriteContact(const core::ContactRow& c) {
  const core::Contact& k = c.contact;
  upsert_contact_->Bind(1, c.cid)
      .Bind(2, k.id)
      .Bind(3, k.display_name)
      .Bind(4, JoinList(k.identifiers))
      .Bind(5, k.circle)
      .Bind(6, k.city)
      .Bind(10, JoinList(k.tags))
      .Bind(11, k.muted)
      .Bind(12, k.family)
      .Bind(13, c.snoozed_until)
      .Bind(14, c.created_at);
  if (k.every) {
    upsert_contact_->Bind(15, static_cast<std::int64_t>(k.every->count()));
  }
  if (k.every_max) {
    upsert_contact_->Bind(16, static_cast<std::int64_t>(k.every_max->count()));
  }
  if (k.birthday) {
    upsert_contact_->Bind(7, k.birthday->month).Bind(8, k.birthday->day).Bind(9, k.birthday->year);
  }
  if (Status s = Done(upsert_contact_, "writing a contact"); !s.ok()) {
    return s;
  }
  if (Status s = Done(&delete_identifiers_->Bind(1, c.cid), "writing identifiers"); !s.ok()) {
    return s;
  }
  for (const auto& ident : k.identifiers) {
    insert_identifier_->Bind(1, ident).Bind(2, c.cid);
    if (Status s = Done(insert_identifier_, "writing identifiers"); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status SqliteStore::RemoveContactRows(std::int64_t cid, std::string_view what, bool forget) {
  Status s = forget ? Done(&delete_own_interactions_->Bind(1, cid), what) : Status::Ok();
  if (s.ok()) {
    s = Done(&delete_contact_events_->Bind(1, cid), what);
  }
  if (s.ok()) {
    s = Done(&delete_identifiers_->Bind(1, cid), what);
  }
  return s.ok() ? Done(&delete_contact_->Bind(1, cid), what) : s;
}

Status SqliteStore::WriteInteraction(const core::InteractionRow& i) {
  const core::Interaction& in = i.interaction;
  insert_interaction_->Bind(1, in.event_id)
      .Bind(2, *in.occurred_at)
      .Bind(3, in.channel)
      .Bind(4, in.direction)
      .Bind(5, in.source)
      .Bind(6, JoinList(in.tags))
      .Bind(7, i.received_at)
      .Bind(8, in.missed);
  if (Status s = Done(insert_interaction_, "writing an interaction"); !s.ok()) {
    return s;
  }
  const std::int64_t seq = sqlite3_last_insert_rowid(db_);
  for (std::int64_t cid : i.cids) {
    insert_contact_event_->Bind(1, cid)
        .Bind(2, *in.occurred_at)
        .Bind(3, seq)
        .Bind(4, in.channel)
        .Bind(5, in.direction)
        .Bind(6, i.pitch)
        .Bind(7, i.new_thread)
        .Bind(8, in.missed);
    if (Status s = Done(insert_contact_event_, "writing an interaction"); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status SqliteStore::Apply(const core::Change& change) {
  if (const auto* c = std::get_if<core::ContactRow>(&change)) {
    return WriteContact(*c);
  }
  if (const auto* r = std::get_if<core::ContactRemoved>(&change)) {
    forgot_ = forgot_ || r->forget;
    return RemoveContactRows(r->cid, r->forget ? "forgetting a contact" : "removing a contact",
                             r->forget);
  }
  if (const auto* m = std::get_if<core::ContactsMerged>(&change)) {
    // The identifiers moved to `into` were rewritten by its ContactRow, which
    // comes first in the journal; an event both had stays once (OR IGNORE).
    Status s = Done(&move_contact_events_->Bind(1, m->from).Bind(2, m->into), "merging contacts");
    return s.ok() ? RemoveContactRows(m->from, "merging contacts") : s;
  }
  if (const auto* i = std::get_if<core::InteractionRow>(&change)) {
    return WriteInteraction(*i);
  }
  if (const auto* n = std::get_if<core::NudgeRow>(&change)) {
    const core::Nudge& x = n->nudge;
    upsert_nudge_->Bind(1, x.id)
        .Bind(2, x.key)
        .Bind(3, x.kind)
        .Bind(4, JoinList(x.contact_ids))
        .Bind(5, x.text)
        .Bind(6, x.warmth)
        .Bind(7, x.suggested_channel)
        .Bind(8, x.due_at)
        .Bind(9, x.published_at)
        .Bind(10, x.trip_id)
        .Bind(11, x.state)
        .Bind(12, x.snoozed_until);
    return Done(upsert_nudge_, "writing a nudge");
  }
  if (const auto* n = std::get_if<core::NudgeRemoved>(&change)) {
    return Done(&delete_nudge_->Bind(1, n->id), "removing a nudge");
  }
  if (const auto* t = std::get_if<core::TripRow>(&change)) {
    upsert_trip_->Bind(1, t->trip.id)
        .Bind(2, t->trip.city)
        .Bind(3, t->trip.starts_at)
        .Bind(4, t->trip.ends_at)
        .Bind(5, JoinList(t->trip.tags));
    return Done(upsert_trip_, "writing a trip");
  }
  if (const auto* t = std::get_if<core::TripRemoved>(&change)) {
    return Done(&delete_trip_->Bind(1, t->id), "removing a trip");
  }
  return Status::Internal("store: unknown change");
}

Status SqliteStore::Write(std::span<const core::Change> changes) {
  if (changes.empty()) {
    return Status::Ok();
  }
  // Nothing is written to a file before its check has passed.
  if (Status checked = Checked(); !checked.ok()) {
    return checked;
  }
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) {
    return s;
  }
  forgot_ = false;
  for (const core::Change& change : changes) {
    if (Status s = Apply(change); !s.ok()) {
      Rollback();
      return s;
    }
  }
  if (Status s = Exec("COMMIT"); !s.ok()) {
    // A failed COMMIT may leave the transaction open (SQLITE_BUSY/FULL).
    Rollback();
    return s;
  }
  if (forgot_) {
    scrub_pending_ = true;
    Scrub();
  }
  return Status::Ok();
}

// The WAL still holds every page as it was before the forget, the contact's
// rows in them: copy the zeroed pages into the database and cut the WAL to
// nothing. The -shm file holds only the WAL's index (page and frame
// numbers), which this resets too.
bool SqliteStore::Scrub() {
  if (!scrub_pending_) {
    return false;
  }
  // TRUNCATE waits for readers to finish (there are none but ours); if
  // another process holds the file, the next Checkpoint tries again.
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) ==
      SQLITE_OK) {
    scrub_pending_ = false;
    wal_pages_ = 0;
  }
  return true;
}

bool SqliteStore::HasEvent(std::string_view event_id, core::TimePoint at) {
  find_event_at_->Bind(1, at).Bind(2, event_id);
  const bool at_time = find_event_at_->Step() == SQLITE_ROW;
  find_event_at_->Reset();
  if (at_time) {
    return true;
  }
  // The same id under another time: rare (a client reusing ids), so a scan.
  find_event_->Bind(1, event_id);
  const bool found = find_event_->Step() == SQLITE_ROW;
  find_event_->Reset();
  return found;
}

std::vector<StoredInteraction> SqliteStore::RecentInteractions(std::string_view contact_id,
                                                               int limit) {
  std::vector<StoredInteraction> out;
  recent_->Bind(1, contact_id).Bind(2, limit);
  while (recent_->Step() == SQLITE_ROW) {
    StoredInteraction& s = out.emplace_back();
    s.interaction.event_id = recent_->Text(0);
    s.interaction.occurred_at = core::FromUnixMicros(recent_->Int(1));
    s.interaction.channel = static_cast<core::Channel>(recent_->Int(2));
    s.interaction.direction = static_cast<core::Direction>(recent_->Int(3));
    s.interaction.source = recent_->Text(4);
    s.interaction.tags = SplitList(recent_->Text(5));
    s.interaction.contacts = {std::string(contact_id)};
    s.received_at = core::FromUnixMicros(recent_->Int(6));
    s.interaction.missed = recent_->Int(7) != 0;
  }
  recent_->Reset();
  return out;
}

core::Result<std::vector<StoredInteraction>> SqliteStore::ListInteractions(
    std::optional<core::TimePoint> since, const std::optional<InteractionKey>& after, int limit) {
  // From `since` means after (since, ""): every stored event id is non-empty.
  std::pair<std::int64_t, std::string> from{std::numeric_limits<std::int64_t>::min(), ""};
  if (since) {
    from.first = core::ToUnixMicros(*since);
  }
  if (after) {
    std::pair<std::int64_t, std::string> key{core::ToUnixMicros(after->occurred_at),
                                             after->event_id};
    if (key > from) {
      from = std::move(key);
    }
  }
  std::vector<StoredInteraction> out;
  std::unordered_map<std::int64_t, std::size_t> by_seq;
  Statement& page = interactions_page_->Bind(1, from.first).Bind(2, from.second).Bind(3, limit);
  int rc = SQLITE_ERROR;
  while ((rc = page.Step()) == SQLITE_ROW) {
    by_seq.emplace(page.Int(0), out.size());
    StoredInteraction& s = out.emplace_back();
    s.interaction.event_id = page.Text(1);
    s.interaction.occurred_at = core::FromUnixMicros(page.Int(2));
    s.interaction.channel = static_cast<core::Channel>(page.Int(3));
    s.interaction.direction = static_cast<core::Direction>(page.Int(4));
    s.interaction.source = page.Text(5);
    s.interaction.tags = SplitList(page.Text(6));
    s.received_at = core::FromUnixMicros(page.Int(7));
    s.interaction.missed = page.Int(8) != 0;
  }
  const Status listed = rc == SQLITE_DONE ? Status::Ok() : Error("listing interactions");
  page.Reset();
  if (!listed.ok()) {
    return listed;
  }
  if (out.empty()) {
    return out;
  }
  Statement& who = page_contacts_->Bind(1, *out.front().interaction.occurred_at)
                       .Bind(2, *out.back().interaction.occurred_at);
  while ((rc = who.Step()) == SQLITE_ROW) {
    // The range also holds events of interactions just outside the page.
    if (const auto it = by_seq.find(who.Int(0)); it != by_seq.end()) {
      out[it->second].interaction.contacts.emplace_back(who.Text(1));
    }
  }
  const Status found = rc == SQLITE_DONE ? Status::Ok() : Error("listing interactions");
  who.Reset();
  if (!found.ok()) {
    return found;
  }
  return out;
}

int SqliteStore::OnWalCommit(void* self, sqlite3* db, const char* /*schema*/, int pages) {
  auto* store = static_cast<SqliteStore*>(self);
  store->wal_pages_ = pages;
  // The safety net when the loop never idles: what SQLite's own
  // auto-checkpoint would do (a hook of our own replaces it).
  if (pages >= store->options_.autocheckpoint_pages) {
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    store->wal_pages_ = 0;
  }
  return SQLITE_OK;
}

bool SqliteStore::Checkpoint(int min_pages) {
  if (Scrub()) {
    return true;
  }
  if (wal_pages_ < min_pages) {
    return false;
  }
  // PASSIVE never waits for readers; this process is the only one, so it
  // copies the whole WAL and the next commit starts the file over.
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  wal_pages_ = 0;
  return true;
}

}  // namespace warmth::store
