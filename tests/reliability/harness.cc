#include "tests/reliability/harness.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

#include <sqlite3.h>

namespace warmth::testing {

std::string WarmthLoadPath() {
  return WARMTH_LOAD_PATH;
}

StoreReader::StoreReader(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
}

StoreReader::~StoreReader() {
  sqlite3_close(db_);
}

void StoreReader::Query(const std::string& sql,
                        const std::function<void(const std::vector<std::string>&)>& row) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
  }
  std::vector<std::string> columns(static_cast<std::size_t>(sqlite3_column_count(stmt)));
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      columns[static_cast<std::size_t>(i)] = text != nullptr ? text : "";
    }
    row(columns);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
  }
}

std::string StoreReader::One(const std::string& sql) {
  std::string out;
  bool first = true;
  Query(sql, [&](const std::vector<std::string>& c) {
    if (first && !c.empty()) {
      out = c[0];
    }
    first = false;
  });
  return out;
}

std::string StoreReader::IntegrityCheck() {
  std::string out;
  Query("PRAGMA integrity_check",
        [&](const std::vector<std::string>& c) { out += (out.empty() ? "" : "\n") + c[0]; });
  return out;
}

double RecomputeWarmth(std::vector<StoredEvent> events, int circle, bool family,
                       core::TimePoint now) {
  constexpr double kDay = 86400.0 * 1e6;  // microseconds
  // DESIGN.md: INNER 7 d, CLOSE 30 d, NETWORK 180 d, ACQUAINTANCE 365 d, unsorted 90 d.
  const double half_lives[] = {90 * kDay, 7 * kDay, 30 * kDay, 180 * kDay, 365 * kDay};
  // IN_PERSON 60, CALL 45, VIDEO 35, VOICE_MESSAGE 20, LETTER 25, MESSAGE 10, EMAIL 8, SOCIAL 2.
  const double gains[] = {0, 60, 45, 35, 20, 25, 10, 8, 2};
  const double h = half_lives[circle] * (family ? 2.0 : 1.0);
  std::stable_sort(events.begin(), events.end(),
                   [](const StoredEvent& a, const StoredEvent& b) { return a.at < b.at; });
  double w = 0;
  std::optional<core::TimePoint> last;
  const auto decay = [&](core::TimePoint to) {
    if (last && to > *last) {
      w *= std::exp2(-static_cast<double>((to - *last).count()) / h);
    }
  };
  for (const StoredEvent& e : events) {
    decay(e.at);
    const bool live = e.channel >= 1 && e.channel <= 3;
    const double g = gains[e.channel] * (e.direction == 2 && !live ? 0.5 : 1.0);
    w = std::clamp(w + g * (1 - w / 100), 0.0, 100.0);
    last = e.at;
  }
  decay(now);
  return w;
}

std::vector<std::pair<std::string, StoredContact>> ReadContacts(StoreReader& store) {
  std::map<std::string, StoredContact> by_id;
  std::map<std::string, std::string> id_of_cid;
  store.Query("SELECT cid, id, circle, family FROM contacts", [&](const auto& c) {
    id_of_cid[c[0]] = c[1];
    by_id[c[1]] = StoredContact{std::stoi(c[2]), c[3] == "1", {}};
  });
  store.Query(
      "SELECT cid, occurred_at, channel, direction FROM contact_events", [&](const auto& c) {
        const auto it = id_of_cid.find(c[0]);
        if (it == id_of_cid.end()) {
          throw std::runtime_error("contact_events row for a missing contact " + c[0]);
        }
        by_id[it->second].events.push_back(
            StoredEvent{core::FromUnixMicros(std::stoll(c[1])), std::stoi(c[2]), std::stoi(c[3])});
      });
  return {by_id.begin(), by_id.end()};
}

}  // namespace warmth::testing
