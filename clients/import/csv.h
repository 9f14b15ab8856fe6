#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clients/import/records.h"

namespace warmth::import {

struct CsvRecord {
  int line = 0;  // where it starts, 1-based
  std::vector<std::string> fields;
};

struct CsvFile {
  std::vector<CsvRecord> records;
  std::vector<Problem> problems;
};

// An RFC 4180 reader: comma-separated fields, records ended by CRLF or LF
// (a last record without one is fine), fields in double quotes may hold
// commas, line breaks and doubled quotes (""). Lenient where exports are
// sloppy: a UTF-8 byte-order mark is dropped, a quote inside an unquoted
// field is kept as text, blanks before an opening quote are dropped, text
// after a closing quote is appended. An
// unterminated quoted field is a Problem naming its line, and its record is
// dropped. Empty lines give no record. Pure; no allocation beyond the result.
CsvFile ParseCsv(std::string_view text);

}  // namespace warmth::import
