#include "tests/support/support.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
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

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Missing(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  for (const auto& x : a) {
    if (!b.contains(x)) {
      out += " [" + x + "]";
    }
  }
  return out;
}

core::TimePoint T0() {
  return At("2026-11-21T00:00:00Z");
}

core::TimePoint At(const std::string& rfc3339) {
  auto t = core::ParseUtc(rfc3339);
  if (!t.ok()) {
    throw std::runtime_error("bad test time " + rfc3339);
  }
  return *t;
}

std::string WarmthdPath() {
  return WARMTH_WARMTHD_PATH;
}
std::string WarmctlPath() {
  return WARMTH_WARMCTL_PATH;
}
std::string CorpusDir() {
  return WARMTH_CORPUS_DIR;
}

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
      state_home_(dir.File("state")),
      extra_args_(std::move(extra_args)) {}

DaemonProcess::~DaemonProcess() {
  Stop();
}

void DaemonProcess::Launch() {
  std::vector<std::string> args = {WarmthdPath(), "--config", config_path_, "--data-dir", data_dir_,
                                   "--api",       api_,       "--pub",      pub_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  child_ = std::make_unique<ChildProcess>(args, ChildIo{"", log_path_, log_path_, true}, env_);
}

::testing::AssertionResult DaemonProcess::Start() {
  Launch();
  zmq::context_t context(1);
  client::Client client(context,
                        client::ClientOptions{api_, std::chrono::milliseconds(200),
                                              std::chrono::milliseconds(2000), client_setup_});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running()) {
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
  if (!child_) {
    return -1;
  }
  const int code = child_->Stop(SIGTERM, std::chrono::seconds(10));
  child_.reset();
  return code;
}

void DaemonProcess::Kill() {
  if (child_) {
    child_->Kill();
    child_.reset();
  }
}

// Once seen to have exited it is forgotten: Stop() then returns -1.
bool DaemonProcess::Running() {
  if (child_ && child_->Poll()) {
    child_.reset();
  }
  return child_ != nullptr;
}

std::string DaemonProcess::Log() const {
  return ReadFile(log_path_);
}

CommandResult DaemonProcess::RunClient(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       const std::string& stdin_text) const {
  std::vector<std::string> argv = {binary, "--api", api_, "--config", config_path_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {"XDG_STATE_HOME=" + state_home_}, stdin_text);
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

CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         const std::string& stdin_text) {
  TempDir io;
  const std::string out_path = io.File("out");
  const std::string err_path = io.File("err");
  const std::string in_path = io.Write("in", stdin_text);
  CommandResult r;
  r.exit_code = ChildProcess(argv, ChildIo{in_path, out_path, err_path}, env).Wait();
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

}  // namespace warmth::testing
