#pragma once

#include <string>
#include <string_view>

#include "daemon/core/status.h"

namespace warmth::core {

inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxIdentifierBytes = 256;

// Normalizes a contact identifier so that one person has one spelling:
//  - e-mail ("Alice@Example.COM", "mailto:…") → lower case;
//  - phone ("tel:+1 (555) 010-0199", "+49 30 1234567") → "+" and the digits;
//  - anything else (a handle such as "@alice" or "linkedin:alice") → trimmed,
//    lower case.
// kInvalidArgument for empty, over-long, or control characters / inner spaces.
Result<std::string> NormalizeIdentifier(std::string_view raw);

// Contact ids: 1 to 128 bytes, no white space or control characters.
Status ValidateContactId(std::string_view id);

// 64-bit FNV-1a: stable across builds and platforms (std::hash is not), used
// for event-id sets and nudge ids.
std::uint64_t StableHash(std::string_view s);

}  // namespace warmth::core
