// warmctl export: the whole store as backup records, for `warmctl import
// backup`; --timeline: the store as a replay timeline, so that users can
// replay their own history with other settings (docs/rules.md).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <google/protobuf/util/json_util.h>

#include "clients/common/format.h"
#include "clients/warmctl/commands.h"
#include "daemon/transport/codec.h"

namespace warmth::warmctl {
namespace {

// Interactions asked for per page; the daemon also stops a page at about
// 1 MiB (InteractionList).
constexpr int kPageSize = 10000;

struct ExportArgs {
  bool timeline = false;
  std::string since;
};

// --since: a local day (from its first instant), or any time ParseWhen
// reads ("2026-01-01T00:00:00Z", "90d ago").
core::Result<core::TimePoint> ParseSince(const Context& ctx, const std::string& text) {
  if (text.size() == 10) {
    return client::ParseLocalDay(text, ctx.zone);
  }
  return client::ParseWhen(text, ctx.zone, ctx.now);
}

// One TimelineEntry line, in the protobuf JSON that `warmthd replay` reads.
class TimelineWriter {
 public:
  explicit TimelineWriter(std::ostream& out) : out_(out) {}

  void Write(core::TimePoint at, const v1::Request& request) {
    entry_.Clear();
    transport::ToProto(at, entry_.mutable_at());
    *entry_.mutable_request() = request;
    json_.clear();
    (void)google::protobuf::util::MessageToJsonString(entry_, &json_);
    out_ << json_ << '\n';
  }

