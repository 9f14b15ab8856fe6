// Token files for push targets.
#include "clients/push/secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/support.h"

namespace warmth::push {
namespace {

TEST(PushSecret, ReadsAPrivateFileWithoutItsLineEnd) {
  testing::TempDir dir;
  const std::string path = dir.Write("t", "  tk_abc123\n");
  ::chmod(path.c_str(), 0600);
  auto s = ReadSecretFile(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(*s, "tk_abc123");
  ::chmod(path.c_str(), 0400);
  EXPECT_TRUE(ReadSecretFile(path).ok());
}

TEST(PushSecret, RefusesFilesOthersMayReadAndBadContent) {
  testing::TempDir dir;
  struct Case {
    const char* name;
    const char* text;
    mode_t mode;
    core::Code code;
  };
  const Case cases[] = {
      {"0644", "s3cr3t-tok\n", 0644, core::Code::kPermissionDenied},
      {"0640", "s3cr3t-tok\n", 0640, core::Code::kPermissionDenied},
      {"0604", "s3cr3t-tok\n", 0604, core::Code::kPermissionDenied},
      {"empty", "\n", 0600, core::Code::kInvalidArgument},
      {"two lines", "s3cr3t-tok\nmore\n", 0600, core::Code::kInvalidArgument},
  };
  for (const Case& c : cases) {
    const std::string path = dir.Write(c.name, c.text);
    ::chmod(path.c_str(), c.mode);
    auto s = ReadSecretFile(path);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.status().code(), c.code) << c.name << ": " << s.status().message();
    EXPECT_NE(s.status().message().find(path), std::string::npos) << c.name;
    EXPECT_EQ(s.status().message().find("s3cr3t"), std::string::npos) << c.name;
  }
  EXPECT_EQ(ReadSecretFile(dir.File("missing")).status().code(), core::Code::kNotFound);
}

}  // namespace
}  // namespace warmth::push
