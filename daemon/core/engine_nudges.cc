// The engine's trips and published nudges: listing them and acting on them
// (done, snooze, dismiss).
#include <algorithm>

#include "daemon/core/engine.h"

namespace warmth::core {

// --- Trips -------------------------------------------------------------------

Result<Trip> Engine::UpsertTrip(Trip trip, TimePoint now) {
  if (Status s = ValidateTrip(trip); !s.ok()) {
    return s;
  }
  if (trip.id.empty()) {
    trip.id = trips_.NewId(trip, calendar_);
  }
  TripRecord& t = trips_.Put(trip);
  Journal(TripRow{trip});
  ScheduleTrip(t, now);
  return trip;
}

Status Engine::RemoveTrip(std::string_view id, TimePoint /*now*/) {
  const auto slot = trips_.Remove(std::string(id));
  if (!slot) {
    return Status::NotFound("trip_id: no such trip");
  }
  scheduler_.Cancel(*slot);
  waiting_.RemoveIf([&](const Waiting& w) { return w.trip_id == id; });
  Journal(TripRemoved{std::string(id)});
  return Status::Ok();
}

std::vector<Trip> Engine::ListTrips() const {
  return trips_.List();
}

// --- Nudges --------------------------------------------------------------------

std::vector<Nudge> Engine::ListNudges(std::span<const NudgeState> states, std::string_view key,
                                      std::size_t limit) const {
  constexpr NudgeState kPendingOnly[] = {NudgeState::kPending};
  if (states.empty()) {
    states = kPendingOnly;
  }
  const auto wanted = [&](const NudgeRecord* n) {
    return std::find(states.begin(), states.end(), n->nudge.state) != states.end();
  };
  std::vector<Nudge> out;
  const auto full = [&] { return limit > 0 && out.size() >= limit; };
  if (!key.empty()) {
    const Record* r = contacts_.Find(key);
    if (r == nullptr) {
      return {};
    }
    for (const NudgeRecord* n : nudges_.Naming(r->cid)) {
      if (full()) {
        break;
      }
      if (wanted(n)) {
        out.push_back(Named(*n));
      }
    }
    return out;
  }
  // Each state's listing is newest first: merge their heads.
  std::vector<std::pair<NudgeBook::Listing::const_iterator, NudgeBook::Listing::const_iterator>>
      heads;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (std::find(states.begin(), states.begin() + static_cast<std::ptrdiff_t>(i), states[i]) ==
        states.begin() + static_cast<std::ptrdiff_t>(i)) {
      const auto& listing = nudges_.InState(states[i]);
      heads.emplace_back(listing.begin(), listing.end());
    }
  }
  const NudgeBook::NewestFirst newer;
  while (!full()) {
    auto next = heads.end();
    for (auto h = heads.begin(); h != heads.end(); ++h) {
      if (h->first != h->second && (next == heads.end() || newer(*h->first, *next->first))) {
        next = h;
      }
    }
    if (next == heads.end()) {
      break;
    }
    out.push_back(Named(**next->first));
    ++next->first;
  }
  return out;
}

Nudge Engine::Named(const NudgeRecord& n) const {
  Nudge copy = n.nudge;
  copy.contact_names.clear();
  copy.contact_phones.clear();
  for (std::int64_t c : n.cids) {
    const Record* r = contacts_.Get(c);
    copy.contact_names.push_back(r == nullptr ? "" : r->DisplayName());
    copy.contact_phones.push_back(r == nullptr ? "" : r->Phone());
  }
  DropIfNoPhones(copy.contact_phones);
  return copy;
}

void Engine::SetState(NudgeRecord& n, NudgeState state, std::optional<TimePoint> until) {
  nudges_.SetState(n, state, until);
  if (journaling_) {
    Journal(NudgeRow{Named(n), true});  // published as nudge.closed after the commit
  }
}

// The nudge named `nudge_id` while it is open (PENDING or SNOOZED).
Result<NudgeRecord*> Engine::OpenNudge(std::string_view nudge_id) {
  NudgeRecord* n = nudges_.Find(std::string(nudge_id));
  if (n == nullptr) {
    return Status::NotFound("nudge_id: no such nudge");
  }
  if (!IsOpen(n->nudge.state)) {
    return Status::FailedPrecondition("nudge_id: the nudge is already " +
                                      std::string(Name(n->nudge.state)));
  }
  return n;
}

