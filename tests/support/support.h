#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/types.h>

#include "daemon/core/status.h"
#include "daemon/core/time.h"
#include "daemon/transport/sockets.h"
#include "tests/support/process.h"

// Fails the test with the Status message when `expr` is not ok.
#define EXPECT_OK(expr)                                    \
  do {                                                     \
    const ::warmth::core::Status _s = (expr);              \
    EXPECT_TRUE(_s.ok()) << #expr << ": " << _s.message(); \
  } while (0)
#define ASSERT_OK(expr)                                    \
  do {                                                     \
    const ::warmth::core::Status _s = (expr);              \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.message(); \
  } while (0)

namespace warmth::testing {

// A fresh directory under /tmp (short, so ipc:// paths fit), removed with
// everything in it at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // Writes `text` to `name` inside the directory and returns its path.
  std::string Write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

// The whole file, bytes as they are; "" when it is missing or unreadable.
std::string ReadFile(const std::string& path);

// The elements of `a` missing from `b`, each as " [x]": for failure messages.
std::string Missing(const std::set<std::string>& a, const std::set<std::string>& b);

// 2026-11-21T00:00:00Z plus `d`: a fixed start for tests on a fake clock.
core::TimePoint T0();
core::TimePoint At(const std::string& rfc3339);

// The built binaries (set by CMake).
std::string WarmthdPath();
std::string WarmctlPath();
// ../shared/corpus, read in place.
std::string CorpusDir();
// The lines of a vCard or iCalendar text with folded lines joined (a line
// starting with a space or tab continues the one before; RFC 6350 3.2,
// RFC 5545 3.1) and line ends (LF, CR LF, CR CR LF) dropped: a plain
// reading, independent of the parsers under test.
std::vector<std::string> UnfoldedLines(const std::string& text);

// Runs a command, capturing stdout and stderr; `env` entries are NAME=VALUE
// added to the environment.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {},
                         const std::string& stdin_text = "");

// Quiet hours off, no daily limit, UTC: nudges go out the moment they fall due.
inline constexpr const char* kImmediateConfig =
    "timezone = \"UTC\"\n[delivery]\nquiet_hours = \"\"\nmax_per_day = 0\n";

// A real warmthd process on a temporary data directory with ipc sockets in it.
class DaemonProcess {
 public:
  // Does not start it.
  DaemonProcess(const TempDir& dir, std::string config_text = kImmediateConfig,
                std::vector<std::string> extra_args = {});

  // Before Start(): other endpoints (e.g. tcp://127.0.0.1:PORT), the socket
  // setup (CURVE keys) Start() uses to see that it answers, and NAME=VALUE
  // entries added to its environment.
  void SetEndpoints(std::string api, std::string pub) {
    api_ = std::move(api);
    pub_ = std::move(pub);
  }
  void SetClientSetup(transport::SocketSetup setup) { client_setup_ = std::move(setup); }
  void SetEnv(std::vector<std::string> env) { env_ = std::move(env); }
  ~DaemonProcess();  // stops it (SIGTERM, then SIGKILL)
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Starts and waits until it answers a Status request (at most 10 s).
  ::testing::AssertionResult Start();
  // Starts it and returns at once.
  void Launch();
  // SIGTERM and wait; returns the exit status (or -1 when killed by a signal).
  int Stop();
  // SIGKILL, no chance to clean up.
  void Kill();
  bool Running();

  std::string api() const { return api_; }
  std::string pub() const { return pub_; }
  std::string data_dir() const { return data_dir_; }
  std::string config_path() const { return config_path_; }
  std::string log_path() const { return log_path_; }
  std::string state_home() const { return state_home_; }
  std::string Log() const;  // what it wrote to stderr so far
  pid_t pid() const { return child_ ? child_->pid() : -1; }

  // Runs a client binary (warmctl, warmth-mail) against this daemon:
  // `--api API --config CONFIG` and then `args`, with XDG_STATE_HOME set to
  // state_home() so that client state stays in the test's directory.
  CommandResult RunClient(const std::string& binary, const std::vector<std::string>& args,
                          const std::string& stdin_text = "") const;

 private:
  std::string api_;
  std::string pub_;
  std::string data_dir_;
  std::string config_path_;
  std::string log_path_;
  std::string state_home_;
  std::vector<std::string> extra_args_;
  transport::SocketSetup client_setup_;
  std::vector<std::string> env_;
  std::unique_ptr<ChildProcess> child_;  // null when not running (or seen to have exited)
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreeTcpPort();

}  // namespace warmth::testing
