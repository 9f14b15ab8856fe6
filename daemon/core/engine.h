#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "daemon/core/calendar.h"
#include "daemon/core/journal.h"
#include "daemon/core/options.h"
#include "daemon/core/delivery.h"
#include "daemon/core/history.h"
#include "daemon/core/model.h"
#include "daemon/core/rules.h"
#include "daemon/core/scheduler.h"
#include "daemon/core/status.h"
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
  Engine(EngineOptions options, const date::time_zone* zone);
  ~Engine() override = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- Loading a store: Load* in any order, then FinishLoad once. -----------
  void LoadContact(const ContactRow& row) override;
  void LoadEvent(std::int64_t cid, const Event& event) override;  // unknown cid: ignored
  void LoadEventId(std::string_view event_id) override;
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
  // still a DUPLICATE) but no longer belong to anyone.
  Status RemoveContact(std::string_view key, TimePoint now);
  std::optional<ContactView> GetContact(std::string_view key, TimePoint now) const;
  // Contacts with a circle coldest first, then (include_unsorted) the
  // unsorted ones, most interactions first. limit 0: all.
  std::vector<ContactView> ListContacts(bool include_unsorted, std::size_t limit,
                                        TimePoint now) const;
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

  // --- Time. ------------------------------------------------------------------
  // Every nudge to publish at `now`, in priority order, marked PENDING and
  // journaled: due rules pass through quiet hours, the daily budget and the
  // moot check.
  std::vector<Nudge> TakeDue(TimePoint now);
  // When TakeDue next has something to do; nullopt: never, until a request.
  std::optional<TimePoint> NextDue(TimePoint now);

  std::vector<Change> TakeJournal();
  // Replay has no store: without a journal it skips copying every change.
  void set_journaling(bool on) { journaling_ = on; }
  EngineCounts Counts() const;
  const EngineOptions& options() const { return options_; }
  const LocalCalendar& calendar() const { return calendar_; }

 private:
  struct Record {
    std::int64_t cid = 0;
    Contact contact;
    History history;
    std::optional<TimePoint> snoozed_until;
    TimePoint created_at;
    std::array<std::optional<Candidate>, kNudgeKindCount> candidates;
    std::optional<TimePoint> indexed_conversation_at;
  };
  struct TripRecord {
    Trip trip;
    std::uint64_t slot_seq = 0;
    Candidate candidate;
  };
  struct NudgeRecord {
    Nudge nudge;
    std::vector<std::int64_t> cids;
  };
  // A due occasion waiting for delivery.
  struct Waiting {
    Candidate candidate;   // key: the key it will be published under
    std::string base_key;  // the occasion it stands for (differs after a snooze)
    std::vector<std::int64_t> cids;
    std::string trip_id;
  };
  // Either an existing contact or an identifier to create one for.
  struct Resolved {
    std::int64_t cid = 0;
    std::string new_identifier;
  };

  FoldParams Fold(const Record& r) const;
  Duration HalfLife(const Record& r) const;
  // By id, then by normalized identifier.
  const Record* Find(std::string_view key) const;
  Record* Find(std::string_view key);
  Result<Resolved> Resolve(std::string_view raw) const;
  Record& CreateUnsorted(const std::string& identifier, TimePoint now);
  bool IsDuplicate(const std::string& event_id, TimePoint at) const;
  bool IsPublished(const std::string& key) const { return published_keys_.contains(key); }
  void Refresh(Record& r, TimePoint now);
  void ScheduleTrip(TripRecord& t, TimePoint now);
  void ScheduleWeekend(TimePoint now);
  void ScheduleSnoozes();
  void Handle(Scheduler::Slot slot, TimePoint now);
  void HandleSnoozes(TimePoint now);
  std::optional<std::int64_t> PickWeekendContact(TimePoint now) const;
  void AddWaiting(Waiting w);
  bool IsCurrent(const Waiting& w, TimePoint now) const;
  void DropMoot(TimePoint now);
  std::optional<Nudge> Finalize(const Waiting& w, TimePoint now) const;
  std::vector<std::int64_t> PickTripContacts(const Trip& trip, TimePoint now) const;
  void Publish(Nudge nudge, std::vector<std::int64_t> cids, TimePoint now);
  template <typename T>
  void Journal(T&& change) {
    if (journaling_) {
      journal_.emplace_back(std::forward<T>(change));
    }
  }
  void SetState(NudgeRecord& n, NudgeState state, std::optional<TimePoint> until);
  void Merge(Record& from, Record& into, TimePoint now);
  void ForgetContact(Record& r);
  ContactView View(const Record& r, TimePoint now) const;
  double WarmthNow(const Record& r, TimePoint now) const;
  std::string DisplayName(const Record& r) const;

  EngineOptions options_;
  LocalCalendar calendar_;
  DeliveryPolicy delivery_;
  Scheduler scheduler_;
  std::function<bool(std::string_view, TimePoint)> duplicate_oracle_;

  std::unordered_map<std::int64_t, Record> contacts_;
  std::unordered_map<std::string, std::int64_t> by_id_;
  std::unordered_map<std::string, std::int64_t> by_identifier_;
  std::set<std::pair<TimePoint, std::int64_t>> by_last_conversation_;
  std::int64_t next_cid_ = 1;

  std::unordered_set<std::uint64_t> seen_events_;       // StableHash of every event id
  std::unordered_set<std::string> unjournaled_events_;  // ids not yet handed to the store
  std::int64_t interactions_ = 0;

  std::map<std::string, TripRecord> trips_;
  std::uint64_t next_trip_slot_ = 1;

  std::map<std::string, NudgeRecord> nudges_;  // every published nudge, by id
  std::unordered_set<std::string> published_keys_;
  std::set<std::string> snoozed_;  // SNOOZED nudges not yet brought back
  std::unordered_set<std::string> handled_weekends_;
  std::optional<Candidate> weekend_;

  std::vector<Waiting> waiting_;
  std::unordered_set<std::string> waiting_keys_;

  std::vector<Change> journal_;
  bool journaling_ = true;
};

}  // namespace warmth::core
