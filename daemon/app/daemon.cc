#include "daemon/app/daemon.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <iterator>
#include <span>
#include <system_error>
#include <utility>
#include <variant>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include "base/paths.h"
#include "base/phone.h"
#include "daemon/transport/codec.h"
#include "daemon/version.h"

namespace warmth::app {
namespace {

using core::TimePoint;

// After a failed write, requests that change state are answered UNAVAILABLE
// for this long instead of rebuilding the engine for each of them.
constexpr core::Duration kWriteHold = std::chrono::seconds(1);
// Warnings about bad client input: at most this many per second.
constexpr int kWarningsPerSecond = 20;

// The loop's poll items: the API socket, the signals, the writer's finished
// commits, then CurveSecurity's.
enum PollItem : std::size_t { kApi, kSignals, kWriter, kSecurity, kPollItems = kSecurity + 3 };
static_assert(kPollItems - kSecurity == CurveSecurity::kPollItems);

// Protobuf logs an ERROR to stderr for each string field with invalid UTF-8
// it parses: a client could flood the journal that way. The request itself
// is answered and warned about (rate-limited); its details go to debug.
void ProtobufLog(google::protobuf::LogLevel level, const char* file, int line,
                 const std::string& message) {
  if (level >= google::protobuf::LOGLEVEL_FATAL) {
    spdlog::critical("protobuf {}:{}: {}", file, line, message);
  } else {
    spdlog::debug("protobuf: {}", message);
  }
}

std::string BodyName(const v1::Request& request) {
  if (request.body_case() == v1::Request::BODY_NOT_SET) {
    return "empty";
  }
  const auto* field =
      v1::Request::descriptor()->FindFieldByNumber(static_cast<int>(request.body_case()));
  return field != nullptr ? field->name() : "unknown";
}

std::string_view Bytes(const zmq::message_t& payload) {
  return {static_cast<const char*>(payload.data()), payload.size()};
}

// SIGTERM and SIGINT stop, SIGHUP reloads the keys.
base::SignalFd OpenSignals() {
  try {
    return base::SignalFd({SIGTERM, SIGINT, SIGHUP});
  } catch (const std::system_error& e) {
    throw StartupError(e.what());
  }
}

}  // namespace

struct Daemon::Pending {
  transport::Envelope envelope;
  v1::Request request;
  v1::Reply reply;
  bool decoded = false;  // decoded and permitted: Redo may answer it again
  Role role = Role::kAdmin;

  void Fail(const core::Status& status) { reply = ErrorReply(status, request.request_id()); }
};

Daemon::Daemon(DaemonOptions options, core::Clock& clock)
    : signals_(OpenSignals()),
      options_(std::move(options)),
      clock_(clock),
      zone_(base::ResolveTimeZone(options_.config.timezone)),
      data_dir_(options_.data_dir.empty() ? base::DataDir() : options_.data_dir),
      bad_requests_(kWarningsPerSecond, std::chrono::seconds(1), "bad requests") {
  const TimePoint started = clock_.Now();
  google::protobuf::SetLogHandler(&ProtobufLog);
  OpenStore(started);
  BindSockets(started);
}

Daemon::~Daemon() = default;

void Daemon::OpenStore(TimePoint now) {
  auto store = store::SqliteStore::Open(data_dir_.dir() + "/warmth.db", options_.store);
  if (!store.ok()) {
    throw StartupError(store.status().message());
  }
  store_ = std::move(store).value();
  writer_ = std::make_unique<StoreWriter>(*store_);
  const auto load_start = std::chrono::steady_clock::now();
  engine_ = LoadEngine(now);
  const core::EngineCounts counts = engine_->Counts();
  spdlog::info(
      "store {}: {} contacts ({} unsorted), {} interactions, {} pending nudges, loaded in {} ms",
      store_->path(), counts.contacts, counts.unsorted, counts.interactions, counts.pending_nudges,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                            load_start)
          .count());
}

