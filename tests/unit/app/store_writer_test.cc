// The store's writer thread on a real SQLite file: a commit is collected
// once, when its descriptor says so; a failed write comes back as a status;
// a writer destroyed mid-commit finishes it first.
#include "daemon/app/store_writer.h"

#include <gtest/gtest.h>
#include <poll.h>

#include "base/phone.h"
#include "daemon/core/engine.h"
#include "tests/support/engine.h"
#include "tests/support/support.h"

namespace warmth::app {
namespace {

using warmth::testing::T0;
using warmth::testing::TempDir;

bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

std::unique_ptr<store::SqliteStore> OpenOrDie(const std::string& path,
                                              store::StoreOptions options = {}) {
  auto store = store::SqliteStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

// `n` contacts, one interaction each, as the engine journals them.
std::vector<core::Change> Journal(int n) {
  core::Engine engine(testing::ImmediateOptions(), nullptr, base::PhoneNormalizerFor(""));
  engine.FinishLoad(T0());
  std::vector<core::Interaction> batch;
  for (int i = 0; i < n; ++i) {
    core::Interaction in;
    in.event_id = "e" + std::to_string(i);
    in.contacts = {"p" + std::to_string(i) + "@writer.test"};
    in.channel = core::Channel::kEmail;
    in.direction = core::Direction::kOutbound;
    in.occurred_at = T0();
    batch.push_back(in);
  }
  engine.Ingest(batch, T0());
  return engine.TakeJournal();
}

std::int64_t StoredInteractions(const std::string& path) {
  auto store = OpenOrDie(path);
  core::Engine engine(testing::ImmediateOptions(), nullptr, base::PhoneNormalizerFor(""));
  EXPECT_TRUE(store->LoadInto(engine).ok());
  engine.FinishLoad(T0());
  return engine.Counts().interactions;
}

TEST(StoreWriter, ACommitIsCollectedOnceWhenItsDescriptorSaysSo) {
  TempDir dir;
  auto store = OpenOrDie(dir.File("warmth.db"));
  StoreWriter writer(*store);
  EXPECT_FALSE(writer.busy());
  EXPECT_FALSE(writer.Collect());
  EXPECT_FALSE(Readable(writer.fd()));
  writer.Submit(Journal(20));
  EXPECT_TRUE(writer.busy());
  writer.WaitIdle();
  EXPECT_TRUE(Readable(writer.fd()));
  EXPECT_TRUE(writer.busy()) << "busy until collected";
  const auto done = writer.Collect();
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->status.ok()) << done->status.message();
  EXPECT_EQ(done->journal.size(), Journal(20).size()) << "the journal comes back as submitted";
  EXPECT_FALSE(writer.busy());
  EXPECT_FALSE(Readable(writer.fd())) << "readable again only after the next commit";
  EXPECT_FALSE(writer.Collect());
  // The store is the caller's again: it reads what was committed.
  EXPECT_TRUE(store->HasEvent("e7", T0()));
}

TEST(StoreWriter, AFailedWriteComesBackAsItsStatusAndSavesNothing) {
  TempDir dir;
  store::StoreOptions small;
  small.max_page_count = 24;  // a full disk, acted out
  auto store = OpenOrDie(dir.File("warmth.db"), small);
  StoreWriter writer(*store);
  writer.Submit(Journal(2000));
  writer.WaitIdle();
  const auto done = writer.Collect();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status.code(), core::Code::kUnavailable) << done->status.message();
  EXPECT_FALSE(store->HasEvent("e1", T0()));
  // The writer takes the next commit as if nothing happened.
  writer.Submit(Journal(1));
  writer.WaitIdle();
  const auto next = writer.Collect();
  ASSERT_TRUE(next);
  EXPECT_TRUE(next->status.ok()) << next->status.message();
}

TEST(StoreWriter, DestroyedWithACommitInFlightItFinishesItFirst) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.File("warmth.db"));
    StoreWriter writer(*store);
    writer.Submit(Journal(500));
  }  // no WaitIdle, no Collect
  EXPECT_EQ(StoredInteractions(dir.File("warmth.db")), 500);
}

}  // namespace
}  // namespace warmth::app
