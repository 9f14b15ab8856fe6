#pragma once

#include <iosfwd>

#include "base/cli_doc.h"

namespace warmth::mail {

struct Io {
  std::istream& in;              // the message, in hook mode
  std::ostream& out;             // summary, dry-run listing
  std::ostream& err;             // errors, progress bar
  bool err_is_terminal = false;  // draw the progress bar
};

// The whole warmth-mail command line; main() is a call to this.
int Run(int argc, const char* const* argv, const Io& io);

// The prose of its man page (warmth-mail --manual).
base::ManPage ManPage();  // manual.cc

}  // namespace warmth::mail
