# SPDX-License-Identifier: Apache-2.0
"""``ospo notice``: write the attribution file a release ships with, or check a committed one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import ANY_PATH, FILE, PROFILE
from ospo.errors import ExitCode, InputError

if TYPE_CHECKING:
    from ospo.policy.model import Profile

FORMATS = ("text", "html", "md")


@click.command(
    help="Write the NOTICE of PATH (default: .): every component that ships, with its "
    "license, copyrights, own license and NOTICE files, and the license texts.\n\n"
    "With --check FILE, exit 1 when FILE is not what the release needs (stale), 0 when it is.",
    context_settings=CONTEXT,
)
@click.argument("path", required=False, type=ANY_PATH, metavar="[PATH]")
@click.option(
    "--inventory",
    "inventory_path",
    type=FILE,
    metavar="FILE",
    help="Read this inventory (from `ospo scan -o`) instead of scanning.",
)
@click.option(
    "--sbom",
    "sbom_path",
    type=FILE,
    metavar="FILE",
    help="Read this CycloneDX or SPDX SBOM instead of scanning.",
)
@click.option(
    "--policy",
    "policy_path",
    type=FILE,
    metavar="FILE",
    help="Policy that elects among OR alternatives "
    "[default: policy: in .ospo.yml, else the shipped default].",
)
@PROFILE
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format [default: from the file's suffix (.html, .md), else text].",
)
@click.option("-o", "--output", type=FILE, metavar="FILE", help="Write the NOTICE here.")
@click.option(
    "--check",
    "check_path",
    type=FILE,
    metavar="FILE",
    help="Compare this committed NOTICE with what the release needs; exit 1 when stale.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
def notice(
    path: Path | None,
    inventory_path: Path | None,
    sbom_path: Path | None,
    policy_path: Path | None,
    profile: Profile | None,
    fmt: str | None,
    output: Path | None,
    check_path: Path | None,
    no_cache: bool,
) -> int:
    """Build the NOTICE, then write it, print it, or compare it with a committed one."""
    from ospo.api import CheckSettings, settings_policy
    from ospo.cli.check import read_or_scan
    from ospo.notice import build_notice, compare, format_for, render_notice

    if inventory_path and sbom_path:
        raise click.UsageError("give either --inventory or --sbom, not both")
    if output is not None and check_path is not None:
        raise click.UsageError("give either -o or --check, not both")
    root = path if path is not None else Path(".")
    if not root.exists():
        raise InputError("path does not exist", path=str(root))
    target = check_path or output
    fmt = fmt or (format_for(target) if target is not None else "text")
    inventory = read_or_scan(root, inventory_path, sbom_path, no_cache=no_cache)
    policy = settings_policy(CheckSettings(policy_path=policy_path), root)
    built = build_notice(inventory, policy, profile=profile, root=root if root.is_dir() else None)
    if check_path is not None:
        from ospo.inputs import read_input_text

        # bounded (--check /dev/zero ends at once); bytes that are not UTF-8 are not what
        # ospo writes, so such a NOTICE is stale
        committed = read_input_text(check_path, "the NOTICE", undecodable="replace", newline="")
        diff = compare(committed, built, fmt)
        if diff is None:
            say(f"ospo: {check_path} is up to date ({len(built.components)} components)", err=True)
            return int(ExitCode.PASS)
        say(f"ospo: {check_path} is stale: regenerate it with `ospo notice -o {check_path}`")
        for line in diff.summary():
            say(f"  {line}")
        return int(ExitCode.GATE_FAILED)
    text = render_notice(built, fmt)
    if output is None:
        say(text, end="")
        return int(ExitCode.PASS)
    from ospo.atomic import atomic_write_text

    atomic_write_text(output, text)
    left_out = sum(n for _, n in built.left_out)
    say(
        f"wrote the {fmt} NOTICE of {len(built.components)} components to {output}"
        f" ({left_out} dev/test components left out"
        f"{f', {len(built.unknown)} with an unknown license' if built.unknown else ''}"
        f"{f', {len(built.unresolved)} licenses without a text' if built.unresolved else ''})",
        err=True,
    )
    return int(ExitCode.PASS)
