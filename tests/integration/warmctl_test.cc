// warmctl as a user runs it: the real binary against the real daemon.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <date/date.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "clients/common/client.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::RunCommand;
using testing::TempDir;

class WarmctlTest : public ::testing::Test {
 protected:
  testing::CommandResult Warmctl(std::vector<std::string> args) {
    return daemon_.RunClient(testing::WarmctlPath(), args);
  }

  // `warmctl watch --json` writing to a file, and ann's COOLING published
  // while it watches; returns what watch printed by then.
  std::string WatchUntilCooling(const std::string& out_path,
                                std::optional<testing::ChildProcess>& watch) {
    watch.emplace(std::vector<std::string>{testing::WarmctlPath(), "--api", daemon_.api(),
                                           "--config", daemon_.config_path(), "watch", "--json"},
                  testing::ChildIo{"", out_path, ""});
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(Warmctl({"contact", "add", "ann", "--circle", "inner"}).exit_code, 0);
    const auto at =
        std::chrono::system_clock::now() - std::chrono::hours(24 * 7) + std::chrono::seconds(1);
    const std::string when = date::format("%FT%TZ", std::chrono::floor<std::chrono::seconds>(at));
    EXPECT_EQ(Warmctl({"log", "ann", "--channel", "in_person", "--at", when}).exit_code, 0);
    std::string seen;
    for (int i = 0; i < 100 && seen.find("COOLING") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      seen = testing::ReadFile(out_path);
    }
    return seen;
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_};
};

TEST_F(WarmctlTest, EveryCommandSaysSoWhenTheDaemonIsNotRunning) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"status"},
                                                                {"list"},
                                                                {"nudges"},
                                                                {"log", "a@example.com"},
                                                                {"contact", "show", "bob"},
                                                                {"done", "bob"},
                                                                {"snooze", "bob", "3d"},
                                                                {"dismiss", "x"},
                                                                {"watch"},
                                                                {"trip", "list"},
                                                                {"export", "--timeline"}}) {
    const auto r = Warmctl(args);
    EXPECT_EQ(r.exit_code, 69) << args[0];
    EXPECT_EQ(r.err, "warmctl: warmthd is not running (no socket at " + dir_.File("api") + ")\n")
        << args[0];
  }
}

// No flags and no config: the store, the sockets and the config follow the
// XDG base directories, and warmctl finds the daemon there by itself.
TEST(WarmthdDefaults, StoreAndSocketsFollowXdgWithoutAnyFlag) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("run"));
  const std::vector<std::string> env = {
      "XDG_RUNTIME_DIR=" + dir.File("run"), "XDG_DATA_HOME=" + dir.File("data"),
      "XDG_CONFIG_HOME=" + dir.File("config"), "HOME=" + dir.File("home"),
      // systemd's service variables win over XDG's: not set here.
      "RUNTIME_DIRECTORY=", "STATE_DIRECTORY=", "CONFIGURATION_DIRECTORY="};
  const std::string log = dir.File("warmthd.log");
  const std::string socket = dir.File("run/warmth/api");
  const std::string script =
      "\"$0\" 2>\"$2\" & pid=$!; i=0; "
      "while [ ! -S \"$3\" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; "
      "\"$1\" status; rc=$?; kill $pid; wait $pid; exit $rc";
  const auto r = RunCommand(
      {"sh", "-c", script, testing::WarmthdPath(), testing::WarmctlPath(), log, socket}, env);
  const std::string daemon_log = testing::ReadFile(log);
  ASSERT_EQ(r.exit_code, 0) << r.err << daemon_log;
  EXPECT_NE(r.out.find("store:        " + dir.File("data/warmth/warmth.db")), std::string::npos)
      << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir.File("data/warmth/warmth.db")));
  EXPECT_EQ(
      std::filesystem::status(dir.File("run/warmth")).permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_all)
      << "the socket directory is the access control: 0700";
  EXPECT_NE(daemon_log.find(dir.File("data/warmth/warmth.db")), std::string::npos)
      << "warmthd says where its store is\n"
      << daemon_log;
}

