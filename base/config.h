#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "daemon/core/options.h"

namespace warmth::base {

// [notify]: the desktop notifier.
struct NotifyConfig {
  core::Duration snooze = 3 * core::kDay;  // the Snooze action's period
};

// One place [push] sends nudges to: a [push.<kind>] table, or each table of
// a [[push.<kind>]] array. Relative paths are relative to the config file's
// directory.
struct PushTarget {
  std::string kind;  // "ntfy", "gotify", "matrix" or "webhook"
  // Unique among targets; names the file of delivered ids. Default: the
  // kind, then "<kind>-2", "<kind>-3" for further tables of the same kind.
  std::string name;
  // ntfy: the topic URL; gotify: the server's URL; matrix: the homeserver's
  // URL; webhook: the URL POSTed to. Required.
  std::string url;
  std::string room;        // matrix: the room id ("!abc:example.org"); required there
  std::string token_file;  // the secret (mode 0600); required for gotify and matrix
  std::string click;       // ntfy: the Click URL; empty: none
};

// [push]: warmth-push. Nothing is sent without a target.
struct PushConfig {
  std::vector<PushTarget> targets;
  // A failed push waits retry_first, then twice as long each time, up to
  // retry_max.
  core::Duration retry_first = std::chrono::seconds(1);
  core::Duration retry_max = 5 * core::kMinute;
  // A nudge a target refuses outright (4xx other than 429) is given up on
  // after this many tries.
  int give_up_after = 5;
  core::Duration timeout = std::chrono::seconds(30);  // per HTTP request
};

// [mail]: warmth-mail.
struct MailConfig {
  // Mailing-list addresses (lower case), besides those warmth-mail learns
  // from List-Post and List-Id: never a contact.
  std::vector<std::string> lists;
};

// [curve]: warmthd's CURVE keys. A tcp:// endpoint refuses to start without
// them. Relative paths are relative to the config file's directory.
struct CurveConfig {
  // The server's secret key file (warmctl keygen). Empty: under systemd the
  // credential server.key ($CREDENTIALS_DIRECTORY), else none.
  std::string secret_key;
  // Client public keys with their roles (AuthorizedKeys in daemon/app/access.h);
  // re-read on SIGHUP.
  std::string authorized_keys;
};

// [client]: how warmctl, warmth-mail and warmth-notify reach a daemon over
// tcp:// (client::ClientSocketSetup). Relative paths as in [curve].
struct ClientKeysConfig {
  std::string server_key;  // the daemon's public key: a file, or the 40 characters
  std::string secret_key;  // this client's secret key file (warmctl keygen)
};

// warmth.toml, every key optional. The daemon and every client read the same
// file; each takes the sections it needs.
struct Config {
  std::string timezone;                   // IANA name; empty: the system's
  std::string api_endpoint;               // [api] endpoint; empty: DefaultApiEndpoint()
  std::string publish_endpoint;           // [api] publish; empty: DefaultPublishEndpoint()
  core::EngineOptions engine;             // [model], [delivery], [rules]
  std::vector<std::string> me_addresses;  // [me] addresses
  // [me] names: how you appear as a sender in chat exports (WhatsApp,
  // Messenger), which name only people, never addresses.
  std::vector<std::string> me_names;
  std::string me_city;  // [me] city
  // [me] region: ISO 3166-1 alpha-2 in upper case ("DE"); phone numbers
  // written the national way are read as dialled there. Empty: only
  // numbers with "+" and a country code are usable.
  std::string me_region;
  NotifyConfig notify;
  MailConfig mail;
  PushConfig push;
  CurveConfig curve;
  ClientKeysConfig client;
  std::string source;  // the file it came from; empty: built-in defaults

  std::string ApiEndpoint() const;
  std::string PublishEndpoint() const;
};

// A bad config: `key` is the dotted name ("model.threshold"), what() says
// what is wrong with it. The daemon refuses to start (exit 78).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, const std::string& message)
      : std::runtime_error(key.empty() ? message : key + ": " + message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// Parses TOML text. Throws ConfigError on a syntax error, an unknown key, a
// value of the wrong type or out of range; a typo must not silently change
// behaviour.
Config ParseConfig(std::string_view text, const std::string& source = "warmth.toml");

// Every key ParseConfig knows, dotted ("model.threshold"), with its kind:
// string, number, integer, boolean, duration, strings (an array of
// strings) or table. cadence.tags is a table of any keys (tag = duration).
// warmthd --config-keys prints them: the manual's and the example's test.
std::map<std::string, std::string> ConfigKeys();

// Reads `path`. A missing file is an error when `required` (the user named
// it) and gives the built-in defaults otherwise.
Config LoadConfig(const std::string& path, bool required);

// The file the user named with --config (`path`, required), or when `path`
// is empty the default ConfigFile() (optional). Throws as LoadConfig.
Config LoadConfigOrDefault(const std::string& path);

// The zone for `name` ("" = the system's, falling back to UTC). Throws
// ConfigError("timezone", …) for an unknown name.
const date::time_zone* ResolveTimeZone(const std::string& name);

}  // namespace warmth::base
