// Facebook Messenger / Instagram DYI import (simdjson on-demand): on the
// corpus's one Messenger file, counted here independently of the importer,
// and on synthetic threads written below (the corpus file has no calls, no
// groups and no double-encoded names; real exports have all three).
#include "clients/import/messenger.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::import {
namespace {

using testing::ReadFile;

std::string CorpusFile() {
  return testing::CorpusDir() + "/calls-chats/messenger/chat-analytics/2A_7M.json";
}

struct Parsed {
  MessengerFile file;
  std::vector<v1::Interaction> interactions;
};

ChatOptions Me(std::vector<std::string> me, bool groups = false) {
  ChatOptions o;
  o.me = std::move(me);
  o.groups = groups;
  return o;
}

Parsed ParseText(const std::string& text, const ChatOptions& options) {
  Parsed p;
  p.file = ParseMessengerText(text, options, [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

Parsed ParseFile(const std::string& path, const ChatOptions& options) {
  Parsed p;
  p.file = ParseMessengerFile(path, options, [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

// The number of matches of `pattern` in `text`.
int Count(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<int>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

TEST(RedecodeMojibake, UndoesDoubleEncodingAndKeepsRealText) {
  const struct {
    const char* name;
    std::string in;
    std::string out;
  } cases[] = {
      // "Ren\u00c3\u00a9e" as simdjson unescapes it: U+00C3 U+00A9.
      {"accented", "RenÃ©e", "Renée"},
      // U+1F600 written as its four bytes \u00f0\u009f\u0098\u0080.
      {"emoji", "Hi \xC3\xB0\xC2\x9F\xC2\x98\xC2\x80", "Hi 😀"},
      {"ascii", "Ann Lee", "Ann Lee"},
      {"empty", "", ""},
      // Real UTF-8 "Renée" (U+00E9): as a byte, E9 is no UTF-8: kept.
      {"real latin-1 range", "Renée", "Renée"},
      // A code point above U+00FF: real text.
      {"real cjk", "李", "李"},
      {"mixed mojibake and real", "Ã©李", "Ã©李"},
      // U+00C3 alone: the byte C3 starts a sequence that never ends.
      {"lone lead byte", "Ã", "Ã"},
      {"invalid input bytes", "a\xFF\xC3", "a\xFF\xC3"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RedecodeMojibake(c.in), c.out) << c.name;
  }
}

TEST(MessengerCorpus, OneToOneMessagesByDirectionCountedFromTheFile) {
  const std::string text = ReadFile(CorpusFile());
  ASSERT_FALSE(text.empty());
  const int messages = Count(text, "\"sender_name\"");
  const int by_alice = Count(text, "\"sender_name\":\\s*\"Alice\"");
  const int by_bob = Count(text, "\"sender_name\":\\s*\"Bob\"");
  ASSERT_EQ(by_alice + by_bob, messages);
  const Parsed p = ParseFile(CorpusFile(), Me({"Alice"}));
  EXPECT_TRUE(p.file.problems.empty()) << p.file.problems[0].where;
  EXPECT_EQ(p.file.records, messages);
  ASSERT_EQ(static_cast<int>(p.interactions.size()), messages);
  int out = 0;
  std::set<std::string> ids;
  for (const auto& in : p.interactions) {
    EXPECT_EQ(in.channel(), v1::MESSAGE);
    EXPECT_EQ(in.contacts(0), "messenger:Bob");
    EXPECT_FALSE(in.missed());
    out += in.direction() == v1::OUTBOUND ? 1 : 0;
    EXPECT_LE(in.event_id().size(), 128u);
    EXPECT_EQ(in.event_id().rfind("messenger:", 0), 0u);
    ids.insert(in.event_id());
  }
  EXPECT_EQ(out, by_alice);
  EXPECT_EQ(static_cast<int>(ids.size()), messages) << "one id per message";
  EXPECT_EQ(p.file.names, (std::map<std::string, std::string>{{"messenger:Bob", "Bob"}}));
  // The first message in the file (the newest): Alice's, at its timestamp_ms.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("\"timestamp_ms\":\\s*([0-9]+)")));
  const long long ms = std::stoll(m[1]);
  EXPECT_EQ(p.interactions[0].occurred_at().seconds(), ms / 1000);
  EXPECT_EQ(p.interactions[0].occurred_at().nanos(), (ms % 1000) * 1000000);
  // A second reading gives the same ids, in the same order.
  const Parsed again = ParseFile(CorpusFile(), Me({"Alice"}));
  ASSERT_EQ(again.interactions.size(), p.interactions.size());
  for (std::size_t i = 0; i < p.interactions.size(); ++i) {
    EXPECT_EQ(again.interactions[i].event_id(), p.interactions[i].event_id());
  }
}

TEST(MessengerCorpus, TheOtherSideSeesTheSameMessagesReversed) {
  const Parsed alice = ParseFile(CorpusFile(), Me({"Alice"}));
  const Parsed bob = ParseFile(CorpusFile(), Me({"Bob"}));
  ASSERT_EQ(bob.interactions.size(), alice.interactions.size());
  for (std::size_t i = 0; i < bob.interactions.size(); ++i) {
    EXPECT_EQ(bob.interactions[i].contacts(0), "messenger:Alice");
    EXPECT_NE(bob.interactions[i].direction(), alice.interactions[i].direction());
    EXPECT_EQ(bob.interactions[i].event_id(), alice.interactions[i].event_id())
        << "ids come from the content, not from who imports";
  }
}

TEST(MessengerCorpus, WithoutMeNothingIsImportedAndTheProblemSaysWhy) {
  const Parsed p = ParseFile(CorpusFile(), Me({}));
  EXPECT_TRUE(p.interactions.empty());
  ASSERT_EQ(p.file.problems.size(), 1u);
  EXPECT_NE(p.file.problems[0].message.find("--me"), std::string::npos);
  EXPECT_TRUE(p.file.names.empty());
  // A name that is in no participant: one-to-one, so nothing either.
  const Parsed stranger = ParseFile(CorpusFile(), Me({"Carol"}));
  EXPECT_TRUE(stranger.interactions.empty());
  ASSERT_EQ(stranger.file.problems.size(), 1u);
  EXPECT_NE(stranger.file.problems[0].message.find("none is you"), std::string::npos);
}

TEST(MessengerCorpus, ATruncatedCopyKeepsTheMessagesBeforeTheCut) {
  const std::string text = ReadFile(CorpusFile());
  // Cut inside the fourth message: three complete ones before it.
  std::size_t at = 0;
  for (int i = 0; i < 4; ++i) {
    at = text.find("\"sender_name\"", at + 1);
  }
  const Parsed p = ParseText(text.substr(0, at), Me({"Alice"}));
  ASSERT_EQ(p.file.problems.size(), 1u);
  EXPECT_EQ(p.file.problems[0].where, "messages[3]");
  EXPECT_NE(p.file.problems[0].message.find("breaks off"), std::string::npos);
  EXPECT_EQ(p.interactions.size(), 3u);
}

// Synthetic threads, written for these tests in DYI's shape: names double
// encoded as the exports write them.
constexpr const char* kCalls = R"json({
  "participants": [{"name": "Ren\u00c3\u00a9e Dupont \u00f0\u009f\u0098\u0080"}, {"name": "Me Myself"}],
  "messages": [
    {"sender_name": "Me Myself", "timestamp_ms": 1700000600000, "content": "Bye", "type": "Generic", "is_unsent": false},
    {"sender_name": "Ren\u00c3\u00a9e Dupont \u00f0\u009f\u0098\u0080", "timestamp_ms": 1700000500000, "content": "Ren\u00c3\u00a9e called you.", "call_duration": 0, "type": "Call", "is_unsent": false},
    {"sender_name": "Me Myself", "timestamp_ms": 1700000400000, "content": "You called Ren\u00c3\u00a9e.", "call_duration": 125, "type": "Call", "is_unsent": false},
    {"sender_name": "Ren\u00c3\u00a9e Dupont \u00f0\u009f\u0098\u0080", "timestamp_ms": 1700000300000, "content": "Ren\u00c3\u00a9e called you.", "call_duration": 61, "type": "Call"},
    {"sender_name": "Me Myself", "timestamp_ms": 1700000200000, "content": "You called.", "type": "Call"},
    {"sender_name": "Ren\u00c3\u00a9e Dupont \u00f0\u009f\u0098\u0080", "timestamp_ms": 1700000100123, "share": {"link": "https://example.com"}, "type": "Share"},
    {"sender_name": "Ren\u00c3\u00a9e Dupont \u00f0\u009f\u0098\u0080", "timestamp_ms": 1700000000000, "is_unsent": true, "type": "Generic"}
  ],
  "title": "Ren\u00c3\u00a9e Dupont", "is_still_participant": true, "thread_type": "Regular",
  "thread_path": "inbox/reneedupont_abc"
})json";

TEST(MessengerChats, CallsAnsweredAndMissedAndDoubleEncodedNames) {
  const Parsed p = ParseText(kCalls, Me({"Me Myself"}));
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.file.records, 7);
  ASSERT_EQ(p.interactions.size(), 6u);
  const std::string renee = "Renée Dupont 😀";
  const std::string id = "messenger:Renée_Dupont_😀";
  EXPECT_EQ(p.file.names, (std::map<std::string, std::string>{{id, renee}}));
  const struct {
    v1::Channel channel;
    v1::Direction direction;
    bool missed;
  } want[] = {{v1::MESSAGE, v1::OUTBOUND, false}, {v1::CALL, v1::INBOUND, true},
              {v1::CALL, v1::OUTBOUND, false},    {v1::CALL, v1::INBOUND, false},
              {v1::CALL, v1::OUTBOUND, true},     {v1::MESSAGE, v1::INBOUND, false}};
  for (std::size_t i = 0; i < p.interactions.size(); ++i) {
    const v1::Interaction& in = p.interactions[i];
    EXPECT_EQ(in.channel(), want[i].channel) << i;
    EXPECT_EQ(in.direction(), want[i].direction) << i;
    EXPECT_EQ(in.missed(), want[i].missed) << i;
    EXPECT_EQ(in.contacts(0), id) << i;
    EXPECT_EQ(in.source(), "warmctl import messenger");
    EXPECT_EQ(in.event_id().find("called"), std::string::npos) << "no content in ids";
  }
  EXPECT_EQ(p.interactions[5].occurred_at().nanos(), 123000000);
  EXPECT_EQ(p.file.skipped, (std::map<std::string, std::int64_t>{{"unsent message", 1}}));
  // Me is compared after the same re-decoding, and --contact wins.
  ChatOptions o = Me({"Me Myself"});
  o.contact = "renee";
  const Parsed to = ParseText(kCalls, o);
  ASSERT_EQ(to.interactions.size(), 6u);
  EXPECT_EQ(to.interactions[0].contacts(0), "renee");
  EXPECT_TRUE(to.file.names.empty());
}

constexpr const char* kGroup = R"json({
  "participants": [{"name": "Ann Lee"}, {"name": "Bo"}, {"name": "Me Myself"}],
  "messages": [
    {"sender_name": "Ann Lee", "timestamp_ms": 1700000500000, "content": "hi all", "type": "Generic"},
    {"sender_name": "Me Myself", "timestamp_ms": 1700000400000, "content": "hey", "type": "Generic"},
    {"sender_name": "Bo", "timestamp_ms": 1700000300000, "content": "yo", "type": "Generic"},
    {"sender_name": "Bo", "timestamp_ms": 1700000200000, "content": "Bo added Ann.", "type": "Subscribe"},
    {"sender_name": "Ann Lee", "timestamp_ms": 1700000100000, "call_duration": 300, "type": "Call"}
  ],
  "thread_type": "RegularGroup"
})json";

TEST(MessengerChats, GroupsAreSkippedUnlessAskedThenSocialForEachOtherSender) {
  const Parsed off = ParseText(kGroup, Me({"Me Myself"}));
  EXPECT_TRUE(off.file.problems.empty());
  EXPECT_TRUE(off.interactions.empty());
  EXPECT_EQ(off.file.skipped, (std::map<std::string, std::int64_t>{{"group chat", 5}}));
  EXPECT_TRUE(off.file.names.empty());

  const Parsed on = ParseText(kGroup, Me({"Me Myself"}, true));
  EXPECT_TRUE(on.file.problems.empty());
  ASSERT_EQ(on.interactions.size(), 3u);
  for (const auto& in : on.interactions) {
    EXPECT_EQ(in.channel(), v1::SOCIAL);
    EXPECT_EQ(in.direction(), v1::INBOUND);
    EXPECT_FALSE(in.missed());
  }
  EXPECT_EQ(on.interactions[0].contacts(0), "messenger:Ann_Lee");
  EXPECT_EQ(on.interactions[1].contacts(0), "messenger:Bo");
  EXPECT_EQ(on.file.skipped, (std::map<std::string, std::int64_t>{{"your group message", 1},
                                                                  {"system message", 1}}));
  EXPECT_EQ(on.file.names, (std::map<std::string, std::string>{{"messenger:Ann_Lee", "Ann Lee"},
                                                               {"messenger:Bo", "Bo"}}));
}

TEST(MessengerChats, TwoParticipantsMarkedGroupIsAGroup) {
  const Parsed p = ParseText(R"json({"participants": [{"name": "Ann"}, {"name": "Me"}],
    "thread_type": "RegularGroup",
    "messages": [{"sender_name": "Ann", "timestamp_ms": 1700000000000, "type": "Generic"}]})json",
                             Me({"Me"}));
  EXPECT_EQ(p.file.skipped, (std::map<std::string, std::int64_t>{{"group chat", 1}}));
}

TEST(MessengerChats, SystemUnsentAndIncompleteMessagesAreSkippedByReason) {
  const Parsed p = ParseText(R"json({"participants": [{"name": "Ann"}, {"name": "Me"}],
    "messages": [
      {"sender_name": "Ann", "timestamp_ms": 1700000000000, "type": "Unsubscribe"},
      {"sender_name": "Ann", "timestamp_ms": 1700000000001, "type": "Payment"},
      {"sender_name": "Ann", "timestamp_ms": 1700000000002, "is_unsent": true},
      {"sender_name": "Ann", "type": "Generic"},
      {"timestamp_ms": 1700000000003, "type": "Generic"},
      {"sender_name": "Zed", "timestamp_ms": 1700000000004},
      {"sender_name": "Ann", "timestamp_ms": -5},
      {"sender_name": "Ann", "timestamp_ms": 1700000000005}
    ]})json",
                             Me({"Me"}));
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.file.records, 8);
  ASSERT_EQ(p.interactions.size(), 1u);
  EXPECT_EQ(p.interactions[0].direction(), v1::INBOUND);
  const std::map<std::string, std::int64_t> skipped = {
      {"system message", 1}, {"other message type", 1},     {"unsent message", 1},
      {"no timestamp", 2},   {"sender not in the chat", 1}, {"no sender", 1}};
  EXPECT_EQ(p.file.skipped, skipped);
}

