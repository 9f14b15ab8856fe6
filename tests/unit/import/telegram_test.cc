// Telegram Desktop JSON import (simdjson on-demand): on the corpus's three
// telegram files, counted here with regular expressions on the text,
// independently of the importer, and on synthetic exports written below
// (the corpus has no missed, busy or video call, no whole-account export
// with a real personal chat and no group).
#include "clients/import/telegram.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::import {
namespace {

using testing::ReadFile;

std::string Tg(const std::string& name) {
  return testing::CorpusDir() + "/calls-chats/telegram/" + name;
}

struct Parsed {
  TelegramFile file;
  std::vector<v1::Interaction> interactions;
};

ChatOptions Utc() {
  ChatOptions o;
  o.zone = date::locate_zone("UTC");
  return o;
}

Parsed ParseFile(const std::string& path, const ChatOptions& options = Utc()) {
  Parsed p;
  p.file = ParseTelegramFile(path, options, [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

Parsed ParseText(const std::string& text, const ChatOptions& options = Utc()) {
  Parsed p;
  p.file = ParseTelegramText(text, options, [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

int Count(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<int>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

std::int64_t SkippedTotal(const TelegramFile& f) {
  std::int64_t n = 0;
  for (const auto& [reason, k] : f.skipped) {
    n += k;
  }
  return n;
}

TEST(TelegramCorpus, SingleChatCountsMatchTheFile) {
  const std::string path = Tg("chat-analytics/DM_2A_7M.json");
  const std::string text = ReadFile(path);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"("type": "personal_chat",\s*"id": (\d+))")));
  const std::string other = m[1];
  const int messages = Count(text, R"("type": "message")");
  const int services = Count(text, R"("type": "service")");
  const int calls = Count(text, R"("action": "phone_call")");
  const int inbound = Count(text, "\"from_id\": \"user" + other + "\"");
  ASSERT_GT(messages, 0);
  ASSERT_EQ(calls, 1);
  const Parsed p = ParseFile(path);
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.file.records, messages + services);
  ASSERT_EQ(static_cast<int>(p.interactions.size()), messages + calls);
  EXPECT_EQ(p.file.skipped.at("service message"), services - calls);
  int in = 0;
  int out = 0;
  std::set<std::string> ids;
  for (const auto& i : p.interactions) {
    EXPECT_EQ(i.contacts(0), "telegram:" + other);
    EXPECT_EQ(i.source(), "warmctl import telegram");
    EXPECT_LE(i.event_id().size(), 128u);
    EXPECT_EQ(i.event_id().rfind("telegram:" + other + ":", 0), 0u) << i.event_id();
    ids.insert(i.event_id());
    if (i.channel() == v1::MESSAGE) {
      (i.direction() == v1::INBOUND ? in : out) += 1;
    }
  }
  EXPECT_EQ(ids.size(), p.interactions.size()) << "one id per entry";
  EXPECT_EQ(in, inbound);
  EXPECT_EQ(out, messages - inbound);
  // The call: Alice (the exporter, not the chat's id) called, 56 s.
  const v1::Interaction& call = p.interactions.back();
  EXPECT_EQ(call.channel(), v1::CALL);
  EXPECT_EQ(call.direction(), v1::OUTBOUND);
  EXPECT_FALSE(call.missed());
  EXPECT_EQ(call.occurred_at().seconds(), 1691719862) << "date_unixtime wins over date";
  // 3644 has only the local date: read in the options' zone (UTC here).
  EXPECT_EQ(p.interactions[0].event_id(), "telegram:" + other + ":3644");
  EXPECT_EQ(p.interactions[0].occurred_at().seconds(), 1562950532);  // 2019-07-12T16:55:32Z
  EXPECT_EQ(p.file.names.at("telegram:" + other), "Bob");
  // Read again: the same ids.
  const Parsed again = ParseFile(path);
  ASSERT_EQ(again.interactions.size(), p.interactions.size());
  for (std::size_t i = 0; i < p.interactions.size(); ++i) {
    EXPECT_EQ(again.interactions[i].event_id(), p.interactions[i].event_id());
  }
}

// chat-miner's file has only `messages` (no type, no id, no from_id);
// mehrdad's uses chat types Telegram never writes. Nothing is imported from
// either, every entry is counted, and nothing is a problem.
TEST(TelegramCorpus, ShapesTelegramDoesNotWriteAreSkippedByReason) {
  for (const std::string name :
       {"chat-miner/test_single_export.json", "mehrdad-tg-export-parser/test_data.json"}) {
    const std::string text = ReadFile(Tg(name));
    const int entries = Count(text, R"re("type": "(message|service)")re");
    ASSERT_GT(entries, 0) << name;
    const Parsed p = ParseFile(Tg(name));
    EXPECT_TRUE(p.file.problems.empty()) << name;
    EXPECT_EQ(p.file.records, entries) << name;
    EXPECT_TRUE(p.interactions.empty()) << name;
    EXPECT_EQ(p.file.skipped.at("chat of unknown type"), entries) << name;
  }
}

TEST(TelegramCorpus, EveryFileKeepsRecordsEqualToInteractionsPlusSkipped) {
  for (const std::string name :
       {"chat-analytics/DM_2A_7M.json", "chat-miner/test_single_export.json",
        "mehrdad-tg-export-parser/test_data.json"}) {
    ChatOptions groups = Utc();
    groups.groups = true;
    const Parsed p = ParseFile(Tg(name), groups);
    EXPECT_EQ(static_cast<std::int64_t>(p.interactions.size()) + SkippedTotal(p.file),
              p.file.records)
        << name;
  }
}

// Synthetic: every kind of call Telegram Desktop writes, in a single-chat
// export (no personal_information: the chat's id is the other person).
constexpr const char* kCalls = R"json({
 "name": "Ann Lee", "type": "personal_chat", "id": 42,
 "messages": [
  {"id": 1, "type": "service", "date_unixtime": "1700000001", "actor_id": "user42",
   "action": "phone_call", "duration_seconds": 300, "discard_reason": "hangup"},
  {"id": 2, "type": "service", "date_unixtime": "1700000002", "actor_id": "user7",
   "action": "phone_call", "duration_seconds": 60, "discard_reason": "hangup", "is_video": true},
  {"id": 3, "type": "service", "date_unixtime": "1700000003", "actor_id": "user42",
   "action": "phone_call", "discard_reason": "missed"},
  {"id": 4, "type": "service", "date_unixtime": "1700000004", "actor_id": "user7",
   "action": "phone_call", "discard_reason": "busy"},
  {"id": 5, "type": "service", "date_unixtime": "1700000005", "actor_id": "user42",
   "action": "phone_call", "discard_reason": "hangup"},
  {"id": 6, "type": "service", "date_unixtime": "1700000006", "actor_id": "user42",
   "action": "phone_call", "duration_seconds": 0, "discard_reason": "disconnect"},
  {"id": 7, "type": "service", "date_unixtime": "1700000007", "actor_id": "user42",
   "action": "group_call"},
  {"id": 8, "type": "service", "date_unixtime": "1700000008", "action": "phone_call",
   "duration_seconds": 10},
  {"id": 9, "type": "unsupported"}
 ]
})json";

TEST(TelegramCalls, AnsweredMissedBusyAndVideoCalls) {
  const Parsed p = ParseText(kCalls);
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.file.records, 9);
  struct Want {
    v1::Channel channel;
    v1::Direction direction;
    bool missed;
  };
  const Want want[] = {{v1::CALL, v1::INBOUND, false}, {v1::VIDEO, v1::OUTBOUND, false},
                       {v1::CALL, v1::INBOUND, true},  {v1::CALL, v1::OUTBOUND, true},
                       {v1::CALL, v1::INBOUND, true},  {v1::CALL, v1::INBOUND, true}};
  ASSERT_EQ(p.interactions.size(), std::size(want));
  for (std::size_t i = 0; i < std::size(want); ++i) {
    const v1::Interaction& in = p.interactions[i];
    EXPECT_EQ(in.event_id(), "telegram:42:" + std::to_string(i + 1));
    EXPECT_EQ(in.contacts(0), "telegram:42") << i;
    EXPECT_EQ(in.channel(), want[i].channel) << i;
    EXPECT_EQ(in.direction(), want[i].direction) << i;
    EXPECT_EQ(in.missed(), want[i].missed) << i;
    EXPECT_EQ(in.occurred_at().seconds(), 1700000001 + static_cast<std::int64_t>(i));
  }
  const std::map<std::string, std::int64_t> skipped = {
      {"service message", 1}, {"no sender", 1}, {"unknown entry type", 1}};
  EXPECT_EQ(p.file.skipped, skipped);
  EXPECT_EQ(p.file.names.at("telegram:42"), "Ann Lee");
}

// Synthetic whole-account export: you are user 7; a personal chat, a
// group, a channel, saved messages, and a left supergroup.
constexpr const char* kAccount = R"json({
 "about": "x",
 "personal_information": {"user_id": 7, "first_name": "Me", "phone_number": "+1 555"},
 "contacts": {"about": "x", "list": [{"user_id": 42, "first_name": "Ann"}]},
 "chats": {"about": "x", "list": [
  {"name": "Ann\u200e Lee", "type": "personal_chat", "id": 42, "messages": [
   {"id": 10, "type": "message", "date_unixtime": "1700000010", "from": "Ann",
    "from_id": "user42", "text": "secret words"},
   {"id": 11, "type": "message", "date_unixtime": "1700000011", "from": "Me",
    "from_id": "user7", "text": [{"type": "bold", "text": "more"}]},
   {"id": 12, "type": "message", "date_unixtime": "1700000012", "from": "X",
    "from_id": "user99", "text": ""}]},
  {"name": "Club", "type": "private_supergroup", "id": 42, "messages": [
   {"id": 10, "type": "message", "date_unixtime": "1700000020", "from": "Bo Ek",
    "from_id": "user43", "text": "hi"},
   {"id": 11, "type": "message", "date_unixtime": "1700000021", "from": "Me",
    "from_id": "user7", "text": "hi"},
   {"id": 12, "type": "message", "date_unixtime": "1700000022", "from": "Club",
    "from_id": "channel42", "text": "hi"},
   {"id": 13, "type": "service", "date_unixtime": "1700000023", "actor_id": "user43",
    "action": "invite_members"}]},
  {"name": "News", "type": "public_channel", "id": 5, "messages": [
   {"id": 1, "type": "message", "date_unixtime": "1700000030", "from_id": "channel5"}]},
  {"type": "saved_messages", "id": 7, "messages": [
   {"id": 1, "type": "message", "date_unixtime": "1700000040", "from_id": "user7"}]}
 ]},
 "left_chats": {"about": "x", "list": [
  {"name": "Old", "type": "private_group", "id": 6, "messages": [
   {"id": 3, "type": "message", "date_unixtime": "1700000050", "from": "Cy",
    "from_id": "user44", "text": "bye"}]}]}
})json";

