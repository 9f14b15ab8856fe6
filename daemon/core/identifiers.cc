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

// What people put between the digits of a phone number.
bool IsPhoneSeparator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

bool IsDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Digits and separators only, with at least one digit: "0171 1234567",
// "(555) 010-0199", "12345". It names a phone number of some country, or
// a numeric id of some service: which one, only the writer knows.
bool IsBareNumber(std::string_view s) {
  bool digit = false;
  for (char c : s) {
    if (IsDigit(c)) {
      digit = true;
    } else if (!IsPhoneSeparator(c)) {
      return false;
    }
  }
  return digit;
}

std::string_view TrimSpace(std::string_view raw) {
  while (!raw.empty() && IsSpace(raw.front())) {
    raw.remove_prefix(1);
  }
  while (!raw.empty() && IsSpace(raw.back())) {
    raw.remove_suffix(1);
  }
  return raw;
}

Result<std::string> NormalizePhone(std::string_view number, const PhoneNormalizer& phone) {
  if (!phone) {
    return Status::InvalidArgument("identifier: phone numbers are not read here");
  }
  auto e164 = phone(number);
  if (!e164.ok()) {
    return Status::InvalidArgument("identifier: unusable phone number: " + e164.status().message());
  }
  return e164;
}

}  // namespace

bool IsPhoneIdentifier(std::string_view raw) {
  raw = TrimSpace(raw);
  if (StartsWithNoCase(raw, "tel:")) {
    return true;
  }
  if (raw.empty() || raw.front() != '+') {
    return false;
  }
  for (char c : raw.substr(1)) {
    if (!IsPhoneSeparator(c)) {
      return IsDigit(c);
    }
  }
  return false;
}

Result<std::string> NormalizeIdentifier(std::string_view raw, const PhoneNormalizer& phone) {
  raw = TrimSpace(raw);
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
  if (StartsWithNoCase(raw, "tel:")) {
    return NormalizePhone(raw.substr(4), phone);
  }
  if (IsPhoneIdentifier(raw)) {
    return NormalizePhone(raw, phone);
  }
  if (IsBareNumber(raw)) {
    return Status::InvalidArgument(
        "identifier: a bare number: write a phone number as tel:… (the national way, read with "
        "[me] region) or +… (with the country code)");
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
