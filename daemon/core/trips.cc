#include "daemon/core/trips.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "daemon/core/slots.h"
#include "daemon/core/text.h"
#include "daemon/core/validation.h"

namespace warmth::core {

TripRecord& TripBook::Put(const Trip& trip) {
  TripRecord& t = trips_[trip.id];
  if (t.slot == 0) {
    t.slot = slots::Trip(next_seq_++);
    by_slot_[t.slot] = trip.id;
  }
  t.trip = trip;
  t.candidate = TripCandidate(trip, lead_);
  return t;
}

std::string TripBook::NewId(const Trip& trip, const LocalCalendar& calendar) const {
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
  slug = slug.substr(0, kMaxSlugBytes) + "-" + date::format("%F", calendar.Day(trip.starts_at));
  std::string id = slug;
  for (int n = 2; trips_.contains(id); ++n) {
    id = slug + "-" + std::to_string(n);
  }
  return id;
}

const TripRecord* TripBook::Find(const std::string& id) const {
  const auto it = trips_.find(id);
  return it == trips_.end() ? nullptr : &it->second;
}

TripRecord* TripBook::BySlot(Scheduler::Slot slot) {
  const auto it = by_slot_.find(slot);
  return it == by_slot_.end() ? nullptr : &trips_.at(it->second);
}

std::optional<Scheduler::Slot> TripBook::Remove(const std::string& id) {
  const auto it = trips_.find(id);
  if (it == trips_.end()) {
    return std::nullopt;
  }
  const Scheduler::Slot slot = it->second.slot;
  by_slot_.erase(slot);
  trips_.erase(it);
  return slot;
}

std::vector<Trip> TripBook::List() const {
  std::vector<Trip> out;
  out.reserve(trips_.size());
  for (const auto& [id, t] : trips_) {
    out.push_back(t.trip);
  }
  std::sort(out.begin(), out.end(), [](const Trip& a, const Trip& b) {
    return a.starts_at != b.starts_at ? a.starts_at < b.starts_at : a.id < b.id;
  });
  return out;
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

std::vector<std::int64_t> PickTripContacts(
    const Trip& trip, const ContactIndex& contacts, int max_contacts,
    const std::function<double(const ContactRecord&)>& warmth) {
  const std::string city = Lower(Trim(trip.city));
  std::vector<std::pair<std::tuple<int, double, std::string>, std::int64_t>> ranked;
  for (const auto& [cid, r] : contacts) {
    if (r.contact.muted) {
      continue;
    }
    const bool same_city = !city.empty() && Lower(Trim(r.contact.city)) == city;
    if (same_city || SharesTag(r.contact.tags, trip.tags)) {
      ranked.push_back({{CircleRank(r.contact.circle), warmth(r), r.contact.id}, r.cid});
    }
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::int64_t> out;
  for (const auto& [rank, cid] : ranked) {
    if (static_cast<int>(out.size()) >= max_contacts) {
      break;
    }
    out.push_back(cid);
  }
  return out;
}

}  // namespace warmth::core
