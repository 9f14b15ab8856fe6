#include "clients/import/messenger.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <utility>
#include <vector>

#include <simdjson.h>

namespace warmth::import {
namespace {

namespace ondemand = simdjson::ondemand;

constexpr const char* kSource = "warmctl import messenger";
// A DYI export splits a thread into message_1.json, message_2.json, … of a
// few MB each; a file far larger is not one of them.
constexpr std::size_t kMaxFileBytes = std::size_t{256} << 20;

// What is read of one message: never its content.
struct Message {
  std::size_t index = 0;
  std::string sender;  // re-decoded
  std::optional<std::int64_t> ms;
  std::string type;  // "" when absent (the corpus's exports have none: Generic)
  std::optional<double> call_duration;
  bool unsent = false;
  std::string bad;  // a field of the wrong type: the message is a Problem
};

struct Thread {
  bool has_participants = false;
  std::vector<std::string> participants;  // re-decoded
  std::string thread_type;
  std::vector<Message> messages;
};

std::string Hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

// The name DYI gives an account that no longer exists: not a person.
bool IsDeletedAccount(std::string_view name) {
  const std::string lower = Lower(CleanName(name));
  return lower == "facebook user" || lower == "instagram user";
}

// A file cut short (a copy interrupted, a zip extracted in part): simdjson
// refuses the whole document, so the text is cut back to the end of the
// last complete object or array and the containers still open are closed.
// `in_messages` tells whether the cut fell inside the "messages" array.
// nullopt when nothing complete is left.
struct Repair {
  std::string text;
  bool in_messages = false;
};

std::optional<Repair> Repaired(std::string_view text) {
  std::string open;            // the open containers, '{' or '['
  std::vector<bool> messages;  // per open container: is it "messages"?
  std::string_view key;        // the last string read in the root object
  std::size_t string_start = 0;
  bool in_string = false;
  std::optional<Repair> best;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (open.size() == 1) {
          key = text.substr(string_start, i - string_start);
        }
      }
    } else if (c == '"') {
      in_string = true;
      string_start = i + 1;
    } else if (c == '{' || c == '[') {
      messages.push_back(open.size() == 1 && c == '[' && key == "messages");
      open += c;
    } else if ((c == '}' || c == ']') && !open.empty()) {
      open.pop_back();
      messages.pop_back();
      if (open.empty()) {
        return std::nullopt;  // complete: damaged elsewhere, not cut short
      }
      Repair r;
      r.text = std::string(text.substr(0, i + 1));
      for (auto it = open.rbegin(); it != open.rend(); ++it) {
        r.text += *it == '{' ? '}' : ']';
      }
      best = std::move(r);
    }
  }
  if (best) {
    best->in_messages = std::find(messages.begin(), messages.end(), true) != messages.end();
  }
  return best;
}

// Reads the JSON into a Thread. On damaged JSON it stops with a Problem and
// keeps what was read; a structural error leaves simdjson's iterator
// unusable, so nothing is read after it.
class JsonReader {
 public:
  explicit JsonReader(InteractionFile& file) : file_(file) {}

