#include "daemon/transport/codec.h"

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::transport {
namespace {

v1::Interaction Valid() {
  v1::Interaction in;
  in.set_event_id("e1");
  in.add_contacts("alice@example.com");
  in.set_channel(v1::CALL);
  in.set_direction(v1::OUTBOUND);
  in.mutable_occurred_at()->set_seconds(1'790'000'000);
  return in;
}

TEST(Codec, ValidInteractionConverts) {
  const auto in = ToInteraction(Valid());
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->channel, core::Channel::kCall);
  EXPECT_EQ(core::ToUnixMicros(*in->occurred_at), 1'790'000'000LL * 1'000'000);
}

TEST(Codec, RejectedInteractionsNameTheField) {
  struct Case {
    const char* name;
    std::function<void(v1::Interaction&)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {"missing event_id", [](v1::Interaction& i) { i.clear_event_id(); }, "event_id"},
      {"event_id over 128 bytes", [](v1::Interaction& i) { i.set_event_id(std::string(129, 'e')); },
       "event_id"},
      {"no channel", [](v1::Interaction& i) { i.set_channel(v1::CHANNEL_UNSPECIFIED); }, "channel"},
      {"unknown channel", [](v1::Interaction& i) { i.set_channel(static_cast<v1::Channel>(42)); },
       "channel"},
      {"unknown direction",
       [](v1::Interaction& i) { i.set_direction(static_cast<v1::Direction>(-3)); }, "direction"},
      {"no contacts", [](v1::Interaction& i) { i.clear_contacts(); }, "contacts"},
      {"a million contacts",
       [](v1::Interaction& i) {
         for (int k = 0; k < 1000; ++k) i.add_contacts("x");
       },
       "contacts"},
      {"10 kB identifier", [](v1::Interaction& i) { i.set_contacts(0, std::string(10000, 'a')); },
       "contacts"},
      {"negative time", [](v1::Interaction& i) { i.mutable_occurred_at()->set_seconds(-5); },
       "occurred_at"},
      {"time past 9999",
       [](v1::Interaction& i) { i.mutable_occurred_at()->set_seconds(400'000'000'000LL); },
       "occurred_at"},
      {"bad nanos", [](v1::Interaction& i) { i.mutable_occurred_at()->set_nanos(-1); },
       "occurred_at"},
      {"huge tag", [](v1::Interaction& i) { i.add_tags(std::string(1000, 't')); }, "tags"},
  };
  for (const Case& c : cases) {
    v1::Interaction in = Valid();
    c.spoil(in);
    const auto got = ToInteraction(in);
    ASSERT_FALSE(got.ok()) << c.name;
    EXPECT_EQ(got.status().code(), core::Code::kInvalidArgument) << c.name;
    EXPECT_EQ(got.status().message().rfind(c.field, 0), 0u)
        << c.name << ": " << got.status().message();
  }
}

TEST(Codec, DecodeRequestRefusesGarbageAndOversize) {
  v1::Request r;
  EXPECT_EQ(DecodeRequest("\xff\xff\xff\xff", r).code(), core::Code::kInvalidArgument);
  EXPECT_EQ(DecodeRequest(std::string(kMaxRequestBytes + 1, '\0'), r).code(),
            core::Code::kResourceExhausted);
  v1::Request ok;
  ok.set_request_id("r1");
  ok.mutable_status();
  EXPECT_OK(DecodeRequest(ok.SerializeAsString(), r));
  EXPECT_EQ(r.request_id(), "r1");
}

TEST(Codec, PeekRequestIdReadsOnlyTheId) {
  v1::Request r;
  r.set_request_id("peek-1");
  r.mutable_ingest()->add_interactions()->set_event_id(std::string(2 << 20, 'e'));
  const std::string bytes = r.SerializeAsString();
  EXPECT_EQ(PeekRequestId(bytes), "peek-1");
  // An oversize request is still answered under its id.
  v1::Request out;
  EXPECT_EQ(DecodeRequest(bytes, out).code(), core::Code::kResourceExhausted);
  EXPECT_EQ(out.request_id(), "peek-1");
  // Rejected: no id, a cut frame, an id over 128 bytes, invalid UTF-8.
  EXPECT_EQ(PeekRequestId(""), "");
  EXPECT_EQ(PeekRequestId(bytes.substr(0, 4)), "");
  r.set_request_id(std::string(129, 'r'));
  EXPECT_EQ(PeekRequestId(r.SerializeAsString()), "");
  EXPECT_EQ(PeekRequestId(std::string("\x0a\x02\xc3\x28", 4)), "");
  EXPECT_EQ(PeekRequestId(std::string("\x0a\x03\xed\xa0\x80", 5)), "");  // a surrogate
  EXPECT_EQ(PeekRequestId(std::string("\x0a\x02\xc3\xa9", 4)), "\xc3\xa9");
  // After other fields, as a hand-made frame may have it.
  EXPECT_EQ(PeekRequestId(std::string("\x62\x00\x0a\x01x", 5)), "x");
}

// Found by the hostile-client test: a frame that failed to parse after its
// request_id field had begun left invalid UTF-8 in the id, which the daemon
// echoed in a Reply that no client could decode.
TEST(Codec, Issue7UndecodableRequestIdIsNotEchoed) {
  v1::Request out;
  const std::string bytes("\x0a\x02\xff\xfe\x12\x05", 6);
  EXPECT_EQ(DecodeRequest(bytes, out).code(), core::Code::kInvalidArgument);
  EXPECT_EQ(out.request_id(), "");
  v1::Reply reply;
  reply.set_request_id(out.request_id());
  ToProto(core::Status::InvalidArgument("x"), reply.mutable_error());
  v1::Reply parsed;
  EXPECT_TRUE(parsed.ParseFromString(reply.SerializeAsString()));
  // A good id before the damage is kept.
  const std::string good("\x0a\x02id\x12\x05", 6);
  EXPECT_EQ(DecodeRequest(good, out).code(), core::Code::kInvalidArgument);
  EXPECT_EQ(out.request_id(), "id");
}

TEST(Codec, TimestampsRoundTripToTheMicrosecond) {
  const core::TimePoint t = core::FromUnixMicros(1'790'000'000'123'456LL);
  google::protobuf::Timestamp ts;
  ToProto(t, &ts);
  EXPECT_EQ(ts.nanos(), 123'456'000);
  EXPECT_EQ(*ToTimePoint(ts, "t"), t);
}

TEST(Codec, NegativeDurationsAreRefused) {
  google::protobuf::Duration d;
  d.set_seconds(-60);
  EXPECT_FALSE(ToDuration(d, "duration").ok());
}

TEST(Codec, AContactsCadenceRoundTripsAndUnsetStaysUnset) {
  v1::Contact in;
  in.set_id("mum");
  in.mutable_every()->set_seconds(7 * 86400);
  in.mutable_every_max()->set_seconds(14 * 86400);
  const auto c = ToContact(in);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->every, 7 * core::kDay);
  EXPECT_EQ(c->every_max, 14 * core::kDay);
  v1::Contact out;
  ToProto(*c, &out);
  EXPECT_EQ(out.every().seconds(), 7 * 86400);
  EXPECT_EQ(out.every_max().seconds(), 14 * 86400);

  v1::Contact plain;
  plain.set_id("bob");
  const auto p = ToContact(plain);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->every);
  v1::Contact back;
  ToProto(*p, &back);
  EXPECT_FALSE(back.has_every());
  EXPECT_FALSE(back.has_every_max());

  in.mutable_every()->set_seconds(-1);
  EXPECT_NE(ToContact(in).status().message().find("contact.every"), std::string::npos);
}

TEST(Codec, TripNeedsAStart) {
  v1::Trip t;
  t.set_city("Washington");
  EXPECT_NE(ToTrip(t).status().message().find("starts_at"), std::string::npos);
}

}  // namespace
}  // namespace warmth::transport
