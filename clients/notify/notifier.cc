#include "clients/notify/notifier.h"

#include <algorithm>
#include <csignal>
#include <ostream>
#include <set>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/exit_codes.h"
#include "base/logging.h"
#include "base/paths.h"
#include "base/signal_fd.h"
#include "clients/common/connection.h"
#include "clients/common/format.h"
#include "clients/common/security.h"
#include "daemon/version.h"

namespace warmth::notify {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// How long a request may go unanswered before it is sent again (the daemon
// answers in milliseconds; a silent one was restarting or is gone).
constexpr auto kReplyTimeout = seconds(5);
constexpr auto kActionGiveUp = seconds(3600);  // a click waits this long for the daemon
constexpr auto kListGiveUp = seconds(60);      // the next (re)connect asks again anyway
// A second ListNudges this long after the nudge socket connects: the daemon
// may answer the first before it has taken our subscription, and a nudge
// published in between would reach neither.
constexpr auto kResyncDelay = seconds(1);
constexpr auto kMissingAfter = seconds(2);  // say the daemon is missing after this long
// Ids shown this recently are kept even if the daemon's list lacks them: the
// list may predate them.
constexpr auto kPruneGrace = std::chrono::minutes(10);

std::string ActionName(Action action) {
  switch (action) {
    case Action::kCalled:
      return "Called";
    case Action::kSnooze:
      return "Snooze";
    case Action::kDismiss:
      return "Dismiss";
  }
  return "?";
}

zmq::socket_t Monitor(zmq::context_t& context, zmq::socket_t& socket, const std::string& name) {
  const std::string address = "inproc://" + name;
  if (zmq_socket_monitor(socket.handle(), address.c_str(),
                         ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED) != 0) {
    throw zmq::error_t();
  }
  zmq::socket_t monitor(context, zmq::socket_type::pair);
  monitor.set(zmq::sockopt::linger, 0);
  monitor.connect(address);
  return monitor;
}

}  // namespace

Notifier::Notifier(NotifierOptions options, std::ostream& out)
    : options_(std::move(options)),
      out_(out),
      context_(1),
      dealer_(context_, zmq::socket_type::dealer),
      shown_(options_.state_file) {
  // The monitor must watch the socket before it connects, or the first
  // handshake may come and go unseen: Subscriber applies `setup` before
  // connecting.
  const transport::SocketSetup sub_setup = [this](zmq::socket_t& socket) {
    if (options_.publish_setup) {
      options_.publish_setup(socket);
    }
    socket.set(zmq::sockopt::reconnect_ivl_max, 1000);
    sub_monitor_ = Monitor(context_, socket, "warmth-notify-sub");
  };
  subscriber_ =
      std::make_unique<client::Subscriber>(context_, options_.publish_endpoint, sub_setup);

  dealer_.set(zmq::sockopt::linger, 0);
  // Queue nothing for a daemon that is not there: Outgoing keeps requests
  // until the connection is up, so a restart never floods it with copies.
  dealer_.set(zmq::sockopt::immediate, 1);
  dealer_.set(zmq::sockopt::reconnect_ivl_max, 1000);
  dealer_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(64) << 20);
  if (options_.setup) {
    options_.setup(dealer_);
  }
  api_monitor_ = Monitor(context_, dealer_, "warmth-notify-api");
  dealer_.connect(options_.api_endpoint);

  id_prefix_ = "notify-" + std::to_string(::getpid()) + "-" + client::RandomId().substr(0, 6) + "-";
  if (options_.output == Output::kDesktop) {
    desktop_ = std::make_unique<DesktopNotifications>(
        options_.snooze,
        DesktopNotifications::Callbacks{[this](const v1::Nudge& n) { Shown(n); },
                                        [this](const v1::Nudge& n, Action a) { Act(n, a); },
                                        [this] { Resync("the notification server is ready"); }});
  }
}

Notifier::~Notifier() = default;

void Notifier::Offer(const v1::Nudge& nudge) {
  if (nudge.id().empty() || shown_.Contains(nudge.id()) || closed_.contains(nudge.id())) {
    return;
  }
  if (desktop_) {
    desktop_->Show(nudge);
    return;
  }
  if (options_.output == Output::kJson) {
    out_ << client::Json(nudge) << std::endl;
  } else {
    out_ << ConsoleLine(nudge, options_.zone) << std::endl;
  }
  Shown(nudge);
}

void Notifier::Closed(const v1::Nudge& nudge) {
  if (nudge.id().empty()) {
    return;
  }
  spdlog::debug("nudge {} is now {}", nudge.id(), v1::NudgeState_Name(nudge.state()));
  closed_[nudge.id()] = std::chrono::steady_clock::now();
  if (desktop_) {
    desktop_->Close(nudge.id());
  }
}

