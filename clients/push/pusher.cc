#include "clients/push/pusher.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <ostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/logging.h"
#include "base/paths.h"
#include "base/signal_fd.h"
#include "clients/common/connection.h"
#include "clients/notify/notification.h"
#include "clients/push/secret.h"
#include "daemon/version.h"

namespace warmth::push {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A second ListNudges this long after the nudge socket connects: the daemon
// may answer the first before it has taken our subscription.
constexpr auto kResyncDelay = seconds(1);
constexpr auto kListRetry = seconds(5);     // after a ListNudges that failed
constexpr auto kMissingAfter = seconds(2);  // say the daemon is missing after this long
// Ids delivered this recently are kept even if the daemon's list lacks
// them: the list may predate them.
constexpr auto kPruneGrace = std::chrono::minutes(10);
constexpr std::size_t kLoggedBody = 200;

bool Transient(long status) {
  return status == 0 || status == 429 || status >= 500;
}

// What the server said, for the log: its status and the start of its answer.
std::string Describe(const HttpResponse& r) {
  if (r.status == 0) {
    return r.error;
  }
  std::string body = r.body.substr(0, kLoggedBody);
  for (char& c : body) {
    if (static_cast<unsigned char>(c) < 0x20) {
      c = ' ';
    }
  }
  return "HTTP " + std::to_string(r.status) + (body.empty() ? "" : ": " + body);
}

std::string Seconds(core::Duration d) {
  const auto s = std::chrono::duration_cast<seconds>(d).count();
  return s >= 120 ? std::to_string(s / 60) + " min" : std::to_string(s) + " s";
}

}  // namespace

Pusher::Pusher(PusherOptions options)
    : options_(std::move(options)),
      context_(1),
      api_(context_, client::ClientOptions{options_.api_endpoint, milliseconds(1500),
                                           milliseconds(5000), options_.setup}),
      http_(std::chrono::duration_cast<milliseconds>(options_.push.timeout)) {
  const transport::SocketSetup sub_setup = [this](zmq::socket_t& socket) {
    if (options_.publish_setup) {
      options_.publish_setup(socket);
    }
    socket.set(zmq::sockopt::reconnect_ivl_max, 1000);
    // Watch before connecting, or the first handshake may go unseen.
    const char* address = "inproc://warmth-push-sub";
    if (zmq_socket_monitor(socket.handle(), address,
                           ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED) != 0) {
      throw zmq::error_t();
    }
    monitor_ = zmq::socket_t(context_, zmq::socket_type::pair);
    monitor_.set(zmq::sockopt::linger, 0);
    monitor_.connect(address);
  };
  subscriber_ =
      std::make_unique<client::Subscriber>(context_, options_.publish_endpoint, sub_setup);
  for (const base::PushTarget& config : options_.push.targets) {
    Target t;
    t.config = config;
    if (auto it = options_.tokens.find(config.name); it != options_.tokens.end()) {
      t.token = it->second;
    }
    t.delivered = std::make_unique<notify::ShownNudges>(
        options_.state_dir.empty() ? "" : options_.state_dir + "/push-delivered-" + config.name);
    targets_.push_back(std::move(t));
  }
}

Pusher::~Pusher() = default;

core::Duration Pusher::Backoff(int failures) const {
  core::Duration wait = options_.push.retry_first;
  for (int i = 1; i < failures && wait < options_.push.retry_max; ++i) {
    wait *= 2;
  }
  return std::min(wait, options_.push.retry_max);
}

void Pusher::Offer(const v1::Nudge& nudge) {
  // A nudge already acted on is not pushed; one published without a state
  // is new.
  if (nudge.id().empty() ||
      (nudge.state() != v1::PENDING && nudge.state() != v1::NUDGE_STATE_UNSPECIFIED)) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  for (Target& t : targets_) {
    if (t.delivered->Contains(nudge.id()) || t.pending.contains(nudge.id()) ||
        t.given_up.contains(nudge.id())) {
      continue;
    }
    spdlog::debug("{}: nudge {} queued", t.config.name, nudge.id());
    t.pending.emplace(nudge.id(), Attempt{nudge, 0, 0, now});
  }
}

