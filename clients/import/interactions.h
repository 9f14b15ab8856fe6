#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "clients/import/records.h"
#include "daemon/core/identifiers.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::import {

namespace v1 = ::warmth::v1;

// What a call log or chat export held: an Android backup, a Telegram,
// WhatsApp or Messenger export. Its interactions went to the parser's emit
// callback as they were found; this is what is left to report.
struct InteractionFile {
  std::int64_t records = 0;                     // calls, messages and other entries read
  std::int64_t interactions = 0;                // passed to emit
  std::map<std::string, std::int64_t> skipped;  // reason -> records
  // Where the file stopped being readable ("line 412: …"), or a record that
  // could not be read. What came before it is kept.
  std::vector<Problem> problems;
  // Identifier ("tel:+E164", "telegram:123") -> the name the export gave
  // that person, the first one seen: names new unsorted contacts.
  std::map<std::string, std::string> names;
  // What the reader decided that the user should know (a day/month order
  // read from ambiguous dates), printed on stderr; not problems.
  std::vector<std::string> notes;
};

// Receives each interaction in file order; false stops the reading (the
// daemon went away).
using EmitInteraction = std::function<bool(v1::Interaction)>;

// What the interaction importers need beyond the file.
struct ChatOptions {
  core::PhoneNormalizer phone;  // [me] region's reading of numbers (android)
  // Which sender is you, where the export names people only by name
  // (WhatsApp, Messenger): --me, else [me] names. Compared exactly, after
  // Unicode marks (U+200E…) are dropped from both sides.
  std::vector<std::string> me;
  // --contact: the contact id or identifier the other person of a
  // one-to-one chat is logged to, instead of "whatsapp:<name>".
  std::string contact;
  // --groups: a group chat's messages count as SOCIAL for their sender,
  // never as a one-to-one conversation. Off: group chats are skipped.
  bool groups = false;
  // The zone the export's local times are read in (WhatsApp's, and
  // Telegram's `date` in exports too old to have `date_unixtime`): the
  // config's timezone, else the system's. nullptr: UTC.
  const date::time_zone* zone = nullptr;
};

// A parser of one kind of export: reads `path` (streaming where the format
// allows), calls `emit` for each interaction, never throws on bad input.
using InteractionParser = std::function<InteractionFile(
    const std::string& path, const ChatOptions& options, const EmitInteraction& emit)>;

// `s` without the invisible marks chat exports put around names and
// lines (U+200E/U+200F direction marks, U+202A–U+202E embeddings, U+2066–
// U+2069 isolates, U+FEFF), trimmed, with each run of white space (U+00A0
// and U+202F too) made one ASCII space.
std::string CleanName(std::string_view s);

// Whether `name` is one of `options.me` (both read through CleanName).
bool IsMe(const ChatOptions& options, std::string_view name);

// The identifier of a person an export knows only by name:
// "whatsapp:ann_lee" for ("whatsapp", "Ann Lee") — CleanName, spaces as
// '_', cut to fit an identifier at a UTF-8 boundary (the daemon lower-cases
// it). Empty when the name is.
std::string NameIdentifier(std::string_view scheme, std::string_view name);

}  // namespace warmth::import
