#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "base/config.h"
#include "clients/common/client.h"

namespace CLI {
class App;
}

namespace warmth::import {

// The options of "warmctl import KIND FILE…".
struct ImportArgs {
  std::vector<std::string> files;
  std::string file;  // the one being imported
  bool dry_run = false;
  bool verbose = false;
  std::string circle;             // empty: imported contacts stay unsorted
  std::vector<std::string> tags;  // added to every imported contact
  int max_attendees = 10;         // ics
  std::vector<std::string> me;    // whatsapp, messenger: your sender names
  std::string contact;            // whatsapp, messenger: the other person's contact
  bool groups = false;            // chats: count group messages as SOCIAL
  bool only_new = false;          // calls and chats: --new, pass over files read before
};

// Adds "import vcard|linkedin|ics FILE…" under `cli`; returns the three leaf
// commands (their name() is the kind).
std::vector<CLI::App*> AddImportCommands(CLI::App& cli, ImportArgs& args);

// Runs one import of each file in turn: reads it, parses it, applies it
// through `client`, prints the changes and a summary line on `out`, bad
// records with their position on `err`; with several files, a last line sums
// them up. An unreadable file is reported and the others are imported. Exit
// codes as warmctl's: 0 done (bad records in a file are reported, not
// fatal), 1 the daemon refused some record, 2 bad usage or an unreadable
// file, 69 the daemon is not running (the import stops).
int RunImport(const std::string& kind, const ImportArgs& args, client::Client& client,
              const base::Config& config, std::ostream& out, std::ostream& err);

}  // namespace warmth::import
