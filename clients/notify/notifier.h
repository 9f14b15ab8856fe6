#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <date/tz.h>
#include <zmq.hpp>

#include "base/cli_doc.h"
#include "clients/common/client.h"
#include "clients/notify/desktop.h"
#include "clients/notify/notification.h"
#include "clients/notify/shown.h"
#include "daemon/transport/sockets.h"

namespace warmth::notify {

enum class Output : std::uint8_t {
  kDesktop,  // freedesktop notifications with actions
  kText,     // --stdout: one line per nudge
  kJson,     // --json: one JSON object per line (protobuf JSON mapping)
};

struct NotifierOptions {
  std::string api_endpoint;      // the daemon's requests (ListNudges, Done, …)
  std::string publish_endpoint;  // the daemon's nudges
  Output output = Output::kDesktop;
  core::Duration snooze = 3 * core::kDay;  // the Snooze action
  std::string state_file;                  // shown nudge ids; empty: remember in memory only
  const date::time_zone* zone = nullptr;   // for --stdout times; nullptr: UTC
  transport::SocketSetup setup;            // for the API socket: e.g. CURVE keys
  transport::SocketSetup publish_setup;    // for the nudge socket
};

// warmth-notify's loop: one thread polls the daemon's PUB socket, a DEALER
// for requests, their socket monitors, a signalfd and (in desktop mode) the
// session bus, all in one zmq::poll.
//
// On start and whenever the daemon (re)appears it asks for the pending nudges
// (ListNudges), so nudges published while it was not listening are shown
// too; ids in ShownNudges are never shown twice. The daemon or the
// notification server missing is logged once and waited out, never fatal.
// Action requests wait for the daemon (up to an hour) and are retried;
// retrying is safe since a second Done on a nudge is refused as already done.
// A nudge acted on anywhere (published as nudge.closed) has its notification
// closed at once; a ListNudges answer withdraws any that were missed.
class Notifier {
 public:
  // Throws zmq::error_t for an endpoint ZeroMQ refuses.
  Notifier(NotifierOptions options, std::ostream& out);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Runs until SIGINT or SIGTERM (which it blocks and reads through a
  // signalfd; block them before any thread starts). Returns the exit code.
  int Run();

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Outgoing {
    v1::Request request;
    std::string what;  // for the log: "Called for nudge cool-…"
    std::function<void(const core::Result<v1::Reply>&)> done;
    std::optional<SteadyTime> sent_at;
    SteadyTime give_up_at;
    bool is_list = false;
  };

  void Offer(const v1::Nudge& nudge);
  // nudge.closed: the nudge was acted on (here or elsewhere); its
  // notification goes.
  void Closed(const v1::Nudge& nudge);
  void Shown(const v1::Nudge& nudge);
  void Act(const v1::Nudge& nudge, Action action);
  void Resync(const char* why);
  void OnPending(const v1::NudgeList& list, SteadyTime asked_at);
  void Enqueue(v1::Request request, std::string what, std::chrono::seconds give_up,
               std::function<void(const core::Result<v1::Reply>&)> done, bool is_list = false);
  void SendOutgoing();
  void ReadReplies();
  void ReadNudges();
  void ReadMonitor(zmq::socket_t& monitor, bool is_api);
  void Timers(SteadyTime now);
  std::optional<SteadyTime> NextTimer() const;

  NotifierOptions options_;
  std::ostream& out_;
  zmq::context_t context_;
  std::unique_ptr<client::Subscriber> subscriber_;
  zmq::socket_t dealer_;
  zmq::socket_t sub_monitor_;
  zmq::socket_t api_monitor_;
  ShownNudges shown_;
  // Ids of nudges closed since, by when: never offered again, even by a
  // ListNudges answer asked for before the change (OnPending forgets those
  // older than its list).
  std::map<std::string, SteadyTime> closed_;
  std::unique_ptr<DesktopNotifications> desktop_;
  std::map<std::string, Outgoing> outgoing_;  // by request_id
  std::string id_prefix_;
  std::uint64_t next_id_ = 1;
  bool api_connected_ = false;
  bool daemon_missing_logged_ = false;
  bool state_error_logged_ = false;
  std::optional<SteadyTime> missing_check_at_;  // log once if the daemon is not there by then
  std::optional<SteadyTime> resync_at_;         // a second ListNudges after (re)connecting
};

// The whole warmth-notify command line; main() is a call to this.
// --config, --api, --pub, --stdout, --json, --state-dir, --log-level.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// The prose of its man page (warmth-notify --manual).
base::ManPage ManPage();  // manual.cc

}  // namespace warmth::notify
