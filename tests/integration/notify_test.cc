// warmth-notify in its headless modes (--json, --stdout) against a real
// warmthd: what it prints, and when it prints it again (never).
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "clients/common/client.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using namespace std::chrono_literals;
using testing::DaemonProcess;
using testing::TempDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

// Polls `check` every 50 ms for up to `limit`.
template <typename F>
bool WaitFor(F check, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) {
      return true;
    }
    std::this_thread::sleep_for(50ms);
  }
  return check();
}

// The real warmth-notify binary, stdout and stderr in files.
class NotifierProcess {
 public:
  NotifierProcess(const TempDir& dir, std::string name) : dir_(dir), name_(std::move(name)) {}
  ~NotifierProcess() { Stop(); }

  void Start(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {WARMTH_NOTIFY_PATH, "--log-level", "debug"};
    args.insert(args.end(), extra.begin(), extra.end());
    child_ = std::make_unique<testing::ChildProcess>(
        args, testing::ChildIo{"", OutPath(), ErrPath(), true});
  }
  // SIGTERM; the exit code, or -1 if it had to be killed or was not running.
  int Stop() { return child_ ? child_->Stop(SIGTERM, 5s) : -1; }
  bool Running() { return child_ && child_->Running(); }
  std::string OutPath() const { return dir_.File(name_ + ".out"); }
  std::string ErrPath() const { return dir_.File(name_ + ".err"); }
  std::string Out() const { return testing::ReadFile(OutPath()); }
  std::string Err() const { return testing::ReadFile(ErrPath()); }

 private:
  const TempDir& dir_;
  std::string name_;
  std::unique_ptr<testing::ChildProcess> child_;
};

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(daemon_.Start()); }

  client::Client Connect() {
    return client::Client(zmq_, client::ClientOptions{daemon_.api(), 1s, 5s, {}});
  }

  // An inner-circle contact met in person just under 7 days ago: warmth 60
  // halves to the threshold 30 in `in`, and a COOLING nudge is published.
  void CoolsIn(const std::string& id, const std::string& name, std::chrono::seconds in) {
    client::Client c = Connect();
    v1::Request upsert;
    auto* contact = upsert.mutable_upsert_contact()->mutable_contact();
    contact->set_id(id);
    contact->set_display_name(name);
    contact->set_circle(v1::INNER);
    ASSERT_TRUE(c.Call(upsert).ok());
    v1::Request ingest;
    auto* in_person = ingest.mutable_ingest()->add_interactions();
    in_person->set_event_id("met-" + id);
    in_person->add_contacts(id);
    in_person->set_channel(v1::IN_PERSON);
    const auto at = std::chrono::system_clock::now() - 7 * 24h + in;
    in_person->mutable_occurred_at()->set_seconds(
        std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
    auto reply = c.Call(ingest);
    ASSERT_TRUE(reply.ok()) << reply.status().message();
    ASSERT_EQ(reply->ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
  }

  std::vector<v1::Nudge> Pending() {
    client::Client c = Connect();
    v1::Request list;
    list.mutable_list_nudges();
    auto reply = c.Call(list);
    if (!reply.ok()) {
      return {};
    }
    return {reply->nudges().nudges().begin(), reply->nudges().nudges().end()};
  }

  std::vector<std::string> Flags(const std::string& mode) {
    return {mode,    "--config",    daemon_.config_path(), "--api",           daemon_.api(),
            "--pub", daemon_.pub(), "--state-dir",         dir_.File("state")};
  }

  // The nudge ids in --json output, one per line; fails on a bad line.
  static std::vector<std::string> Ids(const std::string& out) {
    std::vector<std::string> ids;
    for (const auto& line : Lines(out)) {
      v1::Nudge n;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &n).ok()) << line;
      ids.push_back(n.id());
    }
    return ids;
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_};
  zmq::context_t zmq_{1};
};

