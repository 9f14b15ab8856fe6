#include "daemon/app/access.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::app {
namespace {

using base::CurveConfig;  // moved from app:: to base::

transport::KeyPair NewKeys() {
  auto k = transport::GenerateKeyPair();
  EXPECT_TRUE(k.ok());
  return *k;
}

TEST(AuthorizedKeys, ReadsEntriesAndSkipsCommentsAndBlankLines) {
  const auto a = NewKeys();
  const auto b = NewKeys();
  const auto c = NewKeys();
  const std::string text = "# clients\n\n   \n" + a.public_key + " admin laptop\n\t" +
                           b.public_key + "\tnotify\tdesktop  \n#" + c.public_key +
                           " ingest commented-out\n" + c.public_key + " ingest mail-hook\n";
  auto keys = AuthorizedKeys::Parse(text, "authorized_keys");
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  ASSERT_EQ(keys->entries().size(), 3u);
  const AuthorizedKey* e = keys->Find(b.public_key);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->role, Role::kNotify);
  EXPECT_EQ(e->label, "desktop");
  EXPECT_EQ(e->line, 5);
  EXPECT_EQ(keys->Find(c.public_key)->line, 7);
  EXPECT_EQ(keys->Find(c.public_key)->role, Role::kIngest);
  EXPECT_EQ(keys->Find(NewKeys().public_key), nullptr);
  EXPECT_EQ(keys->Summary(), "3 keys (1 admin, 1 notify, 1 ingest)");
}

TEST(AuthorizedKeys, ReportsEveryBadLineWithItsNumber) {
  const auto a = NewKeys();
  const auto b = NewKeys();
  const std::string text = a.public_key + " admin laptop\n" +     // 1 ok
                           "short admin x\n" +                    // 2
                           b.public_key + "\n" +                  // 3
                           b.public_key + " root phone\n" +       // 4
                           b.public_key + " notify\n" +           // 5
                           b.public_key + " notify my phone\n" +  // 6
                           b.public_key + " notify ph/one\n" +    // 7
                           a.public_key + " notify again\n" +     // 8
                           b.public_key + " notify laptop\n";     // 9
  auto keys = AuthorizedKeys::Parse(text, "keys");
  ASSERT_FALSE(keys.ok());
  const std::string m = keys.status().message();
  for (const std::string& expected :
       {std::string("keys:2: expected a 40-character Z85 public key"),
        std::string("keys:3: missing the role"), std::string("keys:4: unknown role \"root\""),
        std::string("keys:5: missing the label"), std::string("keys:6: expected KEY ROLE LABEL"),
        std::string("keys:7: label:"), std::string("keys:8: this key is already on line 1"),
        std::string("keys:9: label \"laptop\" is already used on line 1")}) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << "\nin:\n" << m;
  }
  EXPECT_EQ(m.find("keys:1:"), std::string::npos) << m;
}

TEST(AuthorizedKeys, EmptyFileAuthorizesNobody) {
  auto keys = AuthorizedKeys::Parse("", "k");
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->entries().empty());
  EXPECT_EQ(AuthorizedKeys::Load("/nonexistent/keys").status().code(), core::Code::kNotFound);
}

transport::ZapRequest Curve(const std::string& domain, const std::string& key) {
  return transport::ZapRequest{domain, "192.0.2.7", "CURVE", key};
}

TEST(Gatekeeper, AdmitsKnownKeysAndOnlySubscribersOnTheNudgeSocket) {
  const auto admin = NewKeys();
  const auto notify = NewKeys();
  const auto ingest = NewKeys();
  auto keys = AuthorizedKeys::Parse(admin.public_key + " admin a\n" + notify.public_key +
                                        " notify n\n" + ingest.public_key + " ingest i\n",
                                    "k");
  ASSERT_TRUE(keys.ok());
  Gatekeeper gate("unused", *keys);
  struct Case {
    std::string name;
    transport::ZapRequest request;
    bool allow;
  };
  const Case cases[] = {
      {"admin api", Curve(kApiDomain, admin.public_key), true},
      {"notify api", Curve(kApiDomain, notify.public_key), true},
      {"ingest api", Curve(kApiDomain, ingest.public_key), true},
      {"admin nudges", Curve(kNudgeDomain, admin.public_key), true},
      {"notify nudges", Curve(kNudgeDomain, notify.public_key), true},
      {"ingest nudges", Curve(kNudgeDomain, ingest.public_key), false},
      {"unknown api", Curve(kApiDomain, NewKeys().public_key), false},
      {"unknown nudges", Curve(kNudgeDomain, NewKeys().public_key), false},
      {"other domain", Curve("global", admin.public_key), false},
      {"null mechanism", {kApiDomain, "192.0.2.7", "NULL", ""}, false},
  };
  for (const Case& c : cases) {
    const transport::ZapDecision d = gate.Authorize(c.request);
    EXPECT_EQ(d.allow, c.allow) << c.name;
    EXPECT_EQ(d.user_id, c.allow ? c.request.public_key : "") << c.name;
  }
  EXPECT_EQ(gate.RoleOf(ingest.public_key), Role::kIngest);
  EXPECT_EQ(gate.RoleOf(""), std::nullopt);
}

TEST(Gatekeeper, ReloadReplacesTheKeysOrKeepsThemWhenTheFileIsBad) {
  testing::TempDir dir;
  const auto a = NewKeys();
  const auto b = NewKeys();
  const std::string path = dir.Write("keys", a.public_key + " admin a\n");
  auto keys = AuthorizedKeys::Load(path);
  ASSERT_TRUE(keys.ok());
  Gatekeeper gate(path, *keys);
  EXPECT_EQ(gate.RoleOf(b.public_key), std::nullopt);

  dir.Write("keys", b.public_key + " notify b\n");
  ASSERT_TRUE(gate.Reload().ok());
  EXPECT_EQ(gate.RoleOf(a.public_key), std::nullopt);  // removed: its requests are refused
  EXPECT_EQ(gate.RoleOf(b.public_key), Role::kNotify);

  dir.Write("keys", a.public_key + " admin a\nbroken\n");
  const core::Status s = gate.Reload();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(":2:"), std::string::npos) << s.message();
  EXPECT_EQ(gate.RoleOf(b.public_key), Role::kNotify);
  EXPECT_EQ(gate.RoleOf(a.public_key), std::nullopt);
}

TEST(ServerSecretKeyPath, ConfigFirstThenTheSystemdCredential) {
  testing::TempDir dir;
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_EQ(ServerSecretKeyPath(CurveConfig{}), "");
  EXPECT_EQ(ServerSecretKeyPath(CurveConfig{"/etc/warmth/server.key", ""}),
            "/etc/warmth/server.key");
  ::setenv("CREDENTIALS_DIRECTORY", dir.path().c_str(), 1);
  EXPECT_EQ(ServerSecretKeyPath(CurveConfig{}), "");  // no credential there
  dir.Write("server.key", "x");
  EXPECT_EQ(ServerSecretKeyPath(CurveConfig{}), dir.File("server.key"));
  EXPECT_EQ(ServerSecretKeyPath(CurveConfig{"/k", ""}), "/k");
  ::unsetenv("CREDENTIALS_DIRECTORY");
}

}  // namespace
}  // namespace warmth::app
