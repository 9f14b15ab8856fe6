// The real warmthd process on a temporary directory, driven over ipc sockets.
#include <gtest/gtest.h>

#include "clients/common/client.h"
#include "clients/common/format.h"
#include "daemon/transport/codec.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::TempDir;
namespace v1 = ::warmth::v1;

core::TimePoint Now() {
  return std::chrono::time_point_cast<core::Duration>(std::chrono::system_clock::now());
}

class DaemonTest : public ::testing::Test {
 protected:
  DaemonTest() : daemon_(dir_) {}

  client::Client Connect() {
    return client::Client(context_, client::ClientOptions{daemon_.api(), std::chrono::milliseconds(1000),
                                                          std::chrono::milliseconds(5000), {}});
  }

  v1::Reply Call(client::Client& c, const v1::Request& r) {
    auto reply = c.Call(r);
    EXPECT_TRUE(reply.ok()) << reply.status().message();
    return reply.ok() ? *reply : v1::Reply{};
  }

  void AddContact(client::Client& c, const std::string& id, v1::Circle circle,
                  const std::string& email = "") {
    v1::Request r;
    auto* contact = r.mutable_upsert_contact()->mutable_contact();
    contact->set_id(id);
    contact->set_circle(circle);
    if (!email.empty()) {
      contact->add_identifiers(email);
    }
    Call(c, r);
  }

  v1::Reply Log(client::Client& c, const std::string& event_id, const std::string& who,
                v1::Channel channel, core::TimePoint at) {
    v1::Request r;
    auto* in = r.mutable_ingest()->add_interactions();
    in->set_event_id(event_id);
    in->add_contacts(who);
    in->set_channel(channel);
    in->set_direction(v1::MUTUAL);
    transport::ToProto(at, in->mutable_occurred_at());
    return Call(c, r);
  }

  v1::ContactInfo Get(client::Client& c, const std::string& id) {
    v1::Request r;
    r.mutable_get_contact()->set_contact_id(id);
    return Call(c, r).contact();
  }

  TempDir dir_;
  DaemonProcess daemon_;
  zmq::context_t context_{1};
};

TEST_F(DaemonTest, CoolingNudgeArrivesOnThePubSocket) {
  ASSERT_TRUE(daemon_.Start());
  client::Subscriber sub(context_, daemon_.pub());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the SUB join
  auto c = Connect();
  AddContact(c, "ann", v1::INNER);
  // In person 7 days ago less 2 s: warmth 60 reaches 30 in 2 s.
  Log(c, "e1", "ann", v1::IN_PERSON, Now() - 7 * core::kDay + std::chrono::seconds(2));
  const auto nudge = sub.Receive(std::chrono::seconds(10));
  ASSERT_TRUE(nudge) << "no nudge within 10 s; log:\n" << daemon_.Log();
  EXPECT_EQ(nudge->kind(), v1::COOLING);
  EXPECT_EQ(nudge->contact_ids(0), "ann");
  EXPECT_EQ(nudge->suggested_channel(), v1::CALL);
  EXPECT_EQ(nudge->state(), v1::PENDING);
  EXPECT_NE(nudge->text().find("ann"), std::string::npos);
  // And it is stored as pending.
  v1::Request list;
  list.mutable_list_nudges();
  const auto nudges = Call(c, list).nudges();
  ASSERT_EQ(nudges.nudges_size(), 1);
  EXPECT_EQ(nudges.nudges(0).id(), nudge->id());
}

TEST_F(DaemonTest, WarmthAndNudgesSurviveARestart) {
  ASSERT_TRUE(daemon_.Start());
  v1::ContactInfo before;
  v1::NudgeList nudges_before;
  {
    auto c = Connect();
    AddContact(c, "ann", v1::INNER, "ann@example.com");
    AddContact(c, "bob", v1::CLOSE);
    Log(c, "a1", "ann@example.com", v1::IN_PERSON, Now() - 10 * core::kDay);
    Log(c, "b1", "bob", v1::CALL, Now() - core::kDay);
    Log(c, "u1", "someone@example.com", v1::EMAIL, Now() - core::kHour);
    // ann cooled 3 days ago: a nudge is published at once.
    for (int i = 0; i < 50 && nudges_before.nudges_size() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      v1::Request list;
      list.mutable_list_nudges();
      nudges_before = Call(c, list).nudges();
    }
    ASSERT_EQ(nudges_before.nudges_size(), 1);
    before = Get(c, "bob");
  }
  ASSERT_EQ(daemon_.Stop(), 0) << daemon_.Log();
  ASSERT_TRUE(daemon_.Start());
  auto c = Connect();
  const v1::ContactInfo after = Get(c, "bob");
  EXPECT_EQ(after.contact().DebugString(), before.contact().DebugString());
  EXPECT_EQ(after.interaction_count(), before.interaction_count());
  EXPECT_EQ(after.cools_at().seconds(), before.cools_at().seconds());
  EXPECT_NEAR(after.warmth(), before.warmth(), 0.01);
  v1::Request list;
  list.mutable_list_nudges();
  const auto nudges_after = Call(c, list).nudges();
  ASSERT_EQ(nudges_after.nudges_size(), 1);
  EXPECT_EQ(nudges_after.nudges(0).id(), nudges_before.nudges(0).id());
  EXPECT_EQ(Get(c, "someone@example.com").interaction_count(), 1);
  // The retried event is still a duplicate after the restart.
  const auto again = Log(c, "b1", "bob", v1::CALL, Now() - core::kDay);
  EXPECT_EQ(again.ingest().items(0).outcome(), v1::IngestResult::DUPLICATE);
  v1::Request status;
  status.mutable_status();
  EXPECT_EQ(Call(c, status).status().interactions(), 3);
}

