// Fuzz target for the WhatsApp chat-export importer (a parser of our own):
// every interaction it hands on must be one the daemon accepts, with an
// event id and names that serialize. A file with one object rather than the
// CALL one-liner: the parser needs options (who is you, groups on, a zone
// with DST gaps) to reach its one-to-one and group paths.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/config.h"
#include "clients/import/whatsapp.h"
#include "tests/fuzz/oracles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  static const import::ChatOptions options = [] {
    import::ChatOptions o;
    o.me = {"person1", "Alice", "John Doe", "Mary"};
    o.groups = true;
    o.zone = base::ResolveTimeZone("Europe/Berlin");
    return o;
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const import::InteractionFile file =
      import::ParseWhatsappText(text, options, [](v1::Interaction in) {
        fuzz::Check(in.event_id().size() <= 128);
        fuzz::Sendable(in);
        return true;
      });
  fuzz::Check(file.interactions <= file.records);
  fuzz::NamesSendable(file.names);
  return 0;
}
