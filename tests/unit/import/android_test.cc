// SMS Backup & Restore import (libxml2's streaming reader): on the corpus's
// sms-backup-restore files, counted here independently of the importer, and
// on a synthetic call log written below (the corpus has no voicemail,
// rejected or blocked call). Calls that did not connect are emitted as CALL
// with missed set; blocked ones are skipped.
#include "clients/import/android.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "base/phone.h"
#include "tests/support/support.h"

namespace warmth::import {
namespace {

using testing::ReadFile;
using testing::TempDir;

std::string Sbr(const std::string& name) {
  return testing::CorpusDir() + "/calls-chats/sms-backup-restore/" + name;
}

struct Parsed {
  AndroidFile file;
  std::vector<v1::Interaction> interactions;
};

Parsed ParseFile(const std::string& path, const std::string& region = "") {
  Parsed p;
  p.file = ParseAndroidFile(path, base::PhoneNormalizerFor(region), [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

Parsed ParseText(const std::string& text, const std::string& region = "") {
  Parsed p;
  p.file = ParseAndroidText(text, base::PhoneNormalizerFor(region), [&](v1::Interaction in) {
    p.interactions.push_back(std::move(in));
    return true;
  });
  return p;
}

std::int64_t Skipped(const AndroidFile& f, const std::string& reason) {
  const auto it = f.skipped.find(reason);
  return it == f.skipped.end() ? 0 : it->second;
}

// The opening tags "<NAME …>" in `text`, each as its own string.
std::vector<std::string> Tags(const std::string& text, const std::string& name) {
  std::vector<std::string> tags;
  const std::regex tag("<" + name + "\\s[^>]*>");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator();
       ++it) {
    tags.push_back(it->str());
  }
  return tags;
}

std::string Attr(const std::string& tag, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(tag, m, std::regex("\\s" + name + "=\"([^\"]*)\""))) {
    return {};
  }
  return m[1];
}

// Every type the app writes, one call each. Synthetic: written for this test.
constexpr const char* kCalls = R"xml(<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<calls count="11">
  <call number="+49 171 1234567" duration="30" date="1700000000123" type="1" contact_name="Ann Lee" />
  <call number="0171 1234567" duration="45" date="1700000100000" type="2" contact_name="Ann Lee" />
  <call number="+491711234567" duration="0" date="1700000200000" type="2" />
  <call number="+491711234567" duration="0" date="1700000300000" type="3" />
  <call number="+33612345678" duration="20" date="1700000400000" type="4" contact_name="(Unknown)" />
  <call number="+33612345678" duration="0" date="1700000500000" type="5" />
  <call number="+33612345678" duration="0" date="1700000600000" type="6" />
  <call number="-1" duration="382" date="1700000700000" type="1" />
  <call number="22333" duration="12" date="1700000800000" type="2" />
  <call number="12" duration="12" date="1700000900000" type="1" />
  <call number="+491711234567" duration="5" date="1700001000000" type="7" />
</calls>
)xml";

TEST(AndroidCalls, EveryCallTypeIsMappedOrSkippedByReason) {
  const Parsed p = ParseText(kCalls, "DE");
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.file.records, 11);
  ASSERT_EQ(p.interactions.size(), 6u);
  const v1::Interaction& in = p.interactions[0];
  EXPECT_EQ(in.event_id(), "android:call:1700000000123:+491711234567:1");
  EXPECT_EQ(in.contacts(0), "tel:+491711234567");
  EXPECT_EQ(in.channel(), v1::CALL);
  EXPECT_EQ(in.direction(), v1::INBOUND);
  EXPECT_FALSE(in.missed());
  EXPECT_EQ(in.occurred_at().seconds(), 1700000000);
  EXPECT_EQ(in.occurred_at().nanos(), 123000000);
  // A national number reads with [me] region as the same person.
  EXPECT_EQ(p.interactions[1].contacts(0), "tel:+491711234567");
  EXPECT_EQ(p.interactions[1].direction(), v1::OUTBOUND);
  EXPECT_FALSE(p.interactions[1].missed());
  // Calls that did not connect: an outgoing one nobody took (2, duration 0),
  // a missed (3) and a rejected (5) incoming one.
  const struct {
    std::size_t index;
    const char* type;
    v1::Direction direction;
  } missed[] = {{2, "2", v1::OUTBOUND}, {3, "3", v1::INBOUND}, {5, "5", v1::INBOUND}};
  for (const auto& m : missed) {
    const v1::Interaction& call = p.interactions[m.index];
    EXPECT_EQ(call.channel(), v1::CALL) << m.type;
    EXPECT_EQ(call.direction(), m.direction) << m.type;
    EXPECT_TRUE(call.missed()) << m.type;
    EXPECT_EQ(call.event_id().substr(call.event_id().size() - 2), std::string(":") + m.type);
  }
  EXPECT_EQ(p.interactions[4].channel(), v1::VOICE_MESSAGE);
  EXPECT_EQ(p.interactions[4].direction(), v1::INBOUND);
  EXPECT_FALSE(p.interactions[4].missed());
  EXPECT_EQ(p.interactions[4].contacts(0), "tel:+33612345678");
  EXPECT_EQ(p.interactions[5].contacts(0), "tel:+33612345678");
  const std::map<std::string, std::int64_t> skipped = {
      {"blocked call", 1}, {"withheld number", 1}, {"short code", 2}, {"unknown call type", 1}};
  EXPECT_EQ(p.file.skipped, skipped);
  EXPECT_EQ(p.file.names.at("tel:+491711234567"), "Ann Lee");
  EXPECT_EQ(p.file.names.count("tel:+33612345678"), 0u) << "(Unknown) is no name";
}

TEST(AndroidCalls, WithoutARegionANationalNumberIsSkippedNotMisread) {
  const Parsed p = ParseText(kCalls, "");
  EXPECT_EQ(Skipped(p.file, "unusable number"), 1);
  ASSERT_EQ(p.interactions.size(), 5u);
  EXPECT_EQ(p.interactions[3].channel(), v1::VOICE_MESSAGE);
}

TEST(AndroidCalls, CorpusCallLogCountsMatchItsAttributes) {
  const std::string path = Sbr("memacs/calls.xml");
  const std::string text = ReadFile(path);
  // Calls with a number: answered ones, and ones that did not connect
  // (missed incoming, outgoing nobody took).
  int answered = 0;
  int missed = 0;
  int unanswered = 0;
  int withheld = 0;
  const auto calls = Tags(text, "call");
  for (const auto& tag : calls) {
    const std::string type = Attr(tag, "type");
    const bool spoken = std::stoi(Attr(tag, "duration")) > 0;
    if (Attr(tag, "number").front() == '-') {
      ++withheld;
    } else if (type == "3" || type == "5" || (type == "2" && !spoken)) {
      ++missed;
    } else if (!spoken) {
      ++unanswered;
    } else {
      ++answered;
    }
  }
  ASSERT_GT(missed, 0) << "the corpus file has calls that did not connect";
  const Parsed p = ParseFile(path, "AT");  // its national numbers are Austrian
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.file.records, static_cast<std::int64_t>(calls.size()));
  EXPECT_EQ(Skipped(p.file, "unanswered call"), unanswered);
  EXPECT_EQ(Skipped(p.file, "withheld number"), withheld);
  int emitted_missed = 0;
  for (const auto& in : p.interactions) {
    EXPECT_EQ(in.channel(), v1::CALL);
    EXPECT_EQ(in.contacts(0).rfind("tel:+43", 0), 0u) << in.contacts(0);
    emitted_missed += in.missed() ? 1 : 0;
  }
  EXPECT_EQ(static_cast<std::int64_t>(p.interactions.size()) + Skipped(p.file, "unusable number"),
            answered + missed);
  EXPECT_LE(emitted_missed, missed);
  EXPECT_GE(emitted_missed + Skipped(p.file, "unusable number"), missed);
}

