# SPDX-License-Identifier: Apache-2.0
"""``ospo check``: judge a product against the policy; the gate's exit code."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

from ospo.cli import UsageError, file_path, iso_date, say
from ospo.errors import ExitCode, InputError

FORMATS = ("text", "json", "sarif", "junit", "markdown")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``check``."""
    parser.description = (
        f"{parser.description}\n\nWith --staged (or FILES), only those files are scanned and "
        "judged: fast enough for a\npre-commit hook."
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="The tree to judge [default: .]; with --staged or several, the files to judge.",
    )
    parser.add_argument(
        "--inventory",
        dest="inventory_path",
        type=file_path,
        metavar="FILE",
        help="Judge this inventory (from `ospo scan -o`) instead of scanning.",
    )
    parser.add_argument(
        "--sbom",
        dest="sbom_path",
        type=file_path,
        metavar="FILE",
        help="Judge this CycloneDX or SPDX SBOM instead of scanning.",
    )
    parser.add_argument(
        "--policy",
        dest="policy_path",
        type=file_path,
        metavar="FILE",
        help="Policy file [default: policy: in .ospo.yml, else the shipped default].",
    )
    parser.add_argument(
        "--profile",
        choices=("internal", "saas", "binary", "source"),
        help="How the product ships [default: profile: in .ospo.yml, else the policy's].",
    )
    parser.add_argument(
        "--waivers",
        dest="waivers_path",
        type=file_path,
        metavar="FILE",
        help="OSRB decisions [default: .ospo/waivers.yml if it exists].",
    )
    parser.add_argument(
        "--baseline",
        dest="baseline_path",
        type=file_path,
        metavar="FILE",
        help="Inventory of the last approved release: findings become new or unchanged.",
    )
    parser.add_argument(
        "--only-new", action="store_true", help="Count only new findings (needs --baseline)."
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        default="warning",
        help="Lowest severity that fails the gate [default: warning].",
    )
    parser.add_argument(
        "--format", dest="fmt", choices=FORMATS, default="text", help="[default: text]"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=file_path,
        metavar="FILE",
        help="Write the result here instead of stdout.",
    )
    parser.add_argument(
        "--staged",
        action="store_true",
        help="Check only the files staged for commit (or the FILES given), for a pre-commit hook.",
    )
    parser.add_argument(
        "--commits",
        metavar="RANGE",
        help="Git revision range for the DCO sign-off rule, e.g. origin/main..HEAD.",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="Neither read nor write the result cache."
    )
    # hidden: pretend today is this date (waiver expiry), for reproducible runs
    parser.add_argument("--today", type=iso_date, help=argparse.SUPPRESS)
    parser.set_defaults(handler=check)


def check(args: argparse.Namespace) -> int:
    """Scan (or read) the product, judge it and emit the result in the asked format."""
    from ospo.api import CheckSettings, ScanSettings, check_inventory, scan_tree

    if args.inventory_path and args.sbom_path:
        raise UsageError("give either --inventory or --sbom, not both")
    if args.only_new and args.baseline_path is None:
        raise UsageError("--only-new needs --baseline")
    root, files = _root_and_files(tuple(args.paths), args.staged)
    if args.inventory_path is not None:
        from ospo import inventory_json

        inventory = inventory_json.load(args.inventory_path)
    elif args.sbom_path is not None:
        from ospo.sbom_import import load_sbom

        inventory = load_sbom(args.sbom_path)
    else:
        if files is not None and not files:
            say("ospo: no files to check", err=True)
            return int(ExitCode.PASS)
        outcome = scan_tree(
            root, ScanSettings(jobs=os.cpu_count() or 1, use_cache=not args.no_cache, only=files)
        )
        for warning in outcome.warnings:
            say(f"ospo: warning: {warning}", err=True)
        inventory = outcome.inventory
    settings = CheckSettings(
        policy_path=args.policy_path,
        profile=args.profile,
        waivers_path=args.waivers_path,
        baseline_path=args.baseline_path,
        fail_on=args.fail_on,
        only_new=args.only_new,
        today=args.today,
        commits=args.commits,
    )
    judged = check_inventory(
        inventory, settings, root=root if root.is_dir() else None, partial=files is not None
    )
    _emit(judged, args.fmt, args.output)
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
