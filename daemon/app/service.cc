#include "daemon/app/service.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include "daemon/core/identifiers.h"
#include "daemon/transport/codec.h"

namespace warmth::app {
namespace {

using core::Status;
using transport::ToProto;

v1::Reply AckReply(const core::Result<std::vector<std::string>>& result,
                   const std::string& contact_id = {}) {
  if (!result.ok()) {
    return ErrorReply(result.status());
  }
  v1::Reply reply;
  for (const auto& id : result.value()) {
    reply.mutable_ack()->add_nudge_ids(id);
  }
  reply.mutable_ack()->set_contact_id(contact_id);
  return reply;
}

}  // namespace

bool Allowed(Role role, v1::Request::BodyCase body) {
  using B = v1::Request::BodyCase;
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kIngest:
      return body == B::kIngest;
    case Role::kNotify:
      return body == B::kListNudges || body == B::kDone || body == B::kSnooze ||
             body == B::kDismiss;
  }
  return false;
}

bool IsReadOnly(v1::Request::BodyCase body) {
  using B = v1::Request::BodyCase;
  return body == B::kGetContact || body == B::kListContacts || body == B::kListNudges ||
         body == B::kListTrips || body == B::kListInteractions || body == B::kStatus ||
         body == B::kBackup || body == B::BODY_NOT_SET;
}

bool ReadsStore(v1::Request::BodyCase body) {
  using B = v1::Request::BodyCase;
  return body == B::kGetContact || body == B::kListInteractions || body == B::kBackup;
}

core::Status CheckPermission(std::optional<Role> role, v1::Request::BodyCase body) {
  if (!role || !Allowed(*role, body)) {
    return Status::PermissionDenied("request: not allowed for this client's key");
  }
  return Status::Ok();
}

v1::Reply ErrorReply(const Status& status, std::string_view request_id) {
  v1::Reply reply;
  ToProto(status, reply.mutable_error());
  reply.set_request_id(std::string(request_id));
  return reply;
}

v1::Reply Service::Handle(const v1::Request& request, core::TimePoint now, Role role) {
  if (Status s = CheckPermission(role, request.body_case()); !s.ok()) {
    return ErrorReply(s, request.request_id());
  }
  return Execute(request, now);
}

v1::Reply Service::Execute(const v1::Request& request, core::TimePoint now) {
  v1::Reply reply = Dispatch(request, now);
  reply.set_request_id(request.request_id());
  return reply;
}

