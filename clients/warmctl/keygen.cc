// warmctl keygen: CURVE key pairs for servers and clients.
#include <filesystem>
#include <memory>

#include <CLI/CLI.hpp>

#include "base/paths.h"
#include "clients/warmctl/commands.h"
#include "daemon/transport/curve.h"

namespace warmth::warmctl {
namespace {

struct KeygenArgs {
  std::string out_dir;
  std::string name = "client";
  bool force = false;
};

int Keygen(Context& ctx, const KeygenArgs& args) {
  const std::string& out_dir = args.out_dir;
  const std::string& name = args.name;
  auto keys = transport::GenerateKeyPair();
  if (!keys.ok()) {
    return Fail(ctx, keys.status());
  }
  const std::string dir =
      out_dir.empty() ? std::filesystem::path(base::ConfigFile()).parent_path().string() : out_dir;
  auto written = transport::WriteKeyPair(*keys, dir, name, args.force);
  if (!written.ok()) {
    return Fail(ctx, written.status());
  }
  if (ctx.json) {
    ctx.out << "{\"publicKey\":\"" << keys->public_key << "\",\"secretKeyFile\":\""
            << written->first << "\",\"publicKeyFile\":\"" << written->second << "\"}\n";
    return 0;
  }
  ctx.out << "Wrote " << written->first << " (secret key, mode 0600) and " << written->second
          << ".\n"
          << "Public key: " << keys->public_key << "\n"
          << "A server's key: set curve.secret_key to the .key file; clients need the .pub.\n"
          << "A client's key: add a line KEY ROLE LABEL (role ingest, notify or admin) to the\n"
          << "server's authorized_keys and run systemctl reload warmthd, for example:\n"
          << "  " << keys->public_key << "  notify  " << name << "\n";
  return 0;
}

}  // namespace

void AddKeygenCommand(CLI::App& cli, Context& ctx, Commands& commands) {
  auto args = std::make_shared<KeygenArgs>();
  auto* keygen = cli.add_subcommand(
      "keygen", "Make a CURVE key pair for a server or a client (NAME.key and NAME.pub)");
  keygen->fallthrough();
  keygen->add_option("--out", args->out_dir,
                     "Directory (default: the config file's, " +
                         std::filesystem::path(base::ConfigFile()).parent_path().string() + ")");
  keygen->add_option("--name", args->name, "File name without extension, e.g. server or laptop")
      ->capture_default_str();
  keygen->add_flag("--force", args->force, "Replace existing key files");
  // Needs no config and no daemon.
  commands.push_back({keygen, [&ctx, args] { return Keygen(ctx, *args); }, false});
}

}  // namespace warmth::warmctl
