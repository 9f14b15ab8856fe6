#pragma once

#include <cstdint>

#include <sys/types.h>

namespace warmth::base {

// VmRSS of a process in KiB, from /proc/PID/status; 0 when unreadable. For
// the tests and benchmarks that watch warmthd's memory.
std::int64_t VmRssKib(pid_t pid);

}  // namespace warmth::base