  Thread Read(std::string_view text) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
      text.remove_prefix(3);  // simdjson leaves the BOM to its caller
    }
    ondemand::parser parser;
    ondemand::document doc;
    ondemand::object root;
    simdjson::padded_string json(text);
    auto error = Open(parser, json, doc, root);
    if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || error == simdjson::UNCLOSED_STRING) {
      if (auto repair = Repaired(text)) {
        json = simdjson::padded_string(repair->text);
        if (Open(parser, json, doc, root) == simdjson::SUCCESS) {
          ReadRoot(root);
          const std::string n = std::to_string(thread_.messages.size());
          file_.problems.push_back(
              {repair->in_messages ? "messages[" + n + "]" : std::string("file"),
               "the JSON breaks off here; the " + n + " messages before it are read"});
          return std::move(thread_);
        }
      }
    }
    if (error != simdjson::SUCCESS) {
      // simdjson's own words name the fault (an unclosed string, bad
      // UTF-8), never the text.
      Damaged("file", std::string("is not a JSON object: ") + simdjson::error_message(error));
      return std::move(thread_);
    }
    ReadRoot(root);
    return std::move(thread_);
  }

 private:
  static simdjson::error_code Open(ondemand::parser& parser, const simdjson::padded_string& json,
                                   ondemand::document& doc, ondemand::object& root) {
    auto error = parser.iterate(json).get(doc);
    return error != simdjson::SUCCESS ? error : doc.get_object().get(root);
  }

  void ReadRoot(ondemand::object& root) {
    for (auto field : root) {
      std::string_view key;
      ondemand::value value;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
          field.value().get(value) != simdjson::SUCCESS) {
        Damaged("file", Broken());
        break;
      }
      if (key == "participants") {
        ReadParticipants(value);
      } else if (key == "messages") {
        ReadMessages(value);
      } else if (key == "thread_type") {
        std::string_view s;
        if (Is(value, ondemand::json_type::string) &&
            value.get_string().get(s) == simdjson::SUCCESS) {
          thread_.thread_type = std::string(s);
        }
      }
      if (stopped_) {
        break;
      }
    }
  }

  std::string Broken() const {
    return "the JSON breaks off or is damaged here; the " +
           std::to_string(thread_.messages.size()) + " messages before it are read";
  }

  void Damaged(const std::string& where, const std::string& message) {
    file_.problems.push_back({where, message});
    stopped_ = true;
  }

  // Whether `value` is of `type` (false when simdjson cannot tell).
  bool Is(ondemand::value& value, ondemand::json_type type) {
    ondemand::json_type t{};
    if (value.type().get(t) != simdjson::SUCCESS) {
      return false;
    }
    return t == type;
  }

  void ReadParticipants(ondemand::value& value) {
    ondemand::array array;
    if (!Is(value, ondemand::json_type::array) ||
        value.get_array().get(array) != simdjson::SUCCESS) {
      file_.problems.push_back({"participants", "is not an array"});
      return;
    }
    thread_.has_participants = true;
    for (auto item : array) {
      ondemand::object person;
      if (item.get_object().get(person) != simdjson::SUCCESS) {
        return Damaged("participants", "an entry is not an object with a name");
      }
      std::string_view name;
      ondemand::value v;
      const auto error = person.find_field_unordered("name").get(v);
      if (error == simdjson::SUCCESS && Is(v, ondemand::json_type::string) &&
          v.get_string().get(name) == simdjson::SUCCESS) {
        thread_.participants.push_back(RedecodeMojibake(name));
      } else if (error != simdjson::SUCCESS && error != simdjson::NO_SUCH_FIELD) {
        return Damaged("participants", "the JSON breaks off or is damaged here");
      }
    }
  }

  void ReadMessages(ondemand::value& value) {
    ondemand::array array;
    if (!Is(value, ondemand::json_type::array) ||
        value.get_array().get(array) != simdjson::SUCCESS) {
      return Damaged("messages", "is not an array");
    }
    std::size_t index = 0;
    for (auto item : array) {
      Message m;
      m.index = index++;
      ondemand::object object;
      const auto error = item.get_object().get(object);
      if (error == simdjson::INCORRECT_TYPE) {
        m.bad = "is not an object";
      } else if (error != simdjson::SUCCESS || !ReadMessage(object, m)) {
        return Damaged("messages[" + std::to_string(m.index) + "]", Broken());
      }
      ++file_.records;
      thread_.messages.push_back(std::move(m));
    }
  }

  // False when the JSON is damaged inside the message.
  bool ReadMessage(ondemand::object& object, Message& m) {
    for (auto field : object) {
      std::string_view key;
      ondemand::value v;
      ondemand::json_type t{};
      if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
          field.value().get(v) != simdjson::SUCCESS || v.type().get(t) != simdjson::SUCCESS) {
        return false;
      }
      const auto wrong = [&](const char* what) { m.bad = std::string(key) + " is not " + what; };
      std::string_view s;
      double d = 0;
      bool b = false;
      if (key == "sender_name") {
        if (t != ondemand::json_type::string || v.get_string().get(s) != simdjson::SUCCESS) {
          wrong("a string");
        } else {
          m.sender = RedecodeMojibake(s);
        }
      } else if (key == "timestamp_ms") {
        // A double reads both 1415147732056 and 1.415147732056e12 exactly.
        if (t != ondemand::json_type::number || v.get_double().get(d) != simdjson::SUCCESS ||
            !std::isfinite(d)) {
          wrong("a number");
        } else if (d > 0 && d < 1e15) {
          m.ms = static_cast<std::int64_t>(d);
        }
      } else if (key == "type") {
        if (t != ondemand::json_type::string || v.get_string().get(s) != simdjson::SUCCESS) {
          wrong("a string");
        } else {
          m.type = std::string(s);
        }
      } else if (key == "call_duration") {
        if (t != ondemand::json_type::number || v.get_double().get(d) != simdjson::SUCCESS) {
          wrong("a number");
        } else {
          m.call_duration = d;
        }
      } else if (key == "is_unsent") {
        m.unsent =
            t == ondemand::json_type::boolean && v.get_bool().get(b) == simdjson::SUCCESS && b;
      }
    }
    return true;
  }

  InteractionFile& file_;
  Thread thread_;
  bool stopped_ = false;
};

