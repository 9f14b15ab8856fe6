#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "daemon/core/contact_index.h"
#include "daemon/core/nudge_book.h"
#include "daemon/core/rules.h"

namespace warmth::core {

// This Friday's WEEKEND_CALL: among unmuted, unsnoozed contacts with online
// messages in both directions within `window` and no live interaction within
// `no_live_for`, the one with the most online interactions in the window
// (then the coldest, then by id). Not the same person every Friday: whoever
// has an open nudge, or was proposed within `no_live_for`, is skipped; so is
// a one-sided contact within `reciprocity.cooldown` (OneSidedUntil).
std::optional<std::int64_t> PickWeekendContact(
    const ContactIndex& contacts, const NudgeBook& nudges, const RuleOptions::WeekendCall& opts,
    TimePoint now, const std::function<double(const ContactRecord&)>& warmth,
    const RuleOptions::Reciprocity& reciprocity = {});

}  // namespace warmth::core
