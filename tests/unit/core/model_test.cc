#include "daemon/core/model.h"

#include <cmath>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::T0;

TEST(Decay, HalvesAfterOneHalfLife) {
  EXPECT_DOUBLE_EQ(Decay(80, 7 * kDay, 7 * kDay), 40);
  EXPECT_DOUBLE_EQ(Decay(80, 14 * kDay, 7 * kDay), 20);
}

TEST(Decay, NothingForNoOrNegativeTime) {
  EXPECT_DOUBLE_EQ(Decay(50, Duration::zero(), 7 * kDay), 50);
  EXPECT_DOUBLE_EQ(Decay(50, -kDay, 7 * kDay), 50);
}

TEST(Gain, SaturatesTowardsOneHundred) {
  EXPECT_DOUBLE_EQ(ApplyGain(0, 60), 60);
  EXPECT_DOUBLE_EQ(ApplyGain(60, 60), 84);  // 60 + 60 * 0.4
  double w = 0;
  for (int i = 0; i < 100; ++i) {
    w = ApplyGain(w, 60);
  }
  EXPECT_LE(w, 100);
  EXPECT_GT(w, 99.99);
}

TEST(Gain, CallCountsFarMoreThanLike) {
  const ModelOptions m;
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kInPerson, Direction::kMutual), 60);
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kCall, Direction::kOutbound), 45);
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kEmail, Direction::kOutbound), 8);
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kSocial, Direction::kOutbound), 2);
  EXPECT_GT(m.GainFor(Channel::kCall, Direction::kOutbound),
            20 * m.GainFor(Channel::kSocial, Direction::kOutbound));
}

TEST(Gain, InboundHalvedExceptOnLiveChannels) {
  const ModelOptions m;
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kEmail, Direction::kInbound), 4);
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kMessage, Direction::kInbound), 5);
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kCall, Direction::kInbound), 45);
  EXPECT_DOUBLE_EQ(m.GainFor(Channel::kVideo, Direction::kInbound), 35);
}

TEST(HalfLife, ByCircleAndDoubledForFamily) {
  const ModelOptions m;
  EXPECT_EQ(m.HalfLife(Circle::kInner, false), 7 * kDay);
  EXPECT_EQ(m.HalfLife(Circle::kClose, false), 30 * kDay);
  EXPECT_EQ(m.HalfLife(Circle::kNetwork, false), 180 * kDay);
  EXPECT_EQ(m.HalfLife(Circle::kAcquaintance, false), 365 * kDay);
  EXPECT_EQ(m.HalfLife(Circle::kUnspecified, false), 90 * kDay);
  EXPECT_EQ(m.HalfLife(Circle::kClose, true), 60 * kDay);
}

TEST(CrossingTime, MatchesClosedForm) {
  // 60 → 30 takes exactly one half-life; 90 → 30 takes log2(3) of them.
  EXPECT_EQ(*CrossingTime(60, T0(), 7 * kDay, 30), T0() + 7 * kDay);
  const auto t = *CrossingTime(90, T0(), 30 * kDay, 30);
  const double expected_days = 30 * std::log2(3.0);
  using Days = std::chrono::duration<double, std::ratio<86400>>;
  EXPECT_NEAR(Days(t - T0()).count(), expected_days, 1e-6);
  // And the model agrees: warmth at that moment is the threshold.
  EXPECT_NEAR(Decay(90, t - T0(), 30 * kDay), 30, 1e-6);
}

TEST(CrossingTime, NoneWhenAlreadyAtOrBelow) {
  EXPECT_FALSE(CrossingTime(30, T0(), 7 * kDay, 30));
  EXPECT_FALSE(CrossingTime(12, T0(), 7 * kDay, 30));
}

}  // namespace
}  // namespace warmth::core
