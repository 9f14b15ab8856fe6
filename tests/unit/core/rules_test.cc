// Each nudge rule and the delivery policy, through the engine on a fake clock.
#include "daemon/core/rules.h"

#include <gtest/gtest.h>

#include "daemon/core/engine.h"
#include "tests/support/engine.h"
#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::At;
using warmth::testing::ImmediateOptions;

Contact Person(std::string id, Circle circle, std::string name = "") {
  Contact c;
  c.id = std::move(id);
  c.circle = circle;
  c.display_name = std::move(name);
  return c;
}

class RulesTest : public ::testing::Test {
 protected:
  void Start(EngineOptions options, TimePoint t, const date::time_zone* zone = nullptr) {
    engine_ = std::make_unique<Engine>(options, zone);
    engine_->FinishLoad(t);
    now_ = t;
  }

  void Add(const Contact& c) { ASSERT_TRUE(engine_->UpsertContact(c, now_).ok()); }

  void Log(const std::string& who, Channel channel, Direction direction, TimePoint at,
           std::vector<std::string> tags = {}) {
    Interaction in;
    in.event_id = "e" + std::to_string(++events_);
    in.contacts = {who};
    in.channel = channel;
    in.direction = direction;
    in.occurred_at = at;
    in.tags = std::move(tags);
    RunUntil(at);
    const auto r = engine_->Ingest(std::span<const Interaction>(&in, 1), at);
    ASSERT_EQ(r[0].outcome, IngestOutcome::kAccepted) << r[0].reason;
  }

  // Moves the clock to `to`, publishing everything due on the way.
  void RunUntil(TimePoint to) {
    for (auto& n : testing::RunUntil(*engine_, now_, to)) {
      published_.push_back(std::move(n));
    }
    now_ = std::max(now_, to);
  }

  std::vector<Nudge> Of(NudgeKind kind) const {
    std::vector<Nudge> out;
    for (const auto& n : published_) {
      if (n.kind == kind) {
        out.push_back(n);
      }
    }
    return out;
  }

  std::unique_ptr<Engine> engine_;
  TimePoint now_;
  std::vector<Nudge> published_;
  int events_ = 0;
};

// --- COOLING episodes ----------------------------------------------------------

TEST_F(RulesTest, CoolingOncePerEpisodeALikeDoesNotStartANewOne) {
  Start(ImmediateOptions(), At("2026-01-01T10:00:00Z"));
  Add(Person("ann", Circle::kInner, "Ann"));
  Log("ann", Channel::kInPerson, Direction::kMutual, At("2026-01-01T10:00:00Z"));
  RunUntil(At("2026-01-08T12:00:00Z"));
  ASSERT_EQ(Of(NudgeKind::kCooling).size(), 1u);
  // W is just under 30 now; a like lifts it a point above, it decays again.
  const double w = engine_->GetContact("ann", now_)->warmth;
  ASSERT_GT(w, 28.6);
  Log("ann", Channel::kSocial, Direction::kOutbound, now_);
  EXPECT_GT(engine_->GetContact("ann", now_)->warmth, 30);
  RunUntil(At("2026-02-01T00:00:00Z"));
  EXPECT_EQ(Of(NudgeKind::kCooling).size(), 1u);
  // A call starts a new episode.
  Log("ann", Channel::kCall, Direction::kMutual, At("2026-02-01T00:00:00Z"));
  RunUntil(At("2026-03-01T00:00:00Z"));
  EXPECT_EQ(Of(NudgeKind::kCooling).size(), 2u);
}

