// The real warmthd process on a temporary directory, driven over ipc sockets.
#include <iostream>
#include <iterator>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <zmq_addon.hpp>

#include "clients/common/client.h"
#include "clients/common/format.h"
#include "daemon/transport/codec.h"
#include "tests/support/dealer.h"
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

// These tests run on the real clock. The weekend pick runs at each start
// from Friday afternoon into the weekend, and one that found no one (a first
// start, before any contact) finds the unsorted contact at the restart: a
// restart test then sees a second nudge on Fridays only. It has tests of
// its own on a simulated clock (engine_test.cc, the replay cases).
constexpr const char* kNoWeekendConfig =
    "timezone = \"UTC\"\n[delivery]\nquiet_hours = \"\"\nmax_per_day = 0\n"
    "[rules.weekend_call]\nenabled = false\n";

class DaemonTest : public ::testing::Test {
 protected:
  DaemonTest() : daemon_(dir_, kNoWeekendConfig) {}

  client::Client Connect() {
    return client::Client(
        context_,
        client::ClientOptions{
            daemon_.api(), std::chrono::milliseconds(1000), std::chrono::milliseconds(5000), {}});
  }

  v1::Reply Call(client::Client& c, const v1::Request& r) {
    auto reply = c.Call(r);
    EXPECT_TRUE(reply.ok()) << reply.status().message();
    return reply.ok() ? *reply : v1::Reply{};
  }

  void AddContact(client::Client& c, const std::string& id, v1::Circle circle,
                  const std::string& email = "") {
    std::vector<std::string> identifiers;
    if (!email.empty()) {
      identifiers.push_back(email);
    }
    Call(c, testing::UpsertContactRequest(id, circle, identifiers));
  }

  v1::Reply Log(client::Client& c, const std::string& event_id, const std::string& who,
                v1::Channel channel, core::TimePoint at) {
    return Call(c, testing::IngestRequest(event_id, who, channel, at));
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
  ASSERT_EQ(nudges_after.nudges_size(), 1) << nudges_after.DebugString();
  EXPECT_EQ(nudges_after.nudges(0).id(), nudges_before.nudges(0).id());
  EXPECT_EQ(Get(c, "someone@example.com").interaction_count(), 1);
  // The retried event is still a duplicate after the restart.
  const auto again = Log(c, "b1", "bob", v1::CALL, Now() - core::kDay);
  EXPECT_EQ(again.ingest().items(0).outcome(), v1::IngestResult::DUPLICATE);
  v1::Request status;
  status.mutable_status();
  EXPECT_EQ(Call(c, status).status().interactions(), 3);
}

// A subscriber that stays connected across restarts. It connects before the
// daemon binds (ZeroMQ connects when it can) and retries every 2 ms rather
// than ZeroMQ's 100, so it is back soon after a restart; what warmthd
// publishes in its very first turn can still go out before it is (the
// notifier asks for pending nudges for that reason), so the tests also
// count publications in warmthd's log.
class StickySubscriber {
 public:
  StickySubscriber(zmq::context_t& context, const std::string& endpoint)
      : socket_(context, zmq::socket_type::sub) {
    socket_.set(zmq::sockopt::reconnect_ivl, 2);
    socket_.set(zmq::sockopt::subscribe, "");
    socket_.connect(endpoint);
  }
  // Every nudge until none comes for `quiet`.
  std::vector<v1::Nudge> Drain(std::chrono::milliseconds quiet) {
    std::vector<v1::Nudge> out;
    socket_.set(zmq::sockopt::rcvtimeo, static_cast<int>(quiet.count()));
    std::vector<zmq::message_t> frames;
    while (zmq::recv_multipart(socket_, std::back_inserter(frames))) {
      v1::Nudge n;
      if (frames.size() == 2 &&
          n.ParseFromArray(frames[1].data(), static_cast<int>(frames[1].size()))) {
        out.push_back(n);
      }
      frames.clear();
    }
    return out;
  }

