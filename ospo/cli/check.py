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
from ospo.cli.params import ANY_PATH, FILE, DateType, FailOnType, ProfileType
from ospo.errors import ExitCode, InputError

if TYPE_CHECKING:
    from ospo.evaluation import Severity
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
@click.option(
    "--policy",
    "policy_path",
    type=FILE,
    metavar="FILE",
    help="Policy file [default: policy: in .ospo.yml, else the shipped default].",
)
@click.option(
    "--profile",
    type=ProfileType(),
    help="How the product ships [default: profile: in .ospo.yml, else the policy's].",
)
@click.option(
    "--waivers",
    "waivers_path",
    type=FILE,
    metavar="FILE",
    help="OSRB decisions [default: .ospo/waivers.yml if it exists].",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=FILE,
    metavar="FILE",
    help="Inventory of the last approved release: findings become new or unchanged.",
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
    only_new: bool,
    fail_on: Severity,
    fmt: str,
    output: Path | None,
    staged: bool,
    commits: str | None,
    no_cache: bool,
    today: date | None,
) -> int:
    """Scan (or read) the product, judge it and emit the result in the asked format."""
    from ospo.api import CheckSettings, ScanSettings, check_inventory, scan_tree

    if inventory_path and sbom_path:
        raise click.UsageError("give either --inventory or --sbom, not both")
    if only_new and baseline_path is None:
        raise click.UsageError("--only-new needs --baseline")
    root, files = _root_and_files(paths, staged)
    if inventory_path is not None:
        from ospo import inventory_json

        inventory = inventory_json.load(inventory_path)
    elif sbom_path is not None:
        from ospo.sbom import load_sbom

        inventory = load_sbom(sbom_path)
    else:
        if files is not None and not files:
            say("ospo: no files to check", err=True)
            return int(ExitCode.PASS)
        outcome = scan_tree(
            root, ScanSettings(jobs=os.cpu_count() or 1, use_cache=not no_cache, only=files)
        )
        for warning in outcome.warnings:
            say(f"ospo: warning: {warning}", err=True)
        inventory = outcome.inventory
    settings = CheckSettings(
        policy_path=policy_path,
        profile=profile,
        waivers_path=waivers_path,
        baseline_path=baseline_path,
        fail_on=fail_on,
        only_new=only_new,
        today=today,
        commits=commits,
    )
    judged = check_inventory(
        inventory, settings, root=root if root.is_dir() else None, partial=files is not None
    )
    _emit(judged, fmt, output)
    assert judged.evaluation is not None
    return int(ExitCode.GATE_FAILED if judged.evaluation.verdict == "fail" else ExitCode.PASS)


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
