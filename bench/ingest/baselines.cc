#include "bench/ingest/baselines.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <vector>

#include <zmq_addon.hpp>

#include "bench/load/load.h"
#include "daemon/store/schema.h"
#include "daemon/store/statement.h"
#include "daemon/transport/codec.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::bench {
namespace {

using Clock = std::chrono::steady_clock;
using core::Status;

// The store's own insert (SqliteStore::Prepare), made idempotent here by the
// UNIQUE index on (occurred_at, event_id) alone: warmthd checks a set of
// event-id hashes in memory first, the minimal pipeline only the index.
constexpr char kInsert[] =
    "INSERT OR IGNORE INTO interactions (event_id, occurred_at, channel, direction, source, "
    "tags, received_at, missed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status::Unavailable(what + ": " + sqlite3_errmsg(db));
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return Status::Unavailable("sqlite: " + message);
  }
  return Status::Ok();
}

std::int64_t Micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Binds one interaction to kInsert and runs it: true when a row was inserted,
// false for a duplicate, an error when SQLite fails.
core::Result<bool> Insert(sqlite3* db, store::Statement& insert, const v1::Interaction& in,
                          std::int64_t received_at) {
  const std::vector<std::string> tags(in.tags().begin(), in.tags().end());
  insert.Bind(1, in.event_id())
      .Bind(2, Micros(in.occurred_at()))
      .Bind(3, static_cast<std::int64_t>(in.channel()))
      .Bind(4, static_cast<std::int64_t>(in.direction()))
      .Bind(5, in.source())
      .Bind(6, store::JoinList(tags))
      .Bind(7, received_at)
      .Bind(8, in.missed());
  if (insert.Run() != SQLITE_DONE) {
    return SqliteError(db, "insert");
  }
  return sqlite3_changes(db) == 1;
}

// Fills `reply` for `request`: one item per interaction, the contacts it names
// echoed as warmthd echoes the ones it counted the interaction for.
void AddItem(v1::Reply& reply, const v1::Interaction& in, v1::IngestResult::Outcome outcome) {
  auto* item = reply.mutable_ingest()->add_items();
  item->set_event_id(in.event_id());
  item->set_outcome(outcome);
  if (outcome == v1::IngestResult::ACCEPTED) {
    *item->mutable_contact_ids() = in.contacts();
  }
}

void Send(zmq::socket_t& socket, std::vector<zmq::message_t>& frames, const v1::Reply& reply,
          std::string& buffer) {
  buffer.clear();
  reply.SerializeToString(&buffer);
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
    socket.send(frames[i], zmq::send_flags::sndmore);
  }
  socket.send(zmq::buffer(buffer), zmq::send_flags::none);
}

// [routing id][empty][Request], as a DEALER sends it.
Status Parse(const std::vector<zmq::message_t>& frames, v1::Request& request) {
  if (frames.size() != 3 || !frames[1].empty() ||
      !request.ParseFromArray(frames[2].data(), static_cast<int>(frames[2].size()))) {
    return Status::InvalidArgument("baseline server: not [id][empty][warmth.v1.Request]");
  }
  if (!request.has_ingest()) {
    return Status::InvalidArgument("baseline server: a request other than ingest");
  }
  return Status::Ok();
}

}  // namespace

core::Result<sqlite3*> OpenStoreFile(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    Status s = SqliteError(db, "open " + path);
    sqlite3_close(db);
    return s;
  }
  Status s = Exec(db, "PRAGMA journal_mode=WAL");
  if (s.ok()) {
    s = Exec(db, "PRAGMA synchronous=FULL");
  }
  for (const store::Migration& m : store::Migrations()) {
    if (!s.ok()) {
      break;
    }
    s = Exec(db, "BEGIN");
    if (s.ok()) {
      s = Exec(db, m.sql);
    }
    if (s.ok()) {
      s = Exec(db, "PRAGMA user_version=" + std::to_string(m.version));
    }
    if (s.ok()) {
      s = Exec(db, "COMMIT");
    }
  }
  if (!s.ok()) {
    sqlite3_close(db);
    return s;
  }
  return db;
}

core::Result<std::int64_t> CountInteractions(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Status s = SqliteError(db, "open " + path);
    sqlite3_close(db);
    return s;
  }
  std::int64_t rows = -1;
  {
    store::Statement count(db, "SELECT count(*) FROM interactions");
    if (count.ok() && count.Step() == SQLITE_ROW) {
      rows = count.Int(0);
    }
  }
  Status s = rows < 0 ? SqliteError(db, "count " + path) : Status::Ok();
  sqlite3_close(db);
  if (!s.ok()) {
    return s;
  }
  return rows;
}

BaselineServer::BaselineServer(zmq::context_t& context, const std::string& endpoint,
                               ServerKind kind, const std::string& db_path)
    : socket_(context, zmq::socket_type::router), kind_(kind), db_path_(db_path) {
  socket_.set(zmq::sockopt::maxmsgsize, transport::kHardFrameLimit);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind(endpoint);
  thread_ = std::thread([this] { Run(); });
}

BaselineServer::~BaselineServer() {
  (void)Stop();
}

Status BaselineServer::Stop() {
  stop_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
  return status_;
}

void BaselineServer::Run() {
  try {
    status_ = Serve();
  } catch (const std::exception& e) {
    status_ = Status::Internal(std::string("baseline server: ") + e.what());
  }
}

