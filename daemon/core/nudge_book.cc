#include "daemon/core/nudge_book.h"

#include <algorithm>

#include "daemon/core/rules.h"

namespace warmth::core {
namespace {

constexpr std::string_view kSnoozeMark = "/snooze/";

}  // namespace

bool IsOpen(NudgeState s) {
  return s == NudgeState::kPending || s == NudgeState::kSnoozed;
}

std::string SnoozeKey(const std::string& key, TimePoint until) {
  return key + std::string(kSnoozeMark) + std::to_string(ToUnixMicros(until));
}

std::string BaseKey(const std::string& key) {
  const auto pos = key.find(kSnoozeMark);
  return pos == std::string::npos ? key : key.substr(0, pos);
}

std::string RekeyContact(const std::string& key, std::int64_t from, std::int64_t into) {
  const auto first = key.find('/');
  const auto second = first == std::string::npos ? first : key.find('/', first + 1);
  if (second == std::string::npos ||
      key.compare(first + 1, second - first - 1, std::to_string(from)) != 0) {
    return key;
  }
  return key.substr(0, first + 1) + std::to_string(into) + key.substr(second);
}

std::string NudgeBook::UniqueId(NudgeKind kind, const std::string& key) const {
  const std::string base = NudgeId(kind, key);
  std::string id = base;
  for (int n = 2;; ++n) {
    const auto it = nudges_.find(id);
    if (it == nudges_.end() || it->second.nudge.key == key) {
      return id;
    }
    id = base + "-" + std::to_string(n);
  }
}

void NudgeBook::Load(const Nudge& nudge, std::vector<std::int64_t> cids) {
  NudgeRecord& n = nudges_[nudge.id];
  n.nudge = nudge;
  n.cids = std::move(cids);
  published_keys_.insert(nudge.key);
  if (nudge.kind == NudgeKind::kWeekendCall) {
    handled_weekends_.insert(BaseKey(nudge.key));
  }
  if (nudge.state == NudgeState::kSnoozed && nudge.snoozed_until) {
    snoozed_.insert(nudge.id);
  }
  Index(n);
}

void NudgeBook::Index(const NudgeRecord& n) {
  by_state_[static_cast<std::size_t>(n.nudge.state)].insert(&n);
  for (std::int64_t cid : n.cids) {
    by_cid_[cid].insert(&n);
  }
  if (IsOpen(n.nudge.state)) {
    for (std::int64_t cid : n.cids) {
      open_by_cid_[cid].insert(n.nudge.id);
    }
  }
}

void NudgeBook::Unindex(const NudgeRecord& n) {
  by_state_[static_cast<std::size_t>(n.nudge.state)].erase(&n);
  for (std::int64_t cid : n.cids) {
    if (const auto it = by_cid_.find(cid); it != by_cid_.end()) {
      it->second.erase(&n);
      if (it->second.empty()) {
        by_cid_.erase(it);
      }
    }
  }
  for (std::int64_t cid : n.cids) {
    if (const auto it = open_by_cid_.find(cid); it != open_by_cid_.end()) {
      it->second.erase(n.nudge.id);
      if (it->second.empty()) {
        open_by_cid_.erase(it);
      }
    }
  }
}

const NudgeBook::Listing& NudgeBook::Naming(std::int64_t cid) const {
  static const Listing none;
  const auto it = by_cid_.find(cid);
  return it == by_cid_.end() ? none : it->second;
}

std::vector<std::string> NudgeBook::IdsNaming(std::int64_t cid) const {
  std::vector<std::string> ids;
  for (const NudgeRecord* n : Naming(cid)) {
    ids.push_back(n->nudge.id);
  }
  std::sort(ids.begin(), ids.end());  // the map's order, as a walk of all() had it
  return ids;
}

std::vector<NudgeRecord*> NudgeBook::OpenFor(std::int64_t cid) {
  std::vector<NudgeRecord*> out;
  if (const auto it = open_by_cid_.find(cid); it != open_by_cid_.end()) {
    for (const auto& id : it->second) {
      out.push_back(&nudges_.at(id));
    }
  }
  return out;
}

void NudgeBook::Reassign(NudgeRecord& n, std::int64_t from, std::int64_t into) {
  Unindex(n);
  std::replace(n.cids.begin(), n.cids.end(), from, into);
  Index(n);
}

void NudgeBook::DropContact(NudgeRecord& n, std::int64_t cid) {
  Unindex(n);
  std::erase(n.cids, cid);
  Index(n);
}

NudgeRecord& NudgeBook::Publish(Nudge nudge, std::vector<std::int64_t> cids) {
  published_keys_.insert(nudge.key);
  NudgeRecord& rec = nudges_[nudge.id];
  Unindex(rec);
  rec.nudge = std::move(nudge);
  rec.cids = std::move(cids);
  Index(rec);
  return rec;
}

NudgeRecord* NudgeBook::Find(const std::string& id) {
  const auto it = nudges_.find(id);
  return it == nudges_.end() ? nullptr : &it->second;
}

void NudgeBook::SetState(NudgeRecord& n, NudgeState state, std::optional<TimePoint> until) {
  Unindex(n);
  n.nudge.state = state;
  n.nudge.snoozed_until = until;
  if (state == NudgeState::kSnoozed) {
    snoozed_.insert(n.nudge.id);
  } else {
    snoozed_.erase(n.nudge.id);
  }
  Index(n);
}

NudgeBook::Map::iterator NudgeBook::Erase(Map::iterator it) {
  snoozed_.erase(it->first);
  Unindex(it->second);
  return nudges_.erase(it);
}

void NudgeBook::SettleLoadedSnoozes() {
  for (auto it = snoozed_.begin(); it != snoozed_.end();) {
    const Nudge& n = nudges_.at(*it).nudge;
    it = IsPublished(SnoozeKey(n.key, *n.snoozed_until)) ? snoozed_.erase(it) : std::next(it);
  }
}

std::optional<TimePoint> NudgeBook::NextSnoozeEnd() const {
  std::optional<TimePoint> first;
  for (const auto& id : snoozed_) {
    const TimePoint until = *nudges_.at(id).nudge.snoozed_until;
    first = first ? std::min(*first, until) : until;
  }
  return first;
}

std::vector<std::string> NudgeBook::TakeSnoozesOver(TimePoint now) {
  std::vector<std::string> over;
  for (const auto& id : snoozed_) {
    if (*nudges_.at(id).nudge.snoozed_until <= now) {
      over.push_back(id);
    }
  }
  for (const auto& id : over) {
    snoozed_.erase(id);
  }
  return over;
}

}  // namespace warmth::core