TEST_F(RulesTest, RegularMessagesKeepAWarmContactFromCooling) {
  Start(ImmediateOptions(), At("2026-01-01T10:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Log("ann", Channel::kCall, Direction::kMutual, At("2026-01-01T10:00:00Z"));
  for (int week = 1; week <= 8; ++week) {
    Log("ann", Channel::kMessage, Direction::kOutbound,
        At("2026-01-01T10:00:00Z") + week * 7 * kDay);
  }
  EXPECT_TRUE(Of(NudgeKind::kCooling).empty());
  EXPECT_GT(engine_->GetContact("ann", now_)->warmth, 30);
}

TEST_F(RulesTest, BackfillShowingAContactAlreadyCooledNudgesNow) {
  Start(ImmediateOptions(), At("2026-05-01T12:00:00Z"));
  Add(Person("zoe", Circle::kClose, "Zoe"));
  // Mail arriving in one batch, newest first.
  std::vector<Interaction> batch;
  const std::pair<const char*, Direction> mail[] = {{"2026-04-28T12:00:00Z", Direction::kInbound},
                                                    {"2026-04-20T12:00:00Z", Direction::kOutbound},
                                                    {"2026-04-10T12:00:00Z", Direction::kInbound},
                                                    {"2026-04-02T12:00:00Z", Direction::kOutbound},
                                                    {"2026-03-25T12:00:00Z", Direction::kInbound},
                                                    {"2026-03-01T12:00:00Z", Direction::kOutbound}};
  for (const auto& [at, dir] : mail) {
    batch.push_back(
        Interaction{std::string("m") + at, {"zoe"}, Channel::kEmail, dir, At(at), "", {}});
  }
  batch.push_back(Interaction{
      "meet", {"zoe"}, Channel::kInPerson, Direction::kMutual, At("2026-02-15T12:00:00Z"), "", {}});
  engine_->Ingest(batch, now_);
  RunUntil(now_ + kMinute);
  const auto nudges = Of(NudgeKind::kCooling);
  ASSERT_EQ(nudges.size(), 1u);
  // The Mar 1 e-mail left 47.8, which fell to 30 on Mar 21; the e-mails after
  // never lifted her above the threshold by the re-arm margin.
  EXPECT_EQ(std::chrono::floor<std::chrono::days>(nudges[0].due_at),
            std::chrono::floor<std::chrono::days>(At("2026-03-21T00:00:00Z")));
  EXPECT_EQ(nudges[0].published_at, At("2026-05-01T12:00:00Z"));
  EXPECT_EQ(nudges[0].text,
            "It's been 75 days since you talked with Zoe. Time to pick up the phone.");
}

// --- ONLINE_ONLY --------------------------------------------------------------

TEST_F(RulesTest, OnlineOnlyAfterFiveMessagesBothWaysAndNoLiveContact) {
  Start(ImmediateOptions(), At("2026-03-01T10:00:00Z"));
  const auto d = [](int day) { return At("2026-03-01T10:00:00Z") + day * kDay; };
  for (int i = 0; i < 4; ++i) {
    Log("sam@example.com", Channel::kEmail, Direction::kOutbound, d(i));
  }
  RunUntil(d(10));
  EXPECT_TRUE(Of(NudgeKind::kOnlineOnly).empty()) << "four messages, one direction";
  Log("sam@example.com", Channel::kMessage, Direction::kInbound, d(11));
  RunUntil(d(12));
  const auto nudges = Of(NudgeKind::kOnlineOnly);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].due_at, d(11));
  EXPECT_EQ(nudges[0].contact_ids, std::vector<std::string>{"sam@example.com"})
      << "unsorted contacts get it too";
  EXPECT_EQ(nudges[0].text,
            "You and sam@example.com have exchanged 5 messages since Mar 1 but never spoke. "
            "Take it offline.");
  // Once per streak: more messages do not repeat it.
  for (int i = 12; i < 20; ++i) {
    Log("sam@example.com", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound,
        d(i));
  }
  RunUntil(d(60));
  EXPECT_EQ(Of(NudgeKind::kOnlineOnly).size(), 1u);
}

TEST_F(RulesTest, OnlineOnlyWaitsNinetyDaysAfterTheLastCallAndResetsOnACall) {
  // The 90-day wait alone: these messages stop early, so the exchange must
  // count as alive for long (active_within, tested below).
  EngineOptions o = ImmediateOptions();
  o.rules.online_only.active_within = 365 * kDay;
  Start(o, At("2026-01-01T10:00:00Z"));
  const auto d = [](int day) { return At("2026-01-01T10:00:00Z") + day * kDay; };
  Add(Person("kim", Circle::kNetwork));
  Log("kim", Channel::kCall, Direction::kMutual, d(0));
  for (int i = 1; i <= 6; ++i) {
    Log("kim", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound, d(i));
  }
  RunUntil(d(89));
  EXPECT_TRUE(Of(NudgeKind::kOnlineOnly).empty()) << "a call 89 days ago";
  RunUntil(d(91));
  ASSERT_EQ(Of(NudgeKind::kOnlineOnly).size(), 1u);
  EXPECT_EQ(Of(NudgeKind::kOnlineOnly)[0].due_at, d(90));
  EXPECT_NE(Of(NudgeKind::kOnlineOnly)[0].text.find("without a call or a meeting"),
            std::string::npos);
  // A call starts a new streak: it takes five more messages and 90 more days.
  Log("kim", Channel::kVideo, Direction::kMutual, d(100));
  for (int i = 101; i <= 106; ++i) {
    Log("kim", Channel::kMessage, i % 2 ? Direction::kInbound : Direction::kOutbound, d(i));
  }
  RunUntil(d(189));
  EXPECT_EQ(Of(NudgeKind::kOnlineOnly).size(), 1u);
  RunUntil(d(191));
  EXPECT_EQ(Of(NudgeKind::kOnlineOnly).size(), 2u);
}

