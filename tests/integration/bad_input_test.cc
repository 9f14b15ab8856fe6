// Malformed frames on the real ROUTER socket; the daemon answers each with
// an Error and keeps serving.
#include <gtest/gtest.h>

#include "clients/common/client.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::TempDir;
namespace v1 = ::warmth::v1;

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(daemon_.Start());
    raw_.set(zmq::sockopt::linger, 0);
    raw_.connect(daemon_.api());
  }

  // Sends `frames` as one message and returns the reply's last frame parsed.
  std::optional<v1::Reply> Exchange(const std::vector<std::string>& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      raw_.send(zmq::buffer(frames[i]),
                i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
    zmq::pollitem_t item{raw_.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(5000));
    if ((item.revents & ZMQ_POLLIN) == 0) {
      return std::nullopt;
    }
    std::vector<zmq::message_t> parts;
    do {
      zmq::message_t m;
      (void)raw_.recv(m);
      parts.push_back(std::move(m));
    } while (parts.back().more());
    v1::Reply reply;
    if (!reply.ParseFromArray(parts.back().data(), static_cast<int>(parts.back().size()))) {
      return std::nullopt;
    }
    return reply;
  }

  void ExpectStillServing() {
    client::Client c(context_, client::ClientOptions{daemon_.api(), std::chrono::milliseconds(1000),
                                                     std::chrono::milliseconds(5000), {}});
    v1::Request r;
    auto* in = r.mutable_ingest()->add_interactions();
    in->set_event_id("after-" + std::to_string(++n_));
    in->add_contacts("alice@example.com");
    in->set_channel(v1::CALL);
    const auto reply = c.Call(r);
    ASSERT_TRUE(reply.ok()) << reply.status().message() << "\n" << daemon_.Log();
    EXPECT_EQ(reply->ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_};
  zmq::context_t context_{1};
  zmq::socket_t raw_{context_, zmq::socket_type::dealer};
  int n_ = 0;
};

TEST_F(BadInputTest, GarbageBytesGetInvalidArgument) {
  const auto reply = Exchange({"", std::string("\x0a\xff\xff\xff\xff\x0f garbage", 15)});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error().code(), v1::Error::INVALID_ARGUMENT);
  EXPECT_NE(reply->error().message().find("not a warmth.v1.Request"), std::string::npos);
  ExpectStillServing();
}

TEST_F(BadInputTest, WrongFrameCountsGetInvalidArgument) {
  auto reply = Exchange({"", "a", "b", "c"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error().code(), v1::Error::INVALID_ARGUMENT);
  reply = Exchange({""});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error().code(), v1::Error::INVALID_ARGUMENT);
  ExpectStillServing();
}

TEST_F(BadInputTest, OversizeFrameGetsResourceExhausted) {
  const auto reply = Exchange({"", std::string(2 << 20, '\x08')});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error().code(), v1::Error::RESOURCE_EXHAUSTED);
  ExpectStillServing();
}

TEST_F(BadInputTest, InvalidFieldsNameTheInteraction) {
  v1::Request r;
  r.set_request_id("bad-1");
  auto* ok = r.mutable_ingest()->add_interactions();
  ok->set_event_id("fine");
  ok->add_contacts("a@example.com");
  ok->set_channel(v1::EMAIL);
  auto* bad = r.mutable_ingest()->add_interactions();
  bad->add_contacts("a@example.com");
  bad->set_channel(v1::EMAIL);  // no event_id
  const auto reply = Exchange({"", r.SerializeAsString()});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->request_id(), "bad-1");
  EXPECT_EQ(reply->error().code(), v1::Error::INVALID_ARGUMENT);
  EXPECT_EQ(reply->error().message(), "ingest.interactions[1].event_id: required");
  // Nothing of that request was written: "fine" is still new.
  r.mutable_ingest()->mutable_interactions()->RemoveLast();
  const auto retry = Exchange({"", r.SerializeAsString()});
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
}

TEST_F(BadInputTest, UnknownChannelAndEmptyRequest) {
  v1::Request r;
  auto* in = r.mutable_ingest()->add_interactions();
  in->set_event_id("x");
  in->add_contacts("a@example.com");
  in->set_channel(static_cast<v1::Channel>(77));
  auto reply = Exchange({"", r.SerializeAsString()});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error().code(), v1::Error::INVALID_ARGUMENT);
  EXPECT_NE(reply->error().message().find("channel"), std::string::npos);
  reply = Exchange({"", v1::Request().SerializeAsString() + std::string("\x08\x01", 0)});
  // An empty payload is an empty frame: wrong shape, not a request.
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error().code(), v1::Error::INVALID_ARGUMENT);
  ExpectStillServing();
}

TEST_F(BadInputTest, ManyBadRequestsInARowDoNotStopTheDaemon) {
  for (int i = 0; i < 500; ++i) {
    const auto reply = Exchange({"", std::string(static_cast<std::size_t>(i % 50 + 1), static_cast<char>(0xff - i % 7))});
    ASSERT_TRUE(reply) << i;
  }
  ExpectStillServing();
  EXPECT_TRUE(daemon_.Running());
}

}  // namespace
}  // namespace warmth
