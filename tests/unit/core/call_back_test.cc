// Missed calls and the CALL_BACK rule, through the engine on a fake clock.
#include <gtest/gtest.h>

#include "daemon/core/engine.h"
#include "daemon/core/rules.h"
#include "daemon/core/validation.h"
#include "daemon/core/wording.h"
#include "tests/support/engine.h"
#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::At;
using warmth::testing::ImmediateOptions;

Contact Person(std::string id, Circle circle, std::string name) {
  Contact c;
  c.id = std::move(id);
  c.circle = circle;
  c.display_name = std::move(name);
  return c;
}

class CallBackTest : public ::testing::Test {
 protected:
  void Start(EngineOptions options, TimePoint t, const date::time_zone* zone = nullptr) {
    engine_ = std::make_unique<Engine>(options, zone);
    engine_->FinishLoad(t);
    now_ = t;
  }

  void Add(const Contact& c) { ASSERT_TRUE(engine_->UpsertContact(c, now_).ok()); }

  // Runs the clock to `now` (publishing what falls due on the way), then
  // ingests an interaction that happened at `at` (a backfill when earlier).
  void Log(const std::string& who, Channel channel, Direction direction, bool missed, TimePoint at,
           std::optional<TimePoint> now = std::nullopt) {
    RunUntil(now.value_or(at));
    Interaction in;
    in.event_id = "e" + std::to_string(++events_);
    in.contacts = {who};
    in.channel = channel;
    in.direction = direction;
    in.missed = missed;
    in.occurred_at = at;
    const auto r = engine_->Ingest(std::span<const Interaction>(&in, 1), now_);
    ASSERT_EQ(r[0].outcome, IngestOutcome::kAccepted) << r[0].reason;
  }
  void Missed(const std::string& who, TimePoint at, std::optional<TimePoint> now = std::nullopt) {
    Log(who, Channel::kCall, Direction::kInbound, true, at, now);
  }

  void RunUntil(TimePoint to) {
    for (auto& n : testing::RunUntil(*engine_, now_, to)) {
      published_.push_back(std::move(n));
    }
    now_ = std::max(now_, to);
  }

  std::vector<Nudge> CallBacks() const {
    std::vector<Nudge> out;
    for (const auto& n : published_) {
      if (n.kind == NudgeKind::kCallBack) {
        out.push_back(n);
      }
    }
    return out;
  }

  NudgeState StateOf(const std::string& id) const {
    const NudgeState all[] = {NudgeState::kPending, NudgeState::kDone, NudgeState::kSnoozed,
                              NudgeState::kDismissed};
    for (const Nudge& n : engine_->ListNudges(all, "", 0)) {
      if (n.id == id) {
        return n.state;
      }
    }
    return NudgeState::kUnspecified;
  }

  std::unique_ptr<Engine> engine_;
  TimePoint now_;
  std::vector<Nudge> published_;
  int events_ = 0;
};

TEST_F(CallBackTest, AMissedCallGivesNoWarmthAndIsNotATalk) {
  Start(ImmediateOptions(), At("2026-06-01T10:00:00Z"));
  Add(Person("ann", Circle::kInner, "Ann"));
  Log("ann", Channel::kInPerson, Direction::kMutual, false, At("2026-06-01T10:00:00Z"));
  const auto before = engine_->GetContact("ann", At("2026-06-03T10:00:00Z"));
  Missed("ann", At("2026-06-03T10:00:00Z"));
  Log("ann", Channel::kVideo, Direction::kOutbound, true, At("2026-06-03T11:00:00Z"));
  const auto after = engine_->GetContact("ann", At("2026-06-03T10:00:00Z"));
  ASSERT_TRUE(before && after);
  EXPECT_DOUBLE_EQ(after->warmth, before->warmth) << "no warmth either way";
  EXPECT_EQ(after->cools_at, before->cools_at) << "cooling is not reset";
  EXPECT_EQ(after->last_channel, Channel::kInPerson) << "the last talk, not the attempt";
  EXPECT_EQ(after->interactions, 3) << "but both are in the history";
  // Ann still cools a week after the meeting, and the text counts from it.
  RunUntil(At("2026-06-09T00:00:00Z"));
  std::vector<Nudge> cooling;
  for (const auto& n : published_) {
    if (n.kind == NudgeKind::kCooling) {
      cooling.push_back(n);
    }
  }
  ASSERT_EQ(cooling.size(), 1u);
  EXPECT_EQ(cooling[0].due_at, At("2026-06-08T10:00:00Z"));
  EXPECT_NE(cooling[0].text.find("7 days since you talked"), std::string::npos) << cooling[0].text;
  // An attempt does not settle it either.
  Missed("ann", At("2026-06-08T12:00:00Z"));
  Log("ann", Channel::kCall, Direction::kOutbound, true, At("2026-06-08T12:05:00Z"));
  EXPECT_EQ(StateOf(cooling[0].id), NudgeState::kPending);
}

