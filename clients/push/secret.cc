#include "clients/push/secret.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace warmth::push {

core::Result<std::string> ReadSecretFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return core::Status::NotFound("cannot read " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::Status::PermissionDenied(path + ": not a regular file");
  }
  // Checked on the open file, so the mode is the one of what is read.
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return core::Status::PermissionDenied(path + " is open to other users (mode " + mode +
                                          "): keep it private (chmod 600 " + path + ")");
  }
  std::string text;
  char buffer[4096];
  while (text.size() <= 65536) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return core::Status::NotFound("cannot read " + path + ": " + std::strerror(err));
    }
    if (n == 0) {
      break;
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return core::Status::InvalidArgument(path + ": empty; it should hold the token");
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  std::string secret = text.substr(first, last - first + 1);
  for (const char c : secret) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return core::Status::InvalidArgument(path + ": expected the token alone on one line");
    }
  }
  return secret;
}

}  // namespace warmth::push
