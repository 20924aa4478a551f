# SPDX-License-Identifier: Apache-2.0
"""The click machinery of the ``ospo`` command: a lazy group and ospo's one click exception.

The group knows each subcommand by ``module:attribute`` and a one-line summary, so that
``ospo --help`` lists them and ``ospo check --staged`` (the pre-commit hook) imports only
the module of the command it runs. The group is also the one place where errors become
exit codes: every :class:`~ospo.errors.OspoError`, an interruption and a bug in ospo are
turned into an :class:`OspoClickException` carrying the contract's code (0 pass, 1 gate
failed, 2 usage/configuration/input error, 3 operational failure). A command returns its
exit code; a non-zero one ends the run with that code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import import_module
from typing import IO, Any, NamedTuple

import click

from ospo.errors import ExitCode, OspoError, interruption, printable

#: Settings every ospo command shares: ``-h`` as well as ``--help``, help up to 100 columns.
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyCommand(NamedTuple):
    """Where a subcommand lives and what it does, known without importing it."""

    target: str  # "package.module:attribute"
    summary: str


class OspoClickException(click.ClickException):
    """An error that ends the run with one of ospo's exit codes, said as ``ospo: error: …``."""

    def __init__(self, message: str, exit_code: int, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares a class default
        self.hint = hint

    @classmethod
    def from_error(cls, exc: OspoError) -> OspoClickException:
        """The exception for an error ospo raised on purpose."""
        return cls(str(exc), int(exc.exit_code))

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(
            f"ospo: error: {printable(self.format_message(), lines=True)}", err=True, file=file
        )
        if self.hint:
            click.echo(f"ospo: {self.hint}", err=True, file=file)


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are run (or completed)."""

    def __init__(self, *args: Any, lazy: Mapping[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = entry.target.partition(":")
        command = getattr(import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{entry.target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the subcommands from their summaries, importing none of them."""
        rows = [(name, entry.summary) for name, entry in self.lazy.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class ReaderGone(Exception):
    """The reader of standard output went away (``ospo check | head``).

    Not an ``OSError``: click would take a broken pipe for a clean exit (code 1).
    """


class OspoGroup(LazyGroup):
    """The top-level group: maps every error of a command run to its exit code, once."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            code = super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OspoError as exc:
            raise OspoClickException.from_error(exc) from None
        except KeyboardInterrupt as exc:
            raise OspoClickException(
                f"{interruption(exc)}; no output was written", int(ExitCode.OPERATIONAL_FAILURE)
            ) from None
        except BrokenPipeError:
            raise ReaderGone from None
        except Exception as exc:  # a bug in ospo: say so briefly, details on request
            if os.environ.get("OSPO_DEBUG"):
                import traceback

                traceback.print_exc()
                hint = None
            else:
                hint = "set OSPO_DEBUG=1 to see the traceback"
            raise OspoClickException(
                f"internal error: {type(exc).__name__}: {exc}",
                int(ExitCode.OPERATIONAL_FAILURE),
                hint=hint,
            ) from None
        if code:
            raise click.exceptions.Exit(int(code))
        return code


def say(text: str, *, err: bool = False, end: str = "\n") -> None:
    """Print ``text`` to stdout (or stderr), then ``end``; whatever a value in it holds, no
    escape sequence, lone carriage return or bidi override reaches the terminal
    (:func:`~ospo.errors.printable`; line breaks stay, and JSON stays the same JSON)."""
    click.echo(printable(text, lines=True) + end, err=err, nl=False)