// The truncated real export: what came before the cut is imported, the cut
// is one problem, and the half MMS is dropped.
TEST(AndroidMessages, TruncatedBackupKeepsWhatCameBefore) {
  const std::string path = Sbr("sms-backup-reader-2/sms_and_mms.xml");
  const std::string text = ReadFile(path);
  int sms_in = 0;
  int sms_out = 0;
  for (const auto& tag : Tags(text, "sms")) {
    sms_in += Attr(tag, "type") == "1" ? 1 : 0;
    sms_out += Attr(tag, "type") == "2" ? 1 : 0;
  }
  // Complete MMS: each opening tag with a closing one after it.
  int mms_complete = 0;
  int mms_group = 0;
  std::size_t at = 0;
  for (const auto& tag : Tags(text, "mms")) {
    at = text.find(tag, at);
    if (text.find("</mms>", at) == std::string::npos) {
      break;
    }
    at = text.find("</mms>", at);
    ++mms_complete;
    const std::string address = Attr(tag, "address");
    mms_group += address.find_first_of("~@") != std::string::npos ? 1 : 0;
  }
  const Parsed p = ParseFile(path);
  ASSERT_EQ(p.file.problems.size(), 1u);
  EXPECT_NE(p.file.problems[0].message.find("breaks off"), std::string::npos);
  EXPECT_EQ(Skipped(p.file, "group MMS"), mms_group);
  int in = 0;
  int out = 0;
  for (const auto& i : p.interactions) {
    EXPECT_EQ(i.channel(), v1::MESSAGE);
    (i.direction() == v1::INBOUND ? in : out) += 1;
    EXPECT_EQ(i.event_id().find("Body"), std::string::npos);
  }
  const int mms_one_to_one = mms_complete - mms_group;
  EXPECT_EQ(static_cast<int>(p.interactions.size()), sms_in + sms_out + mms_one_to_one);
  EXPECT_GE(in, sms_in);
  EXPECT_GE(out, sms_out);
  // The owner (+15550000007, the 151 of received MMS) is never a counterpart.
  for (const auto& i : p.interactions) {
    EXPECT_NE(i.contacts(0), "tel:+15550000007") << i.event_id();
  }
}

