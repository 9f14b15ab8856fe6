// A damaged or newer store at start: warmthd names the problem and exits
// non-zero, and leaves the file exactly as it was (never a silent reset).
// A file that is not a database at all is in integration/daemon_test.cc.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "clients/common/client.h"
#include "tests/reliability/harness.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::TempDir;
namespace v1 = ::warmth::v1;

class StoreDamageTest : public ::testing::Test {
 protected:
  // A store with some contacts and 3000 interactions, cleanly stopped.
  void SetUp() override {
    DaemonProcess daemon(dir_);
    ASSERT_TRUE(daemon.Start());
    zmq::context_t context(1);
    client::Client c(
        context,
        client::ClientOptions{
            daemon.api(), std::chrono::milliseconds(2000), std::chrono::milliseconds(10000), {}});
    std::vector<v1::Interaction> events;
    for (int i = 0; i < 3000; ++i) {
      v1::Interaction in;
      in.set_event_id("d-" + std::to_string(i));
      in.add_contacts("d" + std::to_string(i % 40) + "@damage.test");
      in.set_channel(v1::EMAIL);
      events.push_back(in);
    }
    const auto totals = c.IngestAll(events, {});
    ASSERT_TRUE(totals.ok()) << totals.status().message();
    ASSERT_EQ(daemon.Stop(), 0);
    // A clean stop leaves no WAL content: the damage below is all there is.
    std::filesystem::remove(Store() + "-wal");
    std::filesystem::remove(Store() + "-shm");
  }

  std::string Store() const { return dir_.File("data/warmth.db"); }

  // Starts warmthd on the damaged store and expects it to refuse.
  void ExpectRefused(const std::string& what) {
    const std::string before = testing::ReadFile(Store());
    const auto r = testing::RunCommand(
        {testing::WarmthdPath(), "--config", dir_.Write("w.toml", testing::kImmediateConfig),
         "--data-dir", dir_.File("data"), "--api", "ipc://" + dir_.File("api"), "--pub",
         "ipc://" + dir_.File("pub")});
    EXPECT_EQ(r.exit_code, 78) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(Store()), std::string::npos) << "names the file: " << r.err;
    EXPECT_TRUE(testing::ReadFile(Store()) == before) << "the store file was changed";
  }

  TempDir dir_;
};

TEST_F(StoreDamageTest, NewerSchemaIsRefused) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Store().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  ExpectRefused("has schema version 99, newer than this warmthd understands");
}

TEST_F(StoreDamageTest, DamagedPageIsRefused) {
  const auto size = std::filesystem::file_size(Store());
  ASSERT_GT(size, 20 * 4096u);
  {
    std::fstream f(Store(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  ExpectRefused("is damaged");
}

TEST_F(StoreDamageTest, TruncatedFileIsRefused) {
  const auto size = std::filesystem::file_size(Store());
  std::filesystem::resize_file(Store(), size / 2 / 4096 * 4096);
  ExpectRefused("is damaged");
}

TEST_F(StoreDamageTest, DamagedHeaderIsRefused) {
  {
    std::fstream f(Store(), std::ios::in | std::ios::out | std::ios::binary);
    f.write("not a database!", 16);
  }
  ExpectRefused("is not a warmth database or is damaged");
}

}  // namespace
}  // namespace warmth
