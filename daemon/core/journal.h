#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "daemon/core/cadence.h"
#include "daemon/core/event_id_set.h"
#include "daemon/core/history.h"
#include "daemon/core/types.h"

namespace warmth::core {

enum class IngestOutcome { kAccepted = 1, kDuplicate = 2, kRejected = 3 };

struct IngestItem {
  std::string event_id;
  IngestOutcome outcome = IngestOutcome::kRejected;
  std::string reason;                    // kRejected only
  std::vector<std::string> contact_ids;  // kAccepted only
};

// A contact with what the model says about it at a given time.
struct ContactView {
  Contact contact;
  double warmth = 0;
  std::optional<TimePoint> last_at;
  Channel last_channel = Channel::kUnspecified;
  std::int64_t interactions = 0;
  std::optional<TimePoint> cools_at;  // when warmth falls below the threshold
  std::optional<TimePoint> snoozed_until;
  // The cadence in effect: set on the contact, by a tag, or the circle's.
  CadenceSource cadence_source = CadenceSource::kCircle;
  std::optional<Duration> every;  // unless kCircle
  std::string cadence_tag;        // kTag
  Duration half_life{};
  std::optional<Duration> usual_gap;  // the learned rhythm, once trusted
  int rhythm_gaps = 0;
  std::optional<TimePoint> one_sided_until;  // while it is not proposed (reciprocity)
};

// --- The journal: what the store must write to match memory. -------------
struct ContactRow {
  std::int64_t cid = 0;
  Contact contact;
  std::optional<TimePoint> snoozed_until;
  TimePoint created_at;
};
struct ContactRemoved {
  std::int64_t cid = 0;
  // Also delete the interactions that name only this contact (their event
  // ids with them), zero what was deleted and truncate the WAL
  // (RemoveContact.forget).
  bool forget = false;
};
// Every event of `from` now belongs to `into`; `from` is gone.
struct ContactsMerged {
  std::int64_t from = 0;
  std::int64_t into = 0;
};
struct InteractionRow {
  Interaction interaction;  // occurred_at set
  TimePoint received_at;
  std::vector<std::int64_t> cids;
  bool pitch = false;
  bool new_thread = false;  // Event::new_thread
};
struct NudgeRow {
  Nudge nudge;
  // Its state changed just now (DONE, SNOOZED or DISMISSED, by a request or
  // by settling); false when it is new or only rewritten (a merge). Once
  // committed, the daemon publishes such a row as nudge.closed. The nudge
  // carries its contact names then, as ListNudges gives them.
  bool state_changed = false;
};
struct NudgeRemoved {
  std::string id;
};
struct TripRow {
  Trip trip;
};
struct TripRemoved {
  std::string id;
};
using Change = std::variant<ContactRow, ContactRemoved, ContactsMerged, InteractionRow, NudgeRow,
                            NudgeRemoved, TripRow, TripRemoved>;

// The StableHash of every stored event id, as a store reads them for the
// engine's duplicate check, and how many interactions it read (two with the
// same id at different times are two, and one hash).
struct StoredEventIds {
  EventIdSet hashes;
  std::int64_t rows = 0;
};

// What a store hands over when it loads: Load* in any order. The engine is
// one; the store knows only this.
class LoadTarget {
 public:
  virtual ~LoadTarget() = default;
  // Room for about this many contacts, made once before they are loaded.
  virtual void ReserveContacts(std::int64_t contacts) = 0;
  virtual void LoadContact(ContactRow row) = 0;
  virtual void LoadEvent(std::int64_t cid, const Event& event) = 0;  // unknown cid: ignored
  // A contact's stored events at once, in time order; unknown cid: ignored.
  virtual void LoadEvents(std::int64_t cid, std::span<const Event> events) = 0;
  virtual void LoadEventId(std::string_view event_id) = 0;
  // Every event id at once (a store reads them beside the other rows).
  virtual void LoadEventIds(StoredEventIds ids) = 0;
  virtual void LoadTrip(const Trip& trip) = 0;
  virtual void LoadNudge(const Nudge& nudge) = 0;
};

}  // namespace warmth::core
