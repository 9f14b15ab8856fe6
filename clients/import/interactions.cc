#include "clients/import/interactions.h"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace warmth::import {
namespace {

// The code point starting at s[i] and its length in bytes; {0xFFFD, 1} for
// a byte that starts no valid sequence (kept as it is by the callers).
std::pair<char32_t, std::size_t> Decode(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  char32_t cp = 0;
  if (b < 0x80) {
    return {b, 1};
  }
  if ((b & 0xE0) == 0xC0) {
    n = 2;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4;
    cp = b & 0x07;
  } else {
    return {0xFFFD, 1};
  }
  if (i + n > s.size()) {
    return {0xFFFD, 1};
  }
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      return {0xFFFD, 1};
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  return {cp, n};
}

bool IsMark(char32_t cp) {
  return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x00A0 || cp == 0x202F ||
         cp == 0x2007 || cp == 0x3000;
}

}  // namespace

std::string CleanName(std::string_view s) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, n] = Decode(s, i);
    if (IsMark(cp)) {
      // dropped
    } else if (IsSpace(cp)) {
      space = !out.empty();
    } else {
      if (space) {
        out += ' ';
        space = false;
      }
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

bool IsMe(const ChatOptions& options, std::string_view name) {
  const std::string clean = CleanName(name);
  return std::any_of(options.me.begin(), options.me.end(),
                     [&](const std::string& me) { return CleanName(me) == clean; });
}

std::string NameIdentifier(std::string_view scheme, std::string_view name) {
  std::string clean = CleanName(name);
  if (clean.empty()) {
    return "";
  }
  std::replace(clean.begin(), clean.end(), ' ', '_');
  std::string id = std::string(scheme) + ":" + clean;
  if (id.size() > core::kMaxIdentifierBytes) {
    std::size_t cut = core::kMaxIdentifierBytes;
    while (cut > 0 && (static_cast<unsigned char>(id[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    id.resize(cut);
  }
  return id;
}

}  // namespace warmth::import
