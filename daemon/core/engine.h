#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "daemon/core/calendar.h"
#include "daemon/core/contact_index.h"
#include "daemon/core/delivery.h"
#include "daemon/core/delivery_queue.h"
#include "daemon/core/history.h"
#include "daemon/core/journal.h"
#include "daemon/core/model.h"
#include "daemon/core/nudge_book.h"
#include "daemon/core/options.h"
#include "daemon/core/rules.h"
#include "daemon/core/scheduler.h"
#include "daemon/core/status.h"
#include "daemon/core/trips.h"
#include "daemon/core/types.h"
#include "daemon/core/validation.h"

namespace warmth::core {

struct EngineCounts {
  std::int64_t contacts = 0;  // with a circle
  std::int64_t unsorted = 0;
  std::int64_t interactions = 0;
  std::int64_t pending_nudges = 0;
  std::int64_t waiting_nudges = 0;
};

// The whole domain in memory: contacts and their histories, trips, nudges,
// the schedule of due times and the delivery queue. Pure: every call takes
// the time as `now`, nothing here reads a clock, a file or a socket.
//
// Every change is also appended to a journal; the daemon writes the journal
// in one transaction before it replies or publishes, and if that write fails
// it rebuilds the engine from the store, so memory never runs ahead of disk.
// Replay simply discards the journal. Loop thread only.
class Engine final : public LoadTarget {
 public:
  // `phone` reads phone identifiers in E.164 (base::PhoneNormalizerFor with
  // [me] region); unset, they are refused as unusable.
  Engine(EngineOptions options, const date::time_zone* zone, PhoneNormalizer phone = {});
  ~Engine() override = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- Loading a store: Load* in any order, then FinishLoad once. -----------
  void ReserveContacts(std::int64_t contacts) override;
  void LoadContact(ContactRow row) override;
  void LoadEvent(std::int64_t cid, const Event& event) override;  // unknown cid: ignored
  void LoadEvents(std::int64_t cid, std::span<const Event> events) override;
  void LoadEventId(std::string_view event_id) override;
  void LoadEventIds(StoredEventIds ids) override;
  void LoadTrip(const Trip& trip) override;
  void LoadNudge(const Nudge& nudge) override;
  // Folds histories and schedules every rule. Also for a fresh engine.
  void FinishLoad(TimePoint now);

  // Asked when an event id's hash was seen before: does the store hold
  // this event? Unset (replay): a hash match counts as a duplicate.
  void SetDuplicateOracle(std::function<bool(std::string_view event_id, TimePoint at)> oracle) {
    duplicate_oracle_ = std::move(oracle);
  }

