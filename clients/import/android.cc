#include "clients/import/android.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include <libxml/xmlreader.h>

namespace warmth::import {
namespace {

constexpr const char* kSource = "warmctl import android";

// An attribute's value ("" when absent). Only the attributes asked for are
// ever copied out of the reader: never a body, subject or part.
std::string Attribute(xmlTextReaderPtr reader, const char* name) {
  xmlChar* value = xmlTextReaderGetAttribute(reader, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) {
    return {};
  }
  std::string s(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return s;
}

std::optional<std::int64_t> Integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The number in E.164, or the reason it is skipped.
struct Number {
  std::string e164;
  std::string skip;  // non-empty: the reason
};

Number ReadNumber(std::string_view raw, const core::PhoneNormalizer& phone) {
  raw = Trim(raw);
  // The app writes -1, -2, -3 (or nothing) for a withheld, payphone or
  // unknown caller.
  if (raw.empty() || raw.front() == '-') {
    return {{}, "withheld number"};
  }
  int digits = 0;
  for (const char c : raw) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') {
      return {{}, "not a phone number"};  // an alphanumeric sender ("AMAZON")
    }
    digits += c >= '0' && c <= '9' ? 1 : 0;
  }
  // Short codes (banks, carriers, 2FA) are services, not people.
  if (raw.front() != '+' && digits <= 6) {
    return {{}, "short code"};
  }
  auto e164 = phone(raw);
  if (!e164.ok()) {
    return {{}, "unusable number"};
  }
  return {*e164, {}};
}

// A record's `date` in ms since 1970, if it is one: a number from 1970 up
// to a day from now. A date beyond that (a damaged backup, a phone whose
// clock was off by centuries) would be refused by the daemon, so it counts
// as no date.
std::optional<std::int64_t> DateMs(std::string_view s) {
  const auto ms = Integer(s);
  const auto latest =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          (std::chrono::system_clock::now() + std::chrono::hours(24)).time_since_epoch())
          .count();
  if (!ms || *ms < 0 || *ms > latest) {
    return std::nullopt;
  }
  return ms;
}

v1::Interaction Make(const std::string& id, const std::string& e164, v1::Channel channel,
                     v1::Direction direction, std::int64_t ms) {
  v1::Interaction in;
  in.set_event_id(id);
  in.add_contacts("tel:" + e164);
  in.set_channel(channel);
  in.set_direction(direction);
  in.mutable_occurred_at()->set_seconds(ms / 1000);
  in.mutable_occurred_at()->set_nanos(static_cast<std::int32_t>(ms % 1000) * 1000000);
  in.set_source(kSource);
  return in;
}

// An <mms> being read: its own attributes, then its <addr> children.
struct Mms {
  std::int64_t ms = 0;
  bool has_date = false;
  std::string address;  // the thread's other parties, '~'-joined
  std::string msg_box;
  std::string m_type;
  std::string from;  // the first 137 <addr>
  std::string name;
};

class Reader {
 public:
  Reader(const core::PhoneNormalizer& phone, const std::function<bool(v1::Interaction)>& emit,
         bool groups)
      : phone_(phone), emit_(emit), groups_(groups) {}

  AndroidFile Run(xmlTextReaderPtr reader) {
    if (reader == nullptr) {
      file_.problems.push_back({"file", "cannot be opened for reading"});
      return file_;
    }
    // libxml2 would print its errors on stderr, some with content: we keep
    // only where the XML broke.
    xmlTextReaderSetErrorHandler(
        reader, [](void*, const char*, xmlParserSeverities, xmlTextReaderLocatorPtr) {}, nullptr);
    int ret = 0;
    while ((ret = xmlTextReaderRead(reader)) == 1 && !stopped_) {
      const int type = xmlTextReaderNodeType(reader);
      const auto* raw_name = xmlTextReaderConstLocalName(reader);
      if (raw_name == nullptr) {
        continue;
      }
      const std::string_view name(reinterpret_cast<const char*>(raw_name));
      if (type == XML_READER_TYPE_ELEMENT) {
        const bool empty = xmlTextReaderIsEmptyElement(reader) == 1;
        if (name == "call") {
          Call(reader);
        } else if (name == "sms") {
          Sms(reader);
        } else if (name == "mms") {
          StartMms(reader);
          if (empty) {
            EndMms();
          }
        } else if (name == "addr" && mms_) {
          if (Attribute(reader, "type") == "137" && mms_->from.empty()) {
            mms_->from = Attribute(reader, "address");
          }
        }
      } else if (type == XML_READER_TYPE_END_ELEMENT && name == "mms") {
        EndMms();
      }
    }
    if (ret == -1) {
      // A truncated backup (the app was killed, a copy cut short): an MMS
      // left open is dropped, everything before it is kept.
      file_.problems.push_back(
          {"line " + std::to_string(xmlTextReaderGetParserLineNumber(reader)),
           "the XML breaks off or is damaged here; the records before it are imported"});
    }
    xmlFreeTextReader(reader);
    return file_;
  }

