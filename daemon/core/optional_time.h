#pragma once

#include <optional>

#include "daemon/core/time.h"

namespace warmth::core {

// A TimePoint or none, in 8 bytes where std::optional<TimePoint> takes 16:
// a contact's summary holds a dozen of them, a million times over. None is
// TimePoint::min(), a time nothing the engine keeps can carry (interactions
// before 1970 are refused). Reads and converts like std::optional.
class OptionalTime {
 public:
  constexpr OptionalTime() = default;
  constexpr OptionalTime(std::nullopt_t) {}                  // NOLINT(google-explicit-constructor)
  constexpr OptionalTime(TimePoint t) : t_(t) {}             // NOLINT(google-explicit-constructor)
  constexpr OptionalTime(const std::optional<TimePoint>& t)  // NOLINT(google-explicit-constructor)
      : t_(t ? *t : kNone) {}
  constexpr operator std::optional<TimePoint>() const {  // NOLINT(google-explicit-constructor)
    return has_value() ? std::optional<TimePoint>(t_) : std::nullopt;
  }

  constexpr bool has_value() const { return t_ != kNone; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr const TimePoint& operator*() const { return t_; }
  constexpr const TimePoint* operator->() const { return &t_; }
  constexpr TimePoint value_or(TimePoint otherwise) const { return has_value() ? t_ : otherwise; }
  constexpr void reset() { t_ = kNone; }

  friend constexpr bool operator==(const OptionalTime&, const OptionalTime&) = default;
  friend constexpr bool operator==(const OptionalTime& a, const std::optional<TimePoint>& b) {
    return a == OptionalTime(b);
  }
  friend constexpr bool operator==(const OptionalTime& a, TimePoint b) {
    return a.has_value() && a.t_ == b;
  }

 private:
  static constexpr TimePoint kNone = TimePoint::min();
  TimePoint t_ = kNone;
};

}  // namespace warmth::core
