// warmth-push against a real warmthd and a small HTTP server of the test's
// own on 127.0.0.1, which records every request (method, path, headers,
// body) and answers with the statuses the test scripts.
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clients/common/client.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using namespace std::chrono_literals;
using testing::DaemonProcess;
using testing::TempDir;

// Polls `check` every 50 ms for up to `limit`.
template <typename F>
bool WaitFor(F check, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) {
      return true;
    }
    std::this_thread::sleep_for(50ms);
  }
  return check();
}

struct Recorded {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  int status = 0;  // what the server answered
};

// HTTP/1.1 on a loopback socket, one request per connection (it answers
// "Connection: close"). Paths answer 200 unless scripted otherwise.
class HttpServer {
 public:
  HttpServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    const int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~HttpServer() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
    ::close(fd_);
  }
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The next requests to `path` are answered with these statuses, in turn.
  void Script(const std::string& path, std::deque<int> statuses) {
    const std::lock_guard lock(mutex_);
    scripts_[path] = std::move(statuses);
  }
  std::vector<Recorded> Requests() {
    const std::lock_guard lock(mutex_);
    return requests_;
  }
  std::vector<Recorded> To(const std::string& path) {
    std::vector<Recorded> out;
    for (auto& r : Requests()) {
      if (r.path == path) {
        out.push_back(r);
      }
    }
    return out;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn >= 0) {
        Handle(conn);
        ::close(conn);
      }
    }
  }

  void Handle(int conn) {
    std::string data;
    std::size_t header_end = std::string::npos;
    std::size_t want = 0;
    char buf[4096];
    while (true) {
      pollfd p{conn, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) {
        return;
      }
      const ssize_t n = ::read(conn, buf, sizeof buf);
      if (n <= 0) {
        return;
      }
      data.append(buf, static_cast<std::size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          want = header_end + 4 + ContentLength(data.substr(0, header_end));
        }
      }
      if (header_end != std::string::npos && data.size() >= want) {
        break;
      }
    }
    Recorded r;
    std::istringstream head(data.substr(0, header_end));
    std::string line;
    std::getline(head, line);
    std::istringstream first(line);
    first >> r.method >> r.path;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      const auto colon = line.find(':');
      if (colon == std::string::npos) {
        continue;
      }
      std::string name = line.substr(0, colon);
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    r.body = data.substr(header_end + 4);
    {
      const std::lock_guard lock(mutex_);
      r.status = 200;
      if (auto it = scripts_.find(r.path); it != scripts_.end() && !it->second.empty()) {
        r.status = it->second.front();
        it->second.pop_front();
      }
      requests_.push_back(r);
    }
    const std::string answer = "HTTP/1.1 " + std::to_string(r.status) +
                               " X\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                               "Connection: close\r\n\r\n{}";
    (void)!::write(conn, answer.data(), answer.size());
  }

  static std::size_t ContentLength(const std::string& head) {
    std::string lower = head;
    for (char& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const auto at = lower.find("content-length:");
    return at == std::string::npos ? 0 : std::stoul(lower.substr(at + 15));
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, std::deque<int>> scripts_;
  std::vector<Recorded> requests_;
};

// The real warmth-push binary, its stdout and stderr in one file.
class PushProcess {
 public:
  PushProcess(const TempDir& dir, std::string name) : dir_(dir), name_(std::move(name)) {}
  ~PushProcess() { Stop(); }
  void Start(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {WARMTH_PUSH_PATH, "--log-level", "debug"};
    argv.insert(argv.end(), args.begin(), args.end());
    child_ = std::make_unique<testing::ChildProcess>(
        argv, testing::ChildIo{"", LogPath(), LogPath(), true});
  }
  int Stop() { return child_ ? child_->Stop(SIGTERM, 5s) : -1; }
  std::string LogPath() const { return dir_.File(name_ + ".log"); }
  std::string Log() const { return testing::ReadFile(LogPath()); }
  bool Logged(const std::string& text) const { return Log().find(text) != std::string::npos; }

 private:
  const TempDir& dir_;
  std::string name_;
  std::unique_ptr<testing::ChildProcess> child_;
};

class PushTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(daemon_.Start()); }

  client::Client Connect() {
    return client::Client(zmq_, client::ClientOptions{daemon_.api(), 1s, 5s, {}});
  }

  // A contact with a phone number whose call was missed 3 hours ago: a
  // CALL_BACK nudge at once (rules.call_back.after is 2 hours).
  void MissedCall(const std::string& id, const std::string& name, const std::string& phone) {
    client::Client c = Connect();
    v1::Request upsert;
    auto* contact = upsert.mutable_upsert_contact()->mutable_contact();
    contact->set_id(id);
    contact->set_display_name(name);
    contact->set_circle(v1::CLOSE);
    contact->add_identifiers("tel:" + phone);
    auto up = c.Call(upsert);
    ASSERT_TRUE(up.ok()) << up.status().message();
    v1::Request ingest;
    auto* call = ingest.mutable_ingest()->add_interactions();
    call->set_event_id("missed-" + id);
    call->add_contacts(id);
    call->set_channel(v1::CALL);
    call->set_direction(v1::INBOUND);
    call->set_missed(true);
    const auto at = std::chrono::system_clock::now() - 3h;
    call->mutable_occurred_at()->set_seconds(
        std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
    auto reply = c.Call(ingest);
    ASSERT_TRUE(reply.ok()) << reply.status().message();
    ASSERT_EQ(reply->ingest().items(0).outcome(), v1::IngestResult::ACCEPTED);
  }

  std::vector<v1::Nudge> Pending() {
    client::Client c = Connect();
    v1::Request list;
    list.mutable_list_nudges();
    auto reply = c.Call(list);
    if (!reply.ok()) {
      return {};
    }
    return {reply->nudges().nudges().begin(), reply->nudges().nudges().end()};
  }

  // A token file with `mode`.
  std::string Token(const std::string& name, const std::string& token, mode_t mode = 0600) {
    std::string path = dir_.Write(name, token + "\n");
    ::chmod(path.c_str(), mode);
    return path;
  }

  // warmth-push's own config: [push] with `targets`, quick retries.
  std::string PushConfig(const std::string& targets) {
    return dir_.Write("push.toml",
                      "timezone = \"UTC\"\n[push]\nretry_first = \"1s\"\n"
                      "retry_max = \"2s\"\ngive_up_after = 2\ntimeout = \"5s\"\n" +
                          targets);
  }

  std::vector<std::string> Flags(const std::string& config) {
    return {"--config", config,        "--api",       daemon_.api(),
            "--pub",    daemon_.pub(), "--state-dir", dir_.File("state")};
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_};
  zmq::context_t zmq_{1};
  HttpServer server_;
};

