// warmthd on tcp:// with CURVE: real sockets, real keys, the real binary.
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "clients/common/client.h"
#include "daemon/transport/codec.h"
#include "daemon/transport/curve.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

namespace warmth {
namespace {

using namespace std::chrono_literals;
using testing::DaemonProcess;
using testing::TempDir;
using transport::KeyPair;
namespace v1 = ::warmth::v1;

core::TimePoint Now() {
  return std::chrono::time_point_cast<core::Duration>(std::chrono::system_clock::now());
}

KeyPair NewKeys() {
  auto k = transport::GenerateKeyPair();
  if (!k.ok()) {
    throw std::runtime_error(k.status().message());
  }
  return *k;
}

std::string Tcp(int port) {
  return "tcp://127.0.0.1:" + std::to_string(port);
}

// What each role may ask, written out here from the security table in
// DESIGN.md rather than taken from the code under test. Admin may ask all.
const std::map<std::string, std::set<std::string>> kAllowedBodies = {
    {"ingest", {"ingest"}},
    {"notify", {"list_nudges", "done", "snooze", "dismiss"}},
};

// One request for every body the wire contract has, each with an empty body.
std::vector<v1::Request> EveryRequestType() {
  std::vector<v1::Request> out;
  const auto* oneof = v1::Request::descriptor()->FindOneofByName("body");
  for (int i = 0; i < oneof->field_count(); ++i) {
    v1::Request r;
    r.GetReflection()->MutableMessage(&r, oneof->field(i));
    out.push_back(r);
  }
  return out;
}

std::string BodyName(const v1::Request& r) {
  return v1::Request::descriptor()->FindFieldByNumber(static_cast<int>(r.body_case()))->name();
}

class ServerAuthTest : public ::testing::Test {
 protected:
  ServerAuthTest()
      : server_(NewKeys()),
        admin_(NewKeys()),
        notify_(NewKeys()),
        ingest_(NewKeys()),
        stranger_(NewKeys()),
        api_(Tcp(testing::FreeTcpPort())),
        pub_(Tcp(testing::FreeTcpPort())) {
    auto written = transport::WriteKeyPair(server_, dir_.path().string(), "server");
    if (!written.ok()) {
      throw std::runtime_error(written.status().message());
    }
    WriteKeys({{admin_, "admin", "laptop"},
               {notify_, "notify", "desktop"},
               {ingest_, "ingest", "mail-hook"}});
    // Relative paths: next to the config file.
    daemon_.emplace(dir_, std::string(testing::kImmediateConfig) +
                              "[curve]\nsecret_key = \"server.key\"\n"
                              "authorized_keys = \"authorized_keys\"\n");
    daemon_->SetEndpoints(api_, pub_);
    daemon_->SetClientSetup(Setup(admin_));
  }

  struct Entry {
    KeyPair keys;
    std::string role;
    std::string label;
  };
  void WriteKeys(const std::vector<Entry>& entries, const std::string& extra = "") {
    std::string text = "# clients of this test\n\n";
    for (const auto& e : entries) {
      text += e.keys.public_key + "  " + e.role + "  " + e.label + "\n";
    }
    dir_.Write("authorized_keys", text + extra);
  }

  transport::SocketSetup Setup(const KeyPair& client) const {
    return transport::CurveClientSetup(server_.public_key, client);
  }

  client::Client Connect(const KeyPair& keys, std::chrono::milliseconds connect = 1500ms) {
    return client::Client(context_, client::ClientOptions{api_, connect, 5000ms, Setup(keys)});
  }

  void Reload() { ASSERT_EQ(::kill(daemon_->pid(), SIGHUP), 0); }

  // An inner contact met in person 7 days ago less 2 s: it cools to the
  // threshold in 2 s, and a COOLING nudge goes out.
  void CoolingSoon(client::Client& admin, const std::string& id) {
    v1::Request add;
    add.mutable_upsert_contact()->mutable_contact()->set_id(id);
    add.mutable_upsert_contact()->mutable_contact()->set_circle(v1::INNER);
    ASSERT_TRUE(admin.Call(add).ok());
    v1::Request log;
    auto* in = log.mutable_ingest()->add_interactions();
    in->set_event_id("met-" + id);
    in->add_contacts(id);
    in->set_channel(v1::IN_PERSON);
    in->set_direction(v1::MUTUAL);
    transport::ToProto(Now() - 7 * core::kDay + 2s, in->mutable_occurred_at());
    ASSERT_TRUE(admin.Call(log).ok());
  }

