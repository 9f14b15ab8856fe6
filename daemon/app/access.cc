#include "daemon/app/access.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <spdlog/spdlog.h>

namespace warmth::app {
namespace {

using core::Status;

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  std::string w;
  while (in >> w) {
    words.push_back(w);
  }
  return words;
}

bool IsLabel(const std::string& s) {
  if (s.empty() || s.size() > 64) {
    return false;
  }
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '@';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// Enough of a key to recognise it in a log, not enough to be it.
std::string KeyPrefix(const std::string& key) {
  return key.empty() ? std::string("(none)") : key.substr(0, 8) + "…";
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kNotify:
      return "notify";
    case Role::kIngest:
      return "ingest";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const Role r : {Role::kAdmin, Role::kNotify, Role::kIngest}) {
    if (name == RoleName(r)) {
      return r;
    }
  }
  return std::nullopt;
}

bool MaySubscribe(Role role) {
  return role == Role::kAdmin || role == Role::kNotify;
}

core::Result<AuthorizedKeys> AuthorizedKeys::Parse(std::string_view text,
                                                   const std::string& source) {
  AuthorizedKeys keys;
  std::vector<std::string> errors;
  std::map<std::string, int> label_lines;
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::vector<std::string> words = Words(line);
    if (words.empty() || words[0][0] == '#') {
      continue;
    }
    const std::string where = source + ":" + std::to_string(number) + ": ";
    if (!transport::IsZ85Key(words[0])) {
      errors.push_back(where + "expected a 40-character Z85 public key first");
      continue;
    }
    if (words.size() < 2) {
      errors.push_back(where + "missing the role (ingest, notify or admin) after the key");
      continue;
    }
    const auto role = ParseRole(words[1]);
    if (!role) {
      errors.push_back(where + "unknown role \"" + words[1] +
                       "\" (expected ingest, notify or admin)");
      continue;
    }
    if (words.size() < 3) {
      errors.push_back(where + "missing the label (one word naming the client) after the role");
      continue;
    }
    if (words.size() > 3) {
      errors.push_back(where + "expected KEY ROLE LABEL; the label is one word");
      continue;
    }
    if (!IsLabel(words[2])) {
      errors.push_back(where + "label: letters, digits and - _ . @ only, at most 64");
      continue;
    }
    if (const auto it = keys.by_key_.find(words[0]); it != keys.by_key_.end()) {
      errors.push_back(where + "this key is already on line " +
                       std::to_string(keys.entries_[it->second].line));
      continue;
    }
    if (const auto it = label_lines.find(words[2]); it != label_lines.end()) {
      errors.push_back(where + "label \"" + words[2] + "\" is already used on line " +
                       std::to_string(it->second));
      continue;
    }
    label_lines[words[2]] = number;
    keys.by_key_[words[0]] = keys.entries_.size();
    keys.entries_.push_back(AuthorizedKey{words[0], *role, words[2], number});
  }
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) {
      message += (message.empty() ? "" : "\n") + e;
    }
    return Status::InvalidArgument(message);
  }
  return keys;
}

core::Result<AuthorizedKeys> AuthorizedKeys::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Status::NotFound(path + ": no such file");
    }
    return Status::PermissionDenied(path + ": cannot read it");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

const AuthorizedKey* AuthorizedKeys::Find(std::string_view public_key) const {
  const auto it = by_key_.find(std::string(public_key));
  return it == by_key_.end() ? nullptr : &entries_[it->second];
}

std::string AuthorizedKeys::Summary() const {
  int counts[3] = {0, 0, 0};
  for (const auto& e : entries_) {
    ++counts[static_cast<int>(e.role)];
  }
  std::ostringstream s;
  s << entries_.size() << (entries_.size() == 1 ? " key" : " keys") << " ("
    << counts[static_cast<int>(Role::kAdmin)] << " admin, "
    << counts[static_cast<int>(Role::kNotify)] << " notify, "
    << counts[static_cast<int>(Role::kIngest)] << " ingest)";
  return s.str();
}

transport::ZapDecision Gatekeeper::Authorize(const transport::ZapRequest& request) {
  transport::ZapDecision decision;
  if (request.mechanism != "CURVE" || request.public_key.empty()) {
    decision.reason = "CURVE required";
    LogRefusal(request, "not a CURVE client (" + request.mechanism + ")");
    return decision;
  }
  const AuthorizedKey* key = keys_.Find(request.public_key);
  if (key == nullptr) {
    decision.reason = "unknown key";
    LogRefusal(request, "unknown key " + KeyPrefix(request.public_key));
    return decision;
  }
  if (request.domain == kNudgeDomain && !MaySubscribe(key->role)) {
    decision.reason = "not allowed to subscribe";
    LogRefusal(request, "key \"" + key->label + "\" (" + std::string(RoleName(key->role)) +
                            ") may not subscribe to nudges");
    return decision;
  }
  if (request.domain != kNudgeDomain && request.domain != kApiDomain) {
    decision.reason = "unknown domain";
    LogRefusal(request, "unknown ZAP domain");
    return decision;
  }
  spdlog::debug("{} connection from {}: key \"{}\" ({})", request.domain,
                request.address.empty() ? "?" : request.address, key->label, RoleName(key->role));
  decision.allow = true;
  decision.user_id = key->public_key;
  return decision;
}

void Gatekeeper::LogRefusal(const transport::ZapRequest& request, const std::string& why) {
  LogRefused(request.domain == kNudgeDomain ? "the nudge socket" : "the API socket",
             request.address.empty() ? "an unknown address" : request.address, why);
}

void Gatekeeper::LogHandshakeFailure(const std::string& socket_name,
                                     const transport::HandshakeFailure& failure) {
  std::string peer = failure.peer;
  if (peer.rfind("tcp://", 0) == 0) {
    peer.erase(0, 6);
  }
  LogRefused(socket_name, peer.empty() ? "an unknown address" : peer, failure.what);
}

void Gatekeeper::LogRefused(const std::string& socket_name, const std::string& peer,
                            const std::string& why) {
  if (!refusals_.Allow(std::chrono::steady_clock::now().time_since_epoch())) {
    return;
  }
  spdlog::warn("refused a connection to {} from {}: {}", socket_name, peer, why);
}

std::optional<Role> Gatekeeper::RoleOf(const std::string& user_id) const {
  const AuthorizedKey* key = keys_.Find(user_id);
  if (key == nullptr) {
    return std::nullopt;
  }
  return key->role;
}

std::string Gatekeeper::LabelOf(const std::string& user_id) const {
  const AuthorizedKey* key = keys_.Find(user_id);
  return key == nullptr ? std::string() : key->label;
}

core::Status Gatekeeper::Reload() {
  auto keys = AuthorizedKeys::Load(keys_path_);
  if (!keys.ok()) {
    return keys.status();
  }
  keys_ = std::move(keys).value();
  return Status::Ok();
}

std::string ServerSecretKeyPath(const base::CurveConfig& curve) {
  if (!curve.secret_key.empty()) {
    return curve.secret_key;
  }
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (credentials != nullptr && *credentials != '\0') {
    std::string path = std::string(credentials) + "/server.key";
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      return path;
    }
  }
  return {};
}

}  // namespace warmth::app
