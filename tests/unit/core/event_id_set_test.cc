#include "daemon/core/event_id_set.h"

#include <random>
#include <set>

#include <gtest/gtest.h>

#include "daemon/core/identifiers.h"

namespace warmth::core {
namespace {

TEST(EventIdSet, HoldsWhatItWasBuiltFromAndNothingElse) {
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 5000; ++i) {
    ids.push_back(StableHash("mail-" + std::to_string(i) + "@example.org"));
  }
  ids.push_back(ids[17]);  // a repeat counts once
  const EventIdSet set(ids);
  EXPECT_EQ(set.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    EXPECT_TRUE(set.Contains(StableHash("mail-" + std::to_string(i) + "@example.org"))) << i;
  }
  for (int i = 5000; i < 10000; ++i) {
    EXPECT_FALSE(set.Contains(StableHash("mail-" + std::to_string(i) + "@example.org"))) << i;
  }
}

TEST(EventIdSet, FindsTheExtremesAndHashesThatShareABucket) {
  // The directory buckets by the top bits: values at both ends, and values
  // that differ only in their low bits, all land where they are looked for.
  const std::vector<std::uint64_t> ids = {0,
                                          1,
                                          2,
                                          ~std::uint64_t{0},
                                          ~std::uint64_t{0} - 1,
                                          std::uint64_t{1} << 63,
                                          (std::uint64_t{1} << 63) + 5};
  const EventIdSet set(ids);
  for (const std::uint64_t id : ids) {
    EXPECT_TRUE(set.Contains(id)) << id;
  }
  EXPECT_FALSE(set.Contains(3));
  EXPECT_FALSE(set.Contains((std::uint64_t{1} << 63) + 1));
  EXPECT_FALSE(set.Contains(~std::uint64_t{0} - 2));
  EXPECT_FALSE(EventIdSet().Contains(0));
  EXPECT_TRUE(EventIdSet().empty());
}

TEST(EventIdSet, AgreesWithAnOrderedSetThroughInsertsFoldsAndMerges) {
  // Random 64-bit values and small ones (all in the first bucket), inserted
  // one at a time past several folds into the array, then merged with a set
  // built apart: at every step it holds exactly what std::set holds.
  std::mt19937_64 rng(7);
  std::set<std::uint64_t> model;
  std::vector<std::uint64_t> loaded;
  for (int i = 0; i < 3000; ++i) {
    loaded.push_back(rng());
  }
  EventIdSet set(loaded);
  model.insert(loaded.begin(), loaded.end());
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t id = i % 5 == 0 ? rng() % 64 : rng();
    set.Insert(id);
    model.insert(id);
    const std::uint64_t probe = i % 2 == 0 ? id : rng() % 128;
    ASSERT_EQ(set.Contains(probe), model.contains(probe)) << "step " << i;
  }
  EXPECT_EQ(set.size(), model.size());
  const std::vector<std::uint64_t> held(model.begin(), model.end());
  std::vector<std::uint64_t> other;
  for (std::size_t i = 0; i < 4000; ++i) {
    other.push_back(i % 2 == 0 ? rng() : held[i * 5]);  // new ones, and ones it holds
  }
  set.Merge(EventIdSet(other));
  model.insert(other.begin(), other.end());
  EXPECT_EQ(set.size(), model.size());
  for (const std::uint64_t id : model) {
    ASSERT_TRUE(set.Contains(id)) << id;
  }
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t probe = rng();
    ASSERT_EQ(set.Contains(probe), model.contains(probe)) << probe;
  }
}

}  // namespace
}  // namespace warmth::core
