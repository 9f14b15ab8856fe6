#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <sqlite3.h>
#include <zmq.hpp>

#include "daemon/core/status.h"

// The baselines warmthd's ingest is measured against (docs/performance.md):
// a ROUTER that acknowledges without storing, SQLite alone, and the minimal
// durable pipeline.
namespace warmth::bench {

// How a server thread answers each warmth.v1.Request.
enum class ServerKind {
  // Parses the request and replies at once with an IngestResult of one
  // ACCEPTED item per interaction (event id and contacts, the shape warmthd
  // replies in). Stores nothing: the ack limit of ZeroMQ and protobuf.
  kRawAck,
  // Drains what the socket holds (up to kMaxRequestsPerCommit requests),
  // writes all of it in one transaction of the store's own schema
  // (synchronous=FULL, WAL) with INSERT OR IGNORE on the store's idempotency
  // key (occurred_at, event_id), commits, then sends every reply: ACCEPTED
  // for a row inserted, DUPLICATE for one ignored.
  kPipeline,
};

// As many requests as warmthd handles in one turn (kMaxRequestsPerTurn), so
// that both commit groups of the same size at most.
inline constexpr std::size_t kMaxRequestsPerCommit = 256;

// A ROUTER bound to `endpoint`, served by a thread of its own until Stop().
// kPipeline writes to a new SQLite file at `db_path`.
class BaselineServer {
 public:
  // Binds (throws zmq::error_t when it cannot) and starts the thread.
  BaselineServer(zmq::context_t& context, const std::string& endpoint, ServerKind kind,
                 const std::string& db_path = "");
  ~BaselineServer();
  BaselineServer(const BaselineServer&) = delete;
  BaselineServer& operator=(const BaselineServer&) = delete;

  // Stops and joins the thread. The first error it met (a request it could
  // not parse, SQLite failing), else Ok.
  core::Status Stop();

 private:
  void Run();
  core::Status Serve();
  core::Status ServeRaw();
  core::Status ServePipeline();

  zmq::socket_t socket_;
  ServerKind kind_;
  std::string db_path_;
  std::atomic<bool> stop_{false};
  core::Status status_;  // written by the thread, read after join
  std::thread thread_;
};

// Opens a new SQLite file at `path` as warmthd's store does (WAL,
// synchronous=FULL) and creates the store's schema with its migrations.
// The caller closes the handle with sqlite3_close.
core::Result<sqlite3*> OpenStoreFile(const std::string& path);

// Rows in the interactions table of the store file at `path`: what a run left
// on disk, to compare with the acks it got.
core::Result<std::int64_t> CountInteractions(const std::string& path);

// What a bare SQLite run did.
struct SqliteReport {
  std::int64_t rows = 0;
  double seconds = 0;
  std::vector<double> latencies_us;  // per transaction, BEGIN to COMMIT, sorted
};

// Inserts the interactions warmth-load would send (client 0's: prefix "c0",
// the same seed, pool and times) into a new store file at `path`, `per_txn`
// rows per transaction, one writer, no ZeroMQ; stops after `events` rows or
// once `duration` (0: none) has passed.
core::Result<SqliteReport> RunBareSqlite(const std::string& path, int per_txn, std::int64_t events,
                                         std::chrono::milliseconds duration, int contacts);

}  // namespace warmth::bench
