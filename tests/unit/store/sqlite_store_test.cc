#include "daemon/store/sqlite_store.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "base/phone.h"
#include "daemon/core/engine.h"
#include "daemon/store/schema.h"
#include "tests/support/engine.h"
#include "tests/support/support.h"

namespace warmth::store {
namespace {

using core::TimePoint;
using warmth::testing::T0;
using warmth::testing::TempDir;

core::EngineOptions Options() {
  core::EngineOptions o;
  o.delivery.quiet_hours.reset();
  o.delivery.max_per_day = 0;
  return o;
}

core::Interaction Call(std::string id, std::string who, TimePoint at) {
  core::Interaction in;
  in.event_id = std::move(id);
  in.contacts = {std::move(who)};
  in.channel = core::Channel::kCall;
  in.direction = core::Direction::kMutual;
  in.occurred_at = at;
  return in;
}

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path, StoreOptions options = {}) {
  auto store = SqliteStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::unique_ptr<core::Engine> Load(SqliteStore& store, TimePoint now) {
  auto engine = std::make_unique<core::Engine>(Options(), nullptr, base::PhoneNormalizerFor(""));
  EXPECT_OK(store.LoadInto(*engine));
  engine->FinishLoad(now);
  return engine;
}

int UserVersion(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  sqlite3_step(st);
  const int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

TEST(Migrations, FreshStoreGetsTheCurrentSchemaInWalMode) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  { OpenOrDie(path); }
  EXPECT_EQ(UserVersion(path), SqliteStore::kSchemaVersion);
  std::ifstream wal(path + "-wal");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  sqlite3_step(st);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(Migrations, ReopeningKeepsDataAndVersion) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    const auto in = Call("e1", "a@example.com", T0());
    engine->Ingest(std::span<const core::Interaction>(&in, 1), T0());
    ASSERT_OK(store->Write(engine->TakeJournal()));
  }
  auto store = OpenOrDie(path);
  EXPECT_EQ(store->schema_version(), SqliteStore::kSchemaVersion);
  EXPECT_EQ(Load(*store, T0())->Counts().interactions, 1);
}

// On a store of the current schema the check on opening runs beside the
// load: a damaged file still opens, but the load reports it damaged, whatever
// it ran into itself, and no write goes into it.
TEST(Migrations, ADamagedStoreOpensButNeitherLoadsNorTakesAWrite) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    std::vector<core::Interaction> many;
    for (int i = 0; i < 3000; ++i) {
      many.push_back(Call("e" + std::to_string(i), "p" + std::to_string(i % 300) + "@example.com",
                          T0() + core::kMinute * i));
    }
    engine->Ingest(many, T0() + core::kDay);
    ASSERT_OK(store->Write(engine->TakeJournal()));
    store->Checkpoint(0);
  }
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 20 * 4096u);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string damaged = warmth::testing::ReadFile(path);
  {
    auto store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    core::Engine engine(Options(), nullptr);
    const core::Status loaded = store->LoadInto(engine);
    EXPECT_EQ(loaded.code(), core::Code::kInternal);
    EXPECT_NE(loaded.message().find("is damaged (quick_check failed)"), std::string::npos)
        << loaded.message();
  }
  {
    auto store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    core::Engine engine(Options(), nullptr);
    engine.FinishLoad(T0());
    const auto in = Call("late", "q@example.com", T0() + 2 * core::kDay);
    engine.Ingest(std::span<const core::Interaction>(&in, 1), T0() + 2 * core::kDay);
    const core::Status wrote = store->Write(engine.TakeJournal());
    EXPECT_NE(wrote.message().find("is damaged"), std::string::npos) << wrote.message();
  }
  EXPECT_TRUE(warmth::testing::ReadFile(path) == damaged) << "the damaged file was written to";
}

TEST(Migrations, NewerSchemaIsRefusedNotReset) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  { OpenOrDie(path); }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  const auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), core::Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos);
  EXPECT_EQ(UserVersion(path), 99);  // untouched
}

TEST(Migrations, NotADatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("w.db", std::string(8192, 'x'));
  const auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("not a warmth database"), std::string::npos);
  EXPECT_EQ(testing::ReadFile(path), std::string(8192, 'x'));
}

// Mode of a file, 0 when it is missing.
unsigned Mode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777U) : 0U;
}

