#pragma once

#include <string>
#include <string_view>

#include "clients/import/interactions.h"

namespace warmth::import {

// What a Telegram Desktop JSON export (result.json) held. `records` counts
// the entries of every chat's `messages` (messages and service entries).
using TelegramFile = InteractionFile;

// Reads a Telegram Desktop export (Settings → Advanced → Export Telegram
// data, JSON) at `path` (or `text`, for tests and fuzzing) with simdjson's
// on-demand API: no document tree is built, each interaction goes to `emit`
// as its entry is read, in file order (false from `emit` stops the reading).
// The file itself is read into memory whole (simdjson needs it padded).
//
// Both shapes: a single chat (top-level `name`, `type`, `id`, `messages`)
// and a whole account (`personal_information.user_id`, `chats.list[]`,
// `left_chats.list[]`). In a personal chat (`type` "personal_chat", `id` the
// other person's user id):
//   "message" entries: MESSAGE, OUTBOUND when `from_id` is you ("user<id>"
//     with `personal_information.user_id`; in a single-chat export, anyone
//     but the chat's own id), else INBOUND;
//   "service" entries with `action` "phone_call": CALL (VIDEO when marked
//     `is_video`), its direction from `actor_id`, the caller; answered when
//     `duration_seconds` > 0, else `missed` is set (no warmth);
//   other service entries are skipped by reason.
// Group chats (private_group, private_supergroup, public_supergroup) are
// skipped unless `options.groups`: then each message from someone else is
// SOCIAL INBOUND for its sender, never one of yours. Channels, bots, saved
// messages and chats of an unknown type are always skipped. The contact is
// "telegram:<user id>"; `names` maps it to the chat's name (the sender's, in
// a group). Times come from `date_unixtime`; an export too old to have it
// has its local `date` read in `options.zone` (the config's timezone; nullptr: UTC).
// Event ids come from the content ("telegram:<chat id>:<message id>"), the
// same in every export of the account. No message text is read.
//
// Never throws on bad input: an unreadable file, JSON that breaks off or is
// damaged (a Problem with its line; what came before it is kept) and an
// entry with an unreadable date (a Problem with its message id) are
// reported; entries missing what they need are skipped by reason.
TelegramFile ParseTelegramFile(const std::string& path, const ChatOptions& options,
                               const EmitInteraction& emit);
TelegramFile ParseTelegramText(std::string_view text, const ChatOptions& options,
                               const EmitInteraction& emit);

}  // namespace warmth::import