TEST_F(CallBackTest, TwoHoursAfterAnUnreturnedMissedCall) {
  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann Lee"));
  Missed("ann", At("2026-06-01T14:10:00Z"));
  RunUntil(At("2026-06-03T00:00:00Z"));
  const auto nudges = CallBacks();
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].published_at, At("2026-06-01T16:10:00Z"));
  EXPECT_EQ(nudges[0].text, "Ann Lee tried to call you at 14:10. Call back.");
  EXPECT_EQ(nudges[0].suggested_channel, Channel::kCall);
  EXPECT_EQ(nudges[0].contact_ids, std::vector<std::string>{"ann"});
  EXPECT_EQ(nudges[0].id.rfind("callback-", 0), 0u) << nudges[0].id;
  EXPECT_EQ(published_.size(), 1u) << "no warmth, so nothing cools";
}

TEST_F(CallBackTest, NoneWhenCalledBackInTime) {
  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Add(Person("bob", Circle::kClose, "Bob"));
  Missed("ann", At("2026-06-01T14:10:00Z"));
  Log("ann", Channel::kCall, Direction::kOutbound, false, At("2026-06-01T15:00:00Z"));
  // Bob's call is returned by a meeting, which counts as much as a call.
  Missed("bob", At("2026-06-01T15:00:00Z"));
  Log("bob", Channel::kInPerson, Direction::kMutual, false, At("2026-06-01T16:59:00Z"));
  RunUntil(At("2026-06-05T00:00:00Z"));
  EXPECT_TRUE(CallBacks().empty());
}

TEST_F(CallBackTest, AnOutboundAttemptOrAMessageDoesNotSettleIt) {
  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Missed("ann", At("2026-06-01T14:10:00Z"));
  Log("ann", Channel::kCall, Direction::kOutbound, true, At("2026-06-01T14:30:00Z"));
  RunUntil(At("2026-06-01T17:00:00Z"));
  auto nudges = CallBacks();
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].published_at, At("2026-06-01T16:10:00Z")) << "the attempt moved nothing";
  Log("ann", Channel::kCall, Direction::kOutbound, true, At("2026-06-01T18:00:00Z"));
  Log("ann", Channel::kMessage, Direction::kOutbound, false, At("2026-06-01T18:01:00Z"));
  EXPECT_EQ(StateOf(nudges[0].id), NudgeState::kPending);
}

