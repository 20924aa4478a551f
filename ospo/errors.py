# SPDX-License-Identifier: Apache-2.0
"""The one error root of ospo and the exit codes the CLI maps errors to.

Library code raises these and never prints or exits; ``ospo.cli`` turns them into a
message on stderr and the exit code from the CLI contract.
"""

from __future__ import annotations

import re
import reprlib
from enum import IntEnum
from typing import Any


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
        message = tidy_message(message)
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            path = printable(self.path)
            where = path if self.line is None else f"{path}:{self.line}"
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


# --- what a message may quote from a user's file ------------------------------------------

#: The most characters of one value a message quotes, and of a whole message.
QUOTE_LIMIT = 80
MESSAGE_LIMIT = 2000

_ASSIGNED_SECRET = re.compile(
    r"(?i)((?:_auth(?:token)?|_password|passw(?:or)?d|secret|token|api[_-]?key|access[_-]?key"
    r"|private[_-]?key|credentials?)[\"']?\s*[=:]\s*[\"']?)[^\s\"',;}]+"
)
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@'\"]+:[^/\s@'\"]+@")
_KNOWN_TOKEN = re.compile(
    r"\b(?:npm_[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
    r"|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----)"
)
REDACTED = "***"


def redact(text: str) -> str:
    """``text`` with what looks like a secret replaced by ``***``: the value of a token,
    password or key assignment (``_authToken=…`` in ``.npmrc``), the credentials in a URL
    (``https://user:password@host``) and tokens of known forms (npm, GitHub, GitLab, Slack,
    AWS, private keys)."""
    text = _ASSIGNED_SECRET.sub(lambda m: m.group(1) + REDACTED, text)
    text = _URL_CREDENTIALS.sub(lambda m: m.group(1) + REDACTED + "@", text)
    return _KNOWN_TOKEN.sub(REDACTED, text)


def cap(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class _Quoting(reprlib.Repr):
    """``repr`` of a user's value, short at every level and redacted before it is cut."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = QUOTE_LIMIT
        self.maxother = QUOTE_LIMIT
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = 6
        self.maxlevel = 3

    def repr_str(self, x: str, level: int) -> str:
        return super().repr_str(redact(x), level)


_QUOTING = _Quoting()


def quote(value: Any) -> str:
    """How a message quotes a value from a user's file: as Python writes it, redacted
    (:func:`redact`) and cut to :data:`QUOTE_LIMIT` characters at every level."""
    return cap(_QUOTING.repr(value), QUOTE_LIMIT)


def tidy_message(message: str) -> str:
    """A message fit to print: redacted, its unprintable characters escaped (line breaks
    kept, see :func:`printable`) and cut to :data:`MESSAGE_LIMIT` characters. Every error
    and every scan issue goes through it, whatever it quotes."""
    return cap(printable(redact(message), lines=True), MESSAGE_LIMIT)


#: Characters a terminal, a log viewer or a rendered document acts on instead of showing
#: them: C0 and C1 controls (ESC starts colour and cursor sequences, CR rewrites a line),
#: DEL, the bidirectional overrides and isolates that reorder what is read ("Trojan
#: Source"), and the lone surrogates that stand for bytes of a name that is not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE_IN_LINES = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\r(?!\n)"
)


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with every unprintable character written as its escape (``\\u001b``,
    ``\\n``, ``\\u202e``), so that a value from someone else's file (a package name, a
    version, a file name) shows what it holds and does nothing else. With ``lines``, line
    breaks (LF, CRLF), tabs and form feeds (the page breaks of long license texts) are
    kept: for text of several lines, such as a license."""
    pattern = _UNPRINTABLE_IN_LINES if lines else _UNPRINTABLE
    return pattern.sub(_escape, text)


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    # the \uXXXX form is the same escape in JSON and in Python: a JSON document printed
    # through this stays the same document
    return "".join(_SHORT_ESCAPES.get(c) or f"\\u{ord(c):04x}" for c in found.group())
