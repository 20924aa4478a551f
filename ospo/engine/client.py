# SPDX-License-Identifier: Apache-2.0
"""Ask the local detection server (``ospo.engine.server``) instead of loading ScanCode.

Loading ScanCode's license index costs a process 4-5 s and 1.4 GB; a pre-commit hook has
well under a second. A server keeps the index loaded between commits: this module is its
client, and it imports nothing of ScanCode. It sends each file's content (a staged
content need not be on disk) with its sha256 and the engine key; it takes an answer only
when it is whole and checks out (the same engine key, the files asked for, each record's
digest, the record's fields). Anything else (no server, a refusal, a timeout, garbage)
gives no answer, and the caller detects those files in its own process, as without a
server; it never gets a stale or foreign record.

With no server running, :func:`detect` starts one in the background for the next call
and returns at once. It is never started with ``OSPO_NO_SERVER=1``, nor for more than
:data:`SERVER_MAX_FILES` files (a large scan forks its own workers), nor when its
directory cannot be made private to the user.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ospo.cache import cache_dir, text_digest
from ospo.model import IssueKind, ScanIssue

#: Version of the messages; a server of another version is refused like a foreign key.
PROTOCOL = 1
#: At most this many files to detect go to the server (a commit's worth); more go to the
#: forked workers, which use every core, and would keep the server from other hooks.
SERVER_MAX_FILES = 32
#: The server ends itself after this many seconds without a request (``OSPO_SERVER_IDLE``).
DEFAULT_IDLE = 900.0
#: The fields of a detection record (``scancode_engine.detect_file``), no more, no less.
RECORD_FIELDS = frozenset(
    {"license_expression", "engine_expression", "detections", "copyrights", "holders"}
    | {"full_matcher"}
)
#: A message larger than this is not one of ours.
MAX_MESSAGE = 512 << 20
_CONNECT_TIMEOUT = 1.0
#: Seconds added to the per-file timeouts for the server's own work on a request.
_MARGIN = 5.0
#: Longest path a Unix socket can be bound to (``sun_path`` less its terminating NUL).
_MAX_SOCKET_PATH = 107

Outcome = dict[str, Any] | ScanIssue


class ProtocolError(Exception):
    """A message that is not one of the protocol's."""


def disabled() -> bool:
    """Whether there is no server to use: ``OSPO_NO_SERVER`` set (and not 0), or a system
    without Unix sockets, ``fork`` or user ids (Windows)."""
    if os.environ.get("OSPO_NO_SERVER", "") not in ("", "0"):
        return True
    return not (hasattr(socket, "AF_UNIX") and hasattr(os, "fork") and hasattr(os, "getuid"))


def idle_seconds() -> float:
    """Seconds of quiet after which a server ends: ``OSPO_SERVER_IDLE``, else 15 minutes."""
    try:
        value = float(os.environ.get("OSPO_SERVER_IDLE", DEFAULT_IDLE))
    except ValueError:
        return DEFAULT_IDLE
    return value if value > 0 else DEFAULT_IDLE


def server_dir() -> Path:
    """The user's directory of server sockets: ``server/`` in the cache directory."""
    return cache_dir() / "server"


def socket_path(engine_key: str, directory: Path | None = None) -> Path:
    """The socket of the server for ``engine_key``: one per user and engine key."""
    return (directory or server_dir()) / f"{text_digest(engine_key)[:16]}.sock"


def lock_path(engine_key: str, directory: Path | None = None) -> Path:
    """The lock a server for ``engine_key`` holds from its start to its end."""
    return socket_path(engine_key, directory).with_suffix(".lock")


def starting(engine_key: str, directory: Path) -> bool:
    """Whether a server for ``engine_key`` holds its lock (it may still be loading)."""
    import fcntl

    try:
        fd = os.open(lock_path(engine_key, directory), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def private_dir(directory: Path) -> bool:
    """Make ``directory`` if needed; whether it is the user's own, closed to everyone else."""
    with contextlib.suppress(OSError):
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        st = os.lstat(directory)
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def send_message(sock: socket.socket, message: Mapping[str, Any]) -> None:
    """Send one message: its length (4 bytes, big-endian), then its JSON."""
    data = json.dumps(message, separators=(",", ":")).encode("utf-8")
    sock.sendall(struct.pack(">I", len(data)) + data)


def receive_message(sock: socket.socket) -> dict[str, Any]:
    """Receive one message; :class:`ProtocolError` when what arrives is not one."""
    (size,) = struct.unpack(">I", _receive_exactly(sock, 4))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"message of {size} bytes")
    try:
        message = json.loads(_receive_exactly(sock, size))
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("not an object")
    return message


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def record_digest(record: Mapping[str, Any]) -> str:
    """The digest a record travels with, over its canonical JSON (as the cache writes it)."""
    return text_digest(json.dumps(record, sort_keys=True, separators=(",", ":")))


