"""Exceptions named after the wire's Error.Code."""

from __future__ import annotations


class Error(Exception):
    """A request failed. ``code`` is the wire code's name ("NOT_FOUND", …),
    ``message`` the daemon's (or this client's) text, naming the field."""

    code = "CODE_UNSPECIFIED"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidArgument(Error):
    code = "INVALID_ARGUMENT"


class NotFound(Error):
    code = "NOT_FOUND"


class AlreadyExists(Error):
    code = "ALREADY_EXISTS"


class FailedPrecondition(Error):
    code = "FAILED_PRECONDITION"


class PermissionDenied(Error):
    code = "PERMISSION_DENIED"


class ResourceExhausted(Error):
    code = "RESOURCE_EXHAUSTED"


class Unavailable(Error):
    """No daemon at the endpoint, no reply in time, or the daemon is busy."""

    code = "UNAVAILABLE"


class Internal(Error):
    code = "INTERNAL"


class ConfigError(InvalidArgument):
    """warmth.toml or a key file cannot be used."""


_BY_CODE = {
    cls.code: cls
    for cls in (InvalidArgument, NotFound, AlreadyExists, FailedPrecondition, PermissionDenied,
                ResourceExhausted, Unavailable, Internal)
}


def error_for(code_name: str, message: str) -> Error:
    """The exception for a wire code name; Internal for an unknown one."""
    return _BY_CODE.get(code_name, Internal)(message)
