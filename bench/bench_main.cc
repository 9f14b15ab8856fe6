// warmth-bench: warmthd's durable ingest against its limits, in one run and
// on the same messages: a ROUTER that acks without storing, SQLite alone, the
// minimal durable pipeline, then warmthd itself (docs/performance.md).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "base/logging.h"
#include "bench/ingest/baselines.h"
#include "bench/ingest/clients.h"
#include "bench/ingest/scale.h"
#include "bench/ingest/warmthd_process.h"

namespace warmth::bench {
namespace {

namespace fs = std::filesystem;

// Events per measurement when --events sets no limit (--seconds ends it).
constexpr std::int64_t kNoLimit = 50'000'000;
// The fresh-identifier run names up to 3 new contacts per interaction from
// a pool of 10^6 ids that it never repeats.
constexpr std::int64_t kFreshPool = 1'000'000;

struct Options {
  std::int64_t events = 0;
  double seconds = 2;
  int window = 500;
  std::vector<int> clients = {1, 2, 4, 8};
  std::vector<int> per_request = {1, 10};
  std::vector<std::string> modes = {"raw", "sqlite", "pipeline", "warmthd", "half", "pair"};
  int contacts = 200;
  std::string warmthd;
  std::string format = "table";
  std::string log_level = "info";
  std::string tmp;
  std::string tsv_file;
  bool smoke = false;
  // --scale: contacts per store, one row each; nothing else is measured.
  std::vector<std::int64_t> scale;
  ScaleLoad scale_load;
  bool keep = false;  // --scale: leave the stores for a profiler
};

// A measurement and what went wrong with it ("" when nothing did).
struct Row {
  Measurement m;
  std::string problem;

  // A run's measurement and how its server stopped: a failed stop is the
  // problem even when the run measured.
  void Take(const core::Result<Measurement>& measured, const core::Status& stopped) {
    if (!measured.ok()) {
      problem = measured.status().message();
    } else {
      m = *measured;
    }
    if (!stopped.ok()) {
      problem = stopped.message();
    }
  }
};

std::string DefaultWarmthd() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) {
    return "build/bench/daemon/warmthd";
  }
  // build/X/bench/warmth-bench -> build/X/daemon/warmthd
  return (self.parent_path().parent_path() / "daemon" / "warmthd").string();
}

class Bench {
 public:
  explicit Bench(const Options& options) : options_(options) {}

  int Run() {
    const std::string pattern =
        (options_.tmp.empty() ? fs::temp_directory_path() : fs::path(options_.tmp)) /
        "warmth-bench-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
      spdlog::error("cannot create a directory like {}", pattern);
      return 1;
    }
    work_ = buffer.data();
    if (!options_.scale.empty()) {
      const int code = Scale();
      if (options_.keep) {
        spdlog::info("the stores are kept in {}", work_.string());
      } else {
        std::error_code ignored;
        fs::remove_all(work_, ignored);
      }
      return code;
    }
    spdlog::info("warmth-bench in {}: {} per measurement, window {}, warmthd {}", work_.string(),
                 Budget(), options_.window, options_.warmthd);
    for (const int per_request : options_.per_request) {
      if (Wanted("sqlite")) {
        Sqlite(per_request);
      }
      for (const int clients : options_.clients) {
        for (const char* mode : {"raw", "pipeline"}) {
          if (Wanted(mode)) {
            Served(mode, per_request, clients);
          }
        }
        if (Wanted("warmthd")) {
          Warmthd("warmthd", per_request, clients, false);
        }
        // The same load paced at half of what warmthd just reached: the ack
        // latency below saturation.
        if (const Measurement* peak = Find("warmthd", per_request, clients);
            Wanted("half") && peak != nullptr && peak->events_per_s() > 0) {
          Warmthd("warmthd-half", per_request, clients, false, peak->events_per_s() / 2);
        }
      }
    }
    // The pair at 10 per request when that is measured, with one client.
    pair_per_request_ = std::find(options_.per_request.begin(), options_.per_request.end(), 10) !=
                                options_.per_request.end()
                            ? 10
                            : options_.per_request.front();
    if (Wanted("pair")) {
      Warmthd("warmthd-known", pair_per_request_, 1, false);
      Warmthd("warmthd-new", pair_per_request_, 1, true);
    }
    std::error_code ignored;
    fs::remove_all(work_, ignored);

