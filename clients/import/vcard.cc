#include "clients/import/vcard.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <libebook-contacts/libebook-contacts.h>

#include "daemon/core/identifiers.h"
#include "daemon/core/text.h"

namespace warmth::import {

using core::Trim;
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::vector<std::string> Values(EVCardAttribute* attr) {
  std::vector<std::string> out;
  for (GList* v = e_vcard_attribute_get_values(attr); v != nullptr; v = v->next) {
    const char* s = static_cast<const char*>(v->data);
    out.push_back(ToUtf8(s == nullptr ? "" : s));
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

int Number(std::string_view s) {
  int n = 0;
  for (char c : s) {
    n = n * 10 + (c - '0');
  }
  return n;
}

struct Span {
  int line;
  std::string_view text;
};

// The BEGIN:VCARD … END:VCARD blocks of `text`. Splitting at these lines
// is the vCard container format; the cards themselves are EVCard's to read.
std::vector<Span> SplitCards(std::string_view text, std::vector<Problem>& problems) {
  std::vector<Span> cards;
  std::size_t pos = 0;
  int line = 0;
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t begin = kNone;
  int begin_line = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line;
    const std::string upper = Upper(Trim(text.substr(pos, next - pos)));
    if (upper == "BEGIN:VCARD") {
      if (begin != kNone) {
        problems.push_back({"line " + std::to_string(begin_line), "card has no END:VCARD"});
      }
      begin = pos;
      begin_line = line;
    } else if (upper == "END:VCARD" && begin != kNone) {
      cards.push_back({begin_line, text.substr(begin, next - begin)});
      begin = kNone;
    }
    pos = next;
  }
  if (begin != kNone) {
    problems.push_back({"line " + std::to_string(begin_line), "card has no END:VCARD"});
  }
  return cards;
}

struct Unref {
  void operator()(EVCard* p) const { g_object_unref(p); }
};

// What a card's attributes say that is not a ContactRecord field yet: the
// candidates for its name, city and key.
struct CardNames {
  std::string fn;
  std::string from_n;
  std::string uid;
  std::string home_city;
  std::string any_city;
};

// "given additional family" from N (family;given;additional;prefixes;suffixes).
std::string NameFromN(const std::vector<std::string>& values) {
  std::string joined;
  for (std::size_t i : {1, 2, 0}) {
    const std::string part = i < values.size() ? Trim(values[i]) : "";
    if (!part.empty()) {
      joined += (joined.empty() ? "" : " ") + part;
    }
  }
  return joined;
}

// A TEL value as an identifier in E.164, read with `phone`. A value without
// a digit is no number (Outlook writes "BusinessPhone" as a placeholder) and
// is dropped; a number that does not read is skipped, its reason added to
// `skipped`.
void AddPhone(const std::string& value, const core::PhoneNormalizer& phone,
              std::vector<std::string>& identifiers, std::vector<std::string>& skipped) {
  std::string number = value;
  if (Upper(number.substr(0, 4)) == "TEL:") {
    number = number.substr(4);
  }
  if (std::none_of(number.begin(), number.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return;
  }
  auto e164 = core::NormalizeIdentifier("tel:" + number, phone);
  if (!e164.ok()) {
    const std::string why = e164.status().message();  // "identifier: unusable phone number: …"
    skipped.push_back("TEL skipped: " + why.substr(why.find(':') + 2));
    return;
  }
  if (identifiers.size() < 32 &&
      std::find(identifiers.begin(), identifiers.end(), *e164) == identifiers.end()) {
    identifiers.push_back(*e164);
  }
}

// The locality of an ADR, as the home city (a HOME address) or any city.
void AddCity(EVCardAttribute* attr, const std::vector<std::string>& values, CardNames& names) {
  const std::string locality = values.size() > 3 ? Trim(values[3]) : "";
  if (!locality.empty()) {
    if (names.home_city.empty() && e_vcard_attribute_has_type(attr, "HOME")) {
      names.home_city = locality;
    }
    if (names.any_city.empty()) {
      names.any_city = locality;
    }
  }
}

// What reading a card needs besides the card, and what it reports.
struct CardReader {
  const core::PhoneNormalizer& phone;
  std::vector<std::string> skipped;  // reasons, for the card's Problems
};

// One attribute of a card, into `r` or `names`.
void ReadAttribute(EVCardAttribute* attr, ContactRecord& r, CardNames& names, CardReader& reader) {
  const char* raw_name = e_vcard_attribute_get_name(attr);
  if (raw_name == nullptr) {
    return;
  }
  const std::string name = Upper(raw_name);
  const std::vector<std::string> values = Values(attr);
  const std::string first = values.empty() ? "" : Trim(values[0]);
  if (name == "FN") {
    if (names.fn.empty()) {
      names.fn = first;
    }
  } else if (name == "N") {
    if (names.from_n.empty()) {
      names.from_n = NameFromN(values);
    }
  } else if (name == "EMAIL") {
    if (first.find('@') != std::string::npos) {
      AddIdentifier(r.identifiers, first);
    }
  } else if (name == "TEL") {
    AddPhone(first, reader.phone, r.identifiers, reader.skipped);
  } else if (name == "BDAY") {
    if (!r.birthday) {
      r.birthday = ParseBirthday(first);
    }
  } else if (name == "ADR") {
    AddCity(attr, values, names);
  } else if (name == "CATEGORIES") {
    for (const auto& v : values) {
      AddTag(r.tags, v);
    }
  } else if (name == "UID") {
    names.uid = first;
  }
}

// The display name, city and key of a card, once all its attributes are read.
void FinishCard(const CardNames& names, ContactRecord& r) {
  r.display_name = !names.fn.empty() ? names.fn : !names.from_n.empty() ? names.from_n : "";
  if (r.display_name.empty() && !r.identifiers.empty()) {
    r.display_name = r.identifiers.front();
  }
  for (char& c : r.display_name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      c = ' ';
    }
  }
  r.city = !names.home_city.empty() ? names.home_city : names.any_city;
  r.key = !names.uid.empty()       ? "vcard-uid:" + names.uid
          : !r.identifiers.empty() ? r.identifiers.front()
                                   : "vcard-name:" + r.display_name;
}

ContactRecord ReadCard(EVCard* card, CardReader& reader) {
  ContactRecord r;
  CardNames names;
  for (GList* l = e_vcard_get_attributes(card); l != nullptr; l = l->next) {
    ReadAttribute(static_cast<EVCardAttribute*>(l->data), r, names, reader);
  }
  FinishCard(names, r);
  return r;
}

}  // namespace

std::optional<Birthday> ParseBirthday(std::string_view value) {
  std::string v = Trim(value);
  v = v.substr(0, v.find('T'));  // a time part says nothing about the day
  Birthday b;
  std::string digits;
  if (v.rfind("--", 0) == 0) {
    // --MMDD or --MM-DD: no year.
    for (char c : v.substr(2)) {
      if (c != '-') {
        digits += c;
      }
    }
    if (digits.size() != 4 || !AllDigits(digits)) {
      return std::nullopt;
    }
    b.month = Number(digits.substr(0, 2));
    b.day = Number(digits.substr(2, 2));
  } else {
    for (char c : v) {
      if (c != '-') {
        digits += c;
      }
    }
    if (digits.size() != 8 || !AllDigits(digits)) {
      return std::nullopt;
    }
    b.year = Number(digits.substr(0, 4));
    b.month = Number(digits.substr(4, 2));
    b.day = Number(digits.substr(6, 2));
    if (b.year < 1900 || b.year > 2100) {
      b.year = 0;
    }
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (b.month < 1 || b.month > 12 || b.day < 1 || b.day > kDays[b.month - 1]) {
    return std::nullopt;
  }
  if (b.month == 2 && b.day == 29 && b.year != 0 &&
      !(b.year % 4 == 0 && (b.year % 100 != 0 || b.year % 400 == 0))) {
    return std::nullopt;
  }
  return b;
}

ContactsFile ParseVcards(std::string_view text, const core::PhoneNormalizer& phone) {
  ContactsFile out;
  const std::vector<Span> cards = SplitCards(text, out.problems);
  out.records = static_cast<int>(cards.size() + out.problems.size());
  if (cards.empty() && out.problems.empty()) {
    out.problems.push_back({"line 1", "no vCard in this file (no BEGIN:VCARD line)"});
  }
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    // EVCard warns on stderr about every odd escape; the summary speaks for it.
    g_log_set_handler(
        "libebook-contacts", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
        [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
  });
  for (const Span& span : cards) {
    // EVCard turns bytes that are not UTF-8 into U+FFFD: convert first.
    const std::string utf8 = ToUtf8(span.text);
    std::unique_ptr<EVCard, Unref> card(e_vcard_new());
    e_vcard_construct_full(card.get(), utf8.data(), static_cast<gssize>(utf8.size()), nullptr);
    CardReader reader{phone, {}};
    ContactRecord r = ReadCard(card.get(), reader);
    r.where = "line " + std::to_string(span.line);
    for (auto& why : reader.skipped) {
      out.problems.push_back({r.where, std::move(why)});
    }
    if (r.display_name.empty() && r.identifiers.empty()) {
      ++out.skipped;
      continue;
    }
    out.contacts.push_back(std::move(r));
  }
  return out;
}

}  // namespace warmth::import
