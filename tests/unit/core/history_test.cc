#include "daemon/core/history.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "tests/support/support.h"

namespace warmth::core {
namespace {

using warmth::testing::T0;

FoldParams Params(const ModelOptions& m, Duration half_life) {
  return FoldParams{&m, half_life, 5, 30};
}

std::vector<Event> RandomEvents(int n, std::mt19937& rng) {
  std::uniform_int_distribution<int> minutes(0, 365 * 24 * 60);
  std::uniform_int_distribution<int> channel(1, kChannelCount - 1);
  std::uniform_int_distribution<int> direction(0, kDirectionCount - 1);
  std::vector<Event> events;
  for (int i = 0; i < n; ++i) {
    events.push_back(Event{T0() + std::chrono::minutes(minutes(rng)),
                           static_cast<Channel>(channel(rng)),
                           static_cast<Direction>(direction(rng)), i % 7 == 0, i % 5 == 0});
  }
  return events;
}

void ExpectSameSummary(const Summary& a, const Summary& b) {
  EXPECT_NEAR(a.warmth, b.warmth, 1e-9);
  EXPECT_EQ(a.last_at, b.last_at);
  EXPECT_EQ(a.last_live_at, b.last_live_at);
  EXPECT_EQ(a.streak, b.streak);
  EXPECT_EQ(a.streak_ready_at, b.streak_ready_at);
  EXPECT_EQ(a.last_pitch_at, b.last_pitch_at);
  EXPECT_EQ(a.last_pitch_channel, b.last_pitch_channel);
  EXPECT_EQ(a.last_reply_at, b.last_reply_at);
}

TEST(History, OutOfOrderGivesTheInOrderResult) {
  const ModelOptions m;
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::vector<Event> events = RandomEvents(200, rng);
    std::vector<Event> sorted = events;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Event& a, const Event& b) { return a.at < b.at; });
    History in_order;
    for (const Event& e : sorted) {
      in_order.Add(e, Params(m, 30 * kDay));
    }
    History shuffled;
    for (const Event& e : events) {
      shuffled.Add(e, Params(m, 30 * kDay));
    }
    ExpectSameSummary(in_order.Refresh(Params(m, 30 * kDay)),
                      shuffled.Refresh(Params(m, 30 * kDay)));
  }
}

TEST(History, LoadedEventsGiveWhatAddingThemGives) {
  // A restart hands each contact's stored events over at once; a history
  // loaded in two parts (a merge's events after its own) is merged in time
  // order. Either way: the events and the summary of adding them one by one.
  const ModelOptions m;
  std::mt19937 rng(11);
  for (int round = 0; round < 10; ++round) {
    std::vector<Event> events = RandomEvents(120, rng);
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.at < b.at; });
    History added;
    for (const Event& e : events) {
      added.Add(e, Params(m, 30 * kDay));
    }
    History loaded;
    loaded.Load(events);
    EXPECT_TRUE(loaded.stale());
    EXPECT_EQ(std::vector<Event>(loaded.events().begin(), loaded.events().end()), events);
    ExpectSameSummary(loaded.Refresh(Params(m, 30 * kDay)), added.Refresh(Params(m, 30 * kDay)));

    std::vector<Event> odd;
    std::vector<Event> even;
    for (std::size_t i = 0; i < events.size(); ++i) {
      (i % 2 == 0 ? even : odd).push_back(events[i]);
    }
    History halves;
    halves.Load(even);
    halves.Load(odd);
    ASSERT_EQ(halves.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(halves.events()[i].at, events[i].at) << i;
    }
    ExpectSameSummary(halves.Refresh(Params(m, 30 * kDay)), added.Refresh(Params(m, 30 * kDay)));
  }
}

TEST(History, BackfillOfOldEventChangesWarmthExactly) {
  const ModelOptions m;
  History h;
  h.Add(Event{T0(), Channel::kCall, Direction::kMutual}, Params(m, 7 * kDay));
  h.Add(Event{T0() + 7 * kDay, Channel::kEmail, Direction::kOutbound}, Params(m, 7 * kDay));
  // A call a week before the first: in order it would have come first.
  h.Add(Event{T0() - 7 * kDay, Channel::kCall, Direction::kMutual}, Params(m, 7 * kDay));
  EXPECT_TRUE(h.stale());
  double w = ApplyGain(0, 45);
  w = ApplyGain(Decay(w, 7 * kDay, 7 * kDay), 45);
  w = ApplyGain(Decay(w, 7 * kDay, 7 * kDay), 8);
  EXPECT_NEAR(h.Refresh(Params(m, 7 * kDay)).warmth, w, 1e-9);
}

TEST(History, InOrderAppendsStayIncremental) {
  const ModelOptions m;
  History h;
  h.Add(Event{T0(), Channel::kCall, Direction::kMutual}, Params(m, 7 * kDay));
  h.Refresh(Params(m, 7 * kDay));
  h.Add(Event{T0() + kDay, Channel::kEmail, Direction::kInbound}, Params(m, 7 * kDay));
  EXPECT_FALSE(h.stale());
  EXPECT_NEAR(h.summary().warmth, ApplyGain(Decay(45, kDay, 7 * kDay), 4), 1e-9);
}

TEST(History, NewHalfLifeRefoldsEverything) {
  const ModelOptions m;
  History h;
  h.Add(Event{T0(), Channel::kInPerson, Direction::kMutual}, Params(m, 7 * kDay));
  h.Add(Event{T0() + 14 * kDay, Channel::kSocial, Direction::kOutbound}, Params(m, 7 * kDay));
  const double inner = h.Refresh(Params(m, 7 * kDay)).warmth;
  const double network = h.Refresh(Params(m, 180 * kDay)).warmth;
  EXPECT_NEAR(inner, ApplyGain(15, 2), 1e-9);
  EXPECT_GT(network, inner);
}