// The store and its WAL and shared memory hold the user's relationships:
// no other user may read them, whatever the umask.
TEST(Permissions, StoreWalAndShmAreCreatedOwnerOnly) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  const mode_t old = ::umask(022);
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    const auto in = Call("e1", "a@example.com", T0());
    engine->Ingest(std::span<const core::Interaction>(&in, 1), T0());
    ASSERT_OK(store->Write(engine->TakeJournal()));
    EXPECT_EQ(Mode(path), 0600U);
    EXPECT_EQ(Mode(path + "-wal"), 0600U);
    EXPECT_EQ(Mode(path + "-shm"), 0600U);
  }
  ::umask(old);
}

// A store made by an earlier version (0644) is made owner-only when opened.
TEST(Permissions, AnExistingOpenStoreIsMadeOwnerOnly) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  { OpenOrDie(path); }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto store = OpenOrDie(path);
  EXPECT_EQ(Mode(path), 0600U);
}

TEST(SqliteStore, RoundTripsEveryKindOfChange) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  const TimePoint now = T0() + 8 * core::kDay;
  std::optional<core::ContactView> want;
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    core::Contact ann;
    ann.id = "ann";
    ann.display_name = "Ann Example";
    ann.circle = core::Circle::kInner;
    ann.identifiers = {"ann@example.com", "tel:+1 202 555 0100"};
    ann.city = "Boston";
    ann.birthday = core::Birthday{2, 29, 1992};
    ann.tags = {"ama", "climbing"};
    ann.family = true;
    ASSERT_TRUE(engine->UpsertContact(ann, T0()).ok());
    const auto in = Call("e1", "ann@example.com", T0());
    engine->Ingest(std::span<const core::Interaction>(&in, 1), T0());
    core::Trip trip{"", "Washington", T0() + 30 * core::kDay, T0() + 32 * core::kDay, {"ama"}};
    ASSERT_TRUE(engine->UpsertTrip(trip, T0()).ok());
    ASSERT_OK(store->Write(engine->TakeJournal()));
    testing::TickUntil(*engine, T0(), now + core::kHour, core::kHour);
    ASSERT_OK(store->Write(engine->TakeJournal()));
    want = engine->GetContact("ann", now);
  }
  auto store = OpenOrDie(path);
  auto engine = Load(*store, now);
  const auto got = engine->GetContact("ann", now);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->contact, want->contact);
  EXPECT_DOUBLE_EQ(got->warmth, want->warmth);
  EXPECT_EQ(got->cools_at, want->cools_at);
  ASSERT_EQ(engine->ListTrips().size(), 1u);
  EXPECT_EQ(engine->ListTrips()[0].id, "washington-2026-12-21");
  const auto recent = store->RecentInteractions("ann", 5);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].interaction.event_id, "e1");
  EXPECT_EQ(*recent[0].interaction.occurred_at, T0());
}

core::Interaction NewThreadEmail(std::string id, std::string who, TimePoint at) {
  core::Interaction in;
  in.event_id = std::move(id);
  in.contacts = {std::move(who)};
  in.channel = core::Channel::kEmail;
  in.direction = core::Direction::kOutbound;
  in.occurred_at = at;
  in.tags = {"new-thread"};
  return in;
}

std::vector<core::Nudge> FollowUps(core::Engine& engine, TimePoint from, TimePoint to) {
  std::vector<core::Nudge> out;
  for (auto& n : testing::TickUntil(engine, from, to, core::kHour)) {
    if (n.kind == core::NudgeKind::kFollowUp) {
      out.push_back(std::move(n));
    }
  }
  return out;
}

TEST(SqliteStore, AColdPitchIsStillOneAfterARestart) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    const auto in = NewThreadEmail("e1", "cold@example.com", T0());
    engine->Ingest(std::span<const core::Interaction>(&in, 1), T0());
    ASSERT_OK(store->Write(engine->TakeJournal()));
  }
  auto store = OpenOrDie(path);
  auto engine = Load(*store, T0() + core::kHour);
  const auto nudges = FollowUps(*engine, T0() + core::kHour, T0() + 3 * core::kDay);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].due_at, T0() + 2 * core::kDay);
}

TEST(Migrations, VersionTwoMarksNewThreadEmailsOfAVersionOneStore) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, Migrations()[0].sql, nullptr, nullptr, nullptr), SQLITE_OK);
    // An e-mail tagged new-thread (warmctl log --tag, or a timeline) and one not.
    std::string sql = R"sql(
