# SPDX-License-Identifier: Apache-2.0
"""The ``ospo`` command: a thin adapter over the Python API.

Subcommands live one per module and are imported only when used, so ``ospo --help`` and
the pre-commit hook do not pay for ScanCode. Errors are turned into exit codes here, once:
0 pass, 1 gate failed, 2 usage/configuration/input error, 3 operational failure.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from typing import Any

import click

from ospo import __version__
from ospo.errors import ExitCode, OspoError

#: Subcommand name -> "module:attribute".
SUBCOMMANDS = {
    "scan": "ospo.cli.scan:scan",
    "check": "ospo.cli.check:check",
    "policy": "ospo.cli.policy:policy",
    "decide": "ospo.cli.decide:decide",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ospo")
def cli() -> None:
    """Inventory, policy gate and review packet for each release of a product."""


def main(argv: list[str] | None = None) -> None:
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
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code instead of exiting."""
    try:
        result: Any = cli.main(args=argv, prog_name="ospo", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        click.echo("ospo: interrupted", err=True)
        return int(ExitCode.OPERATIONAL_FAILURE)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.INPUT_ERROR)
    except OspoError as exc:
        click.echo(f"ospo: error: {exc}", err=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("ospo: interrupted; no output was written", err=True)
        return int(ExitCode.OPERATIONAL_FAILURE)
    except Exception as exc:  # a bug in ospo: say so briefly, details on request
        click.echo(f"ospo: internal error: {type(exc).__name__}: {exc}", err=True)
        if os.environ.get("OSPO_DEBUG"):
            import traceback

            traceback.print_exc()
        else:
            click.echo("ospo: set OSPO_DEBUG=1 to see the traceback", err=True)
        return int(ExitCode.OPERATIONAL_FAILURE)
    return int(result) if isinstance(result, int) else int(ExitCode.PASS)
