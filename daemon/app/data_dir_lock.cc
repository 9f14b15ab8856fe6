#include "daemon/app/data_dir_lock.h"

#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/app/startup_error.h"

namespace warmth::app {

DataDirLock::DataDirLock(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    throw StartupError("data directory " + dir_ + ": " + ec.message());
  }
  ::chmod(dir_.c_str(), 0700);
  const std::string lock_path = dir_ + "/warmthd.lock";
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (fd_ >= 0) {
      ::close(fd_);  // a throwing constructor runs no destructor
    }
    throw StartupError("data directory " + dir_ + " is in use by another warmthd (lock " +
                       lock_path + ")");
  }
}

DataDirLock::~DataDirLock() {
  ::close(fd_);
}

}  // namespace warmth::app
