#pragma once

#include <array>
#include <optional>

#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// [model] in warmth.toml: the numbers of the warmth model.
struct ModelOptions {
  double threshold = 30.0;      // below this a contact is "cooling"
  double inbound_factor = 0.5;  // gain multiplier for INBOUND on non-live channels
  double family_factor = 2.0;   // half-life multiplier for family
  // Indexed by Circle; [0] is unsorted. After Dunbar's layers: kept up by
  // weekly, monthly, half-yearly and yearly contact.
  std::array<Duration, kCircleCount> half_life = {90 * kDay, 7 * kDay, 30 * kDay, 180 * kDay,
                                                  365 * kDay};
  // Indexed by Channel.
  std::array<double, kChannelCount> gain = {0, 60, 45, 35, 20, 25, 10, 8, 2};

  Duration HalfLife(Circle circle, bool family) const;
  // channel_gain × direction_factor; live channels ignore direction.
  double GainFor(Channel channel, Direction direction) const;
};

inline constexpr double kMaxWarmth = 100.0;

// W · 2^(−elapsed/half_life). A negative elapsed time decays nothing.
double Decay(double warmth, Duration elapsed, Duration half_life);

// W + g · (1 − W/100), kept within [0, 100].
double ApplyGain(double warmth, double gain);

// When warmth `w` at `t` decays to `threshold`: t + H · log2(w / threshold).
// nullopt when w is already at or below the threshold (or the threshold is 0).
std::optional<TimePoint> CrossingTime(double w, TimePoint t, Duration half_life, double threshold);

}  // namespace warmth::core
