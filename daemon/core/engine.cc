#include "daemon/core/engine.h"

#include <algorithm>
#include <cctype>

#include "daemon/core/identifiers.h"
#include "daemon/core/text.h"
#include "daemon/core/validation.h"

namespace warmth::core {
namespace {

// Scheduler slots: a contact's rule is (cid << 3 | kind); trips and the
// global occasions live in ranges of their own.
constexpr std::uint64_t kTripSlots = 1ULL << 62;
constexpr std::uint64_t kGlobalSlots = 1ULL << 63;
constexpr Scheduler::Slot kWeekendSlot = kGlobalSlots | 1;
constexpr Scheduler::Slot kSnoozeSlot = kGlobalSlots | 2;
constexpr std::array kContactRules = {NudgeKind::kCooling, NudgeKind::kOnlineOnly,
                                      NudgeKind::kFollowUp, NudgeKind::kBirthday};
constexpr std::string_view kSnoozeMark = "/snooze/";

Scheduler::Slot ContactSlot(std::int64_t cid, NudgeKind kind) {
  return (static_cast<std::uint64_t>(cid) << 3) | static_cast<std::uint64_t>(kind);
}

bool SharesTag(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (Lower(x) == Lower(y)) {
        return true;
      }
    }
  }
  return false;
}

std::string BaseKey(const std::string& key) {
  const auto pos = key.find(kSnoozeMark);
  return pos == std::string::npos ? key : key.substr(0, pos);
}

bool IsOpen(NudgeState s) { return s == NudgeState::kPending || s == NudgeState::kSnoozed; }

}  // namespace

Engine::Engine(EngineOptions options, const date::time_zone* zone)
    : options_(std::move(options)), calendar_(zone), delivery_(options_.delivery, calendar_) {}

// --- Loading -----------------------------------------------------------------

void Engine::LoadContact(const ContactRow& row) {
  Record& r = contacts_[row.cid];
  r.cid = row.cid;
  r.contact = row.contact;
  r.snoozed_until = row.snoozed_until;
  r.created_at = row.created_at;
  by_id_[r.contact.id] = r.cid;
  for (const auto& ident : r.contact.identifiers) {
    by_identifier_[ident] = r.cid;
  }
  next_cid_ = std::max(next_cid_, row.cid + 1);
}

void Engine::LoadEvent(std::int64_t cid, const Event& event) {
  const auto it = contacts_.find(cid);
  if (it == contacts_.end()) {
    return;
  }
  it->second.history.Add(event, Fold(it->second));
}

void Engine::LoadEventId(std::string_view event_id) {
  seen_events_.insert(StableHash(event_id));
  ++interactions_;
}

void Engine::LoadTrip(const Trip& trip) {
  TripRecord& t = trips_[trip.id];
  t.trip = trip;
  t.slot_seq = next_trip_slot_++;
  t.candidate = TripCandidate(trip, options_.rules.trip.lead);
}

void Engine::LoadNudge(const Nudge& nudge) {
  NudgeRecord& n = nudges_[nudge.id];
  n.nudge = nudge;
  for (const auto& id : nudge.contact_ids) {
    if (const auto it = by_id_.find(id); it != by_id_.end()) {
      n.cids.push_back(it->second);
    }
  }
  published_keys_.insert(nudge.key);
  if (nudge.kind == NudgeKind::kWeekendCall) {
    handled_weekends_.insert(BaseKey(nudge.key));
  }
  delivery_.RecordPublished(nudge.published_at);
  if (nudge.state == NudgeState::kSnoozed && nudge.snoozed_until) {
    snoozed_.insert(nudge.id);
  }
}

void Engine::FinishLoad(TimePoint now) {
  for (auto& [cid, r] : contacts_) {
    r.history.MarkStale();
    Refresh(r, now);
  }
  for (auto& [id, t] : trips_) {
    ScheduleTrip(t, now);
  }
  // A snooze whose comeback was already published is finished.
  for (auto it = snoozed_.begin(); it != snoozed_.end();) {
    const Nudge& n = nudges_.at(*it).nudge;
    const std::string back = n.key + std::string(kSnoozeMark) +
                             std::to_string(ToUnixMicros(*n.snoozed_until));
    it = IsPublished(back) ? snoozed_.erase(it) : std::next(it);
  }
  ScheduleSnoozes();
  ScheduleWeekend(now);
}

// --- Contacts ----------------------------------------------------------------

Duration Engine::HalfLife(const Record& r) const {
  return options_.model.HalfLife(r.contact.circle, r.contact.family);
}

FoldParams Engine::Fold(const Record& r) const {
  return FoldParams{&options_.model, HalfLife(r), options_.rules.online_only.min_streak,
                    options_.model.threshold};
}

const Engine::Record* Engine::Find(std::string_view key) const {
  const std::string k(key);
  if (const auto it = by_id_.find(k); it != by_id_.end()) {
    return &contacts_.at(it->second);
  }
  const auto norm = NormalizeIdentifier(key);
  if (!norm.ok()) {
    return nullptr;
  }
  if (const auto it = by_identifier_.find(*norm); it != by_identifier_.end()) {
    return &contacts_.at(it->second);
  }
  if (const auto it = by_id_.find(*norm); it != by_id_.end()) {
    return &contacts_.at(it->second);
  }
  return nullptr;
}

Engine::Record* Engine::Find(std::string_view key) {
  return const_cast<Record*>(std::as_const(*this).Find(key));
}

