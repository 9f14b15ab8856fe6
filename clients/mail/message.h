#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/core/status.h"
#include "daemon/core/time.h"
#include "warmth/v1/warmth.pb.h"

// GMime's types, kept out of this header so that callers need not see glib.
// The struct name is GMime's, hence the reserved spelling.
using GMimeMessage = struct _GMimeMessage;  // NOLINT(bugprone-reserved-identifier)

namespace warmth::mail {

namespace v1 = ::warmth::v1;

// What one message says about who wrote to whom, and when. Addresses are
// lower case; every field comes from GMime's reading of the header.
struct MessageFacts {
  std::string message_id;  // without angle brackets; empty when absent
  // SHA-256 (hex, 32 digits) of the message bytes after any mbox From_
  // line: the identity of a message without a Message-ID.
  std::string content_hash;
  std::string from;                         // the first From mailbox (else Sender); empty: none
  std::vector<std::string> to;              // To and Cc mailboxes, in order, without repeats
  std::vector<std::string> delivered_to;    // Delivered-To and X-Original-To
  std::optional<core::TimePoint> date;      // the Date field, when it reads as a time
  std::optional<core::TimePoint> received;  // the newest date among Received fields
  std::string list_marker;     // "List-Id", "List-Unsubscribe" or "Precedence: bulk"; empty: none
  std::string auto_submitted;  // the Auto-Submitted value unless absent or "no"
  bool report = false;         // Content-Type multipart/report: a bounce or receipt
  int header_fields = 0;       // how many header fields GMime found
  bool in_thread = false;      // a non-empty In-Reply-To or References: it answers mail
  // X-Warmth-Tags (every such field): lower case, in order, without repeats;
  // separated by commas or white space; a tag the daemon would refuse (over
  // 64 bytes, control characters) is dropped.
  std::vector<std::string> tags;
  // Addresses the message names as mailing lists: the mailto: addresses of
  // List-Post, and a To or Cc address whose local part, ".", domain is the
  // List-Id ("dev@lists.example.org" for <dev.lists.example.org>).
  std::vector<std::string> list_addresses;
};

// The most header bytes one message may carry (a 10 MB header line is an
// attack or a broken file, never mail).
inline constexpr std::size_t kMaxHeaderBytes = 1 << 20;

// `raw` in lower case if the daemon can take it as an e-mail identifier: a
// local part, an @, a domain, no white space ("XX", "gpoo at example.com"
// and "@x" are not).
std::optional<std::string> EmailAddress(std::string_view raw);

// Once per process, before any parsing (g_mime_init). Thread-safe, idempotent.
void InitGmime();

// Reads one RFC 5322 message (LF or CRLF; a leading mbox "From " envelope
// line is allowed and ignored). kInvalidArgument "unparseable: …" when GMime
// finds no message, no header fields at all, or a header block larger than
// kMaxHeaderBytes. Pure apart from GMime: no files, no clock.
core::Result<MessageFacts> ParseMessage(std::string_view bytes);

// The facts of a message GMime has already parsed (an mbox reader's).
// `content_hash` is left to the caller. Does not take ownership.
MessageFacts FactsOf(GMimeMessage* message);

// The user's side of the mail, and what to do with a message.
struct Me {
  std::vector<std::string> addresses;  // lower case
  bool Has(std::string_view address) const;
};

// Mailing-list addresses: never a contact. Lower case.
struct KnownLists {
  std::set<std::string> addresses;
  bool Has(const std::string& address) const { return addresses.contains(address); }
};

enum class Skip {
  kNone = 0,
  kMailingList,       // List-Id, List-Unsubscribe, Precedence bulk/list/junk
  kAutoSubmitted,     // Auto-Submitted other than "no", or a multipart/report
  kNoReply,           // the sender is noreply@…, mailer-daemon@…, …
  kNotAddressedToMe,  // me is known and the message neither comes from nor goes to it
  kNoCounterpart,     // from me to nobody else
  kNoSender,          // no usable From address
  kOnlyToList,        // from me to mailing lists and nobody else
};
inline constexpr int kSkipCount = 8;
// "mailing list", "auto-submitted", … for summaries.
std::string_view SkipName(Skip skip);

// The outcome for one message: interactions to send (one per 100
// counterparts; usually one), or why there are none.
struct Verdict {
  Skip skip = Skip::kNone;
  std::vector<v1::Interaction> interactions;
};

// From me: OUTBOUND to every To/Cc counterpart; otherwise INBOUND from the
// sender. Channel EMAIL, source "warmth-mail". Tags, only on mail from me:
// its X-Warmth-Tags, then "new-thread" when it opens a thread (not
// in_thread); at most 32. Time: the Date field when it
// lies in [1980, now + 5 min], else the newest Received date, else
// `fallback_time` (the file's mtime, or now). event_id: "mail:" + Message-ID,
// or a hash of a Message-ID longer than 120 bytes ("mail:#…"), or of the
// content when there is none ("mail:~…"), so the same message always gets
// the same id. With no addresses in `me`, every message counts as received.
// A mailing list (in `lists` or the message's own list_addresses) is no
// counterpart: mail from me only to lists is kOnlyToList, mail from a list
// address kMailingList.
Verdict Classify(const MessageFacts& facts, const Me& me, core::TimePoint fallback_time,
                 core::TimePoint now, const KnownLists& lists = KnownLists{});

// True for local parts such as noreply, no-reply, donotreply,
// mailer-daemon, postmaster, bounce(s).
bool IsNoReplyAddress(std::string_view address);

}  // namespace warmth::mail
