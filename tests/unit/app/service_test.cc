// app::Service on a real engine at fixed times: each request reaches the
// engine and gets its reply body, a key's role limits what it may ask, and
// the engine's Status codes come back as the wire's Error codes.
#include "daemon/app/service.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "daemon/core/engine.h"
#include "daemon/transport/codec.h"
#include "tests/support/engine.h"
#include "tests/support/requests.h"
#include "tests/support/support.h"

namespace warmth::app {
namespace {

using core::kDay;
using core::kHour;
using warmth::testing::T0;

// Met in person with `who` at `at`.
v1::Request Ingest(const std::string& event_id, const std::string& who, core::TimePoint at) {
  return testing::IngestRequest(event_id, who, v1::IN_PERSON, at);
}

v1::Request UpsertContact(const std::string& id, v1::Circle circle,
                          const std::vector<std::string>& identifiers = {}) {
  v1::Request r = testing::UpsertContactRequest(id, circle, identifiers);
  r.mutable_upsert_contact()->mutable_contact()->set_display_name("Name of " + id);
  return r;
}

v1::Request GetContact(const std::string& key, int recent = 0) {
  v1::Request r;
  r.mutable_get_contact()->set_contact_id(key);
  r.mutable_get_contact()->set_recent(recent);
  return r;
}

v1::Request UpsertTrip(const std::string& city, core::TimePoint from, core::TimePoint to) {
  v1::Request r;
  auto* t = r.mutable_upsert_trip()->mutable_trip();
  t->set_city(city);
  transport::ToProto(from, t->mutable_starts_at());
  transport::ToProto(to, t->mutable_ends_at());
  return r;
}

v1::Request Snooze(const std::string& nudge_id, core::Duration d) {
  v1::Request r;
  r.mutable_snooze()->set_nudge_id(nudge_id);
  transport::ToProto(d, r.mutable_snooze()->mutable_duration());
  return r;
}

// One request of every kind, named for failure messages.
struct Kind {
  const char* name;
  v1::Request request;
};
std::vector<Kind> EveryKind() {
  std::vector<Kind> kinds;
  kinds.push_back({"ingest", Ingest("k1", "ann@example.com", T0())});
  kinds.push_back({"upsert_contact", UpsertContact("eve", v1::CLOSE)});
  v1::Request r;
  r.mutable_remove_contact()->set_contact_id("ann");
  kinds.push_back({"remove_contact", r});
  kinds.push_back({"get_contact", GetContact("ann")});
  r.Clear();
  r.mutable_list_contacts();
  kinds.push_back({"list_contacts", r});
  kinds.push_back({"upsert_trip", UpsertTrip("Boston", T0() + 30 * kDay, T0() + 32 * kDay)});
  r.Clear();
  r.mutable_list_nudges();
  kinds.push_back({"list_nudges", r});
  r.Clear();
  r.mutable_done()->set_contact_id("ann");
  kinds.push_back({"done", r});
  r.Clear();
  r.mutable_snooze()->set_contact_id("ann");
  transport::ToProto(kDay, r.mutable_snooze()->mutable_duration());
  kinds.push_back({"snooze", r});
  r.Clear();
  r.mutable_dismiss()->set_nudge_id("no-such-nudge");
  kinds.push_back({"dismiss", r});
  r.Clear();
  r.mutable_status();
  kinds.push_back({"status", r});
  r.Clear();
  r.mutable_remove_trip()->set_trip_id("no-such-trip");
  kinds.push_back({"remove_trip", r});
  r.Clear();
  r.mutable_list_trips();
  kinds.push_back({"list_trips", r});
  r.Clear();
  r.mutable_list_interactions();
  kinds.push_back({"list_interactions", r});
  EXPECT_EQ(kinds.size(), 14u) << "a new request kind: add it here and to the role table";
  return kinds;
}

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest() { engine_.FinishLoad(T0()); }

  v1::Reply Send(v1::Request request, app::Role role = Role::kAdmin) {
    request.set_request_id("req-" + std::to_string(++requests_));
    v1::Reply reply = service_.Handle(request, now_, role);
    EXPECT_EQ(reply.request_id(), request.request_id()) << "every reply echoes the request id";
    return reply;
  }

