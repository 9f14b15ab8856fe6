#include "daemon/app/systemd_notifier.h"

#include <cstdint>
#include <cstdlib>

#include <systemd/sd-daemon.h>

namespace warmth::app {

SystemdNotifier::SystemdNotifier() {
  std::uint64_t watchdog_usec = 0;
  if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
    // Twice per period, as sd_watchdog_enabled(3) advises.
    watchdog_interval_ =
        std::chrono::duration_cast<Steady::duration>(std::chrono::microseconds(watchdog_usec / 2));
  }
  const char* notify_socket = std::getenv("NOTIFY_SOCKET");
  notify_socket_ = notify_socket != nullptr && *notify_socket != '\0';
}

void SystemdNotifier::Ready() {
  sd_notify(0, "READY=1");
}

void SystemdNotifier::Stopping() {
  sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
}

void SystemdNotifier::Watchdog() {
  if (watchdog_interval_ <= Steady::duration::zero()) {
    return;
  }
  const auto now = Steady::now();
  if (now - last_watchdog_ >= watchdog_interval_) {
    sd_notify(0, "WATCHDOG=1");
    last_watchdog_ = now;
  }
}

std::optional<SystemdNotifier::Steady::duration> SystemdNotifier::UntilWatchdog() const {
  if (watchdog_interval_ <= Steady::duration::zero()) {
    return std::nullopt;
  }
  return last_watchdog_ + watchdog_interval_ - Steady::now();
}

void SystemdNotifier::Status(bool force, const std::function<std::string()>& describe) {
  if (!notify_socket_) {
    return;
  }
  const auto now = Steady::now();
  if (!force && now - last_status_ < std::chrono::seconds(30)) {
    return;
  }
  last_status_ = now;
  sd_notifyf(0, "STATUS=%s", describe().c_str());
}

}  // namespace warmth::app
