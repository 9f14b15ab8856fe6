#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/core/time.h"

namespace warmth::core {

// The enumerations mirror warmth.v1 value for value, so the codec converts by
// number after a range check.
enum class Channel : std::uint8_t {
  kUnspecified = 0,
  kInPerson = 1,
  kCall = 2,
  kVideo = 3,
  kVoiceMessage = 4,
  kLetter = 5,
  kMessage = 6,
  kEmail = 7,
  kSocial = 8,
};
inline constexpr int kChannelCount = 9;

enum class Direction : std::uint8_t { kUnspecified = 0, kOutbound = 1, kInbound = 2, kMutual = 3 };
inline constexpr int kDirectionCount = 4;

enum class Circle : std::uint8_t {
  kUnspecified = 0,
  kInner = 1,
  kClose = 2,
  kNetwork = 3,
  kAcquaintance = 4,
};
inline constexpr int kCircleCount = 5;

enum class NudgeKind : std::uint8_t {
  kUnspecified = 0,
  kCooling = 1,
  kOnlineOnly = 2,
  kFollowUp = 3,
  kTrip = 4,
  kWeekendCall = 5,
  kBirthday = 6,
  kCallBack = 7,
  kRhythm = 8,
};
inline constexpr int kNudgeKindCount = 9;

enum class NudgeState : std::uint8_t {
  kUnspecified = 0,
  kPending = 1,
  kDone = 2,
  kSnoozed = 3,
  kDismissed = 4,
};
inline constexpr int kNudgeStateCount = 5;

// In person, call, video: the contact that makes relationships.
constexpr bool IsLive(Channel c) {
  return c == Channel::kInPerson || c == Channel::kCall || c == Channel::kVideo;
}
// Messages and e-mail: written conversation, what ONLINE_ONLY and
// WEEKEND_CALL count (a "like" is not a conversation).
constexpr bool IsConversation(Channel c) {
  return c == Channel::kMessage || c == Channel::kEmail;
}

struct Birthday {
  int month = 0;  // 1-12
  int day = 0;    // 1-31
  int year = 0;   // 0: unknown
  friend bool operator==(const Birthday&, const Birthday&) = default;
};

struct Interaction {
  std::string event_id;
  std::vector<std::string> contacts;  // ids or identifiers, as sent
  Channel channel = Channel::kUnspecified;
  Direction direction = Direction::kUnspecified;
  std::optional<TimePoint> occurred_at;  // nullopt: now
  std::string source;
  std::vector<std::string> tags;
  // A CALL or VIDEO that did not connect: INBOUND, they tried to call you
  // (missed, rejected); OUTBOUND, you tried them. No warmth, not live.
  bool missed = false;
};

struct Contact {
  std::string id;
  std::string display_name;
  std::vector<std::string> identifiers;  // normalized
  Circle circle = Circle::kUnspecified;
  std::string city;
  std::optional<Birthday> birthday;
  std::vector<std::string> tags;
  bool muted = false;
  bool family = false;
  // The cadence set for this contact: it should cool after about `every`
  // without contact (see CadenceHalfLife), and get a stronger COOLING past
  // `every_max`. nullopt: the tag's or circle's default.
  std::optional<Duration> every;
  std::optional<Duration> every_max;
  friend bool operator==(const Contact&, const Contact&) = default;
};

struct Trip {
  std::string id;
  std::string city;
  TimePoint starts_at;
  TimePoint ends_at;
  std::vector<std::string> tags;
  friend bool operator==(const Trip&, const Trip&) = default;
};

struct Nudge {
  std::string id;
  NudgeKind kind = NudgeKind::kUnspecified;
  std::vector<std::string> contact_ids;
  std::vector<std::string> contact_names;
  // Each contact's first phone number in E.164, "" for one without; empty
  // when no contact has one (DropIfNoPhones).
  std::vector<std::string> contact_phones;
  std::string text;
  double warmth = 0;
  Channel suggested_channel = Channel::kUnspecified;
  TimePoint due_at;
  TimePoint published_at;
  std::string trip_id;
  NudgeState state = NudgeState::kUnspecified;
  std::optional<TimePoint> snoozed_until;
  // The rule's identity for this occasion ("cooling/12/…"): two nudges with
  // the same key are the same reminder. Not on the wire.
  std::string key;
};

// A nudge names numbers only where some contact has one: "" for each
// contact is no news, and would be noise in every nudge printed.
inline void DropIfNoPhones(std::vector<std::string>& phones) {
  if (std::all_of(phones.begin(), phones.end(), [](const std::string& p) { return p.empty(); })) {
    phones.clear();
  }
}

// Lower-case names used by the CLI, config keys, topics and texts:
// "in_person", "call", …; "inner", …; "cooling", ….
std::string_view Name(Channel c);
std::string_view Name(Direction d);
std::string_view Name(Circle c);
std::string_view Name(NudgeKind k);
std::string_view Name(NudgeState s);
// Accept the names above, with '-' for '_' and any case.
std::optional<Channel> ParseChannel(std::string_view s);
std::optional<Direction> ParseDirection(std::string_view s);
std::optional<Circle> ParseCircle(std::string_view s);
std::optional<NudgeKind> ParseNudgeKind(std::string_view s);
// The names above that a user may type, in enum order, without
// "unspecified" (for circles "unsorted" comes first): for help texts and
// shell completion.
std::span<const std::string_view> ChannelNames();
std::span<const std::string_view> DirectionNames();
std::span<const std::string_view> CircleNames();
std::span<const std::string_view> NudgeKindNames();
std::span<const std::string_view> NudgeStateNames();

}  // namespace warmth::core