PRAGMA user_version = 1;
INSERT INTO contacts (cid, id, identifiers, created_at) VALUES (1, 'cold@example.com',
                                                                'cold@example.com', T0);
INSERT INTO identifiers VALUES ('cold@example.com', 1);
INSERT INTO interactions VALUES (1, 'e1', T0, 7, 1, '', 'x' || char(31) || 'New-Thread', T0);
INSERT INTO interactions VALUES (2, 'e2', T0, 7, 1, '', 'new-thready', T0);
INSERT INTO contact_events VALUES (1, T0, 1, 7, 1, 0);
INSERT INTO contact_events VALUES (1, T0, 2, 7, 1, 0);
)sql";
    const std::string t0 = std::to_string(core::ToUnixMicros(T0()));
    for (auto at = sql.find("T0"); at != std::string::npos; at = sql.find("T0", at + 1)) {
      sql.replace(at, 2, t0);
    }
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto store = OpenOrDie(path);
  EXPECT_EQ(store->schema_version(), SqliteStore::kSchemaVersion);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT seq, new_thread FROM contact_events ORDER BY seq", -1, &st,
                     nullptr);
  std::vector<std::pair<int, int>> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    rows.emplace_back(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(rows, (std::vector<std::pair<int, int>>{{1, 1}, {2, 0}}));
  auto engine = Load(*store, T0() + core::kHour);
  EXPECT_EQ(FollowUps(*engine, T0() + core::kHour, T0() + 3 * core::kDay).size(), 1u);
}

// A missed call is stored as one: after a restart it still gives no warmth,
// still raises its CALL_BACK, and lists (for export) with missed set.
TEST(SqliteStore, AMissedCallIsStillOneAfterARestart) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  core::Interaction call = Call("m1", "ann", T0());
  call.direction = core::Direction::kInbound;
  call.missed = true;
  std::optional<core::ContactView> want;
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    core::Contact ann;
    ann.id = "ann";
    ann.circle = core::Circle::kClose;
    ASSERT_TRUE(engine->UpsertContact(ann, T0()).ok());
    const auto meet = Call("c0", "ann", T0() - core::kDay);
    engine->Ingest(std::span<const core::Interaction>(&meet, 1), T0());
    engine->Ingest(std::span<const core::Interaction>(&call, 1), T0());
    ASSERT_OK(store->Write(engine->TakeJournal()));
    want = engine->GetContact("ann", T0() + core::kHour);
  }
  auto store = OpenOrDie(path);
  auto engine = Load(*store, T0() + core::kHour);
  const auto got = engine->GetContact("ann", T0() + core::kHour);
  ASSERT_TRUE(got && want);
  EXPECT_DOUBLE_EQ(got->warmth, want->warmth);
  EXPECT_EQ(got->cools_at, want->cools_at);
  EXPECT_EQ(got->last_channel, want->last_channel);
  const auto nudges =
      testing::TickUntil(*engine, T0() + core::kHour, T0() + core::kDay, core::kMinute);
  ASSERT_EQ(nudges.size(), 1u);
  EXPECT_EQ(nudges[0].kind, core::NudgeKind::kCallBack);
  EXPECT_EQ(nudges[0].published_at, T0() + 2 * core::kHour);
  const auto listed = store->ListInteractions(std::nullopt, std::nullopt, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_FALSE((*listed)[0].interaction.missed);
  EXPECT_TRUE((*listed)[1].interaction.missed);
  const auto recent = store->RecentInteractions("ann", 1);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_TRUE(recent[0].interaction.missed);
}

TEST(Migrations, AVersionTwoStoreMigratesWithEveryCallConnected) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    for (int v = 0; v < 2; ++v) {
      ASSERT_EQ(sqlite3_exec(db, Migrations()[v].sql, nullptr, nullptr, nullptr), SQLITE_OK);
    }
    // A call stored before missed existed: it connected.
    std::string sql = R"sql(
