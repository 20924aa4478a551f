# SPDX-License-Identifier: Apache-2.0
"""The ``ospo`` command: a thin adapter over the Python API.

Built on :mod:`argparse`: the pre-commit hook starts ospo on every commit, and a cached
rescan of a small tree is mostly start-up, which a CLI framework's import would add to.
Each subcommand lives in its own module, with ``configure`` (its arguments; the module
is cheap to import) and a handler that imports the heavy parts only when it runs, so
``ospo --help`` and the hook do not pay for ScanCode. Errors are turned into exit codes
here, once: 0 pass, 1 gate failed, 2 usage/configuration/input error, 3 operational
failure.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from ospo import __version__
from ospo.errors import ExitCode, InputError, OspoError

#: Subcommand name -> the module that configures and runs it, and what it does.
SUBCOMMANDS = {
    "scan": ("ospo.cli.scan", "Scan PATH (default: .) for licenses, copyrights and vendored code."),
    "check": (
        "ospo.cli.check",
        "Judge PATH (default: .) against the policy. Exit 1 when the gate fails.",
    ),
    "policy": ("ospo.cli.policy", "Validate and explain the policy."),
    "decide": ("ospo.cli.decide", "Record an OSRB decision; `ospo check` applies it from then on."),
}


N = TypeVar("N", int, float)


class UsageError(InputError):
    """Arguments that cannot be used together, or that are missing (exit code 2)."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout, with descriptions kept as written, sized to the terminal.

    argparse makes a formatter for every argument added and sizes it with
    :func:`shutil.get_terminal_size`; importing :mod:`shutil` (with bz2 and lzma) would
    cost every run, help or not, a few milliseconds. The same answer, from :mod:`os`.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2  # what argparse leaves as a margin
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """The terminal's width as :func:`shutil.get_terminal_size` tells it."""
    with contextlib.suppress(KeyError, ValueError):
        columns = int(os.environ["COLUMNS"])
        if columns > 0:
            return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout, or not a terminal
        return 80


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """Return the parser of the command line ``argv``.

    Only the subcommand ``argv`` names is configured (its module imported, its arguments
    added): building every subcommand's parser costs milliseconds that the pre-commit
    hook would pay on every commit. With no subcommand named, all are.
    """
    parser = argparse.ArgumentParser(
        formatter_class=_Formatter,
        prog="ospo",
        description="Inventory, policy gate and review packet for each release of a product.",
    )
    parser.add_argument("--version", action="version", version=f"ospo, version {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, (module, summary) in SUBCOMMANDS.items():
        command = add_command(commands, name, summary)
        if named == name or named not in SUBCOMMANDS:
            importlib.import_module(module).configure(command)
    return parser


def add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str
) -> argparse.ArgumentParser:
    """Add subcommand ``name`` with its one-line ``summary`` (also its ``--help``'s
    description, which its module may lengthen)."""
    return commands.add_parser(name, help=summary, description=summary, formatter_class=_Formatter)


# --- argument types: a bad value is a usage error (exit 2) naming the argument ----------


def file_path(text: str) -> Path:
    """A file to read or write: anything but an existing directory."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a directory, not a file")
    return path


def existing_path(text: str) -> Path:
    """A file or directory that exists."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text!r} does not exist")
    return path


def positive_int(text: str) -> int:
    """A whole number, at least 1."""
    return _number(text, int, "a whole number", lambda value: value >= 1, "at least 1")


def positive_float(text: str) -> float:
    """A number greater than 0."""
    return _number(text, float, "a number", lambda value: value > 0, "greater than 0")


def _number(
    text: str, convert: Callable[[str], N], what: str, fits: Callable[[N], bool], bound: str
) -> N:
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not fits(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {bound}")
    return value


def iso_date(text: str) -> date:
    """A day written YYYY-MM-DD."""
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def say(text: str, *, err: bool = False, end: str = "\n") -> None:
    """Print ``text`` to stdout (or stderr)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + end)


# --- running ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and exit with the contract's exit code."""
    # A run builds many objects that live until it ends (one per file of the tree):
    # collecting the youngest generation every 700 allocations re-examines them for
    # nothing, a tenth of a cached rescan. Cycles are still collected, less often.
    gc.set_threshold(50_000, 20, 100)
    code = run(argv)
    # Nothing is left to do but exit, and freeing every object of a large run one by one
    # (what a normal exit does) takes longer than the rest of a cached rescan of a small
    # tree: flush what was printed and leave at once. Outputs were written and closed.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            if stream is sys.stdout and code == ExitCode.PASS:
                code = int(ExitCode.OPERATIONAL_FAILURE)  # the answer did not reach the reader
        except (OSError, ValueError):
            pass
    os._exit(code)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code instead of exiting."""
    try:
        arguments = sys.argv[1:] if argv is None else [str(a) for a in argv]
        args = build_parser(arguments).parse_args(arguments)
        return int(args.handler(args))
    except SystemExit as exc:  # from argparse: --help and --version (0), bad usage (2)
        return exc.code if isinstance(exc.code, int) else int(ExitCode.INPUT_ERROR)
    except OspoError as exc:
        say(f"ospo: error: {exc}", err=True)
        return int(exc.exit_code)
    except BrokenPipeError:
        # the reader went away (``ospo check | head``): nothing more can be said, and
        # the verdict did not reach it, so this is not a pass
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OPERATIONAL_FAILURE)
    except KeyboardInterrupt:
        say("ospo: interrupted; no output was written", err=True)
        return int(ExitCode.OPERATIONAL_FAILURE)
    except Exception as exc:  # a bug in ospo: say so briefly, details on request
        say(f"ospo: internal error: {type(exc).__name__}: {exc}", err=True)
        if os.environ.get("OSPO_DEBUG"):
            import traceback

            traceback.print_exc()
        else:
            say("ospo: set OSPO_DEBUG=1 to see the traceback", err=True)
        return int(ExitCode.OPERATIONAL_FAILURE)
