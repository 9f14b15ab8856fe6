#include "daemon/core/cadence.h"

#include <cmath>

#include <gtest/gtest.h>

#include "daemon/core/model.h"

namespace warmth::core {
namespace {

Contact Tagged(Circle circle, std::vector<std::string> tags) {
  Contact c;
  c.id = "x";
  c.circle = circle;
  c.tags = std::move(tags);
  return c;
}

TEST(Cadence, OneCallFallsBelowTheThresholdAfterTheCadence) {
  const ModelOptions m;
  for (const Duration every : {7 * kDay, 30 * kDay, 90 * kDay}) {
    const Duration h = CadenceHalfLife(every, m);
    // A call from cold: warmth 45, decaying to 30 exactly `every` later.
    const auto crossed =
        CrossingTime(m.gain[static_cast<int>(Channel::kCall)], TimePoint{}, h, m.threshold);
    ASSERT_TRUE(crossed);
    EXPECT_LE(std::abs((*crossed - TimePoint{} - every).count()), kMinute.count())
        << FormatDuration(every);
  }
}

TEST(Cadence, WhenACallDoesNotReachTheThresholdTheCadenceIsTheHalfLife) {
  ModelOptions m;
  m.threshold = 50;
  EXPECT_EQ(CadenceHalfLife(7 * kDay, m), 7 * kDay);
}

TEST(Cadence, ContactThenTagThenCircle) {
  const ModelOptions m;
  CadenceOptions opts;
  opts.tags = {{"mentor", 90 * kDay}, {"family", 7 * kDay}};

  Contact plain = Tagged(Circle::kClose, {"work"});
  Cadence c = ResolveCadence(plain, m, opts);
  EXPECT_EQ(c.source, CadenceSource::kCircle);
  EXPECT_FALSE(c.every);
  EXPECT_EQ(c.half_life, 30 * kDay);

  Contact mentor = Tagged(Circle::kClose, {"Mentor"});
  c = ResolveCadence(mentor, m, opts);
  EXPECT_EQ(c.source, CadenceSource::kTag) << "tags match ignoring case";
  EXPECT_EQ(c.tag, "mentor");
  EXPECT_EQ(c.every, 90 * kDay);
  EXPECT_EQ(c.half_life, CadenceHalfLife(90 * kDay, m));

  Contact both = Tagged(Circle::kClose, {"mentor", "family"});
  c = ResolveCadence(both, m, opts);
  EXPECT_EQ(c.tag, "family") << "the most frequent of its tags' cadences";
  EXPECT_EQ(c.every, 7 * kDay);

  both.every = 14 * kDay;
  c = ResolveCadence(both, m, opts);
  EXPECT_EQ(c.source, CadenceSource::kContact) << "the contact's own every wins";
  EXPECT_EQ(c.every, 14 * kDay);
  EXPECT_EQ(Name(c.source), "contact");
}

TEST(Cadence, FamilyDoublesOnlyTheCircleDefault) {
  const ModelOptions m;
  Contact mum = Tagged(Circle::kInner, {});
  mum.family = true;
  EXPECT_EQ(ResolveCadence(mum, m, {}).half_life, 14 * kDay);
  mum.every = 7 * kDay;
  EXPECT_EQ(ResolveCadence(mum, m, {}).half_life, CadenceHalfLife(7 * kDay, m))
      << "a cadence you set is the one you asked for";
}

}  // namespace
}  // namespace warmth::core
