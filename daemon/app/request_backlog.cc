#include "daemon/app/request_backlog.h"

#include <algorithm>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>

namespace warmth::app {

bool RequestBacklog::Push(transport::Envelope& request) {
  const std::size_t size = request.payload.size();
  if (requests_.size() < kMaxRequests && bytes_ + size <= kMaxBytes) {
    bytes_ += size;
    requests_.push_back(std::move(request));
    return true;
  }
  ++shed_since_log_;
  return false;
}

core::Status RequestBacklog::Busy() const {
  return core::Status::ResourceExhausted(
      "warmthd is busy (" + std::to_string(requests_.size()) +
      " requests queued); nothing of this request was saved, retry shortly");
}

void RequestBacklog::LogShed(core::TimePoint now) {
  if (shed_since_log_ > 0 && now - shed_logged_at_ >= std::chrono::seconds(1)) {
    spdlog::warn(
        "busy: answered {} requests RESOURCE_EXHAUSTED (backlog full: {} requests, {} "
        "bytes)",
        shed_since_log_, requests_.size(), bytes_);
    shed_since_log_ = 0;
    shed_logged_at_ = now;
  }
}

std::vector<transport::Envelope> RequestBacklog::Take(std::size_t max) {
  std::vector<transport::Envelope> taken;
  taken.reserve(std::min(requests_.size(), max));
  while (!requests_.empty() && taken.size() < max) {
    bytes_ -= requests_.front().payload.size();
    taken.push_back(std::move(requests_.front()));
    requests_.pop_front();
  }
  return taken;
}

std::deque<transport::Envelope> RequestBacklog::TakeAll() {
  bytes_ = 0;
  return std::exchange(requests_, {});
}

}  // namespace warmth::app
