#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "daemon/core/status.h"
#include "daemon/transport/sockets.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::client {

namespace v1 = ::warmth::v1;

struct ClientOptions {
  std::string endpoint;                             // the daemon's API endpoint
  std::chrono::milliseconds connect_timeout{1500};  // to find the daemon at all
  std::chrono::milliseconds timeout{10000};         // for each reply
  transport::SocketSetup setup;                     // e.g. CURVE keys
};

// A DEALER connection to warmthd. One thread.
class Client {
 public:
  Client(zmq::context_t& context, ClientOptions options);

  // Sends `request` (its request_id is filled in) and waits for the reply.
  // kUnavailable "warmthd is not running …" when nothing listens, or when no
  // reply comes in time; a reply's Error comes back as its Status.
  core::Result<v1::Reply> Call(v1::Request request);

  const std::string& endpoint() const { return options_.endpoint; }

  struct IngestOptions {
    int batch_size = 500;  // interactions per request
    int window = 8;        // requests in flight
    int retries = 5;       // per batch, on UNAVAILABLE, RESOURCE_EXHAUSTED or timeout
  };
  struct IngestTotals {
    std::int64_t accepted = 0;
    std::int64_t duplicate = 0;
    std::int64_t rejected = 0;
    // (event_id, reason) of rejected interactions, at most 100.
    std::vector<std::pair<std::string, std::string>> rejections;
  };
  // Sends every interaction, pipelined, retrying batches the daemon could not
  // take (event ids make retries safe). `progress(done)` runs after each
  // reply. Fails only when a batch still fails after its retries.
  core::Result<IngestTotals> IngestAll(std::span<const v1::Interaction> interactions,
                                       const IngestOptions& options,
                                       const std::function<void(std::int64_t done)>& progress = {});

 private:
  core::Status Connect();
  core::Status Send(const v1::Request& request);
  // Waits for any reply up to `timeout`; nullopt on timeout.
  std::optional<v1::Reply> Receive(std::chrono::milliseconds timeout);
  std::string NextRequestId();

  zmq::context_t& context_;
  ClientOptions options_;
  std::optional<zmq::socket_t> socket_;
  std::uint64_t next_id_ = 1;
  std::string id_prefix_;
};

// One message on the daemon's nudge socket.
struct Publication {
  v1::Nudge nudge;
  // Topic nudge.closed: a nudge published before, acted on now (its state
  // DONE, SNOOZED or DISMISSED). Otherwise a nudge just published.
  bool closed = false;
};

// Subscribes to the daemon's nudges (all kinds, or those named). Without
// `kinds` the subscription ("nudge.") also matches nudge.closed.
class Subscriber {
 public:
  Subscriber(zmq::context_t& context, const std::string& endpoint,
             const transport::SocketSetup& setup = {}, const std::vector<std::string>& kinds = {});
  // The next newly published nudge within `timeout`; nullopt on timeout.
  // Skips bad frames and nudge.closed.
  std::optional<v1::Nudge> Receive(std::chrono::milliseconds timeout);
  // The next message within `timeout`, new or closed; nullopt on timeout.
  // Skips bad frames.
  std::optional<Publication> Next(std::chrono::milliseconds timeout);
  zmq::socket_t& socket() { return socket_; }

 private:
  std::optional<Publication> NextBefore(std::chrono::steady_clock::time_point deadline);

  zmq::socket_t socket_;
};

// Turns a reply's Error into a Status; Ok for other replies.
core::Status StatusOf(const v1::Reply& reply);

// A random 128-bit hex string: event ids for interactions logged by hand.
std::string RandomId();

}  // namespace warmth::client
