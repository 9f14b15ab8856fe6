// Fuzz target for the Telegram Desktop importer (simdjson on-demand
// underneath, with its repair of exports cut short): whatever the bytes,
// every interaction it emits must be one the daemon accepts, and the names
// it collects must serialize.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clients/import/telegram.h"
#include "tests/fuzz/oracles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Groups on and off: every mapping is reached.
  for (const bool groups : {false, true}) {
    import::ChatOptions options;
    options.groups = groups;
    const import::TelegramFile file =
        import::ParseTelegramText(text, options, [](const v1::Interaction& in) {
          fuzz::Sendable(in);
          fuzz::Check(in.event_id().size() <= 128);
          return true;
        });
    fuzz::NamesSendable(file.names);
  }
  return 0;
}