TEST_F(PushTest, EachTargetGetsItsRequestOnceAlsoAfterARestart) {
  MissedCall("bob", "Bob Stone", "+491711234567");
  ASSERT_TRUE(WaitFor([&] { return Pending().size() == 1; })) << daemon_.Log();
  const v1::Nudge nudge = Pending()[0];
  ASSERT_EQ(nudge.kind(), v1::CALL_BACK);

  const std::string config = PushConfig(
      "[push.ntfy]\nurl = \"" + server_.Url("/warmth-topic") + "\"\ntoken_file = \"" +
      Token("ntfy.token", "tk_ntfy") + "\"\nclick = \"https://example.org/warmth\"\n" +
      "[push.gotify]\nurl = \"" + server_.Url("/gotify/") + "\"\ntoken_file = \"" +
      Token("gotify.token", "gotify-app-token") + "\"\n" + "[push.matrix]\nhomeserver = \"" +
      server_.Url("") + "\"\nroom = \"!room:example.org\"\ntoken_file = \"" +
      Token("matrix.token", "syt_matrix") + "\"\n" + "[push.webhook]\nurl = \"" +
      server_.Url("/hook") + "\"\n");
  PushProcess first(dir_, "first");
  first.Start(Flags(config));
  ASSERT_TRUE(WaitFor([&] { return server_.Requests().size() >= 4; })) << first.Log();

  const auto ntfy = server_.To("/warmth-topic");
  ASSERT_EQ(ntfy.size(), 1u) << first.Log();
  EXPECT_EQ(ntfy[0].method, "POST");
  EXPECT_EQ(ntfy[0].body, nudge.text());
  EXPECT_EQ(ntfy[0].headers.at("title"), "Call Bob Stone back") << first.Log();
  EXPECT_EQ(ntfy[0].headers.at("priority"), "4");  // a missed call wants returning soon
  EXPECT_EQ(ntfy[0].headers.at("tags"), "telephone_receiver,call_back");
  EXPECT_EQ(ntfy[0].headers.at("click"), "https://example.org/warmth");
  EXPECT_EQ(ntfy[0].headers.at("actions"), "view, Call Bob Stone, tel:+491711234567");
  EXPECT_EQ(ntfy[0].headers.at("authorization"), "Bearer tk_ntfy");

  const auto gotify = server_.To("/gotify/message");
  ASSERT_EQ(gotify.size(), 1u) << first.Log();
  EXPECT_EQ(gotify[0].method, "POST");
  EXPECT_EQ(gotify[0].headers.at("x-gotify-key"), "gotify-app-token");
  EXPECT_EQ(gotify[0].headers.at("content-type"), "application/json");
  google::protobuf::Struct g;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(gotify[0].body, &g).ok())
      << gotify[0].body;
  EXPECT_EQ(g.fields().at("title").string_value(), "Call Bob Stone back");
  EXPECT_EQ(g.fields().at("message").string_value(), nudge.text());
  EXPECT_EQ(g.fields().at("priority").number_value(), 8);

  const std::string matrix_path =
      "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/warmth-" + nudge.id();
  const auto matrix = server_.To(matrix_path);
  ASSERT_EQ(matrix.size(), 1u) << first.Log();
  EXPECT_EQ(matrix[0].method, "PUT");
  EXPECT_EQ(matrix[0].headers.at("authorization"), "Bearer syt_matrix");
  google::protobuf::Struct m;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(matrix[0].body, &m).ok())
      << matrix[0].body;
  EXPECT_EQ(m.fields().at("msgtype").string_value(), "m.text");
  EXPECT_EQ(m.fields().at("body").string_value(), "Call Bob Stone back\n" + nudge.text());

  const auto hook = server_.To("/hook");
  ASSERT_EQ(hook.size(), 1u) << first.Log();
  EXPECT_EQ(hook[0].method, "POST");
  EXPECT_EQ(hook[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(hook[0].headers.count("authorization"), 0u);
  v1::Nudge sent;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(hook[0].body, &sent).ok())
      << hook[0].body;
  EXPECT_EQ(sent.id(), nudge.id());
  EXPECT_EQ(sent.kind(), v1::CALL_BACK);
  EXPECT_EQ(sent.text(), nudge.text());
  EXPECT_EQ(sent.contact_names(0), "Bob Stone");
  EXPECT_EQ(server_.Requests().size(), 4u);
  EXPECT_EQ(first.Stop(), 0);

  // Restarted: it sees the same pending nudge and pushes nothing again.
  PushProcess second(dir_, "second");
  second.Start(Flags(config));
  ASSERT_TRUE(WaitFor([&] {
    return second.Logged("settling after") && second.Logged("1 pending nudge(s), 0 not pushed");
  })) << second.Log();
  EXPECT_EQ(second.Stop(), 0);
  EXPECT_EQ(server_.Requests().size(), 4u);
}

