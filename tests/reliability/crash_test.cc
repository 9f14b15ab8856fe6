// Crash consistency on the real daemon: warmth-load, a separate process,
// keeps a window of ingest batches in flight and logs every acknowledged
// event id; warmthd is killed with SIGKILL at a random moment and started
// again on the same store while the load goes on. After each round:
//   - every acknowledged event is stored exactly once, and none was ACCEPTED
//     twice (a retry of an event committed before the kill is a DUPLICATE);
//   - PRAGMA integrity_check is ok;
//   - each contact's warmth equals a recomputation from the stored events;
//   - no nudge was published twice (cooling nudges fall due during the run).
//
// WARMTH_CRASH_ROUNDS (default 30), WARMTH_CRASH_EVENTS (per round, default
// 10000) and WARMTH_CRASH_SEED (default: random, printed) set the run; see
// docs/reliability.md for a longer soak.
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>

#include "clients/common/client.h"
#include "daemon/transport/codec.h"
#include "tests/reliability/harness.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::ChildProcess;
using testing::DaemonProcess;
using testing::StoreReader;
using testing::TempDir;
namespace v1 = ::warmth::v1;

std::int64_t EnvInt(const char* name, std::int64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::stoll(value) : fallback;
}

core::TimePoint Now() {
  return std::chrono::time_point_cast<core::Duration>(std::chrono::system_clock::now());
}

constexpr int kPool = 50;    // load identifiers p0..p49@load.test
constexpr int kSorted = 20;  // p0..p19 belong to contacts s0..s19 with a circle
constexpr int kCoolingPerRound = 4;

// Every nudge the PUB socket delivers, from a thread of its own.
class NudgeRecorder {
 public:
  explicit NudgeRecorder(std::string endpoint) : thread_([this, endpoint] { Run(endpoint); }) {}
  ~NudgeRecorder() {
    stop_ = true;
    thread_.join();
  }
  std::vector<v1::Nudge> Seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  void Run(const std::string& endpoint) {
    zmq::context_t context(1);
    client::Subscriber sub(context, endpoint);
    sub.socket().set(zmq::sockopt::reconnect_ivl, 10);
    while (!stop_) {
      if (auto nudge = sub.Receive(std::chrono::milliseconds(50))) {
        std::lock_guard lock(mutex_);
        seen_.push_back(std::move(*nudge));
      }
    }
  }

  std::atomic<bool> stop_ = false;
  std::mutex mutex_;
  std::vector<v1::Nudge> seen_;
  std::thread thread_;
};

class CrashTest : public ::testing::Test {
 protected:
  client::Client Connect() {
    return client::Client(
        context_,
        client::ClientOptions{
            daemon_.api(), std::chrono::milliseconds(2000), std::chrono::milliseconds(10000), {}});
  }
  v1::Reply Call(const v1::Request& r) {
    auto c = Connect();
    auto reply = c.Call(r);
    EXPECT_TRUE(reply.ok()) << reply.status().message();
    return reply.ok() ? *reply : v1::Reply{};
  }
  std::string StorePath() const { return daemon_.data_dir() + "/warmth.db"; }

  TempDir dir_;
  DaemonProcess daemon_{dir_};
  zmq::context_t context_{1};
};

