// Fuzz target: warmth.toml text through ParseConfig. A bad file must give a
// ConfigError naming the key; any other exception or a crash is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)warmth::base::ParseConfig(std::string_view(reinterpret_cast<const char*>(data), size),
                                    "fuzz.toml");
  } catch (const warmth::base::ConfigError& e) {
    if (std::string_view(e.what()).empty()) {
      __builtin_trap();
    }
  }
  return 0;
}
