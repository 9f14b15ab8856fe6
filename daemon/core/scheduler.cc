#include "daemon/core/scheduler.h"

#include <algorithm>

namespace warmth::core {

void Scheduler::Set(Slot slot, TimePoint due) {
  const auto [it, added] = live_.try_emplace(slot);
  if (!added && it->second.due == due) {
    return;
  }
  const std::uint64_t version = next_version_++;
  it->second = Live{due, version};
  heap_.push_back(Entry{due, slot, version});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  if (heap_.size() > 2 * live_.size() + 64) {
    Compact();
  }
}

void Scheduler::Cancel(Slot slot) {
  live_.erase(slot);
}

std::optional<TimePoint> Scheduler::DueOf(Slot slot) const {
  const auto it = live_.find(slot);
  if (it == live_.end()) {
    return std::nullopt;
  }
  return it->second.due;
}

bool Scheduler::IsLive(const Entry& e) const {
  const auto it = live_.find(e.slot);
  return it != live_.end() && it->second.version == e.version;
}

void Scheduler::DropStaleTop() {
  while (!heap_.empty() && !IsLive(heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
  }
}

std::optional<TimePoint> Scheduler::NextDue() {
  DropStaleTop();
  if (heap_.empty()) {
    return std::nullopt;
  }
  return heap_.front().due;
}

std::vector<Scheduler::Slot> Scheduler::PopDue(TimePoint now) {
  std::vector<Slot> due;
  for (DropStaleTop(); !heap_.empty() && heap_.front().due <= now; DropStaleTop()) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    due.push_back(heap_.back().slot);
    live_.erase(heap_.back().slot);
    heap_.pop_back();
  }
  return due;
}

void Scheduler::Compact() {
  std::erase_if(heap_, [this](const Entry& e) { return !IsLive(e); });
  std::make_heap(heap_.begin(), heap_.end(), Later{});
}

}  // namespace warmth::core
