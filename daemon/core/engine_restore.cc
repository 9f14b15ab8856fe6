// The engine's backup and restore: what the store holds, handed out record by
// record, and a backup loaded back into an empty engine the way a restart
// loads the store (Load*, then FinishLoad), each record journaled.
#include <algorithm>

#include "daemon/core/engine.h"

namespace warmth::core {

std::vector<ContactRow> Engine::ContactRows() const {
  std::vector<ContactRow> rows;
  rows.reserve(contacts_.size());
  for (const auto& [cid, r] : contacts_) {
    rows.push_back(ContactRow{cid, r.contact, r.snoozed_until, r.created_at});
  }
  std::sort(rows.begin(), rows.end(),
            [](const ContactRow& a, const ContactRow& b) { return a.cid < b.cid; });
  return rows;
}

std::vector<Nudge> Engine::AllNudges() const {
  std::vector<Nudge> out;
  for (const auto& [id, n] : nudges_.all()) {
    out.push_back(n.nudge);
  }
  std::sort(out.begin(), out.end(), [](const Nudge& a, const Nudge& b) { return a.id < b.id; });
  return out;
}

bool Engine::IsEmpty() const {
  return contacts_.size() == 0 && interactions_ == 0 && trips_.List().empty() &&
         nudges_.all().empty();
}

Status Engine::BeginRestore() {
  if (restoring_) {
    return Status::FailedPrecondition("restore: one is already running");
  }
  if (!IsEmpty()) {
    return Status::FailedPrecondition(
        "restore: the store is not empty (contacts, interactions, trips or nudges); a backup is "
        "restored into an empty store only");
  }
  restoring_ = true;
  return Status::Ok();
}

namespace {

Status NotRestoring() {
  return Status::FailedPrecondition("restore: no restore is running (send the header first)");
}

}  // namespace

Status Engine::RestoreContact(ContactRow row) {
  if (!restoring_) {
    return NotRestoring();
  }
  // Checked as an upsert would check it, but kept as spelled: the store held
  // it so, and FinishLoad respells phones as every load does.
  Contact checked = row.contact;
  if (Status s = ValidateContact(checked, contacts_.Phone()); !s.ok()) {
    return s;
  }
  if (row.cid <= 0) {
    return Status::InvalidArgument("contact.number: required, more than 0");
  }
  if (contacts_.Get(row.cid) != nullptr) {
    return Status::InvalidArgument("contact.number: already restored for another contact");
  }
  if (contacts_.FindById(row.contact.id) != nullptr) {
    return Status::InvalidArgument("contact.contact.id: restored twice");
  }
  for (std::size_t i = 0; i < row.contact.identifiers.size(); ++i) {
    if (contacts_.OwnerOf(row.contact.identifiers[i])) {
      return Status::InvalidArgument("contact.contact.identifiers[" + std::to_string(i) +
                                     "]: already belongs to another contact");
    }
  }
  LoadContact(row);
  Journal(std::move(row));
  return Status::Ok();
}

Status Engine::RestoreTrip(Trip trip) {
  if (!restoring_) {
    return NotRestoring();
  }
  if (trip.id.empty()) {
    return Status::InvalidArgument("trip.id: required");
  }
  if (Status s = ValidateTrip(trip); !s.ok()) {
    return s;
  }
  if (trips_.Find(trip.id) != nullptr) {
    return Status::InvalidArgument("trip.id: restored twice");
  }
  LoadTrip(trip);
  Journal(TripRow{std::move(trip)});
  return Status::Ok();
}

Status Engine::RestoreInteraction(const Interaction& in, TimePoint received_at) {
  if (!restoring_) {
    return NotRestoring();
  }
  if (!in.occurred_at) {
    return Status::InvalidArgument("interaction.occurred_at: required");
  }
  if (IsDuplicate(in.event_id, *in.occurred_at)) {
    return Status::InvalidArgument("interaction.event_id: restored twice");
  }
  std::vector<std::int64_t> cids;
  for (std::size_t i = 0; i < in.contacts.size(); ++i) {
    const Record* r = contacts_.FindById(in.contacts[i]);
    if (r == nullptr) {
      return Status::InvalidArgument("interaction.contacts[" + std::to_string(i) +
                                     "]: not a contact restored before it");
    }
    if (std::find(cids.begin(), cids.end(), r->cid) == cids.end()) {
      cids.push_back(r->cid);
    }
  }
  // The flags the store keeps come from the tags as at ingest, with this
  // daemon's [rules.follow_up] tags.
  const Event event = EventOf(in, *in.occurred_at);
  for (std::int64_t cid : cids) {
    LoadEvent(cid, event);
  }
  LoadEventId(in.event_id);
  if (journaling_) {
    unjournaled_events_.insert(in.event_id);
    Journal(InteractionRow{in, received_at, std::move(cids), event.pitch, event.new_thread});
  }
  return Status::Ok();
}

Status Engine::RestoreNudge(Nudge nudge) {
  if (!restoring_) {
    return NotRestoring();
  }
  if (nudge.id.empty() || nudge.id.size() > kMaxIdBytes) {
    return Status::InvalidArgument("nudge.nudge.id: required, at most 128 bytes");
  }
  if (nudge.key.empty()) {
    return Status::InvalidArgument("nudge.key: required");
  }
  if (nudges_.all().contains(nudge.id) || nudges_.IsPublished(nudge.key)) {
    return Status::InvalidArgument("nudge: restored twice");
  }
  for (std::size_t i = 0; i < nudge.contact_ids.size(); ++i) {
    if (contacts_.FindById(nudge.contact_ids[i]) == nullptr) {
      return Status::InvalidArgument("nudge.nudge.contact_ids[" + std::to_string(i) +
                                     "]: not a contact restored before it");
    }
  }
  // The store keeps neither names nor numbers: they come from the contacts.
  nudge.contact_names.clear();
  nudge.contact_phones.clear();
  LoadNudge(nudge);
  Journal(NudgeRow{std::move(nudge)});
  return Status::Ok();
}

Status Engine::FinishRestore(TimePoint now) {
  if (!restoring_) {
    return NotRestoring();
  }
  restoring_ = false;
  FinishLoad(now);
  return Status::Ok();
}

}  // namespace warmth::core
