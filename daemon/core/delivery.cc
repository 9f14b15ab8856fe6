#include "daemon/core/delivery.h"

#include <algorithm>
#include <climits>

namespace warmth::core {

bool DeliveryPolicy::IsQuiet(TimePoint t) const {
  return options_.quiet_hours && options_.quiet_hours->Contains(calendar_.TimeOfDay(t));
}

TimePoint DeliveryPolicy::QuietEnd(TimePoint t) const {
  if (!IsQuiet(t)) {
    return t;
  }
  const LocalWindow& w = *options_.quiet_hours;
  const date::local_days day = calendar_.Day(t);
  const bool ends_tomorrow = w.start > w.end && calendar_.TimeOfDay(t) >= w.start;
  const TimePoint end = calendar_.At(ends_tomorrow ? day + date::days(1) : day, w.end);
  // A DST jump can land the computed end at or before t; never go backwards.
  return std::max(end, t + std::chrono::seconds(1));
}

int DeliveryPolicy::Budget(TimePoint now) const {
  if (options_.max_per_day <= 0) {
    return INT_MAX;
  }
  const date::local_days today = calendar_.Day(now);
  const TimePoint start = calendar_.At(today, std::chrono::minutes(0));
  const TimePoint end = calendar_.At(today + date::days(1), std::chrono::minutes(0));
  const auto used = std::count_if(published_.begin(), published_.end(),
                                  [&](TimePoint t) { return t >= start && t < end; });
  return std::max(0, options_.max_per_day - static_cast<int>(used));
}

TimePoint DeliveryPolicy::NextOpening(TimePoint now) const {
  TimePoint t = now;
  if (Budget(t) == 0) {
    t = calendar_.NextMidnight(t);
  }
  return QuietEnd(t);
}

void DeliveryPolicy::RecordPublished(TimePoint at) {
  published_.insert(std::upper_bound(published_.begin(), published_.end(), at), at);
  while (!published_.empty() && published_.front() < published_.back() - 3 * kDay) {
    published_.pop_front();
  }
}

}  // namespace warmth::core
