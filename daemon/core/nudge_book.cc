#include "daemon/core/nudge_book.h"

#include <algorithm>

namespace warmth::core {
namespace {

constexpr std::string_view kSnoozeMark = "/snooze/";

}  // namespace

bool IsOpen(NudgeState s) { return s == NudgeState::kPending || s == NudgeState::kSnoozed; }

std::string SnoozeKey(const std::string& key, TimePoint until) {
  return key + std::string(kSnoozeMark) + std::to_string(ToUnixMicros(until));
}

std::string BaseKey(const std::string& key) {
  const auto pos = key.find(kSnoozeMark);
  return pos == std::string::npos ? key : key.substr(0, pos);
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
}

NudgeRecord& NudgeBook::Publish(Nudge nudge, std::vector<std::int64_t> cids) {
  published_keys_.insert(nudge.key);
  NudgeRecord& rec = nudges_[nudge.id];
  rec.nudge = std::move(nudge);
  rec.cids = std::move(cids);
  return rec;
}

NudgeRecord* NudgeBook::Find(const std::string& id) {
  const auto it = nudges_.find(id);
  return it == nudges_.end() ? nullptr : &it->second;
}

void NudgeBook::SetState(NudgeRecord& n, NudgeState state, std::optional<TimePoint> until) {
  n.nudge.state = state;
  n.nudge.snoozed_until = until;
  if (state == NudgeState::kSnoozed) {
    snoozed_.insert(n.nudge.id);
  } else {
    snoozed_.erase(n.nudge.id);
  }
}

NudgeBook::Map::iterator NudgeBook::Erase(Map::iterator it) {
  snoozed_.erase(it->first);
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
