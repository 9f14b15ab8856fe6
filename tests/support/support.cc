#include "tests/support/support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <zmq.hpp>

#include "clients/common/client.h"

namespace warmth::testing {

TempDir::TempDir() {
  std::string tmpl = "/tmp/wt-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = tmpl;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& text) const {
  const std::string p = File(name);
  std::filesystem::create_directories(std::filesystem::path(p).parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

core::TimePoint T0() { return At("2026-11-21T00:00:00Z"); }

core::TimePoint At(const std::string& rfc3339) {
  auto t = core::ParseUtc(rfc3339);
  if (!t.ok()) {
    throw std::runtime_error("bad test time " + rfc3339);
  }
  return *t;
}

std::string WarmthdPath() { return WARMTH_WARMTHD_PATH; }
std::string WarmctlPath() { return WARMTH_WARMCTL_PATH; }
std::string CorpusDir() { return WARMTH_CORPUS_DIR; }

std::vector<std::string> UnfoldedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && line.back() == '\r') {  // iPhone exports end lines with CR CR LF
      line.pop_back();
    }
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !lines.empty()) {
      lines.back() += line.substr(1);
    } else {
      lines.push_back(line);
    }
  }
  return lines;
}

DaemonProcess::DaemonProcess(const TempDir& dir, std::string config_text,
                             std::vector<std::string> extra_args)
    : api_("ipc://" + dir.File("api")),
      pub_("ipc://" + dir.File("nudges")),
      data_dir_(dir.File("data")),
      config_path_(dir.Write("warmth.toml", config_text)),
      log_path_(dir.File("warmthd.log")),
      extra_args_(std::move(extra_args)) {}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) {
    Stop();
  }
}

void DaemonProcess::Launch() {
  std::vector<std::string> args = {WarmthdPath(), "--config", config_path_, "--data-dir",
                                   data_dir_,     "--api",    api_,         "--pub",
                                   pub_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = ::fork();
  if (pid_ == 0) {
    const int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(log, 2);
    ::dup2(log, 1);
    for (const auto& e : env_) {
      ::putenv(::strdup(e.c_str()));
    }
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
}

::testing::AssertionResult DaemonProcess::Start() {
  Launch();
  zmq::context_t context(1);
  client::Client client(context, client::ClientOptions{api_, std::chrono::milliseconds(200),
                                                       std::chrono::milliseconds(2000),
                                                       client_setup_});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ::testing::AssertionFailure() << "warmthd exited early; log:\n" << Log();
    }
    ::warmth::v1::Request request;
    request.mutable_status();
    if (client.Call(request).ok()) {
      return ::testing::AssertionSuccess();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ::testing::AssertionFailure() << "warmthd did not answer within 10 s; log:\n" << Log();
}

int DaemonProcess::Stop() {
  if (pid_ <= 0) {
    return -1;
  }
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Kill();
  return -1;
}

void DaemonProcess::Kill() {
  if (pid_ <= 0) {
    return;
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool DaemonProcess::Running() {
  if (pid_ <= 0) {
    return false;
  }
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::string DaemonProcess::Log() const {
  std::ifstream in(log_path_);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int FreeTcpPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("cannot find a free TCP port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

CommandResult RunCommand(const std::vector<std::string>& argv_in,
                         const std::vector<std::string>& env, const std::string& stdin_text) {
  TempDir io;
  const std::string out_path = io.File("out");
  const std::string err_path = io.File("err");
  const std::string in_path = io.Write("in", stdin_text);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open(in_path.c_str(), O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& e : env) {
      ::putenv(::strdup(e.c_str()));
    }
    std::vector<std::string> args = argv_in;
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream o(out_path);
  std::ostringstream os;
  os << o.rdbuf();
  r.out = os.str();
  std::ifstream e(err_path);
  std::ostringstream es;
  es << e.rdbuf();
  r.err = es.str();
  return r;
}

}  // namespace warmth::testing
