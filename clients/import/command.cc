#include "clients/import/command.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/paths.h"
#include "base/phone.h"
#include "clients/common/format.h"
#include "clients/import/android.h"
#include "clients/import/apply.h"
#include "clients/import/ics.h"
#include "clients/import/interactions.h"
#include "clients/import/linkedin.h"
#include "clients/import/messenger.h"
#include "clients/import/seen_files.h"
#include "clients/import/telegram.h"
#include "clients/import/vcard.h"
#include "clients/import/whatsapp.h"
#include "daemon/core/types.h"

namespace warmth::import {
namespace {

constexpr std::size_t kMaxFileBytes = std::size_t{64} << 20;

core::Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Status::NotFound("cannot read " + path);
  }
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      return core::Status::InvalidArgument(path + ": larger than 64 MiB");
    }
  }
  return text;
}

void PrintProblems(const std::string& file, const std::vector<Problem>& problems,
                   std::ostream& err) {
  for (const auto& p : problems) {
    err << "warmctl: " << file << ": " << p.where << ": " << p.message << '\n';
  }
}

int Unavailable(const core::Status& s, std::ostream& err) {
  err << "warmctl: " << s.message() << '\n';
  return s.code() == core::Code::kUnavailable ? base::kExitUnavailable : base::kExitError;
}

// The options for applying an import; nullopt (reported) on a bad --circle.
std::optional<ImportOptions> OptionsOf(const ImportArgs& args, std::ostream& err) {
  ImportOptions options;
  options.dry_run = args.dry_run;
  options.verbose = args.verbose;
  options.tags = args.tags;
  if (!args.circle.empty()) {
    const auto circle = core::ParseCircle(args.circle);
    if (!circle) {
      err << "warmctl: --circle: expected inner, close, network, acquaintance or unsorted\n";
      return std::nullopt;
    }
    options.circle = static_cast<v1::Circle>(*circle);
  }
  return options;
}

// What every file of one import did, for the last line.
struct ImportSum {
  int files = 0;
  int unreadable = 0;
  ContactTotals contacts;
  CalendarTotals calendar;
  CalendarTotals interactions;  // meetings: the interactions of call logs and chats

  void Add(const ContactTotals& t) {
    contacts.created += t.created;
    contacts.updated += t.updated;
    contacts.unchanged += t.unchanged;
    contacts.failed += t.failed;
  }
  // Into `calendar`, or `interactions` for a call log's or chat's totals.
  static void Add(CalendarTotals& into, const CalendarTotals& t) {
    into.meetings += t.meetings;
    into.accepted += t.accepted;
    into.duplicate += t.duplicate;
    into.rejected += t.rejected;
    into.trips_new += t.trips_new;
    into.trips_changed += t.trips_changed;
    into.trips_unchanged += t.trips_unchanged;
  }
};

// " (3 accepted, 1 duplicate, 2 rejected)" of a summary line; nothing on a
// dry run, no rejected part when none was.
void PrintSent(std::ostream& s, const ImportArgs& args, const CalendarTotals& totals) {
  if (args.dry_run) {
    return;
  }
  s << " (" << totals.accepted << " accepted, " << totals.duplicate << " duplicate";
  if (totals.rejected > 0) {
    s << ", " << totals.rejected << " rejected";
  }
  s << ")";
}

// "; 4 skipped (3 group MMS, 1 missed call); 1 problems." of a summary line.
template <typename Count>
void PrintSkipped(std::ostream& s, const std::map<std::string, Count>& skipped,
                  std::size_t problems) {
  Count total = 0;
  for (const auto& [reason, n] : skipped) {
    total += n;
  }
  s << "; " << total << " skipped";
  bool first = true;
  for (const auto& [reason, n] : skipped) {
    s << (first ? " (" : ", ") << n << ' ' << reason;
    first = false;
  }
  s << (first ? "" : ")") << "; " << problems << " problems.";
}

std::string SummaryPrefix(const ImportArgs& args) {
  return args.dry_run ? "Dry run, nothing changed. " : "";
}

