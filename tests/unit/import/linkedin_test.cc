// LinkedIn's Connections.csv in its shapes, and the corpus file.
#include "clients/import/linkedin.h"

#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::import {
namespace {

using testing::ReadFile;
using Strings = std::vector<std::string>;

TEST(Linkedin, CorpusFileInTheCurrentShape) {
  const std::string text = ReadFile(testing::CorpusDir() + "/linkedin/Connections.csv");
  // The test's own count: rows are the lines with a profile URL.
  int rows = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    rows += line.find("linkedin.com/in/") != std::string::npos ? 1 : 0;
  }
  const ContactsFile f = ParseLinkedinCsv(text);
  EXPECT_TRUE(f.problems.empty());
  EXPECT_TRUE(f.notes.empty());
  EXPECT_EQ(f.records, rows);
  ASSERT_EQ(static_cast<int>(f.contacts.size()), rows);
  const ContactRecord& ada = f.contacts[0];
  EXPECT_EQ(ada.display_name, "Ada Lovelace");
  EXPECT_EQ(ada.identifiers, Strings{"linkedin:ada"});
  EXPECT_EQ(ada.tags, (Strings{"linkedin", "Analytical Engines Inc"}));
  EXPECT_EQ(ada.where, "line 5");
  for (const auto& c : f.contacts) {
    EXPECT_EQ(c.tags.front(), "linkedin") << c.display_name;
    EXPECT_FALSE(c.birthday.has_value());
  }
}

TEST(Linkedin, CurrentExportWithQuotesEmailsEmojiAndEmptyRows) {
  const ContactsFile f = ParseLinkedinCsv(
      "Notes:\n"
      "\"When exporting your connection data, you may notice that some of the email addresses are "
      "missing.\"\n"
      "\n"
      "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
      "Anna,\"Nayak, MSc, MBA, "
      "PHR\",https://www.linkedin.com/in/anna-nayak-1a/,Anna@Example.com,\"Stripe, Inc.\",PM,09 "
      "Oct 2024\n"
      "\"James "
      "\"\"Tyler\"\"\",Konterman\xF0\x9F\x94\xB8,https://www.linkedin.com/in/"
      "d%C3%A9sir%C3%A9e-x,,Acme,CTO,01 Jan 2023\n"
      "Igor\t,Smith ,,,,,02 Feb 2022\n"
      ",,,,,,02 Jun 2022\n");
  EXPECT_TRUE(f.problems.empty());
  EXPECT_EQ(f.records, 4);
  EXPECT_EQ(f.skipped, 1);  // the row with only a date
  ASSERT_EQ(f.contacts.size(), 3u);
  EXPECT_EQ(f.contacts[0].display_name, "Anna Nayak, MSc, MBA, PHR");
  EXPECT_EQ(f.contacts[0].identifiers, (Strings{"anna@example.com", "linkedin:anna-nayak-1a"}));
  EXPECT_EQ(f.contacts[0].tags, (Strings{"linkedin", "Stripe, Inc."}));
  EXPECT_EQ(f.contacts[1].display_name, "James \"Tyler\" Konterman\xF0\x9F\x94\xB8");
  EXPECT_EQ(f.contacts[1].identifiers, Strings{"linkedin:d%c3%a9sir%c3%a9e-x"});
  EXPECT_EQ(f.contacts[2].display_name, "Igor Smith");
  EXPECT_TRUE(f.contacts[2].identifiers.empty());
  EXPECT_EQ(f.contacts[2].tags, Strings{"linkedin"});
  EXPECT_EQ(f.contacts[2].where, "line 7");
}

TEST(Linkedin, OlderExportWithoutUrlColumn) {
  const ContactsFile f = ParseLinkedinCsv(
      "First Name,Last Name,Email Address,Company,Position,Connected On\n"
      "Bob,Lee,bob@example.com,Figma,Designer,\"1/8/18, 6:14 PM\"\n"
      "Cy,Ng,urn:li:member:664293716,,,\"2/9/18, 9:00 AM\"\n");
  ASSERT_EQ(f.contacts.size(), 2u);
  EXPECT_EQ(f.contacts[0].identifiers, Strings{"bob@example.com"});
  EXPECT_EQ(f.contacts[0].tags, (Strings{"linkedin", "Figma"}));
  EXPECT_EQ(f.contacts[1].identifiers, Strings{"urn:li:member:664293716"});
}

TEST(Linkedin, RowsWithoutHeaderAfterASpreadsheetRoundTrip) {
  const ContactsFile f = ParseLinkedinCsv(
      "\"Laura,Herbst,,Interhyp Gruppe, \"\"Digital Products & Technology, Working Student\"\",07 "
      "May 2021\"\n"
      "Max,Muster,,Acme,Dev,08 May 2021\n"
      "too,few\n");
  ASSERT_EQ(f.notes.size(), 1u);
  ASSERT_EQ(f.contacts.size(), 2u);
  EXPECT_EQ(f.contacts[0].display_name, "Laura Herbst");
  EXPECT_EQ(f.contacts[0].tags, (Strings{"linkedin", "Interhyp Gruppe"}));
  EXPECT_EQ(f.contacts[1].tags, (Strings{"linkedin", "Acme"}));
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].where, "line 3");
}

TEST(Linkedin, ASpreadsheetsWindows1252IsReadAsSuch) {
  // "José Müller" at "Café €" as a spreadsheet re-saves it: bytes that are
  // not UTF-8 must come out as the letters they stand for, never as bytes
  // that make the contact unsendable.
  const ContactsFile f = ParseLinkedinCsv(
      "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
      "Jos\xE9,M\xFCller,,,Caf\xE9 \x80,Chef,01 Jan 2024\n");
  ASSERT_EQ(f.contacts.size(), 1u);
  EXPECT_EQ(f.contacts[0].display_name, "Jos\u00E9 M\u00FCller");
  EXPECT_EQ(f.contacts[0].tags, (Strings{"linkedin", "Caf\u00E9 \u20AC"}));
}

TEST(Linkedin, KeysAreStableAndIgnoreTheConnectionDate) {
  const std::string a =
      "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
      "Ann,Lee,https://www.linkedin.com/in/annlee,,X,Y,01 Jan 2024\n";
  const std::string b =
      "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
      "Ann,Lee,https://www.linkedin.com/in/annlee,,X,Y,05 May 2025\n";
  EXPECT_EQ(ParseLinkedinCsv(a).contacts[0].key, ParseLinkedinCsv(b).contacts[0].key);
}

TEST(Linkedin, GarbageIsReportedNotFatal) {
  std::string garbage;
  for (int i = 0; i < 50000; ++i) {
    garbage += static_cast<char>((i * 131 + 17) % 256);
  }
  const ContactsFile f = ParseLinkedinCsv(garbage);
  EXPECT_FALSE(f.problems.empty() && f.contacts.empty() && f.notes.empty());
  const ContactsFile truncated = ParseLinkedinCsv(
      "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAnn,\"Le");
  EXPECT_EQ(truncated.problems.size(), 1u);
}

}  // namespace
}  // namespace warmth::import
