#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "daemon/core/status.h"
#include "daemon/core/types.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::transport {

// Applied to a socket before it binds or connects: security (CURVE) lives
// here so that the servers themselves stay plain.
using SocketSetup = std::function<void(zmq::socket_t&)>;

// For ipc:// endpoints: creates the socket's directory with mode 0700 and
// refuses one that others can enter or that belongs to someone else (the
// file system is the access control). Other transports: Ok.
core::Status PrepareEndpoint(const std::string& endpoint);

// The file behind an ipc:// endpoint ("" for other transports).
std::string IpcPath(const std::string& endpoint);

// One request as it arrived on the ROUTER.
struct Envelope {
  std::vector<zmq::message_t> route;  // [routing id] or [routing id][empty]
  zmq::message_t payload;
  std::string user_id;       // ZAP User-Id: the authenticated client key; "" without CURVE
  std::string peer_address;  // for logs
};

// The API socket: a ROUTER bound to one endpoint. Loop thread only.
class ApiServer {
 public:
  // Binds; throws zmq::error_t when the endpoint cannot be bound.
  ApiServer(zmq::context_t& context, const std::string& endpoint, const SocketSetup& setup = {});

  zmq::socket_t& socket() { return socket_; }
  // The endpoint actually bound (tcp://…:0 resolved to its port).
  const std::string& endpoint() const { return endpoint_; }

  // Receives up to `max` requests without blocking. A message that is not
  // [id][empty][payload] or [id][payload] gets an INVALID_ARGUMENT reply here
  // and is not returned.
  std::vector<Envelope> Drain(std::size_t max);
  // Sends `reply` back along the envelope's route (consumes the route).
  void Send(Envelope& envelope, const v1::Reply& reply);
  // Replies with an Error and no request id.
  void SendError(Envelope& envelope, const core::Status& status, const std::string& request_id);

 private:
  zmq::socket_t socket_;
  std::string endpoint_;
  std::string buffer_;
};

// The nudge socket: a PUB; each nudge goes out as [topic][Nudge].
class NudgePublisher {
 public:
  NudgePublisher(zmq::context_t& context, const std::string& endpoint,
                 const SocketSetup& setup = {});
  // A nudge just published: [nudge.<kind>][Nudge].
  void Publish(const core::Nudge& nudge);
  // A published nudge in its new state: [nudge.closed][Nudge].
  void PublishClosed(const core::Nudge& nudge);
  zmq::socket_t& socket() { return socket_; }
  const std::string& endpoint() const { return endpoint_; }

 private:
  void Send(std::string_view topic, const core::Nudge& nudge);

  zmq::socket_t socket_;
  std::string endpoint_;
};

}  // namespace warmth::transport
