#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/core/journal.h"
#include "daemon/core/status.h"
#include "daemon/core/types.h"
#include "daemon/store/schema.h"

struct sqlite3;
struct sqlite3_stmt;

namespace warmth::store {

class Statement;

struct StoreOptions {
  // The writer checkpoints the WAL by itself past this many pages; the daemon
  // also checkpoints in idle gaps (Checkpoint), which keeps the latency tail
  // off the ingest path.
  int autocheckpoint_pages = 16384;
  // The page cache's bound, KiB (PRAGMA cache_size); 0: SQLite's 2 MiB.
  int cache_kib = 32768;
  // 0: no limit. Tests set a small limit to act out a full disk.
  std::int64_t max_page_count = 0;
  // Run PRAGMA quick_check when opening: refuses a damaged file before it
  // is migrated or written to. On a store of the current schema the check
  // runs in a thread of its own while LoadInto reads, and LoadInto (or the
  // first Write) returns its verdict.
  bool check_on_open = true;
};

// An interaction as stored, for GetContact's recent list.
struct StoredInteraction {
  core::Interaction interaction;  // contacts: the contact ids it counted for
  core::TimePoint received_at;
};

// A stored interaction's place in ListInteractions' order.
struct InteractionKey {
  core::TimePoint occurred_at;
  std::string event_id;
};

// The SQLite store: WAL mode, synchronous=FULL, versioned migrations
// (PRAGMA user_version), prepared statements only. Not thread-safe: one
// thread at a time (the daemon's writer during a commit, its loop otherwise).
class SqliteStore {
 public:
  // The newest schema this build knows.
  static constexpr int kSchemaVersion = 4;

  // Opens or creates the database at `path` (":memory:" for tests) and
  // migrates it. kFailedPrecondition for a file written by a newer warmthd,
  // kInternal for a file that is not a database or is damaged, kUnavailable
  // when it cannot be opened. Never resets or rewrites existing data.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         StoreOptions options = {});
  ~SqliteStore();
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Loads every contact, event, event id, trip and nudge into `engine`
  // (Load* calls; the caller calls FinishLoad). kInternal on a read error,
  // or when the check on opening found the file damaged (that error first).
  core::Status LoadInto(core::LoadTarget& engine);

  // Writes `changes` in one transaction and commits. kUnavailable when the
  // database is locked or the disk is full, kInternal otherwise; nothing is
  // written then. After a forget (ContactRemoved::forget) it also
  // checkpoints and truncates the WAL before returning, so that neither
  // the database nor its WAL holds the forgotten rows; when another process
  // keeps it from that, Checkpoint tries again.
  core::Status Write(std::span<const core::Change> changes);

  // Does the store hold an interaction with this event id? Looks at
  // (occurred_at, event_id) first, through its index, and only then scans
  // for the id under another time.
  bool HasEvent(std::string_view event_id, core::TimePoint at);

  // The newest `limit` interactions of a contact, newest first.
  std::vector<StoredInteraction> RecentInteractions(std::string_view contact_id, int limit);

  // Up to `limit` interactions in (occurred_at, event_id) order: from
  // `since` on, and strictly after `after`. Each one's contacts are the ids
  // of the contacts it counts for now, oldest contact first; empty when they
  // were all removed. kInternal on a read error.
  core::Result<std::vector<StoredInteraction>> ListInteractions(
      std::optional<core::TimePoint> since, const std::optional<InteractionKey>& after, int limit);

  // PASSIVE checkpoint when the WAL holds at least `min_pages` pages; the
  // daemon calls it in idle gaps. First, a truncation a forget still owes.
  // True if it checkpointed.
  bool Checkpoint(int min_pages = 256);
  int wal_pages() const { return wal_pages_; }

  int schema_version() const { return schema_version_; }
  const std::string& path() const { return path_; }

 private:
  SqliteStore(sqlite3* db, std::string path, StoreOptions options);
  static int OnWalCommit(void* self, sqlite3* db, const char* schema, int pages);
  // The connection's pragmas: WAL, synchronous=FULL, secure_delete, the
  // page cache, the WAL hook and size limit, max_page_count.
  core::Status Configure();
  core::Status Migrate();
  core::Status LoadRows(core::LoadTarget& engine);
  core::Status LoadContactsAndEvents(core::LoadTarget& engine);
  // The verdict of the check started on opening (waits for it); Ok when none.
  core::Status Checked();
  core::Status Prepare();
  core::Status Apply(const core::Change& change);
  core::Status WriteContact(const core::ContactRow& c);
  core::Status WriteInteraction(const core::InteractionRow& i);
  core::Status RemoveContactRows(std::int64_t cid, std::string_view what, bool forget = false);
  // The TRUNCATE checkpoint a forget owes, if it does; true if it tried.
  bool Scrub();
  // Runs `s` to completion: ok, or the error naming `what`.
  core::Status Done(Statement* s, std::string_view what);
  // Runs `sql` and hands each row to `row`; the error names `what`.
  core::Status Scan(const char* sql, std::string_view what,
                    const std::function<void(const Statement&)>& row);
  core::Status Exec(const char* sql);
  void Rollback();
  core::Status Error(std::string_view what) const;

  sqlite3* db_;
  std::string path_;
  StoreOptions options_;
  int schema_version_ = 0;
  int wal_pages_ = 0;
  bool forgot_ = false;              // the transaction being written holds a forget
  bool scrub_pending_ = false;       // a forget is committed, its WAL not yet truncated
  std::future<core::Status> check_;  // the quick_check running since Open
  core::Status check_status_;
  std::vector<std::unique_ptr<Statement>> statements_;
  Statement* upsert_contact_ = nullptr;
  Statement* delete_identifiers_ = nullptr;
  Statement* insert_identifier_ = nullptr;
  Statement* delete_contact_events_ = nullptr;
  Statement* delete_own_interactions_ = nullptr;
  Statement* delete_contact_ = nullptr;
  Statement* move_contact_events_ = nullptr;
  Statement* insert_interaction_ = nullptr;
  Statement* insert_contact_event_ = nullptr;
  Statement* upsert_nudge_ = nullptr;
  Statement* delete_nudge_ = nullptr;
  Statement* upsert_trip_ = nullptr;
  Statement* delete_trip_ = nullptr;
  Statement* find_event_at_ = nullptr;
  Statement* find_event_ = nullptr;
  Statement* recent_ = nullptr;
  Statement* interactions_page_ = nullptr;
  Statement* page_contacts_ = nullptr;
};

}  // namespace warmth::store
