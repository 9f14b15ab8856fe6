#include "daemon/transport/codec.h"

#include <tuple>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/util/time_util.h>
#include <google/protobuf/wire_format_lite.h>

#include "daemon/core/identifiers.h"
#include "daemon/core/validation.h"

namespace warmth::transport {
namespace {

using core::Status;
using google::protobuf::util::TimeUtil;

// Well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF), as protobuf requires of string fields.
bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int more = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      more = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      more = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(more) >= s.size()) {
      return false;  // cut short
    }
    for (int k = 1; k <= more; ++k) {
      const auto d = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((d & 0xc0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((more == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (more == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
      return false;
    }
    i += static_cast<std::size_t>(more) + 1;
  }
  return true;
}

}  // namespace

Status DecodeRequest(std::string_view bytes, v1::Request& out) {
  if (bytes.size() > kMaxRequestBytes) {
    out.Clear();
    out.set_request_id(PeekRequestId(bytes));
    return Status::ResourceExhausted("request: larger than 1 MiB; send smaller batches");
  }
  if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    // What a failed parse left behind may be invalid UTF-8, which no client
    // could decode in the reply: keep only an id that reads back.
    std::string id = PeekRequestId(bytes);
    out.Clear();
    out.set_request_id(std::move(id));
    return Status::InvalidArgument("request: not a warmth.v1.Request");
  }
  if (out.request_id().size() > core::kMaxIdBytes) {
    return Status::InvalidArgument("request_id: longer than 128 bytes");
  }
  return Status::Ok();
}

std::string PeekRequestId(std::string_view bytes) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  // Serializers write fields in number order, so request_id (1) comes first;
  // skipping is only for hand-made frames. At most a few fields are looked at.
  for (int fields = 0; fields < 16; ++fields) {
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) {
      return {};
    }
    if (WireFormatLite::GetTagFieldNumber(tag) == v1::Request::kRequestIdFieldNumber &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      std::uint32_t size = 0;
      std::string id;
      if (!in.ReadVarint32(&size) || size > core::kMaxIdBytes ||
          !in.ReadString(&id, static_cast<int>(size)) || !IsUtf8(id)) {
        return {};
      }
      return id;
    }
    if (!WireFormatLite::SkipField(&in, tag)) {
      return {};
    }
  }
  return {};
}

core::Result<core::TimePoint> ToTimePoint(const google::protobuf::Timestamp& ts,
                                          std::string_view field) {
  // Years 1970 to 9999; nothing warmth does lives outside.
  if (ts.seconds() < 0 || ts.seconds() > TimeUtil::kTimestampMaxSeconds || ts.nanos() < 0 ||
      ts.nanos() > 999'999'999) {
    return Status::InvalidArgument(std::string(field) + ": out of range (1970 to 9999)");
  }
  return core::TimePoint(
      std::chrono::seconds(ts.seconds()) +
      std::chrono::duration_cast<core::Duration>(std::chrono::nanoseconds(ts.nanos())));
}

core::Result<core::Duration> ToDuration(const google::protobuf::Duration& d,
                                        std::string_view field) {
  if (d.seconds() < 0 || d.nanos() < 0 || d.seconds() > 100LL * 366 * 86400 ||
      d.nanos() > 999'999'999) {
    return Status::InvalidArgument(std::string(field) + ": negative or out of range");
  }
  return std::chrono::duration_cast<core::Duration>(std::chrono::seconds(d.seconds()) +
                                                    std::chrono::nanoseconds(d.nanos()));
}

core::Result<core::Channel> ToChannel(int value, std::string_view field) {
  if (value < 0 || value >= core::kChannelCount) {
    return Status::InvalidArgument(std::string(field) + ": unknown channel");
  }
  return static_cast<core::Channel>(value);
}

core::Result<core::Interaction> ToInteraction(const v1::Interaction& in) {
  // Every structural rule lives in core::ValidateInteraction; the codec only
  // copies (the request's size already bounds what it copies).
  core::Interaction out;
  out.event_id = in.event_id();
  out.channel = static_cast<core::Channel>(in.channel());
  out.direction = static_cast<core::Direction>(in.direction());
  out.contacts.assign(in.contacts().begin(), in.contacts().end());
  if (in.has_occurred_at()) {
    auto at = ToTimePoint(in.occurred_at(), "occurred_at");
    if (!at.ok()) {
      return at.status();
    }
    out.occurred_at = *at;
  }
  out.source = in.source();
  out.tags.assign(in.tags().begin(), in.tags().end());
  out.missed = in.missed();
  if (Status s = core::ValidateInteraction(out); !s.ok()) {
    return s;
  }
  return out;
}

