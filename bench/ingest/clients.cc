#include "bench/ingest/clients.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <thread>

#include "bench/load/load.h"

namespace warmth::bench {

double Quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(i == 0 ? 0 : i - 1, sorted.size() - 1)];
}

core::Result<Measurement> RunClients(zmq::context_t& context, const ClientLoad& load) {
  const int clients = std::max(1, load.clients);
  const std::int64_t per_client = (load.events + clients - 1) / clients;
  std::vector<std::optional<core::Result<LoadReport>>> reports(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < clients; ++k) {
    LoadOptions options;
    options.endpoint = load.endpoint;
    options.prefix = "c" + std::to_string(k);
    options.events = per_client;
    options.batch = load.per_request;
    options.window = load.window;
    options.contacts = load.contacts;
    options.contact_digits = load.contact_digits;
    options.fresh_contacts = load.fresh_contacts;
    options.contact_offset =
        load.fresh_contacts ? std::int64_t{3} * per_client * k : std::int64_t{load.contacts} * k;
    options.timeout = load.timeout;
    options.duration = load.duration;
    options.requests_per_s = load.events_per_s / clients / std::max(1, load.per_request);
    options.deadline = load.duration + std::chrono::minutes(5);
    threads.emplace_back([&context, options, slot = &reports[static_cast<std::size_t>(k)]] {
      *slot = RunLoad(context, options);
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Measurement m;
  m.per_request = load.per_request;
  m.clients = clients;
  m.seconds = seconds;
  std::vector<double> latencies;
  for (auto& report : reports) {
    if (!report->ok()) {
      return report->status();
    }
    const LoadReport& r = **report;
    m.events += r.events;
    m.accepted += r.accepted;
    m.duplicate += r.duplicate;
    m.rejected += r.rejected;
    m.busy += r.busy;
    m.resent += r.resent;
    latencies.insert(latencies.end(), r.latencies_us.begin(), r.latencies_us.end());
  }
  std::sort(latencies.begin(), latencies.end());
  m.p50_ms = Quantile(latencies, 0.50) / 1000;
  m.p99_ms = Quantile(latencies, 0.99) / 1000;
  return m;
}

}  // namespace warmth::bench
