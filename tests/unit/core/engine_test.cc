#include "daemon/core/engine.h"

#include <cstdlib>
#include <map>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "base/phone.h"
#include "tests/support/engine.h"
#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::At;
using warmth::testing::ImmediateOptions;
using warmth::testing::T0;

Interaction Make(std::string id, std::vector<std::string> contacts, Channel channel,
                 Direction direction, TimePoint at, std::vector<std::string> tags = {}) {
  Interaction in;
  in.event_id = std::move(id);
  in.contacts = std::move(contacts);
  in.channel = channel;
  in.direction = direction;
  in.occurred_at = at;
  in.tags = std::move(tags);
  return in;
}

Contact Person(std::string id, Circle circle, std::vector<std::string> identifiers = {}) {
  Contact c;
  c.id = std::move(id);
  c.circle = circle;
  c.identifiers = std::move(identifiers);
  return c;
}

class EngineTest : public ::testing::Test {
 protected:
  // Phone numbers as a daemon with [me] region = "DE" reads them.
  explicit EngineTest(EngineOptions options = ImmediateOptions())
      : engine_(options, nullptr, base::PhoneNormalizerFor("DE")) {
    engine_.FinishLoad(T0());
  }

  IngestItem IngestOne(const Interaction& in, TimePoint now) {
    return engine_.Ingest(std::span<const Interaction>(&in, 1), now).front();
  }

  // Runs the clock from `from` to `to`, collecting every nudge published.
  std::vector<Nudge> RunUntil(TimePoint from, TimePoint to) {
    return testing::RunUntil(engine_, from, to);
  }

  Engine engine_;
};

TEST_F(EngineTest, RetriedEventIsDuplicateAndNotCountedTwice) {
  const auto in = Make("e1", {"alice@example.com"}, Channel::kCall, Direction::kMutual, T0());
  EXPECT_EQ(IngestOne(in, T0()).outcome, IngestOutcome::kAccepted);
  EXPECT_EQ(IngestOne(in, T0()).outcome, IngestOutcome::kDuplicate);
  const auto view = engine_.GetContact("alice@example.com", T0());
  ASSERT_TRUE(view);
  EXPECT_EQ(view->interactions, 1);
  EXPECT_DOUBLE_EQ(view->warmth, 45);
  EXPECT_EQ(engine_.Counts().interactions, 1);
}

TEST_F(EngineTest, DuplicateWithinOneBatch) {
  const auto in = Make("e1", {"alice@example.com"}, Channel::kCall, Direction::kMutual, T0());
  const std::vector<Interaction> batch = {in, in};
  const auto results = engine_.Ingest(batch, T0());
  EXPECT_EQ(results[0].outcome, IngestOutcome::kAccepted);
  EXPECT_EQ(results[1].outcome, IngestOutcome::kDuplicate);
}

TEST_F(EngineTest, DuplicateOracleDecidesOnHashMatch) {
  const auto in = Make("e1", {"alice@example.com"}, Channel::kCall, Direction::kMutual, T0());
  IngestOne(in, T0());
  engine_.TakeJournal();  // as the daemon does after its commit
  int asked = 0;
  engine_.SetDuplicateOracle([&](std::string_view id, TimePoint) {
    ++asked;
    return id == "e1";
  });
  EXPECT_EQ(IngestOne(in, T0()).outcome, IngestOutcome::kDuplicate);
  EXPECT_EQ(asked, 1);
  // An unseen id never reaches the store.
  IngestOne(Make("e2", {"alice@example.com"}, Channel::kCall, Direction::kMutual, T0()), T0());
  EXPECT_EQ(asked, 1);
}

// The daemon hands each written journal back for the next one to reuse:
// the next journal holds only what changed since, never a written change
// twice, and an event id in it is still known to be unwritten.
TEST_F(EngineTest, AJournalHandedBackIsReusedEmpty) {
  IngestOne(Make("e1", {"alice@example.com"}, Channel::kCall, Direction::kMutual, T0()), T0());
  std::vector<Change> written = engine_.TakeJournal();
  ASSERT_FALSE(written.empty());
  const std::size_t capacity = written.capacity();
  EXPECT_TRUE(engine_.TakeJournal(std::move(written)).empty());
  IngestOne(Make("e2", {"alice@example.com"}, Channel::kEmail, Direction::kOutbound, T0()), T0());
  const std::vector<Change> next = engine_.TakeJournal();
  ASSERT_EQ(next.size(), 1U);
  const auto* row = std::get_if<InteractionRow>(&next.front());
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->interaction.event_id, "e2");
  EXPECT_GE(next.capacity(), capacity);
}

TEST_F(EngineTest, RejectsEventsFromTheFuture) {
  const auto soon = IngestOne(
      Make("ok", {"a@x.org"}, Channel::kCall, Direction::kMutual, T0() + 4 * kMinute), T0());
  EXPECT_EQ(soon.outcome, IngestOutcome::kAccepted);
  const auto later = IngestOne(
      Make("late", {"a@x.org"}, Channel::kCall, Direction::kMutual, T0() + 6 * kMinute), T0());
  EXPECT_EQ(later.outcome, IngestOutcome::kRejected);
  EXPECT_NE(later.reason.find("occurred_at"), std::string::npos);
}

TEST_F(EngineTest, BadIdentifierRejectsOnlyThatInteractionAndCreatesNothing) {
  const std::vector<Interaction> batch = {
      Make("bad", {"ok@example.com", "not an address"}, Channel::kEmail, Direction::kOutbound,
           T0()),
      Make("good", {"ok@example.com"}, Channel::kEmail, Direction::kOutbound, T0())};
  const auto results = engine_.Ingest(batch, T0());
  EXPECT_EQ(results[0].outcome, IngestOutcome::kRejected);
  EXPECT_NE(results[0].reason.find("contacts[1]"), std::string::npos);
  EXPECT_EQ(results[1].outcome, IngestOutcome::kAccepted);
  EXPECT_EQ(engine_.GetContact("ok@example.com", T0())->interactions, 1);
  EXPECT_EQ(engine_.Counts().unsorted, 1);
}

TEST_F(EngineTest, ResolvesByIdThenIdentifierElseCreatesUnsorted) {
  ASSERT_TRUE(
      engine_
          .UpsertContact(Person("bob", Circle::kClose, {"Bob@Example.com", "tel:+1 202 555 0100"}),
                         T0())
          .ok());
  const auto r1 = IngestOne(Make("1", {"bob"}, Channel::kCall, Direction::kMutual, T0()), T0());
  const auto r2 =
      IngestOne(Make("2", {"BOB@example.com"}, Channel::kEmail, Direction::kInbound, T0()), T0());
  const auto r3 =
      IngestOne(Make("3", {"tel:+12025550100"}, Channel::kCall, Direction::kMutual, T0()), T0());
  const auto r4 =
      IngestOne(Make("4", {"carol@example.com"}, Channel::kEmail, Direction::kInbound, T0()), T0());
  EXPECT_EQ(r1.contact_ids, std::vector<std::string>{"bob"});
  EXPECT_EQ(r2.contact_ids, std::vector<std::string>{"bob"});
  EXPECT_EQ(r3.contact_ids, std::vector<std::string>{"bob"});
  EXPECT_EQ(r4.contact_ids, std::vector<std::string>{"carol@example.com"});
  EXPECT_EQ(engine_.GetContact("bob", T0())->interactions, 3);
  const auto carol = engine_.GetContact("carol@example.com", T0());
  ASSERT_TRUE(carol);
  EXPECT_EQ(carol->contact.circle, Circle::kUnspecified);
}

