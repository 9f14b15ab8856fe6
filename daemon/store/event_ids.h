#pragma once

#include <string>
#include <string_view>

#include <sqlite3.h>

#include "daemon/core/journal.h"
#include "daemon/core/status.h"

namespace warmth::store {

// The StableHash of every stored event id, read on `db` into one array and
// sorted into a core::EventIdSet.
core::Result<core::StoredEventIds> ReadEventIds(sqlite3* db);

// The same on a read-only connection of its own to the file at `path`, so
// that it can run on another thread (and core) while the load reads the
// contacts and their events on the main connection.
core::Result<core::StoredEventIds> ReadEventIds(const std::string& path);

}  // namespace warmth::store
