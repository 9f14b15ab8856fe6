#include "daemon/transport/curve.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/core/text.h"

namespace warmth::transport {
namespace {

using core::Status;
using core::Trim;

// The key in a key file's text, or "" when there is none or more than one.
core::Result<std::string> KeyInText(const std::string& text, const std::string& what) {
  std::istringstream in(text);
  std::string line;
  std::string key;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string t = Trim(line);
    // '#' is a Z85 digit, but one too big to lead a 32-byte key: a line
    // starting with it is always a comment.
    if (t.empty() || t[0] == '#') {
      continue;
    }
    if (!IsZ85Key(t)) {
      return Status::InvalidArgument(what + ":" + std::to_string(line_number) +
                                     ": expected a 40-character Z85 key");
    }
    if (!key.empty()) {
      return Status::InvalidArgument(what + ":" + std::to_string(line_number) +
                                     ": more than one key");
    }
    key = t;
  }
  if (key.empty()) {
    return Status::InvalidArgument(what + ": no key in it");
  }
  return key;
}

core::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Status::NotFound(path + ": no such file");
    }
    return Status::PermissionDenied(path + ": cannot read it: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 4096) {
    return Status::InvalidArgument(path + ": too big for a key file");
  }
  return text.str();
}

Status WriteFile(const std::string& path, const std::string& text, mode_t mode, bool overwrite) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::AlreadyExists(path + " exists; not replacing it");
    }
    return Status::Unavailable(path + ": " + std::strerror(errno));
  }
  // O_CREAT's mode is masked by the umask and ignored for an existing file.
  ::fchmod(fd, mode);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      Status s = Status::Unavailable(path + ": " + std::strerror(errno));
      ::close(fd);
      return s;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Status::Unavailable(path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

std::string FrameText(const zmq::message_t& frame) {
  return std::string(static_cast<const char*>(frame.data()), frame.size());
}

}  // namespace

bool IsZ85Key(std::string_view text) {
  if (text.size() != kZ85KeyLength) {
    return false;
  }
  const std::string key(text);
  std::array<std::uint8_t, 32> bytes{};
  return zmq_z85_decode(bytes.data(), key.c_str()) != nullptr;
}

core::Result<KeyPair> GenerateKeyPair() {
  std::array<char, kZ85KeyLength + 1> pub{};
  std::array<char, kZ85KeyLength + 1> sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0) {
    return Status::Unavailable("this libzmq has no CURVE support");
  }
  return KeyPair{pub.data(), sec.data()};
}

core::Result<std::string> PublicKeyOf(const std::string& secret_key) {
  if (!IsZ85Key(secret_key)) {
    return Status::InvalidArgument("expected a 40-character Z85 secret key");
  }
  std::array<char, kZ85KeyLength + 1> pub{};
  if (zmq_curve_public(pub.data(), secret_key.c_str()) != 0) {
    return Status::Unavailable("this libzmq has no CURVE support");
  }
  return std::string(pub.data());
}

core::Result<KeyPair> ReadSecretKeyFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status::NotFound(path + ": no such file");
    }
    return Status::PermissionDenied(path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    return Status::PermissionDenied(
        path + ": a secret key must not be open to other users; run chmod 600 on it");
  }
  auto text = ReadFile(path);
  if (!text.ok()) {
    return text.status();
  }
  auto secret = KeyInText(*text, path);
  if (!secret.ok()) {
    return secret.status();
  }
  auto pub = PublicKeyOf(*secret);
  if (!pub.ok()) {
    return Status(pub.status().code(), path + ": " + pub.status().message());
  }
  return KeyPair{*pub, *secret};
}

core::Result<std::string> ReadPublicKey(const std::string& file_or_key) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(file_or_key, ec)) {
    auto text = ReadFile(file_or_key);
    if (!text.ok()) {
      return text.status();
    }
    return KeyInText(*text, file_or_key);
  }
  if (IsZ85Key(file_or_key)) {
    return file_or_key;
  }
  return Status::NotFound(file_or_key + ": no such file (and not a 40-character Z85 key)");
}

core::Result<std::pair<std::string, std::string>> WriteKeyPair(const KeyPair& keys,
                                                               const std::string& dir,
                                                               const std::string& name,
                                                               bool overwrite) {
  if (name.empty() || name.find('/') != std::string::npos) {
    return Status::InvalidArgument("key name: expected a plain file name");
  }
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return Status::Unavailable(dir + ": " + ec.message());
    }
    ::chmod(dir.c_str(), 0700);
  }
  const std::string secret_path = (std::filesystem::path(dir) / (name + ".key")).string();
  const std::string public_path = (std::filesystem::path(dir) / (name + ".pub")).string();
  if (!overwrite) {
    for (const std::string& p : {secret_path, public_path}) {
      if (std::filesystem::exists(p, ec)) {
        return Status::AlreadyExists(p + " exists; not replacing it");
      }
    }
  }
  const std::string secret_text =
      "# warmth CURVE secret key \"" + name +
      "\": keep it private (mode 0600).\n# public key: " + keys.public_key + "\n" +
      keys.secret_key + "\n";
  if (Status s = WriteFile(secret_path, secret_text, 0600, overwrite); !s.ok()) {
    return s;
  }
  if (Status s = WriteFile(public_path, keys.public_key + "\n", 0644, overwrite); !s.ok()) {
    return s;
  }
  return std::pair{secret_path, public_path};
}

