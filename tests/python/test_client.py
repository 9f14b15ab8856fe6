"""The Python client against a real warmthd on real sockets."""

import datetime as dt
import os
import signal
import threading
import time

import pytest

import warmth
from conftest import Daemon, free_tcp_port, write_key_pair

UTC = dt.timezone.utc


def missed_call_due_soon(c: warmth.Client, contact: str) -> None:
    """A missed call from `contact` just under 2 hours ago: its CALL_BACK
    falls due in about a second (rules.call_back.after is 2 h)."""
    c.log(contact, missed=True, at=dt.datetime.now(UTC) - dt.timedelta(hours=2, seconds=-1))


def test_defaults_find_the_daemon_and_a_call_counts(client):
    # No arguments: the endpoints under $XDG_RUNTIME_DIR/warmth, as warmctl.
    assert client.api == "ipc://" + os.environ["XDG_RUNTIME_DIR"] + "/warmth/api"
    logged = client.log("ann@example.com", channel="call", tags=["pitch"])
    assert not logged.duplicate
    assert logged.contact_ids == ["ann@example.com"]
    ann = client.get_contact("ann@example.com", recent=5)
    assert ann.interaction_count == 1
    assert ann.last_channel == "call"
    assert ann.warmth > 0
    assert ann.contact.circle is None  # unsorted
    assert [(i.event_id, i.channel, i.direction, i.tags) for i in ann.recent] == [
        (logged.event_id, "call", "mutual", ["pitch"])]
    assert client.status().interactions == 1


def test_the_same_event_id_is_counted_once(client):
    at = dt.datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
    first = client.log("bo@example.com", channel="email", at=at, event_id="mail-42")
    again = client.log("bo@example.com", channel="email", at=at, event_id="mail-42")
    assert (first.duplicate, again.duplicate) == (False, True)
    bo = client.get_contact("bo@example.com")
    assert bo.interaction_count == 1
    assert bo.last_interaction_at == at


def test_unknown_contacts_are_not_found(client):
    with pytest.raises(warmth.NotFound) as e:
        client.get_contact("nobody")
    assert isinstance(e.value, warmth.Error)
    assert e.value.code == "NOT_FOUND"
    with pytest.raises(warmth.NotFound):
        client.done("nobody")


def test_bad_fields_are_invalid_and_change_nothing(client):
    with pytest.raises(warmth.InvalidArgument, match="channel"):
        client.log("ann", channel=42)  # a number the daemon does not know
    with pytest.raises(warmth.InvalidArgument, match="channel"):
        client.log("ann", channel="telepathy")  # refused before sending
    with pytest.raises(warmth.InvalidArgument, match="event_id"):
        client.log("ann", event_id="x" * 129)
    with pytest.raises(warmth.InvalidArgument):
        client.upsert_contact("x" * 129, circle="inner")
    with pytest.raises(warmth.InvalidArgument):
        client.snooze("ann", dt.timedelta(days=400))
    s = client.status()
    assert (s.contacts, s.unsorted_contacts, s.interactions) == (0, 0, 0)


def test_contacts_nudges_and_done(client):
    bob = client.upsert_contact("bob", display_name="Bob Stone", circle="inner",
                                identifiers=["tel:+12025550100"],
                                birthday=warmth.Birthday(3, 14))
    assert (bob.id, bob.contact.circle, bob.contact.birthday) == (
        "bob", "inner", warmth.Birthday(3, 14, 0))
    client.upsert_contact(warmth.Contact(id="cy", circle="close", city="Lyon"))
    assert {c.id for c in client.list_contacts()} == {"bob", "cy"}
    assert len(client.list_contacts(limit=1)) == 1

    missed_call_due_soon(client, "tel:+12025550100")
    deadline = dt.datetime.now() + dt.timedelta(seconds=10)
    while not (pending := client.nudges()) and dt.datetime.now() < deadline:
        time.sleep(0.05)
    assert [(n.kind, n.contact_ids, n.state) for n in pending] == [
        ("call_back", ["bob"], "pending")]
    ack = client.done(nudge=pending[0].id)
    assert ack.nudge_ids == [pending[0].id]
    assert client.nudges() == []
    assert [n.id for n in client.nudges(states=["done"])] == [pending[0].id]
    assert client.get_contact("bob").last_channel == "call"


def test_watch_yields_a_nudge_as_it_is_published_and_when_it_closes(client):
    client.upsert_contact("bob", display_name="Bob", circle="inner")
    with client.watch(closed=True, timeout=10) as nudges:
        missed_call_due_soon(client, "bob")
        nudge = next(nudges)
        assert (nudge.kind, nudge.contact_ids, nudge.contact_names, nudge.state) == (
            "call_back", ["bob"], ["Bob"], "pending")
        assert "Bob tried to call you" in nudge.text
        client.dismiss(nudge.id)
        closed = next(nudges)
        assert (closed.id, closed.state) == (nudge.id, "dismissed")


