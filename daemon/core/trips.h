#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/core/calendar.h"
#include "daemon/core/contact_index.h"
#include "daemon/core/rules.h"
#include "daemon/core/scheduler.h"
#include "daemon/core/types.h"

namespace warmth::core {

struct TripRecord {
  Trip trip;
  Scheduler::Slot slot = 0;
  Candidate candidate;
};

// Trips by id, each with its own scheduler slot (found both ways in O(1)).
// Journals nothing. Loop thread only.
class TripBook {
 public:
  explicit TripBook(Duration lead) : lead_(lead) {}

  // Stores `trip` (an existing id keeps its slot) with its candidate.
  TripRecord& Put(const Trip& trip);
  // Assigns "<city>-<yyyy-mm-dd>" (then "-2", "-3"…) to a trip without an id.
  std::string NewId(const Trip& trip, const LocalCalendar& calendar) const;
  const TripRecord* Find(const std::string& id) const;
  TripRecord* BySlot(Scheduler::Slot slot);
  // The slot the trip had; nullopt if there was no such trip.
  std::optional<Scheduler::Slot> Remove(const std::string& id);
  std::vector<Trip> List() const;  // by start, then id

  auto begin() { return trips_.begin(); }
  auto end() { return trips_.end(); }

 private:
  Duration lead_;
  std::map<std::string, TripRecord> trips_;
  std::unordered_map<Scheduler::Slot, std::string> by_slot_;
  std::uint64_t next_seq_ = 1;
};

// Who to meet on `trip`: unmuted contacts in its city (case-insensitive) or
// sharing one of its tags; inner circle first, then coldest, then by id; at
// most `max_contacts`.
std::vector<std::int64_t> PickTripContacts(
    const Trip& trip, const ContactIndex& contacts, int max_contacts,
    const std::function<double(const ContactRecord&)>& warmth);

// True when any tag of `a` equals one of `b`, ignoring ASCII case.
bool SharesTag(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace warmth::core
