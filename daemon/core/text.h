#pragma once

#include <string>
#include <string_view>

namespace warmth::core {

// ASCII lower case; other bytes (UTF-8) unchanged. For case-insensitive
// comparison of addresses, cities and tags.
std::string Lower(std::string_view s);

// Without leading and trailing ASCII white space.
std::string Trim(std::string_view s);

}  // namespace warmth::core