// Turns a Thread's messages into interactions.
class Mapper {
 public:
  Mapper(InteractionFile& file, const ChatOptions& options, const EmitInteraction& emit)
      : file_(file), options_(options), emit_(emit) {}

  void Run(const Thread& thread) {
    if (!thread.has_participants) {
      file_.problems.push_back({"participants", "missing: nothing imported"});
      return;
    }
    if (options_.me.empty()) {
      file_.problems.push_back(
          {"participants",
           "cannot tell which one is you: pass --me NAME or set [me] names; nothing imported"});
      return;
    }
    std::vector<std::string> keys;
    std::vector<std::string> others;
    bool me_in = false;
    for (const auto& p : thread.participants) {
      keys.push_back(CleanName(p));
      if (IsMe(options_, p)) {
        me_in = true;
      } else if (std::find(others.begin(), others.end(), p) == others.end()) {
        others.push_back(p);
      }
    }
    std::sort(keys.begin(), keys.end());
    std::string joined;
    for (const auto& k : keys) {
      joined += k + '\n';
    }
    thread_hash_ = Hex(core::StableHash(joined));
    const std::string_view type = thread.thread_type;
    group_ = thread.participants.size() > 2 ||
             (type.size() >= 5 && type.substr(type.size() - 5) == "Group");
    if (!group_ && !me_in) {
      file_.problems.push_back(
          {"participants", "none is you (--me, [me] names): nothing imported"});
      return;
    }
    std::string whole_skip;
    if (!group_) {
      if (others.empty()) {
        whole_skip = "chat with yourself";
      } else if (IsDeletedAccount(others.front())) {
        whole_skip = "deleted account";
      } else {
        other_ = others.front();
        contact_ = options_.contact;
        if (contact_.empty()) {
          contact_ = Identifier(other_);
          if (contact_.empty()) {
            whole_skip = "unusable name";
          } else {
            file_.names.emplace(contact_, other_);
          }
        }
      }
    }
    for (const Message& m : thread.messages) {
      if (stopped_) {
        return;
      }
      if (!whole_skip.empty()) {
        Skip(whole_skip);
      } else {
        Map(m);
      }
    }
  }

 private:
  void Skip(const std::string& reason) { ++file_.skipped[reason]; }

  // "messenger:<name>", or "" when the name makes no identifier.
  std::string Identifier(const std::string& name) const {
    std::string id = NameIdentifier("messenger", name);
    if (id.empty() || !core::NormalizeIdentifier(id, options_.phone).ok()) {
      return {};
    }
    return id;
  }

