#pragma once

#include <string_view>

// What a LOCATION (or any event text) says about the place: the text
// heuristics of the ics import, apart from libical. CityOf, declared in
// ics.h, is defined in location.cc too.
namespace warmth::import {

// Whether `text` names a video-call host (zoom.us/, meet.google.com, …).
bool MentionsVideoHost(std::string_view text);

// Whether `s` starts with http:// or https://.
bool IsUrl(std::string_view s);

}  // namespace warmth::import