void Pusher::Closed(const v1::Nudge& nudge) {
  for (Target& t : targets_) {
    if (t.pending.erase(nudge.id()) > 0) {
      spdlog::info("{}: nudge {} was {} before it could be pushed; not pushed", t.config.name,
                   nudge.id(), v1::NudgeState_Name(nudge.state()));
    }
  }
}

void Pusher::Resync(const char* why) {
  spdlog::debug("asking warmthd for pending nudges ({})", why);
  v1::Request request;
  request.mutable_list_nudges();
  auto reply = api_.Call(std::move(request));
  if (!reply.ok()) {
    spdlog::log(reply.status().code() == core::Code::kUnavailable ? spdlog::level::debug
                                                                  : spdlog::level::warn,
                "cannot list pending nudges: {}", reply.status().message());
    if (connected_) {
      resync_at_ = std::chrono::steady_clock::now() + kListRetry;
    }
    return;
  }
  std::set<std::string> pending;
  int fresh = 0;
  for (const auto& nudge : reply->nudges().nudges()) {
    pending.insert(nudge.id());
    for (const Target& t : targets_) {
      if (!t.delivered->Contains(nudge.id()) && !t.pending.contains(nudge.id()) &&
          !t.given_up.contains(nudge.id())) {
        ++fresh;
        break;
      }
    }
    Offer(nudge);
  }
  spdlog::log(fresh > 0 ? spdlog::level::info : spdlog::level::debug,
              "{} pending nudge(s), {} not pushed before", reply->nudges().nudges_size(), fresh);
  for (Target& t : targets_) {
    const core::Status s = t.delivered->Prune(pending, base::Now() - kPruneGrace);
    if (!s.ok()) {
      spdlog::warn("{}: cannot prune delivered nudges: {}", t.config.name, s.message());
    }
  }
}

std::string Pusher::PhoneFor(const v1::Nudge& nudge) {
  // warmthd puts each contact's number in the nudge (none when no contact
  // has one), so a notify key needs no GetContact for the call action.
  return nudge.contact_phones_size() > 0 ? nudge.contact_phones(0) : std::string();
}

bool Pusher::Deliver(Target& t, Attempt& a, SteadyTime now) {
  PushContext context{t.token, {}};
  if (t.config.kind == "ntfy") {
    context.phone = PhoneFor(a.nudge);
  }
  const HttpRequest request = RequestFor(t.config, a.nudge, context);
  ++a.tries;
  const HttpResponse response = http_.Send(request);
  const std::string id = a.nudge.id();  // a copy: erasing `a` below ends the original
  if (response.status >= 200 && response.status < 300) {
    spdlog::info("{}: pushed nudge {} ({}){}", t.config.name, id, notify::Title(a.nudge),
                 a.tries > 1 ? " after " + std::to_string(a.tries) + " tries" : "");
    if (t.wait > core::Duration::zero()) {
      spdlog::info("{}: {} answers again", t.config.name, t.config.url);
    }
    t.wait = core::Duration::zero();
    const core::Status s = t.delivered->Add(id, base::Now());
    if (!s.ok() && !t.state_error_logged) {
      spdlog::warn("{}: cannot remember delivered nudges ({}); a restart may push them again",
                   t.config.name, s.message());
    }
    t.state_error_logged = !s.ok();
    t.pending.erase(id);  // `a` is gone from here on
    return true;
  }
  if (Transient(response.status)) {
    // The target is down or busy: everything for it waits.
    t.wait = t.wait == core::Duration::zero() ? options_.push.retry_first
                                              : std::min(t.wait * 2, options_.push.retry_max);
    core::Duration wait = t.wait;
    if (response.retry_after) {
      wait = std::clamp<core::Duration>(*response.retry_after, wait, options_.push.retry_max);
    }
    t.not_before = now + wait;
    spdlog::warn("{}: nudge {} not pushed ({}); {} nudge(s) wait, next try in {}", t.config.name,
                 id, Describe(response), t.pending.size(), Seconds(wait));
    return false;
  }
  // Refused (4xx): this request is wrong for the server (a bad token, a
  // bad topic). Retried a few times, since a token fixed on the server
  // side helps, then given up loudly.
  ++a.refusals;
  if (a.refusals >= options_.push.give_up_after) {
    spdlog::error(
        "{}: GAVE UP on nudge {} ({}) after {} refusals, the last {}; check [push] in "
        "the config and restart warmth-push to try again",
        t.config.name, id, notify::Title(a.nudge), a.refusals, Describe(response));
    t.given_up.insert(id);
    t.pending.erase(id);
    return true;
  }
  const core::Duration wait = Backoff(a.refusals);
  a.next_at = now + wait;
  spdlog::error("{}: nudge {} refused ({}); try {} of {} in {}", t.config.name, id,
                Describe(response), a.refusals + 1, options_.push.give_up_after, Seconds(wait));
  return true;
}

