# SPDX-License-Identifier: Apache-2.0
"""A content-addressed store of per-file detection results: the interface and its local
backend, a SQLite file.

:class:`ResultStore` is what a scan asks; :func:`open_store` picks the backend from a
location: nothing or a directory is the local SQLite cache below (the default: one
machine configures nothing), a ``postgresql://`` URL is the shared store of
:mod:`ospo.pgstore`, which many machines read and write at once.

Results are keyed by the file's sha256 and by the engine key (ScanCode's version and
license data, ospo's engine revision), never by options that do not change a result.
Several processes may use one cache at once (WAL journal, busy timeout). Every record
carries its own digest: a record that does not match it is dropped and recomputed. A file
that is not an ospo cache, or that SQLite reports as damaged, is moved aside under a name
of its own with a warning, and a new cache is started, at once, in its place: the results
of the run that found the damage are kept for the next. Any other failure (a full disk, an
I/O error, no permission) leaves the file as it is and the run goes on without it. No
cache problem stops a scan.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

try:  # hashlib's own BLAKE2; importing hashlib itself would also load OpenSSL (2 ms a run)
    from _blake2 import blake2b as _blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b as _blake2b

APPLICATION_ID = 0x6F73706F  # "ospo"
SCHEMA_VERSION = 2
FILE_NAME = "results.sqlite3"
#: Values bound in one query at most (SQLite allows 32,766; a few hundred stay fast).
_CHUNK = 500


def cache_dir() -> Path:
    """Return the cache directory: ``$OSPO_CACHE_DIR``, else the user cache directory."""
    override = os.environ.get("OSPO_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ospo"


def installation_stamp() -> list[str]:
    """The directories distributions are installed in (``site-packages``), each with its
    modification time: installing, upgrading or removing a distribution changes it. What
    is kept in the cache directory and read from installed packages is keyed by it."""
    stamp = []
    for entry in sys.path:
        if os.path.basename(entry) in ("site-packages", "dist-packages"):
            with contextlib.suppress(OSError):
                stamp.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
    return stamp


#: The environment variables that choose the store and forbid writing to it.
URL_VARIABLE = "OSPO_CACHE_URL"
READ_ONLY_VARIABLE = "OSPO_CACHE_READ_ONLY"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class ResultStore(ABC):
    """Per-file detection records by (engine key, content sha256), whatever keeps them.

    No method raises for a problem of the store: reading fails into misses, writing into
    :attr:`warnings` (what the user should know) or :attr:`problems` (a store that failed
    during the scan, which the scan reports as an issue). A read-only store reads and
    never writes records.
    """

    engine_key: str
    read_only: bool
    warnings: list[str]
    #: Failures of the store itself during this run, reported as issues of the scan.
    problems: list[str]

    @abstractmethod
    def get_many(self, digests: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Return the stored records of those ``digests`` that are stored and intact, in
        one look-up for all of them."""

    @abstractmethod
    def put_many(self, items: Mapping[str, Mapping[str, Any]]) -> None:
        """Store records by sha256, at once; storing a record again is no error."""

    @abstractmethod
    def known_hashes(
        self, signatures: Mapping[str, str], *, under: str | None = None
    ) -> dict[str, str]:
        """Return the sha256 of each path whose file signature is unchanged since it was
        hashed on this machine (see :meth:`ResultCache.known_hashes`)."""

    @abstractmethod
    def remember_hashes(self, entries: Mapping[str, tuple[str, str]]) -> None:
        """Remember ``path -> (signature, sha256)`` for this machine's next scan."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""


def open_store(
    engine_key: str,
    location: str | None = None,
    *,
    directory: Path | None = None,
    read_only: bool = False,
) -> ResultStore | None:
    """Open the store at ``location`` for ``engine_key``; None when there is no usable one.

    ``location`` is a ``postgresql://`` URL (the shared store), a directory (the local
    cache in it), or None: the local cache in ``directory``, else in :func:`cache_dir`.
    ``read_only``, or ``OSPO_CACHE_READ_ONLY`` set to a true value, forbids writing
    records whatever the location says.
    """
    read_only = read_only or env_flag(READ_ONLY_VARIABLE)
    if location is not None and location.startswith(POSTGRES_SCHEMES):
        from ospo.pgstore import PostgresResultStore

        return PostgresResultStore.open(
            engine_key, location, directory=directory, read_only=read_only
        )
    if location is not None:
        directory = Path(location.removeprefix("sqlite://") or ".")
    return ResultCache.open(engine_key, directory, read_only=read_only)


def env_flag(name: str) -> bool:
    """Whether the environment variable ``name`` is set to a true value (1, true, yes, on)."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def verify_records(
    rows: Iterable[tuple[str, str, str]],
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Check ``(sha256, record text, digest)`` rows: return the intact records parsed, by
    sha256, and the sha256 of the rows that fail their digest (or are not JSON)."""
    found: dict[str, dict[str, Any]] = {}
    bad: list[str] = []
    seen: dict[str, tuple[str, dict[str, Any]]] = {}
    for sha, record, digest in rows:
        # Many files share one record (no license, no copyright): check and parse each
        # distinct text once. Records are read, never changed.
        known = seen.get(record)
        if known is None:
            actual = text_digest(record)
            try:
                parsed = json.loads(record) if actual == digest else None
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                bad.append(sha)
                continue
            known = seen[record] = (actual, parsed)
        if known[0] != digest:
            bad.append(sha)
            continue
        found[sha] = known[1]
    return found, bad


def record_text(record: Mapping[str, Any]) -> tuple[str, str]:
    """A record's stored text (canonical JSON) and its digest."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return text, text_digest(text)


