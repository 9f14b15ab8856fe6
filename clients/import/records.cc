#include "clients/import/records.h"

#include <algorithm>
#include <cctype>

#include <glib.h>

#include "daemon/core/identifiers.h"
#include "daemon/core/text.h"

namespace warmth::import {

using core::Trim;

std::string ToUtf8(std::string_view s) {
  if (g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr)) {
    return std::string(s);
  }
  gsize written = 0;
  gchar* converted = g_convert_with_fallback(s.data(), static_cast<gssize>(s.size()), "UTF-8",
                                             "WINDOWS-1252", "?", nullptr, &written, nullptr);
  if (converted == nullptr) {
    // Windows-1252 leaves five bytes undefined; Latin-1 defines them all.
    converted = g_convert_with_fallback(s.data(), static_cast<gssize>(s.size()), "UTF-8",
                                        "ISO-8859-1", "?", nullptr, &written, nullptr);
  }
  if (converted == nullptr) {
    return "";
  }
  std::string out(converted, written);
  g_free(converted);
  return out;
}

void AddTag(std::vector<std::string>& tags, const std::string& raw) {
  std::string tag = Trim(raw);
  for (char& c : tag) {
    if (static_cast<unsigned char>(c) < 0x20) {
      c = ' ';
    }
  }
  if (tag.size() > 64) {
    std::size_t cut = 64;
    // Back up over UTF-8 continuation bytes so a character is not split.
    while (cut > 0 && (static_cast<unsigned char>(tag[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    tag = Trim(tag.substr(0, cut));
  }
  if (tag.empty() || tags.size() >= 32 || std::find(tags.begin(), tags.end(), tag) != tags.end()) {
    return;
  }
  tags.push_back(std::move(tag));
}

bool AddIdentifier(std::vector<std::string>& identifiers, const std::string& raw) {
  auto norm = core::NormalizeIdentifier(raw, {});
  if (!norm.ok()) {
    return false;
  }
  if (identifiers.size() < 32 &&
      std::find(identifiers.begin(), identifiers.end(), *norm) == identifiers.end()) {
    identifiers.push_back(std::move(norm).value());
  }
  return true;
}

}  // namespace warmth::import
