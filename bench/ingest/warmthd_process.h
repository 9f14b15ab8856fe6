#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <sys/types.h>

#include "daemon/core/status.h"

namespace warmth::bench {

// The real warmthd as bench/ingest.sh runs it: a fresh store in `dir`
// (data/), its API and nudge sockets as ipc:// files there, no quiet hours
// and no daily budget (nudges fall due during the run as they would), warn
// logging to dir/warmthd.log. One thread.
class WarmthdProcess {
 public:
  // Writes dir/warmth.toml, starts `binary` and waits until its API socket
  // exists (warmthd binds it once its store is loaded). Fails when it cannot
  // be started or exits or takes longer than `patience` (the message quotes
  // the end of its log).
  static core::Result<std::unique_ptr<WarmthdProcess>> Start(
      const std::string& binary, const std::string& dir,
      std::chrono::seconds patience = std::chrono::seconds(10));
  // SIGKILLs the daemon if it is still running.
  ~WarmthdProcess();
  WarmthdProcess(const WarmthdProcess&) = delete;
  WarmthdProcess& operator=(const WarmthdProcess&) = delete;

  const std::string& endpoint() const { return endpoint_; }
  pid_t pid() const { return pid_; }
  // dir/data/warmth.db: the store, to count what it kept once stopped.
  std::string store_path() const { return dir_ + "/data/warmth.db"; }

  // SIGTERM, then waits up to 30 s for it to exit. Fails when it exited other
  // than with 0 or had to be killed.
  core::Status Stop();

 private:
  WarmthdProcess(std::string dir, pid_t pid);
  std::string LogTail() const;

  std::string dir_;
  std::string endpoint_;
  pid_t pid_ = -1;
};

}  // namespace warmth::bench