TEST_F(DaemonTest, PublishedNudgeIsNotPublishedAgainAfterRestart) {
  ASSERT_TRUE(daemon_.Start());
  {
    auto c = Connect();
    AddContact(c, "ann", v1::INNER);
    Log(c, "a1", "ann", v1::IN_PERSON, Now() - 10 * core::kDay);
    v1::NudgeList nudges;
    for (int i = 0; i < 50 && nudges.nudges_size() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      v1::Request list;
      list.mutable_list_nudges();
      nudges = Call(c, list).nudges();
    }
    ASSERT_EQ(nudges.nudges_size(), 1);
  }
  ASSERT_EQ(daemon_.Stop(), 0);
  ASSERT_TRUE(daemon_.Start());
  client::Subscriber sub(context_, daemon_.pub());
  EXPECT_FALSE(sub.Receive(std::chrono::seconds(2))) << "republished after restart";
}

TEST_F(DaemonTest, RestartBetweenTriggerAndDueTimeStillGivesExactlyOneNudge) {
  ASSERT_TRUE(daemon_.Start());
  {
    auto c = Connect();
    AddContact(c, "ann", v1::INNER);
    // Falls due 3 s from now; the daemon is down by then.
    Log(c, "e1", "ann", v1::IN_PERSON, Now() - 7 * core::kDay + std::chrono::seconds(3));
  }
  ASSERT_EQ(daemon_.Stop(), 0);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  client::Subscriber early(context_, daemon_.pub());
  ASSERT_TRUE(daemon_.Start());
  auto c = Connect();
  v1::NudgeList nudges;
  for (int i = 0; i < 100 && nudges.nudges_size() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    v1::Request list;
    list.mutable_list_nudges();
    nudges = Call(c, list).nudges();
  }
  ASSERT_EQ(nudges.nudges_size(), 1) << daemon_.Log();
  // Restart again: it is neither lost nor published a second time.
  ASSERT_EQ(daemon_.Stop(), 0);
  ASSERT_TRUE(daemon_.Start());
  client::Subscriber late(context_, daemon_.pub());
  EXPECT_FALSE(late.Receive(std::chrono::seconds(2)));
  auto c2 = Connect();
  v1::Request all;
  all.mutable_list_nudges()->add_states(v1::PENDING);
  all.mutable_list_nudges()->add_states(v1::DONE);
  all.mutable_list_nudges()->add_states(v1::SNOOZED);
  all.mutable_list_nudges()->add_states(v1::DISMISSED);
  const auto after = Call(c2, all).nudges();
  ASSERT_EQ(after.nudges_size(), 1);
  EXPECT_EQ(after.nudges(0).id(), nudges.nudges(0).id());
}

TEST_F(DaemonTest, SecondDaemonOnTheSameStoreRefusesToStart) {
  ASSERT_TRUE(daemon_.Start());
  TempDir other;
  const auto r = testing::RunCommand({testing::WarmthdPath(), "--data-dir", daemon_.data_dir(),
                                      "--api", "ipc://" + other.File("api"), "--pub",
                                      "ipc://" + other.File("pub")});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("in use by another warmthd"), std::string::npos) << r.err;
}

TEST_F(DaemonTest, BadConfigRefusesToStartNamingTheKey) {
  TempDir other;
  const std::string config = other.Write("bad.toml", "[model]\ntreshold = 20\n");
  const auto r = testing::RunCommand({testing::WarmthdPath(), "--config", config, "--data-dir",
                                      other.File("data"), "--api", "ipc://" + other.File("api"),
                                      "--pub", "ipc://" + other.File("pub")});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("model.treshold: unknown key"), std::string::npos) << r.err;
}

TEST_F(DaemonTest, PlainTcpIsRefusedWithoutCurve) {
  TempDir other;
  const auto r = testing::RunCommand({testing::WarmthdPath(), "--data-dir", other.File("data"),
                                      "--api", "tcp://0.0.0.0:0", "--pub",
                                      "ipc://" + other.File("pub")});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("CURVE"), std::string::npos) << r.err;
}

TEST_F(DaemonTest, DamagedStoreIsRefusedNotReset) {
  TempDir other;
  const std::string data = other.File("data");
  std::filesystem::create_directories(data);
  other.Write("data/warmth.db", std::string(4096, '\x42'));
  const auto r = testing::RunCommand({testing::WarmthdPath(), "--data-dir", data, "--api",
                                      "ipc://" + other.File("api"), "--pub",
                                      "ipc://" + other.File("pub")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not a warmth database"), std::string::npos) << r.err;
  EXPECT_EQ(std::filesystem::file_size(data + "/warmth.db"), 4096u);
}

TEST_F(DaemonTest, SigtermStopsCleanly) {
  ASSERT_TRUE(daemon_.Start());
  EXPECT_EQ(daemon_.Stop(), 0);
  EXPECT_NE(daemon_.Log().find("warmthd stopped"), std::string::npos);
}

}  // namespace
}  // namespace warmth
