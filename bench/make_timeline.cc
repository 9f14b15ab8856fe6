// Writes a synthetic year of one busy person's life as a replay timeline:
// TimelineEntry JSON lines, deterministic for a given seed.
//
//   make_timeline [--interactions 100000] [--contacts 2000] [--seed 1] > year.jsonl
//
// A quarter of the contacts are sorted into circles (some with birthdays,
// cities and tags), the rest appear only as e-mail addresses; channels follow
// a busy online life: mostly e-mail and messages, some likes, few calls.
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/core/time.h"

namespace {

std::string Iso(warmth::core::TimePoint t) {
  return warmth::core::FormatUtc(t);
}

}  // namespace

int main(int argc, char** argv) {
  int interactions = 100000;
  int contacts = 2000;
  unsigned seed = 1;
  std::string start_text = "2026-01-01T00:00:00Z";
  CLI::App cli("Writes a synthetic replay timeline to stdout", "make_timeline");
  cli.add_option("--interactions", interactions)->capture_default_str();
  cli.add_option("--contacts", contacts)->capture_default_str();
  cli.add_option("--seed", seed)->capture_default_str();
  cli.add_option("--start", start_text)->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  using warmth::core::kDay;
  const auto start = *warmth::core::ParseUtc(start_text);
  std::mt19937 rng(seed);
  static const char* kCircles[] = {"INNER", "CLOSE", "NETWORK", "ACQUAINTANCE"};
  static const char* kCities[] = {"Berlin", "Boston", "Washington", "Lisbon", "Tokyo"};
  std::vector<std::string> who;
  for (int i = 0; i < contacts; ++i) {
    who.push_back("p" + std::to_string(i) + "@example.com");
  }
  const int sorted = contacts / 4;
  for (int i = 0; i < sorted; ++i) {
    // Inner 5, close 15, network 50, the rest acquaintances: Dunbar's layers.
    const char* circle = i < 5    ? kCircles[0]
                         : i < 20 ? kCircles[1]
                         : i < 70 ? kCircles[2]
                                  : kCircles[3];
    std::printf(
        "{\"at\":\"%s\",\"request\":{\"upsertContact\":{\"contact\":{\"id\":\"c%d\","
        "\"displayName\":\"Person %d\",\"identifiers\":[\"%s\"],\"circle\":\"%s\","
        "\"city\":\"%s\",\"tags\":[\"t%d\"]%s}}}}\n",
        Iso(start).c_str(), i, i, who[static_cast<std::size_t>(i)].c_str(), circle, kCities[i % 5],
        i % 7,
        i % 3 == 0 ? (",\"birthday\":{\"month\":" + std::to_string(1 + i % 12) +
                      ",\"day\":" + std::to_string(1 + i % 28) + "}")
                         .c_str()
                   : "");
  }
  // Popular contacts get most of the traffic (a Zipf-like spread).
  std::vector<double> weights;
  for (int i = 0; i < contacts; ++i) {
    weights.push_back(1.0 / (1 + (i * 7919) % contacts));
  }
  std::discrete_distribution<int> pick(weights.begin(), weights.end());
  std::discrete_distribution<int> channel({3, 8, 4, 1, 1, 30, 38, 15});  // IN_PERSON … SOCIAL
  static const char* kChannels[] = {"IN_PERSON", "CALL",    "VIDEO", "VOICE_MESSAGE",
                                    "LETTER",    "MESSAGE", "EMAIL", "SOCIAL"};
  static const char* kDirections[] = {"OUTBOUND", "INBOUND", "MUTUAL"};
  const auto span = 365 * kDay;
  for (int i = 0; i < interactions; ++i) {
    const auto at = start + span * i / interactions;
    const int c = channel(rng);
    const int d = c < 3 ? 2 : static_cast<int>(rng() % 2);
    const bool pitch = c == 6 && d == 0 && rng() % 50 == 0;
    std::printf(
        "{\"at\":\"%s\",\"request\":{\"ingest\":{\"interactions\":[{\"eventId\":\"e%d\","
        "\"contacts\":[\"%s\"],\"channel\":\"%s\",\"direction\":\"%s\",\"occurredAt\":\"%s\""
        "%s}]}}}\n",
        Iso(at).c_str(), i, who[static_cast<std::size_t>(pick(rng))].c_str(), kChannels[c],
        kDirections[d], Iso(at).c_str(), pitch ? ",\"tags\":[\"pitch\"]" : "");
    if (i % (interactions / 12) == 0) {
      const auto trip_start = at + 20 * kDay;
      std::printf(
          "{\"at\":\"%s\",\"request\":{\"upsertTrip\":{\"trip\":{\"city\":\"%s\","
          "\"startsAt\":\"%s\",\"endsAt\":\"%s\",\"tags\":[\"t%d\"]}}}}\n",
          Iso(at).c_str(), kCities[i % 5], Iso(trip_start).c_str(),
          Iso(trip_start + 3 * kDay).c_str(), i % 7);
    }
  }
  return 0;
}
