// Readiness and watchdog without systemd: the test plays the service manager
// on a datagram socket named by NOTIFY_SOCKET, as systemd would.
#include <cstring>
#include <thread>

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clients/common/client.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// An AF_UNIX datagram socket bound to a path; closed at the end.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot bind " + path);
    }
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The next datagram within `timeout`, or nullopt.
  std::optional<std::string> Receive(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
      return std::nullopt;
    }
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      return std::nullopt;
    }
    return std::string(buf, static_cast<std::size_t>(n));
  }

  // Waits for a datagram holding `line` (a whole line), collecting every
  // datagram seen on the way in `seen`.
  std::optional<Steady::time_point> WaitFor(const std::string& line,
                                            std::chrono::milliseconds timeout,
                                            std::vector<std::string>* seen = nullptr) {
    const auto deadline = Steady::now() + timeout;
    while (Steady::now() < deadline) {
      auto d =
          Receive(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()));
      if (!d) {
        break;
      }
      if (seen != nullptr) {
        seen->push_back(*d);
      }
      if (HasLine(*d, line)) {
        return Steady::now();
      }
    }
    return std::nullopt;
  }

  static bool HasLine(const std::string& datagram, const std::string& line) {
    std::size_t start = 0;
    while (start <= datagram.size()) {
      const std::size_t end = std::min(datagram.find('\n', start), datagram.size());
      if (datagram.compare(start, end - start, line) == 0) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST(SdNotify, ReadyOnceServingThenWatchdogAtHalfThePeriodThenStopping) {
  testing::TempDir dir;
  NotifySocket manager(dir.File("notify"));
  constexpr auto kWatchdog = 1000ms;  // WATCHDOG_USEC: pings expected every 500 ms
  testing::DaemonProcess daemon(dir);
  daemon.SetEnv({"NOTIFY_SOCKET=" + dir.File("notify"),
                 "WATCHDOG_USEC=" + std::to_string(std::chrono::microseconds(kWatchdog).count())});
  daemon.Launch();

  std::vector<std::string> before_ready;
  ASSERT_TRUE(manager.WaitFor("READY=1", 15s, &before_ready)) << daemon.Log();
  EXPECT_EQ(before_ready.size(), 1u) << "READY=1 is the first message";
  // Ready means serving: the API answers at the first attempt.
  zmq::context_t context(1);
  client::Client c(context, client::ClientOptions{daemon.api(), 200ms, 2000ms, {}});
  v1::Request status;
  status.mutable_status();
  EXPECT_TRUE(c.Call(status).ok());

  // STATUS= with counts, then watchdog pings for a few periods.
  std::vector<std::string> seen;
  std::vector<Steady::time_point> pings;
  const auto until = Steady::now() + 3500ms;
  while (Steady::now() < until) {
    auto d = manager.Receive(
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now()));
    if (!d) {
      continue;
    }
    seen.push_back(*d);
    if (NotifySocket::HasLine(*d, "WATCHDOG=1")) {
      pings.push_back(Steady::now());
    }
  }
  bool counts = false;
  for (const auto& d : seen) {
    counts = counts || (d.rfind("STATUS=", 0) == 0 && d.find("contacts") != std::string::npos &&
                        d.find("pending nudges") != std::string::npos);
  }
  EXPECT_TRUE(counts) << "no STATUS= line with counts";
  // 3.5 s at one ping per 500 ms: about 7; systemd would restart the daemon
  // after a gap of a whole period.
  EXPECT_GE(pings.size(), 5u);
  for (std::size_t i = 1; i < pings.size(); ++i) {
    const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(pings[i] - pings[i - 1]);
    EXPECT_LT(gap, kWatchdog) << "ping " << i;
    EXPECT_GE(gap, 400ms) << "ping " << i << ": more often than half the period";
  }

  ASSERT_EQ(::kill(daemon.pid(), SIGTERM), 0);
  EXPECT_TRUE(manager.WaitFor("STOPPING=1", 10s)) << daemon.Log();
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SdNotify, NoWatchdogPingsWithoutWatchdogUsec) {
  testing::TempDir dir;
  NotifySocket manager(dir.File("notify"));
  testing::DaemonProcess daemon(dir);
  daemon.SetEnv({"NOTIFY_SOCKET=" + dir.File("notify")});
  daemon.Launch();
  ASSERT_TRUE(manager.WaitFor("READY=1", 15s)) << daemon.Log();
  std::vector<std::string> seen;
  EXPECT_FALSE(manager.WaitFor("WATCHDOG=1", 1500ms, &seen));
  ASSERT_EQ(::kill(daemon.pid(), SIGTERM), 0);
  EXPECT_TRUE(manager.WaitFor("STOPPING=1", 10s));
}

}  // namespace
}  // namespace warmth