    Ratios();
    if (!options_.tsv_file.empty()) {
      std::ofstream file(options_.tsv_file);
      PrintTsv(file);
      if (!file) {
        spdlog::error("cannot write {}", options_.tsv_file);
        return 1;
      }
    }
    if (options_.format == "tsv") {
      PrintTsv(std::cout);
    } else {
      PrintTable(std::cout);
    }
    int failed = 0;
    for (const Row& row : rows_) {
      if (!row.problem.empty()) {
        spdlog::error("{} per_request={} clients={}: {}", row.m.mode, row.m.per_request,
                      row.m.clients, row.problem);
        ++failed;
      }
    }
    if (failed > 0) {
      spdlog::error("{} of {} measurements failed", failed, rows_.size());
      return 1;
    }
    return 0;
  }

 private:
  // --scale: warmthd's fixed base, then a store of each size.
  int Scale() {
    ScaleLoad load = options_.scale_load;
    load.warmthd = options_.warmthd;
    auto base = BaseRssKib(context_, load.warmthd, NewDir());
    if (!base.ok()) {
      spdlog::error("warmthd on an empty store: {}", base.status().message());
      return 1;
    }
    base_rss_kib_ = *base;
    spdlog::info("warmthd on an empty store: {} KiB resident", base_rss_kib_);
    int failed = 0;
    for (const std::int64_t contacts : options_.scale) {
      load.contacts = contacts;
      spdlog::info("building a store of {} contacts, {} interactions", contacts,
                   contacts * load.per_contact);
      const std::string dir = NewDir();
      auto report = RunScale(context_, load, dir);
      if (!options_.keep) {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
      }
      if (!report.ok()) {
        spdlog::error("{} contacts: {}", contacts, report.status().message());
        ++failed;
        continue;
      }
      spdlog::info("{} contacts: start-up {:.3f} s, bare scan {:.3f} s, {:.0f} B per contact",
                   contacts, report->startup_s, report->scan_s, BytesPerContact(*report));
      scale_rows_.push_back(*report);
    }
    std::ofstream file;
    if (!options_.tsv_file.empty()) {
      file.open(options_.tsv_file);
      PrintScaleTsv(file);
    }
    if (options_.format == "tsv") {
      PrintScaleTsv(std::cout);
    } else {
      PrintScaleTable(std::cout);
    }
    if (!options_.tsv_file.empty() && !file) {
      spdlog::error("cannot write {}", options_.tsv_file);
      return 1;
    }
    return failed > 0 ? 1 : 0;
  }

  // Resident bytes per contact beyond the fixed base.
  double BytesPerContact(const ScaleReport& r) const {
    return r.contacts > 0 ? static_cast<double>(r.rss_kib - base_rss_kib_) * 1024 /
                                static_cast<double>(r.contacts)
                          : 0;
  }

  // The targets for the scale rows, as lines of text.
  std::vector<std::string> ScaleSummary() const {
    std::vector<std::string> out;
    if (scale_rows_.empty()) {
      return out;
    }
    const auto [least, most] = std::minmax_element(
        scale_rows_.begin(), scale_rows_.end(),
        [](const ScaleReport& a, const ScaleReport& b) { return a.contacts < b.contacts; });
    out.push_back(
        fmt::format("{} contacts: {:.0f} B resident per contact beyond the base of {} KiB "
                    "(target <= 160)",
                    most->contacts, BytesPerContact(*most), base_rss_kib_));
    out.push_back(
        fmt::format("{} contacts, {} interactions: start-up {:.2f} s = {:.1f}x the bare "
                    "scan of the contacts table, {:.3f} s (target <= 2x); the "
                    "quick_check on opening alone {:.2f} s",
                    most->contacts, most->interactions, most->startup_s,
                    most->startup_s / most->scan_s, most->scan_s, most->check_s));
    if (least != most && least->list.p50_us > 0) {
      out.push_back(
          fmt::format("list --all -n 50: p50 {:.0f} us at {} contacts, {:.0f} us at {}: "
                      "{:.2f}x (target <= 3x)",
                      least->list.p50_us, least->contacts, most->list.p50_us, most->contacts,
                      most->list.p50_us / least->list.p50_us));
    }
    return out;
  }

  void PrintScaleTsv(std::ostream& out) const {
    out << "contacts\tinteractions\tbuild_s\tstore_bytes\tscan_s\tstartup_s\tstartup_x_scan"
           "\trss_kib\tbase_rss_kib\tbytes_per_contact\tlist_p50_us\tlist_p99_us\tget_p50_us"
           "\tget_p99_us\tnudges_p50_us\tnudges_p99_us\tcheck_s\n";
    for (const ScaleReport& r : scale_rows_) {
      out << fmt::format(
          "{}\t{}\t{:.2f}\t{}\t{:.4f}\t{:.4f}\t{:.2f}\t{}\t{}\t{:.0f}\t{:.1f}\t{:.1f}\t{:.1f}"
          "\t{:.1f}\t{:.1f}\t{:.1f}\t{:.4f}\n",
          r.contacts, r.interactions, r.build_s, r.store_bytes, r.scan_s, r.startup_s,
          r.startup_s / r.scan_s, r.rss_kib, base_rss_kib_, BytesPerContact(r), r.list.p50_us,
          r.list.p99_us, r.get.p50_us, r.get.p99_us, r.nudges.p50_us, r.nudges.p99_us, r.check_s);
    }
    for (const std::string& line : ScaleSummary()) {
      out << "# " << line << '\n';
    }
    out << std::flush;
  }

  void PrintScaleTable(std::ostream& out) const {
    out << "|   contacts | interactions | store (MB) | bare scan (s) | quick_check (s) | "
           "start-up (s) | x scan | "
           "RSS (MiB) | B/contact | list p50/p99 (us) | get p50/p99 (us) | nudges p50/p99 (us) |\n"
        << "|-----------:|-------------:|-----------:|--------------:|----------------:|"
           "-------------:|-------:|"
           "----------:|----------:|------------------:|-----------------:|"
           "--------------------:|\n";
    for (const ScaleReport& r : scale_rows_) {
      out << fmt::format(
          "| {:>10} | {:>12} | {:>10.1f} | {:>13.3f} | {:>15.3f} | {:>12.3f} | {:>6.1f} | {:>9.1f} "
          "| "
          "{:>9.0f} | "
          "{:>8.0f} / {:<7.0f} | {:>7.0f} / {:<7.0f} | {:>9.0f} / {:<8.0f} |\n",
          r.contacts, r.interactions, static_cast<double>(r.store_bytes) / 1e6, r.scan_s, r.check_s,
          r.startup_s, r.startup_s / r.scan_s, static_cast<double>(r.rss_kib) / 1024,
          BytesPerContact(r), r.list.p50_us, r.list.p99_us, r.get.p50_us, r.get.p99_us,
          r.nudges.p50_us, r.nudges.p99_us);
    }
    out << '\n';
    for (const std::string& line : ScaleSummary()) {
      out << line << '\n';
    }
    out << std::flush;
  }

  std::string Budget() const {
    std::string out;
    if (options_.events > 0) {
      out = "at most " + std::to_string(options_.events) + " events";
    }
    if (options_.seconds > 0) {
      out += (out.empty() ? "" : ", ") + fmt::format("{:g} s of sending", options_.seconds);
    }
    return out;
  }

  bool Wanted(const std::string& mode) const {
    return std::find(options_.modes.begin(), options_.modes.end(), mode) != options_.modes.end();
  }

  std::int64_t Events() const { return options_.events > 0 ? options_.events : kNoLimit; }
  std::chrono::milliseconds Duration() const {
    return std::chrono::milliseconds(static_cast<std::int64_t>(options_.seconds * 1000));
  }

  // A fresh directory for one measurement.
  std::string NewDir() {
    const fs::path dir = work_ / ("run-" + std::to_string(++runs_));
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all);
    return dir.string();
  }

  ClientLoad Load(const std::string& endpoint, int per_request, int clients) const {
    ClientLoad load;
    load.endpoint = endpoint;
    load.per_request = per_request;
    load.clients = clients;
    load.window = options_.window;
    load.events = Events();
    load.duration = Duration();
    load.contacts = options_.contacts;
    return load;
  }

  void Sqlite(int per_request) {
    const std::string dir = NewDir();
    Row row;
    row.m.mode = "sqlite";
    row.m.per_request = per_request;
    row.m.clients = 1;
    const std::string db = dir + "/bare.db";
    auto report = RunBareSqlite(db, per_request, Events(), Duration(), options_.contacts);
    if (!report.ok()) {
      row.problem = report.status().message();
    } else {
      row.m.events = report->rows;
      row.m.accepted = report->rows;
      row.m.seconds = report->seconds;
      row.m.p50_ms = Quantile(report->latencies_us, 0.50) / 1000;
      row.m.p99_ms = Quantile(report->latencies_us, 0.99) / 1000;
      row.problem = CheckStored(db, row.m.accepted);
    }
    Done(std::move(row), dir);
  }

  // raw or pipeline: a server thread in this process.
  void Served(const std::string& mode, int per_request, int clients) {
    const std::string dir = NewDir();
    const std::string endpoint = "ipc://" + dir + "/api";
    const std::string db = dir + "/pipeline.db";
    Row row;
    {
      std::optional<BaselineServer> server;
      try {
        server.emplace(context_, endpoint,
                       mode == "raw" ? ServerKind::kRawAck : ServerKind::kPipeline, db);
      } catch (const zmq::error_t& e) {
        row.problem = "bind " + endpoint + ": " + e.what();
      }
      if (server) {
        auto measured = RunClients(context_, Load(endpoint, per_request, clients));
        row.Take(measured, server->Stop());
      }
    }
    row.m.mode = mode;
    row.m.per_request = per_request;
    row.m.clients = clients;
    if (row.problem.empty()) {
      row.problem = Check(row.m);
    }
    if (row.problem.empty() && mode == "pipeline") {
      row.problem = CheckStored(db, row.m.accepted);
    }
    Done(std::move(row), dir);
  }

  // `events_per_s`: paced at that rate in all; 0: saturated.
  void Warmthd(const std::string& mode, int per_request, int clients, bool fresh,
               double events_per_s = 0) {
    const std::string dir = NewDir();
    Row row;
    auto daemon = WarmthdProcess::Start(options_.warmthd, dir);
    if (!daemon.ok()) {
      row.problem = daemon.status().message();
    } else {
      ClientLoad load = Load((*daemon)->endpoint(), per_request, clients);
      load.events_per_s = events_per_s;
      if (mode == "warmthd-known" || mode == "warmthd-new") {
        // The pair: the same id length in both, and ids that stay inside the pool.
        load.contact_digits = 7;
        load.events = std::min(load.events, kFreshPool / 3);
        load.fresh_contacts = fresh;
      }
      auto measured = RunClients(context_, load);
      row.Take(measured, (*daemon)->Stop());
      if (row.problem.empty()) {
        row.problem = Check(row.m);
      }
      if (row.problem.empty()) {
        row.problem = CheckStored((*daemon)->store_path(), row.m.accepted);
      }
    }
    row.m.mode = mode;
    row.m.per_request = per_request;
    row.m.clients = clients;
    Done(std::move(row), dir);
  }

  static std::string Check(const Measurement& m) {
    if (m.complete()) {
      return "";
    }
    return fmt::format("{} events sent, {} acknowledged ACCEPTED, {} DUPLICATE, {} REJECTED",
                       m.events, m.accepted, m.duplicate, m.rejected);
  }

  // The acknowledged events are on disk, each once.
  static std::string CheckStored(const std::string& db, std::int64_t accepted) {
    const auto rows = CountInteractions(db);
    if (!rows.ok()) {
      return rows.status().message();
    }
    if (*rows != accepted) {
      return fmt::format("{} events acknowledged, {} interactions in the store", accepted, *rows);
    }
    return "";
  }

  void Done(Row row, const std::string& dir) {
    const Measurement& m = row.m;
    if (row.problem.empty()) {
      spdlog::info(
          "{:<13} {:>2} per request, clients {}: {:>9.0f} events/s, p50 {:.2f} ms, "
          "p99 {:.2f} ms ({} events, {:.2f} s{})",
          m.mode, m.per_request, m.clients, m.events_per_s(), m.p50_ms, m.p99_ms, m.events,
          m.seconds, m.resent > 0 ? fmt::format(", {} resent", m.resent) : "");
    } else {
      spdlog::error("{} {} per request, clients {}: {}", m.mode, m.per_request, m.clients,
                    row.problem);
    }
    rows_.push_back(std::move(row));
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  const Measurement* Find(const std::string& mode, int per_request, int clients) const {
    for (const Row& row : rows_) {
      if (row.m.mode == mode && row.m.per_request == per_request && row.m.clients == clients &&
          row.problem.empty()) {
        return &row.m;
      }
    }
    return nullptr;
  }

  // Each figure over the raw ack limit of the same load (sqlite and the
  // single-client pair: the raw row with one client).
  void Ratios() {
    for (Row& row : rows_) {
      const Measurement* raw = Find("raw", row.m.per_request, row.m.clients);
      row.m.ratio = raw != nullptr && raw->events_per_s() > 0
                        ? row.m.events_per_s() / raw->events_per_s()
                        : 0;
    }
  }

  // The targets, as lines of text.
  std::vector<std::string> Summary() const {
    std::vector<std::string> out;
    const int most = *std::max_element(options_.clients.begin(), options_.clients.end());
    for (const auto& [per_request, target] : {std::pair{1, 0.30}, std::pair{10, 0.40}}) {
      const Measurement* w = Find("warmthd", per_request, most);
      const Measurement* p = Find("pipeline", per_request, most);
      if (w == nullptr) {
        continue;
      }
      out.push_back(fmt::format(
          "warmthd, {} per request, {} clients: {:.3f}x the raw ack limit (target >= {:.2f}x){}",
          per_request, most, w->ratio, target,
          p != nullptr ? fmt::format("; the minimal pipeline {:.3f}x", p->ratio) : ""));
    }
    for (const int per_request : {1, 10}) {
      if (const Measurement* half = Find("warmthd-half", per_request, most); half != nullptr) {
        out.push_back(fmt::format(
            "warmthd at half its peak ({:.0f} events/s), {} per request, {} clients: ack p50 "
            "{:.2f} ms, p99 {:.2f} ms (target < 2 ms, < 25 ms)",
            half->events_per_s(), per_request, most, half->p50_ms, half->p99_ms));
      }
    }
    const Measurement* known = Find("warmthd-known", pair_per_request_, 1);
    const Measurement* fresh = Find("warmthd-new", pair_per_request_, 1);
    if (known != nullptr && fresh != nullptr && fresh->events_per_s() > 0) {
      out.push_back(
          fmt::format("new identifiers: {:.0f} events/s, known ({} contacts): {:.0f} events/s; "
                      "known/new = {:.2f}x (target <= 2x)",
                      fresh->events_per_s(), options_.contacts, known->events_per_s(),
                      known->events_per_s() / fresh->events_per_s()));
    }
    return out;
  }

  void PrintTsv(std::ostream& out) const {
    out << "mode\tper_request\tclients\tevents_per_s\tratio\tp50_ms\tp99_ms\tevents\taccepted"
           "\tseconds\tresent\n";
    for (const Row& row : rows_) {
      const Measurement& m = row.m;
      out << fmt::format("{}\t{}\t{}\t{:.0f}\t{:.4f}\t{:.3f}\t{:.3f}\t{}\t{}\t{:.3f}\t{}\n", m.mode,
                         m.per_request, m.clients, m.events_per_s(), m.ratio, m.p50_ms, m.p99_ms,
                         m.events, m.accepted, m.seconds, m.resent);
    }
    for (const std::string& line : Summary()) {
      out << "# " << line << '\n';
    }
    out << std::flush;
  }

  void PrintTable(std::ostream& out) const {
    out << "| mode          | per request | clients |     events |  events/s | x raw | "
           "p50 (ms) | p99 (ms) |\n"
        << "|---------------|------------:|--------:|-----------:|----------:|------:|"
           "---------:|---------:|\n";
    for (const Row& row : rows_) {
      const Measurement& m = row.m;
      out << fmt::format(
          "| {:<13} | {:>11} | {:>7} | {:>10} | {:>9.0f} | {:>5} | {:>8.2f} | {:>8.2f} |{}\n",
          m.mode, m.per_request, m.clients, m.events, m.events_per_s(),
          m.mode == "raw" ? "1" : fmt::format("{:.3f}", m.ratio), m.p50_ms, m.p99_ms,
          row.problem.empty() ? "" : " FAILED");
    }
    out << '\n';
    for (const std::string& line : Summary()) {
      out << line << '\n';
    }
    out << std::flush;
  }

  Options options_;
  zmq::context_t context_{2};
  fs::path work_;
  int runs_ = 0;
  int pair_per_request_ = 10;
  std::vector<Row> rows_;
  std::int64_t base_rss_kib_ = 0;
  std::vector<ScaleReport> scale_rows_;
};