TEST(TelegramAccount, PersonalChatsByYourUserIdGroupsOnlyWhenAsked) {
  const Parsed p = ParseText(kAccount);
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.file.records, 3 + 4 + 1 + 1 + 1);
  ASSERT_EQ(p.interactions.size(), 2u);
  EXPECT_EQ(p.interactions[0].direction(), v1::INBOUND);
  EXPECT_EQ(p.interactions[1].direction(), v1::OUTBOUND);
  EXPECT_EQ(p.interactions[1].event_id(), "telegram:42:11");
  const std::map<std::string, std::int64_t> skipped = {
      {"sender not in the chat", 1}, {"group chat", 5}, {"channel", 1}, {"saved messages", 1}};
  EXPECT_EQ(p.file.skipped, skipped);
  EXPECT_EQ(p.file.names.at("telegram:42"), "Ann Lee") << "the U+200E mark is dropped";
  EXPECT_EQ(p.file.names.size(), 1u);

  ChatOptions groups = Utc();
  groups.groups = true;
  const Parsed g = ParseText(kAccount, groups);
  ASSERT_EQ(g.interactions.size(), 2u + 2u);
  const v1::Interaction& bo = g.interactions[2];
  EXPECT_EQ(bo.channel(), v1::SOCIAL);
  EXPECT_EQ(bo.direction(), v1::INBOUND);
  EXPECT_EQ(bo.contacts(0), "telegram:43");
  EXPECT_EQ(bo.event_id(), "telegram:g42:10") << "not the personal chat's telegram:42:10";
  EXPECT_EQ(g.interactions[3].contacts(0), "telegram:44") << "a left group";
  EXPECT_EQ(g.file.names.at("telegram:43"), "Bo Ek");
  EXPECT_EQ(g.file.skipped.at("your own group message"), 1);
  EXPECT_EQ(g.file.skipped.at("group message not from a person"), 1);
  EXPECT_EQ(g.file.skipped.at("service message"), 1);
  EXPECT_EQ(g.file.skipped.count("group chat"), 0u);
  for (const auto& i : g.interactions) {
    EXPECT_NE(i.contacts(0), "telegram:7") << "never you";
  }
}

