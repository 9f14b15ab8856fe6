// vCard import through EVCard, on the corpus and on bytes written here.
#include "clients/import/vcard.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "base/phone.h"
#include "tests/support/support.h"

namespace warmth::import {
namespace {

using testing::Missing;
using testing::ReadFile;
namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

// Cards read as with no [me] region: only international numbers.
ContactsFile Parse(std::string_view text) {
  return ParseVcards(text, base::PhoneNormalizerFor(""));
}

std::string Card(const std::string& name) {
  return testing::CorpusDir() + "/vcard/" + name;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

std::vector<std::string> VcfFiles() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(testing::CorpusDir() + "/vcard")) {
    if (e.is_regular_file() && e.path().extension() == ".vcf") {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

const ContactRecord* Named(const ContactsFile& f, const std::string& name) {
  for (const auto& c : f.contacts) {
    if (c.display_name == name) {
      return &c;
    }
  }
  return nullptr;
}

TEST(VcardCorpus, CardCountsMatchBeginLines) {
  int begin_lines = 0;
  int records = 0;
  int accounted = 0;
  for (const auto& file : VcfFiles()) {
    const std::string text = ReadFile(file);
    int begins = 0;
    for (const auto& line : testing::UnfoldedLines(text)) {
      std::string t = line;
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) {
        t.pop_back();
      }
      begins += Upper(t) == "BEGIN:VCARD" ? 1 : 0;
    }
    const ContactsFile f = Parse(text);
    EXPECT_EQ(f.records, begins) << file;
    int unterminated = 0;
    for (const auto& p : f.problems) {
      unterminated += p.message == "card has no END:VCARD" ? 1 : 0;
    }
    EXPECT_EQ(static_cast<int>(f.contacts.size()) + f.skipped + unterminated, f.records) << file;
    begin_lines += begins;
    records += f.records;
    accounted += static_cast<int>(f.contacts.size()) + f.skipped + unterminated;
  }
  EXPECT_EQ(begin_lines, 122) << "the corpus README's count";
  EXPECT_EQ(records, begin_lines);
  EXPECT_EQ(accounted, records);
}

TEST(VcardCorpus, EveryEmailAddressIsAnIdentifier) {
  std::set<std::string> scanned;
  std::set<std::string> read;
  for (const auto& file : VcfFiles()) {
    const std::string text = ReadFile(file);
    for (const auto& line : testing::UnfoldedLines(text)) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) {
        continue;
      }
      std::string name = Upper(line.substr(0, line.find_first_of(";:")));
      name = name.substr(name.find('.') == std::string::npos ? 0 : name.find('.') + 1);
      const std::string params = Upper(line.substr(0, colon));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.back() == ' ') {
        value.pop_back();
      }
      if (name == "EMAIL" && value.find('@') != std::string::npos &&
          params.find("QUOTED-PRINTABLE") == std::string::npos) {
        scanned.insert(Lower(value));
      }
    }
    for (const auto& c : Parse(text).contacts) {
      for (const auto& i : c.identifiers) {
        if (i.find('@') != std::string::npos) {
          read.insert(i);
        }
      }
    }
  }
  EXPECT_EQ(read, scanned) << "read only:" << Missing(read, scanned)
                           << " scanned only:" << Missing(scanned, read);
  EXPECT_GT(read.size(), 60u);
}

