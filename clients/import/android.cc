#include "clients/import/android.h"

#include <charconv>
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
  Reader(const core::PhoneNormalizer& phone, const std::function<bool(v1::Interaction)>& emit)
      : phone_(phone), emit_(emit) {}

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
    const auto ms = Integer(Attribute(reader, "date"));
    const std::string type = Attribute(reader, "type");
    const auto duration = Integer(Attribute(reader, "duration")).value_or(0);
    if (!ms) {
      return Skip("no date");
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
    const auto ms = Integer(Attribute(reader, "date"));
    const std::string type = Attribute(reader, "type");
    if (!ms) {
      return Skip("no date");
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
    const auto ms = Integer(Attribute(reader, "date"));
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
      return Skip("no date");
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
      return Skip("group MMS");
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

  const core::PhoneNormalizer& phone_;
  const std::function<bool(v1::Interaction)>& emit_;
  AndroidFile file_;
  std::optional<Mms> mms_;
  bool stopped_ = false;
};

// No network, no entity expansion (XXE); HUGE because one MMS part's base64
// attribute can pass libxml2's 10 MB default limit.
constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOWARNING;

}  // namespace

AndroidFile ParseAndroidFile(const std::string& path, const core::PhoneNormalizer& phone,
                             const std::function<bool(v1::Interaction)>& emit) {
  return Reader(phone, emit).Run(xmlReaderForFile(path.c_str(), nullptr, kOptions));
}

AndroidFile ParseAndroidText(std::string_view text, const core::PhoneNormalizer& phone,
                             const std::function<bool(v1::Interaction)>& emit) {
  return Reader(phone, emit)
      .Run(xmlReaderForMemory(text.data(), static_cast<int>(text.size()), nullptr, nullptr,
                              kOptions));
}

}  // namespace warmth::import
