#include "daemon/app/store_writer.h"

#include <cerrno>
#include <cstdint>
#include <exception>
#include <system_error>
#include <utility>

#include <sys/eventfd.h>
#include <unistd.h>

namespace warmth::app {

StoreWriter::StoreWriter(store::SqliteStore& store)
    : store_(store), event_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (event_fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "eventfd");
  }
  thread_ = std::thread([this] { Run(); });
}

StoreWriter::~StoreWriter() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  ::close(event_fd_);
}

void StoreWriter::Submit(std::vector<core::Change> journal) {
  {
    const std::lock_guard lock(mutex_);
    job_ = std::move(journal);
  }
  busy_ = true;
  submitted_at_ = std::chrono::steady_clock::now();
  wake_.notify_one();
}

std::optional<StoreWriter::Done> StoreWriter::Collect() {
  std::optional<Done> done;
  {
    const std::lock_guard lock(mutex_);
    done.swap(result_);
  }
  if (done) {
    std::uint64_t count = 0;
    // Resets the counter: fd() is readable again only after the next commit.
    [[maybe_unused]] const ssize_t n = ::read(event_fd_, &count, sizeof count);
    busy_ = false;
  }
  return done;
}

void StoreWriter::WaitIdle() {
  if (!busy_) {
    return;
  }
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [this] { return result_.has_value(); });
}

std::chrono::steady_clock::duration StoreWriter::Running() const {
  return busy_ ? std::chrono::steady_clock::now() - submitted_at_
               : std::chrono::steady_clock::duration::zero();
}

void StoreWriter::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return job_.has_value() || stop_; });
    if (!job_) {
      return;  // stopping, nothing in flight
    }
    std::vector<core::Change> journal = std::move(*job_);
    job_.reset();
    lock.unlock();
    core::Status status;
    try {
      status = store_.Write(journal);
    } catch (const std::exception& e) {
      status = core::Status::Internal(std::string("store write: ") + e.what());
    }
    lock.lock();
    result_ = Done{std::move(journal), std::move(status)};
    finished_.notify_all();
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_, &one, sizeof one);
  }
}

}  // namespace warmth::app
