#pragma once

#include <string>

namespace warmth::app {

// The data directory, created (mode 0700) and held with an exclusive flock on
// DIR/warmthd.lock, so that a second warmthd on the same directory refuses to
// start. The lock lasts as long as this object.
class DataDirLock {
 public:
  // Throws StartupError when the directory cannot be created or another
  // process holds the lock.
  explicit DataDirLock(std::string dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  int fd_ = -1;
};

}  // namespace warmth::app
