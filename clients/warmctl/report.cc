// warmctl report: quality over quantity, in numbers — how many people you
// actually speak with, your circles against Dunbar's layers, live against
// online, who is warmest and who is neglected, what became of the nudges.
#include <algorithm>
#include <array>
#include <iomanip>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "daemon/core/types.h"
#include "daemon/transport/codec.h"
#include "warmth/v1/report.pb.h"

namespace warmth::warmctl {
namespace {

// The windows "spoke with live" counts in; the longest bounds what is read.
constexpr std::array<int, 3> kLiveWindowDays = {30, 90, 365};
constexpr int kShareWindowDays = 90;  // live versus online
constexpr int kNudgeWindowDays = 30;  // nudges published
constexpr int kWarmest = 3;
constexpr int kNeglected = 5;
constexpr int kPageSize = 10000;

// Dunbar's layers, indexed by v1::Circle (INNER..ACQUAINTANCE): each layer
// holds the ones inside it, so a circle is compared with itself and every
// closer circle together.
constexpr std::array<int, 5> kDunbar = {0, 5, 15, 50, 150};

bool IsLiveInteraction(const v1::Interaction& in) {
  return core::IsLive(static_cast<core::Channel>(in.channel())) && !in.missed();
}

bool IsOnlineInteraction(const v1::Interaction& in) {
  return in.channel() == v1::MESSAGE || in.channel() == v1::EMAIL || in.channel() == v1::SOCIAL;
}

struct CircleLine {
  int circle = 0;
  int size = 0;
  int layer = 0;  // this circle and the closer ones
  int dunbar = 0;
  bool Over() const { return layer > dunbar; }
};

struct Person {
  const v1::ContactInfo* info = nullptr;
  std::optional<core::TimePoint> last_live;  // within the last 365 days
};

struct Report {
  core::TimePoint now;
  int with_circle = 0;
  int unsorted = 0;
  std::array<int, kLiveWindowDays.size()> spoke_live{};
  int live = 0;  // interactions in the last kShareWindowDays
  int online = 0;
  int other = 0;  // letters, voice messages, missed calls
  std::vector<CircleLine> circles;
  std::vector<Person> warmest;
  std::vector<Person> neglected;
  int published = 0;  // nudges in the last kNudgeWindowDays, by their state now
  int done = 0;
  int dismissed = 0;
  int snoozed = 0;
  int pending = 0;
  double LiveShare() const {
    return live + online == 0 ? 0.0 : static_cast<double>(live) / (live + online);
  }
};

core::TimePoint DaysBefore(core::TimePoint now, int days) {
  return now - days * core::kDay;
}

// Live contact per window and live against online, from the interactions;
// the last live contact of each contact in `last_live`.
void CountInteractions(Report& r, const std::vector<v1::Interaction>& interactions,
                       std::map<std::string, core::TimePoint>& last_live) {
  std::array<std::set<std::string>, kLiveWindowDays.size()> spoke;
  for (const v1::Interaction& in : interactions) {
    const core::TimePoint at = client::FromProto(in.occurred_at());
    if (at > r.now) {
      continue;
    }
    if (IsLiveInteraction(in)) {
      for (const std::string& id : in.contacts()) {
        auto [it, fresh] = last_live.emplace(id, at);
        if (!fresh) {
          it->second = std::max(it->second, at);
        }
        for (std::size_t w = 0; w < kLiveWindowDays.size(); ++w) {
          if (at >= DaysBefore(r.now, kLiveWindowDays[w])) {
            spoke[w].insert(id);
          }
        }
      }
    }
    if (at >= DaysBefore(r.now, kShareWindowDays)) {
      ++(IsLiveInteraction(in) ? r.live : IsOnlineInteraction(in) ? r.online : r.other);
    }
  }
  for (std::size_t w = 0; w < spoke.size(); ++w) {
    r.spoke_live[w] = static_cast<int>(spoke[w].size());
  }
}

// Warmest: any circle, warmest first (ties by id, for a stable order).
// Neglected: inner and close (not muted) below the threshold; the longest
// without a live contact first (none in a year before all), then coldest.
void RankPeople(Report& r, const std::vector<Person>& people, double threshold) {
  for (const Person& p : people) {
    if (p.info->warmth() > 0) {
      r.warmest.push_back(p);
    }
    const v1::Contact& c = p.info->contact();
    if ((c.circle() == v1::INNER || c.circle() == v1::CLOSE) && !c.muted() &&
        p.info->warmth() < threshold) {
      r.neglected.push_back(p);
    }
  }
  std::sort(r.warmest.begin(), r.warmest.end(), [](const Person& a, const Person& b) {
    if (a.info->warmth() != b.info->warmth()) {
      return a.info->warmth() > b.info->warmth();
    }
    return a.info->contact().id() < b.info->contact().id();
  });
  if (r.warmest.size() > kWarmest) {
    r.warmest.resize(kWarmest);
  }
  std::sort(r.neglected.begin(), r.neglected.end(), [](const Person& a, const Person& b) {
    const auto key = [](const Person& p) { return p.last_live.value_or(core::TimePoint::min()); };
    if (key(a) != key(b)) {
      return key(a) < key(b);
    }
    if (a.info->warmth() != b.info->warmth()) {
      return a.info->warmth() < b.info->warmth();
    }
    return a.info->contact().id() < b.info->contact().id();
  });
  if (r.neglected.size() > kNeglected) {
    r.neglected.resize(kNeglected);
  }
}

// Circles against Dunbar's layers, and who is warmest and most neglected.
void CountContacts(Report& r, const v1::ContactList& contacts,
                   const std::map<std::string, core::TimePoint>& last_live, double threshold) {
  std::array<int, 5> sizes{};
  std::vector<Person> people;
  for (const v1::ContactInfo& info : contacts.contacts()) {
    const int circle = info.contact().circle();
    if (circle <= v1::CIRCLE_UNSPECIFIED || circle > v1::ACQUAINTANCE) {
      ++r.unsorted;
      continue;
    }
    ++r.with_circle;
    ++sizes[circle];
    Person p{&info, std::nullopt};
    if (auto it = last_live.find(info.contact().id()); it != last_live.end()) {
      p.last_live = it->second;
    }
    people.push_back(p);
  }
  int layer = 0;
  for (int c = v1::INNER; c <= v1::ACQUAINTANCE; ++c) {
    layer += sizes[c];
    r.circles.push_back({c, sizes[c], layer, kDunbar[c]});
  }
  RankPeople(r, people, threshold);
}

// Nudges published in the last kNudgeWindowDays, by their state now.
void CountNudges(Report& r, const v1::NudgeList& nudges) {
  for (const v1::Nudge& n : nudges.nudges()) {
    if (!n.has_published_at() ||
        client::FromProto(n.published_at()) < DaysBefore(r.now, kNudgeWindowDays)) {
      continue;
    }
    ++r.published;
    switch (n.state()) {
      case v1::DONE:
        ++r.done;
        break;
      case v1::DISMISSED:
        ++r.dismissed;
        break;
      case v1::SNOOZED:
        ++r.snoozed;
        break;
      default:
        ++r.pending;
        break;
    }
  }
}

// Everything from the three lists, at `now`; `threshold` separates warm
// from cooling. No I/O: `now` is the caller's.
Report Compute(const v1::ContactList& contacts, const std::vector<v1::Interaction>& interactions,
               const v1::NudgeList& nudges, core::TimePoint now, double threshold) {
  Report r;
  r.now = now;
  std::map<std::string, core::TimePoint> last_live;
  CountInteractions(r, interactions, last_live);
  CountContacts(r, contacts, last_live, threshold);
  CountNudges(r, nudges);
  return r;
}

// --- Reading what the report needs from the daemon ---------------------------

core::Result<v1::Reply> Ask(Context& ctx, const v1::Request& request) {
  return ctx.Call(request);
}

// Every interaction of the last 365 days, page by page: the daemon has no
// per-window counts, so this reads that year once (a scan of the year's
// interactions, not of the whole store).
core::Status FetchYear(Context& ctx, std::vector<v1::Interaction>& out) {
  v1::Request request;
  v1::ListInteractions* list = request.mutable_list_interactions();
  transport::ToProto(DaysBefore(ctx.now, kLiveWindowDays.back()), list->mutable_since());
  list->set_limit(kPageSize);
  while (true) {
    auto reply = Ask(ctx, request);
    if (!reply.ok()) {
      return reply.status();
    }
    for (v1::Interaction& in : *reply->mutable_interactions()->mutable_interactions()) {
      out.push_back(std::move(in));
    }
    if (reply->interactions().next_cursor().empty()) {
      return core::Status::Ok();
    }
    list->set_after(reply->interactions().next_cursor());
  }
}

// --- Printing ----------------------------------------------------------------

std::string Days(core::TimePoint t, core::TimePoint now) {
  return std::to_string(std::chrono::floor<std::chrono::days>(now - t).count()) + " d ago";
}

std::string LastLive(const Person& p, core::TimePoint now) {
  return p.last_live ? "last live " + Days(*p.last_live, now) : "no live contact in 365 d";
}

void PrintText(Context& ctx, const Report& r) {
  std::ostream& out = ctx.out;
  out << "warmth report, " << client::LocalTime(r.now, ctx.zone) << "\n\n";
  out << "Contacts:     " << r.with_circle << " with a circle, " << r.unsorted << " unsorted\n";
  out << "Spoke live:   ";
  for (std::size_t w = 0; w < kLiveWindowDays.size(); ++w) {
    out << (w > 0 ? ", " : "") << r.spoke_live[w] << " in " << kLiveWindowDays[w] << " d";
  }
  out << "  (in person, call, video)\n";
  out << "Live share:   ";
  if (r.live + r.online == 0) {
    out << "no live or online interactions in " << kShareWindowDays << " d\n";
  } else {
    out << Fixed(100 * r.LiveShare(), 0) << "% live in " << kShareWindowDays << " d (" << r.live
        << " live, " << r.online << " online";
    if (r.other > 0) {
      out << ", " << r.other << " other";
    }
    out << ")\n";
  }
  out << "\nCircles against Dunbar's layers (each layer holds the closer ones):\n";
  for (const CircleLine& c : r.circles) {
    out << "  " << std::left << std::setw(13) << CircleName(c.circle) << std::right << std::setw(4)
        << c.size << "   layer " << std::setw(4) << c.layer << " of ~" << std::left << std::setw(5)
        << c.dunbar << (c.Over() ? "over" : "within") << std::right << '\n';
  }
  out << "\nWarmest:\n";
  if (r.warmest.empty()) {
    out << "  nobody yet\n";
  }
  for (const Person& p : r.warmest) {
    out << "  " << std::right << std::setw(5) << Fixed(p.info->warmth()) << "  "
        << Name(p.info->contact()) << ", " << CircleName(p.info->contact().circle()) << '\n';
  }
  out << "\nNeglected (inner and close below the threshold):\n";
  if (r.neglected.empty()) {
    out << "  nobody\n";
  }
  for (const Person& p : r.neglected) {
    out << "  " << std::right << std::setw(5) << Fixed(p.info->warmth()) << "  "
        << Name(p.info->contact()) << ", " << CircleName(p.info->contact().circle()) << ", "
        << LastLive(p, r.now) << '\n';
  }
  out << "\nNudges in " << kNudgeWindowDays << " d: " << r.published << " published, " << r.done
      << " acted on, " << r.dismissed + r.snoozed << " ignored (" << r.dismissed << " dismissed, "
      << r.snoozed << " snoozed), " << r.pending << " pending\n";
}

void ToProto(const Person& p, v1::Report::Person* out) {
  out->set_id(p.info->contact().id());
  out->set_display_name(p.info->contact().display_name());
  out->set_circle(p.info->contact().circle());
  out->set_warmth(p.info->warmth());
  if (p.last_live) {
    transport::ToProto(*p.last_live, out->mutable_last_live_at());
  }
}

// --json: v1::Report (proto/warmth/v1/report.proto), printed like every
// other --json output.
v1::Report ToProto(const Report& r) {
  v1::Report out;
  transport::ToProto(r.now, out.mutable_at());
  out.mutable_contacts()->set_with_circle(r.with_circle);
  out.mutable_contacts()->set_unsorted(r.unsorted);
  out.mutable_spoke_live()->set_days30(r.spoke_live[0]);
  out.mutable_spoke_live()->set_days90(r.spoke_live[1]);
  out.mutable_spoke_live()->set_days365(r.spoke_live[2]);
  v1::Report::Share* share = out.mutable_interactions_90d();
  share->set_live(r.live);
  share->set_online(r.online);
  share->set_other(r.other);
  share->set_live_share(r.LiveShare());
  for (const CircleLine& c : r.circles) {
    v1::Report::Layer* line = out.add_circles();
    line->set_circle(static_cast<v1::Circle>(c.circle));
    line->set_size(c.size);
    line->set_layer(c.layer);
    line->set_dunbar(c.dunbar);
    line->set_verdict(c.Over() ? "over" : "within");
  }
  for (const Person& p : r.warmest) {
    ToProto(p, out.add_warmest());
  }
  for (const Person& p : r.neglected) {
    ToProto(p, out.add_neglected());
  }
  v1::Report::Nudges* nudges = out.mutable_nudges_30d();
  nudges->set_published(r.published);
  nudges->set_done(r.done);
  nudges->set_ignored(r.dismissed + r.snoozed);
  nudges->set_dismissed(r.dismissed);
  nudges->set_snoozed(r.snoozed);
  nudges->set_pending(r.pending);
  return out;
}

int ReportCommand(Context& ctx) {
  v1::Request request;
  request.mutable_list_contacts()->set_include_unsorted(true);
  auto contacts = Ask(ctx, request);
  if (!contacts.ok()) {
    return Fail(ctx, contacts.status());
  }
  request.Clear();
  // Every nudge ever published: the daemon keeps no per-window counts.
  for (int s = v1::PENDING; s <= v1::DISMISSED; ++s) {
    request.mutable_list_nudges()->add_states(static_cast<v1::NudgeState>(s));
  }
  auto nudges = Ask(ctx, request);
  if (!nudges.ok()) {
    return Fail(ctx, nudges.status());
  }
  std::vector<v1::Interaction> interactions;
  if (core::Status s = FetchYear(ctx, interactions); !s.ok()) {
    return Fail(ctx, s);
  }
  const Report r = Compute(contacts->contacts(), interactions, nudges->nudges(), ctx.now,
                           ctx.config.engine.model.threshold);
  if (ctx.json) {
    ctx.out << client::Json(ToProto(r)) << '\n';
  } else {
    PrintText(ctx, r);
  }
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto* report = cli.add_subcommand(
      "report", "Numbers: live contact, circles against Dunbar's layers, nudges acted on");
  report->fallthrough();
  commands.push_back({report, [&ctx] { return ReportCommand(ctx); }});
}

}  // namespace warmth::warmctl