TEST(WarmthdDefaults, HelpListsTheFlagsAndVersionPrintsIt) {
  auto r = RunCommand({testing::WarmthdPath(), "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("warmthd ", 0), 0u) << r.out;
  r = RunCommand({testing::WarmthdPath(), "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--config", "--data-dir", "--api", "--pub", "replay"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag << "\n" << r.out;
  }
  r = RunCommand({testing::WarmthdPath(), "--no-such-flag"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no-such-flag"), std::string::npos) << r.err;
}

TEST_F(WarmctlTest, LogAddListShowDone) {
  ASSERT_TRUE(daemon_.Start());
  auto r = Warmctl({"log", "alice@example.com", "--channel", "call"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Logged call with alice@example.com: warmth 45.0"), std::string::npos)
      << r.out;
  r = Warmctl({"contact", "add", "bob", "--name", "Bob Stone", "--email", "bob@example.com",
               "--circle", "close", "--city", "Washington", "--birthday", "03-14"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Warmctl({"contact", "add", "bob", "--circle", "inner"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("exists"), std::string::npos);
  r = Warmctl({"log", "bob@example.com", "--channel", "in_person", "--at", "3d ago"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Warmctl({"list", "--all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // bob (a circle) first, the unsorted alice after.
  EXPECT_LT(r.out.find("Bob Stone"), r.out.find("alice@example.com")) << r.out;
  r = Warmctl({"list", "--json"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\"id\":\"bob\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("alice"), std::string::npos) << "unsorted only with --all";
  r = Warmctl({"contact", "edit", "bob", "--circle", "inner", "--tag", "ama"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Warmctl({"contact", "show", "bob", "--json"});
  EXPECT_NE(r.out.find("\"circle\":\"INNER\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"recent\":[{"), std::string::npos) << r.out;
  // One JSON mapping everywhere: protobuf's lowerCamelCase, as warmthd
  // replay prints it.
  EXPECT_NE(r.out.find("\"lastInteractionAt\":\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"displayName\":\"Bob Stone\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"last_interaction_at\""), std::string::npos) << r.out;
  r = Warmctl({"done", "bob", "--call"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Bob calls back and you miss it: no warmth, listed as missed.
  r = Warmctl({"log", "bob", "--missed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Logged missed call with bob: warmth"), std::string::npos) << r.out;
  EXPECT_EQ(Warmctl({"log", "bob", "--missed", "--channel", "email"}).exit_code, 1)
      << "only a call or a video call can be missed";
  r = Warmctl({"contact", "show", "bob"});
  EXPECT_NE(r.out.find("last:        call"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("missed call  inbound"), std::string::npos) << r.out;
  r = Warmctl({"status", "--json"});
  EXPECT_NE(r.out.find("\"interactions\":\"4\""), std::string::npos) << r.out;
  r = Warmctl({"contact", "rm", "bob"});
  ASSERT_EQ(r.exit_code, 0);
  r = Warmctl({"contact", "show", "bob"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "warmctl: contact_id: no such contact\n");
}

// The issue "Right on a real person's data": "tel:0171 1234567" was kept as
// "+01711234567" and never matched "+49 171 1234567".
TEST(WarmctlPhone, ANationalNumberMatchesItsInternationalSpellingWithARegion) {
  TempDir dir;
  DaemonProcess daemon(dir, std::string(testing::kImmediateConfig) + "[me]\nregion = \"DE\"\n");
  ASSERT_TRUE(daemon.Start());
  const auto warmctl = [&](const std::vector<std::string>& args) {
    return daemon.RunClient(testing::WarmctlPath(), args);
  };
  auto r = warmctl({"contact", "add", "ann", "--name", "Ann Lee", "--phone", "0171 1234567",
                    "--circle", "close"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("identifier:  +491711234567\n"), std::string::npos) << r.out;
  r = warmctl({"log", "tel:+49 171 1234567", "--channel", "call"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Logged call with ann: warmth 45.0"), std::string::npos) << r.out;
  r = warmctl({"contact", "show", "tel:0171/1234567", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"interactionCount\":\"1\""), std::string::npos) << r.out;
  r = warmctl({"status", "--json"});
  EXPECT_NE(r.out.find("\"unsortedContacts\":\"0\""), std::string::npos)
      << "the call made no second contact: " << r.out;
  // An unusable number is refused with the reason, before anything is sent.
  r = warmctl({"contact", "edit", "ann", "--phone", "+49 1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "warmctl: --phone: unusable phone number: too short\n");
  r = warmctl({"contact", "edit", "ann", "--remove", "+49 171 1234567"});
  ASSERT_EQ(r.exit_code, 0) << r.err << "removed by another spelling";
  EXPECT_EQ(r.out.find("+491711234567"), std::string::npos) << r.out;
}

TEST(WarmctlPhone, WithoutARegionOnlyInternationalNumbersAreUsable) {
  TempDir dir;
  DaemonProcess daemon(dir);
  ASSERT_TRUE(daemon.Start());
  auto r = daemon.RunClient(testing::WarmctlPath(),
                            {"contact", "add", "ann", "--phone", "0171 1234567"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--phone: unusable phone number: no country code"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("[me] region"), std::string::npos) << r.err;
  r = daemon.RunClient(testing::WarmctlPath(),
                       {"contact", "add", "ann", "--phone", "+49 171 1234567"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = daemon.RunClient(testing::WarmctlPath(), {"log", "tel:+491711234567"});
  EXPECT_NE(r.out.find("Logged call with ann"), std::string::npos) << r.out;
  // A bare number is no identifier: the daemon says how to write one.
  r = daemon.RunClient(testing::WarmctlPath(), {"log", "01711234567"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rejected: contacts[0]: identifier: a bare number"), std::string::npos)
      << r.err;
}

TEST_F(WarmctlTest, ACadenceIsSetShownAndReturnedToTheDefault) {
  ASSERT_TRUE(daemon_.Start());
  ASSERT_EQ(Warmctl({"contact", "add", "mum", "--circle", "close", "--every", "1w", "--max", "2w"})
                .exit_code,
            0);
  auto r = Warmctl({"contact", "show", "mum"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  cadence:     every 7d (set on this contact), half-life 11d23h; at most "
                       "14d\n"),
            std::string::npos)
      << r.out;
  r = Warmctl({"contact", "show", "mum", "--json"});
  EXPECT_NE(r.out.find("\"every\":\"604800s\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"cadenceSource\":\"contact\""), std::string::npos) << r.out;
  ASSERT_EQ(Warmctl({"contact", "edit", "mum", "--every", "auto", "--max", "none"}).exit_code, 0);
  r = Warmctl({"contact", "show", "mum"});
  EXPECT_NE(r.out.find("  cadence:     the circle's, half-life 30d\n"), std::string::npos) << r.out;
  r = Warmctl({"contact", "edit", "mum", "--every", "often"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--every"), std::string::npos) << r.err;
  r = Warmctl({"contact", "edit", "mum", "--every", "2w", "--max", "1w"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("every_max"), std::string::npos) << r.err;
}

TEST_F(WarmctlTest, ListMarksAContactWhoNeverAnswersOneSided) {
  ASSERT_TRUE(daemon_.Start());
  ASSERT_EQ(Warmctl({"contact", "add", "ed", "--circle", "network"}).exit_code, 0);
  for (const char* when : {"3h ago", "2h ago", "1h ago"}) {
    ASSERT_EQ(Warmctl({"log", "ed", "--channel", "email", "--direction", "outbound", "--at", when})
                  .exit_code,
              0);
  }
  auto r = Warmctl({"list"});
  EXPECT_NE(r.out.find("one-sided"), std::string::npos) << r.out;
  ASSERT_EQ(Warmctl({"log", "ed", "--channel", "email", "--direction", "inbound"}).exit_code, 0);
  r = Warmctl({"list"});
  EXPECT_EQ(r.out.find("one-sided"), std::string::npos) << r.out;
}

TEST_F(WarmctlTest, TripsAddListRemove) {
  ASSERT_TRUE(daemon_.Start());
  auto r = Warmctl({"trip", "add", "--city", "Washington", "--from", "2027-12-03", "--to",
                    "2027-12-05", "--tag", "ama"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Added trip washington-2027-12-03: Washington, 2027-12-03 to 2027-12-05\n");
  r = Warmctl({"trip", "list"});
  EXPECT_NE(r.out.find("2027-12-03 to 2027-12-05  tags: ama"), std::string::npos) << r.out;
  r = Warmctl(
      {"trip", "add", "--city", "Washington", "--from", "2027-12-05", "--to", "2027-12-03"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "warmctl: trip.ends_at: before trip.starts_at\n");
  r = Warmctl({"trip", "rm", "washington-2027-12-03"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Warmctl({"trip", "list"}).out, "No trips.\n");
  EXPECT_EQ(Warmctl({"trip", "rm", "washington-2027-12-03"}).exit_code, 1);
}

TEST_F(WarmctlTest, WatchPrintsNudgesAsTheyArePublished) {
  ASSERT_TRUE(daemon_.Start());
  std::optional<testing::ChildProcess> watch;
  const std::string seen = WatchUntilCooling(dir_.File("watch.out"), watch);
  const int exit_code = watch->Stop(SIGINT);
  EXPECT_NE(seen.find("\"kind\":\"COOLING\""), std::string::npos) << seen;
  EXPECT_NE(seen.find("\"contactIds\":[\"ann\"]"), std::string::npos) << seen;
  EXPECT_EQ(exit_code, 0) << "Ctrl-C ends watch cleanly";
}

// The nudge socket also carries nudge.closed (a nudge acted on), whose
// topic the "nudge." subscription matches: watch shows new nudges only.
TEST_F(WarmctlTest, WatchDoesNotShowANudgeAgainWhenItIsActedOn) {
  ASSERT_TRUE(daemon_.Start());
  const std::string out_path = dir_.File("watch.out");
  std::optional<testing::ChildProcess> watch;
  std::string seen = WatchUntilCooling(out_path, watch);
  ASSERT_NE(seen.find("\"kind\":\"COOLING\""), std::string::npos) << seen;
  ASSERT_EQ(Warmctl({"done", "ann"}).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  watch->Stop(SIGINT);
  seen = testing::ReadFile(out_path);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), '\n'), 1) << seen;
  EXPECT_EQ(seen.find("DONE"), std::string::npos) << seen;
}

TEST_F(WarmctlTest, UsageErrorsExitTwo) {
  ASSERT_TRUE(daemon_.Start());
  EXPECT_EQ(Warmctl({"log", "a@example.com", "--channel", "pigeon"}).exit_code, 2);
  EXPECT_EQ(Warmctl({"snooze", "bob", "soon"}).exit_code, 2);
  EXPECT_EQ(Warmctl({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(Warmctl({"--help"}).exit_code, 0);
}

// Half a year of one person's life as a replay timeline (UTC, no quiet
// hours, no daily limit: the daemon's test config): contacts in circles, a
// trip, interactions by id and by address, a pitch that got no answer, an
// unknown correspondent (unsorted) with a long exchange, another with a
// short one, a group meeting.
// Every kind of nudge comes out of it.
std::string History() {
  const std::string start = "2026-03-02T09:00:00Z";
  std::string t;
  const auto entry = [&t](const std::string& at, const std::string& request) {
    t += R"({"at":")" + at + R"(","request":)" + request + "}\n";
  };
  const auto contact = [&](const std::string& json) {
    entry(start, R"({"upsertContact":{"contact":)" + json + "}}");
  };
  int n = 0;
  const auto log = [&](const std::string& at, const std::string& contacts,
                       const std::string& channel, const std::string& direction,
                       const std::string& extra = "") {
    entry(at, R"({"ingest":{"interactions":[{"eventId":"ev-)" + std::to_string(++n) +
                  R"(","contacts":[)" + contacts + R"(],"channel":")" + channel +
                  R"(","direction":")" + direction + R"(","occurredAt":")" + at + "\"" + extra +
                  "}]}}");
  };
  contact(
      R"({"id":"ann","displayName":"Ann Lee","identifiers":["ann@example.com"],"circle":"INNER","birthday":{"month":6,"day":12,"year":1990}})");
  contact(
      R"({"id":"bob","displayName":"Bob Stone","identifiers":["bob@example.org"],"circle":"CLOSE","city":"Lisbon","family":true})");
  contact(
      R"({"id":"cara","displayName":"Cara Diaz","identifiers":["cara@example.com"],"circle":"NETWORK","tags":["mentor"]})");
  contact(R"({"id":"dan","circle":"CLOSE","muted":true,"birthday":{"month":4,"day":1}})");
  entry(
      start,
      R"({"upsertTrip":{"trip":{"city":"Lisbon","startsAt":"2026-05-10T00:00:00Z","endsAt":"2026-05-13T00:00:00Z"}}})");
  log(start, R"("ann@example.com")", "IN_PERSON", "MUTUAL");
  log("2026-03-05T18:00:00Z", R"("bob")", "CALL", "MUTUAL");
  log("2026-03-20T12:00:00Z", R"("ann")", "CALL", "MUTUAL", R"(,"source":"warmctl")");
  log("2026-04-06T10:00:00Z", R"("cara@example.com")", "EMAIL", "OUTBOUND",
      R"(,"source":"warmth-mail","tags":["pitch"])");
  log("2026-04-15T19:30:00Z", R"("ann")", "IN_PERSON", "MUTUAL");
  log("2026-05-30T11:00:00Z", R"("ann@example.com")", "VIDEO", "MUTUAL");
  for (int day = 1; day <= 6; ++day) {
    log("2026-06-0" + std::to_string(day) + "T08:00:00Z", R"("sam@example.com")", "EMAIL",
        day % 2 == 1 ? "OUTBOUND" : "INBOUND", R"(,"source":"warmth-mail")");
  }
  log("2026-07-01T13:00:00Z", R"("ann","cara")", "IN_PERSON", "MUTUAL", R"(,"tags":["lunch"])");
  // Four messages both ways: too few to take offline, enough for a Friday call.
  for (int day = 6; day <= 9; ++day) {
    log("2026-07-0" + std::to_string(day) + "T20:00:00Z", R"("robin@example.com")", "MESSAGE",
        day % 2 == 0 ? "OUTBOUND" : "INBOUND");
  }
  log("2026-07-20T16:00:00Z", R"("bob@example.org")", "MESSAGE", "INBOUND");
  // Calls that did not connect: Bob's, not returned (a CALL_BACK), and your
  // attempt to reach Cara (nothing).
  log("2026-08-12T10:00:00Z", R"("bob")", "CALL", "INBOUND", R"(,"missed":true)");
  log("2026-08-12T11:00:00Z", R"("cara")", "CALL", "OUTBOUND", R"(,"missed":true)");
  return t;
}

constexpr const char* kHistoryUntil = "2026-10-01T00:00:00Z";

class ExportTest : public WarmctlTest {
 protected:
  // The nudges `warmthd replay` prints for a timeline, with the daemon's config.
  std::string Replay(const std::string& timeline) {
    const std::string path = dir_.Write("replayed.jsonl", timeline);
    const auto r = RunCommand({testing::WarmthdPath(), "replay", path, "--config",
                               daemon_.config_path(), "--until", kHistoryUntil});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "") << "every entry applies cleanly";
    return r.out;
  }

  // Sends every request of `timeline` to the running daemon, in order.
  void Feed(const std::string& timeline) {
    zmq::context_t context(1);
    client::Client client(
        context,
        client::ClientOptions{daemon_.api(), std::chrono::seconds(1), std::chrono::seconds(5), {}});
    std::istringstream lines(timeline);
    std::string line;
    while (std::getline(lines, line)) {
      v1::TimelineEntry entry;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &entry).ok()) << line;
      auto reply = client.Call(entry.request());
      ASSERT_TRUE(reply.ok()) << line << ": " << reply.status().message();
      for (const auto& item : reply->ingest().items()) {
        ASSERT_EQ(item.outcome(), v1::IngestResult::ACCEPTED) << line << ": " << item.reason();
      }
    }
  }

  static std::vector<v1::TimelineEntry> Entries(const std::string& timeline) {
    std::vector<v1::TimelineEntry> out;
    std::istringstream lines(timeline);
    std::string line;
    while (std::getline(lines, line)) {
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &out.emplace_back()).ok())
          << line;
    }
    return out;
  }
};

TEST_F(ExportTest, AnExportedTimelineReplaysToTheSameNudges) {
  const std::string history = History();
  const std::string original = Replay(history);
  for (const char* kind :
       {"COOLING", "BIRTHDAY", "TRIP", "FOLLOW_UP", "ONLINE_ONLY", "WEEKEND_CALL", "CALL_BACK"}) {
    EXPECT_NE(original.find(std::string("\"kind\":\"") + kind + "\""), std::string::npos)
        << "the history shows " << kind << "\n"
        << original;
  }
  ASSERT_TRUE(daemon_.Start());
  Feed(history);
  const auto exported = Warmctl({"export", "--timeline"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(Replay(exported.out), original) << "exported timeline:\n" << exported.out;
  EXPECT_EQ(Warmctl({"export", "--timeline"}).out, exported.out) << "the same store, the same file";

  // Contacts first, with what the store knows of them; interactions by
  // contact id, each at its own time; nothing a message said.
  const auto entries = Entries(exported.out);
  ASSERT_GE(entries.size(), 5u);
  const v1::Contact& ann = entries[0].request().upsert_contact().contact();
  EXPECT_EQ(ann.id(), "ann");
  EXPECT_EQ(ann.display_name(), "Ann Lee");
  EXPECT_EQ(ann.circle(), v1::INNER);
  EXPECT_EQ(ann.identifiers(0), "ann@example.com");
  EXPECT_EQ(ann.birthday().month(), 6);
  EXPECT_TRUE(entries[1].request().upsert_contact().contact().family());
  EXPECT_TRUE(entries[3].request().upsert_contact().contact().muted());
  EXPECT_EQ(entries[4].request().upsert_contact().contact().id(), "sam@example.com")
      << "unsorted contacts too, in the order the daemon met them";
  int ingests = 0;
  for (const auto& e : entries) {
    if (!e.request().has_ingest()) {
      EXPECT_EQ(e.at().seconds(), entries[0].at().seconds())
          << "contacts and trips come at the start: " << e.ShortDebugString();
      continue;
    }
    ++ingests;
    ASSERT_EQ(e.request().ingest().interactions_size(), 1);
    const v1::Interaction& in = e.request().ingest().interactions(0);
    EXPECT_EQ(in.occurred_at().seconds(), e.at().seconds());
    if (in.event_id() == "ev-1") {
      EXPECT_EQ(in.contacts(0), "ann") << "the id, not the address it came under";
    }
    if (in.event_id() == "ev-4") {
      EXPECT_EQ(in.source(), "warmth-mail");
      EXPECT_EQ(in.tags(0), "pitch");
    }
    EXPECT_EQ(in.missed(), in.event_id() == "ev-19" || in.event_id() == "ev-20") << in.event_id();
  }
  EXPECT_EQ(ingests, 20);
}

TEST_F(ExportTest, SinceLeavesOutWhatCameBefore) {
  ASSERT_TRUE(daemon_.Start());
  Feed(History());
  const auto r = Warmctl({"export", "--timeline", "--since", "2026-06-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto entries = Entries(r.out);
  ASSERT_FALSE(entries.empty());
  const auto since = date::sys_days(date::year(2026) / 6 / 1).time_since_epoch();
  EXPECT_EQ(entries[0].at().seconds(),
            std::chrono::duration_cast<std::chrono::seconds>(since).count())
      << "the timeline starts on the day asked for";
  int ingests = 0;
  for (const auto& e : entries) {
    ingests += e.request().has_ingest() ? 1 : 0;
    EXPECT_GE(e.at().seconds(), entries[0].at().seconds());
  }
  EXPECT_EQ(ingests, 14)
      << "six e-mails with sam, the lunch, robin's four messages, bob's, the two missed calls";
  EXPECT_EQ(Warmctl({"export", "--timeline", "--since", "someday"}).exit_code, 2);
  EXPECT_EQ(Warmctl({"export", "--since", "2026-06-01"}).exit_code, 2)
      << "a backup (no --timeline) is whole";
}

TEST_F(ExportTest, InteractionsOfRemovedContactsAreLeftOutAndSaidSo) {
  ASSERT_TRUE(daemon_.Start());
  ASSERT_EQ(Warmctl({"contact", "add", "eve", "--circle", "close"}).exit_code, 0);
  ASSERT_EQ(Warmctl({"log", "eve", "--channel", "call", "--at", "2026-05-01T10:00:00Z"}).exit_code,
            0);
  ASSERT_EQ(Warmctl({"contact", "rm", "eve"}).exit_code, 0);
  const auto r = Warmctl({"export", "--timeline"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "nobody left, nothing to replay";
  EXPECT_EQ(r.err,
            "Exported 0 contacts, 0 trips and 0 interactions (left out 1 interaction whose "
            "contacts were all removed).\n");
}

}  // namespace
}  // namespace warmth
