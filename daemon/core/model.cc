#include "daemon/core/model.h"

#include <algorithm>
#include <cmath>

namespace warmth::core {

Duration ModelOptions::HalfLife(Circle circle, bool family) const {
  const Duration base = half_life[static_cast<std::size_t>(circle)];
  if (!family) {
    return base;
  }
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double, Duration::period>(
      static_cast<double>(base.count()) * family_factor));
}

double ModelOptions::GainFor(Channel channel, Direction direction) const {
  const double g = gain[static_cast<std::size_t>(channel)];
  if (direction == Direction::kInbound && !IsLive(channel)) {
    return g * inbound_factor;
  }
  return g;
}

double Decay(double warmth, Duration elapsed, Duration half_life) {
  if (elapsed <= Duration::zero() || half_life <= Duration::zero()) {
    return warmth;
  }
  const double halvings =
      static_cast<double>(elapsed.count()) / static_cast<double>(half_life.count());
  return warmth * std::exp2(-halvings);
}

double ApplyGain(double warmth, double gain) {
  return std::clamp(warmth + gain * (1.0 - warmth / kMaxWarmth), 0.0, kMaxWarmth);
}

std::optional<TimePoint> CrossingTime(double w, TimePoint t, Duration half_life, double threshold) {
  if (threshold <= 0 || w <= threshold) {
    return std::nullopt;
  }
  const double halvings = std::log2(w / threshold);
  const auto offset =
      static_cast<Duration::rep>(std::ceil(halvings * static_cast<double>(half_life.count())));
  return t + Duration(offset);
}

}  // namespace warmth::core
