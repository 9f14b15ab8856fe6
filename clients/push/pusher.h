#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "base/cli_doc.h"
#include "base/config.h"
#include "clients/common/client.h"
#include "clients/notify/shown.h"
#include "clients/push/http.h"
#include "clients/push/targets.h"
#include "daemon/transport/sockets.h"

namespace warmth::push {

struct PusherOptions {
  std::string api_endpoint;      // the daemon's requests (ListNudges)
  std::string publish_endpoint;  // the daemon's nudges
  transport::SocketSetup setup;  // for the API socket: e.g. CURVE keys
  transport::SocketSetup publish_setup;
  base::PushConfig push;  // at least one target
  // The secret of each target, by name (read by ReadSecretFile); a target
  // without a token_file has none.
  std::map<std::string, std::string> tokens;
  // Where each target's delivered ids are kept, as push-delivered-<name>;
  // empty: in memory only.
  std::string state_dir;
};

// warmth-push's loop: one thread polls the daemon's PUB socket, its socket
// monitor and a signalfd, and sends due pushes in between (each blocks for
// at most [push] timeout).
//
// Every nudge is pushed to every target until the target answers 2xx; the
// ids delivered are kept per target (notify::ShownNudges), so a restart
// pushes nothing twice. On start and whenever the daemon (re)appears it asks
// for the pending nudges, so nudges published while it was down are pushed
// too. A target that fails (no answer, 5xx, 429) holds its queue and is
// retried after [push] retry_first, doubling up to retry_max; a nudge it
// refuses (another 4xx) is retried the same way and given up, with an
// error in the log, after [push] give_up_after refusals (until the next
// start). A nudge closed (nudge.closed) before it was pushed is not pushed.
class Pusher {
 public:
  // Throws zmq::error_t for an endpoint ZeroMQ refuses, std::runtime_error
  // when libcurl cannot start.
  explicit Pusher(PusherOptions options);
  ~Pusher();
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  // Runs until SIGINT or SIGTERM (block them before any thread starts).
  // Returns the exit code.
  int Run();

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Attempt {
    v1::Nudge nudge;
    int tries = 0;       // sent so far
    int refusals = 0;    // answered with a 4xx other than 429
    SteadyTime next_at;  // not before then
  };
  struct Target {
    base::PushTarget config;
    std::string token;
    std::unique_ptr<notify::ShownNudges> delivered;
    std::map<std::string, Attempt> pending;  // by nudge id
    std::set<std::string> given_up;          // refused too often; until restart
    core::Duration wait{0};                  // back-off while failing; 0: healthy
    SteadyTime not_before;                   // while failing: the next try
    bool state_error_logged = false;
  };

  void Offer(const v1::Nudge& nudge);
  void Closed(const v1::Nudge& nudge);
  void Resync(const char* why);
  // Sends one push. False when the target failed (no answer, 5xx, 429)
  // and holds its queue; true when it answered (also with a refusal).
  bool Deliver(Target& target, Attempt& attempt, SteadyTime now);
  // False when the target failed and holds its queue.
  bool DeliverDue(Target& target, SteadyTime now);
  std::string PhoneFor(const v1::Nudge& nudge);
  void ReadNudges();
  void ReadMonitor();
  void Timers(SteadyTime now);
  std::optional<SteadyTime> NextTimer() const;
  core::Duration Backoff(int failures) const;

  PusherOptions options_;
  zmq::context_t context_;
  std::unique_ptr<client::Subscriber> subscriber_;
  zmq::socket_t monitor_;
  client::Client api_;
  HttpClient http_;
  std::vector<Target> targets_;
  bool connected_ = false;
  bool missing_logged_ = false;
  std::optional<SteadyTime> missing_check_at_;
  std::optional<SteadyTime> resync_at_;
};

// The whole warmth-push command line; main() is a call to this.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// The prose of warmth-push's man page (warmth-push --manual).
base::ManPage ManPage();  // manual.cc

}  // namespace warmth::push
