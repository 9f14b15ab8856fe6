#pragma once

#include <string>

#include <date/tz.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include "daemon/core/status.h"
#include "daemon/core/time.h"

namespace warmth::client {

// "just now", "5 min ago", "3 h ago", "12 d ago", "4 mo ago", "2 y ago";
// "in 3 d" for the future.
std::string Ago(core::TimePoint t, core::TimePoint now);
// "2026-11-21 14:03" in `zone`.
std::string LocalTime(core::TimePoint t, const date::time_zone* zone);
// "2026-11-21" in `zone`.
std::string LocalDate(core::TimePoint t, const date::time_zone* zone);
core::TimePoint FromProto(const google::protobuf::Timestamp& ts);

// A time as users type it: RFC 3339 ("2026-11-20T18:30:00Z"), a local
// "2026-11-20 18:30" or "2026-11-20" (noon; today before noon: now), or a past
// offset "2h ago" / "-3d".
core::Result<core::TimePoint> ParseWhen(const std::string& text, const date::time_zone* zone,
                                        core::TimePoint now);
// A local calendar day "2026-12-03" → its first instant in `zone`.
core::Result<core::TimePoint> ParseLocalDay(const std::string& text, const date::time_zone* zone);

// One line of JSON in protobuf's canonical mapping (lowerCamelCase field
// names, as `warmthd replay` prints and every JSON input accepts), with
// default values printed (so a warmth of 0 is still there).
std::string Json(const google::protobuf::Message& message);

}  // namespace warmth::client
