#pragma once

#include <iosfwd>

namespace warmth::mail {

// Exit codes (sysexits.h where one fits).
inline constexpr int kExitRejected = 1;      // the daemon rejected the interaction
inline constexpr int kExitUsage = 2;         // bad command line or config
inline constexpr int kExitDataError = 65;    // the message on stdin is unparseable
inline constexpr int kExitUnavailable = 69;  // the daemon is not running or not reachable

struct Io {
  std::istream& in;   // the message, in hook mode
  std::ostream& out;  // summary, dry-run listing
  std::ostream& err;  // errors, progress bar
  bool err_is_terminal = false;  // draw the progress bar
};

// The whole warmth-mail command line; main() is a call to this.
int Run(int argc, const char* const* argv, const Io& io);

}  // namespace warmth::mail
