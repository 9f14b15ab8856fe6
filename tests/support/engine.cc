#include "tests/support/engine.h"

#include <algorithm>

namespace warmth::testing {

core::EngineOptions ImmediateOptions() {
  core::EngineOptions o;
  o.delivery.quiet_hours.reset();
  o.delivery.max_per_day = 0;
  o.rules.weekend_call.enabled = false;
  return o;
}

std::vector<core::Nudge> RunUntil(core::Engine& engine, core::TimePoint from, core::TimePoint to) {
  std::vector<core::Nudge> out;
  core::TimePoint now = from;
  while (true) {
    const auto next = engine.NextDue(now);
    if (!next || *next > to) {
      break;
    }
    now = std::max(now, *next);
    for (auto& n : engine.TakeDue(now)) {
      out.push_back(std::move(n));
    }
  }
  return out;
}

std::vector<core::Nudge> TickUntil(core::Engine& engine, core::TimePoint from, core::TimePoint to,
                                   core::Duration step) {
  std::vector<core::Nudge> out;
  for (core::TimePoint t = from; t < to; t += step) {
    for (auto& n : engine.TakeDue(t)) {
      out.push_back(std::move(n));
    }
  }
  return out;
}

}  // namespace warmth::testing