TEST(VcardCorpus, HandCheckedCards) {
  const ContactsFile rfc = Parse(ReadFile(Card("ez-vcard/rfc2426-example.vcf")));
  ASSERT_EQ(rfc.contacts.size(), 2u);
  const ContactRecord& frank = rfc.contacts[0];
  EXPECT_EQ(frank.display_name, "Frank Dawson");
  EXPECT_EQ(frank.identifiers, (Strings{"+19196769515", "+19196769564", "frank_dawson@lotus.com",
                                        "fdawson@earthlink.net"}));
  EXPECT_EQ(frank.city, "Raleigh");
  EXPECT_EQ(frank.where, "line 1");

  // vCard 4.0 with "VERSION: 4.0", BDAY --0203, a folded ADR, CATEGORIES.
  const ContactsFile simon = Parse(ReadFile(Card("libical/test.vcf")));
  ASSERT_EQ(simon.contacts.size(), 2u);
  EXPECT_EQ(simon.contacts[0].display_name, "Simon Perreault");
  EXPECT_EQ(simon.contacts[0].birthday, (Birthday{2, 3, 0}));
  EXPECT_EQ(simon.contacts[0].city, "Quebec");
  EXPECT_EQ(simon.contacts[0].tags, (Strings{"foo", "bar"}));
  EXPECT_EQ(simon.contacts[0].identifiers,
            (Strings{"+14186569254", "+14182626501", "simon.perreault@viagenie.ca"}));
  EXPECT_EQ(simon.contacts[1].display_name, "Mickey Mouse");

  const auto with_year = Parse(ReadFile(Card("radicale/contact2-with-bday.vcf")));
  ASSERT_EQ(with_year.contacts.size(), 1u);
  EXPECT_EQ(with_year.contacts[0].birthday, (Birthday{1, 1, 1970}));
  // Thunderbird CardBook writes 1604 for "no year".
  const auto no_year = Parse(ReadFile(Card("radicale/contact4-with-bday-no-year.vcf")));
  ASSERT_EQ(no_year.contacts.size(), 1u);
  EXPECT_EQ(no_year.contacts[0].birthday, (Birthday{1, 1, 0}));
  EXPECT_EQ(no_year.contacts[0].display_name, "Test bday without year Thunderbird CardBook");

  // vCard 2.1 with quoted-printable UTF-8 names, and cards without a name.
  const auto android = Parse(ReadFile(Card("ez-vcard/John_Doe_ANDROID.vcf")));
  ASSERT_EQ(android.contacts.size(), 6u);
  EXPECT_EQ(android.contacts[0].display_name, "john.doe@company.com");
  EXPECT_EQ(android.contacts[0].tags, Strings{"My Contacts"});
  EXPECT_EQ(android.contacts[2].display_name, "\xC3\x91 \xC3\x91 \xC3\x91 \xC3\x91 \xC3\x91");

  // Latin-1 bytes with no CHARSET, property groups, lower-case type params.
  const auto sap = Parse(ReadFile(Card("ical4j-vcard/vcard-vCards-SAP.vcf")));
  ASSERT_EQ(sap.contacts.size(), 30u);
  const ContactRecord* g = Named(sap, "G\xC3\xBCnther Bl\xC3\xBCmchen");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->tags, (Strings{"Demo", "Nepomuk(SAP)"}));
  EXPECT_EQ(g->city, "Redwood Shores");

  // No FN: the name from N.
  const auto nick = Parse(ReadFile(Card("khard/nickname.vcf")));
  ASSERT_EQ(nick.contacts.size(), 1u);
  EXPECT_EQ(nick.contacts[0].display_name, "Michael Smith");

  // Outlook's placeholder "numbers" are not phone numbers.
  const auto outlook = Parse(ReadFile(Card("ez-vcard/outlook-2003.vcf")));
  ASSERT_EQ(outlook.contacts.size(), 1u);
  EXPECT_EQ(outlook.contacts[0].identifiers, Strings{"jdoe@hotmail.com"});
  EXPECT_EQ(outlook.contacts[0].birthday, (Birthday{3, 21, 1980}));

  // A group's ADR in a card with nothing else: no name, no identifier.
  const auto group = Parse(ReadFile(Card("ical4j-vcard/valid/vcard-group.vcf")));
  EXPECT_EQ(group.skipped, 1);
}

TEST(VcardCorpus, BrokenFilesAreProblemsWithTheirLine) {
  const auto unterminated = Parse(ReadFile(Card("khard/unparsable.vcf")));
  ASSERT_EQ(unterminated.problems.size(), 1u);
  EXPECT_EQ(unterminated.problems[0].where, "line 1");
  EXPECT_EQ(unterminated.problems[0].message, "card has no END:VCARD");
  const auto calendar = Parse(ReadFile(Card("libical/user-cal.vcf")));
  ASSERT_EQ(calendar.problems.size(), 1u);
  EXPECT_TRUE(calendar.contacts.empty());
}

TEST(Vcard, ThreeAndFourWithFoldingAndQuotedPrintable) {
  const ContactsFile f = Parse(
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n  Lee\r\nEMAIL;TYPE=home:ann@example.com\r\n"
      "TEL;TYPE=cell:+49 (30) 123-456\r\nADR;TYPE=work:;;Main St 1;Work City;;;\r\n"
      "ADR;TYPE=home:;;Elm 2;Home City;;;\r\nCATEGORIES:a,b\\,c\r\nBDAY:1985-07-04\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BC=\nller;J=C3="
      "B6rg\n"
      "EMAIL;INTERNET:JM@Example.com\nEND:VCARD\n");
  ASSERT_EQ(f.contacts.size(), 2u);
  EXPECT_EQ(f.contacts[0].display_name, "Ann Lee");
  EXPECT_EQ(f.contacts[0].identifiers, (Strings{"ann@example.com", "+4930123456"}));
  EXPECT_EQ(f.contacts[0].city, "Home City");
  EXPECT_EQ(f.contacts[0].tags, (Strings{"a", "b,c"}));
  EXPECT_EQ(f.contacts[0].birthday, (Birthday{7, 4, 1985}));
  EXPECT_EQ(f.contacts[1].display_name, "J\xC3\xB6rg M\xC3\xBCller");
  EXPECT_EQ(f.contacts[1].identifiers, Strings{"jm@example.com"});
  EXPECT_EQ(f.contacts[1].where, "line 12");
}

