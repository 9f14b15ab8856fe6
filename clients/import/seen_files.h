#pragma once

#include <set>
#include <string>
#include <vector>

#include "daemon/core/status.h"

namespace warmth::import {

// The export files an import has read in full, so that a watched folder
// (the systemd path unit warmth-import-phone.path) imports each new backup
// once, not every old one again each time a file arrives. A file is known
// by its absolute path, size and modification time: a backup rewritten in
// place counts as new. Kept one file a line ("SIZE MTIME_NS PATH") in
// $XDG_STATE_HOME/warmth/imported-KIND, mode 0600; appended to, never
// rewritten.
class SeenFiles {
 public:
  // Reads `book` (a missing file is an empty book); unreadable lines are
  // ignored, so a damaged book at worst imports a file again, which adds
  // nothing (event ids are stable).
  explicit SeenFiles(std::string book);

  bool Seen(const std::string& file) const;
  // Remembers `file` as read in full; Save() writes it.
  void Mark(const std::string& file);
  core::Status Save();

 private:
  static std::string Key(const std::string& file);

  std::string book_;
  std::set<std::string> seen_;
  std::vector<std::string> unsaved_;
};

// The files of `folder` an importer of `kind` reads, sorted by name:
// android's calls-*.xml and sms-*.xml. Hidden and temporary files (a
// Syncthing ".syncthing.*.tmp", a "~" backup) are never taken.
std::vector<std::string> FolderFiles(const std::string& kind, const std::string& folder);

}  // namespace warmth::import
