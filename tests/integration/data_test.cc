// "Your data is yours": forgetting a contact leaves no byte of it in the
// store, its WAL or its shared-memory file, with the daemon still running;
// `warmctl export` and `import backup` carry a whole store to another daemon.
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "clients/common/client.h"
#include "daemon/transport/codec.h"
#include "tests/support/requests.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::TempDir;
namespace v1 = ::warmth::v1;

core::TimePoint Now() {
  return std::chrono::time_point_cast<core::Duration>(std::chrono::system_clock::now());
}

class DataTest : public ::testing::Test {
 protected:
  client::Client Connect(const DaemonProcess& daemon) {
    return client::Client(
        context_,
        client::ClientOptions{
            daemon.api(), std::chrono::milliseconds(1000), std::chrono::milliseconds(5000), {}});
  }

  static v1::Reply Call(client::Client& c, const v1::Request& r) {
    auto reply = c.Call(r);
    EXPECT_TRUE(reply.ok()) << reply.status().message();
    return reply.ok() ? *reply : v1::Reply{};
  }

  testing::CommandResult Warmctl(const DaemonProcess& daemon,
                                 const std::vector<std::string>& args) {
    return daemon.RunClient(testing::WarmctlPath(), args);
  }

  // One interaction with these contacts at `at`, accepted.
  static void Log(client::Client& c, const std::string& event_id,
                  const std::vector<std::string>& who, v1::Channel channel, core::TimePoint at) {
    v1::Request r = testing::IngestRequest(event_id, who.front(), channel, at);
    for (std::size_t i = 1; i < who.size(); ++i) {
      r.mutable_ingest()->mutable_interactions(0)->add_contacts(who[i]);
    }
    const v1::Reply reply = Call(c, r);
    ASSERT_EQ(reply.ingest().items_size(), 1);
    EXPECT_EQ(reply.ingest().items(0).outcome(), v1::IngestResult::ACCEPTED)
        << event_id << ": " << reply.ingest().items(0).reason();
  }

  // The nudges in any state, as ListNudges gives them.
  static std::vector<v1::Nudge> Nudges(client::Client& c) {
    v1::Request r;
    for (v1::NudgeState s : {v1::PENDING, v1::DONE, v1::SNOOZED, v1::DISMISSED}) {
      r.mutable_list_nudges()->add_states(s);
    }
    const v1::Reply reply = Call(c, r);
    return {reply.nudges().nudges().begin(), reply.nudges().nudges().end()};
  }

  TempDir dir_;
  zmq::context_t context_{1};
};

// The store's three files, each read whole as it is on disk now.
struct StoreFiles {
  explicit StoreFiles(const std::string& data_dir)
      : db(testing::ReadFile(data_dir + "/warmth.db")),
        wal(testing::ReadFile(data_dir + "/warmth.db-wal")),
        shm(testing::ReadFile(data_dir + "/warmth.db-shm")) {}
  // The files that hold `needle`, e.g. " warmth.db-wal".
  std::string Holding(const std::string& needle) const {
    std::string where;
    for (const auto& [name, bytes] : {std::pair{"warmth.db", &db}, std::pair{"warmth.db-wal", &wal},
                                      std::pair{"warmth.db-shm", &shm}}) {
      if (bytes->find(needle) != std::string::npos) {
        where += std::string(" ") + name;
      }
    }
    return where;
  }
  std::string db, wal, shm;
};

