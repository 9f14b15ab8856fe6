#pragma once

#include <array>
#include <cstdint>

#include "daemon/core/scheduler.h"
#include "daemon/core/types.h"

namespace warmth::core::slots {

// The engine's names for scheduler slots, in one place. A contact's rule is
// (cid << 4 | kind); trips and the global occasions live in ranges of their
// own, above any contact number.
inline constexpr std::uint64_t kTripRange = 1ULL << 62;
inline constexpr std::uint64_t kGlobalRange = 1ULL << 63;
inline constexpr Scheduler::Slot kWeekend = kGlobalRange | 1;
inline constexpr Scheduler::Slot kSnooze = kGlobalRange | 2;

// The rules scheduled per contact.
inline constexpr std::array kContactRules = {NudgeKind::kCooling,  NudgeKind::kOnlineOnly,
                                             NudgeKind::kFollowUp, NudgeKind::kBirthday,
                                             NudgeKind::kCallBack, NudgeKind::kRhythm};

inline Scheduler::Slot Contact(std::int64_t cid, NudgeKind kind) {
  return (static_cast<std::uint64_t>(cid) << 4) | static_cast<std::uint64_t>(kind);
}
inline Scheduler::Slot Trip(std::uint64_t seq) {
  return kTripRange | (seq << 4);
}

inline bool IsGlobal(Scheduler::Slot slot) {
  return (slot & kGlobalRange) != 0;
}
inline bool IsTrip(Scheduler::Slot slot) {
  return !IsGlobal(slot) && (slot & kTripRange) != 0;
}
inline std::int64_t ContactOf(Scheduler::Slot slot) {
  return static_cast<std::int64_t>(slot >> 4);
}
inline NudgeKind KindOf(Scheduler::Slot slot) {
  return static_cast<NudgeKind>(slot & 15);
}

}  // namespace warmth::core::slots
