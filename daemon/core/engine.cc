// The engine's contacts and interactions: loading, ingest, upsert, merge,
// removal and the views of contacts. Scheduling and delivery live in
// engine_schedule.cc, acting on nudges in engine_nudges.cc.
#include "daemon/core/engine.h"

#include <algorithm>

#include "daemon/core/cadence.h"
#include "daemon/core/identifiers.h"
#include "daemon/core/slots.h"
#include "daemon/core/validation.h"

namespace warmth::core {
Engine::Engine(EngineOptions options, const date::time_zone* zone, PhoneNormalizer phone)
    : options_(std::move(options)),
      calendar_(zone),
      delivery_(options_.delivery, calendar_),
      contacts_(std::move(phone)),
      trips_(options_.rules.trip.lead) {}

// --- Loading -----------------------------------------------------------------

void Engine::ReserveContacts(std::int64_t contacts) {
  contacts_.Reserve(static_cast<std::size_t>(std::max<std::int64_t>(contacts, 0)));
}

void Engine::LoadContact(ContactRow row) {
  Record& r = contacts_.Load(row.cid, std::move(row.contact));
  r.snoozed_until = row.snoozed_until;
  r.created_at = row.created_at;
}

void Engine::LoadEvent(std::int64_t cid, const Event& event) {
  LoadEvents(cid, std::span<const Event>(&event, 1));
}

void Engine::LoadEvents(std::int64_t cid, std::span<const Event> events) {
  if (Record* r = contacts_.Get(cid)) {
    r->history.Load(events);
  }
}

void Engine::LoadEventId(std::string_view event_id) {
  seen_events_.Insert(StableHash(event_id));
  ++interactions_;
}

void Engine::LoadEventIds(StoredEventIds ids) {
  interactions_ += ids.rows;
  seen_events_.Merge(std::move(ids.hashes));
}

void Engine::LoadTrip(const Trip& trip) {
  trips_.Put(trip);
}

void Engine::LoadNudge(const Nudge& nudge) {
  std::vector<std::int64_t> cids;
  for (const auto& id : nudge.contact_ids) {
    if (const Record* r = contacts_.FindById(id)) {
      cids.push_back(r->cid);
    }
  }
  nudges_.Load(nudge, std::move(cids));
  delivery_.RecordPublished(nudge.published_at);
}

void Engine::FinishLoad(TimePoint now) {
  // Memory holds the respelled identifiers; the store keeps the old ones
  // until the contact is next saved, and every load respells them the same
  // way (docs/identifiers.md).
  for (std::int64_t cid : contacts_.RespellPhones()) {
    JournalContact(contacts_.At(cid));
  }
  for (auto& [cid, r] : contacts_) {
    r.history.ShrinkToFit();
    r.history.MarkStale();
    Refresh(r, now);
  }
  for (auto& [id, t] : trips_) {
    ScheduleTrip(t, now);
  }
  nudges_.SettleLoadedSnoozes();
  ScheduleSnoozes();
  ScheduleWeekend(now);
}

// --- Contacts ----------------------------------------------------------------

Duration Engine::HalfLife(const Record& r) const {
  if (!r.contact.every && options_.cadence.tags.empty()) {
    return options_.model.HalfLife(r.contact.circle, r.contact.family);  // the common case
  }
  return ResolveCadence(r.contact, options_.model, options_.cadence).half_life;
}

FoldParams Engine::Fold(const Record& r) const {
  return FoldParams{&options_.model,
                    HalfLife(r),
                    options_.rules.online_only.min_streak,
                    options_.model.threshold,
                    options_.rules.follow_up.cold_outreach,
                    options_.rules.reciprocity.unanswered};
}

Engine::Record& Engine::CreateUnsorted(const std::string& identifier, TimePoint now) {
  Record& r = contacts_.Create(identifier, now);
  Contact c = r.contact;
  c.identifiers = {identifier};
  contacts_.SetContact(r, std::move(c));
  Journal(ContactRow{r.cid, r.contact, std::nullopt, now});
  return r;
}

bool Engine::IsDuplicate(const std::string& event_id, TimePoint at) const {
  if (!seen_events_.Contains(StableHash(event_id))) {
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
    results.push_back(IngestOne(in, now, touched));
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (std::int64_t cid : touched) {
    Refresh(contacts_.At(cid), now);
  }
  return results;
}

IngestItem Engine::IngestOne(const Interaction& in, TimePoint now,
                             std::vector<std::int64_t>& touched) {
  IngestItem item;
  item.event_id = in.event_id;
  const TimePoint at = in.occurred_at.value_or(now);
  if (IsDuplicate(in.event_id, at)) {
    item.outcome = IngestOutcome::kDuplicate;
    return item;
  }
  if (at > now + kFutureTolerance) {
    item.reason = "occurred_at: more than 5 minutes in the future";
    return item;
  }
  if (at < TimePoint{}) {
    item.reason = "occurred_at: before 1970";
    return item;
  }
  std::vector<ContactIndex::Resolved> refs;
  for (std::size_t i = 0; i < in.contacts.size(); ++i) {
    auto ref = contacts_.Resolve(in.contacts[i]);
    if (!ref.ok()) {
      item.reason = "contacts[" + std::to_string(i) + "]: " + ref.status().message();
      return item;
    }
    refs.push_back(std::move(ref).value());
  }
  std::vector<std::int64_t> cids;
  for (ContactIndex::Resolved& ref : refs) {
    if (!ref.new_identifier.empty()) {
      // An earlier contact of this same interaction may have created it.
      const Record* r = contacts_.FindById(ref.new_identifier);
      ref.cid = r != nullptr ? r->cid : CreateUnsorted(ref.new_identifier, now).cid;
    }
    if (std::find(cids.begin(), cids.end(), ref.cid) == cids.end()) {
      cids.push_back(ref.cid);
    }
  }
  const Event event = EventOf(in, at);
  for (std::int64_t cid : cids) {
    Record& r = contacts_.At(cid);
    r.history.Add(event, Fold(r));
    item.contact_ids.push_back(r.contact.id);
    touched.push_back(cid);
    Settle(cid, event);
  }
  seen_events_.Insert(StableHash(in.event_id));
  ++interactions_;
  if (journaling_) {
    unjournaled_events_.insert(in.event_id);
    InteractionRow row{in, now, std::move(cids), event.pitch, event.new_thread};
    row.interaction.occurred_at = at;
    Journal(std::move(row));
  }
  item.outcome = IngestOutcome::kAccepted;
  return item;
}

Event Engine::EventOf(const Interaction& in, TimePoint at) const {
  const bool outbound = in.direction == Direction::kOutbound;
  const bool pitch =
      outbound && IsConversation(in.channel) && SharesTag(in.tags, options_.rules.follow_up.tags);
  // Whether it is a cold pitch depends on the contact's history before it,
  // which a backfill may still bring: the fold decides (history.cc, Step).
  const bool new_thread =
      outbound && in.channel == Channel::kEmail && SharesTag(in.tags, {std::string(kNewThreadTag)});
  return Event{at, in.channel, in.direction, pitch, new_thread, in.missed};
}

// A live interaction from any client settles the contact's open nudges that
// asked for one, and an INBOUND reply a FOLLOW_UP: DONE, as if the user had
// clicked Called. Only what happened once the nudge fell due counts: a
// backfilled meeting from last year does not answer today's nudge.
//
// A missed call settles nothing, either way: trying is not talking. A
// CALL_BACK is answered by any live interaction after the call it names,
// also one a backfill brings from before the nudge fell due.
void Engine::Settle(std::int64_t cid, const Event& e) {
  const bool live = IsLive(e);
  const bool reply = e.direction == Direction::kInbound && !e.missed;
  if (!live && !reply) {
    return;
  }
  for (NudgeRecord* n : nudges_.OpenFor(cid)) {
    const NudgeKind kind = n->nudge.kind;
    const TimePoint since = kind == NudgeKind::kCallBack
                                ? CallBackCallTime(n->nudge.key).value_or(n->nudge.due_at)
                                : n->nudge.due_at;
    if (n->cids.size() != 1 || e.at < since) {
      continue;
    }
    const bool asked_for_live = kind == NudgeKind::kCooling || kind == NudgeKind::kOnlineOnly ||
                                kind == NudgeKind::kWeekendCall || kind == NudgeKind::kBirthday ||
                                kind == NudgeKind::kCallBack || kind == NudgeKind::kRhythm;
    if ((live && (asked_for_live || kind == NudgeKind::kFollowUp)) ||
        (reply && kind == NudgeKind::kFollowUp)) {
      SetState(*n, NudgeState::kDone, std::nullopt);
    }
  }
}

// The unsorted contacts whose identifiers `c` claims; kAlreadyExists when a
// sorted contact other than `rec` holds one.
Result<std::vector<std::int64_t>> Engine::FindMerges(const Contact& c, const Record* rec) const {
  std::vector<std::int64_t> merge;
  for (std::size_t i = 0; i < c.identifiers.size(); ++i) {
    const auto owner = contacts_.OwnerOf(c.identifiers[i]);
    if (!owner || (rec != nullptr && *owner == rec->cid)) {
      continue;
    }
    const Record& other = contacts_.At(*owner);
    if (other.IsSorted()) {
      return Status::AlreadyExists("contact.identifiers[" + std::to_string(i) +
                                   "]: already belongs to contact \"" + other.contact.id + "\"");
    }
    if (std::find(merge.begin(), merge.end(), *owner) == merge.end()) {
      merge.push_back(*owner);
    }
  }
  return merge;
}

// What the adopted unsorted contact knew (from a vCard or LinkedIn import)
// fills what the upsert leaves empty.
void Engine::FillEmpty(Contact& into, const Contact& from) {
  if (into.display_name.empty()) {
    into.display_name = from.display_name;
  }
  if (into.city.empty()) {
    into.city = from.city;
  }
  if (!into.birthday) {
    into.birthday = from.birthday;
  }
  if (into.tags.empty()) {
    into.tags = from.tags;
  }
}

Result<ContactView> Engine::UpsertContact(Contact c, TimePoint now) {
  if (Status s = ValidateContact(c, contacts_.Phone()); !s.ok()) {
    return s;
  }
  Record* rec = contacts_.FindById(c.id);
  auto merge = FindMerges(c, rec);
  if (!merge.ok()) {
    return merge.status();
  }
  if (rec == nullptr) {
    rec = &contacts_.Create(c.id, now);
  }
  contacts_.SetContact(*rec, std::move(c));
  JournalContact(*rec);
  for (std::int64_t from : *merge) {
    Merge(contacts_.At(from), *rec, now);
  }
  Refresh(*rec, now);
  RecheckTrips(now);  // someone new to meet on a trip that found nobody
  return View(*rec, now);
}

void Engine::Merge(Record& from, Record& into, TimePoint now) {
  // One interaction that named both contacts is one event of the merged one
  // (the store keeps one row for it too).
  std::vector<Event> adopted;
  for (const Event& e : from.history.events()) {
    const auto same = into.history.Between(e.at, e.at);
    if (std::find(same.begin(), same.end(), e) == same.end()) {
      adopted.push_back(e);
    }
  }
  for (const Event& e : adopted) {
    into.history.Add(e, Fold(into));
  }
  FillEmpty(into.contact, from.contact);
  for (const std::string& id : nudges_.IdsNaming(from.cid)) {
    NudgeRecord& n = *nudges_.Find(id);
    nudges_.Reassign(n, from.cid, into.cid);
    std::replace(n.nudge.contact_ids.begin(), n.nudge.contact_ids.end(), from.contact.id,
                 into.contact.id);
    // Rule keys name the contact's number: under the merged contact's number
    // the occasion is still the one already published.
    n.nudge.key = RekeyContact(n.nudge.key, from.cid, into.cid);
    nudges_.MarkHandled(n.nudge.key);
    Journal(NudgeRow{n.nudge});
  }
  // Identifiers the caller did not list still lead to the merged history.
  contacts_.MoveIdentifiers(from, into);
  JournalContact(into);
  Journal(ContactsMerged{from.cid, into.cid});
  ForgetContact(from);
  into.history.MarkStale();
  Refresh(into, now);
}

void Engine::ForgetContact(Record& r) {
  const std::int64_t cid = r.cid;
  for (NudgeKind kind : slots::kContactRules) {
    scheduler_.Cancel(slots::Contact(cid, kind));
  }
  waiting_.RemoveIf([&](const Waiting& w) {
    return std::find(w.cids.begin(), w.cids.end(), cid) != w.cids.end();
  });
  contacts_.Erase(cid);
}

// One interaction that named several contacts is one equal event in each of
// their histories (Merge relies on the same).
std::int64_t Engine::OwnEvents(const Record& r) const {
  std::vector<Event> own(r.history.events().begin(), r.history.events().end());
  for (const auto& entry : contacts_) {
    const Record& other = entry.second;
    if (other.cid == r.cid || own.empty()) {
      continue;
    }
    std::erase_if(own, [&](const Event& e) {
      const auto same = other.history.Between(e.at, e.at);
      return std::find(same.begin(), same.end(), e) != same.end();
    });
  }
  return static_cast<std::int64_t>(own.size());
}

Status Engine::RemoveContact(std::string_view key, TimePoint now, bool forget) {
  Record* r = contacts_.Find(key);
  if (r == nullptr) {
    return Status::NotFound("contact_id: no such contact");
  }
  const std::int64_t cid = r->cid;
  const std::string id = r->contact.id;
  auto& all = nudges_.all();
  for (const std::string& nudge_id : nudges_.IdsNaming(cid)) {
    const auto it = all.find(nudge_id);
    NudgeRecord& n = it->second;  // a nudge naming the contact is in all()
    // A forgotten name must not stay in the text of a nudge others share.
    const bool reword = forget && n.cids.size() > 1;
    const bool rewordable =
        n.nudge.kind == NudgeKind::kTrip && trips_.Find(n.nudge.trip_id) != nullptr;
    if (n.cids.size() == 1 || (reword && !rewordable)) {
      Journal(NudgeRemoved{it->first});
      nudges_.Erase(it);
      continue;
    }
    nudges_.DropContact(n, cid);
    std::erase(n.nudge.contact_ids, id);
    if (reword) {
      n.nudge.text = Describe(Named(n), contacts_.At(n.cids.front()), now);
    }
    Journal(NudgeRow{n.nudge});
  }
  if (forget) {
    interactions_ -= OwnEvents(*r);
  }
  ForgetContact(*r);
  Journal(ContactRemoved{cid, forget});
  ScheduleSnoozes();
  return Status::Ok();
}

double Engine::WarmthNow(const Record& r, TimePoint now) const {
  return WarmthAt(r.history.summary(), now, HalfLife(r));
}

ContactView Engine::View(const Record& r, TimePoint now) const {
  const Summary& s = r.history.summary();
  ContactView v;
  v.contact = r.contact;
  v.warmth = WarmthNow(r, now);
  v.last_at = s.last_at;
  v.last_channel = s.last_channel;
  v.interactions = static_cast<std::int64_t>(r.history.size());
  if (r.IsSorted() && s.last_at) {
    v.cools_at = CrossingTime(s.warmth, *s.last_at, HalfLife(r), options_.model.threshold);
  }
  if (r.snoozed_until && *r.snoozed_until > now) {
    v.snoozed_until = r.snoozed_until;
  }
  const Cadence cadence = ResolveCadence(r.contact, options_.model, options_.cadence);
  v.cadence_source = cadence.source;
  v.every = cadence.every;
  v.cadence_tag = cadence.tag;
  v.half_life = cadence.half_life;
  v.usual_gap = s.rhythm.Usual(options_.rules.rhythm.min_gaps);
  v.rhythm_gaps = s.rhythm.Gaps();
  if (const auto until = OneSidedUntil(s, options_.rules.reciprocity); until && *until > now) {
    v.one_sided_until = until;
  }
  return v;
}

std::optional<ContactView> Engine::GetContact(std::string_view key, TimePoint now) const {
  const Record* r = contacts_.Find(key);
  if (r == nullptr) {
    return std::nullopt;
  }
  return View(*r, now);
}

std::vector<ContactView> Engine::ListContacts(bool include_unsorted, std::size_t limit,
                                              TimePoint now, ContactOrder order) const {
  if (order == ContactOrder::kCreation) {
    return ListInCreationOrder(include_unsorted, limit, now);
  }
  // Both orders are kept by ContactIndex::IndexOrder: no sort per query.
  std::vector<ContactView> out;
  const auto take = [&](const Record& r) {
    out.push_back(View(r, now));
    return limit == 0 || out.size() < limit;
  };
  contacts_.VisitColdestFirst(now, take);
  if (include_unsorted && (limit == 0 || out.size() < limit)) {
    contacts_.VisitUnsortedBusiestFirst(take);
  }
  return out;
}

// Contact numbers grow with every contact created, and a merge keeps the
// number of the contact merged into: number order is the order the engine
// met them in.
std::vector<ContactView> Engine::ListInCreationOrder(bool include_unsorted, std::size_t limit,
                                                     TimePoint now) const {
  std::vector<const Record*> records;
  for (const auto& [cid, r] : contacts_) {
    if (include_unsorted || r.IsSorted()) {
      records.push_back(&r);
    }
  }
  std::sort(records.begin(), records.end(),
            [](const Record* a, const Record* b) { return a->cid < b->cid; });
  if (limit > 0 && records.size() > limit) {
    records.resize(limit);
  }
  std::vector<ContactView> out;
  out.reserve(records.size());
  for (const Record* r : records) {
    out.push_back(View(*r, now));
  }
  return out;
}

std::vector<Change> Engine::TakeJournal(std::vector<Change> spare) {
  unjournaled_events_.clear();
  spare.clear();
  spare.swap(journal_);
  return spare;
}

EngineCounts Engine::Counts() const {
  EngineCounts c;
  for (const auto& [cid, r] : contacts_) {
    ++(r.IsSorted() ? c.contacts : c.unsorted);
  }
  c.interactions = interactions_;
  for (const auto& [id, n] : nudges_.all()) {
    c.pending_nudges += n.nudge.state == NudgeState::kPending ? 1 : 0;
  }
  c.waiting_nudges = static_cast<std::int64_t>(waiting_.size());
  return c;
}

}  // namespace warmth::core
