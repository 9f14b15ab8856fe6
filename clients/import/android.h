#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "clients/import/interactions.h"
#include "daemon/core/identifiers.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::import {

namespace v1 = ::warmth::v1;

// What an SMS Backup & Restore file (calls-*.xml, sms-*.xml) held.
using AndroidFile = InteractionFile;

// Reads the backup at `path` (or `text`, for tests) with libxml2's streaming
// xmlTextReader, so memory stays flat however large the file (MMS parts
// carry base64 media; real backups run to gigabytes). Each record that is a
// conversation becomes one interaction passed to `emit`, in file order (it
// returns false to stop reading):
//   <call>: type 1 or 2 with duration > 0 CALL INBOUND / OUTBOUND, type 4
//     VOICE_MESSAGE INBOUND; missed (3), rejected (5), blocked (6) and
//     unanswered (duration 0) calls are skipped.
//   <sms>: MESSAGE, type 1 INBOUND, 2 OUTBOUND; drafts and unsent skipped.
//   <mms>: MESSAGE, msg_box 1 INBOUND from the 137 (from) <addr>, else the
//     `address` attribute; msg_box 2 OUTBOUND to `address`; without msg_box,
//     m_type 132 / 128. A group (several parties in `address`, or an RCS
//     group address) is skipped; with `groups` (--groups) a received one is
//     SOCIAL INBOUND from its 137 sender, a sent one still skipped.
// Numbers are read with `phone` and sent as "tel:+E164"; withheld numbers,
// short codes and numbers that do not read are skipped by reason. Event ids
// come from the content ("android:call:<ms>:<e164>:<type>"), the same on
// every run and in every overlapping backup. No message text is read. Never
// throws on bad input: an unreadable file or broken XML is a Problem.
AndroidFile ParseAndroidFile(const std::string& path, const core::PhoneNormalizer& phone,
                             const std::function<bool(v1::Interaction)>& emit, bool groups = false);
AndroidFile ParseAndroidText(std::string_view text, const core::PhoneNormalizer& phone,
                             const std::function<bool(v1::Interaction)>& emit, bool groups = false);

}  // namespace warmth::import