// The issue "Right on a real person's data": a number saved the national way
// and the same number written internationally are one person.
TEST_F(EngineTest, NationalAndInternationalSpellingsOfANumberAreOneContact) {
  const auto saved =
      engine_.UpsertContact(Person("ann", Circle::kClose, {"tel:0171 1234567"}), T0());
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->contact.identifiers, std::vector<std::string>{"+491711234567"});
  for (const char* spelling :
       {"tel:+49 171 1234567", "+49 (0)171 1234567", "tel:0049171/1234567"}) {
    const auto r =
        IngestOne(Make(spelling, {spelling}, Channel::kCall, Direction::kMutual, T0()), T0());
    EXPECT_EQ(r.outcome, IngestOutcome::kAccepted) << spelling << ": " << r.reason;
    EXPECT_EQ(r.contact_ids, std::vector<std::string>{"ann"}) << spelling;
  }
  EXPECT_EQ(engine_.Counts().unsorted, 0);
  EXPECT_TRUE(engine_.GetContact("tel:+491711234567", T0())) << "found by any spelling";
}

TEST_F(EngineTest, AnUnusableNumberRejectsItsInteractionOrContactWithTheReason) {
  const auto r =
      IngestOne(Make("1", {"tel:+1 202"}, Channel::kCall, Direction::kMutual, T0()), T0());
  EXPECT_EQ(r.outcome, IngestOutcome::kRejected);
  EXPECT_NE(r.reason.find("unusable phone number: too short"), std::string::npos) << r.reason;
  const auto bare =
      IngestOne(Make("2", {"01711234567"}, Channel::kCall, Direction::kMutual, T0()), T0());
  EXPECT_EQ(bare.outcome, IngestOutcome::kRejected) << "a bare number is not guessed at";
  const auto saved =
      engine_.UpsertContact(Person("ann", Circle::kClose, {"ann@example.com", "tel:+999 1"}), T0());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(saved.status().message(),
            "contact.identifiers[1]: identifier: unusable phone number: unknown country code");
  EXPECT_EQ(engine_.Counts().unsorted, 0);
}

TEST_F(EngineTest, AddingAContactAdoptsTheUnsortedHistory) {
  IngestOne(Make("1", {"alice@example.com"}, Channel::kCall, Direction::kMutual, T0()), T0());
  IngestOne(Make("2", {"alice@example.com"}, Channel::kEmail, Direction::kInbound, T0() + kHour),
            T0() + kHour);
  const auto saved =
      engine_.UpsertContact(Person("alice", Circle::kInner, {"alice@example.com"}), T0() + kHour);
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->interactions, 2);
  EXPECT_FALSE(engine_.GetContact("alice@example.com", T0())->contact.id.empty());
  EXPECT_EQ(engine_.GetContact("alice@example.com", T0())->contact.id, "alice");
  EXPECT_EQ(engine_.Counts().unsorted, 0);
}

TEST_F(EngineTest, IdentifierOfAnotherSortedContactIsRefused) {
  ASSERT_TRUE(engine_.UpsertContact(Person("bob", Circle::kClose, {"bob@example.com"}), T0()).ok());
  const auto r = engine_.UpsertContact(Person("robert", Circle::kClose, {"bob@example.com"}), T0());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kAlreadyExists);
  EXPECT_NE(r.status().message().find("bob"), std::string::npos);
}

TEST_F(EngineTest, InvalidContactFieldsAreNamed) {
  Contact c = Person("x", Circle::kClose);
  c.birthday = Birthday{2, 30, 0};
  EXPECT_NE(engine_.UpsertContact(c, T0()).status().message().find("birthday"), std::string::npos);
  c.birthday = Birthday{2, 29, 0};  // a leap-day birthday is fine
  EXPECT_TRUE(engine_.UpsertContact(c, T0()).ok());
  EXPECT_NE(engine_.UpsertContact(Person("has space", Circle::kClose), T0())
                .status()
                .message()
                .find("contact.id"),
            std::string::npos);
}

TEST_F(EngineTest, CoolingNudgeAtTheComputedCrossingTimeOnce) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  // 60 decays to 30 in one inner half-life: 7 days.
  EXPECT_EQ(engine_.NextDue(T0()), T0() + 7 * kDay);
  const auto nudges = RunUntil(T0(), T0() + 60 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].kind, NudgeKind::kCooling);
  EXPECT_EQ(nudges[0].due_at, T0() + 7 * kDay);
  EXPECT_EQ(nudges[0].contact_ids, std::vector<std::string>{"ann"});
  EXPECT_EQ(nudges[0].suggested_channel, Channel::kCall);
  EXPECT_EQ(nudges[0].text,
            "It's been 7 days since you talked with ann. Time to pick up the phone.");
  EXPECT_NEAR(nudges[0].warmth, 30, 1e-6);
}

