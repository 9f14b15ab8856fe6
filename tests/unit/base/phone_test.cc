#include "base/phone.h"

#include <gtest/gtest.h>

namespace warmth::base {
namespace {

struct Case {
  const char* name;
  const char* number;
  const char* region;  // "" : none
  const char* want;    // E.164; nullptr: rejected
  const char* reason;  // when rejected: part of the message
};

TEST(ToE164, NumbersFromSeveralCountries) {
  const Case cases[] = {
      // Germany, the issue's own numbers.
      {"DE mobile, national", "0171 1234567", "DE", "+491711234567", nullptr},
      {"DE mobile, international", "+49 171 1234567", "", "+491711234567", nullptr},
      {"DE international read in another region", "+49 171 1234567", "US", "+491711234567",
       nullptr},
      {"DE with the trunk 0 in parens", "+49 (0)171 1234567", "", "+491711234567", nullptr},
      {"DE with the international prefix 00", "0049 171 1234567", "DE", "+491711234567", nullptr},
      {"DE with slash", "0171/1234567", "DE", "+491711234567", nullptr},
      {"DE Berlin landline", "030 1234567", "DE", "+49301234567", nullptr},
      // United States and Canada.
      {"US national", "(202) 555-0100", "US", "+12025550100", nullptr},
      {"US with the trunk 1", "1 202 555 0100", "US", "+12025550100", nullptr},
      {"US international", "+1-202-555-0100", "", "+12025550100", nullptr},
      {"US dialling Germany (011)", "011 49 171 1234567", "US", "+491711234567", nullptr},
      {"CA extension dropped (RFC 3966)", "+1-418-656-9254;ext=102", "", "+14186569254", nullptr},
      {"CA extension dropped (x)", "+1 418 656 9254 x102", "", "+14186569254", nullptr},
      // United Kingdom.
      {"GB London, national", "020 7946 0018", "GB", "+442079460018", nullptr},
      {"GB London, international", "+44 20 7946 0018", "DE", "+442079460018", nullptr},
      {"GB mobile", "07700 900123", "GB", "+447700900123", nullptr},
      // France.
      {"FR landline", "01 23 45 67 89", "FR", "+33123456789", nullptr},
      {"FR mobile", "06 12 34 56 78", "FR", "+33612345678", nullptr},
      {"FR mobile, international", "+33 6 12 34 56 78", "", "+33612345678", nullptr},
      // Elsewhere.
      {"CH Zurich", "044 668 18 00", "CH", "+41446681800", nullptr},
      {"JP mobile", "090-1234-5678", "JP", "+819012345678", nullptr},
      {"BR Sao Paulo mobile", "(11) 91234-5678", "BR", "+5511912345678", nullptr},
      {"RU mobile, international", "+7 912 345 67 89", "", "+79123456789", nullptr},
      // Rejected, each with its reason.
      {"national without a region", "0171 1234567", "", nullptr, "no country code"},
      {"00 prefix without a region", "0049 171 1234567", "", nullptr, "no country code"},
      {"DE number read as US", "0171 1234567", "US", nullptr, "too long"},
      {"GB number read as US", "07700 900123", "US", nullptr, "too long"},
      {"unknown country code", "+999 123456", "", nullptr, "unknown country code"},
      {"too short", "+49 1", "", nullptr, "too short"},
      {"too short for its country", "+1 202", "", nullptr, "too short"},
      {"too long", "+49 171 1234567 89012345", "", nullptr, "too long"},
      {"local number without area code", "555 0100", "US", nullptr, "area code"},
      {"words", "hello", "DE", nullptr, "not a phone number"},
      {"a number inside words", "call +49 171 1234567", "", nullptr, "not a phone number"},
      {"empty", "", "DE", nullptr, "not a phone number"},
      {"only a plus", "+", "", nullptr, "not a phone number"},
  };
  for (const Case& c : cases) {
    const auto got = ToE164(c.number, c.region);
    if (c.want == nullptr) {
      ASSERT_FALSE(got.ok()) << c.name << ": accepted as " << *got;
      EXPECT_EQ(got.status().code(), core::Code::kInvalidArgument) << c.name;
      EXPECT_NE(got.status().message().find(c.reason), std::string::npos)
          << c.name << ": " << got.status().message();
      if (std::string_view(c.number).size() > 3) {
        EXPECT_EQ(got.status().message().find(c.number), std::string::npos)
            << c.name << ": the message never echoes the number";
      }
    } else {
      ASSERT_TRUE(got.ok()) << c.name << ": " << got.status().message();
      EXPECT_EQ(*got, c.want) << c.name;
    }
  }
}

TEST(ToE164, IsIdempotent) {
  for (const char* e164 : {"+491711234567", "+12025550100", "+442079460018", "+33612345678"}) {
    for (const char* region : {"", "DE", "US"}) {
      const auto again = ToE164(e164, region);
      ASSERT_TRUE(again.ok()) << e164 << " in " << region;
      EXPECT_EQ(*again, e164) << region;
    }
  }
}

TEST(IsPhoneRegion, KnowsIso3166CodesInUpperCase) {
  for (const char* known : {"DE", "US", "GB", "FR", "JP", "CH", "BR"}) {
    EXPECT_TRUE(IsPhoneRegion(known)) << known;
  }
  // "UK" is not ISO 3166 (GB is); "ZZ" is libphonenumber's "unknown".
  for (const char* unknown : {"", "UK", "ZZ", "de", "DEU", "49", "XX"}) {
    EXPECT_FALSE(IsPhoneRegion(unknown)) << unknown;
  }
}

// The whole identifier, as the daemon and the clients read it.
TEST(PhoneNormalizerFor, ReadsIdentifiersWithTheRegion) {
  const core::PhoneNormalizer de = PhoneNormalizerFor("DE");
  const core::PhoneNormalizer none = PhoneNormalizerFor("");
  EXPECT_EQ(*core::NormalizeIdentifier("tel:0171 1234567", de), "+491711234567");
  EXPECT_EQ(*core::NormalizeIdentifier("tel:+49 171 1234567", none), "+491711234567");
  EXPECT_EQ(*core::NormalizeIdentifier("+49 171 1234567", none), "+491711234567");
  EXPECT_EQ(*core::NormalizeIdentifier("TEL:+1-418-656-9254", none), "+14186569254");
  const auto national = core::NormalizeIdentifier("tel:0171 1234567", none);
  ASSERT_FALSE(national.ok()) << "without a region only international numbers";
  EXPECT_NE(national.status().message().find("[me] region"), std::string::npos)
      << national.status().message();
  // The old reading: "tel:0171 1234567" was "+01711234567", which is no
  // number at all.
  EXPECT_FALSE(core::NormalizeIdentifier("+01711234567", de).ok());
  EXPECT_FALSE(core::NormalizeIdentifier("01711234567", de).ok()) << "a bare number";
}

}  // namespace
}  // namespace warmth::base
