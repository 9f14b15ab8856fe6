#include "daemon/core/delivery.h"

#include <gtest/gtest.h>

#include "daemon/core/calendar.h"
#include "daemon/core/delivery_queue.h"
#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::At;

TEST(DeliveryPolicy, QuietHoursFollowDstInBerlin) {
  const LocalCalendar berlin(date::locate_zone("Europe/Berlin"));
  DeliveryPolicy policy(DeliveryOptions{}, berlin);
  // Summer time begins 2026-03-29 02:00 → 03:00. At 22:00 CET on the 28th
  // (21:00 UTC) it is quiet until 09:00 CEST on the 29th, 07:00 UTC.
  EXPECT_TRUE(policy.IsQuiet(At("2026-03-28T21:00:00Z")));
  EXPECT_EQ(policy.QuietEnd(At("2026-03-28T21:00:00Z")), At("2026-03-29T07:00:00Z"));
  // Winter time returns 2026-10-25 03:00 → 02:00: the quiet night is an hour
  // longer, ending at 09:00 CET, 08:00 UTC.
  EXPECT_EQ(policy.QuietEnd(At("2026-10-24T20:00:00Z")), At("2026-10-25T08:00:00Z"));
  EXPECT_FALSE(policy.IsQuiet(At("2026-10-25T08:00:00Z")));
}

TEST(DeliveryPolicy, BudgetRollsOverAtLocalMidnight) {
  const LocalCalendar ny(date::locate_zone("America/New_York"));
  DeliveryPolicy policy(DeliveryOptions{std::nullopt, 3}, ny);
  // 10:00, 11:00, 12:00 EST on Nov 21 (15:00-17:00 UTC).
  for (int h = 15; h <= 17; ++h) {
    policy.RecordPublished(At("2026-11-21T" + std::to_string(h) + ":00:00Z"));
  }
  EXPECT_EQ(policy.Budget(At("2026-11-21T20:00:00Z")), 0);
  // 23:59 EST is still Nov 21; 00:01 EST (05:01 UTC) is a new day.
  EXPECT_EQ(policy.Budget(At("2026-11-22T04:59:00Z")), 0);
  EXPECT_EQ(policy.NextOpening(At("2026-11-21T20:00:00Z")), At("2026-11-22T05:00:00Z"));
  EXPECT_EQ(policy.Budget(At("2026-11-22T05:01:00Z")), 3);
}

TEST(DeliveryPolicy, NoLimitWhenMaxIsZero) {
  const LocalCalendar utc;
  DeliveryPolicy policy(DeliveryOptions{std::nullopt, 0}, utc);
  for (int i = 0; i < 50; ++i) {
    policy.RecordPublished(At("2026-11-21T10:00:00Z"));
  }
  EXPECT_GT(policy.Budget(At("2026-11-21T11:00:00Z")), 1000);
}

}  // namespace
}  // namespace warmth::core

namespace warmth::core {
namespace {

Waiting WaitingDue(int key, TimePoint due) {
  Waiting w;
  w.candidate.key = "k" + std::to_string(key);
  w.candidate.due_at = due;
  return w;
}

TEST(DeliveryQueue, OrdersOnlyAsManyAsAsked) {
  DeliveryQueue queue;
  const auto start = At("2026-03-01T00:00:00Z");
  // Due times 0, 37, 74, … hours mod 101: every hour 0-100 once, scrambled.
  for (int i = 0; i < 101; ++i) {
    ASSERT_TRUE(queue.Add(WaitingDue(i, start + std::chrono::hours((i * 37) % 101))));
  }
  const auto earlier = [](const Waiting& a, const Waiting& b) {
    return a.candidate.due_at < b.candidate.due_at;
  };
  queue.Order(earlier, 3);
  EXPECT_EQ(queue.OrderedLeft(), 3U);
  for (int h = 0; h < 3; ++h) {
    auto w = queue.Pop();
    ASSERT_TRUE(w);
    EXPECT_EQ(w->candidate.due_at, start + std::chrono::hours(h));
  }
  EXPECT_EQ(queue.OrderedLeft(), 0U);
  // An Add ends the order; a full one takes the rest earliest first.
  queue.Order(earlier, 5);
  ASSERT_TRUE(queue.Add(WaitingDue(500, start + std::chrono::hours(200))));
  EXPECT_EQ(queue.OrderedLeft(), 0U);
  queue.Order(earlier);
  EXPECT_EQ(queue.OrderedLeft(), 99U);
  for (int h = 3; h <= 100; ++h) {
    auto w = queue.Pop();
    ASSERT_TRUE(w);
    EXPECT_EQ(w->candidate.due_at, start + std::chrono::hours(h));
  }
  EXPECT_EQ(queue.Pop()->candidate.key, "k500");
  EXPECT_FALSE(queue.Pop());
}

}  // namespace
}  // namespace warmth::core