bool Pusher::DeliverDue(Target& t, SteadyTime now) {
  if (t.wait > core::Duration::zero() && now < t.not_before) {
    return false;
  }
  std::vector<std::string> due;
  for (const auto& [id, a] : t.pending) {
    if (a.next_at <= now) {
      due.push_back(id);
    }
  }
  for (const std::string& id : due) {
    auto it = t.pending.find(id);
    if (it == t.pending.end()) {
      continue;
    }
    if (!Deliver(t, it->second, now)) {
      return false;  // failing: the rest waits with it
    }
  }
  return true;
}

void Pusher::ReadNudges() {
  while (auto p = subscriber_->Next(milliseconds(0))) {
    if (p->closed) {
      Closed(p->nudge);
      continue;
    }
    spdlog::debug("nudge {} published", p->nudge.id());
    Offer(p->nudge);
  }
}

void Pusher::ReadMonitor() {
  while (true) {
    zmq::message_t event;
    if (!monitor_.recv(event, zmq::recv_flags::dontwait)) {
      return;
    }
    zmq::message_t address;
    if (event.more()) {
      (void)monitor_.recv(address, zmq::recv_flags::dontwait);
    }
    if (event.size() < 6) {
      continue;
    }
    std::uint16_t id = 0;
    std::memcpy(&id, event.data(), sizeof id);
    if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      connected_ = true;
      missing_check_at_.reset();
      if (missing_logged_) {
        spdlog::info("warmthd is back at {}", options_.publish_endpoint);
        missing_logged_ = false;
      } else {
        spdlog::info("connected to warmthd at {}", options_.publish_endpoint);
      }
      Resync("subscribed to nudges");
      resync_at_ = std::chrono::steady_clock::now() + kResyncDelay;
    } else if (id == ZMQ_EVENT_DISCONNECTED) {
      connected_ = false;
      resync_at_.reset();
      if (!missing_logged_) {
        spdlog::warn("warmthd went away from {}; waiting for it to come back",
                     options_.publish_endpoint);
        missing_logged_ = true;
      }
    }
  }
}

void Pusher::Timers(SteadyTime now) {
  if (missing_check_at_ && now >= *missing_check_at_) {
    missing_check_at_.reset();
    if (!connected_ && !missing_logged_) {
      spdlog::warn("warmthd is not running (nothing answers at {}); waiting for it",
                   options_.publish_endpoint);
      missing_logged_ = true;
    }
  }
  if (resync_at_ && now >= *resync_at_) {
    resync_at_.reset();
    Resync("settling after (re)connect");
  }
  for (Target& t : targets_) {
    DeliverDue(t, now);
  }
}

