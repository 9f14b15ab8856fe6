// warmth-mail and warmctl import as a user runs them: the real binaries
// against a real warmthd on a temporary store.
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;

std::string Corpus(const std::string& path) {
  return testing::CorpusDir() + "/" + path;
}

// The number after "name": in JSON (int64s come quoted).
long long Field(const std::string& json, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(json, m, std::regex("\"" + name + "\":\"?([0-9]+)"))) {
    return -1;
  }
  return std::stoll(m[1]);
}

int BeginLines(const std::string& text, const std::string& what) {
  int n = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    n += line.rfind(what, 0) == 0 ? 1 : 0;
  }
  return n;
}

std::string Utc(std::chrono::system_clock::time_point t, const char* format) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

constexpr const char* kConfig =
    "timezone = \"UTC\"\n[delivery]\nquiet_hours = \"\"\nmax_per_day = 0\n"
    "[me]\naddresses = [\"me@example.com\", \"cworth@cworth.org\"]\ncity = \"Boston\"\n";

class ImportTest : public ::testing::Test {
 protected:
  testing::CommandResult Warmctl(std::vector<std::string> args) {
    return daemon_.RunClient(testing::WarmctlPath(), args);
  }
  testing::CommandResult Mail(std::vector<std::string> args, const std::string& stdin_text = "") {
    return daemon_.RunClient(WARMTH_MAIL_PATH, args, stdin_text);
  }
  // warmth-mail with another config (the daemon keeps kConfig).
  testing::CommandResult MailWith(const std::string& config_text, std::vector<std::string> args,
                                  const std::string& stdin_text = "") {
    std::vector<std::string> argv = {WARMTH_MAIL_PATH, "--api", daemon_.api(), "--config",
                                     dir_.Write("mail.toml", config_text)};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {"XDG_STATE_HOME=" + daemon_.state_home()}, stdin_text);
  }
  std::string Status() {
    const auto r = Warmctl({"status", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_, kConfig};
};

TEST_F(ImportTest, VcardTwiceCreatesOnceAndThenChangesNothing) {
  ASSERT_TRUE(daemon_.Start());
  const std::string sap = Corpus("vcard/ical4j-vcard/vcard-vCards-SAP.vcf");
  const int cards = BeginLines(ReadFile(sap), "BEGIN:VCARD");
  auto r = Warmctl({"import", "vcard", sap});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("vcard: " + std::to_string(cards) + " cards: " + std::to_string(cards) +
                       " contacts (" + std::to_string(cards) + " created, 0 updated, 0 unchanged)"),
            std::string::npos)
      << r.out;
  const std::string after_first = Status();
  EXPECT_EQ(Field(after_first, "unsortedContacts"), cards) << "imported contacts stay unsorted";
  EXPECT_EQ(Field(after_first, "contacts"), 0);
  r = Warmctl({"import", "vcard", sap});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(0 created, 0 updated, " + std::to_string(cards) + " unchanged)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Field(Status(), "unsortedContacts"), cards);
  r = Warmctl({"contact", "show", "guenther.bluemchen@oracle.com", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"displayName\":\"G\xC3\xBCnther Bl\xC3\xBCmchen\""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"city\":\"Redwood Shores\""), std::string::npos) << r.out;
}