class ResultCache(ResultStore):
    """Per-file results by (engine key, sha256) in a local SQLite file. Use :meth:`open`."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, engine_key: str, *, read_only: bool = False
    ) -> None:
        self._conn = conn
        self.path = path
        self.engine_key = engine_key
        self.read_only = read_only
        self.warnings: list[str] = []
        self.problems: list[str] = []
        #: Records read along with the file hashes, by sha256: (record, digest), unchecked.
        self._prefetched: dict[str, tuple[str, str]] = {}

    @classmethod
    def open(
        cls, engine_key: str, directory: Path | None = None, *, read_only: bool = False
    ) -> ResultCache | None:
        """Open (or create) the cache; return None with no cache when it cannot be used.

        Warnings about a cache moved aside are in :attr:`warnings` of the returned cache.
        A ``read_only`` cache stores no records (it still remembers file hashes, which
        are this machine's own).
        """
        directory = directory or cache_dir()
        warnings: list[str] = []
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        path = directory / FILE_NAME
        for _attempt in range(2):
            try:
                conn = _connect(path)
                _check_or_init(conn)
            except _ForeignCache as exc:
                warnings.append(_move_aside(path, str(exc)))
                continue
            except sqlite3.DatabaseError as exc:
                if _damaged(exc):
                    warnings.append(_move_aside(path, f"damaged ({exc})"))
                    continue
                conn = _in_memory()
                warnings.append(_unusable(path, exc))
            except OSError:
                return None
            cache = cls(conn, path, engine_key, read_only=read_only)
            cache.warnings = warnings
            return cache
        return None

    def get_many(self, digests: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Return the cached records for those of ``digests`` that are cached and intact."""
        wanted = list(dict.fromkeys(digests))
        prefetched = self._prefetched  # used once: a later call reads what is stored then
        missing = [sha for sha in wanted if sha not in prefetched]
        rows = [(sha, *prefetched.pop(sha)) for sha in wanted if sha in prefetched]
        try:
            for marks, chunk in _batches(missing):
                rows += self._conn.execute(
                    f"SELECT sha256, record, digest FROM results "
                    f"WHERE engine = ? AND sha256 IN ({marks})",
                    [self.engine_key, *chunk],
                ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        found, bad = verify_records(rows)
        if bad:
            self.warnings.append(
                f"cache: {len(bad)} damaged record(s) dropped and recomputed in {self.path}"
            )
            self._delete(bad)
        return found

    def put_many(self, items: Mapping[str, Mapping[str, Any]]) -> None:
        """Store records by sha256; a failure to store is a warning, never an error."""
        if self.read_only:
            return
        rows = [(self.engine_key, sha, *record_text(record)) for sha, record in items.items()]
        if not rows:
            return
        try:
            with self._conn:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO results (engine, sha256, record, digest) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.DatabaseError as exc:
            self.warnings.append(f"cache: results not stored ({exc})")

    def known_hashes(
        self, signatures: Mapping[str, str], *, under: str | None = None
    ) -> dict[str, str]:
        """Return the sha256 of each path whose file signature is unchanged since it was hashed.

        A signature is the file's device, inode, size, mtime and ctime in nanoseconds (see
        ``ospo.scanners.source.detection.file_signature``); any change to the file changes it. The
        records of those hashes are read in the same query, for :meth:`get_many` (a scan
        asks it next). ``under``, a directory ending in a separator that every path starts
        with, reads the paths as one range of the index rather than one by one: for the
        files of a whole tree, half the time; the rows below it of files that no longer
        exist (deleted, renamed) are then dropped, so that the range does not grow with
        every file the tree ever had. Files the scan left out but that exist (excluded,
        in a submodule scanned on its own) keep theirs.
        """
        found: dict[str, str] = {}
        gone: list[str] = []
        query = (
            "SELECT h.path, h.signature, h.sha256, r.record, r.digest FROM hashes AS h "
            "LEFT JOIN results AS r ON r.engine = ? AND r.sha256 = h.sha256 WHERE "
        )
        if under is not None:
            after = under[:-1] + chr(ord(under[-1]) + 1)  # the first string past the prefix
            batches = [(query + "h.path >= ? AND h.path < ?", [self.engine_key, under, after])]
        else:
            batches = [
                (query + f"h.path IN ({marks})", [self.engine_key, *chunk])
                for marks, chunk in _batches(list(signatures))
            ]
        try:
            for sql, params in batches:
                for path, signature, sha, record, digest in self._conn.execute(sql, params):
                    if signatures.get(path) == signature:
                        found[path] = sha
                        if record is not None:
                            self._prefetched[sha] = (record, digest)
                    elif under is not None and path not in signatures:
                        gone.append(path)  # not listed: dropped below if it does not exist
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        gone = [path for path in gone if not os.path.lexists(path)]
        if gone:  # a cache that cannot be written now keeps them: no harm
            with contextlib.suppress(sqlite3.DatabaseError), self._conn:
                self._conn.executemany("DELETE FROM hashes WHERE path = ?", [(p,) for p in gone])
        return found

    def remember_hashes(self, entries: Mapping[str, tuple[str, str]]) -> None:
        """Store ``path -> (signature, sha256)``; a failure to store is a warning."""
        if not entries:
            return
        try:
            with self._conn:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO hashes (path, signature, sha256) VALUES (?, ?, ?)",
                    [(path, sig, sha) for path, (sig, sha) in entries.items()],
                )
        except sqlite3.DatabaseError as exc:
            self.warnings.append(f"cache: file hashes not stored ({exc})")

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def _delete(self, digests: list[str]) -> None:
        if self.read_only:
            return
        with contextlib.suppress(sqlite3.DatabaseError), self._conn:
            self._conn.executemany(
                "DELETE FROM results WHERE engine = ? AND sha256 = ?",
                [(self.engine_key, d) for d in digests],
            )

    def _failed(self, exc: sqlite3.DatabaseError) -> None:
        """Go on after reading failed: in a new cache if the file is damaged (this run's
        results are kept in it), else in memory, leaving the file as it is."""
        self.close()
        self._prefetched.clear()
        if not _damaged(exc):
            self.warnings.append(_unusable(self.path, exc))
            self._conn = _in_memory()
            return
        warning = _move_aside(self.path, f"damaged ({exc})")
        try:
            self._conn = _connect(self.path)
            _check_or_init(self._conn)
        except (sqlite3.DatabaseError, _ForeignCache, OSError) as again:
            self.close()
            self._conn = _in_memory()
            warning = warning.replace(" and rebuilt", f"; a new one cannot be made ({again})")
        self.warnings.append(warning)


class _ForeignCache(Exception):
    pass


#: SQLite's primary result codes for a file that is damaged or not a database at all
#: (SQLITE_CORRUPT, SQLITE_NOTADB). Every other failure (SQLITE_FULL, SQLITE_IOERR,
#: SQLITE_CANTOPEN, SQLITE_READONLY...) says nothing against the file's content.
_DAMAGE_CODES = frozenset({11, 26})


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in _DAMAGE_CODES


def _unusable(path: Path, exc: sqlite3.Error) -> str:
    return f"cache: cannot use {path} ({exc}); it is kept as it is and this scan runs without it"


def _in_memory() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    _check_or_init(conn)
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30.0, isolation_level="DEFERRED")
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _check_or_init(conn: sqlite3.Connection) -> None:
    app_id, tables = _layout(conn)
    if app_id == 0 and not tables:
        # A new file: one process creates the tables; another one starting at the same
        # moment waits here for it (busy_timeout) and then finds them made. The header
        # fields and the tables are written in that one transaction, so nobody sees a
        # half-made cache (and takes it for a foreign file).
        conn.execute("BEGIN IMMEDIATE")
        try:
            app_id, tables = _layout(conn)
            if app_id == 0 and not tables:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS results ("
                    " engine TEXT NOT NULL, sha256 TEXT NOT NULL, record TEXT NOT NULL,"
                    " digest TEXT NOT NULL, PRIMARY KEY (engine, sha256)) WITHOUT ROWID"
                )
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS hashes ("
                    " path TEXT PRIMARY KEY, signature TEXT NOT NULL, sha256 TEXT NOT NULL)"
                    " WITHOUT ROWID"
                )
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        app_id, tables = _layout(conn)
    if app_id != APPLICATION_ID:
        conn.close()
        raise _ForeignCache("not an ospo cache")
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if user_version != SCHEMA_VERSION or not {"results", "hashes"} <= tables:
        conn.close()
        raise _ForeignCache(f"cache format {user_version}, expected {SCHEMA_VERSION}")
    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _batches(values: list[str]) -> Iterator[tuple[str, list[str]]]:
    """``values`` in chunks of at most :data:`_CHUNK`, each with its ``?,?,...`` marks."""
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        yield ",".join("?" * len(chunk)), chunk


def _layout(conn: sqlite3.Connection) -> tuple[int, set[str]]:
    """The file's application id and its tables, read together (in one transaction: a
    cache made by another process in between is seen whole or not at all)."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        if own and conn.in_transaction:  # a failed read may have ended it: say that failure
            conn.execute("COMMIT")
    return int(app_id), tables


def text_digest(text: str) -> str:
    """A short digest of ``text`` (BLAKE2b, 128 bits), to check or to key stored data."""
    return _blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _move_aside(path: Path, why: str) -> str:
    stamp = f"{path.name}.broken-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    aside = path.with_name(stamp)
    number = 1
    while any(os.path.lexists(f"{aside}{suffix}") for suffix in ("", "-wal", "-shm")):
        number += 1  # a second damage within the second: never over the first one moved aside
        aside = path.with_name(f"{stamp}-{number}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            with contextlib.suppress(OSError):
                os.replace(source, Path(f"{aside}{suffix}"))
    return f"cache: {path} is {why}; moved aside to {aside.name} and rebuilt"
