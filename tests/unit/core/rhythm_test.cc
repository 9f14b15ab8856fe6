#include "daemon/core/rhythm.h"

#include <vector>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::T0;

// A history with these gaps between sessions, starting at T0.
Rhythm WithGaps(const std::vector<Duration>& gaps) {
  Rhythm r;
  TimePoint t = T0();
  r.Add(t);
  for (Duration g : gaps) {
    t += g;
    r.Add(t);
  }
  return r;
}

TEST(Rhythm, RegularHistoryGivesItsGap) {
  const Rhythm r = WithGaps({9 * kDay, 9 * kDay, 9 * kDay, 9 * kDay, 9 * kDay});
  EXPECT_EQ(r.Gaps(), 5);
  EXPECT_EQ(r.Usual(4), 9 * kDay);
}

TEST(Rhythm, IsNotTrustedBeforeMinGaps) {
  const Rhythm r = WithGaps({7 * kDay, 7 * kDay, 7 * kDay});
  EXPECT_FALSE(r.Usual(4)) << "three gaps, four needed";
  EXPECT_EQ(r.Usual(3), 7 * kDay);
  EXPECT_FALSE(Rhythm().Usual(1)) << "no events";
}

TEST(Rhythm, ASingleGapIsNotARhythmByDefault) {
  const Rhythm r = WithGaps({30 * kDay});
  EXPECT_EQ(r.Gaps(), 1);
  EXPECT_FALSE(r.Usual(4));
  EXPECT_EQ(r.Usual(1), 30 * kDay) << "with min_gaps 1 the one gap is the rhythm";
}

TEST(Rhythm, OneLongHolidayDoesNotMoveTheMedian) {
  // Weekly, then one silence of two months, then weekly again.
  const Rhythm r = WithGaps({7 * kDay, 7 * kDay, 7 * kDay, 60 * kDay, 7 * kDay, 7 * kDay});
  EXPECT_EQ(r.Usual(4), 7 * kDay);
}

TEST(Rhythm, IrregularHistoryGivesAMiddleGapNotTheMean) {
  // Gaps of 3 to 20 days: the weighted median lies among the typical ones;
  // the mean (10.2 days) would be pulled up by the long gaps.
  const Rhythm r = WithGaps({5 * kDay, 20 * kDay, 3 * kDay, 8 * kDay, 15 * kDay});
  const auto usual = r.Usual(4);
  ASSERT_TRUE(usual);
  EXPECT_GE(*usual, 5 * kDay);
  EXPECT_LE(*usual, 15 * kDay);
}

TEST(Rhythm, ABurstOfMessagesIsOneSession) {
  Rhythm r;
  TimePoint t = T0();
  for (int week = 0; week < 6; ++week) {
    // Forty messages within an hour, once a week.
    for (int m = 0; m < 40; ++m) {
      r.Add(t + m * kMinute);
    }
    t += 7 * kDay;
  }
  EXPECT_EQ(r.Gaps(), 5) << "six sessions, five gaps";
  EXPECT_EQ(r.Usual(4), 7 * kDay);
}

TEST(Rhythm, ANewRhythmTakesOverWithinAFewGaps) {
  // Monthly for a year, then weekly: the recent gaps weigh more.
  std::vector<Duration> gaps(8, 30 * kDay);
  for (int i = 0; i < 4; ++i) {
    gaps.push_back(7 * kDay);
  }
  EXPECT_EQ(WithGaps(gaps).Usual(4), 7 * kDay);
}

}  // namespace
}  // namespace warmth::core
