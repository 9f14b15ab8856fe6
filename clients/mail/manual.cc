// warmth-mail's man page: the prose. OPTIONS come from the command line
// itself (base/cli_doc.h); the facts here are those of its --help.
#include "clients/mail/mail.h"

namespace warmth::mail {

namespace {

constexpr char kSynopsis[] = R"(.B warmth\-mail
.RI [ options ]
.RI < message
.br
.B warmth\-mail
.RI [ options ]
.B \-\-maildir
.I dir ...
.br
.B warmth\-mail
.RI [ options ]
.B \-\-mbox
.I file ...
)";

constexpr char kDescription[] = R"(.SH DESCRIPTION
With no
.B \-\-maildir
or
.BR \-\-mbox ,
.B warmth\-mail
reads one RFC 5322 message on standard input and records it: the hook form for
notmuch post-new, procmail or maildrop, an MTA pipe, or a sendmail wrapper for
outgoing mail.
It prints nothing unless
.B \-v
is given or something goes wrong.
.PP
.B \-\-maildir
and
.B \-\-mbox
backfill history: every message under
.I dir
or in the mbox
.I file
is read and sent in pipelined batches, with a progress bar on a terminal and a
summary at the end.
Event ids come from the Message-ID, so a second run records nothing twice.
.PP
A message from one of your addresses
.RB ( me.addresses
in
.BR warmth.toml (5),
or
.BR \-\-me )
is an outbound e\-mail to every To and Cc counterpart; a message to you is an
inbound e\-mail from its sender.
Mailing-list traffic, automatic mail, no-reply senders and mail neither from
nor to you are not counted.
No subject or body is ever sent to the daemon.
Mail from you that opens a thread is tagged
.BR new\-thread ,
and with the tags of its
.B X\-Warmth\-Tags
header.
)";

constexpr char kTail[] = R"(.SH EXAMPLES
.nf
warmth\-mail \-\-me me@example.com < message.eml
warmth\-mail \-\-maildir ~/Mail
warmth\-mail \-\-mbox ~/archive/2019.mbox \-\-dry\-run
.fi
.PP
A notmuch post-new hook:
.PP
.nf
notmuch search \-\-output=files tag:new |
    while read \-r f; do warmth\-mail \-\-exit\-zero < "$f"; done
.fi
.SH FILES
.TP
.I $XDG_CONFIG_HOME/warmth/warmth.toml
.B [me] addresses
and
.BR "[mail] lists" ;
see
.BR warmth.toml (5).
.TP
.I $XDG_STATE_HOME/warmth/mail\-lists
The mailing-list addresses learned, one a line (edit it freely; '#' comments).
.TP
.I $XDG_RUNTIME_DIR/warmth/api
The daemon's socket.
.SH ENVIRONMENT
.TP
.B XDG_CONFIG_HOME\fR, \fBXDG_STATE_HOME\fR, \fBXDG_RUNTIME_DIR
Where the config, the learned lists and the daemon's socket are.
.SH EXIT STATUS
.TP
.B 0
Recorded, duplicate, or not personal mail (skipped); a backfill whose every
batch was delivered.
.TP
.B 1
The daemon rejected the interaction.
.TP
.B 2
A bad command line or config.
.TP
.B 65
The message on standard input is unparseable.
.TP
.B 69
The daemon is not running or not reachable.
.PP
With
.B \-\-exit\-zero
always 0.
.SH SEE ALSO
.BR warmthd (1),
.BR warmctl (1),
.BR warmth.toml (5)
)";

}  // namespace

base::ManPage ManPage() {
  return {.synopsis = kSynopsis, .description = kDescription, .tail = kTail};
}

}  // namespace warmth::mail
