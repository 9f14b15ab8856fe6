// warmctl trip add|list|rm: meet people where you travel.
#include <iomanip>
#include <memory>

#include <CLI/CLI.hpp>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "daemon/transport/codec.h"

namespace warmth::warmctl {
namespace {

struct TripArgs {
  std::string city;
  std::string from;
  std::string to;
  std::vector<std::string> tags;
  std::string id;
};

int TripAdd(Context& ctx, const TripArgs& args) {
  const std::string& from = args.from;
  const std::string& to = args.to;
  auto start = client::ParseLocalDay(from, ctx.zone);
  if (!start.ok()) {
    return Usage(ctx, "--from: " + start.status().message());
  }
  auto last = client::ParseLocalDay(to.empty() ? from : to, ctx.zone);
  if (!last.ok()) {
    return Usage(ctx, "--to: " + last.status().message());
  }
  // --to names the last day: the trip ends when that day does.
  const date::local_days last_day =
      date::floor<date::days>(ctx.zone->to_local(*last)) + date::days(1);
  const core::TimePoint end(
      ctx.zone->to_sys(date::local_seconds(last_day), date::choose::earliest));
  v1::Request request;
  v1::Trip* trip = request.mutable_upsert_trip()->mutable_trip();
  trip->set_id(args.id);
  trip->set_city(args.city);
  transport::ToProto(*start, trip->mutable_starts_at());
  transport::ToProto(end, trip->mutable_ends_at());
  for (const auto& t : args.tags) {
    trip->add_tags(t);
  }
  return CallAndPrint(ctx, request, {.json = &v1::Reply::trip, .text = [&](const v1::Reply& reply) {
                                       ctx.out << "Added trip " << reply.trip().id() << ": "
                                               << args.city << ", " << from << " to "
                                               << (to.empty() ? from : to) << '\n';
                                       return 0;
                                     }});
}

int PrintTrips(Context& ctx, const v1::TripList& trips) {
  if (trips.trips().empty()) {
    ctx.out << "No trips.\n";
  }
  for (const auto& t : trips.trips()) {
    const core::TimePoint end = client::FromProto(t.ends_at()) - core::Duration(1);
    ctx.out << std::left << std::setw(32) << t.id() << std::setw(20) << t.city()
            << client::LocalDate(client::FromProto(t.starts_at()), ctx.zone) << " to "
            << client::LocalDate(end, ctx.zone);
    for (int i = 0; i < t.tags_size(); ++i) {
      ctx.out << (i == 0 ? "  tags: " : ", ") << t.tags(i);
    }
    ctx.out << std::right << '\n';
  }
  return 0;
}

int TripList(Context& ctx) {
  v1::Request request;
  request.mutable_list_trips();
  return CallAndPrint(ctx, request,
                      {.json = &v1::Reply::trips, .text = [&](const v1::Reply& reply) {
                         return PrintTrips(ctx, reply.trips());
                       }});
}

int TripRemove(Context& ctx, const std::string& id) {
  v1::Request request;
  request.mutable_remove_trip()->set_trip_id(id);
  return CallAndPrintLine(ctx, request, &v1::Reply::ack, "Removed trip " + id);
}

}  // namespace

void AddTripCommands(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<TripArgs>();
  auto* trip = cli.add_subcommand("trip", "Trips: meet people where you travel");
  trip->require_subcommand(1);
  auto* add = trip->add_subcommand("add", "Add a trip");
  add->add_option("--city", args->city, "Where")->required();
  add->add_option("--from", args->from, "First day, 2026-12-03")->required();
  add->add_option("--to", args->to, "Last day (default: the first)");
  add->add_option("--tag", args->tags, "Contacts sharing a tag are suggested too (repeatable)");
  add->add_option("--id", args->id, "Id (default: city and date)");
  commands.push_back({add, [&ctx, args] { return TripAdd(ctx, *args); }});
  auto* list = trip->add_subcommand("list", "List trips");
  commands.push_back({list, [&ctx] { return TripList(ctx); }});
  auto* rm = trip->add_subcommand("rm", "Remove a trip");
  auto rm_id = std::make_shared<std::string>();
  rm->add_option("id", *rm_id, "Trip id")->required();
  commands.push_back({rm, [&ctx, rm_id] { return TripRemove(ctx, *rm_id); }});
  for (CLI::App* sub : {trip, add, list, rm}) {
    sub->fallthrough();
  }
}

}  // namespace warmth::warmctl
