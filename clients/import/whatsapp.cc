// WhatsApp "Export chat" text, parsed by hand: the format is a localized
// rendering of the chat for people (every locale writes its own date, clock
// and notices), not a documented one, and no maintained C++ library reads it.
#include "clients/import/whatsapp.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "daemon/core/identifiers.h"

namespace warmth::import {
namespace {

constexpr const char* kSource = "warmctl import whatsapp";
// Of each line only this much is kept: a header, a name and the start of a
// message (enough to tell a call or a notice) fit; the rest of a long line is
// passed over unread, so memory stays flat even on a file of one huge line.
constexpr std::size_t kKeepBytes = 4096;
// A longer "name" before the first ':' is a system line or text, not a sender.
constexpr std::size_t kMaxNameBytes = 200;
// Bad dates are problems by line number; past this many, one line sums up.
constexpr std::int64_t kMaxDateProblems = 20;
// How far behind the newest second the n-th counts of event ids are kept.
constexpr std::int64_t kForgetSeconds = std::int64_t{2} * 86400;

// The file's lines one at a time, each without its line end ("\n", "\r\n")
// and cut to kKeepBytes. From a file (read in 64 KiB blocks) or from memory;
// Rewind starts over for the second pass.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : data_(text.data()), end_(text.size()) {}
  explicit LineReader(const std::string& path)
      : file_(std::in_place, path, std::ios::binary), block_(std::size_t{1} << 16) {}

  bool Opened() const { return !file_ || file_->is_open(); }

  bool Next(std::string& line) {
    line.clear();
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !Fill()) {
        break;
      }
      any = true;
      const char* start = data_ + pos_;
      const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      const std::size_t n = nl != nullptr ? static_cast<std::size_t>(nl - start) : end_ - pos_;
      if (line.size() < kKeepBytes) {
        line.append(start, std::min(n, kKeepBytes - line.size()));
      }
      pos_ += n;
      if (nl != nullptr) {
        ++pos_;
        break;
      }
    }
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    return any;
  }

  void Rewind() {
    pos_ = 0;
    if (file_) {
      file_->clear();
      file_->seekg(0);
      end_ = 0;
    }
  }

 private:
  bool Fill() {
    if (!file_ || !*file_) {
      return false;
    }
    file_->read(block_.data(), static_cast<std::streamsize>(block_.size()));
    data_ = block_.data();
    pos_ = 0;
    end_ = static_cast<std::size_t>(file_->gcount());
    return end_ > 0;
  }

  std::optional<std::ifstream> file_;
  std::vector<char> block_;
  const char* data_ = nullptr;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};

bool StartsWith(std::string_view s, std::size_t i, std::string_view what) {
  return s.substr(i, what.size()) == what;
}

// Past the invisible marks WhatsApp puts before lines, names and media
// notes (U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) and a BOM.
std::size_t SkipMarks(std::string_view s, std::size_t i) {
  for (;;) {
    if (StartsWith(s, i, "\xEF\xBB\xBF")) {
      i += 3;
      continue;
    }
    if (i + 3 > s.size() || static_cast<unsigned char>(s[i]) != 0xE2) {
      return i;
    }
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    const auto b2 = static_cast<unsigned char>(s[i + 2]);
    const bool mark = (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) ||
                      (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9);
    if (!mark) {
      return i;
    }
    i += 3;
  }
}

// Past spaces: ASCII, U+00A0 and U+202F (iOS puts the narrow one before
// AM/PM), and marks.
std::size_t SkipSpaces(std::string_view s, std::size_t i) {
  for (;;) {
    const std::size_t j = SkipMarks(s, i);
    if (j < s.size() && s[j] == ' ') {
      i = j + 1;
    } else if (StartsWith(s, j, "\xC2\xA0")) {
      i = j + 2;
    } else if (StartsWith(s, j, "\xE2\x80\xAF")) {
      i = j + 3;
    } else {
      return j;
    }
  }
}

