# SPDX-License-Identifier: Apache-2.0
"""Small shared readers for user input: text files and git, with errors that name the file."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ospo.errors import InputError


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
    a few milliseconds each, overlaps); None for one that could not start (no git)."""
    started: list[subprocess.Popen[bytes] | None] = []
    for args in commands:
        try:
            started.append(
                subprocess.Popen(
                    ["git", "-C", str(root), *args],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
        except OSError:
            started.append(None)
    done: list[subprocess.CompletedProcess[bytes] | None] = []
    for proc in started:
        if proc is None:
            done.append(None)
            continue
        out, err = proc.communicate()
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def git_text(root: Path, *args: str) -> str | None:
    """Run git and return its stripped output, or None if git is missing or failed."""
    proc = git(root, *args)
    if proc is None or proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", errors="replace").strip()
