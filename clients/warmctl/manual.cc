// warmctl's man page: the prose. SYNOPSIS, OPTIONS and COMMANDS come from
// the command line itself (base/cli_doc.h); the facts here are README.md's.
#include "clients/warmctl/commands.h"

namespace warmth::warmctl {

namespace {

constexpr char kSynopsis[] = R"(.B warmctl
.RI [ options ]
.I command
.RI [ arguments ]
)";

constexpr char kDescription[] = R"(.SH DESCRIPTION
.B warmctl
talks to
.BR warmthd (1):
it logs interactions by hand, adds and edits contacts and trips, lists contacts
coldest first, acts on nudges (done, snooze, dismiss), watches them as they are
published, imports address books, calendars, call logs and chats, and exports
the store.
.PP
Contacts are named by id
.RB ( bob )
or by any identifier
.RB ( bob@example.com ,
.BR "tel:+1 202 555 0100" ,
.BR @bob ).
Phone numbers are matched in E.164; with
.B [me] region
set in
.BR warmth.toml (5),
numbers written the national way match their international spelling.
An interaction with an unknown identifier creates an unsorted contact; giving
it a circle with
.B warmctl contact add
adopts its history.
.PP
Every query command takes
.BR \-\-json :
one line in protobuf's canonical JSON mapping, the mapping
.B warmthd replay
prints.
)";

constexpr char kTail[] = R"(.SH EXAMPLES
.nf
warmctl log alice@example.com \-\-channel call
warmctl contact add bob \-\-name "Bob Stone" \-\-email bob@example.com \e
        \-\-circle close \-\-city Washington \-\-birthday 03\-14
warmctl log bob \-\-channel in_person \-\-at "3d ago"
warmctl log bob \-\-missed \-\-at "1h ago"
warmctl list
warmctl contact edit bob \-\-every 2w \-\-max 4w
warmctl done bob \-\-call
warmctl snooze bob 3d
warmctl export \-\-timeline > history.jsonl
.fi
.SH FILES
.TP
.I $XDG_CONFIG_HOME/warmth/warmth.toml
The config, optional (default
.IR ~/.config/warmth/warmth.toml );
see
.BR warmth.toml (5).
.TP
.I $XDG_RUNTIME_DIR/warmth/api
The daemon's API socket, and
.I .../nudges
the nudges it publishes;
.I /tmp/warmth\-$UID/
without
.BR XDG_RUNTIME_DIR .
.SH ENVIRONMENT
.TP
.B XDG_CONFIG_HOME
Where the config is looked for.
.TP
.B XDG_RUNTIME_DIR
Where the daemon's sockets are.
.SH EXIT STATUS
.TP
.B 0
Success.
.TP
.B 1
The daemon refused the request.
.TP
.B 2
A bad command line or config.
.TP
.B 69
The daemon is not running or not reachable.
.SH SEE ALSO
.BR warmthd (1),
.BR warmth\-notify (1),
.BR warmth\-mail (1),
.BR warmth.toml (5)
)";

}  // namespace

base::ManPage ManPage() {
  return {.synopsis = kSynopsis, .description = kDescription, .tail = kTail};
}

}  // namespace warmth::warmctl
