#include "clients/mail/message.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <gmime/gmime.h>

#include "daemon/core/identifiers.h"
#include "daemon/core/rules.h"
#include "daemon/core/text.h"
#include "daemon/core/validation.h"
#include "daemon/transport/codec.h"

namespace warmth::mail {

using core::Lower;
using core::Trim;
namespace {

using core::Status;

// Unique ownership of a GObject.
struct Unref {
  void operator()(gpointer p) const {
    if (p != nullptr) {
      g_object_unref(p);
    }
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, Unref>;

// Adds `raw` to `out` (once) if it is an EmailAddress.
void AddAddress(std::string_view raw, std::vector<std::string>& out) {
  auto address = EmailAddress(raw);
  if (address && std::find(out.begin(), out.end(), *address) == out.end()) {
    out.push_back(std::move(*address));
  }
}

// Mailboxes of `list` (group members included) that look like addresses.
void AddAddresses(InternetAddressList* list, std::vector<std::string>& out) {
  if (list == nullptr) {
    return;
  }
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      AddAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(a)) {
      continue;
    }
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    if (addr == nullptr) {
      continue;
    }
    AddAddress(addr, out);
  }
}

// One List-Post value: every <mailto:…> in it ("NO" has none; a "?subject="
// is not part of the address).
void AddListPost(std::string_view value, std::vector<std::string>& out) {
  for (auto open = value.find('<'); open != std::string_view::npos;
       open = value.find('<', open + 1)) {
    const auto close = value.find('>', open);
    if (close == std::string_view::npos) {
      return;
    }
    const std::string url = Trim(value.substr(open + 1, close - open - 1));
    if (Lower(url.substr(0, 7)) == "mailto:") {
      const std::string address = url.substr(7);
      AddAddress(address.substr(0, address.find('?')), out);
    }
  }
}

// The To or Cc address a List-Id (RFC 2919: "phrase <list-label.domain>")
// names: "dev@lists.example.org" for <dev.lists.example.org>.
void AddListIdAddress(std::string_view value, const std::vector<std::string>& recipients,
                      std::vector<std::string>& out) {
  const auto open = value.rfind('<');
  const auto close = value.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return;  // no list id, only a description (as in the notmuch corpus)
  }
  const std::string id = Lower(Trim(value.substr(open + 1, close - open - 1)));
  for (const auto& r : recipients) {
    std::string dotted = r;
    dotted[dotted.find('@')] = '.';
    if (dotted == id) {
      AddAddress(r, out);
    }
  }
}

std::optional<core::TimePoint> FromGDateTime(GDateTime* dt) {
  if (dt == nullptr) {
    return std::nullopt;
  }
  const gint64 unix_s = g_date_time_to_unix(dt);
  return core::TimePoint(std::chrono::seconds(unix_s));
}

std::string Sha256Hex(std::string_view bytes) {
  gchar* hex = g_compute_checksum_for_data(
      G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
  std::string out(hex, 32);
  g_free(hex);
  return out;
}

// An mbox envelope line "From sender date", as opposed to an (obsolete
// syntax) header field "From  : …".
bool StartsWithEnvelope(std::string_view bytes) {
  if (bytes.substr(0, 5) != "From ") {
    return false;
  }
  for (std::size_t i = 5; i < bytes.size() && bytes[i] != '\n'; ++i) {
    if (bytes[i] == ':') {
      return false;
    }
    if (bytes[i] != ' ' && bytes[i] != '\t') {
      return true;
    }
  }
  return false;
}

// "Wed 29 May 2019 06:09:22 PM EDT" -> "Wed 29 May 2019 18:09:22 EDT";
// nullopt when the value has no AM/PM word after a time.
std::optional<std::string> TwentyFourHour(std::string_view value) {
  std::vector<std::string> words;
  std::string word;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
    } else {
      word += c;
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string marker = Lower(words[i]);
    if (marker != "am" && marker != "pm") {
      continue;
    }
    std::string& time = words[i - 1];
    const auto colon = time.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 2 ||
        !std::all_of(time.begin(), time.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return std::nullopt;
    }
    int hour = std::stoi(time.substr(0, colon));
    if (hour < 1 || hour > 12) {
      return std::nullopt;
    }
    hour = hour % 12 + (marker == "pm" ? 12 : 0);
    time = (hour < 10 ? "0" : "") + std::to_string(hour) + time.substr(colon);
    words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
    std::string out;
    for (const auto& w : words) {
      out += (out.empty() ? "" : " ") + w;
    }
    return out;
  }
  return std::nullopt;
}

// Adds the tags of one X-Warmth-Tags value ("pitch, follow-up") to `tags`.
void AddTags(std::string_view value, std::vector<std::string>& tags) {
  std::size_t start = 0;
  while (start < value.size()) {
    const auto end = std::min(value.find_first_of(", \t\r\n", start), value.size());
    const std::string tag = Lower(value.substr(start, end - start));
    start = end + 1;
    if (tag.empty() || !core::CheckText("tag", tag, core::kMaxTagBytes).ok() ||
        std::find(tags.begin(), tags.end(), tag) != tags.end()) {
      continue;
    }
    tags.push_back(tag);
  }
}

GMimeParserOptions* LooseOptions() {
  static GMimeParserOptions* options = [] {
    GMimeParserOptions* o = g_mime_parser_options_new();
    g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    // 8-bit header text that is not UTF-8 is most often Windows-1252.
    static const char* charsets[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(o, charsets);
    return o;
  }();
  return options;
}

// What one header field (name in lower case, value trimmed) says; the To
// and Cc addresses are read before any field.
void ReadField(const std::string& name, const std::string& value, MessageFacts& f) {
  if (name == "received") {
    // A Received field ends with "; date-time" (RFC 5322 section 3.6.7).
    const auto semi = value.rfind(';');
    if (semi != std::string::npos) {
      GDateTime* dt = g_mime_utils_header_decode_date(value.c_str() + semi + 1);
      const auto t = FromGDateTime(dt);
      if (dt != nullptr) {
        g_date_time_unref(dt);
      }
      if (t && (!f.received || *t > *f.received)) {
        f.received = t;
      }
    }
  } else if (name == "delivered-to" || name == "x-original-to") {
    InternetAddressList* list = internet_address_list_parse(LooseOptions(), value.c_str());
    if (list != nullptr) {
      AddAddresses(list, f.delivered_to);
      g_object_unref(list);
    }
  } else if (name == "list-id") {
    AddListIdAddress(value, f.to, f.list_addresses);
    f.list_marker = f.list_marker.empty() ? "List-Id" : f.list_marker;
  } else if (name == "list-post") {
    AddListPost(value, f.list_addresses);
  } else if (f.list_marker.empty() && name == "list-unsubscribe") {
    f.list_marker = "List-Unsubscribe";
  } else if (f.list_marker.empty() && name == "precedence") {
    const std::string p = Lower(value);
    if (p == "bulk" || p == "list" || p == "junk") {
      f.list_marker = "Precedence: " + p;
    }
  } else if (name == "in-reply-to" || name == "references") {
    f.in_thread = f.in_thread || !value.empty();
  } else if (name == "x-warmth-tags") {
    AddTags(value, f.tags);
  } else if (name == "auto-submitted") {
    const std::string a = Lower(value);
    // "no" (any comments after it aside) marks a message a person sent.
    if (!a.empty() && a.rfind("no", 0) != 0) {
      f.auto_submitted = a.substr(0, a.find_first_of(" ;("));
    }
  }
}

}  // namespace

std::optional<std::string> EmailAddress(std::string_view raw) {
  std::string lower = Lower(Trim(raw));
  const auto at = lower.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == lower.size()) {
    return std::nullopt;
  }
  auto norm = core::NormalizeIdentifier(lower, {});  // an address: no phone
  if (!norm.ok() || norm->find('@') == std::string::npos) {
    return std::nullopt;
  }
  return std::move(norm).value();
}

void InitGmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

MessageFacts FactsOf(GMimeMessage* message) {
  MessageFacts f;
  if (const char* id = g_mime_message_get_message_id(message); id != nullptr) {
    f.message_id = Trim(id);
  }
  std::vector<std::string> from;
  AddAddresses(g_mime_message_get_from(message), from);
  if (from.empty()) {
    AddAddresses(g_mime_message_get_sender(message), from);
  }
  if (!from.empty()) {
    f.from = from.front();
  }
  AddAddresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), f.to);
  AddAddresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC), f.to);
  f.date = FromGDateTime(g_mime_message_get_date(message));
  if (const char* raw = g_mime_object_get_header(GMIME_OBJECT(message), "Date"); raw != nullptr) {
    // GMime reads "06:09:22 PM EDT" as 06:09; give it the 24-hour time.
    if (auto fixed = TwentyFourHour(raw)) {
      GDateTime* dt = g_mime_utils_header_decode_date(fixed->c_str());
      if (dt != nullptr) {
        f.date = FromGDateTime(dt);
        g_date_time_unref(dt);
      }
    }
  }

  GMimeObject* object = GMIME_OBJECT(message);
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  f.header_fields = g_mime_header_list_get_count(headers);
  for (int i = 0; i < f.header_fields; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const std::string name = Lower(g_mime_header_get_name(h));
    const char* raw = g_mime_header_get_value(h);
    const std::string value = raw == nullptr ? "" : Trim(raw);
    ReadField(name, value, f);
  }
  if (GMimeObject* part = g_mime_message_get_mime_part(message); part != nullptr) {
    GMimeContentType* type = g_mime_object_get_content_type(part);
    f.report = type != nullptr && g_mime_content_type_is_type(type, "multipart", "report");
  }
  return f;
}