TEST(TelegramAccount, AGroupExportWithoutYourIdNeedsYourName) {
  const std::string group = R"json({"name": "Club", "type": "private_group", "id": 6,
   "messages": [
    {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "Me Myself",
     "from_id": "user7"},
    {"id": 2, "type": "message", "date_unixtime": "1700000001", "from": "Cy",
     "from_id": "user44"}]})json";
  ChatOptions o = Utc();
  o.groups = true;
  Parsed p = ParseText(group, o);
  EXPECT_TRUE(p.interactions.empty());
  EXPECT_EQ(p.file.skipped.at("group chat without your id"), 2);
  o.me = {"Me  Myself"};
  p = ParseText(group, o);
  ASSERT_EQ(p.interactions.size(), 1u);
  EXPECT_EQ(p.interactions[0].contacts(0), "telegram:44");
  EXPECT_EQ(p.file.skipped.at("your own group message"), 1);
}

TEST(TelegramDates, OldLocalDatesMissingAndUnreadableDates) {
  const std::string chat = R"json({"name": "A", "type": "personal_chat", "id": 42,
   "messages": [
    {"id": 1, "type": "message", "date": "2024-01-15T10:30:00", "from_id": 42},
    {"id": 2, "type": "message", "from_id": "user42"},
    {"id": 3, "type": "message", "date": "2024-13-45T99:00:00", "from_id": "user42"},
    {"id": 4, "type": "message", "date_unixtime": "soon", "from_id": "user42"},
    {"id": 5, "type": "message", "date_unixtime": 1700000005, "from_id": "user42"},
    {"id": 6, "type": "message", "date": "2024-01-15T10:30:00+02:00", "from_id": "user42"},
    {"type": "message", "date_unixtime": "1700000007", "from_id": "user42"}]})json";
  ChatOptions berlin = Utc();
  berlin.zone = date::locate_zone("Europe/Berlin");
  const Parsed p = ParseText(chat, berlin);
  ASSERT_EQ(p.interactions.size(), 3u);
  EXPECT_EQ(p.interactions[0].occurred_at().seconds(), 1705311000) << "10:30 CET is 09:30Z";
  EXPECT_EQ(p.interactions[0].direction(), v1::INBOUND) << "an old numeric from_id";
  EXPECT_EQ(p.interactions[1].occurred_at().seconds(), 1700000005);
  EXPECT_EQ(p.interactions[2].occurred_at().seconds(), 1705307400) << "08:30Z";
  EXPECT_EQ(p.file.skipped.at("no date"), 1);
  EXPECT_EQ(p.file.skipped.at("no message id"), 1);
  ASSERT_EQ(p.file.problems.size(), 2u);
  EXPECT_EQ(p.file.problems[0].where, "message 3");
  EXPECT_EQ(p.file.problems[0].message, "unreadable date");
  EXPECT_EQ(p.file.problems[1].where, "message 4");
}