constexpr char kAbout[] =
    "warmth-bench: warmthd's durable ingest against its limits. In one run, on the same "
    "messages (warmth-load's IngestRequests over ipc://, pipelined DEALER clients, each in a "
    "thread with its own window), it measures for 1 and 10 interactions per request: 'raw', a "
    "ROUTER in this process that parses each request and acks every item without storing "
    "(the ack limit); 'sqlite', the same rows into a SQLite file (the store's schema, WAL, "
    "synchronous=FULL), one transaction per request, no ZeroMQ; 'pipeline', the minimal "
    "durable pipeline (drain, one transaction with INSERT OR IGNORE on the idempotency key, "
    "commit, acks); 'warmthd', the real daemon on a fresh store for each row; 'warmthd-half', "
    "the same load paced at half the rate warmthd reached, for the ack latency below "
    "saturation. Then, with one "
    "client and 10 per request, warmthd with every interaction naming new contacts from a "
    "pool of 10^6 ids never repeated ('warmthd-new') against a pool of known ones "
    "('warmthd-known'), ids of the same length in both. Each client has its own contact pool "
    "(no contact's events arrive out of time order). Prints events/s, the ratio to 'raw' of the "
    "same load, and ack p50 and p99. Exits 1 when any event was not acknowledged ACCEPTED exactly "
    "once or is missing "
    "from the store afterwards.";

