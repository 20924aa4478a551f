# SPDX-License-Identifier: Apache-2.0
"""``ospo check``: judge a product against the policy; the gate's exit code."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import (
    ANY_PATH,
    FILE,
    OFFLINE,
    POLICY,
    PROFILE,
    WAIVERS,
    DateType,
    FailOnType,
)
from ospo.errors import ExitCode, InputError, printable

if TYPE_CHECKING:
    from ospo.evaluation import Severity
    from ospo.model import Inventory
    from ospo.policy.model import Profile

FORMATS = ("text", "json", "sarif", "junit", "markdown", "codequality")


@click.command(
    help="Judge PATH (default: .) against the policy. Exit 1 when the gate fails.\n\n"
    "With --staged (or FILES), only those files are scanned and judged: fast enough for a "
    "pre-commit hook.",
    context_settings=CONTEXT,
)
@click.argument("paths", nargs=-1, type=ANY_PATH, metavar="[PATH]...")
@click.option(
    "--inventory",
    "inventory_path",
    type=FILE,
    metavar="FILE",
    help="Judge this inventory (from `ospo scan -o`) instead of scanning.",
)
@click.option(
    "--sbom",
    "sbom_path",
    type=FILE,
    metavar="FILE",
    help="Judge this CycloneDX or SPDX SBOM instead of scanning.",
)
@POLICY
@PROFILE
@WAIVERS
@click.option(
    "--baseline",
    "baseline_path",
    type=FILE,
    metavar="FILE",
    help="Inventory of the last approved release: findings become new or unchanged "
    "[default: the latest release in the archive of approved releases, if there is one].",
)
@click.option(
    "--no-baseline",
    is_flag=True,
    help="Compare with no release, not even the latest approved one.",
)
@click.option("--only-new", is_flag=True, help="Count only new findings (needs --baseline).")
@click.option(
    "--fail-on",
    type=FailOnType(),
    default="warning",
    show_default=True,
    help="Lowest severity that fails the gate.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "-o", "--output", type=FILE, metavar="FILE", help="Write the result here instead of stdout."
)
@click.option(
    "--staged",
    is_flag=True,
    help="Check only the files staged for commit (or the FILES given), for a pre-commit hook.",
)
@click.option(
    "--commits",
    metavar="RANGE",
    help="Git revision range for the DCO sign-off rule, e.g. origin/main..HEAD.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@OFFLINE
# pretend today is this date (waiver expiry), for reproducible runs
@click.option("--today", type=DateType(), hidden=True)
def check(
    paths: tuple[Path, ...],
    inventory_path: Path | None,
    sbom_path: Path | None,
    policy_path: Path | None,
    profile: Profile | None,
    waivers_path: Path | None,
    baseline_path: Path | None,
    no_baseline: bool,
    only_new: bool,
    fail_on: Severity,
    fmt: str,
    output: Path | None,
    staged: bool,
    commits: str | None,
    no_cache: bool,
    offline: bool,
    today: date | None,
) -> int:
    """Scan (or read) the product, judge it and emit the result in the asked format."""
    from ospo.api import CheckSettings, check_inventory

    if inventory_path and sbom_path:
        raise click.UsageError("give either --inventory or --sbom, not both")
    if no_baseline and baseline_path is not None:
        raise click.UsageError("give either --baseline or --no-baseline, not both")
    root, files = _root_and_files(paths, staged)
    if inventory_path is None and sbom_path is None and files is not None and not files:
        say("ospo: no files to check", err=True)
        return int(ExitCode.PASS)
    if baseline_path is None and not no_baseline and files is None:
        baseline_path = approved_baseline(root)
    if only_new and baseline_path is None:
        raise click.UsageError("--only-new needs --baseline (or an approved release)")
    inventory = read_or_scan(root, inventory_path, sbom_path, files=files, no_cache=no_cache)
    settings = CheckSettings(
        policy_path=policy_path,
        profile=profile,
        waivers_path=waivers_path,
        baseline_path=baseline_path,
        fail_on=fail_on,
        only_new=only_new,
        today=today,
        commits=commits,
        offline=offline,
    )
    judged = check_inventory(
        inventory, settings, root=root if root.is_dir() else None, partial=files is not None
    )
    for issue in judged.scan.issues[len(inventory.scan.issues) :]:
        say(f"ospo: note: {printable(str(issue.path))}: {printable(issue.message)}", err=True)
    _emit(judged, fmt, output)
    assert judged.evaluation is not None
    return int(ExitCode.GATE_FAILED if judged.evaluation.verdict == "fail" else ExitCode.PASS)


def read_or_scan(
    root: Path,
    inventory_path: Path | None,
    sbom_path: Path | None,
    *,
    files: tuple[str, ...] | None = None,
    no_cache: bool = False,
) -> Inventory:
    """The inventory to judge: read from ``inventory_path`` or ``sbom_path`` when given,
    else made by scanning ``root`` (only ``files`` when given); scan warnings, and what an
    SBOM's reader noted (packages it passed over), are said."""
    if inventory_path and sbom_path:
        raise click.UsageError("give either --inventory or --sbom, not both")
    if inventory_path is not None:
        from ospo import inventory_json

        return inventory_json.load(inventory_path)
    if sbom_path is not None:
        from ospo.sbom import load_sbom

        imported = load_sbom(sbom_path)
        for issue in imported.scan.issues:
            say(f"ospo: note: {printable(str(issue.path))}: {printable(issue.message)}", err=True)
        return imported
    from ospo.api import ScanSettings, scan_tree

    outcome = scan_tree(
        root, ScanSettings(jobs=os.cpu_count() or 1, use_cache=not no_cache, only=files)
    )
    for warning in outcome.warnings:
        say(f"ospo: warning: {warning}", err=True)
    return outcome.inventory


