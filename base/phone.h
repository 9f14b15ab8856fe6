#pragma once

#include <string>
#include <string_view>

#include "daemon/core/identifiers.h"
#include "daemon/core/status.h"

namespace warmth::base {

// Phone numbers in E.164 through libphonenumber (Debian's libphonenumber-dev):
// the one place in warmth that knows numbering plans. The daemon and every
// client call it with the same `[me] region`, so that one number has one
// spelling everywhere. Any thread (libphonenumber's PhoneNumberUtil is a
// read-only singleton).

// Whether libphonenumber has a numbering plan for `region`, an ISO 3166-1
// alpha-2 code in upper case ("DE", "US", "GB").
bool IsPhoneRegion(std::string_view region);

// `number` as people write it ("+49 171 1234567", "0171 1234567",
// "(202) 555-0100", "+1-418-656-9254;ext=102") in E.164 ("+491711234567").
// A number without a country code (national, or with the international
// prefix of a country such as "0049") is read as dialled in `region`; with an
// empty region only numbers starting with "+" are accepted. Extensions are
// dropped: they reach the same person. The number must be of a possible
// length for its country; whether its range is assigned is not checked
// (libphonenumber's metadata ages, people's numbers do not wait for it).
// kInvalidArgument otherwise, the message giving the reason without echoing
// the number.
core::Result<std::string> ToE164(std::string_view number, std::string_view region);

// ToE164 with `region` bound: what core::NormalizeIdentifier and the engine
// take. `region` is "" or IsPhoneRegion (base::Config checks [me] region).
core::PhoneNormalizer PhoneNormalizerFor(std::string region);

}  // namespace warmth::base