// Issue 11: a backfilled old thread is history, not a conversation to take
// offline; an exchange that went quiet before its nudge fell due lapses.
TEST_F(RulesTest, OnlineOnlyOnlyForAnExchangeThatIsAlive) {
  // (The backfill of a 2015 thread: tests/e2e/replay/issue-11-old-thread-is-not-alive.)
  Start(ImmediateOptions(), At("2026-06-01T10:00:00Z"));
  Add(Person("kim", Circle::kNetwork));
  Log("kim", Channel::kCall, Direction::kMutual, At("2026-06-01T10:00:00Z"));
  for (int i = 1; i <= 6; ++i) {
    Log("kim", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound,
        At("2026-06-01T10:00:00Z") + i * kDay);
  }
  // Kim's nudge would wait 90 days after the call; the messages stopped on
  // day 6, so by day 90 the exchange is not alive.
  RunUntil(At("2026-12-01T10:00:00Z"));
  EXPECT_TRUE(Of(NudgeKind::kOnlineOnly).empty());
}

TEST_F(RulesTest, LikesAndMutedContactsDoNotCount) {
  Start(ImmediateOptions(), At("2026-01-01T10:00:00Z"));
  const auto d = [](int day) { return At("2026-01-01T10:00:00Z") + day * kDay; };
  for (int i = 0; i < 10; ++i) {
    Log("fan@example.com", Channel::kSocial, i % 2 ? Direction::kInbound : Direction::kOutbound,
        d(i));
  }
  Contact muted = Person("mo", Circle::kClose);
  muted.muted = true;
  Add(muted);
  for (int i = 0; i < 10; ++i) {
    Log("mo", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound, d(i));
  }
  RunUntil(d(200));
  EXPECT_TRUE(published_.empty());
}

// --- FOLLOW_UP ----------------------------------------------------------------

TEST_F(RulesTest, FollowUpTwoDaysAfterAnUnansweredPitch) {
  Start(ImmediateOptions(), At("2026-02-02T09:00:00Z"));
  Add(Person("vc", Circle::kNetwork, "Val Chen"));
  const TimePoint pitch = At("2026-02-02T09:30:00Z");
  Log("vc", Channel::kEmail, Direction::kOutbound, pitch, {"pitch"});
  RunUntil(pitch + 2 * kDay - kMinute);
  EXPECT_TRUE(Of(NudgeKind::kFollowUp).empty());
  RunUntil(pitch + 3 * kDay);
  const auto nudges = Of(NudgeKind::kFollowUp);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].due_at, pitch + 2 * kDay);
  EXPECT_EQ(nudges[0].text, "Follow up your e-mail to Val Chen with a phone call.");
  EXPECT_EQ(nudges[0].suggested_channel, Channel::kCall);
}

TEST_F(RulesTest, FollowUpCancelledByAReplyOrACall) {
  Start(ImmediateOptions(), At("2026-02-02T09:00:00Z"));
  const TimePoint t = At("2026-02-02T09:00:00Z");
  Log("a@example.com", Channel::kEmail, Direction::kOutbound, t, {"pitch"});
  Log("a@example.com", Channel::kEmail, Direction::kInbound, t + kDay);
  Log("b@example.com", Channel::kMessage, Direction::kOutbound, t, {"follow-up"});
  Log("b@example.com", Channel::kCall, Direction::kMutual, t + kHour);
  Log("c@example.com", Channel::kEmail, Direction::kOutbound, t);            // not tagged
  Log("d@example.com", Channel::kEmail, Direction::kInbound, t, {"pitch"});  // not outbound
  RunUntil(t + 10 * kDay);
  EXPECT_TRUE(Of(NudgeKind::kFollowUp).empty());
}

TEST_F(RulesTest, FollowUpTagsAndDelayAreConfigurable) {
  EngineOptions o = ImmediateOptions();
  o.rules.follow_up.tags = {"ask"};
  o.rules.follow_up.after = 5 * kDay;
  Start(o, At("2026-02-02T09:00:00Z"));
  const TimePoint t = At("2026-02-02T09:00:00Z");
  Log("a@example.com", Channel::kEmail, Direction::kOutbound, t, {"pitch"});
  Log("b@example.com", Channel::kEmail, Direction::kOutbound, t, {"ASK"});
  RunUntil(t + 10 * kDay);
  const auto nudges = Of(NudgeKind::kFollowUp);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].contact_ids[0], "b@example.com");
  EXPECT_EQ(nudges[0].due_at, t + 5 * kDay);
}