def approved_baseline(root: Path) -> Path | None:
    """The inventory of the latest approved release in the project's archive, said on
    stderr; None when nothing was approved yet."""
    if not root.is_dir():
        return None
    from ospo.signoff import archive_dir, latest_approved

    latest = latest_approved(archive_dir(root))
    if latest is None:
        return None
    inventory = latest.directory / "inventory.json"
    say(
        f"ospo: comparing with approved release {latest.release} ({latest.date}): {inventory}",
        err=True,
    )
    return inventory


def _root_and_files(paths: tuple[Path, ...], staged: bool) -> tuple[Path, tuple[str, ...] | None]:
    """Split the arguments into the tree's root and, in file mode, the files to check."""
    if not staged and len(paths) <= 1:
        root = paths[0] if paths else Path(".")
        if not root.exists():
            raise InputError("path does not exist", path=str(root))
        return root, None
    root = _git_toplevel(Path.cwd()) or Path(".")
    if paths:
        chosen = []
        for p in paths:
            if not p.exists():
                raise InputError("file does not exist", path=str(p))
            chosen.append(os.path.relpath(p.resolve(), root.resolve()).replace(os.sep, "/"))
        return root, tuple(chosen)
    proc = subprocess.run(
        ["git", "-C", str(root), "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise InputError("--staged needs a git work tree", path=str(root))
    return root, tuple(n for n in proc.stdout.split("\0") if n)


def _git_toplevel(start: Path) -> Path | None:
    from ospo.inputs import git_text

    top = git_text(start, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def _emit(inventory: object, fmt: str, output: Path | None) -> None:
    from ospo.model import Inventory
    from ospo.reporters import CHECK_FORMATS, REPORTERS, RenderOptions

    assert isinstance(inventory, Inventory)
    text = REPORTERS[CHECK_FORMATS[fmt]]().render(inventory, RenderOptions())
    if output is None:
        say(text, end="")
        return
    from ospo.atomic import atomic_write_text

    atomic_write_text(output, text)
    ev = inventory.evaluation
    if ev is not None:
        say(f"{ev.verdict}: wrote {fmt} results to {output}", err=True)
