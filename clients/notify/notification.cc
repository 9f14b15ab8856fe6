#include "clients/notify/notification.h"

#include <google/protobuf/duration.pb.h>

#include "clients/common/format.h"
#include "daemon/core/types.h"
#include "daemon/core/wording.h"

namespace warmth::notify {
namespace {

constexpr std::string_view kTripPrefix = "You'll be in ";
constexpr std::string_view kTripMeet = ". Meet in person: ";

std::string FirstName(const v1::Nudge& nudge) {
  if (nudge.contact_names_size() > 0 && !nudge.contact_names(0).empty()) {
    return nudge.contact_names(0);
  }
  if (nudge.contact_ids_size() > 0) {
    return nudge.contact_ids(0);
  }
  return "someone";
}

// The wire Nudge carries the trip's id, not its city, and a notify key may
// not list trips; the city is the part of core::TripText between "You'll be
// in " and the last " on " before ". Meet in person: ".
std::optional<std::string> TripCity(const std::string& text) {
  if (text.rfind(kTripPrefix, 0) != 0) {
    return std::nullopt;
  }
  const std::size_t meet = text.find(kTripMeet);
  if (meet == std::string::npos) {
    return std::nullopt;
  }
  const std::size_t on = text.rfind(" on ", meet);
  if (on == std::string::npos || on <= kTripPrefix.size()) {
    return std::nullopt;
  }
  return text.substr(kTripPrefix.size(), on - kTripPrefix.size());
}

std::string Plural(long long n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::string_view ActionKey(Action action) {
  switch (action) {
    case Action::kCalled:
      return "called";
    case Action::kSnooze:
      return "snooze";
    case Action::kDismiss:
      return "dismiss";
  }
  return "";
}

std::optional<Action> ParseActionKey(std::string_view key) {
  for (Action a : {Action::kCalled, Action::kSnooze, Action::kDismiss}) {
    if (key == ActionKey(a)) {
      return a;
    }
  }
  return std::nullopt;
}

std::string Title(const v1::Nudge& nudge) {
  const auto kind = static_cast<core::NudgeKind>(nudge.kind());
  if (kind == core::NudgeKind::kTrip) {
    if (auto city = TripCity(nudge.text())) {
      return core::NudgeTitle(kind, *city);
    }
    return "Meet people on your trip";
  }
  return core::NudgeTitle(kind, FirstName(nudge));
}

std::string HumanDuration(core::Duration d) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(d);
  const auto days = std::chrono::duration_cast<std::chrono::days>(minutes).count();
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(minutes).count() % 24;
  const auto mins = minutes.count() % 60;
  if (days == 0 && hours == 0) {
    return Plural(mins, "minute");
  }
  if (days == 0) {
    return mins == 0 ? Plural(hours, "hour") : Plural(hours * 60 + mins, "minute");
  }
  if (hours == 0 && mins == 0) {
    return Plural(days, "day");
  }
  return Plural(days, "day") + " " + Plural(hours, "hour");
}

Notification ForNudge(const v1::Nudge& nudge, core::Duration snooze) {
  Notification n;
  n.summary = Title(nudge);
  n.body = nudge.text();
  const auto kind = static_cast<core::NudgeKind>(nudge.kind());
  // A birthday is over tonight, an unanswered pitch goes stale and a missed
  // call wants returning soon: those may interrupt. The others can wait for a
  // glance.
  n.urgency = kind == core::NudgeKind::kBirthday || kind == core::NudgeKind::kFollowUp ||
                      kind == core::NudgeKind::kCallBack
                  ? Urgency::kCritical
                  : Urgency::kNormal;
  const bool meet = nudge.suggested_channel() == v1::IN_PERSON;
  // Icon names from the freedesktop icon naming spec, in every common theme.
  n.icon = meet ? "system-users" : "call-start";
  n.actions = {{std::string(ActionKey(Action::kCalled)), meet ? "Met up" : "Called"},
               {std::string(ActionKey(Action::kSnooze)), "Snooze " + HumanDuration(snooze)},
               {std::string(ActionKey(Action::kDismiss)), "Dismiss"}};
  return n;
}

v1::Request RequestFor(Action action, const v1::Nudge& nudge, core::Duration snooze) {
  v1::Request request;
  switch (action) {
    case Action::kCalled: {
      auto* done = request.mutable_done();
      done->set_nudge_id(nudge.id());
      done->set_channel(nudge.suggested_channel() == v1::CHANNEL_UNSPECIFIED
                            ? v1::CALL
                            : nudge.suggested_channel());
      break;
    }
    case Action::kSnooze: {
      auto* s = request.mutable_snooze();
      s->set_nudge_id(nudge.id());
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(snooze);
      s->mutable_duration()->set_seconds(secs.count());
      break;
    }
    case Action::kDismiss:
      request.mutable_dismiss()->set_nudge_id(nudge.id());
      break;
  }
  return request;
}

std::string EscapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ConsoleLine(const v1::Nudge& nudge, const date::time_zone* zone) {
  std::string line;
  if (nudge.has_published_at()) {
    line = client::LocalTime(client::FromProto(nudge.published_at()), zone) + "  ";
  }
  line += std::string(core::Name(static_cast<core::NudgeKind>(nudge.kind()))) + "  " +
          Title(nudge) + ": " + nudge.text() + " [" + nudge.id() + "]";
  return line;
}

}  // namespace warmth::notify