namespace {

v1::Reply Ingest(core::Engine& engine, const v1::IngestBatch& ingest, core::TimePoint now) {
  const auto& in = ingest.interactions();
  if (in.size() > transport::kMaxInteractionsPerBatch) {
    return ErrorReply(Status::ResourceExhausted(
        "ingest.interactions: more than 10000 in one batch; send smaller batches"));
  }
  // One structurally bad interaction is REJECTED with its reason; the rest
  // of the batch is processed (DESIGN.md: the contract is per interaction).
  std::vector<core::Interaction> batch;
  batch.reserve(static_cast<std::size_t>(in.size()));
  std::vector<std::optional<core::IngestItem>> refused(static_cast<std::size_t>(in.size()));
  for (int i = 0; i < in.size(); ++i) {
    auto interaction = transport::ToInteraction(in[i]);
    if (interaction.ok()) {
      batch.push_back(std::move(interaction).value());
    } else {
      // An oversize event id is not echoed back: the item is matched by its
      // position.
      const std::string& id = in[i].event_id();
      refused[static_cast<std::size_t>(i)] =
          core::IngestItem{id.size() <= core::kMaxIdBytes ? id : std::string(),
                           core::IngestOutcome::kRejected,
                           interaction.status().message(),
                           {}};
    }
  }
  const std::vector<core::IngestItem> items = engine.Ingest(batch, now);
  v1::Reply reply;
  auto* out = reply.mutable_ingest();
  auto next = items.begin();
  for (const std::optional<core::IngestItem>& bad : refused) {
    const core::IngestItem& item = bad ? *bad : *next++;
    auto* r = out->add_items();
    r->set_event_id(item.event_id);
    r->set_outcome(static_cast<v1::IngestResult::Outcome>(item.outcome));
    r->set_reason(item.reason);
    for (const auto& id : item.contact_ids) {
      r->add_contact_ids(id);
    }
  }
  return reply;
}

v1::Reply UpsertContact(core::Engine& engine, const v1::UpsertContact& upsert,
                        core::TimePoint now) {
  auto contact = transport::ToContact(upsert.contact());
  if (!contact.ok()) {
    return ErrorReply(contact.status());
  }
  auto view = engine.UpsertContact(std::move(contact).value(), now);
  if (!view.ok()) {
    return ErrorReply(view.status());
  }
  v1::Reply reply;
  ToProto(*view, reply.mutable_contact());
  return reply;
}

// `store` may be null: then no recent interactions.
v1::Reply GetContact(core::Engine& engine, store::SqliteStore* store, const v1::GetContact& get,
                     core::TimePoint now) {
  auto view = engine.GetContact(get.contact_id(), now);
  if (!view) {
    return ErrorReply(Status::NotFound("contact_id: no such contact"));
  }
  v1::Reply reply;
  ToProto(*view, reply.mutable_contact());
  const int recent = std::clamp(get.recent(), 0, 100);
  if (store != nullptr && recent > 0) {
    for (const auto& s : store->RecentInteractions(view->contact.id, recent)) {
      ToProto(s.interaction, reply.mutable_contact()->add_recent());
    }
  }
  return reply;
}

v1::Reply ListContacts(core::Engine& engine, const v1::ListContacts& list, core::TimePoint now) {
  v1::Reply reply;
  const auto order = list.creation_order() ? core::Engine::ContactOrder::kCreation
                                           : core::Engine::ContactOrder::kColdestFirst;
  for (const auto& view :
       engine.ListContacts(list.include_unsorted(),
                           static_cast<std::size_t>(std::max(0, list.limit())), now, order)) {
    ToProto(view, reply.mutable_contacts()->add_contacts());
  }
  reply.mutable_contacts();
  return reply;
}

v1::Reply UpsertTrip(core::Engine& engine, const v1::UpsertTrip& upsert, core::TimePoint now) {
  auto trip = transport::ToTrip(upsert.trip());
  if (!trip.ok()) {
    return ErrorReply(trip.status());
  }
  auto saved = engine.UpsertTrip(std::move(trip).value(), now);
  if (!saved.ok()) {
    return ErrorReply(saved.status());
  }
  v1::Reply reply;
  ToProto(*saved, reply.mutable_trip());
  return reply;
}

v1::Reply ListTrips(const core::Engine& engine) {
  v1::Reply reply;
  reply.mutable_trips();
  for (const auto& trip : engine.ListTrips()) {
    ToProto(trip, reply.mutable_trips()->add_trips());
  }
  return reply;
}

// A page's cursor: "MICROS/EVENT_ID" of its last interaction. Opaque to
// clients; it only has to survive the trip back.
std::string Cursor(const core::Interaction& last) {
  return std::to_string(core::ToUnixMicros(*last.occurred_at)) + "/" + last.event_id;
}

core::Result<store::InteractionKey> ParseCursor(const std::string& cursor) {
  const auto bad = Status::InvalidArgument(
      "list_interactions.after: not a cursor from this daemon (use next_cursor)");
  const std::size_t slash = cursor.find('/');
  if (slash == std::string::npos || slash + 1 == cursor.size() ||
      cursor.size() - slash - 1 > core::kMaxIdBytes) {
    return bad;
  }
  std::int64_t micros = 0;
  const auto [end, error] = std::from_chars(cursor.data(), cursor.data() + slash, micros);
  if (error != std::errc() || end != cursor.data() + slash) {
    return bad;
  }
  return store::InteractionKey{core::FromUnixMicros(micros), cursor.substr(slash + 1)};
}

// `store` may be null (replay): then there is nothing to list.
v1::Reply ListInteractions(store::SqliteStore* store, const v1::ListInteractions& list) {
  if (list.limit() < 0 || list.limit() > kMaxInteractionsPerPage) {
    return ErrorReply(Status::InvalidArgument("list_interactions.limit: between 0 and " +
                                              std::to_string(kMaxInteractionsPerPage)));
  }
  std::optional<core::TimePoint> since;
  if (list.has_since()) {
    auto t = transport::ToTimePoint(list.since(), "list_interactions.since");
    if (!t.ok()) {
      return ErrorReply(t.status());
    }
    since = *t;
  }
  std::optional<store::InteractionKey> after;
  if (!list.after().empty()) {
    auto key = ParseCursor(list.after());
    if (!key.ok()) {
      return ErrorReply(key.status());
    }
    after = std::move(key).value();
  }
  v1::Reply reply;
  v1::InteractionList* page = reply.mutable_interactions();
  if (store == nullptr) {
    return reply;
  }
  const int limit = list.limit() == 0 ? kDefaultInteractionsPerPage : list.limit();
  // One more than asked for says whether there is a next page.
  auto rows = store->ListInteractions(since, after, limit + 1);
  if (!rows.ok()) {
    return ErrorReply(rows.status());
  }
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    v1::Interaction item;
    ToProto((*rows)[i].interaction, &item);
    // A repeated field costs its tag and length besides the message.
    const std::size_t size = item.ByteSizeLong() + 6;
    if (i == static_cast<std::size_t>(limit) ||
        (i > 0 && bytes + size > kMaxInteractionPageBytes)) {
      page->set_next_cursor(Cursor((*rows)[i - 1].interaction));
      break;
    }
    bytes += size;
    *page->add_interactions() = std::move(item);
  }
  return reply;
}

