#include "clients/mail/progress.h"

#include <cmath>
#include <cstdio>

namespace warmth::mail {

Progress::Progress(std::ostream& out, bool enabled, std::string unit)
    : out_(out),
      enabled_(enabled),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()) {}

std::string Progress::Clock(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

std::string Progress::Line(std::int64_t done, std::int64_t total, const std::string& unit,
                           double elapsed_s, std::int64_t messages) {
  constexpr int kWidth = 24;
  std::string line;
  const double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0;
  char buf[128];
  if (total > 0) {
    const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int filled = static_cast<int>(frac * kWidth);
    line = "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "]";
    std::snprintf(buf, sizeof buf, " %3d%%  %lld/%lld %s", static_cast<int>(frac * 100),
                  static_cast<long long>(done), static_cast<long long>(total), unit.c_str());
  } else {
    std::snprintf(buf, sizeof buf, "%lld %s", static_cast<long long>(done), unit.c_str());
  }
  line += buf;
  if (messages >= 0) {
    line += "  " + std::to_string(messages) + " messages";
  }
  std::snprintf(buf, sizeof buf, "  %.0f %s/s", rate, unit.c_str());
  line += buf;
  if (total > 0 && rate > 0 && done < total) {
    line += "  ETA " + Clock(static_cast<double>(total - done) / rate);
  }
  return line;
}

void Progress::Update(std::int64_t done, std::int64_t total, std::int64_t messages) {
  if (!enabled_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  out_ << '\r' << Line(done, total, unit_, elapsed, messages) << "\x1b[K" << std::flush;
}

void Progress::Finish() {
  if (enabled_ && drawn_) {
    out_ << "\r\x1b[K" << std::flush;
  }
  drawn_ = false;
}

}  // namespace warmth::mail
