#include "daemon/app/daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <tuple>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include "base/paths.h"
#include "daemon/transport/codec.h"
#include "daemon/version.h"

namespace warmth::app {
namespace {

using core::TimePoint;

// Requests handled per turn: they share one commit. Clients pipelining more
// than this keep a window of 2-4x it (TOOLING.md).
constexpr std::size_t kMaxRequestsPerTurn = 256;
// Back-pressure. Each turn reads up to kMaxReadsPerTurn requests off the
// socket into the backlog (ZeroMQ's own pipes hold at most RCVHWM = 1000
// messages per client besides). Reading ahead of what a turn handles is what
// lets the daemon see a client outrunning the store: once the backlog holds
// kMaxBacklog requests or kMaxBacklogBytes, further requests are answered
// RESOURCE_EXHAUSTED at once, undecoded, instead of queueing without bound.
// The bounds leave room for several clients with a window of 4x the turn.
constexpr std::size_t kMaxReadsPerTurn = 4 * kMaxRequestsPerTurn;
constexpr std::size_t kMaxBacklog = 16 * kMaxRequestsPerTurn;
constexpr std::size_t kMaxBacklogBytes = std::size_t{64} << 20;
// After a failed write, requests that change state are answered UNAVAILABLE
// for this long instead of rebuilding the engine for each of them.
constexpr core::Duration kWriteHold = std::chrono::seconds(1);
// Warnings about bad client input: at most this many per second.
constexpr int kWarningsPerSecond = 20;

bool IsLoopbackTcp(const std::string& endpoint) {
  for (const char* prefix : {"tcp://127.", "tcp://localhost:", "tcp://[::1]:"}) {
    if (endpoint.rfind(prefix, 0) == 0) {
      return true;
    }
  }
  return false;
}

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

}  // namespace

SignalFd::SignalFd() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
  fd_ = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd_ < 0) {
    throw StartupError(std::string("signalfd: ") + std::strerror(errno));
  }
}

SignalFd::~SignalFd() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

int SignalFd::Read() {
  signalfd_siginfo info{};
  if (::read(fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
    return 0;
  }
  return static_cast<int>(info.ssi_signo);
}

Daemon::Daemon(DaemonOptions options, core::Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      zone_(base::ResolveTimeZone(options_.config.timezone)),
      data_dir_(options_.data_dir.empty() ? base::DataDir() : options_.data_dir) {
  const TimePoint started = clock_.Now();
  google::protobuf::SetLogHandler(&ProtobufLog);
  std::error_code ec;
  std::filesystem::create_directories(data_dir_, ec);
  if (ec) {
    throw StartupError("data directory " + data_dir_ + ": " + ec.message());
  }
  ::chmod(data_dir_.c_str(), 0700);
  const std::string lock_path = data_dir_ + "/warmthd.lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    throw StartupError("data directory " + data_dir_ +
                       " is in use by another warmthd (lock " + lock_path + ")");
  }

  auto store = store::SqliteStore::Open(data_dir_ + "/warmth.db", options_.store);
  if (!store.ok()) {
    throw StartupError(store.status().message());
  }
  store_ = std::move(store).value();
  const auto load_start = std::chrono::steady_clock::now();
  engine_ = LoadEngine(started);
  const core::EngineCounts counts = engine_->Counts();
  spdlog::info("store {}: {} contacts ({} unsorted), {} interactions, {} pending nudges, loaded in {} ms",
               store_->path(), counts.contacts, counts.unsorted, counts.interactions,
               counts.pending_nudges,
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - load_start)
                   .count());

  const std::string api = !options_.api_endpoint.empty() ? options_.api_endpoint
                                                         : options_.config.ApiEndpoint();
  const std::string pub = !options_.publish_endpoint.empty() ? options_.publish_endpoint
                                                             : options_.config.PublishEndpoint();
  for (const std::string& endpoint : {api, pub}) {
    if (core::Status s = transport::PrepareEndpoint(endpoint); !s.ok()) {
      throw StartupError(s.message());
    }
  }
  // The ZAP handler is bound inside SetUpSecurity, before any tcp:// bind.
  const auto [api_setup, pub_setup] = SetUpSecurity(api, pub);
  try {
    api_ = std::make_unique<transport::ApiServer>(context_, api, api_setup);
  } catch (const zmq::error_t& e) {
    throw StartupError("api.endpoint " + api + ": cannot bind: " + e.what());
  }
  try {
    publisher_ = std::make_unique<transport::NudgePublisher>(context_, pub, pub_setup);
  } catch (const zmq::error_t& e) {
    throw StartupError("api.publish " + pub + ": cannot bind: " + e.what());
  }
  if (api_curve_) {
    api_monitor_ = std::make_unique<transport::HandshakeMonitor>(context_, api_->socket(), "api");
  }
  if (pub_curve_) {
    pub_monitor_ =
        std::make_unique<transport::HandshakeMonitor>(context_, publisher_->socket(), "nudges");
  }
  service_ = std::make_unique<Service>(
      engine_.get(), store_.get(),
      ServiceInfo{kVersion, store_->path(), api_->endpoint(), publisher_->endpoint(),
                  engine_->calendar().ZoneName(), started});

  std::uint64_t watchdog_usec = 0;
  if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
    // Twice per period, as sd_watchdog_enabled(3) advises.
    watchdog_interval_ = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::microseconds(watchdog_usec / 2));
  }
  const char* notify_socket = std::getenv("NOTIFY_SOCKET");
  notify_socket_ = notify_socket != nullptr && *notify_socket != '\0';
}