TEST_F(EngineTest, UnsortedAndMutedContactsNeverCool) {
  IngestOne(Make("1", {"stranger@example.com"}, Channel::kInPerson, Direction::kMutual, T0()),
            T0());
  Contact muted = Person("mia", Circle::kInner);
  muted.muted = true;
  ASSERT_TRUE(engine_.UpsertContact(muted, T0()).ok());
  IngestOne(Make("2", {"mia"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  EXPECT_TRUE(RunUntil(T0(), T0() + 365 * kDay).empty());
}

TEST_F(EngineTest, NewInteractionMakesAWaitingCoolingNudgeMoot) {
  EngineOptions quiet = ImmediateOptions();
  quiet.delivery.quiet_hours = LocalWindow{std::chrono::hours(0), std::chrono::hours(12)};
  Engine engine(quiet, nullptr);
  engine.FinishLoad(T0());
  ASSERT_TRUE(engine.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  const auto in = Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0() + kHour);
  engine.Ingest(std::span<const Interaction>(&in, 1), T0() + kHour);
  // Due at 01:00 on day 7, inside quiet hours: it waits for noon.
  const TimePoint due = T0() + 7 * kDay + kHour;
  EXPECT_TRUE(engine.TakeDue(due).empty());
  EXPECT_EQ(engine.NextDue(due), T0() + 7 * kDay + 12 * kHour);
  // She calls at 08:00: by noon the nudge has no reason left.
  const auto call =
      Make("2", {"ann"}, Channel::kCall, Direction::kMutual, T0() + 7 * kDay + 8 * kHour);
  engine.Ingest(std::span<const Interaction>(&call, 1), T0() + 7 * kDay + 8 * kHour);
  EXPECT_TRUE(engine.TakeDue(T0() + 7 * kDay + 12 * kHour).empty());
  EXPECT_EQ(engine.Counts().waiting_nudges, 0);
}

TEST_F(EngineTest, AWaitingBirthdayNudgeIsMootOnceYouSpokeThatDay) {
  EngineOptions quiet = ImmediateOptions();
  quiet.delivery.quiet_hours = LocalWindow{std::chrono::hours(0), std::chrono::hours(12)};
  const TimePoint day = At("2026-12-01T00:00:00Z");
  for (const bool called_that_morning : {false, true}) {
    Engine engine(quiet, nullptr);
    engine.FinishLoad(T0());
    Contact bea = Person("bea", Circle::kClose);
    bea.birthday = Birthday{12, 1, 0};
    ASSERT_TRUE(engine.UpsertContact(bea, T0()).ok());
    // A call the evening before leaves the birthday to be wished; one on the
    // day, while the 09:00 nudge waits for quiet hours to end, is the wish.
    const TimePoint call_at = called_that_morning ? day + 10 * kHour : day - 4 * kHour;
    if (!called_that_morning) {
      const auto call = Make("c", {"bea"}, Channel::kCall, Direction::kMutual, call_at);
      engine.Ingest(std::span<const Interaction>(&call, 1), call_at);
    }
    EXPECT_TRUE(engine.TakeDue(day + 9 * kHour).empty());
    if (called_that_morning) {
      const auto call = Make("c", {"bea"}, Channel::kCall, Direction::kMutual, call_at);
      engine.Ingest(std::span<const Interaction>(&call, 1), call_at);
    }
    const auto published = engine.TakeDue(day + 12 * kHour);
    if (called_that_morning) {
      EXPECT_TRUE(published.empty());
    } else {
      ASSERT_EQ(published.size(), 1u);
      EXPECT_EQ(published[0].kind, NudgeKind::kBirthday);
    }
  }
}

TEST_F(EngineTest, DoneRecordsACallAndClearsPendingNudges) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  const auto nudges = RunUntil(T0(), T0() + 8 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  const TimePoint now = T0() + 8 * kDay;
  const double before = engine_.GetContact("ann", now)->warmth;
  const auto done = engine_.Done("ann", "", Channel::kUnspecified, now);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done.value(), std::vector<std::string>{nudges[0].id});
  const auto after = engine_.GetContact("ann", now);
  EXPECT_EQ(after->last_channel, Channel::kCall);
  EXPECT_NEAR(after->warmth, ApplyGain(before, 45), 1e-9);
  const NudgeState done_state[] = {NudgeState::kDone};
  EXPECT_EQ(engine_.ListNudges(done_state, "", 0).size(), 1u);
  EXPECT_TRUE(engine_.ListNudges({}, "", 0).empty());
  // A done nudge cannot be dismissed.
  EXPECT_EQ(engine_.Dismiss(nudges[0].id, now).status().code(), Code::kFailedPrecondition);
}

// Issue 11: a call logged by any client (warmctl log, the phone's call log,
// the calendar) settles the nudge that asked for it, as Done does.
TEST_F(EngineTest, ALiveInteractionFromAnyClientSettlesTheNudge) {
  ASSERT_TRUE(engine_.UpsertContact(Person("cy", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"cy"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  const auto nudges = RunUntil(T0(), T0() + 8 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  ASSERT_EQ(nudges[0].kind, NudgeKind::kCooling);
  const TimePoint now = T0() + 9 * kDay;
  // A meeting from a calendar backfill, long before the nudge: no answer to it.
  IngestOne(Make("old", {"cy"}, Channel::kInPerson, Direction::kMutual, T0() - 30 * kDay), now);
  EXPECT_EQ(engine_.ListNudges({}, "", 0).size(), 1u);
  // An e-mail is not the call it asks for.
  IngestOne(Make("mail", {"cy"}, Channel::kEmail, Direction::kInbound, now), now);
  EXPECT_EQ(engine_.ListNudges({}, "", 0).size(), 1u);
  IngestOne(Make("call", {"cy"}, Channel::kCall, Direction::kOutbound, now), now);
  EXPECT_TRUE(engine_.ListNudges({}, "", 0).empty());
  const NudgeState done_state[] = {NudgeState::kDone};
  const auto done = engine_.ListNudges(done_state, "", 0);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].id, nudges[0].id);
}

TEST_F(EngineTest, AReplySettlesAFollowUp) {
  ASSERT_TRUE(engine_.UpsertContact(Person("val", Circle::kNetwork), T0()).ok());
  IngestOne(Make("pitch", {"val"}, Channel::kEmail, Direction::kOutbound, T0(), {"pitch"}), T0());
  const auto nudges = RunUntil(T0(), T0() + 3 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  ASSERT_EQ(nudges[0].kind, NudgeKind::kFollowUp);
  const TimePoint now = T0() + 3 * kDay;
  IngestOne(Make("reply", {"val"}, Channel::kEmail, Direction::kInbound, now), now);
  EXPECT_TRUE(engine_.ListNudges({}, "", 0).empty());
}

TEST_F(EngineTest, SnoozeBringsTheNudgeBackAsANewOne) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  auto first = RunUntil(T0(), T0() + 7 * kDay);
  ASSERT_EQ(first.size(), 1u);
  const TimePoint now = T0() + 7 * kDay;
  ASSERT_TRUE(engine_.Snooze("ann", "", 3 * kDay, now).ok());
  EXPECT_TRUE(engine_.ListNudges({}, "", 0).empty());
  auto again = RunUntil(now, now + 10 * kDay);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0].id, first[0].id);
  EXPECT_EQ(again[0].kind, NudgeKind::kCooling);
  EXPECT_EQ(again[0].published_at, now + 3 * kDay);
  EXPECT_EQ(again[0].text,
            "It's been 10 days since you talked with ann. Time to pick up the phone.");
}

TEST_F(EngineTest, SnoozedNudgeIsDroppedWhenTheContactWasCalledMeanwhile) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  auto first = RunUntil(T0(), T0() + 7 * kDay);
  ASSERT_EQ(first.size(), 1u);
  const TimePoint now = T0() + 7 * kDay;
  ASSERT_TRUE(engine_.Snooze("", first[0].id, 3 * kDay, now).ok());
  IngestOne(Make("2", {"ann"}, Channel::kCall, Direction::kMutual, now + kDay), now + kDay);
  const auto later = RunUntil(now + kDay, now + 5 * kDay);
  EXPECT_TRUE(later.empty());
}

TEST_F(EngineTest, DismissAndUnknownIds) {
  EXPECT_EQ(engine_.Dismiss("cool-0000000000", T0()).status().code(), Code::kNotFound);
  EXPECT_EQ(engine_.Done("nobody", "", Channel::kCall, T0()).status().code(), Code::kNotFound);
  EXPECT_EQ(engine_.Snooze("ann", "", -kDay, T0()).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(engine_.Snooze("ann", "", 400 * kDay, T0()).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(engine_.RemoveContact("nobody", T0()).code(), Code::kNotFound);
}

TEST_F(EngineTest, RemovedContactsEventsStayDuplicates) {
  IngestOne(Make("1", {"x@example.com"}, Channel::kCall, Direction::kMutual, T0()), T0());
  EXPECT_OK(engine_.RemoveContact("x@example.com", T0()));
  EXPECT_FALSE(engine_.GetContact("x@example.com", T0()));
  EXPECT_EQ(IngestOne(Make("1", {"x@example.com"}, Channel::kCall, Direction::kMutual, T0()), T0())
                .outcome,
            IngestOutcome::kDuplicate);
}

// A TRIP nudge names everyone to meet: forgetting one of them rewords it for
// the others, and the journal rewrites it (text included) and erases the rest.
TEST_F(EngineTest, ForgetRewordsASharedTripNudgeWithoutTheirName) {
  for (const char* id : {"ann", "zed"}) {
    Contact c = Person(id, Circle::kClose);
    c.city = "Lisbon";
    c.display_name = std::string(id) == "zed" ? "Zed Forgotten" : "Ann Kept";
    ASSERT_TRUE(engine_.UpsertContact(c, T0()).ok());
  }
  IngestOne(Make("only-zed", {"zed"}, Channel::kCall, Direction::kMutual, T0()), T0());
  IngestOne(Make("both", {"zed", "ann"}, Channel::kVideo, Direction::kMutual, T0()), T0());
  Trip trip;
  trip.city = "Lisbon";
  trip.starts_at = T0() + 3 * kDay;
  trip.ends_at = T0() + 5 * kDay;
  ASSERT_TRUE(engine_.UpsertTrip(trip, T0()).ok());
  const std::vector<Nudge> published = RunUntil(T0(), T0() + kHour);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_NE(published[0].text.find("Zed Forgotten"), std::string::npos) << published[0].text;
  engine_.TakeJournal();

  ASSERT_OK(engine_.RemoveContact("zed", T0() + kHour, /*forget=*/true));
  const auto nudges = engine_.ListNudges({}, "", 0);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].contact_ids, std::vector<std::string>{"ann"});
  EXPECT_EQ(nudges[0].text.find("Zed"), std::string::npos) << nudges[0].text;
  EXPECT_NE(nudges[0].text.find("Ann Kept"), std::string::npos) << nudges[0].text;
  EXPECT_EQ(engine_.Counts().interactions, 1) << "the shared one stays, for ann";
  bool rewritten = false;
  bool forgotten = false;
  for (const Change& change : engine_.TakeJournal()) {
    if (const auto* n = std::get_if<NudgeRow>(&change)) {
      rewritten = n->nudge.text == nudges[0].text;
    }
    if (const auto* r = std::get_if<ContactRemoved>(&change)) {
      forgotten = r->forget;
    }
  }
  EXPECT_TRUE(rewritten);
  EXPECT_TRUE(forgotten);
}

TEST_F(EngineTest, ListIsColdestFirstThenUnsorted) {
  for (const auto& [id, channel] : {std::pair{"warm", Channel::kInPerson},
                                    {"cold", Channel::kSocial},
                                    {"mid", Channel::kEmail}}) {
    ASSERT_TRUE(engine_.UpsertContact(Person(id, Circle::kClose), T0()).ok());
    IngestOne(Make(std::string("e-") + id, {id}, channel, Direction::kOutbound, T0()), T0());
  }
  IngestOne(Make("u", {"u@example.com"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  std::vector<std::string> ids;
  for (const auto& v : engine_.ListContacts(true, 0, T0() + kDay)) {
    ids.push_back(v.contact.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"cold", "mid", "warm", "u@example.com"}));
  EXPECT_EQ(engine_.ListContacts(false, 2, T0()).size(), 2u);
}

// Warmth decays at each circle's own pace: an inner-circle friend seen
// yesterday is warmer than an acquaintance met the same day, until months
// later the order turns. The listing follows the turn without a re-sort.
TEST_F(EngineTest, ListFollowsOrderAcrossHalfLivesAsTimePasses) {
  ASSERT_TRUE(engine_.UpsertContact(Person("inner", Circle::kInner), T0()).ok());
  ASSERT_TRUE(engine_.UpsertContact(Person("acq", Circle::kAcquaintance), T0()).ok());
  IngestOne(Make("e-inner", {"inner"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  IngestOne(Make("e-acq", {"acq"}, Channel::kEmail, Direction::kOutbound, T0()), T0());
  const auto order = [this](TimePoint now) {
    std::vector<std::string> ids;
    for (const auto& v : engine_.ListContacts(false, 0, now)) {
      ids.push_back(v.contact.id);
    }
    return ids;
  };
  const auto warmth = [this](const char* id, TimePoint now) {
    return engine_.GetContact(id, now)->warmth;
  };
  ASSERT_GT(warmth("inner", T0() + kDay), warmth("acq", T0() + kDay));
  EXPECT_EQ(order(T0() + kDay), (std::vector<std::string>{"acq", "inner"}));
  TimePoint later = T0() + kDay;
  while (warmth("inner", later) >= warmth("acq", later) && later < T0() + 3 * 365 * kDay) {
    later += kDay;
  }
  ASSERT_LT(warmth("inner", later), warmth("acq", later)) << "the order never turns";
  EXPECT_EQ(order(later), (std::vector<std::string>{"inner", "acq"}));
}

// The kept order against a sort of every contact, after contacts of every
// circle and cadence are created, fed in and out of order, merged, moved
// between circles and removed.
TEST_F(EngineTest, ListOrderEqualsAFullSortAfterEveryKindOfChange) {
  std::srand(7);
  const auto pick = [](int n) { return std::rand() % n; };
  const auto check = [this](TimePoint now, std::size_t limit) {
    std::vector<ContactView> all =
        engine_.ListContacts(true, 0, now, Engine::ContactOrder::kCreation);
    std::vector<ContactView> sorted;
    std::vector<ContactView> unsorted;
    for (auto& v : all) {
      (v.contact.circle == Circle::kUnspecified ? unsorted : sorted).push_back(std::move(v));
    }
    std::sort(sorted.begin(), sorted.end(), [](const ContactView& a, const ContactView& b) {
      return a.warmth != b.warmth ? a.warmth < b.warmth : a.contact.id < b.contact.id;
    });
    std::sort(unsorted.begin(), unsorted.end(), [](const ContactView& a, const ContactView& b) {
      return a.interactions != b.interactions ? a.interactions > b.interactions
                                              : a.contact.id < b.contact.id;
    });
    std::vector<std::string> want;
    for (const auto* part : {&sorted, &unsorted}) {
      for (const auto& v : *part) {
        want.push_back(v.contact.id);
      }
    }
    if (limit > 0 && want.size() > limit) {
      want.resize(limit);
    }
    std::vector<std::string> got;
    for (const auto& v : engine_.ListContacts(true, limit, now)) {
      got.push_back(v.contact.id);
    }
    return got == want;
  };
  constexpr Channel kChannels[] = {Channel::kInPerson, Channel::kCall, Channel::kEmail,
                                   Channel::kMessage, Channel::kSocial};
  TimePoint now = T0();
  int event = 0;
  for (int step = 0; step < 600; ++step) {
    now += std::chrono::hours(1 + pick(72));
    // Half the ids share their first 8 bytes, so that ties are broken past them.
    const int n = pick(60);
    const std::string who = (n % 2 == 0 ? "p" : "person-with-a-long-id-") + std::to_string(n);
    switch (pick(10)) {
      case 0: {  // into a circle, perhaps as family or with its own cadence
        Contact c = Person(who, static_cast<Circle>(1 + pick(4)), {who + "@example.com"});
        c.family = pick(4) == 0;
        if (pick(5) == 0) {
          c.every = (10 + pick(50)) * kDay;
        }
        (void)engine_.UpsertContact(std::move(c), now);
        break;
      }
      case 1:
        (void)engine_.RemoveContact(who, now, pick(2) == 0);
        break;
      default: {  // an interaction, one in five a backfill, some to two people
        std::vector<std::string> to = {who + "@example.com"};
        if (pick(4) == 0) {
          const int m = pick(60);
          to.push_back((m % 2 == 0 ? "p" : "person-with-a-long-id-") + std::to_string(m) +
                       "@example.com");
        }
        const TimePoint at = pick(5) == 0 ? now - pick(200) * kDay : now;
        IngestOne(Make("e" + std::to_string(event++), to, kChannels[pick(5)],
                       static_cast<Direction>(1 + pick(3)), at),
                  now);
      }
    }
    if (step % 50 == 49) {
      for (const TimePoint when : {now, now + 30 * kDay, now + 400 * kDay}) {
        ASSERT_TRUE(check(when, 0)) << "step " << step;
        ASSERT_TRUE(check(when, 7)) << "step " << step;
      }
    }
  }
  EXPECT_GT(engine_.Counts().contacts, 5);
  EXPECT_GT(engine_.Counts().unsorted, 5);
}

// The kept nudge listings against a filter and sort of every nudge, by
// state and by contact, while nudges are published, done, snoozed, come
// back, dismissed, merged into another contact and removed with theirs.
TEST_F(EngineTest, NudgeListingsEqualAFilterOfEveryNudge) {
  std::srand(11);
  const auto pick = [](int n) { return std::rand() % n; };
  for (int i = 0; i < 25; ++i) {
    const std::string id = "n" + std::to_string(i);
    ASSERT_TRUE(
        engine_
            .UpsertContact(Person(id, static_cast<Circle>(1 + i % 3), {id + "@example.com"}), T0())
            .ok());
    IngestOne(Make("first-" + id, {id}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  }
  const auto check = [this](std::span<const NudgeState> states, const std::string& key,
                            std::size_t limit) {
    const auto wanted = [&](NudgeState state) {
      return states.empty() ? state == NudgeState::kPending
                            : std::find(states.begin(), states.end(), state) != states.end();
    };
    std::string id;
    if (!key.empty()) {
      const auto v = engine_.GetContact(key, T0());
      id = v ? v->contact.id : "";
    }
    std::vector<Nudge> all = engine_.AllNudges();
    std::erase_if(all, [&](const Nudge& n) {
      return !wanted(n.state) ||
             (!key.empty() &&
              std::find(n.contact_ids.begin(), n.contact_ids.end(), id) == n.contact_ids.end());
    });
    std::sort(all.begin(), all.end(), [](const Nudge& a, const Nudge& b) {
      return a.published_at != b.published_at ? a.published_at > b.published_at : a.id < b.id;
    });
    if (limit > 0 && all.size() > limit) {
      all.resize(limit);
    }
    std::vector<std::string> want;
    for (const Nudge& n : all) {
      want.push_back(n.id);
    }
    std::vector<std::string> got;
    for (const Nudge& n : engine_.ListNudges(states, key, limit)) {
      got.push_back(n.id);
    }
    return got == want;
  };
  constexpr NudgeState kEvery[] = {NudgeState::kPending, NudgeState::kDone, NudgeState::kSnoozed,
                                   NudgeState::kDismissed};
  TimePoint now = T0();
  std::size_t seen = 0;
  for (int round = 0; round < 40; ++round) {
    const TimePoint next = now + (2 + pick(6)) * kDay;
    seen += RunUntil(now, next).size();
    now = next;
    const auto open = engine_.ListNudges({}, "", 0);
    for (const Nudge& n : open) {
      switch (pick(5)) {
        case 0:
          (void)engine_.Done("", n.id, Channel::kCall, now);
          break;
        case 1:
          (void)engine_.Snooze("", n.id, (1 + pick(5)) * kDay, now);
          break;
        case 2:
          (void)engine_.Dismiss(n.id, now);
          break;
        default:
          break;
      }
    }
    const std::string who = "n" + std::to_string(pick(25));
    if (pick(6) == 0) {
      (void)engine_.RemoveContact(who, now, pick(2) == 0);
    } else if (pick(5) == 0) {  // an unsorted contact with nudges of its own merges into `who`
      const std::string stray = "stray" + std::to_string(round) + "@example.com";
      IngestOne(
          Make("s" + std::to_string(round), {stray}, Channel::kCall, Direction::kInbound, now, {}),
          now);
      (void)engine_.UpsertContact(Person(who, Circle::kClose, {who + "@example.com", stray}), now);
    }
    for (const std::string key : {"", "n3", "n7@example.com", "n12"}) {
      ASSERT_TRUE(check({}, key, 0)) << "round " << round << " key " << key;
      ASSERT_TRUE(check(kEvery, key, 0)) << "round " << round << " key " << key;
      ASSERT_TRUE(check(std::span(kEvery).subspan(1, 2), key, 3)) << "round " << round;
    }
  }
  EXPECT_GT(seen, 25u);
}

// The rows the daemon publishes as nudge.closed once committed: state
// changes only, not a publication or a merge that rewrites the row.
TEST_F(EngineTest, JournalMarksTheStateChangesOfPublishedNudges) {
  const auto nudge_rows = [this] {
    std::vector<NudgeRow> rows;
    for (const Change& change : engine_.TakeJournal()) {
      if (const auto* n = std::get_if<NudgeRow>(&change)) {
        rows.push_back(*n);
      }
    }
    return rows;
  };
  IngestOne(Make("p1", {"zed@example.com"}, Channel::kEmail, Direction::kOutbound, T0(), {"pitch"}),
            T0());
  const auto published = RunUntil(T0(), T0() + 3 * kDay);
  ASSERT_EQ(published.size(), 1u);
  ASSERT_EQ(published[0].kind, NudgeKind::kFollowUp);
  auto rows = nudge_rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].state_changed) << "published, not changed";

  Contact zed = Person("zed", Circle::kClose, {"zed@example.com"});
  zed.display_name = "Zed Ray";
  ASSERT_TRUE(engine_.UpsertContact(zed, T0() + 3 * kDay).ok());  // adopts the nudge
  rows = nudge_rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].nudge.state, NudgeState::kPending);
  EXPECT_FALSE(rows[0].state_changed) << "rewritten by the merge, not changed";

  ASSERT_TRUE(engine_.Done("zed", "", Channel::kCall, T0() + 3 * kDay).ok());
  rows = nudge_rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].nudge.id, published[0].id);
  EXPECT_EQ(rows[0].nudge.state, NudgeState::kDone);
  EXPECT_TRUE(rows[0].state_changed);
  EXPECT_EQ(rows[0].nudge.contact_names, (std::vector<std::string>{"Zed Ray"}));
}

// A nudge carries each contact's number, so that a client with only the
// notify role (warmth-push on a phone) can offer to call without GetContact.
TEST_F(EngineTest, NudgesCarryEachContactsPhoneNumber) {
  ASSERT_TRUE(
      engine_
          .UpsertContact(Person("bob", Circle::kClose, {"bob@example.com", "tel:+1 202 555 0100"}),
                         T0())
          .ok());
  ASSERT_TRUE(engine_.UpsertContact(Person("cy", Circle::kClose, {"cy@example.com"}), T0()).ok());
  IngestOne(Make("b", {"bob"}, Channel::kCall, Direction::kMutual, T0()), T0());
  IngestOne(Make("c", {"cy"}, Channel::kCall, Direction::kMutual, T0()), T0());
  engine_.TakeJournal();
  const auto published = RunUntil(T0(), T0() + 60 * kDay);
  std::map<std::string, std::vector<std::string>> phones;
  for (const Nudge& n : published) {
    phones[n.contact_ids.at(0)] = n.contact_phones;
  }
  EXPECT_EQ(phones["bob"], (std::vector<std::string>{"+12025550100"}));
  EXPECT_TRUE(phones.contains("cy"));
  EXPECT_EQ(phones["cy"], (std::vector<std::string>{})) << "no number, no list of empty ones";

  // And as read back (nudges, nudge.closed), not only when published.
  ASSERT_TRUE(engine_.Done("bob", "", Channel::kCall, T0() + 60 * kDay).ok());
  bool seen = false;
  for (const Change& change : engine_.TakeJournal()) {
    if (const auto* row = std::get_if<NudgeRow>(&change);
        row != nullptr && row->nudge.contact_ids.at(0) == "bob") {
      EXPECT_EQ(row->nudge.contact_phones, (std::vector<std::string>{"+12025550100"}));
      seen = true;
    }
  }
  EXPECT_TRUE(seen) << "Done journals bob's nudge";
}

// Stores written before phone numbers were read with libphonenumber hold
// "tel:0171 1234567" as "+01711234567": on load they are respelled, so the
// person is found by the number again.
TEST(EngineLoad, OldPhoneSpellingsAreRespelledInTheRegion) {
  Engine engine(ImmediateOptions(), nullptr, base::PhoneNormalizerFor("DE"));
  engine.LoadContact(
      ContactRow{1, Person("ann", Circle::kClose, {"ann@example.com", "+01711234567"}), {}, T0()});
  engine.LoadContact(ContactRow{2, Person("bob", Circle::kClose, {"+4903012345678"}), {}, T0()});
  // An unsorted contact named by its old spelling keeps its id.
  engine.LoadContact(
      ContactRow{3, Person("+01729876543", Circle::kUnspecified, {"+01729876543"}), {}, T0()});
  engine.LoadContact(ContactRow{4, Person("cy", Circle::kClose, {"+15550100"}), {}, T0()});
  engine.FinishLoad(T0());
  EXPECT_EQ(engine.GetContact("ann", T0())->contact.identifiers,
            (std::vector<std::string>{"ann@example.com", "+491711234567"}));
  EXPECT_EQ(engine.GetContact("bob", T0())->contact.identifiers,
            std::vector<std::string>{"+493012345678"});
  EXPECT_EQ(engine.GetContact("cy", T0())->contact.identifiers,
            std::vector<std::string>{"+15550100"})
      << "a spelling that does not read is kept";
  Interaction call = Make("1", {"tel:+49 171 1234567"}, Channel::kCall, Direction::kMutual, T0());
  EXPECT_EQ(engine.Ingest({&call, 1}, T0()).front().contact_ids, std::vector<std::string>{"ann"});
  call = Make("2", {"tel:0172 9876543"}, Channel::kCall, Direction::kMutual, T0());
  EXPECT_EQ(engine.Ingest({&call, 1}, T0()).front().contact_ids,
            std::vector<std::string>{"+01729876543"});
  EXPECT_EQ(engine.GetContact("+01729876543", T0())->interactions, 1) << "still found by its id";
  EXPECT_EQ(engine.Counts().unsorted, 1);
  // The new spellings are journaled, for the store to take when it writes.
  int rows = 0;
  for (const Change& change : engine.TakeJournal()) {
    rows += std::holds_alternative<ContactRow>(change) ? 1 : 0;
  }
  EXPECT_GE(rows, 3);
}

TEST(EngineLoad, ARespellingAnotherContactHoldsIsLeftAlone) {
  Engine engine(ImmediateOptions(), nullptr, base::PhoneNormalizerFor("DE"));
  engine.LoadContact(ContactRow{1, Person("old", Circle::kClose, {"+01711234567"}), {}, T0()});
  engine.LoadContact(ContactRow{2, Person("new", Circle::kClose, {"+491711234567"}), {}, T0()});
  engine.FinishLoad(T0());
  EXPECT_EQ(engine.GetContact("old", T0())->contact.identifiers,
            std::vector<std::string>{"+01711234567"})
      << "two contacts for one number: the user merges them, warmth does not guess";
  EXPECT_EQ(engine.GetContact("tel:0171 1234567", T0())->contact.id, "new");
}

TEST(EngineLoad, WithoutARegionNationalOldSpellingsStay) {
  Engine engine(ImmediateOptions(), nullptr, base::PhoneNormalizerFor(""));
  engine.LoadContact(
      ContactRow{1, Person("ann", Circle::kClose, {"+01711234567", "+4901711234567"}), {}, T0()});
  engine.FinishLoad(T0());
  EXPECT_EQ(engine.GetContact("ann", T0())->contact.identifiers,
            (std::vector<std::string>{"+01711234567", "+491711234567"}));
}

TEST_F(EngineTest, ListInCreationOrderIsTheOrderTheEngineMetThem) {
  ASSERT_TRUE(engine_.UpsertContact(Person("zed", Circle::kClose), T0()).ok());
  IngestOne(Make("u", {"u@example.com"}, Channel::kEmail, Direction::kInbound, T0()), T0());
  ASSERT_TRUE(engine_.UpsertContact(Person("amy", Circle::kInner), T0()).ok());
  IngestOne(Make("v", {"v@example.com"}, Channel::kEmail, Direction::kInbound, T0()), T0());
  // Adopting u@example.com keeps zed's place; u's is gone.
  ASSERT_TRUE(
      engine_.UpsertContact(Person("zed", Circle::kClose, {"u@example.com"}), T0() + kDay).ok());
  std::vector<std::string> ids;
  for (const auto& v :
       engine_.ListContacts(true, 0, T0() + kDay, Engine::ContactOrder::kCreation)) {
    ids.push_back(v.contact.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"zed", "amy", "v@example.com"}));
  EXPECT_EQ(engine_.ListContacts(false, 0, T0(), Engine::ContactOrder::kCreation).size(), 2u);
  EXPECT_EQ(engine_.ListContacts(true, 1, T0(), Engine::ContactOrder::kCreation)[0].contact.id,
            "zed");
}

TEST_F(EngineTest, JournalReplayedIntoAFreshEngineGivesTheSameState) {
  // What the store does across a restart, without the store: every change
  // the engine journaled, loaded into a new engine, gives the same answers.
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner, {"ann@example.com"}), T0()).ok());
  IngestOne(Make("1", {"ann@example.com"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  IngestOne(Make("2", {"zed@example.com"}, Channel::kEmail, Direction::kInbound, T0()), T0());
  const auto published = RunUntil(T0(), T0() + 8 * kDay);
  ASSERT_EQ(published.size(), 1u);
  Engine fresh(ImmediateOptions(), nullptr);
  for (const Change& change : engine_.TakeJournal()) {
    if (const auto* c = std::get_if<ContactRow>(&change)) {
      fresh.LoadContact(*c);
    } else if (const auto* i = std::get_if<InteractionRow>(&change)) {
      fresh.LoadEventId(i->interaction.event_id);
      for (auto cid : i->cids) {
        fresh.LoadEvent(cid, Event{*i->interaction.occurred_at, i->interaction.channel,
                                   i->interaction.direction, i->pitch, i->new_thread});
      }
    } else if (const auto* n = std::get_if<NudgeRow>(&change)) {
      fresh.LoadNudge(n->nudge);
    }
  }
  const TimePoint now = T0() + 8 * kDay;
  fresh.FinishLoad(now);
  EXPECT_EQ(fresh.GetContact("ann", now)->cools_at, engine_.GetContact("ann", now)->cools_at);
  EXPECT_DOUBLE_EQ(fresh.GetContact("ann", now)->warmth, engine_.GetContact("ann", now)->warmth);
  EXPECT_EQ(fresh.ListNudges({}, "", 0).size(), 1u);
  EXPECT_EQ(fresh.Counts().interactions, 2);
  // And the published nudge is not published again.
  EXPECT_TRUE(testing::TickUntil(fresh, now, now + 30 * kDay, kDay).empty());
}

// --- Each relationship's own rhythm (issue 16) ---------------------------

TEST_F(EngineTest, ACadenceSetOnAContactReplacesItsCirclesHalfLife) {
  Contact mum = Person("mum", Circle::kNetwork);  // network alone: 180 d
  mum.every = 7 * kDay;
  ASSERT_TRUE(engine_.UpsertContact(mum, T0()).ok());
  IngestOne(Make("1", {"mum"}, Channel::kCall, Direction::kOutbound, T0()), T0());
  const auto nudges = RunUntil(T0(), T0() + 30 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].kind, NudgeKind::kCooling);
  // One call cools after the cadence, to the minute.
  EXPECT_LE(std::abs((nudges[0].due_at - (T0() + 7 * kDay)).count()), kMinute.count());
  const auto view = engine_.GetContact("mum", T0());
  EXPECT_EQ(view->cadence_source, CadenceSource::kContact);
  EXPECT_EQ(view->every, 7 * kDay);
}

TEST(EngineCadence, ATagCadenceFromTheConfigAppliesToTaggedContacts) {
  EngineOptions options = ImmediateOptions();
  options.cadence.tags = {{"mentor", 90 * kDay}};
  Engine engine(options, nullptr);
  engine.FinishLoad(T0());
  Contact lee = Person("lee", Circle::kInner);  // inner alone: 7 d
  lee.tags = {"Mentor"};
  ASSERT_TRUE(engine.UpsertContact(lee, T0()).ok());
  Interaction in = Make("1", {"lee"}, Channel::kCall, Direction::kOutbound, T0());
  engine.Ingest(std::span<const Interaction>(&in, 1), T0());
  const auto view = engine.GetContact("lee", T0());
  EXPECT_EQ(view->cadence_source, CadenceSource::kTag);
  EXPECT_EQ(view->cadence_tag, "mentor");
  const auto nudges = testing::RunUntil(engine, T0(), T0() + 120 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_GE(nudges[0].due_at, T0() + 90 * kDay - kMinute);
  EXPECT_LE(nudges[0].due_at, T0() + 90 * kDay + kMinute);
}

TEST_F(EngineTest, PastTheMaximumAStrongerCoolingFollows) {
  Contact mum = Person("mum", Circle::kClose);
  mum.every = 7 * kDay;
  mum.every_max = 14 * kDay;
  ASSERT_TRUE(engine_.UpsertContact(mum, T0()).ok());
  IngestOne(Make("1", {"mum"}, Channel::kCall, Direction::kOutbound, T0()), T0());
  const auto nudges = RunUntil(T0(), T0() + 60 * kDay);
  ASSERT_EQ(nudges.size(), 2u);
  EXPECT_EQ(nudges[0].kind, NudgeKind::kCooling);
  EXPECT_EQ(nudges[1].kind, NudgeKind::kCooling);
  EXPECT_EQ(nudges[1].due_at, T0() + 14 * kDay);
  EXPECT_EQ(nudges[1].text,
            "It's been 14 days since you talked with mum, longer than you wanted. Time to pick "
            "up the phone.");
  EXPECT_NE(nudges[0].id, nudges[1].id);
}

TEST_F(EngineTest, AnInvalidCadenceIsRefusedWithItsField) {
  Contact c = Person("x", Circle::kClose);
  c.every = kHour;
  EXPECT_NE(engine_.UpsertContact(c, T0()).status().message().find("contact.every"),
            std::string::npos);
  c.every = 14 * kDay;
  c.every_max = 7 * kDay;
  EXPECT_NE(engine_.UpsertContact(c, T0()).status().message().find("contact.every_max"),
            std::string::npos);
}

TEST_F(EngineTest, AContactWhoNeverAnswersIsNotProposedDuringTheCooldown) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  for (int i = 1; i <= 3; ++i) {
    IngestOne(Make("m" + std::to_string(i), {"ann"}, Channel::kMessage, Direction::kOutbound,
                   T0() + i * kHour),
              T0() + i * kHour);
  }
  const TimePoint one_sided = T0() + 3 * kHour;
  EXPECT_EQ(engine_.GetContact("ann", one_sided)->one_sided_until, one_sided + 60 * kDay);
  // Without the guard ann cools after about a week; with it, not before the
  // 60 days are over.
  const auto nudges = RunUntil(one_sided, one_sided + 90 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].kind, NudgeKind::kCooling);
  EXPECT_EQ(nudges[0].published_at, one_sided + 60 * kDay);
  EXPECT_LT(nudges[0].due_at, one_sided + 10 * kDay) << "due when it cooled, held until then";
}

