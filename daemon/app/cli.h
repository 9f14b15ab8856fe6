#pragma once

#include <iosfwd>

#include "base/cli_doc.h"

namespace warmth::app {

// warmthd's command line: runs the daemon, or `warmthd replay TIMELINE`.
// Returns the exit code: 0; 1 on a fatal error; 2 for bad usage or a bad
// timeline (replay); 78 (base::kExitConfig) for a bad config or a failed
// start. `in` is replay's stdin ("-"); the daemon logs to stderr (spdlog),
// replay writes nudges to `out`, --help to `out`, errors to `err`.
int Main(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err);

// The prose of its man page (warmthd --manual).
base::ManPage ManPage();  // manual.cc

}  // namespace warmth::app
