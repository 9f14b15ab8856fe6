"""A real warmthd per test: its own temp dirs (XDG_RUNTIME_DIR, XDG_DATA_HOME,
XDG_CONFIG_HOME), stopped afterwards. The binary is $WARMTH_WARMTHD."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import zmq

import warmth

# Nudges go out the moment they fall due: no quiet hours, no daily limit.
IMMEDIATE = 'timezone = "UTC"\n[delivery]\nquiet_hours = ""\nmax_per_day = 0\n'


def free_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_key_pair(directory: Path, name: str) -> tuple[str, Path, Path]:
    """NAME.key (mode 0600) and NAME.pub as warmctl keygen writes them."""
    public, secret = (k.decode() for k in zmq.curve_keypair())
    key = directory / f"{name}.key"
    key.write_text(f'# warmth CURVE secret key "{name}"\n# public key: {public}\n{secret}\n')
    key.chmod(0o600)
    pub = directory / f"{name}.pub"
    pub.write_text(public + "\n")
    return public, key, pub


class Daemon:
    def __init__(self, home: Path):
        self.home = home
        self.config_dir = home / "config" / "warmth"
        self.config_dir.mkdir(parents=True)
        self.log = home / "warmthd.log"
        self.process = None

    def start(self, config: str = IMMEDIATE, **client_args) -> None:
        """Writes the config to its default place, starts warmthd with its
        default endpoints (or the config's) and waits until it answers."""
        (self.config_dir / "warmth.toml").write_text(config)
        binary = os.environ.get("WARMTH_WARMTHD")
        if not binary:
            pytest.fail("WARMTH_WARMTHD is not set (the warmthd binary to test)")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([binary, "--log-level", "debug"], stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                pytest.fail("warmthd exited early:\n" + self.log.read_text())
            try:
                with warmth.Client(timeout=1, **client_args) as c:
                    c.status()
                return
            except warmth.Unavailable:
                if time.monotonic() > deadline:
                    pytest.fail("warmthd did not answer within 10 s:\n" + self.log.read_text())
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case a test stopped it
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def home(monkeypatch):
    """A temp dir as this test's XDG runtime, data, config and state homes."""
    d = Path(tempfile.mkdtemp(prefix="warmth-py-"))
    for name, sub in (("XDG_RUNTIME_DIR", "run"), ("XDG_DATA_HOME", "data"),
                      ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state")):
        (d / sub).mkdir(mode=0o700)
        monkeypatch.setenv(name, str(d / sub))
    for name in ("RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CONFIGURATION_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def daemon(home):
    """warmthd on its default ipc:// endpoints under XDG_RUNTIME_DIR."""
    d = Daemon(home)
    d.start()
    yield d
    d.stop()


@pytest.fixture
def client(daemon):
    with warmth.Client() as c:
        yield c
