#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "daemon/core/identifiers.h"
#include "daemon/core/status.h"
#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// The limits of the wire contract, shared by the codec and the engine. Every
// message below names the field, never echoes its content.
inline constexpr std::size_t kMaxContactsPerInteraction = 100;
inline constexpr std::size_t kMaxTags = 32;
inline constexpr std::size_t kMaxTagBytes = 64;
inline constexpr std::size_t kMaxSourceBytes = 64;
inline constexpr std::size_t kMaxIdentifiersPerContact = 32;
inline constexpr std::size_t kMaxDisplayNameBytes = 256;
inline constexpr std::size_t kMaxCityBytes = 128;
inline constexpr std::size_t kMaxSlugBytes = 64;  // the city part of an assigned trip id
inline constexpr Duration kMaxTripLength = 366 * kDay;
inline constexpr Duration kFutureTolerance = 5 * kMinute;
inline constexpr Duration kMaxSnooze = 365 * kDay;

// `value` within `max` bytes, without control characters other than tab.
Status CheckText(std::string_view field, std::string_view value, std::size_t max);
// At most kMaxTags, each non-empty text within kMaxTagBytes.
Status CheckTags(std::string_view field, const std::vector<std::string>& tags);

// Structural checks before Ingest: event_id present and within kMaxIdBytes,
// channel and direction in range, 1 to kMaxContactsPerInteraction contacts,
// fields within their sizes.
Status ValidateInteraction(const Interaction& in);

// A contact as UpsertContact takes it: id, texts, tags, identifiers (which it
// normalizes, phone numbers through `phone`, and deduplicates in place) and
// birthday.
Status ValidateContact(Contact& contact, const PhoneNormalizer& phone);

// A trip's city (trimmed in place), tags and times; the id when one is given.
Status ValidateTrip(Trip& trip);

// A snooze lasts more than 0 and at most kMaxSnooze.
Status ValidateSnooze(Duration duration);

}  // namespace warmth::core