TEST_F(RulesTest, FollowUpForANewThreadToSomeoneWhoNeverWrote) {
  Start(ImmediateOptions(), At("2026-02-01T09:00:00Z"));
  const TimePoint t = At("2026-02-02T09:00:00Z");
  Log("wrote@example.com", Channel::kEmail, Direction::kInbound, At("2026-01-20T09:00:00Z"));
  Log("cold@example.com", Channel::kEmail, Direction::kOutbound, t, {"new-thread"});
  Log("wrote@example.com", Channel::kEmail, Direction::kOutbound, t, {"new-thread"});
  Log("chat@example.com", Channel::kMessage, Direction::kOutbound, t,
      {"new-thread"});                                                             // e-mail only
  Log("in@example.com", Channel::kEmail, Direction::kInbound, t, {"new-thread"});  // not outbound
  Log("late@example.com", Channel::kEmail, Direction::kOutbound, t, {"New-Thread"});
  // A backfill brings late's mail of last year: they had written after all.
  Log("late@example.com", Channel::kEmail, Direction::kInbound, At("2025-05-01T09:00:00Z"));
  RunUntil(t + 10 * kDay);
  const auto nudges = Of(NudgeKind::kFollowUp);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].contact_ids[0], "cold@example.com");
  EXPECT_EQ(nudges[0].due_at, t + 2 * kDay);
  EXPECT_EQ(nudges[0].text, "Follow up your e-mail to cold@example.com with a phone call.");
}

TEST_F(RulesTest, ColdOutreachOffLeavesOnlyTaggedPitches) {
  EngineOptions o = ImmediateOptions();
  o.rules.follow_up.cold_outreach = false;
  Start(o, At("2026-02-02T09:00:00Z"));
  const TimePoint t = At("2026-02-02T09:00:00Z");
  Log("cold@example.com", Channel::kEmail, Direction::kOutbound, t, {"new-thread"});
  Log("pitched@example.com", Channel::kEmail, Direction::kOutbound, t, {"new-thread", "pitch"});
  RunUntil(t + 10 * kDay);
  const auto nudges = Of(NudgeKind::kFollowUp);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].contact_ids[0], "pitched@example.com");
}

TEST_F(RulesTest, BackfilledPitchFromLongAgoDoesNotNag) {
  Start(ImmediateOptions(), At("2026-06-01T09:00:00Z"));
  Log("old@example.com", Channel::kEmail, Direction::kOutbound, At("2025-01-10T09:00:00Z"),
      {"pitch"});
  RunUntil(At("2026-07-01T09:00:00Z"));
  EXPECT_TRUE(Of(NudgeKind::kFollowUp).empty());
}

// --- TRIP ---------------------------------------------------------------------

TEST_F(RulesTest, TripListsMatchingContactsInnerFirstThenColdest) {
  Start(ImmediateOptions(), At("2026-11-01T10:00:00Z"));
  const auto in = [](Contact c, std::string city, std::vector<std::string> tags = {}) {
    c.city = std::move(city);
    c.tags = std::move(tags);
    return c;
  };
  Add(in(Person("warm", Circle::kNetwork, "Warm Net"), "washington"));
  Add(in(Person("cold", Circle::kNetwork, "Cold Net"), "Washington"));
  Add(in(Person("inner", Circle::kInner, "In Ner"), " WASHINGTON "));
  Add(in(Person("ama", Circle::kAcquaintance, "Ama Tag"), "Boston", {"ama"}));
  Add(in(Person("elsewhere", Circle::kInner), "Lisbon"));
  Contact muted = in(Person("muted", Circle::kInner), "Washington");
  muted.muted = true;
  Add(muted);
  Log("warm", Channel::kCall, Direction::kMutual, At("2026-11-01T10:00:00Z"));
  Log("cold", Channel::kEmail, Direction::kOutbound, At("2026-11-01T10:00:00Z"));
  Trip trip{"", "Washington", At("2026-12-03T00:00:00Z"), At("2026-12-06T00:00:00Z"), {"AMA"}};
  const auto saved = engine_->UpsertTrip(trip, now_);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->id, "washington-2026-12-03");
  RunUntil(At("2026-11-25T23:59:00Z"));
  EXPECT_TRUE(Of(NudgeKind::kTrip).empty());
  RunUntil(At("2026-11-27T00:00:00Z"));
  const auto nudges = Of(NudgeKind::kTrip);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].due_at, At("2026-11-26T00:00:00Z"));
  EXPECT_EQ(nudges[0].contact_ids, (std::vector<std::string>{"inner", "cold", "warm", "ama"}));
  EXPECT_EQ(nudges[0].text,
            "You'll be in Washington on Dec 3–5. Meet in person: In Ner, Cold Net, Warm Net and "
            "Ama Tag.");
  EXPECT_EQ(nudges[0].suggested_channel, Channel::kInPerson);
  EXPECT_EQ(nudges[0].trip_id, "washington-2026-12-03");
}

