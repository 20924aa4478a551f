# SPDX-License-Identifier: Apache-2.0
"""The ``ospo`` command: a thin adapter over the Python API, built on click.

Each subcommand lives in its own module and is imported only when it runs (see
:class:`~ospo.cli.core.LazyGroup`), so ``ospo --help`` and the pre-commit hook do not pay
for ScanCode. Errors become exit codes in one place, the group's ``invoke``: 0 pass, 1 gate
failed, 2 usage/configuration/input error, 3 operational failure.

Shell completion is click's: ``eval "$(_OSPO_COMPLETE=bash_source ospo)"`` (``zsh_source``,
``fish_source`` for the other shells).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
from collections.abc import Sequence

import click

from ospo import __version__
from ospo.cli.core import CONTEXT, LazyCommand, OspoGroup, ReaderGone
from ospo.errors import ExitCode, Terminated, interruption

#: Subcommand name -> where it lives and what it does.
COMMANDS = {
    "init": LazyCommand(
        "ospo.cli.init:init",
        "Set PATH (default: .) up: .ospo.yml, waivers, pre-commit hook, CI gate.",
    ),
    "scan": LazyCommand(
        "ospo.cli.scan:scan", "Scan PATH (default: .) for licenses, copyrights and vendored code."
    ),
    "check": LazyCommand(
        "ospo.cli.check:check",
        "Judge PATH (default: .) against the policy. Exit 1 when the gate fails.",
    ),
    "policy": LazyCommand("ospo.cli.policy:policy", "Validate and explain the policy."),
    "packet": LazyCommand(
        "ospo.cli.packet:packet",
        "Render the review board's packet: decisions, changes, obligations, sign-off.",
    ),
    "decide": LazyCommand(
        "ospo.cli.decide:decide",
        "Record an OSRB decision; `ospo check` applies it from then on.",
    ),
    "notice": LazyCommand(
        "ospo.cli.notice:notice",
        "Write the NOTICE (attribution file) of PATH (default: .), or --check a committed one.",
    ),
    "signoff": LazyCommand(
        "ospo.cli.signoff:signoff",
        "Sign a release for one role of the review board; approval archives it.",
    ),
    "releases": LazyCommand(
        "ospo.cli.signoff:releases", "List the approved releases in the archive, oldest first."
    ),
    "portfolio": LazyCommand(
        "ospo.cli.portfolio:portfolio",
        "Publish releases to the portfolio; ask which releases ship a package or license.",
    ),
    "health": LazyCommand(
        "ospo.cli.health:health",
        "Measure git clones' activity, contributor diversity, releases and relicensing.",
    ),
    "server": LazyCommand(
        "ospo.cli.server:server",
        "See or stop the background process that keeps the hook fast.",
    ),
}


@click.group(
    cls=OspoGroup,
    lazy=COMMANDS,
    context_settings=CONTEXT,
    help="Inventory, policy gate and review packet for each release of a product.",
)
@click.version_option(__version__, prog_name="ospo", message="%(prog)s, version %(version)s")
def cli() -> None:
    """The ``ospo`` group; its subcommands do the work."""


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and exit with the contract's exit code."""
    # A run builds many objects that live until it ends (one per file of the tree):
    # collecting the youngest generation every 700 allocations re-examines them for
    # nothing, a tenth of a cached rescan. Cycles are still collected, less often.
    gc.set_threshold(50_000, 20, 100)
    _terminate_as_interrupt()
    _complete_writes()
    code = run(argv)
    # Nothing is left to do but exit, and freeing every object of a large run one by one
    # (what a normal exit does) takes longer than the rest of a cached rescan of a small
    # tree: flush what was printed and leave at once. Outputs were written and closed.
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            if stream is sys.stdout and code in (ExitCode.PASS, ExitCode.GATE_FAILED):
                code = int(ExitCode.OPERATIONAL_FAILURE)  # the answer did not reach the reader
        except (OSError, ValueError):
            pass
    os._exit(code)


def _terminate_as_interrupt() -> None:
    """Make SIGTERM end the run as Ctrl-C does: workers ended, nothing half-written, exit 3.

    Its default action would end the process at once, leaving ScanCode's workers running.
    """
    import signal

    def terminate(_signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up happens once
        raise Terminated

    signal.signal(signal.SIGTERM, terminate)


def _complete_writes() -> None:
    """Make every write to standard output and error complete, or fail.

    Unbuffered (``PYTHONUNBUFFERED=1``, ``python -u``), a text stream writes straight to
    the descriptor and ignores a short write: a reader leaving in the middle of a long
    report (``ospo check | head -1``) cuts it without an error, and the truncated answer
    would count as a verdict. A buffered writer writes the rest, and the rest fails. A
    closed standard output (``>&-``) fails at the first write instead of swallowing it.
    """
    import io

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            _occupy(1 if name == "stdout" else 2)
            if name == "stdout":  # closed stderr: messages are lost, the exit code is not
                sys.stdout = _ClosedStream()
        elif isinstance(stream, io.TextIOWrapper) and isinstance(stream.buffer, io.RawIOBase):
            # the original stays referenced by sys.__stdout__: it is never closed under us
            buffered = io.BufferedWriter(stream.buffer)
            setattr(
                sys,
                name,
                io.TextIOWrapper(
                    buffered, encoding=stream.encoding, errors=stream.errors, line_buffering=True
                ),
            )


def _occupy(fd: int) -> None:
    """Put ``/dev/null`` on a closed standard descriptor, so that no file ospo opens (the
    cache, an output) takes its number and receives what a child process prints there."""
    try:
        os.fstat(fd)
    except OSError:
        null = os.open(os.devnull, os.O_WRONLY)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)


class _ClosedStream:
    """Standard output closed by the caller: what is written to it cannot arrive."""

    def write(self, _text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "the stream is closed")

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "the stream is closed")

    def isatty(self) -> bool:
        return False


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code instead of exiting."""
    arguments = sys.argv[1:] if argv is None else [str(a) for a in argv]
    try:
        # a command's exit code; click's Exit (from --help, --version, or a command that
        # failed) comes back as its code too
        code = cli.main(args=arguments, prog_name="ospo", standalone_mode=False)
    except click.ClickException as exc:  # usage errors (2) and ospo's own errors
        exc.show()
        return int(exc.exit_code)
    except click.Abort as exc:  # Ctrl-C or SIGTERM while click itself was reading or parsing
        cause = exc.__cause__
        how = interruption(cause) if isinstance(cause, KeyboardInterrupt) else "interrupted"
        click.echo(f"ospo: {how}; no output was written", err=True)
        return int(ExitCode.OPERATIONAL_FAILURE)
    except KeyboardInterrupt as exc:  # before or after a command ran (imports, exiting)
        click.echo(f"ospo: {interruption(exc)}; no output was written", err=True)
        return int(ExitCode.OPERATIONAL_FAILURE)
    except SystemExit as exc:  # shell completion answers and exits
        return exc.code if isinstance(exc.code, int) else int(ExitCode.INPUT_ERROR)
    except ReaderGone:
        # the reader went away (``ospo check | head``): nothing more can be said, and
        # the verdict did not reach it, so this is not a pass
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OPERATIONAL_FAILURE)
    return int(code or ExitCode.PASS)
