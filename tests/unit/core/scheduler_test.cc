#include "daemon/core/scheduler.h"

#include <random>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::T0;

TEST(Scheduler, PopsDueSlotsEarliestFirst) {
  Scheduler s;
  s.Set(3, T0() + 3 * kHour);
  s.Set(1, T0() + 1 * kHour);
  s.Set(2, T0() + 2 * kHour);
  EXPECT_EQ(s.NextDue(), T0() + kHour);
  EXPECT_EQ(s.PopDue(T0() + 2 * kHour), (std::vector<Scheduler::Slot>{1, 2}));
  EXPECT_EQ(s.NextDue(), T0() + 3 * kHour);
  EXPECT_EQ(s.size(), 1u);
}

TEST(Scheduler, SetReplacesTheSlotsDueTime) {
  Scheduler s;
  s.Set(7, T0() + kHour);
  s.Set(7, T0() + 5 * kHour);
  EXPECT_EQ(s.NextDue(), T0() + 5 * kHour);
  EXPECT_TRUE(s.PopDue(T0() + 2 * kHour).empty());
  EXPECT_EQ(s.PopDue(T0() + 5 * kHour), (std::vector<Scheduler::Slot>{7}));
  EXPECT_FALSE(s.NextDue());
}

TEST(Scheduler, CancelledSlotsNeverFire) {
  Scheduler s;
  s.Set(1, T0());
  s.Set(2, T0() + kHour);
  s.Cancel(1);
  EXPECT_EQ(s.NextDue(), T0() + kHour);
  EXPECT_EQ(s.PopDue(T0() + kDay), (std::vector<Scheduler::Slot>{2}));
}

TEST(Scheduler, ManyReschedulesKeepOnlyTheLast) {
  Scheduler s;
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> minutes(0, 100000);
  std::map<Scheduler::Slot, TimePoint> want;
  for (int i = 0; i < 100000; ++i) {
    const Scheduler::Slot slot = static_cast<Scheduler::Slot>(i % 1000);
    const TimePoint due = T0() + std::chrono::minutes(minutes(rng));
    s.Set(slot, due);
    want[slot] = due;
  }
  EXPECT_EQ(s.size(), 1000u);
  TimePoint last{};
  std::size_t popped = 0;
  for (Scheduler::Slot slot : s.PopDue(T0() + 200000 * kMinute)) {
    EXPECT_GE(want.at(slot), last);
    last = want.at(slot);
    ++popped;
  }
  EXPECT_EQ(popped, 1000u);
}

}  // namespace
}  // namespace warmth::core
