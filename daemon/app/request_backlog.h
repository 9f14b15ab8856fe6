#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "daemon/core/status.h"
#include "daemon/core/time.h"
#include "daemon/transport/sockets.h"

namespace warmth::app {

// Requests handled per turn. Clients pipelining more than this keep a
// window of 2-4x it (TOOLING.md).
inline constexpr std::size_t kMaxRequestsPerTurn = 256;
// Requests that share one commit at most: what turns handled while the
// commit before was in flight. Under load a commit's pages (contact_events
// is clustered by contact) are written once for more events; at 8 clients
// and 1 interaction per request, 1024 gave 1.35x and 1.47x the ingest rate
// of 256 in two A/B runs (docs/performance.md).
inline constexpr std::size_t kMaxRequestsPerCommit = 4 * kMaxRequestsPerTurn;
// Back-pressure. Each turn reads up to kMaxReadsPerTurn requests off the
// socket into the backlog (ZeroMQ's own pipes hold at most RCVHWM = 1000
// messages per client besides). Reading ahead of what a turn handles is what
// lets the daemon see a client outrunning the store: once the backlog holds
// RequestBacklog::kMaxRequests requests or kMaxBytes, further requests are
// answered RESOURCE_EXHAUSTED at once, undecoded, instead of queueing without
// bound. The bounds leave room for several clients with a window of 4x the
// turn.
inline constexpr std::size_t kMaxReadsPerTurn = 4 * kMaxRequestsPerTurn;

// Requests received and not yet handled, oldest first, bounded by count and
// bytes. Counts the requests it turned away and logs them, at most once a
// second. Loop thread only.
class RequestBacklog {
 public:
  static constexpr std::size_t kMaxRequests = 16 * kMaxRequestsPerTurn;
  static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;

  // Queues `request` (moved from) if it fits and returns true. Otherwise
  // counts it as shed and returns false: answer it with Busy().
  bool Push(transport::Envelope& request);
  // RESOURCE_EXHAUSTED for a request Push() turned away.
  core::Status Busy() const;
  // Logs (warn) how many requests were shed since the last such line, at
  // most once a second of `now`.
  void LogShed(core::TimePoint now);

  // Removes and returns up to `max` of the oldest requests.
  std::vector<transport::Envelope> Take(std::size_t max);
  // Removes and returns everything.
  std::deque<transport::Envelope> TakeAll();

  bool empty() const { return requests_.empty(); }
  std::size_t size() const { return requests_.size(); }

 private:
  std::deque<transport::Envelope> requests_;
  std::size_t bytes_ = 0;
  std::int64_t shed_since_log_ = 0;
  core::TimePoint shed_logged_at_{};
};

}  // namespace warmth::app
