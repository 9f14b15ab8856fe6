#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace warmth::store {

// Each migration moves the schema from version-1 to version, in one
// transaction. Append only: a released migration never changes.
struct Migration {
  int version;
  const char* sql;
};
// Every migration, oldest first; the last one's version is the newest schema.
std::span<const Migration> Migrations();

// Joins and splits list fields: the values are validated to hold no control
// characters, so the unit separator (0x1f) cannot occur in them.
std::string JoinList(std::span<const std::string> items);
std::vector<std::string> SplitList(std::string_view joined);

}  // namespace warmth::store