TEST_F(CrashTest, NoAcknowledgedEventIsLostAcrossKills) {
  const std::int64_t rounds = EnvInt("WARMTH_CRASH_ROUNDS", 30);
  const std::int64_t events = EnvInt("WARMTH_CRASH_EVENTS", 10000);
  const auto seed = static_cast<std::uint64_t>(
      EnvInt("WARMTH_CRASH_SEED", static_cast<std::int64_t>(std::random_device{}() & 0xffffff)));
  std::cout << "crash test: " << rounds << " rounds of " << events
            << " events, WARMTH_CRASH_SEED=" << seed << std::endl;
  std::mt19937_64 random(seed);

  ASSERT_TRUE(daemon_.Start());
  NudgeRecorder recorder(daemon_.pub());
  for (int k = 0; k < kSorted; ++k) {
    v1::Request r;
    auto* c = r.mutable_upsert_contact()->mutable_contact();
    c->set_id("s" + std::to_string(k));
    c->set_circle(static_cast<v1::Circle>(1 + k % 4));
    c->set_family(k % 5 == 0);
    c->add_identifiers("p" + std::to_string(k) + "@load.test");
    ASSERT_FALSE(Call(r).has_error());
  }

  std::int64_t acknowledged = 0;
  std::int64_t duplicate_answers = 0;
  std::int64_t lost = 0;
  std::int64_t double_counted = 0;
  std::int64_t killed_mid_load = 0;
  std::vector<std::string> cooling;  // contacts whose cooling nudge falls due during the run
  core::TimePoint last_due = Now();

  for (std::int64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + " (WARMTH_CRASH_SEED=" + std::to_string(seed) +
                 ")");
    // Contacts that cool down during this round or just after: in person
    // 7 days ago (inner circle) less a few hundred milliseconds.
    for (int k = 0; k < kCoolingPerRound; ++k) {
      const std::string id = "cool-" + std::to_string(round) + "-" + std::to_string(k);
      v1::Request up;
      auto* c = up.mutable_upsert_contact()->mutable_contact();
      c->set_id(id);
      c->set_circle(v1::INNER);
      ASSERT_FALSE(Call(up).has_error());
      const auto offset = std::chrono::milliseconds(100 + random() % 1500);
      v1::Request log;
      auto* in = log.mutable_ingest()->add_interactions();
      in->set_event_id(id + "-met");
      in->add_contacts(id);
      in->set_channel(v1::IN_PERSON);
      const core::TimePoint due = Now() + offset;
      transport::ToProto(due - 7 * core::kDay, in->mutable_occurred_at());
      const auto reply = Call(log);
      ASSERT_EQ(reply.ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
      cooling.push_back(id);
      last_due = std::max(last_due, due);
    }

    const std::string prefix = "r" + std::to_string(round);
    const std::string acks = dir_.File(prefix + ".acks");
    ChildProcess load({testing::WarmthLoadPath(),
                       "--api",
                       daemon_.api(),
                       "--events",
                       std::to_string(events),
                       "--batch",
                       "50",
                       "--window",
                       "8",
                       "--contacts",
                       std::to_string(kPool),
                       "--backfill",
                       "5",
                       "--prefix",
                       prefix,
                       "--seed",
                       std::to_string(seed + static_cast<std::uint64_t>(round)),
                       "--timeout-ms",
                       "1000",
                       "--deadline-s",
                       "60",
                       "--acks",
                       acks},
                      dir_.File(prefix + ".out"), dir_.File(prefix + ".err"));
    // The moment: once a random number of acknowledgements are logged (one
    // line each; a tenth of the rounds wait past the end of the load).
    const std::size_t target = random() % static_cast<std::uint64_t>(events + events / 10);
    while (!load.Poll()) {
      const std::string log = testing::ReadFile(acks);
      if (static_cast<std::size_t>(std::count(log.begin(), log.end(), '\n')) >= target) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (!load.Poll()) {
      ++killed_mid_load;
    }
    daemon_.Kill();
    ASSERT_TRUE(daemon_.Start());
    const auto exit = load.Wait(std::chrono::seconds(90));
    ASSERT_TRUE(exit) << "warmth-load did not finish";
    ASSERT_EQ(*exit, 0) << testing::ReadFile(dir_.File(prefix + ".err"));

    // The load generator's view: every event acknowledged, none ACCEPTED twice.
    std::map<std::string, std::pair<int, int>> outcomes;  // id -> (accepted, duplicate)
    {
      std::istringstream log(testing::ReadFile(acks));
      std::string outcome;
      std::string id;
      while (log >> outcome >> id) {
        ASSERT_NE(outcome, "R") << id;
        (outcome == "A" ? outcomes[id].first : outcomes[id].second)++;
        duplicate_answers += outcome == "D" ? 1 : 0;
      }
    }
    ASSERT_EQ(static_cast<std::int64_t>(outcomes.size()), events);
    std::int64_t accepted_twice = 0;
    for (const auto& [id, counts] : outcomes) {
      // Accepted twice: the first acceptance was not durable.
      accepted_twice += std::max(0, counts.first - 1);
    }
    EXPECT_EQ(accepted_twice, 0) << "events ACCEPTED more than once";
    double_counted += accepted_twice;
    acknowledged += static_cast<std::int64_t>(outcomes.size());

    // The store's view, through a connection of our own.
    StoreReader store(StorePath());
    ASSERT_EQ(store.IntegrityCheck(), "ok");
    std::set<std::string> stored;
    std::vector<std::string> twice;
    store.Query("SELECT event_id FROM interactions WHERE event_id LIKE '" + prefix + "-%'",
                [&](const auto& c) {
                  if (!stored.insert(c[0]).second) {
                    twice.push_back(c[0]);
                  }
                });
    std::vector<std::string> missing;
    for (const auto& [id, counts] : outcomes) {
      if (!stored.contains(id)) {
        missing.push_back(id);
      }
    }
    lost += static_cast<std::int64_t>(missing.size());
    double_counted += static_cast<std::int64_t>(twice.size());
    EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged events not stored, e.g. "
                                 << missing.front();
    EXPECT_TRUE(twice.empty()) << twice.size() << " events stored twice, e.g. " << twice.front();
    EXPECT_EQ(store.Count("SELECT count(*) FROM (SELECT event_id FROM interactions "
                          "GROUP BY event_id HAVING count(*) > 1)"),
              0);
    v1::Request status;
    status.mutable_status();
    EXPECT_EQ(Call(status).status().interactions(),
              store.Count("SELECT count(*) FROM interactions"));
  }

  // Let the last cooling nudges fall due, then compare the daemon with a
  // from-scratch recomputation over the store.
  std::this_thread::sleep_for(std::max(core::Duration(0), last_due - Now()) +
                              std::chrono::milliseconds(500));
  StoreReader store(StorePath());
  ASSERT_EQ(store.IntegrityCheck(), "ok");
  int compared = 0;
  for (const auto& [id, contact] : testing::ReadContacts(store)) {
    v1::Request get;
    get.mutable_get_contact()->set_contact_id(id);
    const core::TimePoint before = Now();
    const auto info = Call(get).contact();
    const core::TimePoint after = Now();
    const double high =
        testing::RecomputeWarmth(contact.events, contact.circle, contact.family, before);
    const double low =
        testing::RecomputeWarmth(contact.events, contact.circle, contact.family, after);
    EXPECT_GE(info.warmth(), low - 1e-6) << id;
    EXPECT_LE(info.warmth(), high + 1e-6) << id;
    EXPECT_EQ(info.interaction_count(), static_cast<std::int64_t>(contact.events.size())) << id;
    ++compared;
  }
  EXPECT_GE(compared, kPool + kCoolingPerRound * rounds);

  // Nudges: none delivered twice, each delivered one is the stored one, and
  // each cooling contact has exactly one cooling nudge.
  std::map<std::string, v1::Nudge> stored_nudges;  // by id
  std::map<std::string, int> cooling_nudges;       // contact -> count
  store.Query("SELECT id, kind, contact_ids, published_at FROM nudges", [&](const auto& c) {
    v1::Nudge n;
    n.set_id(c[0]);
    n.set_kind(static_cast<v1::NudgeKind>(std::stoi(c[1])));
    n.add_contact_ids(c[2]);
    n.mutable_published_at()->set_seconds(std::stoll(c[3]) / 1000000);
    stored_nudges[c[0]] = n;
    if (n.kind() == v1::COOLING) {
      ++cooling_nudges[c[2]];
    }
  });
  for (const std::string& id : cooling) {
    EXPECT_EQ(cooling_nudges[id], 1) << id;
  }
  std::set<std::string> ids;
  std::set<std::string> occasions;
  const auto seen = recorder.Seen();
  for (const v1::Nudge& n : seen) {
    EXPECT_TRUE(ids.insert(n.id()).second) << "nudge " << n.id() << " published twice";
    if (n.kind() == v1::COOLING) {  // one cooling episode per contact in this test
      EXPECT_TRUE(occasions.insert(n.contact_ids(0)).second)
          << "cooling nudge for " << n.contact_ids(0) << " published twice";
    }
    ASSERT_TRUE(stored_nudges.contains(n.id())) << n.id();
    EXPECT_EQ(stored_nudges[n.id()].published_at().seconds(), n.published_at().seconds()) << n.id();
  }
  EXPECT_GT(seen.size(), 0u);

  std::cout << "crash test: " << rounds << " rounds killed (" << killed_mid_load
            << " during the load), " << acknowledged << " events acknowledged, " << lost
            << " lost, " << double_counted << " double-counted, " << duplicate_answers
            << " DUPLICATE answers to retries, " << compared << " contacts recomputed, "
            << seen.size() << " nudges delivered (" << stored_nudges.size()
            << " stored), none twice" << std::endl;
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(double_counted, 0);
}

}  // namespace
}  // namespace warmth