  // --- Requests. --------------------------------------------------------------
  // One result per interaction, in order. Interactions must be structurally
  // valid (ValidateInteraction); semantic problems (future time, unusable
  // identifier) reject that interaction only.
  std::vector<IngestItem> Ingest(std::span<const Interaction> batch, TimePoint now);
  // Creates or replaces a contact. Identifiers held by an unsorted contact
  // merge that contact (and its history) into this one; identifiers held by
  // a sorted contact: kAlreadyExists.
  Result<ContactView> UpsertContact(Contact contact, TimePoint now);
  // `key`: an id or an identifier. The events stay counted as seen (a retried event is
  // still a DUPLICATE) but no longer belong to anyone. With `forget`, the
  // events that were only this contact's go too (the store forgets their
  // event ids), and a nudge it shared loses its name from the text as well:
  // a TRIP nudge is worded again for the others, any other shared nudge
  // (or one whose trip is gone) is removed.
  Status RemoveContact(std::string_view key, TimePoint now, bool forget = false);
  std::optional<ContactView> GetContact(std::string_view key, TimePoint now) const;
  // Contacts with a circle coldest first, then (include_unsorted) the
  // unsorted ones, most interactions first; or in kCreation order, oldest
  // first, sorted and unsorted mixed. limit 0: all.
  enum class ContactOrder { kColdestFirst, kCreation };
  std::vector<ContactView> ListContacts(bool include_unsorted, std::size_t limit, TimePoint now,
                                        ContactOrder order = ContactOrder::kColdestFirst) const;
  // Empty id: assigns "<city>-<yyyy-mm-dd>". kInvalidArgument for a missing
  // city or an end before the start.
  Result<Trip> UpsertTrip(Trip trip, TimePoint now);
  Status RemoveTrip(std::string_view id, TimePoint now);
  std::vector<Trip> ListTrips() const;
  // Newest published first. Empty states: PENDING only.
  std::vector<Nudge> ListNudges(std::span<const NudgeState> states, std::string_view key,
                                std::size_t limit) const;
  // Records a live interaction with the contact (of the nudge) now and marks
  // its pending and snoozed nudges DONE. Returns the ids of changed nudges.
  Result<std::vector<std::string>> Done(std::string_view contact, std::string_view nudge_id,
                                        Channel channel, TimePoint now);
  // Holds the contact's nudges (or one nudge) for `duration`; each comes back
  // as a new nudge when the snooze ends, if its reason still holds.
  Result<std::vector<std::string>> Snooze(std::string_view contact, std::string_view nudge_id,
                                          Duration duration, TimePoint now);
  Result<std::vector<std::string>> Dismiss(std::string_view nudge_id, TimePoint now);

  // --- Backup and restore (engine_restore.cc). --------------------------------
  // Every contact as the store holds it, by number.
  std::vector<ContactRow> ContactRows() const;
  // Every published nudge, with its key, by id.
  std::vector<Nudge> AllNudges() const;
  // Nothing to lose: no contact, no event id, no trip, no nudge.
  bool IsEmpty() const;
  // Starts restoring a backup: kFailedPrecondition unless IsEmpty(). Until
  // FinishRestore, TakeDue publishes nothing and the Restore* calls load
  // records as the store would, journaling each: contacts first, then
  // trips, interactions (contacts: ids of restored contacts; empty for an
  // event id whose contacts were all removed) and nudges. Each is
  // kInvalidArgument when it breaks a rule (naming the field) or clashes
  // with one restored before, kFailedPrecondition when no restore runs.
  Status BeginRestore();
  Status RestoreContact(ContactRow row);
  Status RestoreTrip(Trip trip);
  Status RestoreInteraction(const Interaction& in, TimePoint received_at);
  Status RestoreNudge(Nudge nudge);
  // Schedules every rule as a restart does (FinishLoad) and ends the restore.
  Status FinishRestore(TimePoint now);
  bool IsRestoring() const { return restoring_; }

  // --- Time. ------------------------------------------------------------------
  // Every nudge to publish at `now`, in priority order, marked PENDING and
  // journaled: due rules pass through quiet hours, the daily budget and the
  // moot check.
  std::vector<Nudge> TakeDue(TimePoint now);
  // When TakeDue next has something to do; nullopt: never, until a request.
  std::optional<TimePoint> NextDue(TimePoint now);

  // `spare`: a journal handed back once written; the next one reuses its
  // memory instead of growing from nothing (a journal of a few thousand
  // changes was allocated and freed whole at every commit).
  std::vector<Change> TakeJournal(std::vector<Change> spare = {});
  // Replay has no store: without a journal it skips copying every change.
  void set_journaling(bool on) { journaling_ = on; }
  EngineCounts Counts() const;
  const EngineOptions& options() const { return options_; }
  const LocalCalendar& calendar() const { return calendar_; }

 private:
  using Record = ContactRecord;