TEST_F(PushTest, PushesLiveNudgesAndThoseMissedWhileDown) {
  const std::string config = PushConfig("[push.webhook]\nurl = \"" + server_.Url("/hook") + "\"\n");
  PushProcess push(dir_, "push");
  push.Start(Flags(config));
  ASSERT_TRUE(WaitFor([&] { return push.Logged("connected to warmthd"); })) << push.Log();
  MissedCall("ann", "Ann Lee", "+491711234568");
  ASSERT_TRUE(WaitFor([&] { return server_.To("/hook").size() == 1; })) << push.Log();
  EXPECT_NE(server_.To("/hook")[0].body.find("Ann Lee"), std::string::npos);
  EXPECT_EQ(push.Stop(), 0);

  // Published while warmth-push is down: pushed when it starts, once.
  MissedCall("cy", "Cy Twombly", "+491711234569");
  ASSERT_TRUE(WaitFor([&] { return Pending().size() == 2; })) << daemon_.Log();
  PushProcess again(dir_, "again");
  again.Start(Flags(config));
  ASSERT_TRUE(WaitFor([&] { return server_.To("/hook").size() == 2; })) << again.Log();
  v1::Nudge sent;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(server_.To("/hook")[1].body, &sent).ok());
  EXPECT_EQ(sent.contact_names(0), "Cy Twombly");
  ASSERT_TRUE(WaitFor([&] { return again.Logged("settling after"); })) << again.Log();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(again.Stop(), 0);
  EXPECT_EQ(server_.To("/hook").size(), 2u) << again.Log();
}

