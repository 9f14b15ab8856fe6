#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace warmth::base {

// The hand-written parts of a binary's man page, in roff with man(7)
// macros. The NAME line, SYNOPSIS, OPTIONS and COMMANDS are generated from
// the CLI11 App, so the page cannot drift from the command line.
struct ManPage {
  int section = 1;
  std::string synopsis = {};     // roff lines after SYNOPSIS; empty: generated
  std::string description = {};  // ".SH DESCRIPTION …", placed before OPTIONS
  std::string tail = {};         // ".SH EXAMPLES …" and the rest, after COMMANDS
};

// Writes the man page of `app` (its name, its description after "NAME: " as
// the NAME line) with the prose of `page`. Hidden options and subcommands
// (group "") are left out.
void WriteManPage(const CLI::App& app, const ManPage& page, std::ostream& out);

// Adds a hidden --manual flag to `app` that writes its man page to `out`
// and ends the parse with CLI::Success (app.exit() then returns 0 and
// prints nothing). `app` and `out` must outlive the parse.
void AddManualFlag(CLI::App& app, ManPage page, std::ostream& out);

// What a shell offers for an option's value or a positional argument.
struct CompletionValues {
  enum class Kind { kNone, kWords, kFiles, kDirs, kCommand };
  Kind kind = Kind::kNone;
  std::vector<std::string> words = {};  // kWords
  std::string command = {};             // kCommand: arguments to the program, e.g. "completion ids"
};
// Keyed by "PATH NAME" or by NAME alone (the fallback): NAME is an
// option's first long name ("--channel") or a positional's name
// ("contacts"), PATH its subcommands ("contact edit").
using CompletionHints = std::map<std::string, CompletionValues>;

enum class Shell { kBash, kZsh, kFish };

// Writes a completion script for `app`'s program: subcommands at every
// level, their options, and values as `hints` say. kCommand runs the
// program itself and offers its output lines, quietly nothing on failure.
void WriteCompletion(const CLI::App& app, Shell shell, const CompletionHints& hints,
                     std::ostream& out);

}  // namespace warmth::base