def test_a_log_is_resent_with_its_event_id_until_the_daemon_answers(daemon):
    # The daemon stops answering (SIGSTOP) for longer than the client's
    # timeout; the client sends the interaction again, and once the daemon
    # runs again it is counted once and reported as new.
    with warmth.Client(timeout=0.5) as c:
        assert c.status().interactions == 0  # connected before it stops
        os.kill(daemon.process.pid, signal.SIGSTOP)
        timer = threading.Timer(0.8, os.kill, (daemon.process.pid, signal.SIGCONT))
        timer.start()
        try:
            logged = c.log("ann@example.com", event_id="call-7")
        finally:
            timer.join()
        assert not logged.duplicate
        assert c.get_contact("ann@example.com").interaction_count == 1


def test_no_daemon_is_unavailable(home):
    with pytest.raises(warmth.Unavailable, match="not running"):
        warmth.Client().status()


@pytest.fixture
def server(home):
    """warmthd on tcp:// with CURVE and three client keys, one per role."""
    d = Daemon(home)
    keys = home / "keys"
    keys.mkdir()
    write_key_pair(d.config_dir, "server")
    roles = {}
    lines = []
    for role in ("admin", "notify", "ingest"):
        public, key, _ = write_key_pair(keys, role)
        roles[role] = str(key)
        lines.append(f"{public}  {role}  {role}-client")
    (d.config_dir / "authorized_keys").write_text("\n".join(lines) + "\n")
    api, pub = f"tcp://127.0.0.1:{free_tcp_port()}", f"tcp://127.0.0.1:{free_tcp_port()}"
    server_pub = str(d.config_dir / "server.pub")
    d.start(
        config='timezone = "UTC"\n[delivery]\nquiet_hours = ""\nmax_per_day = 0\n'
        f'[api]\nendpoint = "{api}"\npublish = "{pub}"\n'
        '[curve]\nsecret_key = "server.key"\nauthorized_keys = "authorized_keys"\n',
        api=api, server_key=server_pub, secret_key=roles["admin"])
    d.api, d.pub, d.server_pub, d.keys = api, pub, server_pub, roles
    yield d
    d.stop()


def as_role(server, role, **kw):
    return warmth.Client(api=server.api, pub=server.pub, server_key=server.server_pub,
                         secret_key=server.keys[role], **kw)


def test_curve_roles_decide_what_each_key_may_do(server, home):
    with as_role(server, "admin") as admin:
        admin.upsert_contact("bob", circle="inner")
    with as_role(server, "ingest") as ingest:
        assert ingest.log("bob", channel="video").contact_ids == ["bob"]
        for call in (ingest.list_contacts, lambda: ingest.get_contact("bob"), ingest.nudges,
                     lambda: ingest.upsert_contact("eve")):
            with pytest.raises(warmth.PermissionDenied):
                call()
    with as_role(server, "notify") as notify:
        assert notify.nudges() == []
        with pytest.raises(warmth.PermissionDenied):
            notify.log("bob")
    with as_role(server, "admin") as admin:
        assert admin.get_contact("bob").interaction_count == 1
        with pytest.raises(warmth.NotFound):
            admin.get_contact("eve")
    # A key the server does not know cannot connect at all.
    _, stranger, _ = write_key_pair(home, "stranger")
    with warmth.Client(api=server.api, server_key=server.server_pub, secret_key=str(stranger),
                       timeout=1) as c:
        with pytest.raises(warmth.Unavailable, match="authorized"):
            c.status()


def test_curve_keys_from_the_client_config_and_watch_over_tcp(server, home):
    # [client] keys relative to the client's own config file, as warmctl reads them.
    cdir = home / "laptop"
    cdir.mkdir()
    (cdir / "notify.key").write_bytes(open(server.keys["notify"], "rb").read())
    (cdir / "notify.key").chmod(0o600)
    (cdir / "server.pub").write_bytes(open(server.server_pub, "rb").read())
    (cdir / "warmth.toml").write_text(
        f'[api]\nendpoint = "{server.api}"\npublish = "{server.pub}"\n'
        '[client]\nserver_key = "server.pub"\nsecret_key = "notify.key"\n')
    with warmth.Client(config=str(cdir / "warmth.toml")) as notify, \
            as_role(server, "admin") as admin:
        admin.upsert_contact("bob", display_name="Bob", circle="inner")
        with notify.watch(timeout=10) as nudges:
            missed_call_due_soon(admin, "bob")
            nudge = next(nudges)
        assert nudge.kind == "call_back"
        assert notify.done(nudge=nudge.id).nudge_ids == [nudge.id]


def test_curve_key_problems_are_reported_before_connecting(server, home):
    with pytest.raises(warmth.InvalidArgument, match="server_key"):
        warmth.Client(api="tcp://192.0.2.1:5555")  # not loopback: keys required
    open_key = home / "open.key"
    open_key.write_bytes(open(server.keys["admin"], "rb").read())
    open_key.chmod(0o644)
    with pytest.raises(warmth.InvalidArgument, match="chmod 600"):
        warmth.Client(api=server.api, server_key=server.server_pub, secret_key=str(open_key))
    with pytest.raises(warmth.InvalidArgument, match="server key"):
        warmth.Client(api=server.api, server_key="not-a-key", secret_key=server.keys["admin"])