TEST_F(RulesTest, TripAtOnceWhenLeadTimeHasPassedAndNoneWithoutMatches) {
  Start(ImmediateOptions(), At("2026-12-01T10:00:00Z"));
  Contact c = Person("lee", Circle::kClose);
  c.city = "Tokyo";
  Add(c);
  ASSERT_TRUE(
      engine_
          ->UpsertTrip(
              Trip{"t1", "Tokyo", At("2026-12-03T00:00:00Z"), At("2026-12-04T00:00:00Z"), {}}, now_)
          .ok());
  ASSERT_TRUE(
      engine_
          ->UpsertTrip(
              Trip{"t2", "Reykjavik", At("2026-12-03T00:00:00Z"), At("2026-12-04T00:00:00Z"), {}},
              now_)
          .ok());
  RunUntil(At("2026-12-01T10:00:01Z"));
  const auto nudges = Of(NudgeKind::kTrip);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].trip_id, "t1");
  EXPECT_EQ(nudges[0].published_at, At("2026-12-01T10:00:00Z"));
}

TEST_F(RulesTest, TripNamesAtMostMaxContacts) {
  EngineOptions o = ImmediateOptions();
  o.rules.trip.max_contacts = 3;
  Start(o, At("2026-12-01T10:00:00Z"));
  for (int i = 0; i < 8; ++i) {
    Contact c = Person("p" + std::to_string(i), Circle::kClose);
    c.city = "Oslo";
    Add(c);
  }
  ASSERT_TRUE(
      engine_
          ->UpsertTrip(Trip{"", "oslo", At("2026-12-20T00:00:00Z"), At("2026-12-21T00:00:00Z"), {}},
                       now_)
          .ok());
  RunUntil(At("2026-12-31T00:00:00Z"));
  ASSERT_EQ(Of(NudgeKind::kTrip).size(), 1u);
  EXPECT_EQ(Of(NudgeKind::kTrip)[0].contact_ids.size(), 3u);
}

// --- WEEKEND_CALL ---------------------------------------------------------------

TEST_F(RulesTest, WeekendCallPicksTheMostActiveOnlineOnlyContact) {
  EngineOptions o = ImmediateOptions();
  o.rules.weekend_call.enabled = true;
  // Thursday 2026-11-19; Friday is the 20th.
  Start(o, At("2026-11-19T10:00:00Z"));
  const auto t = At("2026-11-01T10:00:00Z");
  // chatty: 4 messages both ways; one-way: 9 outbound only (a newsletter);
  // called: 8 both ways but a call 10 days ago.
  for (int i = 0; i < 4; ++i) {
    Log("chatty@example.com", Channel::kMessage, i % 2 ? Direction::kInbound : Direction::kOutbound,
        t + i * kHour);
  }
  for (int i = 0; i < 9; ++i) {
    Log("oneway@example.com", Channel::kEmail, Direction::kOutbound, t + i * kHour);
  }
  for (int i = 0; i < 8; ++i) {
    Log("called@example.com", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound,
        t + i * kHour);
  }
  Log("called@example.com", Channel::kCall, Direction::kMutual, At("2026-11-10T10:00:00Z"));
  RunUntil(At("2026-11-20T14:59:00Z"));
  EXPECT_TRUE(Of(NudgeKind::kWeekendCall).empty());
  RunUntil(At("2026-11-20T15:00:00Z"));
  const auto nudges = Of(NudgeKind::kWeekendCall);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].contact_ids, std::vector<std::string>{"chatty@example.com"});
  EXPECT_EQ(nudges[0].text, "Before the weekend: call chatty@example.com just to say hello.");
  // Not the same person every Friday: not while that nudge is open…
  RunUntil(At("2026-11-27T16:00:00Z"));
  EXPECT_EQ(Of(NudgeKind::kWeekendCall).size(), 1u);
  // …nor within 30 days of it; after that, again.
  ASSERT_TRUE(engine_->Dismiss(nudges[0].id, now_).ok());
  // The call of Nov 10 settled called's ONLINE_ONLY nudge (a live
  // interaction from any client does), so once that call is 30 days old,
  // on Dec 11, called is the one to ring; chatty is not asked again before
  // 30 days have passed since its own weekend nudge.
  RunUntil(At("2026-12-18T16:00:00Z"));
  ASSERT_EQ(Of(NudgeKind::kWeekendCall).size(), 2u);
  EXPECT_EQ(Of(NudgeKind::kWeekendCall)[1].contact_ids[0], "called@example.com");
  RunUntil(At("2026-12-25T16:00:00Z"));
  ASSERT_EQ(Of(NudgeKind::kWeekendCall).size(), 3u);
  EXPECT_EQ(Of(NudgeKind::kWeekendCall)[2].contact_ids[0], "chatty@example.com");
}

