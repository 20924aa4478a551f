# SPDX-License-Identifier: Apache-2.0
"""The source scanner: licenses and copyrights of every file in the product's tree.

Files are listed (``walk``), read and hashed; results come from the content-addressed
cache where they can, and from ScanCode (``ospo.engine``) where they must, in worker
processes forked after the license index is loaded once, so they share it. Files that time
out, cannot be read or are too large are recorded as issues and the run goes on. The
license index is loaded only when some file is not in the cache.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ospo.cache import ResultStore, open_store
from ospo.errors import Interrupted, interruption
from ospo.model import (
    CopyrightStatement,
    FileEntry,
    IssueKind,
    LicenseMatch,
    ScanIssue,
    ScanStats,
    Tool,
)
from ospo.scanners.base import ScanContribution, Scanner, ScanRequest
from ospo.scanners.licensefiles import is_license_file
from ospo.scanners.source import vendored
from ospo.scanners.source.walk import Listing, list_files

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

_READ_CHUNK = 1 << 20
#: Lock files list other packages' licenses as data: the dependency scanners read them;
#: matching their text would attribute every dependency's license to the product's file.
LOCK_FILE_NAMES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "uv.lock",
        "Pipfile.lock",
        "Cargo.lock",
        "composer.lock",
        "Gemfile.lock",
        "go.sum",
        "packages.lock.json",
        "pylock.toml",
    }
)
_CACHE_BATCH = 64
#: The warning when the cache cannot be opened; the scan goes on without it.
NO_CACHE = "cache: no usable cache directory; scanning without a cache"
#: Below this many files to match, forking workers costs more than it saves.
_MIN_FILES_FOR_WORKERS = 8


class _Hashed(NamedTuple):
    rel: str
    sha256: str
    size: int
    scannable: bool


class SourceFileScanner(Scanner):
    """Licenses and copyrights found in the files of the tree, and vendored code."""

    name = "source"

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Scan every file below ``request.root``."""

        root = request.root
        listing = list_files(root, request.excludes)
        issues: list[ScanIssue] = [
            ScanIssue(kind=IssueKind.SYMLINK, path=rel, message="symbolic link, not followed")
            for rel in listing.symlinks
        ]
        issues += [
            ScanIssue(
                kind=IssueKind.UNREADABLE,
                path=rel,
                message="directory not scanned (git submodule or not readable)",
            )
            for rel in listing.skipped_dirs
        ]
        issues += [
            ScanIssue(
                kind=IssueKind.UNREADABLE,
                path=rel,
                message=f"{kind}, not a regular file: not read",
            )
            for rel, kind in listing.special
        ]

        selected = (
            listing.files
            if request.only is None
            else _selection(request.root, listing.files, request.only)
        )
        # one connection for the whole scan: the hash memory, then the records
        cache = _open_store(request) if request.use_cache else None
        try:
            return self._scan(request, listing, selected, issues, cache)
        finally:
            if cache is not None:
                cache.close()

    def _scan(
        self,
        request: ScanRequest,
        listing: Listing,
        selected: tuple[str, ...],
        issues: list[ScanIssue],
        cache: ResultStore | None,
    ) -> ScanContribution:
        from ospo.engine import scancode_engine

        root = request.root
        warnings: list[str] = []
        if request.use_cache and cache is None:
            warnings.append(NO_CACHE)
            request = replace(request, use_cache=False)  # not opened again below
        hashed: list[_Hashed] = []
        base = os.path.join(os.path.abspath(root), "")  # with the separator: base + rel
        memory = _known_hashes(base, selected, listing.stats, cache, whole=request.only is None)
        for rel in selected:
            item, issue = _hash_file(base, rel, request.max_file_size, memory, listing.stats)
            if issue is not None:
                issues.append(issue)
            if item is not None:
                name = rel.rsplit("/", 1)[-1]
                if name in LOCK_FILE_NAMES or (
                    name.startswith("pylock.") and name.endswith(".toml")
                ):
                    item = _Hashed(
                        rel=item.rel, sha256=item.sha256, size=item.size, scannable=False
                    )
                hashed.append(item)

        if cache is not None and memory.learned:
            cache.remember_hashes(memory.learned)
        todo = {h.sha256: base + h.rel for h in hashed if h.scannable}
        if request.shard is not None:
            from ospo.shards import in_shard

            todo = {sha: path for sha, path in todo.items() if in_shard(sha, *request.shard)}
        run = detect_contents(todo, request, cache)
        records, failures = run.records, run.failures

        files = []
        found_in: dict[int, _Found] = {}  # by record: files with the same content share one
        for h in hashed:
            record = records.get(h.sha256)
            if h.sha256 in failures:
                failure = failures[h.sha256]
                issues.append(ScanIssue(kind=failure.kind, path=h.rel, message=failure.message))
            files.append(_entry(h, record, found_in))

        issues += store_issues(cache)
        components, owners = vendored.attribute(
            root, [f.path for f in files], {f.path: f.license_expression for f in files}
        )
        if owners:
            files = [_with_package(f, owners.get(f.path)) for f in files]

        versions = scancode_engine.engine_versions()
        return ScanContribution(
            files=tuple(files),
            components=tuple(components),
            issues=tuple(issues),
            excluded=listing.excluded,
            tools=tuple(Tool(name=n, version=v) for n, v in versions.items()),
            stats=ScanStats(
                files=len(files),
                from_cache=run.from_cache,
                matched=run.matched,
                full_matcher=run.full_matcher,
            ),
            warnings=tuple(warnings) + run.warnings + tuple(cache.warnings if cache else ()),
        )