 private:
  zmq::socket_t socket_;
};

// How often warmthd's log (all its runs) says it published nudge `id`: one
// line per publication, written when the nudge goes out on the PUB socket.
int Publications(const std::string& log, const std::string& id) {
  int n = 0;
  const std::string line = " nudge " + id + " (";
  for (auto at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(DaemonTest, PublishedNudgeIsNotPublishedAgainAfterRestart) {
  StickySubscriber sub(context_, daemon_.pub());
  ASSERT_TRUE(daemon_.Start());
  {
    auto c = Connect();
    AddContact(c, "ann", v1::INNER);
    Log(c, "a1", "ann", v1::IN_PERSON, Now() - 10 * core::kDay);
    const auto first = sub.Drain(std::chrono::seconds(3));
    ASSERT_EQ(first.size(), 1u) << daemon_.Log();
    EXPECT_EQ(first[0].kind(), v1::COOLING);
  }
  for (int restart = 0; restart < 2; ++restart) {
    ASSERT_EQ(daemon_.Stop(), 0);
    ASSERT_TRUE(daemon_.Start());
    const auto again = sub.Drain(std::chrono::seconds(2));
    EXPECT_TRUE(again.empty()) << "republished after restart " << restart + 1 << ": "
                               << again.front().id();
  }
  auto c = Connect();
  v1::Request list;
  list.mutable_list_nudges();
  const auto pending = Call(c, list).nudges();
  ASSERT_EQ(pending.nudges_size(), 1);
  EXPECT_EQ(Publications(daemon_.Log(), pending.nudges(0).id()), 1) << daemon_.Log();
}

TEST_F(DaemonTest, RestartBetweenTriggerAndDueTimeStillGivesExactlyOneNudge) {
  StickySubscriber sub(context_, daemon_.pub());
  ASSERT_TRUE(daemon_.Start());
  {
    auto c = Connect();
    AddContact(c, "ann", v1::INNER);
    // Falls due 4 s from now.
    Log(c, "e1", "ann", v1::IN_PERSON, Now() - 7 * core::kDay + std::chrono::seconds(4));
  }
  // Restarted before it is due: the schedule comes back from the store.
  ASSERT_EQ(daemon_.Stop(), 0);
  ASSERT_TRUE(daemon_.Start());
  const auto published = sub.Drain(std::chrono::seconds(8));
  ASSERT_EQ(published.size(), 1u) << daemon_.Log();
  EXPECT_EQ(published[0].kind(), v1::COOLING);
  ASSERT_EQ(published[0].contact_ids_size(), 1);
  EXPECT_EQ(published[0].contact_ids(0), "ann");
  // Restart again: it is neither lost nor published a second time.
  ASSERT_EQ(daemon_.Stop(), 0);
  ASSERT_TRUE(daemon_.Start());
  EXPECT_TRUE(sub.Drain(std::chrono::seconds(2)).empty());
  auto c = Connect();
  v1::Request all;
  all.mutable_list_nudges()->add_states(v1::PENDING);
  all.mutable_list_nudges()->add_states(v1::DONE);
  all.mutable_list_nudges()->add_states(v1::SNOOZED);
  all.mutable_list_nudges()->add_states(v1::DISMISSED);
  const auto after = Call(c, all).nudges();
  ASSERT_EQ(after.nudges_size(), 1);
  EXPECT_EQ(after.nudges(0).id(), published[0].id());
  EXPECT_EQ(after.nudges(0).published_at().seconds(), published[0].published_at().seconds());
  EXPECT_EQ(Publications(daemon_.Log(), published[0].id()), 1) << daemon_.Log();
}

TEST_F(DaemonTest, DownAcrossTheDueTimeThePendingNudgeIsPublishedOnceOnStart) {
  StickySubscriber sub(context_, daemon_.pub());
  ASSERT_TRUE(daemon_.Start());
  {
    auto c = Connect();
    AddContact(c, "ann", v1::INNER);
    // Falls due 3 s from now; the daemon is down by then.
    Log(c, "e1", "ann", v1::IN_PERSON, Now() - 7 * core::kDay + std::chrono::seconds(3));
  }
  ASSERT_EQ(daemon_.Stop(), 0);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  ASSERT_TRUE(daemon_.Start());
  // Published in warmthd's first turn, possibly before the subscriber is
  // back: the store and the log say that it went out, and only once.
  EXPECT_LE(sub.Drain(std::chrono::seconds(3)).size(), 1u);
  auto c = Connect();
  v1::Request list;
  list.mutable_list_nudges();
  const auto pending = Call(c, list).nudges();
  ASSERT_EQ(pending.nudges_size(), 1) << daemon_.Log();
  ASSERT_EQ(daemon_.Stop(), 0);
  ASSERT_TRUE(daemon_.Start());
  EXPECT_TRUE(sub.Drain(std::chrono::seconds(2)).empty());
  EXPECT_EQ(Publications(daemon_.Log(), pending.nudges(0).id()), 1) << daemon_.Log();
}

// The nudge socket as the wire has it: each message with its topic.
struct Publication {
  std::string topic;
  v1::Nudge nudge;
};

class TopicSubscriber {
 public:
  TopicSubscriber(zmq::context_t& context, const std::string& endpoint)
      : socket_(context, zmq::socket_type::sub) {
    socket_.set(zmq::sockopt::subscribe, "");
    socket_.connect(endpoint);
  }
  // The next message within `timeout`; nullopt on timeout.
  std::optional<Publication> Next(std::chrono::milliseconds timeout) {
    socket_.set(zmq::sockopt::rcvtimeo, static_cast<int>(timeout.count()));
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket_, std::back_inserter(frames)) || frames.size() != 2) {
      return std::nullopt;
    }
    Publication p{frames[0].to_string(), {}};
    if (!p.nudge.ParseFromArray(frames[1].data(), static_cast<int>(frames[1].size()))) {
      return std::nullopt;
    }
    return p;
  }

 private:
  zmq::socket_t socket_;
};

// Another machine's notifier (the subscriber) sees what this one (a client)
// does to a nudge it shows.
class ClosedTest : public DaemonTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(daemon_.Start());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the SUB join
    AddContact(client_, "ann", v1::INNER);
    // In person 7 days ago less 1 s: a COOLING nudge falls due in 1 s.
    Log(client_, "e1", "ann", v1::IN_PERSON, Now() - 7 * core::kDay + std::chrono::seconds(1));
    const auto published = sub_.Next(std::chrono::seconds(10));
    ASSERT_TRUE(published) << "no nudge within 10 s; log:\n" << daemon_.Log();
    ASSERT_EQ(published->topic, "nudge.cooling");
    nudge_ = published->nudge;
  }

  // The next message, which must be nudge.closed for the published nudge.
  v1::Nudge ExpectClosed() {
    const auto closed = sub_.Next(std::chrono::seconds(5));
    if (!closed) {
      ADD_FAILURE() << "nothing published within 5 s; log:\n" << daemon_.Log();
      return {};
    }
    EXPECT_EQ(closed->topic, "nudge.closed");
    EXPECT_EQ(closed->nudge.id(), nudge_.id());
    EXPECT_EQ(closed->nudge.kind(), v1::COOLING);
    EXPECT_EQ(closed->nudge.text(), nudge_.text());
    return closed->nudge;
  }

  TopicSubscriber sub_{context_, daemon_.pub()};
  client::Client client_ = Connect();
  v1::Nudge nudge_;
};