TEST_F(CallBackTest, MootOnceYouTalkAndAPublishedOneIsClosed) {
  EngineOptions o = ImmediateOptions();
  o.delivery.max_per_day = 1;
  Start(o, At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Add(Person("bob", Circle::kClose, "Bob"));
  // Both due at 10:00; the budget lets Ann's out, Bob's waits for tomorrow.
  Missed("ann", At("2026-06-01T08:00:00Z"));
  Missed("bob", At("2026-06-01T08:00:00Z"));
  RunUntil(At("2026-06-01T12:00:00Z"));
  ASSERT_EQ(CallBacks().size(), 1u);
  const Nudge ann = CallBacks()[0];
  ASSERT_EQ(ann.contact_ids, std::vector<std::string>{"ann"});
  EXPECT_EQ(engine_->Counts().waiting_nudges, 1);
  engine_->TakeJournal();
  // Ann calls back and gets through: her nudge is DONE, journaled as a
  // state change (the daemon publishes it as nudge.closed).
  Log("ann", Channel::kCall, Direction::kInbound, false, At("2026-06-01T13:00:00Z"));
  EXPECT_EQ(StateOf(ann.id), NudgeState::kDone);
  bool closed = false;
  for (const Change& change : engine_->TakeJournal()) {
    if (const auto* n = std::get_if<NudgeRow>(&change)) {
      closed = closed || (n->nudge.id == ann.id && n->state_changed);
    }
  }
  EXPECT_TRUE(closed);
  // Bob video-calls before his waiting nudge goes out: it never does.
  Log("bob", Channel::kVideo, Direction::kOutbound, false, At("2026-06-01T20:00:00Z"));
  RunUntil(At("2026-06-04T00:00:00Z"));
  EXPECT_EQ(CallBacks().size(), 1u);
  EXPECT_EQ(engine_->Counts().waiting_nudges, 0);
}

TEST_F(CallBackTest, ABackfilledCallLogRaisesOnlyRecentCalls) {
  Start(ImmediateOptions(), At("2026-06-10T12:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Add(Person("bob", Circle::kClose, "Bob"));
  // Imported at noon on June 10: Ann's call is a week old, Bob's a day.
  Missed("ann", At("2026-06-03T12:00:00Z"), At("2026-06-10T12:00:00Z"));
  Missed("bob", At("2026-06-09T12:00:00Z"), At("2026-06-10T12:00:00Z"));
  RunUntil(At("2026-06-20T00:00:00Z"));
  const auto nudges = CallBacks();
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].contact_ids, std::vector<std::string>{"bob"});
  EXPECT_EQ(nudges[0].published_at, At("2026-06-10T12:00:00Z")) << "at once: it was due";
  EXPECT_EQ(nudges[0].text, "Bob tried to call you yesterday at 12:00. Call back.");
}

TEST_F(CallBackTest, AWaitingOneExpiresWithItsWindow) {
  EngineOptions o = ImmediateOptions();
  o.rules.call_back.within = 6 * kHour;
  o.delivery.quiet_hours = LocalWindow{std::chrono::hours(21), std::chrono::hours(9)};
  Start(o, At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  // Due 22:00, quiet until 09:00: by then the call is more than 6 h old.
  Missed("ann", At("2026-06-01T20:00:00Z"));
  RunUntil(At("2026-06-03T00:00:00Z"));
  EXPECT_TRUE(CallBacks().empty());
}

TEST_F(CallBackTest, QuietHoursHoldItAndTheTextSaysYesterday) {
  EngineOptions o = ImmediateOptions();
  o.delivery.quiet_hours = LocalWindow{std::chrono::hours(21), std::chrono::hours(9)};
  Start(o, At("2026-06-01T08:00:00Z"), date::locate_zone("Europe/Berlin"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Missed("ann", At("2026-06-01T18:30:00Z"));  // 20:30 CEST, due 22:30
  RunUntil(At("2026-06-03T00:00:00Z"));
  const auto nudges = CallBacks();
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].due_at, At("2026-06-01T20:30:00Z"));
  EXPECT_EQ(nudges[0].published_at, At("2026-06-02T07:00:00Z"));  // 09:00 CEST
  EXPECT_EQ(nudges[0].text, "Ann tried to call you yesterday at 20:30. Call back.");
}

TEST_F(CallBackTest, AnUnsortedCallerNeedsTwoCallsWithinTheWindow) {
  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  // Once: a stranger, perhaps a wrong number.
  Missed("telegram:111", At("2026-06-01T10:00:00Z"));
  // Twice, but three days apart.
  Missed("telegram:222", At("2026-06-01T10:00:00Z"));
  Missed("telegram:222", At("2026-06-04T10:00:00Z"));
  RunUntil(At("2026-06-05T10:00:00Z"));
  EXPECT_TRUE(CallBacks().empty());
  // Twice in an hour: someone who wants you.
  Missed("telegram:333", At("2026-06-05T10:00:00Z"));
  Missed("telegram:333", At("2026-06-05T11:00:00Z"));
  RunUntil(At("2026-06-08T00:00:00Z"));
  const auto nudges = CallBacks();
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].contact_ids, std::vector<std::string>{"telegram:333"});
  EXPECT_EQ(nudges[0].published_at, At("2026-06-05T13:00:00Z")) << "two hours after the last";
  EXPECT_EQ(nudges[0].text, "telegram:333 tried to call you at 11:00. Call back.");
}

