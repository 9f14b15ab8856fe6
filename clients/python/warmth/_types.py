"""Results as small dataclasses, and their conversion from and to the wire.

Enum values are lower-case names as warmctl prints them ("in_person",
"call", "cooling", "pending"); an unspecified one is None. Times are aware
datetimes in UTC (None when unset), durations timedelta."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ._errors import InvalidArgument
from ._proto import pb

CHANNELS = ("in_person", "call", "video", "voice_message", "letter", "message", "email", "social")
DIRECTIONS = ("outbound", "inbound", "mutual")
CIRCLES = ("inner", "close", "network", "acquaintance")
NUDGE_STATES = ("pending", "done", "snoozed", "dismissed")


def _name(enum, value: int) -> str | None:
    """"call" for CALL; None for 0 (unspecified); the number as text for a
    value this module does not know (a newer daemon)."""
    if value == 0:
        return None
    try:
        return enum.Name(value).lower()
    except ValueError:
        return str(value)


def enum_value(enum, what: str, value, allowed: tuple[str, ...]) -> int:
    """The wire number for a name ("call") or a number (sent as it is, for
    the daemon to judge). InvalidArgument for an unknown name."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in allowed:
        return enum.Value(value.upper())
    raise InvalidArgument(f"{what}: expected one of {', '.join(allowed)}")