  // Ann (inner circle, ann@example.com) met in person at T0.
  void AddAnn() {
    ASSERT_EQ(Send(UpsertContact("ann", v1::INNER, {"ann@example.com"})).body_case(),
              v1::Reply::kContact);
    ASSERT_EQ(Send(Ingest("met-ann", "ann@example.com", T0())).ingest().items(0).outcome(),
              v1::IngestResult::ACCEPTED);
  }

  // Moves the clock to `to`, publishing what falls due; Ann's warmth 60
  // halves to the threshold 30 after 7 days: one COOLING nudge.
  void RunUntil(core::TimePoint to) {
    published_ = testing::RunUntil(engine_, now_, to);
    now_ = to;
  }

  core::Engine engine_{testing::ImmediateOptions(), nullptr};
  Service service_{&engine_, nullptr,
                   ServiceInfo{"1.2.3", "/var/lib/warmth/warmth.db", "ipc:///run/warmth/api",
                               "ipc:///run/warmth/nudges", "Europe/Berlin", T0()}};
  core::TimePoint now_ = T0();
  std::vector<core::Nudge> published_;
  int requests_ = 0;
};

// Routing: each kind of request reaches the engine and gets its reply body.

TEST_F(ServiceTest, UpsertGetListAndRemoveContactReachTheEngine) {
  const v1::Reply upserted = Send(UpsertContact("ann", v1::INNER, {"ann@example.com"}));
  ASSERT_EQ(upserted.body_case(), v1::Reply::kContact) << upserted.DebugString();
  EXPECT_EQ(upserted.contact().contact().id(), "ann");
  EXPECT_EQ(upserted.contact().contact().circle(), v1::INNER);
  EXPECT_EQ(engine_.Counts().contacts, 1);

  const v1::Reply got = Send(GetContact("ann@example.com", 5));
  ASSERT_EQ(got.body_case(), v1::Reply::kContact) << got.DebugString();
  EXPECT_EQ(got.contact().contact().id(), "ann") << "found by an identifier";
  EXPECT_EQ(got.contact().contact().display_name(), "Name of ann");
  EXPECT_EQ(got.contact().recent_size(), 0) << "no store: no recent interactions";

  Send(Ingest("z1", "zed@example.com", T0()));  // an unsorted contact
  v1::Request list;
  list.mutable_list_contacts();
  const v1::Reply sorted = Send(list);
  ASSERT_EQ(sorted.body_case(), v1::Reply::kContacts) << sorted.DebugString();
  ASSERT_EQ(sorted.contacts().contacts_size(), 1);
  EXPECT_EQ(sorted.contacts().contacts(0).contact().id(), "ann");
  list.mutable_list_contacts()->set_include_unsorted(true);
  const v1::Reply all = Send(list);
  ASSERT_EQ(all.contacts().contacts_size(), 2);
  EXPECT_EQ(all.contacts().contacts(1).contact().id(), "zed@example.com") << "unsorted come last";
  list.mutable_list_contacts()->set_limit(1);
  EXPECT_EQ(Send(list).contacts().contacts_size(), 1);

  v1::Request remove;
  remove.mutable_remove_contact()->set_contact_id("ann");
  const v1::Reply removed = Send(remove);
  ASSERT_EQ(removed.body_case(), v1::Reply::kAck) << removed.DebugString();
  EXPECT_EQ(removed.ack().contact_id(), "ann");
  EXPECT_FALSE(engine_.GetContact("ann", now_));
}

TEST_F(ServiceTest, EmptyListsStillReplyWithTheirBody) {
  v1::Request r;
  r.mutable_list_contacts();
  EXPECT_EQ(Send(r).body_case(), v1::Reply::kContacts);
  r.mutable_list_trips();
  EXPECT_EQ(Send(r).body_case(), v1::Reply::kTrips);
  r.mutable_list_nudges();
  EXPECT_EQ(Send(r).body_case(), v1::Reply::kNudges);
  r.mutable_list_interactions();
  EXPECT_EQ(Send(r).body_case(), v1::Reply::kInteractions) << "no store (replay): nothing";
}

TEST_F(ServiceTest, ListContactsInCreationOrderIsTheOrderTheDaemonMetThem) {
  Send(Ingest("z1", "zed@example.com", T0()));
  AddAnn();  // warmer than zed, and sorted
  v1::Request list;
  list.mutable_list_contacts()->set_include_unsorted(true);
  EXPECT_EQ(Send(list).contacts().contacts(0).contact().id(), "ann");
  list.mutable_list_contacts()->set_creation_order(true);
  const v1::Reply reply = Send(list);
  ASSERT_EQ(reply.contacts().contacts_size(), 2);
  EXPECT_EQ(reply.contacts().contacts(0).contact().id(), "zed@example.com");
  EXPECT_EQ(reply.contacts().contacts(1).contact().id(), "ann");
}

// ListInteractions reads the store: a service on an engine whose journal is
// written after every request, as the daemon does.
class ServiceStoreTest : public ::testing::Test {
 protected:
  ServiceStoreTest() { engine_.FinishLoad(T0()); }