TEST_F(ClosedTest, DoneFromAnotherClientIsPublishedAsClosedDone) {
  v1::Request done;
  done.mutable_done()->set_contact_id("ann");
  Call(client_, done);
  EXPECT_EQ(ExpectClosed().state(), v1::DONE);
  EXPECT_FALSE(sub_.Next(std::chrono::milliseconds(300))) << "published more than one change";
}

TEST_F(ClosedTest, LiveInteractionThatSettlesItIsPublishedAsClosedDone) {
  Log(client_, "call-1", "ann", v1::CALL, Now());
  EXPECT_EQ(ExpectClosed().state(), v1::DONE);
}

TEST_F(ClosedTest, DismissIsPublishedAsClosedDismissed) {
  v1::Request dismiss;
  dismiss.mutable_dismiss()->set_nudge_id(nudge_.id());
  Call(client_, dismiss);
  EXPECT_EQ(ExpectClosed().state(), v1::DISMISSED);
}

TEST_F(ClosedTest, SnoozeIsPublishedAsClosedAndTheComebackAsANewNudge) {
  v1::Request snooze;
  snooze.mutable_snooze()->set_nudge_id(nudge_.id());
  snooze.mutable_snooze()->mutable_duration()->set_seconds(1);
  Call(client_, snooze);
  const v1::Nudge snoozed = ExpectClosed();
  EXPECT_EQ(snoozed.state(), v1::SNOOZED);
  EXPECT_TRUE(snoozed.has_snoozed_until());
  // A second later it comes back under a new id, as a COOLING nudge again.
  const auto back = sub_.Next(std::chrono::seconds(5));
  ASSERT_TRUE(back) << daemon_.Log();
  EXPECT_EQ(back->topic, "nudge.cooling");
  EXPECT_EQ(back->nudge.state(), v1::PENDING);
  EXPECT_NE(back->nudge.id(), nudge_.id());
}