// An MMS part's media never reach the XML parser: a part of 24 MiB is read
// as quickly as a small one (libxml2 alone took minutes on 16 MiB; the
// figures are in docs/importers.md), bytes in it that are no XML at all do
// not break the file, and the lines it spans still count for a problem's
// position.
TEST(AndroidMessages, MediaOfAnMmsPartAreNotParsed) {
  const std::string mms =
      "<mms date=\"1700000000000\" msg_box=\"1\" address=\"+15550000003\" m_type=\"132\">"
      "<parts><part seq=\"0\" ct=\"image/png\" data=\"";
  const std::string head = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses>\n";
  const std::string tail =
      "\" /></parts><addrs><addr address=\"+15550000003\" type=\"137\" />"
      "</addrs></mms>\n";
  std::string big = head + mms;
  big.append(std::size_t{24} << 20, 'A');
  big += tail + "</smses>\n";
  Parsed p = ParseText(big);
  EXPECT_TRUE(p.file.problems.empty()) << p.file.problems[0].message;
  ASSERT_EQ(p.interactions.size(), 1u);
  EXPECT_EQ(p.interactions[0].contacts(0), "tel:+15550000003");

  // Control bytes and '<' in a value: not XML, but never read.
  p = ParseText(head + mms + "\x01\x02<\x7f" + tail + "</smses>\n");
  EXPECT_TRUE(p.file.problems.empty()) << p.file.problems[0].message;
  EXPECT_EQ(p.interactions.size(), 1u);

  // Base64 wrapped over 3 lines, then the file breaks off on line 6.
  p = ParseText(head + mms + "QUJD\nQUJD\nQUJD" + tail + "<sms address=");
  ASSERT_EQ(p.file.problems.size(), 1u);
  EXPECT_EQ(p.file.problems[0].where, "line 6");
  EXPECT_EQ(p.interactions.size(), 1u);
  // An attribute named like it, "metadata", is left alone.
  p = ParseText(head +
                "<sms address=\"+15550000003\" date=\"1700000000000\" type=\"1\" "
                "metadata=\"x\" />\n</smses>\n");
  EXPECT_TRUE(p.file.problems.empty());
  EXPECT_EQ(p.interactions.size(), 1u);
}