void Notifier::Shown(const v1::Nudge& nudge) {
  const core::Status s = shown_.Add(nudge.id(), base::Now());
  if (!s.ok() && !state_error_logged_) {
    spdlog::warn("cannot remember shown nudges ({}); a restart may show them again", s.message());
    state_error_logged_ = true;
  } else if (s.ok()) {
    state_error_logged_ = false;
  }
}

void Notifier::Act(const v1::Nudge& nudge, Action action) {
  const std::string what = ActionName(action) + " for nudge " + nudge.id();
  spdlog::info("{}: {}", what, Title(nudge));
  Enqueue(RequestFor(action, nudge, options_.snooze), what, kActionGiveUp,
          [what](const core::Result<v1::Reply>& reply) {
            if (reply.ok()) {
              spdlog::info("recorded {}", what);
            } else if (reply.status().code() == core::Code::kFailedPrecondition ||
                       reply.status().code() == core::Code::kNotFound) {
              // Acted on elsewhere, or a retry of a request that got through.
              spdlog::info("{}: nothing to do ({})", what, reply.status().message());
            } else {
              spdlog::error("could not record {}: {}", what, reply.status().message());
            }
          });
}

void Notifier::Resync(const char* why) {
  for (const auto& [id, o] : outgoing_) {
    if (o.is_list && !o.sent_at) {
      return;  // one is waiting to go out already
    }
  }
  spdlog::debug("asking warmthd for pending nudges ({})", why);
  v1::Request request;
  request.mutable_list_nudges();
  const SteadyTime asked_at = std::chrono::steady_clock::now();
  Enqueue(
      std::move(request), "ListNudges", kListGiveUp,
      [this, asked_at](const core::Result<v1::Reply>& reply) {
        if (!reply.ok()) {
          // Unavailable: the daemon is away, which is logged already, and
          // its return brings another list.
          if (reply.status().code() == core::Code::kUnavailable) {
            spdlog::debug("no pending list: {}", reply.status().message());
          } else {
            spdlog::warn("cannot list pending nudges: {}", reply.status().message());
          }
          return;
        }
        OnPending(reply->nudges(), asked_at);
      },
      true);
}

void Notifier::OnPending(const v1::NudgeList& list, SteadyTime asked_at) {
  std::set<std::string> pending;
  int fresh = 0;
  for (const auto& nudge : list.nudges()) {
    pending.insert(nudge.id());
    const bool known = shown_.Contains(nudge.id()) || closed_.contains(nudge.id()) ||
                       (desktop_ && desktop_->Has(nudge.id()));
    if (!known) {
      ++fresh;
      Offer(nudge);
    }
  }
  spdlog::log(fresh > 0 ? spdlog::level::info : spdlog::level::debug,
              "{} pending nudge(s), {} not shown before", list.nudges_size(), fresh);
  if (desktop_) {
    desktop_->Withdraw(pending, asked_at);
  }
  // This list already leaves out what was closed before it was asked for.
  std::erase_if(closed_, [asked_at](const auto& entry) { return entry.second < asked_at; });
  const core::Status s = shown_.Prune(pending, base::Now() - kPruneGrace);
  if (!s.ok()) {
    spdlog::warn("cannot prune shown nudges: {}", s.message());
  }
}

void Notifier::Enqueue(v1::Request request, std::string what, std::chrono::seconds give_up,
                       std::function<void(const core::Result<v1::Reply>&)> done, bool is_list) {
  request.set_request_id(id_prefix_ + std::to_string(next_id_++));
  const std::string id = request.request_id();
  outgoing_.emplace(id, Outgoing{std::move(request), std::move(what), std::move(done), std::nullopt,
                                 std::chrono::steady_clock::now() + give_up, is_list});
  SendOutgoing();
}

