// docs/warmth.toml.example: the real parser reads it, its values are the
// built-in defaults, and its commented keys are valid too.
#include <sstream>

#include <gtest/gtest.h>

#include "base/config.h"
#include "tests/support/support.h"

namespace warmth::base {
namespace {

const std::string kExample = std::string(WARMTH_SOURCE_DIR) + "/docs/warmth.toml.example";

TEST(ConfigExample, HoldsTheDefaults) {
  const Config e = LoadConfig(kExample, true);
  const Config d;
  const auto& m = e.engine.model;
  EXPECT_EQ(m.threshold, d.engine.model.threshold);
  EXPECT_EQ(m.inbound_factor, d.engine.model.inbound_factor);
  EXPECT_EQ(m.family_factor, d.engine.model.family_factor);
  EXPECT_EQ(m.half_life, d.engine.model.half_life);
  EXPECT_EQ(m.gain, d.engine.model.gain);
  EXPECT_EQ(e.engine.delivery.quiet_hours, d.engine.delivery.quiet_hours);
  EXPECT_EQ(e.engine.delivery.max_per_day, d.engine.delivery.max_per_day);
  const auto& r = e.engine.rules;
  const auto& dr = d.engine.rules;
  EXPECT_EQ(r.online_only.min_streak, dr.online_only.min_streak);
  EXPECT_EQ(r.online_only.no_live_for, dr.online_only.no_live_for);
  EXPECT_EQ(r.online_only.active_within, dr.online_only.active_within);
  EXPECT_EQ(r.follow_up.after, dr.follow_up.after);
  EXPECT_EQ(r.follow_up.tags, dr.follow_up.tags);
  EXPECT_EQ(r.follow_up.expire, dr.follow_up.expire);
  EXPECT_EQ(r.follow_up.cold_outreach, dr.follow_up.cold_outreach);
  EXPECT_EQ(r.trip.lead, dr.trip.lead);
  EXPECT_EQ(r.trip.max_contacts, dr.trip.max_contacts);
  EXPECT_EQ(r.weekend_call.enabled, dr.weekend_call.enabled);
  EXPECT_EQ(r.weekend_call.at, dr.weekend_call.at);
  EXPECT_EQ(r.weekend_call.window, dr.weekend_call.window);
  EXPECT_EQ(r.weekend_call.no_live_for, dr.weekend_call.no_live_for);
  EXPECT_EQ(r.birthday.at, dr.birthday.at);
  EXPECT_EQ(r.call_back.enabled, dr.call_back.enabled);
  EXPECT_EQ(r.call_back.after, dr.call_back.after);
  EXPECT_EQ(r.call_back.within, dr.call_back.within);
  EXPECT_EQ(r.rhythm.factor, dr.rhythm.factor);
  EXPECT_EQ(r.rhythm.min_gaps, dr.rhythm.min_gaps);
  EXPECT_EQ(r.rhythm.min_silence, dr.rhythm.min_silence);
  EXPECT_EQ(r.reciprocity.unanswered, dr.reciprocity.unanswered);
  EXPECT_EQ(r.reciprocity.cooldown, dr.reciprocity.cooldown);
  EXPECT_EQ(e.engine.cadence.tags, d.engine.cadence.tags);
  EXPECT_EQ(e.me_addresses, d.me_addresses);
  EXPECT_EQ(e.me_names, d.me_names);
  EXPECT_EQ(e.me_city, d.me_city);
  EXPECT_EQ(e.me_region, d.me_region);
  EXPECT_EQ(e.mail.lists, d.mail.lists);
  EXPECT_EQ(e.notify.snooze, d.notify.snooze);
  EXPECT_EQ(e.curve.secret_key, "");
  EXPECT_EQ(e.client.server_key, "");
  EXPECT_EQ(e.timezone, "");
  EXPECT_EQ(e.api_endpoint, "");
}

// "# name = value" lines made live: every example of an unset key is a
// value the parser takes.
TEST(ConfigExample, CommentedKeysAreValid) {
  std::istringstream in(testing::ReadFile(kExample));
  std::string text;
  int uncommented = 0;
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find(" = ");
    if (line.rfind("# ", 0) == 0 && eq != std::string::npos &&
        line.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", 2) == eq) {
      line = line.substr(2);
      ++uncommented;
    }
    text += line + '\n';
  }
  EXPECT_GE(uncommented, 10);
  Config c;
  ASSERT_NO_THROW(c = ParseConfig(text, kExample)) << text;
  EXPECT_EQ(c.me_region, "US");
  EXPECT_EQ(c.engine.cadence.tags.size(), 1U);
  EXPECT_EQ(c.api_endpoint, "tcp://0.0.0.0:5555");
}

}  // namespace
}  // namespace warmth::base
