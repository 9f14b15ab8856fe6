#include "clients/import/telegram.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <utility>

#include <date/date.h>
#include <date/tz.h>
#include <simdjson.h>

#include "daemon/core/validation.h"

namespace warmth::import {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr const char* kSource = "warmctl import telegram";
// Entries with an unreadable date beyond this many are summed up in one
// problem: a damaged export should not print a line per message.
constexpr int kMaxEntryProblems = 20;
// Longer type, action and reason strings are no value Telegram writes.
constexpr std::size_t kMaxWord = 64;
// 9999-12-31T23:59:59Z: a protobuf Timestamp goes no further.
constexpr std::int64_t kMaxSeconds = 253402300799;

// A field that is absent, null, of another type or badly escaped reads as
// missing, and the reading goes on past it. Any other error means the
// document is damaged there: on-demand parsing cannot go past it.
bool Damaged(error_code e) {
  return e != simdjson::SUCCESS && e != simdjson::NO_SUCH_FIELD && e != simdjson::INCORRECT_TYPE &&
         e != simdjson::NUMBER_ERROR && e != simdjson::NUMBER_OUT_OF_RANGE &&
         e != simdjson::STRING_ERROR;
}

std::optional<std::int64_t> Digits(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

// The user id in "user123"; nullopt for "channel5", "chat7" or nothing.
std::optional<std::int64_t> UserId(std::string_view peer) {
  if (peer.substr(0, 4) != "user") {
    return std::nullopt;
  }
  return Digits(peer.substr(4));
}

// `s` cut to at most `max` bytes, at a UTF-8 character boundary.
std::string Cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) {
    return std::string(s);
  }
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(s.substr(0, cut));
}

