#include "base/config.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "base/paths.h"
#include "base/phone.h"
#include "daemon/core/calendar.h"
#include "daemon/core/identifiers.h"

namespace warmth::base {
namespace {

// While ConfigKeys runs: every key read, with its kind. One thread.
thread_local std::map<std::string, std::string>* known_keys = nullptr;

// Reads one TOML table, remembering which keys were read, so that Finish can
// name any key nobody asked for.
class Section {
 public:
  Section(const toml::table* table, std::string prefix)
      : table_(table), prefix_(std::move(prefix)) {}

  std::string Name(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }

  const toml::node* Node(std::string_view key) {
    seen_.insert(std::string(key));
    return table_ == nullptr ? nullptr : table_->get(key);
  }

  std::optional<std::string> String(std::string_view key) {
    Record(key, "string");
    const toml::node* n = Node(key);
    if (n == nullptr) {
      return std::nullopt;
    }
    if (!n->is_string()) {
      throw ConfigError(Name(key), "expected a string");
    }
    return n->as_string()->get();
  }

  std::optional<double> Number(std::string_view key, double min, double max) {
    Record(key, "number");
    const toml::node* n = Node(key);
    if (n == nullptr) {
      return std::nullopt;
    }
    double v = 0;
    if (n->is_integer()) {
      v = static_cast<double>(n->as_integer()->get());
    } else if (n->is_floating_point()) {
      v = n->as_floating_point()->get();
    } else {
      throw ConfigError(Name(key), "expected a number");
    }
    if (!(v >= min && v <= max)) {
      std::ostringstream range;
      range << "must be between " << min << " and " << max;
      throw ConfigError(Name(key), range.str());
    }
    return v;
  }

