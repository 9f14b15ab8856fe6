#include "clients/notify/notification.h"

#include <gtest/gtest.h>

#include "daemon/core/wording.h"
#include "tests/support/support.h"

namespace warmth::notify {
namespace {

using namespace std::chrono_literals;

v1::Nudge MakeNudge(v1::NudgeKind kind, const std::string& name, const std::string& text = "t") {
  v1::Nudge n;
  n.set_id("cool-0123456789");
  n.set_kind(kind);
  n.add_contact_ids("bob");
  if (!name.empty()) {
    n.add_contact_names(name);
  }
  n.set_text(text);
  n.set_suggested_channel(v1::CALL);
  return n;
}

TEST(Title, NamesThePersonToCall) {
  EXPECT_EQ(Title(MakeNudge(v1::COOLING, "Bob Stone")), "Time to call Bob Stone");
  EXPECT_EQ(Title(MakeNudge(v1::WEEKEND_CALL, "Bob Stone")), "Time to call Bob Stone");
  EXPECT_EQ(Title(MakeNudge(v1::BIRTHDAY, "Bob Stone")), "Birthday: Bob Stone");
  EXPECT_EQ(Title(MakeNudge(v1::FOLLOW_UP, "Bob Stone")), "Follow up with Bob Stone");
  EXPECT_EQ(Title(MakeNudge(v1::ONLINE_ONLY, "Bob Stone")), "Take it offline with Bob Stone");
  EXPECT_EQ(Title(MakeNudge(v1::CALL_BACK, "Bob Stone")), "Call Bob Stone back");
  EXPECT_EQ(Title(MakeNudge(v1::RHYTHM, "Bob Stone")), "Time to call Bob Stone");
}

TEST(Title, FallsBackToTheContactIdWithoutAName) {
  EXPECT_EQ(Title(MakeNudge(v1::COOLING, "")), "Time to call bob");
  v1::Nudge nobody = MakeNudge(v1::COOLING, "");
  nobody.clear_contact_ids();
  EXPECT_EQ(Title(nobody), "Time to call someone");
}

TEST(Title, TakesTheTripCityFromTheText) {
  // Cities with " on " and "." in them.
  for (const char* city : {"Berlin", "Stratford on Avon", "St. Louis", "Frankfurt am Main"}) {
    for (const char* dates : {"Dec 3", "Dec 3–7", "Dec 30 – Jan 2"}) {  // as the engine writes them
      const std::string text = core::TripText(city, dates, {"Ann Lee", "Bob Stone"});
      v1::Nudge n = MakeNudge(v1::TRIP, "Ann Lee", text);
      EXPECT_EQ(Title(n), std::string("Meet people in ") + city) << text;
    }
  }
  EXPECT_EQ(Title(MakeNudge(v1::TRIP, "Ann", "Something else entirely.")),
            "Meet people on your trip");
}

TEST(ForNudge, UrgencyByKind) {
  const struct {
    v1::NudgeKind kind;
    Urgency urgency;
  } cases[] = {
      {v1::BIRTHDAY, Urgency::kCritical},  {v1::FOLLOW_UP, Urgency::kCritical},
      {v1::COOLING, Urgency::kNormal},     {v1::ONLINE_ONLY, Urgency::kNormal},
      {v1::TRIP, Urgency::kNormal},        {v1::WEEKEND_CALL, Urgency::kNormal},
      {v1::CALL_BACK, Urgency::kCritical}, {v1::RHYTHM, Urgency::kNormal},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ForNudge(MakeNudge(c.kind, "Bob"), 3 * core::kDay).urgency, c.urgency)
        << v1::NudgeKind_Name(c.kind);
  }
}

TEST(ForNudge, ShowsTitleTextAndThreeActions) {
  const Notification n =
      ForNudge(MakeNudge(v1::COOLING, "Bob Stone", "It's been 9 days."), 3 * core::kDay);
  EXPECT_EQ(n.app_name, "warmth");
  EXPECT_EQ(n.summary, "Time to call Bob Stone");
  EXPECT_EQ(n.body, "It's been 9 days.");
  EXPECT_EQ(n.icon, "call-start");
  const std::vector<std::pair<std::string, std::string>> want = {
      {"called", "Called"}, {"snooze", "Snooze 3 days"}, {"dismiss", "Dismiss"}};
  EXPECT_EQ(n.actions, want);
}

TEST(ForNudge, OffersMetUpWhenMeetingIsSuggested) {
  v1::Nudge trip = MakeNudge(v1::TRIP, "Ann");
  trip.set_suggested_channel(v1::IN_PERSON);
  const Notification n = ForNudge(trip, 36h);
  EXPECT_EQ(n.actions.at(0), (std::pair<std::string, std::string>{"called", "Met up"}));
  EXPECT_EQ(n.actions.at(1).second, "Snooze 1 day 12 hours");
  EXPECT_EQ(n.icon, "system-users");
}

TEST(Actions, KeysRoundTripAndTheDefaultActionIsNone) {
  for (Action a : {Action::kCalled, Action::kSnooze, Action::kDismiss}) {
    EXPECT_EQ(ParseActionKey(ActionKey(a)), a);
  }
  // Rejected keys: a click on the body, and anything we never offered.
  for (const char* key : {"default", "", "Called", "called ", "inline-reply"}) {
    EXPECT_FALSE(ParseActionKey(key).has_value()) << key;
  }
}

TEST(RequestFor, CalledIsDoneWithTheSuggestedChannel) {
  v1::Nudge n = MakeNudge(v1::TRIP, "Ann");
  n.set_suggested_channel(v1::IN_PERSON);
  v1::Request r = RequestFor(Action::kCalled, n, 3 * core::kDay);
  ASSERT_TRUE(r.has_done());
  EXPECT_EQ(r.done().nudge_id(), "cool-0123456789");
  EXPECT_EQ(r.done().channel(), v1::IN_PERSON);
  EXPECT_TRUE(r.done().contact_id().empty());

  n.set_suggested_channel(v1::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(RequestFor(Action::kCalled, n, 3 * core::kDay).done().channel(), v1::CALL);
}

TEST(RequestFor, SnoozeForTheConfiguredPeriodAndDismiss) {
  const v1::Nudge n = MakeNudge(v1::COOLING, "Bob");
  v1::Request s = RequestFor(Action::kSnooze, n, 2 * core::kDay + 6h);
  ASSERT_TRUE(s.has_snooze());
  EXPECT_EQ(s.snooze().nudge_id(), "cool-0123456789");
  EXPECT_EQ(s.snooze().duration().seconds(), 2 * 86400 + 6 * 3600);
  v1::Request d = RequestFor(Action::kDismiss, n, 3 * core::kDay);
  ASSERT_TRUE(d.has_dismiss());
  EXPECT_EQ(d.dismiss().nudge_id(), "cool-0123456789");
}

TEST(HumanDuration, ReadsLikeALabel) {
  const struct {
    core::Duration d;
    const char* want;
  } cases[] = {
      {3 * core::kDay, "3 days"}, {core::kDay, "1 day"},
      {12h, "12 hours"},          {1h, "1 hour"},
      {90min, "90 minutes"},      {1min, "1 minute"},
      {36h, "1 day 12 hours"},    {7 * core::kDay, "7 days"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HumanDuration(c.d), c.want);
  }
}

TEST(EscapeMarkup, EscapesWhatServersWouldParse) {
  EXPECT_EQ(EscapeMarkup("Tom & Jerry <b>3</b>"), "Tom &amp; Jerry &lt;b&gt;3&lt;/b&gt;");
  EXPECT_EQ(EscapeMarkup("It's plain"), "It's plain");
}

TEST(ConsoleLine, HasTimeKindTitleTextAndId) {
  v1::Nudge n = MakeNudge(v1::COOLING, "Bob Stone", "It's been 7 days.");
  n.mutable_published_at()->set_seconds(1795305600);  // 2026-11-22 00:00 UTC
  EXPECT_EQ(ConsoleLine(n, date::locate_zone("UTC")),
            "2026-11-22 00:00  cooling  Time to call Bob Stone: It's been 7 days. "
            "[cool-0123456789]");
}

}  // namespace
}  // namespace warmth::notify
