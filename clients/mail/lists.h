#pragma once

#include <string>
#include <vector>

#include "clients/mail/message.h"
#include "daemon/core/status.h"

namespace warmth::mail {

// The mailing lists warmth-mail knows: those of [mail] lists in warmth.toml,
// and those it learned from List-Post and List-Id, kept in a file (one
// address per line; '#' starts a comment; a line that is no address is
// ignored) so that the hook, run once per message, remembers them. Pure
// apart from that file. One thread.
class ListBook {
 public:
  // `fixed`: the config's lists (lower case); `path`: the file, "" for none.
  ListBook(const std::vector<std::string>& fixed, std::string path);

  // Reads the file; a missing file is an empty one. kUnavailable when it
  // exists but cannot be read (the fixed lists still count).
  core::Status Load();
  // Adds the message's list_addresses that are new, except one of `me`'s
  // (mail of yours is never a list), and returns them.
  std::vector<std::string> Learn(const MessageFacts& facts, const Me& me);
  // Appends what Learn added since the last Save to the file, in one write
  // (O_APPEND: hooks running at once lose nothing; a repeat is harmless),
  // creating its folder (0700) and the file (0600). kUnavailable on failure.
  core::Status Save();

  const KnownLists& Known() const { return known_; }
  const std::string& path() const { return path_; }
  std::size_t pending() const { return unsaved_.size(); }

 private:
  std::string path_;
  KnownLists known_;
  std::vector<std::string> unsaved_;
};

// $XDG_STATE_HOME/warmth/mail-lists, or `state_dir`/mail-lists.
std::string ListsFile(const std::string& state_dir);

}  // namespace warmth::mail
