// Google Benchmark: the hot paths of the core and the codec.
//   build/release/bench/engine_bench        (figures: docs/performance.md)
#include <random>

#include <benchmark/benchmark.h>
#include <google/protobuf/util/json_util.h>

#include "daemon/core/engine.h"
#include "daemon/transport/json.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth {
namespace {

core::TimePoint Start() {
  return *core::ParseUtc("2026-01-01T00:00:00Z");
}

// Ingest into the in-memory engine, one batch of 1000 per iteration, across
// 2000 contacts, in time order (the common case).
void BM_EngineIngest(benchmark::State& state) {
  core::EngineOptions options;
  core::Engine engine(options, nullptr);
  engine.FinishLoad(Start());
  engine.set_journaling(state.range(0) != 0);
  std::mt19937 rng(1);
  std::int64_t n = 0;
  std::vector<core::Interaction> batch(1000);
  for (auto _ : state) {
    state.PauseTiming();
    for (auto& in : batch) {
      in.event_id = "e" + std::to_string(n);
      in.contacts = {"p" + std::to_string(rng() % 2000) + "@example.com"};
      in.channel = static_cast<core::Channel>(1 + rng() % 8);
      in.direction = core::Direction::kOutbound;
      in.occurred_at = Start() + std::chrono::minutes(n++);
    }
    state.ResumeTiming();
    benchmark::DoNotOptimize(engine.Ingest(batch, Start() + std::chrono::minutes(n)));
    if (state.range(0) != 0) {
      engine.TakeJournal();
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
}
BENCHMARK(BM_EngineIngest)->Arg(0)->Arg(1)->ArgName("journal");

// Out-of-order backfill: 1000 events for one contact arriving newest first.
void BM_EngineBackfillReverse(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    core::Engine engine(core::EngineOptions{}, nullptr);
    engine.FinishLoad(Start());
    engine.set_journaling(false);
    std::vector<core::Interaction> batch;
    for (int i = 999; i >= 0; --i) {
      batch.push_back(core::Interaction{"e" + std::to_string(i),
                                        {"ann@example.com"},
                                        core::Channel::kEmail,
                                        core::Direction::kInbound,
                                        Start() + std::chrono::hours(i),
                                        "",
                                        {}});
    }
    state.ResumeTiming();
    benchmark::DoNotOptimize(engine.Ingest(batch, Start() + std::chrono::hours(1000)));
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_EngineBackfillReverse);

const char* kLine =
    R"({"at":"2026-03-04T10:00:00Z","request":{"ingest":{"interactions":[{"eventId":"e12345",)"
    R"("contacts":["p17@example.com"],"channel":"EMAIL","direction":"OUTBOUND",)"
    R"("occurredAt":"2026-03-04T10:00:00Z","tags":["pitch"]}]}}})";

// One timeline line through protobuf's own JSON parser…
void BM_JsonProtobuf(benchmark::State& state) {
  v1::TimelineEntry entry;
  for (auto _ : state) {
    entry.Clear();
    benchmark::DoNotOptimize(google::protobuf::util::JsonStringToMessage(kLine, &entry));
  }
}
BENCHMARK(BM_JsonProtobuf);

// …and through the fast path replay uses.
void BM_JsonFast(benchmark::State& state) {
  transport::JsonParser parser;
  v1::TimelineEntry entry;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parser.Parse(kLine, entry));
  }
}
BENCHMARK(BM_JsonFast);

}  // namespace
}  // namespace warmth

BENCHMARK_MAIN();
