// warmctl as a user runs it: the real binary against the real daemon.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include <date/date.h>
#include <gtest/gtest.h>
#include <signal.h>

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
                                                                {"trip", "list"}}) {
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
  r = Warmctl({"contact", "show", "bob"});
  EXPECT_NE(r.out.find("last:        call"), std::string::npos) << r.out;
  r = Warmctl({"status", "--json"});
  EXPECT_NE(r.out.find("\"interactions\":\"3\""), std::string::npos) << r.out;
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
  const std::string out_path = dir_.File("watch.out");
  testing::ChildProcess watch({testing::WarmctlPath(), "--api", daemon_.api(), "--config",
                               daemon_.config_path(), "watch", "--json"},
                              testing::ChildIo{"", out_path, ""});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(Warmctl({"contact", "add", "ann", "--circle", "inner"}).exit_code, 0);
  const auto at =
      std::chrono::system_clock::now() - std::chrono::hours(24 * 7) + std::chrono::seconds(1);
  const std::string when = date::format("%FT%TZ", std::chrono::floor<std::chrono::seconds>(at));
  ASSERT_EQ(Warmctl({"log", "ann", "--channel", "in_person", "--at", when}).exit_code, 0);
  std::string seen;
  for (int i = 0; i < 100 && seen.find("COOLING") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = testing::ReadFile(out_path);
  }
  const int exit_code = watch.Stop(SIGINT);
  EXPECT_NE(seen.find("\"kind\":\"COOLING\""), std::string::npos) << seen;
  EXPECT_NE(seen.find("\"contactIds\":[\"ann\"]"), std::string::npos) << seen;
  EXPECT_EQ(exit_code, 0) << "Ctrl-C ends watch cleanly";
}

// The nudge socket also carries nudge.closed (a nudge acted on), whose
// topic the "nudge." subscription matches: watch shows new nudges only.
TEST_F(WarmctlTest, WatchDoesNotShowANudgeAgainWhenItIsActedOn) {
  ASSERT_TRUE(daemon_.Start());
  const std::string out_path = dir_.File("watch.out");
  testing::ChildProcess watch({testing::WarmctlPath(), "--api", daemon_.api(), "--config",
                               daemon_.config_path(), "watch", "--json"},
                              testing::ChildIo{"", out_path, ""});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(Warmctl({"contact", "add", "ann", "--circle", "inner"}).exit_code, 0);
  const auto at =
      std::chrono::system_clock::now() - std::chrono::hours(24 * 7) + std::chrono::seconds(1);
  const std::string when = date::format("%FT%TZ", std::chrono::floor<std::chrono::seconds>(at));
  ASSERT_EQ(Warmctl({"log", "ann", "--channel", "in_person", "--at", when}).exit_code, 0);
  std::string seen;
  for (int i = 0; i < 100 && seen.find("COOLING") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = testing::ReadFile(out_path);
  }
  ASSERT_NE(seen.find("\"kind\":\"COOLING\""), std::string::npos) << seen;
  ASSERT_EQ(Warmctl({"done", "ann"}).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  watch.Stop(SIGINT);
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

}  // namespace
}  // namespace warmth