  std::optional<int> Integer(std::string_view key, int min, int max) {
    Record(key, "integer");
    const toml::node* n = Node(key);
    if (n == nullptr) {
      return std::nullopt;
    }
    if (!n->is_integer()) {
      throw ConfigError(Name(key), "expected a whole number");
    }
    const auto v = n->as_integer()->get();
    if (v < min || v > max) {
      throw ConfigError(Name(key),
                        "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return static_cast<int>(v);
  }

  std::optional<bool> Bool(std::string_view key) {
    Record(key, "boolean");
    const toml::node* n = Node(key);
    if (n == nullptr) {
      return std::nullopt;
    }
    if (!n->is_boolean()) {
      throw ConfigError(Name(key), "expected true or false");
    }
    return n->as_boolean()->get();
  }

  std::optional<core::Duration> Duration(std::string_view key) {
    const auto s = String(key);
    Record(key, "duration");
    if (!s) {
      return std::nullopt;
    }
    auto d = core::ParseDuration(*s);
    if (!d.ok()) {
      throw ConfigError(Name(key), "expected a duration such as \"7d\", \"12h\" or \"90m\"");
    }
    return *d;
  }

  std::optional<std::vector<std::string>> Strings(std::string_view key) {
    Record(key, "strings");
    const toml::node* n = Node(key);
    if (n == nullptr) {
      return std::nullopt;
    }
    if (!n->is_array()) {
      throw ConfigError(Name(key), "expected an array of strings");
    }
    std::vector<std::string> out;
    for (const toml::node& item : *n->as_array()) {
      if (!item.is_string()) {
        throw ConfigError(Name(key), "expected an array of strings");
      }
      out.push_back(item.as_string()->get());
    }
    return out;
  }

  Section Sub(std::string_view key) {
    Record(key, "table");
    const toml::node* n = Node(key);
    if (n != nullptr && !n->is_table()) {
      throw ConfigError(Name(key), "expected a table");
    }
    return Section(n == nullptr ? nullptr : n->as_table(), Name(key));
  }

  // Throws for the first key that no one read.
  void Finish() const {
    if (table_ == nullptr) {
      return;
    }
    for (const auto& [key, value] : *table_) {
      if (!seen_.contains(std::string(key.str()))) {
        throw ConfigError(Name(key.str()), "unknown key");
      }
    }
  }

 private:
  void Record(std::string_view key, const char* kind) const {
    if (known_keys != nullptr) {
      (*known_keys)[Name(key)] = kind;
    }
  }

  const toml::table* table_;
  std::string prefix_;
  std::set<std::string> seen_;
};

void ReadModel(Section s, core::ModelOptions& m) {
  if (auto v = s.Number("threshold", 0.001, 99.999)) {
    m.threshold = *v;
  }
  if (auto v = s.Number("inbound_factor", 0, 1)) {
    m.inbound_factor = *v;
  }
  if (auto v = s.Number("family_factor", 0.1, 100)) {
    m.family_factor = *v;
  }
  Section half = s.Sub("half_life");
  const std::pair<const char*, core::Circle> circles[] = {
      {"inner", core::Circle::kInner},
      {"close", core::Circle::kClose},
      {"network", core::Circle::kNetwork},
      {"acquaintance", core::Circle::kAcquaintance},
      {"unsorted", core::Circle::kUnspecified}};
  for (const auto& [name, circle] : circles) {
    if (auto d = half.Duration(name)) {
      m.half_life[static_cast<int>(circle)] = *d;
    }
  }
  half.Finish();
  Section gain = s.Sub("gain");
  for (int c = 1; c < core::kChannelCount; ++c) {
    const auto channel = static_cast<core::Channel>(c);
    if (auto v = gain.Number(core::Name(channel), 0, 100)) {
      m.gain[static_cast<std::size_t>(c)] = *v;
    }
  }
  gain.Finish();
  s.Finish();
}

void ReadDelivery(Section s, core::DeliveryOptions& d) {
  if (auto q = s.String("quiet_hours")) {
    if (q->empty()) {
      d.quiet_hours.reset();
    } else {
      auto w = core::ParseLocalWindow(*q);
      if (!w.ok()) {
        throw ConfigError(s.Name("quiet_hours"), "expected \"HH:MM-HH:MM\" or \"\" for none");
      }
      d.quiet_hours = *w;
    }
  }
  if (auto v = s.Integer("max_per_day", 0, 1000)) {
    d.max_per_day = *v;
  }
  s.Finish();
}

void ReadCallBack(Section s, core::RuleOptions::CallBack& c) {
  if (auto v = s.Bool("enabled")) {
    c.enabled = *v;
  }
  if (auto v = s.Duration("after")) {
    c.after = *v;
  }
  if (auto v = s.Duration("within")) {
    c.within = *v;
  }
  s.Finish();
}

// [rules] rhythm and reciprocity: the rules that learn from a history.
void ReadGuards(Section& s, core::RuleOptions& r) {
  Section rhythm = s.Sub("rhythm");
  if (auto v = rhythm.Number("factor", 1, 100)) {
    r.rhythm.factor = *v;
  }
  if (auto v = rhythm.Integer("min_gaps", 1, 1000)) {
    r.rhythm.min_gaps = *v;
  }
  if (auto v = rhythm.Duration("min_silence")) {
    r.rhythm.min_silence = *v;
  }
  rhythm.Finish();
  Section reciprocity = s.Sub("reciprocity");
  if (auto v = reciprocity.Integer("unanswered", 0, 1000)) {
    r.reciprocity.unanswered = *v;
  }
  if (auto v = reciprocity.Duration("cooldown")) {
    r.reciprocity.cooldown = *v;
  }
  reciprocity.Finish();
}

void ReadRules(Section s, core::RuleOptions& r) {
  Section online = s.Sub("online_only");
  if (auto v = online.Integer("min_streak", 1, 10000)) {
    r.online_only.min_streak = *v;
  }
  if (auto v = online.Duration("active_within")) {
    r.online_only.active_within = *v;
  }
  if (auto v = online.Duration("no_live_for")) {
    r.online_only.no_live_for = *v;
  }
  online.Finish();
  Section follow = s.Sub("follow_up");
  if (auto v = follow.Duration("after")) {
    r.follow_up.after = *v;
  }
  if (auto v = follow.Strings("tags")) {
    r.follow_up.tags = *v;
  }
  if (auto v = follow.Duration("expire")) {
    r.follow_up.expire = *v;
  }
  if (auto v = follow.Bool("cold_outreach")) {
    r.follow_up.cold_outreach = *v;
  }
  follow.Finish();
  Section trip = s.Sub("trip");
  if (auto v = trip.Duration("lead")) {
    r.trip.lead = *v;
  }
  if (auto v = trip.Integer("max_contacts", 1, 100)) {
    r.trip.max_contacts = *v;
  }
  trip.Finish();
  Section weekend = s.Sub("weekend_call");
  if (auto v = weekend.Bool("enabled")) {
    r.weekend_call.enabled = *v;
  }
  if (auto v = weekend.String("at")) {
    auto w = core::ParseWeeklyTime(*v);
    if (!w.ok()) {
      throw ConfigError(weekend.Name("at"), "expected a day and a time such as \"Fri 15:00\"");
    }
    r.weekend_call.at = *w;
  }
  if (auto v = weekend.Duration("window")) {
    r.weekend_call.window = *v;
  }
  if (auto v = weekend.Duration("no_live_for")) {
    r.weekend_call.no_live_for = *v;
  }
  weekend.Finish();
  Section birthday = s.Sub("birthday");
  if (auto v = birthday.String("at")) {
    auto t = core::ParseTimeOfDay(*v);
    if (!t.ok()) {
      throw ConfigError(birthday.Name("at"), "expected a time such as \"09:00\"");
    }
    r.birthday.at = *t;
  }
  birthday.Finish();
  ReadCallBack(s.Sub("call_back"), r.call_back);
  ReadGuards(s, r);
  s.Finish();
}

// [cadence] tags = { mentor = "90d" }: keys lower-cased, as contacts' tags
// are compared.
void ReadCadence(Section s, core::CadenceOptions& c) {
  Section tags = s.Sub("tags");
  if (const toml::node* n = s.Node("tags"); n != nullptr) {
    for (const auto& [key, value] : *n->as_table()) {
      const std::string tag(key.str());
      const auto d = tags.Duration(tag);
      if (!d || *d < core::kDay) {
        throw ConfigError(tags.Name(tag), "expected a duration of at least a day, such as \"90d\"");
      }
      std::string lower = tag;
      for (char& ch : lower) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      c.tags[lower] = *d;
    }
  }
  tags.Finish();
  s.Finish();
}

// [mail] lists: e-mail addresses, lower-cased as the mail hook compares them.
std::vector<std::string> ReadMailLists(Section& s) {
  std::vector<std::string> out;
  const auto lists = s.Strings("lists");
  if (!lists) {
    return out;
  }
  for (std::size_t i = 0; i < lists->size(); ++i) {
    auto address = core::NormalizeIdentifier((*lists)[i], {});
    const auto at = address.ok() ? address->find('@') : std::string::npos;
    if (at == std::string::npos || at == 0 || at + 1 == address->size()) {
      throw ConfigError(s.Name("lists") + "[" + std::to_string(i) + "]",
                        "expected an e-mail address such as \"list@lists.example.com\"");
    }
    out.push_back(std::move(address).value());
  }
  return out;
}

void CheckEndpoint(const std::string& key, const std::string& endpoint) {
  for (const char* scheme : {"ipc://", "tcp://", "inproc://"}) {
    if (endpoint.rfind(scheme, 0) == 0 && endpoint.size() > std::string_view(scheme).size()) {
      return;
    }
  }
  throw ConfigError(key, "expected an ipc://PATH or tcp://HOST:PORT endpoint");
}

// A key file named in the config: relative to the config file's directory,
// so that a config and its keys can move together.
std::string KeyPath(const std::string& source, const std::string& value) {
  const std::filesystem::path p(value);
  if (p.is_absolute()) {
    return value;
  }
  const std::filesystem::path dir = std::filesystem::path(source).parent_path();
  return dir.empty() ? value : (dir / p).string();
}

std::optional<std::string> ReadKeyPath(Section& s, std::string_view key,
                                       const std::string& source) {
  auto v = s.String(key);
  if (!v) {
    return std::nullopt;
  }
  if (v->empty()) {
    throw ConfigError(s.Name(key), "expected a file name");
  }
  return KeyPath(source, *v);
}

// One [push.<kind>] table (or one entry of a [[push.<kind>]] array).
PushTarget ReadPushTarget(Section s, const std::string& kind, const std::string& source) {
  PushTarget t;
  t.kind = kind;
  if (auto v = s.String("name")) {
    if (v->empty() || v->size() > 64 ||
        v->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos) {
      throw ConfigError(s.Name("name"), "expected 1 to 64 of a-z, 0-9, - and _");
    }
    t.name = *v;
  }
  const bool is_matrix = kind == "matrix";
  const char* url_key = is_matrix ? "homeserver" : "url";
  if (auto v = s.String(url_key)) {
    t.url = *v;
  }
  if (t.url.rfind("https://", 0) != 0 && t.url.rfind("http://", 0) != 0) {
    throw ConfigError(s.Name(url_key), "required: an https:// URL");
  }
  if (is_matrix) {
    if (auto v = s.String("room")) {
      t.room = *v;
    }
    if (t.room.size() < 2 || (t.room[0] != '!' && t.room[0] != '#') ||
        t.room.find(':') == std::string::npos) {
      throw ConfigError(s.Name("room"), "required: a room id such as \"!abc:example.org\"");
    }
  }
  if (auto v = ReadKeyPath(s, "token_file", source)) {
    t.token_file = *v;
  } else if (kind == "gotify" || is_matrix) {
    throw ConfigError(s.Name("token_file"), "required: the file holding the token");
  }
  if (kind == "ntfy") {
    if (auto v = s.String("click")) {
      t.click = *v;
    }
  }
  s.Finish();
  return t;
}

PushConfig ReadPush(Section& s, const std::string& source) {
  PushConfig p;
  if (auto v = s.Duration("retry_first")) {
    p.retry_first = *v;
  }
  if (auto v = s.Duration("retry_max")) {
    p.retry_max = *v;
  }
  if (p.retry_first <= core::Duration::zero() || p.retry_max < p.retry_first) {
    throw ConfigError(s.Name("retry_max"), "must be at least retry_first, which must be positive");
  }
  if (auto v = s.Integer("give_up_after", 1, 1000)) {
    p.give_up_after = *v;
  }
  if (auto v = s.Duration("timeout")) {
    if (*v <= core::Duration::zero() || *v > 10 * core::kMinute) {
      throw ConfigError(s.Name("timeout"), "must be between 1s and 10m");
    }
    p.timeout = *v;
  }
  for (const char* kind : {"ntfy", "gotify", "matrix", "webhook"}) {
    const toml::node* n = s.Node(kind);
    if (n == nullptr) {
      continue;
    }
    std::vector<const toml::table*> tables;
    if (n->is_table()) {
      tables.push_back(n->as_table());
    } else if (n->is_array() && n->as_array()->is_array_of_tables()) {
      for (const toml::node& item : *n->as_array()) {
        tables.push_back(item.as_table());
      }
    } else {
      throw ConfigError(s.Name(kind), "expected a table ([push." + std::string(kind) +
                                          "]) or an array of tables ([[push." + kind + "]])");
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
      const std::string name =
          tables.size() == 1 ? s.Name(kind) : s.Name(kind) + "[" + std::to_string(i) + "]";
      PushTarget t = ReadPushTarget(Section(tables[i], name), kind, source);
      if (t.name.empty()) {
        t.name = i == 0 ? std::string(kind) : std::string(kind) + "-" + std::to_string(i + 1);
      }
      for (const PushTarget& other : p.targets) {
        if (other.name == t.name) {
          throw ConfigError(name + ".name", "\"" + t.name + "\" names two targets");
        }
      }
      p.targets.push_back(std::move(t));
    }
  }
  s.Finish();
  return p;
}

// [me] region: "DE" or "de", a region libphonenumber has a numbering plan
// for; "" for none.
std::string ReadRegion(const std::string& key, const std::string& value) {
  std::string region = value;
  for (char& c : region) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (!region.empty() && !IsPhoneRegion(region)) {
    throw ConfigError(key, "unknown region \"" + value +
                               "\" (expected an ISO 3166 alpha-2 code such as \"DE\" or \"US\")");
  }
  return region;
}

}  // namespace

std::string Config::ApiEndpoint() const {
  return api_endpoint.empty() ? DefaultApiEndpoint() : api_endpoint;
}

std::string Config::PublishEndpoint() const {
  return publish_endpoint.empty() ? DefaultPublishEndpoint() : publish_endpoint;
}

Config ParseConfig(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    throw ConfigError("", msg.str());
  }
  Config c;
  c.source = source;
  Section top(&root, "");
  if (auto tz = top.String("timezone")) {
    c.timezone = *tz;
    ResolveTimeZone(c.timezone);
  }
  Section api = top.Sub("api");
  if (auto e = api.String("endpoint")) {
    CheckEndpoint("api.endpoint", *e);
    c.api_endpoint = *e;
  }
  if (auto e = api.String("publish")) {
    CheckEndpoint("api.publish", *e);
    c.publish_endpoint = *e;
  }
  api.Finish();
  ReadModel(top.Sub("model"), c.engine.model);
  ReadDelivery(top.Sub("delivery"), c.engine.delivery);
  ReadRules(top.Sub("rules"), c.engine.rules);
  ReadCadence(top.Sub("cadence"), c.engine.cadence);
  Section me = top.Sub("me");
  if (auto v = me.Strings("addresses")) {
    c.me_addresses = *v;
  }
  if (auto v = me.Strings("names")) {
    c.me_names = *v;
  }
  if (auto v = me.String("city")) {
    c.me_city = *v;
  }
  if (auto v = me.String("region")) {
    c.me_region = ReadRegion(me.Name("region"), *v);
  }
  me.Finish();
  Section mail = top.Sub("mail");
  c.mail.lists = ReadMailLists(mail);
  mail.Finish();
  Section notify = top.Sub("notify");
  if (auto v = notify.Duration("snooze")) {
    c.notify.snooze = *v;
  }
  notify.Finish();
  Section push = top.Sub("push");
  c.push = ReadPush(push, source);
  Section curve = top.Sub("curve");
  if (auto v = ReadKeyPath(curve, "secret_key", source)) {
    c.curve.secret_key = *v;
  }
  if (auto v = ReadKeyPath(curve, "authorized_keys", source)) {
    c.curve.authorized_keys = *v;
  }
  curve.Finish();
  Section client = top.Sub("client");
  if (auto v = client.String("server_key")) {
    if (v->empty()) {
      throw ConfigError(client.Name("server_key"), "expected a file name or a 40-character key");
    }
    // A file next to the config, or else the key itself.
    const std::string path = KeyPath(source, *v);
    std::error_code ec;
    c.client.server_key = v->size() == 40 && !std::filesystem::exists(path, ec) ? *v : path;
  }
  if (auto v = ReadKeyPath(client, "secret_key", source)) {
    c.client.secret_key = *v;
  }
  client.Finish();
  top.Finish();
  return c;
}

std::map<std::string, std::string> ConfigKeys() {
  std::map<std::string, std::string> keys;
  known_keys = &keys;
  // Every reader asks for each of its keys whether or not the text has it.
  (void)ParseConfig("");
  known_keys = nullptr;
  return keys;
}

Config LoadConfig(const std::string& path, bool required) {
  std::ifstream in(path);
  if (!in) {
    if (!required && !std::filesystem::exists(path)) {
      return Config{};
    }
    throw ConfigError("", "cannot read config file " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

Config LoadConfigOrDefault(const std::string& path) {
  return path.empty() ? LoadConfig(ConfigFile(), false) : LoadConfig(path, true);
}

const date::time_zone* ResolveTimeZone(const std::string& name) {
  try {
    if (name.empty()) {
      try {
        return date::current_zone();
      } catch (const std::exception&) {
        return date::locate_zone("UTC");
      }
    }
    return date::locate_zone(name);
  } catch (const std::exception&) {
    throw ConfigError("timezone", "unknown time zone \"" + name + "\" (expected an IANA name)");
  }
}

}  // namespace warmth::base
