// [push] in warmth.toml.
#include <gtest/gtest.h>

#include "base/config.h"

namespace warmth::base {
namespace {

TEST(PushConfig, NoTargetsAndTheDefaultRetriesWithoutASection) {
  const Config c = ParseConfig("");
  EXPECT_TRUE(c.push.targets.empty());
  EXPECT_EQ(c.push.retry_first, std::chrono::seconds(1));
  EXPECT_EQ(c.push.retry_max, 5 * core::kMinute);
  EXPECT_EQ(c.push.give_up_after, 5);
}

TEST(PushConfig, ReadsEachKindWithPathsNextToTheConfig) {
  const Config c = ParseConfig(R"(
[push]
retry_first = "2s"
retry_max = "10m"
give_up_after = 3
timeout = "20s"
[push.ntfy]
url = "https://ntfy.sh/topic"
token_file = "ntfy.token"
click = "https://example.org/"
[push.gotify]
url = "https://gotify.example.org"
token_file = "/secrets/gotify"
[push.matrix]
homeserver = "https://matrix.example.org"
room = "!abc:example.org"
token_file = "matrix.token"
[[push.webhook]]
url = "https://a.example.org/hook"
[[push.webhook]]
name = "backup"
url = "https://b.example.org/hook"
)",
                               "/etc/warmth/warmth.toml");
  EXPECT_EQ(c.push.retry_first, std::chrono::seconds(2));
  EXPECT_EQ(c.push.retry_max, 10 * core::kMinute);
  EXPECT_EQ(c.push.give_up_after, 3);
  EXPECT_EQ(c.push.timeout, std::chrono::seconds(20));
  ASSERT_EQ(c.push.targets.size(), 5u);
  EXPECT_EQ(c.push.targets[0].name, "ntfy");
  EXPECT_EQ(c.push.targets[0].token_file, "/etc/warmth/ntfy.token");
  EXPECT_EQ(c.push.targets[0].click, "https://example.org/");
  EXPECT_EQ(c.push.targets[1].kind, "gotify");
  EXPECT_EQ(c.push.targets[1].token_file, "/secrets/gotify");
  EXPECT_EQ(c.push.targets[2].url, "https://matrix.example.org");
  EXPECT_EQ(c.push.targets[2].room, "!abc:example.org");
  EXPECT_EQ(c.push.targets[3].name, "webhook");
  EXPECT_EQ(c.push.targets[3].token_file, "");
  EXPECT_EQ(c.push.targets[4].name, "backup");
}

TEST(PushConfig, TyposAndMissingValuesNameTheKey) {
  struct Case {
    const char* name;
    const char* toml;
    const char* key;
  };
  const Case cases[] = {
      {"unknown key in a target", "[push.ntfy]\nurl = \"https://x/t\"\ntoken = \"x\"\n",
       "push.ntfy.token"},
      {"unknown key in [push]", "[push]\nretries = 3\n", "push.retries"},
      {"unknown kind", "[push.slack]\nurl = \"https://x\"\n", "push.slack"},
      {"no url", "[push.webhook]\n", "push.webhook.url"},
      {"not a URL", "[push.ntfy]\nurl = \"ntfy.sh/topic\"\n", "push.ntfy.url"},
      {"gotify without token", "[push.gotify]\nurl = \"https://g\"\n", "push.gotify.token_file"},
      {"matrix without room", "[push.matrix]\nhomeserver = \"https://m\"\ntoken_file = \"t\"\n",
       "push.matrix.room"},
      {"matrix takes homeserver, not url", "[push.matrix]\nurl = \"https://m\"\n",
       "push.matrix.homeserver"},
      {"click is ntfy's", "[push.webhook]\nurl = \"https://w\"\nclick = \"https://c\"\n",
       "push.webhook.click"},
      {"two targets, one name",
       "[[push.ntfy]]\nurl = \"https://a\"\nname = \"x\"\n[[push.ntfy]]\nurl = \"https://b\"\n"
       "name = \"x\"\n",
       "push.ntfy[1].name"},
      {"retry_max below retry_first", "[push]\nretry_first = \"10m\"\nretry_max = \"1m\"\n",
       "push.retry_max"},
      {"give_up_after 0", "[push]\ngive_up_after = 0\n", "push.give_up_after"},
  };
  for (const Case& c : cases) {
    try {
      ParseConfig(c.toml);
      ADD_FAILURE() << c.name << ": accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), c.key) << c.name << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace warmth::base
