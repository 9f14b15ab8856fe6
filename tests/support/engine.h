#pragma once

#include <vector>

#include "daemon/core/engine.h"
#include "daemon/core/time.h"

// Driving a core::Engine on a fake clock, for tests of the engine and of what
// sits on it (rules, store, service).
namespace warmth::testing {

// Quiet hours off, no daily limit, no weekend-call rule: nudges go out the
// moment they fall due (kImmediateConfig for a daemon).
core::EngineOptions ImmediateOptions();

// Moves the clock from `from` to `to` the way the daemon's loop does: TakeDue
// at each time NextDue names, none after `to`. Every nudge published, in order.
std::vector<core::Nudge> RunUntil(core::Engine& engine, core::TimePoint from, core::TimePoint to);

// TakeDue at `from`, `from + step`, ... while before `to`, whatever NextDue
// says: what a loop on a fixed beat would publish. Every nudge, in order.
std::vector<core::Nudge> TickUntil(core::Engine& engine, core::TimePoint from, core::TimePoint to,
                                   core::Duration step);

}  // namespace warmth::testing