core::Result<MessageFacts> ParseMessage(std::string_view bytes) {
  InitGmime();
  const bool envelope = StartsWithEnvelope(bytes);
  std::string_view content = bytes;
  if (envelope) {
    const auto eol = bytes.find('\n');
    content = eol == std::string_view::npos ? std::string_view() : bytes.substr(eol + 1);
  }
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), envelope ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), LooseOptions()));
  if (message == nullptr) {
    return Status::InvalidArgument("unparseable: GMime found no message");
  }
  const gint64 header_bytes =
      g_mime_parser_get_headers_end(parser.get()) - g_mime_parser_get_headers_begin(parser.get());
  if (header_bytes > static_cast<gint64>(kMaxHeaderBytes)) {
    return Status::InvalidArgument("unparseable: header block larger than 1 MiB");
  }
  MessageFacts facts = FactsOf(message.get());
  if (facts.header_fields == 0) {
    return Status::InvalidArgument("unparseable: no header fields");
  }
  facts.content_hash = Sha256Hex(content);
  return facts;
}

bool Me::Has(std::string_view address) const {
  return std::find(addresses.begin(), addresses.end(), address) != addresses.end();
}

std::string_view SkipName(Skip skip) {
  switch (skip) {
    case Skip::kNone:
      return "none";
    case Skip::kMailingList:
      return "mailing list";
    case Skip::kAutoSubmitted:
      return "automatic";
    case Skip::kNoReply:
      return "no-reply sender";
    case Skip::kNotAddressedToMe:
      return "not addressed to you";
    case Skip::kNoCounterpart:
      return "only to yourself";
    case Skip::kNoSender:
      return "no sender address";
    case Skip::kOnlyToList:
      return "only to a mailing list";
  }
  return "?";
}

bool IsNoReplyAddress(std::string_view address) {
  const std::string local = Lower(address.substr(0, address.find('@')));
  std::string squeezed;
  for (char c : local) {
    if (c != '-' && c != '_' && c != '.') {
      squeezed += c;
    }
  }
  for (std::string_view marker : {"noreply", "donotreply", "dontreply"}) {
    if (squeezed.find(marker) != std::string::npos) {
      return true;
    }
  }
  for (std::string_view exact : {"mailerdaemon", "postmaster", "bounce", "bounces"}) {
    if (squeezed == exact) {
      return true;
    }
  }
  return false;
}