// A name as the daemon takes it for a contact: marks and control
// characters dropped, short enough.
std::string DisplayName(std::string_view raw) {
  std::string name = CleanName(raw);
  std::erase_if(name, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  return Cut(name, core::kMaxDisplayNameBytes);
}

// "2019-07-05T16:55:32" read in `zone` (Telegram Desktop writes the
// exporting computer's local time), or with a "Z" or "+02:00" suffix at
// that offset; nullopt when it does not read.
std::optional<std::int64_t> ReadIsoDate(std::string_view s, const date::time_zone* zone) {
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  const auto part = [&](std::size_t at, std::size_t n) {
    return static_cast<int>(Digits(s.substr(at, n)).value_or(-1));
  };
  const int hour = part(11, 2);
  const int minute = part(14, 2);
  const int second = part(17, 2);
  const date::year_month_day day{date::year{part(0, 4)}, date::month(part(5, 2)),
                                 date::day(part(8, 2))};
  if (!day.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60) {
    return std::nullopt;
  }
  const date::local_seconds local = date::local_days{day} + std::chrono::hours(hour) +
                                    std::chrono::minutes(minute) + std::chrono::seconds(second);
  const std::string_view rest = s.substr(19);
  const date::sys_seconds utc(local.time_since_epoch());
  if (rest == "Z" || (rest.empty() && zone == nullptr)) {
    return utc.time_since_epoch().count();
  }
  if (rest.empty()) {
    return zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
  }
  const int oh = rest.size() == 6 && rest[3] == ':' ? part(20, 2) : -1;
  const int om = oh >= 0 ? part(23, 2) : -1;
  if ((rest[0] != '+' && rest[0] != '-') || oh < 0 || oh > 23 || om < 0 || om > 59) {
    return std::nullopt;
  }
  const std::chrono::seconds offset = std::chrono::hours(oh) + std::chrono::minutes(om);
  return (rest[0] == '+' ? utc - offset : utc + offset).time_since_epoch().count();
}

// What one entry of `messages` says about who, when and what. Never text.
struct Entry {
  std::optional<std::int64_t> id;
  std::string type;  // "message", "service", "unsupported"
  std::string action;
  bool has_unixtime = false;  // present, even if unreadable
  std::optional<std::int64_t> unixtime;
  std::string date;      // local ISO time, the only time in old exports
  std::string from_id;   // "user123" (old exports wrote the number: made "user<n>")
  std::string actor_id;  // a service entry's actor: a call's caller
  std::string from;      // the sender's name
  std::optional<std::int64_t> duration;
  std::string discard_reason;
  bool video = false;
};

// A chat of the export, read before its messages.
struct Chat {
  std::string where;  // "chat 12 " in a whole-account export
  std::optional<std::int64_t> id;
  std::string name;
  std::string skip;  // non-empty: why each of its entries is skipped
  bool group = false;
};

// Why the entries of a chat of `type` are skipped; "" when they are read.
std::string ChatSkip(std::string_view type, bool groups) {
  if (type == "personal_chat") {
    return "";
  }
  if (type == "private_group" || type == "private_supergroup" || type == "public_supergroup") {
    return groups ? "" : "group chat";
  }
  if (type == "private_channel" || type == "public_channel") {
    return "channel";
  }
  if (type == "bot_chat") {
    return "bot chat";
  }
  if (type == "saved_messages" || type == "replies") {
    return "saved messages";
  }
  return "chat of unknown type";  // missing, or not one Telegram writes
}

class Reader {
 public:
  Reader(const ChatOptions& options, const EmitInteraction& emit)
      : options_(options), emit_(emit) {}

  TelegramFile Run(const simdjson::padded_string& json);

 private:
  // False when `e` is an error; it is kept when it damages the document.
  bool Ok(error_code e) {
    if (Damaged(e) && broken_ == simdjson::SUCCESS) {
      broken_ = e;
    }
    return e == simdjson::SUCCESS;
  }
  bool Find(od::object& object, std::string_view key, od::value& value) {
    return Ok(object.find_field_unordered(key).get(value));
  }
  bool Done() const { return stopped_ || broken_ != simdjson::SUCCESS; }
  void Skip(const std::string& reason) { ++file_.skipped[reason]; }
  void EntryProblem(const std::string& where, const std::string& message);

  std::optional<std::int64_t> Integer(od::value& value);
  std::string String(od::value& value, std::size_t max);
  std::string Peer(od::value& value);
  bool ReadEntry(od::object& object, Entry& entry);
  void ReadTop(od::document& doc);
  void ReadChats(od::value& section, std::string_view name);
  void ReadChat(od::object& object, const std::string& where, bool top);
  void ReadMessages(od::array& messages, const Chat& chat);
  std::optional<std::int64_t> Time(const Entry& entry, const std::string& where);
  std::optional<v1::Direction> DirectionOf(std::int64_t other, std::string_view peer) const;
  void Personal(const Chat& chat, const Entry& entry, const std::string& where);
  void Group(const Chat& chat, const Entry& entry, const std::string& where);
  void Emit(const std::string& event_id, std::int64_t user, v1::Channel channel,
            v1::Direction direction, std::int64_t seconds, bool missed, const std::string& name);
  const date::time_zone* Zone() const;

  const ChatOptions& options_;
  const EmitInteraction& emit_;
  TelegramFile file_;
  std::optional<std::int64_t> me_;  // personal_information.user_id
  error_code broken_ = simdjson::SUCCESS;
  bool stopped_ = false;
  int entry_problems_ = 0;
};

void Reader::EntryProblem(const std::string& where, const std::string& message) {
  if (++entry_problems_ <= kMaxEntryProblems) {
    file_.problems.push_back({where, message});
  }
}

const date::time_zone* Reader::Zone() const {
  return options_.zone;  // nullptr: read as UTC
}

// An id or a time, a number or a string of digits (exports differ).
std::optional<std::int64_t> Reader::Integer(od::value& value) {
  od::json_type type;
  if (!Ok(value.type().get(type))) {
    return std::nullopt;
  }
  if (type == od::json_type::number) {
    std::int64_t n = 0;
    return Ok(value.get_int64().get(n)) ? std::optional(n) : std::nullopt;
  }
  std::string_view s;
  return type == od::json_type::string && Ok(value.get_string().get(s)) ? Digits(s) : std::nullopt;
}

std::string Reader::String(od::value& value, std::size_t max) {
  std::string_view s;
  return Ok(value.get_string().get(s)) ? Cut(s, max) : std::string();
}

// "user123", "channel5"; a bare number (exports before 2020) is a user.
std::string Reader::Peer(od::value& value) {
  od::json_type type;
  if (!Ok(value.type().get(type))) {
    return {};
  }
  if (type == od::json_type::number) {
    const auto n = Integer(value);
    return n ? "user" + std::to_string(*n) : std::string();
  }
  return String(value, kMaxWord);
}

// Reads the fields of one entry in their order, touching only these; false
// when the document broke inside it.
bool Reader::ReadEntry(od::object& object, Entry& entry) {
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (!Ok(field.unescaped_key().get(key)) || !Ok(field.value().get(value))) {
      return false;
    }
    if (key == "id") {
      entry.id = Integer(value);
    } else if (key == "type") {
      entry.type = String(value, kMaxWord);
    } else if (key == "action") {
      entry.action = String(value, kMaxWord);
    } else if (key == "date_unixtime") {
      entry.has_unixtime = true;
      entry.unixtime = Integer(value);
    } else if (key == "date") {
      entry.date = String(value, kMaxWord);
    } else if (key == "from_id") {
      entry.from_id = Peer(value);
    } else if (key == "actor_id") {
      entry.actor_id = Peer(value);
    } else if (key == "from") {
      entry.from = String(value, 4 * core::kMaxDisplayNameBytes);
    } else if (key == "duration_seconds") {
      entry.duration = Integer(value);
    } else if (key == "discard_reason") {
      entry.discard_reason = String(value, kMaxWord);
    } else if (key == "is_video") {
      bool video = false;
      entry.video = Ok(value.get_bool().get(video)) && video;
    }
    if (Done()) {
      return false;
    }
  }
  return !Done();
}