Result<Engine::Resolved> Engine::Resolve(std::string_view raw) const {
  if (const Record* r = Find(raw)) {
    return Resolved{r->cid, {}};
  }
  auto norm = NormalizeIdentifier(raw);
  if (!norm.ok()) {
    return norm.status();
  }
  if (Status s = ValidateContactId(*norm); !s.ok()) {
    return Status::InvalidArgument("identifier: too long to name a new contact");
  }
  return Resolved{0, std::move(norm).value()};
}

Engine::Record& Engine::CreateUnsorted(const std::string& identifier, TimePoint now) {
  const std::int64_t cid = next_cid_++;
  Record& r = contacts_[cid];
  r.cid = cid;
  r.contact.id = identifier;
  r.contact.identifiers = {identifier};
  r.created_at = now;
  by_id_[identifier] = cid;
  by_identifier_[identifier] = cid;
  Journal(ContactRow{cid, r.contact, std::nullopt, now});
  return r;
}

bool Engine::IsDuplicate(const std::string& event_id, TimePoint at) const {
  if (!seen_events_.contains(StableHash(event_id))) {
    return false;
  }
  if (unjournaled_events_.contains(event_id) || !duplicate_oracle_) {
    return true;
  }
  return duplicate_oracle_(event_id, at);
}