 private:
  std::ostream& out_;
  v1::TimelineEntry entry_;
  std::string json_;
};

core::Result<v1::InteractionList> FetchPage(Context& ctx, std::optional<core::TimePoint> since,
                                            const std::string& after) {
  v1::Request request;
  v1::ListInteractions* list = request.mutable_list_interactions();
  if (since) {
    transport::ToProto(*since, list->mutable_since());
  }
  list->set_after(after);
  list->set_limit(kPageSize);
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return reply.status();
  }
  return reply->interactions();
}

// What the export wrote, for the closing line on stderr.
struct Written {
  int contacts = 0;
  int trips = 0;
  std::int64_t interactions = 0;
  std::int64_t orphans = 0;  // interactions whose contacts were all removed
};

// Contacts in the order the daemon met them, so that a replay numbers them
// the same way (nudge ids name those numbers), then trips: all at `start`,
// before the first interaction, as they are now.
core::Status WriteContactsAndTrips(Context& ctx, core::TimePoint start, TimelineWriter& writer,
                                   Written& written) {
  v1::Request request;
  request.mutable_list_contacts()->set_include_unsorted(true);
  request.mutable_list_contacts()->set_creation_order(true);
  auto contacts = ctx.Call(request);
  if (!contacts.ok()) {
    return contacts.status();
  }
  request.Clear();
  request.mutable_list_trips();
  auto trips = ctx.Call(request);
  if (!trips.ok()) {
    return trips.status();
  }
  for (const v1::ContactInfo& info : contacts->contacts().contacts()) {
    request.Clear();
    *request.mutable_upsert_contact()->mutable_contact() = info.contact();
    writer.Write(start, request);
    ++written.contacts;
  }
  for (const v1::Trip& trip : trips->trips().trips()) {
    request.Clear();
    *request.mutable_upsert_trip()->mutable_trip() = trip;
    writer.Write(start, request);
    ++written.trips;
  }
  return core::Status::Ok();
}

// One ingest per interaction, at the time it happened: the timeline's `at`
// order is the order of the history.
void WriteInteractions(const v1::InteractionList& page, TimelineWriter& writer, Written& written) {
  v1::Request request;
  for (const v1::Interaction& in : page.interactions()) {
    if (in.contacts().empty()) {
      ++written.orphans;  // nobody to replay it for
      continue;
    }
    request.Clear();
    *request.mutable_ingest()->add_interactions() = in;
    writer.Write(client::FromProto(in.occurred_at()), request);
    ++written.interactions;
  }
}

// "1 trip", "2 trips".
std::string Count(std::int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

int ExportTimeline(Context& ctx, const ExportArgs& args) {
  std::optional<core::TimePoint> since;
  if (!args.since.empty()) {
    auto t = ParseSince(ctx, args.since);
    if (!t.ok()) {
      return Usage(ctx, "--since: " + t.status().message());
    }
    since = *t;
  }
  auto page = FetchPage(ctx, since, "");
  if (!page.ok()) {
    return Fail(ctx, page.status());
  }
  // The history starts at --since, or with its first interaction.
  const core::TimePoint start = since ? *since
                                : page->interactions().empty()
                                    ? ctx.now
                                    : client::FromProto(page->interactions(0).occurred_at());
  TimelineWriter writer(ctx.out);
  Written written;
  if (core::Status s = WriteContactsAndTrips(ctx, start, writer, written); !s.ok()) {
    return Fail(ctx, s);
  }
  while (true) {
    WriteInteractions(*page, writer, written);
    if (page->next_cursor().empty()) {
      break;
    }
    page = FetchPage(ctx, since, page->next_cursor());
    if (!page.ok()) {
      return Fail(ctx, page.status());  // what was written is incomplete
    }
  }
  ctx.out.flush();
  ctx.err << "Exported " << Count(written.contacts, "contact") << ", "
          << Count(written.trips, "trip") << " and " << Count(written.interactions, "interaction");
  if (written.orphans > 0) {
    ctx.err << " (left out " << Count(written.orphans, "interaction")
            << " whose contacts were all removed)";
  }
  ctx.err << ".\n";
  return 0;
}

// Every page of Backup, each record one line of protobuf JSON.
int ExportBackup(Context& ctx) {
  v1::Request request;
  request.mutable_backup();
  std::int64_t counts[6] = {};  // by BackupRecord::RecordCase
  std::string json;
  while (true) {
    auto reply = ctx.Call(request);
    if (!reply.ok()) {
      return Fail(ctx, reply.status());  // what was written is incomplete
    }
    for (const v1::BackupRecord& record : reply->backup().records()) {
      json.clear();
      (void)google::protobuf::util::MessageToJsonString(record, &json);
      ctx.out << json << '\n';
      ++counts[record.record_case()];
    }
    if (reply->backup().next_cursor().empty()) {
      break;
    }
    request.mutable_backup()->set_after(reply->backup().next_cursor());
  }
  ctx.out.flush();
  if (!ctx.out) {
    return Fail(ctx, core::Status::Unavailable("export: cannot write the backup"));
  }
  ctx.err << "Exported " << Count(counts[v1::BackupRecord::kContact], "contact") << ", "
          << Count(counts[v1::BackupRecord::kTrip], "trip") << ", "
          << Count(counts[v1::BackupRecord::kInteraction], "interaction") << " and "
          << Count(counts[v1::BackupRecord::kNudge], "nudge") << ".\n";
  return 0;
}

}  // namespace

void AddExportCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<ExportArgs>();
  auto* exp = cli.add_subcommand(
      "export",
      "Write the whole store on stdout as JSON lines, for `warmctl import backup`; --timeline "
      "for warmthd replay");
  exp->fallthrough();
  exp->add_flag("--timeline", args->timeline,
                "Contacts, trips and interactions (no subjects, no bodies) as a replay "
                "timeline, in time order, on stdout");
  exp->add_option("--since", args->since,
                  "With --timeline: only interactions from this day or time on (2026-01-01, "
                  "\"90d ago\")");
  commands.push_back({exp, [&ctx, args] {
                        if (args->timeline) {
                          return ExportTimeline(ctx, *args);
                        }
                        if (!args->since.empty()) {
                          return Usage(ctx, "--since: only with --timeline (a backup is whole)");
                        }
                        return ExportBackup(ctx);
                      }});
}

}  // namespace warmth::warmctl
