#include "clients/mail/mail.h"

#include <array>
#include <cctype>
#include <filesystem>
#include <istream>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/exit_codes.h"
#include "base/paths.h"
#include "clients/common/client.h"
#include "clients/common/connection.h"
#include "clients/common/format.h"
#include "clients/mail/lists.h"
#include "clients/mail/message.h"
#include "clients/mail/progress.h"
#include "clients/mail/sources.h"
#include "daemon/core/text.h"
#include "daemon/version.h"

namespace warmth::mail {

using core::Lower;
namespace {

using core::Status;

// A message with a bigger body is still read (attachments), up to this.
constexpr std::size_t kMaxMessageBytes = std::size_t{256} << 20;
// Interactions gathered before they are sent in one pipelined IngestAll.
constexpr std::size_t kSendChunk = 5000;
// Unparseable messages named one by one before the rest are only counted.
constexpr int kMaxReported = 50;

constexpr const char* kHelp = R"(NAME
    warmth-mail - tell warmthd about the e-mail you send and receive

SYNOPSIS
    warmth-mail [OPTIONS] < MESSAGE
    warmth-mail [OPTIONS] --maildir DIR [--maildir DIR ...]
    warmth-mail [OPTIONS] --mbox FILE [--mbox FILE ...]

DESCRIPTION
    With no --maildir or --mbox, reads one RFC 5322 message on standard
    input (a leading mbox "From " line is fine) and records it: the hook
    form for notmuch post-new, procmail or maildrop, an MTA pipe, or a
    sendmail wrapper for outgoing mail. It prints nothing unless -v is
    given or something goes wrong.

    --maildir and --mbox backfill history: every message under DIR (cur/,
    new/ and files lying directly in folders, at any depth) or in the mbox
    FILE is read with GMime and sent in pipelined batches. A progress bar
    with rate and ETA is drawn on a terminal. A summary ends the run:
    messages read, interactions sent, accepted and duplicate, skipped by
    reason, unparseable. A corrupt message is reported and skipped.

    A message from one of your addresses (me.addresses in warmth.toml, or
    --me) is an OUTBOUND e-mail to every To and Cc counterpart; a message to
    you is an INBOUND e-mail from its sender. Its time is the Date field,
    else the newest Received date, else the file's modification time (now,
    on standard input). Its event id comes from the Message-ID (a hash of
    the content when there is none), so running a backfill twice records
    nothing twice: the second run reports every interaction as duplicate.

    Mail from you is tagged "new-thread" when it opens a thread (no
    In-Reply-To, no References), and with the tags of its X-Warmth-Tags
    header ("X-Warmth-Tags: pitch"; commas or spaces between tags). The
    daemon's FOLLOW_UP rule asks for a follow-up call when a pitch, or a
    new thread to someone who never wrote to you, gets no answer.

    Not counted, and shown by reason in the summary: mailing-list traffic
    (List-Id, List-Unsubscribe, Precedence bulk/list/junk), automatic mail
    (Auto-Submitted other than "no", delivery reports), no-reply senders,
    mail that is neither from nor to you (when your addresses are known:
    To, Cc, Delivered-To and X-Original-To are checked), mail from you to
    nobody else, and mail from you only to mailing lists. No subject or
    body is ever sent to the daemon.

