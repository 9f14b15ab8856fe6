#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <zmq.hpp>

#include "warmth/v1/warmth.pb.h"

namespace warmth::testing {

// A DEALER that sends requests without waiting for their replies, as a
// pipelining client does: no send limit, a receive queue of `rcvhwm`
// messages (0: no limit), no linger. Frames as warmthd expects them:
// [empty][warmth.v1.Request].
class PipelinedDealer {
 public:
  PipelinedDealer(zmq::context_t& context, const std::string& endpoint, int rcvhwm = 0);

  void Send(const v1::Request& request);
  // The next reply; nullopt when none comes within `timeout`, or when one
  // is not a warmth.v1.Reply (a test failure, recorded here).
  std::optional<v1::Reply> Receive(std::chrono::milliseconds timeout);

 private:
  zmq::socket_t socket_;
};

}  // namespace warmth::testing