  static std::unique_ptr<store::SqliteStore> OpenStore() {
    auto opened = store::SqliteStore::Open(":memory:");
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  v1::Reply Send(const v1::Request& request) {
    v1::Reply reply = service_.Handle(request, T0() + kDay);
    EXPECT_OK(store_->Write(engine_.TakeJournal()));
    return reply;
  }

  v1::Reply List(const std::string& after, int limit = 0) {
    v1::Request r;
    r.mutable_list_interactions()->set_after(after);
    r.mutable_list_interactions()->set_limit(limit);
    return Send(r);
  }

  // Every interaction, page after page, by event id.
  std::vector<std::string> ListAll(int limit, int* pages) {
    std::vector<std::string> ids;
    std::string cursor;
    *pages = 0;
    do {
      const v1::Reply reply = List(cursor, limit);
      EXPECT_EQ(reply.body_case(), v1::Reply::kInteractions) << reply.DebugString();
      for (const auto& in : reply.interactions().interactions()) {
        ids.push_back(in.event_id());
      }
      cursor = reply.interactions().next_cursor();
      ++*pages;
    } while (!cursor.empty() && *pages < 1000);
    return ids;
  }

  core::Engine engine_{testing::ImmediateOptions(), nullptr};
  std::unique_ptr<store::SqliteStore> store_ = OpenStore();
  Service service_{&engine_, store_.get(), ServiceInfo{}};
};

TEST_F(ServiceStoreTest, ListInteractionsPagesThroughTheHistoryInTimeOrder) {
  ASSERT_EQ(Send(UpsertContact("ann", v1::INNER, {"ann@example.com"})).body_case(),
            v1::Reply::kContact);
  // Sent newest first; listed oldest first, ties by event id.
  for (int i = 9; i >= 0; --i) {
    Send(Ingest("e" + std::to_string(i), "ann@example.com", T0() + (i / 2) * kHour));
  }
  int pages = 0;
  const std::vector<std::string> all = ListAll(3, &pages);
  EXPECT_EQ(all,
            (std::vector<std::string>{"e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"}));
  EXPECT_EQ(pages, 4);
  const v1::Reply first = List("", 3);
  ASSERT_EQ(first.interactions().interactions_size(), 3);
  const v1::Interaction& e0 = first.interactions().interactions(0);
  EXPECT_EQ(e0.contacts(0), "ann") << "by id, not by the address it came under";
  EXPECT_EQ(e0.channel(), v1::IN_PERSON);
  EXPECT_EQ(e0.direction(), v1::MUTUAL);
  EXPECT_EQ(e0.occurred_at().seconds(), core::ToUnixMicros(T0()) / 1000000);

  v1::Request since;
  transport::ToProto(T0() + 3 * kHour, since.mutable_list_interactions()->mutable_since());
  const v1::Reply late = Send(since);
  ASSERT_EQ(late.interactions().interactions_size(), 4);
  EXPECT_EQ(late.interactions().interactions(0).event_id(), "e6");
  EXPECT_EQ(late.interactions().next_cursor(), "") << "the last page";
}

TEST_F(ServiceStoreTest, ListInteractionsStopsAPageAtAboutOneMebibyte) {
  // 10,000 interactions of about 200 bytes each: 2 MB in all.
  v1::Request batch;
  for (int i = 0; i < kMaxInteractionsPerPage; ++i) {
    v1::Interaction* in = batch.mutable_ingest()->add_interactions();
    *in = Ingest("", "ann@example.com", T0() + i * core::Duration(1000)).ingest().interactions(0);
    in->set_event_id(std::string(120, 'x') + std::to_string(100000 + i));
    in->set_source("warmth-mail");
  }
  ASSERT_EQ(Send(batch).ingest().items_size(), kMaxInteractionsPerPage);
  const v1::Reply first = List("", kMaxInteractionsPerPage);
  const int n = first.interactions().interactions_size();
  EXPECT_GT(n, 1000);
  EXPECT_LT(n, kMaxInteractionsPerPage);
  EXPECT_LE(first.ByteSizeLong(), kMaxInteractionPageBytes + 1024);
  EXPECT_NE(first.interactions().next_cursor(), "");
  int pages = 0;
  const std::vector<std::string> all = ListAll(kMaxInteractionsPerPage, &pages);
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kMaxInteractionsPerPage));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size()) << "each once";
  EXPECT_EQ(pages, 2);
}