// A group MMS is no conversation with each member: skipped by default;
// with --groups the one received is a SOCIAL touch from its sender, the
// one sent is still skipped (yours never count).
TEST(AndroidMessages, GroupMmsAreSkippedOrWithGroupsSocialFromTheSender) {
  const std::string text =
      "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses>\n"
      "<mms date=\"1700000000000\" msg_box=\"1\" address=\"+15550000003~+15550000004\">"
      "<addrs><addr address=\"+15550000003\" type=\"137\" />"
      "<addr address=\"+15550000004\" type=\"151\" /></addrs></mms>\n"
      "<mms date=\"1700000100000\" msg_box=\"2\" address=\"+15550000003~+15550000004\">"
      "<addrs><addr address=\"+15550000009\" type=\"137\" /></addrs></mms>\n</smses>\n";
  Parsed p = ParseText(text);
  EXPECT_TRUE(p.interactions.empty());
  EXPECT_EQ(Skipped(p.file, "group MMS"), 2);
  p.interactions.clear();
  p.file = ParseAndroidText(
      text, base::PhoneNormalizerFor(""),
      [&](v1::Interaction in) {
        p.interactions.push_back(std::move(in));
        return true;
      },
      /*groups=*/true);
  ASSERT_EQ(p.interactions.size(), 1u);
  EXPECT_EQ(p.interactions[0].channel(), v1::SOCIAL);
  EXPECT_EQ(p.interactions[0].direction(), v1::INBOUND);
  EXPECT_EQ(p.interactions[0].contacts(0), "tel:+15550000003");
  EXPECT_EQ(Skipped(p.file, "your group MMS"), 1);
}

// A date centuries ahead (the fuzzer found one in a mutated backup) or
// before 1970 would be refused by the daemon with the whole chunk: such a
// record is skipped by reason instead.
TEST(AndroidMessages, ADateOutOfRangeIsSkippedNotSent) {
  const Parsed p = ParseText(
      "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses>\n"
      "<sms address=\"+15550000001\" date=\"1512249841511374\" type=\"2\" />\n"
      "<sms address=\"+15550000001\" date=\"-5\" type=\"1\" />\n"
      "<sms address=\"+15550000001\" date=\"1512249841511\" type=\"1\" />\n</smses>\n");
  ASSERT_EQ(p.interactions.size(), 1u) << "the one in 2017";
  EXPECT_EQ(Skipped(p.file, "no or bad date"), 2);
}

TEST(AndroidMessages, ReceivedMmsIsFromItsSenderAddr) {
  const Parsed p = ParseFile(Sbr("shruggietech-sbr-parser/minimal_mms.xml"));
  ASSERT_EQ(p.interactions.size(), 1u);
  EXPECT_EQ(p.interactions[0].contacts(0), "tel:+15559876543");
  EXPECT_EQ(p.interactions[0].direction(), v1::INBOUND);
}

TEST(AndroidMessages, EveryCorpusFileIsReadAndIdsAreStable) {
  const std::string files[] = {
      "memacs/smsxml.txt",
      "shruggietech-sbr-parser/mixed.xml",
      "shruggietech-sbr-parser/edge_cases.xml",
      "shruggietech-sbr-parser/minimal_mms.xml",
      "sms-backup-reader-2/sample_small.xml",
      "sms-backup-reader-2/sample_mms.xml",
  };
  for (const auto& name : files) {
    const std::string text = ReadFile(Sbr(name));
    const auto sms = Tags(text, "sms");
    const auto mms = Tags(text, "mms");
    int drafts = 0;
    for (const auto& tag : sms) {
      drafts += Attr(tag, "type") != "1" && Attr(tag, "type") != "2" ? 1 : 0;
    }
    const Parsed p = ParseFile(Sbr(name));
    EXPECT_TRUE(p.file.problems.empty()) << name;
    EXPECT_EQ(p.file.records, static_cast<std::int64_t>(sms.size() + mms.size())) << name;
    EXPECT_EQ(Skipped(p.file, "draft or unsent message"), drafts) << name;
    std::int64_t skipped = 0;
    for (const auto& [reason, n] : p.file.skipped) {
      skipped += n;
    }
    EXPECT_EQ(static_cast<std::int64_t>(p.interactions.size()) + skipped, p.file.records) << name;
    const Parsed again = ParseFile(Sbr(name));
    ASSERT_EQ(again.interactions.size(), p.interactions.size()) << name;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < p.interactions.size(); ++i) {
      EXPECT_EQ(again.interactions[i].event_id(), p.interactions[i].event_id()) << name;
      EXPECT_LE(p.interactions[i].event_id().size(), 128u);
      ids.insert(p.interactions[i].event_id());
    }
    EXPECT_EQ(ids.size(), p.interactions.size()) << name << ": one id per record";
  }
}

