#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace warmth::app {

// A log that lets at most `limit` lines through per `window` and counts the
// rest; when the next window opens it first logs (warn) "N more WHAT were
// not logged". For what clients can trigger at will (bad requests, refused
// connections), so that they cannot flood the journal. Loop thread only.
class RateLimitedLog {
 public:
  RateLimitedLog(int limit, std::chrono::nanoseconds window, std::string what)
      : limit_(limit), window_(window), what_(std::move(what)) {}

  // Whether a line may be logged at `now`: the time since the epoch of the
  // caller's clock, the same clock on every call. False: counted instead.
  bool Allow(std::chrono::nanoseconds now);

 private:
  int limit_;
  std::chrono::nanoseconds window_;
  std::string what_;
  std::chrono::nanoseconds window_start_{0};
  int logged_in_window_ = 0;
  std::int64_t suppressed_ = 0;
};

}  // namespace warmth::app