def _open_store(request: ScanRequest) -> ResultStore | None:
    from ospo.engine import scancode_engine

    return open_store(
        scancode_engine.engine_key(),
        request.cache_url,
        directory=request.cache_dir,
        read_only=request.cache_read_only,
    )


def store_issues(cache: ResultStore | None) -> list[ScanIssue]:
    """The failures of the store during the scan, as the scan's issues."""
    if cache is None:
        return []
    return [ScanIssue(kind=IssueKind.CACHE, path=None, message=p) for p in cache.problems]


class DetectionRun(NamedTuple):
    """Records by content hash, from the cache or from ScanCode, and what went wrong."""

    records: dict[str, dict[str, Any]]
    failures: dict[str, ScanIssue]
    from_cache: int
    matched: int
    full_matcher: int
    warnings: tuple[str, ...]


def detect_contents(
    contents: dict[str, str], request: ScanRequest, cache: ResultStore | None = None
) -> DetectionRun:
    """Return detection records for ``contents`` (sha256 -> a path holding that content).

    Cached records are used where they exist; the rest goes through ScanCode (the warm
    server's for a few files when one answers, see ``ospo.engine.client``; else this
    process's, loading its index only then) and into the cache, batch by batch, so an
    interruption loses nothing already computed. ``cache``, when given, is the caller's
    open cache (its warnings are the caller's to report); else the cache is opened here
    when the request uses one.
    """

    warnings: list[str] = []
    own = cache is None and request.use_cache
    if own:
        cache = _open_store(request)
        if cache is None:
            warnings.append(NO_CACHE)
    records: dict[str, dict[str, Any]] = {}
    failures: dict[str, ScanIssue] = {}
    try:
        if cache is not None:
            records = cache.get_many(contents)
        from_cache = len(records)
        todo = {sha: path for sha, path in contents.items() if sha not in records}
        if request.progress is not None:
            request.progress(0, len(todo))
        pending: dict[str, dict[str, Any]] = {}
        done = 0
        try:
            # only a commit's check starts a server (the pre-commit hook's next commit will
            # use it); any command uses one that runs
            commit = request.only is not None
            for sha, outcome in _detect_all(todo, request.jobs, request.timeout, commit):
                done += 1
                if isinstance(outcome, ScanIssue):
                    failures[sha] = outcome
                else:
                    records[sha] = outcome
                    pending[sha] = outcome
                    if cache is not None and len(pending) >= _CACHE_BATCH:
                        cache.put_many(pending)
                        pending = {}
                if request.progress is not None:
                    request.progress(done, len(todo))
        except KeyboardInterrupt as exc:
            raise Interrupted(
                f"{interruption(exc)}; results computed so far are kept in the cache, "
                "no output was written"
            ) from None
        finally:
            if cache is not None:
                cache.put_many(pending)
    finally:
        if cache is not None and own:
            cache.close()
            warnings.extend(cache.warnings + cache.problems)
    return DetectionRun(
        records=records,
        failures=failures,
        from_cache=from_cache,
        matched=len(todo),
        full_matcher=sum(1 for sha in todo if records.get(sha, {}).get("full_matcher")),
        warnings=tuple(warnings),
    )


def _selection(tree: Path, files: tuple[str, ...], only: tuple[str, ...]) -> tuple[str, ...]:
    """The requested files, plus the license files and manifests of the vendored packages
    they belong to (so those packages keep their license evidence)."""
    present = set(files)
    wanted = {p for p in only if p in present}
    roots = [
        r
        for r in vendored.find_vendored_roots(files, tree)
        if any(p == r or p.startswith(r + "/") for p in wanted)
    ]
    for rel in files:
        for root in roots:
            rest = rel[len(root) + 1 :]
            if (
                rel.startswith(root + "/")
                and "/" not in rest
                and (is_license_file(rest) or rest in vendored.MANIFEST_NAMES)
            ):
                wanted.add(rel)
    return tuple(sorted(wanted))