TEST_F(EngineTest, AReplyClearsOneSided) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  for (int i = 1; i <= 3; ++i) {
    IngestOne(Make("m" + std::to_string(i), {"ann"}, Channel::kEmail, Direction::kOutbound,
                   T0() + i * kHour),
              T0() + i * kHour);
  }
  EXPECT_TRUE(engine_.GetContact("ann", T0() + kDay)->one_sided_until);
  IngestOne(Make("r", {"ann"}, Channel::kEmail, Direction::kInbound, T0() + kDay), T0() + kDay);
  EXPECT_FALSE(engine_.GetContact("ann", T0() + kDay)->one_sided_until);
  const auto nudges = RunUntil(T0() + kDay, T0() + 30 * kDay);
  ASSERT_EQ(nudges.size(), 1u) << "cools as usual again";
  EXPECT_LT(nudges[0].due_at, T0() + 10 * kDay);
}

TEST_F(EngineTest, TwoUnansweredMessagesAreNotOneSided) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ann", Circle::kInner), T0()).ok());
  IngestOne(Make("1", {"ann"}, Channel::kInPerson, Direction::kMutual, T0()), T0());
  IngestOne(Make("m1", {"ann"}, Channel::kMessage, Direction::kOutbound, T0() + kHour), T0());
  IngestOne(Make("m2", {"ann"}, Channel::kMessage, Direction::kOutbound, T0() + kHour), T0());
  EXPECT_FALSE(engine_.GetContact("ann", T0() + kDay)->one_sided_until);
}