std::pair<transport::SocketSetup, transport::SocketSetup> Daemon::SetUpSecurity(
    const std::string& api, const std::string& pub) {
  const bool api_tcp = api.rfind("tcp://", 0) == 0;
  const bool pub_tcp = pub.rfind("tcp://", 0) == 0;
  if (!api_tcp && !pub_tcp) {
    return {};
  }
  const std::string first_tcp = api_tcp ? "api.endpoint " + api : "api.publish " + pub;
  const base::CurveConfig& curve = options_.config.curve;
  const std::string secret_path = ServerSecretKeyPath(curve);
  if (secret_path.empty()) {
    if (!options_.allow_insecure_tcp) {
      throw base::ConfigError("curve.secret_key",
                        "not set, but " + first_tcp +
                            " needs CURVE: set curve.secret_key to the server's secret key file "
                            "and curve.authorized_keys to the client keys (see docs/deploy.md); "
                            "--allow-insecure-tcp permits plain TCP on loopback for development");
    }
    for (const auto& [key, endpoint, tcp] :
         {std::tuple{"api.endpoint", api, api_tcp}, {"api.publish", pub, pub_tcp}}) {
      if (!tcp) {
        continue;
      }
      if (!IsLoopbackTcp(endpoint)) {
        throw StartupError(std::string(key) + " " + endpoint +
                           ": --allow-insecure-tcp only allows loopback addresses");
      }
      spdlog::warn("{} {}: plain TCP WITHOUT authentication or encryption "
                   "(--allow-insecure-tcp); never use this beyond development",
                   key, endpoint);
    }
    return {};
  }
  if (curve.authorized_keys.empty()) {
    throw base::ConfigError("curve.authorized_keys",
                      "not set, but " + first_tcp +
                          " needs the file of client keys allowed to connect (see docs/deploy.md)");
  }
  auto server = transport::ReadSecretKeyFile(secret_path);
  if (!server.ok()) {
    throw base::ConfigError("curve.secret_key", server.status().message());
  }
  auto keys = AuthorizedKeys::Load(curve.authorized_keys);
  if (!keys.ok()) {
    throw base::ConfigError("curve.authorized_keys", keys.status().message());
  }
  spdlog::info("CURVE: server key {} from {}; authorized keys: {} from {}",
               server->public_key, secret_path, keys->Summary(), curve.authorized_keys);
  if (keys->entries().empty()) {
    spdlog::warn("{} lists no keys: no client can connect over TCP", curve.authorized_keys);
  }
  gate_ = std::make_unique<Gatekeeper>(curve.authorized_keys, std::move(keys).value());
  // Bound before any CURVE socket: without a handler libzmq admits every key.
  try {
    zap_ = std::make_unique<transport::ZapHandler>(
        context_, [this](const transport::ZapRequest& r) { return gate_->Authorize(r); });
  } catch (const zmq::error_t& e) {
    throw StartupError(std::string("cannot start the authentication handler: ") + e.what());
  }
  api_curve_ = api_tcp;
  pub_curve_ = pub_tcp;
  return {api_tcp ? transport::CurveServerSetup(*server, kApiDomain) : transport::SocketSetup{},
          pub_tcp ? transport::CurveServerSetup(*server, kNudgeDomain) : transport::SocketSetup{}};
}

std::optional<Role> Daemon::RoleOf(const transport::Envelope& envelope) const {
  if (!api_curve_) {
    return Role::kAdmin;  // ipc: the 0700 directory is the access control
  }
  return gate_->RoleOf(envelope.user_id);
}