TEST_F(DaemonTest, SecondDaemonOnTheSameStoreRefusesToStart) {
  ASSERT_TRUE(daemon_.Start());
  TempDir other;
  const auto r =
      testing::RunCommand({testing::WarmthdPath(), "--data-dir", daemon_.data_dir(), "--api",
                           "ipc://" + other.File("api"), "--pub", "ipc://" + other.File("pub")});
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

TEST_F(DaemonTest, AnUnknownRegionRefusesToStartNamingTheKey) {
  TempDir other;
  const std::string config = other.Write("bad.toml", "[me]\nregion = \"UK\"\n");
  const auto r = testing::RunCommand({testing::WarmthdPath(), "--config", config, "--data-dir",
                                      other.File("data"), "--api", "ipc://" + other.File("api"),
                                      "--pub", "ipc://" + other.File("pub")});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("me.region: unknown region \"UK\""), std::string::npos) << r.err;
}

// Identifiers on the wire, as any client (the mail hook, a plugin) sends
// them: the daemon reads phone numbers with its own [me] region.
TEST(DaemonPhones, WireIdentifiersAreReadWithTheRegion) {
  TempDir dir;
  DaemonProcess daemon(dir, std::string(testing::kImmediateConfig) + "[me]\nregion = \"DE\"\n");
  ASSERT_TRUE(daemon.Start());
  zmq::context_t context(1);
  client::Client c(
      context,
      client::ClientOptions{
          daemon.api(), std::chrono::milliseconds(1000), std::chrono::milliseconds(5000), {}});
  auto saved = c.Call(
      testing::UpsertContactRequest("ann", v1::CLOSE, {"tel:0171 1234567", "ann@example.com"}));
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->contact().contact().identifiers(0), "+491711234567");
  auto reply = c.Call(testing::IngestRequest("call-1", "tel:+49 171 1234567", v1::CALL, Now()));
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  ASSERT_EQ(reply->ingest().items_size(), 1);
  EXPECT_EQ(reply->ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
  ASSERT_EQ(reply->ingest().items(0).contact_ids_size(), 1);
  EXPECT_EQ(reply->ingest().items(0).contact_ids(0), "ann");
  // An unusable number rejects its interaction, with the reason.
  reply = c.Call(testing::IngestRequest("call-2", "tel:+999 123456", v1::CALL, Now()));
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(reply->ingest().items(0).outcome(), v1::IngestResult::REJECTED);
  EXPECT_EQ(reply->ingest().items(0).reason(),
            "contacts[0]: identifier: unusable phone number: unknown country code");
  // And a contact with one is refused whole.
  saved = c.Call(testing::UpsertContactRequest("bob", v1::CLOSE, {"tel:hello"}));
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(saved.status().message(),
            "contact.identifiers[0]: identifier: unusable phone number: not a phone number");
}

TEST_F(DaemonTest, PlainTcpIsRefusedWithoutCurve) {
  TempDir other;
  const auto r =
      testing::RunCommand({testing::WarmthdPath(), "--data-dir", other.File("data"), "--api",
                           "tcp://0.0.0.0:0", "--pub", "ipc://" + other.File("pub")});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("CURVE"), std::string::npos) << r.err;
}

