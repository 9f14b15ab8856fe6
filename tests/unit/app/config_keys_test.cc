// [curve] and [client] in warmth.toml.
#include <gtest/gtest.h>

#include "base/config.h"
#include "tests/support/support.h"

namespace warmth::base {
namespace {

TEST(ConfigKeys, PathsAreRelativeToTheConfigFile) {
  const Config c = ParseConfig(R"(
[curve]
secret_key = "server.key"
authorized_keys = "/etc/warmth/authorized_keys"
[client]
server_key = "keys/server.pub"
secret_key = "laptop.key"
)",
                               "/etc/warmth/warmth.toml");
  EXPECT_EQ(c.curve.secret_key, "/etc/warmth/server.key");
  EXPECT_EQ(c.curve.authorized_keys, "/etc/warmth/authorized_keys");
  EXPECT_EQ(c.client.server_key, "/etc/warmth/keys/server.pub");
  EXPECT_EQ(c.client.secret_key, "/etc/warmth/laptop.key");
}

TEST(ConfigKeys, TheServerKeyMayBeTheKeyItself) {
  const std::string key = "RE#X<&/3KAjPc+QPDUm%Dj9$b17SNk%dSucSmgP+";
  const Config c = ParseConfig("[client]\nserver_key = \"" + key + "\"\n", "/tmp/x/warmth.toml");
  EXPECT_EQ(c.client.server_key, key);
}

TEST(ConfigKeys, NoKeysByDefault) {
  const Config c = ParseConfig("");
  EXPECT_EQ(c.curve.secret_key, "");
  EXPECT_EQ(c.curve.authorized_keys, "");
  EXPECT_EQ(c.client.server_key, "");
  EXPECT_EQ(c.client.secret_key, "");
}

TEST(ConfigKeys, RejectsUnknownKeysAndBadValues) {
  struct Case {
    std::string text;
    std::string key;
  };
  const Case cases[] = {
      {"[curve]\nsecretkey = \"a\"\n", "curve.secretkey"},
      {"[curve]\nsecret_key = 3\n", "curve.secret_key"},
      {"[curve]\nsecret_key = \"\"\n", "curve.secret_key"},
      {"[curve]\nauthorized_keys = [\"a\"]\n", "curve.authorized_keys"},
      {"[client]\npublic_key = \"a\"\n", "client.public_key"},
      {"[client]\nserver_key = \"\"\n", "client.server_key"},
      {"[client]\nsecret_key = \"\"\n", "client.secret_key"},
      {"curve = 1\n", "curve"},
  };
  for (const Case& c : cases) {
    try {
      ParseConfig(c.text);
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), c.key) << c.text << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace warmth::base
