"""Where the daemon is and which CURVE keys to use: the same defaults,
config file and key files as warmctl."""

from __future__ import annotations

import os
import stat
import struct
import tomllib
from dataclasses import dataclass

import zmq
from zmq.utils import z85

from ._errors import ConfigError, Error, InvalidArgument, NotFound, PermissionDenied

Z85_KEY_LENGTH = 40


def _env(name: str) -> str:
    return os.environ.get(name, "")


def runtime_dir() -> str:
    """$RUNTIME_DIRECTORY, $XDG_RUNTIME_DIR/warmth, else /tmp/warmth-<uid>."""
    if d := _env("RUNTIME_DIRECTORY"):
        return d.split(":", 1)[0]
    if d := _env("XDG_RUNTIME_DIR"):
        return d + "/warmth"
    return f"/tmp/warmth-{os.getuid()}"


def config_file() -> str:
    """$CONFIGURATION_DIRECTORY/warmth.toml, $XDG_CONFIG_HOME/warmth/warmth.toml,
    else ~/.config/warmth/warmth.toml."""
    if d := _env("CONFIGURATION_DIRECTORY"):
        return d.split(":", 1)[0] + "/warmth.toml"
    if d := _env("XDG_CONFIG_HOME"):
        return d + "/warmth/warmth.toml"
    return os.path.expanduser("~") + "/.config/warmth/warmth.toml"


def default_api_endpoint() -> str:
    return "ipc://" + runtime_dir() + "/api"


def default_publish_endpoint() -> str:
    return "ipc://" + runtime_dir() + "/nudges"


@dataclass
class Config:
    """The parts of warmth.toml a client reads: [api] and [client]."""

    source: str = ""
    api_endpoint: str = ""  # [api] endpoint; "": the default
    publish_endpoint: str = ""  # [api] publish; "": the default
    server_key: str = ""  # [client] server_key: a file or the 40 characters
    secret_key: str = ""  # [client] secret_key: a file

    def api(self) -> str:
        return self.api_endpoint or default_api_endpoint()

    def publish(self) -> str:
        return self.publish_endpoint or default_publish_endpoint()


def _key_path(source: str, value: str) -> str:
    # Relative to the config file's directory, as the daemon reads it.
    if os.path.isabs(value):
        return value
    d = os.path.dirname(source)
    return os.path.join(d, value) if d else value


def _string(table: dict, section: str, key: str, source: str) -> str | None:
    v = table.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise ConfigError(f"{source}: {section}.{key}: expected a string")
    return v


def _check_endpoint(name: str, endpoint: str, source: str) -> None:
    for scheme in ("ipc://", "tcp://", "inproc://"):
        if endpoint.startswith(scheme) and len(endpoint) > len(scheme):
            return
    raise ConfigError(f"{source}: {name}: expected an ipc://PATH or tcp://HOST:PORT endpoint")


def load_config(path: str | None = None) -> Config:
    """Reads `path` (which must exist), or else the default file (which may
    not). Raises ConfigError for a file that cannot be read or parsed."""
    required = path is not None
    source = path if path is not None else config_file()
    try:
        with open(source, "rb") as f:
            root = tomllib.load(f)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{source}: no such file") from None
        return Config(source=source)
    except OSError as e:
        raise ConfigError(f"{source}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{source}: {e}") from None
    c = Config(source=source)
    api = root.get("api", {})
    client = root.get("client", {})
    if not isinstance(api, dict) or not isinstance(client, dict):
        raise ConfigError(f"{source}: [api] and [client] must be tables")
    if (e := _string(api, "api", "endpoint", source)) is not None:
        _check_endpoint("api.endpoint", e, source)
        c.api_endpoint = e
    if (e := _string(api, "api", "publish", source)) is not None:
        _check_endpoint("api.publish", e, source)
        c.publish_endpoint = e
    if (v := _string(client, "client", "server_key", source)) is not None:
        if not v:
            raise ConfigError(
                f"{source}: client.server_key: expected a file name or a 40-character key")
        # A file next to the config, or else the key itself.
        p = _key_path(source, v)
        c.server_key = v if len(v) == Z85_KEY_LENGTH and not os.path.exists(p) else p
    if (v := _string(client, "client", "secret_key", source)) is not None:
        if not v:
            raise ConfigError(f"{source}: client.secret_key: expected a file name")
        c.secret_key = _key_path(source, v)
    return c


