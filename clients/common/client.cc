#include "clients/common/client.h"

#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include <unistd.h>

#include "daemon/transport/codec.h"

namespace warmth::client {
namespace {

using core::Status;

bool Retryable(v1::Error::Code code) {
  return code == v1::Error::UNAVAILABLE || code == v1::Error::RESOURCE_EXHAUSTED;
}

// The batches of one Client::IngestAll: those waiting to be (re)sent, those
// in flight, how often each was sent, and what the replies counted.
class IngestRun {
 public:
  IngestRun(std::span<const v1::Interaction> interactions, const Client::IngestOptions& options,
            const std::function<void(std::int64_t)>& progress)
      : interactions_(interactions),
        options_(options),
        progress_(progress),
        batch_(static_cast<std::size_t>(std::max(1, options.batch_size))) {
    const std::size_t batches = (interactions_.size() + batch_ - 1) / batch_;
    for (std::size_t i = batches; i-- > 0;) {
      queue_.push_back(i);
    }
    attempts_.assign(batches, 0);
  }

  // Every batch has had its reply.
  bool Finished() const { return queue_.empty() && in_flight_.empty(); }

  // A batch waits and the window has room for it.
  bool CanSend() const {
    return !queue_.empty() && static_cast<int>(in_flight_.size()) < std::max(1, options_.window);
  }

  // The request for the next waiting batch, as `request_id`; from now on in flight.
  v1::Request NextRequest(const std::string& request_id) {
    const std::size_t index = queue_.back();
    queue_.pop_back();
    v1::Request request;
    request.set_request_id(request_id);
    auto* ingest = request.mutable_ingest();
    const std::size_t end = std::min(interactions_.size(), (index + 1) * batch_);
    for (std::size_t i = index * batch_; i < end; ++i) {
      *ingest->add_interactions() = interactions_[i];
    }
    ++attempts_[index];
    in_flight_[request.request_id()] =
        InFlight{index, attempts_[index], std::chrono::steady_clock::now()};
    return request;
  }

  // No reply came in time: queues every batch in flight again. False when
  // one of them is out of retries.
  bool RequeueOutstanding() {
    std::vector<std::size_t> resend;
    resend.reserve(in_flight_.size());
    for (const auto& [id, f] : in_flight_) {
      resend.push_back(f.index);
    }
    in_flight_.clear();
    for (std::size_t index : resend) {
      if (attempts_[index] > options_.retries) {
        return false;
      }
      queue_.push_back(index);
    }
    return true;
  }

  // Takes in one reply: counts its items (and reports progress), queues its
  // batch again after a retryable error, or fails with the error.
  Status OnReply(const v1::Reply& reply) {
    const auto it = in_flight_.find(reply.request_id());
    if (it == in_flight_.end()) {
      return Status::Ok();  // a late reply to a batch already resent
    }
    const std::size_t index = it->second.index;
    in_flight_.erase(it);
    if (reply.has_error()) {
      if (Retryable(reply.error().code()) && attempts_[index] <= options_.retries) {
        // Back off a little: the daemon is busy or its store is failing.
        std::this_thread::sleep_for(std::chrono::milliseconds(50) * attempts_[index]);
        queue_.push_back(index);
        return Status::Ok();
      }
      return StatusOf(reply);
    }
    Count(reply.ingest());
    if (progress_) {
      progress_(done_);
    }
    return Status::Ok();
  }

  Client::IngestTotals TakeTotals() { return std::move(totals_); }

 private:
  struct InFlight {
    std::size_t index;
    int attempts;
    std::chrono::steady_clock::time_point sent;
  };

  void Count(const v1::IngestResult& result) {
    for (const auto& item : result.items()) {
      switch (item.outcome()) {
        case v1::IngestResult::ACCEPTED:
          ++totals_.accepted;
          break;
        case v1::IngestResult::DUPLICATE:
          ++totals_.duplicate;
          break;
        default:
          ++totals_.rejected;
          if (totals_.rejections.size() < 100) {
            totals_.rejections.emplace_back(item.event_id(), item.reason());
          }
      }
      ++done_;
    }
  }

  std::span<const v1::Interaction> interactions_;
  const Client::IngestOptions& options_;
  const std::function<void(std::int64_t)>& progress_;
  const std::size_t batch_;
  std::map<std::string, InFlight> in_flight_;
  std::vector<std::size_t> queue_;  // batches to (re)send, back = next
  std::vector<int> attempts_;
  std::int64_t done_ = 0;
  Client::IngestTotals totals_;
};

}  // namespace

Status StatusOf(const v1::Reply& reply) {
  if (!reply.has_error()) {
    return Status::Ok();
  }
  const int code = reply.error().code();
  return Status(code > 0 && code <= static_cast<int>(core::Code::kInternal)
                    ? static_cast<core::Code>(code)
                    : core::Code::kInternal,
                reply.error().message());
}

std::string RandomId() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> dist;
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(dist(rd)),
                static_cast<unsigned long long>(dist(rd)));
  return buf;
}

Client::Client(zmq::context_t& context, ClientOptions options)
    : context_(context), options_(std::move(options)) {
  id_prefix_ = std::to_string(::getpid()) + "-" + RandomId().substr(0, 6) + "-";
}

std::string Client::NextRequestId() {
  return id_prefix_ + std::to_string(next_id_++);
}

