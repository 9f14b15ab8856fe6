#include "daemon/app/rate_limited_log.h"

#include <spdlog/spdlog.h>

namespace warmth::app {

bool RateLimitedLog::Allow(std::chrono::nanoseconds now) {
  if (now - window_start_ >= window_) {
    if (suppressed_ > 0) {
      spdlog::warn("{} more {} were not logged", suppressed_, what_);
    }
    window_start_ = now;
    logged_in_window_ = 0;
    suppressed_ = 0;
  }
  if (logged_in_window_ >= limit_) {
    ++suppressed_;
    return false;
  }
  ++logged_in_window_;
  return true;
}

}  // namespace warmth::app
