#pragma once

#include <string_view>

#include "daemon/core/journal.h"
#include "daemon/core/status.h"
#include "daemon/core/types.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::transport {

namespace v1 = ::warmth::v1;

// Requests larger than this get RESOURCE_EXHAUSTED; ZMQ_MAXMSGSIZE (kHardFrameLimit)
// drops connections that send more than 16 times as much.
inline constexpr std::size_t kMaxRequestBytes = 1 << 20;
inline constexpr std::int64_t kHardFrameLimit = 16 << 20;
inline constexpr int kMaxInteractionsPerBatch = 10000;
// Replies the API socket queues for one client that does not read them yet
// (ZMQ_SNDHWM). ZeroMQ's default of 1000 made a ROUTER drop, without a word,
// the replies of a client with more requests in flight than that which read
// late (a flood answered RESOURCE_EXHAUSTED comes back faster than any
// client reads). Most replies are a few hundred bytes; past the limit a
// client's replies are dropped, as from a client that is gone.
inline constexpr int kRepliesQueuedPerClient = 1 << 17;

// Decodes a request frame. kResourceExhausted for an oversize frame,
// kInvalidArgument for bytes that are not a warmth.v1.Request or a
// request_id over 128 bytes.
core::Status DecodeRequest(std::string_view bytes, v1::Request& out);

// The request_id of an encoded Request without decoding the rest: cheap
// enough to answer a request the daemon will not take (oversize, or while it
// sheds load) under its own id. "" when absent, unreadable or over 128 bytes.
std::string PeekRequestId(std::string_view bytes);

// Protobuf → core, validating as the wire contract says; messages name the field.
core::Result<core::TimePoint> ToTimePoint(const google::protobuf::Timestamp& ts,
                                          std::string_view field);
core::Result<core::Duration> ToDuration(const google::protobuf::Duration& d,
                                        std::string_view field);
core::Result<core::Interaction> ToInteraction(const v1::Interaction& in);
core::Result<core::Contact> ToContact(const v1::Contact& in);
core::Result<core::Trip> ToTrip(const v1::Trip& in);
core::Result<core::Channel> ToChannel(int value, std::string_view field);
// An interaction as a backup holds it: as ToInteraction, but it may name no
// contact (its contacts were all removed; the event id stays seen).
core::Result<core::Interaction> ToStoredInteraction(const v1::Interaction& in);
// A published nudge as a backup holds it, with its key: kind, state and
// channel in range, due_at and published_at set.
core::Result<core::Nudge> ToNudge(const v1::Nudge& in, std::string key);

// Core → protobuf.
void ToProto(core::TimePoint t, google::protobuf::Timestamp* out);
void ToProto(core::Duration d, google::protobuf::Duration* out);
void ToProto(const core::Interaction& in, v1::Interaction* out);
void ToProto(const core::Contact& in, v1::Contact* out);
void ToProto(const core::ContactView& in, v1::ContactInfo* out);
void ToProto(const core::Trip& in, v1::Trip* out);
void ToProto(const core::Nudge& in, v1::Nudge* out);
void ToProto(const core::Status& status, v1::Error* out);

// "nudge.cooling", …: the PUB topic of a nudge kind, for a nudge just published.
std::string Topic(core::NudgeKind kind);
// The PUB topic of a published nudge whose state changed (DONE, SNOOZED,
// DISMISSED): notifiers close what they show for it. A subscription to
// "nudge." matches it too.
inline constexpr std::string_view kClosedTopic = "nudge.closed";

}  // namespace warmth::transport