void Daemon::ReloadKeys() {
  if (gate_ == nullptr) {
    spdlog::info("SIGHUP received: nothing to reload (no CURVE keys in use)");
    return;
  }
  if (core::Status s = gate_->Reload(); !s.ok()) {
    spdlog::error("SIGHUP: keeping the authorized keys in force ({}); {} is bad:\n{}",
                  gate_->keys().Summary(), gate_->keys_path(), s.message());
    return;
  }
  spdlog::info("SIGHUP: reloaded {}: {}", gate_->keys_path(), gate_->keys().Summary());
  ReportStatus(true);
}

Daemon::~Daemon() {
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
  }
}

std::unique_ptr<core::Engine> Daemon::LoadEngine(TimePoint now) {
  auto engine = std::make_unique<core::Engine>(options_.config.engine, zone_);
  store::SqliteStore* store = store_.get();
  engine->SetDuplicateOracle(
      [store](std::string_view id, TimePoint at) { return store->HasEvent(id, at); });
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
  sd_notify(0, "READY=1");
  ReportStatus(true);
  while (!stop_) {
    Turn();
  }
  // Everything answered so far was committed in its turn. What is still in
  // the backlog was not handled: say so, so that clients retry at once.
  for (transport::Envelope& e : backlog_) {
    api_->SendError(e,
                    core::Status::Unavailable(
                        "warmthd is stopping; nothing of this request was saved, retry"),
                    transport::PeekRequestId(std::string_view(
                        static_cast<const char*>(e.payload.data()), e.payload.size())));
  }
  backlog_.clear();
  sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
  spdlog::info("warmthd stopped");
}

void Daemon::Watchdog() {
  if (watchdog_interval_ <= std::chrono::steady_clock::duration::zero()) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_watchdog_ >= watchdog_interval_) {
    sd_notify(0, "WATCHDOG=1");
    last_watchdog_ = now;
  }
}

void Daemon::ReportStatus(bool now) {
  if (!notify_socket_) {
    return;
  }
  const auto t = std::chrono::steady_clock::now();
  if (!now && t - last_status_ < std::chrono::seconds(30)) {
    return;
  }
  last_status_ = t;
  const core::EngineCounts c = engine_->Counts();
  std::string status = "Serving " + api_->endpoint() + ": " + std::to_string(c.contacts) +
                       " contacts (+" + std::to_string(c.unsorted) + " unsorted), " +
                       std::to_string(c.interactions) + " interactions, " +
                       std::to_string(c.pending_nudges) + " pending nudges";
  if (gate_ != nullptr) {
    status += ", " + gate_->keys().Summary();
  }
  if (writes_held_until_ != TimePoint{}) {
    status += "; STORE FAILING";
  }
  sd_notifyf(0, "STATUS=%s", status.c_str());
}