 private:
  void Skip(const std::string& reason) { ++file_.skipped[reason]; }

  void Emit(v1::Interaction in, const std::string& e164, const std::string& contact_name) {
    if (!contact_name.empty() && contact_name != "(Unknown)" && contact_name != "null") {
      file_.names.emplace("tel:" + e164, contact_name);
    }
    ++file_.interactions;
    if (!emit_(std::move(in))) {
      stopped_ = true;
    }
  }

  void Call(xmlTextReaderPtr reader) {
    ++file_.records;
    const auto ms = DateMs(Attribute(reader, "date"));
    const std::string type = Attribute(reader, "type");
    const auto duration = Integer(Attribute(reader, "duration")).value_or(0);
    if (!ms) {
      return Skip("no or bad date");
    }
    v1::Channel channel = v1::CALL;
    v1::Direction direction = v1::INBOUND;
    // A call that did not connect is still worth knowing: an incoming one
    // you missed or rejected is a call to return (CALL_BACK), an outgoing
    // one nobody took is your attempt. Neither gives warmth.
    bool missed = false;
    if (type == "2") {
      direction = v1::OUTBOUND;
      missed = duration <= 0;
    } else if (type == "1") {
      if (duration <= 0) {
        return Skip("unanswered call");
      }
    } else if (type == "4") {
      channel = v1::VOICE_MESSAGE;
    } else if (type == "3" || type == "5") {
      missed = true;  // missed, rejected
    } else if (type == "6") {
      return Skip("blocked call");
    } else {
      return Skip("unknown call type");
    }
    const Number n = ReadNumber(Attribute(reader, "number"), phone_);
    if (!n.skip.empty()) {
      return Skip(n.skip);
    }
    v1::Interaction in = Make("android:call:" + std::to_string(*ms) + ":" + n.e164 + ":" + type,
                              n.e164, channel, direction, *ms);
    in.set_missed(missed);
    Emit(std::move(in), n.e164, Attribute(reader, "contact_name"));
  }

  void Sms(xmlTextReaderPtr reader) {
    ++file_.records;
    const auto ms = DateMs(Attribute(reader, "date"));
    const std::string type = Attribute(reader, "type");
    if (!ms) {
      return Skip("no or bad date");
    }
    if (type != "1" && type != "2") {
      return Skip("draft or unsent message");  // 3 draft, 4 outbox, 5 failed, 6 queued
    }
    const Number n = ReadNumber(Attribute(reader, "address"), phone_);
    if (!n.skip.empty()) {
      return Skip(n.skip);
    }
    Emit(Make("android:sms:" + std::to_string(*ms) + ":" + n.e164 + ":" + type, n.e164, v1::MESSAGE,
              type == "2" ? v1::OUTBOUND : v1::INBOUND, *ms),
         n.e164, Attribute(reader, "contact_name"));
  }

  void StartMms(xmlTextReaderPtr reader) {
    ++file_.records;
    Mms m;
    const auto ms = DateMs(Attribute(reader, "date"));
    m.has_date = ms.has_value();
    m.ms = ms.value_or(0);
    m.address = Attribute(reader, "address");
    m.msg_box = Attribute(reader, "msg_box");
    m.m_type = Attribute(reader, "m_type");
    m.name = Attribute(reader, "contact_name");
    mms_ = std::move(m);
  }

  void EndMms() {
    if (!mms_) {
      return;
    }
    const Mms m = std::move(*mms_);
    mms_.reset();
    if (!m.has_date) {
      return Skip("no or bad date");
    }
    // msg_box is what the app files the message under; m_type (132
    // retrieved, 128 sent) when an old backup lacks it.
    std::optional<v1::Direction> direction;
    if (m.msg_box == "1" || (m.msg_box.empty() && m.m_type == "132")) {
      direction = v1::INBOUND;
    } else if (m.msg_box == "2" || (m.msg_box.empty() && m.m_type == "128")) {
      direction = v1::OUTBOUND;
    }
    if (!direction) {
      return Skip("draft or unsent message");
    }
    // `address` names the thread's other parties: several ('~'-joined), or
    // an RCS group's address, make a group conversation.
    if (m.address.find('~') != std::string::npos || m.address.find('@') != std::string::npos) {
      return GroupMms(m, *direction);
    }
    // Received: from the 137 (from) <addr>; sent: to the thread.
    const std::string& who = *direction == v1::INBOUND && !m.from.empty() ? m.from : m.address;
    const Number n = ReadNumber(who, phone_);
    if (!n.skip.empty()) {
      return Skip(n.skip);
    }
    const std::string box = *direction == v1::INBOUND ? "1" : "2";
    Emit(Make("android:mms:" + std::to_string(m.ms) + ":" + n.e164 + ":" + box, n.e164, v1::MESSAGE,
              *direction, m.ms),
         n.e164, m.name);
  }

