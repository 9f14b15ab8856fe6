#pragma once

#include <map>
#include <set>
#include <string>

#include "daemon/core/status.h"
#include "daemon/core/time.h"

namespace warmth::notify {

// The ids of nudges already shown, kept in a small text file (one
// "<id> <unix seconds>" per line) so that a restarted notifier does not show
// them again. Nudge ids are never reused: a snoozed nudge comes back under a
// new id. One thread; not shared between processes.
class ShownNudges {
 public:
  // Reads `path`; a missing file is an empty set, unreadable lines are
  // skipped. An empty path keeps everything in memory only.
  explicit ShownNudges(std::string path);

  bool Contains(const std::string& nudge_id) const { return shown_.contains(nudge_id); }
  std::size_t size() const { return shown_.size(); }
  const std::string& path() const { return path_; }

  // Remembers `nudge_id` (shown at `now`) and rewrites the file: a temporary
  // file renamed over the old one, so a crash leaves either version.
  // kUnavailable when it cannot be written; the id is remembered in memory
  // either way.
  core::Status Add(const std::string& nudge_id, core::TimePoint now);

  // Forgets ids that are no longer `pending` and were shown before `cutoff`
  // (the grace covers a nudge shown after the daemon made its list), then
  // rewrites the file if anything went. Keeps the file as small as the
  // pending list.
  core::Status Prune(const std::set<std::string>& pending, core::TimePoint cutoff);

 private:
  core::Status Save() const;

  std::string path_;
  std::map<std::string, core::TimePoint> shown_;
};

}  // namespace warmth::notify
