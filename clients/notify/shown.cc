#include "clients/notify/shown.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace warmth::notify {
namespace {

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  for (char c : id) {
    if (c <= ' ' || c == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

ShownNudges::ShownNudges(std::string path) : path_(std::move(path)) {
  if (path_.empty()) {
    return;
  }
  std::ifstream in(path_);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id;
    long long seconds = 0;
    if (fields >> id >> seconds && ValidId(id)) {
      shown_[id] = core::TimePoint(std::chrono::seconds(seconds));
    }
  }
}

core::Status ShownNudges::Add(const std::string& nudge_id, core::TimePoint now) {
  if (!ValidId(nudge_id)) {
    return core::Status::InvalidArgument("nudge id: empty, too long or with white space");
  }
  shown_[nudge_id] = now;
  return Save();
}

core::Status ShownNudges::Prune(const std::set<std::string>& pending, core::TimePoint cutoff) {
  bool changed = false;
  for (auto it = shown_.begin(); it != shown_.end();) {
    if (!pending.contains(it->first) && it->second < cutoff) {
      it = shown_.erase(it);
      changed = true;
    } else {
      ++it;
    }
  }
  return changed ? Save() : core::Status::Ok();
}

core::Status ShownNudges::Save() const {
  if (path_.empty()) {
    return core::Status::Ok();
  }
  const std::filesystem::path path(path_);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return core::Status::Unavailable("cannot create " + path.parent_path().string() + ": " +
                                     ec.message());
  }
  std::string text;
  for (const auto& [id, at] : shown_) {
    text += id + " " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count()) +
            "\n";
  }
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::Status::Unavailable("cannot write " + tmp + ": " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return core::Status::Unavailable("cannot write " + tmp + ": " + std::strerror(err));
    }
    written += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
    return core::Status::Unavailable("cannot replace " + path_ + ": " + std::strerror(errno));
  }
  return core::Status::Ok();
}

}  // namespace warmth::notify