std::vector<IngestItem> Engine::Ingest(std::span<const Interaction> batch, TimePoint now) {
  std::vector<IngestItem> results;
  results.reserve(batch.size());
  std::vector<std::int64_t> touched;
  for (const Interaction& in : batch) {
    IngestItem& item = results.emplace_back();
    item.event_id = in.event_id;
    const TimePoint at = in.occurred_at.value_or(now);
    if (IsDuplicate(in.event_id, at)) {
      item.outcome = IngestOutcome::kDuplicate;
      continue;
    }
    if (at > now + kFutureTolerance) {
      item.reason = "occurred_at: more than 5 minutes in the future";
      continue;
    }
    if (at < TimePoint{}) {
      item.reason = "occurred_at: before 1970";
      continue;
    }
    std::vector<Resolved> refs;
    for (std::size_t i = 0; i < in.contacts.size() && item.reason.empty(); ++i) {
      auto ref = Resolve(in.contacts[i]);
      if (!ref.ok()) {
        item.reason = "contacts[" + std::to_string(i) + "]: " + ref.status().message();
      } else {
        refs.push_back(std::move(ref).value());
      }
    }
    if (!item.reason.empty()) {
      continue;
    }
    std::vector<std::int64_t> cids;
    for (Resolved& ref : refs) {
      if (!ref.new_identifier.empty()) {
        // An earlier contact of this same interaction may have created it.
        const auto it = by_id_.find(ref.new_identifier);
        ref.cid = it != by_id_.end() ? it->second : CreateUnsorted(ref.new_identifier, now).cid;
      }
      if (std::find(cids.begin(), cids.end(), ref.cid) == cids.end()) {
        cids.push_back(ref.cid);
      }
    }
    const bool pitch = in.direction == Direction::kOutbound && IsConversation(in.channel) &&
                       SharesTag(in.tags, options_.rules.follow_up.tags);
    const Event event{at, in.channel, in.direction, pitch};
    for (std::int64_t cid : cids) {
      Record& r = contacts_.at(cid);
      r.history.Add(event, Fold(r));
      item.contact_ids.push_back(r.contact.id);
      touched.push_back(cid);
    }
    seen_events_.insert(StableHash(in.event_id));
    if (journaling_) {
      unjournaled_events_.insert(in.event_id);
    }
    ++interactions_;
    if (journaling_) {
      InteractionRow row{in, now, std::move(cids), pitch};
      row.interaction.occurred_at = at;
      Journal(std::move(row));
    }
    item.outcome = IngestOutcome::kAccepted;
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (std::int64_t cid : touched) {
    Refresh(contacts_.at(cid), now);
  }
  return results;
}

Result<ContactView> Engine::UpsertContact(Contact c, TimePoint now) {
  if (Status s = ValidateContact(c); !s.ok()) {
    return s;
  }
  Record* rec = nullptr;
  if (const auto it = by_id_.find(c.id); it != by_id_.end()) {
    rec = &contacts_.at(it->second);
  }
  std::vector<std::int64_t> merge;
  for (std::size_t i = 0; i < c.identifiers.size(); ++i) {
    const std::string& ident = c.identifiers[i];
    std::optional<std::int64_t> owner;
    if (const auto it = by_identifier_.find(ident); it != by_identifier_.end()) {
      owner = it->second;
    } else if (const auto jt = by_id_.find(ident); jt != by_id_.end()) {
      owner = jt->second;
    }
    if (!owner || (rec != nullptr && *owner == rec->cid)) {
      continue;
    }
    const Record& other = contacts_.at(*owner);
    if (other.contact.circle != Circle::kUnspecified) {
      return Status::AlreadyExists("contact.identifiers[" + std::to_string(i) +
                                   "]: already belongs to contact \"" + other.contact.id + "\"");
    }
    if (std::find(merge.begin(), merge.end(), *owner) == merge.end()) {
      merge.push_back(*owner);
    }
  }
  if (rec == nullptr) {
    const std::int64_t cid = next_cid_++;
    rec = &contacts_[cid];
    rec->cid = cid;
    rec->created_at = now;
    by_id_[c.id] = cid;
  }
  for (const auto& old : rec->contact.identifiers) {
    if (std::find(c.identifiers.begin(), c.identifiers.end(), old) == c.identifiers.end()) {
      by_identifier_.erase(old);
    }
  }
  rec->contact = std::move(c);
  for (const auto& ident : rec->contact.identifiers) {
    by_identifier_[ident] = rec->cid;
  }
  Journal(ContactRow{rec->cid, rec->contact, rec->snoozed_until, rec->created_at});
  for (std::int64_t from : merge) {
    Merge(contacts_.at(from), *rec, now);
  }
  Refresh(*rec, now);
  return View(*rec, now);
}

void Engine::Merge(Record& from, Record& into, TimePoint now) {
  for (const Event& e : from.history.events()) {
    into.history.Add(e, Fold(into));
  }
  for (auto& [id, n] : nudges_) {
    auto it = std::find(n.cids.begin(), n.cids.end(), from.cid);
    if (it == n.cids.end()) {
      continue;
    }
    *it = into.cid;
    std::replace(n.nudge.contact_ids.begin(), n.nudge.contact_ids.end(), from.contact.id,
                 into.contact.id);
    Journal(NudgeRow{n.nudge});
  }
  // Identifiers the caller did not list still lead to the merged history.
  for (const auto& ident : from.contact.identifiers) {
    if (by_identifier_[ident] == from.cid) {
      by_identifier_[ident] = into.cid;
      into.contact.identifiers.push_back(ident);
    }
  }
  Journal(ContactRow{into.cid, into.contact, into.snoozed_until, into.created_at});
  Journal(ContactsMerged{from.cid, into.cid});
  ForgetContact(from);
  into.history.MarkStale();
  Refresh(into, now);
}

void Engine::ForgetContact(Record& r) {
  const std::int64_t cid = r.cid;
  for (NudgeKind kind : kContactRules) {
    scheduler_.Cancel(ContactSlot(cid, kind));
  }
  if (r.indexed_conversation_at) {
    by_last_conversation_.erase({*r.indexed_conversation_at, cid});
  }
  if (const auto it = by_id_.find(r.contact.id); it != by_id_.end() && it->second == cid) {
    by_id_.erase(it);
  }
  for (const auto& ident : r.contact.identifiers) {
    if (const auto it = by_identifier_.find(ident); it != by_identifier_.end() && it->second == cid) {
      by_identifier_.erase(it);
    }
  }
  std::erase_if(waiting_, [&](const Waiting& w) {
    const bool gone = std::find(w.cids.begin(), w.cids.end(), cid) != w.cids.end();
    if (gone) {
      waiting_keys_.erase(w.candidate.key);
    }
    return gone;
  });
  contacts_.erase(cid);
}

Status Engine::RemoveContact(std::string_view key, TimePoint /*now*/) {
  Record* r = Find(key);
  if (r == nullptr) {
    return Status::NotFound("contact_id: no such contact");
  }
  const std::int64_t cid = r->cid;
  const std::string id = r->contact.id;
  for (auto it = nudges_.begin(); it != nudges_.end();) {
    NudgeRecord& n = it->second;
    if (std::find(n.cids.begin(), n.cids.end(), cid) == n.cids.end()) {
      ++it;
      continue;
    }
    if (n.cids.size() == 1) {
      Journal(NudgeRemoved{it->first});
      snoozed_.erase(it->first);
      it = nudges_.erase(it);
      continue;
    }
    std::erase(n.cids, cid);
    std::erase(n.nudge.contact_ids, id);
    Journal(NudgeRow{n.nudge});
    ++it;
  }
  ForgetContact(*r);
  Journal(ContactRemoved{cid});
  ScheduleSnoozes();
  return Status::Ok();
}

double Engine::WarmthNow(const Record& r, TimePoint now) const {
  return WarmthAt(r.history.summary(), now, HalfLife(r));
}

std::string Engine::DisplayName(const Record& r) const {
  return r.contact.display_name.empty() ? r.contact.id : r.contact.display_name;
}

ContactView Engine::View(const Record& r, TimePoint now) const {
  const Summary& s = r.history.summary();
  ContactView v;
  v.contact = r.contact;
  v.warmth = WarmthNow(r, now);
  v.last_at = s.last_at;
  v.last_channel = s.last_channel;
  v.interactions = static_cast<std::int64_t>(r.history.size());
  if (r.contact.circle != Circle::kUnspecified && s.last_at) {
    v.cools_at = CrossingTime(s.warmth, *s.last_at, HalfLife(r), options_.model.threshold);
  }
  if (r.snoozed_until && *r.snoozed_until > now) {
    v.snoozed_until = r.snoozed_until;
  }
  return v;
}

std::optional<ContactView> Engine::GetContact(std::string_view key, TimePoint now) const {
  const Record* r = Find(key);
  if (r == nullptr) {
    return std::nullopt;
  }
  return View(*r, now);
}

std::vector<ContactView> Engine::ListContacts(bool include_unsorted, std::size_t limit,
                                              TimePoint now) const {
  std::vector<ContactView> sorted;
  std::vector<ContactView> unsorted;
  for (const auto& [cid, r] : contacts_) {
    if (r.contact.circle != Circle::kUnspecified) {
      sorted.push_back(View(r, now));
    } else if (include_unsorted) {
      unsorted.push_back(View(r, now));
    }
  }
  std::sort(sorted.begin(), sorted.end(), [](const ContactView& a, const ContactView& b) {
    return a.warmth != b.warmth ? a.warmth < b.warmth : a.contact.id < b.contact.id;
  });
  std::sort(unsorted.begin(), unsorted.end(), [](const ContactView& a, const ContactView& b) {
    return a.interactions != b.interactions ? a.interactions > b.interactions
                                            : a.contact.id < b.contact.id;
  });
  sorted.insert(sorted.end(), std::make_move_iterator(unsorted.begin()),
                std::make_move_iterator(unsorted.end()));
  if (limit > 0 && sorted.size() > limit) {
    sorted.resize(limit);
  }
  return sorted;
}

// --- Rules and scheduling ------------------------------------------------------

void Engine::Refresh(Record& r, TimePoint now) {
  const Summary& s = r.history.Refresh(Fold(r));
  if (r.indexed_conversation_at != s.last_conversation_at) {
    if (r.indexed_conversation_at) {
      by_last_conversation_.erase({*r.indexed_conversation_at, r.cid});
    }
    if (s.last_conversation_at) {
      by_last_conversation_.insert({*s.last_conversation_at, r.cid});
    }
    r.indexed_conversation_at = s.last_conversation_at;
  }
  const RuleOptions& rules = options_.rules;
  r.candidates[static_cast<int>(NudgeKind::kCooling)] =
      CoolingCandidate(r.cid, s, r.contact.circle, HalfLife(r), options_.model.threshold);
  r.candidates[static_cast<int>(NudgeKind::kOnlineOnly)] =
      OnlineOnlyCandidate(r.cid, s, rules.online_only);
  r.candidates[static_cast<int>(NudgeKind::kFollowUp)] =
      FollowUpCandidate(r.cid, s, rules.follow_up);
  r.candidates[static_cast<int>(NudgeKind::kBirthday)] =
      r.contact.birthday
          ? BirthdayCandidate(r.cid, *r.contact.birthday, calendar_, rules.birthday.at, now,
                              [this](const std::string& k) { return IsPublished(k); },
                              r.history.summary().last_live_at)
          : std::nullopt;
  for (NudgeKind kind : kContactRules) {
    const auto& c = r.candidates[static_cast<int>(kind)];
    const Scheduler::Slot slot = ContactSlot(r.cid, kind);
    if (!c || r.contact.muted || IsPublished(c->key) || waiting_keys_.contains(c->key) ||
        (c->expires_at && *c->expires_at <= now)) {
      scheduler_.Cancel(slot);
      continue;
    }
    TimePoint due = c->due_at;
    if (r.snoozed_until && *r.snoozed_until > due) {
      due = *r.snoozed_until;
    }
    scheduler_.Set(slot, due);
  }
}

void Engine::ScheduleTrip(TripRecord& t, TimePoint now) {
  t.candidate = TripCandidate(t.trip, options_.rules.trip.lead);
  const Scheduler::Slot slot = kTripSlots | (t.slot_seq << 3);
  if (IsPublished(t.candidate.key) || waiting_keys_.contains(t.candidate.key) ||
      t.trip.ends_at <= now) {
    scheduler_.Cancel(slot);
    return;
  }
  scheduler_.Set(slot, t.candidate.due_at);
}

void Engine::ScheduleWeekend(TimePoint now) {
  if (!options_.rules.weekend_call.enabled) {
    scheduler_.Cancel(kWeekendSlot);
    return;
  }
  weekend_ = WeekendCandidate(calendar_, options_.rules.weekend_call.at, now,
                              [this](const std::string& k) { return handled_weekends_.contains(k); });
  scheduler_.Set(kWeekendSlot, weekend_->due_at);
}

void Engine::ScheduleSnoozes() {
  std::optional<TimePoint> first;
  for (const auto& id : snoozed_) {
    const TimePoint until = *nudges_.at(id).nudge.snoozed_until;
    first = first ? std::min(*first, until) : until;
  }
  if (first) {
    scheduler_.Set(kSnoozeSlot, *first);
  } else {
    scheduler_.Cancel(kSnoozeSlot);
  }
}

void Engine::Handle(Scheduler::Slot slot, TimePoint now) {
  if (slot == kWeekendSlot) {
    handled_weekends_.insert(weekend_->key);
    if (now < *weekend_->expires_at) {
      if (const auto cid = PickWeekendContact(now)) {
        AddWaiting(Waiting{*weekend_, weekend_->key, {*cid}, {}});
      }
    }
    ScheduleWeekend(now);
    return;
  }
  if (slot == kSnoozeSlot) {
    HandleSnoozes(now);
    return;
  }
  if ((slot & kTripSlots) != 0) {
    for (auto& [id, t] : trips_) {
      if ((kTripSlots | (t.slot_seq << 3)) == slot) {
        if (now < t.trip.ends_at) {
          AddWaiting(Waiting{t.candidate, t.candidate.key, {}, id});
        }
        return;
      }
    }
    return;
  }
  const auto cid = static_cast<std::int64_t>(slot >> 3);
  const auto kind = static_cast<NudgeKind>(slot & 7);
  const auto it = contacts_.find(cid);
  if (it == contacts_.end()) {
    return;
  }
  Record& r = it->second;
  const auto& c = r.candidates[static_cast<int>(kind)];
  if (!c || r.contact.muted) {
    return;
  }
  if (c->expires_at && now >= *c->expires_at) {
    Refresh(r, now);  // a birthday that passed unseen: schedule next year's
    return;
  }
  if (r.snoozed_until && *r.snoozed_until > now) {
    scheduler_.Set(slot, *r.snoozed_until);
    return;
  }
  AddWaiting(Waiting{*c, c->key, {cid}, {}});
}

void Engine::HandleSnoozes(TimePoint now) {
  std::vector<std::string> expired;
  for (const auto& id : snoozed_) {
    if (*nudges_.at(id).nudge.snoozed_until <= now) {
      expired.push_back(id);
    }
  }
  for (const auto& id : expired) {
    snoozed_.erase(id);
    NudgeRecord& n = nudges_.at(id);
    const TimePoint until = *n.nudge.snoozed_until;
    Waiting w{Candidate{n.nudge.kind,
                        n.nudge.key + std::string(kSnoozeMark) +
                            std::to_string(ToUnixMicros(until)),
                        until, std::nullopt},
              BaseKey(n.nudge.key), n.cids, n.nudge.trip_id};
    if (n.nudge.kind == NudgeKind::kWeekendCall) {
      w.candidate.due_at = n.nudge.due_at;  // "no live interaction since" counts from the tick
    }
    if (IsCurrent(w, now)) {
      w.candidate.due_at = until;
      AddWaiting(std::move(w));
    } else {
      // The reason went away while it slept (the contact was called).
      SetState(n, NudgeState::kDone, std::nullopt);
    }
  }
  ScheduleSnoozes();
}

std::optional<std::int64_t> Engine::PickWeekendContact(TimePoint now) const {
  const auto& opts = options_.rules.weekend_call;
  const TimePoint from = now - opts.window;
  // Not the same person every Friday: a weekend suggestion counts like a call
  // for the no-live window, and whoever already has an open nudge is asked
  // about once is enough.
  std::unordered_set<std::int64_t> asked;
  for (const auto& [id, n] : nudges_) {
    if (IsOpen(n.nudge.state) ||
        (n.nudge.kind == NudgeKind::kWeekendCall && n.nudge.published_at > now - opts.no_live_for)) {
      asked.insert(n.cids.begin(), n.cids.end());
    }
  }
  std::optional<std::int64_t> best;
  int best_count = 0;
  double best_warmth = 0;
  for (auto it = by_last_conversation_.lower_bound({from, 0}); it != by_last_conversation_.end();
       ++it) {
    const Record& r = contacts_.at(it->second);
    const Summary& s = r.history.summary();
    if (r.contact.muted || (s.last_live_at && *s.last_live_at > now - opts.no_live_for) ||
        (r.snoozed_until && *r.snoozed_until > now) || asked.contains(r.cid)) {
      continue;
    }
    int count = 0;
    bool in = false;
    bool out = false;
    for (const Event& e : r.history.Between(from, now)) {
      if (IsConversation(e.channel)) {
        ++count;
        in = in || e.direction == Direction::kInbound || e.direction == Direction::kMutual;
        out = out || e.direction == Direction::kOutbound || e.direction == Direction::kMutual;
      }
    }
    if (!in || !out) {
      continue;
    }
    const double warmth = WarmthNow(r, now);
    const bool better =
        !best || count > best_count ||
        (count == best_count &&
         (warmth < best_warmth ||
          (warmth == best_warmth && r.contact.id < contacts_.at(*best).contact.id)));
    if (better) {
      best = r.cid;
      best_count = count;
      best_warmth = warmth;
    }
  }
  return best;
}

void Engine::AddWaiting(Waiting w) {
  if (IsPublished(w.candidate.key) || !waiting_keys_.insert(w.candidate.key).second) {
    return;
  }
  waiting_.push_back(std::move(w));
}

bool Engine::IsCurrent(const Waiting& w, TimePoint now) const {
  const Candidate& c = w.candidate;
  if (c.expires_at && now >= *c.expires_at) {
    return false;
  }
  if (c.kind == NudgeKind::kTrip) {
    const auto it = trips_.find(w.trip_id);
    return it != trips_.end() && it->second.candidate.key == w.base_key &&
           now < it->second.trip.ends_at;
  }
  for (std::int64_t cid : w.cids) {
    const auto it = contacts_.find(cid);
    if (it == contacts_.end() || it->second.contact.muted) {
      return false;
    }
  }
  if (w.cids.empty()) {
    return false;
  }
  const Record& r = contacts_.at(w.cids.front());
  if (c.kind == NudgeKind::kWeekendCall) {
    const auto& live = r.history.summary().last_live_at;
    return !live || *live < c.due_at;
  }
  const auto& current = r.candidates[static_cast<int>(c.kind)];
  if (c.kind == NudgeKind::kBirthday) {
    // After publication the record already looks at next year; the waiting
    // one stays current until its day ends (checked above by expires_at),
    // unless you already spoke that day: the call it asks for happened.
    const auto& live = r.history.summary().last_live_at;
    return !live || *live < calendar_.At(calendar_.Day(c.due_at), std::chrono::minutes(0));
  }
  return current && current->key == w.base_key;
}

void Engine::DropMoot(TimePoint now) {
  std::vector<std::int64_t> refresh;
  std::erase_if(waiting_, [&](const Waiting& w) {
    if (IsCurrent(w, now)) {
      return false;
    }
    waiting_keys_.erase(w.candidate.key);
    refresh.insert(refresh.end(), w.cids.begin(), w.cids.end());
    return true;
  });
  for (std::int64_t cid : refresh) {
    if (const auto it = contacts_.find(cid); it != contacts_.end()) {
      Refresh(it->second, now);
    }
  }
}

std::vector<std::int64_t> Engine::PickTripContacts(const Trip& trip, TimePoint now) const {
  const std::string city = Lower(Trim(trip.city));
  std::vector<const Record*> matches;
  for (const auto& [cid, r] : contacts_) {
    if (r.contact.muted) {
      continue;
    }
    const bool same_city = !city.empty() && Lower(Trim(r.contact.city)) == city;
    if (same_city || SharesTag(r.contact.tags, trip.tags)) {
      matches.push_back(&r);
    }
  }
  std::vector<std::pair<std::tuple<int, double, std::string>, std::int64_t>> ranked;
  ranked.reserve(matches.size());
  for (const Record* r : matches) {
    ranked.push_back({{CircleRank(r->contact.circle), WarmthNow(*r, now), r->contact.id}, r->cid});
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::int64_t> out;
  for (const auto& [rank, cid] : ranked) {
    if (static_cast<int>(out.size()) >= options_.rules.trip.max_contacts) {
      break;
    }
    out.push_back(cid);
  }
  return out;
}

std::optional<Nudge> Engine::Finalize(const Waiting& w, TimePoint now) const {
  Nudge n;
  n.kind = w.candidate.kind;
  n.key = w.candidate.key;
  n.id = NudgeId(n.kind, n.key);
  n.due_at = w.candidate.due_at;
  n.published_at = now;
  n.state = NudgeState::kPending;
  n.suggested_channel = Channel::kCall;
  std::vector<std::int64_t> cids = w.cids;
  if (n.kind == NudgeKind::kTrip) {
    const Trip& trip = trips_.at(w.trip_id).trip;
    cids = PickTripContacts(trip, now);
    if (cids.empty()) {
      return std::nullopt;  // nobody to meet there
    }
    n.trip_id = trip.id;
    n.suggested_channel = Channel::kInPerson;
    const TimePoint last = trip.ends_at > trip.starts_at ? trip.ends_at - Duration(1) : trip.ends_at;
    const auto first_day = calendar_.Day(trip.starts_at);
    const auto last_day = calendar_.Day(last);
    std::string dates = calendar_.FormatDay(first_day);
    if (last_day != first_day) {
      const bool same_month = date::year_month_day(first_day).month() ==
                              date::year_month_day(last_day).month();
      dates += same_month ? "–" + std::to_string(static_cast<unsigned>(
                                      date::year_month_day(last_day).day()))
                          : " – " + calendar_.FormatDay(last_day);
    }
    std::vector<std::string> names;
    names.reserve(cids.size());
    for (std::int64_t cid : cids) {
      names.push_back(DisplayName(contacts_.at(cid)));
    }
    n.text = TripText(Trim(trip.city), dates, names);
  }
  for (std::int64_t cid : cids) {
    const Record& r = contacts_.at(cid);
    n.contact_ids.push_back(r.contact.id);
    n.contact_names.push_back(DisplayName(r));
  }
  const Record& first = contacts_.at(cids.front());
  const Summary& s = first.history.summary();
  const std::string name = DisplayName(first);
  n.warmth = WarmthNow(first, now);
  switch (n.kind) {
    case NudgeKind::kCooling:
      n.text = s.last_live_at ? CoolingText(name, now - *s.last_live_at, true)
                              : CoolingText(name, s.last_at ? now - *s.last_at : Duration::zero(),
                                            false);
      break;
    case NudgeKind::kOnlineOnly: {
      const TimePoint since = s.streak_first_at.value_or(now);
      std::string day = calendar_.FormatDay(since);
      if (date::year_month_day(calendar_.Day(since)).year() !=
          date::year_month_day(calendar_.Day(now)).year()) {
        day += ", " + std::to_string(static_cast<int>(
                          date::year_month_day(calendar_.Day(since)).year()));
      }
      n.text = OnlineOnlyText(name, s.streak, day, s.last_live_at.has_value());
      break;
    }
    case NudgeKind::kFollowUp: {
      Channel pitched = Channel::kEmail;
      for (const Event& e : first.history.events()) {
        if (e.pitch) {
          pitched = e.channel;
        }
      }
      n.text = FollowUpText(name, pitched);
      break;
    }
    case NudgeKind::kWeekendCall:
      n.text = WeekendText(name);
      break;
    case NudgeKind::kBirthday: {
      const int year = static_cast<int>(date::year_month_day(calendar_.Day(now)).year());
      const int born = first.contact.birthday ? first.contact.birthday->year : 0;
      n.text = BirthdayText(name, born > 0 && year > born ? year - born : 0);
      break;
    }
    default:
      break;
  }
  return n;
}

void Engine::Publish(Nudge nudge, std::vector<std::int64_t> cids, TimePoint now) {
  published_keys_.insert(nudge.key);
  delivery_.RecordPublished(now);
  Journal(NudgeRow{nudge});
  NudgeRecord& rec = nudges_[nudge.id];
  rec.nudge = std::move(nudge);
  rec.cids = std::move(cids);
}

std::vector<Nudge> Engine::TakeDue(TimePoint now) {
  for (Scheduler::Slot slot : scheduler_.PopDue(now)) {
    Handle(slot, now);
  }
  DropMoot(now);
  std::vector<Nudge> out;
  if (waiting_.empty() || delivery_.IsQuiet(now)) {
    return out;
  }
  // BIRTHDAY, FOLLOW_UP, TRIP, COOLING, ONLINE_ONLY, WEEKEND_CALL; then inner
  // circle first, then earliest due, then contact (or trip) id.
  const auto first_contact = [this](const Waiting& w) -> const Record* {
    return w.cids.empty() ? nullptr : &contacts_.at(w.cids.front());
  };
  std::sort(waiting_.begin(), waiting_.end(), [&](const Waiting& a, const Waiting& b) {
    const Record* ra = first_contact(a);
    const Record* rb = first_contact(b);
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
  });
  int budget = delivery_.Budget(now);
  std::size_t taken = 0;
  std::vector<std::int64_t> refresh;
  for (; taken < waiting_.size() && budget > 0; ++taken) {
    const Waiting& w = waiting_[taken];
    waiting_keys_.erase(w.candidate.key);
    auto nudge = Finalize(w, now);
    if (!nudge) {
      published_keys_.insert(w.candidate.key);  // handled: nobody to suggest
      continue;
    }
    std::vector<std::int64_t> cids;
    for (const auto& id : nudge->contact_ids) {
      cids.push_back(by_id_.at(id));
    }
    refresh.insert(refresh.end(), cids.begin(), cids.end());
    out.push_back(*nudge);
    Publish(std::move(*nudge), std::move(cids), now);
    --budget;
  }
  waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(taken));
  for (std::int64_t cid : refresh) {
    Refresh(contacts_.at(cid), now);  // e.g. next year's birthday
  }
  return out;
}

std::optional<TimePoint> Engine::NextDue(TimePoint now) {
  std::optional<TimePoint> next = scheduler_.NextDue();
  if (!waiting_.empty()) {
    const TimePoint open = delivery_.NextOpening(now);
    next = next ? std::min(*next, open) : open;
  }
  return next;
}

// --- Trips -------------------------------------------------------------------

Result<Trip> Engine::UpsertTrip(Trip trip, TimePoint now) {
  if (Status s = ValidateTrip(trip); !s.ok()) {
    return s;
  }
  if (trip.id.empty()) {
    std::string slug;
    for (char c : Lower(trip.city)) {
      if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) >= 0x80)) {
        slug += c;
      } else if (!slug.empty() && slug.back() != '-') {
        slug += '-';
      }
    }
    while (!slug.empty() && slug.back() == '-') {
      slug.pop_back();
    }
    slug = slug.substr(0, kMaxSlugBytes) + "-" + date::format("%F", calendar_.Day(trip.starts_at));
    trip.id = slug;
    for (int n = 2; trips_.contains(trip.id); ++n) {
      trip.id = slug + "-" + std::to_string(n);
    }
  }
  TripRecord& t = trips_[trip.id];
  if (t.slot_seq == 0) {
    t.slot_seq = next_trip_slot_++;
  }
  t.trip = trip;
  Journal(TripRow{trip});
  ScheduleTrip(t, now);
  return trip;
}