TEST_F(RulesTest, WeekendCallSkipsWhoeverAlreadyHasAnOpenNudge) {
  EngineOptions o = ImmediateOptions();
  o.rules.weekend_call.enabled = true;
  Start(o, At("2026-11-19T10:00:00Z"));
  // Six messages both ways: an ONLINE_ONLY nudge is already asking for a call.
  for (int i = 0; i < 6; ++i) {
    Log("sam@example.com", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound,
        now_ + i * kMinute);
  }
  for (int i = 0; i < 2; ++i) {
    Log("dana@example.com", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound,
        now_ + i * kMinute);
  }
  RunUntil(At("2026-11-20T15:00:00Z"));
  ASSERT_EQ(Of(NudgeKind::kOnlineOnly).size(), 1u);
  ASSERT_EQ(Of(NudgeKind::kWeekendCall).size(), 1u);
  EXPECT_EQ(Of(NudgeKind::kWeekendCall)[0].contact_ids[0], "dana@example.com");
}

TEST_F(RulesTest, WeekendCallTiesGoToTheColderThenTheId) {
  EngineOptions o = ImmediateOptions();
  o.rules.weekend_call.enabled = true;
  Start(o, At("2026-11-19T10:00:00Z"));
  Add(Person("b-warm", Circle::kClose));
  Add(Person("a-cold", Circle::kAcquaintance));  // slower decay, but…
  const auto t = At("2026-11-18T10:00:00Z");
  for (int i = 0; i < 4; ++i) {
    Log("b-warm", Channel::kMessage, i % 2 ? Direction::kInbound : Direction::kOutbound,
        t + i * kHour);
    Log("a-cold", Channel::kEmail, i % 2 ? Direction::kInbound : Direction::kOutbound,
        t + i * kHour);
  }
  RunUntil(At("2026-11-20T15:00:00Z"));
  ASSERT_EQ(Of(NudgeKind::kWeekendCall).size(), 1u);
  // Messages count 10, e-mail 8: a-cold has less warmth.
  EXPECT_EQ(Of(NudgeKind::kWeekendCall)[0].contact_ids[0], "a-cold");
}

TEST_F(RulesTest, WeekendCallNoneWithoutCandidatesOrWhenDisabled) {
  EngineOptions o = ImmediateOptions();
  o.rules.weekend_call.enabled = true;
  Start(o, At("2026-11-19T10:00:00Z"));
  RunUntil(At("2026-12-31T00:00:00Z"));
  EXPECT_TRUE(published_.empty());
  o.rules.weekend_call.enabled = false;
  Start(o, At("2026-11-19T10:00:00Z"));
  for (int i = 0; i < 4; ++i) {
    Log("x@example.com", Channel::kMessage, i % 2 ? Direction::kInbound : Direction::kOutbound,
        now_);
  }
  RunUntil(At("2026-11-21T00:00:00Z"));
  EXPECT_TRUE(Of(NudgeKind::kWeekendCall).empty());
}

TEST_F(RulesTest, WeekendCallAtAConfiguredLocalTime) {
  EngineOptions o = ImmediateOptions();
  o.rules.weekend_call.enabled = true;
  o.rules.weekend_call.at = *ParseWeeklyTime("Thu 17:30");
  Start(o, At("2026-11-16T10:00:00Z"), date::locate_zone("America/New_York"));
  for (int i = 0; i < 4; ++i) {
    Log("x@example.com", Channel::kMessage, i % 2 ? Direction::kInbound : Direction::kOutbound,
        now_ + i * kMinute);
  }
  RunUntil(At("2026-11-20T00:00:00Z"));
  ASSERT_EQ(Of(NudgeKind::kWeekendCall).size(), 1u);
  EXPECT_EQ(Of(NudgeKind::kWeekendCall)[0].due_at, At("2026-11-19T22:30:00Z"));  // 17:30 EST
}

// --- BIRTHDAY -----------------------------------------------------------------

TEST_F(RulesTest, BirthdayAtNineLocalOnTheDay) {
  Start(ImmediateOptions(), At("2026-03-01T00:00:00Z"), date::locate_zone("Europe/Berlin"));
  Contact c = Person("bob", Circle::kClose, "Bob Stone");
  c.birthday = Birthday{3, 14, 1980};
  Add(c);
  RunUntil(At("2027-03-20T00:00:00Z"));
  const auto nudges = Of(NudgeKind::kBirthday);
  ASSERT_EQ(nudges.size(), 2u);
  EXPECT_EQ(nudges[0].due_at, At("2026-03-14T08:00:00Z"));  // 09:00 CET
  EXPECT_EQ(nudges[0].text, "It's Bob Stone's birthday today (46). Call to wish them well.");
  EXPECT_EQ(nudges[1].due_at, At("2027-03-14T08:00:00Z"));
}

