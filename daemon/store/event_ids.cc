#include "daemon/store/event_ids.h"

#include <algorithm>

#include "daemon/core/identifiers.h"
#include "daemon/store/statement.h"

namespace warmth::store {

using core::Status;

core::Result<core::StoredEventIds> ReadEventIds(sqlite3* db) {
  constexpr std::string_view kWhat = "loading event ids";
  Statement highest(db, "SELECT max(seq) FROM interactions");
  if (!highest.ok() || highest.Step() != SQLITE_ROW) {
    return ErrorOf(db, kWhat);
  }
  // Interactions are numbered from 1 and never renumbered: there are at
  // most as many as the highest number (fewer after a forget). The cap
  // keeps a number set by hand from asking for gigabytes.
  constexpr std::int64_t kMostReserved = std::int64_t{1} << 26;
  std::vector<std::uint64_t> hashes;
  hashes.reserve(
      static_cast<std::size_t>(std::clamp<std::int64_t>(highest.Int(0), 0, kMostReserved)));
  Statement q(db, "SELECT event_id FROM interactions");
  int rc = SQLITE_ERROR;
  while (q.ok() && (rc = q.Step()) == SQLITE_ROW) {
    hashes.push_back(core::StableHash(q.Text(0)));
  }
  if (rc != SQLITE_DONE) {
    return ErrorOf(db, kWhat);
  }
  const auto rows = static_cast<std::int64_t>(hashes.size());
  return core::StoredEventIds{core::EventIdSet(std::move(hashes)), rows};
}

core::Result<core::StoredEventIds> ReadEventIds(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    Status s = db != nullptr ? ErrorOf(db, "loading event ids")
                             : Status::Internal("store: loading event ids: out of memory");
    sqlite3_close(db);
    return s;
  }
  auto ids = ReadEventIds(db);
  sqlite3_close(db);
  return ids;
}

}  // namespace warmth::store
