#pragma once

#include <iosfwd>

namespace warmth::warmctl {

// Exit codes beyond 0 (success).
inline constexpr int kExitError = 1;        // the daemon refused the request
inline constexpr int kExitUsage = 2;        // bad command line
inline constexpr int kExitUnavailable = 69;  // the daemon is not running or not reachable

// The whole warmctl command line; main() is a call to this.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace warmth::warmctl
