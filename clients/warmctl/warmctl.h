#pragma once

#include <iosfwd>

#include "base/exit_codes.h"

namespace warmth::warmctl {

// Exit codes beyond 0 (success), from base/exit_codes.h: the daemon refused
// the request (1), bad command line (2), the daemon is not running or not
// reachable (69).
using base::kExitError;
using base::kExitUnavailable;
using base::kExitUsage;

// The whole warmctl command line; main() is a call to this.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace warmth::warmctl