bool ValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 1;
    char32_t cp = b;
    if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
      cp = b & 0x07;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
      cp = b & 0x0F;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
      cp = b & 0x1F;
    } else if (b >= 0x80) {
      return false;
    }
    if (i + n > s.size()) {
      return false;
    }
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    const char32_t min = n == 3 ? 0x800 : n == 4 ? 0x10000 : 0;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
        (n == 1 && (b < 0x20 || b == 0x7F))) {
      return false;
    }
    i += n;
  }
  return true;
}

// A number of `min` to `max` digits at s[i], and how many digits it had.
struct Number {
  int value = 0;
  int digits = 0;
};

std::optional<Number> ReadNumber(std::string_view s, std::size_t& i, int min, int max) {
  Number n;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (n.digits == max) {
      return std::nullopt;
    }
    n.value = n.value * 10 + (s[i] - '0');
    ++n.digits;
    ++i;
  }
  if (n.digits < min) {
    return std::nullopt;
  }
  return n;
}

// How a file writes its headers: what stays the same on every line.
struct Variant {
  bool bracket = false;      // iOS: "[…] "
  char separator = '/';      // of the date
  bool year_first = false;   // "2020-01-15"
  bool long_year = false;    // four digits
  bool seconds = false;      // "HH:MM:SS"
  bool twelve_hour = false;  // "AM"/"PM", "a. m."/"p. m."

  int Code() const {
    return (bracket ? 1 : 0) | (year_first ? 2 : 0) | (long_year ? 4 : 0) | (seconds ? 8 : 0) |
           (twelve_hour ? 16 : 0) | (static_cast<unsigned char>(separator) << 5);
  }
};

// One header: "[16/03/2022, 03:20:25 PM] " or "12/9/20, 23:55 - ".
struct Header {
  Variant variant;
  int first = 0;   // the two fields that are not the year, in written order
  int second = 0;  // (year first: month, day)
  int year = 0;
  bool unpadded = false;  // a one-digit day or month ("12/9/20")
  int hour = 0;
  int minute = 0;
  int sec = 0;
  std::size_t rest = 0;  // where the text after the header starts
};

// "AM", "pm", "a.m.", "p. m." (Spanish), spaces of any kind inside.
bool ReadMarker(std::string_view s, std::size_t& i, bool& pm) {
  std::size_t j = i;
  if (j >= s.size()) {
    return false;
  }
  const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
  if (c != 'a' && c != 'p') {
    return false;
  }
  ++j;
  if (j < s.size() && s[j] == '.') {
    ++j;
  }
  j = SkipSpaces(s, j);
  if (j >= s.size() || std::tolower(static_cast<unsigned char>(s[j])) != 'm') {
    return false;
  }
  ++j;
  if (j < s.size() && s[j] == '.') {
    ++j;
  }
  pm = c == 'p';
  i = j;
  return true;
}

// The date part: fields, separator, which is the year.
bool ReadDate(std::string_view s, std::size_t& i, Header& h) {
  const auto f1 = ReadNumber(s, i, 1, 4);
  if (!f1 || i >= s.size() || (s[i] != '.' && s[i] != '-' && s[i] != '/')) {
    return false;
  }
  const char sep = s[i++];
  const auto f2 = ReadNumber(s, i, 1, 2);
  if (!f2 || i >= s.size() || s[i] != sep) {
    return false;
  }
  ++i;
  const auto f3 = ReadNumber(s, i, 1, 4);
  if (!f3) {
    return false;
  }
  h.variant.separator = sep;
  if (f1->digits == 4 && f3->digits <= 2) {
    h.variant.year_first = true;
    h.variant.long_year = true;
    h.year = f1->value;
    h.first = f2->value;
    h.second = f3->value;
  } else if (f1->digits <= 2 && (f3->digits == 2 || f3->digits == 4)) {
    h.variant.long_year = f3->digits == 4;
    h.year = f3->digits == 2 ? 2000 + f3->value : f3->value;
    h.first = f1->value;
    h.second = f2->value;
    h.unpadded = f1->digits == 1 || f2->digits == 1;
  } else {
    return false;
  }
  return true;
}

