#include "daemon/core/weekend.h"

#include <unordered_set>

namespace warmth::core {
namespace {

// Online interactions within [from, now], and whether both directions occur.
struct Exchange {
  int count = 0;
  bool in = false;
  bool out = false;
};

Exchange CountExchange(const ContactRecord& r, TimePoint from, TimePoint now) {
  Exchange x;
  for (const Event& e : r.history.Between(from, now)) {
    if (IsConversation(e.channel)) {
      ++x.count;
      x.in = x.in || e.direction == Direction::kInbound || e.direction == Direction::kMutual;
      x.out = x.out || e.direction == Direction::kOutbound || e.direction == Direction::kMutual;
    }
  }
  return x;
}

std::unordered_set<std::int64_t> AlreadyAsked(const NudgeBook& nudges, TimePoint since) {
  std::unordered_set<std::int64_t> asked;
  for (const auto& [id, n] : nudges.all()) {
    if (IsOpen(n.nudge.state) ||
        (n.nudge.kind == NudgeKind::kWeekendCall && n.nudge.published_at > since)) {
      asked.insert(n.cids.begin(), n.cids.end());
    }
  }
  return asked;
}

}  // namespace

std::optional<std::int64_t> PickWeekendContact(
    const ContactIndex& contacts, const NudgeBook& nudges, const RuleOptions::WeekendCall& opts,
    TimePoint now, const std::function<double(const ContactRecord&)>& warmth,
    const RuleOptions::Reciprocity& reciprocity) {
  const TimePoint from = now - opts.window;
  // A weekend suggestion counts like a call for the no-live window, and
  // whoever already has an open nudge is asked about once is enough.
  const auto asked = AlreadyAsked(nudges, now - opts.no_live_for);
  const ContactRecord* best = nullptr;
  int best_count = 0;
  double best_warmth = 0;
  const auto& index = contacts.by_last_conversation();
  for (auto it = index.lower_bound({from, 0}); it != index.end(); ++it) {
    const ContactRecord& r = contacts.At(it->second);
    const Summary& s = r.history.summary();
    if (r.contact.muted || (s.last_live_at && *s.last_live_at > now - opts.no_live_for) ||
        (r.snoozed_until && *r.snoozed_until > now) || asked.contains(r.cid)) {
      continue;
    }
    if (const auto until = OneSidedUntil(s, reciprocity); until && *until > now) {
      continue;  // they never answer: a call is not what this needs
    }
    const Exchange x = CountExchange(r, from, now);
    if (!x.in || !x.out) {
      continue;
    }
    const double w = warmth(r);
    const bool better =
        best == nullptr || x.count > best_count ||
        (x.count == best_count &&
         (w < best_warmth || (w == best_warmth && r.contact.id < best->contact.id)));
    if (better) {
      best = &r;
      best_count = x.count;
      best_warmth = w;
    }
  }
  return best == nullptr ? std::nullopt : std::optional<std::int64_t>(best->cid);
}

}  // namespace warmth::core
