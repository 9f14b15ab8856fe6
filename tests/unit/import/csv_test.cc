// The RFC 4180 reader.
#include "clients/import/csv.h"

#include <gtest/gtest.h>

namespace warmth::import {
namespace {

using Fields = std::vector<std::string>;

TEST(ParseCsv, PlainQuotedAndEscapedFields) {
  const CsvFile f = ParseCsv(
      "a,b,c\n"
      "\"Stripe, Inc.\",\"James \"\"Tyler\"\"\",\"\"\n"
      "\"two\nlines\",x,\r\n"
      "last,no,newline");
  ASSERT_TRUE(f.problems.empty());
  ASSERT_EQ(f.records.size(), 4u);
  EXPECT_EQ(f.records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(f.records[1].fields, (Fields{"Stripe, Inc.", "James \"Tyler\"", ""}));
  EXPECT_EQ(f.records[2].fields, (Fields{"two\nlines", "x", ""}));
  EXPECT_EQ(f.records[3].fields, (Fields{"last", "no", "newline"}));
  // Line numbers count the line break inside the quoted field.
  EXPECT_EQ(f.records[2].line, 3);
  EXPECT_EQ(f.records[3].line, 5);
}

TEST(ParseCsv, EmptyLinesAndByteOrderMark) {
  const CsvFile f = ParseCsv("\xEF\xBB\xBFNotes:\n\n\nx,y\n");
  ASSERT_EQ(f.records.size(), 2u);
  EXPECT_EQ(f.records[0].fields, Fields{"Notes:"});
  EXPECT_EQ(f.records[1].fields, (Fields{"x", "y"}));
  EXPECT_EQ(f.records[1].line, 4);
}

TEST(ParseCsv, LenientWhereExportsAreSloppy) {
  const CsvFile f = ParseCsv("a\"b,\"c\"d,,\n");
  ASSERT_EQ(f.records.size(), 1u);
  EXPECT_EQ(f.records[0].fields, (Fields{"a\"b", "cd", "", ""}));
}

TEST(ParseCsv, AnUnterminatedQuoteIsAProblemWithItsLine) {
  const CsvFile f = ParseCsv("ok,row\n\"never closed,\nmore\n");
  ASSERT_EQ(f.records.size(), 1u);
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].where, "line 2");
}

TEST(ParseCsv, BinaryGarbageNeverCrashes) {
  std::string garbage;
  for (int i = 0; i < 200000; ++i) {
    garbage += static_cast<char>((i * 31 + 7) % 256);
  }
  const CsvFile f = ParseCsv(garbage);
  EXPECT_LE(f.problems.size(), 1u);
  const CsvFile long_line = ParseCsv(std::string(10 << 20, 'x') + "\n");
  ASSERT_EQ(long_line.records.size(), 1u);
  EXPECT_EQ(long_line.records[0].fields[0].size(), std::size_t{10} << 20);
}

}  // namespace
}  // namespace warmth::import