TEST_F(DataTest, ForgetLeavesNoByteOfTheContactInTheStoreWalOrShm) {
  DaemonProcess daemon(dir_);
  ASSERT_TRUE(daemon.Start());
  auto c = Connect(daemon);
  // Spellings as stored: the e-mail lowercased, the phone in E.164.
  const std::string id = "zelda-qx7forget";
  const std::string name = "Zelda Quillfeather-Vantongeren";
  const std::string email = "zelda.qx7@forget.example";
  const std::string phone = "+491715550123";
  ASSERT_EQ(
      Warmctl(daemon, {"contact", "add", id, "--name", name, "--email", "Zelda.QX7@Forget.Example",
                       "--phone", "+49 171 5550123", "--circle", "inner"})
          .exit_code,
      0);
  ASSERT_EQ(
      Warmctl(daemon, {"contact", "add", "otto", "--name", "Otto", "--circle", "close"}).exit_code,
      0);
  const core::TimePoint now = Now();
  const std::vector<std::string> own = {"evt-zq7-first-call", "evt-zq7-email-thread",
                                        "evt-zq7-video-chat", "evt-zq7-coffee-met"};
  Log(c, own[0], {id}, v1::CALL, now - 20 * core::kDay);
  Log(c, own[1], {email}, v1::EMAIL, now - 15 * core::kDay);
  Log(c, own[2], {phone}, v1::VIDEO, now - 10 * core::kDay);
  // In person 7 days ago less 1 s: an INNER contact cools in 1 s, and the
  // COOLING nudge names her.
  Log(c, own[3], {id}, v1::IN_PERSON, now - 7 * core::kDay + std::chrono::seconds(1));
  const std::string shared = "evt-shared-dinner-otto";
  Log(c, shared, {"otto", id}, v1::IN_PERSON, now - 12 * core::kDay);
  bool nudged = false;
  for (int i = 0; i < 100 && !nudged; ++i) {
    for (const v1::Nudge& n : Nudges(c)) {
      nudged = nudged || (n.kind() == v1::COOLING && n.contact_ids(0) == id);
    }
    if (!nudged) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_TRUE(nudged) << "no COOLING nudge for " << id << "; log:\n" << daemon.Log();

  std::vector<std::string> needles = {id, name, email, phone};
  needles.insert(needles.end(), own.begin(), own.end());
  {
    // The search finds them while they are there.
    const StoreFiles before(daemon.data_dir());
    for (const std::string& needle : needles) {
      EXPECT_NE(before.Holding(needle), "") << needle << " not found before the forget";
    }
  }

  const auto rm = Warmctl(daemon, {"contact", "rm", id, "--forget"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(rm.out, "Forgot " + id + "\n");

  ASSERT_TRUE(daemon.Running());
  const StoreFiles after(daemon.data_dir());
  EXPECT_NE(after.db, "");
  for (const std::string& needle : needles) {
    EXPECT_EQ(after.Holding(needle), "") << needle << " is still on disk";
  }

  // Otto keeps the dinner, now his alone; she is gone with her nudges.
  v1::Request get;
  get.mutable_get_contact()->set_contact_id(id);
  EXPECT_EQ(c.Call(get).status().code(), core::Code::kNotFound);
  get.mutable_get_contact()->set_contact_id("otto");
  EXPECT_EQ(Call(c, get).contact().interaction_count(), 1);
  v1::Request list;
  list.mutable_list_interactions();
  const v1::Reply page = Call(c, list);
  ASSERT_EQ(page.interactions().interactions_size(), 1);
  const v1::Interaction& left = page.interactions().interactions(0);
  EXPECT_EQ(left.event_id(), shared);
  ASSERT_EQ(left.contacts_size(), 1);
  EXPECT_EQ(left.contacts(0), "otto");
  EXPECT_TRUE(Nudges(c).empty());
  v1::Request status;
  status.mutable_status();
  EXPECT_EQ(Call(c, status).status().interactions(), 1);
  // Her event ids went with her: the daemon no longer knows them.
  v1::Request again = testing::IngestRequest(own[0], "otto", v1::CALL, now - 20 * core::kDay);
  EXPECT_EQ(Call(c, again).ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
}

// A plain rm keeps the event ids: a backfill run again does not bring the
// removed contact back as an unsorted one.
TEST_F(DataTest, RemoveWithoutForgetKeepsEventIdsAsSeen) {
  DaemonProcess daemon(dir_);
  ASSERT_TRUE(daemon.Start());
  auto c = Connect(daemon);
  const core::TimePoint at = Now() - core::kDay;
  Log(c, "evt-kept", {"kept@example.com"}, v1::EMAIL, at);
  const auto rm = Warmctl(daemon, {"contact", "rm", "kept@example.com"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(rm.out, "Removed kept@example.com\n");
  const v1::Reply again =
      Call(c, testing::IngestRequest("evt-kept", "kept@example.com", v1::EMAIL, at));
  EXPECT_EQ(again.ingest().items(0).outcome(), v1::IngestResult::DUPLICATE);
  v1::Request get;
  get.mutable_get_contact()->set_contact_id("kept@example.com");
  EXPECT_EQ(c.Call(get).status().code(), core::Code::kNotFound);
}

// The lines of `text` but the first (the header, which says when).
std::vector<std::string> Records(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

class BackupTest : public DataTest {
 protected:
  // Every contact's warmth and schedule, by id, as ListContacts tells them.
  static std::map<std::string, v1::ContactInfo> Contacts(client::Client& c) {
    v1::Request r;
    r.mutable_list_contacts()->set_include_unsorted(true);
    std::map<std::string, v1::ContactInfo> out;
    const v1::Reply reply = Call(c, r);
    for (const v1::ContactInfo& info : reply.contacts().contacts()) {
      out[info.contact().id()] = info;
    }
    return out;
  }

  // Waits until the daemon has published `n` nudges.
  static std::vector<v1::Nudge> WaitForNudges(client::Client& c, std::size_t n) {
    std::vector<v1::Nudge> nudges;
    for (int i = 0; i < 100 && (nudges = Nudges(c)).size() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return nudges;
  }
};

// A store with contacts in every circle and an unsorted one, interactions on
// seven channels (one of them a Done), a trip, a contact snoozed, and nudges PENDING, DONE,
// SNOOZED and DISMISSED: exported, imported into a fresh daemon, and every
// contact's warmth, every nudge and the schedule are the same there.
TEST_F(BackupTest, ImportedBackupHasTheSameWarmthNudgesAndSchedule) {
  DaemonProcess original(dir_);
  ASSERT_TRUE(original.Start());
  auto c = Connect(original);
  const core::TimePoint now = Now();
  // Four inner contacts seen in person 7 days ago less 1 s: each cools in 1 s.
  for (const char* id : {"ana", "ben", "cat", "dan"}) {
    Call(c, testing::UpsertContactRequest(id, v1::INNER, {std::string(id) + "@example.com"}));
    Log(c, std::string("met-") + id, {id}, v1::IN_PERSON,
        now - 7 * core::kDay + std::chrono::seconds(1));
  }
  v1::Request eve = testing::UpsertContactRequest("eve", v1::CLOSE, {"+491715550199"});
  eve.mutable_upsert_contact()->mutable_contact()->set_city("Lisbon");
  eve.mutable_upsert_contact()->mutable_contact()->set_display_name("Eve Example");
  eve.mutable_upsert_contact()->mutable_contact()->mutable_birthday()->set_month(3);
  eve.mutable_upsert_contact()->mutable_contact()->mutable_birthday()->set_day(14);
  Call(c, eve);
  Call(c, testing::UpsertContactRequest("fay", v1::NETWORK));
  Call(c, testing::UpsertContactRequest("gus", v1::ACQUAINTANCE));
  Log(c, "eve-call", {"eve"}, v1::CALL, now - 40 * core::kDay);
  Log(c, "eve-video", {"eve", "fay"}, v1::VIDEO, now - 20 * core::kDay);
  Log(c, "fay-mail", {"fay"}, v1::EMAIL, now - 20 * core::kDay);
  Log(c, "gus-msg", {"gus"}, v1::MESSAGE, now - 10 * core::kDay);
  Log(c, "gus-like", {"gus"}, v1::SOCIAL, now - 5 * core::kDay);
  Log(c, "gus-letter", {"gus"}, v1::LETTER, now - 3 * core::kDay);
  Log(c, "stranger-mail", {"someone@elsewhere.example"}, v1::EMAIL, now - 2 * core::kDay);
  // A missed call 3 hours ago, not returned: CALL_BACK at once.
  v1::Request missed = testing::IngestRequest("fay-missed", "fay", v1::CALL, now - 3 * core::kHour);
  missed.mutable_ingest()->mutable_interactions(0)->set_direction(v1::INBOUND);
  missed.mutable_ingest()->mutable_interactions(0)->set_missed(true);
  Call(c, missed);
  // A trip to Lisbon in 3 days: TRIP at once (7 days ahead), for eve.
  v1::Request trip;
  trip.mutable_upsert_trip()->mutable_trip()->set_city("Lisbon");
  transport::ToProto(now + 3 * core::kDay,
                     trip.mutable_upsert_trip()->mutable_trip()->mutable_starts_at());
  transport::ToProto(now + 6 * core::kDay,
                     trip.mutable_upsert_trip()->mutable_trip()->mutable_ends_at());
  Call(c, trip);

  // Eve cooled before the video call, which settled it (DONE).
  const std::vector<v1::Nudge> published = WaitForNudges(c, 7);
  ASSERT_EQ(published.size(), 7u) << "five COOLING, CALL_BACK, TRIP; log:\n" << original.Log();
  v1::Request done;
  done.mutable_done()->set_contact_id("ana");
  Call(c, done);
  v1::Request snooze;
  snooze.mutable_snooze()->set_contact_id("ben");
  snooze.mutable_snooze()->mutable_duration()->set_seconds(3 * 24 * 3600);
  Call(c, snooze);
  v1::Request dismiss;
  for (const v1::Nudge& n : published) {
    if (n.contact_ids(0) == "cat") {
      dismiss.mutable_dismiss()->set_nudge_id(n.id());
    }
  }
  Call(c, dismiss);
  std::set<v1::NudgeState> states;
  for (const v1::Nudge& n : Nudges(c)) {
    states.insert(n.state());
  }
  ASSERT_EQ(states, (std::set<v1::NudgeState>{v1::PENDING, v1::DONE, v1::SNOOZED, v1::DISMISSED}));

  const auto exported = Warmctl(original, {"export"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.err, "Exported 8 contacts, 1 trip, 13 interactions and 7 nudges.\n");
  const std::string file = dir_.Write("backup.jsonl", exported.out);

  TempDir fresh_dir;
  DaemonProcess restored(fresh_dir);
  ASSERT_TRUE(restored.Start());
  const auto imported = Warmctl(restored, {"import", "backup", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out,
            "Restored 8 contacts, 1 trip, 13 interactions and 7 nudges from " + file + ".\n");
  auto r = Connect(restored);

  // Warmth moves on between the two reads by a few milliseconds of decay.
  const auto before = Contacts(c);
  const auto after = Contacts(r);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [id, info] : before) {
    ASSERT_TRUE(after.contains(id)) << id;
    v1::ContactInfo a = info;
    v1::ContactInfo b = after.at(id);
    EXPECT_NEAR(a.warmth(), b.warmth(), 1e-3) << id;
    a.clear_warmth();
    b.clear_warmth();
    EXPECT_EQ(a.DebugString(), b.DebugString()) << id;
  }
  const auto nudges_before = Nudges(c);
  const auto nudges_after = Nudges(r);
  ASSERT_EQ(nudges_after.size(), nudges_before.size());
  for (std::size_t i = 0; i < nudges_before.size(); ++i) {
    EXPECT_EQ(nudges_after[i].DebugString(), nudges_before[i].DebugString());
  }
  v1::Request status;
  status.mutable_status();
  const v1::StatusReply s1 = Call(c, status).status();
  const v1::StatusReply s2 = Call(r, status).status();
  EXPECT_EQ(s2.next_due_at().DebugString(), s1.next_due_at().DebugString()) << "the schedule";
  EXPECT_EQ(s2.pending_nudges(), s1.pending_nudges());
  EXPECT_EQ(s2.waiting_nudges(), s1.waiting_nudges());
  EXPECT_EQ(s2.interactions(), s1.interactions());
  // Numbers, keys, receipt times: the restored store exports the same lines.
  const auto again = Warmctl(restored, {"export"});
  EXPECT_EQ(Records(again.out), Records(exported.out));

  // Only into an empty store.
  const auto twice = Warmctl(restored, {"import", "backup", file});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.err.find("the store is not empty"), std::string::npos) << twice.err;
  EXPECT_EQ(Contacts(r).size(), before.size());
}

TEST_F(BackupTest, ImportRefusesAFileThatIsNotABackup) {
  DaemonProcess daemon(dir_);
  ASSERT_TRUE(daemon.Start());
  const std::string file = dir_.Write("timeline.jsonl", "{\"at\":\"2026-01-01T00:00:00Z\"}\n");
  const auto r = Warmctl(daemon, {"import", "backup", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 1: not a backup"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace warmth