// The clock part: "23:55", "03:20:25 PM", "00:08 a. m.".
bool ReadTime(std::string_view s, std::size_t& i, Header& h) {
  const auto hour = ReadNumber(s, i, 1, 2);
  if (!hour || i >= s.size() || s[i] != ':') {
    return false;
  }
  ++i;
  const auto minute = ReadNumber(s, i, 2, 2);
  if (!minute) {
    return false;
  }
  h.hour = hour->value;
  h.minute = minute->value;
  if (i < s.size() && s[i] == ':') {
    ++i;
    const auto sec = ReadNumber(s, i, 2, 2);
    if (!sec) {
      return false;
    }
    h.variant.seconds = true;
    h.sec = sec->value;
  }
  std::size_t j = SkipSpaces(s, i);
  bool pm = false;
  if (ReadMarker(s, j, pm)) {
    h.variant.twelve_hour = true;
    i = j;
    if (h.hour > 12) {
      return false;
    }
    h.hour = h.hour % 12 + (pm ? 12 : 0);  // 12 AM is 0; "00:08 a. m." too
  }
  return h.hour < 24 && h.minute < 60 && h.sec < 60;
}

std::optional<Header> ReadHeader(std::string_view s) {
  Header h;
  std::size_t i = SkipMarks(s, 0);
  h.variant.bracket = i < s.size() && s[i] == '[';
  i += h.variant.bracket ? 1 : 0;
  if (!ReadDate(s, i, h)) {
    return std::nullopt;
  }
  if (i < s.size() && s[i] == ',') {
    ++i;
  }
  std::size_t j = SkipSpaces(s, i);
  if (j == i || !ReadTime(s, j, h)) {
    return std::nullopt;
  }
  i = j;
  if (h.variant.bracket) {
    if (i >= s.size() || s[i] != ']') {
      return std::nullopt;
    }
    h.rest = SkipSpaces(s, i + 1);
    return h;
  }
  j = SkipSpaces(s, i);
  if (j == i) {
    return std::nullopt;
  }
  if (j < s.size() && s[j] == '-') {
    j += 1;
  } else if (StartsWith(s, j, "\xE2\x80\x93")) {  // an en dash
    j += 3;
  } else {
    return std::nullopt;
  }
  h.rest = SkipSpaces(s, j);
  return h;
}

// The notice every chat starts with, which some exports attribute to the
// chat's name ("Pokemon Chat: Messages and calls are end-to-end …").
bool IsEncryptionNotice(std::string_view text) {
  static constexpr std::array<std::string_view, 7> kNotices = {
      "Messages and calls are end-to-end encrypted",
      "Messages to this group are now secured",
      "Messages you send to this group are now secured",
      "Messages to this chat and calls are now secured",
      "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt",
      "Nachrichten, die du in diese Gruppe sendest",
      "Los mensajes y las llamadas están cifrados",
  };
  for (const auto notice : kNotices) {
    if (text.starts_with(notice)) {
      return true;
    }
  }
  return false;
}

