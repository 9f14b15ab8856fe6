// warmth-push's man page: the prose. SYNOPSIS and OPTIONS come from the
// command line itself (base/cli_doc.h); the facts here are docs/deploy.md's
// "Nudges on your phone".
#include "clients/push/pusher.h"

namespace warmth::push {

namespace {

constexpr char kDescription[] = R"(.SH DESCRIPTION
.B warmth\-push
subscribes to the nudges of
.BR warmthd (1)
and forwards each to your phone through a push service over HTTPS:
ntfy, Gotify, a Matrix room or a JSON webhook.
Each nudge is pushed once per target, also across restarts; nudges
published while warmth\-push was not running are pushed when it starts.
A target that fails (no answer, 5xx, 429) is retried with back\-off;
a nudge a target refuses outright (another 4xx) is given up on after
.B [push] give_up_after
tries with an error in the log. Nothing is dropped silently, and nothing
is sent unless
.B [push]
names a target.
.PP
ntfy gets a title, a priority, tags and, where the contact has a phone
number, a button that calls them. Matrix gets one transaction per nudge,
so a retry never posts twice.
)";

constexpr char kTail[] = R"(.SH EXAMPLES
.nf
[push.ntfy]
url = "https://ntfy.sh/my\-warmth\-topic"
token_file = "ntfy.token"

systemctl \-\-user enable \-\-now warmth\-push
.fi
.SH FILES
.TP
.I $XDG_CONFIG_HOME/warmth/warmth.toml
The config; see
.BR warmth.toml (5).
Token files are relative to it and must be readable by their owner alone
(mode 0600).
.TP
.I $XDG_STATE_HOME/warmth/push\-delivered\-TARGET
The ids of the nudges pushed to each target.
.SH ENVIRONMENT
.TP
.B XDG_CONFIG_HOME\fR, \fBXDG_STATE_HOME\fR, \fBXDG_RUNTIME_DIR
Where the config, the delivered ids and the daemon's sockets are.
.SH EXIT STATUS
.TP
.B 0
Stopped by SIGTERM or SIGINT.
.TP
.B 1
A fatal error.
.TP
.B 2
A bad command line.
.TP
.B 78
A bad config: no target, an unknown key, a token file missing or open to
other users.
.SH SEE ALSO
.BR warmthd (1),
.BR warmth\-notify (1),
.BR warmth.toml (5)
)";

}  // namespace

base::ManPage ManPage() {
  return {.description = kDescription, .tail = kTail};
}

}  // namespace warmth::push
