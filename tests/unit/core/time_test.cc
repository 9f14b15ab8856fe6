#include "daemon/core/time.h"

#include <gtest/gtest.h>

#include "daemon/core/optional_time.h"

namespace warmth::core {
namespace {

TEST(ParseDuration, AcceptsUnitsAndSums) {
  const std::pair<const char*, Duration> ok[] = {
      {"7d", 7 * kDay},      {"12h", 12 * kHour},
      {"90m", 90 * kMinute}, {"30s", std::chrono::seconds(30)},
      {"2w", 14 * kDay},     {"1d12h", 36 * kHour}};
  for (const auto& [text, want] : ok) {
    const auto got = ParseDuration(text);
    ASSERT_TRUE(got.ok()) << text;
    EXPECT_EQ(*got, want) << text;
  }
  for (const char* bad : {"", "7", "d", "7x", "-3d", "0d", "1.5d", "3 d", "99999999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

// Found by the config fuzz target: "377881054d" passed the old per-number
// bound (100 years in seconds) and then overflowed n * 1 day: undefined
// behaviour, in practice a wrapped duration ("213503983d" came out as about
// 16 hours and was accepted).
TEST(ParseDuration, Issue7HugeCountsOfLargeUnitsAreRefusedNotWrapped) {
  for (const char* bad :
       {"213503983d", "377881054d", "3000000000w", "3153600000h", "36501d", "5214w3d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
  const auto most = ParseDuration("36500d");
  ASSERT_TRUE(most.ok());
  EXPECT_EQ(*most, 36500 * kDay);
  EXPECT_EQ(*ParseDuration("3153600000s"), 36500 * kDay);
}

TEST(FormatDuration, RoundTrips) {
  EXPECT_EQ(FormatDuration(36 * kHour), "1d12h");
  EXPECT_EQ(FormatDuration(90 * kMinute), "1h30m");
  EXPECT_EQ(*ParseDuration(FormatDuration(3 * kDay + 5 * kMinute)), 3 * kDay + 5 * kMinute);
}

TEST(ParseUtc, Rfc3339AndDates) {
  const auto a = ParseUtc("2026-11-21T14:03:00Z");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(FormatUtc(*a), "2026-11-21T14:03:00Z");
  EXPECT_EQ(*ParseUtc("2026-11-21T15:03:00+01:00"), *a);
  EXPECT_EQ(FormatUtc(*ParseUtc("2026-11-21")), "2026-11-21T00:00:00Z");
  EXPECT_FALSE(ParseUtc("yesterday").ok());
  EXPECT_FALSE(ParseUtc("2026-13-01").ok());
}

TEST(OptionalTime, ReadsAndConvertsAsStdOptional) {
  // A summary's times in 8 bytes each: none converts to nullopt and back,
  // the epoch (the earliest time an interaction may carry) is a time.
  static_assert(sizeof(OptionalTime) == sizeof(TimePoint));
  const TimePoint epoch{};
  const TimePoint later = epoch + 90 * kDay;
  OptionalTime none;
  EXPECT_FALSE(none.has_value());
  EXPECT_EQ(std::optional<TimePoint>(none), std::nullopt);
  EXPECT_EQ(none.value_or(later), later);
  OptionalTime at_epoch = epoch;
  ASSERT_TRUE(at_epoch);
  EXPECT_EQ(*at_epoch, epoch);
  EXPECT_EQ(std::optional<TimePoint>(at_epoch), epoch);
  OptionalTime from_optional = std::optional<TimePoint>(later);
  EXPECT_EQ(from_optional, later);
  EXPECT_EQ(from_optional, std::optional<TimePoint>(later));
  EXPECT_FALSE(from_optional == std::optional<TimePoint>());
  EXPECT_FALSE(none == epoch);
  from_optional.reset();
  EXPECT_EQ(from_optional, none);
  EXPECT_EQ(OptionalTime(std::optional<TimePoint>()), none);
}

}  // namespace
}  // namespace warmth::core