TEST(TelegramBroken, GarbageEmptyAndNonExportsAreProblemsNeverThrows) {
  std::string garbage;
  for (int i = 0; i < 5000; ++i) {
    garbage += static_cast<char>((i * 7919 + 13) % 256);
  }
  const std::string inputs[] = {
      "",       " \n",        garbage,
      "[1, 2]", "{\"a\": 1}", "{\"messages\": 5}",
      "nul",    "{]}",        "{\"name\": \"x\", \"messages\": [1, {}, []]}"};
  for (const auto& text : inputs) {
    const Parsed p = ParseText(text);
    EXPECT_TRUE(p.interactions.empty()) << text.substr(0, 20);
    EXPECT_FALSE(p.file.problems.empty() && p.file.records == 0) << text.substr(0, 20);
  }
  EXPECT_EQ(ParseText("").file.problems.at(0).message, "empty: not a Telegram export");
  EXPECT_EQ(ParseText("{\"a\": 1}").file.problems.at(0).message,
            "not a Telegram export: no chats and no messages");
  const Parsed missing = ParseFile("/nonexistent/result.json");
  ASSERT_EQ(missing.file.problems.size(), 1u);
  EXPECT_EQ(missing.file.problems[0].message, "cannot be opened for reading");
}

// A copy cut short: the entries before the cut are imported and the cut is
// one problem with its line, whether it falls inside a string or not.
TEST(TelegramBroken, ATruncatedExportKeepsWhatCameBefore) {
  const std::string text = ReadFile(Tg("chat-analytics/DM_2A_7M.json"));
  const Parsed whole = ParseText(text);
  for (const std::string cut_after : {R"("text": "blah b)", R"("text": "blah blah",)"}) {
    const std::size_t at = text.find(cut_after) + cut_after.size();
    const std::string head = text.substr(0, at);
    const int complete = Count(head, R"(\n        \},?\n)");  // closed entries
    const Parsed p = ParseText(head);
    ASSERT_EQ(p.file.problems.size(), 1u) << cut_after;
    EXPECT_NE(p.file.problems[0].message.find("breaks off"), std::string::npos);
    EXPECT_EQ(p.file.problems[0].where.rfind("line ", 0), 0u);
    EXPECT_EQ(p.file.records, complete + 1) << "the cut entry is counted, not imported";
    ASSERT_EQ(p.interactions.size(), static_cast<std::size_t>(complete - 1)) << "1 service entry";
    for (std::size_t i = 0; i < p.interactions.size(); ++i) {
      EXPECT_EQ(p.interactions[i].event_id(), whole.interactions[i].event_id());
    }
  }
}

TEST(TelegramPrivacy, NoTextInIdsNamesOrProblems) {
  const Parsed p = ParseText(kAccount);
  for (const auto& i : p.interactions) {
    EXPECT_EQ(i.event_id().find("secret"), std::string::npos);
    EXPECT_EQ(i.DebugString().find("secret"), std::string::npos);
  }
  std::string damaged = kAccount;
  damaged.replace(damaged.find("\"secret words\""), 14, "\"secret words\" x");
  const Parsed d = ParseText(damaged);
  ASSERT_FALSE(d.file.problems.empty());
  for (const auto& problem : d.file.problems) {
    EXPECT_EQ(problem.message.find("secret"), std::string::npos) << problem.message;
    EXPECT_EQ(problem.where.find("secret"), std::string::npos) << problem.where;
  }
}

TEST(TelegramEmit, FalseStopsTheReading) {
  int seen = 0;
  const TelegramFile f = ParseTelegramText(kCalls, Utc(), [&](const v1::Interaction&) {
    ++seen;
    return false;
  });
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(f.interactions, 1);
}

}  // namespace
}  // namespace warmth::import