TEST_F(CallBackTest, ALaterCallReplacesAnOpenOne) {
  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Missed("ann", At("2026-06-01T10:00:00Z"));
  Missed("ann", At("2026-06-01T11:00:00Z"));  // again, before the nudge: one nudge, later
  RunUntil(At("2026-06-01T18:00:00Z"));
  ASSERT_EQ(CallBacks().size(), 1u);
  EXPECT_EQ(CallBacks()[0].published_at, At("2026-06-01T13:00:00Z"));
  Missed("ann", At("2026-06-01T18:00:00Z"));
  RunUntil(At("2026-06-02T00:00:00Z"));
  const auto nudges = CallBacks();
  ASSERT_EQ(nudges.size(), 2u);
  EXPECT_EQ(nudges[1].text, "Ann tried to call you at 18:00. Call back.");
  EXPECT_EQ(StateOf(nudges[0].id), NudgeState::kDismissed) << "shown once, not twice";
  EXPECT_EQ(StateOf(nudges[1].id), NudgeState::kPending);
}

TEST_F(CallBackTest, ABackfilledCallBackSettlesAPublishedOne) {
  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Missed("ann", At("2026-06-01T10:00:00Z"));
  RunUntil(At("2026-06-01T13:00:00Z"));
  ASSERT_EQ(CallBacks().size(), 1u);
  // The phone's log, imported later, shows you did call her back at 12:30.
  Log("ann", Channel::kCall, Direction::kOutbound, false, At("2026-06-01T12:30:00Z"),
      At("2026-06-01T15:00:00Z"));
  EXPECT_EQ(StateOf(CallBacks()[0].id), NudgeState::kDone);
}

TEST_F(CallBackTest, OffWhenDisabledAndNeverForMutedContacts) {
  EngineOptions o = ImmediateOptions();
  o.rules.call_back.enabled = false;
  Start(o, At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kClose, "Ann"));
  Missed("ann", At("2026-06-01T10:00:00Z"));
  RunUntil(At("2026-06-03T00:00:00Z"));
  EXPECT_TRUE(CallBacks().empty());

  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  Contact muted = Person("bob", Circle::kClose, "Bob");
  muted.muted = true;
  Add(muted);
  Missed("bob", At("2026-06-01T10:00:00Z"));
  RunUntil(At("2026-06-03T00:00:00Z"));
  EXPECT_TRUE(CallBacks().empty());
}

TEST_F(CallBackTest, JournalReplayedIntoAFreshEngineKeepsTheMissedCalls) {
  Start(ImmediateOptions(), At("2026-06-01T08:00:00Z"));
  Add(Person("ann", Circle::kInner, "Ann"));
  Log("ann", Channel::kInPerson, Direction::kMutual, false, At("2026-06-01T08:00:00Z"));
  Missed("ann", At("2026-06-01T10:00:00Z"));
  Engine fresh(ImmediateOptions(), nullptr);
  for (const Change& change : engine_->TakeJournal()) {
    if (const auto* c = std::get_if<ContactRow>(&change)) {
      fresh.LoadContact(*c);
    } else if (const auto* i = std::get_if<InteractionRow>(&change)) {
      fresh.LoadEventId(i->interaction.event_id);
      for (auto cid : i->cids) {
        fresh.LoadEvent(
            cid, Event{*i->interaction.occurred_at, i->interaction.channel,
                       i->interaction.direction, i->pitch, i->new_thread, i->interaction.missed});
      }
    }
  }
  const TimePoint now = At("2026-06-01T11:00:00Z");
  fresh.FinishLoad(now);
  EXPECT_DOUBLE_EQ(fresh.GetContact("ann", now)->warmth, engine_->GetContact("ann", now)->warmth);
  EXPECT_EQ(fresh.GetContact("ann", now)->cools_at, engine_->GetContact("ann", now)->cools_at);
  const auto a = testing::RunUntil(fresh, now, At("2026-06-02T00:00:00Z"));
  RunUntil(At("2026-06-02T00:00:00Z"));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(CallBacks().size(), 1u);
  EXPECT_EQ(a[0].id, CallBacks()[0].id);
  EXPECT_EQ(a[0].text, CallBacks()[0].text);
}

