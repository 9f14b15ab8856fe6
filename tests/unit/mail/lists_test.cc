// mail::ListBook: the mailing lists warmth-mail knows, and the file it keeps them in.
#include "clients/mail/lists.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/support.h"

namespace warmth::mail {
namespace {

using testing::ReadFile;
using testing::TempDir;

MessageFacts NamingLists(std::vector<std::string> lists) {
  MessageFacts f;
  f.list_addresses = std::move(lists);
  return f;
}

TEST(ListBook, LearnsRemembersAndReadsBack) {
  TempDir dir;
  const std::string path = dir.File("state/warmth/mail-lists");
  const Me me{{"me@example.com"}};
  {
    ListBook book({"team@lists.example.com"}, path);
    ASSERT_TRUE(book.Load().ok()) << "a missing file is an empty one";
    EXPECT_TRUE(book.Known().Has("team@lists.example.com"));
    EXPECT_EQ(
        book.Learn(
            NamingLists({"dev@lists.example.org", "team@lists.example.com", "me@example.com"}), me),
        std::vector<std::string>{"dev@lists.example.org"})
        << "the config's lists and my own addresses are not learned";
    EXPECT_TRUE(book.Learn(NamingLists({"dev@lists.example.org"}), me).empty());
    ASSERT_TRUE(book.Save().ok());
    ASSERT_TRUE(book.Save().ok()) << "nothing new: nothing written";
  }
  EXPECT_EQ(ReadFile(path), "dev@lists.example.org\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.File("state/warmth").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // A second run (the next hook) knows it, and appends what it learns.
  ListBook again({}, path);
  ASSERT_TRUE(again.Load().ok());
  EXPECT_TRUE(again.Known().Has("dev@lists.example.org"));
  EXPECT_EQ(again.Learn(NamingLists({"ann@lists.example.org"}), me).size(), 1u);
  ASSERT_TRUE(again.Save().ok());
  EXPECT_EQ(ReadFile(path), "dev@lists.example.org\nann@lists.example.org\n");
}

TEST(ListBook, TheFileMayBeEditedByHand) {
  TempDir dir;
  const std::string path = dir.Write(
      "mail-lists",
      "# lists I read\n  Dev@Lists.Example.org  \n\nnot an address\nteam@x.org # work\n@x\n");
  ListBook book({}, path);
  ASSERT_TRUE(book.Load().ok());
  EXPECT_EQ(book.Known().addresses, (std::set<std::string>{"dev@lists.example.org", "team@x.org"}));
}

TEST(ListBook, AFileThatCannotBeWrittenIsAnErrorNotACrash) {
  TempDir dir;
  dir.Write("blocker", "a file where a folder should be");
  ListBook book({}, dir.File("blocker/warmth/mail-lists"));
  ASSERT_TRUE(book.Load().ok());
  ASSERT_EQ(book.Learn(NamingLists({"dev@lists.example.org"}), Me{}).size(), 1u);
  const core::Status s = book.Save();
  EXPECT_EQ(s.code(), core::Code::kUnavailable);
  EXPECT_NE(s.message().find("blocker"), std::string::npos) << s.message();
  EXPECT_TRUE(book.Known().Has("dev@lists.example.org")) << "still known for this run";
}

TEST(ListBook, NoFileMeansOnlyTheConfigsLists) {
  ListBook book({"team@x.org"}, "");
  ASSERT_TRUE(book.Load().ok());
  EXPECT_EQ(book.Learn(NamingLists({"dev@y.org"}), Me{}).size(), 1u);
  EXPECT_TRUE(book.Save().ok());
  EXPECT_TRUE(book.Known().Has("team@x.org"));
}

TEST(ListsFile, IsInTheStateDirectory) {
  EXPECT_EQ(ListsFile("/tmp/s"), "/tmp/s/mail-lists");
  EXPECT_NE(ListsFile("").find("/warmth/mail-lists"), std::string::npos) << ListsFile("");
}

}  // namespace
}  // namespace warmth::mail
