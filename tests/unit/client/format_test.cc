#include "clients/common/format.h"

#include <gtest/gtest.h>

namespace warmth::client {
namespace {

core::TimePoint Utc(const std::string& text) {
  return core::ParseUtc(text).value();
}

class ParseWhenTest : public ::testing::Test {
 protected:
  const date::time_zone* berlin_ = date::locate_zone("Europe/Berlin");
};

TEST_F(ParseWhenTest, ADayAloneIsItsLocalNoon) {
  const auto now = Utc("2026-12-05T08:00:00Z");
  EXPECT_EQ(ParseWhen("2026-12-01", berlin_, now).value(), Utc("2026-12-01T11:00:00Z"));
}

// `warmctl log --at 2026-12-01` on the morning of that day is not "in the
// future": it means now.
TEST_F(ParseWhenTest, TodayBeforeNoonIsNow) {
  const auto morning = Utc("2026-12-01T07:30:00Z");  // 08:30 in Berlin
  EXPECT_EQ(ParseWhen("2026-12-01", berlin_, morning).value(), morning);
  const auto evening = Utc("2026-12-01T19:00:00Z");
  EXPECT_EQ(ParseWhen("2026-12-01", berlin_, evening).value(), Utc("2026-12-01T11:00:00Z"));
}

// "Today" is the local day: at 23:30 UTC it is already tomorrow in Berlin.
TEST_F(ParseWhenTest, TodayIsTheLocalDay) {
  const auto late = Utc("2026-12-01T23:30:00Z");  // 00:30 on Dec 2 in Berlin
  EXPECT_EQ(ParseWhen("2026-12-02", berlin_, late).value(), late);
  EXPECT_EQ(ParseWhen("2026-12-01", berlin_, late).value(), Utc("2026-12-01T11:00:00Z"));
}

TEST_F(ParseWhenTest, OffsetsAndLocalTimes) {
  const auto now = Utc("2026-12-01T12:00:00Z");
  EXPECT_EQ(ParseWhen("2h ago", berlin_, now).value(), Utc("2026-12-01T10:00:00Z"));
  EXPECT_EQ(ParseWhen("-3d", berlin_, now).value(), Utc("2026-11-28T12:00:00Z"));
  EXPECT_EQ(ParseWhen("2026-11-20 18:30", berlin_, now).value(), Utc("2026-11-20T17:30:00Z"));
  EXPECT_FALSE(ParseWhen("yesterday-ish", berlin_, now).ok());
  EXPECT_FALSE(ParseWhen("2026-13-01", berlin_, now).ok());
}

}  // namespace
}  // namespace warmth::client