  void Map(const Message& m) {
    const std::string where = "messages[" + std::to_string(m.index) + "]";
    if (!m.bad.empty()) {
      file_.problems.push_back({where, m.bad + "; the message is not imported"});
      return;
    }
    if (group_ && !options_.groups) {
      return Skip("group chat");
    }
    if (m.unsent) {
      return Skip("unsent message");
    }
    const bool call = m.type == "Call";
    if (m.type == "Subscribe" || m.type == "Unsubscribe") {
      return Skip("system message");
    }
    if (!call && !m.type.empty() && m.type != "Generic" && m.type != "Share") {
      return Skip("other message type");
    }
    if (!m.ms) {
      return Skip("no timestamp");
    }
    if (m.sender.empty()) {
      return Skip("no sender");
    }
    const bool mine = IsMe(options_, m.sender);
    v1::Interaction in;
    in.set_event_id("messenger:" + thread_hash_ + ":" + std::to_string(*m.ms) + ":" +
                    Hex(core::StableHash(CleanName(m.sender))) + (call ? ":c" : ":m"));
    in.mutable_occurred_at()->set_seconds(*m.ms / 1000);
    in.mutable_occurred_at()->set_nanos(static_cast<std::int32_t>(*m.ms % 1000) * 1000000);
    in.set_source(kSource);
    if (group_) {
      if (mine) {
        return Skip("your group message");
      }
      if (IsDeletedAccount(m.sender)) {
        return Skip("deleted account");
      }
      const std::string id = Identifier(m.sender);
      if (id.empty()) {
        return Skip("unusable name");
      }
      file_.names.emplace(id, m.sender);
      in.add_contacts(id);
      in.set_channel(v1::SOCIAL);
      in.set_direction(v1::INBOUND);
      return Emit(std::move(in));
    }
    if (!mine && CleanName(m.sender) != CleanName(other_)) {
      return Skip("sender not in the chat");
    }
    in.add_contacts(contact_);
    in.set_channel(call ? v1::CALL : v1::MESSAGE);
    in.set_direction(mine ? v1::OUTBOUND : v1::INBOUND);
    // A call that rang and was not picked up (or was cancelled) is logged
    // with its duration 0.
    in.set_missed(call && m.call_duration.value_or(0) <= 0);
    Emit(std::move(in));
  }

  void Emit(v1::Interaction in) {
    ++file_.interactions;
    if (!emit_(std::move(in))) {
      stopped_ = true;
    }
  }

  InteractionFile& file_;
  const ChatOptions& options_;
  const EmitInteraction& emit_;
  std::string thread_hash_;
  bool group_ = false;
  std::string other_;
  std::string contact_;
  bool stopped_ = false;
};

}  // namespace

// No library undoes this: it is not a charset conversion but UTF-8 that was
// once read as Latin-1 and escaped again. simdjson checks the result.
std::string RedecodeMojibake(std::string_view s) {
  std::string bytes;
  bytes.reserve(s.size());
  bool changed = false;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      bytes += s[i];
      ++i;
      continue;
    }
    // U+0080..U+00FF are the two-byte sequences C2 80..C3 BF.
    if ((b == 0xC2 || b == 0xC3) && i + 1 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      bytes += static_cast<char>(((b & 0x03) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F));
      changed = true;
      i += 2;
      continue;
    }
    return std::string(s);  // above U+00FF: real text, not mojibake
  }
  if (!changed || !simdjson::validate_utf8(bytes)) {
    return std::string(s);
  }
  return bytes;
}

MessengerFile ParseMessengerText(std::string_view text, const ChatOptions& options,
                                 const EmitInteraction& emit) {
  MessengerFile file;
  if (text.size() > kMaxFileBytes) {
    file.problems.push_back({"file", "larger than 256 MiB: not a DYI message_N.json"});
    return file;
  }
  const Thread thread = JsonReader(file).Read(text);
  Mapper(file, options, emit).Run(thread);
  return file;
}

MessengerFile ParseMessengerFile(const std::string& path, const ChatOptions& options,
                                 const EmitInteraction& emit) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  char buf[65536];
  while (in && text.size() <= kMaxFileBytes) {
    in.read(buf, sizeof buf);
    text.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (!in.eof()) {
    MessengerFile file;
    file.problems.push_back({"file", text.size() > kMaxFileBytes
                                         ? "larger than 256 MiB: not a DYI message_N.json"
                                         : "cannot be opened for reading"});
    return file;
  }
  return ParseMessengerText(text, options, emit);
}

}  // namespace warmth::import