SocketSetup CurveServerSetup(const KeyPair& server, const std::string& domain) {
  return [server, domain](zmq::socket_t& socket) {
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, server.secret_key);
    socket.set(zmq::sockopt::zap_domain, domain);
    // ZMQ_ZAP_ENFORCE_DOMAIN (a draft option in libzmq 4.3): should the ZAP
    // handler ever be missing, refuse every key instead of admitting all.
    // Builds without draft options reject it; the handler is there anyway.
    constexpr int kZapEnforceDomain = 93;
    const int on = 1;
    (void)zmq_setsockopt(socket.handle(), kZapEnforceDomain, &on, sizeof on);
  };
}

SocketSetup CurveClientSetup(const std::string& server_public_key, const KeyPair& client) {
  return [server_public_key, client](zmq::socket_t& socket) {
    socket.set(zmq::sockopt::curve_serverkey, server_public_key);
    socket.set(zmq::sockopt::curve_publickey, client.public_key);
    socket.set(zmq::sockopt::curve_secretkey, client.secret_key);
  };
}

ZapHandler::ZapHandler(zmq::context_t& context, Authorizer authorizer)
    : socket_(context, zmq::socket_type::rep), authorizer_(std::move(authorizer)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind(kZapEndpoint);
}

void ZapHandler::HandlePending() {
  while (true) {
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      return;
    }
    // [version][request id][domain][address][identity][mechanism][credentials…]
    std::string request_id = frames.size() > 1 ? FrameText(frames[1]) : std::string();
    std::string status_code = "500";
    std::string status_text = "malformed ZAP request";
    std::string user_id;
    if (frames.size() >= 6 && FrameText(frames[0]) == "1.0") {
      ZapRequest request;
      request.domain = FrameText(frames[2]);
      request.address = FrameText(frames[3]);
      request.mechanism = FrameText(frames[5]);
      if (request.mechanism == "CURVE" && frames.size() == 7 && frames[6].size() == 32) {
        std::array<char, kZ85KeyLength + 1> z85{};
        zmq_z85_encode(z85.data(), static_cast<const std::uint8_t*>(frames[6].data()), 32);
        request.public_key = z85.data();
      }
      const ZapDecision decision = authorizer_(request);
      status_code = decision.allow ? "200" : "400";
      status_text = decision.allow ? "OK" : decision.reason;
      user_id = decision.allow ? decision.user_id : std::string();
    }
    socket_.send(zmq::str_buffer("1.0"), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(request_id), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(status_code), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(status_text), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(user_id), zmq::send_flags::sndmore);
    socket_.send(zmq::message_t(), zmq::send_flags::none);  // no metadata
  }
}

HandshakeMonitor::HandshakeMonitor(zmq::context_t& context, zmq::socket_t& watched,
                                   const std::string& name)
    : socket_(context, zmq::socket_type::pair) {
  const std::string endpoint = "inproc://warmth-handshakes-" + name;
  if (zmq_socket_monitor(
          watched.handle(), endpoint.c_str(),
          ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) != 0) {
    throw zmq::error_t();
  }
  socket_.set(zmq::sockopt::linger, 0);
  socket_.connect(endpoint);
}

std::vector<HandshakeFailure> HandshakeMonitor::Drain() {
  std::vector<HandshakeFailure> out;
  while (true) {
    // [event: uint16 id, uint32 value][the peer's endpoint]
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      return out;
    }
    if (frames.size() != 2 || frames[0].size() != 6) {
      continue;
    }
    std::uint16_t event = 0;
    std::uint32_t value = 0;
    std::memcpy(&event, frames[0].data(), sizeof event);
    std::memcpy(&value, static_cast<const char*>(frames[0].data()) + sizeof event, sizeof value);
    HandshakeFailure f;
    f.peer = frames[1].to_string();
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
      switch (value) {
        case ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH:
          f.what = "not a CURVE client (mechanism mismatch)";
          break;
        case ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC:
          f.what = "CURVE handshake failed: wrong server key, or a corrupt or replayed handshake";
          break;
        default:
          f.what = "handshake protocol error " + std::to_string(value);
          break;
      }
    } else {
      f.what = "handshake failed (errno " + std::to_string(value) + ": " +
               std::strerror(static_cast<int>(value)) + ")";
    }
    out.push_back(std::move(f));
  }
}

}  // namespace warmth::transport
