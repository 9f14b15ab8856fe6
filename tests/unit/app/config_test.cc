#include "base/config.h"

#include <map>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::base {
namespace {

TEST(Config, EmptyFileGivesEveryDefault) {
  const Config c = ParseConfig("");
  EXPECT_DOUBLE_EQ(c.engine.model.threshold, 30);
  EXPECT_DOUBLE_EQ(c.engine.model.inbound_factor, 0.5);
  EXPECT_EQ(c.engine.model.half_life[1], 7 * core::kDay);
  EXPECT_EQ(c.engine.delivery.max_per_day, 3);
  ASSERT_TRUE(c.engine.delivery.quiet_hours);
  EXPECT_EQ(c.engine.delivery.quiet_hours->start, std::chrono::hours(21));
  EXPECT_EQ(c.engine.rules.online_only.min_streak, 5);
  EXPECT_EQ(c.engine.rules.follow_up.after, 2 * core::kDay);
  EXPECT_TRUE(c.engine.rules.follow_up.cold_outreach);
  EXPECT_TRUE(c.mail.lists.empty());
  EXPECT_EQ(c.engine.rules.trip.lead, 7 * core::kDay);
  EXPECT_EQ(c.engine.rules.weekend_call.at.day, date::Friday);
  EXPECT_EQ(c.engine.rules.birthday.at, std::chrono::hours(9));
  EXPECT_TRUE(c.engine.rules.call_back.enabled);
  EXPECT_EQ(c.engine.rules.call_back.after, 2 * core::kHour);
  EXPECT_EQ(c.engine.rules.call_back.within, 2 * core::kDay);
  EXPECT_DOUBLE_EQ(c.engine.rules.rhythm.factor, 3.0);
  EXPECT_EQ(c.engine.rules.rhythm.min_gaps, 4);
  EXPECT_EQ(c.engine.rules.rhythm.min_silence, 7 * core::kDay);
  EXPECT_EQ(c.engine.rules.reciprocity.unanswered, 3);
  EXPECT_EQ(c.engine.rules.reciprocity.cooldown, 60 * core::kDay);
  EXPECT_TRUE(c.engine.cadence.tags.empty());
}

TEST(Config, EveryDocumentedKeyIsRead) {
  const Config c = ParseConfig(R"(
timezone = "Europe/Berlin"
[api]
endpoint = "ipc:///tmp/x/api"
publish  = "tcp://127.0.0.1:5556"
[model]
threshold = 25
inbound_factor = 0.25
half_life = { inner = "3d", close = "20d", network = "100d", acquaintance = "200d", unsorted = "60d" }
family_factor = 3.0
gain = { in_person = 70, call = 50, video = 40, letter = 30, voice_message = 15, message = 12, email = 6, social = 1 }
[delivery]
quiet_hours = ""
max_per_day = 0
[rules]
online_only  = { min_streak = 3, no_live_for = "60d" }
follow_up    = { after = "3d", tags = ["ask"], cold_outreach = false }
trip         = { lead = "10d", max_contacts = 4 }
weekend_call = { enabled = false, at = "Thu 17:30", window = "60d", no_live_for = "14d" }
birthday     = { at = "08:00" }
call_back    = { enabled = false, after = "90m", within = "1d" }
rhythm       = { factor = 4.5, min_gaps = 6, min_silence = "10d" }
reciprocity  = { unanswered = 5, cooldown = "30d" }
[cadence]
tags = { Mentor = "90d", family = "1w" }
[me]
addresses = ["me@example.com"]
city = "Boston"
region = "US"
[mail]
lists = ["Team@Lists.Example.com", "mailto:dev@example.org"]
[notify]
snooze = "1d"
)");
  EXPECT_EQ(c.timezone, "Europe/Berlin");
  EXPECT_EQ(c.ApiEndpoint(), "ipc:///tmp/x/api");
  EXPECT_DOUBLE_EQ(c.engine.model.threshold, 25);
  EXPECT_EQ(c.engine.model.half_life[0], 60 * core::kDay);
  EXPECT_DOUBLE_EQ(c.engine.model.gain[static_cast<int>(core::Channel::kSocial)], 1);
  EXPECT_FALSE(c.engine.delivery.quiet_hours);
  EXPECT_EQ(c.engine.rules.follow_up.tags, std::vector<std::string>{"ask"});
  EXPECT_FALSE(c.engine.rules.follow_up.cold_outreach);
  EXPECT_EQ(c.mail.lists, (std::vector<std::string>{"team@lists.example.com", "dev@example.org"}));
  EXPECT_FALSE(c.engine.rules.weekend_call.enabled);
  EXPECT_EQ(c.engine.rules.weekend_call.at.day, date::Thursday);
  EXPECT_EQ(c.engine.rules.weekend_call.window, 60 * core::kDay);
  EXPECT_EQ(c.engine.rules.weekend_call.no_live_for, 14 * core::kDay);
  EXPECT_FALSE(c.engine.rules.call_back.enabled);
  EXPECT_EQ(c.engine.rules.call_back.after, 90 * core::kMinute);
  EXPECT_EQ(c.engine.rules.call_back.within, core::kDay);
  EXPECT_EQ(c.me_city, "Boston");
  EXPECT_EQ(c.me_region, "US");
  EXPECT_EQ(c.notify.snooze, core::kDay);
  EXPECT_DOUBLE_EQ(c.engine.rules.rhythm.factor, 4.5);
  EXPECT_EQ(c.engine.rules.rhythm.min_gaps, 6);
  EXPECT_EQ(c.engine.rules.rhythm.min_silence, 10 * core::kDay);
  EXPECT_EQ(c.engine.rules.reciprocity.unanswered, 5);
  EXPECT_EQ(c.engine.rules.reciprocity.cooldown, 30 * core::kDay);
  const std::map<std::string, core::Duration> tags = {{"mentor", 90 * core::kDay},
                                                      {"family", 7 * core::kDay}};
  EXPECT_EQ(c.engine.cadence.tags, tags) << "tags lower-cased";
}

TEST(Config, MeRegionIsARegionLibphonenumberKnows) {
  EXPECT_EQ(ParseConfig("").me_region, "") << "none by default: international numbers only";
  EXPECT_EQ(ParseConfig("[me]\nregion = \"DE\"\n").me_region, "DE");
  EXPECT_EQ(ParseConfig("[me]\nregion = \"gb\"\n").me_region, "GB");
  EXPECT_EQ(ParseConfig("[me]\nregion = \"\"\n").me_region, "");
  for (const char* bad : {"UK", "Germany", "DEU", "49", "ZZ"}) {
    try {
      ParseConfig(std::string("[me]\nregion = \"") + bad + "\"\n");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "me.region") << bad;
      EXPECT_NE(std::string(e.what()).find("ISO 3166 alpha-2"), std::string::npos) << e.what();
    }
  }
}

