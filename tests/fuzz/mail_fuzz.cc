// Fuzz target for warmth-mail's message reader (GMime underneath): a message
// is read or refused with kInvalidArgument, and what Classify makes of it
// must be interactions the daemon accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clients/mail/message.h"
#include "tests/fuzz/oracles.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  warmth::mail::InitGmime();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  const auto facts =
      mail::ParseMessage(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!facts.ok()) {
    fuzz::Check(facts.status().code() == core::Code::kInvalidArgument);
    return 0;
  }
  const core::TimePoint now = core::FromUnixMicros(1'795'000'000'000'000);
  for (const mail::Me& me : {mail::Me{}, mail::Me{{"me@example.com"}}}) {
    const mail::Verdict verdict = mail::Classify(*facts, me, now - core::kDay, now);
    for (const v1::Interaction& interaction : verdict.interactions) {
      fuzz::Sendable(interaction);
    }
  }
  return 0;
}