TEST(CallBack, MissedIsOnlyForCallsAndVideo) {
  Interaction in;
  in.event_id = "e1";
  in.contacts = {"ann"};
  in.missed = true;
  for (Channel ok : {Channel::kCall, Channel::kVideo}) {
    in.channel = ok;
    EXPECT_TRUE(ValidateInteraction(in).ok()) << Name(ok);
  }
  for (Channel bad : {Channel::kInPerson, Channel::kMessage, Channel::kEmail,
                      Channel::kVoiceMessage, Channel::kLetter, Channel::kSocial}) {
    in.channel = bad;
    const Status s = ValidateInteraction(in);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << Name(bad);
    EXPECT_EQ(s.message().rfind("missed: ", 0), 0u) << s.message();
  }
}

TEST(CallBack, PriorityRightAfterBirthday) {
  EXPECT_LT(KindRank(NudgeKind::kBirthday), KindRank(NudgeKind::kCallBack));
  for (NudgeKind k : {NudgeKind::kFollowUp, NudgeKind::kTrip, NudgeKind::kCooling,
                      NudgeKind::kOnlineOnly, NudgeKind::kWeekendCall}) {
    EXPECT_LT(KindRank(NudgeKind::kCallBack), KindRank(k)) << Name(k);
  }
  EXPECT_EQ(Name(NudgeKind::kCallBack), "call_back");
  EXPECT_EQ(ParseNudgeKind("CALL-BACK"), NudgeKind::kCallBack);
}

TEST(CallBack, CallTimeSaysTodayYesterdayOrTheDay) {
  const LocalCalendar berlin(date::locate_zone("Europe/Berlin"));
  const TimePoint now = At("2026-06-02T12:00:00Z");
  EXPECT_EQ(CallTime(berlin, At("2026-06-02T07:05:00Z"), now), "at 09:05");
  EXPECT_EQ(CallTime(berlin, At("2026-06-01T21:59:00Z"), now), "yesterday at 23:59");
  EXPECT_EQ(CallTime(berlin, At("2026-05-31T12:00:00Z"), now), "on May 31 at 14:00");
  EXPECT_EQ(CallTime(berlin, At("2025-12-31T22:30:00Z"), At("2026-01-03T12:00:00Z")),
            "on Dec 31, 2025 at 23:30");
  EXPECT_EQ(CallBackText("Ann", "at 14:10"), "Ann tried to call you at 14:10. Call back.");
  EXPECT_EQ(NudgeTitle(NudgeKind::kCallBack, "Ann"), "Call Ann back");
}

TEST(CallBack, CallTimeOfAKeyAndItsSnoozeKey) {
  EXPECT_EQ(CallBackCallTime("callback/12/1000000"), FromUnixMicros(1000000));
  EXPECT_EQ(CallBackCallTime("callback/12/1000000/snooze/5"), FromUnixMicros(1000000));
  EXPECT_EQ(CallBackCallTime("cooling/12/1000000"), std::nullopt);
  EXPECT_EQ(CallBackCallTime("callback/12/x"), std::nullopt);
  EXPECT_EQ(CallBackCallTime("callback/12"), std::nullopt);
}

}  // namespace
}  // namespace warmth::core