    A mailing list is not a person. warmth-mail learns list addresses from
    the List-Post (mailto:) and List-Id fields of list mail and keeps them
    in $XDG_STATE_HOME/warmth/mail-lists, one a line; mail.lists in
    warmth.toml adds fixed ones. A list address is dropped from the
    recipients of every message you send, and mail you sent only to lists
    is skipped. A backfill reads every message before it decides about the
    mail you sent, so a list learned anywhere in it counts.

OPTIONS
    --maildir DIR     Backfill every message under DIR (repeatable).
    --mbox FILE       Backfill every message of an mbox file (repeatable).
    --me ADDRESS      One of your own addresses (repeatable; added to
                      me.addresses from the config).
    --dry-run         Read and classify, print what would be sent, send
                      nothing (needs no daemon) and remember no list.
    --state-dir DIR   Keep the learned mailing lists in DIR/mail-lists
                      (default $XDG_STATE_HOME/warmth).
    --json            Print the summary as one line of JSON.
    -v, --verbose     Say what happened to each message.
    --exit-zero       Always exit 0 (for delivery pipelines that must
                      never fail because of warmth).
    --config FILE     Config file (default $XDG_CONFIG_HOME/warmth/warmth.toml).
    --api ENDPOINT    Daemon API endpoint (default from the config).
    --server-key KEY  For tcp://: the daemon's public key, or the file holding
                      it (default: [client] server_key in the config).
    --key FILE        For tcp://: this hook's secret key file, made by
                      warmctl keygen; an ingest key is enough (default:
                      [client] secret_key).
    --timeout SECONDS Wait this long for each reply (default 10).
    -h, --help        This text.
    --version         The version.

EXIT STATUS
    0   recorded, duplicate, or not personal mail (skipped)
    1   the daemon rejected the interaction
    2   bad command line or config
    65  the message on standard input is unparseable
    69  warmthd is not running or not reachable
    A backfill exits 0 when every batch was delivered, even if some
    messages were skipped or unparseable.

EXAMPLES
    warmth-mail --me me@example.com < message.eml
    warmth-mail --maildir ~/Mail
    warmth-mail --mbox ~/archive/2019.mbox --dry-run
    notmuch post-new hook:  notmuch search --output=files tag:new |
                            while read -r f; do warmth-mail --exit-zero < "$f"; done

FILES
    $XDG_CONFIG_HOME/warmth/warmth.toml   [me] addresses = ["me@example.com"]
                                          [mail] lists = ["team@lists.example.com"]
    $XDG_STATE_HOME/warmth/mail-lists     mailing-list addresses learned
                                          (edit it freely; '#' comments)
    $XDG_RUNTIME_DIR/warmth/api           the daemon's socket
)";

struct Options {
  std::vector<std::string> maildirs;
  std::vector<std::string> mboxes;
  std::vector<std::string> me;
  bool dry_run = false;
  bool json = false;
  bool verbose = false;
  bool exit_zero = false;
  std::string state_dir;
  client::ConnectionFlags connection;  // --config, --api, --server-key, --key, --timeout
};

struct Summary {
  std::int64_t read = 0;
  std::int64_t unparseable = 0;
  std::int64_t interactions = 0;  // sent (or, dry run, to send)
  std::int64_t accepted = 0;
  std::int64_t duplicate = 0;
  std::int64_t rejected = 0;
  std::int64_t lists_learned = 0;  // mailing-list addresses new to the list book
  std::array<std::int64_t, kSkipCount> skipped{};

  std::int64_t SkippedTotal() const {
    std::int64_t n = 0;
    for (auto s : skipped) {
      n += s;
    }
    return n;
  }
};

core::TimePoint MTime(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return base::Now();
  }
  return core::TimePoint(std::chrono::seconds(st.st_mtim.tv_sec));
}

std::string Describe(const v1::Interaction& in) {
  std::ostringstream s;
  s << core::FormatUtc(client::FromProto(in.occurred_at())) << "  "
    << (in.direction() == v1::OUTBOUND ? "OUTBOUND to  " : "INBOUND from ");
  for (int i = 0; i < in.contacts_size(); ++i) {
    s << (i > 0 ? ", " : "") << in.contacts(i);
  }
  s << "  " << in.event_id();
  for (int i = 0; i < in.tags_size(); ++i) {
    s << (i > 0 ? ", " : "  tags: ") << in.tags(i);
  }
  return s.str();
}

// Classifies messages, gathers interactions and sends them in chunks.
// Messages from me wait until every message was read (Finish): whether an
// address is a mailing list may be learned from list mail read later.
class Backfill {
 public:
  Backfill(const Options& options, const Io& io, Me me, ListBook& lists, client::Client* client)
      : options_(options), io_(io), me_(std::move(me)), lists_(lists), client_(client) {}

  // One message read from `where`; its bytes fell back to `fallback_time`.
  Status Add(const std::string& where, const core::Result<MessageFacts>& facts,
             core::TimePoint fallback_time) {
    ++summary_.read;
    if (!facts.ok()) {
      ++summary_.unparseable;
      if (summary_.unparseable <= kMaxReported) {
        Report(where + ": " + facts.status().message());
      }
      return Status::Ok();
    }
    Learn(where, *facts);
    if (me_.Has(facts->from)) {
      sent_.push_back(Sent{where, *facts, fallback_time});
      return Status::Ok();
    }
    return Decide(where, *facts, fallback_time);
  }

  // Decides about the mail from me, now that every list is known.
  Status Finish() {
    for (const Sent& m : sent_) {
      if (Status s = Decide(m.where, m.facts, m.fallback_time); !s.ok()) {
        return s;
      }
    }
    sent_.clear();
    return Flush();
  }