TEST(History, StreakCountsConversationSinceLastLive) {
  const ModelOptions m;
  History h;
  const auto p = Params(m, 30 * kDay);
  h.Add(Event{T0(), Channel::kCall, Direction::kMutual}, p);
  for (int i = 1; i <= 4; ++i) {
    h.Add(Event{T0() + i * kDay, Channel::kEmail, Direction::kOutbound}, p);
  }
  h.Add(Event{T0() + 5 * kDay, Channel::kSocial, Direction::kInbound}, p);  // a like: no
  EXPECT_EQ(h.Refresh(p).streak, 4);
  EXPECT_FALSE(h.summary().streak_ready_at);  // five needed, and one inbound
  h.Add(Event{T0() + 6 * kDay, Channel::kMessage, Direction::kInbound}, p);
  EXPECT_EQ(h.Refresh(p).streak, 5);
  EXPECT_EQ(h.summary().streak_ready_at, T0() + 6 * kDay);
  h.Add(Event{T0() + 7 * kDay, Channel::kVideo, Direction::kMutual}, p);
  EXPECT_EQ(h.Refresh(p).streak, 0);
  EXPECT_FALSE(h.summary().streak_ready_at);
}

Event NewThread(TimePoint at) {
  return Event{at, Channel::kEmail, Direction::kOutbound, false, true};
}

TEST(History, ANewThreadIsAPitchOnlyToSomeoneWhoNeverWroteBefore) {
  const ModelOptions m;
  const auto p = Params(m, 90 * kDay);
  History cold;
  cold.Add(Event{T0(), Channel::kEmail, Direction::kOutbound}, p);  // no answer: still cold
  cold.Add(NewThread(T0() + kDay), p);
  EXPECT_EQ(cold.Refresh(p).last_pitch_at, T0() + kDay);
  EXPECT_EQ(cold.summary().last_pitch_channel, Channel::kEmail);

  // Anything that sets last_reply_at before it makes it an ordinary e-mail:
  // an inbound or mutual message, e-mail or letter, or a live interaction.
  const Event earlier[] = {{T0(), Channel::kEmail, Direction::kInbound},
                           {T0(), Channel::kMessage, Direction::kMutual},
                           {T0(), Channel::kLetter, Direction::kInbound},
                           {T0(), Channel::kCall, Direction::kOutbound},
                           {T0(), Channel::kInPerson, Direction::kMutual}};
  for (const Event& e : earlier) {
    History warm;
    warm.Add(e, p);
    warm.Add(NewThread(T0() + kDay), p);
    EXPECT_FALSE(warm.Refresh(p).last_pitch_at) << Name(e.channel) << " " << Name(e.direction);
  }
  // A "like" is not writing to you.
  History liked;
  liked.Add(Event{T0(), Channel::kSocial, Direction::kInbound}, p);
  liked.Add(NewThread(T0() + kDay), p);
  EXPECT_EQ(liked.Refresh(p).last_pitch_at, T0() + kDay);
  // A reply after it does not undo the pitch (FollowUpCandidate sees the reply).
  History answered;
  answered.Add(NewThread(T0()), p);
  answered.Add(Event{T0() + kDay, Channel::kEmail, Direction::kInbound}, p);
  EXPECT_EQ(answered.Refresh(p).last_pitch_at, T0());
  EXPECT_EQ(answered.summary().last_reply_at, T0() + kDay);
}

TEST(History, AnOlderReplyBackfilledLaterUndoesAColdPitch) {
  const ModelOptions m;
  const auto p = Params(m, 90 * kDay);
  History h;
  h.Add(NewThread(T0()), p);
  EXPECT_EQ(h.Refresh(p).last_pitch_at, T0());
  h.Add(Event{T0() - 300 * kDay, Channel::kEmail, Direction::kInbound}, p);
  EXPECT_FALSE(h.Refresh(p).last_pitch_at);
}

TEST(History, ColdOutreachOffMakesANewThreadAnOrdinaryEmail) {
  const ModelOptions m;
  auto p = Params(m, 90 * kDay);
  History h;
  h.Add(NewThread(T0()), p);
  h.Add(Event{T0() + kDay, Channel::kMessage, Direction::kOutbound, true}, p);  // tagged
  EXPECT_EQ(h.Refresh(p).last_pitch_at, T0() + kDay);
  EXPECT_EQ(h.summary().last_pitch_channel, Channel::kMessage);
  p.cold_outreach = false;
  History off;
  off.Add(NewThread(T0()), p);
  EXPECT_FALSE(off.Refresh(p).last_pitch_at);
  // Changing the setting refolds what was folded with the other one.
  EXPECT_EQ(off.Refresh(Params(m, 90 * kDay)).last_pitch_at, T0());
}

TEST(History, BetweenIsInclusive) {
  const ModelOptions m;
  History h;
  for (int i = 0; i < 10; ++i) {
    h.Add(Event{T0() + i * kDay, Channel::kEmail, Direction::kOutbound}, Params(m, kDay));
  }
  EXPECT_EQ(h.Between(T0() + 2 * kDay, T0() + 5 * kDay).size(), 4u);
  EXPECT_EQ(h.Between(T0() + 20 * kDay, T0() + 30 * kDay).size(), 0u);
}

}  // namespace
}  // namespace warmth::core