// `warmctl import vcard a.vcf b.vcf` as a shell glob gives it: each file is
// imported, an unreadable one is reported without stopping the others, and a
// last line sums them up.
TEST_F(ImportTest, SeveralFilesAreEachImportedAndSummedUp) {
  ASSERT_TRUE(daemon_.Start());
  const std::string sap = Corpus("vcard/ical4j-vcard/vcard-vCards-SAP.vcf");
  const std::string rfc = Corpus("vcard/ez-vcard/rfc2426-example.vcf");
  const int cards = BeginLines(ReadFile(sap), "BEGIN:VCARD") + 2;  // Frank and Tim in rfc2426
  auto r = Warmctl({"import", "vcard", sap, dir_.File("missing.vcf"), rfc});
  EXPECT_EQ(r.exit_code, 2) << "an unreadable file is a usage error, after the others";
  EXPECT_NE(r.err.find("cannot read " + dir_.File("missing.vcf")), std::string::npos) << r.err;
  EXPECT_NE(r.out.find(sap + ":\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(rfc + ":\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("In all, 3 files (1 unreadable): contacts " + std::to_string(cards) +
                       " created, 0 updated, 0 unchanged, 0 refused."),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Field(Status(), "unsortedContacts"), cards);
}

TEST_F(ImportTest, DryRunShowsChangesAndChangesNothing) {
  ASSERT_TRUE(daemon_.Start());
  auto r = Warmctl({"import", "vcard", "--dry-run", Corpus("vcard/ez-vcard/rfc2426-example.vcf")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("would create frank-dawson-"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Dry run, nothing changed."), std::string::npos) << r.out;
  EXPECT_EQ(Field(Status(), "unsortedContacts"), 0);
  r = Warmctl({"import", "linkedin", "-n", Corpus("linkedin/Connections.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(Status(), "unsortedContacts"), 0);
}

TEST_F(ImportTest, AnIdentifierOfAnExistingContactUpdatesThatContact) {
  ASSERT_TRUE(daemon_.Start());
  auto r = Warmctl({"contact", "add", "frank", "--name", "Franky", "--email",
                    "Frank_Dawson@Lotus.com", "--circle", "close"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Mail from Tim made him an unsorted contact already.
  r = Warmctl({"log", "howes@netscape.com", "--channel", "email"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Warmctl(
      {"import", "vcard", Corpus("vcard/ez-vcard/rfc2426-example.vcf"), "--circle", "network"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("(0 created, 2 updated, 0 unchanged)"), std::string::npos) << r.out;
  const std::string status = Status();
  EXPECT_EQ(Field(status, "contacts"), 2) << status;  // frank and Tim, now in a circle
  EXPECT_EQ(Field(status, "unsortedContacts"), 0) << status;
  r = Warmctl({"contact", "show", "frank", "--json"});
  EXPECT_NE(r.out.find("\"circle\":\"CLOSE\""), std::string::npos) << "the chosen circle stays";
  EXPECT_NE(r.out.find("\"city\":\"Raleigh\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fdawson@earthlink.net"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"displayName\":\"Franky\""), std::string::npos)
      << "names are not overwritten";
  r = Warmctl({"contact", "show", "howes@netscape.com", "--json"});
  EXPECT_NE(r.out.find("\"displayName\":\"Tim Howes\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"circle\":\"NETWORK\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"interactionCount\":\"1\""), std::string::npos) << "history kept";
}

TEST_F(ImportTest, LinkedinContactsAreTaggedAndNoInteractionIsLogged) {
  ASSERT_TRUE(daemon_.Start());
  const std::string csv = Corpus("linkedin/Connections.csv");
  // One contact per distinct profile URL in the file, counted here by a
  // plain scan (every row of this export has one).
  std::set<std::string> profiles;
  {
    const std::string text = ReadFile(csv);
    const std::regex profile("linkedin\\.com/in/([^/,?#\"\\s]+)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), profile);
         it != std::sregex_iterator(); ++it) {
      profiles.insert((*it)[1].str());
    }
  }
  const int rows = static_cast<int>(profiles.size());
  ASSERT_GT(rows, 0);
  auto r = Warmctl({"import", "linkedin", csv});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string status = Status();
  EXPECT_EQ(Field(status, "unsortedContacts"), rows);
  EXPECT_EQ(Field(status, "interactions"), 0) << "a connection date is not an interaction";
  r = Warmctl({"contact", "show", "linkedin:jane", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"tags\":[\"linkedin\",\"Stripe\"]"), std::string::npos) << r.out;
  r = Warmctl({"import", "linkedin", csv});
  EXPECT_NE(r.out.find("(0 created, 0 updated, " + std::to_string(rows) + " unchanged)"),
            std::string::npos)
      << r.out;
}

TEST_F(ImportTest, CalendarMeetingsOnceAndTrips) {
  ASSERT_TRUE(daemon_.Start());
  const auto now = std::chrono::system_clock::now();
  const auto day = std::chrono::hours(24);
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
      "BEGIN:VEVENT\r\nUID:coffee\r\nDTSTART:" +
      Utc(now - 3 * day, "%Y%m%dT%H%M%SZ") +
      "\r\nORGANIZER:mailto:me@example.com\r\nATTENDEE:mailto:ann@example.com\r\n"
      "LOCATION:Cafe Luna\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:call\r\nDTSTART:" +
      Utc(now - 2 * day, "%Y%m%dT%H%M%SZ") +
      "\r\nORGANIZER:mailto:bob@example.com\r\nATTENDEE:mailto:me@example.com\r\n"
      "LOCATION:https://meet.google.com/abc-defg-hij\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:trip\r\nDTSTART;VALUE=DATE:" +
      Utc(now + 20 * day, "%Y%m%d") + "\r\nDTEND;VALUE=DATE:" + Utc(now + 23 * day, "%Y%m%d") +
      "\r\nLOCATION:Hotel Adlon\\, Unter den Linden 77\\, 10117 Berlin\\, Germany\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  const std::string path = dir_.Write("cal.ics", ics);
  auto r = Warmctl({"import", "ics", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 meetings (2 accepted, 0 duplicate); 1 trips (1 new"), std::string::npos)
      << r.out;
  r = Warmctl({"import", "ics", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find("2 meetings (0 accepted, 2 duplicate); 1 trips (0 new, 0 changed, 1 unchanged)"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(Field(Status(), "interactions"), 2);
  r = Warmctl({"contact", "show", "bob@example.com"});
  EXPECT_NE(r.out.find("last:        video"), std::string::npos) << r.out;
  r = Warmctl({"contact", "show", "ann@example.com"});
  EXPECT_NE(r.out.find("last:        in_person"), std::string::npos) << r.out;
  r = Warmctl({"trip", "list"});
  EXPECT_NE(r.out.find("Berlin"), std::string::npos) << r.out;
  EXPECT_EQ(BeginLines(r.out, "berlin-"), 1) << r.out;
}

TEST_F(ImportTest, MaildirBackfillTwiceReportsEverythingDuplicate) {
  ASSERT_TRUE(daemon_.Start());
  // As nobody in particular: every message counts as received (as cworth,
  // all his mail went to mailing lists, see AMailingListIsNotAContact).
  const auto backfill = [&] {
    return MailWith(testing::kImmediateConfig, {"--maildir", Corpus("mail/notmuch"), "--json"});
  };
  auto first = backfill();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto read = Field(first.out, "read");
  const auto sent = Field(first.out, "interactions");
  EXPECT_EQ(read, 320) << first.out;  // the corpus README's count
  EXPECT_GT(sent, 10) << first.out;
  EXPECT_EQ(Field(first.out, "accepted") + Field(first.out, "duplicate"), sent) << first.out;
  EXPECT_EQ(Field(Status(), "interactions"), Field(first.out, "accepted"));
  auto second = backfill();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Field(second.out, "interactions"), sent);
  EXPECT_EQ(Field(second.out, "accepted"), 0) << second.out;
  EXPECT_EQ(Field(second.out, "duplicate"), sent) << second.out;
  EXPECT_EQ(Field(Status(), "interactions"), Field(first.out, "accepted"));
  // The human summary names every skip reason it met.
  auto human = MailWith(testing::kImmediateConfig, {"--maildir", Corpus("mail/notmuch/default")});
  EXPECT_NE(human.out.find("Read 53 messages: 44 interactions sent, 0 accepted, 44 duplicate."),
            std::string::npos)
      << human.out;
  EXPECT_NE(human.out.find("mailing list"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("Unparseable: 0."), std::string::npos) << human.out;
}

TEST_F(ImportTest, AMailingListIsNotAContact) {
  ASSERT_TRUE(daemon_.Start());
  // The corpus's notmuch maildir, as its owner cworth@cworth.org: his twelve
  // messages went to notmuch@notmuchmail.org, the list (List-Post of the
  // list mail in the same maildir), and to nobody else.
  auto r = Mail({"--maildir", Corpus("mail/notmuch/default")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("12 only to a mailing list"), std::string::npos) << r.out;
  EXPECT_EQ(Warmctl({"contact", "show", "notmuch@notmuchmail.org"}).exit_code, 1);
  EXPECT_EQ(Field(Status(), "unsortedContacts"), 0);
  EXPECT_EQ(Field(Status(), "interactions"), 0);
  // The hook remembers the list for the mail that comes later.
  const std::string lists = daemon_.state_home() + "/warmth/mail-lists";
  EXPECT_EQ(ReadFile(lists), "notmuch@notmuchmail.org\n");

  // A reply to the list with a person in Cc counts for the person only.
  const std::string reply =
      "From: Carl Worth <cworth@cworth.org>\nTo: notmuch@notmuchmail.org\n"
      "Cc: Keith Packard <keithp@keithp.com>\nMessage-ID: <r1@cworth.org>\n"
      "In-Reply-To: <k1@keithp.com>\nDate: Tue, 05 Jan 2021 09:00:00 +0000\n\nYes.\n";
  r = Mail({"-v"}, reply);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("OUTBOUND to  keithp@keithp.com  mail:r1@cworth.org"), std::string::npos)
      << r.out;
  EXPECT_EQ(Field(Status(), "unsortedContacts"), 1);
  // A list named in the config, and one learned from a message on stdin.
  const std::string config = dir_.Write(
      "lists.toml", std::string(kConfig) + "[mail]\nlists = [\"Team@Lists.Example.com\"]\n");
  const auto mail_with = [&](const std::string& text) {
    return RunCommand({WARMTH_MAIL_PATH, "--api", daemon_.api(), "--config", config, "-v"},
                      {"XDG_STATE_HOME=" + daemon_.state_home()}, text);
  };
  r = mail_with(
      "From: me@example.com\nTo: team@lists.example.com\nMessage-ID: <t1@example.com>\n\nHi\n");
  EXPECT_EQ(r.out, "skipped: only to a mailing list\n") << r.err;
  r = mail_with(
      "From: Ann <ann@example.org>\nTo: dev@lists.example.org\nMessage-ID: <d1@example.org>\n"
      "List-Id: Developers <dev.lists.example.org>\nList-Post: <mailto:dev@lists.example.org>\n"
      "\nPatch\n");
  EXPECT_EQ(r.out, "skipped: mailing list\n") << r.err;
  EXPECT_EQ(ReadFile(lists), "notmuch@notmuchmail.org\ndev@lists.example.org\n");
  r = mail_with(
      "From: me@example.com\nTo: DEV@lists.example.org\nMessage-ID: <d2@example.com>\n\nOk\n");
  EXPECT_EQ(r.out, "skipped: only to a mailing list\n") << r.err;
  EXPECT_EQ(Field(Status(), "unsortedContacts"), 1);
}

TEST_F(ImportTest, MboxBackfillAndHook) {
  ASSERT_TRUE(daemon_.Start());
  const std::string mbox = dir_.Write(
      "box.mbox",
      "From ann@example.org Mon Jan  4 10:00:00 2021\n"
      "From: Ann <ann@example.org>\nTo: me@example.com\nMessage-ID: <a1@example.org>\n"
      "Date: Mon, 04 Jan 2021 10:00:00 +0000\n\nHi\n\n"
      "From me@example.com Mon Jan  4 11:00:00 2021\n"
      "From: me@example.com\nTo: ann@example.org, bob@example.net\n"
      "Date: Mon, 04 Jan 2021 11:00:00 +0000\n\nNo Message-ID here.\n\n"
      "From news@example.org Mon Jan  4 12:00:00 2021\n"
      "From: news@example.org\nTo: me@example.com\nList-Id: <news.example.org>\n\nNews\n");
  auto r = Mail({"--mbox", mbox});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Read 3 messages: 2 interactions sent, 2 accepted, 0 duplicate.\n"
            "Skipped 1: 1 mailing list.\nUnparseable: 0.\n");
  r = Mail({"--mbox", mbox});
  EXPECT_NE(r.out.find("2 interactions sent, 0 accepted, 2 duplicate."), std::string::npos)
      << r.out;

  // The hook: one message on stdin, with an envelope line, as an MDA hands it.
  const std::string message =
      "From carol@example.com Tue Jan  5 09:00:00 2021\n"
      "From: Carol <carol@example.com>\nTo: Me <ME@example.com>\nMessage-ID: <c1@example.com>\n"
      "Date: Tue, 05 Jan 2021 09:00:00 +0000\n\nHello\n";
  r = Mail({"-v"}, message);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("INBOUND from carol@example.com"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("accepted"), std::string::npos) << r.out;
  r = Mail({"-v"}, message);
  EXPECT_NE(r.out.find("duplicate"), std::string::npos) << r.out;
  EXPECT_EQ(Mail({}, message).out, "") << "the hook is quiet";
  EXPECT_EQ(Field(Status(), "interactions"), 3);
  r = Warmctl({"contact", "show", "bob@example.net", "--json"});
  EXPECT_NE(r.out.find("\"direction\":\"OUTBOUND\""), std::string::npos) << r.out;
}

// The issue "Right on a real person's data": address books write numbers
// the national way; with [me] region the import reads them as the daemon
// does, and a call to the international spelling finds the person.
TEST(ImportPhones, VcardTelNumbersAreReadWithTheRegion) {
  TempDir dir;
  DaemonProcess daemon(dir, std::string(kConfig) + "region = \"DE\"\n");
  ASSERT_TRUE(daemon.Start());
  const std::string vcf = dir.Write(
      "phones.vcf",
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL;TYPE=cell:0171 1234567\r\n"
      "TEL;TYPE=work:12\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bea Roy\r\nTEL:+33 6 12 34 56 78\r\nEND:VCARD\r\n");
  auto r = daemon.RunClient(testing::WarmctlPath(), {"import", "vcard", vcf});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("<+491711234567>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<+33612345678>"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "warmctl: " + vcf +
                       ": line 1: TEL skipped: unusable phone number: a local number: add its area "
                       "code\n");
  EXPECT_NE(r.out.find("2 contacts (2 created"), std::string::npos) << r.out;
  r = daemon.RunClient(testing::WarmctlPath(), {"log", "tel:+49 171 1234567", "--channel", "call"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Logged call with ann-lee-"), std::string::npos) << r.out;
  r = daemon.RunClient(testing::WarmctlPath(), {"status", "--json"});
  EXPECT_EQ(Field(r.out, "unsortedContacts"), 2) << "no third contact for the call: " << r.out;
}

TEST(ImportPhones, WithoutARegionANationalTelIsSkippedSayingWhy) {
  TempDir dir;
  DaemonProcess daemon(dir, kConfig);
  ASSERT_TRUE(daemon.Start());
  const std::string vcf = dir.Write("phones.vcf",
                                    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\n"
                                    "TEL;TYPE=cell:0171 1234567\r\nEND:VCARD\r\n");
  const auto r = daemon.RunClient(testing::WarmctlPath(), {"import", "vcard", vcf});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("line 1: TEL skipped: unusable phone number: no country code"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("[me] region"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("+01711234567"), std::string::npos) << "never the old misreading";
  EXPECT_NE(r.out.find("1 contacts (1 created"), std::string::npos) << "the card, by its name";
}

// warmctl import android: calls and messages from SMS Backup & Restore,
// twice (the second run is all duplicate), and a national number read with
// [me] region finds the contact added with the international one.
TEST(ImportAndroid, CallsAndSmsOnceThenDuplicateAndNumbersMatchContacts) {
  TempDir dir;
  DaemonProcess daemon(dir, std::string(kConfig) + "region = \"DE\"\n");
  ASSERT_TRUE(daemon.Start());
  const auto warmctl = [&](const std::vector<std::string>& args) {
    return daemon.RunClient(testing::WarmctlPath(), args);
  };
  auto r = warmctl({"contact", "add", "ann", "--name", "Ann Lee", "--phone", "+49 171 1234567",
                    "--circle", "close"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Synthetic: one answered call in the national form, one missed call.
  const auto now = std::chrono::system_clock::now();
  const auto ms = [&](std::chrono::hours ago) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>((now - ago).time_since_epoch())
            .count());
  };
  const std::string calls =
      dir.Write("calls-1.xml",
                "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"2\">\n"
                "<call number=\"0171 1234567\" duration=\"61\" date=\"" +
                    ms(std::chrono::hours(30)) +
                    "\" type=\"2\" contact_name=\"Ann\" />\n"
                    "<call number=\"0171 1234567\" duration=\"0\" date=\"" +
                    ms(std::chrono::hours(20)) + "\" type=\"3\" />\n</calls>\n");
  const std::string sms = Corpus("calls-chats/sms-backup-restore/memacs/smsxml.txt");
  const std::string text = ReadFile(sms);
  int messages = 0;
  const std::regex tag("<sms\\s[^>]*type=\"[12]\"");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator();
       ++it) {
    ++messages;
  }
  ASSERT_GT(messages, 0);
  r = warmctl({"import", "android", calls, sms});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("android: 2 records: 2 interactions (2 accepted, 0 duplicate); 0 skipped; "
                       "0 problems."),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("In all, 2 files: " + std::to_string(2 + messages) + " interactions (" +
                       std::to_string(2 + messages) + " accepted, 0 duplicate, 0 rejected)."),
            std::string::npos)
      << r.out;
  // The missed call came later, but the last talk is the call 30 hours ago.
  r = warmctl({"contact", "show", "ann"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("last:        call"), std::string::npos) << r.out;
  // Ann's missed call, 20 hours old and not returned, is a CALL_BACK.
  r = warmctl({"nudges"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CALL_BACK"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Ann Lee tried to call you"), std::string::npos) << r.out;
  r = warmctl({"import", "android", calls, sms});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("In all, 2 files: " + std::to_string(2 + messages) +
                       " interactions (0 accepted, " + std::to_string(2 + messages) +
                       " duplicate, 0 rejected)."),
            std::string::npos)
      << r.out;
  r = warmctl({"status", "--json"});
  EXPECT_EQ(Field(r.out, "interactions"), 2 + messages) << r.out;
  EXPECT_EQ(Field(r.out, "contacts"), 1) << "the call found Ann: " << r.out;
  // A dry run reads and sends nothing; a missing file is reported.
  r = warmctl({"import", "android", "-n", calls, dir.File("missing.xml")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.out.find("would log "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("call outbound tel:+491711234567"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("cannot read " + dir.File("missing.xml")), std::string::npos) << r.err;
}

// The watched phone folder (warmth-import-phone.path): a folder names its
// calls-*.xml and sms-*.xml; with --new a file read in full before is
// passed over, a new one and a rewritten one are imported, a file cut
// short is read again next time. The phone's contact_name names the
// contact the call created.
TEST(ImportAndroid, AWatchedFolderImportsEachNewBackupOnceAndNamesNewContacts) {
  TempDir dir;
  DaemonProcess daemon(dir, std::string(kConfig) + "region = \"DE\"\n");
  ASSERT_TRUE(daemon.Start());
  const auto warmctl = [&](const std::vector<std::string>& args) {
    return daemon.RunClient(testing::WarmctlPath(), args);
  };
  const auto now = std::chrono::system_clock::now();
  const auto call = [&](int hours_ago, const std::string& number, const std::string& name) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        (now - std::chrono::hours(hours_ago)).time_since_epoch())
                        .count();
    return "<call number=\"" + number + "\" duration=\"61\" date=\"" + std::to_string(ms) +
           "\" type=\"1\" contact_name=\"" + name + "\" />\n";
  };
  const std::string head = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls>\n";
  std::filesystem::create_directories(dir.File("Phone"));
  dir.Write("Phone/calls-1.xml", head + call(50, "0171 1234567", "Ann Lee") + "</calls>\n");
  dir.Write("Phone/notes.txt", "not a backup\n");
  dir.Write("Phone/.syncthing.calls-2.xml.tmp", head + call(40, "0171 7654321", "Bo"));
  auto r = warmctl({"import", "android", "--new", dir.File("Phone")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("android: 1 records: 1 interactions (1 accepted, 0 duplicate); "
                       "1 contacts named"),
            std::string::npos)
      << "one file, the temporary one and the notes left alone: " << r.out;
  r = warmctl({"contact", "show", "tel:+491711234567"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Ann Lee"), std::string::npos) << r.out;

  // Nothing new: nothing read. A new backup and one cut short arrive.
  r = warmctl({"import", "android", "--new", dir.File("Phone")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "android: 1 file imported before, passed over (--new).\n");
  dir.Write("Phone/calls-2.xml", head + call(30, "0171 7654321", "Bo") + "</calls>\n");
  dir.Write("Phone/sms-3.xml", head + call(20, "0171 5555555", "Cy"));  // no end tag
  r = warmctl({"import", "android", "--new", dir.File("Phone")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("In all, 2 files: 2 interactions (2 accepted, 0 duplicate, 0 rejected)."),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("sms-3.xml: line"), std::string::npos) << "cut short: " << r.err;
  // The finished copy of the cut-short file is read again; its call is a
  // duplicate, so nothing is counted twice.
  dir.Write("Phone/sms-3.xml", head + call(20, "0171 5555555", "Cy") + "</calls>\n");
  r = warmctl({"import", "android", "--new", dir.File("Phone")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("android: 1 records: 1 interactions (0 accepted, 1 duplicate)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("2 files imported before"), std::string::npos) << r.out;
  r = warmctl({"status", "--json"});
  EXPECT_EQ(Field(r.out, "interactions"), 3) << r.out;
  // Without --new every file is read (and is all duplicate).
  r = warmctl({"import", "android", dir.File("Phone")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("In all, 3 files: 3 interactions (0 accepted, 3 duplicate, 0 rejected)."),
            std::string::npos)
      << r.out;
  // A folder with no backup in it says so.
  std::filesystem::create_directories(dir.File("Empty"));
  r = warmctl({"import", "android", dir.File("Empty")});
  EXPECT_NE(r.err.find("a folder with no calls-*.xml or sms-*.xml files"), std::string::npos)
      << r.err;
}

TEST(ImportMessenger, OnceThenDuplicateAndTheNewContactHasTheDecodedName) {
  TempDir dir;
  DaemonProcess daemon(dir, kConfig);
  ASSERT_TRUE(daemon.Start());
  const auto warmctl = [&](const std::vector<std::string>& args) {
    return daemon.RunClient(testing::WarmctlPath(), args);
  };
  // Synthetic, in DYI's shape: a double-encoded name, a message, an
  // answered call and a missed one.
  const std::string thread = dir.Write("message_1.json", R"json({
  "participants": [{"name": "Ren\u00c3\u00a9e Dupont"}, {"name": "Me Myself"}],
  "messages": [
    {"sender_name": "Ren\u00c3\u00a9e Dupont", "timestamp_ms": 1700000300000, "call_duration": 0, "type": "Call"},
    {"sender_name": "Me Myself", "timestamp_ms": 1700000200000, "call_duration": 95, "type": "Call"},
    {"sender_name": "Ren\u00c3\u00a9e Dupont", "timestamp_ms": 1700000100000, "content": "Salut", "type": "Generic"}
  ],
  "thread_type": "Regular"
})json");
  const std::string corpus = Corpus("calls-chats/messenger/chat-analytics/2A_7M.json");
  const std::string text = ReadFile(corpus);
  int messages = 0;
  const std::regex sender("\"sender_name\"");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), sender);
       it != std::sregex_iterator(); ++it) {
    ++messages;
  }
  ASSERT_GT(messages, 0);
  const std::string all = std::to_string(3 + messages);
  auto r = warmctl({"import", "messenger", "--me", "Me Myself", "--me", "Alice", thread, corpus});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("messenger: 3 records: 3 interactions (3 accepted, 0 duplicate); 1 "
                       "contacts named; 0 skipped; 0 problems."),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("In all, 2 files: " + all + " interactions (" + all +
                       " accepted, 0 duplicate, 0 rejected)."),
            std::string::npos)
      << r.out;
  r = warmctl({"contact", "show", "messenger:renée_dupont", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Renée Dupont"), std::string::npos) << r.out;
  r = warmctl({"import", "messenger", "--me", "Me Myself", "--me", "Alice", thread, corpus});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("In all, 2 files: " + all + " interactions (0 accepted, " + all +
                       " duplicate, 0 rejected)."),
            std::string::npos)
      << r.out;
  r = warmctl({"status", "--json"});
  EXPECT_EQ(Field(r.out, "interactions"), 3 + messages) << r.out;
  // Without --me (and no [me] names) nothing is sent, and the user is told why.
  r = warmctl({"import", "messenger", thread});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("pass --me NAME or set [me] names"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("0 interactions"), std::string::npos) << r.out;
}

// warmctl import whatsapp: a synthetic one-to-one chat (the corpus has only
// groups) and a corpus group with --groups, twice (the second run is all
// duplicate); [me] names says who is you; --contact logs a chat to an
// existing contact; without a name for you nothing is imported.
TEST(ImportWhatsapp, ChatsOnceThenDuplicateAndContactFlagLogsToThatContact) {
  TempDir dir;
  DaemonProcess daemon(dir,
                       "timezone = \"UTC\"\n[delivery]\nquiet_hours = \"\"\n"
                       "[me]\nnames = [\"Me Myself\", \"Ash Ketchum\"]\n");
  ASSERT_TRUE(daemon.Start());
  const auto warmctl = [&](const std::vector<std::string>& args) {
    return daemon.RunClient(testing::WarmctlPath(), args);
  };
  const auto now = std::chrono::system_clock::now();
  const auto at = [&](int hours_ago) {
    return Utc(now - std::chrono::hours(hours_ago), "%d/%m/%Y, %H:%M - ");
  };
  const std::string ann =
      dir.Write("WhatsApp Chat with Ann Lee.txt",
                at(50) + "Messages and calls are end-to-end encrypted. Tap to learn more.\n" +
                    at(50) + "Ann Lee: lunch?\n" + at(49) + "Me Myself: yes\nsee you\n" + at(48) +
                    "Ann Lee: <Media omitted>\n");
  const std::string pokemon = Corpus("calls-chats/whatsapp/whatstk/pokemon.txt");
  auto r = warmctl({"import", "whatsapp", "--groups", ann, pokemon});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("whatsapp: 4 records: 3 interactions (3 accepted, 0 duplicate); 1 contacts "
                       "named; 1 skipped (1 system notice); 0 problems."),
            std::string::npos)
      << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("In all, 2 files: ([0-9]+) interactions")))
      << r.out;
  const std::string total = m[1];
  EXPECT_GT(std::stoi(total), 3);
  r = warmctl({"contact", "show", "whatsapp:ann_lee"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Ann Lee"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("last:        message"), std::string::npos) << r.out;
  r = warmctl({"import", "whatsapp", "--groups", ann, pokemon});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("In all, 2 files: " + total + " interactions (0 accepted, " + total +
                       " duplicate, 0 rejected)."),
            std::string::npos)
      << r.out;
  // --contact: a chat with a call, to a contact that exists.
  r = warmctl({"contact", "add", "bob", "--name", "Robert", "--circle", "close"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string bob =
      dir.Write("bob.txt", "[" + Utc(now - std::chrono::hours(5), "%d/%m/%Y, %H:%M:%S") +
                               "] Bobby: \xE2\x80\x8EVoice call, \xE2\x80\x8E"
                               "4 min\n");
  r = warmctl({"import", "whatsapp", "--contact", "bob", bob});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 interactions (1 accepted, 0 duplicate)"), std::string::npos) << r.out;
  r = warmctl({"contact", "show", "bob"});
  EXPECT_NE(r.out.find("last:        call"), std::string::npos) << r.out;
  r = warmctl({"status", "--json"});
  EXPECT_EQ(Field(r.out, "interactions"), std::stoi(total) + 1) << r.out;
  // --me replaces [me] names: here nobody in Ann's chat is you, so it is a
  // group of two and skipped; a dry run of it sends nothing.
  r = warmctl({"import", "whatsapp", "-n", "--me", "Someone Else", ann});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 skipped (3 group chat, 1 system notice)"), std::string::npos) << r.out;
}

// warmctl import telegram against a real warmthd: the corpus's one-to-one
// chat (its messages counted here from the file, plus its one answered
// call), twice (the second run is all duplicate); the chat's name names the
// contact, and the call is its last interaction.
TEST(ImportTelegram, ChatOnceThenDuplicateAndTheContactIsNamedFromTheChat) {
  TempDir dir;
  DaemonProcess daemon(dir, kConfig);
  ASSERT_TRUE(daemon.Start());
  const auto warmctl = [&](const std::vector<std::string>& args) {
    return daemon.RunClient(testing::WarmctlPath(), args);
  };
  const std::string chat = Corpus("calls-chats/telegram/chat-analytics/DM_2A_7M.json");
  const std::string text = ReadFile(chat);
  const std::regex message("\"type\":\\s*\"message\"");
  const auto messages = std::distance(std::sregex_iterator(text.begin(), text.end(), message),
                                      std::sregex_iterator());
  ASSERT_GT(messages, 0);
  ASSERT_NE(text.find("\"phone_call\""), std::string::npos);
  const std::string sent = std::to_string(messages + 1);  // and the call
  auto r = warmctl({"import", "telegram", chat});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find(sent + " interactions (" + sent + " accepted, 0 duplicate); 1 contacts named"),
      std::string::npos)
      << r.out;
  r = warmctl({"contact", "show", "telegram:700000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Bob"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("last:        call"), std::string::npos) << r.out;
  r = warmctl({"import", "telegram", chat});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(sent + " interactions (0 accepted, " + sent + " duplicate)"),
            std::string::npos)
      << r.out;
  r = warmctl({"status", "--json"});
  EXPECT_EQ(Field(r.out, "interactions"), messages + 1) << r.out;
}

TEST_F(ImportTest, CorruptInputIsReportedNeverFatal) {
  ASSERT_TRUE(daemon_.Start());
  // A 10 MB header line on stdin.
  auto r = Mail({}, "From: a@example.com\nX-Big: " + std::string(10 << 20, 'x') + "\n\nbody\n");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err, "warmth-mail: stdin: unparseable: header block larger than 1 MiB\n");
  // Binary garbage on stdin: unparseable or not personal mail, never a crash.
  std::string garbage;
  for (int i = 0; i < 200000; ++i) {
    garbage += static_cast<char>((i * 7919 + 13) % 256);
  }
  r = Mail({}, garbage);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 65) << r.exit_code << r.err;
  // An mbox that is not one, and a maildir with garbage and a truncated message in it.
  const std::string junk = dir_.Write("junk.mbox", garbage);
  r = Mail({"--mbox", junk});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("is not an mbox file"), std::string::npos) << r.err;
  std::filesystem::create_directories(dir_.File("md/cur"));
  dir_.Write("md/cur/1:2,", garbage);
  dir_.Write("md/cur/2:2,", ReadFile(Corpus("mail/notmuch/default/cur/29:2,")).substr(0, 120));
  dir_.Write("md/cur/3:2,", "");
  r = Mail({"--maildir", dir_.File("md"), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(r.out, "read"), 3) << r.out;
  EXPECT_NE(r.err.find("3:2,: unparseable"), std::string::npos) << r.err;
  // Importers: garbage, a truncated file, a 10 MB line.
  const std::string vcf = dir_.Write("junk.vcf", garbage);
  r = Warmctl({"import", "vcard", vcf});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("junk.vcf: line 1: no vCard"), std::string::npos) << r.err;
  const std::string cut = ReadFile(Corpus("vcard/ez-vcard/rfc2426-example.vcf"));
  r = Warmctl({"import", "vcard", dir_.Write("cut.vcf", cut.substr(0, cut.size() * 3 / 4))});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("cut.vcf: line 13: card has no END:VCARD"), std::string::npos) << r.err;
  r = Warmctl({"import", "ics", dir_.Write("junk.ics", garbage)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("junk.ics: line 1: libical found no complete calendar"), std::string::npos)
      << r.err;
  r = Warmctl({"import", "linkedin", dir_.Write("big.csv", std::string(10 << 20, 'z'))});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("big.csv: line 1: expected 6 or 7 fields, found 1"), std::string::npos)
      << r.err.substr(0, 2000);
  EXPECT_LT(r.err.size(), 10000u) << "the line is reported by its position, not echoed";
  r = Warmctl({"import", "vcard", dir_.File("missing.vcf")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
}

TEST_F(ImportTest, WithoutTheDaemonEveryToolSaysSo) {
  auto r = Mail({}, "From: a@example.com\nTo: me@example.com\n\nhi\n");
  EXPECT_EQ(r.exit_code, 69);
  EXPECT_NE(r.err.find("warmthd is not running"), std::string::npos) << r.err;
  EXPECT_EQ(Mail({"--exit-zero"}, "From: a@example.com\nTo: me@example.com\n\nhi\n").exit_code, 0);
  r = Mail({"--maildir", Corpus("mail/notmuch/default")});
  EXPECT_EQ(r.exit_code, 69);
  r = Warmctl({"import", "vcard", Corpus("vcard/ez-vcard/rfc2426-example.vcf")});
  EXPECT_EQ(r.exit_code, 69);
  EXPECT_NE(r.err.find("warmthd is not running"), std::string::npos) << r.err;
  // A dry run still shows what is in the file.
  r = Warmctl({"import", "vcard", "--dry-run", Corpus("vcard/ez-vcard/rfc2426-example.vcf")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("warmthd is not running: every contact is counted as new"),
            std::string::npos);
  r = Mail({"--dry-run", "--maildir", Corpus("mail/notmuch/default")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Read 53 messages: 0 interactions to send (dry run).\n"
                       "Skipped 53: 9 mailing list, 32 not addressed to you, 12 only to a mailing "
                       "list.\nUnparseable: 0.\nMailing lists learned: 1 (dry run: not "
                       "remembered).\n"),
            std::string::npos)
      << r.out;
}

TEST(WarmthMail, HelpReadsLikeAManPage) {
  const auto r = RunCommand({WARMTH_MAIL_PATH, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* section : {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
                              "EXAMPLES", "FILES", "--maildir", "--mbox", "--me", "--dry-run"}) {
    EXPECT_NE(r.out.find(section), std::string::npos) << section;
  }
  EXPECT_EQ(RunCommand({WARMTH_MAIL_PATH, "--frobnicate"}).exit_code, 2);
}

}  // namespace
}  // namespace warmth