// The issue "Right on a real person's data": address books hold numbers
// the national way.
TEST(Vcard, TelNumbersAreReadWithTheRegionAndUnusableOnesAreReported) {
  const std::string card =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL;TYPE=cell:0171 1234567\r\n"
      "TEL;TYPE=work:+33 1 23 45 67 89\r\nTEL;TYPE=home:tel:+49-171-1234567\r\n"
      "TEL;TYPE=fax:12\r\nTEL:none\r\nEND:VCARD\r\n";
  const ContactsFile de = ParseVcards(card, base::PhoneNormalizerFor("DE"));
  ASSERT_EQ(de.contacts.size(), 1u);
  EXPECT_EQ(de.contacts[0].identifiers, (Strings{"+491711234567", "+33123456789"}))
      << "national and international spellings are one identifier";
  ASSERT_EQ(de.problems.size(), 1u) << "the 12, not the placeholder without digits";
  EXPECT_EQ(de.problems[0].where, "line 1");
  EXPECT_EQ(de.problems[0].message,
            "TEL skipped: unusable phone number: a local number: add its area code");

  // No region: the national number cannot be read, and says why.
  const ContactsFile none = Parse(card);
  ASSERT_EQ(none.contacts.size(), 1u);
  EXPECT_EQ(none.contacts[0].identifiers, (Strings{"+33123456789", "+491711234567"}));
  ASSERT_EQ(none.problems.size(), 2u);
  EXPECT_NE(none.problems[0].message.find("TEL skipped: unusable phone number: no country code"),
            std::string::npos)
      << none.problems[0].message;
  EXPECT_NE(none.problems[0].message.find("[me] region"), std::string::npos);
  EXPECT_EQ(none.records, 1) << "a skipped number is not a card";
}

TEST(VcardCorpus, NationalNumbersNeedARegion) {
  // Frank Dawson's numbers are international: read with or without a region.
  const std::string rfc = ReadFile(Card("ez-vcard/rfc2426-example.vcf"));
  EXPECT_EQ(Parse(rfc).contacts[0].identifiers,
            ParseVcards(rfc, base::PhoneNormalizerFor("US")).contacts[0].identifiers);
  int national = 0;
  int read_in_us = 0;
  for (const auto& file : VcfFiles()) {
    const std::string text = ReadFile(file);
    for (const auto& p : Parse(text).problems) {
      national += p.message.find("no country code") != std::string::npos ? 1 : 0;
    }
    for (const auto& c : ParseVcards(text, base::PhoneNormalizerFor("US")).contacts) {
      read_in_us += static_cast<int>(std::count_if(
          c.identifiers.begin(), c.identifiers.end(),
          [](const std::string& i) { return i.rfind("+1", 0) == 0 && i.size() == 12; }));
    }
  }
  EXPECT_GT(national, 20) << "the corpus holds many national numbers";
  EXPECT_GT(read_in_us, 20) << "which a US region reads";
}

TEST(Vcard, CorruptInputNeverCrashes) {
  std::string garbage;
  for (int i = 0; i < 100000; ++i) {
    garbage += static_cast<char>((i * 7919 + 13) % 256);
  }
  EXPECT_FALSE(Parse(garbage).problems.empty());
  const char with_nul[] = "BEGIN:VCARD\n\0\0\0FN:x\nEND:VCARD\n";
  EXPECT_EQ(Parse(std::string(with_nul, sizeof with_nul - 1)).records, 1);
  const std::string huge =
      "BEGIN:VCARD\nVERSION:3.0\nFN:Big\nNOTE:" + std::string(10 << 20, 'n') + "\nEND:VCARD\n";
  const ContactsFile h = Parse(huge);
  ASSERT_EQ(h.contacts.size(), 1u);
  EXPECT_EQ(h.contacts[0].display_name, "Big");
  // Every corpus file cut in half: what is whole is read, the rest reported.
  for (const auto& file : VcfFiles()) {
    const std::string text = ReadFile(file);
    const ContactsFile half = Parse(std::string_view(text).substr(0, text.size() / 2));
    EXPECT_LE(static_cast<int>(half.contacts.size()), half.records) << file;
  }
}

TEST(ParseBirthday, Table) {
  struct Case {
    const char* text;
    std::optional<Birthday> want;
  };
  const std::vector<Case> cases = {
      {"1980-03-22", Birthday{3, 22, 1980}},
      {"19800322", Birthday{3, 22, 1980}},
      {"--0203", Birthday{2, 3, 0}},
      {"--02-03", Birthday{2, 3, 0}},
      {"1985-01-28T00:00:00Z", Birthday{1, 28, 1985}},
      {"16040101", Birthday{1, 1, 0}},
      {"2000-02-29", Birthday{2, 29, 2000}},
      {"--0229", Birthday{2, 29, 0}},
      {"1999-02-29", std::nullopt},
      {"0000", std::nullopt},
      {"circa 1800", std::nullopt},
      {"1980-13-01", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseBirthday(c.text), c.want) << c.text;
  }
}

}  // namespace
}  // namespace warmth::import
