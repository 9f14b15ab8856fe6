#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/core/calendar.h"
#include "daemon/core/history.h"
#include "daemon/core/time.h"
#include "daemon/core/types.h"

namespace warmth::core {

// [rules] in warmth.toml.
struct RuleOptions {
  struct OnlineOnly {
    int min_streak = 5;                // online interactions since the last live one
    Duration no_live_for = 90 * kDay;  // and no live interaction for this long
    // and the latest message this recent: an exchange that is alive, not an
    // old thread brought in by a backfill
    Duration active_within = 30 * kDay;
  } online_only;
  struct FollowUp {
    Duration after = 2 * kDay;  // nudge when a pitch is unanswered this long
    std::vector<std::string> tags = {"pitch", "follow-up"};
    // A follow-up still unsent this long after it fell due is dropped: a
    // backfill of old mail must not nag about pitches from years ago.
    Duration expire = 14 * kDay;
    // An OUTBOUND e-mail tagged kNewThreadTag to someone who has never
    // written to you (or spoken with you) before it is a pitch too.
    bool cold_outreach = true;
  } follow_up;
  struct TripRule {
    Duration lead = 7 * kDay;  // nudge this long before the trip starts
    int max_contacts = 10;
  } trip;
  struct WeekendCall {
    bool enabled = true;
    WeeklyTime at;                     // Fri 15:00
    Duration window = 90 * kDay;       // count online interactions this far back
    Duration no_live_for = 30 * kDay;  // candidates had no live interaction this long
  } weekend_call;
  struct BirthdayRule {
    std::chrono::minutes at = std::chrono::hours(9);
  } birthday;
  struct CallBack {
    bool enabled = true;
    // Nudge when an INBOUND missed call has had no live interaction this long.
    Duration after = 2 * kHour;
    // Only for calls this recent: an imported old call log raises nothing.
    Duration within = 2 * kDay;
  } call_back;
  struct RhythmRule {
    double factor = 3.0;  // nudge when the silence exceeds factor × the usual gap
    int min_gaps = 4;     // trust the usual gap after this many gaps
    // Never sooner than this silence: three quiet days with someone you
    // write to daily are not a broken tie.
    Duration min_silence = 7 * kDay;
  } rhythm;
  struct Reciprocity {
    int unanswered = 3;             // unanswered outbound messages make a contact one-sided
    Duration cooldown = 60 * kDay;  // for this long, no COOLING, ONLINE_ONLY, WEEKEND_CALL
  } reciprocity;
};

// The tag of an e-mail that opened a thread (no In-Reply-To, no References),
// set by warmth-mail; see RuleOptions::FollowUp::cold_outreach.
inline constexpr std::string_view kNewThreadTag = "new-thread";

// A rule's verdict for one occasion: which nudge, when it falls due, and when
// it stops making sense (a birthday is over, a trip has ended).
struct Candidate {
  NudgeKind kind = NudgeKind::kUnspecified;
  std::string key;  // identity of the occasion; equal keys are one nudge
  TimePoint due_at;
  std::optional<TimePoint> expires_at;
  friend bool operator==(const Candidate&, const Candidate&) = default;
};

using IsPublished = std::function<bool(const std::string& key)>;

// COOLING: the episode's last event left warmth W above the threshold T at
// t; due when it decays to T, t + H·log2(W/T) (Summary::episode_at says when
// an event starts a new episode). None without a circle (collecting is not
// connecting) or when W never rose above T. The key names the episode, so it
// fires once per episode — also when a backfill shows it began in the past.
//
// With `every_max` (Contact::every_max) a stronger COOLING ("…longer than you
// wanted") is due at episode_at + every_max: in place of the plain one once
// that is published, or if the plain one would come later.
std::optional<Candidate> CoolingCandidate(std::int64_t cid, const Summary& s, Circle circle,
                                          Duration half_life, double threshold,
                                          std::optional<Duration> every_max = std::nullopt,
                                          const IsPublished& published = {});
// Whether a COOLING key is the stronger one, past every_max.
bool IsPastMax(const std::string& cooling_key);

// RHYTHM: the silence since the last session exceeds factor × the usual gap
// (Summary::rhythm, after min_gaps gaps); due then. None without a circle,
// and none when COOLING (`cooling_due`) would come first: a learned rhythm
// makes a contact nudge sooner than its circle would, never later. Once per
// silence (keyed by the last session).
std::optional<Candidate> RhythmCandidate(std::int64_t cid, const Summary& s, Circle circle,
                                         const RuleOptions::RhythmRule& opts,
                                         std::optional<TimePoint> cooling_due);

// Until when a one-sided contact (Summary::one_sided_at) is not proposed by
// COOLING, ONLINE_ONLY and WEEKEND_CALL; nullopt when it is not one-sided.
std::optional<TimePoint> OneSidedUntil(const Summary& s, const RuleOptions::Reciprocity& opts);
// COOLING, RHYTHM, ONLINE_ONLY and WEEKEND_CALL: the kinds that ask you to call
// someone out of the blue, which a one-sided contact does not get.
constexpr bool IsReciprocityGuarded(NudgeKind kind) {
  return kind == NudgeKind::kCooling || kind == NudgeKind::kRhythm ||
         kind == NudgeKind::kOnlineOnly || kind == NudgeKind::kWeekendCall;
}

// ONLINE_ONLY: the streak since the last live interaction reached min_streak
// with both directions; due then, or no_live_for after the last live one,
// whichever is later. Once per streak (keyed by the last live interaction).
std::optional<Candidate> OnlineOnlyCandidate(std::int64_t cid, const Summary& s,
                                             const RuleOptions::OnlineOnly& opts);

// FOLLOW_UP: the latest pitch (tagged, or a cold new thread: see
// Summary::last_pitch_at) with no reply (INBOUND or live) since; due `after`
// later, moot `expire` after that.
std::optional<Candidate> FollowUpCandidate(std::int64_t cid, const Summary& s,
                                           const RuleOptions::FollowUp& opts);

// BIRTHDAY: the next birthday whose local day has not ended at `now`, was
// not published yet, and on which you have not spoken live already (the
// call it asks for happened: `last_live` falls on that day); due at `at`
// local that day; Feb 29 → Feb 28 in common years. None for an invalid date.
std::optional<Candidate> BirthdayCandidate(std::int64_t cid, const Birthday& birthday,
                                           const LocalCalendar& cal, std::chrono::minutes at,
                                           TimePoint now, const IsPublished& published,
                                           std::optional<TimePoint> last_live = std::nullopt);

// CALL_BACK: the latest INBOUND missed call since the last live
// interaction (Summary::missed_at); due `after` later, moot `within` after
// the call. For an unsorted contact (`sorted` false) only when the call
// before it was within `within` too: a stranger calling once is not a
// relationship. The key names the call, so a backfill of older calls
// changes nothing and a later call is a new occasion.
std::optional<Candidate> CallBackCandidate(std::int64_t cid, const Summary& s, bool sorted,
                                           const RuleOptions::CallBack& opts);
// The missed call a CALL_BACK key (or its snooze key) names; nullopt for
// other keys.
std::optional<TimePoint> CallBackCallTime(std::string_view key);

// TRIP: `lead` before it starts (at once if that is past); moot once it ended.
Candidate TripCandidate(const Trip& trip, Duration lead);

// WEEKEND_CALL: this week's occasion if its local day is not over and it was
// not handled, else next week's.
Candidate WeekendCandidate(const LocalCalendar& cal, const WeeklyTime& at, TimePoint now,
                           const IsPublished& handled);

// Publication order: BIRTHDAY, CALL_BACK, FOLLOW_UP, TRIP, COOLING, RHYTHM,
// ONLINE_ONLY, WEEKEND_CALL; then inner circle first.
int KindRank(NudgeKind kind);
int CircleRank(Circle circle);

// The nudge id for a key: "<kind>-<10 hex digits>", short enough to type.
std::string NudgeId(NudgeKind kind, const std::string& key);

}  // namespace warmth::core
