#include "clients/mail/lists.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/paths.h"

namespace warmth::mail {

using core::Status;

ListBook::ListBook(const std::vector<std::string>& fixed, std::string path)
    : path_(std::move(path)) {
  known_.addresses.insert(fixed.begin(), fixed.end());
}

Status ListBook::Load() {
  if (path_.empty()) {
    return Status::Ok();
  }
  std::ifstream in(path_);
  if (!in) {
    std::error_code ec;
    return std::filesystem::exists(path_, ec) ? Status::Unavailable("cannot read " + path_)
                                              : Status::Ok();
  }
  std::string line;
  while (std::getline(in, line)) {
    if (auto address = EmailAddress(line.substr(0, line.find('#')))) {
      known_.addresses.insert(std::move(*address));
    }
  }
  return Status::Ok();
}

std::vector<std::string> ListBook::Learn(const MessageFacts& facts, const Me& me) {
  std::vector<std::string> learned;
  for (const auto& address : facts.list_addresses) {
    if (!me.Has(address) && known_.addresses.insert(address).second) {
      unsaved_.push_back(address);
      learned.push_back(address);
    }
  }
  return learned;
}

Status ListBook::Save() {
  if (path_.empty() || unsaved_.empty()) {
    return Status::Ok();
  }
  const std::filesystem::path path(path_);
  std::error_code ec;
  if (!path.parent_path().empty() && !std::filesystem::exists(path.parent_path(), ec)) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return Status::Unavailable("cannot create " + path.parent_path().string() + ": " +
                                 ec.message());
    }
    ::chmod(path.parent_path().c_str(), 0700);
  }
  std::string text;
  for (const auto& address : unsaved_) {
    text += address + "\n";
  }
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Unavailable("cannot write " + path_ + ": " + std::strerror(errno));
  }
  // One write: appends of a few hundred bytes are not interleaved with
  // another hook's.
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) {
    return Status::Unavailable("cannot write " + path_ + ": " +
                               (n < 0 ? std::strerror(err) : "short write"));
  }
  unsaved_.clear();
  return Status::Ok();
}

std::string ListsFile(const std::string& state_dir) {
  return (state_dir.empty() ? base::StateDir() : state_dir) + "/mail-lists";
}

}  // namespace warmth::mail