Status Engine::RemoveTrip(std::string_view id, TimePoint /*now*/) {
  const auto it = trips_.find(std::string(id));
  if (it == trips_.end()) {
    return Status::NotFound("trip_id: no such trip");
  }
  scheduler_.Cancel(kTripSlots | (it->second.slot_seq << 3));
  std::erase_if(waiting_, [&](const Waiting& w) {
    if (w.trip_id != id) {
      return false;
    }
    waiting_keys_.erase(w.candidate.key);
    return true;
  });
  trips_.erase(it);
  Journal(TripRemoved{std::string(id)});
  return Status::Ok();
}

std::vector<Trip> Engine::ListTrips() const {
  std::vector<Trip> out;
  for (const auto& [id, t] : trips_) {
    out.push_back(t.trip);
  }
  std::sort(out.begin(), out.end(), [](const Trip& a, const Trip& b) {
    return a.starts_at != b.starts_at ? a.starts_at < b.starts_at : a.id < b.id;
  });
  return out;
}

// --- Nudges --------------------------------------------------------------------

std::vector<Nudge> Engine::ListNudges(std::span<const NudgeState> states, std::string_view key,
                                      std::size_t limit) const {
  std::optional<std::int64_t> cid;
  if (!key.empty()) {
    const Record* r = Find(key);
    if (r == nullptr) {
      return {};
    }
    cid = r->cid;
  }
  std::vector<Nudge> out;
  for (const auto& [id, n] : nudges_) {
    const bool state_ok = states.empty() ? n.nudge.state == NudgeState::kPending
                                         : std::find(states.begin(), states.end(),
                                                     n.nudge.state) != states.end();
    if (!state_ok || (cid && std::find(n.cids.begin(), n.cids.end(), *cid) == n.cids.end())) {
      continue;
    }
    Nudge copy = n.nudge;
    copy.contact_names.clear();
    for (std::int64_t c : n.cids) {
      const auto it = contacts_.find(c);
      copy.contact_names.push_back(it == contacts_.end() ? "" : DisplayName(it->second));
    }
    out.push_back(std::move(copy));
  }
  std::sort(out.begin(), out.end(), [](const Nudge& a, const Nudge& b) {
    return a.published_at != b.published_at ? a.published_at > b.published_at : a.id < b.id;
  });
  if (limit > 0 && out.size() > limit) {
    out.resize(limit);
  }
  return out;
}