TEST_F(NotifyTest, PublishedWhileDownShownOnceAtStartAndNotAfterARestart) {
  CoolsIn("ann", "Ann Lee", 1s);
  CoolsIn("cy", "Cy Twombly", 1s);
  ASSERT_TRUE(WaitFor([&] { return Pending().size() == 2; })) << daemon_.Log();
  std::set<std::string> pending;
  for (const auto& n : Pending()) {
    pending.insert(n.id());
  }

  NotifierProcess first(dir_, "first");
  first.Start(Flags("--json"));
  ASSERT_TRUE(WaitFor([&] { return Lines(first.Out()).size() >= 2; })) << first.Err();
  // The second ListNudges after connecting has come and gone by now.
  ASSERT_TRUE(WaitFor([&] {
    return first.Err().find("settling after") != std::string::npos &&
           Lines(first.Err()).back().find("pending nudge(s)") != std::string::npos;
  })) << first.Err();
  const auto ids = Ids(first.Out());
  EXPECT_EQ(ids.size(), 2u) << first.Out();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), pending);
  EXPECT_EQ(first.Stop(), 0);

  NotifierProcess second(dir_, "second");
  second.Start(Flags("--json"));
  ASSERT_TRUE(WaitFor([&] {
    return second.Err().find("2 pending nudge(s), 0 not shown before") != std::string::npos;
  })) << second.Err();
  EXPECT_EQ(second.Stop(), 0);
  EXPECT_EQ(second.Out(), "");
}

TEST_F(NotifyTest, WaitsForTheDaemonAndFollowsItThroughARestart) {
  daemon_.Stop();
  NotifierProcess notifier(dir_, "notifier");
  notifier.Start(Flags("--stdout"));
  ASSERT_TRUE(WaitFor([&] {
    return notifier.Err().find("warmthd is not running (nothing answers at " + daemon_.api()) !=
           std::string::npos;
  })) << notifier.Err();
  ASSERT_TRUE(daemon_.Start());
  ASSERT_TRUE(WaitFor([&] { return notifier.Err().find("warmthd is back") != std::string::npos; }))
      << notifier.Err();
  CoolsIn("bob", "Bob Stone", 1s);
  ASSERT_TRUE(WaitFor([&] { return Lines(notifier.Out()).size() == 1; })) << notifier.Err();
  EXPECT_NE(notifier.Out().find("  cooling  Time to call Bob Stone: It's been 7 days since you "
                                "talked with Bob Stone. Time to pick up the phone. [cool-"),
            std::string::npos)
      << notifier.Out();

  // The daemon goes away and comes back: one line each, and a nudge
  // published after the restart still arrives.
  daemon_.Stop();
  ASSERT_TRUE(WaitFor([&] {
    return notifier.Err().find("warmthd went away") != std::string::npos;
  })) << notifier.Err();
  ASSERT_TRUE(daemon_.Start());
  CoolsIn("dee", "Dee Dee", 1s);
  ASSERT_TRUE(WaitFor([&] { return Lines(notifier.Out()).size() == 2; })) << notifier.Err();
  EXPECT_NE(Lines(notifier.Out())[1].find("Time to call Dee Dee"), std::string::npos);
  EXPECT_TRUE(notifier.Running());
  EXPECT_EQ(notifier.Stop(), 0);
  // Nothing went wrong on the way.
  EXPECT_EQ(notifier.Err().find(" error "), std::string::npos) << notifier.Err();
}

TEST_F(NotifyTest, ABadConfigStopsItWithTheKeyAndExit78) {
  const std::string config = dir_.Write("bad.toml", "[notify]\nsnoze = \"3d\"\n");
  const auto r = testing::RunCommand({WARMTH_NOTIFY_PATH, "--json", "--config", config});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("notify.snoze: unknown key"), std::string::npos) << r.err;
  const std::string bad = dir_.Write("bad2.toml", "[notify]\nsnooze = \"soon\"\n");
  const auto r2 = testing::RunCommand({WARMTH_NOTIFY_PATH, "--json", "--config", bad});
  EXPECT_EQ(r2.exit_code, 78);
  EXPECT_NE(r2.err.find("notify.snooze"), std::string::npos) << r2.err;
}

TEST_F(NotifyTest, StdoutAndJsonAreExclusive) {
  const auto r = testing::RunCommand({WARMTH_NOTIFY_PATH, "--json", "--stdout"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("excludes"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace warmth
