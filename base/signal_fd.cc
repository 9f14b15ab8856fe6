#include "base/signal_fd.h"

#include <cerrno>
#include <csignal>
#include <system_error>

#include <sys/signalfd.h>
#include <unistd.h>

namespace warmth::base {
namespace {

sigset_t MaskOf(std::initializer_list<int> signals) {
  sigset_t mask;
  sigemptyset(&mask);
  for (const int s : signals) {
    sigaddset(&mask, s);
  }
  return mask;
}

}  // namespace

void BlockSignals(std::initializer_list<int> signals) {
  const sigset_t mask = MaskOf(signals);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
}

SignalFd::SignalFd(std::initializer_list<int> signals) {
  const sigset_t mask = MaskOf(signals);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
  fd_ = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "signalfd");
  }
}

SignalFd::~SignalFd() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

int SignalFd::Read() const {
  signalfd_siginfo info{};
  if (::read(fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
    return 0;
  }
  return static_cast<int>(info.ssi_signo);
}

}  // namespace warmth::base