TEST(AndroidMessages, SkipsGroupsShortCodesAndSenderNames) {
  const Parsed p = ParseText(R"xml(<smses count="5">
  <sms address="AMAZON" date="1700000000000" type="1" body="Your parcel" />
  <sms address="72345" date="1700000000001" type="1" body="code 1234" />
  <sms address="+15550000001" date="1700000000002" type="3" body="draft" />
  <mms date="1700000000003" msg_box="2" address="+15550000009~+15550000012">
    <parts><part seq="0" ct="text/plain" text="hi all" /></parts>
    <addrs><addr address="+15550000009" type="151" /><addr address="+15550000012" type="151" /></addrs>
  </mms>
  <mms date="1700000000004" msg_box="2" address="+15550000009">
    <parts><part seq="0" ct="text/plain" text="hi" /></parts>
  </mms>
</smses>)xml");
  EXPECT_TRUE(p.file.problems.empty());
  const std::map<std::string, std::int64_t> skipped = {{"not a phone number", 1},
                                                       {"short code", 1},
                                                       {"draft or unsent message", 1},
                                                       {"group MMS", 1}};
  EXPECT_EQ(p.file.skipped, skipped);
  ASSERT_EQ(p.interactions.size(), 1u);
  EXPECT_EQ(p.interactions[0].direction(), v1::OUTBOUND);
  EXPECT_EQ(p.interactions[0].contacts(0), "tel:+15550000009");
}

// Real backups carry media as base64 attributes and run to gigabytes: the
// reader streams, and a backup larger than warmctl's 64 MiB file limit (70
// photos of 1 MiB) is no problem.
TEST(AndroidMessages, AHugeMmsPartIsStreamedPast) {
  TempDir dir;
  const std::string path = dir.File("sms-huge.xml");
  {
    std::ofstream f(path, std::ios::binary);
    f << "<smses count=\"2\">\n<mms date=\"1700000000000\" msg_box=\"1\" address=\"+15550000003\">"
         "<parts>";
    const std::string block(1 << 20, 'A');
    for (int i = 0; i < 70; ++i) {
      f << "<part seq=\"" << i << "\" ct=\"image/png\" data=\"" << block << "\" />\n";
    }
    f << "</parts></mms>\n"
         "<sms address=\"+15550000001\" date=\"1700000000001\" type=\"2\" body=\"x\" />\n"
         "</smses>\n";
  }
  ASSERT_GT(std::filesystem::file_size(path), std::uintmax_t{64} << 20);
  const Parsed p = ParseFile(path);
  EXPECT_TRUE(p.file.problems.empty());
  ASSERT_EQ(p.interactions.size(), 2u);
  EXPECT_EQ(p.interactions[0].contacts(0), "tel:+15550000003");
  EXPECT_EQ(p.interactions[1].direction(), v1::OUTBOUND);
}

TEST(AndroidMessages, AMissingFileIsAProblem) {
  const Parsed p = ParseFile("/nonexistent/sms.xml");
  EXPECT_EQ(p.file.problems.size(), 1u);
  EXPECT_TRUE(p.interactions.empty());
}

}  // namespace
}  // namespace warmth::import
