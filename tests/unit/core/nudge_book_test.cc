#include "daemon/core/nudge_book.h"

#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

#include "daemon/core/rules.h"

namespace warmth::core {
namespace {

Nudge Published(std::string id, std::string key) {
  Nudge n;
  n.id = std::move(id);
  n.key = std::move(key);
  n.kind = NudgeKind::kCooling;
  n.state = NudgeState::kPending;
  return n;
}

// Two keys whose short ids collide: nudge ids show 40 bits of a hash, so
// about a million keys hold a pair.
std::pair<std::string, std::string> CollidingKeys() {
  std::unordered_map<std::string, std::string> by_id;
  for (int i = 0;; ++i) {
    std::string key = "cooling/" + std::to_string(i) + "/0";
    auto [it, fresh] = by_id.emplace(NudgeId(NudgeKind::kCooling, key), key);
    if (!fresh) {
      return {it->second, key};
    }
  }
}

TEST(NudgeBook, IdsNeverCollideEvenWhenTheirHashesDo) {
  const auto [first, second] = CollidingKeys();
  ASSERT_EQ(NudgeId(NudgeKind::kCooling, first), NudgeId(NudgeKind::kCooling, second));
  NudgeBook book;
  const std::string id1 = book.UniqueId(NudgeKind::kCooling, first);
  book.Publish(Published(id1, first), {1});
  const std::string id2 = book.UniqueId(NudgeKind::kCooling, second);
  EXPECT_NE(id1, id2);
  book.Publish(Published(id2, second), {2});
  // Both are kept: the second did not overwrite the first.
  ASSERT_NE(book.Find(id1), nullptr);
  ASSERT_NE(book.Find(id2), nullptr);
  EXPECT_EQ(book.Find(id1)->nudge.key, first);
  EXPECT_EQ(book.Find(id2)->nudge.key, second);
  // The same key keeps its id.
  EXPECT_EQ(book.UniqueId(NudgeKind::kCooling, first), id1);
}

TEST(NudgeBook, OpenNudgesPerContactFollowStatesAndMerges) {
  NudgeBook book;
  NudgeRecord& n = book.Publish(Published("cool-1", "cooling/7/1"), {7});
  ASSERT_EQ(book.OpenFor(7).size(), 1u);
  book.SetState(n, NudgeState::kSnoozed, TimePoint{} + kDay);
  EXPECT_EQ(book.OpenFor(7).size(), 1u) << "snoozed is still open";
  book.Reassign(n, 7, 9);
  EXPECT_TRUE(book.OpenFor(7).empty());
  EXPECT_EQ(book.OpenFor(9).size(), 1u);
  book.SetState(n, NudgeState::kDone, std::nullopt);
  EXPECT_TRUE(book.OpenFor(9).empty());
}

TEST(NudgeBook, RekeyingAContactRuleKeepsTheOccasion) {
  EXPECT_EQ(RekeyContact("online/12/1700", 12, 40), "online/40/1700");
  EXPECT_EQ(RekeyContact("online/12/1700/snooze/99", 12, 40), "online/40/1700/snooze/99");
  EXPECT_EQ(RekeyContact("online/123/1700", 12, 40), "online/123/1700") << "another contact";
  EXPECT_EQ(RekeyContact("trip/porto-2026-04-10", 12, 40), "trip/porto-2026-04-10");
}

}  // namespace
}  // namespace warmth::core