void Notifier::SendOutgoing() {
  // Oldest first: request ids grow with time within the prefix only by
  // length, so order by the time they were queued instead.
  std::vector<Outgoing*> unsent;
  for (auto& [id, o] : outgoing_) {
    if (!o.sent_at) {
      unsent.push_back(&o);
    }
  }
  std::sort(unsent.begin(), unsent.end(),
            [](const Outgoing* a, const Outgoing* b) { return a->give_up_at < b->give_up_at; });
  for (Outgoing* o : unsent) {
    const std::string bytes = o->request.SerializeAsString();
    try {
      if (!dealer_.send(zmq::message_t(), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
        return;  // no daemon connected: wait for the handshake
      }
      dealer_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    } catch (const zmq::error_t& e) {
      spdlog::warn("cannot send {}: {}", o->what, e.what());
      return;
    }
    o->sent_at = std::chrono::steady_clock::now();
  }
}

void Notifier::ReadReplies() {
  while (true) {
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(dealer_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      return;
    }
    v1::Reply reply;
    if (!reply.ParseFromArray(frames.back().data(), static_cast<int>(frames.back().size()))) {
      spdlog::warn("ignored an undecodable reply from warmthd");
      continue;
    }
    const auto it = outgoing_.find(reply.request_id());
    if (it == outgoing_.end()) {
      continue;  // a late copy of a request answered already
    }
    Outgoing o = std::move(it->second);
    outgoing_.erase(it);
    const core::Status s = client::StatusOf(reply);
    if (s.ok()) {
      o.done(std::move(reply));
    } else {
      o.done(s);
    }
  }
}

void Notifier::ReadNudges() {
  // Next, not Receive: the "nudge." subscription brings nudge.closed too,
  // which must close a notification, never show one.
  while (auto p = subscriber_->Next(milliseconds(0))) {
    if (p->closed) {
      Closed(p->nudge);
      continue;
    }
    spdlog::debug("nudge {} published", p->nudge.id());
    Offer(p->nudge);
  }
}

void Notifier::ReadMonitor(zmq::socket_t& monitor, bool is_api) {
  while (true) {
    zmq::message_t event;
    if (!monitor.recv(event, zmq::recv_flags::dontwait)) {
      return;
    }
    zmq::message_t address;
    if (event.more()) {
      (void)monitor.recv(address, zmq::recv_flags::dontwait);
    }
    if (event.size() < 6) {
      continue;
    }
    std::uint16_t id = 0;
    std::memcpy(&id, event.data(), sizeof id);
    if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
      if (is_api) {
        api_connected_ = true;
        missing_check_at_.reset();
        if (daemon_missing_logged_) {
          spdlog::info("warmthd is back at {}", options_.api_endpoint);
          daemon_missing_logged_ = false;
        } else {
          spdlog::info("connected to warmthd at {}", options_.api_endpoint);
        }
        SendOutgoing();
      } else {
        Resync("subscribed to nudges");
        resync_at_ = std::chrono::steady_clock::now() + kResyncDelay;
      }
    } else if (id == ZMQ_EVENT_DISCONNECTED && is_api) {
      api_connected_ = false;
      if (!daemon_missing_logged_) {
        spdlog::warn("warmthd went away from {}; waiting for it to come back",
                     options_.api_endpoint);
        daemon_missing_logged_ = true;
      }
      // Whatever was in flight may be lost with the old connection.
      for (auto& [rid, o] : outgoing_) {
        o.sent_at.reset();
      }
    }
  }
}

void Notifier::Timers(SteadyTime now) {
  if (missing_check_at_ && now >= *missing_check_at_) {
    missing_check_at_.reset();
    if (!api_connected_ && !daemon_missing_logged_) {
      spdlog::warn("warmthd is not running (nothing answers at {}); waiting for it",
                   options_.api_endpoint);
      daemon_missing_logged_ = true;
    }
  }
  if (resync_at_ && now >= *resync_at_) {
    resync_at_.reset();
    Resync("settling after (re)connect");
  }
  bool resend = false;
  for (auto it = outgoing_.begin(); it != outgoing_.end();) {
    Outgoing& o = it->second;
    if (now >= o.give_up_at) {
      auto done = std::move(o.done);
      const std::string what = o.what;
      it = outgoing_.erase(it);
      done(core::Status::Unavailable("warmthd did not answer " + what));
      continue;
    }
    if (o.sent_at && now - *o.sent_at >= kReplyTimeout) {
      o.sent_at.reset();
      resend = true;
    }
    ++it;
  }
  if (resend) {
    SendOutgoing();
  }
}

std::optional<Notifier::SteadyTime> Notifier::NextTimer() const {
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
  for (const auto& [id, o] : outgoing_) {
    consider(o.give_up_at);
    if (o.sent_at) {
      consider(*o.sent_at + kReplyTimeout);
    }
  }
  return next;
}

