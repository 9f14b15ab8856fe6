"""A client for warmthd: log interactions, read warmth, act on nudges.

    import warmth
    with warmth.Client() as c:
        c.log("ann@example.com", channel="call")

See docs/python.md.
"""

from ._client import Client, Watch
from ._errors import (AlreadyExists, ConfigError, Error, FailedPrecondition, Internal,
                      InvalidArgument, NotFound, PermissionDenied, ResourceExhausted,
                      Unavailable)
from ._types import Ack, Birthday, Contact, ContactInfo, Interaction, LogResult, Nudge, Status

__all__ = [
    "Client", "Watch", "Error", "InvalidArgument", "NotFound", "AlreadyExists",
    "FailedPrecondition", "PermissionDenied", "ResourceExhausted", "Unavailable", "Internal",
    "ConfigError", "Ack", "Birthday", "Contact", "ContactInfo", "Interaction", "LogResult",
    "Nudge", "Status",
]
