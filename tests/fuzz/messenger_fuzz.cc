// Fuzz target for the Messenger / Instagram DYI importer (simdjson
// on-demand underneath): whatever the bytes, every interaction it emits must
// be one the daemon accepts, and the names it collects must serialize.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clients/import/messenger.h"
#include "tests/fuzz/oracles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Both sides of the corpus's chat, groups on: every mapping is reached.
  for (const char* me : {"Alice", "Bob"}) {
    import::ChatOptions options;
    options.me = {me};
    options.groups = true;
    const import::MessengerFile file =
        import::ParseMessengerText(text, options, [](const v1::Interaction& in) {
          fuzz::Sendable(in);
          fuzz::Check(in.event_id().size() <= 128);
          return true;
        });
    fuzz::NamesSendable(file.names);
  }
  return 0;
}
