#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "daemon/core/status.h"

namespace warmth::core {

inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxIdentifierBytes = 256;

// How a phone number becomes its one spelling, E.164 ("+491711234567").
// Core knows no numbering plan: the daemon and the clients pass
// base::PhoneNormalizerFor([me] region), which asks libphonenumber.
// `number` is the number as written, without "tel:"; the result is "+" and
// digits, or kInvalidArgument giving the reason (without the number).
using PhoneNormalizer = std::function<Result<std::string>(std::string_view number)>;

// Whether `raw` (trimmed) is a phone identifier: "tel:" and a number
// ("tel:0171 1234567", "tel:+1-418-656-9254"), or "+" and a number
// ("+49 171 1234567"). Nothing else is: a bare number ("0171 1234567",
// "12345") is not guessed at, NormalizeIdentifier refuses it.
bool IsPhoneIdentifier(std::string_view raw);

// Normalizes a contact identifier so that one person has one spelling:
//  - phone (IsPhoneIdentifier) → E.164 through `phone`; a number written
//    the national way needs the region `phone` was made with;
//  - e-mail ("Alice@Example.COM", "mailto:…") → lower case;
//  - anything else (a handle such as "@alice" or "linkedin:alice") → trimmed,
//    lower case.
// kInvalidArgument for empty, over-long, control characters or inner
// spaces, an unusable phone number (the reason from `phone`), a phone
// number when `phone` is empty, and a bare number (digits and - . ( ) /
// only), which could be a phone number of any country.
Result<std::string> NormalizeIdentifier(std::string_view raw, const PhoneNormalizer& phone);

// Contact ids: 1 to 128 bytes, no white space or control characters.
Status ValidateContactId(std::string_view id);

// 64-bit FNV-1a: stable across builds and platforms (std::hash is not), used
// for event-id sets and nudge ids.
std::uint64_t StableHash(std::string_view s);

}  // namespace warmth::core