void Engine::SetState(NudgeRecord& n, NudgeState state, std::optional<TimePoint> until) {
  n.nudge.state = state;
  n.nudge.snoozed_until = until;
  if (state == NudgeState::kSnoozed) {
    snoozed_.insert(n.nudge.id);
  } else {
    snoozed_.erase(n.nudge.id);
  }
  Journal(NudgeRow{n.nudge});
}

Result<std::vector<std::string>> Engine::Done(std::string_view contact, std::string_view nudge_id,
                                              Channel channel, TimePoint now) {
  NudgeRecord* target = nullptr;
  if (!nudge_id.empty()) {
    const auto it = nudges_.find(std::string(nudge_id));
    if (it == nudges_.end()) {
      return Status::NotFound("nudge_id: no such nudge");
    }
    target = &it->second;
    if (!IsOpen(target->nudge.state)) {
      return Status::FailedPrecondition("nudge_id: the nudge is already " +
                                        std::string(Name(target->nudge.state)));
    }
  }
  Record* r = nullptr;
  if (!contact.empty()) {
    r = Find(contact);
    if (r == nullptr) {
      return Status::NotFound("contact_id: no such contact");
    }
  } else if (target != nullptr && target->cids.size() == 1) {
    r = &contacts_.at(target->cids.front());
  } else if (target == nullptr) {
    return Status::InvalidArgument("contact_id or nudge_id: one is required");
  }
  std::vector<std::string> changed;
  if (target != nullptr) {
    SetState(*target, NudgeState::kDone, std::nullopt);
    changed.push_back(target->nudge.id);
  }
  if (r == nullptr) {
    return changed;  // a trip: the user met people; who exactly, they can log
  }
  if (channel == Channel::kUnspecified) {
    channel = target != nullptr ? target->nudge.suggested_channel : Channel::kCall;
  }
  const std::int64_t cid = r->cid;
  Interaction in;
  in.event_id = "done/" + std::to_string(cid) + "/" + std::to_string(ToUnixMicros(now));
  in.contacts = {r->contact.id};
  in.channel = channel;
  in.direction = Direction::kMutual;
  in.occurred_at = now;
  in.source = "done";
  Ingest(std::span<const Interaction>(&in, 1), now);
  for (auto& [id, n] : nudges_) {
    if (IsOpen(n.nudge.state) && n.cids.size() == 1 && n.cids.front() == cid) {
      SetState(n, NudgeState::kDone, std::nullopt);
      changed.push_back(id);
    }
  }
  Record& rec = contacts_.at(cid);
  if (rec.snoozed_until) {
    rec.snoozed_until.reset();
    Journal(ContactRow{cid, rec.contact, std::nullopt, rec.created_at});
    Refresh(rec, now);
  }
  ScheduleSnoozes();
  return changed;
}