v1::Reply ListNudges(const core::Engine& engine, const v1::ListNudges& list) {
  std::vector<core::NudgeState> states;
  for (int s : list.states()) {
    if (s <= 0 || s > static_cast<int>(core::NudgeState::kDismissed)) {
      return ErrorReply(Status::InvalidArgument("list_nudges.states: unknown state"));
    }
    states.push_back(static_cast<core::NudgeState>(s));
  }
  v1::Reply reply;
  reply.mutable_nudges();
  for (const auto& nudge : engine.ListNudges(states, list.contact_id(),
                                             static_cast<std::size_t>(std::max(0, list.limit())))) {
    ToProto(nudge, reply.mutable_nudges()->add_nudges());
  }
  return reply;
}

v1::Reply Done(core::Engine& engine, const v1::Done& done, core::TimePoint now) {
  auto channel = transport::ToChannel(done.channel(), "done.channel");
  if (!channel.ok()) {
    return ErrorReply(channel.status());
  }
  return AckReply(engine.Done(done.contact_id(), done.nudge_id(), *channel, now),
                  done.contact_id());
}

v1::Reply Snooze(core::Engine& engine, const v1::Snooze& snooze, core::TimePoint now) {
  if (!snooze.has_duration()) {
    return ErrorReply(Status::InvalidArgument("snooze.duration: required"));
  }
  auto duration = transport::ToDuration(snooze.duration(), "snooze.duration");
  if (!duration.ok()) {
    return ErrorReply(duration.status());
  }
  return AckReply(engine.Snooze(snooze.contact_id(), snooze.nudge_id(), *duration, now),
                  snooze.contact_id());
}

// Where a backup page resumes: a section letter and the place in it.
// "c<number>" after that contact, "t<n>" at the n-th trip, "i<cursor>" after
// that interaction (ListInteractions' cursor; empty: the first), "n<id>"
// after that nudge. Opaque to clients.
struct BackupCursor {
  char section = 'c';
  std::string at;
};

core::Result<BackupCursor> ParseBackupCursor(const std::string& text) {
  if (text.empty()) {
    return BackupCursor{'c', "0"};
  }
  if (std::string_view("ctin").find(text[0]) == std::string_view::npos ||
      text.size() > 2 * core::kMaxIdBytes) {
    return Status::InvalidArgument("backup.after: not a cursor from this daemon (use next_cursor)");
  }
  return BackupCursor{text[0], text.substr(1)};
}