std::optional<Pusher::SteadyTime> Pusher::NextTimer() const {
  std::optional<SteadyTime> next;
  const auto consider = [&next](SteadyTime t) {
    if (!next || t < *next) {
      next = t;
    }
  };
  if (missing_check_at_) {
    consider(*missing_check_at_);
  }
  if (resync_at_) {
    consider(*resync_at_);
  }
  for (const Target& t : targets_) {
    for (const auto& [id, a] : t.pending) {
      consider(t.wait > core::Duration::zero() ? std::max(a.next_at, t.not_before) : a.next_at);
    }
  }
  return next;
}

int Pusher::Run() {
  base::SignalFd signals({SIGINT, SIGTERM});
  missing_check_at_ = std::chrono::steady_clock::now() + kMissingAfter;
  std::string names;
  for (const Target& t : targets_) {
    names += (names.empty() ? "" : ", ") + t.config.name + " (" + t.config.url + ")";
  }
  spdlog::info("warmth-push {}: nudges from {} to {}", kVersion, options_.publish_endpoint, names);
  sd_notify(0, "READY=1");
  while (true) {
    std::vector<zmq::pollitem_t> items = {
        {nullptr, signals.fd(), ZMQ_POLLIN, 0},
        {subscriber_->socket().handle(), 0, ZMQ_POLLIN, 0},
        {monitor_.handle(), 0, ZMQ_POLLIN, 0},
    };
    milliseconds timeout(-1);
    if (const auto deadline = NextTimer()) {
      const auto left = *deadline - std::chrono::steady_clock::now();
      timeout = std::max(milliseconds(0), std::chrono::ceil<milliseconds>(left));
    }
    try {
      zmq::poll(items, timeout);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) {
        throw;
      }
      continue;
    }
    if ((items[0].revents & ZMQ_POLLIN) != 0) {
      const int signo = signals.Read();
      if (signo == SIGINT || signo == SIGTERM) {
        spdlog::info("stopping ({})", signo == SIGINT ? "SIGINT" : "SIGTERM");
        break;
      }
    }
    if ((items[2].revents & ZMQ_POLLIN) != 0) {
      ReadMonitor();
    }
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      ReadNudges();
    }
    Timers(std::chrono::steady_clock::now());
  }
  sd_notify(0, "STOPPING=1");
  for (const Target& t : targets_) {
    if (!t.pending.empty()) {
      spdlog::warn("{}: {} nudge(s) not pushed yet; they are pushed after the next start",
                   t.config.name, t.pending.size());
    }
  }
  return 0;
}

