// `warmthd replay` as users run it: every scenario under tests/e2e/replay/
// and every example under docs/examples/ is a folder with timeline.jsonl,
// optionally config.toml and until (a time for --until), and expected.jsonl,
// the nudges it must print, byte for byte.
#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Scenarios() {
  std::vector<fs::path> out;
  for (const char* root : {"tests/e2e/replay", "docs/examples"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(WARMTH_SOURCE_DIR) / root)) {
      if (fs::exists(entry.path() / "timeline.jsonl")) {
        out.push_back(entry.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

testing::CommandResult Replay(const fs::path& dir) {
  std::vector<std::string> argv = {testing::WarmthdPath(), "replay",
                                   (dir / "timeline.jsonl").string()};
  if (fs::exists(dir / "config.toml")) {
    argv.insert(argv.end(), {"--config", (dir / "config.toml").string()});
  }
  if (fs::exists((dir / "until").string())) {
    std::string until = testing::ReadFile((dir / "until").string());
    until.erase(until.find_last_not_of(" \n") + 1);
    argv.insert(argv.end(), {"--until", until});
  }
  return testing::RunCommand(argv);
}

class ReplayGolden : public ::testing::TestWithParam<fs::path> {};

TEST_P(ReplayGolden, PrintsExactlyTheExpectedNudges) {
  const fs::path dir = GetParam();
  const auto first = Replay(dir);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, testing::ReadFile((dir / "expected.jsonl").string())) << dir;
  EXPECT_FALSE(first.out.empty()) << "a scenario that shows nothing tests nothing";
  const auto second = Replay(dir);
  EXPECT_EQ(second.out, first.out) << "same input, same output";
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ReplayGolden, ::testing::ValuesIn(Scenarios()),
                         [](const ::testing::TestParamInfo<fs::path>& param_info) {
                           std::string name = param_info.param.parent_path().filename().string() +
                                              "_" + param_info.param.filename().string();
                           for (char& c : name) {
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

TEST(Replay, BadLineIsReportedWithItsNumber) {
  testing::TempDir dir;
  const std::string good = R"({"at":"2026-01-01T00:00:00Z","request":{"status":{}}})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"at\": 12", "not a TimelineEntry"},
      {R"({"at":"2026-01-01T00:00:00Z","request":{"ingest":{"interactions":[{"channel":"PIGEON"}]}}})",
       "not a TimelineEntry"},
      {R"({"request":{"status":{}}})", "at: required"},
      {R"({"at":"2025-12-31T00:00:00Z","request":{"status":{}}})", "goes back in time"},
  };
  for (const auto& [line, message] : cases) {
    const std::string path =
        dir.Write("t.jsonl", good + "\n\n" + good + "\n" + line + "\n" + good + "\n");
    const auto r = testing::RunCommand({testing::WarmthdPath(), "replay", path});
    EXPECT_EQ(r.exit_code, 2) << line;
    EXPECT_EQ(r.err.rfind(path + ":4: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
}

TEST(Replay, RequestErrorsAreReportedAndReplayGoesOn) {
  testing::TempDir dir;
  const std::string path = dir.Write(
      "t.jsonl",
      R"({"at":"2026-01-01T00:00:00Z","request":{"done":{"contactId":"nobody"}}})"
      "\n"
      R"({"at":"2026-01-01T00:00:00Z","request":{"upsertContact":{"contact":{"id":"ann","circle":"INNER"}}}})"
      "\n"
      R"({"at":"2026-01-01T00:00:00Z","request":{"ingest":{"interactions":[{"eventId":"e","contacts":["ann"],"channel":"IN_PERSON","occurredAt":"2026-01-01T00:00:00Z"}]}}})"
      "\n");
  const auto r = testing::RunCommand(
      {testing::WarmthdPath(), "replay", path, "--until", "2026-01-09T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find(":1: NOT_FOUND: contact_id: no such contact"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"kind\":\"COOLING\""), std::string::npos) << r.out;
}

TEST(Replay, ReadsStdin) {
  const auto r = testing::RunCommand(
      {testing::WarmthdPath(), "replay", "-", "--until", "2026-01-09T00:00:00Z"}, {},
      R"({"at":"2026-01-01T00:00:00Z","request":{"upsertContact":{"contact":{"id":"ann","circle":"INNER"}}}})"
      "\n"
      R"({"at":"2026-01-01T00:00:00Z","request":{"ingest":{"interactions":[{"eventId":"e","contacts":["ann"],"channel":"IN_PERSON","occurredAt":"2026-01-01T00:00:00Z"}]}}})"
      "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"dueAt\":\"2026-01-08T00:00:00Z\""), std::string::npos) << r.out;
}

}  // namespace
}  // namespace warmth