// One page of the whole store in BackupRecords: at most
// kMaxInteractionsPerPage records and about kMaxInteractionPageBytes.
class BackupPager {
 public:
  explicit BackupPager(v1::BackupPage* page) : page_(page) {}
  // Appends `record` unless the page is full; false when it is.
  bool Add(v1::BackupRecord record) {
    const std::size_t size = record.ByteSizeLong() + 6;
    if (page_->records_size() >= kMaxInteractionsPerPage ||
        (page_->records_size() > 0 && bytes_ + size > kMaxInteractionPageBytes)) {
      return false;
    }
    bytes_ += size;
    *page_->add_records() = std::move(record);
    return true;
  }
  void Stop(char section, const std::string& at) {
    page_->set_next_cursor(std::string(1, section) + at);
  }

 private:
  v1::BackupPage* page_;
  std::size_t bytes_ = 0;
};

core::Result<bool> BackupInteractions(store::SqliteStore* store, const std::string& after,
                                      BackupPager& pager) {
  if (store == nullptr) {
    return true;
  }
  std::optional<store::InteractionKey> key;
  if (!after.empty()) {
    auto k = ParseCursor(after);
    if (!k.ok()) {
      return k.status();
    }
    key = std::move(k).value();
  }
  auto rows = store->ListInteractions(std::nullopt, key, kMaxInteractionsPerPage);
  if (!rows.ok()) {
    return rows.status();
  }
  std::string last = after;
  for (const store::StoredInteraction& s : *rows) {
    v1::BackupRecord record;
    ToProto(s.interaction, record.mutable_interaction()->mutable_interaction());
    ToProto(s.received_at, record.mutable_interaction()->mutable_received_at());
    if (!pager.Add(std::move(record))) {
      pager.Stop('i', last);
      return false;
    }
    last = Cursor(s.interaction);
  }
  if (static_cast<int>(rows->size()) == kMaxInteractionsPerPage) {
    pager.Stop('i', last);  // perhaps more
    return false;
  }
  return true;
}

// Each section appends from `at` on; true when it is done, false when the
// page filled (the pager then holds the cursor).
core::Result<bool> BackupContacts(const core::Engine& engine, const std::string& at,
                                  BackupPager& pager) {
  std::int64_t after = 0;
  if (std::from_chars(at.data(), at.data() + at.size(), after).ec != std::errc()) {
    return Status::InvalidArgument("backup.after: not a cursor from this daemon");
  }
  for (const core::ContactRow& row : engine.ContactRows()) {
    if (row.cid <= after) {
      continue;
    }
    v1::BackupRecord record;
    v1::BackupContact* c = record.mutable_contact();
    ToProto(row.contact, c->mutable_contact());
    c->set_number(row.cid);
    ToProto(row.created_at, c->mutable_created_at());
    if (row.snoozed_until) {
      ToProto(*row.snoozed_until, c->mutable_snoozed_until());
    }
    if (!pager.Add(std::move(record))) {
      pager.Stop('c', std::to_string(after));
      return false;
    }
    after = row.cid;
  }
  return true;
}

core::Result<bool> BackupTrips(const core::Engine& engine, const std::string& at,
                               BackupPager& pager) {
  std::size_t first = 0;
  if (std::from_chars(at.data(), at.data() + at.size(), first).ec != std::errc()) {
    return Status::InvalidArgument("backup.after: not a cursor from this daemon");
  }
  const std::vector<core::Trip> trips = engine.ListTrips();
  for (std::size_t i = first; i < trips.size(); ++i) {
    v1::BackupRecord record;
    ToProto(trips[i], record.mutable_trip());
    if (!pager.Add(std::move(record))) {
      pager.Stop('t', std::to_string(i));
      return false;
    }
  }
  return true;
}

core::Result<bool> BackupNudges(const core::Engine& engine, const std::string& after,
                                BackupPager& pager) {
  std::string last = after;
  for (const core::Nudge& n : engine.AllNudges()) {
    if (!after.empty() && n.id <= after) {
      continue;
    }
    v1::BackupRecord record;
    ToProto(n, record.mutable_nudge()->mutable_nudge());
    // Names and numbers come from the contacts; the store keeps neither (a
    // loaded nudge has none either).
    record.mutable_nudge()->mutable_nudge()->clear_contact_names();
    record.mutable_nudge()->mutable_nudge()->clear_contact_phones();
    record.mutable_nudge()->set_key(n.key);
    if (!pager.Add(std::move(record))) {
      pager.Stop('n', last);
      return false;
    }
    last = n.id;
  }
  return true;
}

