#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "base/config.h"
#include "daemon/core/time.h"

namespace warmth::app {

struct ReplayOptions {
  std::optional<core::TimePoint> until;  // keep the clock running to here
  bool summary = false;                  // print a ReplaySummary instead of the nudges
};

// `warmthd replay`: runs the engine on a simulated clock over a timeline of
// TimelineEntry lines (protobuf JSON, non-decreasing `at`), publishing every
// nudge that falls due in between, and writes each published nudge as one
// JSON line to `out` — or, with `summary`, the counts per kind and per week
// at the end (ReplaySummary; `config.source` names the config in it). Same
// input, byte-identical output.
//
// Returns 0, or 2 after writing "NAME:LINE: what is wrong" to `err` for a
// line that is not a valid entry or goes back in time. Requests the daemon
// would answer with an error are reported on `err` and replay goes on.
int Replay(const base::Config& config, std::istream& timeline, const std::string& name,
           const ReplayOptions& options, std::ostream& out, std::ostream& err);

}  // namespace warmth::app
