#pragma once

#include "daemon/core/time.h"

namespace warmth::base {

// The system clock at core's resolution (microseconds). Thread-safe.
core::TimePoint Now();

// core::Clock on the system clock: what the daemon runs on outside tests.
class SystemClock final : public core::Clock {
 public:
  core::TimePoint Now() const override { return base::Now(); }
};

}  // namespace warmth::base