void Daemon::BindSockets(TimePoint started) {
  const std::string api =
      !options_.api_endpoint.empty() ? options_.api_endpoint : options_.config.ApiEndpoint();
  const std::string pub = !options_.publish_endpoint.empty() ? options_.publish_endpoint
                                                             : options_.config.PublishEndpoint();
  for (const std::string& endpoint : {api, pub}) {
    if (core::Status s = transport::PrepareEndpoint(endpoint); !s.ok()) {
      throw StartupError(s.message());
    }
  }
  // The ZAP handler is bound here, before any tcp:// bind.
  security_ = std::make_unique<CurveSecurity>(context_, options_.config.curve,
                                              options_.allow_insecure_tcp, api, pub);
  try {
    api_ = std::make_unique<transport::ApiServer>(context_, api, security_->api_setup());
  } catch (const zmq::error_t& e) {
    throw StartupError("api.endpoint " + api + ": cannot bind: " + e.what());
  }
  try {
    publisher_ =
        std::make_unique<transport::NudgePublisher>(context_, pub, security_->publish_setup());
  } catch (const zmq::error_t& e) {
    throw StartupError("api.publish " + pub + ": cannot bind: " + e.what());
  }
  security_->Watch(context_, api_->socket(), publisher_->socket());
  service_ = std::make_unique<Service>(
      engine_.get(), store_.get(),
      ServiceInfo{kVersion, store_->path(), api_->endpoint(), publisher_->endpoint(),
                  engine_->calendar().ZoneName(), started});
}

std::unique_ptr<core::Engine> Daemon::LoadEngine(TimePoint now) {
  auto engine = std::make_unique<core::Engine>(options_.config.engine, zone_,
                                               base::PhoneNormalizerFor(options_.config.me_region));
  // Only after the commit in flight: an event id it holds is in the store.
  engine->SetDuplicateOracle([this](std::string_view id, TimePoint at) {
    writer_->WaitIdle();
    return store_->HasEvent(id, at);
  });
  if (core::Status s = store_->LoadInto(*engine); !s.ok()) {
    throw StartupError(s.message());
  }
  engine->FinishLoad(now);
  engine->TakeJournal();
  return engine;
}

void Daemon::Run() {
  spdlog::info("warmthd {} ready: api {}, nudges {}, time zone {}", kVersion, api_->endpoint(),
               publisher_->endpoint(), engine_->calendar().ZoneName());
  // The store is open and every socket bound: clients may connect now.
  systemd_.Ready();
  ReportStatus(true);
  while (!stop_) {
    Turn();
  }
  Drain();
  RefuseBacklog();
  systemd_.Stopping();
  spdlog::info("warmthd stopped");
}

void Daemon::RefuseBacklog() {
  // Everything answered so far was committed in its turn. What is still in
  // the backlog was not handled: say so, so that clients retry at once.
  for (transport::Envelope& e : backlog_.TakeAll()) {
    api_->SendError(
        e,
        core::Status::Unavailable("warmthd is stopping; nothing of this request was saved, retry"),
        transport::PeekRequestId(Bytes(e.payload)));
  }
}

void Daemon::ReportStatus(bool force) {
  systemd_.Status(force, [this] { return DescribeStatus(); });
}

std::string Daemon::DescribeStatus() const {
  const core::EngineCounts c = engine_->Counts();
  std::string status = "Serving " + api_->endpoint() + ": " + std::to_string(c.contacts) +
                       " contacts (+" + std::to_string(c.unsorted) + " unsorted), " +
                       std::to_string(c.interactions) + " interactions, " +
                       std::to_string(c.pending_nudges) + " pending nudges";
  if (const std::string keys = security_->KeysSummary(); !keys.empty()) {
    status += ", " + keys;
  }
  if (writes_held_until_ != TimePoint{}) {
    status += "; STORE FAILING";
  }
  return status;
}

void Daemon::Turn() {
  const TimePoint now = clock_.Now();
  // A commit stuck for longer than a beat (a hung disk) silences the
  // watchdog, as a loop stuck in the write itself would.
  if (writer_->Running() < systemd_.watchdog_interval()) {
    systemd_.Watchdog();
  }
  ReportStatus(false);
  if (now >= writes_held_until_) {
    PublishDue(now);
  }
  // The ZAP handler and the handshake monitors are served here too: no
  // thread of their own. A handshake waits at most one turn for its answer.
  std::array<zmq::pollitem_t, kPollItems> items{};
  items[kApi] = {api_->socket().handle(), 0, ZMQ_POLLIN, 0};
  items[kSignals] = {nullptr, signals_.fd(), ZMQ_POLLIN, 0};
  items[kWriter] = {nullptr, writer_->fd(), ZMQ_POLLIN, 0};
  std::ranges::copy(security_->PollItems(), items.begin() + kSecurity);
  try {
    zmq::poll(items.data(), items.size(), PollTimeout(now));
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) {
      throw;
    }
  }
  if ((items[kSignals].revents & ZMQ_POLLIN) != 0) {
    HandleSignals();
  }
  if ((items[kWriter].revents & ZMQ_POLLIN) != 0) {
    Finish(clock_.Now());
  }
  security_->HandleEvents(std::span(items).subspan<kSecurity, CurveSecurity::kPollItems>());
  ServeOrCheckpoint((items[kApi].revents & ZMQ_POLLIN) != 0);
}

