#include "daemon/core/history.h"

#include <algorithm>

namespace warmth::core {

void Step(Summary& s, const Event& e, const FoldParams& params) {
  if (e.missed) {
    // Not a conversation: no warmth, no decay step, not the last contact.
    if (e.direction == Direction::kInbound) {
      s.missed_before_at = s.missed_at;
      s.missed_at = e.at;
    }
    return;
  }
  if (s.last_at) {
    s.warmth = Decay(s.warmth, e.at - *s.last_at, params.half_life);
  }
  s.warmth = ApplyGain(s.warmth, params.model->GainFor(e.channel, e.direction));
  if (s.warmth > params.threshold) {
    const auto crossed = s.episode_at ? CrossingTime(s.episode_warmth, *s.episode_at,
                                                     params.half_life, params.threshold)
                                      : std::nullopt;
    const bool cooled = s.episode_at && (!crossed || *crossed <= e.at);
    if (!cooled || IsLive(e.channel) || s.warmth >= params.threshold * (1 + kRearmMargin)) {
      s.episode_at = e.at;
      s.episode_warmth = s.warmth;
    }
  }
  s.last_at = e.at;
  s.last_channel = e.channel;
  if (e.channel != Channel::kSocial) {
    s.rhythm.Add(e.at);
  }
  if (IsLive(e.channel)) {
    s.last_live_at = e.at;
    s.last_reply_at = e.at;
    s.missed_at.reset();  // called back
    s.missed_before_at.reset();
    s.unanswered = 0;
    s.one_sided_at.reset();
    s.streak = 0;
    s.streak_outbound = s.streak_inbound = false;
    s.streak_first_at.reset();
    s.streak_ready_at.reset();
    return;
  }
  const bool inbound = e.direction == Direction::kInbound || e.direction == Direction::kMutual;
  const bool outbound = e.direction == Direction::kOutbound || e.direction == Direction::kMutual;
  if (inbound && e.channel != Channel::kSocial) {
    s.last_reply_at = e.at;
    s.unanswered = 0;
    s.one_sided_at.reset();
  } else if (outbound && IsConversation(e.channel)) {
    ++s.unanswered;
    if (params.unanswered > 0 && s.unanswered == params.unanswered) {
      s.one_sided_at = e.at;
    }
  }
  // A cold pitch: an e-mail that opened a thread with someone who has never
  // written to you or spoken with you. It is decided here, in time order, so
  // that a backfill bringing an older reply from them undoes it on refold.
  const bool cold = e.new_thread && params.cold_outreach && !s.last_reply_at;
  if (e.pitch || cold) {
    s.last_pitch_at = e.at;
    s.last_pitch_channel = e.channel;
  }
  if (IsConversation(e.channel)) {
    s.last_conversation_at = e.at;
    ++s.streak;
    s.streak_outbound = s.streak_outbound || outbound;
    s.streak_inbound = s.streak_inbound || inbound;
    if (!s.streak_first_at) {
      s.streak_first_at = e.at;
    }
    if (!s.streak_ready_at && s.streak >= params.min_streak && s.streak_outbound &&
        s.streak_inbound) {
      s.streak_ready_at = e.at;
    }
  }
}

void History::Add(const Event& e, const FoldParams& params) {
  if (events_.empty() || events_.back().at <= e.at) {
    events_.push_back(e);
    if (!stale_ && params == folded_) {
      Step(summary_, e, params);
    } else {
      stale_ = true;
    }
    return;
  }
  // Out of order: insert after every event at the same time, refold later.
  const auto pos = std::upper_bound(events_.begin(), events_.end(), e.at,
                                    [](TimePoint t, const Event& x) { return t < x.at; });
  events_.insert(pos, e);
  stale_ = true;
}

void History::Load(std::span<const Event> sorted) {
  if (events_.empty()) {
    events_.assign(sorted.begin(), sorted.end());
  } else {
    // Loaded in two parts: merged in time order, ties keeping arrival order.
    const auto middle = static_cast<std::ptrdiff_t>(events_.size());
    events_.insert(events_.end(), sorted.begin(), sorted.end());
    std::inplace_merge(events_.begin(), events_.begin() + middle, events_.end(),
                       [](const Event& a, const Event& b) { return a.at < b.at; });
  }
  stale_ = true;
}

const Summary& History::Refresh(const FoldParams& params) {
  if (stale_ || params != folded_) {
    summary_ = Summary{};
    for (const Event& e : events_) {
      Step(summary_, e, params);
    }
    folded_ = params;
    stale_ = false;
  }
  return summary_;
}

std::span<const Event> History::Between(TimePoint from, TimePoint to) const {
  const auto lo = std::lower_bound(events_.begin(), events_.end(), from,
                                   [](const Event& x, TimePoint t) { return x.at < t; });
  const auto hi =
      std::upper_bound(lo, events_.end(), to, [](TimePoint t, const Event& x) { return t < x.at; });
  return {lo, hi};
}

double WarmthAt(const Summary& s, TimePoint now, Duration half_life) {
  if (!s.last_at) {
    return 0;
  }
  return Decay(s.warmth, now - *s.last_at, half_life);
}

}  // namespace warmth::core