// The sections in order: contacts, trips, interactions, nudges; each picks
// up where the cursor says and hands over to the next when it is done.
v1::Reply Backup(const core::Engine& engine, store::SqliteStore* store, const ServiceInfo& info,
                 const v1::Backup& backup, core::TimePoint now) {
  auto cursor = ParseBackupCursor(backup.after());
  if (!cursor.ok()) {
    return ErrorReply(cursor.status());
  }
  v1::Reply reply;
  BackupPager pager(reply.mutable_backup());
  if (backup.after().empty()) {
    v1::BackupRecord header;
    header.mutable_header()->set_format(kBackupFormat);
    header.mutable_header()->set_version(info.version);
    ToProto(now, header.mutable_header()->mutable_exported_at());
    pager.Add(std::move(header));
  }
  const std::string sections = "ctin";
  std::string at = cursor->at;
  for (std::size_t i = sections.find(cursor->section); i < sections.size(); ++i) {
    core::Result<bool> done = true;
    switch (sections[i]) {
      case 'c':
        done = BackupContacts(engine, at, pager);
        break;
      case 't':
        done = BackupTrips(engine, at, pager);
        break;
      case 'i':
        done = BackupInteractions(store, at, pager);
        break;
      default:
        done = BackupNudges(engine, at, pager);
        break;
    }
    if (!done.ok()) {
      return ErrorReply(done.status());
    }
    if (!*done) {
      return reply;
    }
    // The next section from its start.
    at = sections[i] == 'c' ? "0" : "";
  }
  return reply;
}

core::Status RestoreRecord(core::Engine& engine, const v1::BackupRecord& record) {
  switch (record.record_case()) {
    case v1::BackupRecord::kHeader:
      if (record.header().format() != kBackupFormat) {
        return Status::InvalidArgument(
            "header.format: " + std::to_string(record.header().format()) +
            " is not a backup format this warmthd reads (1)");
      }
      return engine.BeginRestore();
    case v1::BackupRecord::kContact: {
      const v1::BackupContact& in = record.contact();
      auto contact = transport::ToContact(in.contact());
      if (!contact.ok()) {
        return contact.status();
      }
      core::ContactRow row{in.number(), std::move(contact).value(), std::nullopt, {}};
      auto created = transport::ToTimePoint(in.created_at(), "contact.created_at");
      if (!created.ok()) {
        return created.status();
      }
      row.created_at = *created;
      if (in.has_snoozed_until()) {
        auto until = transport::ToTimePoint(in.snoozed_until(), "contact.snoozed_until");
        if (!until.ok()) {
          return until.status();
        }
        row.snoozed_until = *until;
      }
      return engine.RestoreContact(std::move(row));
    }
    case v1::BackupRecord::kTrip: {
      auto trip = transport::ToTrip(record.trip());
      return trip.ok() ? engine.RestoreTrip(std::move(trip).value()) : trip.status();
    }
    case v1::BackupRecord::kInteraction: {
      const v1::BackupInteraction& in = record.interaction();
      auto interaction = transport::ToStoredInteraction(in.interaction());
      if (!interaction.ok()) {
        return interaction.status();
      }
      auto received = transport::ToTimePoint(in.received_at(), "interaction.received_at");
      if (!received.ok()) {
        return received.status();
      }
      return engine.RestoreInteraction(*interaction, *received);
    }
    case v1::BackupRecord::kNudge: {
      auto nudge = transport::ToNudge(record.nudge().nudge(), record.nudge().key());
      return nudge.ok() ? engine.RestoreNudge(std::move(nudge).value()) : nudge.status();
    }
    case v1::BackupRecord::RECORD_NOT_SET:
      break;
  }
  return Status::InvalidArgument("record: empty (unknown record type?)");
}

