#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace warmth::mail {

// A one-line progress bar with rate and ETA, redrawn in place ("\r") at most
// ten times a second. Draws nothing when disabled (not a terminal). One thread.
class Progress {
 public:
  // `unit` names what is counted ("messages", "MiB").
  Progress(std::ostream& out, bool enabled, std::string unit);
  // Progress is `done` of `total` (total 0: unknown, no bar or ETA).
  // `messages` is shown beside it when the unit is not messages.
  void Update(std::int64_t done, std::int64_t total, std::int64_t messages = -1);
  // Clears the line.
  void Finish();

  // "1:05", "12:00:03".
  static std::string Clock(double seconds);
  // The line itself, for tests: "[#####     ]  50%  500/1000 messages  250/s  ETA 0:02".
  static std::string Line(std::int64_t done, std::int64_t total, const std::string& unit,
                          double elapsed_s, std::int64_t messages);

 private:
  std::ostream& out_;
  bool enabled_;
  std::string unit_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace warmth::mail
