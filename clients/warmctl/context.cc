#include "clients/warmctl/context.h"

#include <iomanip>
#include <sstream>

#include "base/clock.h"
#include "clients/common/format.h"
#include "clients/common/security.h"
#include "clients/warmctl/warmctl.h"
#include "daemon/core/types.h"

namespace warmth::warmctl {

void Context::Setup() {
  config = client::LoadConfig(flags);
  zone = base::ResolveTimeZone(config.timezone);
  now = base::Now();
}

transport::SocketSetup Context::Security(const std::string& endpoint) const {
  auto setup = client::ClientSocketSetup(config, endpoint, flags.keys);
  if (!setup.ok()) {
    throw base::ConfigError("", setup.status().message());
  }
  return *setup;
}

client::Client& Context::Connection() {
  if (!connection) {
    auto options = client::MakeClientOptions(config, flags);
    if (!options.ok()) {
      throw base::ConfigError("", options.status().message());
    }
    connection.emplace(zmq, std::move(options).value());
  }
  return *connection;
}

int Fail(Context& ctx, const core::Status& s) {
  ctx.err << "warmctl: " << s.message() << '\n';
  return s.code() == core::Code::kUnavailable ? kExitUnavailable : kExitError;
}

int Usage(Context& ctx, const std::string& message) {
  ctx.err << "warmctl: " << message << '\n';
  return kExitUsage;
}

int CallAndPrint(Context& ctx, const v1::Request& request, const ReplyPrinter& printer) {
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return Fail(ctx, reply.status());
  }
  if (!ctx.json) {
    return printer.text(*reply);
  }
  ctx.out << client::Json(printer.json(*reply)) << '\n';
  return printer.json_exit ? printer.json_exit(*reply) : 0;
}

int CallAndPrintLine(Context& ctx, const v1::Request& request, const ReplyPrinter::Part& json,
                     const std::string& line) {
  return CallAndPrint(ctx, request, {.json = json, .text = [&](const v1::Reply&) {
                                       ctx.out << line << '\n';
                                       return 0;
                                     }});
}

core::Result<v1::ContactInfo> FetchContact(Context& ctx, const std::string& id, int recent) {
  v1::Request request;
  request.mutable_get_contact()->set_contact_id(id);
  request.mutable_get_contact()->set_recent(recent);
  auto reply = ctx.Call(request);
  if (!reply.ok()) {
    return reply.status();
  }
  return reply->contact();
}

std::string Fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

std::string Name(const v1::Contact& c) {
  return c.display_name().empty() ? c.id() : c.display_name() + " (" + c.id() + ")";
}

std::string ChannelName(int channel) {
  return std::string(core::Name(static_cast<core::Channel>(channel)));
}

std::string CircleName(int circle) {
  return std::string(core::Name(static_cast<core::Circle>(circle)));
}

}  // namespace warmth::warmctl