def hash_path(
    path: Path | str, max_size: int, display: str | None = None, *, size_hint: int = 0
) -> tuple[tuple[str, int, bool] | None, ScanIssue | None]:
    """Return ``((sha256, size, scannable), issue)`` for the file at ``path``.

    ``scannable`` is False when the file is larger than ``max_size`` (the issue says so);
    an unreadable file gives ``(None, issue)``. ``display`` names the file in issues.
    ``size_hint``, the size the file had when it was listed, lets a small file be read in
    one call (a read shorter than asked is the end of a regular file; one that changed
    size since is still read to its end).
    """
    import hashlib  # not imported by a rescan that finds every file unchanged

    name = display if display is not None else str(path)
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            want = size_hint + 1 if size_hint < _READ_CHUNK else _READ_CHUNK
            chunk = os.read(fd, want)
            digest = hashlib.sha256(chunk)
            size = len(chunk)
            if size == want:  # not the end yet
                while chunk := os.read(fd, _READ_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, ScanIssue(
            kind=IssueKind.UNREADABLE, path=name, message=f"cannot read: {exc.strerror or exc}"
        )
    if size > max_size:
        return (digest.hexdigest(), size, False), _too_large(name, size, max_size)
    return (digest.hexdigest(), size, True), None


def _too_large(name: str, size: int, max_size: int) -> ScanIssue:
    return ScanIssue(
        kind=IssueKind.TOO_LARGE,
        path=name,
        message=f"{size:,} bytes, over the {max_size:,}-byte limit: not scanned for "
        "licenses (raise scan.max_file_size in .ospo.yml to include it)",
    )


#: A file changed less than this before it was hashed may change again within the same
#: timestamp: its hash is not remembered (git's "racy" entries).
_RACY_NS = 2_000_000_000


def file_signature(st: os.stat_result) -> str:
    """What changes whenever a file's content may have: device, inode, size, mtime, ctime."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


class _HashMemory:
    """Hashes of files whose signature is unchanged, and the new ones to remember."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}  # absolute path -> sha256
        self.signatures: dict[str, str] = {}
        self.learned: dict[str, tuple[str, str]] = {}


def _known_hashes(
    base: str,
    selected: tuple[str, ...],
    stats: Mapping[str, os.stat_result],
    cache: ResultStore | None,
    *,
    whole: bool,
) -> _HashMemory:
    """Look up the hashes of unchanged files in the cache (like git's index).

    ``base`` is the tree's absolute path ending in a separator; ``stats`` are the
    ``lstat`` results the listing took of the ``selected`` files (regular files, so the
    same as ``stat``); ``whole`` says they are all of the tree's files, which the cache
    then reads as one range. What the scan learns goes to :attr:`_HashMemory.learned`.
    """
    memory = _HashMemory()
    signatures = memory.signatures
    for rel in selected:
        if _utf8(rel):  # a name that is not UTF-8 is reported, not remembered
            signatures[base + rel] = file_signature(stats[rel])
    if cache is not None:
        memory.known = cache.known_hashes(signatures, under=base if whole else None)
    return memory


def _utf8(name: str) -> bool:
    """Whether ``name`` can be written as UTF-8 (a name that is not arrives with surrogates)."""
    if name.isascii():  # nearly every name: no encoding needed to tell
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _hash_file(
    base: str,
    rel: str,
    max_size: int,
    memory: _HashMemory,
    stats: Mapping[str, os.stat_result],
) -> tuple[_Hashed | None, ScanIssue | None]:
    full = base + rel
    sha = memory.known.get(full)
    if sha is not None:  # unchanged since it was hashed
        size = stats[rel].st_size
        issue = None if size <= max_size else _too_large(rel, size, max_size)
        return _Hashed(rel=rel, sha256=sha, size=size, scannable=size <= max_size), issue
    if not _utf8(rel):
        shown = rel.encode("utf-8", "replace").decode("utf-8")
        return None, ScanIssue(
            kind=IssueKind.UNREADABLE, path=shown, message="file name is not valid UTF-8; skipped"
        )
    hashed, issue = hash_path(full, max_size, display=rel, size_hint=stats[rel].st_size)
    if hashed is None:
        return None, issue
    sha, size, scannable = hashed
    signature = memory.signatures.get(full)
    if signature is not None and time.time_ns() - stats[rel].st_mtime_ns > _RACY_NS:
        memory.learned[full] = (signature, sha)
    return _Hashed(rel=rel, sha256=sha, size=size, scannable=scannable), issue


#: What a record says of a file: its detections, copyright statements and holders.
_Found = tuple[tuple[LicenseMatch, ...], tuple[CopyrightStatement, ...], tuple[str, ...]]


def _entry(h: _Hashed, record: dict[str, Any] | None, found_in: dict[int, _Found]) -> FileEntry:
    """The file's entry from its record; ``found_in`` keeps the (immutable) parts made
    from each record, which many files share (the same header, or nothing at all)."""
    if record is None:
        return FileEntry(
            path=h.rel, sha256=h.sha256, size=h.size, license_expression=None, scanned=False
        )
    found = found_in.get(id(record))  # records stay alive for the whole scan
    if found is None:
        found = found_in[id(record)] = (
            tuple(LicenseMatch(**d) for d in record["detections"]),
            tuple(CopyrightStatement(**c) for c in record["copyrights"]),
            tuple(record["holders"]),
        )
    return FileEntry(
        path=h.rel,
        sha256=h.sha256,
        size=h.size,
        license_expression=record["license_expression"],
        detections=found[0],
        copyrights=found[1],
        holders=found[2],
    )


def _with_package(entry: FileEntry, purl: str | None) -> FileEntry:
    return entry if purl is None else replace(entry, package=purl)


# --- detection, in this process or in forked workers ---------------------------------


def _detect_all(
    todo: dict[str, str], jobs: int, timeout: float, start_server: bool = False
) -> Iterator[tuple[str, dict[str, Any] | ScanIssue]]:
    """Yield ``(sha256, record or issue)`` for every file in ``todo``, as each is done."""
    if not todo:
        return
    from ospo.engine import client, scancode_engine

    if len(todo) <= client.SERVER_MAX_FILES:  # a commit's worth: the warm server, if one runs
        served = client.detect(
            todo, scancode_engine.engine_key(), timeout, start_server=start_server
        )
        yield from served.items()
        todo = {sha: path for sha, path in todo.items() if sha not in served}
        if not todo:
            return
    scancode_engine.load()  # before forking: the workers share the index
    if jobs <= 1 or len(todo) < _MIN_FILES_FOR_WORKERS:
        for sha, path in todo.items():
            yield sha, _detect_one(path, timeout)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_worker_init,
            initargs=(os.getpid(),),
        )

    executor = new_pool()
    queue = iter(todo)
    running: dict[Future[dict[str, Any] | ScanIssue], str] = {}
    breaks: dict[str, int] = {}

    def submit(sha: str) -> None:
        running[executor.submit(_detect_one, todo[sha], timeout)] = sha

    try:
        for sha in queue:
            submit(sha)
            if len(running) >= jobs * 4:
                break
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            broken: list[str] = []
            for future in finished:
                sha = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(sha)
                    continue
                yield sha, result
                next_sha = next(queue, None)
                if next_sha is not None:
                    submit(next_sha)
            if broken:
                # A worker died (a crash, the OOM killer): every file in flight is lost
                # with it. Retry them in a new pool; a file in flight at two deaths is
                # reported instead of retried.
                in_flight = broken + list(running.values())
                running.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = new_pool()
                for sha in in_flight:
                    breaks[sha] = breaks.get(sha, 0) + 1
                    if breaks[sha] >= 2:
                        yield (
                            sha,
                            ScanIssue(
                                kind=IssueKind.SCAN_ERROR,
                                path=None,
                                message="the scanner process died on this file",
                            ),
                        )
                    else:
                        submit(sha)
                while len(running) < jobs * 4:
                    next_sha = next(queue, None)
                    if next_sha is None:
                        break
                    submit(next_sha)
    finally:
        # the workers, taken before shutdown forgets them: none may outlive the scan (a
        # worker left running keeps the caller's pipes open after ospo has exited)
        workers = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in workers:
            if proc.is_alive():
                proc.terminate()
        for proc in workers:
            proc.join(timeout=5)