CalendarOptions CalendarOptionsOf(const ImportArgs& args, const base::Config& config) {
  CalendarOptions copts;
  copts.now = base::Now();
  copts.me_city = config.me_city;
  for (const auto& a : config.me_addresses) {
    copts.me_addresses.push_back(a);
    for (char& c : copts.me_addresses.back()) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  copts.max_attendees = args.max_attendees;
  copts.timezone = config.timezone.empty() ? "UTC" : config.timezone;
  return copts;
}

// The summary line of an ics import.
std::string CalendarSummary(const ImportArgs& args, const CalendarFile& calendar,
                            const CalendarTotals& totals) {
  std::ostringstream s;
  s << SummaryPrefix(args) << "ics: " << calendar.events << " events, " << calendar.instances
    << " past occurrences: " << totals.meetings << " meetings";
  PrintSent(s, args, totals);
  s << "; " << calendar.trips.size() << " trips (" << totals.trips_new << " new, "
    << totals.trips_changed << " changed, " << totals.trips_unchanged << " unchanged)";
  PrintSkipped(s, calendar.skipped, calendar.problems.size());
  if (totals.offline) {
    s << " (warmthd is not running: every trip is counted as new)";
  }
  return s.str();
}

int RunCalendarImport(const std::string& text, const ImportArgs& args, const ImportOptions& options,
                      client::Client& client, const base::Config& config, ImportSum& sum,
                      std::ostream& out, std::ostream& err) {
  const CalendarFile calendar = ParseCalendar(text, CalendarOptionsOf(args, config));
  PrintProblems(args.file, calendar.problems, err);
  for (const auto& n : calendar.notes) {
    err << "warmctl: " << args.file << ": " << n << '\n';
  }
  auto totals = ApplyCalendar(client, calendar, options, out, err);
  if (!totals.ok()) {
    return Unavailable(totals.status(), err);
  }
  out << CalendarSummary(args, calendar, *totals) << '\n';
  ImportSum::Add(sum.calendar, *totals);
  return totals->rejected > 0 ? base::kExitError : 0;
}

int RunContactsImport(const std::string& kind, const std::string& text, const ImportArgs& args,
                      const ImportOptions& options, client::Client& client,
                      const base::Config& config, ImportSum& sum, std::ostream& out,
                      std::ostream& err) {
  // Phone numbers read as the daemon reads them: the same [me] region.
  const ContactsFile file = kind == "vcard"
                                ? ParseVcards(text, base::PhoneNormalizerFor(config.me_region))
                                : ParseLinkedinCsv(text);
  PrintProblems(args.file, file.problems, err);
  for (const auto& n : file.notes) {
    err << "warmctl: " << args.file << ": " << n << '\n';
  }
  auto totals = ApplyContacts(client, file.contacts, options, out, err);
  if (!totals.ok()) {
    return Unavailable(totals.status(), err);
  }
  const std::string records = kind == "vcard" ? "cards" : "rows";
  out << SummaryPrefix(args) << kind << ": " << file.records << ' ' << records << ": "
      << file.contacts.size() << " contacts (" << totals->created
      << (args.dry_run ? " to create, " : " created, ") << totals->updated
      << (args.dry_run ? " to update, " : " updated, ") << totals->unchanged << " unchanged";
  if (totals->failed > 0) {
    out << ", " << totals->failed << " refused";
  }
  out << "); " << file.skipped << " skipped (no name, e-mail or phone); " << file.problems.size()
      << " problems.";
  if (totals->offline) {
    out << " (warmthd is not running: every contact is counted as new)";
  }
  out << '\n';
  sum.Add(*totals);
  return totals->failed > 0 ? base::kExitError : 0;
}

const char* ChannelName(v1::Channel channel) {
  switch (channel) {
    case v1::CALL:
      return "call";
    case v1::VOICE_MESSAGE:
      return "voice_message";
    case v1::VIDEO:
      return "video";
    case v1::SOCIAL:
      return "social";
    default:
      return "message";
  }
}

// The importers of calls and messages, by kind. Each streams its file and
// hands over interactions as it finds them.
const std::map<std::string, InteractionParser>& InteractionParsers() {
  static const std::map<std::string, InteractionParser> parsers = {
      {"android",
       [](const std::string& path, const ChatOptions& o, const EmitInteraction& emit) {
         return ParseAndroidFile(path, o.phone, emit, o.groups);
       }},
      {"messenger", ParseMessengerFile},
      {"whatsapp", ParseWhatsappFile},
      {"telegram", ParseTelegramFile},
  };
  return parsers;
}

// "android: 12,000 interactions…" on a terminal while a long file is read.
class Progress {
 public:
  Progress(std::ostream& err, std::string kind) : err_(err), kind_(std::move(kind)) {
    shown_ = &err == &std::cerr && isatty(STDERR_FILENO) == 1;
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() {
    if (shown_ && count_ >= kEvery) {
      err_ << "\r\033[K" << std::flush;
    }
  }
  void Tick() {
    if (shown_ && ++count_ % kEvery == 0) {
      err_ << '\r' << kind_ << ": " << count_ << " interactions…" << std::flush;
    }
  }

 private:
  static constexpr std::int64_t kEvery = 1000;
  std::ostream& err_;
  std::string kind_;
  bool shown_ = false;
  std::int64_t count_ = 0;
};

ChatOptions ChatOptionsOf(const ImportArgs& args, const base::Config& config) {
  ChatOptions o;
  o.phone = base::PhoneNormalizerFor(config.me_region);
  o.me = args.me.empty() ? config.me_names : args.me;
  o.contact = args.contact;
  o.groups = args.groups;
  o.zone = base::ResolveTimeZone(config.timezone);  // whatsapp: local times, read as the daemon's
  return o;
}

// A call log or chat export is streamed, never read whole (Android backups
// run to gigabytes): interactions are sent in chunks as the parser finds
// them; then the names the export knew go to the contacts it created.
int RunInteractionImport(const std::string& kind, const ImportArgs& args,
                         const ImportOptions& options, client::Client& client,
                         const base::Config& config, ImportSum& sum, std::ostream& out,
                         std::ostream& err, bool& complete) {
  constexpr std::size_t kChunk = 5000;
  CalendarTotals totals;
  std::vector<v1::Interaction> chunk;
  std::optional<core::Status> failed;
  const auto flush = [&]() {
    if (options.dry_run || chunk.empty() || failed) {
      chunk.clear();
      return;
    }
    auto sent = client.IngestAll(chunk, client::Client::IngestOptions{});
    chunk.clear();
    if (!sent.ok()) {
      failed = sent.status();
      return;
    }
    totals.accepted += sent->accepted;
    totals.duplicate += sent->duplicate;
    totals.rejected += sent->rejected;
    for (const auto& [id, reason] : sent->rejections) {
      err << "warmctl: " << id << ": " << reason << '\n';
    }
  };
  Progress progress(err, kind);
  const auto emit = [&](v1::Interaction in) {
    ++totals.meetings;
    progress.Tick();
    if (options.dry_run || options.verbose) {
      out << (options.dry_run ? "would log " : "log ")
          << core::FormatUtc(client::FromProto(in.occurred_at())) << "  "
          << ChannelName(in.channel()) << ' '
          << (in.direction() == v1::OUTBOUND ? "outbound " : "inbound ") << in.contacts(0) << '\n';
    }
    chunk.push_back(std::move(in));
    if (chunk.size() >= kChunk) {
      flush();
    }
    return !failed.has_value();
  };
  const InteractionFile file =
      InteractionParsers().at(kind)(args.file, ChatOptionsOf(args, config), emit);
  flush();
  if (failed) {
    return Unavailable(*failed, err);
  }
  PrintProblems(args.file, file.problems, err);
  for (const auto& n : file.notes) {
    err << "warmctl: " << args.file << ": " << n << '\n';
  }
  auto named = NameContacts(client, file.names, options.dry_run, err);
  if (!named.ok()) {
    return Unavailable(named.status(), err);
  }
  std::ostringstream s;
  s << SummaryPrefix(args) << kind << ": " << file.records << " records: " << totals.meetings
    << " interactions";
  PrintSent(s, args, totals);
  if (*named > 0) {
    s << "; " << *named << (options.dry_run ? " contacts to name" : " contacts named");
  }
  PrintSkipped(s, file.skipped, file.problems.size());
  out << s.str() << '\n';
  ImportSum::Add(sum.interactions, totals);
  complete = file.problems.empty() && totals.rejected == 0;
  return totals.rejected > 0 ? base::kExitError : 0;
}

// The last line of an import of several files.
std::string SumLine(const std::string& kind, const ImportArgs& args, const ImportSum& sum) {
  std::ostringstream s;
  s << SummaryPrefix(args) << "In all, " << sum.files << " files";
  if (sum.unreadable > 0) {
    s << " (" << sum.unreadable << " unreadable)";
  }
  if (InteractionParsers().contains(kind)) {
    const CalendarTotals& c = sum.interactions;
    s << ": " << c.meetings << " interactions";
    if (!args.dry_run) {
      s << " (" << c.accepted << " accepted, " << c.duplicate << " duplicate, " << c.rejected
        << " rejected)";
    }
    s << '.';
  } else if (kind == "ics") {
    const CalendarTotals& c = sum.calendar;
    s << ": " << c.meetings << " meetings";
    if (!args.dry_run) {
      s << " (" << c.accepted << " accepted, " << c.duplicate << " duplicate, " << c.rejected
        << " rejected)";
    }
    s << "; trips " << c.trips_new << " new, " << c.trips_changed << " changed, "
      << c.trips_unchanged << " unchanged.";
  } else {
    const ContactTotals& c = sum.contacts;
    s << ": contacts " << c.created << (args.dry_run ? " to create, " : " created, ") << c.updated
      << (args.dry_run ? " to update, " : " updated, ") << c.unchanged << " unchanged, " << c.failed
      << " refused.";
  }
  return s.str();
}

// The flags of the chat importers: who you are where people are only names
// (whatsapp, messenger), the contact of a one-to-one chat, group chats.
void AddChatFlags(CLI::App& leaf, const std::string& kind, ImportArgs& args) {
  leaf.add_flag("--new", args.only_new,
                "Pass over files an earlier --new import read in full (for a watched folder)");
  leaf.add_flag("--groups", args.groups,
                "Count group chat messages as SOCIAL for their sender (default: skip groups)");
  if (kind == "whatsapp" || kind == "messenger") {
    // One name per --me: a vector option would otherwise take the files after it too.
    leaf.add_option("--me", args.me,
                    "Your name as a sender in the export (repeatable; default: [me] names)")
        ->allow_extra_args(false);
    leaf.add_option(
        "--contact", args.contact,
        "Log a one-to-one chat to this contact id or identifier (default: " + kind + ":<name>)");
  }
}

// The files to import: those named, and for a folder the files in it that
// `kind` reads (FolderFiles). A folder with none is reported.
std::vector<std::string> ExpandFolders(const std::string& kind,
                                       const std::vector<std::string>& named, std::ostream& err) {
  std::vector<std::string> files;
  for (const std::string& path : named) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    const std::vector<std::string> inside = FolderFiles(kind, path);
    if (inside.empty()) {
      err << "warmctl: " << path << ": a folder with no "
          << (kind == "android" ? "calls-*.xml or sms-*.xml files" : "files to import") << '\n';
    }
    files.insert(files.end(), inside.begin(), inside.end());
  }
  return files;
}

// Call logs and chats, file by file; with --new, files read in full by an
// earlier import (SeenFiles) are passed over and the new ones remembered.
int RunInteractionImports(const std::string& kind, const ImportArgs& args,
                          const ImportOptions& options, client::Client& client,
                          const base::Config& config, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> files = ExpandFolders(kind, args.files, err);
  std::optional<SeenFiles> seen;
  if (args.only_new) {
    seen.emplace(base::StateDir() + "/imported-" + kind);
  }
  ImportSum sum;
  int code = 0;
  int before = 0;
  ImportArgs one = args;
  for (const std::string& file : files) {
    if (seen && seen->Seen(file)) {
      ++before;
      continue;
    }
    one.file = file;
    ++sum.files;
    // Streamed, so the 64 MiB limit of ReadAll does not apply.
    if (!std::ifstream(file, std::ios::binary)) {
      err << "warmctl: cannot read " << file << '\n';
      ++sum.unreadable;
      code = std::max(code, base::kExitUsage);
      continue;
    }
    if (files.size() > 1) {
      out << file << ":\n";
    }
    bool complete = false;
    const int c = RunInteractionImport(kind, one, options, client, config, sum, out, err, complete);
    if (seen && complete && !args.dry_run) {
      seen->Mark(file);
    }
    if (c == base::kExitUnavailable) {
      code = c;
      break;
    }
    code = std::max(code, c);
  }
  if (seen) {
    if (const core::Status saved = seen->Save(); !saved.ok()) {
      err << "warmctl: " << saved.message() << '\n';
    }
  }
  if (code == base::kExitUnavailable) {
    return code;
  }
  if (sum.files > 1) {
    out << SumLine(kind, args, sum) << '\n';
  }
  if (seen && before > 0) {
    out << kind << ": " << before << (before == 1 ? " file" : " files")
        << " imported before, passed over (--new).\n";
  }
  return code;
}

}  // namespace