// Calls every 9 days with a network contact (half-life 180 d), then silence.
void NineDayCalls(Engine& engine, const std::string& id, int calls) {
  for (int i = 0; i < calls; ++i) {
    const TimePoint at = T0() + i * 9 * kDay;
    Interaction in = Make(id + std::to_string(i), {id}, Channel::kCall, Direction::kMutual, at);
    engine.Ingest(std::span<const Interaction>(&in, 1), at);
  }
}

TEST_F(EngineTest, ARhythmBreakNudgesWithTheFacts) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ana", Circle::kNetwork), T0()).ok());
  NineDayCalls(engine_, "ana", 5);  // four gaps of 9 days
  const TimePoint last = T0() + 36 * kDay;
  EXPECT_EQ(engine_.GetContact("ana", last)->usual_gap, 9 * kDay);
  const auto nudges = RunUntil(last, last + 60 * kDay);
  ASSERT_GE(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].kind, NudgeKind::kRhythm);
  EXPECT_EQ(nudges[0].due_at, last + 27 * kDay);
  EXPECT_EQ(nudges[0].text, "You usually talk with ana every 9 days; it has been 27.");
  EXPECT_EQ(nudges[0].suggested_channel, Channel::kCall);
}

TEST_F(EngineTest, NoRhythmBeforeMinGapsNorForUnsortedContacts) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ana", Circle::kNetwork), T0()).ok());
  NineDayCalls(engine_, "ana", 4);  // three gaps
  for (int i = 0; i < 6; ++i) {
    const TimePoint at = T0() + i * 9 * kDay;
    IngestOne(
        Make("u" + std::to_string(i), {"u@example.com"}, Channel::kCall, Direction::kMutual, at),
        at);
  }
  for (const Nudge& n : RunUntil(T0() + 45 * kDay, T0() + 120 * kDay)) {
    EXPECT_NE(n.kind, NudgeKind::kRhythm) << n.text;
  }
}

