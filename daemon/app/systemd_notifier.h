#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace warmth::app {

// What warmthd tells systemd (sd_notify(3)): READY=1, STATUS=, WATCHDOG=1,
// STOPPING=1. Outside systemd every call does nothing. Times are on the
// monotonic clock: a wall clock set back must not silence the watchdog.
// Loop thread only.
class SystemdNotifier {
 public:
  using Steady = std::chrono::steady_clock;

  // Reads the watchdog period (sd_watchdog_enabled) and $NOTIFY_SOCKET.
  SystemdNotifier();

  void Ready();     // READY=1: the store is open and every socket bound
  void Stopping();  // STOPPING=1 and STATUS=Stopping

  // WATCHDOG=1, when half the unit's WatchdogSec has passed since the last.
  void Watchdog();
  // Time left until Watchdog() is due (negative: overdue); nullopt when the
  // unit has no watchdog.
  std::optional<Steady::duration> UntilWatchdog() const;
  // Half the unit's WatchdogSec: how often Watchdog() beats; zero without one.
  Steady::duration watchdog_interval() const { return watchdog_interval_; }

  // STATUS=`describe()`: always when `force`, else at most every 30 s.
  // `describe` is called only when a status is sent.
  void Status(bool force, const std::function<std::string()>& describe);

 private:
  Steady::duration watchdog_interval_{0};  // zero: no watchdog
  Steady::time_point last_watchdog_{};
  Steady::time_point last_status_{};
  bool notify_socket_ = false;
};

}  // namespace warmth::app
