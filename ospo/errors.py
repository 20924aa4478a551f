# SPDX-License-Identifier: Apache-2.0
"""The one error root of ospo and the exit codes the CLI maps errors to.

Library code raises these and never prints or exits; ``ospo.cli`` turns them into a
message on stderr and the exit code from the CLI contract.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes shared by every command."""

    PASS = 0
    GATE_FAILED = 1
    INPUT_ERROR = 2
    OPERATIONAL_FAILURE = 3


class OspoError(Exception):
    """Root of every error ospo raises on purpose."""

    exit_code: ExitCode = ExitCode.OPERATIONAL_FAILURE

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class InputError(OspoError):
    """Bad input from the user: a path that does not exist, a file that is not what it claims."""

    exit_code = ExitCode.INPUT_ERROR


class ConfigError(InputError):
    """A configuration or policy file that does not validate."""


class OperationalError(OspoError):
    """Something outside the user's input failed: a scanner crashed, the disk is full."""

    exit_code = ExitCode.OPERATIONAL_FAILURE


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived (a CI cancellation, ``timeout``, a container stopping).

    A :class:`KeyboardInterrupt`, so that every place that cleans up after Ctrl-C (the
    ScanCode workers, the cache, partial outputs) does the same after SIGTERM.
    """


def interruption(exc: KeyboardInterrupt) -> str:
    """How the run was stopped, in the words of its message: terminated or interrupted."""
    return "terminated" if isinstance(exc, Terminated) else "interrupted"


class Interrupted(OperationalError):
    """The run was interrupted (Ctrl-C); no partial output was written."""