TEST_F(RulesTest, LeapDayBirthdaysOnFebruary28InCommonYears) {
  Start(ImmediateOptions(), At("2026-01-01T00:00:00Z"));
  Contact c = Person("leap", Circle::kClose);
  c.birthday = Birthday{2, 29, 0};
  Add(c);
  RunUntil(At("2029-01-01T00:00:00Z"));
  std::vector<TimePoint> due;
  for (const auto& n : Of(NudgeKind::kBirthday)) {
    due.push_back(n.due_at);
  }
  EXPECT_EQ(due, (std::vector<TimePoint>{At("2026-02-28T09:00:00Z"), At("2027-02-28T09:00:00Z"),
                                         At("2028-02-29T09:00:00Z")}));
}

TEST_F(RulesTest, BirthdayStillOnItsDayAfterARestartAndNotTwice) {
  // The engine starts at 10:00 on the day: the 09:00 birthday is still due.
  Start(ImmediateOptions(), At("2026-05-05T10:00:00Z"));
  Contact c = Person("late", Circle::kInner);
  c.birthday = Birthday{5, 5, 0};
  Add(c);
  RunUntil(At("2026-05-05T10:00:01Z"));
  ASSERT_EQ(Of(NudgeKind::kBirthday).size(), 1u);
  RunUntil(At("2026-05-06T10:00:00Z"));
  EXPECT_EQ(Of(NudgeKind::kBirthday).size(), 1u);
}

TEST_F(RulesTest, NoBirthdayNudgeWhenYouAlreadyCalledThatDayNextYearAsUsual) {
  // A call at 07:30 on the day, before the 09:00 nudge: nothing left to ask.
  // The evening before does not count; next year's birthday comes as usual.
  Start(ImmediateOptions(), At("2026-05-01T00:00:00Z"));
  Contact c = Person("early", Circle::kClose);
  c.birthday = Birthday{5, 5, 0};
  Add(c);
  Contact d = Person("eve", Circle::kClose);
  d.birthday = Birthday{5, 5, 0};
  Add(d);
  Log("eve", Channel::kCall, Direction::kMutual, At("2026-05-04T21:00:00Z"));
  Log("early", Channel::kCall, Direction::kMutual, At("2026-05-05T07:30:00Z"));
  RunUntil(At("2027-05-06T00:00:00Z"));
  std::vector<std::pair<std::string, TimePoint>> got;
  for (const auto& n : Of(NudgeKind::kBirthday)) {
    got.emplace_back(n.contact_ids.at(0), n.due_at);
  }
  EXPECT_EQ(got,
            (std::vector<std::pair<std::string, TimePoint>>{{"eve", At("2026-05-05T09:00:00Z")},
                                                            {"early", At("2027-05-05T09:00:00Z")},
                                                            {"eve", At("2027-05-05T09:00:00Z")}}));
}

// --- Delivery policy ----------------------------------------------------------

TEST_F(RulesTest, QuietHoursHoldNudgesUntilMorningAcrossDst) {
  EngineOptions o = ImmediateOptions();
  o.delivery.quiet_hours = LocalWindow{std::chrono::hours(21), std::chrono::hours(9)};
  // Berlin: clocks go forward on 2026-03-29.
  Start(o, At("2026-03-21T22:00:00Z"), date::locate_zone("Europe/Berlin"));
  Add(Person("ann", Circle::kInner));
  // In person at 23:00 CET on the 21st: cools 7 days later, 23:00 CET on
  // the 28th, in quiet hours; 09:00 on the 29th is already summer time.
  Log("ann", Channel::kInPerson, Direction::kMutual, At("2026-03-21T22:00:00Z"));
  RunUntil(At("2026-03-30T00:00:00Z"));
  const auto nudges = Of(NudgeKind::kCooling);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].due_at, At("2026-03-28T22:00:00Z"));
  EXPECT_EQ(nudges[0].published_at, At("2026-03-29T07:00:00Z"));  // 09:00 CEST
}

