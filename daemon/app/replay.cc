#include "daemon/app/replay.h"

#include <istream>
#include <ostream>

#include <google/protobuf/util/json_util.h>

#include "base/phone.h"
#include "daemon/app/replay_summary.h"
#include "daemon/app/service.h"
#include "daemon/core/engine.h"
#include "daemon/transport/codec.h"
#include "daemon/transport/json.h"
#include "daemon/version.h"

namespace warmth::app {
namespace {

using core::TimePoint;

class Simulation {
 public:
  // Published nudges go to `out` as JSON lines, or with `summary` are
  // counted for PrintSummary.
  Simulation(const base::Config& config, std::ostream& out, bool summary)
      : engine_(config.engine, base::ResolveTimeZone(config.timezone),
                base::PhoneNormalizerFor(config.me_region)),
        service_(
            &engine_, nullptr,
            ServiceInfo{kVersion, "(replay)", "", "", engine_.calendar().ZoneName(), TimePoint{}}),
        out_(out) {
    engine_.set_journaling(false);
    if (summary) {
      summary_.emplace(engine_.calendar());
    }
  }

  // Publishes everything due up to and including `to`, in time order.
  void RunUntil(TimePoint to) {
    Start(to);
    while (true) {
      const auto next = engine_.NextDue(clock_);
      if (!next || *next > to) {
        break;
      }
      clock_ = std::max(clock_, *next);
      for (const core::Nudge& n : engine_.TakeDue(clock_)) {
        Print(n);
      }
      // Every pass either publishes, drops or reschedules; a scheduler that
      // stood still at one instant would be a bug, not a reason to hang.
      if (*next == last_due_ && ++passes_at_same_time_ > 100000) {
        throw std::logic_error("replay: the schedule does not advance");
      }
      if (*next != last_due_) {
        passes_at_same_time_ = 0;
        last_due_ = *next;
      }
    }
    clock_ = std::max(clock_, to);
  }

  v1::Reply Apply(const v1::Request& request, TimePoint at) {
    RunUntil(at);
    return service_.Handle(request, at);
  }

  TimePoint clock() const { return clock_; }

  // With a summary: prints it for the span replayed so far.
  void PrintSummary(const std::string& config) const {
    if (summary_) {
      summary_->Print(
          ReplaySummary::Span{config, started_ ? std::optional(started_at_) : std::nullopt, clock_},
          out_);
    }
  }

 private:
  void Start(TimePoint at) {
    if (!started_) {
      clock_ = at;
      started_at_ = at;
      engine_.FinishLoad(at);
      started_ = true;
    }
  }

  void Print(const core::Nudge& n) {
    if (summary_) {
      summary_->Add(n);
      return;
    }
    v1::Nudge proto;
    transport::ToProto(n, &proto);
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(proto, &json);
    out_ << json << '\n';
  }

  core::Engine engine_;
  Service service_;
  std::ostream& out_;
  std::optional<ReplaySummary> summary_;
  TimePoint clock_{};
  TimePoint started_at_{};
  bool started_ = false;
  TimePoint last_due_{};
  int passes_at_same_time_ = 0;
};

}  // namespace

int Replay(const base::Config& config, std::istream& timeline, const std::string& name,
           const ReplayOptions& options, std::ostream& out, std::ostream& err) {
  Simulation sim(config, out, options.summary);
  transport::JsonParser parser;
  std::string line;
  std::optional<TimePoint> last;
  // Entries live on an arena, freed in bulk every few thousand lines: a
  // replay parses one message per line and malloc would dominate otherwise.
  google::protobuf::Arena arena;
  for (long number = 1; std::getline(timeline, line); ++number) {
    if (number % 4096 == 0) {
      arena.Reset();
    }
    auto& entry = *google::protobuf::Arena::CreateMessage<v1::TimelineEntry>(&arena);
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    const std::string where = name + ":" + std::to_string(number) + ": ";
    const core::Status parsed = parser.Parse(line, entry);
    if (!parsed.ok()) {
      err << where << "not a TimelineEntry: " << parsed.message() << '\n';
      return 2;
    }
    if (!entry.has_at()) {
      err << where << "at: required\n";
      return 2;
    }
    auto at = transport::ToTimePoint(entry.at(), "at");
    if (!at.ok()) {
      err << where << at.status().message() << '\n';
      return 2;
    }
    if (last && *at < *last) {
      err << where << "at: goes back in time (entries must be in non-decreasing order)\n";
      return 2;
    }
    last = *at;
    const v1::Reply reply = sim.Apply(entry.request(), *at);
    if (reply.has_error()) {
      err << where << v1::Error::Code_Name(reply.error().code()) << ": " << reply.error().message()
          << '\n';
    } else if (reply.has_ingest()) {
      for (const auto& item : reply.ingest().items()) {
        if (item.outcome() == v1::IngestResult::REJECTED) {
          err << where << "event " << item.event_id() << " rejected: " << item.reason() << '\n';
        }
      }
    }
  }
  if (options.until && (!last || *options.until >= *last)) {
    sim.RunUntil(*options.until);
  }
  sim.PrintSummary(config.source);
  out.flush();
  return 0;
}

}  // namespace warmth::app