def _worker_init(parent: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # the parent ends its workers with SIGTERM: not with the handler inherited from it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with(parent)
    os.environ.setdefault("OSPO_WORKER", "1")


def _end_with(parent: int) -> None:
    """End this worker when ``parent`` ends, even killed (SIGKILL, the OOM killer) before
    it could end its workers: a worker left behind holds a gigabyte and the caller's pipes."""
    import ctypes
    import signal
    import sys

    if sys.platform != "linux":
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def _detect_one(path: str, timeout: float) -> dict[str, Any] | ScanIssue:
    from ospo.engine.scancode_engine import FileTimeout, detect_file

    try:
        return detect_file(path, timeout=timeout)
    except FileTimeout:
        return ScanIssue(
            kind=IssueKind.TIMEOUT,
            path=None,
            message=f"license and copyright detection took over {timeout:g} s; "
            "not scanned (raise scan.timeout in .ospo.yml)",
        )
    except MemoryError:
        return ScanIssue(kind=IssueKind.SCAN_ERROR, path=None, message="out of memory")
    except Exception as exc:  # a ScanCode failure on one file must not stop the run
        return ScanIssue(
            kind=IssueKind.SCAN_ERROR,
            path=None,
            message=f"ScanCode failed: {type(exc).__name__}: {exc}",
        )
