// warmth-notify's man page: the prose. SYNOPSIS and OPTIONS come from the
// command line itself (base/cli_doc.h); the facts here are docs/notifier.md's.
#include "clients/notify/notifier.h"

namespace warmth::notify {

namespace {

constexpr char kDescription[] = R"(.SH DESCRIPTION
.B warmth\-notify
subscribes to the nudges of
.BR warmthd (1)
and shows each as a desktop notification (the freedesktop
notification service): its title says who and why, its body the nudge text.
.B Called
records the call (warmth rises, the nudge is done),
.B Snooze
holds the nudge for
.B [notify] snooze
(default 3 days),
.B Dismiss
drops it.
A nudge handled elsewhere is closed here at once.
.PP
Each nudge is shown once: nudges published while it was not running appear
when it starts, and the ids shown are remembered in the state directory.
With
.B \-\-stdout
or
.B \-\-json
it needs no desktop and prints each nudge as a line.
)";

constexpr char kTail[] = R"(.SH EXAMPLES
.nf
systemctl \-\-user enable \-\-now warmthd warmth\-notify
warmth\-notify \-\-stdout
.fi
.SH FILES
.TP
.I $XDG_CONFIG_HOME/warmth/warmth.toml
The config; see
.BR warmth.toml (5).
.TP
.I $XDG_STATE_HOME/warmth/
The ids of the nudges shown.
.SH ENVIRONMENT
.TP
.B XDG_CONFIG_HOME\fR, \fBXDG_STATE_HOME\fR, \fBXDG_RUNTIME_DIR
Where the config, the shown ids and the daemon's sockets are.
.TP
.B DBUS_SESSION_BUS_ADDRESS
The session bus of the desktop.
.SH EXIT STATUS
.TP
.B 0
Stopped by a signal.
.TP
.B 2
A bad command line.
.TP
.B 78
A bad config.
.SH SEE ALSO
.BR warmthd (1),
.BR warmctl (1),
.BR warmth.toml (5)
)";

}  // namespace

base::ManPage ManPage() {
  return {.description = kDescription, .tail = kTail};
}

}  // namespace warmth::notify
