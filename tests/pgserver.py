# SPDX-License-Identifier: Apache-2.0
"""A throwaway PostgreSQL server for the tests and benchmarks of the shared store.

``initdb`` makes a cluster in a temporary directory, ``pg_ctl -w`` starts it on a free
loopback port (its socket in the same directory) and stops it after. PostgreSQL refuses to
run as root: run as root, the cluster belongs to the ``postgres`` user the Debian package
creates, and its commands run as that user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

#: Where Debian's ``postgresql`` package puts the server's programs (not on PATH there).
_DEBIAN_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def server_program(name: str) -> str | None:
    """The path of the server program ``name`` (``initdb``, ``pg_ctl``), or None."""
    found = shutil.which(name)
    if found:
        return found
    for directory in _DEBIAN_BIN:
        if (directory / name).is_file():
            return str(directory / name)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One running cluster: its URL, a way to make databases, and a way to stop it."""

    def __init__(
        self,
        directory: Path,
        port: int,
        as_user: str | None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.directory = directory
        self.port = port
        self._as_user = as_user
        self.settings = dict(settings or {})

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server (the superuser ``postgres``, no password)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create the database ``name`` and return its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        if self._as_user is not None:
            command = ("runuser", "-u", self._as_user, "--", *command)
        return subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=120, cwd="/"
        )

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        pg_ctl = server_program("pg_ctl")
        assert pg_ctl is not None
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        ran = self._run(
            pg_ctl, "-D", str(self.directory / "data"), "-l", str(self.directory / "log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        if ran.returncode != 0:
            log = (self.directory / "log").read_text(errors="replace")
            raise RuntimeError(f"pg_ctl start failed: {ran.stderr}\n{log}")

    def stop(self) -> None:
        """Stop the server at once (connections are cut, as when a server goes away)."""
        pg_ctl = server_program("pg_ctl")
        assert pg_ctl is not None
        self._run(pg_ctl, "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop")


@contextlib.contextmanager
def postgres_server(settings: Mapping[str, str] | None = None) -> Iterator[PostgresServer]:
    """A new cluster in a temporary directory, started with ``settings`` (server
    parameters, e.g. ``shared_buffers``) besides the defaults; stopped and removed after."""
    initdb = server_program("initdb")
    if initdb is None or server_program("pg_ctl") is None:
        raise RuntimeError(
            "PostgreSQL's initdb and pg_ctl are not installed: make install installs "
            "Debian's postgresql package"
        )
    as_user = "postgres" if os.geteuid() == 0 else None
    # not below pytest's own directory: as root that is closed to the postgres user
    directory = Path(tempfile.mkdtemp(prefix="ospo-pg-"))
    try:
        if as_user is not None:
            shutil.chown(directory, user=as_user)
        server = PostgresServer(directory, _free_port(), as_user, settings)
        ran = server._run(
            initdb, "-D", str(directory / "data"), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        if ran.returncode != 0:
            raise RuntimeError(f"initdb failed: {ran.stderr}")
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