Status Client::Connect() {
  if (socket_) {
    return Status::Ok();
  }
  const std::string path = transport::IpcPath(options_.endpoint);
  if (!path.empty() && !std::filesystem::exists(path)) {
    return Status::Unavailable("warmthd is not running (no socket at " + path + ")");
  }
  zmq::socket_t socket(context_, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  // Queue nothing for a peer that is not connected: then POLLOUT tells us
  // that the daemon is really there (and, with CURVE, accepted our key).
  socket.set(zmq::sockopt::immediate, 1);
  socket.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(64) << 20);
  if (options_.setup) {
    options_.setup(socket);
  }
  try {
    socket.connect(options_.endpoint);
  } catch (const zmq::error_t& e) {
    return Status::InvalidArgument("endpoint " + options_.endpoint + ": " + e.what());
  }
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLOUT, 0};
  zmq::poll(&item, 1, options_.connect_timeout);
  if ((item.revents & ZMQ_POLLOUT) == 0) {
    return Status::Unavailable(path.empty()
                                   ? "cannot reach warmthd at " + options_.endpoint +
                                         " (is it running, and is this client's key authorized?)"
                                   : "warmthd is not running (nothing listens at " + path + ")");
  }
  socket_ = std::move(socket);
  return Status::Ok();
}

Status Client::Send(const v1::Request& request) {
  const std::string bytes = request.SerializeAsString();
  socket_->send(zmq::message_t(), zmq::send_flags::sndmore);
  if (!socket_->send(zmq::buffer(bytes), zmq::send_flags::dontwait)) {
    return Status::Unavailable("warmthd is not accepting requests at " + options_.endpoint);
  }
  return Status::Ok();
}

std::optional<v1::Reply> Client::Receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::max(left, std::chrono::milliseconds(0)));
    if ((item.revents & ZMQ_POLLIN) == 0) {
      return std::nullopt;
    }
    std::vector<zmq::message_t> frames;
    (void)zmq::recv_multipart(*socket_, std::back_inserter(frames));
    v1::Reply reply;
    if (!frames.empty() &&
        reply.ParseFromArray(frames.back().data(), static_cast<int>(frames.back().size()))) {
      return reply;
    }
  }
}

core::Result<v1::Reply> Client::Call(v1::Request request) {
  if (Status s = Connect(); !s.ok()) {
    return s;
  }
  request.set_request_id(NextRequestId());
  if (Status s = Send(request); !s.ok()) {
    return s;
  }
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto reply = Receive(std::max(left, std::chrono::milliseconds(0)));
    if (!reply) {
      // Drop the socket: a late reply must not be taken for the next one.
      socket_.reset();
      return Status::Unavailable("no reply from warmthd at " + options_.endpoint + " within " +
                                 std::to_string(options_.timeout.count() / 1000) + " s");
    }
    if (reply->request_id() == request.request_id()) {
      if (Status s = StatusOf(*reply); !s.ok()) {
        return s;
      }
      return std::move(*reply);
    }
    // An error about a frame we never sent whole has no id; others are stale.
  }
}

core::Result<Client::IngestTotals> Client::IngestAll(
    std::span<const v1::Interaction> interactions, const IngestOptions& options,
    const std::function<void(std::int64_t)>& progress) {
  if (interactions.empty()) {
    return IngestTotals{};
  }
  if (Status s = Connect(); !s.ok()) {
    return s;
  }
  IngestRun run(interactions, options, progress);
  while (!run.Finished()) {
    while (run.CanSend()) {
      if (Status s = Send(run.NextRequest(NextRequestId())); !s.ok()) {
        return s;
      }
    }
    auto reply = Receive(options_.timeout);
    if (!reply) {
      // Nothing came back in time: resend what is outstanding.
      if (!run.RequeueOutstanding()) {
        return Status::Unavailable("no reply from warmthd at " + options_.endpoint);
      }
      continue;
    }
    if (Status s = run.OnReply(*reply); !s.ok()) {
      return s;
    }
  }
  return run.TakeTotals();
}

Subscriber::Subscriber(zmq::context_t& context, const std::string& endpoint,
                       const transport::SocketSetup& setup, const std::vector<std::string>& kinds)
    : socket_(context, zmq::socket_type::sub) {
  socket_.set(zmq::sockopt::linger, 0);
  if (setup) {
    setup(socket_);
  }
  if (kinds.empty()) {
    socket_.set(zmq::sockopt::subscribe, "nudge.");
  }
  for (const auto& kind : kinds) {
    socket_.set(zmq::sockopt::subscribe, "nudge." + kind);
  }
  socket_.connect(endpoint);
}

std::optional<v1::Nudge> Subscriber::Receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (auto p = NextBefore(deadline)) {
    if (!p->closed) {
      return std::move(p->nudge);
    }
  }
  return std::nullopt;
}

std::optional<Publication> Subscriber::Next(std::chrono::milliseconds timeout) {
  return NextBefore(std::chrono::steady_clock::now() + timeout);
}

std::optional<Publication> Subscriber::NextBefore(std::chrono::steady_clock::time_point deadline) {
  while (true) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::max(left, std::chrono::milliseconds(0)));
    if ((item.revents & ZMQ_POLLIN) == 0) {
      return std::nullopt;
    }
    std::vector<zmq::message_t> frames;
    (void)zmq::recv_multipart(socket_, std::back_inserter(frames));
    Publication p;
    if (frames.size() == 2 &&
        p.nudge.ParseFromArray(frames[1].data(), static_cast<int>(frames[1].size()))) {
      p.closed = frames[0].to_string_view() == transport::kClosedTopic;
      return p;
    }
  }
}

}  // namespace warmth::client
