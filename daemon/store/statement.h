#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <sqlite3.h>

#include "daemon/core/status.h"
#include "daemon/core/time.h"

namespace warmth::store {

// SQLITE_BUSY, LOCKED, FULL, IOERR, READONLY, CANTOPEN: worth a retry.
inline bool IsTransient(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
         primary == SQLITE_IOERR || primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN;
}

// The error `db` last reported, naming `what`: kUnavailable when transient.
inline core::Status ErrorOf(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  std::string message = "store: " + std::string(what) + ": " + sqlite3_errmsg(db);
  if ((code & 0xff) == SQLITE_FULL) {
    message = "store: " + std::string(what) + ": the disk or database is full";
  }
  return IsTransient(code) ? core::Status::Unavailable(std::move(message))
                           : core::Status::Internal(std::move(message));
}

// A prepared statement, reset after every use.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK && stmt_ != nullptr; }

  Statement& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, int v) { return Bind(i, static_cast<std::int64_t>(v)); }
  Statement& Bind(int i, bool v) { return Bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  Statement& Bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, core::TimePoint t) { return Bind(i, core::ToUnixMicros(t)); }
  Statement& Bind(int i, std::optional<core::TimePoint> t) {
    if (t) {
      return Bind(i, *t);
    }
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  template <typename E>
  requires std::is_enum_v<E> Statement& Bind(int i, E e) {
    return Bind(i, static_cast<std::int64_t>(e));
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  // Runs to completion and resets: SQLITE_DONE on success.
  int Run() {
    int rc = Step();
    while (rc == SQLITE_ROW) {
      rc = Step();
    }
    Reset();
    return rc;
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p == nullptr
               ? std::string_view()
               : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  std::optional<core::TimePoint> Time(int col) const {
    return IsNull(col) ? std::nullopt : std::optional(core::FromUnixMicros(Int(col)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

}  // namespace warmth::store