std::vector<CLI::App*> AddImportCommands(CLI::App& cli, ImportArgs& args) {
  auto* import = cli.add_subcommand(
      "import",
      "Import contacts (vCard, LinkedIn), meetings and trips (iCalendar) or calls and messages "
      "(Android)");
  import->require_subcommand(1);
  import->fallthrough();
  std::vector<CLI::App*> leaves;
  const std::pair<const char*, const char*> kinds[] = {
      {"vcard", "Contacts from a vCard file (.vcf, 2.1, 3.0 or 4.0)"},
      {"linkedin", "Contacts from LinkedIn's Connections.csv"},
      {"ics", "Past meetings and future trips from an iCalendar file (.ics)"},
      {"telegram", "Calls and messages from Telegram Desktop's JSON export (result.json)"},
      {"android", "Calls and messages from SMS Backup & Restore (calls-*.xml, sms-*.xml)"},
      {"messenger", "Messages and calls from a Facebook or Instagram export (message_N.json)"},
      {"whatsapp", "Messages and calls from WhatsApp's \"Export chat\" text (one chat per file)"}};
  for (const auto& [name, help] : kinds) {
    auto* leaf = import->add_subcommand(name, help);
    leaf->fallthrough();
    leaf->add_option("files", args.files,
                     "The files (several, as a shell glob gives them); for call logs and chats, "
                     "a folder too")
        ->required();
    leaf->add_flag("--dry-run,-n", args.dry_run, "Show what would change; change nothing");
    leaf->add_flag("--verbose,-v", args.verbose, "Also list what is unchanged (or every meeting)");
    if (InteractionParsers().contains(name)) {
      // Interactions only: people the daemon does not know become unsorted
      // contacts, as with mail, named as the export names them.
      AddChatFlags(*leaf, name, args);
    } else if (std::string(name) != "ics") {
      leaf->add_option("--circle", args.circle,
                       "Circle for new and unsorted contacts (default: leave them unsorted)");
      leaf->add_option("--tag", args.tags, "Tag every imported contact (repeatable)");
    } else {
      leaf->add_option("--max-attendees", args.max_attendees,
                       "Skip meetings with more people than this")
          ->capture_default_str()
          ->check(CLI::Range(1, 100));
    }
    leaves.push_back(leaf);
  }
  return leaves;
}