Result<std::vector<std::string>> Engine::Snooze(std::string_view contact,
                                                std::string_view nudge_id, Duration duration,
                                                TimePoint now) {
  if (Status s = ValidateSnooze(duration); !s.ok()) {
    return s;
  }
  const TimePoint until = now + duration;
  std::vector<std::string> changed;
  if (!nudge_id.empty()) {
    const auto it = nudges_.find(std::string(nudge_id));
    if (it == nudges_.end()) {
      return Status::NotFound("nudge_id: no such nudge");
    }
    if (!IsOpen(it->second.nudge.state)) {
      return Status::FailedPrecondition("nudge_id: the nudge is already " +
                                        std::string(Name(it->second.nudge.state)));
    }
    SetState(it->second, NudgeState::kSnoozed, until);
    changed.push_back(it->first);
  } else {
    Record* r = Find(contact);
    if (r == nullptr) {
      return contact.empty() ? Status::InvalidArgument("contact_id or nudge_id: one is required")
                             : Status::NotFound("contact_id: no such contact");
    }
    r->snoozed_until = until;
    Journal(ContactRow{r->cid, r->contact, until, r->created_at});
    // Whatever waits for delivery waits for the snooze too (Refresh below
    // schedules it again at `until`).
    std::erase_if(waiting_, [&](const Waiting& w) {
      if (w.cids.size() != 1 || w.cids.front() != r->cid) {
        return false;
      }
      waiting_keys_.erase(w.candidate.key);
      return true;
    });
    for (auto& [id, n] : nudges_) {
      if (IsOpen(n.nudge.state) && n.cids.size() == 1 && n.cids.front() == r->cid) {
        SetState(n, NudgeState::kSnoozed, until);
        changed.push_back(id);
      }
    }
    Refresh(*r, now);
  }
  ScheduleSnoozes();
  return changed;
}

