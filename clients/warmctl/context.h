#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <date/tz.h>
#include <google/protobuf/message.h>
#include <zmq.hpp>

#include "base/config.h"
#include "base/phone.h"
#include "clients/common/client.h"
#include "clients/common/connection.h"
#include "daemon/core/status.h"
#include "daemon/core/time.h"
#include "daemon/transport/sockets.h"
#include "warmth/v1/warmth.pb.h"

namespace CLI {
class App;
}

namespace warmth::warmctl {

namespace v1 = ::warmth::v1;

// Everything a command needs: the global options, the config, a connection
// to the daemon (made on first use), where to print. One thread.
struct Context {
  std::ostream& out;
  std::ostream& err;
  client::ConnectionFlags flags;  // --config, --api, --pub, --server-key, --key, --timeout
  bool json = false;              // --json
  base::Config config;
  const date::time_zone* zone = nullptr;
  core::TimePoint now;
  zmq::context_t zmq;
  std::optional<client::Client> connection;

  Context(std::ostream& o, std::ostream& e) : out(o), err(e), zmq(1) {}

  // Reads the config and the clock. Throws base::ConfigError.
  void Setup();
  // CURVE keys for a tcp:// endpoint. Throws base::ConfigError: a usage error.
  transport::SocketSetup Security(const std::string& endpoint) const;
  // The daemon's API connection. Throws base::ConfigError for bad keys.
  client::Client& Connection();
  // How this config reads phone numbers ([me] region): as the daemon does.
  core::PhoneNormalizer Phone() const { return base::PhoneNormalizerFor(config.me_region); }
  core::Result<v1::Reply> Call(v1::Request request) {
    return Connection().Call(std::move(request));
  }
};

// A leaf command and what it runs once the command line is parsed.
struct Command {
  CLI::App* app;
  std::function<int()> run;
  bool needs_config = true;  // false: runs before (and without) Context::Setup
};
using Commands = std::vector<Command>;

// A failed call: one line on stderr and the exit code for its kind.
int Fail(Context& ctx, const core::Status& s);
// A bad command line: one line on stderr, kExitUsage.
int Usage(Context& ctx, const std::string& message);

// How a reply is printed: `json` picks the part --json prints (one line of
// protobuf JSON); `text` prints it for people and returns the exit code;
// `json_exit` gives the exit code after --json (empty: 0).
struct ReplyPrinter {
  using Part = std::function<const google::protobuf::Message&(const v1::Reply&)>;
  Part json;
  std::function<int(const v1::Reply&)> text;
  std::function<int(const v1::Reply&)> json_exit = {};
};
// Calls the daemon with `request`, then prints the reply as `printer` says,
// or the failure (Fail). Returns the exit code.
int CallAndPrint(Context& ctx, const v1::Request& request, const ReplyPrinter& printer);
// CallAndPrint for a reply told in one fixed line of text ("Removed bob").
int CallAndPrintLine(Context& ctx, const v1::Request& request, const ReplyPrinter::Part& json,
                     const std::string& line);

// GetContact with `recent` interactions.
core::Result<v1::ContactInfo> FetchContact(Context& ctx, const std::string& id, int recent = 0);

// Text shared by the commands.
std::string Fixed(double v, int digits = 1);  // "3.0"
std::string Name(const v1::Contact& c);       // "Bob Smith (bob)", or the id
std::string ChannelName(int channel);         // "in_person"
std::string CircleName(int circle);           // "close"

}  // namespace warmth::warmctl
