"""A connection to warmthd: a DEALER socket on its API, a SUB on its nudges."""

from __future__ import annotations

import datetime as _dt
import os
import secrets
import time
from collections.abc import Iterable, Iterator

import zmq
from google.protobuf.message import DecodeError

from . import _config
from ._errors import Error, InvalidArgument, Unavailable, error_for
from ._proto import pb
from ._types import (CHANNELS, CIRCLES, DIRECTIONS, NUDGE_STATES, Ack, Birthday,
                     Contact, ContactInfo, LogResult, Nudge, Status, enum_value, set_duration,
                     set_time)

CONNECT_TIMEOUT = 1.5  # seconds to find the daemon at all
INGEST_RETRIES = 5  # resends of one interaction on UNAVAILABLE, RESOURCE_EXHAUSTED or timeout
MAX_MESSAGE_BYTES = 64 << 20
CLOSED_TOPIC = b"nudge.closed"


def _random_id() -> str:
    return secrets.token_hex(16)


def _raise_for(reply) -> None:
    if reply.WhichOneof("body") != "error":
        return
    try:
        name = pb.Error.Code.Name(reply.error.code)
    except ValueError:
        name = "INTERNAL"
    raise error_for(name, reply.error.message)


class Client:
    """A connection to warmthd, made on first use. One thread at a time.

    Endpoints and keys come from the arguments, else from warmth.toml (`config`,
    or the default file, like warmctl's), else the defaults: ipc:// sockets in
    $XDG_RUNTIME_DIR/warmth (/tmp/warmth-$UID without it). tcp:// endpoints
    use CURVE: `server_key` is the daemon's public key (40 characters or a file
    holding them), `secret_key` this client's key file (warmctl keygen).
    `timeout` is the seconds to wait for each reply.

    Every method raises a warmth.Error subclass named after the wire code:
    Unavailable when no daemon answers, NotFound, InvalidArgument,
    PermissionDenied (a key whose role does not allow the request), …
    """

    def __init__(self, api: str | None = None, pub: str | None = None,
                 server_key: str | None = None, secret_key: str | None = None,
                 timeout: float = 10.0, config: str | None = None):
        if not timeout > 0:
            raise InvalidArgument("timeout: expected a positive number of seconds")
        self._config = _config.load_config(config)
        self._api = api or self._config.api()
        self._pub = pub
        self._server_key = server_key
        self._secret_key = secret_key
        self._timeout = float(timeout)
        # Read the keys now: a bad key file fails here, not at the first call.
        self._curve = _config.socket_security(self._config, self._api, server_key, secret_key)
        self._context = zmq.Context()
        self._socket: zmq.Socket | None = None
        self._prefix = f"{os.getpid()}-{_random_id()[:6]}-"
        self._next_id = 1

    @property
    def api(self) -> str:
        return self._api

    def close(self) -> None:
        """Closes the connection and every Watch made from this client."""
        self._socket = None
        self._context.destroy(linger=0)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- requests -------------------------------------------------------

    def log(self, contacts: str | Iterable[str], channel: str | int = "call",
            direction: str | int | None = None, at: _dt.datetime | None = None,
            tags: Iterable[str] = (), event_id: str | None = None, missed: bool = False,
            source: str = "python") -> LogResult:
        """Records an interaction with `contacts` (ids or identifiers: an
        e-mail address, "tel:+…", a handle). `direction` defaults as in
        warmctl: inbound for a missed call, mutual for a live channel, else
        outbound; `at` defaults to now (a naive datetime is local time). The
        same `event_id` again is a duplicate, never counted twice (default: a
        random one). Resent with that event id while the daemon answers
        UNAVAILABLE or RESOURCE_EXHAUSTED, or does not answer in time.
        InvalidArgument when the daemon rejects the interaction (the reason
        names the field)."""
        if isinstance(contacts, str):
            contacts = [contacts]
        request = pb.Request()
        i = request.ingest.interactions.add()
        i.event_id = event_id if event_id is not None else "python-" + _random_id()
        i.contacts.extend(contacts)
        i.channel = enum_value(pb.Channel, "channel", channel, CHANNELS)
        if direction is not None:
            i.direction = enum_value(pb.Direction, "direction", direction, DIRECTIONS)
        elif missed:
            i.direction = pb.INBOUND
        else:
            live = i.channel in (pb.IN_PERSON, pb.CALL, pb.VIDEO)
            i.direction = pb.MUTUAL if live else pb.OUTBOUND
        i.missed = missed
        if at is not None:
            set_time(i.occurred_at, at)
        i.source = source
        i.tags.extend(tags)
        item = self._ingest(request).ingest.items[0]
        if item.outcome == pb.IngestResult.REJECTED:
            raise InvalidArgument("rejected: " + item.reason)
        return LogResult(event_id=item.event_id,
                         duplicate=item.outcome == pb.IngestResult.DUPLICATE,
                         contact_ids=list(item.contact_ids))

    def upsert_contact(self, contact: str | Contact, *, display_name: str = "",
                       identifiers: Iterable[str] = (), circle: str | None = None,
                       city: str = "", birthday: Birthday | None = None,
                       tags: Iterable[str] = (), muted: bool = False, family: bool = False,
                       every: _dt.timedelta | None = None,
                       every_max: _dt.timedelta | None = None) -> ContactInfo:
        """Creates or replaces a contact: a Contact, or its id and fields.
        Every field not given is cleared. AlreadyExists when an identifier
        belongs to another contact."""
        if not isinstance(contact, Contact):
            contact = Contact(id=contact, display_name=display_name,
                              identifiers=list(identifiers), circle=circle, city=city,
                              birthday=birthday, tags=list(tags), muted=muted, family=family,
                              every=every, every_max=every_max)
        elif contact.circle is not None:
            enum_value(pb.Circle, "circle", contact.circle, CIRCLES)
        request = pb.Request()
        contact.to_proto(request.upsert_contact.contact)
        return ContactInfo.from_proto(self._call(request).contact)

    def remove_contact(self, key: str) -> Ack:
        request = pb.Request()
        request.remove_contact.contact_id = key
        return Ack.from_proto(self._call(request).ack)

    def get_contact(self, key: str, recent: int = 0) -> ContactInfo:
        """A contact by id or identifier, with its `recent` latest interactions
        (at most 100). NotFound when there is none."""
        request = pb.Request()
        request.get_contact.contact_id = key
        request.get_contact.recent = recent
        return ContactInfo.from_proto(self._call(request).contact)

    def list_contacts(self, include_unsorted: bool = False, limit: int = 0) -> list[ContactInfo]:
        """Contacts with a circle, coldest first (unsorted ones last when
        included); `limit` 0 is all."""
        request = pb.Request()
        request.list_contacts.include_unsorted = include_unsorted
        request.list_contacts.limit = limit
        return [ContactInfo.from_proto(c) for c in self._call(request).contacts.contacts]

    def nudges(self, states: Iterable[str] = ("pending",), contact: str | None = None,
               limit: int = 0) -> list[Nudge]:
        """Nudges in `states` ("pending", "done", "snoozed", "dismissed"), of
        one contact or all."""
        request = pb.Request()
        if isinstance(states, str):
            states = [states]
        for s in states:
            request.list_nudges.states.append(enum_value(pb.NudgeState, "states", s, NUDGE_STATES))
        if contact:
            request.list_nudges.contact_id = contact
        request.list_nudges.limit = limit
        return [Nudge.from_proto(n) for n in self._call(request).nudges.nudges]

    def done(self, contact: str | None = None, *, nudge: str | None = None,
             channel: str | int | None = None) -> Ack:
        """You got in touch: records a live interaction now (`channel`, default
        the nudge's suggestion, else call) and clears the contact's pending
        nudges. Name the contact or one nudge."""
        request = pb.Request()
        if contact:
            request.done.contact_id = contact
        if nudge:
            request.done.nudge_id = nudge
        if channel is not None:
            request.done.channel = enum_value(pb.Channel, "channel", channel, CHANNELS)
        return Ack.from_proto(self._call(request).ack)

    def snooze(self, contact: str | None = None,
               duration: _dt.timedelta | float = _dt.timedelta(days=3), *,
               nudge: str | None = None) -> Ack:
        """No nudges for the contact (or this nudge) for `duration` (a
        timedelta or seconds; more than 0, at most 365 days)."""
        request = pb.Request()
        if contact:
            request.snooze.contact_id = contact
        if nudge:
            request.snooze.nudge_id = nudge
        set_duration(request.snooze.duration, duration)
        return Ack.from_proto(self._call(request).ack)

    def dismiss(self, id: str) -> Ack:  # noqa: A002 - the wire's name
        """Drops a nudge. NotFound for an unknown id."""
        request = pb.Request()
        request.dismiss.nudge_id = id
        return Ack.from_proto(self._call(request).ack)

    def status(self) -> Status:
        request = pb.Request()
        request.status.SetInParent()
        return Status.from_proto(self._call(request).status)

    def watch(self, kinds: Iterable[str] = (), closed: bool = False,
              timeout: float | None = None) -> Watch:
        """Subscribes to the daemon's nudges now and returns an iterator of
        them as they are published: of every kind, or of `kinds` ("cooling",
        "call_back", …). With `closed`, also each published nudge whose state
        changes (done, snoozed, dismissed). With `timeout`, iteration ends
        after that many seconds without one; else it waits forever.

        The endpoint: `pub`, else [api] publish, else the daemon's own
        (status), else the default."""
        endpoint = self._pub or self._config.publish_endpoint
        if not endpoint:
            try:
                endpoint = self.status().publish_endpoint
            except Error:  # not running, or a key that may not ask (notify)
                endpoint = ""
            endpoint = endpoint or self._config.publish()
        curve = _config.socket_security(self._config, endpoint, self._server_key,
                                        self._secret_key)
        return Watch(self._context, endpoint, curve, list(kinds), closed, timeout)

    # --- the wire ---------------------------------------------------------

    def _drop(self) -> None:
        if self._socket is not None:
            self._socket.close(linger=0)
            self._socket = None

    def _connect(self) -> zmq.Socket:
        if self._socket is not None:
            return self._socket
        path = self._api[len("ipc://"):] if self._api.startswith("ipc://") else ""
        if path and not os.path.exists(path):
            raise Unavailable(f"warmthd is not running (no socket at {path})")
        s = self._context.socket(zmq.DEALER)
        s.linger = 0
        # Queue nothing for a peer that is not connected: then POLLOUT tells
        # that the daemon is really there (and, with CURVE, took our key).
        s.immediate = 1
        s.maxmsgsize = MAX_MESSAGE_BYTES
        if self._curve is not None:
            self._curve.apply(s)
        try:
            s.connect(self._api)
        except zmq.ZMQError as e:
            s.close(linger=0)
            raise InvalidArgument(f"endpoint {self._api}: {e}") from None
        if not s.poll(int(CONNECT_TIMEOUT * 1000), zmq.POLLOUT):
            s.close(linger=0)
            raise Unavailable(
                f"warmthd is not running (nothing listens at {path})" if path else
                f"cannot reach warmthd at {self._api} "
                "(is it running, and is this client's key authorized?)")
        self._socket = s
        return s

    def _send(self, request) -> None:
        request.request_id = self._prefix + str(self._next_id)
        self._next_id += 1
        try:
            self._socket.send_multipart([b"", request.SerializeToString()], zmq.NOBLOCK)
        except zmq.Again:
            raise Unavailable(f"warmthd is not accepting requests at {self._api}") from None

    def _receive(self, request_ids: set[str], deadline: float):
        """The next reply to one of `request_ids`, or None at `deadline`.
        Skips replies to other requests (late ones) and frames that do not
        decode."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self._socket.poll(max(1, int(left * 1000)), zmq.POLLIN):
                return None
            frames = self._socket.recv_multipart()
            reply = pb.Reply()
            try:
                reply.ParseFromString(frames[-1])
            except DecodeError:
                continue
            if reply.request_id in request_ids:
                return reply

    def _call(self, request):
        self._connect()
        self._send(request)
        reply = self._receive({request.request_id}, time.monotonic() + self._timeout)
        if reply is None:
            # Drop the socket: a late reply must not be taken for the next one.
            self._drop()
            raise Unavailable(
                f"no reply from warmthd at {self._api} within {self._timeout:g} s")
        _raise_for(reply)
        return reply

    def _ingest(self, request):
        # As the C++ client's IngestAll: the same interactions (same event
        # ids) again under a new request id, after a retryable error with a
        # short back-off, or at once after a timeout. Unlike it, a late reply
        # to an earlier attempt is taken: it says ACCEPTED where the reply to
        # the resend would say DUPLICATE.
        self._connect()
        sent: set[str] = set()
        attempts = 0
        while True:
            self._send(request)
            sent.add(request.request_id)
            current = request.request_id
            attempts += 1
            deadline = time.monotonic() + self._timeout
            while True:
                reply = self._receive(sent, deadline)
                retryable = reply is not None and reply.WhichOneof("body") == "error" and \
                    reply.error.code in (pb.Error.UNAVAILABLE, pb.Error.RESOURCE_EXHAUSTED)
                if reply is None or not retryable or reply.request_id == current:
                    break
                # A retryable error for an attempt already resent: wait for
                # the resend's reply.
            if reply is None:
                if attempts > INGEST_RETRIES:
                    raise Unavailable(f"no reply from warmthd at {self._api}")
                continue
            if retryable and attempts <= INGEST_RETRIES:
                time.sleep(0.05 * attempts)
                continue
            _raise_for(reply)
            return reply


class Watch:
    """Nudges from the daemon's PUB socket, as Client.watch returns them.
    Iterate over it; close() (or a with block) ends the subscription."""

    def __init__(self, context: zmq.Context, endpoint: str, curve, kinds: list[str],
                 closed: bool, timeout: float | None):
        self.endpoint = endpoint
        self._closed = closed
        self._timeout = timeout
        self._socket = context.socket(zmq.SUB)
        self._socket.linger = 0
        if curve is not None:
            curve.apply(self._socket)
        if not kinds:
            # Matches nudge.closed as well; told apart below.
            self._socket.setsockopt(zmq.SUBSCRIBE, b"nudge.")
        for kind in kinds:
            self._socket.setsockopt(zmq.SUBSCRIBE, b"nudge." + kind.lower().encode())
        if closed and kinds:
            self._socket.setsockopt(zmq.SUBSCRIBE, CLOSED_TOPIC)
        try:
            self._socket.connect(endpoint)
        except zmq.ZMQError as e:
            self._socket.close(linger=0)
            raise InvalidArgument(f"endpoint {endpoint}: {e}") from None

    def __iter__(self) -> Iterator[Nudge]:
        return self

    def __next__(self) -> Nudge:
        if self._socket is None:
            raise StopIteration
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        while True:
            if deadline is None:
                ready = self._socket.poll(None, zmq.POLLIN)
            else:
                left = deadline - time.monotonic()
                ready = left > 0 and self._socket.poll(max(1, int(left * 1000)), zmq.POLLIN)
            if not ready:
                raise StopIteration
            frames = self._socket.recv_multipart()
            if len(frames) != 2:
                continue
            if frames[0] == CLOSED_TOPIC and not self._closed:
                continue
            nudge = pb.Nudge()
            try:
                nudge.ParseFromString(frames[1])
            except DecodeError:
                continue
            return Nudge.from_proto(nudge)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close(linger=0)
            self._socket = None

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
