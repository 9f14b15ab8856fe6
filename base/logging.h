#pragma once

#include <string>

namespace warmth::base {

// Makes spdlog's default logger write to stderr (journald under systemd;
// stdout is each binary's output) as "2026-11-21 14:03:00.123 info text",
// at `level` (trace, debug, info, warn, error). The logger is named `name`;
// calling this again reuses it. Call it from main's thread before logging.
void SetUpLogging(const std::string& name, const std::string& level);

}  // namespace warmth::base
