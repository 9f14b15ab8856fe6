#include "clients/import/linkedin.h"

#include <algorithm>
#include <cctype>

#include "clients/import/csv.h"
#include "daemon/core/text.h"

namespace warmth::import {

using core::Lower;
using core::Trim;
namespace {

struct Columns {
  int first = -1;
  int last = -1;
  int url = -1;
  int email = -1;
  int company = -1;
};

// The header's columns, if `fields` is a header row.
std::optional<Columns> HeaderColumns(const std::vector<std::string>& fields) {
  Columns c;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string name = Lower(Trim(fields[i]));
    const int index = static_cast<int>(i);
    if (name == "first name") {
      c.first = index;
    } else if (name == "last name") {
      c.last = index;
    } else if (name == "url" || name == "profile url") {
      c.url = index;
    } else if (name == "email address" || name == "e-mail address" || name == "email") {
      c.email = index;
    } else if (name == "company") {
      c.company = index;
    }
  }
  if (c.first < 0 || c.last < 0) {
    return std::nullopt;
  }
  return c;
}

std::string Field(const std::vector<std::string>& fields, int index) {
  return index >= 0 && static_cast<std::size_t>(index) < fields.size()
             ? Trim(fields[static_cast<std::size_t>(index)])
             : std::string();
}

// "https://www.linkedin.com/in/jane-doe-12ab/" -> "jane-doe-12ab".
std::string ProfileSlug(const std::string& url) {
  const auto in = url.find("/in/");
  if (in == std::string::npos) {
    return "";
  }
  std::string slug = url.substr(in + 4);
  slug = slug.substr(0, slug.find_first_of("/?#"));
  for (char c : slug) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      return "";
    }
  }
  return Lower(slug);
}

}  // namespace

ContactsFile ParseLinkedinCsv(std::string_view text) {
  ContactsFile out;
  // LinkedIn writes UTF-8; a file re-saved by a spreadsheet may not be.
  CsvFile csv = ParseCsv(ToUtf8(text));
  out.problems = std::move(csv.problems);
  std::optional<Columns> columns;
  std::size_t first_row = 0;
  for (std::size_t i = 0; i < csv.records.size() && !columns; ++i) {
    if (auto c = HeaderColumns(csv.records[i].fields)) {
      columns = c;
      first_row = i + 1;
    }
  }
  if (!columns) {
    // No header: a spreadsheet round trip. Guess by the number of fields.
    out.notes.push_back(
        "no header line: columns taken as First Name, Last Name, [URL,] Email Address, Company, "
        "Position, Connected On");
  }
  for (std::size_t r = first_row; r < csv.records.size(); ++r) {
    const CsvRecord& record = csv.records[r];
    std::vector<std::string> fields = record.fields;
    // A row wrapped whole in quotes holds a row.
    if (fields.size() == 1 && fields[0].find(',') != std::string::npos) {
      CsvFile inner = ParseCsv(fields[0]);
      if (inner.problems.empty() && inner.records.size() == 1) {
        fields = inner.records[0].fields;
      }
    }
    Columns c;
    if (columns) {
      c = *columns;
    } else if (fields.size() == 7) {
      c = Columns{0, 1, 2, 3, 4};
    } else if (fields.size() == 6) {
      c = Columns{0, 1, -1, 2, 3};
    } else {
      out.problems.push_back({"line " + std::to_string(record.line),
                              "expected 6 or 7 fields, found " + std::to_string(fields.size())});
      continue;
    }
    ++out.records;
    ContactRecord contact;
    contact.where = "line " + std::to_string(record.line);
    const std::string first = Field(fields, c.first);
    const std::string last = Field(fields, c.last);
    std::string full_name = first;
    full_name.append(" ").append(last);
    contact.display_name = Trim(full_name);
    const std::string email = Field(fields, c.email);
    const std::string slug = ProfileSlug(Field(fields, c.url));
    // An address, or (old exports) a member URN in its place.
    if (email.find('@') != std::string::npos || Lower(email).rfind("urn:li:", 0) == 0) {
      AddIdentifier(contact.identifiers, email);
    }
    if (!slug.empty()) {
      AddIdentifier(contact.identifiers, "linkedin:" + slug);
    }
    if (contact.display_name.empty() && contact.identifiers.empty()) {
      ++out.skipped;
      continue;
    }
    const std::string company = Field(fields, c.company);
    contact.key = !slug.empty() ? "linkedin:" + slug
                  : !contact.identifiers.empty()
                      ? contact.identifiers.front()
                      : "linkedin-name:" + Lower(contact.display_name) + "|" + Lower(company);
    AddTag(contact.tags, "linkedin");
    AddTag(contact.tags, company);
    out.contacts.push_back(std::move(contact));
  }
  return out;
}

}  // namespace warmth::import
