#include <gtest/gtest.h>

#include "daemon/core/contact_index.h"

namespace warmth::core {
namespace {

Candidate Of(NudgeKind kind, const std::string& key) {
  return Candidate{kind, key, TimePoint{} + std::chrono::hours(1), std::nullopt};
}

// A contact's candidates keep one per kind: setting a kind again replaces
// it, setting none removes it, and the other kinds stay as they were.
TEST(Candidates, OnePerKindReplacedAndRemovedAlone) {
  Candidates c;
  EXPECT_EQ(c.Get(NudgeKind::kCooling), nullptr);
  c.Set(NudgeKind::kCooling, Of(NudgeKind::kCooling, "cooling/1"));
  c.Set(NudgeKind::kFollowUp, Of(NudgeKind::kFollowUp, "follow/1"));
  c.Set(NudgeKind::kCallBack, Of(NudgeKind::kCallBack, "callback/1"));
  ASSERT_NE(c.Get(NudgeKind::kCooling), nullptr);
  EXPECT_EQ(c.Get(NudgeKind::kCooling)->key, "cooling/1");

  c.Set(NudgeKind::kCooling, Of(NudgeKind::kCooling, "cooling/2"));
  EXPECT_EQ(c.Get(NudgeKind::kCooling)->key, "cooling/2");
  EXPECT_EQ(c.Get(NudgeKind::kFollowUp)->key, "follow/1");

  c.Set(NudgeKind::kFollowUp, std::nullopt);
  EXPECT_EQ(c.Get(NudgeKind::kFollowUp), nullptr);
  EXPECT_EQ(c.Get(NudgeKind::kCooling)->key, "cooling/2");
  EXPECT_EQ(c.Get(NudgeKind::kCallBack)->key, "callback/1");
  c.Set(NudgeKind::kRhythm, std::nullopt);  // removing what is not there
  EXPECT_EQ(c.Get(NudgeKind::kRhythm), nullptr);
  EXPECT_EQ(c.Get(NudgeKind::kCallBack)->kind, NudgeKind::kCallBack);
}

}  // namespace
}  // namespace warmth::core
