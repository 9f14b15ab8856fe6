#include "daemon/core/types.h"

#include <array>
#include <cctype>

namespace warmth::core {
namespace {

constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "unspecified", "in_person", "call",  "video", "voice_message",
    "letter",      "message",   "email", "social"};
constexpr std::array<std::string_view, kDirectionCount> kDirectionNames = {
    "unspecified", "outbound", "inbound", "mutual"};
constexpr std::array<std::string_view, kCircleCount> kCircleNames = {"unsorted", "inner", "close",
                                                                     "network", "acquaintance"};
constexpr std::array<std::string_view, kNudgeKindCount> kKindNames = {
    "unspecified",  "cooling",  "online_only", "follow_up", "trip",
    "weekend_call", "birthday", "call_back",   "rhythm"};
constexpr std::array<std::string_view, 5> kStateNames = {"unspecified", "pending", "done",
                                                         "snoozed", "dismissed"};

std::string Fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

template <typename E, std::size_t N>
std::optional<E> Lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  const std::string folded = Fold(s);
  for (std::size_t i = 1; i < N; ++i) {
    if (names[i] == folded) {
      return static_cast<E>(i);
    }
  }
  return std::nullopt;
}

template <std::size_t N>
std::string_view At(const std::array<std::string_view, N>& names, std::size_t i) {
  return i < N ? names[i] : names[0];
}

}  // namespace

std::string_view Name(Channel c) {
  return At(kChannelNames, static_cast<std::size_t>(c));
}
std::string_view Name(Direction d) {
  return At(kDirectionNames, static_cast<std::size_t>(d));
}
std::string_view Name(Circle c) {
  return At(kCircleNames, static_cast<std::size_t>(c));
}
std::string_view Name(NudgeKind k) {
  return At(kKindNames, static_cast<std::size_t>(k));
}
std::string_view Name(NudgeState s) {
  return At(kStateNames, static_cast<std::size_t>(s));
}

std::optional<Channel> ParseChannel(std::string_view s) {
  if (Fold(s) == "phone") {
    return Channel::kCall;
  }
  if (Fold(s) == "meeting" || Fold(s) == "coffee") {
    return Channel::kInPerson;
  }
  return Lookup<Channel>(kChannelNames, s);
}
std::optional<Direction> ParseDirection(std::string_view s) {
  if (Fold(s) == "out") {
    return Direction::kOutbound;
  }
  if (Fold(s) == "in") {
    return Direction::kInbound;
  }
  return Lookup<Direction>(kDirectionNames, s);
}
std::optional<Circle> ParseCircle(std::string_view s) {
  if (Fold(s) == "none" || Fold(s) == "unspecified" || Fold(s) == "unsorted") {
    return Circle::kUnspecified;
  }
  return Lookup<Circle>(kCircleNames, s);
}
std::optional<NudgeKind> ParseNudgeKind(std::string_view s) {
  return Lookup<NudgeKind>(kKindNames, s);
}

std::span<const std::string_view> ChannelNames() {
  return std::span(kChannelNames).subspan(1);
}
std::span<const std::string_view> DirectionNames() {
  return std::span(kDirectionNames).subspan(1);
}
std::span<const std::string_view> CircleNames() {
  return std::span(kCircleNames);
}
std::span<const std::string_view> NudgeKindNames() {
  return std::span(kKindNames).subspan(1);
}
std::span<const std::string_view> NudgeStateNames() {
  return std::span(kStateNames).subspan(1);
}

}  // namespace warmth::core