TEST(Config, TyposAndBadValuesNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"[model]\ntreshold = 30\n", "model.treshold"},
      {"[model]\nthreshold = 130\n", "model.threshold"},
      {"[model]\nthreshold = \"high\"\n", "model.threshold"},
      {"[model]\nhalf_life = { inner = \"7 days\" }\n", "model.half_life.inner"},
      {"[model]\ngain = { phone = 45 }\n", "model.gain.phone"},
      {"[delivery]\nquiet_hours = \"9pm-9am\"\n", "delivery.quiet_hours"},
      {"[delivery]\nmax_per_day = -1\n", "delivery.max_per_day"},
      {"[rules]\nweekend_call = { at = \"Friday\" }\n", "rules.weekend_call.at"},
      {"[rules.birthday]\nat = \"9\"\n", "rules.birthday.at"},
      {"[rules]\ncall_back = { after = \"2 hours\" }\n", "rules.call_back.after"},
      {"[rules.call_back]\nwithn = \"2d\"\n", "rules.call_back.withn"},
      {"[api]\nendpoint = \"localhost:5555\"\n", "api.endpoint"},
      {"timezone = \"Mars/Olympus\"\n", "timezone"},
      {"[me]\nregion = \"XX\"\n", "me.region"},
      {"[me]\nregion = 49\n", "me.region"},
      {"[rules]\nfollow_up = { cold_outreach = \"yes\" }\n", "rules.follow_up.cold_outreach"},
      {"[mail]\nlists = \"team@example.com\"\n", "mail.lists"},
      {"[mail]\nlists = [\"team@example.com\", \"team\"]\n", "mail.lists[1]"},
      {"[mail]\nlists = [\"two words@example.com\"]\n", "mail.lists[0]"},
      {"[mail]\nlist = [\"team@example.com\"]\n", "mail.list"},
      {"[colour]\nx = 1\n", "colour"},
      {"[cadence]\ntags = { mentor = \"often\" }\n", "cadence.tags.mentor"},
      {"[cadence]\ntags = { mentor = \"12h\" }\n", "cadence.tags.mentor"},
      {"[cadence]\ntags = { mentor = 90 }\n", "cadence.tags.mentor"},
      {"[cadence]\ntags = [\"mentor\"]\n", "cadence.tags"},
      {"[cadence]\nmentor = \"90d\"\n", "cadence.mentor"},
      {"[rules]\nrhythm = { factor = 0.5 }\n", "rules.rhythm.factor"},
      {"[rules]\nrhythm = { min_count = 4 }\n", "rules.rhythm.min_count"},
      {"[rules]\nreciprocity = { unanswered = -1 }\n", "rules.reciprocity.unanswered"},
      {"[rules]\nreciprocity = { cooldown = \"soon\" }\n", "rules.reciprocity.cooldown"},
  };
  for (const auto& [text, key] : cases) {
    try {
      ParseConfig(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), key) << text << " → " << e.what();
    }
  }
}

TEST(Config, SyntaxErrorsSayWhere) {
  try {
    ParseConfig("[model\nthreshold = 3", "my.toml");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("my.toml:1"), std::string::npos) << e.what();
  }
}

TEST(Config, MissingDefaultFileIsFineMissingNamedFileIsNot) {
  EXPECT_NO_THROW(LoadConfig("/nonexistent/warmth.toml", false));
  EXPECT_THROW(LoadConfig("/nonexistent/warmth.toml", true), ConfigError);
}

}  // namespace
}  // namespace warmth::base