PRAGMA user_version = 2;
INSERT INTO contacts (cid, id, circle, created_at) VALUES (1, 'ann', 2, T0);
INSERT INTO interactions VALUES (1, 'c1', T0, 2, 2, '', '', T0);
INSERT INTO contact_events VALUES (1, T0, 1, 2, 2, 0, 0);
)sql";
    const std::string t0 = std::to_string(core::ToUnixMicros(T0()));
    for (auto at = sql.find("T0"); at != std::string::npos; at = sql.find("T0", at + 1)) {
      sql.replace(at, 2, t0);
    }
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto store = OpenOrDie(path);
  EXPECT_EQ(store->schema_version(), SqliteStore::kSchemaVersion);
  EXPECT_EQ(UserVersion(path), SqliteStore::kSchemaVersion);
  auto engine = Load(*store, T0() + core::kHour);
  const auto ann = engine->GetContact("ann", T0());
  ASSERT_TRUE(ann);
  EXPECT_DOUBLE_EQ(ann->warmth, 45) << "a call that connected, as before";
  const auto listed = store->ListInteractions(std::nullopt, std::nullopt, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_FALSE((*listed)[0].interaction.missed);
  // And the migrated store takes a missed call.
  core::Interaction missed = Call("m1", "ann", T0() + core::kHour);
  missed.direction = core::Direction::kInbound;
  missed.missed = true;
  engine->Ingest(std::span<const core::Interaction>(&missed, 1), T0() + core::kHour);
  ASSERT_OK(store->Write(engine->TakeJournal()));
  EXPECT_TRUE(store->RecentInteractions("ann", 1).at(0).interaction.missed);
}

TEST(SqliteStore, AContactsCadenceSurvivesARestart) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    core::Contact mum;
    mum.id = "mum";
    mum.circle = core::Circle::kClose;
    mum.every = 7 * core::kDay;
    mum.every_max = 14 * core::kDay;
    ASSERT_TRUE(engine->UpsertContact(mum, T0()).ok());
    core::Contact bob;
    bob.id = "bob";
    bob.circle = core::Circle::kClose;
    ASSERT_TRUE(engine->UpsertContact(bob, T0()).ok());
    ASSERT_OK(store->Write(engine->TakeJournal()));
  }
  auto store = OpenOrDie(path);
  auto engine = Load(*store, T0());
  const auto mum = engine->GetContact("mum", T0());
  ASSERT_TRUE(mum);
  EXPECT_EQ(mum->contact.every, 7 * core::kDay);
  EXPECT_EQ(mum->contact.every_max, 14 * core::kDay);
  EXPECT_EQ(mum->cadence_source, core::CadenceSource::kContact);
  const auto bob = engine->GetContact("bob", T0());
  EXPECT_FALSE(bob->contact.every) << "unset stays unset";
  EXPECT_FALSE(bob->contact.every_max);
}

TEST(Migrations, AVersionTwoStoreMigratesWithNoCadence) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    for (int v = 0; v < 2; ++v) {
      ASSERT_EQ(sqlite3_exec(db, Migrations()[v].sql, nullptr, nullptr, nullptr), SQLITE_OK);
    }
    const std::string sql =
        "PRAGMA user_version = 2; INSERT INTO contacts (cid, id, circle, "
        "created_at) VALUES (1, 'ann', 1, " +
        std::to_string(core::ToUnixMicros(T0())) + ");";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto store = OpenOrDie(path);
  EXPECT_EQ(store->schema_version(), SqliteStore::kSchemaVersion);
  auto engine = Load(*store, T0());
  const auto ann = engine->GetContact("ann", T0());
  ASSERT_TRUE(ann);
  EXPECT_FALSE(ann->contact.every);
  EXPECT_EQ(ann->cadence_source, core::CadenceSource::kCircle);
  EXPECT_EQ(ann->half_life, 7 * core::kDay);
}

TEST(SqliteStore, HasEventFindsIdsUnderTheirTimeAndUnderAnother) {
  TempDir dir;
  auto store = OpenOrDie(dir.File("w.db"));
  auto engine = Load(*store, T0());
  const auto in = Call("evt-1", "a@example.com", T0());
  engine->Ingest(std::span<const core::Interaction>(&in, 1), T0());
  ASSERT_OK(store->Write(engine->TakeJournal()));
  EXPECT_TRUE(store->HasEvent("evt-1", T0()));
  EXPECT_TRUE(store->HasEvent("evt-1", T0() + core::kDay));
  EXPECT_FALSE(store->HasEvent("evt-2", T0()));
}

