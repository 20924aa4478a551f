# SPDX-License-Identifier: Apache-2.0
"""``ospo scan``: build the inventory of a source tree and write it out."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ospo.cli import (
    UsageError,
    existing_path,
    file_path,
    positive_float,
    positive_int,
    say,
)
from ospo.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``scan``."""
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="PATH",
        help="The root of the product's source tree [default: .].",
    )
    parser.add_argument(
        "-o", "--output", type=file_path, metavar="FILE", help="Write the inventory JSON here."
    )
    parser.add_argument(
        "--cyclonedx",
        type=file_path,
        metavar="FILE",
        help="Write a CycloneDX 1.6 SBOM here: XML if FILE ends in .xml, JSON otherwise.",
    )
    parser.add_argument(
        "--spdx", type=file_path, metavar="FILE", help="Write an SPDX 2.3 JSON SBOM here."
    )
    parser.add_argument(
        "--env",
        dest="envs",
        action="append",
        default=[],
        type=existing_path,
        metavar="PATH",
        help="Installed environment to read packages from: a virtualenv, a site-packages "
        "directory, a Python interpreter or a node_modules tree; repeatable.",
    )
    parser.add_argument(
        "--import-sbom",
        dest="import_sboms",
        action="append",
        default=[],
        type=file_path,
        metavar="FILE",
        help="An SBOM made by another tool (CycloneDX 1.2-1.6 JSON or XML, SPDX 2.2/2.3 JSON "
        "or tag-value) whose components join the inventory; repeatable.",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        metavar="N",
        help="Worker processes for ScanCode [default: all cores].",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="Neither read nor write the result cache."
    )
    parser.add_argument(
        "--exclude",
        dest="excludes",
        action="append",
        default=[],
        metavar="GLOB",
        help="Leave out paths matching GLOB (** spans directories); repeatable.",
    )
    parser.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help="Seconds allowed per file [default: 120, or scan.timeout].",
    )
    parser.add_argument(
        "--max-file-size",
        metavar="SIZE",
        help="Skip files larger than SIZE, e.g. 5MB [default: 5MB, or scan.max_file_size].",
    )
    parser.add_argument(
        "--config",
        dest="config_path",
        type=file_path,
        metavar="FILE",
        help="Configuration file [default: PATH/.ospo.yml].",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="No progress bar and no summary."
    )
    parser.set_defaults(handler=scan)


def scan(args: argparse.Namespace) -> int:
    """Scan the tree, write the outputs asked for and print the summary."""
    from ospo.inputs import forget_started, start_listing

    start_listing(args.path)  # git answers while the scanners are imported
    try:
        return _scan(args)
    finally:
        forget_started()


def _scan(args: argparse.Namespace) -> int:
    from ospo.api import ScanSettings, scan_tree, write_outputs
    from ospo.config import parse_size

    max_size = None
    if args.max_file_size is not None:
        try:
            max_size = parse_size(args.max_file_size)
        except ValueError as exc:
            raise UsageError(f"--max-file-size: {exc}") from None
    settings = ScanSettings(
        jobs=args.jobs or os.cpu_count() or 1,
        use_cache=not args.no_cache,
        excludes=tuple(args.excludes),
        timeout=args.timeout,
        max_file_size=max_size,
        config_path=args.config_path,
        envs=tuple(args.envs),
        import_sboms=tuple(args.import_sboms),
    )
    path: Path = args.path
    with _Progress(enabled=not args.quiet and sys.stderr.isatty()) as progress:
        outcome = scan_tree(path, settings, progress=progress.update)
    for warning in outcome.warnings:
        say(f"ospo: warning: {warning}", err=True)
    written = write_outputs(
        outcome.inventory,
        inventory_path=args.output,
        cyclonedx_path=args.cyclonedx,
        spdx_path=args.spdx,
        root=path,
    )
    if not args.quiet:
        from ospo.reporters.base import RenderOptions
        from ospo.reporters.summary import ScanSummaryReporter

        say(ScanSummaryReporter().render(outcome.inventory, RenderOptions()), end="")
        for what, where in written:
            say(f"Wrote {what}: {where}")
    if any(i.kind.value == "scan-error" for i in outcome.inventory.scan.issues):
        say(
            "ospo: error: ScanCode failed on some files (see Issues); outputs were "
            "written with those files unscanned",
            err=True,
        )
        return int(ExitCode.OPERATIONAL_FAILURE)
    return int(ExitCode.PASS)


class _Progress:
    """A progress line on stderr while ScanCode works; nothing when disabled.

    ``Matching files  [#######-------------]   350/1000  35%  0:00:42 left``, redrawn at
    most ten times a second and ended with a newline.
    """

    _WIDTH = 30

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._started: float | None = None
        self._drawn = 0.0
        self._shown = False

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._shown:
            sys.stderr.write("\n")
            sys.stderr.flush()

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        now = time.monotonic()
        if self._started is None:
            self._started = now
        if done < total and now - self._drawn < 0.1:
            return
        self._drawn = now
        filled = self._WIDTH * done // total
        bar = "#" * filled + "-" * (self._WIDTH - filled)
        left = ""
        if 0 < done < total:
            seconds = int((now - self._started) * (total - done) / done)
            left = f"  {seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d} left"
        width = len(str(total))
        sys.stderr.write(
            f"\rMatching files  [{bar}]  {done:>{width}}/{total}  {100 * done // total:3d}%{left}"
            "\033[K"
        )
        sys.stderr.flush()
        self._shown = True