def is_z85_key(text: str) -> bool:
    if len(text) != Z85_KEY_LENGTH:
        return False
    try:
        z85.decode(text.encode("ascii"))
    except (ValueError, KeyError, UnicodeEncodeError, struct.error):
        return False
    return True


def _key_in_text(text: str, what: str) -> str:
    key = ""
    for number, line in enumerate(text.splitlines(), start=1):
        t = line.strip()
        # '#' is a Z85 digit, but too big to lead a 32-byte key: a comment.
        if not t or t.startswith("#"):
            continue
        if not is_z85_key(t):
            raise InvalidArgument(f"{what}:{number}: expected a 40-character Z85 key")
        if key:
            raise InvalidArgument(f"{what}:{number}: more than one key")
        key = t
    if not key:
        raise InvalidArgument(f"{what}: no key in it")
    return key


def _read_small(path: str) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(4097)
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file") from None
    except OSError as e:
        raise PermissionDenied(f"{path}: cannot read it: {e.strerror}") from None
    if len(data) > 4096:
        raise InvalidArgument(f"{path}: too big for a key file")
    return data.decode("utf-8", errors="replace")


def read_secret_key_file(path: str) -> tuple[str, str]:
    """(public, secret) Z85 keys from a file written by `warmctl keygen`.
    NotFound when missing, PermissionDenied when other users may read it,
    InvalidArgument when it holds no valid key."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file") from None
    except OSError as e:
        raise PermissionDenied(f"{path}: {e.strerror}") from None
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise PermissionDenied(
            f"{path}: a secret key must not be open to other users; run chmod 600 on it")
    secret = _key_in_text(_read_small(path), path)
    public = zmq.curve_public(secret.encode("ascii")).decode("ascii")
    return public, secret


def read_public_key(file_or_key: str) -> str:
    """A public key given as its 40 characters or as a file holding them; an
    existing file wins."""
    if os.path.isfile(file_or_key):
        return _key_in_text(_read_small(file_or_key), file_or_key)
    if is_z85_key(file_or_key):
        return file_or_key
    raise NotFound(f"{file_or_key}: no such file (and not a 40-character Z85 key)")


def _is_loopback(endpoint: str) -> bool:
    return endpoint.startswith(("tcp://127.", "tcp://localhost:", "tcp://[::1]:"))


@dataclass(frozen=True)
class Curve:
    server_key: str
    public_key: str
    secret_key: str

    def apply(self, socket: zmq.Socket) -> None:
        socket.curve_serverkey = self.server_key.encode("ascii")
        socket.curve_publickey = self.public_key.encode("ascii")
        socket.curve_secretkey = self.secret_key.encode("ascii")


def socket_security(config: Config, endpoint: str, server_key: str | None,
                    secret_key: str | None) -> Curve | None:
    """CURVE keys for a socket connecting to `endpoint`: none for ipc://; for
    tcp://, the arguments before the config's [client] keys. A loopback
    tcp:// endpoint with no keys anywhere connects in plain TCP. Raises
    InvalidArgument naming the missing setting, or the key file's problem."""
    if not endpoint.startswith("tcp://"):
        return None
    server = server_key or config.server_key
    secret = secret_key or config.secret_key
    if not server and not secret and _is_loopback(endpoint):
        return None
    if not server:
        raise InvalidArgument(f"{endpoint} needs CURVE keys: the daemon's public key is missing "
                              "(client.server_key in warmth.toml, or server_key=)")
    if not secret:
        raise InvalidArgument(f"{endpoint} needs CURVE keys: this client's secret key file is "
                              "missing (client.secret_key in warmth.toml, or secret_key=; "
                              "warmctl keygen makes one)")
    try:
        server_public = read_public_key(server)
    except Error as e:
        raise InvalidArgument(f"server key: {e}") from None
    try:
        own_public, own_secret = read_secret_key_file(secret)
    except Error as e:
        raise InvalidArgument(f"client key: {e}") from None
    return Curve(server_public, own_public, own_secret)
