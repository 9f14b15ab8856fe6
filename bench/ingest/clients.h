#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "daemon/core/status.h"

namespace warmth::bench {

// One row of warmth-bench's output: a mode under one load.
struct Measurement {
  std::string mode;  // raw, sqlite, pipeline, warmthd, warmthd-known, warmthd-new
  int per_request = 1;
  int clients = 1;
  std::int64_t events = 0;  // sent (and for sqlite, inserted)
  std::int64_t accepted = 0;
  std::int64_t duplicate = 0;
  std::int64_t rejected = 0;
  std::int64_t busy = 0;    // RESOURCE_EXHAUSTED/UNAVAILABLE replies, each resent
  std::int64_t resent = 0;  // requests sent again (busy or timed out)
  double seconds = 0;       // first send to last ack
  double p50_ms = 0;        // send to ack of a request (sqlite: BEGIN to COMMIT)
  double p99_ms = 0;
  double ratio = 0;  // events_per_s over the raw row's of the same load; 0 when none

  double events_per_s() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
  // Every event sent was acknowledged ACCEPTED, once.
  bool complete() const {
    return events > 0 && accepted == events && duplicate == 0 && rejected == 0;
  }
};

// The load every client of a run sends: warmth-load's interactions.
struct ClientLoad {
  std::string endpoint;
  int per_request = 1;
  int clients = 1;          // DEALERs, each in a thread of its own with its own window
  int window = 500;         // requests in flight per client
  std::int64_t events = 0;  // in all, split evenly over the clients
  std::chrono::milliseconds duration{0};  // 0: send all events; else stop sending after this
  // Each client its own pool of `contacts` (client k: p<k*contacts>…), so
  // that no contact's events arrive out of time order from two clients
  // (warmthd refolds a history for those: a backfill, not this benchmark).
  int contacts = 200;
  int contact_digits = 0;       // zero-padded contact numbers (the same id length in a pair)
  bool fresh_contacts = false;  // every interaction names contacts never named before
  std::chrono::milliseconds timeout{30000};  // a request unanswered this long is sent again
  // Events a second in all, split evenly over the clients; 0: as fast as
  // the windows allow (saturated).
  double events_per_s = 0;
};

// Runs load.clients warmth-load clients (RunLoad) at once against
// load.endpoint and merges their reports: events and outcomes summed, the
// time from the common start to the last ack, percentiles over every
// request's latency. Fails with the first client that failed.
core::Result<Measurement> RunClients(zmq::context_t& context, const ClientLoad& load);

// The p-quantile (0..1) of sorted values; 0 when empty.
double Quantile(const std::vector<double>& sorted, double p);

}  // namespace warmth::bench
