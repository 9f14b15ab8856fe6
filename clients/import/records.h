#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warmth::import {

// A bad record, by where it is in its file: "line 12", "row 5 (line 9)",
// "VEVENT 3 (uid …)". Never the record's content beyond that.
struct Problem {
  std::string where;
  std::string message;
};

struct Birthday {
  int month = 0;  // 1-12
  int day = 0;    // 1-31
  int year = 0;   // 0: unknown
  bool operator==(const Birthday&) const = default;
};

// One person as an address book or export describes them, before it is
// matched with the daemon's contacts.
struct ContactRecord {
  std::string where;  // its position, as in Problem
  // What identifies the record across imports when it has no identifier:
  // a vCard UID, a LinkedIn profile, else the name. Feeds the contact id.
  std::string key;
  std::string display_name;
  std::vector<std::string> identifiers;  // normalized: e-mail lower case, E.164, handles
  std::string city;
  std::optional<Birthday> birthday;
  std::vector<std::string> tags;
};

// What a contacts file held.
struct ContactsFile {
  int records = 0;  // cards or rows found
  std::vector<ContactRecord> contacts;
  int skipped = 0;                 // records with neither a name nor an identifier
  std::vector<Problem> problems;   // records, or parts of one, that could not be read
  std::vector<std::string> notes;  // things the user should know ("no header line: …")
};

// `s` as it is when it is valid UTF-8; otherwise read as Windows-1252 (the
// usual 8-bit charset of exports that do not say which one they use), or
// Latin-1 where Windows-1252 leaves a byte undefined.
std::string ToUtf8(std::string_view s);

// Adds `tag` unless present (exact match), cut to the daemon's 64 bytes at a
// UTF-8 boundary; at most 32 tags.
void AddTag(std::vector<std::string>& tags, const std::string& raw);

// Adds the normalized form of `raw` (core::NormalizeIdentifier; no phone
// numbers, which need a region: vCard's AddPhone) unless it is there already;
// false, and nothing added, when it is not a valid identifier.
bool AddIdentifier(std::vector<std::string>& identifiers, const std::string& raw);

}  // namespace warmth::import