Status BaselineServer::Serve() {
  return kind_ == ServerKind::kRawAck ? ServeRaw() : ServePipeline();
}

Status BaselineServer::ServeRaw() {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  v1::Request request;
  v1::Reply reply;
  std::string buffer;
  std::vector<zmq::message_t> frames;
  while (!stop_) {
    // A short timeout only so that Stop() is seen.
    zmq::poll(&item, 1, std::chrono::milliseconds(20));
    while (zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      if (Status s = Parse(frames, request); !s.ok()) {
        return s;
      }
      reply.Clear();
      reply.set_request_id(request.request_id());
      for (const v1::Interaction& in : request.ingest().interactions()) {
        AddItem(reply, in, v1::IngestResult::ACCEPTED);
      }
      Send(socket_, frames, reply, buffer);
      frames.clear();
    }
  }
  return Status::Ok();
}

Status BaselineServer::ServePipeline() {
  auto opened = OpenStoreFile(db_path_);
  if (!opened.ok()) {
    return opened.status();
  }
  sqlite3* db = *opened;
  // Closes the file however the loop ends, after the statements.
  const auto close = [](sqlite3* p) { sqlite3_close(p); };
  const std::unique_ptr<sqlite3, decltype(close)> owner(db, close);
  store::Statement insert(db, kInsert);
  store::Statement begin(db, "BEGIN");
  store::Statement commit(db, "COMMIT");
  if (!insert.ok() || !begin.ok() || !commit.ok()) {
    return SqliteError(db, "prepare");
  }
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  v1::Request request;
  std::vector<std::vector<zmq::message_t>> drained;
  std::vector<v1::Reply> replies(kMaxRequestsPerCommit);
  std::string buffer;
  while (!stop_) {
    zmq::poll(&item, 1, std::chrono::milliseconds(20));
    drained.clear();
    while (drained.size() < kMaxRequestsPerCommit) {
      std::vector<zmq::message_t> frames;
      if (!zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
        break;
      }
      drained.push_back(std::move(frames));
    }
    if (drained.empty()) {
      continue;
    }
    if (begin.Run() != SQLITE_DONE) {
      return SqliteError(db, "begin");
    }
    const std::int64_t received_at = NowMicros();
    for (std::size_t i = 0; i < drained.size(); ++i) {
      if (Status s = Parse(drained[i], request); !s.ok()) {
        return s;
      }
      v1::Reply& reply = replies[i];
      reply.Clear();
      reply.set_request_id(request.request_id());
      for (const v1::Interaction& in : request.ingest().interactions()) {
        if (in.event_id().empty()) {
          AddItem(reply, in, v1::IngestResult::REJECTED);
          continue;
        }
        const core::Result<bool> inserted = Insert(db, insert, in, received_at);
        if (!inserted.ok()) {
          return inserted.status();
        }
        AddItem(reply, in, *inserted ? v1::IngestResult::ACCEPTED : v1::IngestResult::DUPLICATE);
      }
    }
    // Every ack after the commit that holds its events.
    if (commit.Run() != SQLITE_DONE) {
      return SqliteError(db, "commit");
    }
    for (std::size_t i = 0; i < drained.size(); ++i) {
      Send(socket_, drained[i], replies[i], buffer);
    }
  }
  return Status::Ok();
}

core::Result<SqliteReport> RunBareSqlite(const std::string& path, int per_txn, std::int64_t events,
                                         std::chrono::milliseconds duration, int contacts) {
  auto opened = OpenStoreFile(path);
  if (!opened.ok()) {
    return opened.status();
  }
  sqlite3* db = *opened;
  const auto close = [](sqlite3* p) { sqlite3_close(p); };
  const std::unique_ptr<sqlite3, decltype(close)> owner(db, close);
  SqliteReport report;
  {
    store::Statement insert(db, kInsert);
    store::Statement begin(db, "BEGIN");
    store::Statement commit(db, "COMMIT");
    if (!insert.ok() || !begin.ok() || !commit.ok()) {
      return SqliteError(db, "prepare");
    }
    // Client 0 of a warmth-bench run: the same events.
    LoadOptions load;
    load.prefix = "c0";
    load.events = events;
    load.contacts = contacts;
    const auto base = std::chrono::system_clock::now();
    std::vector<v1::Interaction> batch;
    const auto start = Clock::now();
    std::int64_t n = 0;
    while (n < events && (duration.count() == 0 || Clock::now() - start < duration)) {
      batch.clear();
      for (int i = 0; i < per_txn && n < events; ++i, ++n) {
        batch.push_back(MakeInteraction(load, n, base));
      }
      const auto t0 = Clock::now();
      if (begin.Run() != SQLITE_DONE) {
        return SqliteError(db, "begin");
      }
      const std::int64_t received_at = NowMicros();
      for (const v1::Interaction& in : batch) {
        const core::Result<bool> inserted = Insert(db, insert, in, received_at);
        if (!inserted.ok()) {
          return inserted.status();
        }
        if (!*inserted) {
          return Status::Internal("bare sqlite: event " + in.event_id() + " inserted twice");
        }
      }
      if (commit.Run() != SQLITE_DONE) {
        return SqliteError(db, "commit");
      }
      report.latencies_us.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.rows = n;
  }
  std::sort(report.latencies_us.begin(), report.latencies_us.end());
  return report;
}

}  // namespace warmth::bench
