#include "clients/import/csv.h"

namespace warmth::import {

CsvFile ParseCsv(std::string_view text) {
  CsvFile out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  std::size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    CsvRecord record;
    record.line = line;
    std::string field;
    bool record_done = false;
    bool broken = false;
    while (!record_done) {
      // Lenient: blanks before a quoted field (", \"a, b\"") are dropped.
      std::size_t q = i;
      while (q < text.size() && (text[q] == ' ' || text[q] == '\t')) {
        ++q;
      }
      if (q < text.size() && text[q] == '"') {
        i = q;
      }
      if (i < text.size() && text[i] == '"') {
        // A quoted field: up to the closing quote, "" standing for one.
        ++i;
        bool closed = false;
        while (i < text.size()) {
          const char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              field += '"';
              ++i;
              continue;
            }
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line;
          }
          field += c;
        }
        if (!closed) {
          out.problems.push_back(
              {"line " + std::to_string(record.line), "a quoted field is never closed"});
          broken = true;
          i = text.size();
          break;
        }
      }
      // Unquoted text (or what follows a closing quote) up to , or the line end.
      while (i < text.size() && text[i] != ',' && text[i] != '\n' &&
             !(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
        field += text[i++];
      }
      record.fields.push_back(std::move(field));
      field.clear();
      if (i >= text.size()) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        i += text[i] == '\r' ? 2 : 1;
        ++line;
        record_done = true;
      }
    }
    if (broken) {
      break;
    }
    const bool empty = record.fields.size() == 1 && record.fields[0].empty();
    if (!empty) {
      out.records.push_back(std::move(record));
    }
  }
  return out;
}

}  // namespace warmth::import