int RunImport(const std::string& kind, const ImportArgs& args, client::Client& client,
              const base::Config& config, std::ostream& out, std::ostream& err) {
  const std::optional<ImportOptions> options = OptionsOf(args, err);
  if (!options) {
    return base::kExitUsage;
  }
  if (InteractionParsers().contains(kind)) {
    return RunInteractionImports(kind, args, *options, client, config, out, err);
  }
  ImportSum sum;
  int code = 0;
  ImportArgs one = args;
  for (const std::string& file : args.files) {
    one.file = file;
    ++sum.files;
    auto text = ReadAll(file);
    if (!text.ok()) {
      err << "warmctl: " << text.status().message() << '\n';
      ++sum.unreadable;
      code = std::max(code, base::kExitUsage);
      continue;
    }
    if (args.files.size() > 1) {
      out << file << ":\n";
    }
    const int c =
        kind == "ics"
            ? RunCalendarImport(*text, one, *options, client, config, sum, out, err)
            : RunContactsImport(kind, *text, one, *options, client, config, sum, out, err);
    if (c == base::kExitUnavailable) {
      return c;
    }
    code = std::max(code, c);
  }
  if (args.files.size() > 1) {
    out << SumLine(kind, args, sum) << '\n';
  }
  return code;
}

}  // namespace warmth::import