TEST_F(PushTest, AServerErrorIsRetriedUntilOnePushGetsThrough) {
  server_.Script("/flaky", {500, 200});
  MissedCall("bob", "Bob Stone", "+491711234567");
  ASSERT_TRUE(WaitFor([&] { return Pending().size() == 1; })) << daemon_.Log();
  PushProcess push(dir_, "push");
  push.Start(Flags(PushConfig("[push.ntfy]\nurl = \"" + server_.Url("/flaky") + "\"\n")));
  ASSERT_TRUE(WaitFor([&] { return push.Logged("pushed nudge"); })) << push.Log();
  const auto requests = server_.To("/flaky");
  ASSERT_EQ(requests.size(), 2u) << push.Log();
  EXPECT_EQ(requests[0].status, 500);
  EXPECT_EQ(requests[1].status, 200);
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_TRUE(push.Logged("not pushed (HTTP 500")) << push.Log();
  EXPECT_TRUE(push.Logged("after 2 tries")) << push.Log();
  // Delivered: the later ListNudges does not send it again.
  ASSERT_TRUE(WaitFor([&] { return push.Logged("1 pending nudge(s), 0 not pushed"); }))
      << push.Log();
  EXPECT_EQ(push.Stop(), 0);
  EXPECT_EQ(server_.To("/flaky").size(), 2u);
}

TEST_F(PushTest, ARefusedPushIsGivenUpLoudlyAfterItsTries) {
  server_.Script("/topic", {403, 403, 403});
  MissedCall("bob", "Bob Stone", "+491711234567");
  PushProcess push(dir_, "push");
  push.Start(Flags(PushConfig("[push.ntfy]\nurl = \"" + server_.Url("/topic") + "\"\n")));
  ASSERT_TRUE(WaitFor([&] { return push.Logged("GAVE UP"); })) << push.Log();
  EXPECT_EQ(server_.To("/topic").size(), 2u);  // give_up_after = 2
  EXPECT_TRUE(push.Logged("refused (HTTP 403")) << push.Log();
  EXPECT_EQ(push.Stop(), 0);
}

TEST_F(PushTest, ATokenFileOthersCanReadIsRefused) {
  const std::string token = Token("open.token", "secret-token", 0644);
  const auto r = testing::RunCommand({WARMTH_PUSH_PATH, "--config",
                                      PushConfig("[push.gotify]\nurl = \"" + server_.Url("/g") +
                                                 "\"\ntoken_file = \"" + token + "\"\n"),
                                      "--api", daemon_.api(), "--pub", daemon_.pub(), "--state-dir",
                                      dir_.File("state")});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find(token + " is open to other users (mode 0644)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("secret-token"), std::string::npos) << r.err;
  EXPECT_TRUE(server_.Requests().empty());
}

TEST_F(PushTest, WithoutATargetNothingIsSentAndItExits78) {
  const std::string config = dir_.Write("none.toml", "timezone = \"UTC\"\n");
  const auto r = testing::RunCommand({WARMTH_PUSH_PATH, "--config", config});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("no push target"), std::string::npos) << r.err;
  const std::string typo =
      dir_.Write("typo.toml", "[push.ntfy]\nurl = \"https://ntfy.sh/x\"\ntoken = \"abc\"\n");
  const auto r2 = testing::RunCommand({WARMTH_PUSH_PATH, "--config", typo});
  EXPECT_EQ(r2.exit_code, 78);
  EXPECT_NE(r2.err.find("push.ntfy.token: unknown key"), std::string::npos) << r2.err;
}

}  // namespace
}  // namespace warmth
