#include "base/paths.h"

#include <cstdlib>

#include <pwd.h>
#include <unistd.h>

namespace warmth::base {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string Home() {
  std::string home = Env("HOME");
  if (home.empty()) {
    if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr) {
      home = pw->pw_dir;
    }
  }
  return home.empty() ? "/tmp" : home;
}

// The first entry of a colon-separated systemd directory list.
std::string FirstOf(const std::string& list) {
  return list.substr(0, list.find(':'));
}

}  // namespace

std::string RuntimeDir() {
  if (const std::string d = Env("RUNTIME_DIRECTORY"); !d.empty()) {
    return FirstOf(d);
  }
  if (const std::string d = Env("XDG_RUNTIME_DIR"); !d.empty()) {
    return d + "/warmth";
  }
  return "/tmp/warmth-" + std::to_string(::getuid());
}

std::string DataDir() {
  if (const std::string d = Env("STATE_DIRECTORY"); !d.empty()) {
    return FirstOf(d);
  }
  if (const std::string d = Env("XDG_DATA_HOME"); !d.empty()) {
    return d + "/warmth";
  }
  return Home() + "/.local/share/warmth";
}

std::string ConfigFile() {
  if (const std::string d = Env("CONFIGURATION_DIRECTORY"); !d.empty()) {
    return FirstOf(d) + "/warmth.toml";
  }
  if (const std::string d = Env("XDG_CONFIG_HOME"); !d.empty()) {
    return d + "/warmth/warmth.toml";
  }
  return Home() + "/.config/warmth/warmth.toml";
}

std::string StateDir() {
  if (const std::string d = Env("XDG_STATE_HOME"); !d.empty()) {
    return d + "/warmth";
  }
  return Home() + "/.local/state/warmth";
}

std::string DefaultApiEndpoint() {
  return "ipc://" + RuntimeDir() + "/api";
}
std::string DefaultPublishEndpoint() {
  return "ipc://" + RuntimeDir() + "/nudges";
}

}  // namespace warmth::base
