#include "daemon/core/identifiers.h"

#include <gtest/gtest.h>

namespace warmth::core {
namespace {

struct Case {
  const char* name;
  const char* raw;
  const char* want;  // nullptr: rejected
};

// Core knows no numbering plan: a stand-in that says what it was asked,
// "+" and the digits, and refuses "0…" as a region-less normalizer would.
Result<std::string> FakePhone(std::string_view number) {
  std::string digits;
  for (char c : number) {
    if (c >= '0' && c <= '9') {
      digits += c;
    }
  }
  const auto first = number.find_first_not_of(' ');
  if (first == std::string_view::npos || number[first] == '0' || digits.size() < 3) {
    return Status::InvalidArgument("fake: unusable");
  }
  return "+" + digits;
}

TEST(NormalizeIdentifier, OneSpellingPerPerson) {
  const Case cases[] = {
      {"email lower-cased", "Alice@Example.COM", "alice@example.com"},
      {"mailto stripped", "mailto:Bob@example.com", "bob@example.com"},
      {"trimmed", "  carol@example.com\t", "carol@example.com"},
      {"tel uri to the phone normalizer", "tel:+1-555-010-0199", "+15550100199"},
      {"TEL in upper case", "TEL:+49 30 1234567", "+49301234567"},
      {"+ number to the phone normalizer", "+49 30 1234567", "+49301234567"},
      {"+ number with parens", "+1 (555) 010-0199", "+15550100199"},
      {"handle lower-cased", "@Alice", "@alice"},
      {"+ handle is no phone number", "+Alice", "+alice"},
      {"namespaced handle", "LinkedIn:Alice-Smith", "linkedin:alice-smith"},
      {"digits in a handle", "telegram:123456789", "telegram:123456789"},
      {"empty", "", nullptr},
      {"only spaces", "   ", nullptr},
      {"inner space", "alice smith", nullptr},
      {"two @", "a@b@c", nullptr},
      {"control char", "bob\x01@example.com", nullptr},
      {"the phone normalizer refuses", "tel:0171 1234567", nullptr},
      {"bare national number", "0171 1234567", nullptr},
      {"bare number in parens", "(555) 010-0199", nullptr},
      {"five bare digits", "12345", nullptr},
      {"bare digits with dashes", "030-1234567", nullptr},
  };
  for (const Case& c : cases) {
    const auto got = NormalizeIdentifier(c.raw, FakePhone);
    if (c.want == nullptr) {
      EXPECT_FALSE(got.ok()) << c.name;
      EXPECT_EQ(got.status().code(), Code::kInvalidArgument) << c.name;
    } else {
      ASSERT_TRUE(got.ok()) << c.name << ": " << got.status().message();
      EXPECT_EQ(*got, c.want) << c.name;
    }
  }
  EXPECT_FALSE(NormalizeIdentifier(std::string(300, 'a'), FakePhone).ok()) << "over 256 bytes";
}

TEST(NormalizeIdentifier, SaysWhyANumberIsRefused) {
  auto got = NormalizeIdentifier("tel:0171 1234567", FakePhone);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "identifier: unusable phone number: fake: unusable");
  got = NormalizeIdentifier("0171 1234567", FakePhone);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("write a phone number as tel:"), std::string::npos)
      << got.status().message();
  got = NormalizeIdentifier("+49 30 1234567", PhoneNormalizer{});
  ASSERT_FALSE(got.ok()) << "no normalizer: no phone numbers";
  EXPECT_EQ(got.status().message(), "identifier: phone numbers are not read here");
  EXPECT_TRUE(NormalizeIdentifier("ann@example.com", PhoneNormalizer{}).ok());
}

TEST(IsPhoneIdentifier, TelOrPlusAndADigit) {
  for (const char* yes : {"tel:0171 1234567", "TEL:+1", " +49 171 1234567", "+(49) 171", "tel:"}) {
    EXPECT_TRUE(IsPhoneIdentifier(yes)) << yes;
  }
  for (const char* no :
       {"0171 1234567", "12345", "+alice", "+", "+ -", "alice@example.com", "telegram:123456789"}) {
    EXPECT_FALSE(IsPhoneIdentifier(no)) << no;
  }
}

TEST(ValidateContactId, RejectsBlanksAndLongIds) {
  EXPECT_TRUE(ValidateContactId("bob").ok());
  EXPECT_TRUE(ValidateContactId("alice@example.com").ok());
  EXPECT_FALSE(ValidateContactId("").ok());
  EXPECT_FALSE(ValidateContactId("bob stone").ok());
  EXPECT_FALSE(ValidateContactId(std::string(129, 'x')).ok());
}

TEST(StableHash, IsStableAcrossRuns) {
  // FNV-1a test vectors: the nudge ids users type depend on this.
  EXPECT_EQ(StableHash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(StableHash("a"), 0xaf63dc4c8601ec8cULL);
}

}  // namespace
}  // namespace warmth::core