  FoldParams Fold(const Record& r) const;
  Duration HalfLife(const Record& r) const;
  double WarmthNow(const Record& r, TimePoint now) const;
  ContactView View(const Record& r, TimePoint now) const;
  std::vector<ContactView> ListInCreationOrder(bool include_unsorted, std::size_t limit,
                                               TimePoint now) const;
  template <typename T>
  void Journal(T&& change) {
    if (journaling_) {
      journal_.emplace_back(std::forward<T>(change));
    }
  }
  void JournalContact(const Record& r) {
    Journal(ContactRow{r.cid, r.contact, r.snoozed_until, r.created_at});
  }

  // engine.cc: contacts and interactions.
  Record& CreateUnsorted(const std::string& identifier, TimePoint now);
  bool IsDuplicate(const std::string& event_id, TimePoint at) const;
  // Resolves, records and journals one interaction; the contacts it touched
  // are appended to `touched`.
  IngestItem IngestOne(const Interaction& in, TimePoint now, std::vector<std::int64_t>& touched);
  // The event `in` is for each of its contacts (`at`: its time).
  Event EventOf(const Interaction& in, TimePoint at) const;
  void Settle(std::int64_t cid, const Event& e);
  Result<std::vector<std::int64_t>> FindMerges(const Contact& c, const Record* rec) const;
  void Merge(Record& from, Record& into, TimePoint now);
  static void FillEmpty(Contact& into, const Contact& from);
  void ForgetContact(Record& r);
  // How many of the events of `r` no other contact shares: the interactions
  // a forget deletes.
  std::int64_t OwnEvents(const Record& r) const;

  // engine_schedule.cc: rules, the scheduler and delivery.
  void Refresh(Record& r, TimePoint now);
  void ScheduleTrip(TripRecord& t, TimePoint now);
  void RecheckTrips(TimePoint now);
  void ScheduleWeekend(TimePoint now);
  void ScheduleSnoozes();
  void Handle(Scheduler::Slot slot, TimePoint now);
  void HandleWeekend(TimePoint now);
  void HandleContactRule(Scheduler::Slot slot, TimePoint now);
  void HandleSnoozes(TimePoint now);
  void AddWaiting(Waiting w);
  bool IsCurrent(const Waiting& w, TimePoint now) const;
  void DropMoot(TimePoint now);
  bool PublishesFirst(const Waiting& a, const Waiting& b) const;
  std::optional<Nudge> Finalize(const Waiting& w, TimePoint now) const;
  std::string Describe(const Nudge& n, const Record& first, TimePoint now) const;
  void Publish(Nudge nudge, std::vector<std::int64_t> cids, TimePoint now);
  void SupersedeCallBacks(std::int64_t cid);

  // engine_nudges.cc: acting on published nudges.
  Result<NudgeRecord*> OpenNudge(std::string_view nudge_id);
  // Changes the state and journals it as a state change (NudgeRow::state_changed).
  void SetState(NudgeRecord& n, NudgeState state, std::optional<TimePoint> until);
  // The nudge with its contacts' display names, as clients get it.
  Nudge Named(const NudgeRecord& n) const;
  void RecordDone(Record& r, Channel channel, TimePoint now);
  std::vector<std::string> SnoozeContact(Record& r, TimePoint until, TimePoint now);

  EngineOptions options_;
  LocalCalendar calendar_;
  DeliveryPolicy delivery_;
  Scheduler scheduler_;
  std::function<bool(std::string_view, TimePoint)> duplicate_oracle_;

  ContactIndex contacts_;
  // StableHash of every event id: the largest set the engine holds (ten
  // million at a million contacts), about 8 bytes an id (a node set cost
  // about 40, a flat hash set about 15).
  EventIdSet seen_events_;
  std::unordered_set<std::string> unjournaled_events_;  // ids not yet handed to the store
  std::int64_t interactions_ = 0;

  TripBook trips_;
  NudgeBook nudges_;
  std::optional<Candidate> weekend_;
  DeliveryQueue waiting_;

  std::vector<Change> journal_;
  bool journaling_ = true;
  bool restoring_ = false;
};

}  // namespace warmth::core