core::Result<core::Interaction> ToStoredInteraction(const v1::Interaction& in) {
  if (!in.contacts().empty()) {
    return ToInteraction(in);
  }
  // The one rule a stored interaction may break is "at least one contact":
  // check the rest on a copy that names one.
  v1::Interaction named = in;
  named.add_contacts("-");
  auto out = ToInteraction(named);
  if (out.ok()) {
    out->contacts.clear();
  }
  return out;
}

core::Result<core::Nudge> ToNudge(const v1::Nudge& in, std::string key) {
  core::Nudge out;
  out.id = in.id();
  out.key = std::move(key);
  if (in.kind() <= 0 || in.kind() >= core::kNudgeKindCount) {
    return Status::InvalidArgument("nudge.kind: unknown kind");
  }
  out.kind = static_cast<core::NudgeKind>(in.kind());
  if (in.state() <= 0 || in.state() > static_cast<int>(core::NudgeState::kDismissed)) {
    return Status::InvalidArgument("nudge.state: unknown state");
  }
  out.state = static_cast<core::NudgeState>(in.state());
  auto channel = ToChannel(in.suggested_channel(), "nudge.suggested_channel");
  if (!channel.ok()) {
    return channel.status();
  }
  out.suggested_channel = *channel;
  out.contact_ids.assign(in.contact_ids().begin(), in.contact_ids().end());
  out.text = in.text();
  out.warmth = in.warmth();
  out.trip_id = in.trip_id();
  if (!in.has_due_at() || !in.has_published_at()) {
    return Status::InvalidArgument("nudge.due_at, nudge.published_at: required");
  }
  for (const auto& [field, ts, into] :
       {std::tuple{"nudge.due_at", &in.due_at(), &out.due_at},
        std::tuple{"nudge.published_at", &in.published_at(), &out.published_at}}) {
    auto t = ToTimePoint(*ts, field);
    if (!t.ok()) {
      return t.status();
    }
    *into = *t;
  }
  if (in.has_snoozed_until()) {
    auto t = ToTimePoint(in.snoozed_until(), "nudge.snoozed_until");
    if (!t.ok()) {
      return t.status();
    }
    out.snoozed_until = *t;
  }
  return out;
}

core::Result<core::Contact> ToContact(const v1::Contact& in) {
  core::Contact out;
  out.id = in.id();
  out.display_name = in.display_name();
  out.identifiers.assign(in.identifiers().begin(), in.identifiers().end());
  const int circle = in.circle();
  if (circle < 0 || circle >= core::kCircleCount) {
    return Status::InvalidArgument("contact.circle: unknown circle");
  }
  out.circle = static_cast<core::Circle>(circle);
  out.city = in.city();
  if (in.has_birthday() && (in.birthday().month() != 0 || in.birthday().day() != 0)) {
    out.birthday = core::Birthday{in.birthday().month(), in.birthday().day(), in.birthday().year()};
  }
  out.tags.assign(in.tags().begin(), in.tags().end());
  out.muted = in.muted();
  out.family = in.family();
  if (in.has_every()) {
    auto d = ToDuration(in.every(), "contact.every");
    if (!d.ok()) {
      return d.status();
    }
    out.every = *d;
  }
  if (in.has_every_max()) {
    auto d = ToDuration(in.every_max(), "contact.every_max");
    if (!d.ok()) {
      return d.status();
    }
    out.every_max = *d;
  }
  return out;
}

core::Result<core::Trip> ToTrip(const v1::Trip& in) {
  core::Trip out;
  out.id = in.id();
  out.city = in.city();
  if (!in.has_starts_at()) {
    return Status::InvalidArgument("trip.starts_at: required");
  }
  auto starts = ToTimePoint(in.starts_at(), "trip.starts_at");
  if (!starts.ok()) {
    return starts.status();
  }
  out.starts_at = *starts;
  out.ends_at = out.starts_at + core::kDay;
  if (in.has_ends_at()) {
    auto ends = ToTimePoint(in.ends_at(), "trip.ends_at");
    if (!ends.ok()) {
      return ends.status();
    }
    out.ends_at = *ends;
  }
  out.tags.assign(in.tags().begin(), in.tags().end());
  return out;
}

void ToProto(core::TimePoint t, google::protobuf::Timestamp* out) {
  const auto us = core::ToUnixMicros(t);
  auto secs = us / 1'000'000;
  auto rem = us % 1'000'000;
  if (rem < 0) {
    rem += 1'000'000;
    --secs;
  }
  out->set_seconds(secs);
  out->set_nanos(static_cast<int>(rem * 1000));
}

