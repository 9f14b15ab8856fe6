// WhatsApp "Export chat" import (our own parser): on the corpus's 8 exports,
// read in place, with the header lines, senders and system lines counted
// here by a regular expression of the test's own; and on synthetic chats
// written below for what the corpus lacks (one-to-one chats, calls and
// missed calls, U+202F before PM, bad dates, ambiguous dates, no --me).
#include "clients/import/whatsapp.h"

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "base/config.h"
#include "base/phone.h"
#include "tests/support/support.h"

namespace warmth::import {
namespace {

using testing::ReadFile;
using testing::TempDir;

std::string Chat(const std::string& name) {
  return testing::CorpusDir() + "/calls-chats/whatsapp/" + name;
}

struct Parsed {
  InteractionFile file;
  std::vector<v1::Interaction> interactions;
};

ChatOptions Options(std::vector<std::string> me, bool groups = false) {
  ChatOptions o;
  o.me = std::move(me);
  o.groups = groups;
  o.phone = base::PhoneNormalizerFor("");
  o.zone = base::ResolveTimeZone("UTC");
  return o;
}

Parsed ParseFile(const std::string& path, const ChatOptions& options) {
  Parsed p;
  p.file = ParseWhatsappFile(path, options, [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

Parsed ParseText(const std::string& text, const ChatOptions& options) {
  Parsed p;
  p.file = ParseWhatsappText(text, options, [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

std::int64_t Skipped(const InteractionFile& f, const std::string& reason) {
  const auto it = f.skipped.find(reason);
  return it == f.skipped.end() ? 0 : it->second;
}

std::string Problems(const InteractionFile& f) {
  std::string s;
  for (const auto& p : f.problems) {
    s += p.where + ": " + p.message + "\n";
  }
  for (const auto& n : f.notes) {
    s += "note: " + n + "\n";
  }
  return s;
}

// The corpus file counted by the test's own reading: a header line is one
// that starts (after an optional U+200E) with a date, a time and "] " or
// " - "; it is a message when a name without quotes and a colon follow, and
// not the end-to-end notice.
struct Counted {
  int headers = 0;
  int system = 0;
  std::map<std::string, int> by_sender;
};

Counted Count(const std::string& text) {
  static const std::regex header(
      "^(\xE2\x80\x8E)?\\[?[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4},? "
      "[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?"
      "( ?[AaPp]\\.? ?[Mm]\\.?)?(\\] | - )(.*)$");
  static const std::regex sender("^([^:]{1,200}):(.*)$");
  Counted c;
  std::istringstream in(text);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (!std::regex_match(line, m, header)) {
      continue;
    }
    ++c.headers;
    const std::string rest = m[5];
    std::smatch s;
    if (!std::regex_match(rest, s, sender) ||
        std::string(s[2]).find("end-to-end encrypted") != std::string::npos) {
      ++c.system;
      continue;
    }
    ++c.by_sender[s[1]];
  }
  return c;
}

struct CorpusCase {
  const char* file;
  const char* me;
};

// Every corpus chat is a group: the table names one sender as you.
constexpr CorpusCase kCorpus[] = {
    {"whatstk/pokemon.txt", "Ash Ketchum"},
    {"whatstk/lorem.txt", "Mary"},
    {"whatstk/samplechat_4.txt", "Ash Ketchum"},
    {"chat-miner/test_mmddyyyy_12hrs.txt", "John Doe"},
    {"chat-analytics/4A_11M.txt", "Alice"},
    {"soda-whatsapp-datadonation/_chat.txt", "person1"},
    {"soda-whatsapp-datadonation/_chat_file5.txt", "person1"},
    {"pustur-whatsapp-chat-parser/short-chat.txt", "Sample User"},
};

TEST(Whatsapp, CorpusGroupsAreSkippedByReasonWithoutGroups) {
  for (const auto& c : kCorpus) {
    const Counted counted = Count(ReadFile(Chat(c.file)));
    int messages = 0;
    for (const auto& [name, n] : counted.by_sender) {
      messages += n;
    }
    ASSERT_GT(messages, 0) << c.file;
    const Parsed p = ParseFile(Chat(c.file), Options({c.me}));
    EXPECT_EQ(p.file.records, counted.headers) << c.file;
    EXPECT_EQ(p.file.interactions, 0) << c.file;
    EXPECT_TRUE(p.interactions.empty()) << c.file;
    EXPECT_EQ(Skipped(p.file, "group chat"), messages) << c.file << "\n" << Problems(p.file);
    EXPECT_EQ(Skipped(p.file, "system notice"), counted.system) << c.file;
    EXPECT_TRUE(p.file.problems.empty()) << c.file << "\n" << Problems(p.file);
  }
}

TEST(Whatsapp, CorpusGroupsWithGroupsAreSocialForEveryoneButYou) {
  for (const auto& c : kCorpus) {
    const Counted counted = Count(ReadFile(Chat(c.file)));
    int others = 0;
    for (const auto& [name, n] : counted.by_sender) {
      others += name == c.me ? 0 : n;
    }
    const int mine = counted.by_sender.contains(c.me) ? counted.by_sender.at(c.me) : 0;
    const Parsed p = ParseFile(Chat(c.file), Options({c.me}, true));
    EXPECT_EQ(static_cast<int>(p.interactions.size()), others) << c.file << Problems(p.file);
    EXPECT_EQ(Skipped(p.file, "your group message"), mine) << c.file;
    std::set<std::string> ids;
    for (const auto& in : p.interactions) {
      EXPECT_EQ(in.channel(), v1::SOCIAL) << c.file;
      EXPECT_EQ(in.direction(), v1::INBOUND) << c.file;
      ASSERT_EQ(in.contacts_size(), 1);
      EXPECT_NE(in.contacts(0), NameIdentifier("whatsapp", c.me)) << c.file;
      EXPECT_LE(in.event_id().size(), 128u);
      EXPECT_EQ(in.source(), "warmctl import whatsapp");
      ids.insert(in.event_id());
    }
    EXPECT_EQ(ids.size(), p.interactions.size()) << c.file << ": event ids are unique";
    // Every other sender names their contact.
    std::set<std::string> senders;
    for (const auto& [name, n] : counted.by_sender) {
      if (name != c.me) {
        senders.insert(name);
      }
    }
    std::set<std::string> contacts;
    for (const auto& in : p.interactions) {
      contacts.insert(in.contacts(0));
    }
    EXPECT_EQ(contacts.size(), senders.size()) << c.file;
    for (const auto& [identifier, name] : p.file.names) {
      EXPECT_TRUE(contacts.contains(identifier)) << identifier;
      EXPECT_TRUE(senders.contains(name)) << name;
    }
    // The same file again: the same ids, so a re-import adds nothing.
    const Parsed again = ParseFile(Chat(c.file), Options({c.me}, true));
    ASSERT_EQ(again.interactions.size(), p.interactions.size());
    for (std::size_t i = 0; i < p.interactions.size(); ++i) {
      EXPECT_EQ(again.interactions[i].event_id(), p.interactions[i].event_id());
    }
  }
}

std::int64_t Seconds(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  const date::sys_seconds t = date::sys_days{date::year{y} / m / d} + std::chrono::hours{hh} +
                              std::chrono::minutes{mm} + std::chrono::seconds{ss};
  return t.time_since_epoch().count();
}

TEST(Whatsapp, CorpusTimesAndDayMonthOrder) {
  struct Case {
    const char* file;
    std::int64_t first;  // the first message's time, read in UTC
    const char* note;    // in a note, or "" for none
  };
  const Case cases[] = {
      // 15.04.2016: a day above 12 decides.
      {"whatstk/pokemon.txt", Seconds(2016, 8, 6, 13, 23, 0), ""},
      {"whatstk/lorem.txt", Seconds(2020, 1, 15, 2, 22, 56), ""},
      {"whatstk/samplechat_4.txt", Seconds(2016, 8, 6, 13, 23, 10), ""},
      // 01/20/2019: month first; "11:25 a. m.", "00:08 a. m.".
      {"chat-miner/test_mmddyyyy_12hrs.txt", Seconds(2019, 1, 1, 11, 25, 0), ""},
      // Only 12/9/20: no order fits better; US English writes M/D/YY.
      {"chat-analytics/4A_11M.txt", Seconds(2020, 12, 9, 23, 55, 0), "US English"},
      {"soda-whatsapp-datadonation/_chat.txt", Seconds(2022, 3, 16, 15, 20, 25), ""},
      {"soda-whatsapp-datadonation/_chat_file5.txt", Seconds(2022, 3, 16, 15, 20, 25), ""},
      // 06/03, 08/05, 09/04 (2017): month first runs forward, day first not.
      {"pustur-whatsapp-chat-parser/short-chat.txt", Seconds(2017, 6, 3, 0, 45, 0), "run forward"},
  };
  for (const auto& c : cases) {
    const Parsed p = ParseFile(Chat(c.file), Options({"nobody"}, true));
    ASSERT_FALSE(p.interactions.empty()) << c.file;
    EXPECT_EQ(p.interactions.front().occurred_at().seconds(), c.first) << c.file;
    const std::string notes = Problems(p.file);
    if (*c.note == '\0') {
      EXPECT_TRUE(p.file.notes.empty()) << c.file << notes;
    } else {
      EXPECT_NE(notes.find(c.note), std::string::npos) << c.file << notes;
    }
  }
}

TEST(Whatsapp, TwelveHourExportOfTheSameChatGivesTheSameEventIds) {
  const Parsed h24 = ParseFile(Chat("soda-whatsapp-datadonation/_chat.txt"), Options({"x"}, true));
  const Parsed h12 =
      ParseFile(Chat("soda-whatsapp-datadonation/_chat_file5.txt"), Options({"x"}, true));
  ASSERT_EQ(h24.interactions.size(), h12.interactions.size());
  for (std::size_t i = 0; i < h24.interactions.size(); ++i) {
    EXPECT_EQ(h24.interactions[i].event_id(), h12.interactions[i].event_id()) << i;
    EXPECT_EQ(h24.interactions[i].occurred_at().seconds(),
              h12.interactions[i].occurred_at().seconds());
  }
}

// Synthetic, written for this test: a one-to-one chat in the Android form,
// with a multi-line message, a media note and a U+200E-marked line.
constexpr const char* kOneToOne =
    "14/03/2024, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, "
    "not even WhatsApp, can read or listen to them. Tap to learn more.\n"
    "14/03/2024, 09:01 - Ann Lee: SECRETWORD are we on for lunch?\n"
    "14/03/2024, 09:01 - Me Myself: yes\n"
    "it spans\n"
    "\n"
    "three lines: and a colon\n"
    "14/03/2024, 09:01 - Ann Lee: <Media omitted>\n"
    "\xE2\x80\x8E"
    "15/03/2024, 18:30 - Ann Lee: \xE2\x80\x8Ethis message was deleted\n"
    "16/03/2024, 08:00 - Me Myself: SECRETWORD\n";

TEST(Whatsapp, OneToOneIsMessagesBothWaysToTheirName) {
  const Parsed p = ParseText(kOneToOne, Options({"Me Myself"}));
  EXPECT_TRUE(p.file.problems.empty()) << Problems(p.file);
  EXPECT_EQ(p.file.records, 6);
  EXPECT_EQ(Skipped(p.file, "system notice"), 1);
  ASSERT_EQ(p.interactions.size(), 5u);
  const v1::Direction directions[] = {v1::INBOUND, v1::OUTBOUND, v1::INBOUND, v1::INBOUND,
                                      v1::OUTBOUND};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(p.interactions[i].channel(), v1::MESSAGE) << i;
    EXPECT_EQ(p.interactions[i].direction(), directions[i]) << i;
    ASSERT_EQ(p.interactions[i].contacts_size(), 1);
    EXPECT_EQ(p.interactions[i].contacts(0), "whatsapp:Ann_Lee") << i;
    EXPECT_FALSE(p.interactions[i].missed());
  }
  EXPECT_EQ(p.interactions[0].occurred_at().seconds(), Seconds(2024, 3, 14, 9, 1, 0));
  EXPECT_EQ(p.interactions[3].occurred_at().seconds(), Seconds(2024, 3, 15, 18, 30, 0));
  // Two by Ann in the same minute: different ids.
  EXPECT_NE(p.interactions[0].event_id(), p.interactions[2].event_id());
  EXPECT_EQ(p.file.names, (std::map<std::string, std::string>{{"whatsapp:Ann_Lee", "Ann Lee"}}));
  // No text leaves the importer.
  for (const auto& in : p.interactions) {
    EXPECT_EQ(in.DebugString().find("SECRET"), std::string::npos) << in.DebugString();
    EXPECT_EQ(in.DebugString().find("lunch"), std::string::npos);
  }
}

TEST(Whatsapp, ContactFlagLogsToThatContactAndNamesNothing) {
  ChatOptions o = Options({"Me Myself"});
  o.contact = "ann";
  const Parsed p = ParseText(kOneToOne, o);
  ASSERT_EQ(p.interactions.size(), 5u);
  for (const auto& in : p.interactions) {
    EXPECT_EQ(in.contacts(0), "ann");
  }
  EXPECT_TRUE(p.file.names.empty());
  // The ids do not depend on --contact: importing with and without it adds nothing twice.
  const Parsed plain = ParseText(kOneToOne, Options({"Me Myself"}));
  EXPECT_EQ(plain.interactions[0].event_id(), p.interactions[0].event_id());
}

TEST(Whatsapp, IosTwelveHourCallsAndMissedCalls) {
  // U+202F before PM, U+200E before the bracket and inside call notes, CRLF.
  const std::string text =
      "[2/3/24, 9:05:10\xE2\x80\xAFPM] Ann Lee: hi\r\n"
      "\xE2\x80\x8E[2/3/24, 9:06:00\xE2\x80\xAFPM] Ann Lee: \xE2\x80\x8EMissed voice call, "
      "\xE2\x80\x8ETap to call back\r\n"
      "[2/3/24, 9:07:00\xE2\x80\xAFPM] Me: \xE2\x80\x8EVoice call, \xE2\x80\x8E"
      "12 min\r\n"
      "[2/3/24, 9:30:00\xE2\x80\xAFPM] Ann Lee: \xE2\x80\x8EVideo call, \xE2\x80\x8E"
      "1 hr\r\n"
      "[2/3/24, 11:59:00\xE2\x80\xAFPM] Me: \xE2\x80\x8EMissed video call\r\n"
      "[2/3/24, 12:10:00\xE2\x80\xAF"
      "AM] Me: \xE2\x80\x8EVoice call, \xE2\x80\x8ENo answer\r\n"
      "[13/3/24, 12:00:00\xE2\x80\xAFPM] Ann Lee: voice call me later\r\n";
  const Parsed p = ParseText(text, Options({"Me"}));
  EXPECT_TRUE(p.file.problems.empty()) << Problems(p.file);
  ASSERT_EQ(p.interactions.size(), 7u);
  struct Want {
    v1::Channel channel;
    v1::Direction direction;
    bool missed;
    std::int64_t at;
  };
  const Want want[] = {
      {v1::MESSAGE, v1::INBOUND, false, Seconds(2024, 3, 2, 21, 5, 10)},
      {v1::CALL, v1::INBOUND, true, Seconds(2024, 3, 2, 21, 6, 0)},
      {v1::CALL, v1::OUTBOUND, false, Seconds(2024, 3, 2, 21, 7, 0)},
      {v1::VIDEO, v1::INBOUND, false, Seconds(2024, 3, 2, 21, 30, 0)},
      {v1::VIDEO, v1::OUTBOUND, true, Seconds(2024, 3, 2, 23, 59, 0)},
      {v1::CALL, v1::OUTBOUND, true, Seconds(2024, 3, 2, 0, 10, 0)},
      {v1::MESSAGE, v1::INBOUND, false, Seconds(2024, 3, 13, 12, 0, 0)},
  };
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(p.interactions[i].channel(), want[i].channel) << i;
    EXPECT_EQ(p.interactions[i].direction(), want[i].direction) << i;
    EXPECT_EQ(p.interactions[i].missed(), want[i].missed) << i;
    EXPECT_EQ(p.interactions[i].occurred_at().seconds(), want[i].at) << i;
  }
}

TEST(Whatsapp, AmbiguousDatesAreReadInTheOrderThatRunsForwardAndSaidInANote) {
  // Day first: 1 Feb, 3 Jan (back); month first: 2 Jan, 1 Mar (forward).
  const Parsed md =
      ParseText("01/02/2021, 10:00 - Ann: a\n03/01/2021, 10:00 - Me: b\n", Options({"Me"}));
  ASSERT_EQ(md.interactions.size(), 2u);
  EXPECT_EQ(md.interactions[0].occurred_at().seconds(), Seconds(2021, 1, 2, 10, 0, 0));
  ASSERT_EQ(md.file.notes.size(), 1u);
  EXPECT_NE(md.file.notes[0].find("month/day"), std::string::npos) << md.file.notes[0];
  // No order fits better, padded four-digit years: day first, as most locales write.
  const Parsed dm = ParseText("01/02/2021, 10:00 - Ann: a\n", Options({"Me"}));
  ASSERT_EQ(dm.interactions.size(), 1u);
  EXPECT_EQ(dm.interactions[0].occurred_at().seconds(), Seconds(2021, 2, 1, 10, 0, 0));
  ASSERT_EQ(dm.file.notes.size(), 1u);
  EXPECT_NE(dm.file.notes[0].find("day/month"), std::string::npos) << dm.file.notes[0];
  // Year first (ISO): never ambiguous.
  const Parsed iso = ParseText("[2021-02-01, 10:00] Ann: a\n", Options({"Me"}));
  ASSERT_EQ(iso.interactions.size(), 1u);
  EXPECT_EQ(iso.interactions[0].occurred_at().seconds(), Seconds(2021, 2, 1, 10, 0, 0));
  EXPECT_TRUE(iso.file.notes.empty());
}

TEST(Whatsapp, BadDatesAreProblemsByLineNeverText) {
  const Parsed p = ParseText(
      "25/12/2021, 10:00 - Ann: SECRETWORD\n"
      "31/02/2022, 10:00 - Ann: SECRETWORD\n"  // no 31 February
      "00/01/2022, 10:00 - Ann: SECRETWORD\n"
      "26/12/2021, 25:00 - Ann: SECRETWORD\n"  // not a time: text of the message before
      "26/12/2021, 10:00 - Me: ok\n",
      Options({"Me"}));
  EXPECT_EQ(p.file.records, 4);
  EXPECT_EQ(Skipped(p.file, "bad date"), 2);
  ASSERT_EQ(p.file.problems.size(), 2u) << Problems(p.file);
  EXPECT_EQ(p.file.problems[0].where, "line 2");
  EXPECT_EQ(p.file.problems[1].where, "line 3");
  EXPECT_EQ(Problems(p.file).find("SECRET"), std::string::npos) << Problems(p.file);
  EXPECT_EQ(p.interactions.size(), 2u);
}

TEST(Whatsapp, WithoutMeTwoSendersImportNothingAndSaySo) {
  const Parsed p = ParseText(kOneToOne, Options({}));
  EXPECT_TRUE(p.interactions.empty());
  ASSERT_EQ(p.file.problems.size(), 1u);
  EXPECT_NE(p.file.problems[0].message.find("--me"), std::string::npos);
  EXPECT_NE(p.file.problems[0].message.find("[me] names"), std::string::npos);
  EXPECT_EQ(Skipped(p.file, "sender unknown (no --me)"), 5);
  // A wrong --me is the same chat seen as a group of two: skipped as such.
  const Parsed wrong = ParseText(kOneToOne, Options({"Someone Else"}));
  EXPECT_TRUE(wrong.interactions.empty());
  EXPECT_EQ(Skipped(wrong.file, "group chat"), 5);
}

constexpr const char* kGroup =
    "10.01.2023, 12:00 - Du hast die Gruppe \xE2\x80\x9E"
    "Wandern: Alpen\xE2\x80\x9C erstellt\n"
    "10.01.2023, 12:00 - Nachrichten und Anrufe sind Ende-zu-Ende-verschl\xC3\xBCsselt.\n"
    "10.01.2023, 12:01 - Ann: Hallo\n"
    "10.01.2023, 12:02 - ~\xE2\x80\xAF"
    "Bob: \xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD\n"
    "10.01.2023, 12:03 - Ich: Hi\n"
    "13.01.2023, 08:00 - Ann: <Medien ausgeschlossen>\n";

TEST(Whatsapp, GroupsAreSkippedUnlessGroupsThenSocialForOthersOnly) {
  const Parsed off = ParseText(kGroup, Options({"Ich"}));
  EXPECT_TRUE(off.interactions.empty());
  EXPECT_EQ(Skipped(off.file, "group chat"), 4);
  EXPECT_EQ(Skipped(off.file, "system notice"), 2);
  const Parsed on = ParseText(kGroup, Options({"Ich"}, true));
  ASSERT_EQ(on.interactions.size(), 3u);
  EXPECT_EQ(on.interactions[0].contacts(0), "whatsapp:Ann");
  EXPECT_EQ(on.interactions[1].contacts(0), "whatsapp:Bob") << "the non-contact's ~ is dropped";
  for (const auto& in : on.interactions) {
    EXPECT_EQ(in.channel(), v1::SOCIAL);
    EXPECT_EQ(in.direction(), v1::INBOUND);
  }
  EXPECT_EQ(Skipped(on.file, "your group message"), 1);
  // One other sender, but a notice about the group: still a group.
  const Parsed two = ParseText(
      "10.01.2023, 12:00 - Ann created group \"Hike\"\n10.01.2023, 12:01 - Ann: hi\n"
      "13.01.2023, 12:01 - Me: hi\n",
      Options({"Me"}));
  EXPECT_EQ(Skipped(two.file, "group chat"), 2);
  // Without --me, --groups cannot tell your messages from the others'.
  const Parsed nome = ParseText(kGroup, Options({}, true));
  EXPECT_TRUE(nome.interactions.empty());
  EXPECT_EQ(nome.file.problems.size(), 1u);
}

TEST(Whatsapp, EmptyGarbageAndNoHeaderAreProblemsNeverThrows) {
  EXPECT_EQ(ParseText("", Options({"Me"})).file.problems.at(0).message, "is empty");
  std::string garbage;
  for (int i = 0; i < 200000; ++i) {
    garbage += static_cast<char>((i * 7919 + 13) % 256);
  }
  const Parsed g = ParseText(garbage, Options({"Me"}));
  EXPECT_TRUE(g.interactions.empty());
  ASSERT_FALSE(g.file.problems.empty());
  EXPECT_LT(Problems(g.file).size(), 1000u);
  const Parsed text = ParseText("just some\ntext: here\n", Options({"Me"}));
  ASSERT_EQ(text.file.problems.size(), 1u);
  EXPECT_EQ(text.file.problems[0].where, "line 1");
  // Text before the first header is named by line, then the chat is read.
  const Parsed before = ParseText("junk\n14/03/2024, 09:01 - Ann: hi\n", Options({"Me"}));
  EXPECT_EQ(before.interactions.size(), 1u);
  EXPECT_EQ(before.file.problems.size(), 1u);
  // Invalid UTF-8 in a name: skipped, never sent.
  const Parsed bad = ParseText("14/03/2024, 09:01 - A\xFFn: hi\n", Options({"Me"}, true));
  EXPECT_EQ(Skipped(bad.file, "unreadable sender name"), 1);
  const Parsed missing = ParseFile("/nonexistent/chat.txt", Options({"Me"}));
  ASSERT_EQ(missing.file.problems.size(), 1u);
  EXPECT_EQ(missing.file.problems[0].message, "cannot be opened for reading");
}

TEST(Whatsapp, FileIsStreamedLikeTextAndLongLinesAreCut) {
  TempDir dir;
  std::string text = kOneToOne;
  text += "16/03/2024, 08:05 - Ann Lee: " + std::string(1 << 20, 'x') + "\n";
  text += "16/03/2024, 08:06 - Me Myself: after the long line\n";
  const std::string path = dir.Write("WhatsApp Chat with Ann Lee.txt", text);
  const Parsed f = ParseFile(path, Options({"Me Myself"}));
  const Parsed t = ParseText(text, Options({"Me Myself"}));
  ASSERT_EQ(f.interactions.size(), 7u);
  ASSERT_EQ(t.interactions.size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(f.interactions[i].event_id(), t.interactions[i].event_id()) << i;
  }
}

TEST(Whatsapp, OverlappingLaterExportAddsOnlyTheNewMessages) {
  const std::string early = kOneToOne;
  const std::string later = early + "20/03/2024, 10:00 - Ann Lee: new\n";
  std::set<std::string> ids;
  for (const auto& in : ParseText(early, Options({"Me Myself"})).interactions) {
    ids.insert(in.event_id());
  }
  int fresh = 0;
  for (const auto& in : ParseText(later, Options({"Me Myself"})).interactions) {
    fresh += ids.contains(in.event_id()) ? 0 : 1;
  }
  EXPECT_EQ(fresh, 1);
}

TEST(Whatsapp, LocalTimesAreReadInTheConfiguredZone) {
  ChatOptions o = Options({"Me"});
  o.zone = base::ResolveTimeZone("Europe/Berlin");
  // 31 March 2024 02:30 does not exist in Berlin (clocks jump at 02:00).
  const Parsed p = ParseText(
      "14/03/2024, 09:01 - Ann: a\n31/03/2024, 02:30 - Ann: b\n14/07/2024, 09:01 - Ann: c\n", o);
  ASSERT_EQ(p.interactions.size(), 3u);
  EXPECT_EQ(p.interactions[0].occurred_at().seconds(), Seconds(2024, 3, 14, 8, 1, 0));
  EXPECT_EQ(p.interactions[1].occurred_at().seconds(), Seconds(2024, 3, 31, 1, 0, 0));
  EXPECT_EQ(p.interactions[2].occurred_at().seconds(), Seconds(2024, 7, 14, 7, 1, 0));
  // The ids are of the local time: the same whatever the zone.
  const Parsed utc = ParseText("14/03/2024, 09:01 - Ann: a\n", Options({"Me"}));
  EXPECT_EQ(utc.interactions[0].event_id(), p.interactions[0].event_id());
}

TEST(Whatsapp, PhoneNumberSenderIsATelIdentifier) {
  ChatOptions o = Options({"Me"});
  o.phone = base::PhoneNormalizerFor("CH");
  const Parsed p = ParseText(
      "09/04/2017, 01:50 - +41 44 668 18 00: How are you?\n13/04/2017, 01:50 - Me: fine\n", o);
  ASSERT_EQ(p.interactions.size(), 2u);
  EXPECT_EQ(p.interactions[0].contacts(0), "tel:+41446681800");
  EXPECT_TRUE(p.file.names.empty());
}

TEST(Whatsapp, OnlyYourMessagesNeedContact) {
  const std::string text = "14/03/2024, 09:01 - Me: anyone?\n15/03/2024, 09:01 - Me: hello?\n";
  const Parsed alone = ParseText(text, Options({"Me"}));
  EXPECT_TRUE(alone.interactions.empty());
  EXPECT_EQ(Skipped(alone.file, "no other sender"), 2);
  ChatOptions o = Options({"Me"});
  o.contact = "ann";
  const Parsed with = ParseText(text, o);
  ASSERT_EQ(with.interactions.size(), 2u);
  EXPECT_EQ(with.interactions[0].direction(), v1::OUTBOUND);
}

}  // namespace
}  // namespace warmth::import