TEST_F(DaemonTest, DamagedStoreIsRefusedNotReset) {
  TempDir other;
  const std::string data = other.File("data");
  std::filesystem::create_directories(data);
  other.Write("data/warmth.db", std::string(4096, '\x42'));
  const auto r =
      testing::RunCommand({testing::WarmthdPath(), "--data-dir", data, "--api",
                           "ipc://" + other.File("api"), "--pub", "ipc://" + other.File("pub")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not a warmth database"), std::string::npos) << r.err;
  EXPECT_EQ(std::filesystem::file_size(data + "/warmth.db"), 4096u);
}

// A client may pipeline far more requests than it reads replies for at the
// moment (an importer busy serialising its next batches, or on a loaded
// machine). ZeroMQ's ROUTER drops what it cannot queue for a peer; the
// daemon's queue must hold every reply such a client has coming, or the
// client waits for answers that never come. The client here reads nothing
// until it has sent everything, and its own receive queue holds one message,
// so the replies pile up on the daemon's side.
TEST_F(DaemonTest, AClientThatReadsLateStillGetsEveryReply) {
  ASSERT_TRUE(daemon_.Start());
  constexpr int kRequests = 20000;
  testing::PipelinedDealer dealer(context_, daemon_.api(), /*rcvhwm=*/1);
  for (int i = 0; i < kRequests; ++i) {
    v1::Request request;
    request.set_request_id("late-" + std::to_string(i));
    request.mutable_status();
    dealer.Send(request);
  }
  // Give the daemon time to answer everything while nobody reads.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  std::set<std::string> answered;
  while (static_cast<int>(answered.size()) < kRequests) {
    const std::optional<v1::Reply> got = dealer.Receive(std::chrono::seconds(5));
    if (!got) {
      break;  // five seconds without a reply: the rest is lost
    }
    const v1::Reply& reply = *got;
    // Answered, or turned away as busy (the backlog is bounded): either
    // way the client knows.
    EXPECT_TRUE(reply.has_status() || reply.error().code() == v1::Error::RESOURCE_EXHAUSTED)
        << reply.DebugString();
    EXPECT_TRUE(answered.insert(reply.request_id()).second) << "two replies to one request";
  }
  EXPECT_EQ(static_cast<int>(answered.size()), kRequests) << "replies lost to a late reader";
}

// SIGTERM while a client has thousands of requests in flight: warmthd
// commits what it handled (the commit in flight and the batch behind it)
// and answers it, answers the rest of its backlog UNAVAILABLE, and after a
// restart holds exactly the events it acknowledged.
TEST_F(DaemonTest, SigtermWithRequestsInFlightKeepsExactlyWhatItAcknowledged) {
  ASSERT_TRUE(daemon_.Start());
  constexpr int kRequests = 3000;
  constexpr int kPerRequest = 10;
  // Closed before the restart: ZeroMQ would hand the requests still queued
  // in it to the restarted warmthd, which would store them too.
  std::optional<testing::PipelinedDealer> dealer(std::in_place, context_, daemon_.api());
  const core::TimePoint at = Now() - core::kDay;
  for (int i = 0; i < kRequests; ++i) {
    v1::Request request;
    request.set_request_id("stop-" + std::to_string(i));
    for (int k = 0; k < kPerRequest; ++k) {
      auto* in = request.mutable_ingest()->add_interactions();
      in->set_event_id("stop-" + std::to_string(i) + "-" + std::to_string(k));
      in->add_contacts("p" + std::to_string(k) + "@stop.test");
      in->set_channel(v1::EMAIL);
      in->set_direction(v1::OUTBOUND);
      transport::ToProto(at + std::chrono::seconds(i), in->mutable_occurred_at());
    }
    dealer->Send(request);
  }
  int stopped = -1;
  std::thread stopper([&] { stopped = daemon_.Stop(); });
  std::int64_t accepted = 0;
  int refused = 0;
  std::set<std::string> answered;
  while (true) {
    const std::optional<v1::Reply> got = dealer->Receive(std::chrono::seconds(3));
    if (!got) {
      break;  // gone: what was not read off its socket gets no reply
    }
    const v1::Reply& reply = *got;
    EXPECT_TRUE(answered.insert(reply.request_id()).second) << "two replies to one request";
    if (reply.has_error()) {
      EXPECT_EQ(reply.error().code(), v1::Error::UNAVAILABLE) << reply.error().message();
      ++refused;
    } else {
      for (const auto& item : reply.ingest().items()) {
        EXPECT_EQ(item.outcome(), v1::IngestResult::ACCEPTED);
        ++accepted;
      }
    }
  }
  stopper.join();
  dealer.reset();
  EXPECT_EQ(stopped, 0) << daemon_.Log();
  EXPECT_GT(accepted, 0);
  ASSERT_TRUE(daemon_.Start());
  auto c = Connect();
  v1::Request status;
  status.mutable_status();
  EXPECT_EQ(Call(c, status).status().interactions(), accepted)
      << refused << " requests answered UNAVAILABLE";
  std::cout << "SIGTERM with " << kRequests << " requests sent: " << accepted
            << " events acknowledged and kept, " << refused << " requests answered UNAVAILABLE, "
            << kRequests - static_cast<int>(answered.size()) << " never read off the socket"
            << std::endl;
}

TEST_F(DaemonTest, SigtermStopsCleanly) {
  ASSERT_TRUE(daemon_.Start());
  EXPECT_EQ(daemon_.Stop(), 0);
  EXPECT_NE(daemon_.Log().find("warmthd stopped"), std::string::npos);
}

}  // namespace
}  // namespace warmth
