#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/types.h>

#include "base/proc_status.h"

namespace warmth::testing {

// Where a child's standard streams go; "" leaves a stream as the test's own.
struct ChildIo {
  std::string in;       // stdin read from this file
  std::string out;      // stdout written to this file
  std::string err;      // stderr; the same path as `out` shares one file (and its order)
  bool append = false;  // add to `out` and `err` instead of truncating them
};

// A child process running `argv` (argv[0] searched in PATH when it has no
// '/'), with `env` entries (NAME=VALUE) added to, or replacing those in, the
// test's environment. A child that cannot be started exits 127. The
// destructor SIGKILLs it if it is still running, and reaps it. One thread.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const ChildIo& io,
               const std::vector<std::string>& env = {});
  // stdout and stderr to these files, truncated.
  ChildProcess(const std::vector<std::string>& argv, const std::string& out_path,
               const std::string& err_path)
      : ChildProcess(argv, ChildIo{"", out_path, err_path}) {}
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The exit code once it has exited (128 + signal when killed), else nullopt.
  std::optional<int> Poll();
  // Waits up to `timeout`; nullopt if it is still running then.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // Waits as long as it takes.
  int Wait();
  bool Running() { return !Poll(); }
  // Sends `signal`, waits up to `grace`, then SIGKILLs. The exit code when it
  // exited, -1 when a signal ended it (or it had to be killed).
  int Stop(int signal = SIGTERM, std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILL, no chance to clean up; waits for it.
  void Kill();

 private:
  pid_t pid_ = -1;
  std::optional<int> wait_status_;  // from waitpid, once reaped
};

using base::VmRssKib;

}  // namespace warmth::testing