Result<std::vector<std::string>> Engine::Done(std::string_view contact, std::string_view nudge_id,
                                              Channel channel, TimePoint now) {
  NudgeRecord* target = nullptr;
  if (!nudge_id.empty()) {
    auto open = OpenNudge(nudge_id);
    if (!open.ok()) {
      return open.status();
    }
    target = *open;
  }
  Record* r = nullptr;
  if (!contact.empty()) {
    r = contacts_.Find(contact);
    if (r == nullptr) {
      return Status::NotFound("contact_id: no such contact");
    }
  } else if (target != nullptr && target->cids.size() == 1) {
    r = &contacts_.At(target->cids.front());
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
  // The live interaction settles some of these itself (Settle); all of
  // them are what this Done changed.
  const std::vector<NudgeRecord*> open = nudges_.OpenFor(cid);
  RecordDone(*r, channel, now);
  for (NudgeRecord* n : open) {
    if (n->cids.size() != 1) {
      continue;
    }
    if (IsOpen(n->nudge.state)) {
      SetState(*n, NudgeState::kDone, std::nullopt);
    }
    changed.push_back(n->nudge.id);
  }
  Record& rec = contacts_.At(cid);
  if (rec.snoozed_until) {
    rec.snoozed_until.reset();
    JournalContact(rec);
    Refresh(rec, now);
  }
  ScheduleSnoozes();
  return changed;
}

// The live interaction Done stands for, ingested like any other.
void Engine::RecordDone(Record& r, Channel channel, TimePoint now) {
  Interaction in;
  in.event_id = "done/" + std::to_string(r.cid) + "/" + std::to_string(ToUnixMicros(now));
  in.contacts = {r.contact.id};
  in.channel = channel;
  in.direction = Direction::kMutual;
  in.occurred_at = now;
  in.source = "done";
  Ingest(std::span<const Interaction>(&in, 1), now);
}

Result<std::vector<std::string>> Engine::Snooze(std::string_view contact, std::string_view nudge_id,
                                                Duration duration, TimePoint now) {
  if (Status s = ValidateSnooze(duration); !s.ok()) {
    return s;
  }
  const TimePoint until = now + duration;
  std::vector<std::string> changed;
  if (!nudge_id.empty()) {
    auto open = OpenNudge(nudge_id);
    if (!open.ok()) {
      return open.status();
    }
    SetState(**open, NudgeState::kSnoozed, until);
    changed.push_back((*open)->nudge.id);
  } else {
    Record* r = contacts_.Find(contact);
    if (r == nullptr) {
      return contact.empty() ? Status::InvalidArgument("contact_id or nudge_id: one is required")
                             : Status::NotFound("contact_id: no such contact");
    }
    changed = SnoozeContact(*r, until, now);
  }
  ScheduleSnoozes();
  return changed;
}

std::vector<std::string> Engine::SnoozeContact(Record& r, TimePoint until, TimePoint now) {
  r.snoozed_until = until;
  JournalContact(r);
  // Whatever waits for delivery waits for the snooze too (Refresh below
  // schedules it again at `until`).
  waiting_.RemoveIf(
      [&](const Waiting& w) { return w.cids.size() == 1 && w.cids.front() == r.cid; });
  std::vector<std::string> changed;
  for (const std::string& id : nudges_.IdsNaming(r.cid)) {
    NudgeRecord& n = *nudges_.Find(id);
    if (IsOpen(n.nudge.state) && n.cids.size() == 1) {
      SetState(n, NudgeState::kSnoozed, until);
      changed.push_back(id);
    }
  }
  Refresh(r, now);
  return changed;
}

Result<std::vector<std::string>> Engine::Dismiss(std::string_view nudge_id, TimePoint /*now*/) {
  NudgeRecord* n = nudges_.Find(std::string(nudge_id));
  if (n == nullptr) {
    return Status::NotFound("nudge_id: no such nudge");
  }
  if (n->nudge.state == NudgeState::kDismissed) {
    return std::vector<std::string>{};
  }
  auto open = OpenNudge(nudge_id);
  if (!open.ok()) {
    return open.status();
  }
  SetState(*n, NudgeState::kDismissed, std::nullopt);
  ScheduleSnoozes();
  return std::vector<std::string>{n->nudge.id};
}

}  // namespace warmth::core
