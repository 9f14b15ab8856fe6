#pragma once

#include <string_view>

#include "clients/import/records.h"

namespace warmth::import {

// Reads LinkedIn's Connections.csv in the shapes seen in the wild: the
// current export (preamble lines "Notes:", a quoted note and an empty line
// before the header "First Name,Last Name,URL,Email Address,Company,
// Position,Connected On"), the older one (header first, no URL column), and
// rows whose header was lost in a spreadsheet round trip (columns guessed by
// their number; rows wrapped whole in quotes are unwrapped).
//
// Each person: display name "First Last", the e-mail when there is one, the
// profile as identifier "linkedin:<slug>" (or a member URN found in the
// e-mail column), tags "linkedin" and the company. "Connected On" is read
// past: collecting a connection is not talking to someone, so no interaction
// comes from it. A file that is not UTF-8 (re-saved by a spreadsheet) is
// read as Windows-1252. Rows without a name or identifier are skipped; rows that
// cannot be read are Problems with their line. Pure.
ContactsFile ParseLinkedinCsv(std::string_view text);

}  // namespace warmth::import
