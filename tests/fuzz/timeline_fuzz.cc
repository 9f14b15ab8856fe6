// Fuzz target: a replay timeline (TimelineEntry JSON lines) through
// `warmthd replay`'s parser and simulation. Bad lines must give exit code 2
// and a message; nothing may crash or throw.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include "base/config.h"
#include "daemon/app/replay.h"
#include "warmth/v1/warmth.pb.h"

namespace {

// Replay walks every weekly and yearly occasion between the first and the
// last entry, so a timeline from 1970 to 9999 runs for minutes: slow, not
// wrong. The fuzzer skips timelines spanning more than this to stay fast.
constexpr std::int64_t kMaxSpanSeconds = 3LL * 366 * 86400;

bool SpansTooLong(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::int64_t first = 0;
  std::int64_t last = 0;
  bool any = false;
  warmth::v1::TimelineEntry entry;
  while (std::getline(lines, line)) {
    entry.Clear();
    if (!google::protobuf::util::JsonStringToMessage(line, &entry).ok() || !entry.has_at()) {
      continue;
    }
    const std::int64_t at = entry.at().seconds();
    first = any ? std::min(first, at) : at;
    last = any ? std::max(last, at) : at;
    any = true;
  }
  return any && last - first > kMaxSpanSeconds;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  static const base::Config config = base::ParseConfig("timezone = \"UTC\"\n", "fuzz");
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (SpansTooLong(text)) {
    return 0;
  }
  std::istringstream timeline(text);
  std::ostringstream out;
  std::ostringstream err;
  const int code = app::Replay(config, timeline, "fuzz", {}, out, err);
  if ((code != 0 && code != 2) || (code == 2 && err.str().empty())) {
    __builtin_trap();
  }
  return 0;
}
