# SPDX-License-Identifier: Apache-2.0
"""Which files of a tree belong to the scan.

In a git work tree the answer is git's own (``git ls-files``: tracked files and untracked
ones that ``.gitignore`` does not exclude), so ignore rules mean exactly what they mean to
git. Elsewhere every file below the root is listed. ``.git`` is never entered, symbolic
links are never followed (so a link loop cannot trap the walk), and configured exclusions
are applied with their reason.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from ospo.config import ExcludeRule
from ospo.inputs import git, git_text
from ospo.model import Exclusion


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """The files to scan (relative, ``/``-separated, sorted) and what was left out."""

    files: tuple[str, ...]
    symlinks: tuple[str, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    git: bool = False
    skipped_dirs: tuple[str, ...] = field(default=())  # git submodules, unreadable dirs


_MEMO: ContextVar[dict[tuple[Path, tuple[ExcludeRule, ...]], Listing] | None] = ContextVar(
    "ospo_listings", default=None
)


@contextmanager
def shared_listings() -> Iterator[None]:
    """Within this block every scanner gets the same listing of a tree, made once."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def list_files(root: Path, excludes: Sequence[ExcludeRule] = ()) -> Listing:
    """List the regular files under ``root`` that the scan should read."""
    memo = _MEMO.get()
    key = (root, tuple(excludes))
    if memo is not None and key in memo:
        return memo[key]
    listing = _list_files(root, excludes)
    if memo is not None:
        memo[key] = listing
    return listing


def _list_files(root: Path, excludes: Sequence[ExcludeRule]) -> Listing:
    git_files = _git_files(root)
    if git_files is not None:
        candidates, git = git_files, True
    else:
        candidates, git = _walk(root), False

    files: list[str] = []
    symlinks: list[str] = []
    skipped: list[str] = [c[:-1] for c in candidates if c.endswith("/")]
    candidates = [c for c in candidates if not c.endswith("/")]
    counts = dict.fromkeys(range(len(excludes)), 0)
    root_text = str(root)
    for rel in candidates:
        if rel == ".git" or rel.startswith(".git/") or "/.git/" in f"/{rel}":
            continue
        rule_index = next((i for i, r in enumerate(excludes) if r.matches(rel)), None)
        if rule_index is not None:
            counts[rule_index] += 1
            continue
        try:
            mode = os.lstat(os.path.join(root_text, rel)).st_mode
        except OSError:
            continue  # gone since it was listed
        if stat.S_ISLNK(mode):
            symlinks.append(rel)
        elif stat.S_ISREG(mode):
            files.append(rel)
        elif stat.S_ISDIR(mode):
            skipped.append(rel)  # a git submodule: scan it on its own
    excluded = tuple(
        Exclusion(pattern=r.pattern, reason=r.reason, files=counts[i])
        for i, r in enumerate(excludes)
    )
    return Listing(
        files=tuple(sorted(files)),
        symlinks=tuple(sorted(symlinks)),
        excluded=excluded,
        git=git,
        skipped_dirs=tuple(sorted(skipped)),
    )


def _git_files(root: Path) -> list[str] | None:
    if git_text(root, "rev-parse", "--is-inside-work-tree") != "true":
        return None  # not a work tree (or no git on this machine): walk the tree
    ignored = git(root, "check-ignore", "-q", ".")
    if ignored is not None and ignored.returncode == 0:
        return None  # the tree itself is ignored by the enclosing repository: walk it
    listed = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listed is None or listed.returncode != 0:
        return None
    names = listed.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    # A tracked file deleted from the work tree is still listed: list_files' lstat skips it.
    return [n for n in dict.fromkeys(names) if n]


def _walk(root: Path) -> list[str]:
    """List files (and, with a trailing ``/``, directories that could not be read)."""
    found: list[str] = []

    def unreadable(exc: OSError) -> None:
        if exc.filename:
            rel = os.path.relpath(exc.filename, root).replace(os.sep, "/")
            found.append(rel + "/")

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        rel_dir = os.path.relpath(dirpath, root)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        # os.walk lists links to directories among dirnames without entering them.
        found.extend(prefix + d for d in dirnames if os.path.islink(os.path.join(dirpath, d)))
        found.extend(prefix + f for f in filenames)
    return found
