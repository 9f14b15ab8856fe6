// warmctl chart: a contact's warmth over time, each interaction marked by
// channel, the threshold dashed; or small multiples of a circle. Drawn by
// gnuplot, fed a script with inline data through a pipe.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "clients/warmctl/warmctl.h"
#include "daemon/core/history.h"
#include "daemon/core/types.h"
#include "daemon/transport/codec.h"

namespace warmth::warmctl {
namespace {

// Between interactions the curve is sampled this often: smooth enough for a
// half-life of a week, few enough points for a year.
constexpr core::Duration kStep = std::chrono::hours(6);
constexpr int kPageSize = 10000;
constexpr int kColumns = 3;  // small multiples per row

struct ChartArgs {
  std::string contact;
  std::string circle;
  std::string out;
  std::string since;
  bool data = false;  // hidden: the computed series as text, for tests
};

struct Sample {
  core::TimePoint at;
  double warmth = 0;
};

// One interaction on the curve; `warmth` just after it.
struct Mark {
  core::TimePoint at;
  double warmth = 0;
  core::Channel channel = core::Channel::kUnspecified;
  bool missed = false;
};

struct Series {
  const v1::ContactInfo* info = nullptr;
  std::vector<Sample> samples;
  std::vector<Mark> marks;
};

// The daemon's fold (core::Step) over `events`, in time order, sampled from
// `from` to `to`: every kStep, and just before and just after each
// interaction. Events before `from` count, unseen.
Series Sampled(const std::vector<core::Event>& events, const core::FoldParams& params,
               core::TimePoint from, core::TimePoint to) {
  Series out;
  core::Summary s;
  std::size_t i = 0;
  while (i < events.size() && events[i].at < from) {
    core::Step(s, events[i++], params);
  }
  const auto at = [&](core::TimePoint t) { return core::WarmthAt(s, t, params.half_life); };
  core::TimePoint t = from;
  while (true) {
    const bool more = i < events.size() && events[i].at <= to;
    const core::TimePoint next = more ? events[i].at : to;
    for (; t < next; t += kStep) {
      out.samples.push_back({t, at(t)});
    }
    if (!more) {
      break;
    }
    out.samples.push_back({next, at(next)});  // just before
    for (; i < events.size() && events[i].at == next; ++i) {
      core::Step(s, events[i], params);
      // A missed call changes nothing: marked on the curve where it is.
      out.marks.push_back({next, at(next), events[i].channel, events[i].missed});
    }
    out.samples.push_back({next, at(next)});  // just after
  }
  out.samples.push_back({to, at(to)});
  return out;
}

core::Event ToEvent(const v1::Interaction& in) {
  core::Event e;
  e.at = client::FromProto(in.occurred_at());
  e.channel = static_cast<core::Channel>(in.channel());
  e.direction = static_cast<core::Direction>(in.direction());
  e.missed = in.missed();
  return e;
}

// Every stored interaction, page by page, grouped by the contacts it counts
// for. The API has no per-contact history beyond GetContact's latest 100, so
// this reads the whole store once; warmth before --since shapes the curve
// after it, so --since cannot shorten the read.
core::Result<std::map<std::string, std::vector<core::Event>>> FetchEvents(
    Context& ctx, const std::vector<std::string>& ids) {
  std::map<std::string, std::vector<core::Event>> events;
  for (const std::string& id : ids) {
    events[id];
  }
  v1::Request request;
  v1::ListInteractions* list = request.mutable_list_interactions();
  list->set_limit(kPageSize);
  while (true) {
    auto reply = ctx.Call(request);
    if (!reply.ok()) {
      return reply.status();
    }
    for (const v1::Interaction& in : reply->interactions().interactions()) {
      for (const std::string& id : in.contacts()) {
        if (auto it = events.find(id); it != events.end()) {
          it->second.push_back(ToEvent(in));
        }
      }
    }
    if (reply->interactions().next_cursor().empty()) {
      break;
    }
    list->set_after(reply->interactions().next_cursor());
  }
  // Oldest first already; a stable sort keeps that promise for ties.
  for (auto& [id, list_of] : events) {
    std::stable_sort(list_of.begin(), list_of.end(),
                     [](const core::Event& a, const core::Event& b) { return a.at < b.at; });
  }
  return events;
}

core::FoldParams ParamsFor(const Context& ctx, const v1::ContactInfo& info) {
  core::FoldParams params;
  params.model = &ctx.config.engine.model;
  // The half-life the daemon decays this contact with (circle, family, cadence).
  params.half_life = std::chrono::duration_cast<core::Duration>(
      std::chrono::seconds(info.half_life().seconds()) +
      std::chrono::nanoseconds(info.half_life().nanos()));
  if (params.half_life <= core::Duration::zero()) {
    const auto& c = info.contact();
    params.half_life =
        ctx.config.engine.model.HalfLife(static_cast<core::Circle>(c.circle()), c.family());
  }
  params.threshold = ctx.config.engine.model.threshold;
  return params;
}

// --- Drawing -----------------------------------------------------------------

struct Style {
  const char* label;
  const char* colour;
  int point;  // gnuplot point type
};

// Indexed by core::Channel; colours from the Okabe-Ito palette, which stays
// readable for colour-blind eyes; live channels filled, online ones open.
constexpr std::array<Style, core::kChannelCount> kStyles = {{
    {"other", "#999999", 1},
    {"in person", "#D55E00", 7},
    {"call", "#0072B2", 5},
    {"video", "#009E73", 9},
    {"voice message", "#CC79A7", 11},
    {"letter", "#E69F00", 13},
    {"message", "#56B4E9", 6},
    {"e-mail", "#6A3D9A", 4},
    {"social", "#999999", 8},
}};
constexpr Style kMissed = {"missed call", "#000000", 2};

// In gnuplot's single-quoted strings only a quote needs escaping (doubled).
std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

std::string When(core::TimePoint t, const date::time_zone* zone) {
  return date::format("%Y-%m-%dT%H:%M:%S",
                      date::make_zoned(zone, std::chrono::floor<std::chrono::seconds>(t)));
}

std::string Title(const v1::ContactInfo& info) {
  return Name(info.contact()) + ", " + CircleName(info.contact().circle());
}

// One panel: the curve, the threshold, one plot per channel present.
void Panel(std::ostream& gp, const Context& ctx, const Series& s, int n, bool key) {
  const std::string tag = "$w" + std::to_string(n);
  gp << tag << " << EOD\n";
  for (const Sample& p : s.samples) {
    gp << When(p.at, ctx.zone) << ' ' << Fixed(p.warmth, 3) << '\n';
  }
  gp << "EOD\n";
  std::map<int, std::string> groups;  // style index (missed last) → data block
  for (const Mark& m : s.marks) {
    const int style = m.missed ? core::kChannelCount : static_cast<int>(m.channel);
    const std::string block = tag + "c" + std::to_string(style);
    if (groups.emplace(style, block).second) {
      gp << block << " << EOD\n";
      for (const Mark& o : s.marks) {
        const int other = o.missed ? core::kChannelCount : static_cast<int>(o.channel);
        if (other == style) {
          gp << When(o.at, ctx.zone) << ' ' << Fixed(o.warmth, 3) << '\n';
        }
      }
      gp << "EOD\n";
    }
  }
  const double threshold = ctx.config.engine.model.threshold;
  gp << "set title " << Quoted(Title(*s.info)) << '\n';
  gp << (key ? "set key outside below center horizontal\n" : "unset key\n");
  gp << "plot " << tag << " using 1:2 with lines lw 2 lc rgb '#B03A2E' title 'warmth', \\\n"
     << "  " << Fixed(threshold, 3) << " with lines dt 2 lw 1.5 lc rgb '#555555' title "
     << Quoted("threshold " + Fixed(threshold, 0));
  for (const auto& [style, block] : groups) {
    const Style& st = style == core::kChannelCount ? kMissed : kStyles[style];
    gp << ", \\\n  " << block << " using 1:2 with points pt " << st.point << " ps 1.3 lc rgb '"
       << st.colour << "' title " << Quoted(st.label);
  }
  gp << '\n';
}

// The whole gnuplot script for `series`, drawn to `out` (svg or png by its
// extension).
std::string Script(const Context& ctx, const std::vector<Series>& series, const std::string& out,
                   core::TimePoint from, core::TimePoint to) {
  const bool png = out.size() > 4 && out.substr(out.size() - 4) == ".png";
  const int n = static_cast<int>(series.size());
  const int cols = n == 1 ? 1 : std::min(kColumns, n);
  const int rows = (n + cols - 1) / cols;
  const int width = n == 1 ? 900 : 360 * cols + 140;
  const int height = n == 1 ? 420 : 240 * rows;
  std::ostringstream gp;
  gp << "set terminal " << (png ? "pngcairo" : "svg") << " size " << width << ',' << height
     << " font 'sans," << (n == 1 ? 11 : 9) << "' background rgb 'white'\n";
  gp << "set output " << Quoted(out) << '\n';
  gp << "set encoding utf8\n";
  gp << "set xdata time\nset timefmt '%Y-%m-%dT%H:%M:%S'\n";
  const auto span = to - from;
  gp << "set format x " << (span > 400 * core::kDay ? "'%b %Y'" : "'%b %d'") << '\n';
  // A little room on the right: a marker made now is not cut by the border.
  gp << "set xrange ['" << When(from, ctx.zone) << "':'" << When(to + span / 40, ctx.zone)
     << "']\n";
  gp << "set yrange [0:100]\nset ytics 0,25,100\nset grid ytics lc rgb '#dddddd'\n";
  gp << "set border 3\nset xtics nomirror\nset ytics nomirror\n";
  if (n == 1) {
    gp << "set ylabel 'warmth'\n";
  } else {
    gp << "set xtics rotate by 0 font ',8'\nset multiplot layout " << rows << ',' << cols << '\n';
  }
  for (int i = 0; i < n; ++i) {
    // Small multiples share one legend: the first panel's.
    Panel(gp, ctx, series[static_cast<std::size_t>(i)], i, n == 1 || i == 0);
  }
  if (n > 1) {
    gp << "unset multiplot\n";
  }
  return gp.str();
}

// gnuplot on PATH, as popen would find it.
bool HaveGnuplot() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string file = (dir.empty() ? "." : dir) + "/gnuplot";
    if (::access(file.c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

int Draw(Context& ctx, const std::string& script, const std::string& out) {
  if (!HaveGnuplot()) {
    ctx.err << "warmctl: chart needs gnuplot (Debian: apt-get install gnuplot-nox)\n";
    return kExitError;
  }
  // gnuplot reports its own errors on our stderr; -persist is not wanted.
  FILE* pipe = ::popen("gnuplot", "w");
  if (pipe == nullptr) {
    ctx.err << "warmctl: cannot start gnuplot\n";
    return kExitError;
  }
  const bool written = std::fwrite(script.data(), 1, script.size(), pipe) == script.size();
  const int status = ::pclose(pipe);
  if (!written || status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ctx.err << "warmctl: gnuplot failed drawing " << out << '\n';
    return kExitError;
  }
  ctx.out << "Wrote " << out << '\n';
  return 0;
}

// --data: the series as lines of text, times in UTC.
void PrintData(Context& ctx, const std::vector<Series>& series) {
  ctx.out << "threshold\t" << Fixed(ctx.config.engine.model.threshold, 3) << '\n';
  for (const Series& s : series) {
    const std::string& id = s.info->contact().id();
    for (const Sample& p : s.samples) {
      ctx.out << "sample\t" << id << '\t' << core::FormatUtc(p.at) << '\t' << Fixed(p.warmth, 3)
              << '\n';
    }
    for (const Mark& m : s.marks) {
      ctx.out << "mark\t" << id << '\t' << core::FormatUtc(m.at) << '\t'
              << (m.missed ? "missed_call" : ChannelName(static_cast<int>(m.channel))) << '\t'
              << Fixed(m.warmth, 3) << '\n';
    }
  }
}

core::Result<std::vector<v1::ContactInfo>> Contacts(Context& ctx, const ChartArgs& args) {
  std::vector<v1::ContactInfo> out;
  if (args.circle.empty()) {
    auto info = FetchContact(ctx, args.contact);
    if (!info.ok()) {
      return info.status();
    }
    out.push_back(*std::move(info));
    return out;
  }
  const auto circle = core::ParseCircle(args.circle);
  if (!circle || *circle == core::Circle::kUnspecified) {
    return core::Status::InvalidArgument(
        "--circle: expected inner, close, network or acquaintance");
  }
  v1::Request request;
  request.mutable_list_contacts();
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return reply.status();
  }
  for (const v1::ContactInfo& info : reply->contacts().contacts()) {
    if (info.contact().circle() == static_cast<int>(*circle)) {
      out.push_back(info);
    }
  }
  // Alphabetical by id: panels keep their place from one chart to the next.
  std::sort(out.begin(), out.end(), [](const v1::ContactInfo& a, const v1::ContactInfo& b) {
    return a.contact().id() < b.contact().id();
  });
  if (out.empty()) {
    return core::Status::NotFound("no contacts in the " + args.circle + " circle");
  }
  return out;
}

int Chart(Context& ctx, const ChartArgs& args) {
  if (args.contact.empty() == args.circle.empty()) {
    return Usage(ctx, "chart: name a CONTACT or give --circle, not both");
  }
  std::optional<core::TimePoint> since;
  if (!args.since.empty()) {
    auto t = args.since.size() == 10 ? client::ParseLocalDay(args.since, ctx.zone)
                                     : client::ParseWhen(args.since, ctx.zone, ctx.now);
    if (!t.ok()) {
      return Usage(ctx, "--since: " + t.status().message());
    }
    since = *t;
  }
  const std::string out =
      !args.out.empty() ? args.out : (args.circle.empty() ? args.contact : args.circle) + ".svg";
  const std::string ext = std::filesystem::path(out).extension().string();
  if (!args.data && ext != ".svg" && ext != ".png") {
    return Usage(ctx, "--out: expected a file ending in .svg or .png");
  }
  auto infos = Contacts(ctx, args);
  if (!infos.ok()) {
    return infos.status().code() == core::Code::kInvalidArgument
               ? Usage(ctx, infos.status().message())
               : Fail(ctx, infos.status());
  }
  std::vector<std::string> ids;
  for (const auto& info : *infos) {
    ids.push_back(info.contact().id());
  }
  auto events = FetchEvents(ctx, ids);
  if (!events.ok()) {
    return Fail(ctx, events.status());
  }
  // One time span for every panel: from --since, else a day before the first
  // interaction shown, else 30 days back.
  core::TimePoint from = ctx.now - 30 * core::kDay;
  if (since) {
    from = *since;
  } else {
    std::optional<core::TimePoint> first;
    for (const auto& [id, list] : *events) {
      if (!list.empty() && (!first || list.front().at < *first)) {
        first = list.front().at;
      }
    }
    if (first) {
      from = std::min(*first, ctx.now) - core::kDay;
    }
  }
  std::vector<Series> series;
  for (const auto& info : *infos) {
    Series s = Sampled(events->at(info.contact().id()), ParamsFor(ctx, info), from, ctx.now);
    s.info = &info;
    series.push_back(std::move(s));
  }
  if (args.data) {
    PrintData(ctx, series);
    return 0;
  }
  return Draw(ctx, Script(ctx, series, out, from, ctx.now), out);
}

}  // namespace

void AddChartCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<ChartArgs>();
  auto* chart = cli.add_subcommand(
      "chart", "Draw a contact's warmth over time (or a circle's, one small panel each)");
  chart->fallthrough();
  chart->add_option("contact", args->contact, "Contact id or identifier");
  chart->add_option("--circle", args->circle, "inner, close, network or acquaintance");
  chart->add_option("--out,-o", args->out, "FILE.svg or FILE.png (default: CONTACT.svg)");
  chart->add_option("--since", args->since, "From this day or time (2026-01-01, \"90d ago\")");
  chart->add_flag("--data", args->data, "")->group("");  // hidden: the series, for tests
  commands.push_back({chart, [&ctx, args] { return Chart(ctx, *args); }});
}

}  // namespace warmth::warmctl