  // Polls until a fresh connection with `keys` gets an answer (admitted), or
  // until it cannot connect at all (refused in the handshake): a reload takes
  // effect at the daemon's next turn.
  bool WaitUntilAdmitted(const KeyPair& keys, bool admitted) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto c = Connect(keys, 300ms);
      v1::Request r;
      r.mutable_list_nudges();
      const auto reply = c.Call(r);
      if (admitted ? reply.ok() : reply.status().code() == core::Code::kUnavailable) {
        return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  TempDir dir_;
  KeyPair server_, admin_, notify_, ingest_, stranger_;
  std::string api_, pub_;
  std::optional<DaemonProcess> daemon_;
  zmq::context_t context_{1};
};

TEST_F(ServerAuthTest, EachRoleGetsExactlyTheRequestsItsTableAllows) {
  ASSERT_TRUE(daemon_->Start());
  const std::vector<std::pair<std::string, KeyPair>> roles = {
      {"admin", admin_}, {"notify", notify_}, {"ingest", ingest_}};
  const std::vector<v1::Request> requests = EveryRequestType();
  ASSERT_GE(requests.size(), 13u);
  for (const auto& [role, keys] : roles) {
    auto c = Connect(keys);
    for (const v1::Request& request : requests) {
      const std::string body = BodyName(request);
      const bool allowed = role == "admin" || kAllowedBodies.at(role).contains(body);
      auto reply = c.Call(request);
      const core::Code code = reply.ok() ? core::Code::kOk : reply.status().code();
      EXPECT_NE(code, core::Code::kUnavailable) << role << " " << body << ": no reply";
      if (allowed) {
        EXPECT_NE(code, core::Code::kPermissionDenied)
            << role << " " << body << ": " << reply.status().message();
      } else {
        EXPECT_EQ(code, core::Code::kPermissionDenied) << role << " " << body;
      }
    }
  }
}

TEST_F(ServerAuthTest, DeniedRequestsChangeNothingAndRevealNothing) {
  ASSERT_TRUE(daemon_->Start());
  auto admin = Connect(admin_);
  auto ingest = Connect(ingest_);
  auto notify = Connect(notify_);

  v1::Request add;
  add.mutable_upsert_contact()->mutable_contact()->set_id("eve");
  add.mutable_upsert_contact()->mutable_contact()->set_circle(v1::INNER);
  EXPECT_EQ(ingest.Call(add).status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(notify.Call(add).status().code(), core::Code::kPermissionDenied);
  v1::Request get;
  get.mutable_get_contact()->set_contact_id("eve");
  EXPECT_EQ(admin.Call(get).status().code(), core::Code::kNotFound);

  // A notify key may not log interactions.
  v1::Request log;
  auto* in = log.mutable_ingest()->add_interactions();
  in->set_event_id("n1");
  in->add_contacts("bob@example.com");
  in->set_channel(v1::EMAIL);
  in->set_direction(v1::OUTBOUND);
  transport::ToProto(Now() - 1h, in->mutable_occurred_at());
  EXPECT_EQ(notify.Call(log).status().code(), core::Code::kPermissionDenied);

  // An existing contact looks the same to an ingest key as a missing one.
  ASSERT_TRUE(admin.Call(add).ok());
  const auto existing = ingest.Call(get);
  v1::Request get_missing;
  get_missing.mutable_get_contact()->set_contact_id("nobody");
  const auto missing = ingest.Call(get_missing);
  EXPECT_EQ(existing.status().code(), core::Code::kPermissionDenied);
  EXPECT_EQ(existing.status().message(), missing.status().message());
  EXPECT_EQ(existing.status().message().find("eve"), std::string::npos);

  // The ingest key's own job works, and the admin sees it.
  ASSERT_TRUE(ingest.Call(log).ok());
  v1::Request status;
  status.mutable_status();
  auto s = admin.Call(status);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->status().interactions(), 1);
}

// Sends one request on a raw DEALER and waits for any answer.
bool AnyReply(zmq::context_t& context, const std::string& endpoint,
              const transport::SocketSetup& setup, std::chrono::milliseconds wait) {
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  if (setup) {
    setup(socket);
  }
  socket.connect(endpoint);
  v1::Request r;
  r.set_request_id("probe");
  r.mutable_status();
  const std::string bytes = r.SerializeAsString();
  socket.send(zmq::message_t(), zmq::send_flags::sndmore);
  socket.send(zmq::buffer(bytes), zmq::send_flags::none);
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  zmq::poll(&item, 1, wait);
  return (item.revents & ZMQ_POLLIN) != 0;
}

TEST_F(ServerAuthTest, UnknownKeysPlainClientsAndWrongServerKeysGetNoReply) {
  ASSERT_TRUE(daemon_->Start());
  // The probe itself works with a good key, so silence below means refusal.
  EXPECT_TRUE(AnyReply(context_, api_, Setup(admin_), 5s));
  EXPECT_FALSE(AnyReply(context_, api_, Setup(stranger_), 1500ms)) << "unknown key";
  EXPECT_FALSE(AnyReply(context_, api_, {}, 1500ms)) << "plain TCP";
  EXPECT_FALSE(
      AnyReply(context_, api_, transport::CurveClientSetup(stranger_.public_key, admin_), 1500ms))
      << "admin key, wrong server key";
  // The client library says why it cannot connect.
  auto c = Connect(stranger_, 500ms);
  v1::Request r;
  r.mutable_status();
  const auto reply = c.Call(r);
  EXPECT_EQ(reply.status().code(), core::Code::kUnavailable);
  EXPECT_NE(reply.status().message().find("key"), std::string::npos) << reply.status().message();

  // Logged with the peer address, but not once per reconnect attempt.
  const std::string log = daemon_->Log();
  EXPECT_NE(log.find("refused a connection to the API socket from 127.0.0.1: unknown key " +
                     stranger_.public_key.substr(0, 8)),
            std::string::npos)
      << log;
  std::size_t refusals = 0;
  for (std::size_t at = log.find("refused a connection"); at != std::string::npos;
       at = log.find("refused a connection", at + 1)) {
    ++refusals;
  }
  EXPECT_LE(refusals, 10u) << log;
}

// Clients that fail before ZAP is asked: the handshake monitor logs them.
TEST_F(ServerAuthTest, FailedHandshakesAreLoggedWithThePeerAddress) {
  ASSERT_TRUE(daemon_->Start());
  const auto logged = [this](const std::string& what) {
    for (int i = 0; i < 50; ++i) {
      if (daemon_->Log().find(what) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };
  EXPECT_FALSE(AnyReply(context_, api_, {}, 300ms)) << "plain TCP";
  EXPECT_TRUE(logged("refused a connection to the API socket from 127.0.0.1:"));
  // Which side notices the mechanism mismatch first is a race inside
  // libzmq: when the plain client hangs up first, the daemon sees only a
  // broken pipe. Either way the refusal is logged with the peer (above).
  EXPECT_TRUE(logged("not a CURVE client (mechanism mismatch)") ||
              logged("handshake failed (errno 32: Broken pipe)"))
      << daemon_->Log();
  EXPECT_FALSE(
      AnyReply(context_, api_, transport::CurveClientSetup(stranger_.public_key, admin_), 300ms))
      << "admin key, wrong server key";
  EXPECT_TRUE(logged("wrong server key")) << daemon_->Log();
  // The daemon serves the right clients all along.
  EXPECT_TRUE(AnyReply(context_, api_, Setup(admin_), 5s));
}

TEST_F(ServerAuthTest, OnlyNotifyAndAdminKeysReceiveNudges) {
  ASSERT_TRUE(daemon_->Start());
  client::Subscriber admin_sub(context_, pub_, Setup(admin_));
  client::Subscriber notify_sub(context_, pub_, Setup(notify_));
  client::Subscriber ingest_sub(context_, pub_, Setup(ingest_));
  client::Subscriber stranger_sub(context_, pub_, Setup(stranger_));
  std::this_thread::sleep_for(500ms);  // let the subscribers join
  auto admin = Connect(admin_);
  CoolingSoon(admin, "ann");

  const auto for_admin = admin_sub.Receive(15s);
  ASSERT_TRUE(for_admin) << daemon_->Log();
  EXPECT_EQ(for_admin->kind(), v1::COOLING);
  const auto for_notify = notify_sub.Receive(5s);
  ASSERT_TRUE(for_notify);
  EXPECT_EQ(for_notify->id(), for_admin->id());
  // The nudge is out; these two never joined.
  EXPECT_FALSE(ingest_sub.Receive(1s));
  EXPECT_FALSE(stranger_sub.Receive(1s));
  EXPECT_NE(daemon_->Log().find("key \"mail-hook\" (ingest) may not subscribe to nudges"),
            std::string::npos)
      << daemon_->Log();
}

TEST_F(ServerAuthTest, SighupReloadsTheKeysWithoutDroppingAllowedClients) {
  WriteKeys({{admin_, "admin", "laptop"}});
  ASSERT_TRUE(daemon_->Start());
  // The admin's connection, watched for disconnects through the reloads.
  zmq::socket_t admin(context_, zmq::socket_type::dealer);
  admin.set(zmq::sockopt::linger, 0);
  Setup(admin_)(admin);
  ASSERT_EQ(zmq_socket_monitor(admin.handle(), "inproc://admin-monitor",
                               ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED),
            0);
  zmq::socket_t monitor(context_, zmq::socket_type::pair);
  monitor.connect("inproc://admin-monitor");
  admin.connect(api_);
  const auto admin_call = [&](const std::string& id) {
    v1::Request r;
    r.set_request_id(id);
    r.mutable_status();
    const std::string bytes = r.SerializeAsString();
    admin.send(zmq::message_t(), zmq::send_flags::sndmore);
    admin.send(zmq::buffer(bytes), zmq::send_flags::none);
    zmq::pollitem_t item{admin.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, 5s);
    if ((item.revents & ZMQ_POLLIN) == 0) {
      return false;
    }
    zmq::message_t empty;
    zmq::message_t body;
    (void)admin.recv(empty);
    (void)admin.recv(body);
    v1::Reply reply;
    return reply.ParseFromArray(body.data(), static_cast<int>(body.size())) &&
           reply.request_id() == id && reply.has_status();
  };
  ASSERT_TRUE(admin_call("a1"));

  KeyPair newcomer = NewKeys();
  EXPECT_TRUE(WaitUntilAdmitted(newcomer, false));
  // Add a key: it works once the daemon has re-read the file.
  WriteKeys({{admin_, "admin", "laptop"}, {newcomer, "notify", "tablet"}});
  Reload();
  ASSERT_TRUE(WaitUntilAdmitted(newcomer, true)) << daemon_->Log();
  auto kept = Connect(newcomer);
  v1::Request list;
  list.mutable_list_nudges();
  ASSERT_TRUE(kept.Call(list).ok());

  // A bad file changes nothing: the keys in force stay, the log names the line.
  WriteKeys({{admin_, "admin", "laptop"}, {newcomer, "notify", "tablet"}},
            "not-a-key admin oops\n");
  Reload();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (daemon_->Log().find("keeping the authorized keys in force") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_NE(daemon_->Log().find("authorized_keys:5: expected a 40-character Z85 public key"),
            std::string::npos)
      << daemon_->Log();
  EXPECT_TRUE(kept.Call(list).ok());

  // Remove it: new connections are refused, the open one is denied everything.
  WriteKeys({{admin_, "admin", "laptop"}});
  Reload();
  ASSERT_TRUE(WaitUntilAdmitted(newcomer, false)) << daemon_->Log();
  EXPECT_EQ(kept.Call(list).status().code(), core::Code::kPermissionDenied);

  // The admin never lost its connection.
  ASSERT_TRUE(admin_call("a2"));
  int connects = 0;
  int disconnects = 0;
  while (true) {
    zmq::message_t event;
    if (!monitor.recv(event, zmq::recv_flags::dontwait)) {
      break;
    }
    std::uint16_t id = 0;
    std::memcpy(&id, event.data(), sizeof id);
    zmq::message_t address;
    (void)monitor.recv(address);
    connects += id == ZMQ_EVENT_CONNECTED ? 1 : 0;
    disconnects += id == ZMQ_EVENT_DISCONNECTED ? 1 : 0;
  }
  EXPECT_EQ(connects, 1);
  EXPECT_EQ(disconnects, 0);
  zmq_socket_monitor(admin.handle(), nullptr, 0);
}

// warmthd refuses to start (exit 78) and names what is missing or wrong.
struct StartCase {
  std::string name;
  std::string config;    // added to kImmediateConfig
  std::string api;       // default: tcp://127.0.0.1 on a free port
  std::string expected;  // in its log
  std::function<void(const TempDir&)> prepare = {};
  bool allow_insecure_tcp = false;
};

void PrintTo(const StartCase& c, std::ostream* os) {
  *os << c.name;
}

class ServerStartTest : public ::testing::TestWithParam<StartCase> {};

TEST_P(ServerStartTest, RefusesToStart) {
  const StartCase& c = GetParam();
  TempDir dir;
  auto server = NewKeys();
  ASSERT_TRUE(transport::WriteKeyPair(server, dir.path().string(), "server").ok());
  dir.Write("authorized_keys", NewKeys().public_key + " admin laptop\n");
  if (c.prepare) {
    c.prepare(dir);
  }
  const std::string config =
      dir.Write("warmth.toml", std::string(testing::kImmediateConfig) + c.config);
  const std::string api = c.api.empty() ? Tcp(testing::FreeTcpPort()) : c.api;
  std::vector<std::string> argv = {"timeout",
                                   "20",
                                   testing::WarmthdPath(),
                                   "--config",
                                   config,
                                   "--data-dir",
                                   dir.File("data"),
                                   "--api",
                                   api,
                                   "--pub",
                                   "ipc://" + dir.File("nudges")};
  if (c.allow_insecure_tcp) {
    argv.push_back("--allow-insecure-tcp");
  }
  const auto r = testing::RunCommand(argv);
  EXPECT_EQ(r.exit_code, 78) << c.name << "\n" << r.err;
  EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << "\n" << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ServerStartTest,
    ::testing::Values(
        StartCase{
            "no keys", "", {}, "curve.secret_key: not set, but api.endpoint tcp://127.0.0.1:"},
        StartCase{"no keys beyond loopback",
                  "",
                  "tcp://0.0.0.0:1",
                  "--allow-insecure-tcp only allows loopback addresses",
                  {},
                  true},
        StartCase{"no authorized keys",
                  "[curve]\nsecret_key = \"server.key\"\n",
                  {},
                  "curve.authorized_keys: not set"},
        StartCase{"missing secret key file",
                  "[curve]\nsecret_key = \"nope.key\"\n"
                  "authorized_keys = \"authorized_keys\"\n",
                  {},
                  "nope.key: no such file"},
        StartCase{"secret key readable by others",
                  "[curve]\nsecret_key = \"server.key\"\nauthorized_keys = \"authorized_keys\"\n",
                  {},
                  "chmod 600",
                  [](const TempDir& d) {
                    std::filesystem::permissions(d.File("server.key"),
                                                 std::filesystem::perms::others_read,
                                                 std::filesystem::perm_options::add);
                  }},
        StartCase{"bad authorized keys",
                  "[curve]\nsecret_key = \"server.key\"\nauthorized_keys = \"authorized_keys\"\n",
                  {},
                  "authorized_keys:3: unknown role \"root\"",
                  [](const TempDir& d) {
                    d.Write("authorized_keys", "# two clients\n" + NewKeys().public_key +
                                                   " admin laptop\n" + NewKeys().public_key +
                                                   " root phone\n");
                  }},
        StartCase{"unknown key in [curve]",
                  "[curve]\nsecretkey = \"server.key\"\n",
                  {},
                  "curve.secretkey: unknown key"},
        StartCase{"empty key path",
                  "[curve]\nsecret_key = \"\"\n",
                  {},
                  "curve.secret_key: expected a file name"}),
    [](const auto& test_info) {
      std::string n = test_info.param.name;
      for (char& ch : n) {
        ch = std::isalnum(static_cast<unsigned char>(ch)) != 0 ? ch : '_';
      }
      return n;
    });

TEST(ServerInsecureTcp, LoopbackWithTheFlagServesPlainTcpAndWarns) {
  TempDir dir;
  DaemonProcess daemon(dir, testing::kImmediateConfig, {"--allow-insecure-tcp"});
  daemon.SetEndpoints(Tcp(testing::FreeTcpPort()), Tcp(testing::FreeTcpPort()));
  ASSERT_TRUE(daemon.Start());
  EXPECT_NE(daemon.Log().find("WITHOUT authentication"), std::string::npos);
}

// warmctl with keys from flags and from the config, and warmctl keygen.
TEST_F(ServerAuthTest, WarmctlUsesKeysFromFlagsOrConfig) {
  ASSERT_TRUE(daemon_->Start());
  TempDir home;
  const auto keygen = testing::RunCommand(
      {testing::WarmctlPath(), "keygen", "--out", home.File("keys"), "--name", "laptop"});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  const std::string secret = home.File("keys/laptop.key");
  const std::string pub = home.File("keys/laptop.pub");
  EXPECT_EQ(std::filesystem::status(secret).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto pair = transport::ReadSecretKeyFile(secret);
  ASSERT_TRUE(pair.ok()) << pair.status().message();
  auto public_key = transport::ReadPublicKey(pub);
  ASSERT_TRUE(public_key.ok());
  EXPECT_EQ(*public_key, pair->public_key);
  EXPECT_NE(keygen.out.find(pair->public_key), std::string::npos) << keygen.out;
  // Never replaces a key.
  const auto again = testing::RunCommand(
      {testing::WarmctlPath(), "keygen", "--out", home.File("keys"), "--name", "laptop"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("exists"), std::string::npos) << again.err;

  // Not authorized yet: warmctl cannot reach the daemon (exit 69).
  const std::string no_config = home.Write("empty.toml", "");
  const std::vector<std::string> by_flags = {
      testing::WarmctlPath(),  "--config", no_config, "--api",     api_, "--server-key",
      dir_.File("server.pub"), "--key",    secret,    "--timeout", "5"};
  auto cmd = by_flags;
  cmd.push_back("status");
  EXPECT_EQ(testing::RunCommand(cmd).exit_code, 69);

  // As a notify key: nudges yes, the contact list no.
  WriteKeys({{admin_, "admin", "laptop"}, {*pair, "notify", "laptop2"}});
  Reload();
  ASSERT_TRUE(WaitUntilAdmitted(*pair, true));
  cmd = by_flags;
  cmd.push_back("nudges");
  auto r = testing::RunCommand(cmd);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  cmd = by_flags;
  cmd.push_back("list");
  r = testing::RunCommand(cmd);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not allowed"), std::string::npos) << r.err;

  // The same from the config file, with the server key given as text.
  const std::string config =
      home.Write("warmth.toml", "[api]\nendpoint = \"" + api_ + "\"\n[client]\nserver_key = \"" +
                                    server_.public_key + "\"\nsecret_key = \"keys/laptop.key\"\n");
  r = testing::RunCommand({testing::WarmctlPath(), "--config", config, "nudges"});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // A tcp:// endpoint beyond loopback without keys: a usage error naming them.
  r = testing::RunCommand(
      {testing::WarmctlPath(), "--config", no_config, "--api", "tcp://192.0.2.1:5555", "status"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("client.server_key"), std::string::npos) << r.err;
}

TEST_F(ServerAuthTest, WarmctlWatchWithANotifyKeyPrintsNudges) {
  ASSERT_TRUE(daemon_->Start());
  TempDir home;
  ASSERT_TRUE(transport::WriteKeyPair(notify_, home.path().string(), "desktop").ok());
  const std::string config =
      home.Write("warmth.toml", "[api]\nendpoint = \"" + api_ + "\"\npublish = \"" + pub_ +
                                    "\"\n[client]\nserver_key = \"" + dir_.File("server.pub") +
                                    "\"\nsecret_key = \"desktop.key\"\n");
  const std::string out = home.File("watch.out");
  testing::ChildProcess watch({testing::WarmctlPath(), "--config", config, "--json", "watch"},
                              testing::ChildIo{"", out, out});
  const auto read_out = [&] { return testing::ReadFile(out); };
  std::this_thread::sleep_for(1s);  // let it subscribe
  auto admin = Connect(admin_);
  CoolingSoon(admin, "ann");
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (read_out().find("\"COOLING\"") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  const int exit_code = watch.Stop(SIGTERM);
  const std::string text = read_out();
  EXPECT_NE(text.find("\"COOLING\""), std::string::npos) << text << daemon_->Log();
  EXPECT_NE(text.find("ann"), std::string::npos) << text;
  EXPECT_EQ(exit_code, 0) << text;  // it exited by itself, with 0
}

}  // namespace
}  // namespace warmth

namespace warmth {
namespace {

// The desktop notifier on a laptop, reaching the server over CURVE with a
// notify key from its flags: it receives the nudge; with an ingest key it
// gets none.
TEST_F(ServerAuthTest, WarmthNotifyReceivesNudgesOverCurveWithANotifyKeyOnly) {
  for (const auto& [keys, name] : {std::pair{notify_, "notify"}, std::pair{ingest_, "ingest"}}) {
    ASSERT_TRUE(transport::WriteKeyPair(keys, dir_.path().string(), name).ok());
  }
  ASSERT_TRUE(daemon_->Start());
  const std::string empty_config = dir_.Write("client.toml", "");
  std::vector<std::unique_ptr<testing::ChildProcess>> notifiers;
  for (const std::string name : {"notify", "ingest"}) {
    const std::string out = dir_.File(name + ".out");
    notifiers.push_back(std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{WARMTH_NOTIFY_PATH, "--json", "--config", empty_config, "--api",
                                 api_, "--pub", pub_, "--server-key", dir_.File("server.pub"),
                                 "--key", dir_.File(name + ".key"), "--state-dir",
                                 dir_.File("state-" + name)},
        testing::ChildIo{"", out, out}));
  }
  std::this_thread::sleep_for(1s);
  auto admin = Connect(admin_);
  CoolingSoon(admin, "ann");
  std::string notify_out;
  for (int i = 0; i < 100 && notify_out.find("\"COOLING\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    notify_out = testing::ReadFile(dir_.File("notify.out"));
  }
  std::this_thread::sleep_for(1s);
  for (auto& notifier : notifiers) {
    notifier->Stop(SIGTERM);
  }
  EXPECT_NE(notify_out.find("\"kind\":\"COOLING\""), std::string::npos) << notify_out;
  const std::string ingest_out = testing::ReadFile(dir_.File("ingest.out"));
  EXPECT_EQ(ingest_out.find("COOLING"), std::string::npos) << ingest_out;
}

// The mail server's hook: warmth-mail with an ingest key delivers a message;
// with a key the server does not know it cannot deliver anything.
TEST_F(ServerAuthTest, WarmthMailDeliversOverCurveWithAnIngestKey) {
  for (const auto& [keys, name] : {std::pair{ingest_, "hook"}, std::pair{stranger_, "stranger"}}) {
    ASSERT_TRUE(transport::WriteKeyPair(keys, dir_.path().string(), name).ok());
  }
  ASSERT_TRUE(daemon_->Start());
  const std::string config = dir_.Write("hook.toml", "[me]\naddresses = [\"me@example.org\"]\n");
  const std::string message =
      "From: Pat <pat@example.com>\r\nTo: me@example.org\r\nSubject: hi\r\n"
      "Date: Mon, 16 Nov 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.com>\r\n\r\nHello\r\n";
  const auto run = [&](const std::string& key) {
    return testing::RunCommand(
        {WARMTH_MAIL_PATH, "--config", config, "--api", api_, "--server-key",
         dir_.File("server.pub"), "--key", dir_.File(key + ".key"), "--timeout", "3"},
        {}, message);
  };
  const auto refused = run("stranger");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("cannot reach warmthd"), std::string::npos) << refused.err;
  const auto delivered = run("hook");
  EXPECT_EQ(delivered.exit_code, 0) << delivered.err;
  auto admin = Connect(admin_);
  v1::Request get;
  get.mutable_get_contact()->set_contact_id("pat@example.com");
  const auto reply = admin.Call(get);
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(reply->contact().interaction_count(), 1);
}

}  // namespace
}  // namespace warmth
