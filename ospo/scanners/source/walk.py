# SPDX-License-Identifier: Apache-2.0
"""Which files of a tree belong to the scan.

In a git work tree the answer is git's own (``git ls-files``: tracked files and untracked
ones that ``.gitignore`` does not exclude), so ignore rules mean exactly what they mean to
git. Elsewhere every file below the root is listed. ``.git`` is never entered, nor is
``.ospo`` at the root (the review board's records and the archive of approved releases,
which quote license names and change with every sign-off; not shipped), symbolic
links are never followed (so a link loop cannot trap the walk), and configured exclusions
are applied with their reason.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import NamedTuple

from ospo.config import ExcludeRule
from ospo.inputs import (
    GIT_CHECK_IGNORED,
    GIT_HEAD,
    GIT_LIST_FILES,
    enclosing_git,
    git,
    git_all,
    special_kind,
)
from ospo.model import Exclusion


class Listing(NamedTuple):
    """The files to scan (relative, ``/``-separated, sorted) and what was left out."""

    files: tuple[str, ...]
    #: The ``lstat`` of each listed file, taken while listing (the hash memory reuses it).
    stats: Mapping[str, os.stat_result]
    symlinks: tuple[str, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    git: bool = False
    #: the commit checked out (``HEAD``) when the files were listed by git
    revision: str | None = None
    skipped_dirs: tuple[str, ...] = ()  # git submodules, unreadable dirs
    #: Entries that are neither files, links nor directories, with what they are
    #: ("named pipe"): never opened (reading a FIFO waits for a writer forever).
    special: tuple[tuple[str, str], ...] = ()


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
    root_text = str(root)
    candidates: list[tuple[str, os.stat_result | None]] = []
    skipped: list[str] = []
    git = git_files is not None
    installed: list[str] = []
    revision = None
    if git_files is not None:
        tracked, untracked, revision = git_files
        candidates = [(rel, None) for rel in tracked]
        candidates += [(rel, None) for rel in _outside_installed(untracked, installed)]
    else:
        for rel, st in _walk(root_text, installed):
            if st is None:
                skipped.append(rel)  # could not be read
            else:
                candidates.append((rel, st))

    files: list[str] = []
    symlinks: list[str] = []
    special: list[tuple[str, str]] = []
    stats: dict[str, os.stat_result] = {}
    counts = dict.fromkeys(range(len(excludes)), 0)
    for rel, st in candidates:
        if ".git" in rel and (rel == ".git" or rel.startswith(".git/") or "/.git/" in rel):
            continue
        if rel.startswith(".ospo/"):
            continue  # ospo's own records at the root: waivers, sign-offs, approved releases
        if excludes:
            rule_index = next((i for i, r in enumerate(excludes) if r.matches(rel)), None)
            if rule_index is not None:
                counts[rule_index] += 1
                continue
        if st is None:
            try:
                st = os.lstat(os.path.join(root_text, rel))
            except OSError:
                continue  # gone since it was listed
        mode = st.st_mode
        if stat.S_ISLNK(mode):
            symlinks.append(rel)
        elif stat.S_ISREG(mode):
            files.append(rel)
            stats[rel] = st
        elif stat.S_ISDIR(mode):
            skipped.append(rel)  # a git submodule: scan it on its own
        else:
            special.append((rel, special_kind(mode)))
    excluded = tuple(
        Exclusion(pattern=r.pattern, reason=r.reason, files=counts[i])
        for i, r in enumerate(excludes)
    ) + tuple(
        Exclusion(pattern=rel, reason=INSTALLED_REASON.format(path=rel))
        for rel in sorted(installed)
        if not any(r.matches(rel) for r in excludes)
    )
    return Listing(
        files=tuple(sorted(files)),
        symlinks=tuple(sorted(symlinks)),
        excluded=excluded,
        git=git,
        revision=revision,
        skipped_dirs=tuple(sorted(skipped)),
        stats=stats,
        special=tuple(sorted(special)),
    )


def _git_files(root: Path) -> tuple[list[str], list[str], str | None] | None:
    """(tracked files, untracked and not ignored files, HEAD's revision) of a git work
    tree; None outside one.

    git's start-up is most of a pre-commit run on a small commit, so it is asked as
    little as the tree allows, and its questions overlap where they can:

    * no ``.git`` in the tree or above it (and no ``GIT_DIR``): not a work tree, git is
      not asked;
    * a tree inside a repository but not at its top may be ignored by it: git is asked
      first (``check-ignore``: 1 for "not ignored", 0 for ignored, 128 when git cannot
      use the repository);
    * then, at once, ``ls-files -t`` lists tracked and untracked files, telling them apart
      by its tag (``?`` for untracked), and ``rev-parse`` gives the revision (none before
      the first commit).

    The CLI starts the first of these before it imports the scanners
    (:func:`ospo.inputs.start_listing`); they are collected here.
    """
    top = enclosing_git(root)
    if top is None:
        return None
    if not top:  # the tree is inside the repository: it may be ignored
        checked = git(root, *GIT_CHECK_IGNORED)
        if checked is None or checked.returncode != 1:
            return None  # ignored, or no usable repository (or no git): walk the tree
    listed, head = git_all(root, GIT_LIST_FILES, GIT_HEAD)
    if listed is None or listed.returncode != 0:
        return None
    tracked: dict[str, None] = {}
    untracked: dict[str, None] = {}
    for entry in listed.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        tag, _, name = entry.partition(" ")
        if name:
            (untracked if tag == "?" else tracked)[name] = None
    revision = None
    if head is not None and head.returncode == 0:
        revision = head.stdout.decode("ascii", errors="replace").strip() or None
    # A tracked file deleted from the work tree is still listed: list_files' lstat skips it.
    return list(tracked), [n for n in untracked if n not in tracked], revision


def _outside_installed(untracked: list[str], installed: list[str]) -> list[str]:
    """Untracked files but those in installed dependency trees, whose roots are added to
    ``installed`` (tracked files are the product's, wherever they are)."""
    venvs = {rel.rpartition("/")[0] for rel in untracked if rel.rpartition("/")[2] == "pyvenv.cfg"}
    roots: set[str] = set()
    kept = []
    for rel in untracked:
        parts = rel.split("/")
        if "node_modules" in parts[:-1]:
            roots.add("/".join(parts[: parts.index("node_modules") + 1]))
            continue
        venv = next(
            ("/".join(parts[:i]) for i in range(1, len(parts)) if "/".join(parts[:i]) in venvs),
            None,
        )
        if venv is not None:
            roots.add(venv)
            continue
        kept.append(rel)
    installed.extend(sorted(roots))
    return kept


#: Why an installed dependency tree found while walking is not entered.
INSTALLED_REASON = (
    "installed packages, not the product's own source: not walked; "
    "give --env {path} for their packages and licenses"
)


def _walk(root: str, installed: list[str]) -> Iterator[tuple[str, os.stat_result | None]]:
    """Yield every entry below ``root`` but directories, with its ``lstat``; a directory
    that could not be read comes with None. Links are yielded, never entered.

    Installed dependency trees (``node_modules``, a virtualenv: a directory holding
    ``pyvenv.cfg``) are not entered; their paths are added to ``installed``.
    """
    stack = [""]
    while stack:
        prefix = stack.pop()
        where = os.path.join(root, prefix) if prefix else root
        try:
            with os.scandir(where) as entries:
                listed = list(entries)
        except OSError:
            if prefix:
                yield prefix[:-1], None
            continue
        if prefix and any(e.name == "pyvenv.cfg" for e in listed):
            installed.append(prefix[:-1])
            continue
        for entry in listed:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name == "node_modules":
                        installed.append(rel)
                    elif entry.name != ".git" and rel != ".ospo":
                        stack.append(rel + "/")
                    continue
                yield rel, entry.stat(follow_symlinks=False)
            except OSError:
                continue  # gone since it was listed
