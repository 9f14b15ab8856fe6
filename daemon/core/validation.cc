#include "daemon/core/validation.h"

#include <algorithm>
#include <string>

#include <date/date.h>

#include "daemon/core/identifiers.h"
#include "daemon/core/text.h"

namespace warmth::core {
namespace {

Status Invalid(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(field) + ": " + std::string(what));
}

std::string Indexed(std::string_view field, std::size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

}  // namespace

Status CheckText(std::string_view field, std::string_view value, std::size_t max) {
  if (value.size() > max) {
    return Invalid(field, "longer than " + std::to_string(max) + " bytes");
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      return Invalid(field, "contains control characters");
    }
  }
  return Status::Ok();
}

Status CheckTags(std::string_view field, const std::vector<std::string>& tags) {
  if (tags.size() > kMaxTags) {
    return Invalid(field, "more than " + std::to_string(kMaxTags) + " tags");
  }
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (tags[i].empty()) {
      return Invalid(Indexed(field, i), "empty");
    }
    if (Status s = CheckText(Indexed(field, i), tags[i], kMaxTagBytes); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status ValidateInteraction(const Interaction& in) {
  const auto channel = static_cast<int>(in.channel);
  if (channel == 0) {
    return Invalid("channel", "required");
  }
  if (channel < 0 || channel >= kChannelCount) {
    return Invalid("channel", "unknown channel");
  }
  const auto direction = static_cast<int>(in.direction);
  if (direction < 0 || direction >= kDirectionCount) {
    return Invalid("direction", "unknown direction");
  }
  if (in.missed && in.channel != Channel::kCall && in.channel != Channel::kVideo) {
    return Invalid("missed", "only for a CALL or VIDEO interaction (a call that did not connect)");
  }
  if (in.event_id.empty()) {
    return Invalid("event_id", "required");
  }
  if (in.event_id.size() > kMaxIdBytes) {
    return Invalid("event_id", "longer than " + std::to_string(kMaxIdBytes) + " bytes");
  }
  if (in.contacts.empty()) {
    return Invalid("contacts", "at least one contact is required");
  }
  if (in.contacts.size() > kMaxContactsPerInteraction) {
    return Invalid("contacts",
                   "more than " + std::to_string(kMaxContactsPerInteraction) + " contacts");
  }
  for (std::size_t i = 0; i < in.contacts.size(); ++i) {
    if (in.contacts[i].empty() || in.contacts[i].size() > kMaxIdentifierBytes) {
      return Invalid(Indexed("contacts", i),
                     "empty or longer than " + std::to_string(kMaxIdentifierBytes) + " bytes");
    }
  }
  if (Status s = CheckText("source", in.source, kMaxSourceBytes); !s.ok()) {
    return s;
  }
  return CheckTags("tags", in.tags);
}

// A cadence between a day and ten years; a maximum longer than the cadence.
Status CheckCadence(const Contact& c) {
  const auto in_range = [](Duration d) { return d >= kDay && d <= 3650 * kDay; };
  if (c.every && !in_range(*c.every)) {
    return Invalid("contact.every", "must be between 1 day and 10 years");
  }
  if (c.every_max && !in_range(*c.every_max)) {
    return Invalid("contact.every_max", "must be between 1 day and 10 years");
  }
  if (c.every && c.every_max && *c.every_max <= *c.every) {
    return Invalid("contact.every_max", "must be longer than contact.every");
  }
  return Status::Ok();
}

Status ValidateContact(Contact& c, const PhoneNormalizer& phone) {
  if (Status s = ValidateContactId(c.id); !s.ok()) {
    return Status::InvalidArgument("contact.id: " + s.message().substr(s.message().find(':') + 2));
  }
  if (Status s = CheckText("contact.display_name", c.display_name, kMaxDisplayNameBytes); !s.ok()) {
    return s;
  }
  if (Status s = CheckText("contact.city", c.city, kMaxCityBytes); !s.ok()) {
    return s;
  }
  if (Status s = CheckTags("contact.tags", c.tags); !s.ok()) {
    return s;
  }
  if (c.identifiers.size() > kMaxIdentifiersPerContact) {
    return Invalid("contact.identifiers", "more than " + std::to_string(kMaxIdentifiersPerContact));
  }
  std::vector<std::string> idents;
  for (std::size_t i = 0; i < c.identifiers.size(); ++i) {
    auto norm = NormalizeIdentifier(c.identifiers[i], phone);
    if (!norm.ok()) {
      return Invalid(Indexed("contact.identifiers", i), norm.status().message());
    }
    if (std::find(idents.begin(), idents.end(), *norm) == idents.end()) {
      idents.push_back(std::move(norm).value());
    }
  }
  c.identifiers = std::move(idents);
  if (Status s = CheckCadence(c); !s.ok()) {
    return s;
  }
  if (c.birthday) {
    const Birthday& b = *c.birthday;
    const date::year_month_day ymd{date::year(b.year == 0 ? 2000 : b.year),
                                   date::month(static_cast<unsigned>(std::clamp(b.month, 0, 13))),
                                   date::day(static_cast<unsigned>(std::clamp(b.day, 0, 32)))};
    if (!ymd.ok() || b.year < 0 || (b.year != 0 && (b.year < 1900 || b.year > 2100))) {
      return Invalid("contact.birthday", "not a valid date");
    }
  }
  return Status::Ok();
}

Status ValidateTrip(Trip& trip) {
  trip.city = Trim(trip.city);
  if (trip.city.empty()) {
    return Invalid("trip.city", "required");
  }
  if (Status s = CheckText("trip.city", trip.city, kMaxCityBytes); !s.ok()) {
    return s;
  }
  if (Status s = CheckTags("trip.tags", trip.tags); !s.ok()) {
    return s;
  }
  if (trip.starts_at <= TimePoint{}) {
    return Invalid("trip.starts_at", "required");
  }
  if (trip.ends_at < trip.starts_at) {
    return Invalid("trip.ends_at", "before trip.starts_at");
  }
  if (trip.ends_at - trip.starts_at > kMaxTripLength) {
    return Invalid("trip.ends_at", "a trip lasts at most a year");
  }
  if (!trip.id.empty() && !ValidateContactId(trip.id).ok()) {
    return Invalid("trip.id", "at most " + std::to_string(kMaxIdBytes) + " bytes, no white space");
  }
  return Status::Ok();
}

Status ValidateSnooze(Duration duration) {
  if (duration <= Duration::zero() || duration > kMaxSnooze) {
    return Invalid("duration", "more than 0 and at most 365 days");
  }
  return Status::Ok();
}

}  // namespace warmth::core
