#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// A published nudge and the contacts it names, by internal number.
struct NudgeRecord {
  Nudge nudge;
  std::vector<std::int64_t> cids;
};

bool IsOpen(NudgeState s);
// The key a snoozed nudge comes back under, and the occasion a key stands for.
std::string SnoozeKey(const std::string& key, TimePoint until);
std::string BaseKey(const std::string& key);
// A contact rule's key ("<rule>/<cid>/…") with contact number `from` replaced
// by `into`; other keys unchanged.
std::string RekeyContact(const std::string& key, std::int64_t from, std::int64_t into);

// Every published nudge by id, the keys ever published (so nothing is
// published twice), the snoozed ones still to come back, and the weekend
// occasions already handled. It keeps the snoozed set in step with the
// states; it journals nothing. Loop thread only.
class NudgeBook {
 public:
  using Map = std::map<std::string, NudgeRecord>;
  // Newest published first, ties by id: the order ListNudges answers in.
  struct NewestFirst {
    bool operator()(const NudgeRecord* a, const NudgeRecord* b) const {
      return a->nudge.published_at != b->nudge.published_at
                 ? a->nudge.published_at > b->nudge.published_at
                 : a->nudge.id < b->nudge.id;
    }
  };
  using Listing = std::set<const NudgeRecord*, NewestFirst>;

  void Load(const Nudge& nudge, std::vector<std::int64_t> cids);
  NudgeRecord& Publish(Nudge nudge, std::vector<std::int64_t> cids);
  // An occasion handled without a nudge (nobody to suggest): never again.
  void MarkHandled(const std::string& key) { published_keys_.insert(key); }
  bool IsPublished(const std::string& key) const { return published_keys_.contains(key); }
  void MarkWeekendHandled(const std::string& key) { handled_weekends_.insert(key); }
  bool WeekendHandled(const std::string& key) const { return handled_weekends_.contains(key); }

  NudgeRecord* Find(const std::string& id);
  // The open (PENDING or SNOOZED) nudges naming contact `cid`.
  std::vector<NudgeRecord*> OpenFor(std::int64_t cid);
  // The nudge names `into` where it named `from`, or no longer names `cid`.
  void Reassign(NudgeRecord& n, std::int64_t from, std::int64_t into);
  void DropContact(NudgeRecord& n, std::int64_t cid);
  // NudgeId(kind, key), unless another key already has that id: then the
  // same with "-2", "-3"… (ids are short hashes, and must never collide).
  std::string UniqueId(NudgeKind kind, const std::string& key) const;
  void SetState(NudgeRecord& n, NudgeState state, std::optional<TimePoint> until);
  Map::iterator Erase(Map::iterator it);

  // After loading: a snooze whose comeback was already published is over.
  void SettleLoadedSnoozes();
  // The earliest end of a snooze still to come back.
  std::optional<TimePoint> NextSnoozeEnd() const;
  // Ids of the snoozes over at `now`, no longer counted as waiting to come back.
  std::vector<std::string> TakeSnoozesOver(TimePoint now);

  Map& all() { return nudges_; }
  const Map& all() const { return nudges_; }
  // Every nudge in `state`, and every nudge naming contact `cid`, newest
  // first: a listing walks only what it returns.
  const Listing& InState(NudgeState state) const {
    return by_state_[static_cast<std::size_t>(state)];
  }
  const Listing& Naming(std::int64_t cid) const;
  // The ids of the nudges naming `cid`, to change them while walking.
  std::vector<std::string> IdsNaming(std::int64_t cid) const;

 private:
  void Index(const NudgeRecord& n);
  void Unindex(const NudgeRecord& n);

  Map nudges_;
  std::unordered_map<std::int64_t, std::set<std::string>> open_by_cid_;
  // Keys are map nodes (stable); their published_at and id never change
  // while filed, and their state and contacts change only through Index/Unindex.
  std::array<Listing, kNudgeStateCount> by_state_;
  std::unordered_map<std::int64_t, Listing> by_cid_;
  std::unordered_set<std::string> published_keys_;
  std::set<std::string> snoozed_;  // SNOOZED nudges not yet brought back
  std::unordered_set<std::string> handled_weekends_;
};

}  // namespace warmth::core
