#include "bench/ingest/scale.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <numeric>
#include <random>
#include <vector>

#include <sqlite3.h>

#include "base/proc_status.h"
#include "bench/ingest/clients.h"
#include "bench/ingest/warmthd_process.h"
#include "clients/common/client.h"
#include "daemon/core/engine.h"
#include "daemon/store/sqlite_store.h"
#include "daemon/store/statement.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::bench {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::warmth::v1;
using core::Status;
using Clock = std::chrono::steady_clock;

// Interactions the engine takes and the store commits at a time.
constexpr std::int64_t kChunk = 10'000;
// A large store takes warmthd long to load: this long before giving up.
constexpr std::chrono::seconds kStartPatience{900};

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Identifier(std::int64_t k) {
  return "p" + std::to_string(k) + "@scale.test";
}

// The k-th contact named in a round: every contact once per round, in an
// order spread over the pool (a stride prime to the pool's size).
class RoundOrder {
 public:
  explicit RoundOrder(std::int64_t n) : n_(n) {
    stride_ = 1'000'003;
    while (std::gcd(stride_, n_) != 1) {
      ++stride_;
    }
  }
  std::int64_t operator()(std::int64_t event) const {
    const std::int64_t i = event % n_;
    const std::int64_t round = event / n_;
    return (i * stride_ + round) % n_;  // below 2^63 for any pool under 10^12
  }

 private:
  std::int64_t n_;
  std::int64_t stride_;
};

// The store of `load` at `path`, written as warmthd writes it: the engine's
// journal committed in chunks. Every sorted_every-th contact gets a circle
// first; then per_contact rounds of interactions in time order, over the two
// years before `now`, each batch ingested at its last event's time (as if
// lived).
Status BuildStore(const std::string& path, const ScaleLoad& load, core::TimePoint now) {
  auto opened = store::SqliteStore::Open(path);
  if (!opened.ok()) {
    return opened.status();
  }
  store::SqliteStore& store = **opened;
  const core::TimePoint start = now - std::chrono::hours(24 * 730);
  core::Engine engine(core::EngineOptions{}, nullptr);
  engine.FinishLoad(start);
  constexpr std::array kCircles = {core::Circle::kInner, core::Circle::kClose,
                                   core::Circle::kNetwork, core::Circle::kAcquaintance};
  const int every = std::max(1, load.sorted_every);
  for (std::int64_t k = 0; k < load.contacts; k += every) {
    core::Contact c;
    c.id = "s" + std::to_string(k);
    c.identifiers = {Identifier(k)};
    c.circle = kCircles[static_cast<std::size_t>(k / every) % kCircles.size()];
    if (auto r = engine.UpsertContact(std::move(c), start); !r.ok()) {
      return r.status();
    }
    if ((k / every) % kChunk == kChunk - 1) {
      if (Status s = store.Write(engine.TakeJournal()); !s.ok()) {
        return s;
      }
    }
  }
  if (Status s = store.Write(engine.TakeJournal()); !s.ok()) {
    return s;
  }
  const std::int64_t total = load.contacts * load.per_contact;
  const core::Duration step =
      (now - std::chrono::hours(1) - start) / std::max<std::int64_t>(total, 1);
  const RoundOrder order(load.contacts);
  std::mt19937 rng(7);
  constexpr std::array kChannels = {core::Channel::kEmail,   core::Channel::kEmail,
                                    core::Channel::kMessage, core::Channel::kCall,
                                    core::Channel::kVideo,   core::Channel::kInPerson};
  std::vector<core::Interaction> batch;
  for (std::int64_t n = 0; n < total;) {
    batch.clear();
    for (; n < total && static_cast<std::int64_t>(batch.size()) < kChunk; ++n) {
      core::Interaction in;
      in.event_id = "x" + std::to_string(n);
      in.contacts = {Identifier(order(n))};
      in.channel = kChannels[rng() % kChannels.size()];
      in.direction = rng() % 2 == 0 ? core::Direction::kInbound : core::Direction::kOutbound;
      in.occurred_at = start + step * n;
      batch.push_back(std::move(in));
    }
    for (const core::IngestItem& item : engine.Ingest(batch, start + step * n)) {
      if (item.outcome != core::IngestOutcome::kAccepted) {
        return Status::Internal("event " + item.event_id + " not accepted: " + item.reason);
      }
    }
    if (Status s = store.Write(engine.TakeJournal()); !s.ok()) {
      return s;
    }
  }
  store.Checkpoint(0);
  return Status::Ok();
}

// Seconds that `read` takes on a read-only connection to `path`; its
// problem ("" when none) fails the measurement.
template <typename Read>
core::Result<double> TimeReading(const std::string& path, Read read) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::Unavailable("cannot open " + path);
  }
  const auto start = Clock::now();
  const std::string problem = read(db);
  const double seconds = Since(start);
  sqlite3_close(db);
  if (!problem.empty()) {
    return Status::Internal(path + ": " + problem);
  }
  return seconds;
}

// Every column of every contacts row, as warmthd reads them: the least a
// start-up must read.
core::Result<double> ScanContacts(const std::string& path) {
  return TimeReading(path, [](sqlite3* db) -> std::string {
    store::Statement scan(db,
                          "SELECT cid, id, display_name, identifiers, circle, city, "
                          "birthday_month, birthday_day, birthday_year, tags, muted, family, "
                          "snoozed_until, created_at, every, every_max FROM contacts");
    std::int64_t rows = 0;
    std::size_t bytes = 0;
    while (scan.ok() && scan.Step() == SQLITE_ROW) {
      ++rows;
      for (int col : {1, 2, 3, 5, 9}) {
        bytes += scan.Text(col).size();
      }
      for (int col : {0, 4, 6, 7, 8, 10, 11, 12, 13, 14, 15}) {
        bytes += static_cast<std::size_t>(scan.Int(col) & 1);
      }
    }
    return rows == 0 || bytes == 0 ? "the scan read no contacts" : "";
  });
}

