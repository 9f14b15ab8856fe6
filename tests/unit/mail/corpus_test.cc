// warmth-mail's reading of the real mail corpus, checked against figures this
// test computes with its own simple scans (and the corpus README's counts).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "clients/common/format.h"
#include "clients/mail/message.h"
#include "clients/mail/sources.h"
#include "tests/support/support.h"

namespace warmth::mail {
namespace {

using testing::Missing;
using testing::ReadFile;
namespace fs = std::filesystem;
using testing::At;

const core::TimePoint kNow = At("2026-11-21T12:00:00Z");

std::string Dir(const std::string& sub) {
  return testing::CorpusDir() + "/mail/" + sub;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

// The test's own header reader: the lines before the first empty one,
// continuation lines joined, as (lower-case name, value).
std::vector<std::pair<std::string, std::string>> Headers(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (first && line.rfind("From ", 0) == 0) {
      first = false;
      continue;  // mbox envelope
    }
    first = false;
    if (line.empty()) {
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      out.back().second += " " + line;
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string name = Lower(line.substr(0, colon));
    while (!name.empty() && name.back() == ' ') {
      name.pop_back();
    }
    out.emplace_back(name, line.substr(colon + 1));
  }
  return out;
}

std::string Header(const std::string& text, const std::string& name) {
  for (const auto& [n, v] : Headers(text)) {
    if (n == name) {
      return v;
    }
  }
  return "";
}

// "<id>" of a Message-ID value.
std::string Bracketed(const std::string& value) {
  const auto open = value.find('<');
  const auto close = value.find('>', open);
  return open == std::string::npos || close == std::string::npos
             ? ""
             : value.substr(open + 1, close - open - 1);
}

// The address in a From value: inside <…>, else the word with an @.
std::string AddressIn(const std::string& value) {
  std::string a = Bracketed(value);
  if (a.empty()) {
    std::istringstream words(value);
    std::string w;
    while (words >> w) {
      if (w.find('@') != std::string::npos) {
        a = w;
        break;
      }
    }
  }
  return Lower(a);
}

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(MailCorpus, MaildirListingFindsEveryMessageFile) {
  auto listed = ListMaildir(Dir("notmuch"));
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  const auto walked = FilesUnder(Dir("notmuch"));
  EXPECT_EQ(*listed, walked);
  EXPECT_EQ(walked.size(), 320u) << "the corpus README's count";
  // Both layouts: files in cur/ and new/, and files directly in folders.
  EXPECT_TRUE(std::count(listed->begin(), listed->end(), Dir("notmuch/default/foo/new/03:2,")));
  EXPECT_TRUE(std::count(listed->begin(), listed->end(), Dir("notmuch/default/bar/17:2,")));
  EXPECT_FALSE(ListMaildir(Dir("no-such-dir")).ok());
}

TEST(MailCorpus, EverySingleMessageFileParses) {
  int files = 0;
  int parsed = 0;
  for (const auto& file : FilesUnder(testing::CorpusDir() + "/mail")) {
    if (file.ends_with(".mbox")) {
      continue;
    }
    ++files;
    auto facts = ParseMessage(ReadFile(file));
    EXPECT_TRUE(facts.ok()) << file << ": " << facts.status().message();
    parsed += facts.ok() ? 1 : 0;
  }
  EXPECT_EQ(files, 320 + 103 + 8);  // notmuch, mikel-mail, cpython's single messages (README)
  EXPECT_EQ(parsed, files);
}

TEST(MailCorpus, MessageIdsMatchASimpleScan) {
  for (const char* sub : {"notmuch/default", "notmuch/lkml", "notmuch/duplicate", "mikel-mail"}) {
    std::set<std::string> scanned;
    std::set<std::string> read;
    int files = 0;
    for (const auto& file : FilesUnder(Dir(sub))) {
      const std::string text = ReadFile(file);
      ++files;
      // Obsolete syntax allows comments and spaces inside: "<1234 @ local(blah) .example>".
      std::string id;
      int depth = 0;
      const std::string value = Header(text, "message-id");
      std::string bare = value;  // "Message-Id: 2010…@company.com" has no brackets
      bare.erase(0, bare.find_first_not_of(" \t"));
      for (char c : value.find('<') != std::string::npos ? Bracketed(value) : bare) {
        depth += c == '(' ? 1 : 0;
        if (depth == 0 && c != ' ' && c != '\t') {
          id += c;
        }
        depth -= c == ')' && depth > 0 ? 1 : 0;
      }
      if (!id.empty()) {
        scanned.insert(id);
      }
      auto facts = ParseMessage(text);
      ASSERT_TRUE(facts.ok()) << file;
      if (!facts->message_id.empty()) {
        read.insert(facts->message_id);
      }
    }
    // An id with two @ ("a@b@c") is not one; GMime keeps "a@b". Every other
    // id must be read as the scan found it.
    EXPECT_EQ(read.size(), scanned.size()) << sub;
    std::set<std::string> plain;
    for (const auto& id : scanned) {
      if (std::count(id.begin(), id.end(), '@') <= 1) {
        plain.insert(id);
      }
    }
    EXPECT_EQ(Missing(plain, read), "") << sub;
    if (std::string(sub) == "notmuch/default") {
      EXPECT_EQ(files - static_cast<int>(scanned.size()), 1)
          << "README: one Message-ID in two files";
    }
    if (std::string(sub) == "notmuch/duplicate") {
      EXPECT_EQ(scanned.size(), 3u) << "README: three Message-IDs";
    }
    if (std::string(sub) == "notmuch/lkml") {
      EXPECT_EQ(files - static_cast<int>(scanned.size()), 34) << "README: 34 stored twice";
    }
  }
}

TEST(MailCorpus, SenderAddressesMatchASimpleScan) {
  for (const char* sub : {"notmuch/default", "notmuch/lkml"}) {
    std::set<std::string> scanned;
    std::set<std::string> read;
    for (const auto& file : FilesUnder(Dir(sub))) {
      const std::string text = ReadFile(file);
      scanned.insert(AddressIn(Header(text, "from")));
      auto facts = ParseMessage(text);
      ASSERT_TRUE(facts.ok());
      read.insert(facts->from);
    }
    EXPECT_EQ(read, scanned) << sub;
    EXPECT_GT(read.size(), 10u) << sub;
  }
}

TEST(MailCorpus, SkipCountsMatchASimpleScan) {
  // The maildir belonged to cworth@cworth.org (README).
  const Me me{{"cworth@cworth.org"}};
  std::map<Skip, int> skipped;
  int outbound = 0;
  int inbound = 0;
  int list_scan = 0;
  int from_me_scan = 0;
  int to_me_scan = 0;
  int files = 0;
  for (const auto& file : FilesUnder(Dir("notmuch/default"))) {
    const std::string text = ReadFile(file);
    ++files;
    bool list = false;
    bool to_me = false;
    for (const auto& [name, value] : Headers(text)) {
      const std::string v = Lower(value);
      list = list || name == "list-id" || name == "list-unsubscribe" ||
             (name == "precedence" &&
              (v.find("bulk") != std::string::npos || v.find("list") != std::string::npos ||
               v.find("junk") != std::string::npos));
      to_me = to_me || ((name == "to" || name == "cc" || name == "delivered-to") &&
                        v.find("cworth@cworth.org") != std::string::npos);
    }
    const bool from_me = AddressIn(Header(text, "from")) == "cworth@cworth.org";
    list_scan += list ? 1 : 0;
    from_me_scan += !list && from_me ? 1 : 0;
    to_me_scan += !list && !from_me && to_me ? 1 : 0;

    auto facts = ParseMessage(text);
    ASSERT_TRUE(facts.ok());
    const Verdict v = Classify(*facts, me, kNow, kNow);
    ++skipped[v.skip];
    for (const auto& in : v.interactions) {
      (in.direction() == v1::OUTBOUND ? outbound : inbound) += 1;
    }
  }
  EXPECT_EQ(skipped[Skip::kMailingList], list_scan);
  EXPECT_EQ(outbound, from_me_scan);
  EXPECT_EQ(from_me_scan, 12) << "README: 12 messages from that address";
  EXPECT_EQ(inbound, to_me_scan);
  EXPECT_EQ(skipped[Skip::kNotAddressedToMe], files - list_scan - from_me_scan - to_me_scan);
}

TEST(MailCorpus, MboxMessageCountsMatchTheirFromLines) {
  int total = 0;
  for (const auto& file : FilesUnder(Dir("perceval"))) {
    int from_lines = 0;
    std::istringstream in(ReadFile(file));
    std::string line;
    while (std::getline(in, line)) {
      from_lines += line.rfind("From ", 0) == 0 ? 1 : 0;
    }
    int read = 0;
    ASSERT_TRUE(ReadMbox(file,
                         [&](MboxMessage& m) {
                           ++read;
                           EXPECT_EQ(m.index, read);
                           EXPECT_TRUE(m.facts.ok()) << file << " #" << m.index;
                         })
                    .ok())
        << file;
    EXPECT_EQ(read, from_lines) << file;
    total += read;
  }
  EXPECT_EQ(total, 22) << "README: 22 messages in perceval's mbox files";
}

TEST(MailCorpus, AnUnquotedFromLineInABodyDoesNotSplitTheMessage) {
  // README: mailbox_01.mbox holds one message whose body has "From time to time".
  const std::string path = Dir("cpython/mailbox_01.mbox");
  ASSERT_NE(ReadFile(path).find("\nFrom time to time"), std::string::npos);
  int read = 0;
  ASSERT_TRUE(ReadMbox(path, [&](MboxMessage&) { ++read; }).ok());
  EXPECT_EQ(read, 1);
}

TEST(MailCorpus, HandCheckedMessages) {
  auto keith = ParseMessage(ReadFile(Dir("notmuch/default/cur/29:2,")));
  ASSERT_TRUE(keith.ok());
  EXPECT_EQ(keith->from, "keithp@keithp.com");
  EXPECT_EQ(keith->to, std::vector<std::string>{"notmuch@notmuchmail.org"});
  EXPECT_EQ(keith->message_id, "yunzl6kd1w0.fsf@aiko.keithp.com");
  ASSERT_TRUE(keith->date.has_value());
  EXPECT_EQ(*keith->date, At("2009-11-18T02:04:31Z"));  // Tue, 17 Nov 2009 18:04:31 -0800

  // A 12-hour Date: "Wed 29 May 2019 06:09:22 PM EDT".
  auto pm = ParseMessage(ReadFile(Dir("notmuch/crypto/encrypted-signed.eml")));
  ASSERT_TRUE(pm.ok());
  ASSERT_TRUE(pm->date.has_value());
  EXPECT_EQ(*pm->date, At("2019-05-29T22:09:22Z"));

  // UTF-8 in the address itself (RFC 6532).
  auto utf8 = ParseMessage(ReadFile(Dir("mikel-mail/rfc6532/utf8_headers.eml")));
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(utf8->from,
            "jd\xC3\xB6"
            "e@m\xC3\xA4"
            "chine.example");

  // The same message with CRLF and with LF.
  auto crlf = ParseMessage(ReadFile(Dir("mikel-mail/plain_emails/basic_email.eml")));
  auto lf = ParseMessage(ReadFile(Dir("mikel-mail/plain_emails/basic_email_lf.eml")));
  ASSERT_TRUE(crlf.ok() && lf.ok());
  EXPECT_EQ(crlf->from, lf->from);
  EXPECT_EQ(crlf->to, lf->to);
  EXPECT_EQ(crlf->message_id, lf->message_id);
  EXPECT_EQ(crlf->date, lf->date);

  // A Date in year 3609: the newest Received date is used instead.
  auto bad_time = ParseMessage(ReadFile(Dir("mikel-mail/plain_emails/raw_email_bad_time.eml")));
  ASSERT_TRUE(bad_time.ok());
  ASSERT_TRUE(bad_time->received.has_value());
  const Verdict v = Classify(*bad_time, Me{}, kNow, kNow);
  ASSERT_EQ(v.interactions.size(), 1u);
  EXPECT_EQ(client::FromProto(v.interactions[0].occurred_at()), *bad_time->received);

  // A Date with no year falls back too, never to 1970.
  auto no_year = ParseMessage(ReadFile(Dir("notmuch/attachment/text-calendar.eml")));
  ASSERT_TRUE(no_year.ok());
  const Verdict nv = Classify(*no_year, Me{}, kNow, kNow);
  ASSERT_FALSE(nv.interactions.empty());
  EXPECT_GT(client::FromProto(nv.interactions[0].occurred_at()), At("1980-01-01T00:00:00Z"));
}

TEST(MailCorpus, DuplicatesShareAnEventId) {
  std::set<std::string> ids;
  int files = 0;
  for (const auto& file : FilesUnder(Dir("notmuch/duplicate"))) {
    ++files;
    auto facts = ParseMessage(ReadFile(file));
    ASSERT_TRUE(facts.ok());
    facts->list_marker.clear();  // they went through a list; here only their ids matter
    for (const auto& in : Classify(*facts, Me{}, kNow, kNow).interactions) {
      ids.insert(in.event_id());
    }
  }
  EXPECT_EQ(files, 9);
  EXPECT_EQ(ids.size(), 3u);
}

TEST(MailCorpus, TruncatedCorpusMessagesNeverCrash) {
  int n = 0;
  for (const auto& file : FilesUnder(Dir("mikel-mail"))) {
    const std::string text = ReadFile(file);
    for (std::size_t cut : {std::size_t{1}, text.size() / 3, text.size() / 2, text.size() - 1}) {
      auto facts = ParseMessage(std::string_view(text).substr(0, cut));
      if (!facts.ok()) {
        EXPECT_EQ(facts.status().message().rfind("unparseable: ", 0), 0u);
      }
      ++n;
    }
  }
  EXPECT_GT(n, 300);
}

}  // namespace
}  // namespace warmth::mail