TEST_F(EngineTest, ARhythmNeverNudgesLaterThanTheCircle) {
  // Inner circle: a call every 9 days cools within a week of the last one,
  // long before 3 × 9 days; COOLING comes, RHYTHM does not.
  ASSERT_TRUE(engine_.UpsertContact(Person("ana", Circle::kInner), T0()).ok());
  NineDayCalls(engine_, "ana", 6);
  const TimePoint last = T0() + 45 * kDay;
  const auto nudges = RunUntil(last, last + 60 * kDay);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].kind, NudgeKind::kCooling);
  EXPECT_LT(nudges[0].due_at, last + 27 * kDay);
}

// Someone you write to every day: the usual gap is a day, but three quiet
// days are no broken tie. RHYTHM waits for rules.rhythm.min_silence (7 d).
TEST_F(EngineTest, ARhythmWaitsAtLeastTheMinimumSilence) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ana", Circle::kNetwork), T0()).ok());
  for (int i = 0; i < 10; ++i) {
    const TimePoint at = T0() + i * (kDay + kHour);
    IngestOne(Make("d" + std::to_string(i), {"ana"}, Channel::kMessage, Direction::kMutual, at),
              at);
  }
  const TimePoint last = T0() + 9 * (kDay + kHour);
  EXPECT_EQ(engine_.GetContact("ana", last)->usual_gap, kDay + kHour);
  std::vector<Nudge> rhythm;
  for (const Nudge& n : RunUntil(last, last + 30 * kDay)) {
    if (n.kind == NudgeKind::kRhythm) {
      rhythm.push_back(n);
    }
  }
  ASSERT_EQ(rhythm.size(), 1u);
  EXPECT_EQ(rhythm[0].due_at, last + 7 * kDay) << "not at 3 × 25 h";
  EXPECT_EQ(rhythm[0].text, "You usually talk with ana every day; it has been 7.");
}

TEST_F(EngineTest, ACallSettlesARhythmNudge) {
  ASSERT_TRUE(engine_.UpsertContact(Person("ana", Circle::kNetwork), T0()).ok());
  NineDayCalls(engine_, "ana", 5);
  const TimePoint due = T0() + 63 * kDay;
  ASSERT_EQ(RunUntil(T0() + 36 * kDay, due + kMinute).size(), 1u);
  IngestOne(Make("back", {"ana"}, Channel::kCall, Direction::kOutbound, due + kHour), due + kHour);
  const auto open = engine_.ListNudges({}, "ana", 0);
  EXPECT_TRUE(open.empty()) << "the call answered it";
}

}  // namespace
}  // namespace warmth::core
