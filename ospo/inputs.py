# SPDX-License-Identifier: Apache-2.0
"""Small shared readers for user input: text files and git, with errors that name the file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ospo.errors import InputError

if TYPE_CHECKING:  # subprocess is imported when git really runs: a scan outside git skips it
    import subprocess


def read_input_text(path: Path, what: str, error: type[InputError] = InputError) -> str:
    """Return the UTF-8 text of ``path``; raise ``error`` saying what could not be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{what} does not exist", path=str(path)) from None
    except IsADirectoryError:
        raise error(f"{what} is a directory, not a file", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {what}: {exc}", path=str(path)) from None


def git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """Run ``git -C root ARGS``; None when git is not installed. Output is bytes."""
    return git_all(root, args)[0]


def git_all(
    root: Path, *commands: tuple[str, ...]
) -> list[subprocess.CompletedProcess[bytes] | None]:
    """Run ``git -C root ARGS`` for each of ``commands`` at the same time (their start-up,
    a few milliseconds each, overlaps); None for one that could not start (no git).

    A command started earlier with :func:`start_git` is not started again: its answer is
    collected here.
    """
    from subprocess import CompletedProcess

    started = [_STARTED.pop((str(root), args), None) or _spawn(root, args) for args in commands]
    done: list[subprocess.CompletedProcess[bytes] | None] = []
    for proc in started:
        if proc is None:
            done.append(None)
            continue
        out, err = proc.communicate()
        done.append(CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def start_git(root: Path, *commands: tuple[str, ...]) -> None:
    """Start ``git -C root ARGS`` for each of ``commands`` now, for :func:`git_all` to
    collect later: the CLI starts the questions a scan will ask first, and git answers
    while the rest of ospo is imported."""
    for args in commands:
        key = (str(root), args)
        if key not in _STARTED:
            proc = _spawn(root, args)
            if proc is not None:
                _STARTED[key] = proc


def forget_started() -> None:
    """Stop and forget the commands started ahead that nobody collected (the scan they
    were for stopped early): a later question must not get their stale answer."""
    while _STARTED:
        _key, proc = _STARTED.popitem()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


#: Commands started ahead by :func:`start_git`, by (root, arguments).
_STARTED: dict[tuple[str, tuple[str, ...]], subprocess.Popen[bytes]] = {}


def _spawn(root: Path, args: tuple[str, ...]) -> subprocess.Popen[bytes] | None:
    import subprocess

    try:
        return subprocess.Popen(
            ["git", "-C", str(root), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError:
        return None


# --- the listing of a work tree (ospo.scanners.source.walk) ------------------------------

#: Is the tree ignored by its repository? 1: no; 0: yes; 128: no repository git can use.
GIT_CHECK_IGNORED = ("check-ignore", "-q", ".")
#: Tracked files and untracked ones .gitignore leaves, told apart by ls-files' tag.
GIT_LIST_FILES = ("ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard")
#: The commit checked out (none before the first commit).
GIT_HEAD = ("rev-parse", "--verify", "-q", "HEAD")


def enclosing_git(root: Path) -> bool | None:
    """Where git's repository may be: True when ``root`` holds ``.git`` (the top of a
    work tree), False when a directory above it does (or ``GIT_DIR`` says where), None
    when neither does.

    The search goes up the way git's own does: from the real path of ``root``, and not
    into a directory named in ``GIT_CEILING_DIRECTORIES``.
    """
    if "GIT_DIR" in os.environ:
        return False
    here = os.path.realpath(root)
    if os.path.lexists(os.path.join(here, ".git")):
        return True
    ceilings = _ceilings()
    while True:
        parent = os.path.dirname(here)
        if parent == here or parent in ceilings:
            return None
        here = parent
        if os.path.lexists(os.path.join(here, ".git")):
            return False


def _ceilings() -> set[str]:
    """The directories of ``GIT_CEILING_DIRECTORIES`` as git reads them: absolute paths
    only; up to the first empty entry, symbolic links resolved; after it, each taken as
    written but for one trailing separator (git compares those as strings)."""
    ceilings = set()
    resolve = True
    for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep):
        if not entry:
            resolve = False
        elif os.path.isabs(entry):
            if resolve:
                ceilings.add(os.path.realpath(entry))
            else:
                ceilings.add(entry[:-1] if len(entry) > 1 and entry.endswith(os.sep) else entry)
    return ceilings


def start_listing(root: Path) -> None:
    """Start the git questions the listing of ``root`` asks first (see
    ``ospo.scanners.source.walk``), so that git answers while the caller goes on."""
    if not os.path.isdir(root):
        return
    top = enclosing_git(root)
    if top is True:
        start_git(root, GIT_LIST_FILES, GIT_HEAD)
    elif top is False:
        start_git(root, GIT_CHECK_IGNORED)


def git_text(root: Path, *args: str) -> str | None:
    """Run git and return its stripped output, or None if git is missing or failed."""
    proc = git(root, *args)
    if proc is None or proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", errors="replace").strip()
