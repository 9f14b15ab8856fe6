#include "tests/support/process.h"

#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace warmth::testing {
namespace {

std::string NameOf(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

// Opens `path` as `fd` in the child; leaves `fd` as it was when it cannot.
void Redirect(const char* path, int flags, int fd) {
  const int opened = ::open(path, flags, 0600);
  if (opened >= 0) {
    ::dup2(opened, fd);
    ::close(opened);
  }
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv_in, const ChildIo& io,
                           const std::vector<std::string>& env) {
  // Everything the child needs is built before fork(): between fork and exec
  // only async-signal-safe calls (the test may have threads, e.g. ZeroMQ's).
  std::vector<std::string> args = argv_in;
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::vector<std::string> entries;
  for (char** e = environ; *e != nullptr; ++e) {
    bool replaced = false;
    for (const auto& add : env) {
      replaced = replaced || NameOf(add) == NameOf(*e);
    }
    if (!replaced) {
      entries.emplace_back(*e);
    }
  }
  entries.insert(entries.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : entries) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  const int write_flags = O_WRONLY | O_CREAT | (io.append ? O_APPEND : O_TRUNC);

  pid_ = ::fork();
  if (pid_ == 0) {
    if (!io.in.empty()) {
      Redirect(io.in.c_str(), O_RDONLY, 0);
    }
    if (!io.out.empty()) {
      Redirect(io.out.c_str(), write_flags, 1);
    }
    if (!io.err.empty() && io.err == io.out) {
      ::dup2(1, 2);  // one open file: the two streams interleave, neither overwrites
    } else if (!io.err.empty()) {
      Redirect(io.err.c_str(), write_flags, 2);
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !Poll()) {
    Kill();
  }
}

std::optional<int> ChildProcess::Poll() {
  int status = 0;
  if (!wait_status_ && pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
    wait_status_ = status;
  }
  if (!wait_status_) {
    return std::nullopt;
  }
  return WIFEXITED(*wait_status_) ? WEXITSTATUS(*wait_status_) : 128 + WTERMSIG(*wait_status_);
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!Poll() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Poll();
}

int ChildProcess::Wait() {
  int status = 0;
  if (!wait_status_ && pid_ > 0 && ::waitpid(pid_, &status, 0) == pid_) {
    wait_status_ = status;
  }
  return Poll().value_or(-1);
}

int ChildProcess::Stop(int signal, std::chrono::milliseconds grace) {
  if (pid_ <= 0) {
    return -1;
  }
  if (!Poll()) {
    ::kill(pid_, signal);
    if (!Wait(grace)) {
      Kill();
    }
  }
  return wait_status_ && WIFEXITED(*wait_status_) ? WEXITSTATUS(*wait_status_) : -1;
}

void ChildProcess::Kill() {
  if (pid_ <= 0 || Poll()) {
    return;
  }
  ::kill(pid_, SIGKILL);
  Wait();
}

}  // namespace warmth::testing