// Each contact's history (view.interactions) and whether every stored
// event id is known: what a restart must give back, whichever way it read
// the ids.
void ExpectLoadedAsWritten(core::Engine& engine, SqliteStore& store, TimePoint now) {
  engine.SetDuplicateOracle(
      [&store](std::string_view id, TimePoint at) { return store.HasEvent(id, at); });
  EXPECT_EQ(engine.Counts().interactions, 400);
  EXPECT_EQ(engine.Counts().unsorted, 40);
  for (int c = 0; c < 40; ++c) {
    const auto view = engine.GetContact("p" + std::to_string(c) + "@example.com", now);
    ASSERT_TRUE(view.has_value()) << c;
    // Ten of its own; p0 is also named by every fifth of the others'.
    EXPECT_EQ(view->interactions, c == 0 ? 80 : 10) << c;
  }
  std::vector<core::Interaction> again;
  for (int i = 0; i < 400; i += 7) {
    again.push_back(Call("mail-" + std::to_string(i), "p1@example.com", T0() + core::kHour));
  }
  again.push_back(Call("mail-new", "p1@example.com", T0() + core::kHour));
  const auto items = engine.Ingest(again, now);
  for (std::size_t i = 0; i + 1 < items.size(); ++i) {
    EXPECT_EQ(items[i].outcome, core::IngestOutcome::kDuplicate) << items[i].event_id;
  }
  EXPECT_EQ(items.back().outcome, core::IngestOutcome::kAccepted);
}

TEST(SqliteStore, EveryEventIdAndHistoryComesBackFromAFileAndFromMemory) {
  // A file's event ids are read on a thread and a connection of their own
  // beside the contacts and their events; an in-memory store's after them,
  // on its one connection. 400 interactions of 40 contacts, ten each, every
  // fifth of them also naming p0.
  TempDir dir;
  const std::string path = dir.File("w.db");
  const TimePoint now = T0() + 30 * core::kDay;
  const auto write = [&](SqliteStore& store) {
    auto engine = Load(store, T0());
    std::vector<core::Interaction> batch;
    for (int i = 0; i < 400; ++i) {
      core::Interaction in =
          Call("mail-" + std::to_string(i), "p" + std::to_string(i % 40) + "@example.com",
               T0() + std::chrono::minutes(i));
      if (i % 5 == 0 && i % 40 != 0) {
        in.contacts.push_back("p0@example.com");
      }
      batch.push_back(std::move(in));
    }
    engine->Ingest(batch, now);
    ASSERT_OK(store.Write(engine->TakeJournal()));
  };
  {
    auto store = OpenOrDie(path);
    write(*store);
  }
  auto on_file = OpenOrDie(path);
  ExpectLoadedAsWritten(*Load(*on_file, now), *on_file, now);

  auto in_memory = OpenOrDie(":memory:");
  write(*in_memory);
  ExpectLoadedAsWritten(*Load(*in_memory, now), *in_memory, now);
}

TEST(SqliteStore, MergeMovesHistoryToTheNewContact) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  {
    auto store = OpenOrDie(path);
    auto engine = Load(*store, T0());
    const auto in = Call("e1", "zoe@example.com", T0());
    engine->Ingest(std::span<const core::Interaction>(&in, 1), T0());
    ASSERT_OK(store->Write(engine->TakeJournal()));
    core::Contact zoe;
    zoe.id = "zoe";
    zoe.circle = core::Circle::kClose;
    zoe.identifiers = {"zoe@example.com"};
    ASSERT_TRUE(engine->UpsertContact(zoe, T0()).ok());
    ASSERT_OK(store->Write(engine->TakeJournal()));
  }
  auto store = OpenOrDie(path);
  auto engine = Load(*store, T0());
  EXPECT_EQ(engine->Counts().unsorted, 0);
  EXPECT_EQ(engine->GetContact("zoe", T0())->interactions, 1);
  EXPECT_EQ(engine->GetContact("zoe@example.com", T0())->contact.id, "zoe");
}

std::vector<std::string> EventIds(const std::vector<StoredInteraction>& page) {
  std::vector<std::string> ids;
  ids.reserve(page.size());
  for (const auto& s : page) {
    ids.push_back(s.interaction.event_id);
  }
  return ids;
}

