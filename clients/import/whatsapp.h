#pragma once

#include <string>
#include <string_view>

#include "clients/import/interactions.h"

namespace warmth::import {

// Reads a WhatsApp "Export chat" text file (one chat, "Without media") at
// `path`, or `text` for tests and fuzzing. No maintained library parses
// this format, so the parser is ours (whatsapp.cc). The file is read line by
// line in two passes, so memory stays flat however long the chat: the first
// settles the header variant (Android "DD/MM/YYYY, HH:MM - ", iOS
// "[DD/MM/YY, HH:MM:SS] ", 12- or 24-hour clock, '.', '-' or '/' dates, the
// year first or last), the day/month order (a field above 12 decides; else
// the order in which the dates run forward, said in a note) and who wrote;
// the second sends the interactions to `emit` in file order (it returns
// false to stop reading).
//
// Who: the senders that are not `options.me` (IsMe). Exactly one: a
// one-to-one chat, its messages MESSAGE OUTBOUND (yours) or INBOUND
// (theirs), to `options.contact` or else to "whatsapp:<name>" (a sender that
// is a phone number: "tel:+E164" where `options.phone` reads it), with
// `names` naming that contact. "Voice call" / "Video call" lines are CALL /
// VIDEO, "Missed voice call" ones (and "… No answer") the same with
// `missed`, INBOUND when they called. More: a group, skipped unless
// `options.groups` (then SOCIAL INBOUND for each message by someone else).
// With `options.me` empty and anything to import, nothing is imported and a
// Problem says to pass --me. Times are local: read in `options.zone`.
//
// Event ids come from the content, never from the zone or the file's order
// of chats: "whatsapp:<hash of the other person's name, or 'group'>:<local
// seconds>:<hash of the sender>:<n-th by that sender in that second>", so a
// second import or a later, overlapping export adds nothing. No message
// text leaves the parser: problems name lines, never their content. Never
// throws on bad input; a line that cannot be read is skipped by reason or is
// a Problem with its line number.
InteractionFile ParseWhatsappFile(const std::string& path, const ChatOptions& options,
                                  const EmitInteraction& emit);
InteractionFile ParseWhatsappText(std::string_view text, const ChatOptions& options,
                                  const EmitInteraction& emit);

}  // namespace warmth::import