v1::Reply Restore(core::Engine& engine, const v1::Restore& restore, core::TimePoint now) {
  if (restore.records_size() > kMaxInteractionsPerPage) {
    return ErrorReply(Status::ResourceExhausted(
        "restore.records: more than 10000 in one request; send smaller chunks"));
  }
  for (int i = 0; i < restore.records_size(); ++i) {
    if (Status s = RestoreRecord(engine, restore.records(i)); !s.ok()) {
      if (restore.records(i).has_header()) {
        return ErrorReply(s);  // says what it is about by itself
      }
      return ErrorReply(
          Status(s.code(), "restore.records[" + std::to_string(i) + "]." + s.message()));
    }
  }
  if (restore.done()) {
    if (Status s = engine.FinishRestore(now); !s.ok()) {
      return ErrorReply(s);
    }
  }
  v1::Reply reply;
  reply.mutable_ack();
  return reply;
}

v1::Reply StatusReply(core::Engine& engine, const ServiceInfo& info, const std::string& store_error,
                      core::TimePoint now) {
  v1::Reply reply;
  auto* s = reply.mutable_status();
  const core::EngineCounts counts = engine.Counts();
  s->set_version(info.version);
  ToProto(info.started_at, s->mutable_started_at());
  ToProto(now - info.started_at, s->mutable_uptime());
  s->set_store_path(info.store_path);
  s->set_contacts(counts.contacts);
  s->set_unsorted_contacts(counts.unsorted);
  s->set_interactions(counts.interactions);
  s->set_pending_nudges(counts.pending_nudges);
  s->set_waiting_nudges(counts.waiting_nudges);
  if (const auto next = engine.NextDue(now)) {
    ToProto(*next, s->mutable_next_due_at());
  }
  s->set_api_endpoint(info.api_endpoint);
  s->set_publish_endpoint(info.publish_endpoint);
  s->set_last_store_error(store_error);
  s->set_timezone(info.timezone);
  return reply;
}

}  // namespace

v1::Reply Service::Dispatch(const v1::Request& request, core::TimePoint now) {
  core::Engine& engine = *engine_;
  v1::Reply reply;
  if (engine.IsRestoring() && !IsReadOnly(request.body_case()) &&
      request.body_case() != v1::Request::kRestore) {
    return ErrorReply(Status::Unavailable(
        "request: a backup is being restored; nothing else changes until it is done, retry"));
  }
  switch (request.body_case()) {
    case v1::Request::kIngest:
      return Ingest(engine, request.ingest(), now);
    case v1::Request::kUpsertContact:
      return UpsertContact(engine, request.upsert_contact(), now);
    case v1::Request::kRemoveContact: {
      const std::string& id = request.remove_contact().contact_id();
      if (Status s = engine.RemoveContact(id, now, request.remove_contact().forget()); !s.ok()) {
        return ErrorReply(s);
      }
      reply.mutable_ack()->set_contact_id(id);
      return reply;
    }
    case v1::Request::kGetContact:
      return GetContact(engine, store_, request.get_contact(), now);
    case v1::Request::kListContacts:
      return ListContacts(engine, request.list_contacts(), now);
    case v1::Request::kUpsertTrip:
      return UpsertTrip(engine, request.upsert_trip(), now);
    case v1::Request::kRemoveTrip: {
      const std::string& id = request.remove_trip().trip_id();
      if (Status s = engine.RemoveTrip(id, now); !s.ok()) {
        return ErrorReply(s);
      }
      reply.mutable_ack()->set_trip_id(id);
      return reply;
    }
    case v1::Request::kListTrips:
      return ListTrips(engine);
    case v1::Request::kListInteractions:
      return ListInteractions(store_, request.list_interactions());
    case v1::Request::kListNudges:
      return ListNudges(engine, request.list_nudges());
    case v1::Request::kDone:
      return Done(engine, request.done(), now);
    case v1::Request::kSnooze:
      return Snooze(engine, request.snooze(), now);
    case v1::Request::kDismiss:
      return AckReply(engine.Dismiss(request.dismiss().nudge_id(), now));
    case v1::Request::kStatus:
      return StatusReply(engine, info_, store_error_, now);
    case v1::Request::kBackup:
      return Backup(engine, store_, info_, request.backup(), now);
    case v1::Request::kRestore:
      return Restore(engine, request.restore(), now);
    case v1::Request::BODY_NOT_SET:
      break;
  }
  return ErrorReply(Status::InvalidArgument("request: no body (unknown request type?)"));
}

}  // namespace warmth::app