TEST(SqliteStore, ListInteractionsIsInTimeOrderFromSinceAndAfterACursor) {
  TempDir dir;
  auto store = OpenOrDie(dir.File("w.db"));
  auto engine = Load(*store, T0());
  core::Contact ann;
  ann.id = "ann";
  ann.circle = core::Circle::kInner;
  ann.identifiers = {"ann@example.com"};
  ASSERT_TRUE(engine->UpsertContact(ann, T0()).ok());
  std::vector<core::Interaction> batch = {Call("c", "ann@example.com", T0() + 2 * core::kDay),
                                          Call("b", "bob@example.com", T0() + core::kDay),
                                          Call("z", "ann", T0()), Call("a", "ann", T0())};
  batch[1].contacts.push_back("ann");  // a call with both
  batch[3].tags = {"lunch", "team"};
  batch[3].source = "warmctl";
  engine->Ingest(batch, T0() + 3 * core::kDay);
  ASSERT_OK(store->Write(engine->TakeJournal()));

  auto all = store->ListInteractions(std::nullopt, std::nullopt, 10);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(EventIds(*all), (std::vector<std::string>{"a", "z", "b", "c"}));
  const core::Interaction& a = (*all)[0].interaction;
  EXPECT_EQ(a.tags, (std::vector<std::string>{"lunch", "team"}));
  EXPECT_EQ(a.source, "warmctl");
  EXPECT_EQ(a.channel, core::Channel::kCall);
  EXPECT_EQ(*a.occurred_at, T0());
  EXPECT_EQ(a.contacts, (std::vector<std::string>{"ann"}));
  EXPECT_EQ((*all)[2].interaction.contacts, (std::vector<std::string>{"ann", "bob@example.com"}))
      << "contact ids, oldest contact first";

  auto page = store->ListInteractions(std::nullopt, std::nullopt, 2);
  EXPECT_EQ(EventIds(*page), (std::vector<std::string>{"a", "z"}));
  page = store->ListInteractions(std::nullopt, InteractionKey{T0(), "z"}, 2);
  EXPECT_EQ(EventIds(*page), (std::vector<std::string>{"b", "c"}));
  page = store->ListInteractions(T0() + core::kDay, std::nullopt, 10);
  EXPECT_EQ(EventIds(*page), (std::vector<std::string>{"b", "c"})) << "since is inclusive";
  page = store->ListInteractions(T0() + core::kDay, InteractionKey{T0(), "a"}, 10);
  EXPECT_EQ(EventIds(*page), (std::vector<std::string>{"b", "c"})) << "the later bound wins";
  page = store->ListInteractions(T0(), InteractionKey{T0() + core::kDay, "b"}, 10);
  EXPECT_EQ(EventIds(*page), (std::vector<std::string>{"c"}));

  // Adopting bob@example.com names bob; removing ann leaves her own events
  // to nobody.
  core::Contact bob;
  bob.id = "bob";
  bob.circle = core::Circle::kClose;
  bob.identifiers = {"bob@example.com"};
  ASSERT_TRUE(engine->UpsertContact(bob, T0() + 3 * core::kDay).ok());
  ASSERT_OK(engine->RemoveContact("ann", T0() + 3 * core::kDay));
  ASSERT_OK(store->Write(engine->TakeJournal()));
  all = store->ListInteractions(std::nullopt, std::nullopt, 10);
  ASSERT_EQ(all->size(), 4u) << "the interactions stay";
  EXPECT_TRUE((*all)[0].interaction.contacts.empty());
  EXPECT_EQ((*all)[2].interaction.contacts, (std::vector<std::string>{"bob"}));
}

TEST(SqliteStore, FullDatabaseFailsTheWholeWriteAndKeepsWhatWasThere) {
  TempDir dir;
  const std::string path = dir.File("w.db");
  StoreOptions small;
  small.max_page_count = 64;  // 256 KiB
  auto store = OpenOrDie(path, small);
  auto engine = Load(*store, T0());
  core::Status last = core::Status::Ok();
  int committed = 0;
  for (int batch = 0; batch < 200 && last.ok(); ++batch) {
    std::vector<core::Interaction> many;
    for (int i = 0; i < 100; ++i) {
      many.push_back(Call("b" + std::to_string(batch) + "-" + std::to_string(i),
                          "p" + std::to_string(i) + "@example.com", T0() + core::kMinute * i));
    }
    engine->Ingest(many, T0() + core::kDay);
    last = store->Write(engine->TakeJournal());
    committed += last.ok() ? 100 : 0;
  }
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.code(), core::Code::kUnavailable);
  EXPECT_NE(last.message().find("full"), std::string::npos);
  EXPECT_EQ(Load(*store, T0() + core::kDay)->Counts().interactions, committed);
}

TEST(Lists, JoinAndSplitRoundTrip) {
  const std::vector<std::string> items = {"a", "", "b c"};
  EXPECT_EQ(SplitList(JoinList(items)), items);
  EXPECT_TRUE(SplitList("").empty());
}

}  // namespace
}  // namespace warmth::store
