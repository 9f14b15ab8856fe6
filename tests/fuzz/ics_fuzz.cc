// Fuzz target for the iCalendar importer (libical underneath): meetings must
// be interactions the daemon accepts, trips must serialize.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clients/import/ics.h"
#include "tests/fuzz/oracles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warmth;  // NOLINT(google-build-using-namespace): a fuzz target
  static const import::CalendarOptions options = [] {
    import::CalendarOptions o;
    o.now = core::FromUnixMicros(1'795'000'000'000'000);  // 2026-11-19
    o.me_city = "Boston";
    o.me_addresses = {"me@example.com"};
    return o;
  }();
  const import::CalendarFile file =
      import::ParseCalendar(std::string_view(reinterpret_cast<const char*>(data), size), options);
  for (const v1::Interaction& meeting : file.meetings) {
    fuzz::Sendable(meeting);
  }
  for (const v1::Trip& trip : file.trips) {
    fuzz::RoundTrips(trip);
    fuzz::Check(transport::ToTrip(trip).ok());
  }
  return 0;
}