int Main(int argc, char** argv) {
  Options options;
  options.warmthd = DefaultWarmthd();
  CLI::App cli(kAbout, "warmth-bench");
  auto* events = cli.add_option("--events", options.events,
                                "At most this many events per measurement, split over the "
                                "clients (0: no limit, --seconds ends it)")
                     ->check(CLI::NonNegativeNumber);
  auto* seconds = cli.add_option("--seconds", options.seconds,
                                 "Stop sending new requests after this long, per measurement "
                                 "(0: no limit, --events ends it)")
                      ->check(CLI::NonNegativeNumber)
                      ->capture_default_str();
  cli.add_option("--window", options.window, "Requests in flight per client")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  auto* clients = cli.add_option("--clients", options.clients,
                                 "Numbers of concurrent clients, one row each (default 1,2,4,8)")
                      ->delimiter(',')
                      ->check(CLI::Range(1, 64));
  cli.add_option("--per-request", options.per_request,
                 "Interactions per request, rows for each (default 1,10)")
      ->delimiter(',')
      ->check(CLI::Range(1, 10000));
  cli.add_option("--modes", options.modes,
                 "What to measure (default all): raw, sqlite, pipeline, warmthd, half (warmthd "
                 "paced at half of the warmthd row's rate: ack latency below saturation; needs "
                 "warmthd), pair (warmthd on new identifiers and on known ones); ratios need raw")
      ->delimiter(',')
      ->check(CLI::IsMember({"raw", "sqlite", "pipeline", "warmthd", "half", "pair"}));
  cli.add_option("--contacts", options.contacts,
                 "Known contacts per client (each client its own pool)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cli.add_option("--warmthd", options.warmthd, "The warmthd binary")->capture_default_str();
  cli.add_option("--tmp", options.tmp,
                 "Directory for the stores and sockets (default: $TMPDIR or /tmp); use a real "
                 "disk, fsync on tmpfs costs nothing");
  cli.add_option("--scale", options.scale,
                 "Instead of ingest: for each number of contacts (e.g. 10000,1000000), write a "
                 "store of that many with --per-contact interactions each, start warmthd on it "
                 "and report start-up against a bare scan of the contacts table, resident bytes "
                 "per contact beyond warmthd's base on an empty store, and query latencies")
      ->delimiter(',')
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  cli.add_option("--per-contact", options.scale_load.per_contact,
                 "--scale: stored interactions per contact")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cli.add_option("--sorted-every", options.scale_load.sorted_every,
                 "--scale: every k-th contact has a circle, the others are unsorted")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  cli.add_flag("--keep", options.keep,
               "--scale: keep the stores (run-N/data/warmth.db under the directory it logs), "
               "e.g. to profile warmthd's start-up on them");
  auto* queries =
      cli.add_option("--queries", options.scale_load.queries, "--scale: queries of each kind")
          ->check(CLI::Range(1, 100'000))
          ->capture_default_str();
  cli.add_flag("--smoke", options.smoke,
               "Tiny sizes for a test: 4000 events per measurement, clients 1,2; with --scale, "
               "20 queries of each kind");
  cli.add_option("--format", options.format,
                 "table (Markdown) or tsv (one row per measurement: mode, per_request, clients, "
                 "events_per_s, ratio, p50_ms, p99_ms, events, accepted, seconds, resent; "
                 "'#' lines sum up)")
      ->check(CLI::IsMember({"table", "tsv"}))
      ->capture_default_str();
  cli.add_option("--tsv", options.tsv_file,
                 "Also write the tsv format to this file (for bench/plot_ingest.sh)");
  cli.add_option("--log-level", options.log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  if (options.smoke) {
    if (events->count() == 0) {
      options.events = 4000;
    }
    if (seconds->count() == 0) {
      options.seconds = 0;
    }
    if (clients->count() == 0) {
      options.clients = {1, 2};
    }
    if (queries->count() == 0) {
      options.scale_load.queries = 20;
    }
  }
  if (options.events == 0 && options.seconds == 0) {
    std::cerr << "warmth-bench: --events and --seconds cannot both be 0\n";
    return 2;
  }
  base::SetUpLogging("warmth-bench", options.log_level);
  return Bench(options).Run();
}

}  // namespace
}  // namespace warmth::bench

int main(int argc, char** argv) {
  try {
    return warmth::bench::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "warmth-bench: " << e.what() << '\n';
    return 1;
  }
}
