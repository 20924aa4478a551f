# SPDX-License-Identifier: Apache-2.0
"""``ospo packet``: the review board's decision document for one release."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import ANY_PATH, FILE, OFFLINE, POLICY, PROFILE, WAIVERS, DateType
from ospo.errors import ExitCode, InputError

if TYPE_CHECKING:
    from ospo.policy.model import Profile

FORMATS = ("html", "md", "pdf")


@click.command(
    help="Render the review board's packet for PATH (default: .): what needs a decision "
    "and by whom, what changed, obligations, sign-off. Exit 0 when written, whatever the "
    "verdict; the packet says it.",
    context_settings=CONTEXT,
)
@click.argument("path", required=False, type=ANY_PATH, metavar="[PATH]")
@click.option(
    "--inventory",
    "inventory_path",
    type=FILE,
    metavar="FILE",
    help="Use this inventory (from `ospo scan -o`) instead of scanning.",
)
@click.option(
    "--sbom", "sbom_path", type=FILE, metavar="FILE", help="Use this CycloneDX or SPDX SBOM."
)
@POLICY
@PROFILE
@WAIVERS
@click.option(
    "--baseline",
    "baseline_path",
    type=FILE,
    metavar="FILE",
    help="Inventory of the last approved release: the packet shows what changed since "
    "[default: the latest release in the archive of approved releases, if there is one].",
)
@click.option(
    "--no-baseline",
    is_flag=True,
    help="Compare with no release, not even the latest approved one.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="The organisation's own packet templates; what it lacks comes from the shipped ones.",
)
@click.option("-o", "--output", type=FILE, metavar="FILE", required=True, help="Write it here.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@OFFLINE
# pretend today is this date (waiver expiry, the packet's date), for reproducible runs
@click.option("--today", type=DateType(), hidden=True)
def packet(
    path: Path | None,
    inventory_path: Path | None,
    sbom_path: Path | None,
    policy_path: Path | None,
    profile: Profile | None,
    waivers_path: Path | None,
    baseline_path: Path | None,
    no_baseline: bool,
    fmt: str,
    template_dir: Path | None,
    output: Path,
    no_cache: bool,
    offline: bool,
    today: date | None,
) -> int:
    """Read or scan the product, judge it, and write its packet."""
    from ospo.api import CheckSettings, release_packet
    from ospo.atomic import atomic_write_bytes, atomic_write_text
    from ospo.cli.check import approved_baseline, read_or_scan
    from ospo.packet import render_packet

    if no_baseline and baseline_path is not None:
        raise click.UsageError("give either --baseline or --no-baseline, not both")
    root = path or Path(".")
    if not root.exists():
        raise InputError("path does not exist", path=str(root))
    if baseline_path is None and not no_baseline:
        baseline_path = approved_baseline(root)
    if output.is_dir():
        raise InputError("output path is a directory; give a file name", path=str(output))
    inventory = read_or_scan(root, inventory_path, sbom_path, no_cache=no_cache)
    settings = CheckSettings(
        policy_path=policy_path,
        profile=profile,
        waivers_path=waivers_path,
        baseline_path=baseline_path,
        today=today,
        offline=offline,
    )
    built = release_packet(inventory, settings, root if root.is_dir() else None)
    document = render_packet(built, fmt, template_dir=template_dir)
    if isinstance(document, bytes):
        atomic_write_bytes(output, document)
    else:
        atomic_write_text(output, document)
    state = built.banner or "approved"
    say(f"ospo: wrote the {fmt} packet to {output} ({state})", err=True)
    return int(ExitCode.PASS)
