# SPDX-License-Identifier: Apache-2.0
"""The shared result store in PostgreSQL: what one runner scanned, no other scans again.

One table, ``ospo_results``, keyed by (engine key, content sha256) like the local cache,
each record with its digest (checked on read: a row that fails it is a miss), the run that
stored it and when. A whole tree's hashes are looked up at once (``= ANY`` for a few, the
keys copied into a temporary table and joined for many); records are stored at once too,
copied into a staging table and inserted with ``ON CONFLICT DO NOTHING``, so runners that
store the same new files at the same moment all succeed and nothing is duplicated.

The store is read-only unless its URL says ``mode=rw``: whoever writes to it decides the
result for every file with that content, so writing is chosen, never the default.
``--cache-read-only`` (``OSPO_CACHE_READ_ONLY``) forbids it even then. A server that cannot
be reached, or that goes away during the scan, is one of the scan's problems: the scan goes
on without it and says so. File hashes by path stay on this machine (the local cache's
hash memory), since paths and inodes mean nothing elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ospo.cache import ResultCache, ResultStore, record_text, verify_records

if TYPE_CHECKING:
    import psycopg

#: Above this many keys a look-up copies them into a temporary table and joins it.
_COPY_FROM = 2000
#: Rows the server sends at a time in a large look-up (libpq 17 and later).
_CHUNK = 1000
#: Seconds to wait for a server before going on without it (unless the URL sets its own).
_CONNECT_TIMEOUT = 10
#: Serialises creating the table among runners starting at once on a new database.
_SCHEMA_LOCK = 0x6F73706F

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS ospo_results ("
    " engine text NOT NULL, sha256 text NOT NULL, record text NOT NULL,"
    " digest text NOT NULL, run_id text NOT NULL,"
    " stored_at timestamptz NOT NULL DEFAULT now(),"
    " PRIMARY KEY (engine, sha256))"
)


def split_url(url: str) -> tuple[str, bool]:
    """The URL to connect to (ospo's own ``mode`` parameter removed) and whether it
    allows writing (``mode=rw``; ``mode=ro`` or nothing: read-only).

    Raises ValueError for another ``mode``.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    modes = [value for key, value in query if key == "mode"]
    if any(mode not in ("ro", "rw") for mode in modes):
        raise ValueError(f"mode={modes[-1]!r} in the store's URL: use mode=ro or mode=rw")
    rest = urlencode([(key, value) for key, value in query if key != "mode"])
    return urlunsplit(parts._replace(query=rest)), bool(modes) and modes[-1] == "rw"


def shown_url(url: str) -> str:
    """``url`` without its password (and without its query), for messages."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")
    host = netloc[2]
    user = netloc[0].partition(":")[0]
    where = f"{user}@{host}" if user else host
    return urlunsplit((parts.scheme, where, parts.path, "", ""))


def run_id() -> str:
    """Who stores results now: ``OSPO_RUN_ID``, else the CI job's URL (GitHub Actions,
    GitLab CI, Jenkins, Buildkite), else this host, process and time."""
    env = os.environ
    if env.get("OSPO_RUN_ID"):
        return env["OSPO_RUN_ID"]
    if env.get("GITHUB_RUN_ID") and env.get("GITHUB_REPOSITORY"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        return (
            f"{server}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
            f"/attempts/{env.get('GITHUB_RUN_ATTEMPT', '1')}"
        )
    for name in ("CI_JOB_URL", "BUILD_URL", "BUILDKITE_BUILD_URL"):
        if env.get(name):
            return env[name]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return f"{socket.gethostname()}:{os.getpid()}:{stamp}"


def _chunked_rows() -> bool:
    """Whether this libpq can receive a result in chunks of rows (version 17 and later)."""
    import psycopg

    return psycopg.pq.version() >= 170000


class _NoDriver(Exception):
    pass


class PostgresResultStore(ResultStore):
    """Per-file results shared by every runner that uses the same database. Use :meth:`open`."""

    def __init__(
        self,
        conn: psycopg.Connection[Any] | None,
        url: str,
        engine_key: str,
        *,
        read_only: bool,
        local: ResultCache | None,
    ) -> None:
        self._conn = conn
        self.url = url
        self.engine_key = engine_key
        self.read_only = read_only
        self.warnings: list[str] = []
        self.problems: list[str] = []
        #: Records this run could not store because the store had failed.
        self.lost = 0
        self._local = local
        self._run_id = run_id()
        self._empty = False

    @classmethod
    def open(
        cls,
        engine_key: str,
        url: str,
        *,
        directory: Path | None = None,
        read_only: bool = False,
    ) -> PostgresResultStore:
        """Connect to the store at ``url``; a store that cannot be reached is returned
        failed (every look-up a miss, the failure in :attr:`problems`), never raised."""
        local = ResultCache.open(engine_key, directory)
        try:
            target, writable = split_url(url)
        except ValueError as exc:
            store = cls(None, url, engine_key, read_only=True, local=local)
            store.problems.append(f"store {shown_url(url)}: {exc}; this scan runs without it")
            return store
        store = cls(None, url, engine_key, read_only=read_only or not writable, local=local)
        store._local_warnings()
        try:
            store._conn = store._connect(target)
        except Exception as exc:  # psycopg.Error, or a URL libpq cannot read
            store._failed(exc)
        return store

    def _connect(self, target: str) -> psycopg.Connection[Any]:
        try:
            import psycopg
        except ImportError:
            raise _NoDriver("psycopg is not installed: pip install 'ospo[postgresql]'") from None

        options: dict[str, Any] = {"autocommit": True, "application_name": "ospo"}
        if "connect_timeout" not in target:
            options["connect_timeout"] = _CONNECT_TIMEOUT
        conn = psycopg.connect(target, **options)
        if not self._exists(conn):
            if self.read_only:
                self._empty = True  # nobody has written to it yet: every file is a miss
            else:  # made once, by whoever comes first; a writer needs no CREATE after that
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                    conn.execute(_SCHEMA)
        return conn

    @staticmethod
    def _exists(conn: psycopg.Connection[Any]) -> bool:
        return conn.execute("SELECT to_regclass('ospo_results')").fetchone() != (None,)

    def get_many(self, digests: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Return the stored, intact records of ``digests``, looked up in one query.

        Rows are checked as they arrive: the server finds the next ones while this process
        checks and parses the first.
        """
        wanted = list(dict.fromkeys(digests))
        if self._conn is None or self._empty or not wanted:
            return {}
        try:
            found, bad = verify_records(self._rows(self._conn, wanted))
        except Exception as exc:  # psycopg.Error: the store failed; misses from now on
            self._failed(exc)
            return {}
        if bad:
            self.warnings.append(
                f"store: {len(bad)} damaged record(s) in {shown_url(self.url)} ignored "
                "and recomputed"
            )
            if not self.read_only:
                self._delete(bad)
        return found

    def _rows(self, conn: psycopg.Connection[Any], wanted: list[str]) -> Iterator[Any]:
        """``(sha256, record, digest)`` of the stored ``wanted``, as the server sends them."""
        if len(wanted) < _COPY_FROM:
            yield from conn.execute(
                "SELECT sha256, record, digest FROM ospo_results "
                "WHERE engine = %s AND sha256 = ANY(%s)",
                (self.engine_key, wanted),
            )
            return
        with conn.transaction():
            # A tree's keys are a small part of a shared store: probing the index for each
            # (in order) beats reading the whole table for a hash join, which the planner
            # picks for want of statistics on the keys. Compiling the plan (JIT) costs more
            # than the probes save.
            conn.execute("SET LOCAL enable_hashjoin = off")
            conn.execute("SET LOCAL enable_mergejoin = off")
            conn.execute("SET LOCAL jit = off")
            conn.execute("CREATE TEMPORARY TABLE ospo_wanted (sha256 text) ON COMMIT DROP")
            with conn.cursor().copy("COPY ospo_wanted (sha256) FROM STDIN") as copy:
                for sha in sorted(wanted):  # in the index's order: probes that stay near
                    copy.write_row((sha,))
            query = (
                "SELECT r.sha256, r.record, r.digest FROM ospo_wanted AS w "
                "JOIN ospo_results AS r ON r.engine = %s AND r.sha256 = w.sha256"
            )
            if _chunked_rows():
                yield from conn.cursor().stream(query, (self.engine_key,), size=_CHUNK)
            else:  # an older libpq sends one row at a time or all: all
                yield from conn.execute(query, (self.engine_key,)).fetchall()

    def put_many(self, items: Mapping[str, Mapping[str, Any]]) -> None:
        """Store ``items`` in one transaction; rows another runner stored first stay."""
        if self.read_only or not items:
            return
        if self._conn is None:
            self.lost += len(items)
            return
        rows = [
            (self.engine_key, sha, *record_text(record), self._run_id)
            for sha, record in items.items()
        ]
        try:
            with self._conn.transaction():
                self._conn.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS ospo_staging"
                    " (engine text, sha256 text, record text, digest text, run_id text)"
                    " ON COMMIT DELETE ROWS"
                )
                columns = "engine, sha256, record, digest, run_id"
                with self._conn.cursor().copy(f"COPY ospo_staging ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                self._conn.execute(
                    f"INSERT INTO ospo_results ({columns}) SELECT {columns} FROM ospo_staging "
                    "ON CONFLICT (engine, sha256) DO NOTHING"
                )
        except Exception as exc:  # psycopg.Error
            self.lost += len(items)
            self._failed(exc)

    def _delete(self, digests: list[str]) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(
                "DELETE FROM ospo_results WHERE engine = %s AND sha256 = ANY(%s)",
                (self.engine_key, digests),
            )
        except Exception as exc:  # psycopg.Error
            if self._conn.broken:
                self._failed(exc)
            else:  # e.g. a role that may insert but not delete: the rows stay misses
                reason = " ".join(str(exc).split())
                self.warnings.append(f"store: damaged record(s) not removed ({reason})")

    def known_hashes(
        self, signatures: Mapping[str, str], *, under: str | None = None
    ) -> dict[str, str]:
        """This machine's hashes of unchanged files, from the local cache's hash memory."""
        if self._local is None:
            return {}
        try:
            return self._local.known_hashes(signatures, under=under)
        finally:
            self._local_warnings()

    def remember_hashes(self, entries: Mapping[str, tuple[str, str]]) -> None:
        """Remember file hashes in the local cache's hash memory."""
        if self._local is not None:
            self._local.remember_hashes(entries)
            self._local_warnings()

    def close(self) -> None:
        """Close the connection and the local cache."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
        if self._local is not None:
            self._local_warnings()
            self._local.close()
            self._local = None

    def _local_warnings(self) -> None:
        if self._local is not None:
            self.warnings.extend(self._local.warnings)
            self._local.warnings.clear()

    def _failed(self, exc: BaseException) -> None:
        """Go on without the store: close the connection, say why once."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
        reason = " ".join(str(exc).split()) or type(exc).__name__
        self.problems.append(
            f"store {shown_url(self.url)} failed ({reason}); this scan went on without it"
        )