TEST_F(ServiceStoreTest, ListInteractionsRefusesBadCursorsAndLimits) {
  const std::vector<std::string> bad = {"x",   "12",    "12/",
                                        "/e1", "1x/e1", "1/" + std::string(129, 'e')};
  for (const std::string& cursor : bad) {
    const v1::Reply reply = List(cursor);
    ASSERT_TRUE(reply.has_error()) << cursor;
    EXPECT_EQ(reply.error().code(), v1::Error::INVALID_ARGUMENT) << cursor;
    EXPECT_EQ(reply.error().message().rfind("list_interactions.after: ", 0), 0u)
        << reply.error().message();
  }
  for (int limit : {-1, kMaxInteractionsPerPage + 1}) {
    const v1::Reply reply = List("", limit);
    ASSERT_TRUE(reply.has_error()) << limit;
    EXPECT_EQ(reply.error().message(), "list_interactions.limit: between 0 and 10000");
  }
  const v1::Reply past = List("9000000000000000/e1");
  ASSERT_EQ(past.body_case(), v1::Reply::kInteractions) << past.DebugString();
  EXPECT_EQ(past.interactions().interactions_size(), 0) << "a cursor past everything";
}

TEST_F(ServiceTest, IngestRepliesOneItemPerInteractionInOrder) {
  AddAnn();
  v1::Request batch = testing::IngestRequest("call-1", "ann@example.com", v1::CALL, T0());
  *batch.mutable_ingest()->add_interactions() =
      Ingest("met-ann", "ann", T0()).ingest().interactions(0);
  *batch.mutable_ingest()->add_interactions() =
      Ingest("later", "ann", T0() + kHour).ingest().interactions(0);
  const v1::Reply reply = Send(batch);
  ASSERT_EQ(reply.body_case(), v1::Reply::kIngest) << reply.DebugString();
  ASSERT_EQ(reply.ingest().items_size(), 3);
  EXPECT_EQ(reply.ingest().items(0).event_id(), "call-1");
  EXPECT_EQ(reply.ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
  ASSERT_EQ(reply.ingest().items(0).contact_ids_size(), 1);
  EXPECT_EQ(reply.ingest().items(0).contact_ids(0), "ann");
  EXPECT_EQ(reply.ingest().items(1).outcome(), v1::IngestResult::DUPLICATE) << "sent before";
  EXPECT_EQ(reply.ingest().items(2).outcome(), v1::IngestResult::REJECTED);
  EXPECT_EQ(reply.ingest().items(2).reason(), "occurred_at: more than 5 minutes in the future");
  EXPECT_EQ(engine_.Counts().interactions, 2);
  EXPECT_EQ(Send(GetContact("ann")).contact().interaction_count(), 2);
}

TEST_F(ServiceTest, UpsertListAndRemoveTripReachTheEngine) {
  const v1::Reply saved = Send(UpsertTrip("Washington", T0() + 30 * kDay, T0() + 32 * kDay));
  ASSERT_EQ(saved.body_case(), v1::Reply::kTrip) << saved.DebugString();
  EXPECT_EQ(saved.trip().id(), "washington-2026-12-21") << "the daemon names new trips";
  EXPECT_EQ(saved.trip().city(), "Washington");

  v1::Request list;
  list.mutable_list_trips();
  const v1::Reply trips = Send(list);
  ASSERT_EQ(trips.trips().trips_size(), 1);
  EXPECT_EQ(trips.trips().trips(0).id(), saved.trip().id());

  v1::Request remove;
  remove.mutable_remove_trip()->set_trip_id(saved.trip().id());
  const v1::Reply removed = Send(remove);
  ASSERT_EQ(removed.body_case(), v1::Reply::kAck) << removed.DebugString();
  EXPECT_EQ(removed.ack().trip_id(), saved.trip().id());
  EXPECT_EQ(Send(list).trips().trips_size(), 0);
}

TEST_F(ServiceTest, NudgeRequestsActOnPublishedNudges) {
  AddAnn();
  RunUntil(T0() + 8 * kDay);
  ASSERT_EQ(published_.size(), 1u);
  const std::string nudge_id = published_[0].id;

  v1::Request list;
  list.mutable_list_nudges();
  const v1::Reply pending = Send(list);
  ASSERT_EQ(pending.body_case(), v1::Reply::kNudges) << pending.DebugString();
  ASSERT_EQ(pending.nudges().nudges_size(), 1);
  EXPECT_EQ(pending.nudges().nudges(0).id(), nudge_id);
  EXPECT_EQ(pending.nudges().nudges(0).kind(), v1::COOLING);
  EXPECT_EQ(pending.nudges().nudges(0).contact_ids(0), "ann");

  const v1::Reply snoozed = Send(Snooze(nudge_id, kDay));
  ASSERT_EQ(snoozed.body_case(), v1::Reply::kAck) << snoozed.DebugString();
  ASSERT_EQ(snoozed.ack().nudge_ids_size(), 1);
  EXPECT_EQ(snoozed.ack().nudge_ids(0), nudge_id);
  EXPECT_EQ(Send(list).nudges().nudges_size(), 0) << "a snoozed nudge is not pending";
  list.mutable_list_nudges()->add_states(v1::SNOOZED);
  EXPECT_EQ(Send(list).nudges().nudges_size(), 1);

  v1::Request dismiss;
  dismiss.mutable_dismiss()->set_nudge_id(nudge_id);
  const v1::Reply dismissed = Send(dismiss);
  ASSERT_EQ(dismissed.body_case(), v1::Reply::kAck) << dismissed.DebugString();
  ASSERT_EQ(dismissed.ack().nudge_ids_size(), 1);
  EXPECT_EQ(dismissed.ack().nudge_ids(0), nudge_id);

  v1::Request done;
  done.mutable_done()->set_contact_id("ann");
  const v1::Reply acted = Send(done);
  ASSERT_EQ(acted.body_case(), v1::Reply::kAck) << acted.DebugString();
  EXPECT_EQ(acted.ack().contact_id(), "ann");
  EXPECT_EQ(Send(GetContact("ann")).contact().interaction_count(), 2)
      << "done records a live interaction now";
}

TEST_F(ServiceTest, StatusReportsTheEngineAndTheServiceInfo) {
  AddAnn();
  Send(Ingest("z1", "zed@example.com", T0()));
  now_ = T0() + kHour;
  v1::Request r;
  r.mutable_status();
  const v1::Reply reply = Send(r);
  ASSERT_EQ(reply.body_case(), v1::Reply::kStatus) << reply.DebugString();
  const v1::StatusReply& s = reply.status();
  EXPECT_EQ(s.version(), "1.2.3");
  EXPECT_EQ(s.store_path(), "/var/lib/warmth/warmth.db");
  EXPECT_EQ(s.api_endpoint(), "ipc:///run/warmth/api");
  EXPECT_EQ(s.publish_endpoint(), "ipc:///run/warmth/nudges");
  EXPECT_EQ(s.timezone(), "Europe/Berlin");
  EXPECT_EQ(s.started_at().seconds(), core::ToUnixMicros(T0()) / 1000000);
  EXPECT_EQ(s.uptime().seconds(), 3600);
  EXPECT_EQ(s.contacts(), 1);
  EXPECT_EQ(s.unsorted_contacts(), 1);
  EXPECT_EQ(s.interactions(), 2);
  EXPECT_EQ(s.pending_nudges(), 0);
  EXPECT_TRUE(s.has_next_due_at()) << "ann cools in 7 days";
  EXPECT_EQ(s.last_store_error(), "");

  service_.set_store_error("store: disk full");
  EXPECT_EQ(Send(r).status().last_store_error(), "store: disk full");
}

// Permission: what each role may ask (DESIGN.md, Security).

TEST_F(ServiceTest, EachRoleMayMakeOnlyItsRequests) {
  struct RoleCase {
    Role role;
    const char* name;
    std::vector<std::string> allowed;
  };
  const std::vector<RoleCase> cases = {
      {Role::kAdmin,
       "admin",
       {"ingest", "upsert_contact", "remove_contact", "get_contact", "list_contacts", "upsert_trip",
        "list_nudges", "done", "snooze", "dismiss", "status", "remove_trip", "list_trips",
        "list_interactions"}},
      {Role::kNotify, "notify", {"list_nudges", "done", "snooze", "dismiss"}},
      {Role::kIngest, "ingest", {"ingest"}},
  };
  for (const RoleCase& c : cases) {
    for (const Kind& kind : EveryKind()) {
      const bool allowed =
          std::find(c.allowed.begin(), c.allowed.end(), kind.name) != c.allowed.end();
      const v1::Reply reply = Send(kind.request, c.role);
      const bool denied = reply.has_error() && reply.error().code() == v1::Error::PERMISSION_DENIED;
      EXPECT_EQ(denied, !allowed) << c.name << " " << kind.name << ": " << reply.DebugString();
      if (denied) {
        EXPECT_EQ(reply.error().message(), "request: not allowed for this client's key");
      }
    }
  }
}

TEST_F(ServiceTest, ADeniedRequestChangesNothing) {
  AddAnn();
  RunUntil(T0() + 8 * kDay);
  ASSERT_EQ(published_.size(), 1u);
  v1::Request remove;
  remove.mutable_remove_contact()->set_contact_id("ann");
  EXPECT_EQ(Send(remove, Role::kNotify).error().code(), v1::Error::PERMISSION_DENIED);
  EXPECT_EQ(Send(UpsertContact("eve", v1::CLOSE), Role::kIngest).error().code(),
            v1::Error::PERMISSION_DENIED);
  EXPECT_EQ(Send(Snooze(published_[0].id, kDay), Role::kIngest).error().code(),
            v1::Error::PERMISSION_DENIED);
  EXPECT_EQ(Send(Ingest("x", "ann", now_), Role::kNotify).error().code(),
            v1::Error::PERMISSION_DENIED);
  EXPECT_TRUE(engine_.GetContact("ann", now_));
  EXPECT_FALSE(engine_.GetContact("eve", now_));
  EXPECT_EQ(engine_.Counts().interactions, 1);
  EXPECT_EQ(engine_.Counts().pending_nudges, 1) << "not snoozed";
}

// Error mapping: the engine's and the codec's Status becomes the reply's Error.

TEST_F(ServiceTest, StatusCodesBecomeErrorCodes) {
  AddAnn();
  RunUntil(T0() + 8 * kDay);
  ASSERT_EQ(published_.size(), 1u);
  v1::Request dismiss;
  dismiss.mutable_dismiss()->set_nudge_id(published_[0].id);
  ASSERT_EQ(Send(dismiss).body_case(), v1::Reply::kAck);

  struct Case {
    const char* name;
    v1::Request request;
    v1::Error::Code code;
    std::string message;  // the start of it
  };
  std::vector<Case> cases;
  cases.push_back({"unknown contact", GetContact("nobody"), v1::Error::NOT_FOUND,
                   "contact_id: no such contact"});
  v1::Request r;
  r.mutable_remove_contact()->set_contact_id("nobody");
  cases.push_back(
      {"remove an unknown contact", r, v1::Error::NOT_FOUND, "contact_id: no such contact"});
  r.Clear();
  r.mutable_remove_trip()->set_trip_id("nowhere-2026-01-01");
  cases.push_back({"remove an unknown trip", r, v1::Error::NOT_FOUND, "trip_id: no such trip"});
  cases.push_back({"snooze an unknown nudge", Snooze("no-such-nudge", kDay), v1::Error::NOT_FOUND,
                   "nudge_id: no such nudge"});
  r.Clear();
  r.mutable_done()->set_nudge_id(published_[0].id);
  cases.push_back({"done on a dismissed nudge", r, v1::Error::FAILED_PRECONDITION,
                   "nudge_id: the nudge is already"});
  cases.push_back({"an identifier another contact holds",
                   UpsertContact("bob", v1::CLOSE, {"ann@example.com"}), v1::Error::ALREADY_EXISTS,
                   "contact.identifiers[0]: already belongs to contact \"ann\""});
  cases.push_back({"a contact id with white space", UpsertContact("a b", v1::CLOSE),
                   v1::Error::INVALID_ARGUMENT, "contact.id:"});
  cases.push_back({"a trip ending before it starts",
                   UpsertTrip("Boston", T0() + 32 * kDay, T0() + 30 * kDay),
                   v1::Error::INVALID_ARGUMENT, "trip.ends_at: before trip.starts_at"});
  r.Clear();
  r.mutable_snooze()->set_contact_id("ann");
  cases.push_back(
      {"snooze without a duration", r, v1::Error::INVALID_ARGUMENT, "snooze.duration: required"});
  r.Clear();
  r.mutable_list_nudges()->add_states(static_cast<v1::NudgeState>(9));
  cases.push_back({"an unknown nudge state", r, v1::Error::INVALID_ARGUMENT,
                   "list_nudges.states: unknown state"});
  r.Clear();
  cases.push_back({"no body", r, v1::Error::INVALID_ARGUMENT, "request: no body"});
  v1::Request too_many;
  for (int i = 0; i <= transport::kMaxInteractionsPerBatch; ++i) {
    *too_many.mutable_ingest()->add_interactions() =
        Ingest("many-" + std::to_string(i), "ann", now_).ingest().interactions(0);
  }
  cases.push_back({"more than 10000 interactions", too_many, v1::Error::RESOURCE_EXHAUSTED,
                   "ingest.interactions: more than 10000 in one batch"});

  for (const Case& c : cases) {
    const v1::Reply reply = Send(c.request);
    ASSERT_EQ(reply.body_case(), v1::Reply::kError) << c.name << ": " << reply.DebugString();
    EXPECT_EQ(reply.error().code(), c.code) << c.name << ": " << reply.error().message();
    EXPECT_EQ(reply.error().message().rfind(c.message, 0), 0u)
        << c.name << ": " << reply.error().message();
  }
  EXPECT_EQ(engine_.Counts().interactions, 1) << "a refused batch ingests nothing";
  EXPECT_EQ(engine_.Counts().contacts, 1);
}

// One structurally bad interaction is rejected with its reason; the others
// in its batch are ingested, and the items stay in request order.
TEST_F(ServiceTest, ABadInteractionRejectsOnlyItself) {
  v1::Request r = Ingest("first", "ann", now_);
  auto* no_id = r.mutable_ingest()->add_interactions();
  no_id->add_contacts("ann");
  no_id->set_channel(v1::CALL);
  *r.mutable_ingest()->add_interactions() = Ingest("third", "ann", now_).ingest().interactions(0);
  auto* bad_channel = r.mutable_ingest()->add_interactions();
  bad_channel->set_event_id("fourth");
  bad_channel->add_contacts("ann");
  bad_channel->set_channel(static_cast<v1::Channel>(77));
  const v1::Reply reply = Send(r);
  ASSERT_EQ(reply.body_case(), v1::Reply::kIngest) << reply.DebugString();
  ASSERT_EQ(reply.ingest().items_size(), 4);
  const auto& items = reply.ingest().items();
  EXPECT_EQ(items[0].event_id(), "first");
  EXPECT_EQ(items[0].outcome(), v1::IngestResult::ACCEPTED);
  EXPECT_EQ(items[1].outcome(), v1::IngestResult::REJECTED);
  EXPECT_EQ(items[1].reason(), "event_id: required");
  EXPECT_EQ(items[2].event_id(), "third");
  EXPECT_EQ(items[2].outcome(), v1::IngestResult::ACCEPTED);
  EXPECT_EQ(items[3].event_id(), "fourth");
  EXPECT_EQ(items[3].outcome(), v1::IngestResult::REJECTED);
  EXPECT_NE(items[3].reason().find("channel"), std::string::npos) << items[3].reason();
  EXPECT_EQ(engine_.Counts().interactions, 2);
}

}  // namespace
}  // namespace warmth::app
