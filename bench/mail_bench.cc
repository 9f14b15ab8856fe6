// Mail parsing throughput: mail::ParseMessage (GMime) and Classify over the
// corpus's messages, held in memory so that only parsing is measured.
//   build/bench/mail_bench --benchmark_min_time=2
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <benchmark/benchmark.h>

#include "base/clock.h"
#include "clients/mail/message.h"

namespace {

std::vector<std::string> LoadCorpus() {
  std::vector<std::string> messages;
  for (const auto& e : std::filesystem::recursive_directory_iterator(
           std::string(WARMTH_CORPUS_DIR) + "/mail/notmuch")) {
    if (e.is_regular_file()) {
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      messages.push_back(s.str());
    }
  }
  return messages;
}

const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> messages = LoadCorpus();
  return messages;
}

void BM_ParseMessage(benchmark::State& state) {
  const auto& messages = Corpus();
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& m = messages[i++ % messages.size()];
    auto facts = warmth::mail::ParseMessage(m);
    benchmark::DoNotOptimize(facts);
    bytes += static_cast<std::int64_t>(m.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ParseMessage);

void BM_ParseAndClassify(benchmark::State& state) {
  const auto& messages = Corpus();
  const warmth::mail::Me me{{"cworth@cworth.org"}};
  const auto now = warmth::base::Now();
  std::size_t i = 0;
  for (auto _ : state) {
    auto facts = warmth::mail::ParseMessage(messages[i++ % messages.size()]);
    if (facts.ok()) {
      auto verdict = warmth::mail::Classify(*facts, me, now, now);
      benchmark::DoNotOptimize(verdict);
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseAndClassify);

}  // namespace

BENCHMARK_MAIN();