  // A group message is no conversation with each member: skipped, or with
  // --groups a SOCIAL touch from its sender (never one of yours).
  void GroupMms(const Mms& m, v1::Direction direction) {
    if (!groups_) {
      return Skip("group MMS");
    }
    if (direction != v1::INBOUND || m.from.empty()) {
      return Skip("your group MMS");
    }
    const Number n = ReadNumber(m.from, phone_);
    if (!n.skip.empty()) {
      return Skip(n.skip);
    }
    Emit(Make("android:mms-group:" + std::to_string(m.ms) + ":" + n.e164, n.e164, v1::SOCIAL,
              v1::INBOUND, m.ms),
         n.e164, "");
  }

  const core::PhoneNormalizer& phone_;
  const std::function<bool(v1::Interaction)>& emit_;
  bool groups_;
  AndroidFile file_;
  std::optional<Mms> mms_;
  bool stopped_ = false;
};

// Where the XML comes from: a file or, for tests, bytes in memory.
struct Source {
  std::FILE* file = nullptr;
  std::string_view text;

  std::size_t Read(char* buf, std::size_t len) {
    if (file != nullptr) {
      return std::fread(buf, 1, len, file);
    }
    const std::size_t n = std::min(len, text.size());
    std::memcpy(buf, text.data(), n);
    text.remove_prefix(n);
    return n;
  }
};

// Hands libxml2 the backup without the values of its `data="…"` attributes
// (an MMS part's media, in base64), which the import never reads: libxml2
// 2.9's reader slows down without bound on a start tag of many megabytes
// (a 16 MiB part took three minutes, a 4 MiB one 0.1 s), and media need
// not pass through the parser at all. The value is dropped up to its
// closing quote (an attribute value holds no raw '"'); its line breaks are
// kept so that a problem's line number stays right. A " data=\"" in a
// comment would have the text up to the next quote dropped, which at worst
// makes that stretch of the file a reported problem.
class WithoutMedia {
 public:
  explicit WithoutMedia(Source source) : source_(source) {}

  int Read(char* out, int len) {
    if (len <= 0) {
      return 0;
    }
    std::size_t written = 0;
    while (written == 0) {
      const std::size_t n =
          source_.Read(buf_.data(), std::min(buf_.size(), static_cast<std::size_t>(len)));
      if (n == 0) {
        return 0;
      }
      for (std::size_t i = 0; i < n; ++i) {
        written += Step(buf_[i], out + written);
      }
    }
    return static_cast<int>(written);
  }

  static int ReadCallback(void* self, char* out, int len) {
    return static_cast<WithoutMedia*>(self)->Read(out, len);
  }
  static int CloseCallback(void* /*self*/) { return 0; }

 private:
  static constexpr std::string_view kName = "data=\"";

  // Passes `c` on to `out` (returns 1) unless it is inside a media value.
  std::size_t Step(char c, char* out) {
    if (skipping_) {
      if (c == '"' || c == '\n') {
        skipping_ = c != '"';
        *out = c;
        return 1;
      }
      return 0;
    }
    *out = c;
    if (matched_ > 0 && c == kName[matched_]) {
      if (++matched_ == kName.size()) {
        skipping_ = true;
        matched_ = 0;
      }
    } else {
      matched_ = (c == kName[0] && after_space_) ? 1 : 0;
    }
    after_space_ = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    return 1;
  }

  Source source_;
  std::array<char, 65536> buf_{};
  std::size_t matched_ = 0;
  bool after_space_ = false;
  bool skipping_ = false;
};

// No network, no entity expansion (XXE); HUGE because a backup's other
// attributes (a long message body) may still pass libxml2's limits.
constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOWARNING;

AndroidFile Parse(Source source, const core::PhoneNormalizer& phone,
                  const std::function<bool(v1::Interaction)>& emit, bool groups) {
  WithoutMedia input(source);
  // The reader calls CloseCallback when it is freed, at the end of Run.
  return Reader(phone, emit, groups)
      .Run(xmlReaderForIO(&WithoutMedia::ReadCallback, &WithoutMedia::CloseCallback, &input,
                          nullptr, nullptr, kOptions));
}

}  // namespace

AndroidFile ParseAndroidFile(const std::string& path, const core::PhoneNormalizer& phone,
                             const std::function<bool(v1::Interaction)>& emit, bool groups) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rbe"),
                                                       &std::fclose);
  if (!file) {
    AndroidFile failed;
    failed.problems.push_back({"file", "cannot be opened for reading"});
    return failed;
  }
  return Parse(Source{file.get(), {}}, phone, emit, groups);
}

AndroidFile ParseAndroidText(std::string_view text, const core::PhoneNormalizer& phone,
                             const std::function<bool(v1::Interaction)>& emit, bool groups) {
  return Parse(Source{nullptr, text}, phone, emit, groups);
}

}  // namespace warmth::import