  Status Flush() {
    if (pending_.empty()) {
      return Status::Ok();
    }
    summary_.interactions += static_cast<std::int64_t>(pending_.size());
    if (options_.dry_run) {
      pending_.clear();
      return Status::Ok();
    }
    auto totals = client_->IngestAll(pending_, client::Client::IngestOptions{});
    pending_.clear();
    if (!totals.ok()) {
      return totals.status();
    }
    summary_.accepted += totals->accepted;
    summary_.duplicate += totals->duplicate;
    summary_.rejected += totals->rejected;
    for (const auto& [id, reason] : totals->rejections) {
      std::string line = "rejected ";
      line.append(id).append(": ").append(reason);
      Report(line);
    }
    return Status::Ok();
  }

  void Report(const std::string& line) {
    io_.err << (io_.err_is_terminal ? "\r\x1b[K" : "") << "warmth-mail: " << line << '\n';
  }

  const Summary& summary() const { return summary_; }
  std::size_t pending() const { return pending_.size(); }

 private:
  struct Sent {
    std::string where;
    MessageFacts facts;
    core::TimePoint fallback_time;
  };

  void Learn(const std::string& where, const MessageFacts& facts) {
    for (const auto& address : lists_.Learn(facts, me_)) {
      ++summary_.lists_learned;
      if (options_.verbose) {
        Report(std::string(where).append(": learned mailing list ").append(address));
      }
    }
  }

  Status Decide(const std::string& where, const MessageFacts& facts,
                core::TimePoint fallback_time) {
    Verdict v = Classify(facts, me_, fallback_time, base::Now(), lists_.Known());
    if (v.skip != Skip::kNone) {
      ++summary_.skipped[static_cast<std::size_t>(v.skip)];
      if (options_.verbose) {
        Report(where + ": skipped (" + std::string(SkipName(v.skip)) + ")");
      }
      return Status::Ok();
    }
    for (auto& in : v.interactions) {
      if (options_.verbose || options_.dry_run) {
        io_.out << Describe(in) << '\n';
      }
      pending_.push_back(std::move(in));
    }
    return pending_.size() >= kSendChunk ? Flush() : Status::Ok();
  }

  const Options& options_;
  const Io& io_;
  Me me_;
  ListBook& lists_;
  client::Client* client_;
  std::vector<Sent> sent_;
  std::vector<v1::Interaction> pending_;
  Summary summary_;
};

void PrintSummary(const Options& options, const Io& io, const Summary& s) {
  if (options.json) {
    io.out << "{\"read\":" << s.read << ",\"interactions\":" << s.interactions
           << ",\"accepted\":" << s.accepted << ",\"duplicate\":" << s.duplicate
           << ",\"rejected\":" << s.rejected << ",\"skipped\":{";
    bool first = true;
    for (int k = 1; k < kSkipCount; ++k) {
      io.out << (first ? "" : ",") << '"' << SkipName(static_cast<Skip>(k))
             << "\":" << s.skipped[static_cast<std::size_t>(k)];
      first = false;
    }
    io.out << "},\"unparseable\":" << s.unparseable << ",\"listsLearned\":" << s.lists_learned
           << ",\"dryRun\":" << (options.dry_run ? "true" : "false") << "}\n";
    return;
  }
  io.out << "Read " << s.read << " messages: " << s.interactions << " interactions "
         << (options.dry_run ? "to send (dry run)" : "sent");
  if (!options.dry_run) {
    io.out << ", " << s.accepted << " accepted, " << s.duplicate << " duplicate";
    if (s.rejected > 0) {
      io.out << ", " << s.rejected << " rejected";
    }
  }
  io.out << ".\n";
  io.out << "Skipped " << s.SkippedTotal() << (s.SkippedTotal() > 0 ? ":" : ".");
  bool first = true;
  for (int k = 1; k < kSkipCount; ++k) {
    const auto n = s.skipped[static_cast<std::size_t>(k)];
    if (n > 0) {
      io.out << (first ? " " : ", ") << n << ' ' << SkipName(static_cast<Skip>(k));
      first = false;
    }
  }
  if (s.SkippedTotal() > 0) {
    io.out << '.';
  }
  io.out << "\nUnparseable: " << s.unparseable << ".\n";
  if (s.lists_learned > 0) {
    io.out << "Mailing lists learned: " << s.lists_learned
           << (options.dry_run ? " (dry run: not remembered).\n" : ".\n");
  }
}

// Remembers the lists learned, unless this is a dry run; a failure is said,
// never fatal (the mail still counts, the lists are learned again later).
void SaveLists(const Options& options, const Io& io, ListBook& lists) {
  if (options.dry_run) {
    return;
  }
  if (Status s = lists.Save(); !s.ok()) {
    io.err << "warmth-mail: mailing lists not remembered: " << s.message() << '\n';
  }
}

