# SPDX-License-Identifier: Apache-2.0
"""Which files of the tree the lock-file scanners read.

The product's own files: not those under ``node_modules/`` nor in vendored code. Within
:func:`shared_listing` (one scan), the tree is listed, the candidates picked and grouped by
name and by directory only once, however many scanners ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fnmatch import filter as filter_names
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from ospo.scanners.base import ScanRequest
from ospo.scanners.source.walk import list_files

_Listing = tuple[tuple[str, ...], tuple[str, ...]]
_LISTINGS: ContextVar[dict[tuple[Path, tuple[Any, ...]], _Listing] | None] = ContextVar(
    "ospo_manifest_listings", default=None
)


_CANDIDATES: ContextVar[dict[tuple[Path, tuple[Any, ...]], list[str]] | None] = ContextVar(
    "ospo_manifest_candidates", default=None
)


@contextmanager
def shared_listing() -> Iterator[None]:
    """Within this block, the scanners of one request list the tree (and pick the files
    manifest scanners read) only once."""
    from ospo.scanners.source.walk import shared_listings

    token = _LISTINGS.set({})
    candidates = _CANDIDATES.set({})
    try:
        with shared_listings():
            yield
    finally:
        _CANDIDATES.reset(candidates)
        _LISTINGS.reset(token)


def _listing(request: ScanRequest) -> _Listing:
    """Return (files, vendored roots) of the tree, shared inside :func:`shared_listing`."""
    from ospo.scanners.source.vendored import find_vendored_roots

    memo = _LISTINGS.get()
    key = (request.root, tuple(request.excludes))
    if memo is not None and key in memo:
        return memo[key]
    files = list_files(request.root, request.excludes).files
    result = (files, tuple(find_vendored_roots(files, request.root)))
    if memo is not None:
        memo[key] = result
    return result


def candidate_files(request: ScanRequest) -> list[str]:
    """Return the files of the tree that belong to the product, not to vendored code."""
    memo = _CANDIDATES.get()
    key = (request.root, tuple(request.excludes))
    if memo is not None and key in memo:
        return memo[key]
    result = _candidate_files(request)
    if memo is not None:
        memo[key] = result
    return result


def _candidate_files(request: ScanRequest) -> list[str]:
    files, vendored_roots = _listing(request)
    vendored = set(vendored_roots)
    out = []
    for rel in files:
        if rel.startswith("node_modules/") or "/node_modules/" in rel:
            continue
        if vendored and _inside(rel, vendored):
            continue
        out.append(rel)
    return out


def _inside(rel: str, roots: set[str]) -> bool:
    """Whether ``rel`` is one of ``roots`` or below one."""
    if rel in roots:
        return True
    end = rel.rfind("/")
    while end > 0:
        if rel[:end] in roots:
            return True
        end = rel.rfind("/", 0, end)
    return False


def siblings_by_directory(
    root: Path, excludes: tuple[Any, ...], files: list[str]
) -> dict[str, frozenset[str]]:
    """Return the names of the files in each directory of ``files`` (the candidate files of
    the tree at ``root``), made once per scan: every manifest scanner asks."""
    memo = _CANDIDATES.get()
    key = (root, ("siblings", *excludes))
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    by_dir: dict[str, set[str]] = {}
    for rel in files:
        parent, _, name = rel.rpartition("/")
        by_dir.setdefault(parent, set()).add(name)
    result = {d: frozenset(names) for d, names in by_dir.items()}
    if memo is not None:
        memo[key] = result  # type: ignore[assignment]
    return result


def any_named(request: ScanRequest, patterns: tuple[str, ...]) -> bool:
    """Whether a file of the product has a name matching one of ``patterns``, ignoring case."""
    return bool(named_files(request, candidate_files(request), patterns))


def named_files(request: ScanRequest, files: list[str], patterns: tuple[str, ...]) -> list[str]:
    """Return the files (in their order) whose names match one of ``patterns``, ignoring
    case. A pattern with a ``/`` (``.github/workflows/*.yml``) matches as many trailing
    segments of the path as it has. ``files`` are the request's :func:`candidate_files`:
    within one scan, their index by name is made once and kept for the request."""
    memo = _CANDIDATES.get()
    key = (request.root, ("names", *request.excludes))
    by_name: dict[str, list[int]] | None = None
    if memo is not None:
        by_name = memo.get(key)  # type: ignore[assignment]
    if by_name is None:
        by_name = {}
        for index, rel in enumerate(files):
            by_name.setdefault(rel.rpartition("/")[2].lower(), []).append(index)
        if memo is not None:
            memo[key] = by_name  # type: ignore[assignment]
    picked: set[int] = set()
    for pattern in patterns:
        *parents, lowered = pattern.lower().split("/")
        if any(c in lowered for c in "*?["):
            found = {i for name in filter_names(by_name, lowered) for i in by_name[name]}
        else:
            found = set(by_name.get(lowered, ()))
        if parents:
            found = {i for i in found if _under(files[i].lower(), parents)}
        picked |= found
    return [files[i] for i in sorted(picked)]


def matches(rel: str, pattern: str) -> bool:
    """Whether the file at ``rel`` matches a scanner's file-name ``pattern``, as
    :func:`named_files` matches (ignoring case)."""
    *parents, last = pattern.lower().split("/")
    lowered = rel.lower()
    return fnmatchcase(lowered.rpartition("/")[2], last) and _under(lowered, parents)


def _under(rel: str, parents: list[str]) -> bool:
    """Whether the directories just above the file at ``rel`` match ``parents`` (globs)."""
    above = rel.split("/")[:-1]
    if len(above) < len(parents):
        return False
    return all(
        fnmatchcase(segment, pattern)
        for segment, pattern in zip(above[len(above) - len(parents) :], parents, strict=True)
    )
