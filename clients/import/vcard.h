#pragma once

#include <optional>
#include <string_view>

#include "clients/import/records.h"
#include "daemon/core/identifiers.h"

namespace warmth::import {

// Reads every vCard (2.1, 3.0, 4.0) in `text` with evolution-data-server's
// EVCard parser (libebook-contacts): folded lines, quoted-printable and
// CHARSET values, property groups (item1.EMAIL), lower-case names. Text that
// is not UTF-8 is taken as Windows-1252.
//
// Each card: display name from FN, else N ("Given Additional Family"), else
// the first e-mail; every EMAIL and TEL as identifiers (values that are no
// address, or have no digit, are dropped; TEL numbers in E.164 through
// `phone`, base::PhoneNormalizerFor([me] region), and a number that does not
// read is skipped with a Problem giving the reason); BDAY with or without a year (years before
// 1900, such as the 1604 some address books write for "no year", count as
// unknown); the locality of an ADR (a home address first) as city;
// CATEGORIES as tags. A card without END:VCARD is a Problem naming its line;
// a card with neither a name nor an identifier is skipped. Pure apart from
// the EVCard library; safe on any bytes.
ContactsFile ParseVcards(std::string_view text, const core::PhoneNormalizer& phone);

// A BDAY value: "1980-03-22", "19800322", "--0203", "--02-03",
// "1985-01-28T00:00:00Z". nullopt for text such as "circa 1800" or "0000".
std::optional<Birthday> ParseBirthday(std::string_view value);

}  // namespace warmth::import