int Notifier::Run() {
  base::SignalFd signals({SIGINT, SIGTERM});
  missing_check_at_ = std::chrono::steady_clock::now() + kMissingAfter;
  Resync("starting");
  if (desktop_) {
    desktop_->Start();
  }
  spdlog::info("warmth-notify {}: nudges from {}, {}", kVersion, options_.publish_endpoint,
               options_.output == Output::kDesktop ? "shown as desktop notifications"
               : options_.output == Output::kJson  ? "printed as JSON lines"
                                                   : "printed as lines");
  sd_notify(0, "READY=1");
  while (true) {
    if (desktop_) {
      desktop_->Process();  // before each poll: sd-bus may have work queued
    }
    std::vector<zmq::pollitem_t> items = {
        {nullptr, signals.fd(), ZMQ_POLLIN, 0},
        {subscriber_->socket().handle(), 0, ZMQ_POLLIN, 0},
        {dealer_.handle(), 0, ZMQ_POLLIN, 0},
        {sub_monitor_.handle(), 0, ZMQ_POLLIN, 0},
        {api_monitor_.handle(), 0, ZMQ_POLLIN, 0},
    };
    std::optional<SteadyTime> deadline = NextTimer();
    if (desktop_) {
      if (auto bus = desktop_->PollItem()) {
        items.push_back(*bus);
      }
      if (auto t = desktop_->Deadline(); t && (!deadline || *t < *deadline)) {
        deadline = t;
      }
    }
    milliseconds timeout(-1);
    if (deadline) {
      const auto left = *deadline - std::chrono::steady_clock::now();
      // Round up: waking a little early would spin until the deadline.
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
    if ((items[3].revents & ZMQ_POLLIN) != 0) {
      ReadMonitor(sub_monitor_, false);
    }
    if ((items[4].revents & ZMQ_POLLIN) != 0) {
      ReadMonitor(api_monitor_, true);
    }
    if ((items[2].revents & ZMQ_POLLIN) != 0) {
      ReadReplies();
    }
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      ReadNudges();
    }
    Timers(std::chrono::steady_clock::now());
  }
  sd_notify(0, "STOPPING=1");
  for (const auto& [id, o] : outgoing_) {
    if (!o.is_list) {
      spdlog::warn("{} was not recorded: warmthd did not answer before the stop", o.what);
    }
  }
  return 0;
}

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App cli("warmth-notify: shows warmth's nudges as desktop notifications", "warmth-notify");
  cli.set_version_flag("--version", std::string("warmth-notify ") + kVersion);
  client::ConnectionFlags connection;
  std::string state_dir;
  bool text = false;
  bool json = false;
  std::string log_level = "info";
  client::AddConnectionFlags(
      cli, connection,
      {{client::Flag::kConfig},
       {client::Flag::kServerKey,
        "tcp:// only: the daemon's public key, or its file (default: [client] server_key)"},
       {client::Flag::kKey,
        "tcp:// only: this notifier's secret key file (default: [client] secret_key)"},
       {client::Flag::kApi, "Daemon API endpoint (default from the config: [api] endpoint)"},
       {client::Flag::kPub, "Daemon nudge endpoint (default from the config: [api] publish)"}});
  auto* text_flag =
      cli.add_flag("--stdout", text, "No desktop: print each nudge as a line on stdout");
  cli.add_flag("--json", json, "No desktop: print each nudge as a JSON line on stdout")
      ->excludes(text_flag);
  cli.add_option("--state-dir", state_dir,
                 "Where shown nudge ids are kept (default " + base::StateDir() + ")");
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  base::AddManualFlag(cli, ManPage(), out);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e, out, err);
    return code == 0 ? 0 : base::kExitUsage;
  }

  // Logs go to stderr (journald under systemd); stdout is for --stdout/--json.
  base::SetUpLogging("warmth-notify", log_level);

  NotifierOptions options;
  try {
    const base::Config config = client::LoadConfig(connection);
    options.publish_endpoint = connection.pub.empty() ? config.PublishEndpoint() : connection.pub;
    options.snooze = config.notify.snooze;
    options.zone = base::ResolveTimeZone(config.timezone);
    auto api = client::MakeClientOptions(config, connection);
    if (!api.ok()) {
      err << "warmth-notify: " << api.status().message() << '\n';
      return base::kExitUsage;
    }
    auto publish_setup =
        client::ClientSocketSetup(config, options.publish_endpoint, connection.keys);
    if (!publish_setup.ok()) {
      err << "warmth-notify: " << publish_setup.status().message() << '\n';
      return base::kExitUsage;
    }
    options.api_endpoint = api->endpoint;
    options.setup = std::move(api->setup);
    options.publish_setup = std::move(publish_setup).value();
  } catch (const base::ConfigError& e) {
    spdlog::critical("config: {}", e.what());
    return base::kExitConfig;
  }
  options.output = json ? Output::kJson : text ? Output::kText : Output::kDesktop;
  // Desktop and console keep separate lists: a nudge printed on a terminal
  // has not been seen on the desktop.
  options.state_file =
      (state_dir.empty() ? base::StateDir() : state_dir) + "/" +
      (options.output == Output::kDesktop ? "notify-shown" : "notify-shown-stdout");
  try {
    // Block the signals before ZeroMQ starts its threads, so that only the
    // signalfd sees them.
    base::BlockSignals({SIGINT, SIGTERM});
    Notifier notifier(std::move(options), out);
    return notifier.Run();
  } catch (const zmq::error_t& e) {
    spdlog::critical("cannot start: {}", e.what());
    return base::kExitConfig;
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}

}  // namespace warmth::notify