TEST(MessengerChats, DeletedAccountsAndChatsWithYourselfAreNoOne) {
  const Parsed deleted = ParseText(R"json({"participants": [{"name": "Facebook user"},
    {"name": "Me"}], "messages": [{"sender_name": "Facebook user", "timestamp_ms": 1}]})json",
                                   Me({"Me"}));
  EXPECT_EQ(deleted.file.skipped, (std::map<std::string, std::int64_t>{{"deleted account", 1}}));
  EXPECT_TRUE(deleted.file.names.empty());
  const Parsed self = ParseText(
      R"json({"participants": [{"name": "Me"}], "messages": [{"sender_name": "Me", "timestamp_ms": 1}]})json",
      Me({"Me"}));
  EXPECT_EQ(self.file.skipped, (std::map<std::string, std::int64_t>{{"chat with yourself", 1}}));
}

TEST(MessengerChats, BrokenJsonIsAProblemNeverACrashAndNamesOnlyTheIndex) {
  const struct {
    const char* name;
    std::string text;
    const char* where;
  } cases[] = {
      {"empty", "", "file"},
      {"not an object", "[1, 2]", "file"},
      {"garbage", "\x01\x02 {{{ \xFF", "file"},
      {"no participants", R"({"messages": []})", "participants"},
      {"participants not an array", R"({"participants": 3, "messages": []})", "participants"},
      {"messages not an array", R"({"participants": [], "messages": {"a": 1}})", "messages"},
      {"wrong type", R"({"participants": [{"name": "A"}, {"name": "Me"}], "messages": [
        {"sender_name": "A", "timestamp_ms": 1}, {"sender_name": "A", "timestamp_ms": "secret text"}]})",
       "messages[1]"},
      {"not an object message", R"({"participants": [{"name": "A"}, {"name": "Me"}],
        "messages": [7]})",
       "messages[0]"},
      {"cut in a string", R"({"participants": [{"name": "A"}, {"name": "Me"}], "messages": [
        {"sender_name": "A", "timestamp_ms": 1, "content": "sec)",
       "messages[0]"},
  };
  for (const auto& c : cases) {
    const Parsed p = ParseText(c.text, Me({"Me"}));
    ASSERT_FALSE(p.file.problems.empty()) << c.name;
    EXPECT_EQ(p.file.problems[0].where, c.where) << c.name;
    for (const auto& problem : p.file.problems) {
      EXPECT_EQ(problem.message.find("secret"), std::string::npos) << c.name;
      EXPECT_EQ(problem.message.find("sec"), std::string::npos) << c.name;
    }
  }
  const Parsed missing = ParseFile("/nonexistent/message_1.json", Me({"Me"}));
  ASSERT_EQ(missing.file.problems.size(), 1u);
  EXPECT_NE(missing.file.problems[0].message.find("cannot be opened"), std::string::npos);
}

TEST(MessengerChats, StopsWhenTheReceiverSaysSo) {
  int calls = 0;
  const MessengerFile f = ParseMessengerText(kCalls, Me({"Me Myself"}), [&](v1::Interaction) {
    ++calls;
    return false;
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(f.interactions, 1);
}

}  // namespace
}  // namespace warmth::import
