// How an imported record meets an existing contact (pure planning).
#include "clients/import/apply.h"

#include <gtest/gtest.h>

#include "daemon/core/identifiers.h"

namespace warmth::import {
namespace {

using Action = ContactPlan::Action;
using Strings = std::vector<std::string>;

ContactRecord Ann() {
  ContactRecord r;
  r.where = "line 3";
  r.key = "vcard-uid:ann-1";
  r.display_name = "Ann Lee";
  r.identifiers = {"ann@example.com", "+4930123456"};
  r.city = "Berlin";
  r.birthday = Birthday{7, 4, 1985};
  r.tags = {"friends"};
  return r;
}

TEST(ContactId, StableReadableAndValid) {
  const ContactRecord a = Ann();
  EXPECT_EQ(ContactId(a), ContactId(a));
  EXPECT_EQ(ContactId(a).rfind("ann-lee-", 0), 0u) << ContactId(a);
  ContactRecord other = a;
  other.key = "vcard-uid:ann-2";
  EXPECT_NE(ContactId(other), ContactId(a)) << "two Ann Lees stay two contacts";
  for (const char* name : {"", "   ", "\xEC\xB5\x9C\xEC\x9C\xA0\xEB\xA6\xBC",
                           "A very long name that goes on and on and on and on and on and on",
                           "J\xC3\xB6rg M\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3"
                           "\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3"
                           "\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC"}) {
    ContactRecord r;
    r.display_name = name;
    r.key = "k";
    const std::string id = ContactId(r);
    EXPECT_TRUE(core::ValidateContactId(id).ok()) << id;
    EXPECT_LE(id.size(), 60u) << id;
  }
}

// True when `s` is well-formed UTF-8 (no check for overlongs: enough here).
bool WellFormedUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t len = lead < 0x80    ? 1
                            : lead >= 0xF0 ? 4
                            : lead >= 0xE0 ? 3
                            : lead >= 0xC0 ? 2
                                           : 0;
    if (len == 0 || i + len > s.size()) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += len;
  }
  return true;
}

TEST(ContactId, CutsLongNamesBetweenCharactersNeverInOne) {
  // The id's slug stops at 48 bytes: with two ASCII letters and then
  // three-byte characters, the 48th byte is the first of a character. The
  // fuzzer found this as "Jane" followed by bullets (U+2022).
  for (const std::string head : {"ab", "a", "abc", "Jane "}) {
    for (const char* tail : {"\xE2\x80\xA2", "\xC3\xBC", "\xF0\x9F\x98\x80"}) {
      ContactRecord r;
      r.display_name = head;
      for (int i = 0; i < 30; ++i) {
        r.display_name += tail;
      }
      r.key = "k";
      const std::string id = ContactId(r);
      EXPECT_TRUE(WellFormedUtf8(id)) << head << " + " << tail;
      EXPECT_TRUE(core::ValidateContactId(id).ok()) << id;
    }
  }
}

TEST(PlanContact, NewContactStaysUnsortedUnlessACircleIsGiven) {
  const ContactPlan plan = PlanContact(Ann(), nullptr, std::nullopt);
  EXPECT_EQ(plan.action, Action::kCreate);
  EXPECT_EQ(plan.contact.id(), ContactId(Ann()));
  EXPECT_EQ(plan.contact.display_name(), "Ann Lee");
  EXPECT_EQ(plan.contact.circle(), v1::CIRCLE_UNSPECIFIED);
  EXPECT_EQ(plan.contact.city(), "Berlin");
  EXPECT_EQ(plan.contact.birthday().year(), 1985);
  EXPECT_EQ(PlanContact(Ann(), nullptr, v1::NETWORK).contact.circle(), v1::NETWORK);
}

TEST(PlanContact, FillsInWhatAnExistingContactLacksAndOverwritesNothing) {
  v1::Contact bob;
  bob.set_id("ann");
  bob.set_display_name("Annie");
  bob.add_identifiers("ann@example.com");
  bob.set_circle(v1::CLOSE);
  bob.set_city("Hamburg");
  bob.mutable_birthday()->set_month(7);
  bob.mutable_birthday()->set_day(4);
  bob.add_tags("climbing");
  const ContactPlan plan = PlanContact(Ann(), &bob, v1::NETWORK);
  EXPECT_EQ(plan.action, Action::kUpdate);
  EXPECT_EQ(plan.contact.id(), "ann");
  EXPECT_EQ(plan.contact.display_name(), "Annie");
  EXPECT_EQ(plan.contact.city(), "Hamburg");
  EXPECT_EQ(plan.contact.circle(), v1::CLOSE) << "--circle never changes a chosen circle";
  EXPECT_EQ(plan.contact.birthday().year(), 1985) << "a birthday gains its year";
  EXPECT_EQ(Strings(plan.contact.identifiers().begin(), plan.contact.identifiers().end()),
            (Strings{"ann@example.com", "+4930123456"}));
  EXPECT_EQ(Strings(plan.contact.tags().begin(), plan.contact.tags().end()),
            (Strings{"climbing", "friends"}));
  EXPECT_EQ(plan.changes, (Strings{"+1 identifier", "birthday", "+tags friends"}));
  // Applying the same record again changes nothing.
  EXPECT_EQ(PlanContact(Ann(), &plan.contact, v1::NETWORK).action, Action::kUnchanged);
}

TEST(PlanContact, AnUnsortedContactFromMailGetsNameCityAndCircle) {
  v1::Contact unsorted;
  unsorted.set_id("ann@example.com");
  unsorted.add_identifiers("ann@example.com");
  const ContactPlan plan = PlanContact(Ann(), &unsorted, v1::INNER);
  EXPECT_EQ(plan.action, Action::kUpdate);
  EXPECT_EQ(plan.contact.id(), "ann@example.com");
  EXPECT_EQ(plan.contact.display_name(), "Ann Lee");
  EXPECT_EQ(plan.contact.city(), "Berlin");
  EXPECT_EQ(plan.contact.circle(), v1::INNER);
  EXPECT_EQ(PlanContact(Ann(), &unsorted, std::nullopt).contact.circle(), v1::CIRCLE_UNSPECIFIED);
}

}  // namespace
}  // namespace warmth::import