std::chrono::milliseconds Daemon::PollTimeout(TimePoint now) const {
  if (!backlog_.empty() && open_.pending.size() < kMaxRequestsPerCommit) {
    return std::chrono::milliseconds(0);  // work is waiting: only look for more
  }
  // Sleep in poll until the next due time: no periodic scans.
  std::optional<TimePoint> wake = engine_->NextDue(now);
  if (now < writes_held_until_) {
    wake = wake ? std::min(*wake, writes_held_until_) : writes_held_until_;
  }
  if (const auto until_beat = systemd_.UntilWatchdog()) {
    const TimePoint beat = now + std::chrono::duration_cast<core::Duration>(*until_beat);
    wake = wake ? std::min(*wake, beat) : beat;
  }
  if (!wake) {
    return std::chrono::milliseconds(-1);
  }
  const auto timeout =
      std::chrono::ceil<std::chrono::milliseconds>(std::max(*wake - now, core::Duration(0)));
  // The clock may be moved (suspend, NTP): look again at least each minute.
  return std::min(timeout, std::chrono::milliseconds(60'000));
}

void Daemon::HandleSignals() {
  while (const int sig = signals_.Read()) {
    if (sig == SIGTERM || sig == SIGINT) {
      spdlog::info("{} received: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      stop_ = true;
    } else if (sig == SIGHUP && security_->ReloadKeys()) {
      ReportStatus(true);
    }
  }
}

void Daemon::ServeOrCheckpoint(bool requests_came) {
  if (requests_came || !backlog_.empty()) {
    Serve();
    CheckpointIfIdle(1000);
  } else if (!stop_) {
    CheckpointIfIdle(1);
  }
}

void Daemon::CheckpointIfIdle(int min_pages) {
  // An idle gap: nothing in flight or queued. Checkpoint here rather than in
  // the middle of a burst, which keeps the ack latency tail short.
  if (!writer_->busy() && open_.pending.empty() && backlog_.empty() &&
      (api_->socket().get(zmq::sockopt::events) & ZMQ_POLLIN) == 0) {
    store_->Checkpoint(min_pages);
  }
}

void Daemon::Receive(TimePoint now) {
  for (transport::Envelope& e : api_->Drain(kMaxReadsPerTurn)) {
    if (e.payload.size() > transport::kMaxRequestBytes) {
      v1::Request request;
      const core::Status s = transport::DecodeRequest(Bytes(e.payload), request);  // the size error
      WarnBadRequest(now, e.peer_address, s.message());
      api_->SendError(e, s, request.request_id());
      continue;
    }
    if (!backlog_.Push(e)) {
      api_->SendError(e, backlog_.Busy(), transport::PeekRequestId(Bytes(e.payload)));
    }
  }
  backlog_.LogShed(now);
}

void Daemon::Serve() {
  const TimePoint now = clock_.Now();
  Receive(now);
  // A turn handles at most kMaxRequestsPerTurn requests; while a commit is
  // in flight, turns add to open_ up to kMaxRequestsPerCommit, which then
  // share the next commit: the group commit, pipelined.
  const std::size_t room =
      std::min(kMaxRequestsPerTurn,
               kMaxRequestsPerCommit - std::min(open_.pending.size(), kMaxRequestsPerCommit));
  for (transport::Envelope& e : backlog_.Take(room)) {
    Pending& p = open_.pending.emplace_back();
    p.envelope = std::move(e);
    Handle(p, now);
  }
  Flush();
}

void Daemon::Handle(Pending& p, TimePoint now) {
  const core::Status decoded = transport::DecodeRequest(Bytes(p.envelope.payload), p.request);
  // The role first: a request the key may not make learns nothing else,
  // and a key removed since it connected may make none at all.
  const std::optional<Role> role = security_->RoleOf(p.envelope);
  if (!decoded.ok() && role) {
    WarnBadRequest(now, p.envelope.peer_address, decoded.message());
    p.Fail(decoded);
    return;
  }
  if (core::Status s = CheckPermission(role, p.request.body_case()); !s.ok()) {
    security_->LogDenied(p.envelope, p.request.request_id(), BodyName(p.request));
    p.Fail(s);
    return;
  }
  p.decoded = true;
  p.role = *role;
  if (now < writes_held_until_ && !IsReadOnly(p.request.body_case())) {
    p.Fail(core::Status::Unavailable(service_->store_error() +
                                     " (writes paused); nothing was saved, retry shortly"));
    return;
  }
  Execute(p, now);
}

void Daemon::Execute(Pending& p, TimePoint now) {
  if (ReadsStore(p.request.body_case())) {
    // It reads the store as well as the engine: after the commit in flight,
    // so that it sees every change handled before it but this batch's.
    writer_->WaitIdle();
  }
  try {
    p.reply = service_->Execute(p.request, now);
  } catch (const std::exception& e) {
    spdlog::error("request {} ({}): {}", p.request.request_id(), BodyName(p.request), e.what());
    p.Fail(core::Status::Internal("internal error; see the daemon log"));
  }
  if (p.reply.has_error()) {
    spdlog::debug("request {} ({}): {}", p.request.request_id(), BodyName(p.request),
                  p.reply.error().message());
  }
}

void Daemon::Redo(std::vector<Pending>& pending, TimePoint now) {
  for (Pending& p : pending) {
    if (!p.decoded) {
      continue;
    }
    if (IsReadOnly(p.request.body_case())) {
      Execute(p, now);  // again, on the rebuilt engine
    } else {
      p.Fail(core::Status::Unavailable(service_->store_error() +
                                       "; nothing was saved, retry shortly"));
    }
  }
}

void Daemon::WarnBadRequest(TimePoint now, const std::string& peer, const std::string& what) {
  if (bad_requests_.Allow(now.time_since_epoch())) {
    spdlog::warn("bad request from {}: {}", peer.empty() ? "a local client" : peer, what);
  }
}

void Daemon::Flush() {
  if (writer_->busy()) {
    return;  // open_ waits for the commit in flight
  }
  std::vector<core::Change> journal = engine_->TakeJournal(std::exchange(spare_journal_, {}));
  if (journal.empty()) {
    spare_journal_ = std::move(journal);
    Answer(open_);  // nothing to save
    return;
  }
  // The two batches trade places: each keeps its vectors' memory.
  std::swap(writing_, open_);
  writer_->Submit(std::move(journal));
}

void Daemon::Finish(TimePoint now) {
  std::optional<StoreWriter::Done> done = writer_->Collect();
  if (!done) {
    return;
  }
  if (!done->status.ok()) {
    Fail(done->status, now);
    return;
  }
  if (writes_held_until_ != TimePoint{}) {
    spdlog::info("store writable again");
    writes_held_until_ = TimePoint{};
    service_->set_store_error("");
  }
  PublishClosed(done->journal);
  spare_journal_ = std::move(done->journal);
  Answer(writing_);
  Flush();
}

void Daemon::Fail(const core::Status& s, TimePoint now) {
  spdlog::error("{}; rebuilding state from the store and holding writes for {} ms", s.message(),
                std::chrono::duration_cast<std::chrono::milliseconds>(kWriteHold).count());
  service_->set_store_error(s.message());
  writes_held_until_ = now + kWriteHold;
  try {
    engine_ = LoadEngine(now);  // without this batch's changes and open_'s
  } catch (const StartupError& e) {
    // The store cannot even be read: nothing sensible is left to do.
    spdlog::critical("cannot reload the store: {}", e.what());
    throw;
  }
  service_->set_engine(engine_.get());
  // Their nudges are not published: due again on the rebuilt engine.
  for (Batch* batch : {&writing_, &open_}) {
    batch->due.clear();
    Redo(batch->pending, now);
    Answer(*batch);
  }
}

void Daemon::Answer(Batch& batch) {
  for (const core::Nudge& n : batch.due) {
    publisher_->Publish(n);
    spdlog::info("nudge {} ({}) for {}: {}", n.id, core::Name(n.kind),
                 n.contact_ids.empty() ? std::string("-") : n.contact_ids.front(), n.text);
  }
  for (Pending& p : batch.pending) {
    api_->Send(p.envelope, p.reply);
  }
  batch.pending.clear();
  batch.due.clear();
}

void Daemon::Drain() {
  while (writer_->busy()) {
    writer_->WaitIdle();
    Finish(clock_.Now());  // then submits open_, if it changed anything
  }
  Flush();  // open_ changed nothing: answered here
}

void Daemon::PublishClosed(const std::vector<core::Change>& journal) {
  for (const core::Change& change : journal) {
    const auto* row = std::get_if<core::NudgeRow>(&change);
    if (row == nullptr || !row->state_changed) {
      continue;
    }
    publisher_->PublishClosed(row->nudge);
    spdlog::info("nudge {} is now {}", row->nudge.id, core::Name(row->nudge.state));
  }
}

void Daemon::PublishDue(TimePoint now) {
  std::vector<core::Nudge> nudges = engine_->TakeDue(now);
  std::move(nudges.begin(), nudges.end(), std::back_inserter(open_.due));
  Flush();
}

}  // namespace warmth::app
