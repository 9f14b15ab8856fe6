#pragma once

#include <cstdint>
#include <string>

#include <zmq.hpp>

#include "daemon/core/status.h"

// warmth-bench --scale: warmthd on a store of N contacts and M interactions,
// against a bare scan of the same store's contacts table
// (docs/performance.md, "At scale through the daemon").
namespace warmth::bench {

struct ScaleLoad {
  std::int64_t contacts = 10'000;
  // Stored interactions per contact: every contact is named once in each
  // round, rounds in time order, over the two years before the run.
  int per_contact = 10;
  // Every k-th contact is given a circle before its interactions (the
  // others stay unsorted, created by their first interaction).
  int sorted_every = 10;
  int queries = 200;  // of each kind, after one of each to warm up
  std::string warmthd;
};

// p50 and p99 of one kind of query, send to reply, in microseconds.
struct QueryTimes {
  double p50_us = 0;
  double p99_us = 0;
};

struct ScaleReport {
  std::int64_t contacts = 0;      // as warmthd counts them once loaded
  std::int64_t interactions = 0;  // as warmthd counts them once loaded
  double build_s = 0;             // writing the store through the engine's journal
  std::int64_t store_bytes = 0;   // the database file after a checkpoint
  double scan_s = 0;              // SELECT of every column of every contacts row, warm cache
  double check_s = 0;             // PRAGMA quick_check, which warmthd runs on opening the store
  double startup_s = 0;           // spawn to warmthd's first reply, warm cache
  std::int64_t rss_kib = 0;       // warmthd's VmRSS after the queries
  QueryTimes list;                // ListContacts: unsorted too, limit 50 (warmctl list --all -n 50)
  QueryTimes get;                 // GetContact by a random identifier, no recent list
  QueryTimes nudges;              // ListNudges: pending, limit 50
};

// Writes the store of `load` into dir/data/warmth.db (through core::Engine
// and store::SqliteStore, as warmthd writes), scans it, starts `load.warmthd`
// on it, times the queries and stops it. Fails when a step fails or warmthd
// loads other counts than were written.
core::Result<ScaleReport> RunScale(zmq::context_t& context, const ScaleLoad& load,
                                   const std::string& dir);

// warmthd's VmRSS (KiB) on an empty store in `dir` after its first reply:
// the fixed base that RSS per contact is counted from.
core::Result<std::int64_t> BaseRssKib(zmq::context_t& context, const std::string& warmthd,
                                      const std::string& dir);

}  // namespace warmth::bench