Result<std::vector<std::string>> Engine::Dismiss(std::string_view nudge_id, TimePoint /*now*/) {
  const auto it = nudges_.find(std::string(nudge_id));
  if (it == nudges_.end()) {
    return Status::NotFound("nudge_id: no such nudge");
  }
  if (it->second.nudge.state == NudgeState::kDismissed) {
    return std::vector<std::string>{};
  }
  if (!IsOpen(it->second.nudge.state)) {
    return Status::FailedPrecondition("nudge_id: the nudge is already " +
                                      std::string(Name(it->second.nudge.state)));
  }
  SetState(it->second, NudgeState::kDismissed, std::nullopt);
  ScheduleSnoozes();
  return std::vector<std::string>{it->first};
}

std::vector<Change> Engine::TakeJournal() {
  unjournaled_events_.clear();
  std::vector<Change> out;
  out.swap(journal_);
  return out;
}

EngineCounts Engine::Counts() const {
  EngineCounts c;
  for (const auto& [cid, r] : contacts_) {
    ++(r.contact.circle == Circle::kUnspecified ? c.unsorted : c.contacts);
  }
  c.interactions = interactions_;
  for (const auto& [id, n] : nudges_) {
    c.pending_nudges += n.nudge.state == NudgeState::kPending ? 1 : 0;
  }
  c.waiting_nudges = static_cast<std::int64_t>(waiting_.size());
  return c;
}

}  // namespace warmth::core
