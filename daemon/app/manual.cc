// warmthd's man page: the prose. SYNOPSIS, OPTIONS and COMMANDS come from
// the command line itself (base/cli_doc.h); the facts here are README.md's
// and docs/*.md's.
#include "daemon/app/cli.h"

namespace warmth::app {

namespace {

constexpr char kSynopsis[] = R"(.B warmthd
.RI [ options ]
.br
.B warmthd replay
.RI [ options ]
.I timeline
)";

constexpr char kDescription[] = R"(.SH DESCRIPTION
.B warmthd
keeps a warmth score per contact that decays with time and rises with each
interaction, far more for a call or a meeting than for an e\-mail, and
publishes nudges when a relationship cools, a birthday comes, a call wants
returning or a trip brings you near someone.
Interactions come from
.BR warmctl (1),
.BR warmth\-mail (1)
and the importers over ZeroMQ; everything is kept in one SQLite file.
No subject or body of a message is stored.
.PP
An unknown key or a bad value in the config stops the daemon with the key's
name (exit 78).
.B SIGHUP
re-reads the config;
.B SIGTERM
and
.B SIGINT
stop it.
.PP
.B warmthd replay
runs a timeline of JSON lines (as
.B warmctl export \-\-timeline
writes) on a simulated clock and prints every nudge as a JSON line: tune the
config on your own past before you change it.
)";

constexpr char kTail[] = R"(.SH EXAMPLES
.nf
warmthd
warmthd \-\-log\-level debug \-\-data\-dir /tmp/warmth\-try
warmctl export \-\-timeline > history.jsonl
warmthd replay history.jsonl \-\-config candidate.toml \-\-summary
.fi
.SH FILES
.TP
.I $XDG_CONFIG_HOME/warmth/warmth.toml
The config, optional: every key has a default; see
.BR warmth.toml (5).
.TP
.I $XDG_DATA_HOME/warmth/warmth.db
The store (default
.IR ~/.local/share/warmth/ ).
.TP
.I $XDG_RUNTIME_DIR/warmth/api
The API socket, and
.I .../nudges
the nudges it publishes (directory mode 0700);
.I /tmp/warmth\-$UID/
without
.BR XDG_RUNTIME_DIR .
.SH ENVIRONMENT
.TP
.B XDG_CONFIG_HOME\fR, \fBXDG_DATA_HOME\fR, \fBXDG_RUNTIME_DIR
Where the config, the store and the sockets are.
.TP
.B CONFIGURATION_DIRECTORY\fR, \fBSTATE_DIRECTORY\fR, \fBRUNTIME_DIRECTORY
Set by systemd for the system service; they come first.
.SH EXIT STATUS
.TP
.B 0
Stopped by a signal, or replay done.
.TP
.B 1
A fatal error.
.TP
.B 2
A bad command line, or a bad timeline (replay).
.TP
.B 78
A bad config or a failed start (a socket or the store).
.SH SEE ALSO
.BR warmctl (1),
.BR warmth\-notify (1),
.BR warmth\-mail (1),
.BR warmth.toml (5)
)";

}  // namespace

base::ManPage ManPage() {
  return {.synopsis = kSynopsis, .description = kDescription, .tail = kTail};
}

}  // namespace warmth::app
