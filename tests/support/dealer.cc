#include "tests/support/dealer.h"

#include <iterator>
#include <vector>

#include <gtest/gtest.h>
#include <zmq_addon.hpp>

namespace warmth::testing {

PipelinedDealer::PipelinedDealer(zmq::context_t& context, const std::string& endpoint, int rcvhwm)
    : socket_(context, zmq::socket_type::dealer) {
  socket_.set(zmq::sockopt::sndhwm, 0);
  socket_.set(zmq::sockopt::rcvhwm, rcvhwm);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.connect(endpoint);
}

void PipelinedDealer::Send(const v1::Request& request) {
  const std::string bytes = request.SerializeAsString();
  socket_.send(zmq::message_t(), zmq::send_flags::sndmore);
  socket_.send(zmq::buffer(bytes), zmq::send_flags::none);
}

std::optional<v1::Reply> PipelinedDealer::Receive(std::chrono::milliseconds timeout) {
  socket_.set(zmq::sockopt::rcvtimeo, static_cast<int>(timeout.count()));
  std::vector<zmq::message_t> frames;
  if (!zmq::recv_multipart(socket_, std::back_inserter(frames))) {
    return std::nullopt;
  }
  v1::Reply reply;
  if (!reply.ParseFromArray(frames.back().data(), static_cast<int>(frames.back().size()))) {
    ADD_FAILURE() << "a reply that is not a warmth.v1.Reply";
    return std::nullopt;
  }
  return reply;
}

}  // namespace warmth::testing