void Daemon::Turn() {
  TimePoint now = clock_.Now();
  Watchdog();
  ReportStatus(false);
  if (now >= writes_held_until_) {
    PublishDue(now);
  }
  // Sleep in poll until the next due time: no periodic scans.
  std::optional<TimePoint> wake = engine_->NextDue(now);
  if (now < writes_held_until_) {
    wake = wake ? std::min(*wake, writes_held_until_) : writes_held_until_;
  }
  if (watchdog_interval_ > std::chrono::steady_clock::duration::zero()) {
    const auto until_beat = last_watchdog_ + watchdog_interval_ - std::chrono::steady_clock::now();
    const TimePoint beat = now + std::chrono::duration_cast<core::Duration>(until_beat);
    wake = wake ? std::min(*wake, beat) : beat;
  }
  std::chrono::milliseconds timeout(-1);
  if (!backlog_.empty()) {
    timeout = std::chrono::milliseconds(0);  // work is waiting: only look for more
  } else if (wake) {
    timeout = std::chrono::ceil<std::chrono::milliseconds>(std::max(*wake - now, core::Duration(0)));
    // The clock may be moved (suspend, NTP): look again at least each minute.
    timeout = std::min(timeout, std::chrono::milliseconds(60'000));
  }
  // The ZAP handler and the handshake monitors are served here too: no
  // thread of their own. A handshake waits at most one turn for its answer.
  enum { kApi, kSignals, kZap, kApiMonitor, kPubMonitor, kItems };
  zmq::pollitem_t items[kItems] = {
      {api_->socket().handle(), 0, ZMQ_POLLIN, 0},
      {nullptr, signals_.fd(), ZMQ_POLLIN, 0},
      {zap_ != nullptr ? zap_->socket().handle() : nullptr, -1, 0, 0},
      {api_monitor_ != nullptr ? api_monitor_->socket().handle() : nullptr, -1, 0, 0},
      {pub_monitor_ != nullptr ? pub_monitor_->socket().handle() : nullptr, -1, 0, 0},
  };
  // An item without a socket stays in the array with no events and fd -1:
  // zmq_poll leaves it alone.
  for (int i : {kZap, kApiMonitor, kPubMonitor}) {
    if (items[i].socket != nullptr) {
      items[i].events = ZMQ_POLLIN;
    }
  }
  try {
    zmq::poll(items, kItems, timeout);
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) {
      throw;
    }
  }
  if ((items[kSignals].revents & ZMQ_POLLIN) != 0) {
    while (const int sig = signals_.Read()) {
      if (sig == SIGTERM || sig == SIGINT) {
        spdlog::info("{} received: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        stop_ = true;
      } else if (sig == SIGHUP) {
        ReloadKeys();
      }
    }
  }
  if ((items[kZap].revents & ZMQ_POLLIN) != 0) {
    zap_->HandlePending();
  }
  if ((items[kApiMonitor].revents & ZMQ_POLLIN) != 0) {
    for (const auto& failure : api_monitor_->Drain()) {
      gate_->LogHandshakeFailure("the API socket", failure);
    }
  }
  if ((items[kPubMonitor].revents & ZMQ_POLLIN) != 0) {
    for (const auto& failure : pub_monitor_->Drain()) {
      gate_->LogHandshakeFailure("the nudge socket", failure);
    }
  }
  if ((items[kApi].revents & ZMQ_POLLIN) != 0 || !backlog_.empty()) {
    Serve();
    // An idle gap: nothing more queued. Checkpoint here rather than in the
    // middle of a burst, which keeps the ack latency tail short.
    if (backlog_.empty() && (api_->socket().get(zmq::sockopt::events) & ZMQ_POLLIN) == 0) {
      store_->Checkpoint(1000);
    }
  } else if (!stop_) {
    store_->Checkpoint(1);
  }
}

void Daemon::Receive(TimePoint now) {
  for (transport::Envelope& e : api_->Drain(kMaxReadsPerTurn)) {
    const std::size_t size = e.payload.size();
    const std::string_view bytes(static_cast<const char*>(e.payload.data()), size);
    if (size > transport::kMaxRequestBytes) {
      v1::Request request;
      const core::Status s = transport::DecodeRequest(bytes, request);  // the size error
      WarnBadRequest(now, e.peer_address, s.message());
      api_->SendError(e, s, request.request_id());
      continue;
    }
    if (backlog_.size() < kMaxBacklog && backlog_bytes_ + size <= kMaxBacklogBytes) {
      backlog_bytes_ += size;
      backlog_.push_back(std::move(e));
      continue;
    }
    ++shed_since_log_;
    api_->SendError(e,
                    core::Status::ResourceExhausted(
                        "warmthd is busy (" + std::to_string(backlog_.size()) +
                        " requests queued); nothing of this request was saved, retry shortly"),
                    transport::PeekRequestId(bytes));
  }
  if (shed_since_log_ > 0 && now - shed_logged_at_ >= std::chrono::seconds(1)) {
    spdlog::warn("busy: answered {} requests RESOURCE_EXHAUSTED (backlog full: {} requests, {} "
                 "bytes)",
                 shed_since_log_, backlog_.size(), backlog_bytes_);
    shed_since_log_ = 0;
    shed_logged_at_ = now;
  }
}

void Daemon::Serve() {
  const TimePoint now = clock_.Now();
  Receive(now);
  std::vector<transport::Envelope> envelopes;
  envelopes.reserve(std::min(backlog_.size(), kMaxRequestsPerTurn));
  while (!backlog_.empty() && envelopes.size() < kMaxRequestsPerTurn) {
    backlog_bytes_ -= backlog_.front().payload.size();
    envelopes.push_back(std::move(backlog_.front()));
    backlog_.pop_front();
  }
  const bool writes_held = now < writes_held_until_;
  struct Pending {
    transport::Envelope* envelope;
    v1::Request request;
    v1::Reply reply;
    bool decoded = false;
    Role role = Role::kAdmin;
  };
  std::vector<Pending> pending(envelopes.size());
  bool wrote = false;
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    Pending& p = pending[i];
    p.envelope = &envelopes[i];
    const auto& payload = envelopes[i].payload;
    core::Status decoded = transport::DecodeRequest(
        std::string_view(static_cast<const char*>(payload.data()), payload.size()), p.request);
    // The role first: a request the key may not make learns nothing else,
    // and a key removed since it connected may make none at all.
    const std::optional<Role> role = RoleOf(envelopes[i]);
    if (!decoded.ok() && role) {
      WarnBadRequest(now, envelopes[i].peer_address, decoded.message());
      transport::ToProto(decoded, p.reply.mutable_error());
      p.reply.set_request_id(p.request.request_id());
      continue;
    }
    if (!role || !Allowed(*role, p.request.body_case())) {
      if (api_curve_) {
        spdlog::debug("request {} ({}) denied to key \"{}\"", p.request.request_id(),
                      BodyName(p.request), gate_->LabelOf(envelopes[i].user_id));
      }
      transport::ToProto(core::Status::PermissionDenied("request: not allowed for this client's key"),
                         p.reply.mutable_error());
      p.reply.set_request_id(p.request.request_id());
      continue;
    }
    p.decoded = true;
    p.role = *role;
    const bool read_only = IsReadOnly(p.request.body_case());
    if (writes_held && !read_only) {
      transport::ToProto(core::Status::Unavailable(
                             store_error_ + " (writes paused); nothing was saved, retry shortly"),
                         p.reply.mutable_error());
      p.reply.set_request_id(p.request.request_id());
      continue;
    }
    try {
      p.reply = service_->Handle(p.request, now, *role);
    } catch (const std::exception& e) {
      spdlog::error("request {} ({}): {}", p.request.request_id(), BodyName(p.request), e.what());
      p.reply.Clear();
      transport::ToProto(core::Status::Internal("internal error; see the daemon log"),
                         p.reply.mutable_error());
      p.reply.set_request_id(p.request.request_id());
    }
    wrote = wrote || !read_only;
    if (p.reply.has_error()) {
      spdlog::debug("request {} ({}): {}", p.request.request_id(), BodyName(p.request),
                    p.reply.error().message());
    }
  }
  // One commit for everything this turn changed: the group commit. Replies go
  // out only after it, so an acknowledged event is on disk.
  if (wrote && !Commit(now)) {
    for (Pending& p : pending) {
      if (!p.decoded) {
        continue;
      }
      if (IsReadOnly(p.request.body_case())) {
        p.reply = service_->Handle(p.request, now, p.role);  // again, on the rebuilt engine
      } else {
        p.reply.Clear();
        p.reply.set_request_id(p.request.request_id());
        transport::ToProto(
            core::Status::Unavailable(store_error_ + "; nothing was saved, retry shortly"),
                           p.reply.mutable_error());
      }
    }
  }
  for (Pending& p : pending) {
    api_->Send(*p.envelope, p.reply);
  }
}

void Daemon::WarnBadRequest(TimePoint now, const std::string& peer, const std::string& what) {
  if (now - warning_window_ > std::chrono::seconds(1)) {
    if (suppressed_warnings_ > 0) {
      spdlog::warn("{} more bad requests were not logged", suppressed_warnings_);
    }
    warning_window_ = now;
    warnings_in_window_ = 0;
    suppressed_warnings_ = 0;
  }
  if (warnings_in_window_ >= kWarningsPerSecond) {
    ++suppressed_warnings_;
    return;
  }
  ++warnings_in_window_;
  spdlog::warn("bad request from {}: {}", peer.empty() ? "a local client" : peer, what);
}

bool Daemon::Commit(TimePoint now) {
  const std::vector<core::Change> journal = engine_->TakeJournal();
  const core::Status s = store_->Write(journal);
  if (s.ok()) {
    if (writes_held_until_ != TimePoint{}) {
      spdlog::info("store writable again");
      writes_held_until_ = TimePoint{};
      store_error_.clear();
      service_->set_store_error("");
    }
    return true;
  }
  spdlog::error("{}; rebuilding state from the store and holding writes for {} ms", s.message(),
                std::chrono::duration_cast<std::chrono::milliseconds>(kWriteHold).count());
  store_error_ = s.message();
  service_->set_store_error(s.message());
  writes_held_until_ = now + kWriteHold;
  try {
    engine_ = LoadEngine(now);
  } catch (const StartupError& e) {
    // The store cannot even be read: nothing sensible is left to do.
    spdlog::critical("cannot reload the store: {}", e.what());
    throw;
  }
  service_->set_engine(engine_.get());
  return false;
}

void Daemon::PublishDue(TimePoint now) {
  std::vector<core::Nudge> nudges = engine_->TakeDue(now);
  if (!Commit(now)) {
    return;  // not published; due again after the rebuild
  }
  for (const core::Nudge& n : nudges) {
    publisher_->Publish(n);
    spdlog::info("nudge {} ({}) for {}: {}", n.id, core::Name(n.kind),
                 n.contact_ids.empty() ? std::string("-") : n.contact_ids.front(), n.text);
  }
}

}  // namespace warmth::app
