// Fuzz target: a replay timeline (TimelineEntry JSON lines) through
// `warmthd replay`'s parser and simulation. Bad lines must give exit code 2
// and a message; nothing may crash or throw.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "daemon/app/config.h"
#include "daemon/app/replay.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  static const app::Config config = app::ParseConfig("timezone = \"UTC\"\n", "fuzz");
  std::istringstream timeline(std::string(reinterpret_cast<const char*>(data), size));
  std::ostringstream out;
  std::ostringstream err;
  const int code = app::Replay(config, timeline, "fuzz", {}, out, err);
  if ((code != 0 && code != 2) || (code == 2 && err.str().empty())) {
    __builtin_trap();
  }
  return 0;
}