void ToProto(core::Duration d, google::protobuf::Duration* out) {
  out->set_seconds(d.count() / 1'000'000);
  out->set_nanos(static_cast<int>((d.count() % 1'000'000) * 1000));
}

void ToProto(const core::Interaction& in, v1::Interaction* out) {
  out->set_event_id(in.event_id);
  for (const auto& c : in.contacts) {
    out->add_contacts(c);
  }
  out->set_channel(static_cast<v1::Channel>(in.channel));
  out->set_direction(static_cast<v1::Direction>(in.direction));
  if (in.occurred_at) {
    ToProto(*in.occurred_at, out->mutable_occurred_at());
  }
  out->set_source(in.source);
  for (const auto& t : in.tags) {
    out->add_tags(t);
  }
  out->set_missed(in.missed);
}

void ToProto(const core::Contact& in, v1::Contact* out) {
  out->set_id(in.id);
  out->set_display_name(in.display_name);
  for (const auto& i : in.identifiers) {
    out->add_identifiers(i);
  }
  out->set_circle(static_cast<v1::Circle>(in.circle));
  out->set_city(in.city);
  if (in.birthday) {
    out->mutable_birthday()->set_month(in.birthday->month);
    out->mutable_birthday()->set_day(in.birthday->day);
    out->mutable_birthday()->set_year(in.birthday->year);
  }
  for (const auto& t : in.tags) {
    out->add_tags(t);
  }
  out->set_muted(in.muted);
  out->set_family(in.family);
  if (in.every) {
    ToProto(*in.every, out->mutable_every());
  }
  if (in.every_max) {
    ToProto(*in.every_max, out->mutable_every_max());
  }
}

void ToProto(const core::ContactView& in, v1::ContactInfo* out) {
  ToProto(in.contact, out->mutable_contact());
  out->set_warmth(in.warmth);
  if (in.last_at) {
    ToProto(*in.last_at, out->mutable_last_interaction_at());
    out->set_last_channel(static_cast<v1::Channel>(in.last_channel));
  }
  out->set_interaction_count(in.interactions);
  if (in.cools_at) {
    ToProto(*in.cools_at, out->mutable_cools_at());
  }
  if (in.snoozed_until) {
    ToProto(*in.snoozed_until, out->mutable_snoozed_until());
  }
  out->set_cadence_source(std::string(core::Name(in.cadence_source)));
  if (in.every) {
    ToProto(*in.every, out->mutable_every());
  }
  out->set_cadence_tag(in.cadence_tag);
  ToProto(in.half_life, out->mutable_half_life());
  if (in.usual_gap) {
    ToProto(*in.usual_gap, out->mutable_usual_gap());
  }
  out->set_rhythm_gaps(in.rhythm_gaps);
  if (in.one_sided_until) {
    ToProto(*in.one_sided_until, out->mutable_one_sided_until());
  }
}

void ToProto(const core::Trip& in, v1::Trip* out) {
  out->set_id(in.id);
  out->set_city(in.city);
  ToProto(in.starts_at, out->mutable_starts_at());
  ToProto(in.ends_at, out->mutable_ends_at());
  for (const auto& t : in.tags) {
    out->add_tags(t);
  }
}

void ToProto(const core::Nudge& in, v1::Nudge* out) {
  out->set_id(in.id);
  out->set_kind(static_cast<v1::NudgeKind>(in.kind));
  for (const auto& c : in.contact_ids) {
    out->add_contact_ids(c);
  }
  out->set_text(in.text);
  out->set_warmth(in.warmth);
  out->set_suggested_channel(static_cast<v1::Channel>(in.suggested_channel));
  ToProto(in.due_at, out->mutable_due_at());
  ToProto(in.published_at, out->mutable_published_at());
  out->set_trip_id(in.trip_id);
  out->set_state(static_cast<v1::NudgeState>(in.state));
  if (in.snoozed_until) {
    ToProto(*in.snoozed_until, out->mutable_snoozed_until());
  }
  for (const auto& n : in.contact_names) {
    out->add_contact_names(n);
  }
  for (const auto& p : in.contact_phones) {
    out->add_contact_phones(p);
  }
}

void ToProto(const core::Status& status, v1::Error* out) {
  out->set_code(static_cast<v1::Error::Code>(status.code()));
  out->set_message(status.message());
}

std::string Topic(core::NudgeKind kind) {
  return "nudge." + std::string(core::Name(kind));
}

}  // namespace warmth::transport
