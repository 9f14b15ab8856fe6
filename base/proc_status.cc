#include "base/proc_status.h"

#include <fstream>
#include <string>

namespace warmth::base {

std::int64_t VmRssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stoll(line.substr(6));
    }
  }
  return 0;
}

}  // namespace warmth::base