void Reader::ReadTop(od::document& doc) {
  od::object top;
  if (!Ok(doc.get_object().get(top))) {
    if (!Done()) {
      file_.problems.push_back({"file", "not a Telegram export: expected a JSON object"});
    }
    return;
  }
  ReadChat(top, "", true);
}

void Reader::ReadChats(od::value& section, std::string_view name) {
  od::object object;
  od::value list;
  od::array chats;
  if (!Ok(section.get_object().get(object)) || !Find(object, "list", list) ||
      !Ok(list.get_array().get(chats))) {
    return;
  }
  std::size_t index = 0;
  for (auto element : chats) {
    od::object chat;
    if (Ok(element.get_object().get(chat))) {
      ReadChat(chat, std::string(name) + ".list[" + std::to_string(index) + "] ", false);
    }
    if (Done()) {
      return;
    }
    ++index;
  }
}

// Reads a chat's fields in their order, one forward pass, so that a file
// cut short keeps what came before the cut. Telegram writes name, type and
// id before messages; at the top of a whole-account export,
// personal_information before chats and left_chats.
void Reader::ReadChat(od::object& object, const std::string& where, bool top) {
  Chat chat;
  std::string type;
  bool found = false;  // messages, or a list of chats
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (!Ok(field.unescaped_key().get(key)) || !Ok(field.value().get(value))) {
      return;
    }
    od::object info;
    if (key == "type") {
      type = String(value, kMaxWord);
    } else if (key == "id") {
      chat.id = Integer(value);
    } else if (key == "name") {
      chat.name = String(value, 4 * core::kMaxDisplayNameBytes);
    } else if (key == "messages") {
      found = true;
      chat.skip = ChatSkip(type, options_.groups);
      chat.group = type != "personal_chat";
      if (chat.skip.empty() && chat.id.value_or(0) <= 0) {
        chat.skip = "chat without an id";
      }
      chat.where = chat.id && !top ? "chat " + std::to_string(*chat.id) + " " : where;
      od::array messages;
      if (Ok(value.get_array().get(messages))) {
        ReadMessages(messages, chat);
      } else if (top && !Done()) {
        file_.problems.push_back({"file", "not a Telegram export: messages is not a list"});
      }
    } else if (top && key == "personal_information" && Ok(value.get_object().get(info)) &&
               Find(info, "user_id", value)) {
      me_ = Integer(value);
    } else if (top && (key == "chats" || key == "left_chats")) {
      found = true;
      ReadChats(value, key);
    }
    if (Done()) {
      return;
    }
  }
  if (top && !found && !Done()) {
    file_.problems.push_back({"file", "not a Telegram export: no chats and no messages"});
  }
}

