#include "bench/load/load.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <fcntl.h>
#include <unistd.h>

namespace warmth::bench {
namespace {

using Clock = std::chrono::steady_clock;
using core::Status;

std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size()))) - 1;
  return sorted[std::min(i, sorted.size() - 1)];
}

// The ack log: appended with one write per reply, so that a reader polling it
// sees whole lines.
class AckLog {
 public:
  AckLog(const std::string& path, bool sync) : sync_(sync) {
    if (!path.empty()) {
      fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    }
  }
  ~AckLog() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  AckLog(const AckLog&) = delete;
  AckLog& operator=(const AckLog&) = delete;
  bool failed(const std::string& path) const { return !path.empty() && fd_ < 0; }

  Status Write(const v1::IngestResult& result) {
    if (fd_ < 0) {
      return Status::Ok();
    }
    buffer_.clear();
    for (const auto& item : result.items()) {
      buffer_ += item.outcome() == v1::IngestResult::ACCEPTED    ? 'A'
                 : item.outcome() == v1::IngestResult::DUPLICATE ? 'D'
                                                                 : 'R';
      buffer_ += ' ';
      buffer_ += item.event_id();
      buffer_ += '\n';
    }
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return Status::Unavailable(std::string("ack log: ") + std::strerror(errno));
      }
      done += static_cast<std::size_t>(n);
    }
    if (sync_ && ::fsync(fd_) != 0) {
      return Status::Unavailable(std::string("ack log: fsync: ") + std::strerror(errno));
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
  bool sync_ = false;
  std::string buffer_;
};

}  // namespace

std::string LoadReport::Line() const {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(0);
  s << "events=" << events << " accepted=" << accepted << " duplicate=" << duplicate
    << " rejected=" << rejected << " requests=" << requests << " resent=" << resent
    << " busy=" << busy;
  s.precision(3);
  s << " seconds=" << seconds;
  s.precision(0);
  s << " acks_per_s=" << acks_per_second() << " p50_us=" << p50_us << " p99_us=" << p99_us
    << " p999_us=" << p999_us << " max_us=" << max_us;
  return s.str();
}

v1::Interaction MakeInteraction(const LoadOptions& options, std::int64_t n,
                                std::chrono::system_clock::time_point base) {
  const std::uint64_t key = SplitMix(options.seed ^ std::hash<std::string>{}(options.prefix)) ^
                            static_cast<std::uint64_t>(n);
  std::uint64_t r = SplitMix(key);
  const auto next = [&r] { return r = SplitMix(r); };
  v1::Interaction in;
  in.set_event_id(options.prefix + "-" + std::to_string(n));
  const int pool = std::max(1, options.contacts);
  const int count = 1 + static_cast<int>(next() % 3);
  const auto name = [&options](std::int64_t k) {
    std::string digits = std::to_string(options.contact_offset + k);
    if (static_cast<int>(digits.size()) < options.contact_digits) {
      digits.insert(0, static_cast<std::size_t>(options.contact_digits) - digits.size(), '0');
    }
    return "p" + digits + "@load.test";
  };
  std::vector<int> picked;
  for (int i = 0; i < count && static_cast<int>(picked.size()) < pool; ++i) {
    const int k = static_cast<int>(next() % static_cast<std::uint64_t>(pool));
    if (options.fresh_contacts) {
      in.add_contacts(name(3 * n + i));
    } else if (std::find(picked.begin(), picked.end(), k) == picked.end()) {
      picked.push_back(k);
      in.add_contacts(name(k));
    }
  }
  in.set_channel(static_cast<v1::Channel>(1 + next() % 8));
  in.set_direction(static_cast<v1::Direction>(next() % 4));
  // Whole microseconds (what the store keeps), before `base`.
  const std::int64_t base_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(base.time_since_epoch()).count();
  const bool backfill = static_cast<int>(next() % 100) < options.backfill_percent;
  const std::int64_t micros =
      backfill ? base_micros - static_cast<std::int64_t>(next() % (365ULL * 86400 * 1000000))
               : base_micros - (options.events - n) * 1000;
  in.mutable_occurred_at()->set_seconds(micros / 1000000);
  in.mutable_occurred_at()->set_nanos(static_cast<std::int32_t>(micros % 1000000) * 1000);
  in.set_source("warmth-load");
  return in;
}

