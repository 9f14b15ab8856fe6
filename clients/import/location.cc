#include "clients/import/location.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "clients/import/ics.h"
#include "daemon/core/text.h"

namespace warmth::import {

using core::Lower;
using core::Trim;
namespace {

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> words;
  std::istringstream in{std::string(s)};
  std::string w;
  while (in >> w) {
    words.push_back(w);
  }
  return words;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool IsCode(std::string_view s) {  // "IL", "NY", "UK", "USA"
  return !s.empty() && s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c));
  });
}

bool IsCountry(const std::string& s) {
  static const std::set<std::string> countries = {"germany",
                                                  "deutschland",
                                                  "france",
                                                  "usa",
                                                  "us",
                                                  "united states",
                                                  "united states of america",
                                                  "uk",
                                                  "united kingdom",
                                                  "england",
                                                  "scotland",
                                                  "canada",
                                                  "spain",
                                                  "españa",
                                                  "italy",
                                                  "italia",
                                                  "netherlands",
                                                  "the netherlands",
                                                  "nederland",
                                                  "switzerland",
                                                  "schweiz",
                                                  "suisse",
                                                  "austria",
                                                  "österreich",
                                                  "belgium",
                                                  "poland",
                                                  "polska",
                                                  "sweden",
                                                  "norway",
                                                  "denmark",
                                                  "finland",
                                                  "ireland",
                                                  "portugal",
                                                  "japan",
                                                  "china",
                                                  "india",
                                                  "australia",
                                                  "new zealand",
                                                  "brazil",
                                                  "mexico",
                                                  "argentina",
                                                  "south africa",
                                                  "singapore",
                                                  "israel",
                                                  "czech republic",
                                                  "czechia"};
  return countries.contains(Lower(s));
}

const std::vector<std::string_view>& VideoHosts() {
  static const std::vector<std::string_view> hosts = {
      "zoom.us/",    "meet.google.com", "teams.microsoft.com", "teams.live.com", "webex.com",
      "whereby.com", "meet.jit.si",     "gotomeeting.com",     "bluejeans.com",  "join.skype.com",
      "chime.aws"};
  return hosts;
}

}  // namespace

bool MentionsVideoHost(std::string_view text) {
  const std::string lower = Lower(text);
  return std::any_of(VideoHosts().begin(), VideoHosts().end(),
                     [&](std::string_view h) { return lower.find(h) != std::string::npos; });
}

bool IsUrl(std::string_view s) {
  const std::string lower = Lower(s.substr(0, 8));
  return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

std::string CityOf(std::string_view location, bool* address_like) {
  if (address_like != nullptr) {
    *address_like = false;
  }
  const std::string loc = Trim(location);
  if (loc.empty() || IsUrl(loc) || MentionsVideoHost(loc)) {
    return "";
  }
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= loc.size()) {
    const std::size_t comma = std::min(loc.find_first_of(",\n;", pos), loc.size());
    std::string part = Trim(std::string_view{loc}.substr(pos, comma - pos));
    if (!part.empty()) {
      parts.push_back(std::move(part));
    }
    pos = comma + 1;
  }
  if (address_like != nullptr) {
    *address_like = parts.size() >= 2;
  }
  while (parts.size() > 1 && IsCountry(parts.back())) {
    parts.pop_back();
  }
  // From the end: the first part that is not a street or a code, with
  // postal codes taken off ("10117 Berlin" -> "Berlin", "IL 62701" -> a code).
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    const std::vector<std::string> words = SplitWords(*it);
    bool postal = false;
    bool street = false;
    std::string kept;
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::string& w = words[i];
      if (!HasDigit(w)) {
        kept += (kept.empty() ? "" : " ") + w;
        continue;
      }
      const auto digits = std::count_if(
          w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      if (digits >= 4 || (i > 0 && IsCode(words[i - 1]))) {
        postal = true;
      } else {
        street = true;  // a house number: "Linden 77", "123 Main St"
      }
    }
    if ((street && !postal) || kept.empty() || IsCode(kept) || IsCountry(kept)) {
      continue;
    }
    if (parts.size() > 1 && !postal && it == parts.rend() - 1 && parts.size() > 2) {
      continue;  // "Venue, Street 5, Town": the first part is a venue
    }
    return kept;
  }
  return "";
}

}  // namespace warmth::import
