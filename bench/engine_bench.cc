// Google Benchmark: the hot paths of the core and the codec.
//   build/release/bench/engine_bench        (figures: docs/performance.md)
#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <random>

#include <absl/container/flat_hash_set.h>
#include <benchmark/benchmark.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include "daemon/core/engine.h"
#include "daemon/core/event_id_set.h"
#include "daemon/core/model.h"
#include "daemon/core/scheduler.h"
#include "daemon/transport/json.h"
#include "warmth/v1/warmth.pb.h"

namespace warmth {
namespace {

// Parsed once: a parse costs about 0.9 µs, more than some of what is timed.
core::TimePoint Start() {
  static const core::TimePoint start = *core::ParseUtc("2026-01-01T00:00:00Z");
  return start;
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

// --- The model's arithmetic. -------------------------------------------------

void BM_Decay(benchmark::State& state) {
  double w = 80;
  std::int64_t hours = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(core::Decay(w, std::chrono::hours(hours++ % 5000), 30 * core::kDay));
  }
}
BENCHMARK(BM_Decay);

// When a contact's warmth crosses the cooling threshold: the due time of
// its COOLING nudge.
void BM_DueTime(benchmark::State& state) {
  double w = 30.5;
  for (auto _ : state) {
    w = w > 99 ? 30.5 : w + 0.25;
    benchmark::DoNotOptimize(core::CrossingTime(w, Start(), 30 * core::kDay, 30.0));
  }
}
BENCHMARK(BM_DueTime);

// --- The scheduler: one re-schedule and one pop per iteration, with N slots
// scheduled. O(log n): the time per iteration grows by a constant per
// tenfold N (plus cache misses), not tenfold.
void BM_Scheduler(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  core::Scheduler scheduler;
  std::mt19937_64 rng(1);
  const auto year = std::chrono::duration_cast<core::Duration>(365 * core::kDay).count();
  for (std::uint64_t slot = 0; slot < n; ++slot) {
    scheduler.Set(slot, Start() + core::Duration(static_cast<core::Duration::rep>(rng() % year)));
  }
  auto now = Start();
  for (auto _ : state) {
    // A request moves one contact's due time; time passes and what is due
    // is taken and scheduled again later.
    scheduler.Set(rng() % n, now + core::Duration(static_cast<core::Duration::rep>(rng() % year)));
    now += core::Duration(year / static_cast<core::Duration::rep>(n));
    for (auto slot : scheduler.PopDue(now)) {
      scheduler.Set(slot, now + core::Duration(static_cast<core::Duration::rep>(rng() % year)));
    }
  }
  state.counters["slots"] = static_cast<double>(scheduler.size());
}
BENCHMARK(BM_Scheduler)->RangeMultiplier(10)->Range(1000, 10'000'000);

// --- The event-id set at N stored ids (a store of N interactions). -----------

std::vector<std::uint64_t> RandomIds(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> ids(n);
  for (auto& id : ids) {
    id = rng();
  }
  return ids;
}

// What a start-up spends on the ids once read: one sort and the directory.
void BM_EventIdSetBuild(benchmark::State& state) {
  const auto ids = RandomIds(static_cast<std::size_t>(state.range(0)), 1);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const core::EventIdSet set(ids);
    bytes = set.HeapBytes();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["heap_B_per_id"] = static_cast<double>(bytes) / static_cast<double>(ids.size());
}
BENCHMARK(BM_EventIdSetBuild)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// The duplicate check of a new event: an id that is not there.
void BM_EventIdSetLookup(benchmark::State& state) {
  const core::EventIdSet set(RandomIds(static_cast<std::size_t>(state.range(0)), 1));
  std::mt19937_64 rng(2);
  std::int64_t found = 0;
  for (auto _ : state) {
    found += set.Contains(rng()) ? 1 : 0;
  }
  benchmark::DoNotOptimize(found);
}
BENCHMARK(BM_EventIdSetLookup)->Arg(10'000)->Arg(1'000'000)->Arg(10'000'000);

// Accepting new ids after the load: amortized cost per insert, and the
// longest single insert (the one that folds the recent ones into the array).
void BM_EventIdSetInsert(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  double longest_s = 0;
  for (auto _ : state) {
    state.PauseTiming();
    core::EventIdSet set(RandomIds(n, 1));
    const auto added = RandomIds(n / 4 + 1, 3);  // one fold's worth
    state.ResumeTiming();
    for (const std::uint64_t id : added) {
      const auto start = std::chrono::steady_clock::now();
      set.Insert(id);
      longest_s =
          std::max(longest_s,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n / 4 + 1));
  state.counters["longest_insert_ms"] = longest_s * 1e3;
}
BENCHMARK(BM_EventIdSetInsert)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// The baseline, in the same run: the flat hash set the engine used before,
// built as it was (one insert at a time), looked up and grown the same way.
absl::flat_hash_set<std::uint64_t> HashSetOf(const std::vector<std::uint64_t>& ids) {
  absl::flat_hash_set<std::uint64_t> set;
  for (const std::uint64_t id : ids) {
    set.insert(id);
  }
  return set;
}

void BM_HashSetBuild(benchmark::State& state) {
  const auto ids = RandomIds(static_cast<std::size_t>(state.range(0)), 1);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto set = HashSetOf(ids);
    bytes = set.capacity() * (sizeof(std::uint64_t) + 1);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["heap_B_per_id"] = static_cast<double>(bytes) / static_cast<double>(ids.size());
}
BENCHMARK(BM_HashSetBuild)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_HashSetLookup(benchmark::State& state) {
  const auto set = HashSetOf(RandomIds(static_cast<std::size_t>(state.range(0)), 1));
  std::mt19937_64 rng(2);
  std::int64_t found = 0;
  for (auto _ : state) {
    found += set.contains(rng()) ? 1 : 0;
  }
  benchmark::DoNotOptimize(found);
}
BENCHMARK(BM_HashSetLookup)->Arg(10'000)->Arg(1'000'000)->Arg(10'000'000);

// Past its next doubling: the longest insert is the one that rehashes it.
void BM_HashSetInsert(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  double longest_s = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto set = HashSetOf(RandomIds(n, 1));
    const auto added = RandomIds(set.capacity() - n + 1, 3);
    state.ResumeTiming();
    for (const std::uint64_t id : added) {
      const auto start = std::chrono::steady_clock::now();
      set.insert(id);
      longest_s =
          std::max(longest_s,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  }
  state.counters["longest_insert_ms"] = longest_s * 1e3;
}
BENCHMARK(BM_HashSetInsert)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// --- Queries on a loaded engine of N contacts. ---------------------------------

// N contacts with a circle, each with two interactions in the year before
// Start(), and a nudge for every tenth (one in ten of those PENDING), loaded
// as a restart loads a store. Built once per N and kept.
// Resident memory of this process, in bytes (/proc/self/statm).
double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0;
  double resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

// What building Population(n) added to the resident memory, per contact.
std::map<std::int64_t, double> resident_per_contact;

core::Engine& Population(std::int64_t n) {
  static std::map<std::int64_t, std::unique_ptr<core::Engine>> engines;
  auto& slot = engines[n];
  if (slot) {
    return *slot;
  }
  const double before = ResidentBytes();
  slot = std::make_unique<core::Engine>(core::EngineOptions{}, nullptr);
  std::mt19937 rng(7);
  const auto year_hours = 365 * 24;
  for (std::int64_t cid = 1; cid <= n; ++cid) {
    core::ContactRow row;
    row.cid = cid;
    row.contact.id = "c" + std::to_string(cid);
    row.contact.display_name = "Person " + std::to_string(cid);
    row.contact.identifiers = {"p" + std::to_string(cid) + "@example.com"};
    row.contact.circle = static_cast<core::Circle>(1 + cid % 4);
    row.created_at = Start() - 400 * core::kDay;
    slot->LoadContact(row);
    for (int e = 0; e < 2; ++e) {
      slot->LoadEvent(
          cid, core::Event{Start() - std::chrono::hours(1 + rng() % year_hours),
                           static_cast<core::Channel>(1 + rng() % 8), core::Direction::kOutbound});
    }
    if (cid % 10 == 0) {
      core::Nudge nudge;
      nudge.kind = core::NudgeKind::kCooling;
      nudge.key = "cooling/" + std::to_string(cid) + "/bench";
      nudge.id = "n" + std::to_string(cid);
      nudge.contact_ids = {row.contact.id};
      nudge.contact_names = {row.contact.display_name};
      nudge.text = "Time to call";
      nudge.published_at = nudge.due_at = Start() - std::chrono::hours(cid % year_hours);
      nudge.state = cid % 100 == 0 ? core::NudgeState::kPending : core::NudgeState::kDone;
      slot->LoadNudge(nudge);
    }
  }
  slot->FinishLoad(Start());
  resident_per_contact[n] = (ResidentBytes() - before) / static_cast<double>(n);
  return *slot;
}

// `warmctl list -n 50`: the 50 coldest contacts. With the ordered index the
// time at 10^6 contacts stays within a small factor of 10^4.
void BM_ListColdest50(benchmark::State& state) {
  auto& engine = Population(state.range(0));
  auto now = Start();
  for (auto _ : state) {
    now += std::chrono::minutes(1);
    auto list = engine.ListContacts(false, 50, now);
    benchmark::DoNotOptimize(list.data());
  }
  // Each population is built in its N's first run. Below 10^6 contacts the
  // growth hides in memory freed by the benchmarks before, so only the
  // largest reports it: the engine's bytes per contact with two events and
  // a tenth of a nudge each.
  if (state.range(0) >= 1'000'000) {
    state.counters["rss_B_per_contact"] = resident_per_contact[state.range(0)];
  }
}
BENCHMARK(BM_ListColdest50)
    ->RangeMultiplier(10)
    ->Range(10'000, 1'000'000)
    ->Unit(benchmark::kMicrosecond);

void BM_GetContact(benchmark::State& state) {
  const auto n = state.range(0);
  auto& engine = Population(n);
  std::mt19937 rng(3);
  for (auto _ : state) {
    auto key = "p" + std::to_string(1 + rng() % n) + "@example.com";
    benchmark::DoNotOptimize(engine.GetContact(key, Start()));
  }
}
BENCHMARK(BM_GetContact)->RangeMultiplier(10)->Range(10'000, 1'000'000);

// `warmctl nudges`: the 20 newest PENDING nudges, and one contact's nudges.
void BM_ListNudges(benchmark::State& state) {
  auto& engine = Population(state.range(0));
  const std::array states{core::NudgeState::kPending};
  for (auto _ : state) {
    auto list = engine.ListNudges(states, "", 20);
    benchmark::DoNotOptimize(list.data());
  }
}
BENCHMARK(BM_ListNudges)->RangeMultiplier(10)->Range(10'000, 1'000'000);

void BM_ListNudgesOfContact(benchmark::State& state) {
  const auto n = state.range(0);
  auto& engine = Population(n);
  const std::array states{core::NudgeState::kPending, core::NudgeState::kDone};
  std::mt19937 rng(5);
  for (auto _ : state) {
    auto key = "c" + std::to_string(10 * (1 + rng() % (n / 10)));
    auto list = engine.ListNudges(states, key, 20);
    benchmark::DoNotOptimize(list.data());
  }
}
BENCHMARK(BM_ListNudgesOfContact)->RangeMultiplier(10)->Range(10'000, 1'000'000);

// One tick of the daemon's timer on a loaded engine: an hour passes, and
// what fell due in it is handled and published. Registered last: it publishes
// into the shared engines. The daemon's bound is a nudge out within 1 s of
// its due time; this is the engine's share of it.
void BM_TickAtScale(benchmark::State& state) {
  auto& engine = Population(state.range(0));
  // Ten days at once first (the list benchmarks moved time by minutes): a
  // laptop waking after a week handles everything that fell due meanwhile.
  auto now = Start() + 10 * core::kDay;
  static std::map<std::int64_t, double> first_tick_ms;
  if (!first_tick_ms.contains(state.range(0))) {
    const auto begin = std::chrono::steady_clock::now();
    engine.TakeDue(now);
    first_tick_ms[state.range(0)] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
  }
  state.counters["catch_up_ms"] = first_tick_ms[state.range(0)];
  std::int64_t published = 0;
  for (auto _ : state) {
    now += std::chrono::hours(1);
    published += static_cast<std::int64_t>(engine.TakeDue(now).size());
  }
  state.counters["published"] = static_cast<double>(published);
}

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

BENCHMARK(BM_TickAtScale)
    ->RangeMultiplier(10)
    ->Range(10'000, 1'000'000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace warmth

BENCHMARK_MAIN();