// PRAGMA quick_check over the whole file, as warmthd runs it on opening.
core::Result<double> QuickCheck(const std::string& path) {
  return TimeReading(path, [](sqlite3* db) -> std::string {
    store::Statement check(db, "PRAGMA quick_check");
    const std::string result =
        check.ok() && check.Step() == SQLITE_ROW ? std::string(check.Text(0)) : "no answer";
    return result == "ok" ? "" : "quick_check: " + result;
  });
}

// `queries` of what `make` builds, after one to warm up.
template <typename Make>
core::Result<QueryTimes> Time(client::Client& caller, int queries, Make make) {
  if (auto r = caller.Call(make()); !r.ok()) {
    return r.status();
  }
  std::vector<double> micros;
  for (int i = 0; i < queries; ++i) {
    const auto start = Clock::now();
    if (auto r = caller.Call(make()); !r.ok()) {
      return r.status();
    }
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  return QueryTimes{Quantile(micros, 0.50), Quantile(micros, 0.99)};
}

v1::Request StatusRequest() {
  v1::Request r;
  r.mutable_status();
  return r;
}

// A client that waits as long as a large store takes to load.
client::Client Connect(zmq::context_t& context, const WarmthdProcess& daemon) {
  return client::Client(
      context, client::ClientOptions{daemon.endpoint(), kStartPatience, kStartPatience, {}});
}

core::Result<std::unique_ptr<WarmthdProcess>> StartPrivate(const std::string& warmthd,
                                                           const std::string& dir) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all);
  return WarmthdProcess::Start(warmthd, dir, kStartPatience);
}

}  // namespace

core::Result<std::int64_t> BaseRssKib(zmq::context_t& context, const std::string& warmthd,
                                      const std::string& dir) {
  auto daemon = StartPrivate(warmthd, dir);
  if (!daemon.ok()) {
    return daemon.status();
  }
  client::Client caller = Connect(context, **daemon);
  if (auto r = caller.Call(StatusRequest()); !r.ok()) {
    return r.status();
  }
  const std::int64_t rss = base::VmRssKib((*daemon)->pid());
  if (Status s = (*daemon)->Stop(); !s.ok()) {
    return s;
  }
  return rss;
}

core::Result<ScaleReport> RunScale(zmq::context_t& context, const ScaleLoad& load,
                                   const std::string& dir) {
  ScaleReport report;
  fs::create_directories(dir + "/data");
  fs::permissions(dir, fs::perms::owner_all);
  fs::permissions(dir + "/data", fs::perms::owner_all);
  const std::string db = dir + "/data/warmth.db";
  const auto built = Clock::now();
  if (Status s = BuildStore(
          db, load, std::chrono::time_point_cast<core::Duration>(std::chrono::system_clock::now()));
      !s.ok()) {
    return Status(s.code(), "building the store: " + s.message());
  }
  report.build_s = Since(built);
  report.store_bytes = static_cast<std::int64_t>(fs::file_size(db));

  // Both timed on a warm page cache: the first scan reads the file in.
  if (auto cold = ScanContacts(db); !cold.ok()) {
    return cold.status();
  }
  auto scan = ScanContacts(db);
  if (!scan.ok()) {
    return scan.status();
  }
  report.scan_s = *scan;
  auto check = QuickCheck(db);
  if (!check.ok()) {
    return check.status();
  }
  report.check_s = *check;

  const auto spawned = Clock::now();
  auto daemon = StartPrivate(load.warmthd, dir);
  if (!daemon.ok()) {
    return daemon.status();
  }
  client::Client caller = Connect(context, **daemon);
  auto status = caller.Call(StatusRequest());
  if (!status.ok()) {
    return status.status();
  }
  report.startup_s = Since(spawned);
  report.contacts = status->status().contacts() + status->status().unsorted_contacts();
  report.interactions = status->status().interactions();
  if (report.contacts != load.contacts || report.interactions != load.contacts * load.per_contact) {
    return Status::Internal("warmthd loaded " + std::to_string(report.contacts) + " contacts and " +
                            std::to_string(report.interactions) + " interactions; the store has " +
                            std::to_string(load.contacts) + " and " +
                            std::to_string(load.contacts * load.per_contact));
  }

  std::mt19937_64 rng(3);
  auto list = Time(caller, load.queries, [] {
    v1::Request r;
    r.mutable_list_contacts()->set_include_unsorted(true);
    r.mutable_list_contacts()->set_limit(50);
    return r;
  });
  auto get = Time(caller, load.queries, [&] {
    v1::Request r;
    r.mutable_get_contact()->set_contact_id(
        Identifier(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(load.contacts))));
    return r;
  });
  auto nudges = Time(caller, load.queries, [] {
    v1::Request r;
    r.mutable_list_nudges()->set_limit(50);
    return r;
  });
  for (const auto* t : {&list, &get, &nudges}) {
    if (!t->ok()) {
      return t->status();
    }
  }
  report.list = *list;
  report.get = *get;
  report.nudges = *nudges;
  report.rss_kib = base::VmRssKib((*daemon)->pid());
  if (Status s = (*daemon)->Stop(); !s.ok()) {
    return s;
  }
  return report;
}

}  // namespace warmth::bench