core::Result<LoadReport> RunLoad(zmq::context_t& context, const LoadOptions& options) {
  AckLog acks(options.ack_log, options.fsync);
  if (acks.failed(options.ack_log)) {
    return Status::Unavailable("ack log " + options.ack_log + ": " + std::strerror(errno));
  }
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  // Nothing queues for an absent daemon: a send fails at once and the batch
  // waits, instead of vanishing into a pipe that a restart throws away.
  socket.set(zmq::sockopt::immediate, 1);
  socket.set(zmq::sockopt::reconnect_ivl, 20);
  socket.set(zmq::sockopt::reconnect_ivl_max, 200);
  try {
    socket.connect(options.endpoint);
  } catch (const zmq::error_t& e) {
    return Status::InvalidArgument("endpoint " + options.endpoint + ": " + e.what());
  }

  const auto base = std::chrono::system_clock::now();
  const std::int64_t batch = std::max(1, options.batch);
  const std::int64_t batches = (options.events + batch - 1) / batch;
  const std::string run_id =
      std::to_string(::getpid()) + "-" +
      std::to_string(SplitMix(static_cast<std::uint64_t>(Clock::now().time_since_epoch().count())) %
                     1000000);

  struct Attempt {
    std::int64_t index;
    Clock::time_point sent;
  };
  std::unordered_map<std::string, Attempt> attempts;     // every request sent, by request_id
  std::unordered_map<std::int64_t, std::string> flying;  // batch -> its request in flight
  std::vector<bool> done(static_cast<std::size_t>(batches), false);
  std::vector<int> busy_count(static_cast<std::size_t>(batches), 0);
  std::deque<std::int64_t> queue;  // batches to send again
  std::int64_t fresh = 0;          // batches [0, fresh) have been sent at least once
  std::int64_t target = batches;   // the run ends when these are acknowledged
  std::vector<std::pair<Clock::time_point, std::int64_t>> waiting;  // backing off
  std::int64_t completed = 0;
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(std::min<std::int64_t>(batches, 1 << 20)));
  LoadReport report;
  report.events = options.events;
  std::uint64_t next_request = 0;
  std::string bytes;

  const auto start = Clock::now();
  const auto give_up = start + options.deadline;
  const auto send = [&](std::int64_t index) -> bool {
    v1::Request request;
    request.set_request_id(run_id + "-" + std::to_string(next_request++));
    auto* ingest = request.mutable_ingest();
    const std::int64_t end = std::min(options.events, (index + 1) * batch);
    for (std::int64_t n = index * batch; n < end; ++n) {
      *ingest->add_interactions() = MakeInteraction(options, n, base);
    }
    request.SerializeToString(&bytes);
    if (!socket.send(zmq::message_t(), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      return false;  // not connected (the daemon is restarting): try again shortly
    }
    // The first frame went out, so the second cannot block.
    (void)socket.send(zmq::buffer(bytes), zmq::send_flags::none);
    attempts[request.request_id()] = Attempt{index, Clock::now()};
    flying[index] = request.request_id();
    ++report.requests;
    return true;
  };

  while (completed < target) {
    auto now = Clock::now();
    if (options.duration.count() > 0 && target == batches && now - start >= options.duration) {
      target = fresh;  // time is up: finish what was sent
      continue;
    }
    if (now > give_up) {
      return Status::Unavailable("warmth-load: " + std::to_string(target - completed) +
                                 " batches still unacknowledged after " +
                                 std::to_string(options.deadline.count()) + " ms");
    }
    // Batches whose pause after a busy reply is over.
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (it->first <= now) {
        queue.push_front(it->second);
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    // Requests unanswered for too long: lost with a dead connection, or slow.
    for (auto it = flying.begin(); it != flying.end();) {
      if (now - attempts[it->second].sent > options.timeout) {
        ++report.resent;
        queue.push_front(it->first);
        it = flying.erase(it);
      } else {
        ++it;
      }
    }
    bool blocked = false;
    std::optional<Clock::time_point> paced;  // when the next new request is due
    while (static_cast<std::int64_t>(flying.size()) < options.window) {
      const bool again = !queue.empty();
      if (again && done[static_cast<std::size_t>(queue.front())]) {
        queue.pop_front();  // acknowledged meanwhile
        continue;
      }
      if (!again && fresh >= target) {
        break;
      }
      if (!again && options.requests_per_s > 0) {
        const auto due =
            start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                        static_cast<double>(fresh) / options.requests_per_s));
        // Sent up to a millisecond early (poll's resolution): a paced
        // client sleeps between sends rather than spinning on a core
        // the daemon shares.
        if (due > now + std::chrono::milliseconds(1)) {
          paced = due;
          break;
        }
      }
      if (!send(again ? queue.front() : fresh)) {
        blocked = true;
        break;
      }
      if (again) {
        queue.pop_front();
      } else {
        ++fresh;
      }
    }
    // Sleep until a reply, a timeout or the end of a pause.
    auto wake = now + options.timeout;
    for (const auto& [index, id] : flying) {
      wake = std::min(wake, attempts[id].sent + options.timeout);
    }
    for (const auto& [at, index] : waiting) {
      wake = std::min(wake, at);
    }
    if (blocked) {
      wake = std::min(wake, now + std::chrono::milliseconds(5));
    }
    if (paced) {
      wake = std::min(wake, *paced);
    }
    if (options.duration.count() > 0 && target == batches) {
      wake = std::min(wake, start + options.duration);
    }
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1,
              std::max(std::chrono::ceil<std::chrono::milliseconds>(wake - now),
                       std::chrono::milliseconds(0)));
    while (true) {
      zmq::message_t first;
      if (!socket.recv(first, zmq::recv_flags::dontwait)) {
        break;
      }
      std::vector<zmq::message_t> frames;
      frames.push_back(std::move(first));
      while (frames.back().more()) {
        zmq::message_t next;
        (void)socket.recv(next, zmq::recv_flags::none);
        frames.push_back(std::move(next));
      }
      v1::Reply reply;
      if (!reply.ParseFromArray(frames.back().data(), static_cast<int>(frames.back().size()))) {
        return Status::Internal("warmth-load: a reply that is not a warmth.v1.Reply");
      }
      const auto it = attempts.find(reply.request_id());
      if (it == attempts.end()) {
        return Status::Internal("warmth-load: a reply to a request never sent: " +
                                reply.request_id() + " (" + reply.error().message() + ")");
      }
      const std::int64_t index = it->second.index;
      const auto slot = static_cast<std::size_t>(index);
      const auto flight = flying.find(index);
      const bool is_current = flight != flying.end() && flight->second == reply.request_id();
      now = Clock::now();
      if (reply.has_error()) {
        const auto code = reply.error().code();
        if (code != v1::Error::RESOURCE_EXHAUSTED && code != v1::Error::UNAVAILABLE) {
          return Status::Internal("warmth-load: batch " + std::to_string(index) + ": " +
                                  v1::Error::Code_Name(code) + ": " + reply.error().message());
        }
        ++report.busy;
        if (is_current) {
          flying.erase(flight);
          ++report.resent;
          const int k = std::min(++busy_count[slot], 6);
          waiting.emplace_back(now + std::chrono::milliseconds(5 << k), index);
        }
        continue;
      }
      if (!reply.has_ingest()) {
        return Status::Internal("warmth-load: a reply without an ingest result");
      }
      if (Status s = acks.Write(reply.ingest()); !s.ok()) {
        return s;
      }
      for (const auto& result : reply.ingest().items()) {
        switch (result.outcome()) {
          case v1::IngestResult::ACCEPTED:
            ++report.accepted;
            break;
          case v1::IngestResult::DUPLICATE:
            ++report.duplicate;
            break;
          default:
            ++report.rejected;
        }
      }
      latencies.push_back(std::chrono::duration<double, std::micro>(now - it->second.sent).count());
      if (!done[slot]) {
        done[slot] = true;
        ++completed;
        // The batch is acknowledged: a resend still in flight or queued is
        // pointless (its late reply is still logged, as DUPLICATE).
        flying.erase(index);
      }
    }
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report.events = std::min(options.events, target * batch);
  std::sort(latencies.begin(), latencies.end());
  report.p50_us = Percentile(latencies, 0.50);
  report.p99_us = Percentile(latencies, 0.99);
  report.p999_us = Percentile(latencies, 0.999);
  report.max_us = latencies.empty() ? 0 : latencies.back();
  report.latencies_us = std::move(latencies);
  return report;
}

}  // namespace warmth::bench
