// `warmthd replay` as users run it: every scenario under tests/e2e/replay/
// and every example under docs/examples/ is a folder with timeline.jsonl,
// optionally config.toml and until (a time for --until), and expected.jsonl,
// the nudges it must print, byte for byte.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

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
  // No config.toml: the built-in defaults, whatever the machine's user has.
  if (fs::exists(dir / "config.toml")) {
    argv.insert(argv.end(), {"--config", (dir / "config.toml").string()});
  } else {
    argv.emplace_back("--no-config");
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
    const auto r = testing::RunCommand({testing::WarmthdPath(), "replay", path, "--no-config"});
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
      {testing::WarmthdPath(), "replay", path, "--no-config", "--until", "2026-01-09T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find(":1: NOT_FOUND: contact_id: no such contact"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"kind\":\"COOLING\""), std::string::npos) << r.out;
}

TEST(Replay, ReadsStdin) {
  const auto r = testing::RunCommand(
      {testing::WarmthdPath(), "replay", "-", "--no-config", "--until", "2026-01-09T00:00:00Z"}, {},
      R"({"at":"2026-01-01T00:00:00Z","request":{"upsertContact":{"contact":{"id":"ann","circle":"INNER"}}}})"
      "\n"
      R"({"at":"2026-01-01T00:00:00Z","request":{"ingest":{"interactions":[{"eventId":"e","contacts":["ann"],"channel":"IN_PERSON","occurredAt":"2026-01-01T00:00:00Z"}]}}})"
      "\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"dueAt\":\"2026-01-08T00:00:00Z\""), std::string::npos) << r.out;
}

// Ann (inner) met in person on Jan 1; with the built-in threshold (30) she
// cools 7 days later, with a threshold of 15 two half-lives later.
constexpr const char* kAnnTimeline =
    R"({"at":"2026-01-01T00:00:00Z","request":{"upsertContact":{"contact":{"id":"ann","circle":"INNER"}}}})"
    "\n"
    R"({"at":"2026-01-01T00:00:00Z","request":{"ingest":{"interactions":[{"eventId":"e","contacts":["ann"],"channel":"IN_PERSON","occurredAt":"2026-01-01T00:00:00Z"}]}}})"
    "\n";

// The environment of a user whose warmth.toml is in $XDG_CONFIG_HOME (the
// systemd variable would win over it: unset here).
std::vector<std::string> UserEnv(const testing::TempDir& dir) {
  return {"XDG_CONFIG_HOME=" + dir.File("config"), "HOME=" + dir.File("home"),
          "CONFIGURATION_DIRECTORY="};
}

testing::CommandResult ReplayAnn(const testing::TempDir& dir, std::vector<std::string> flags) {
  const std::string timeline = dir.Write("t.jsonl", kAnnTimeline);
  std::vector<std::string> argv = {testing::WarmthdPath(), "replay", timeline, "--until",
                                   "2026-02-01T00:00:00Z"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return testing::RunCommand(argv, UserEnv(dir));
}

TEST(Replay, ReadsTheUsersConfigLikeTheDaemon) {
  testing::TempDir dir;
  dir.Write("config/warmth/warmth.toml", "[model]\nthreshold = 15.0\n");
  const auto r = ReplayAnn(dir, {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"dueAt\":\"2026-01-15T00:00:00Z\""), std::string::npos)
      << "threshold 15 from $XDG_CONFIG_HOME/warmth/warmth.toml\n"
      << r.out;
}

TEST(Replay, NoConfigIgnoresTheUsersFileAndConfigOverridesIt) {
  testing::TempDir dir;
  dir.Write("config/warmth/warmth.toml", "[model]\nthreshold = 15.0\n");
  auto r = ReplayAnn(dir, {"--no-config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"dueAt\":\"2026-01-08T00:00:00Z\""), std::string::npos)
      << "the built-in threshold 30\n"
      << r.out;
  const std::string other = dir.Write("candidate.toml", "[model]\nthreshold = 7.5\n");
  r = ReplayAnn(dir, {"--config", other});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"dueAt\":\"2026-01-22T00:00:00Z\""), std::string::npos)
      << "threshold 7.5 from --config, three half-lives\n"
      << r.out;
  r = ReplayAnn(dir, {"--config", other, "--no-config"});
  EXPECT_EQ(r.exit_code, 2) << "one or the other";
}

