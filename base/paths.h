#pragma once

#include <string>

namespace warmth::base {

// XDG base directories (and their systemd service equivalents), with the
// fallbacks the spec gives when a variable is unset or empty.
//  runtime: $RUNTIME_DIRECTORY, $XDG_RUNTIME_DIR/warmth, else /tmp/warmth-<uid>
//  data:    $STATE_DIRECTORY, $XDG_DATA_HOME/warmth, else ~/.local/share/warmth
//  config:  $CONFIGURATION_DIRECTORY/warmth.toml, $XDG_CONFIG_HOME/warmth/warmth.toml,
//           else ~/.config/warmth/warmth.toml
//  state:   $XDG_STATE_HOME/warmth, else ~/.local/state/warmth (client state)
std::string RuntimeDir();
std::string DataDir();
std::string ConfigFile();
std::string StateDir();

std::string DefaultApiEndpoint();      // ipc://<runtime>/api
std::string DefaultPublishEndpoint();  // ipc://<runtime>/nudges

}  // namespace warmth::base
