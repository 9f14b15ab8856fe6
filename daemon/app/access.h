#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/config.h"
#include "daemon/app/rate_limited_log.h"
#include "daemon/app/service.h"
#include "daemon/core/status.h"
#include "daemon/transport/curve.h"

namespace warmth::app {

// ZAP domains: the API socket admits every authorized key (each request is
// then checked against its role); the nudge socket only keys that may
// subscribe.
inline constexpr const char* kApiDomain = "warmth-api";
inline constexpr const char* kNudgeDomain = "warmth-nudges";

// "admin", "notify", "ingest".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// Whether `role` may subscribe to nudges (notify and admin).
bool MaySubscribe(Role role);

// One line of the authorized-keys file.
struct AuthorizedKey {
  std::string public_key;  // Z85
  Role role = Role::kIngest;
  std::string label;  // names the client in logs
  int line = 0;
};

// The authorized-keys file: one client per line, `KEY ROLE LABEL`:
//
//   # role ingest: the mail server's hook
//   RE#X<&/3KAjPc+QPDUm%Dj9$b17SNk%dSucSmgP+  ingest  mail-hook
//
// KEY is the client's 40-character Z85 public key, ROLE one of ingest,
// notify, admin, LABEL one word naming the client. Blank lines and lines
// starting with '#' are skipped (no key starts with '#'). Immutable.
class AuthorizedKeys {
 public:
  AuthorizedKeys() = default;

  // Parses the file's text. kInvalidArgument listing every bad line as
  // "SOURCE:LINE: what is wrong" (one per line of the message): a key that
  // is not 40 Z85 characters, an unknown role, a missing label, extra words,
  // a key or a label given twice.
  static core::Result<AuthorizedKeys> Parse(std::string_view text, const std::string& source);
  // Reads and parses `path`; kNotFound or kPermissionDenied when unreadable.
  static core::Result<AuthorizedKeys> Load(const std::string& path);

  // The entry for a Z85 public key, or null.
  const AuthorizedKey* Find(std::string_view public_key) const;
  const std::vector<AuthorizedKey>& entries() const { return entries_; }
  // "3 keys (1 admin, 1 notify, 1 ingest)".
  std::string Summary() const;

 private:
  std::vector<AuthorizedKey> entries_;
  std::unordered_map<std::string, std::size_t> by_key_;
};

// The server side of CURVE: the authorized keys, the decisions for the ZAP
// handler, and the role behind each request. Logs
// refused connections with the peer address, at most kRefusalsLogged per
// minute. Loop thread only.
class Gatekeeper {
 public:
  static constexpr int kRefusalsLogged = 10;

  Gatekeeper(std::string keys_path, AuthorizedKeys keys)
      : keys_path_(std::move(keys_path)), keys_(std::move(keys)) {}

  // The ZAP decision: CURVE only; an authorized key on kApiDomain, one whose
  // role may subscribe on kNudgeDomain. The User-Id of an admitted
  // connection is its public key, so that each request's role is looked up
  // in the keys current at that moment (see RoleOf).
  transport::ZapDecision Authorize(const transport::ZapRequest& request);

  // The role of the connection whose ZAP User-Id is `user_id`, from the keys
  // loaded now; nullopt when the key is no longer authorized.
  std::optional<Role> RoleOf(const std::string& user_id) const;
  // The label for logs ("" for an unknown key).
  std::string LabelOf(const std::string& user_id) const;

  // Re-reads the keys file. On any error the keys in force stay, and the
  // Status lists the bad lines. Connections already admitted stay open.
  core::Status Reload();

  const AuthorizedKeys& keys() const { return keys_; }
  const std::string& keys_path() const { return keys_path_; }

  // Logs a connection that failed before ZAP (HandshakeMonitor), under the
  // same per-minute limit as the ZAP refusals.
  void LogHandshakeFailure(const std::string& socket_name,
                           const transport::HandshakeFailure& failure);

 private:
  void LogRefusal(const transport::ZapRequest& request, const std::string& why);
  void LogRefused(const std::string& socket_name, const std::string& peer, const std::string& why);

  std::string keys_path_;
  AuthorizedKeys keys_;
  // A refused client reconnects every few hundred milliseconds, forever: a
  // handful of lines a minute say enough.
  RateLimitedLog refusals_{kRefusalsLogged, std::chrono::minutes(1),
                           "refused connections in the last minute"};
};

// The server's key pair file: `curve.secret_key`, or under systemd the
// credential `server.key` ($CREDENTIALS_DIRECTORY/server.key, from the
// unit's LoadCredential=); "" when neither is there.
std::string ServerSecretKeyPath(const base::CurveConfig& curve);

}  // namespace warmth::app