namespace {

constexpr const char* kFooter = R"(DESCRIPTION
  Forwards each nudge warmthd publishes to your phone through a push
  service: ntfy, Gotify, a Matrix room or a JSON webhook, over HTTPS.
  Each nudge is pushed once per target, also across restarts; nudges
  published while warmth-push was not running are pushed when it starts.
  A target that fails is retried with back-off; nothing is dropped
  silently. Nothing is sent unless [push] names a target.

CONFIGURATION
  [push] in warmth.toml (the same file as warmthd's), for example:
    [push]
    retry_first = "1s"      # back-off after a failure, doubling...
    retry_max = "5m"        # ...up to this
    give_up_after = 5       # tries for a nudge a target refuses (4xx)
    timeout = "30s"         # per HTTP request
    [push.ntfy]
    url = "https://ntfy.sh/my-warmth-topic"
    token_file = "ntfy.token"          # optional
    click = "https://example.org/"     # optional
    [push.gotify]
    url = "https://gotify.example.org"
    token_file = "gotify.token"        # the application token
    [push.matrix]
    homeserver = "https://matrix.example.org"
    room = "!abc123:example.org"
    token_file = "matrix.token"        # an access token
    [push.webhook]
    url = "https://hooks.example.org/warmth"
    token_file = "webhook.token"       # optional: Authorization: Bearer
  [[push.ntfy]] (an array of tables, each with a `name`) gives several
  targets of one kind. Token files are relative to the config file and
  must be readable by their owner alone (chmod 600).

FILES
  $XDG_STATE_HOME/warmth/push-delivered-<target>   ids pushed to each target

EXIT STATUS
  0 stopped by SIGTERM or SIGINT; 1 fatal error; 2 bad command line;
  78 bad config: no target, an unknown key, a token file missing or open
  to other users.

See docs/deploy.md, "Nudges on your phone".)";

// The config's and the flags' part of PusherOptions, token files read.
// An exit code when something is wrong (logged or printed), else nullopt.
std::optional<int> ReadOptions(const client::ConnectionFlags& connection, PusherOptions& options,
                               std::ostream& err) {
  try {
    const base::Config config = client::LoadConfig(connection);
    if (config.push.targets.empty()) {
      spdlog::critical(
          "config: no push target in {}: add [push.ntfy], [push.gotify], [push.matrix] or "
          "[push.webhook] (warmth-push --help); nothing is sent until then",
          config.source.empty() ? base::ConfigFile() : config.source);
      return base::kExitConfig;
    }
    options.push = config.push;
    for (const base::PushTarget& t : config.push.targets) {
      if (t.token_file.empty()) {
        continue;
      }
      auto token = ReadSecretFile(t.token_file);
      if (!token.ok()) {
        spdlog::critical("config: push target {}: token_file: {}", t.name,
                         token.status().message());
        return base::kExitConfig;
      }
      options.tokens[t.name] = *token;
    }
    options.publish_endpoint = connection.pub.empty() ? config.PublishEndpoint() : connection.pub;
    auto api = client::MakeClientOptions(config, connection);
    if (!api.ok()) {
      err << "warmth-push: " << api.status().message() << '\n';
      return base::kExitUsage;
    }
    auto publish_setup =
        client::ClientSocketSetup(config, options.publish_endpoint, connection.keys);
    if (!publish_setup.ok()) {
      err << "warmth-push: " << publish_setup.status().message() << '\n';
      return base::kExitUsage;
    }
    options.api_endpoint = api->endpoint;
    options.setup = std::move(api->setup);
    options.publish_setup = std::move(publish_setup).value();
  } catch (const base::ConfigError& e) {
    spdlog::critical("config: {}", e.what());
    return base::kExitConfig;
  }
  return std::nullopt;
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App cli("warmth-push: pushes warmth's nudges to your phone (ntfy, Gotify, Matrix, webhook)",
               "warmth-push");
  cli.set_version_flag("--version", std::string("warmth-push ") + kVersion);
  cli.footer(kFooter);
  base::AddManualFlag(cli, ManPage(), out);
  client::ConnectionFlags connection;
  std::string state_dir;
  std::string log_level = "info";
  client::AddConnectionFlags(
      cli, connection,
      {{client::Flag::kConfig},
       {client::Flag::kServerKey,
        "tcp:// only: the daemon's public key, or its file (default: [client] server_key)"},
       {client::Flag::kKey,
        "tcp:// only: this client's secret key file (default: [client] secret_key)"},
       {client::Flag::kApi, "Daemon API endpoint (default from the config: [api] endpoint)"},
       {client::Flag::kPub, "Daemon nudge endpoint (default from the config: [api] publish)"}});
  cli.add_option("--state-dir", state_dir,
                 "Where delivered nudge ids are kept (default " + base::StateDir() + ")");
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e, out, err);
    return code == 0 ? 0 : base::kExitUsage;
  }
  base::SetUpLogging("warmth-push", log_level);

  PusherOptions options;
  if (const auto code = ReadOptions(connection, options, err)) {
    return *code;
  }
  options.state_dir = state_dir.empty() ? base::StateDir() : state_dir;
  try {
    base::BlockSignals({SIGINT, SIGTERM});
    Pusher pusher(std::move(options));
    return pusher.Run();
  } catch (const zmq::error_t& e) {
    spdlog::critical("cannot start: {}", e.what());
    return base::kExitConfig;
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return base::kExitError;
  }
}

}  // namespace warmth::push
