#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <date/tz.h>

#include "daemon/core/time.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth::notify {

namespace v1 = ::warmth::v1;

// freedesktop urgency levels (the "urgency" hint, a byte).
enum class Urgency : std::uint8_t { kLow = 0, kNormal = 1, kCritical = 2 };

// What the user can do from a notification. The keys ("called", "snooze",
// "dismiss") are the action keys sent to the notification server.
enum class Action : std::uint8_t { kCalled, kSnooze, kDismiss };

std::string_view ActionKey(Action action);
// nullopt for keys we never offered, including "default" (a click on the
// body): that only closes the notification and leaves the nudge pending.
std::optional<Action> ParseActionKey(std::string_view key);

// One desktop notification, independent of how it is sent.
struct Notification {
  std::string app_name = "warmth";
  std::string icon;     // a freedesktop icon name
  std::string summary;  // the title
  std::string body;     // plain text; see EscapeMarkup
  Urgency urgency = Urgency::kNormal;
  std::vector<std::pair<std::string, std::string>> actions;  // (key, label), in order
};

// The notification for `nudge`: title from core::NudgeTitle and the contact
// names, the nudge text as body, urgency by kind (BIRTHDAY, FOLLOW_UP and
// CALL_BACK are tied to a day, so critical; the rest normal), actions Called (or "Met up"
// when meeting is suggested), "Snooze <period>", Dismiss. Never fails: a
// nudge without names falls back to its contact ids.
Notification ForNudge(const v1::Nudge& nudge, core::Duration snooze);

// The title alone (what ForNudge puts in `summary`).
std::string Title(const v1::Nudge& nudge);

// The request that records `action` on `nudge` with the daemon: Done with
// the nudge id and its suggested channel (CALL when it suggests none),
// Snooze for `snooze`, or Dismiss. request_id is left to the sender.
v1::Request RequestFor(Action action, const v1::Nudge& nudge, core::Duration snooze);

// "3 days", "12 hours", "1 day 12 hours", "90 minutes": for labels.
std::string HumanDuration(core::Duration d);

// Escapes &, < and > for servers that advertise "body-markup".
std::string EscapeMarkup(std::string_view text);

// One line for --stdout: "2026-11-21 14:03  cooling  Time to call Bob Stone:
// It's been … [cool-3fa9c2e1b7]", the time being published_at in `zone`.
std::string ConsoleLine(const v1::Nudge& nudge, const date::time_zone* zone);

}  // namespace warmth::notify
