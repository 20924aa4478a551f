# SPDX-License-Identifier: Apache-2.0
"""The local detection server: ScanCode's license index kept loaded between commits.

Run as ``python -m ospo.engine.server DIRECTORY`` (``ospo.engine.client.start`` does it,
detached); DIRECTORY is the user's private directory of sockets. The server takes the
lock of its engine key (a second server for the same key ends at once), loads the index,
then listens on a Unix socket named after the key, answering one request at a time, and
ends after ``OSPO_SERVER_IDLE`` seconds without one (15 minutes by default), on ``ospo
server stop``, or on SIGTERM. Only the user who runs it may connect.

Each file of a ``detect`` request is written, under its own name, to a private temporary
directory and detected as a scan detects it in-process (``_detect_one`` of the source
scanner): the answer is the same record, sent with its digest. A request for another
engine key, or of another protocol, is refused; the client then works in its own
process.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import shutil
import signal
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ospo.engine import client


class Server:
    """One server: its engine key, socket, lock and counters."""

    def __init__(self, directory: Path, engine_key: str) -> None:
        self.directory = directory
        self.engine_key = engine_key
        self.path = client.socket_path(engine_key, directory)
        self.started = time.time()
        self.answered = 0
        self.idle = client.idle_seconds()
        #: the lock holder's alone: what a killed server left in it is removed at start
        self.scratch = self.path.with_name(f".{self.path.stem}.scratch")
        self.running = True

    def serve(self, listener: socket.socket) -> None:
        """Answer requests until the idle time passes with none, or a stop request."""
        listener.settimeout(self.idle)
        while self.running:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                return
            with conn:
                if not client.same_user(conn):
                    continue
                conn.settimeout(30.0)  # for the request to arrive; detection has no limit here
                try:
                    message = client.receive_message(conn)
                    conn.settimeout(None)
                    client.send_message(conn, self.answer(message))
                except (OSError, client.ProtocolError, struct.error):
                    continue

    def answer(self, message: dict[str, Any]) -> dict[str, Any]:
        """The answer to one request."""
        head = {"protocol": client.PROTOCOL, "engine_key": self.engine_key}
        if message.get("protocol") != client.PROTOCOL:
            return head | {"refused": f"protocol {message.get('protocol')!r}"}
        op = message.get("op")
        if op == "status":
            return head | self.status()
        if op == "stop":
            self.running = False
            return head | {"stopping": True, "pid": os.getpid()}
        if op != "detect":
            return head | {"refused": f"unknown request {op!r}"}
        if message.get("engine_key") != self.engine_key:
            return head | {"refused": "another engine key"}
        timeout = message.get("timeout")
        results = [self.detect(f, timeout) for f in message.get("files") or ()]
        self.answered += len(results)
        return head | {"results": results}

    def detect(self, file: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        """The outcome for one file of a request, or only its hash when it is not one."""
        from ospo.scanners.source.detection import _detect_one

        sha = str(file.get("sha256"))
        try:
            data = base64.b64decode(file["content"], validate=True)
            name = os.path.basename(str(file["name"]))
        except (KeyError, TypeError, ValueError):
            return {"sha256": sha}
        if hashlib.sha256(data).hexdigest() != sha or name in ("", ".", ".."):
            return {"sha256": sha}
        folder = Path(tempfile.mkdtemp(dir=self.scratch))
        try:
            location = folder / name
            location.write_bytes(data)
            outcome = _detect_one(os.fspath(location), timeout or 0.0)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(outcome, dict):
            return {"sha256": sha, "record": outcome, "digest": client.record_digest(outcome)}
        return {"sha256": sha, "issue": {"kind": outcome.kind.value, "message": outcome.message}}

    def warm_up(self) -> None:
        """Detect a small file once, so that the first request does not pay for the imports
        and tables the first detection of a process loads (most of a second)."""
        content = b"# SPDX-License-Identifier: MIT\n# Copyright (c) The ospo authors\n"
        self.detect(
            {
                "sha256": hashlib.sha256(content).hexdigest(),
                "name": "warm_up.py",
                "content": base64.b64encode(content).decode("ascii"),
            },
            None,
        )

    def status(self) -> dict[str, Any]:
        """What ``ospo server status`` shows."""
        return {
            "pid": os.getpid(),
            "socket": os.fspath(self.path),
            "started": self.started,
            "idle_timeout": self.idle,
            "files_answered": self.answered,
            "rss_bytes": _rss_bytes(),
        }


def _rss_bytes() -> int | None:
    """This process's resident memory, from ``/proc`` (None where there is none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list[str]) -> int:
    """Run a server for this installation's engine key in ``argv[0]``, the socket directory."""
    import fcntl

    from ospo.engine import scancode_engine

    if len(argv) != 1:
        print("usage: python -m ospo.engine.server DIRECTORY", file=sys.stderr)
        return 2
    os.umask(0o077)
    os.environ["OSPO_NO_SERVER"] = "1"  # a server never starts another
    directory = Path(argv[0])
    if not client.private_dir(directory):
        return 1
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGINT, _stop)
    key = scancode_engine.engine_key()
    lock = os.open(client.lock_path(key, directory), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another server for this key is starting or running
    server = Server(directory, key)
    shutil.rmtree(server.scratch, ignore_errors=True)
    server.scratch.mkdir(mode=0o700)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bound = server.path.with_name(f".{server.path.name}.{os.getpid()}")
    ours: int | None = None
    try:
        scancode_engine.load()
        server.warm_up()
        listener.bind(os.fspath(bound))
        listener.listen(16)
        # appears whole, loaded and listening: a client never waits for the index
        os.replace(bound, server.path)
        ours = os.stat(server.path).st_ino
        server.serve(listener)
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(bound)
        with contextlib.suppress(OSError):
            if ours is not None and os.stat(server.path).st_ino == ours:
                os.unlink(server.path)
        shutil.rmtree(server.scratch, ignore_errors=True)
        os.close(lock)  # the lock goes last: no other server starts before the socket is gone
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
