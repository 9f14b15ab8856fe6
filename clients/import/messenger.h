#pragma once

#include <string>
#include <string_view>

#include "clients/import/interactions.h"

namespace warmth::import {

// What a Facebook Messenger or Instagram "Download Your Information"
// message_N.json held.
using MessengerFile = InteractionFile;

// Undoes DYI's double encoding: the exports write each UTF-8 byte of a
// name as its own \u00XX escape, so "Renée" arrives as "RenÃ©e". When every
// code point of `s` is at most U+00FF and those code points, taken as
// bytes, are valid UTF-8, returns those bytes; otherwise (real text, or
// Latin-1 that is not mojibake) returns `s` unchanged.
std::string RedecodeMojibake(std::string_view s);

// Reads one thread's message_N.json at `path` (or `text`, for tests) with
// simdjson's on-demand API; a UTF-8 BOM is allowed. Only participants[].name,
// thread_type and each message's sender_name, timestamp_ms, type,
// call_duration and is_unsent are read: no content, media or reactions.
// Every name is read through RedecodeMojibake.
//
// You are the participant in `options.me` (IsMe); with `me` empty, or a
// one-to-one chat without you in it, the file is one Problem and nothing is
// sent. A one-to-one chat's messages are MESSAGE, OUTBOUND from you and
// INBOUND from them; type "Call" is CALL, with `missed` set when its
// call_duration is 0, OUTBOUND when you called. They are logged to
// `options.contact`, else to "messenger:<name>" (NameIdentifier; the name
// goes to `names`). A group (thread_type "…Group", or more than two
// participants) is skipped unless `options.groups`: then each message of
// another sender is SOCIAL INBOUND for "messenger:<sender>". Unsent
// messages, system messages (Subscribe, Unsubscribe) and other types are
// skipped by reason. Event ids come from the content
// ("messenger:<participants hash>:<timestamp_ms>:<sender hash>:<m|c>"),
// the same on every run. Never throws on bad input: unreadable or broken
// JSON is a Problem naming the message index ("messages[12]"); what came
// before it is kept.
MessengerFile ParseMessengerFile(const std::string& path, const ChatOptions& options,
                                 const EmitInteraction& emit);
MessengerFile ParseMessengerText(std::string_view text, const ChatOptions& options,
                                 const EmitInteraction& emit);

}  // namespace warmth::import
