#pragma once

#include <optional>
#include <span>
#include <vector>

#include "daemon/core/model.h"
#include "daemon/core/optional_time.h"
#include "daemon/core/rhythm.h"
#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// One interaction as one contact's history sees it.
struct Event {
  TimePoint at;
  Channel channel = Channel::kUnspecified;
  Direction direction = Direction::kUnspecified;
  bool pitch = false;  // an OUTBOUND e-mail or message tagged for a follow-up
  // An OUTBOUND e-mail tagged "new-thread" (it opened a thread): a pitch when
  // FoldParams::cold_outreach and nothing came back from the contact before it.
  bool new_thread = false;
  // A call that did not connect (Interaction::missed): no warmth, not live;
  // an INBOUND one is a call to return (CALL_BACK).
  bool missed = false;
  friend bool operator==(const Event&, const Event&) = default;
};

// A live interaction that happened: a missed call is not one.
constexpr bool IsLive(const Event& e) {
  return IsLive(e.channel) && !e.missed;
}

// What the rules need to know of a history, folded over its events in time
// order. Everything here is a pure function of the events and FoldParams.
struct Summary {
  double warmth = 0;  // just after the last event
  OptionalTime last_at;
  Channel last_channel = Channel::kUnspecified;
  OptionalTime last_live_at;
  // Conversation (MESSAGE, EMAIL) since the last live event.
  int streak = 0;
  bool streak_outbound = false;
  bool streak_inbound = false;
  OptionalTime streak_first_at;
  OptionalTime streak_ready_at;  // when it first had min_streak and both directions
  // The latest event with pitch set, or with new_thread set while no event
  // before it set last_reply_at (FoldParams::cold_outreach).
  OptionalTime last_pitch_at;
  Channel last_pitch_channel = Channel::kUnspecified;
  OptionalTime last_reply_at;  // INBOUND or MUTUAL (not SOCIAL), or live
  OptionalTime last_conversation_at;
  // The cooling episode: the last event that left warmth above the threshold
  // and the warmth it left. Once warmth has decayed below the threshold, only
  // a live interaction or a rise above the threshold by kRearmMargin starts a
  // new episode: a "like" lifting 29.5 to 30.5 must not nag again.
  OptionalTime episode_at;
  double episode_warmth = 0;
  // The latest INBOUND missed call since the last live event, and the one
  // before it (CALL_BACK). Nothing else in the summary sees missed calls.
  OptionalTime missed_at;
  OptionalTime missed_before_at;
  // Reciprocity: OUTBOUND messages and e-mails since the last reply (see
  // last_reply_at), and when their number reached FoldParams::unanswered:
  // the contact has been one-sided since then.
  int unanswered = 0;
  OptionalTime one_sided_at;
  // The usual gap between sessions of contact (likes do not count).
  Rhythm rhythm;
};

// A cooled contact starts a new cooling episode above threshold × (1 + this).
inline constexpr double kRearmMargin = 0.1;

struct FoldParams {
  const ModelOptions* model = nullptr;
  Duration half_life{};
  int min_streak = 5;
  double threshold = 30;
  // rules.follow_up.cold_outreach: an Event::new_thread counts as a pitch
  // when the contact had not written to you or spoken with you before it (no
  // event that sets Summary::last_reply_at earlier in the fold).
  bool cold_outreach = true;
  // rules.reciprocity.unanswered: this many unanswered OUTBOUND messages or
  // e-mails make a contact one-sided. 0: never.
  int unanswered = 3;
  friend bool operator==(const FoldParams&, const FoldParams&) = default;
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
  // Stored events, in time order, appended at once (one allocation of their
  // size, where Add grows by doubling); the summary is stale until Refresh.
  void Load(std::span<const Event> sorted);
  // Refolds if stale or if `params` differ from the last fold's.
  const Summary& Refresh(const FoldParams& params);
  void MarkStale() { stale_ = true; }
  // Gives back what the events' vector holds beyond them: a history loaded
  // event by event grew by doubling, which leaves a quarter of it unused on
  // average.
  void ShrinkToFit() { events_.shrink_to_fit(); }
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
  FoldParams folded_{nullptr, Duration{}, 0, 0, false, 0};  // what summary_ was folded with
  bool stale_ = false;
};

// Warmth at `now` given a summary and half-life (no events after it).
double WarmthAt(const Summary& s, TimePoint now, Duration half_life);

}  // namespace warmth::core
