# SPDX-License-Identifier: Apache-2.0
"""``ospo init``: write ospo's configuration, waivers file, pre-commit entry and CI file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import ProfileType
from ospo.errors import ExitCode

if TYPE_CHECKING:
    from ospo.init import ActionRef
    from ospo.policy.model import Profile


def _action(ctx: click.Context, param: click.Parameter, value: str | None) -> ActionRef | None:
    if value is None:
        return None
    from ospo.errors import InputError
    from ospo.init import ActionRef

    try:
        return ActionRef.parse(value)
    except InputError as exc:
        raise click.BadParameter(exc.message, ctx, param) from None


@click.command(
    help="Set PATH (default: .) up for ospo: .ospo.yml, an empty waivers file, the "
    "pre-commit hook and the CI gate of the forge it is hosted on (GitHub or GitLab).\n\n"
    "Never overwrites a file: it says what it wrote and what it left alone. Then `ospo "
    "check` works with no options.",
    context_settings=CONTEXT,
)
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--profile",
    type=ProfileType(),
    help="How the product ships (asked when standard input is a terminal).",
)
@click.option(
    "--action",
    metavar="OWNER/REPO@REF",
    callback=_action,
    help="ospo's repository on GitHub and its tag, for the pre-commit hook and the CI gate "
    "[default: a placeholder to replace].",
)
def init(path: Path | None, profile: Profile | None, action: ActionRef | None) -> int:
    """Plan the files, ask for the profile if needed, write, and say what was done."""
    from ospo.errors import InputError
    from ospo.init import Outcome, detect, plan, write

    root = path if path is not None else Path(".")
    if not root.is_dir():
        raise InputError("not a directory", path=str(root))
    if profile is None:
        if not sys.stdin.isatty():
            raise click.UsageError(
                "--profile is required when standard input is not a terminal "
                "(internal, saas, binary or source)"
            )
        from ospo.policy.model import Profile

        profile = Profile(
            click.prompt(
                "How does the product ship? internal (used inside the organisation), saas (run "
                "as a service), binary (distributed built), source (distributed as source)",
                type=ProfileType(),
            )
        )
    planned = plan(root, profile=profile, action=action, facts=detect(root))
    done = write(planned)
    for item in done:
        if item.outcome is Outcome.WRITE:
            say(f"wrote {item.path}" + (f" ({item.reason})" if item.reason else ""))
            if item.reason:
                say(_indent(item.text))
        elif item.outcome is Outcome.ADD:
            say(f"added to {item.path}:")
            say(_indent(item.text))
        elif item.outcome is Outcome.KEEP:
            say(f"left {item.path} alone: {item.reason}")
        else:
            say(f"left {item.path} alone: {item.reason}:")
            say(_indent(item.text))
    for note in planned.notes:
        say(f"note: {note}")
    return int(ExitCode.PASS)


def _indent(text: str) -> str:
    return "".join(f"    {line}" for line in text.splitlines(keepends=True)).rstrip("\n")
