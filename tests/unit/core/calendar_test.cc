#include "daemon/core/calendar.h"

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::At;

TEST(LocalWindow, WrapsPastMidnight) {
  const LocalWindow w{std::chrono::hours(21), std::chrono::hours(9)};
  EXPECT_TRUE(w.Contains(std::chrono::hours(22)));
  EXPECT_TRUE(w.Contains(std::chrono::hours(3)));
  EXPECT_FALSE(w.Contains(std::chrono::hours(9)));
  EXPECT_FALSE(w.Contains(std::chrono::hours(15)));
  EXPECT_FALSE(
      (LocalWindow{std::chrono::hours(9), std::chrono::hours(9)}).Contains(std::chrono::hours(9)));
}

TEST(ParseLocalWindow, AcceptsAndRejects) {
  EXPECT_EQ(*ParseLocalWindow("21:00-09:00"),
            (LocalWindow{std::chrono::hours(21), std::chrono::hours(9)}));
  for (const char* bad : {"21-9", "25:00-09:00", "21:00", "21:00-9:60", "ab:cd-ef:gh"}) {
    EXPECT_FALSE(ParseLocalWindow(bad).ok()) << bad;
  }
}

TEST(ParseWeeklyTime, DayAndTime) {
  const auto w = ParseWeeklyTime("fri 15:00");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->day, date::Friday);
  EXPECT_EQ(w->at, std::chrono::hours(15));
  EXPECT_FALSE(ParseWeeklyTime("Friday").ok());
  EXPECT_FALSE(ParseWeeklyTime("Fre 15:00").ok());
}

TEST(LocalCalendar, SkippedLocalTimeMapsToTheEndOfTheGap) {
  const LocalCalendar berlin(date::locate_zone("Europe/Berlin"));
  const date::local_days day = date::local_days(date::year(2026) / 3 / 29);
  EXPECT_EQ(berlin.At(day, std::chrono::hours(2) + std::chrono::minutes(30)),
            At("2026-03-29T01:00:00Z"));
}

}  // namespace
}  // namespace warmth::core
