#include "clients/notify/shown.h"

#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::notify {
namespace {

using testing::T0;
using testing::TempDir;

TEST(ShownNudges, RemembersAcrossInstances) {
  TempDir dir;
  const std::string path = dir.File("state/warmth/notify-shown");
  {
    ShownNudges shown(path);
    EXPECT_EQ(shown.size(), 0u);
    EXPECT_OK(shown.Add("cool-1", T0()));
    EXPECT_OK(shown.Add("bday-2", T0()));
  }
  ShownNudges again(path);
  EXPECT_TRUE(again.Contains("cool-1"));
  EXPECT_TRUE(again.Contains("bday-2"));
  EXPECT_FALSE(again.Contains("cool-3"));
  EXPECT_EQ(again.size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(ShownNudges, SkipsLinesItCannotRead) {
  TempDir dir;
  const std::string path =
      dir.Write("shown", "cool-1 1795305600\ngarbage\n\n bday-2 17\nfollow-3 notanumber\n");
  ShownNudges shown(path);
  EXPECT_TRUE(shown.Contains("cool-1"));
  EXPECT_TRUE(shown.Contains("bday-2"));
  EXPECT_FALSE(shown.Contains("garbage"));
  EXPECT_FALSE(shown.Contains("follow-3"));
  EXPECT_EQ(shown.size(), 2u);
}

TEST(ShownNudges, RefusesIdsThatWouldBreakTheFile) {
  ShownNudges shown("");
  for (const std::string& id :
       {std::string(""), std::string("a b"), std::string("a\nb"), std::string(129, 'x')}) {
    EXPECT_EQ(shown.Add(id, T0()).code(), core::Code::kInvalidArgument) << id;
  }
  EXPECT_EQ(shown.size(), 0u);
}

TEST(ShownNudges, PruneForgetsOnlyOldIdsNoLongerPending) {
  TempDir dir;
  const std::string path = dir.File("shown");
  ShownNudges shown(path);
  EXPECT_OK(shown.Add("old-done", T0()));
  EXPECT_OK(shown.Add("old-pending", T0()));
  EXPECT_OK(shown.Add("new-unlisted", T0() + core::kDay));
  EXPECT_OK(shown.Prune({"old-pending"}, T0() + std::chrono::hours(1)));
  EXPECT_FALSE(shown.Contains("old-done"));
  EXPECT_TRUE(shown.Contains("old-pending"));
  EXPECT_TRUE(shown.Contains("new-unlisted"));  // newer than the list may be
  ShownNudges reread(path);
  EXPECT_EQ(reread.size(), 2u);
  EXPECT_FALSE(reread.Contains("old-done"));
}

TEST(ShownNudges, KeepsIdsInMemoryWhenTheFileCannotBeWritten) {
  TempDir dir;
  const std::string blocker = dir.Write("not-a-dir", "x");
  ShownNudges shown(blocker + "/shown");
  const core::Status s = shown.Add("cool-1", T0());
  EXPECT_EQ(s.code(), core::Code::kUnavailable);
  EXPECT_NE(s.message().find("not-a-dir"), std::string::npos) << s.message();
  EXPECT_TRUE(shown.Contains("cool-1"));
}

}  // namespace
}  // namespace warmth::notify
