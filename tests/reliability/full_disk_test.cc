// A full disk on the real daemon, acted out with --store-max-pages: writes
// get UNAVAILABLE with a clear message and a log line, reads go on, nothing
// of a failed batch is half-saved, and after a restart with room again every
// acknowledged event is there and the store is sound.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "clients/common/client.h"
#include "tests/reliability/harness.h"
#include "tests/support/dealer.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using testing::DaemonProcess;
using testing::StoreReader;
using testing::TempDir;
namespace v1 = ::warmth::v1;

v1::Request Batch(int first, int count) {
  v1::Request r;
  for (int i = first; i < first + count; ++i) {
    auto* in = r.mutable_ingest()->add_interactions();
    in->set_event_id("full-" + std::to_string(i));
    in->add_contacts("f" + std::to_string(i % 30) + "@disk.test");
    in->set_channel(v1::MESSAGE);
    in->set_direction(v1::MUTUAL);
    in->set_source("full-disk-test");
  }
  return r;
}

core::Result<v1::Reply> Call(zmq::context_t& context, const DaemonProcess& daemon,
                             const v1::Request& r) {
  client::Client c(
      context,
      client::ClientOptions{
          daemon.api(), std::chrono::milliseconds(2000), std::chrono::milliseconds(10000), {}});
  return c.Call(r);
}

TEST(FullDisk, WritesFailCleanlyReadsGoOnAndNothingAcknowledgedIsLost) {
  TempDir dir;
  zmq::context_t context(1);
  constexpr int kBatch = 50;
  int acknowledged = 0;  // events full-0 … full-(acknowledged-1)
  v1::Request failed;
  std::string message;
  {
    DaemonProcess daemon(dir, testing::kImmediateConfig, {"--store-max-pages", "64"});
    ASSERT_TRUE(daemon.Start());
    v1::Request contact;
    contact.mutable_upsert_contact()->mutable_contact()->set_id("kept");
    contact.mutable_upsert_contact()->mutable_contact()->set_circle(v1::CLOSE);
    contact.mutable_upsert_contact()->mutable_contact()->add_identifiers("f0@disk.test");
    ASSERT_TRUE(Call(context, daemon, contact).ok());
    // Fill the store until a write fails.
    for (int round = 0; round < 1000; ++round) {
      const v1::Request batch = Batch(acknowledged, kBatch);
      const auto reply = Call(context, daemon, batch);
      if (!reply.ok()) {
        ASSERT_EQ(reply.status().code(), core::Code::kUnavailable) << reply.status().message();
        failed = batch;
        message = reply.status().message();
        break;
      }
      for (const auto& item : reply->ingest().items()) {
        ASSERT_EQ(item.outcome(), v1::IngestResult::ACCEPTED);
      }
      acknowledged += kBatch;
    }
    ASSERT_GT(failed.ingest().interactions_size(), 0) << "the store never filled up";
    ASSERT_GT(acknowledged, 0);
    EXPECT_NE(message.find("full"), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was saved"), std::string::npos) << message;
    EXPECT_NE(daemon.Log().find("the disk or database is full"), std::string::npos) << daemon.Log();

    // Reads are served; Status tells what is wrong.
    v1::Request status;
    status.mutable_status();
    const auto s = Call(context, daemon, status);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->status().interactions(), acknowledged);
    EXPECT_NE(s->status().last_store_error().find("full"), std::string::npos);
    v1::Request get;
    get.mutable_get_contact()->set_contact_id("kept");
    const auto kept = Call(context, daemon, get);
    ASSERT_TRUE(kept.ok()) << kept.status().message();
    EXPECT_GT(kept->contact().interaction_count(), 0);
    v1::Request list;
    list.mutable_list_contacts()->set_include_unsorted(true);
    const auto contacts = Call(context, daemon, list);
    ASSERT_TRUE(contacts.ok()) << contacts.status().message();
    EXPECT_GE(contacts->contacts().contacts_size(), 2);

    // Writes keep failing, with the reason, while the disk stays full.
    for (int attempt = 0; attempt < 3; ++attempt) {
      const auto again = Call(context, daemon, failed);
      ASSERT_FALSE(again.ok());
      EXPECT_EQ(again.status().code(), core::Code::kUnavailable);
      EXPECT_NE(again.status().message().find("full"), std::string::npos)
          << again.status().message();
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
    }
    EXPECT_TRUE(daemon.Running());
    EXPECT_EQ(daemon.Stop(), 0) << daemon.Log();
  }
  {
    StoreReader store(dir.File("data/warmth.db"));
    EXPECT_EQ(store.IntegrityCheck(), "ok");
    EXPECT_EQ(store.Count("SELECT count(*) FROM interactions"), acknowledged);
  }
  // Room again: a restart without the limit.
  DaemonProcess daemon(dir);
  ASSERT_TRUE(daemon.Start());
  v1::Request status;
  status.mutable_status();
  const auto s = Call(context, daemon, status);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->status().interactions(), acknowledged);
  EXPECT_EQ(s->status().last_store_error(), "");
  // Nothing of the failed batch was saved: every event of it is new now.
  const auto retry = Call(context, daemon, failed);
  ASSERT_TRUE(retry.ok()) << retry.status().message();
  for (const auto& item : retry->ingest().items()) {
    EXPECT_EQ(item.outcome(), v1::IngestResult::ACCEPTED) << item.event_id();
  }
  // And what was acknowledged before is still known.
  const auto old = Call(context, daemon, Batch(0, kBatch));
  ASSERT_TRUE(old.ok());
  for (const auto& item : old->ingest().items()) {
    EXPECT_EQ(item.outcome(), v1::IngestResult::DUPLICATE) << item.event_id();
  }
  ASSERT_EQ(daemon.Stop(), 0);
  StoreReader store(dir.File("data/warmth.db"));
  EXPECT_EQ(store.IntegrityCheck(), "ok");
  EXPECT_EQ(store.Count("SELECT count(*) FROM interactions"),
            acknowledged + failed.ingest().interactions_size());
  std::cout << "full disk: " << acknowledged << " events acknowledged before the store filled, "
            << "all kept; the failed batch of " << failed.ingest().interactions_size()
            << " was saved whole after the restart; the failed write was answered: " << message
            << std::endl;
}

