#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>

#include "daemon/core/status.h"
#include "daemon/transport/sockets.h"

namespace warmth::transport {

// CURVE keys as text: each key is 40 characters of Z85 (32 bytes).
inline constexpr std::size_t kZ85KeyLength = 40;

// Where libzmq sends its authentication requests (RFC 27, ZAP).
inline constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";

struct KeyPair {
  std::string public_key;  // Z85
  std::string secret_key;  // Z85
};

// True when `text` is a 40-character Z85 key.
bool IsZ85Key(std::string_view text);

// A fresh random key pair. kUnavailable when libzmq was built without CURVE.
core::Result<KeyPair> GenerateKeyPair();

// The public key belonging to a Z85 secret key; kInvalidArgument for a bad key.
core::Result<std::string> PublicKeyOf(const std::string& secret_key);

// Reads a secret key file written by WriteKeyPair: blank lines and lines
// starting with '#' are skipped (no key starts with '#'), the one other line
// is the Z85 secret key. The public key is derived from it. Fails with a message
// naming `path`: kNotFound when it is missing, kPermissionDenied when other
// users may read it (chmod 600 fixes that), kInvalidArgument when it holds no
// valid key.
core::Result<KeyPair> ReadSecretKeyFile(const std::string& path);

// A public key given either as the 40 characters themselves or as the name of
// a file holding them (the same layout as a secret key file). An existing
// file wins over the literal reading.
core::Result<std::string> ReadPublicKey(const std::string& file_or_key);

// Writes `<dir>/<name>.key` (the secret key, mode 0600, with the public key in
// a comment) and `<dir>/<name>.pub` (the public key, mode 0644), creating
// `dir` with mode 0700 when it is missing. Refuses to replace an existing
// file unless `overwrite`. Returns the two paths written.
core::Result<std::pair<std::string, std::string>> WriteKeyPair(const KeyPair& keys,
                                                               const std::string& dir,
                                                               const std::string& name,
                                                               bool overwrite = false);

// A bound socket as a CURVE server with `secret` and the ZAP domain `domain`;
// every client key is then checked by the ZAP handler (start one before
// binding: without a handler libzmq would admit every key).
SocketSetup CurveServerSetup(const KeyPair& server, const std::string& domain);

// A connecting socket as a CURVE client of the server with public key
// `server_public_key`, presenting `client`.
SocketSetup CurveClientSetup(const std::string& server_public_key, const KeyPair& client);

// One authentication request from libzmq.
struct ZapRequest {
  std::string domain;      // the socket's ZMQ_ZAP_DOMAIN
  std::string address;     // the peer's IP address (tcp) or ""
  std::string mechanism;   // "CURVE", "NULL" or "PLAIN"
  std::string public_key;  // CURVE: the client's key in Z85; else ""
};

// The answer. `user_id` becomes the "User-Id" property of every message from
// that connection (Envelope::user_id).
struct ZapDecision {
  bool allow = false;
  std::string user_id;
  std::string reason;  // for the client-side status text; never shown to users
};

using Authorizer = std::function<ZapDecision(const ZapRequest&)>;

// The ZAP handler: a REP socket on kZapEndpoint in the daemon's context,
// serviced from the daemon's poll loop (libzmq's I/O threads wait for the
// answer without blocking anything else). Loop thread only.
class ZapHandler {
 public:
  // Binds. Throws zmq::error_t when another handler is bound in `context`.
  // Construct it before binding any CURVE socket.
  ZapHandler(zmq::context_t& context, Authorizer authorizer);

  zmq::socket_t& socket() { return socket_; }

  // Answers every request queued on the socket without blocking. A malformed
  // request is answered with status 500 (denied).
  void HandlePending();

 private:
  zmq::socket_t socket_;
  Authorizer authorizer_;
};

// A connection that failed its handshake before the ZAP handler was asked:
// a plain (NULL) client on a CURVE socket, or a client using the wrong
// server key. ZAP refusals are the ZAP handler's to report.
struct HandshakeFailure {
  std::string peer;  // "tcp://203.0.113.7:51234"
  std::string what;  // "not a CURVE client", "wrong server key or corrupt handshake", …
};

// Watches a bound socket for failed handshakes (zmq_socket_monitor on an
// inproc PAIR), served from the daemon's poll loop. Loop thread only.
class HandshakeMonitor {
 public:
  // Starts monitoring `watched`; `name` makes the inproc endpoint unique.
  // Throws zmq::error_t.
  HandshakeMonitor(zmq::context_t& context, zmq::socket_t& watched, const std::string& name);

  zmq::socket_t& socket() { return socket_; }

  // The failures queued since the last call; never blocks.
  std::vector<HandshakeFailure> Drain();

 private:
  zmq::socket_t socket_;
};

}  // namespace warmth::transport
