// warmth-load: drives warmthd with pipelined ingest batches, records every
// acknowledged event id, and reports acks/s and ack latency.
#include <iostream>

#include <CLI/CLI.hpp>

#include "base/paths.h"
#include "bench/load/load.h"

int main(int argc, char** argv) {
  warmth::bench::LoadOptions options;
  options.endpoint = warmth::base::DefaultApiEndpoint();
  CLI::App cli("warmth-load: pipelined ingest load for warmthd", "warmth-load");
  std::int64_t timeout_ms = options.timeout.count();
  std::int64_t deadline_s = 120;
  cli.add_option("--api", options.endpoint, "API endpoint (default " + options.endpoint + ")");
  cli.add_option("--events", options.events, "Interactions to send")->check(CLI::PositiveNumber);
  cli.add_option("--batch", options.batch, "Interactions per request")->check(CLI::Range(1, 10000));
  cli.add_option("--window", options.window, "Requests in flight")->check(CLI::Range(1, 4096));
  cli.add_option("--contacts", options.contacts, "Identifier pool p<k>@load.test")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--backfill", options.backfill_percent,
                 "Percent of events at a random time in the past year (the rest in order)")
      ->check(CLI::Range(0, 100));
  cli.add_option("--prefix", options.prefix, "Event ids are PREFIX-<n>");
  cli.add_option("--seed", options.seed, "Same seed, same events");
  cli.add_option("--timeout-ms", timeout_ms, "Send a request again when unanswered this long")
      ->check(CLI::PositiveNumber);
  cli.add_option("--deadline-s", deadline_s, "Give up after this long")->check(CLI::PositiveNumber);
  cli.add_option("--acks", options.ack_log, "Append 'A|D|R <event_id>' per reply item here");
  cli.add_flag("--fsync", options.fsync, "fsync the ack log after each reply");
  CLI11_PARSE(cli, argc, argv);
  options.timeout = std::chrono::milliseconds(timeout_ms);
  options.deadline = std::chrono::seconds(deadline_s);

  zmq::context_t context(1);
  const auto report = warmth::bench::RunLoad(context, options);
  if (!report.ok()) {
    std::cerr << report.status().message() << '\n';
    return 1;
  }
  std::cout << report->Line() << std::endl;
  if (report->rejected > 0 || report->accepted + report->duplicate < report->events) {
    std::cerr << "warmth-load: " << report->rejected << " interactions rejected\n";
    return 1;
  }
  return 0;
}