// Clients that send at once fill the store while commits are pipelined: a
// batch handled while the commit before it runs shares that commit's fate
// when it fails (the engine is rebuilt from the store). Each reply must tell
// the truth: every ACCEPTED event is stored, no event of a batch answered
// UNAVAILABLE is, and the daemon keeps serving.
TEST(FullDisk, ConcurrentClientsAreToldExactlyWhatWasSaved) {
  TempDir dir;
  zmq::context_t context(2);
  constexpr int kClients = 6;
  constexpr int kRequests = 400;  // per client, all sent before reading a reply
  constexpr int kBatch = 10;
  std::vector<std::set<std::string>> accepted(kClients);
  std::vector<std::set<std::string>> refused(kClients);
  std::vector<std::string> problems(kClients);
  {
    DaemonProcess daemon(dir, testing::kImmediateConfig, {"--store-max-pages", "96"});
    ASSERT_TRUE(daemon.Start());
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        testing::PipelinedDealer dealer(context, daemon.api());
        std::map<std::string, std::vector<std::string>> ids;  // request id -> event ids
        for (int n = 0; n < kRequests; ++n) {
          v1::Request r;
          r.set_request_id("c" + std::to_string(c) + "-" + std::to_string(n));
          auto& events = ids[r.request_id()];
          for (int i = 0; i < kBatch; ++i) {
            auto* in = r.mutable_ingest()->add_interactions();
            events.push_back(r.request_id() + "-" + std::to_string(i));
            in->set_event_id(events.back());
            in->add_contacts("p" + std::to_string((n * kBatch + i) % 40) + "@disk.test");
            in->set_channel(v1::EMAIL);
            in->set_direction(v1::OUTBOUND);
            in->set_source("full-disk-test");
          }
          dealer.Send(r);
        }
        for (int n = 0; n < kRequests; ++n) {
          const std::optional<v1::Reply> got = dealer.Receive(std::chrono::seconds(20));
          if (!got) {
            problems[c] += "no reply within 20 s\n";
            return;
          }
          const v1::Reply& reply = *got;
          const auto it = ids.find(reply.request_id());
          if (it == ids.end()) {
            problems[c] += "a reply to no request: " + reply.request_id() + "\n";
            continue;
          }
          if (reply.has_error()) {
            // Nothing of it was saved, whether the store was full, writes
            // were held after that, or the backlog was.
            if (reply.error().code() != v1::Error::UNAVAILABLE &&
                reply.error().code() != v1::Error::RESOURCE_EXHAUSTED) {
              problems[c] += reply.error().message() + "\n";
            }
            refused[c].insert(it->second.begin(), it->second.end());
          } else {
            for (const auto& item : reply.ingest().items()) {
              if (item.outcome() != v1::IngestResult::ACCEPTED) {
                problems[c] += item.event_id() + " not accepted\n";
              }
            }
            accepted[c].insert(it->second.begin(), it->second.end());
          }
          ids.erase(it);
        }
      });
    }
    for (std::thread& t : clients) {
      t.join();
    }
    EXPECT_TRUE(daemon.Running());
    EXPECT_EQ(daemon.Stop(), 0) << daemon.Log();
  }
  StoreReader store(dir.File("data/warmth.db"));
  EXPECT_EQ(store.IntegrityCheck(), "ok");
  std::set<std::string> stored;
  store.Query("SELECT event_id FROM interactions",
              [&](const std::vector<std::string>& row) { stored.insert(row[0]); });
  std::size_t acknowledged = 0;
  std::size_t not_saved = 0;
  int wrong = 0;
  for (int c = 0; c < kClients; ++c) {
    EXPECT_EQ(problems[c], "") << "client " << c;
    EXPECT_FALSE(refused[c].empty()) << "client " << c << " never saw the store full";
    for (const std::string& id : accepted[c]) {
      wrong += stored.contains(id) ? 0 : 1;
    }
    for (const std::string& id : refused[c]) {
      wrong += stored.contains(id) ? 1 : 0;
    }
    acknowledged += accepted[c].size();
    not_saved += refused[c].size();
  }
  EXPECT_EQ(wrong, 0) << "events acknowledged but not stored, or refused but stored";
  EXPECT_EQ(stored.size(), acknowledged);
  std::cout << "full disk, " << kClients << " pipelining clients: " << acknowledged
            << " events acknowledged and stored, " << not_saved << " refused and not stored"
            << std::endl;
}

