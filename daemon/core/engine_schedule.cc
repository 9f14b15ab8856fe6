// The engine's rules over time: candidates per contact and trip, the
// scheduler, the weekend pick, snoozes coming back, and delivery through the
// queue and the delivery policy.
#include <algorithm>

#include "daemon/core/engine.h"
#include "daemon/core/slots.h"
#include "daemon/core/text.h"
#include "daemon/core/weekend.h"
#include "daemon/core/wording.h"

namespace warmth::core {

void Engine::Refresh(Record& r, TimePoint now) {
  const Summary& s = r.history.Refresh(Fold(r));
  const Duration half_life = HalfLife(r);
  contacts_.IndexConversation(r);
  contacts_.IndexOrder(r, half_life);
  const RuleOptions& rules = options_.rules;
  const auto published = [this](const std::string& k) { return nudges_.IsPublished(k); };
  const double threshold = options_.model.threshold;
  r.candidates.Set(NudgeKind::kCooling,
                   CoolingCandidate(r.cid, s, r.contact.circle, half_life, threshold,
                                    r.contact.every_max, published));
  // Compared with the plain COOLING: a rhythm never nudges later than that.
  const auto plain = CoolingCandidate(r.cid, s, r.contact.circle, half_life, threshold);
  r.candidates.Set(NudgeKind::kRhythm,
                   RhythmCandidate(r.cid, s, r.contact.circle, rules.rhythm,
                                   plain ? std::optional<TimePoint>(plain->due_at) : std::nullopt));
  r.candidates.Set(NudgeKind::kOnlineOnly, OnlineOnlyCandidate(r.cid, s, rules.online_only));
  r.candidates.Set(NudgeKind::kFollowUp, FollowUpCandidate(r.cid, s, rules.follow_up));
  // Collecting is not connecting: no birthday nudges for unsorted contacts.
  r.candidates.Set(NudgeKind::kBirthday,
                   r.contact.birthday && r.IsSorted()
                       ? BirthdayCandidate(r.cid, *r.contact.birthday, calendar_, rules.birthday.at,
                                           now, published, s.last_live_at)
                       : std::nullopt);
  r.candidates.Set(NudgeKind::kCallBack,
                   CallBackCandidate(r.cid, s, r.IsSorted(), rules.call_back));
  for (NudgeKind kind : slots::kContactRules) {
    const Candidate* c = r.candidates.Get(kind);
    const Scheduler::Slot slot = slots::Contact(r.cid, kind);
    if (!c || r.contact.muted || nudges_.IsPublished(c->key) || waiting_.Holds(c->key) ||
        (c->expires_at && *c->expires_at <= now)) {
      scheduler_.Cancel(slot);
      continue;
    }
    TimePoint due = c->due_at;
    if (r.snoozed_until && *r.snoozed_until > due) {
      due = *r.snoozed_until;
    }
    if (const auto until = OneSidedUntil(s, rules.reciprocity);
        until && *until > due && IsReciprocityGuarded(kind)) {
      due = *until;  // they never answer: not proposed until the cooldown ends
    }
    scheduler_.Set(slot, due);
  }
}

void Engine::ScheduleTrip(TripRecord& t, TimePoint now) {
  t.candidate = TripCandidate(t.trip, options_.rules.trip.lead);
  if (nudges_.IsPublished(t.candidate.key) || waiting_.Holds(t.candidate.key) ||
      t.trip.ends_at <= now) {
    scheduler_.Cancel(t.slot);
    return;
  }
  scheduler_.Set(t.slot, t.candidate.due_at);
}

void Engine::RecheckTrips(TimePoint now) {
  for (auto& [id, t] : trips_) {
    if (t.candidate.due_at <= now && now < t.trip.ends_at) {
      AddWaiting(Waiting{t.candidate, t.candidate.key, {}, id});
    }
  }
}

void Engine::ScheduleWeekend(TimePoint now) {
  if (!options_.rules.weekend_call.enabled) {
    scheduler_.Cancel(slots::kWeekend);
    return;
  }
  weekend_ = WeekendCandidate(calendar_, options_.rules.weekend_call.at, now,
                              [this](const std::string& k) { return nudges_.WeekendHandled(k); });
  scheduler_.Set(slots::kWeekend, weekend_->due_at);
}

void Engine::ScheduleSnoozes() {
  if (const auto first = nudges_.NextSnoozeEnd()) {
    scheduler_.Set(slots::kSnooze, *first);
  } else {
    scheduler_.Cancel(slots::kSnooze);
  }
}

void Engine::Handle(Scheduler::Slot slot, TimePoint now) {
  if (slot == slots::kWeekend) {
    HandleWeekend(now);
  } else if (slot == slots::kSnooze) {
    HandleSnoozes(now);
  } else if (slots::IsTrip(slot)) {
    if (const TripRecord* t = trips_.BySlot(slot); t != nullptr && now < t->trip.ends_at) {
      AddWaiting(Waiting{t->candidate, t->candidate.key, {}, t->trip.id});
    }
  } else {
    HandleContactRule(slot, now);
  }
}

void Engine::HandleWeekend(TimePoint now) {
  nudges_.MarkWeekendHandled(weekend_->key);
  if (now < *weekend_->expires_at) {
    const auto warmth = [&](const Record& r) { return WarmthNow(r, now); };
    if (const auto cid = PickWeekendContact(contacts_, nudges_, options_.rules.weekend_call, now,
                                            warmth, options_.rules.reciprocity)) {
      AddWaiting(Waiting{*weekend_, weekend_->key, {*cid}, {}});
    }
  }
  ScheduleWeekend(now);
}

void Engine::HandleContactRule(Scheduler::Slot slot, TimePoint now) {
  const std::int64_t cid = slots::ContactOf(slot);
  Record* r = contacts_.Get(cid);
  if (r == nullptr) {
    return;
  }
  const Candidate* c = r->candidates.Get(slots::KindOf(slot));
  if (!c || r->contact.muted) {
    return;
  }
  if (c->expires_at && now >= *c->expires_at) {
    Refresh(*r, now);  // a birthday that passed unseen: schedule next year's
    return;
  }
  if (r->snoozed_until && *r->snoozed_until > now) {
    scheduler_.Set(slot, *r->snoozed_until);
    return;
  }
  AddWaiting(Waiting{*c, c->key, {cid}, {}});
}

void Engine::HandleSnoozes(TimePoint now) {
  for (const auto& id : nudges_.TakeSnoozesOver(now)) {
    NudgeRecord& n = *nudges_.Find(id);
    const TimePoint until = *n.nudge.snoozed_until;
    Waiting w{Candidate{n.nudge.kind, SnoozeKey(n.nudge.key, until), until, std::nullopt},
              BaseKey(n.nudge.key), n.cids, n.nudge.trip_id};
    if (n.nudge.kind == NudgeKind::kWeekendCall) {
      w.candidate.due_at = n.nudge.due_at;  // "no live interaction since" counts from the tick
    }
    if (n.nudge.kind == NudgeKind::kWeekendCall || n.nudge.kind == NudgeKind::kBirthday) {
      // Bound to its day: "It's Frank's birthday today" does not come back
      // three days later. Within the day it may.
      w.candidate.expires_at =
          calendar_.At(calendar_.Day(n.nudge.due_at) + date::days(1), std::chrono::minutes(0));
    } else if (const auto call = CallBackCallTime(n.nudge.key)) {
      // A call is returned within days, not after a long snooze.
      w.candidate.expires_at = *call + options_.rules.call_back.within;
    }
    if (w.candidate.expires_at && now >= *w.candidate.expires_at) {
      SetState(n, NudgeState::kDismissed, std::nullopt);  // the occasion passed
    } else if (IsCurrent(w, now)) {
      w.candidate.due_at = until;
      AddWaiting(std::move(w));
    } else {
      // The reason went away while it slept (the contact was called).
      SetState(n, NudgeState::kDone, std::nullopt);
    }
  }
  ScheduleSnoozes();
}

void Engine::AddWaiting(Waiting w) {
  if (!nudges_.IsPublished(w.candidate.key)) {
    waiting_.Add(std::move(w));
  }
}

bool Engine::IsCurrent(const Waiting& w, TimePoint now) const {
  const Candidate& c = w.candidate;
  if (c.expires_at && now >= *c.expires_at) {
    return false;
  }
  if (c.kind == NudgeKind::kTrip) {
    const TripRecord* t = trips_.Find(w.trip_id);
    return t != nullptr && t->candidate.key == w.base_key && now < t->trip.ends_at;
  }
  if (w.cids.empty()) {
    return false;
  }
  for (std::int64_t cid : w.cids) {
    const Record* r = contacts_.Get(cid);
    if (r == nullptr || r->contact.muted) {
      return false;
    }
  }
  const Record& r = contacts_.At(w.cids.front());
  const auto& live = r.history.summary().last_live_at;
  if (const auto until = OneSidedUntil(r.history.summary(), options_.rules.reciprocity);
      until && *until > now && IsReciprocityGuarded(c.kind)) {
    return false;  // became one-sided while it waited
  }
  if (c.kind == NudgeKind::kWeekendCall) {
    return !live || *live < c.due_at;
  }
  if (c.kind == NudgeKind::kBirthday) {
    // After publication the record already looks at next year; the waiting
    // one stays current until its day ends (checked above by expires_at),
    // unless you already spoke that day: the call it asks for happened.
    return !live || *live < calendar_.At(calendar_.Day(c.due_at), std::chrono::minutes(0));
  }
  const Candidate* current = r.candidates.Get(c.kind);
  return current && current->key == w.base_key;
}

void Engine::DropMoot(TimePoint now) {
  const auto moot = waiting_.RemoveIf([&](const Waiting& w) { return !IsCurrent(w, now); });
  for (const Waiting& w : moot) {
    for (std::int64_t cid : w.cids) {
      if (Record* r = contacts_.Get(cid)) {
        Refresh(*r, now);
      }
    }
  }
}

// BIRTHDAY, CALL_BACK, FOLLOW_UP, TRIP, COOLING, ONLINE_ONLY, WEEKEND_CALL
// (KindRank); then inner circle first, then earliest due, then contact (or
// trip) id.
bool Engine::PublishesFirst(const Waiting& a, const Waiting& b) const {
  const auto first = [this](const Waiting& w) -> const Record* {
    return w.cids.empty() ? nullptr : &contacts_.At(w.cids.front());
  };
  const Record* ra = first(a);
  const Record* rb = first(b);
  const auto key = [](const Waiting& w, const Record* r) {
    return std::make_tuple(KindRank(w.candidate.kind),
                           CircleRank(r ? r->contact.circle : Circle::kUnspecified),
                           w.candidate.due_at);
  };
  if (key(a, ra) != key(b, rb)) {
    return key(a, ra) < key(b, rb);
  }
  const std::string& who_a = ra ? ra->contact.id : a.trip_id;
  const std::string& who_b = rb ? rb->contact.id : b.trip_id;
  return who_a != who_b ? who_a < who_b : a.candidate.key < b.candidate.key;
}

std::optional<Nudge> Engine::Finalize(const Waiting& w, TimePoint now) const {
  Nudge n;
  n.kind = w.candidate.kind;
  n.key = w.candidate.key;
  n.id = nudges_.UniqueId(n.kind, n.key);
  n.due_at = w.candidate.due_at;
  n.published_at = now;
  n.state = NudgeState::kPending;
  n.suggested_channel = Channel::kCall;
  std::vector<std::int64_t> cids = w.cids;
  if (n.kind == NudgeKind::kTrip) {
    const Trip& trip = trips_.Find(w.trip_id)->trip;
    const auto warmth = [&](const Record& r) { return WarmthNow(r, now); };
    cids = PickTripContacts(trip, contacts_, options_.rules.trip.max_contacts, warmth);
    if (cids.empty()) {
      return std::nullopt;  // nobody to meet there
    }
    n.trip_id = trip.id;
    n.suggested_channel = Channel::kInPerson;
  }
  for (std::int64_t cid : cids) {
    const Record& r = contacts_.At(cid);
    n.contact_ids.push_back(r.contact.id);
    n.contact_names.push_back(r.DisplayName());
    n.contact_phones.push_back(r.Phone());
  }
  DropIfNoPhones(n.contact_phones);
  const Record& first = contacts_.At(cids.front());
  n.warmth = WarmthNow(first, now);
  n.text = Describe(n, first, now);
  return n;
}

// The nudge's text from the facts behind it (wording.h has the words).
std::string Engine::Describe(const Nudge& n, const Record& first, TimePoint now) const {
  const Summary& s = first.history.summary();
  const std::string& name = first.DisplayName();
  switch (n.kind) {
    case NudgeKind::kTrip: {
      const Trip& trip = trips_.Find(n.trip_id)->trip;
      return TripText(Trim(trip.city), TripDates(calendar_, trip), n.contact_names);
    }
    case NudgeKind::kCooling: {
      const bool past_max = IsPastMax(n.key);
      return s.last_live_at ? CoolingText(name, now - *s.last_live_at, true, past_max)
                            : CoolingText(name, s.last_at ? now - *s.last_at : Duration::zero(),
                                          false, past_max);
    }
    case NudgeKind::kRhythm:
      return RhythmText(name, s.rhythm.Usual(options_.rules.rhythm.min_gaps).value_or(kDay),
                        now - s.rhythm.SessionAt().value_or(now));
    case NudgeKind::kOnlineOnly:
      return OnlineOnlyText(name, s.streak,
                            SinceDay(calendar_, s.streak_first_at.value_or(now), now),
                            s.last_live_at.has_value());
    case NudgeKind::kFollowUp:
      return FollowUpText(name, s.last_pitch_channel == Channel::kUnspecified
                                    ? Channel::kEmail
                                    : s.last_pitch_channel);
    case NudgeKind::kWeekendCall:
      return WeekendText(name);
    case NudgeKind::kCallBack:
      return CallBackText(name, CallTime(calendar_, CallBackCallTime(n.key).value_or(now), now));
    case NudgeKind::kBirthday: {
      const int year = static_cast<int>(date::year_month_day(calendar_.Day(now)).year());
      const int born = first.contact.birthday ? first.contact.birthday->year : 0;
      return BirthdayText(name, born > 0 && year > born ? year - born : 0);
    }
    default:
      return {};
  }
}

void Engine::Publish(Nudge nudge, std::vector<std::int64_t> cids, TimePoint now) {
  delivery_.RecordPublished(now);
  if (nudge.kind == NudgeKind::kCallBack) {
    SupersedeCallBacks(cids.front());
  }
  Journal(NudgeRow{nudge});
  nudges_.Publish(std::move(nudge), std::move(cids));
}

// A newer call's CALL_BACK says what an open older one says, later: the
// older one is closed (DISMISSED, published as nudge.closed) rather than
// shown twice.
void Engine::SupersedeCallBacks(std::int64_t cid) {
  for (NudgeRecord* n : nudges_.OpenFor(cid)) {
    if (n->nudge.kind == NudgeKind::kCallBack && n->cids.size() == 1) {
      SetState(*n, NudgeState::kDismissed, std::nullopt);
    }
  }
}

std::vector<Nudge> Engine::TakeDue(TimePoint now) {
  if (restoring_) {
    return {};  // half a backup decides nothing
  }
  for (Scheduler::Slot slot : scheduler_.PopDue(now)) {
    Handle(slot, now);
  }
  DropMoot(now);
  std::vector<Nudge> out;
  int budget = delivery_.Budget(now);
  // With the day's budget spent nothing is taken, so nothing is ordered:
  // a sort of everything waiting at every tick was a tenth of replay's time.
  if (waiting_.empty() || budget <= 0 || delivery_.IsQuiet(now)) {
    return out;
  }
  const auto publishes_first = [this](const Waiting& a, const Waiting& b) {
    return PublishesFirst(a, b);
  };
  std::vector<std::int64_t> refresh;
  while (budget > 0) {
    if (waiting_.OrderedLeft() == 0) {  // ordered up to the budget, again after a dropped trip
      waiting_.Order(publishes_first, static_cast<std::size_t>(budget));
    }
    auto w = waiting_.Pop();
    if (!w) {
      break;
    }
    auto nudge = Finalize(*w, now);
    if (!nudge) {
      continue;  // a trip with nobody to meet: RecheckTrips tries again
    }
    std::vector<std::int64_t> cids;
    for (const auto& id : nudge->contact_ids) {
      cids.push_back(contacts_.FindById(id)->cid);
    }
    refresh.insert(refresh.end(), cids.begin(), cids.end());
    out.push_back(*nudge);
    Publish(std::move(*nudge), std::move(cids), now);
    --budget;
  }
  for (std::int64_t cid : refresh) {
    Refresh(contacts_.At(cid), now);  // e.g. next year's birthday
  }
  return out;
}

std::optional<TimePoint> Engine::NextDue(TimePoint now) {
  if (restoring_) {
    return std::nullopt;  // FinishRestore schedules everything
  }
  std::optional<TimePoint> next = scheduler_.NextDue();
  if (!waiting_.empty()) {
    const TimePoint open = delivery_.NextOpening(now);
    next = next ? std::min(*next, open) : open;
  }
  return next;
}

}  // namespace warmth::core