TEST(Replay, ABadUserConfigStopsItLikeTheDaemon) {
  testing::TempDir dir;
  dir.Write("config/warmth/warmth.toml", "[model]\nthreshhold = 15.0\n");
  const auto r = ReplayAnn(dir, {});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("model.threshhold: unknown key"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReplayAnn(dir, {"--no-config"}).exit_code, 0);
}

TEST(Replay, SummaryCountsNudgesPerKindAndPerIsoWeek) {
  testing::TempDir dir;
  const std::string config =
      dir.Write("c.toml",
                "timezone = \"UTC\"\n[delivery]\nquiet_hours = \"\"\nmax_per_day = 0\n"
                "[rules]\nweekend_call = { enabled = false }\n");
  // Ann cools on Thu Jan 8 (W02) and, after a call on Jan 9, on Fri Jan 16
  // (W03); Bob's missed call on Jan 13 wants a call back (W03) and his
  // birthday is Tue Jan 20 (W04). Jan 1 is a Thursday: W01.
  const std::string timeline = dir.Write(
      "t.jsonl",
      R"({"at":"2026-01-01T10:00:00Z","request":{"upsertContact":{"contact":{"id":"ann","circle":"INNER"}}}})"
      "\n"
      R"({"at":"2026-01-01T10:00:00Z","request":{"upsertContact":{"contact":{"id":"bob","circle":"CLOSE","birthday":{"month":1,"day":20}}}}})"
      "\n"
      R"({"at":"2026-01-01T10:00:00Z","request":{"ingest":{"interactions":[{"eventId":"e","contacts":["ann"],"channel":"IN_PERSON","occurredAt":"2026-01-01T10:00:00Z"}]}}})"
      "\n"
      R"({"at":"2026-01-09T10:00:00Z","request":{"done":{"contactId":"ann","channel":"CALL"}}})"
      "\n"
      R"({"at":"2026-01-13T10:00:00Z","request":{"ingest":{"interactions":[{"eventId":"m","contacts":["bob"],"channel":"CALL","direction":"INBOUND","missed":true,"occurredAt":"2026-01-13T10:00:00Z"}]}}})"
      "\n");
  const auto r = testing::RunCommand({testing::WarmthdPath(), "replay", timeline, "--config",
                                      config, "--until", "2026-01-25T00:00:00Z", "--summary"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "config:    " + config +
                "\n"
                "time zone: UTC\n"
                "replayed:  2026-01-01 to 2026-01-25\n"
                "nudges:    4\n"
                "\n"
                "kind          nudges\n"
                "cooling            2\n"
                "online_only        0\n"
                "follow_up          0\n"
                "trip               0\n"
                "weekend_call       0\n"
                "birthday           1\n"
                "call_back          1\n"
                "rhythm             0\n"
                "\n"
                "week      total  cooling  online_only  follow_up  trip  weekend_call  birthday  "
                "call_back  rhythm\n"
                "2026-W01      0        0            0          0     0             0         0"
                "          0       0\n"
                "2026-W02      1        1            0          0     0             0         0"
                "          0       0\n"
                "2026-W03      2        1            0          0     0             0         0"
                "          1       0\n"
                "2026-W04      1        0            0          0     0             0         1"
                "          0       0\n");
  // The same nudges as the JSON lines, counted.
  const auto lines = testing::RunCommand({testing::WarmthdPath(), "replay", timeline, "--config",
                                          config, "--until", "2026-01-25T00:00:00Z"});
  EXPECT_EQ(std::count(lines.out.begin(), lines.out.end(), '\n'), 4) << lines.out;
}

TEST(Replay, SummaryWithoutConfigSaysSo) {
  testing::TempDir dir;
  const auto r = ReplayAnn(dir, {"--no-config", "--summary"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("config:    built-in defaults\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\ncooling            1\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace warmth