// A tmpfs of `bytes` mounted at `path` for the life of the object (root
// only: mounting needs CAP_SYS_ADMIN).
class SmallFileSystem {
 public:
  SmallFileSystem(const std::string& path, std::size_t bytes) : path_(path) {
    std::filesystem::create_directories(path);
    const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
    if (mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallFileSystem() {
    if (mounted_) {
      umount2(path_.c_str(), MNT_DETACH);
    }
  }
  SmallFileSystem(const SmallFileSystem&) = delete;
  SmallFileSystem& operator=(const SmallFileSystem&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

// Writes zeros to `path` until the file system refuses; returns the bytes written.
std::size_t FillUp(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  const std::string block(4096, '\0');
  std::size_t written = 0;
  while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush()) {
    written += block.size();
  }
  return written;
}

// The disk fills up for real (a small tmpfs the test mounts under the data
// directory, filled by a file beside the store) and space comes back while
// warmthd runs: once the file is gone, writes succeed again without a
// restart, and the batch that failed is saved whole.
TEST(FullDisk, RecoversWithoutRestartWhenSpaceReturns) {
  TempDir dir;
  SmallFileSystem disk(dir.File("data"), 4 * 1024 * 1024);
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); needs root";
  }
  zmq::context_t context(1);
  constexpr int kBatch = 50;
  DaemonProcess daemon(dir);
  ASSERT_TRUE(daemon.Start());
  // Leave the store a little room, then use it up.
  const std::string filler = dir.File("data/filler");
  FillUp(filler);
  std::filesystem::resize_file(filler, std::filesystem::file_size(filler) - 96 * 1024);
  int acknowledged = 0;
  v1::Request failed;
  for (int round = 0; round < 1000; ++round) {
    const v1::Request batch = Batch(acknowledged, kBatch);
    const auto reply = Call(context, daemon, batch);
    if (!reply.ok()) {
      ASSERT_EQ(reply.status().code(), core::Code::kUnavailable) << reply.status().message();
      EXPECT_NE(reply.status().message().find("full"), std::string::npos)
          << reply.status().message();
      failed = batch;
      break;
    }
    acknowledged += kBatch;
  }
  ASSERT_GT(failed.ingest().interactions_size(), 0) << "the file system never filled up";
  ASSERT_GT(acknowledged, 0);

  // Space comes back; after the hold (1 s) the same batch goes through.
  std::filesystem::remove(filler);
  std::optional<v1::Reply> saved;
  for (int attempt = 0; attempt < 50 && !saved; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto reply = Call(context, daemon, failed);
    if (reply.ok()) {
      saved = std::move(reply).value();
    }
  }
  ASSERT_TRUE(saved.has_value()) << "writes never resumed\n" << daemon.Log();
  for (const auto& item : saved->ingest().items()) {
    EXPECT_EQ(item.outcome(), v1::IngestResult::ACCEPTED) << item.event_id();
  }
  EXPECT_NE(daemon.Log().find("store writable again"), std::string::npos) << daemon.Log();
  v1::Request status;
  status.mutable_status();
  const auto s = Call(context, daemon, status);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->status().last_store_error(), "");
  EXPECT_EQ(s->status().interactions(), acknowledged + kBatch);
  ASSERT_EQ(daemon.Stop(), 0) << daemon.Log();
  StoreReader store(dir.File("data/warmth.db"));
  EXPECT_EQ(store.IntegrityCheck(), "ok");
  EXPECT_EQ(store.Count("SELECT count(*) FROM interactions"), acknowledged + kBatch);
  std::cout << "full disk (tmpfs): " << acknowledged
            << " events acknowledged before the file system filled; writes resumed without a "
               "restart once space returned"
            << std::endl;
}

}  // namespace
}  // namespace warmth
