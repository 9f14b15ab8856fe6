#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "daemon/core/status.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::bench {

namespace v1 = ::warmth::v1;

// What warmth-load sends and how.
struct LoadOptions {
  std::string endpoint;          // the daemon's API endpoint
  std::string prefix = "load";   // event ids are "<prefix>-<n>", n from 0
  std::int64_t events = 100000;  // how many interactions in all
  int batch = 100;               // interactions per request
  int window = 16;               // requests in flight
  int contacts = 50;             // identifier pool: p0@load.test … p<contacts-1>@load.test
  // The pool starts at p<contact_offset>: clients given disjoint pools never
  // send one contact's events out of time order to each other.
  std::int64_t contact_offset = 0;
  int contact_digits = 0;  // contact numbers padded with zeros to this width (0: none)
  // Every interaction names contacts that no other one names: interaction n's
  // are p<contact_offset + 3n + i>, i < 3 (`contacts` is ignored). The random
  // choices are those of the pooled load, so the messages have the same shape.
  bool fresh_contacts = false;
  std::chrono::milliseconds timeout{5000};     // an unanswered request is sent again after this
  std::chrono::milliseconds deadline{120000};  // gives up when not done by then
  // 0: send all `events`. Otherwise no new batch is sent once this long has
  // passed since the start; the run ends when the batches sent are
  // acknowledged, and LoadReport::events counts only theirs.
  std::chrono::milliseconds duration{0};
  // At most this many new requests a second, evenly spaced (a paced load,
  // for latency below saturation); 0: as fast as the window allows.
  double requests_per_s = 0;
  // Percent of events (0-100) given a random time in the year before the
  // run (a backfill: each one makes its contacts refold their histories);
  // the others are 1 ms apart in event order, ending at the start of the run.
  int backfill_percent = 0;
  std::uint64_t seed = 1;  // what the events look like; same seed, same events
  std::string ack_log;     // "" or a file: one line per item of every reply
  bool fsync = false;      // fsync the ack log after each reply
};

// What happened. Outcomes count every item of every reply, late replies to a
// request already sent again included: a retried event that the daemon had
// committed comes back DUPLICATE.
struct LoadReport {
  std::int64_t events = 0;
  std::int64_t accepted = 0;
  std::int64_t duplicate = 0;
  std::int64_t rejected = 0;
  std::int64_t requests = 0;  // sent, resends included
  std::int64_t resent = 0;    // after a timeout, a lost connection or a busy reply
  std::int64_t busy = 0;      // RESOURCE_EXHAUSTED or UNAVAILABLE replies
  double seconds = 0;
  // Send to reply of each answered request, in microseconds.
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double max_us = 0;
  std::vector<double> latencies_us;  // all of them, sorted, for merging runs

  double acks_per_second() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
  // One line of key=value pairs.
  std::string Line() const;
};

// Interaction `n` of a run: a function of (seed, prefix, n, base time) only,
// so that a resent batch carries exactly the same events. One to three
// contacts from the pool, random channel and direction.
v1::Interaction MakeInteraction(const LoadOptions& options, std::int64_t n,
                                std::chrono::system_clock::time_point base);

// Sends options.events interactions (fewer with options.duration) over one DEALER socket, keeping
// options.window requests in flight, until every batch has an ingest reply.
// Resends a batch on timeout, on a lost connection (the daemon restarts) and
// on RESOURCE_EXHAUSTED/UNAVAILABLE (with a growing pause). Fails on any
// other error reply or when the deadline passes; REJECTED items are counted. Writes
// "A|D|R <event_id>" lines to options.ack_log as replies arrive. One thread.
core::Result<LoadReport> RunLoad(zmq::context_t& context, const LoadOptions& options);

}  // namespace warmth::bench