void Reader::ReadMessages(od::array& messages, const Chat& chat) {
  std::size_t index = 0;
  for (auto element : messages) {
    if (Done()) {
      return;
    }
    ++file_.records;
    od::object object;
    Entry entry;
    if (!Ok(element.get_object().get(object))) {
      if (!Done()) {
        Skip("not a message");
      }
    } else if (!chat.skip.empty()) {
      Skip(chat.skip);  // its fields are never read
    } else if (ReadEntry(object, entry)) {
      const std::string where = chat.where + (entry.id ? "message " + std::to_string(*entry.id)
                                                       : "messages[" + std::to_string(index) + "]");
      if (chat.group) {
        Group(chat, entry, where);
      } else {
        Personal(chat, entry, where);
      }
    }
    ++index;
  }
}

// Seconds since the epoch: date_unixtime, else (older exports) the local
// date. A date that is there but does not read is a problem.
std::optional<std::int64_t> Reader::Time(const Entry& entry, const std::string& where) {
  const auto plausible = [](std::optional<std::int64_t> t) {
    return t && *t > 0 && *t <= kMaxSeconds ? t : std::nullopt;
  };
  if (const auto t = plausible(entry.unixtime)) {
    return t;
  }
  if (!entry.date.empty()) {
    if (const auto t = plausible(ReadIsoDate(entry.date, Zone()))) {
      return t;
    }
  }
  if (entry.has_unixtime || !entry.date.empty()) {
    EntryProblem(where, "unreadable date");
    return std::nullopt;
  }
  Skip("no date");
  return std::nullopt;
}

// In a personal chat with `other`: INBOUND for them, OUTBOUND for you
// (where the export does not say who you are, any other user is you).
std::optional<v1::Direction> Reader::DirectionOf(std::int64_t other, std::string_view peer) const {
  const auto user = UserId(peer);
  if (!user) {
    return std::nullopt;
  }
  if (*user == other) {
    return v1::INBOUND;
  }
  if (!me_ || *user == *me_) {
    return v1::OUTBOUND;
  }
  return std::nullopt;
}

void Reader::Personal(const Chat& chat, const Entry& entry, const std::string& where) {
  const bool call = entry.type == "service" && entry.action == "phone_call";
  if (entry.type == "service" && !call) {
    return Skip("service message");
  }
  if (entry.type != "message" && !call) {
    return Skip("unknown entry type");
  }
  if (!entry.id) {
    return Skip("no message id");
  }
  // A call's actor is its caller.
  const std::string& sender = call && !entry.actor_id.empty() ? entry.actor_id : entry.from_id;
  const auto direction = DirectionOf(*chat.id, sender);
  if (!direction) {
    return Skip(sender.empty() ? "no sender" : "sender not in the chat");
  }
  const auto seconds = Time(entry, where);
  if (!seconds) {
    return;
  }
  const bool answered = entry.duration.value_or(0) > 0 && entry.discard_reason != "missed" &&
                        entry.discard_reason != "busy";
  const v1::Channel channel = !call ? v1::MESSAGE : entry.video ? v1::VIDEO : v1::CALL;
  Emit("telegram:" + std::to_string(*chat.id) + ":" + std::to_string(*entry.id), *chat.id, channel,
       *direction, *seconds, call && !answered, chat.name);
}

// With --groups: a message of someone else is SOCIAL for them. Where the
// export does not say who you are, [me] names tell your messages apart.
void Reader::Group(const Chat& chat, const Entry& entry, const std::string& where) {
  if (entry.type != "message") {
    return Skip(entry.type == "service" ? "service message" : "unknown entry type");
  }
  if (!entry.id) {
    return Skip("no message id");
  }
  const auto user = UserId(entry.from_id);
  if (!user) {
    return Skip(entry.from_id.empty() ? "no sender" : "group message not from a person");
  }
  if (me_ ? *user == *me_ : IsMe(options_, entry.from)) {
    return Skip("your own group message");
  }
  if (!me_ && options_.me.empty()) {
    return Skip("group chat without your id");
  }
  const auto seconds = Time(entry, where);
  if (!seconds) {
    return;
  }
  // "g": a group's id and a user's may be the same number.
  Emit("telegram:g" + std::to_string(*chat.id) + ":" + std::to_string(*entry.id), *user, v1::SOCIAL,
       v1::INBOUND, *seconds, false, entry.from);
}