int Backfills(const Options& options, const Io& io, const Me& me, ListBook& lists,
              client::Client* client) {
  Backfill backfill(options, io, me, lists, client);
  if (client != nullptr) {
    // Say at once that the daemon is not there, not after reading thousands of messages.
    v1::Request ping;
    ping.mutable_status();
    if (auto r = client->Call(ping); !r.ok()) {
      io.err << "warmth-mail: " << r.status().message() << '\n';
      return options.exit_zero ? 0 : base::kExitUnavailable;
    }
  }
  const auto fail = [&](const Status& s) {
    io.err << "\nwarmth-mail: " << s.message() << '\n';
    return options.exit_zero                      ? 0
           : s.code() == core::Code::kUnavailable ? base::kExitUnavailable
                                                  : base::kExitError;
  };
  for (const auto& dir : options.maildirs) {
    auto files = ListMaildir(dir);
    if (!files.ok()) {
      io.err << "warmth-mail: " << files.status().message() << '\n';
      return options.exit_zero ? 0 : base::kExitUsage;
    }
    Progress progress(io.err, io.err_is_terminal, "messages");
    const auto total = static_cast<std::int64_t>(files->size());
    std::int64_t done = 0;
    for (const auto& file : *files) {
      auto bytes = ReadFile(file, kMaxMessageBytes);
      core::Result<MessageFacts> facts =
          bytes.ok() ? ParseMessage(*bytes) : core::Result<MessageFacts>(bytes.status());
      if (Status s = backfill.Add(file, facts, MTime(file)); !s.ok()) {
        progress.Finish();
        return fail(s);
      }
      progress.Update(++done, total);
    }
    progress.Finish();
  }
  for (const auto& path : options.mboxes) {
    Progress progress(io.err, io.err_is_terminal, "MiB");
    const core::TimePoint mtime = MTime(path);
    Status failure = Status::Ok();
    std::int64_t messages = 0;
    Status s = ReadMbox(
        path,
        [&](MboxMessage& m) {
          ++messages;
          if (failure.ok()) {
            failure = backfill.Add(path + " message " + std::to_string(m.index) + " (byte " +
                                       std::to_string(m.offset) + ")",
                                   m.facts, mtime);
          }
        },
        [&](std::int64_t at, std::int64_t size) {
          progress.Update(at >> 20, size >> 20, messages);
        });
    progress.Finish();
    if (!failure.ok()) {
      return fail(failure);
    }
    if (!s.ok()) {
      backfill.Report(s.message());
    }
  }
  SaveLists(options, io, lists);
  if (Status s = backfill.Finish(); !s.ok()) {
    return fail(s);
  }
  if (backfill.summary().unparseable > kMaxReported) {
    backfill.Report("… and " + std::to_string(backfill.summary().unparseable - kMaxReported) +
                    " more unparseable messages");
  }
  PrintSummary(options, io, backfill.summary());
  return 0;
}

int Hook(const Options& options, const Io& io, const Me& me, ListBook& lists,
         client::Client* client) {
  const auto exit_code = [&](int code) { return options.exit_zero ? 0 : code; };
  std::string bytes;
  char buf[65536];
  while (io.in.read(buf, sizeof buf) || io.in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(io.in.gcount()));
    if (bytes.size() > kMaxMessageBytes) {
      io.err << "warmth-mail: stdin: unparseable: larger than 256 MiB\n";
      return exit_code(base::kExitDataError);
    }
  }
  auto facts = ParseMessage(bytes);
  if (!facts.ok()) {
    io.err << "warmth-mail: stdin: " << facts.status().message() << '\n';
    return exit_code(base::kExitDataError);
  }
  for (const auto& address : lists.Learn(*facts, me)) {
    if (options.verbose) {
      io.err << "warmth-mail: learned mailing list " << address << '\n';
    }
  }
  SaveLists(options, io, lists);
  const core::TimePoint now = base::Now();
  Verdict v = Classify(*facts, me, now, now, lists.Known());
  if (v.skip != Skip::kNone) {
    if (options.verbose || options.dry_run) {
      io.out << "skipped: " << SkipName(v.skip) << '\n';
    }
    return 0;
  }
  for (const auto& in : v.interactions) {
    if (options.verbose || options.dry_run) {
      io.out << Describe(in) << '\n';
    }
  }
  if (options.dry_run) {
    return 0;
  }
  auto totals = client->IngestAll(v.interactions, client::Client::IngestOptions{});
  if (!totals.ok()) {
    io.err << "warmth-mail: " << totals.status().message() << '\n';
    return exit_code(totals.status().code() == core::Code::kUnavailable ? base::kExitUnavailable
                                                                        : base::kExitError);
  }
  for (const auto& [id, reason] : totals->rejections) {
    io.err << "warmth-mail: rejected " << id << ": " << reason << '\n';
  }
  if (options.verbose) {
    io.out << (totals->duplicate > 0 ? "duplicate" : "accepted") << '\n';
  }
  return totals->rejected > 0 ? exit_code(base::kExitError) : 0;
}

