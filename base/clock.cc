#include "base/clock.h"

#include <chrono>

namespace warmth::base {

core::TimePoint Now() {
  return std::chrono::time_point_cast<core::Duration>(std::chrono::system_clock::now());
}

}  // namespace warmth::base
