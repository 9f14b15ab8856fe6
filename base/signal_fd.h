#pragma once

#include <initializer_list>

namespace warmth::base {

// Blocks `signals` for the calling thread and every thread it starts later.
void BlockSignals(std::initializer_list<int> signals);

// Blocks `signals` (BlockSignals) and reads them from a non-blocking
// descriptor a poll loop watches. Construct it before anything starts
// threads (a ZeroMQ context), so that they inherit the mask and only this
// descriptor sees the signals. Throws std::system_error if signalfd fails.
// One thread.
class SignalFd {
 public:
  SignalFd(std::initializer_list<int> signals);
  ~SignalFd();
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;

  int fd() const { return fd_; }
  // The next pending signal number, or 0 when none is pending.
  int Read() const;

 private:
  int fd_ = -1;
};

}  // namespace warmth::base