def _time(msg, name: str) -> _dt.datetime | None:
    if not msg.HasField(name):
        return None
    ts = getattr(msg, name)
    return _dt.datetime.fromtimestamp(ts.seconds, _dt.timezone.utc) + _dt.timedelta(
        microseconds=ts.nanos // 1000)


def _duration(msg, name: str) -> _dt.timedelta | None:
    if not msg.HasField(name):
        return None
    d = getattr(msg, name)
    return _dt.timedelta(seconds=d.seconds, microseconds=d.nanos // 1000)


def set_time(ts, when: _dt.datetime) -> None:
    """A naive datetime is local time."""
    if when.tzinfo is None:
        when = when.astimezone()
    ts.FromDatetime(when.astimezone(_dt.timezone.utc))


def set_duration(d, value) -> None:
    """A timedelta or a number of seconds."""
    if not isinstance(value, _dt.timedelta):
        value = _dt.timedelta(seconds=value)
    d.FromTimedelta(value)


@dataclass
class Birthday:
    month: int
    day: int
    year: int = 0  # 0: unknown


@dataclass
class Contact:
    id: str
    display_name: str = ""
    identifiers: list[str] = field(default_factory=list)
    circle: str | None = None  # None: unsorted
    city: str = ""
    birthday: Birthday | None = None
    tags: list[str] = field(default_factory=list)
    muted: bool = False
    family: bool = False
    every: _dt.timedelta | None = None  # this contact's own cadence
    every_max: _dt.timedelta | None = None

    @classmethod
    def from_proto(cls, c) -> Contact:
        return cls(
            id=c.id, display_name=c.display_name, identifiers=list(c.identifiers),
            circle=_name(pb.Circle, c.circle), city=c.city,
            birthday=Birthday(c.birthday.month, c.birthday.day, c.birthday.year)
            if c.HasField("birthday") else None,
            tags=list(c.tags), muted=c.muted, family=c.family,
            every=_duration(c, "every"), every_max=_duration(c, "every_max"))

    def to_proto(self, c) -> None:
        c.id = self.id
        c.display_name = self.display_name
        c.identifiers.extend(self.identifiers)
        if self.circle is not None:
            c.circle = enum_value(pb.Circle, "circle", self.circle, CIRCLES)
        c.city = self.city
        if self.birthday is not None:
            c.birthday.month = self.birthday.month
            c.birthday.day = self.birthday.day
            c.birthday.year = self.birthday.year
        c.tags.extend(self.tags)
        c.muted = self.muted
        c.family = self.family
        if self.every is not None:
            set_duration(c.every, self.every)
        if self.every_max is not None:
            set_duration(c.every_max, self.every_max)


@dataclass
class Interaction:
    """One stored interaction, as ContactInfo.recent lists it."""

    event_id: str
    contacts: list[str]
    channel: str | None
    direction: str | None
    occurred_at: _dt.datetime | None
    source: str = ""
    tags: list[str] = field(default_factory=list)
    missed: bool = False

    @classmethod
    def from_proto(cls, i) -> Interaction:
        return cls(
            event_id=i.event_id, contacts=list(i.contacts), channel=_name(pb.Channel, i.channel),
            direction=_name(pb.Direction, i.direction), occurred_at=_time(i, "occurred_at"),
            source=i.source, tags=list(i.tags), missed=i.missed)


@dataclass
class ContactInfo:
    """A contact as the daemon sees it now."""

    contact: Contact
    warmth: float
    last_interaction_at: _dt.datetime | None
    last_channel: str | None
    interaction_count: int
    cools_at: _dt.datetime | None
    snoozed_until: _dt.datetime | None
    recent: list[Interaction]  # get_contact(recent=N) only, newest first
    cadence_source: str  # "contact", "tag" or "circle"
    every: _dt.timedelta | None
    cadence_tag: str
    half_life: _dt.timedelta | None
    usual_gap: _dt.timedelta | None
    rhythm_gaps: int
    one_sided_until: _dt.datetime | None

    @property
    def id(self) -> str:
        return self.contact.id

    @classmethod
    def from_proto(cls, c) -> ContactInfo:
        return cls(
            contact=Contact.from_proto(c.contact), warmth=c.warmth,
            last_interaction_at=_time(c, "last_interaction_at"),
            last_channel=_name(pb.Channel, c.last_channel), interaction_count=c.interaction_count,
            cools_at=_time(c, "cools_at"), snoozed_until=_time(c, "snoozed_until"),
            recent=[Interaction.from_proto(i) for i in c.recent],
            cadence_source=c.cadence_source, every=_duration(c, "every"),
            cadence_tag=c.cadence_tag, half_life=_duration(c, "half_life"),
            usual_gap=_duration(c, "usual_gap"), rhythm_gaps=c.rhythm_gaps,
            one_sided_until=_time(c, "one_sided_until"))


@dataclass
class Nudge:
    id: str
    kind: str | None  # "cooling", "call_back", …
    contact_ids: list[str]
    contact_names: list[str]
    text: str
    warmth: float
    suggested_channel: str | None
    due_at: _dt.datetime | None
    published_at: _dt.datetime | None
    trip_id: str
    state: str | None  # "pending", "done", "snoozed", "dismissed"
    snoozed_until: _dt.datetime | None

    @classmethod
    def from_proto(cls, n) -> Nudge:
        return cls(
            id=n.id, kind=_name(pb.NudgeKind, n.kind), contact_ids=list(n.contact_ids),
            contact_names=list(n.contact_names), text=n.text, warmth=n.warmth,
            suggested_channel=_name(pb.Channel, n.suggested_channel), due_at=_time(n, "due_at"),
            published_at=_time(n, "published_at"), trip_id=n.trip_id,
            state=_name(pb.NudgeState, n.state), snoozed_until=_time(n, "snoozed_until"))


@dataclass
class LogResult:
    """What the daemon made of one logged interaction."""

    event_id: str
    duplicate: bool  # True: an interaction with this event id was logged before
    contact_ids: list[str]  # the contacts it counted for (empty for a duplicate)


@dataclass
class Ack:
    """What a state change touched."""

    nudge_ids: list[str]
    contact_id: str
    trip_id: str

    @classmethod
    def from_proto(cls, a) -> Ack:
        return cls(nudge_ids=list(a.nudge_ids), contact_id=a.contact_id, trip_id=a.trip_id)


@dataclass
class Status:
    version: str
    started_at: _dt.datetime | None
    uptime: _dt.timedelta | None
    store_path: str
    contacts: int
    unsorted_contacts: int
    interactions: int
    pending_nudges: int
    waiting_nudges: int  # due, but held by quiet hours or the daily limit
    next_due_at: _dt.datetime | None
    api_endpoint: str
    publish_endpoint: str
    last_store_error: str  # "" when the store is healthy
    timezone: str

    @classmethod
    def from_proto(cls, s) -> Status:
        return cls(
            version=s.version, started_at=_time(s, "started_at"), uptime=_duration(s, "uptime"),
            store_path=s.store_path, contacts=s.contacts, unsorted_contacts=s.unsorted_contacts,
            interactions=s.interactions, pending_nudges=s.pending_nudges,
            waiting_nudges=s.waiting_nudges, next_due_at=_time(s, "next_due_at"),
            api_endpoint=s.api_endpoint, publish_endpoint=s.publish_endpoint,
            last_store_error=s.last_store_error, timezone=s.timezone)
