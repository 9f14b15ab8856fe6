#include "daemon/transport/sockets.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

#include "daemon/transport/codec.h"

namespace warmth::transport {
namespace {

std::string LastEndpoint(zmq::socket_t& socket, const std::string& fallback) {
  try {
    return socket.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t&) {
    return fallback;
  }
}

std::string Meta(const zmq::message_t& msg, const char* property) {
  // libzmq fails with EINVAL when the property is absent.
  const char* value = zmq_msg_gets(msg.handle(), property);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

std::string IpcPath(const std::string& endpoint) {
  constexpr std::string_view kIpc = "ipc://";
  if (endpoint.rfind(kIpc, 0) != 0) {
    return {};
  }
  return endpoint.substr(kIpc.size());
}

core::Status PrepareEndpoint(const std::string& endpoint) {
  const std::string path = IpcPath(endpoint);
  if (path.empty()) {
    return core::Status::Ok();
  }
  if (path.size() >= 107) {
    return core::Status::InvalidArgument("endpoint " + endpoint +
                                         ": ipc paths must be shorter than 107 bytes");
  }
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) {
    return core::Status::Ok();
  }
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return core::Status::Unavailable("endpoint " + endpoint + ": cannot create " + dir.string() +
                                       ": " + ec.message());
    }
    ::chmod(dir.c_str(), 0700);
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return core::Status::Unavailable("endpoint " + endpoint + ": cannot stat " + dir.string() +
                                     ": " + std::strerror(errno));
  }
  if (st.st_uid != ::getuid()) {
    return core::Status::PermissionDenied("endpoint " + endpoint + ": " + dir.string() +
                                          " belongs to another user");
  }
  if ((st.st_mode & 077) != 0) {
    return core::Status::PermissionDenied("endpoint " + endpoint + ": " + dir.string() +
                                          " is open to other users; run chmod 700 on it");
  }
  return core::Status::Ok();
}

ApiServer::ApiServer(zmq::context_t& context, const std::string& endpoint, const SocketSetup& setup)
    : socket_(context, zmq::socket_type::router) {
  socket_.set(zmq::sockopt::maxmsgsize, kHardFrameLimit);
  socket_.set(zmq::sockopt::sndhwm, kRepliesQueuedPerClient);
  socket_.set(zmq::sockopt::linger, 1000);
  if (setup) {
    setup(socket_);
  }
  socket_.bind(endpoint);
  endpoint_ = LastEndpoint(socket_, endpoint);
}

std::vector<Envelope> ApiServer::Drain(std::size_t max) {
  std::vector<Envelope> out;
  while (out.size() < max) {
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      break;
    }
    Envelope e;
    e.user_id = Meta(frames.back(), "User-Id");
    e.peer_address = Meta(frames.back(), "Peer-Address");
    if (frames.size() == 3 && frames[1].size() == 0) {
      e.payload = std::move(frames[2]);
      frames.pop_back();
      e.route = std::move(frames);
      out.push_back(std::move(e));
    } else if (frames.size() == 2 && frames[1].size() > 0) {
      e.payload = std::move(frames[1]);
      frames.pop_back();
      e.route = std::move(frames);
      out.push_back(std::move(e));
    } else {
      // Keep the routing id and answer in the documented shape.
      e.route.push_back(std::move(frames[0]));
      e.route.emplace_back();
      SendError(e,
                core::Status::InvalidArgument(
                    "request: expected frames [empty][warmth.v1.Request] after the routing id"),
                "");
    }
  }
  return out;
}

void ApiServer::Send(Envelope& envelope, const v1::Reply& reply) {
  buffer_.clear();
  reply.SerializeToString(&buffer_);
  for (zmq::message_t& frame : envelope.route) {
    socket_.send(frame, zmq::send_flags::sndmore);
  }
  // A client gone away: ROUTER drops the reply, which is what we want.
  socket_.send(zmq::buffer(buffer_), zmq::send_flags::none);
  envelope.route.clear();
}

void ApiServer::SendError(Envelope& envelope, const core::Status& status,
                          const std::string& request_id) {
  v1::Reply reply;
  reply.set_request_id(request_id);
  ToProto(status, reply.mutable_error());
  Send(envelope, reply);
}

NudgePublisher::NudgePublisher(zmq::context_t& context, const std::string& endpoint,
                               const SocketSetup& setup)
    : socket_(context, zmq::socket_type::pub) {
  socket_.set(zmq::sockopt::linger, 1000);
  if (setup) {
    setup(socket_);
  }
  socket_.bind(endpoint);
  endpoint_ = LastEndpoint(socket_, endpoint);
}

void NudgePublisher::Publish(const core::Nudge& nudge) {
  Send(Topic(nudge.kind), nudge);
}

void NudgePublisher::PublishClosed(const core::Nudge& nudge) {
  Send(kClosedTopic, nudge);
}

void NudgePublisher::Send(std::string_view topic, const core::Nudge& nudge) {
  v1::Nudge proto;
  ToProto(nudge, &proto);
  const std::string bytes = proto.SerializeAsString();
  socket_.send(zmq::buffer(topic), zmq::send_flags::sndmore);
  socket_.send(zmq::buffer(bytes), zmq::send_flags::none);
}

}  // namespace warmth::transport