void Reader::Emit(const std::string& event_id, std::int64_t user, v1::Channel channel,
                  v1::Direction direction, std::int64_t seconds, bool missed,
                  const std::string& name) {
  const std::string contact = "telegram:" + std::to_string(user);
  v1::Interaction in;
  in.set_event_id(event_id);
  in.add_contacts(contact);
  in.set_channel(channel);
  in.set_direction(direction);
  in.mutable_occurred_at()->set_seconds(seconds);
  in.set_source(kSource);
  in.set_missed(missed);
  if (std::string clean = DisplayName(name); !clean.empty()) {
    file_.names.emplace(contact, std::move(clean));
  }
  ++file_.interactions;
  if (!emit_(std::move(in))) {
    stopped_ = true;
  }
}

// The line of byte `offset` in `text`, counted from 1.
std::size_t LineOf(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

TelegramFile Reader::Run(const simdjson::padded_string& json) {
  od::parser parser;
  od::document doc;
  std::string_view text(json);
  // A file cut short (a copy interrupted) would fail as a whole: simdjson
  // refuses a root object whose last bracket is not '}', and a cut inside a
  // string fails the indexing. Telegram writes one field per line and
  // escapes line breaks inside strings, so the file is read up to its last
  // line break with a '}' added: the entries before the cut are read, and
  // the reading breaks where the cut was.
  std::string_view body = text;
  while (!body.empty() && (body.back() == ' ' || body.back() == '\n' || body.back() == '\r' ||
                           body.back() == '\t')) {
    body.remove_suffix(1);
  }
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  simdjson::padded_string cut;
  if (first != std::string_view::npos && text[first] == '{' && body.back() != '}') {
    const std::size_t line = body.rfind('\n');
    cut = simdjson::padded_string(
        std::string(body.substr(0, line == std::string_view::npos ? 0 : line)) + "\n}");
    text = cut;
  }
  error_code e = cut.size() > 0 ? parser.iterate(cut).get(doc) : parser.iterate(json).get(doc);
  if (e == simdjson::EMPTY) {
    file_.problems.push_back({"file", "empty: not a Telegram export"});
    return file_;
  }
  if (e != simdjson::SUCCESS) {
    file_.problems.push_back(
        {"file", std::string("not JSON, cannot be read (") + simdjson::error_message(e) + ")"});
    return file_;
  }
  ReadTop(doc);
  if (broken_ != simdjson::SUCCESS || cut.size() > 0) {
    const char* at = nullptr;
    const std::size_t offset =
        doc.current_location().get(at) == simdjson::SUCCESS && at >= text.data()
            ? static_cast<std::size_t>(at - text.data())
            : text.size();
    file_.problems.push_back(
        {"line " + std::to_string(LineOf(text, offset)),
         "the JSON breaks off or is damaged here; the entries before it are imported"});
  }
  if (entry_problems_ > kMaxEntryProblems) {
    file_.problems.push_back({"file", std::to_string(entry_problems_ - kMaxEntryProblems) +
                                          " more entries with an unreadable date"});
  }
  return file_;
}

}  // namespace

TelegramFile ParseTelegramFile(const std::string& path, const ChatOptions& options,
                               const EmitInteraction& emit) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path).get(json) != simdjson::SUCCESS) {
    TelegramFile file;
    file.problems.push_back({"file", "cannot be opened for reading"});
    return file;
  }
  return Reader(options, emit).Run(json);
}

TelegramFile ParseTelegramText(std::string_view text, const ChatOptions& options,
                               const EmitInteraction& emit) {
  return Reader(options, emit).Run(simdjson::padded_string(text));
}

}  // namespace warmth::import
