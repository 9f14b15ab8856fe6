#pragma once

#include <optional>
#include <span>
#include <vector>

#include "daemon/core/model.h"
#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// One interaction as one contact's history sees it.
struct Event {
  TimePoint at;
  Channel channel = Channel::kUnspecified;
  Direction direction = Direction::kUnspecified;
  bool pitch = false;  // an OUTBOUND e-mail or message tagged for a follow-up
  friend bool operator==(const Event&, const Event&) = default;
};

// What the rules need to know of a history, folded over its events in time
// order. Everything here is a pure function of the events and FoldParams.
struct Summary {
  double warmth = 0;  // just after the last event
  std::optional<TimePoint> last_at;
  Channel last_channel = Channel::kUnspecified;
  std::optional<TimePoint> last_live_at;
  // Conversation (MESSAGE, EMAIL) since the last live event.
  int streak = 0;
  bool streak_outbound = false;
  bool streak_inbound = false;
  std::optional<TimePoint> streak_first_at;
  std::optional<TimePoint> streak_ready_at;  // when it first had min_streak and both directions
  std::optional<TimePoint> last_pitch_at;
  std::optional<TimePoint> last_reply_at;  // INBOUND or MUTUAL (not SOCIAL), or live
  std::optional<TimePoint> last_conversation_at;
  // The cooling episode: the last event that left warmth above the threshold
  // and the warmth it left. Once warmth has decayed below the threshold, only
  // a live interaction or a rise above the threshold by kRearmMargin starts a
  // new episode: a "like" lifting 29.5 to 30.5 must not nag again.
  std::optional<TimePoint> episode_at;
  double episode_warmth = 0;
};

// A cooled contact starts a new cooling episode above threshold × (1 + this).
inline constexpr double kRearmMargin = 0.1;

struct FoldParams {
  const ModelOptions* model = nullptr;
  Duration half_life{};
  int min_streak = 5;
  double threshold = 30;
};

// Folds one more event, later than every event folded so far, into `s`.
void Step(Summary& s, const Event& e, const FoldParams& params);

// A contact's events, sorted by time (ties keep arrival order), and their
// Summary. Appending in time order updates the summary in O(1); an event older
// than the newest marks it stale, and Refresh refolds once per batch, so a
// backfill costs one pass per batch rather than one per event.
class History {
 public:
  void Add(const Event& e, const FoldParams& params);
  // Refolds if stale or if `params` differ from the last fold's.
  const Summary& Refresh(const FoldParams& params);
  void MarkStale() { stale_ = true; }
  bool stale() const { return stale_; }
  // Valid after Refresh.
  const Summary& summary() const { return summary_; }
  std::span<const Event> events() const { return events_; }
  std::size_t size() const { return events_.size(); }
  // Events with at in [from, to].
  std::span<const Event> Between(TimePoint from, TimePoint to) const;

 private:
  std::vector<Event> events_;
  Summary summary_;
  Duration folded_half_life_{};
  int folded_min_streak_ = 0;
  double folded_threshold_ = 0;
  bool stale_ = false;
};

// Warmth at `now` given a summary and half-life (no events after it).
double WarmthAt(const Summary& s, TimePoint now, Duration half_life);

}  // namespace warmth::core
