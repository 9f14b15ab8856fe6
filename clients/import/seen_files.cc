#include "clients/import/seen_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace warmth::import {

namespace fs = std::filesystem;

SeenFiles::SeenFiles(std::string book) : book_(std::move(book)) {
  std::ifstream in(book_);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      seen_.insert(line);
    }
  }
}

std::string SeenFiles::Key(const std::string& file) {
  struct stat st {};
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  if (ec || ::stat(file.c_str(), &st) != 0) {
    return "";
  }
  const long long mtime_ns =
      static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  return std::to_string(st.st_size) + " " + std::to_string(mtime_ns) + " " +
         absolute.lexically_normal().string();
}

bool SeenFiles::Seen(const std::string& file) const {
  const std::string key = Key(file);
  return !key.empty() && seen_.contains(key);
}

void SeenFiles::Mark(const std::string& file) {
  std::string key = Key(file);
  if (!key.empty() && seen_.insert(key).second) {
    unsaved_.push_back(std::move(key));
  }
}

core::Status SeenFiles::Save() {
  if (unsaved_.empty()) {
    return core::Status::Ok();
  }
  const fs::path path(book_);
  std::error_code ec;
  if (!path.parent_path().empty()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      return core::Status::Unavailable("cannot create " + path.parent_path().string() + ": " +
                                       ec.message());
    }
  }
  std::string text;
  for (const auto& key : unsaved_) {
    text += key + "\n";
  }
  const int fd = ::open(book_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::Status::Unavailable("cannot write " + book_ + ": " + std::strerror(errno));
  }
  const ssize_t n = ::write(fd, text.data(), text.size());
  const int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) {
    return core::Status::Unavailable("cannot write " + book_ + ": " +
                                     (n < 0 ? std::strerror(err) : "short write"));
  }
  unsaved_.clear();
  return core::Status::Ok();
}

std::vector<std::string> FolderFiles(const std::string& kind, const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    const bool ours = kind == "android" &&
                      (name.starts_with("calls-") || name.starts_with("sms-")) &&
                      name.ends_with(".xml");
    if (ours && entry.is_regular_file(ec)) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace warmth::import
