// Overload on the real daemon: one client floods the API socket with ingest
// requests without waiting for replies, far faster than the store commits;
// another, well-behaved client (Client::IngestAll, which retries busy
// replies) sends its events meanwhile. The daemon answers the excess
// RESOURCE_EXHAUSTED instead of queueing it, its memory stays bounded, and
// the well-behaved client loses nothing.
#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "clients/common/client.h"
#include "tests/reliability/harness.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::StoreReader;
using testing::TempDir;
namespace v1 = ::warmth::v1;

constexpr int kFloodRequests = 8000;
constexpr int kFloodBatch = 50;
constexpr int kPoliteEvents = 20000;

v1::Interaction Event(const std::string& id, int contact) {
  v1::Interaction in;
  in.set_event_id(id);
  in.add_contacts("o" + std::to_string(contact) + "@overload.test");
  in.set_channel(v1::EMAIL);
  in.set_direction(v1::OUTBOUND);
  return in;
}

TEST(Overload, ExcessGetsResourceExhaustedAndARetryingClientLosesNothing) {
  TempDir dir;
  DaemonProcess daemon(dir);
  ASSERT_TRUE(daemon.Start());
  const std::int64_t rss_before = testing::VmRssKib(daemon.pid());

  // The well-behaved client, in a thread of its own.
  std::atomic<bool> polite_done = false;
  core::Result<client::Client::IngestTotals> polite = core::Status::Internal("not run");
  std::thread polite_thread([&] {
    zmq::context_t context(1);
    client::Client c(
        context,
        client::ClientOptions{
            daemon.api(), std::chrono::milliseconds(2000), std::chrono::milliseconds(20000), {}});
    std::vector<v1::Interaction> events;
    for (int i = 0; i < kPoliteEvents; ++i) {
      events.push_back(Event("polite-" + std::to_string(i), i % 100));
    }
    client::Client::IngestOptions options;
    options.batch_size = 100;
    options.window = 8;
    options.retries = 1000;
    polite = c.IngestAll(events, options);
    polite_done = true;
  });

  // The flood: every request sent at once (no send limit on our side), the
  // replies read as they come.
  zmq::context_t context(1);
  zmq::socket_t flood(context, zmq::socket_type::dealer);
  flood.set(zmq::sockopt::sndhwm, 0);
  flood.set(zmq::sockopt::rcvhwm, 0);
  flood.set(zmq::sockopt::linger, 0);
  flood.connect(daemon.api());
  std::map<std::string, std::vector<std::string>> sent;  // request id -> event ids
  int replies = 0;
  int exhausted = 0;
  int other_errors = 0;
  std::set<std::string> accepted;
  std::int64_t rss_max = rss_before;
  const auto receive = [&](std::chrono::milliseconds wait) {
    zmq::pollitem_t item{flood.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, wait);
    while (true) {
      zmq::message_t frame;
      if (!flood.recv(frame, zmq::recv_flags::dontwait)) {
        return;
      }
      while (frame.more()) {
        (void)flood.recv(frame, zmq::recv_flags::none);
      }
      v1::Reply reply;
      ASSERT_TRUE(reply.ParseFromArray(frame.data(), static_cast<int>(frame.size())));
      ASSERT_TRUE(sent.contains(reply.request_id())) << reply.DebugString();
      ++replies;
      if (reply.has_error()) {
        if (reply.error().code() == v1::Error::RESOURCE_EXHAUSTED) {
          ++exhausted;
          EXPECT_NE(reply.error().message().find("busy"), std::string::npos)
              << reply.error().message();
        } else {
          ++other_errors;
          ADD_FAILURE() << reply.error().message();
        }
        continue;
      }
      for (const auto& result : reply.ingest().items()) {
        EXPECT_EQ(result.outcome(), v1::IngestResult::ACCEPTED) << result.event_id();
        accepted.insert(result.event_id());
      }
    }
  };
  for (int r = 0; r < kFloodRequests; ++r) {
    v1::Request request;
    request.set_request_id("flood-" + std::to_string(r));
    auto& ids = sent[request.request_id()];
    for (int i = 0; i < kFloodBatch; ++i) {
      const std::string id = "flood-" + std::to_string(r) + "-" + std::to_string(i);
      *request.mutable_ingest()->add_interactions() = Event(id, i);
      ids.push_back(id);
    }
    const std::string bytes = request.SerializeAsString();
    flood.send(zmq::message_t(), zmq::send_flags::sndmore);
    flood.send(zmq::buffer(bytes), zmq::send_flags::none);
    if (r % 500 == 0) {
      receive(std::chrono::milliseconds(0));
      rss_max = std::max(rss_max, testing::VmRssKib(daemon.pid()));
    }
  }
  // Wait as long as replies keep coming: on a loaded machine the daemon may
  // take minutes to commit the accepted part of the flood, and that is not
  // what this test is about. It fails if the daemon falls silent for
  // kSilence with requests still unanswered.
  constexpr auto kSilence = std::chrono::seconds(60);
  auto last_progress = std::chrono::steady_clock::now();
  while (replies < kFloodRequests && std::chrono::steady_clock::now() - last_progress < kSilence) {
    const int before = replies;
    receive(std::chrono::milliseconds(100));
    if (replies != before) {
      last_progress = std::chrono::steady_clock::now();
    }
    rss_max = std::max(rss_max, testing::VmRssKib(daemon.pid()));
  }
  polite_thread.join();

  EXPECT_EQ(replies, kFloodRequests) << "every flood request gets exactly one reply";
  EXPECT_GT(exhausted, 0) << "the daemon never pushed back";
  EXPECT_EQ(other_errors, 0);
  ASSERT_TRUE(polite.ok()) << polite.status().message();
  EXPECT_EQ(polite->accepted, kPoliteEvents);
  EXPECT_EQ(polite->rejected, 0);
  // Generous: the backlog is bounded at 64 MiB; it holds about 12 MiB here.
  EXPECT_LT(rss_max - rss_before, 256 * 1024) << "KiB; before " << rss_before;
  EXPECT_NE(daemon.Log().find("busy: answered"), std::string::npos) << daemon.Log();

  ASSERT_EQ(daemon.Stop(), 0);
  StoreReader store(daemon.data_dir() + "/warmth.db");
  EXPECT_EQ(store.IntegrityCheck(), "ok");
  // The polite client lost nothing; of the flood, exactly what was ACCEPTED
  // is stored, and nothing of a request answered RESOURCE_EXHAUSTED.
  EXPECT_EQ(store.Count("SELECT count(DISTINCT event_id) FROM interactions "
                        "WHERE event_id LIKE 'polite-%'"),
            kPoliteEvents);
  std::set<std::string> flood_stored;
  store.Query("SELECT event_id FROM interactions WHERE event_id LIKE 'flood-%'",
              [&](const auto& c) { flood_stored.insert(c[0]); });
  EXPECT_EQ(flood_stored, accepted);
  std::cout << "overload: " << kFloodRequests << " flood requests, " << exhausted
            << " answered RESOURCE_EXHAUSTED, " << accepted.size() << " flood events accepted; "
            << polite->accepted << " of " << kPoliteEvents
            << " events of the retrying client accepted; daemon RSS " << rss_before << " -> max "
            << rss_max << " KiB" << std::endl;
}

}  // namespace
}  // namespace warmth