def connect(path: Path, timeout: float = _CONNECT_TIMEOUT) -> socket.socket | None:
    """A connection to the server listening at ``path``, or None when none listens."""
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(os.fspath(path))
        if not same_user(sock):
            raise ConnectionRefusedError(f"{path} is another user's")
    except OSError:
        sock.close()
        return None
    return sock


def same_user(sock: socket.socket) -> bool:
    """Whether the process at the other end of ``sock`` runs as this user."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True  # not Linux: the private directory is the guard
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return bool(uid == os.getuid())


def request(path: Path, message: Mapping[str, Any], timeout: float) -> dict[str, Any] | None:
    """Send ``message`` to the server at ``path``; its answer, or None on any failure."""
    sock = connect(path)
    if sock is None:
        return None
    with sock:
        try:
            sock.settimeout(timeout)
            send_message(sock, message)
            return receive_message(sock)
        except (OSError, ProtocolError, struct.error):
            return None


def detect(
    todo: Mapping[str, str], engine_key: str, timeout: float | None, *, start_server: bool = True
) -> dict[str, Outcome]:
    """Detect the files of ``todo`` (sha256 -> a path holding that content) in the server.

    Returns the outcome (a record, or the issue ``detect_file`` met) of each file the
    server answered for, checked; files missing from the result are the caller's to
    detect. With ``start_server``, starts a server for the next call when none answers.
    """
    if disabled() or not todo or len(todo) > SERVER_MAX_FILES:
        return {}
    directory = server_dir()
    if not private_dir(directory):
        return {}
    path = socket_path(engine_key, directory)
    files = _contents(todo)
    if not files:
        return {}
    per_file = timeout if timeout else 600.0
    answer = request(
        path,
        {"protocol": PROTOCOL, "op": "detect", "engine_key": engine_key, "timeout": timeout}
        | {"files": files},
        per_file * len(files) + _MARGIN,
    )
    if answer is None:
        listening = connect(path)
        if listening is None:  # none listens (a busy one is not none): one for the next call
            if start_server:
                start(directory, engine_key)
        else:
            listening.close()
        return {}
    try:
        return _outcomes(answer, engine_key, {f["sha256"] for f in files})
    except (ProtocolError, KeyError, TypeError, ValueError):
        return {}


def _contents(todo: Mapping[str, str]) -> list[dict[str, str]]:
    """The files to send: those whose content still has the hash they were listed with."""
    import base64
    import hashlib

    files = []
    for sha, location in todo.items():
        try:
            with open(location, "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # detected in-process, which reports why it cannot be read
        if hashlib.sha256(data).hexdigest() != sha:
            continue  # changed since it was hashed
        files.append(
            {
                "sha256": sha,
                # the name, not the directory, can change a result (the file's type)
                "name": os.path.basename(location),
                "content": base64.b64encode(data).decode("ascii"),
            }
        )
    return files


def _outcomes(answer: Mapping[str, Any], engine_key: str, asked: set[str]) -> dict[str, Outcome]:
    """The outcomes of a detect answer; :class:`ProtocolError` unless it checks out whole."""
    if answer.get("protocol") != PROTOCOL or answer.get("engine_key") != engine_key:
        raise ProtocolError("another protocol or engine")
    if "refused" in answer:
        raise ProtocolError(str(answer["refused"]))
    outcomes: dict[str, Outcome] = {}
    for item in answer["results"]:
        sha = item["sha256"]
        if sha not in asked or sha in outcomes:
            raise ProtocolError("an answer for a file not asked for")
        if "record" in item:
            record = item["record"]
            if not isinstance(record, dict) or set(record) != RECORD_FIELDS:
                raise ProtocolError("not a detection record")
            if item.get("digest") != record_digest(record):
                raise ProtocolError("a record that does not match its digest")
            outcomes[sha] = record
        elif "issue" in item:
            issue = item["issue"]
            outcomes[sha] = ScanIssue(
                kind=IssueKind(issue["kind"]), path=None, message=str(issue["message"])
            )
        # an item with neither (the server could not hold the file) is detected here
    return outcomes


def start(directory: Path, engine_key: str) -> bool:
    """Start a server in the background, detached from this process; whether it was.

    The server takes its lock, loads the index, then listens; one that is already
    loading is left to it, and a second one started at the same moment finds the lock
    taken and ends. Nothing here waits for it.
    """
    if disabled() or not private_dir(directory) or starting(engine_key, directory):
        return False
    import ospo

    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(ospo.__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    argv = [sys.executable, "-m", "ospo.engine.server", os.fspath(directory)]
    try:
        pid = os.fork()
    except OSError:
        return False
    if pid == 0:  # the child: a new session, then a grandchild that nobody waits for
        try:
            os.setsid()
            if os.fork() == 0:
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.chdir("/")
                os.execve(argv[0], argv, env)
        finally:
            os._exit(0)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    return True