// A system line about a group ("Alice created group …", "Alice added you",
// "Du hast die Gruppe … erstellt"): the chat is a group even if only one
// other person wrote in it.
bool IsGroupNotice(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kWords = {
      "group",  "Group",     "Gruppe",      "grupo", "groupe",         "gruppo",
      " added", "added you", "hinzugefügt", " left", "You were added", "verlassen",
  };
  for (const auto word : kWords) {
    if (text.find(word) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

enum class Kind { kSystem, kMessage, kCall, kMissedCall };

// What a header line holds after its header; never its text.
struct Body {
  Kind kind = Kind::kSystem;
  bool video = false;
  bool group_notice = false;  // kSystem
  bool bad_name = false;      // the sender is not valid UTF-8
  std::string sender;         // CleanName'd, without a non-contact's "~ "
};

// A call line (iOS; the corpus has none): "‎Missed voice call, ‎Tap to call
// back", "‎Voice call, ‎12 min", "‎Video call, ‎No answer", German ones too.
void ReadCall(std::string_view text, Body& body) {
  struct Words {
    std::string_view prefix;
    bool missed;
    bool video;
  };
  static constexpr std::array<Words, 10> kCalls = {{
      {"Missed voice call", true, false},
      {"Missed video call", true, true},
      {"Missed group voice call", true, false},
      {"Missed group video call", true, true},
      {"Verpasster Sprachanruf", true, false},
      {"Verpasster Videoanruf", true, true},
      {"Voice call", false, false},
      {"Video call", false, true},
      {"Sprachanruf", false, false},
      {"Videoanruf", false, true},
  }};
  for (const auto& w : kCalls) {
    if (!text.starts_with(w.prefix) ||
        (text.size() > w.prefix.size() && text[w.prefix.size()] != ',')) {
      continue;
    }
    const std::string_view detail = text.substr(w.prefix.size());
    const bool unanswered = detail.find("No answer") != std::string_view::npos ||
                            detail.find("Keine Antwort") != std::string_view::npos;
    body.kind = w.missed || unanswered ? Kind::kMissedCall : Kind::kCall;
    body.video = w.video;
    return;
  }
}

Body ReadBody(std::string_view rest) {
  Body body;
  rest.remove_prefix(SkipMarks(rest, 0));
  const std::size_t colon = rest.find(':');
  const std::string_view name = rest.substr(0, std::min(colon, rest.size()));
  // A quotation mark before the colon: a notice quoting a group's name or
  // subject ("Alice changed the subject to “Trip: day 2”"), not a sender.
  const bool quoted = name.find('"') != std::string_view::npos ||
                      name.find("\xE2\x80\x9C") != std::string_view::npos ||
                      name.find("\xE2\x80\x9D") != std::string_view::npos ||
                      name.find("\xE2\x80\x9E") != std::string_view::npos;
  if (colon == std::string_view::npos || colon == 0 || colon > kMaxNameBytes || quoted) {
    body.group_notice = IsGroupNotice(CleanName(rest.substr(0, 400)));
    return body;
  }
  const std::string text = CleanName(rest.substr(colon + 1, 200));
  if (IsEncryptionNotice(text)) {
    return body;
  }
  body.kind = Kind::kMessage;
  if (!ValidUtf8(name)) {
    body.bad_name = true;
    return body;
  }
  body.sender = CleanName(name);
  if (body.sender.starts_with('~')) {  // a group member who is not in your contacts
    body.sender = CleanName(body.sender.substr(1));
  }
  ReadCall(text, body);
  return body;
}

// What the first pass learnt about the lines of one header variant.
struct Survey {
  std::int64_t lines = 0;
  std::int64_t first_over = 0;      // lines whose first field is above 12
  std::int64_t second_over = 0;     // … whose second field is
  std::int64_t back_day_first = 0;  // steps back in time, read day first
  std::int64_t back_month_first = 0;
  std::int64_t last_day_first = -1;
  std::int64_t last_month_first = -1;
  bool unpadded = false;
  bool group_notice = false;
  std::set<std::string> others;  // senders that are not you: at most 3 kept
};

std::string Hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// "+41 012 345 67 89": a sender WhatsApp shows by number.
bool LooksLikeNumber(std::string_view name) {
  if (!name.starts_with('+')) {
    return false;
  }
  return name.find_first_not_of("+0123456789 -()") == std::string_view::npos;
}

enum class Chat { kOneToOne, kGroup, kNobody };

class WhatsappReader {
 public:
  WhatsappReader(const ChatOptions& options, const EmitInteraction& emit)
      : options_(options), emit_(emit) {}

  InteractionFile Run(LineReader& lines) {
    if (!lines.Opened()) {
      file_.problems.push_back({"file", "cannot be opened for reading"});
      return file_;
    }
    if (!SurveyAll(lines)) {
      return file_;
    }
    Plan();
    lines.Rewind();
    ImportAll(lines);
    if (bad_dates_ > kMaxDateProblems) {
      file_.problems.push_back({"file", std::to_string(bad_dates_ - kMaxDateProblems) +
                                            " more lines with a date that does not exist"});
    }
    return file_;
  }

 private:
  // The first pass: every header, by variant. False (reported) when the
  // file holds none.
  bool SurveyAll(LineReader& lines) {
    std::string line;
    std::int64_t n = 0;
    std::int64_t first_header = 0;
    bool text_before = false;
    while (lines.Next(line)) {
      ++n;
      const auto h = ReadHeader(line);
      if (!h) {
        text_before = text_before || (first_header == 0 && !CleanName(line).empty());
        continue;
      }
      first_header = first_header == 0 ? n : first_header;
      auto [it, fresh] = surveys_.try_emplace(h->variant.Code());
      if (fresh) {
        variants_[h->variant.Code()] = h->variant;
      }
      Observe(it->second, *h, line);
    }
    if (n == 0) {
      file_.problems.push_back({"file", "is empty"});
      return false;
    }
    if (first_header == 0) {
      file_.problems.push_back(
          {"line 1",
           "no line starts with a WhatsApp date and time (\"DD/MM/YYYY, HH:MM - \" or "
           "\"[DD/MM/YY, HH:MM:SS] \"): not an \"Export chat\" text file"});
      return false;
    }
    if (text_before) {
      file_.problems.push_back({"line 1", "lines before line " + std::to_string(first_header) +
                                              " do not start with a date; they are skipped"});
    }
    return true;
  }

  void Observe(Survey& s, const Header& h, const std::string& line) {
    ++s.lines;
    s.first_over += h.first > 12 ? 1 : 0;
    s.second_over += h.second > 12 ? 1 : 0;
    s.unpadded = s.unpadded || h.unpadded;
    const std::int64_t day_first = h.year * 10000LL + h.second * 100LL + h.first;
    const std::int64_t month_first = h.year * 10000LL + h.first * 100LL + h.second;
    s.back_day_first += day_first < s.last_day_first ? 1 : 0;
    s.back_month_first += month_first < s.last_month_first ? 1 : 0;
    s.last_day_first = day_first;
    s.last_month_first = month_first;
    const Body body = ReadBody(std::string_view{line}.substr(h.rest));
    if (body.kind == Kind::kSystem) {
      s.group_notice = s.group_notice || body.group_notice;
    } else if (!body.bad_name && !body.sender.empty() && !IsMe(options_, body.sender) &&
               s.others.size() < 3) {
      s.others.insert(body.sender);
    }
  }

  // Settles the variant (the most lines), the day/month order and the chat.
  void Plan() {
    std::int64_t most = 0;
    for (const auto& [code, survey] : surveys_) {
      if (survey.lines > most) {  // a tie: the first variant (by code)
        most = survey.lines;
        variant_ = code;
      }
    }
    const Survey& s = surveys_.at(variant_);
    SettleOrder(s, variants_.at(variant_));
    // Without your name every sender counts as someone else, you too.
    const std::size_t group_size = options_.me.empty() ? 3 : 2;
    if (s.others.size() >= group_size || s.group_notice) {
      chat_ = Chat::kGroup;
    } else if (s.others.size() == 1) {
      chat_ = Chat::kOneToOne;
      other_ = *s.others.begin();
    }
    if (chat_ != Chat::kGroup) {
      contact_ = !options_.contact.empty() ? options_.contact : IdentifierOf(other_);
      chat_key_ = Hex(core::StableHash(other_.empty() ? options_.contact : other_));
    }
    // Without your name, one of two senders is you, but which? Your own
    // messages would be logged to a contact named after you. Nothing is
    // guessed.
    if (options_.me.empty() && (chat_ != Chat::kGroup || options_.groups)) {
      unknown_me_ = true;
      file_.problems.push_back(
          {"file",
           "cannot tell which sender is you: pass --me NAME (as the export writes your "
           "name) or set [me] names in warmth.toml; nothing imported from this file"});
    }
  }

  void SettleOrder(const Survey& s, const Variant& v) {
    if (v.year_first) {
      day_first_ = false;
      return;
    }
    if (s.first_over > 0 && s.second_over == 0) {
      day_first_ = true;
    } else if (s.second_over > 0 && s.first_over == 0) {
      day_first_ = false;
    } else if (s.first_over > 0) {
      day_first_ = s.second_over <= s.first_over;
      file_.notes.push_back(std::string("dates disagree on the day/month order; read as ") +
                            (day_first_ ? "day/month" : "month/day") +
                            ", the order most of them fit; the others are bad dates");
    } else if (s.back_day_first != s.back_month_first) {
      day_first_ = s.back_day_first < s.back_month_first;
      file_.notes.push_back(std::string("no day is above 12, so the day/month order is "
                                        "ambiguous; read as ") +
                            (day_first_ ? "day/month" : "month/day") +
                            ", the order in which the dates run forward");
    } else {
      // Only US English writes short, unpadded dates with slashes (M/D/YY).
      day_first_ = !(v.separator == '/' && !v.long_year && s.unpadded);
      file_.notes.push_back(std::string("no day is above 12, so the day/month order is "
                                        "ambiguous; read as ") +
                            (day_first_ ? "day/month, as most locales write dates"
                                        : "month/day, as US English writes M/D/YY dates"));
    }
  }

  std::string IdentifierOf(const std::string& name) const {
    if (LooksLikeNumber(name) && options_.phone) {
      auto e164 = options_.phone(name);
      if (e164.ok()) {
        return "tel:" + *e164;
      }
    }
    return NameIdentifier("whatsapp", name);
  }

  void Skip(const std::string& reason) { ++file_.skipped[reason]; }

  // The second pass: each line of the settled variant is a record.
  void ImportAll(LineReader& lines) {
    std::string line;
    std::int64_t n = 0;
    while (!stopped_ && lines.Next(line)) {
      ++n;
      const auto h = ReadHeader(line);
      if (!h || h->variant.Code() != variant_) {
        continue;  // a message's next line (or text shaped like another variant's header)
      }
      ++file_.records;
      Record(*h, ReadBody(std::string_view{line}.substr(h->rest)), n);
    }
  }

  // The local time of `h`, nullopt for a date that does not exist.
  std::optional<date::local_seconds> LocalTime(const Header& h) const {
    const int day = day_first_ ? h.first : h.second;
    const int month = day_first_ ? h.second : h.first;
    const date::year_month_day ymd{date::year{h.year}, date::month{static_cast<unsigned>(month)},
                                   date::day{static_cast<unsigned>(day)}};
    // WhatsApp began in 2009; a year far off is a misread line, and one
    // before 1970 would not even be a valid timestamp.
    if (!ymd.ok() || h.year < 2000 || h.year >= 2200) {
      return std::nullopt;
    }
    return date::local_days{ymd} + std::chrono::hours{h.hour} + std::chrono::minutes{h.minute} +
           std::chrono::seconds{h.sec};
  }

  void Record(const Header& h, const Body& body, std::int64_t line) {
    if (body.kind == Kind::kSystem) {
      return Skip("system notice");
    }
    const auto local = LocalTime(h);
    if (!local) {
      if (++bad_dates_ <= kMaxDateProblems) {
        file_.problems.push_back({"line " + std::to_string(line),
                                  std::string("not a date that exists (read as ") +
                                      (day_first_ ? "day/month" : "month/day") + "); skipped"});
      }
      return Skip("bad date");
    }
    if (body.bad_name) {
      return Skip("unreadable sender name");
    }
    if (body.sender.empty()) {
      return Skip("no sender name");
    }
    if (unknown_me_) {
      return Skip("sender unknown (no --me)");
    }
    const bool mine = IsMe(options_, body.sender);
    if (chat_ == Chat::kGroup) {
      return Group(body, mine, *local);
    }
    if (contact_.empty()) {
      return Skip("no other sender");
    }
    v1::Channel channel = v1::MESSAGE;
    if (body.kind != Kind::kMessage) {
      channel = body.video ? v1::VIDEO : v1::CALL;
    }
    v1::Interaction in = Make(chat_key_, mine ? "me" : body.sender, *local, channel,
                              mine ? v1::OUTBOUND : v1::INBOUND);
    in.add_contacts(contact_);
    in.set_missed(body.kind == Kind::kMissedCall);
    if (options_.contact.empty() && contact_.starts_with("whatsapp:")) {
      file_.names.emplace(contact_, other_);
    }
    Emit(std::move(in));
  }

  void Group(const Body& body, bool mine, date::local_seconds local) {
    if (!options_.groups) {
      return Skip("group chat");
    }
    if (mine) {
      return Skip("your group message");
    }
    if (body.kind == Kind::kMissedCall) {
      return Skip("missed group call");
    }
    const std::string contact = IdentifierOf(body.sender);
    if (contact.empty()) {
      return Skip("no sender name");
    }
    v1::Interaction in = Make("group", body.sender, local, v1::SOCIAL, v1::INBOUND);
    in.add_contacts(contact);
    if (contact.starts_with("whatsapp:")) {
      file_.names.emplace(contact, body.sender);
    }
    Emit(std::move(in));
  }

  // The interaction with its event id: the n-th by `sender` in that local
  // second of that chat.
  v1::Interaction Make(const std::string& chat, const std::string& sender,
                       date::local_seconds local, v1::Channel channel, v1::Direction direction) {
    const std::uint64_t who = core::StableHash(sender);
    const std::int64_t secs = local.time_since_epoch().count();
    // Forgets seconds far behind the newest one, so memory stays flat; an
    // export's lines are in time order but for a few out of place.
    if (nth_.size() > 65536) {
      std::erase_if(nth_, [&](const auto& e) { return e.first.first < newest_ - kForgetSeconds; });
    }
    newest_ = std::max(newest_, secs);
    const int n = nth_[{secs, who}]++;
    v1::Interaction in;
    in.set_event_id("whatsapp:" + chat + ":" + std::to_string(secs) + ":" + Hex(who) + ":" +
                    std::to_string(n));
    in.set_channel(channel);
    in.set_direction(direction);
    const auto sys = options_.zone != nullptr ? options_.zone->to_sys(local, date::choose::earliest)
                                              : date::sys_seconds{local.time_since_epoch()};
    in.mutable_occurred_at()->set_seconds(sys.time_since_epoch().count());
    in.set_source(kSource);
    return in;
  }

  void Emit(v1::Interaction in) {
    ++file_.interactions;
    if (!emit_(std::move(in))) {
      stopped_ = true;
    }
  }

  const ChatOptions& options_;
  const EmitInteraction& emit_;
  InteractionFile file_;
  std::map<int, Survey> surveys_;
  std::map<int, Variant> variants_;
  int variant_ = -1;
  bool day_first_ = true;
  Chat chat_ = Chat::kNobody;
  std::string other_;     // one-to-one: their name
  std::string contact_;   // one-to-one: where their messages go
  std::string chat_key_;  // one-to-one: hash of their name
  bool unknown_me_ = false;
  std::int64_t bad_dates_ = 0;
  std::map<std::pair<std::int64_t, std::uint64_t>, int> nth_;
  std::int64_t newest_ = 0;
  bool stopped_ = false;
};

}  // namespace

InteractionFile ParseWhatsappFile(const std::string& path, const ChatOptions& options,
                                  const EmitInteraction& emit) {
  LineReader lines(path);
  return WhatsappReader(options, emit).Run(lines);
}

InteractionFile ParseWhatsappText(std::string_view text, const ChatOptions& options,
                                  const EmitInteraction& emit) {
  LineReader lines(text);
  return WhatsappReader(options, emit).Run(lines);
}

}  // namespace warmth::import
