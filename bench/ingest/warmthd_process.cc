#include "bench/ingest/warmthd_process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX's name

namespace warmth::bench {
namespace {

using core::Status;
using std::chrono_literals::operator""ms;

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// The exit code, 128 + signal when killed; -1 while it runs.
int Reap(pid_t pid, int flags) {
  int status = 0;
  const pid_t r = ::waitpid(pid, &status, flags);
  if (r != pid) {
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

WarmthdProcess::WarmthdProcess(std::string dir, pid_t pid)
    : dir_(std::move(dir)), endpoint_("ipc://" + dir_ + "/api"), pid_(pid) {}

core::Result<std::unique_ptr<WarmthdProcess>> WarmthdProcess::Start(const std::string& binary,
                                                                    const std::string& dir,
                                                                    std::chrono::seconds patience) {
  if (::access(binary.c_str(), X_OK) != 0) {
    return Status::InvalidArgument("warmthd: " + binary + " is not an executable (--warmthd)");
  }
  {
    std::ofstream config(dir + "/warmth.toml");
    config << "timezone = \"UTC\"\n[delivery]\nquiet_hours = \"\"\nmax_per_day = 0\n";
    if (!config) {
      return Status::Unavailable("cannot write " + dir + "/warmth.toml");
    }
  }
  const std::string log = dir + "/warmthd.log";
  std::vector<std::string> args = {binary,
                                   "--config",
                                   dir + "/warmth.toml",
                                   "--data-dir",
                                   dir + "/data",
                                   "--api",
                                   "ipc://" + dir + "/api",
                                   "--pub",
                                   "ipc://" + dir + "/pub",
                                   "--log-level",
                                   "warn"};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::Unavailable("warmthd: cannot start " + binary + ": " + std::strerror(rc));
  }
  std::unique_ptr<WarmthdProcess> process(new WarmthdProcess(dir, pid));
  const std::string socket = dir + "/api";
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (!Exists(socket)) {
    if (const int code = Reap(pid, WNOHANG); code >= 0) {
      process->pid_ = -1;
      return Status::Unavailable("warmthd exited with " + std::to_string(code) +
                                 " at start: " + process->LogTail());
    }
    if (std::chrono::steady_clock::now() > give_up) {
      return Status::Unavailable("warmthd: no API socket after " +
                                 std::to_string(patience.count()) + " s: " + process->LogTail());
    }
    std::this_thread::sleep_for(2ms);
  }
  return process;
}

WarmthdProcess::~WarmthdProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    (void)Reap(pid_, 0);
  }
}

Status WarmthdProcess::Stop() {
  if (pid_ <= 0) {
    return Status::Ok();
  }
  ::kill(pid_, SIGTERM);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int code = -1;
  while ((code = Reap(pid_, WNOHANG)) < 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  if (code < 0) {
    ::kill(pid_, SIGKILL);
    (void)Reap(pid_, 0);
    pid_ = -1;
    return Status::Unavailable("warmthd did not stop within 30 s of SIGTERM");
  }
  pid_ = -1;
  if (code != 0) {
    return Status::Unavailable("warmthd exited with " + std::to_string(code) + ": " + LogTail());
  }
  return Status::Ok();
}

std::string WarmthdProcess::LogTail() const {
  std::ifstream in(dir_ + "/warmthd.log");
  std::ostringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  constexpr std::size_t kTail = 600;
  return text.size() > kTail ? "…" + text.substr(text.size() - kTail) : text;
}

}  // namespace warmth::bench