namespace {

// Why a message is not about a person at all; kNone when it may be.
Skip MessageSkip(const MessageFacts& facts) {
  if (!facts.list_marker.empty()) {
    return Skip::kMailingList;
  }
  if (!facts.auto_submitted.empty() || facts.report) {
    return Skip::kAutoSubmitted;
  }
  if (facts.from.empty()) {
    return Skip::kNoSender;
  }
  if (IsNoReplyAddress(facts.from)) {
    return Skip::kNoReply;
  }
  return Skip::kNone;
}

// A mailing list: known, or named as one by the message itself.
bool IsList(const std::string& address, const MessageFacts& facts, const KnownLists& lists) {
  return lists.Has(address) || std::find(facts.list_addresses.begin(), facts.list_addresses.end(),
                                         address) != facts.list_addresses.end();
}

// The people a message from me went to; kOnlyToList when it went to
// mailing lists only, kNoCounterpart when to nobody else at all.
Skip Recipients(const MessageFacts& facts, const Me& me, const KnownLists& lists,
                std::vector<std::string>& contacts) {
  bool to_list = false;
  for (const auto& a : facts.to) {
    if (IsList(a, facts, lists)) {
      to_list = true;
    } else if (!me.Has(a) && !IsNoReplyAddress(a)) {
      contacts.push_back(a);
    }
  }
  if (!contacts.empty()) {
    return Skip::kNone;
  }
  return to_list ? Skip::kOnlyToList : Skip::kNoCounterpart;
}

// The sender of a message to me; kNotAddressedToMe when it is not (known
// to be) to me, kMailingList when a list sent it.
Skip Sender(const MessageFacts& facts, const Me& me, const KnownLists& lists,
            std::vector<std::string>& contacts) {
  if (IsList(facts.from, facts, lists)) {
    return Skip::kMailingList;
  }
  if (!me.addresses.empty()) {
    const auto mine = [&](const std::vector<std::string>& list) {
      return std::any_of(list.begin(), list.end(), [&](const auto& a) { return me.Has(a); });
    };
    if (!mine(facts.to) && !mine(facts.delivered_to)) {
      return Skip::kNotAddressedToMe;
    }
  }
  contacts.push_back(facts.from);
  return Skip::kNone;
}

// When the message was sent: its Date, else its latest Received, else
// `fallback_time`. A Date outside [1980, now + 5 min] is broken (no year, a
// wrong clock).
core::TimePoint SentAt(const MessageFacts& facts, core::TimePoint fallback_time,
                       core::TimePoint now) {
  const core::TimePoint earliest = core::TimePoint(std::chrono::seconds(315532800));  // 1980-01-01
  const auto plausible = [&](const std::optional<core::TimePoint>& t) {
    return t && *t >= earliest && *t <= now + std::chrono::minutes(5);
  };
  return plausible(facts.date)       ? *facts.date
         : plausible(facts.received) ? *facts.received
                                     : fallback_time;
}

// "mail:<Message-ID>", "mail:#<its hash>" when it is long, "mail:~<content
// hash>" when there is none.
std::string MailEventId(const MessageFacts& facts) {
  std::string event_id;
  if (!facts.message_id.empty() && facts.message_id.size() <= 120) {
    event_id = "mail:" + facts.message_id;
  } else if (!facts.message_id.empty()) {
    gchar* hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, facts.message_id.data(),
                                               static_cast<gssize>(facts.message_id.size()));
    event_id = "mail:#" + std::string(hex, 32);
    g_free(hex);
  } else {
    event_id = "mail:~" + facts.content_hash;
  }
  return event_id;
}

// What the message says about itself, on mail from me: its X-Warmth-Tags,
// and "new-thread" when it answers nothing (rules.follow_up.cold_outreach).
std::vector<std::string> OutboundTags(const MessageFacts& facts) {
  std::vector<std::string> tags = facts.tags;
  const std::string new_thread(core::kNewThreadTag);
  const bool named = std::find(tags.begin(), tags.end(), new_thread) != tags.end();
  const std::size_t room = core::kMaxTags - (facts.in_thread || named ? 0 : 1);
  if (tags.size() > room) {
    tags.resize(room);
  }
  if (!facts.in_thread && !named) {
    tags.push_back(new_thread);
  }
  return tags;
}

// The daemon takes at most 100 contacts per interaction; a mail to more
// becomes several, "#2", "#3", … after the first.
void AddInteractions(const std::vector<std::string>& contacts, const std::string& event_id,
                     v1::Direction direction, core::TimePoint at,
                     const std::vector<std::string>& tags,
                     std::vector<v1::Interaction>& interactions) {
  constexpr std::size_t kPerInteraction = 100;
  for (std::size_t first = 0; first < contacts.size(); first += kPerInteraction) {
    v1::Interaction& in = interactions.emplace_back();
    in.set_event_id(first == 0 ? event_id
                               : event_id.substr(0, 120) + "#" +
                                     std::to_string(first / kPerInteraction + 1));
    for (std::size_t i = first; i < std::min(contacts.size(), first + kPerInteraction); ++i) {
      in.add_contacts(contacts[i]);
    }
    in.set_channel(v1::EMAIL);
    in.set_direction(direction);
    transport::ToProto(at, in.mutable_occurred_at());
    in.set_source("warmth-mail");
    for (const auto& tag : tags) {
      in.add_tags(tag);
    }
  }
}

}  // namespace

Verdict Classify(const MessageFacts& facts, const Me& me, core::TimePoint fallback_time,
                 core::TimePoint now, const KnownLists& lists) {
  Verdict v;
  v.skip = MessageSkip(facts);
  if (v.skip != Skip::kNone) {
    return v;
  }
  const bool from_me = me.Has(facts.from);
  std::vector<std::string> contacts;
  v.skip = from_me ? Recipients(facts, me, lists, contacts) : Sender(facts, me, lists, contacts);
  if (v.skip != Skip::kNone) {
    return v;
  }
  const v1::Direction direction = from_me ? v1::OUTBOUND : v1::INBOUND;
  AddInteractions(contacts, MailEventId(facts), direction, SentAt(facts, fallback_time, now),
                  from_me ? OutboundTags(facts) : std::vector<std::string>{}, v.interactions);
  return v;
}

}  // namespace warmth::mail
