// warmctl import vcard|linkedin|ics|… FILE: clients/import does the work.
// warmctl import backup FILE: a `warmctl export` sent back (Restore).
#include <fstream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <google/protobuf/util/json_util.h>

#include "clients/import/command.h"
#include "clients/warmctl/commands.h"

namespace warmth::warmctl {
namespace {

// Records per Restore request, and the size a chunk stops growing at: well
// inside the daemon's request limit (1 MiB).
constexpr int kChunkRecords = 1000;
constexpr std::size_t kChunkBytes = std::size_t{512} << 10;

// "restore.records[7].contact.id: …" from the daemon as "line 12: contact.id: …".
std::string AtLine(const std::string& message, const std::vector<int>& lines) {
  const std::string prefix = "restore.records[";
  if (message.rfind(prefix, 0) != 0) {
    return message;
  }
  const std::size_t close = message.find("].", prefix.size());
  if (close == std::string::npos) {
    return message;
  }
  const std::size_t i = std::stoul(message.substr(prefix.size(), close - prefix.size()));
  if (i >= lines.size()) {
    return message;
  }
  return "line " + std::to_string(lines[i]) + ": " + message.substr(close + 2);
}

std::string Count(std::int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

int ImportBackup(Context& ctx, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Usage(ctx, path + ": cannot read it");
  }
  const auto partial = [&](const std::string& why) {
    ctx.err << "warmctl: " << path << ": " << why
            << "\nwarmctl: the store holds what came before; to start over, stop warmthd, move "
               "its warmth.db aside and import again\n";
    return 1;
  };
  v1::Request request;
  std::vector<int> lines;  // the file's line of each record in the request
  std::size_t bytes = 0;
  std::int64_t counts[6] = {};  // by BackupRecord::RecordCase
  bool started = false;
  const auto send = [&](bool done) -> int {
    request.mutable_restore()->set_done(done);
    auto reply = ctx.Call(request);
    if (!reply.ok()) {
      const core::Status& s = reply.status();
      // Before the first chunk is in, only the header's refusal (a store
      // that is not empty, another format) leaves the store as it was.
      if (!started && s.message().rfind("restore.records[", 0) != 0) {
        return Fail(ctx, core::Status(s.code(), path + ": " + AtLine(s.message(), lines)));
      }
      return partial(AtLine(s.message(), lines));
    }
    started = true;
    request.mutable_restore()->clear_records();
    lines.clear();
    bytes = 0;
    return 0;
  };
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    v1::BackupRecord record;
    if (!google::protobuf::util::JsonStringToMessage(line, &record).ok()) {
      const std::string why = "line " + std::to_string(number) + ": not a backup record";
      if (started) {
        return partial(why);
      }
      std::string message = path;
      message += ": ";
      message += why;
      return Usage(ctx, message);
    }
    if (number == 1 && !record.has_header()) {
      return Usage(ctx, path + ": line 1: not a backup header (is it a `warmctl export`?)");
    }
    bytes += record.ByteSizeLong();
    ++counts[record.record_case()];
    *request.mutable_restore()->add_records() = std::move(record);
    lines.push_back(number);
    if (request.restore().records_size() >= kChunkRecords || bytes >= kChunkBytes) {
      if (int code = send(false); code != 0) {
        return code;
      }
    }
  }
  if (number == 0) {
    return Usage(ctx, path + ": empty, not a backup");
  }
  if (int code = send(true); code != 0) {
    return code;
  }
  ctx.out << "Restored " << Count(counts[v1::BackupRecord::kContact], "contact") << ", "
          << Count(counts[v1::BackupRecord::kTrip], "trip") << ", "
          << Count(counts[v1::BackupRecord::kInteraction], "interaction") << " and "
          << Count(counts[v1::BackupRecord::kNudge], "nudge") << " from " << path << ".\n";
  return 0;
}

}  // namespace

void AddImportCommands(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<import::ImportArgs>();
  for (CLI::App* kind : import::AddImportCommands(cli, *args)) {
    commands.push_back({kind, [&ctx, args, kind] {
                          return import::RunImport(kind->get_name(), *args, ctx.Connection(),
                                                   ctx.config, ctx.out, ctx.err);
                        }});
  }
  auto file = std::make_shared<std::string>();
  auto* backup = cli.get_subcommand("import")->add_subcommand(
      "backup", "Restore a `warmctl export` into an empty store");
  backup->fallthrough();
  backup->add_option("file", *file, "The backup (JSON lines)")->required();
  commands.push_back({backup, [&ctx, file] { return ImportBackup(ctx, *file); }});
}

}  // namespace warmth::warmctl
