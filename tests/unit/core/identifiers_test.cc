#include "daemon/core/identifiers.h"

#include <gtest/gtest.h>

namespace warmth::core {
namespace {

struct Case {
  const char* name;
  const char* raw;
  const char* want;  // nullptr: rejected
};

TEST(NormalizeIdentifier, OneSpellingPerPerson) {
  const Case cases[] = {
      {"email lower-cased", "Alice@Example.COM", "alice@example.com"},
      {"mailto stripped", "mailto:Bob@example.com", "bob@example.com"},
      {"trimmed", "  carol@example.com\t", "carol@example.com"},
      {"tel uri", "tel:+1-555-010-0199", "+15550100199"},
      {"phone with spaces", "+49 30 1234567", "+49301234567"},
      {"phone with parens", "(555) 010-0199", "+5550100199"},
      {"handle lower-cased", "@Alice", "@alice"},
      {"namespaced handle", "LinkedIn:Alice-Smith", "linkedin:alice-smith"},
      {"empty", "", nullptr},
      {"only spaces", "   ", nullptr},
      {"inner space", "alice smith", nullptr},
      {"two @", "a@b@c", nullptr},
      {"control char", "bob\x01@example.com", nullptr},
      {"tel with letters", "tel:+1-555-CALL-NOW", nullptr},
      {"tel too short", "tel:12", nullptr},
  };
  for (const Case& c : cases) {
    const auto got = NormalizeIdentifier(c.raw);
    if (c.want == nullptr) {
      EXPECT_FALSE(got.ok()) << c.name;
      EXPECT_EQ(got.status().code(), Code::kInvalidArgument) << c.name;
    } else {
      ASSERT_TRUE(got.ok()) << c.name << ": " << got.status().message();
      EXPECT_EQ(*got, c.want) << c.name;
    }
  }
  EXPECT_FALSE(NormalizeIdentifier(std::string(300, 'a')).ok()) << "over 256 bytes";
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
