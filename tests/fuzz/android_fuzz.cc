// Fuzz target for the Android backup importer (libxml2's reader
// underneath): every interaction it emits must be one the daemon accepts,
// and every name it learned must be a display name the wire can carry.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/phone.h"
#include "clients/import/android.h"
#include "tests/fuzz/oracles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  static const core::PhoneNormalizer phone = base::PhoneNormalizerFor("DE");
  const import::AndroidFile file =
      import::ParseAndroidText(std::string_view(reinterpret_cast<const char*>(data), size), phone,
                               [](const v1::Interaction& in) {
                                 fuzz::Sendable(in);
                                 return true;
                               });
  fuzz::NamesSendable(file.names);
  return 0;
}
