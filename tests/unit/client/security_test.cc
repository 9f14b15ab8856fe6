#include "clients/common/security.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "daemon/transport/curve.h"
#include "tests/support/support.h"

namespace warmth::client {
namespace {

class ClientSecurity : public ::testing::Test {
 protected:
  ClientSecurity() {
    server_ = *transport::GenerateKeyPair();
    auto own = transport::WriteKeyPair(*transport::GenerateKeyPair(), dir_.path().string(), "me");
    secret_path_ = own->first;
    server_pub_path_ = dir_.Write("server.pub", server_.public_key + "\n");
  }

  testing::TempDir dir_;
  transport::KeyPair server_;
  std::string secret_path_;
  std::string server_pub_path_;
};

TEST_F(ClientSecurity, IpcNeedsNothing) {
  auto s = ClientSocketSetup(base::Config{}, "ipc:///tmp/w/api");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(*s);
}

TEST_F(ClientSecurity, LoopbackWithoutAnyKeysConnectsInPlain) {
  auto s = ClientSocketSetup(base::Config{}, "tcp://127.0.0.1:5555");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(*s);
}

TEST_F(ClientSecurity, MissingKeysAreNamedWithTheirSettingAndFlag) {
  auto none = ClientSocketSetup(base::Config{}, "tcp://warmth.example.org:5555");
  EXPECT_EQ(none.status().code(), core::Code::kInvalidArgument);
  EXPECT_NE(none.status().message().find("client.server_key"), std::string::npos);
  EXPECT_NE(none.status().message().find("--server-key"), std::string::npos);
  auto no_secret =
      ClientSocketSetup(base::Config{}, "tcp://127.0.0.1:5555", KeyOptions{server_.public_key, ""});
  EXPECT_NE(no_secret.status().message().find("client.secret_key"), std::string::npos);
  EXPECT_NE(no_secret.status().message().find("--key"), std::string::npos);
}

TEST_F(ClientSecurity, FlagsOverrideTheConfig) {
  base::Config config;
  config.client.server_key = dir_.File("missing.pub");
  config.client.secret_key = dir_.File("missing.key");
  auto from_config = ClientSocketSetup(config, "tcp://192.0.2.1:5555");
  EXPECT_FALSE(from_config.ok());
  EXPECT_NE(from_config.status().message().find("missing.pub"), std::string::npos);
  auto from_flags =
      ClientSocketSetup(config, "tcp://192.0.2.1:5555", KeyOptions{server_pub_path_, secret_path_});
  ASSERT_TRUE(from_flags.ok()) << from_flags.status().message();
  EXPECT_TRUE(*from_flags);
}

TEST_F(ClientSecurity, TheSetupMakesACurveClient) {
  base::Config config;
  config.client.server_key = server_.public_key;
  config.client.secret_key = secret_path_;
  auto s = ClientSocketSetup(config, "tcp://192.0.2.1:5555");
  ASSERT_TRUE(s.ok()) << s.status().message();
  zmq::context_t context(1);
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  (*s)(socket);
  EXPECT_EQ(socket.get(zmq::sockopt::curve_serverkey, 41), server_.public_key);
  EXPECT_EQ(socket.get(zmq::sockopt::curve_publickey, 41),
            transport::ReadSecretKeyFile(secret_path_)->public_key);
}

TEST_F(ClientSecurity, AnOpenSecretKeyFileIsRefused) {
  ::chmod(secret_path_.c_str(), 0644);
  auto s = ClientSocketSetup(base::Config{}, "tcp://192.0.2.1:5555",
                             KeyOptions{server_pub_path_, secret_path_});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("chmod 600"), std::string::npos);
}

}  // namespace
}  // namespace warmth::client
