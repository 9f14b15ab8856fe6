#include "daemon/core/identifiers.h"

#include <cctype>
#include <cstdint>

#include "daemon/core/text.h"

namespace warmth::core {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool IsControl(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == prefix;
}

// Digits, spaces and + - ( ) . only, with at least five digits.
bool LooksLikePhone(std::string_view s) {
  int digits = 0;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '+' && c != '-' && c != '(' && c != ')' && c != '.' && c != ' ') {
      return false;
    }
  }
  return digits >= 5;
}

}  // namespace

Result<std::string> NormalizeIdentifier(std::string_view raw) {
  while (!raw.empty() && IsSpace(raw.front())) {
    raw.remove_prefix(1);
  }
  while (!raw.empty() && IsSpace(raw.back())) {
    raw.remove_suffix(1);
  }
  if (raw.empty()) {
    return Status::InvalidArgument("identifier: empty");
  }
  if (raw.size() > kMaxIdentifierBytes) {
    return Status::InvalidArgument("identifier: longer than 256 bytes");
  }
  for (char c : raw) {
    if (IsControl(c)) {
      return Status::InvalidArgument("identifier: contains control characters");
    }
  }
  if (StartsWithNoCase(raw, "tel:") || LooksLikePhone(raw)) {
    std::string phone = "+";
    for (char c : StartsWithNoCase(raw, "tel:") ? raw.substr(4) : raw) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        phone += c;
      } else if (c != '+' && c != '-' && c != '(' && c != ')' && c != '.' && c != ' ') {
        return Status::InvalidArgument("identifier: a tel: URI must hold only a phone number");
      }
    }
    if (phone.size() < 4) {
      return Status::InvalidArgument("identifier: a phone number needs at least three digits");
    }
    return phone;
  }
  if (StartsWithNoCase(raw, "mailto:")) {
    raw.remove_prefix(7);
  }
  for (char c : raw) {
    if (IsSpace(c)) {
      return Status::InvalidArgument("identifier: contains white space");
    }
  }
  const auto at = raw.find('@');
  if (at != std::string_view::npos && at > 0) {
    if (raw.find('@', at + 1) != std::string_view::npos || at + 1 == raw.size()) {
      return Status::InvalidArgument("identifier: not a valid e-mail address");
    }
  }
  return Lower(raw);
}

Status ValidateContactId(std::string_view id) {
  if (id.empty()) {
    return Status::InvalidArgument("contact id: required");
  }
  if (id.size() > kMaxIdBytes) {
    return Status::InvalidArgument("contact id: longer than 128 bytes");
  }
  for (char c : id) {
    if (IsSpace(c) || IsControl(c)) {
      return Status::InvalidArgument("contact id: contains white space or control characters");
    }
  }
  return Status::Ok();
}

std::uint64_t StableHash(std::string_view s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace warmth::core
