#pragma once

// Exit codes of every warmth binary (sysexits.h where one fits). Each binary
// documents in its --help which of them it uses.
namespace warmth::base {

inline constexpr int kExitOk = 0;
// The daemon refused or rejected a request (warmctl, import, warmth-mail);
// a fatal error (warmthd, warmth-notify).
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;         // bad command line (warmth-mail: or config)
inline constexpr int kExitDataError = 65;    // EX_DATAERR: unparseable input
inline constexpr int kExitUnavailable = 69;  // EX_UNAVAILABLE: the daemon is not reachable
// EX_CONFIG: bad config, or an endpoint that cannot be bound; the units say
// RestartPreventExitStatus=78, so systemd does not restart it.
inline constexpr int kExitConfig = 78;

}  // namespace warmth::base