TEST_F(RulesTest, BudgetOfThreeADayTheRestWaitInPriorityOrder) {
  EngineOptions o = ImmediateOptions();
  o.delivery.max_per_day = 3;
  Start(o, At("2026-06-01T08:00:00Z"));
  const TimePoint t = At("2026-06-01T08:00:00Z");
  // Five cooling contacts all due on the same morning, plus a birthday and a
  // follow-up: the birthday and the follow-up go first.
  for (const auto& [id, circle] : {std::pair{"acq", Circle::kAcquaintance},
                                   {"inner", Circle::kInner},
                                   {"close", Circle::kClose},
                                   {"net", Circle::kNetwork},
                                   {"inner2", Circle::kInner}}) {
    Add(Person(id, circle));
  }
  // Inner and close contacts cool within days, the others later: backdate
  // each so that all cool at 10:00 on June 10.
  const TimePoint cool = At("2026-06-10T10:00:00Z");
  for (const auto& id : {"acq", "inner", "close", "net", "inner2"}) {
    const auto view = engine_->GetContact(id, t);
    const Duration h = o.model.HalfLife(view->contact.circle, false);
    Log(id, Channel::kInPerson, Direction::kMutual, cool - h);
  }
  Contact bday = Person("bday", Circle::kAcquaintance);
  bday.birthday = Birthday{6, 10, 0};
  Add(bday);
  Log("pitchee@example.com", Channel::kEmail, Direction::kOutbound, At("2026-06-08T10:00:00Z"),
      {"pitch"});
  published_.clear();
  RunUntil(At("2026-06-10T23:59:00Z"));
  std::vector<std::string> day1;
  for (const auto& n : published_) {
    day1.push_back(n.contact_ids[0]);
  }
  EXPECT_EQ(day1, (std::vector<std::string>{"bday", "pitchee@example.com", "inner"}));
  RunUntil(At("2026-06-12T23:59:00Z"));
  std::vector<std::string> all;
  for (const auto& n : published_) {
    all.push_back(n.contact_ids[0]);
  }
  EXPECT_EQ(all, (std::vector<std::string>{"bday", "pitchee@example.com", "inner", "inner2",
                                           "close", "net", "acq"}));
  EXPECT_EQ(published_[3].published_at, At("2026-06-11T00:00:00Z")) << "next day";
}

TEST_F(RulesTest, WaitingNudgeDroppedWhenTheContactWasCalledMeanwhile) {
  EngineOptions o = ImmediateOptions();
  o.delivery.max_per_day = 1;
  Start(o, At("2026-06-01T08:00:00Z"));
  Add(Person("a", Circle::kInner));
  Add(Person("b", Circle::kInner));
  Log("a", Channel::kInPerson, Direction::kMutual, At("2026-06-01T08:00:00Z"));
  Log("b", Channel::kInPerson, Direction::kMutual, At("2026-06-01T08:00:00Z"));
  RunUntil(At("2026-06-08T12:00:00Z"));
  ASSERT_EQ(published_.size(), 1u);
  const std::string waiting = published_[0].contact_ids[0] == "a" ? "b" : "a";
  EXPECT_EQ(engine_->Counts().waiting_nudges, 1);
  Log(waiting, Channel::kCall, Direction::kMutual, At("2026-06-08T20:00:00Z"));
  RunUntil(At("2026-06-10T00:00:00Z"));
  EXPECT_EQ(published_.size(), 1u);
  EXPECT_EQ(engine_->Counts().waiting_nudges, 0);
}

TEST(Rules, NudgeIdsAreShortAndStable) {
  EXPECT_EQ(NudgeId(NudgeKind::kCooling, "cooling/1/0"),
            NudgeId(NudgeKind::kCooling, "cooling/1/0"));
  EXPECT_NE(NudgeId(NudgeKind::kCooling, "cooling/1/0"),
            NudgeId(NudgeKind::kCooling, "cooling/1/1"));
  EXPECT_EQ(NudgeId(NudgeKind::kBirthday, "x").rfind("bday-", 0), 0u);
  EXPECT_EQ(NudgeId(NudgeKind::kTrip, "x").size(), 15u);
}

TEST(Rules, CoolingCandidateNeedsACircleAndWarmthAboveTheThreshold) {
  Summary s;
  s.warmth = 60;
  s.last_at = At("2026-01-01T00:00:00Z");
  EXPECT_FALSE(CoolingCandidate(1, s, Circle::kInner, 7 * kDay, 30)) << "no episode yet";
  s.episode_at = s.last_at;
  s.episode_warmth = 60;
  EXPECT_FALSE(CoolingCandidate(1, s, Circle::kUnspecified, 7 * kDay, 30));
  const auto c = CoolingCandidate(1, s, Circle::kInner, 7 * kDay, 30);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->due_at, At("2026-01-08T00:00:00Z"));
  s.episode_warmth = 29;
  EXPECT_FALSE(CoolingCandidate(1, s, Circle::kInner, 7 * kDay, 30));
}

}  // namespace
}  // namespace warmth::core
