// Fuzz targets for the contact importers: vCard (WARMTH_FUZZ_VCARD) or
// LinkedIn CSV. Each record must plan into a contact that serializes (valid
// UTF-8) and whose id the daemon accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/phone.h"
#include "clients/import/apply.h"
#include "clients/import/linkedin.h"
#include "clients/import/vcard.h"
#include "tests/fuzz/oracles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  const std::string_view text(reinterpret_cast<const char*>(data), size);
#ifdef WARMTH_FUZZ_VCARD
  static const core::PhoneNormalizer phone = base::PhoneNormalizerFor("US");
  const import::ContactsFile file = import::ParseVcards(text, phone);
#else
  const import::ContactsFile file = import::ParseLinkedinCsv(text);
#endif
  for (const import::ContactRecord& record : file.contacts) {
    const import::ContactPlan plan = import::PlanContact(record, nullptr, v1::CLOSE);
    fuzz::RoundTrips(plan.contact);
    fuzz::Check(core::ValidateContactId(plan.contact.id()).ok());
  }
  return 0;
}