// Everything but -h,--help (whose text is kHelp).
void AddFlags(CLI::App& cli, Options& options) {
  cli.set_version_flag("--version", std::string("warmth-mail ") + kVersion);
  // --help prints kHelp; these descriptions are the man page's
  // (warmth-mail --manual).
  cli.add_option("--maildir", options.maildirs, "Backfill every message under DIR (repeatable)")
      ->type_name("DIR");
  cli.add_option("--mbox", options.mboxes, "Backfill every message of an mbox file (repeatable)")
      ->type_name("FILE");
  cli.add_option("--me", options.me,
                 "One of your own addresses (repeatable; added to me.addresses from the config)")
      ->type_name("ADDRESS");
  cli.add_flag("--dry-run", options.dry_run,
               "Read and classify, print what would be sent, send nothing (needs no daemon) and "
               "remember no list");
  cli.add_flag("--json", options.json, "Print the summary as one line of JSON");
  cli.add_flag("-v,--verbose", options.verbose, "Say what happened to each message");
  cli.add_flag("--exit-zero", options.exit_zero,
               "Always exit 0 (for delivery pipelines that must never fail because of warmth)");
  cli.add_option(
         "--state-dir", options.state_dir,
         "Keep the learned mailing lists in DIR/mail-lists (default $XDG_STATE_HOME/warmth)")
      ->type_name("DIR");
  client::AddConnectionFlags(cli, options.connection,
                             {{client::Flag::kConfig},
                              {client::Flag::kApi},
                              {client::Flag::kServerKey},
                              {client::Flag::kKey},
                              {client::Flag::kTimeout}});
}

}  // namespace

int Run(int argc, const char* const* argv, const Io& io) {
  Options options;
  CLI::App cli("warmth-mail: tell warmthd about the e-mail you send and receive", "warmth-mail");
  cli.set_help_flag();
  bool help = false;
  cli.add_flag("-h,--help", help, "This text");
  AddFlags(cli, options);
  base::AddManualFlag(cli, ManPage(), io.out);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (cli.exit(e, io.out, io.err) == 0) {
      return 0;  // --version
    }
    io.err << "warmth-mail: see warmth-mail --help\n";
    return base::kExitUsage;
  }
  if (help) {
    io.out << kHelp;
    return 0;
  }
  base::Config config;
  try {
    config = client::LoadConfig(options.connection);
  } catch (const base::ConfigError& e) {
    io.err << "warmth-mail: config: " << e.what() << '\n';
    return options.exit_zero ? 0 : base::kExitUsage;
  }
  Me me;
  for (const auto* list : {&config.me_addresses, &options.me}) {
    for (const auto& a : *list) {
      me.addresses.push_back(Lower(a));
    }
  }
  if (me.addresses.empty() && options.verbose) {
    io.err << "warmth-mail: no addresses of yours are known (me.addresses, --me): every "
              "message counts as received\n";
  }
  ListBook lists(config.mail.lists, ListsFile(options.state_dir));
  if (Status s = lists.Load(); !s.ok()) {
    io.err << "warmth-mail: " << s.message() << " (the mailing lists it learned)\n";
  }
  zmq::context_t context(1);
  std::optional<client::Client> client;
  if (!options.dry_run) {
    auto copts = client::MakeClientOptions(config, options.connection);
    if (!copts.ok()) {
      io.err << "warmth-mail: " << copts.status().message() << '\n';
      return options.exit_zero ? 0 : base::kExitUsage;
    }
    client.emplace(context, std::move(copts).value());
  }
  client::Client* c = client ? &*client : nullptr;
  try {
    if (options.maildirs.empty() && options.mboxes.empty()) {
      return Hook(options, io, me, lists, c);
    }
    return Backfills(options, io, me, lists, c);
  } catch (const zmq::error_t& e) {
    io.err << "warmth-mail: " << e.what() << '\n';
    return options.exit_zero ? 0 : base::kExitUnavailable;
  }
}

}  // namespace warmth::mail
