# SPDX-License-Identifier: Apache-2.0
"""``ospo scan``: build the inventory of a source tree and write it out."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import ANY_PATH, EXISTING, FILE, PositiveNumber, ShardType, SizeType
from ospo.errors import ExitCode

#: The SBOM versions ospo writes, listed here so that building the command imports no
#: writer (``ospo.sbom.CYCLONEDX_VERSIONS`` and ``SPDX_VERSIONS``; a test holds them equal).
CYCLONEDX_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
SPDX_VERSIONS = ("2.3", "3.0")


@click.command(
    help="Scan PATH (default: .) for licenses, copyrights and vendored code.",
    context_settings=CONTEXT,
)
@click.argument("path", type=ANY_PATH, default=Path("."), required=False)
@click.option("-o", "--output", type=FILE, metavar="FILE", help="Write the inventory JSON here.")
@click.option(
    "--cyclonedx",
    type=FILE,
    metavar="FILE",
    help="Write a CycloneDX SBOM here: XML if FILE ends in .xml, JSON otherwise.",
)
@click.option(
    "--cyclonedx-version",
    type=click.Choice(CYCLONEDX_VERSIONS),
    default="1.6",
    show_default=True,
    help="CycloneDX version to write.",
)
@click.option("--spdx", type=FILE, metavar="FILE", help="Write an SPDX JSON SBOM here.")
@click.option(
    "--spdx-version",
    type=click.Choice(SPDX_VERSIONS),
    default="2.3",
    show_default=True,
    help="SPDX version to write.",
)
@click.option(
    "--env",
    "envs",
    multiple=True,
    type=EXISTING,
    metavar="PATH",
    help="Installed environment to read packages from: a virtualenv, a site-packages "
    "directory, a Python interpreter or a node_modules tree; repeatable.",
)
@click.option(
    "--import-sbom",
    "import_sboms",
    multiple=True,
    type=FILE,
    metavar="FILE",
    help="An SBOM made by another tool (CycloneDX 1.2-1.7 JSON or XML, SPDX 2.2/2.3 JSON "
    "or tag-value, SPDX 3.0 JSON-LD) whose components join the inventory; repeatable.",
)
@click.option(
    "-j",
    "--jobs",
    type=PositiveNumber(),
    metavar="N",
    help="Worker processes for ScanCode [default: all cores].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--cache",
    "cache_url",
    metavar="URL",
    help="Where results are kept: a postgresql:// URL (a store shared by many runners; "
    "?mode=rw to write to it) or a directory [default: OSPO_CACHE_URL, or cache: in "
    ".ospo.yml, or the local cache].",
)
@click.option(
    "--cache-read-only",
    is_flag=True,
    help="Read results from the cache, never write them (untrusted pipelines); also "
    "OSPO_CACHE_READ_ONLY=1.",
)
@click.option(
    "--shard",
    type=ShardType(),
    metavar="I/N",
    help="Scan only the missing files of shard I of N into the cache and write no "
    "outputs; a run without --shard then assembles the inventory.",
)
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="GLOB",
    help="Leave out paths matching GLOB (** spans directories); repeatable.",
)
@click.option(
    "--timeout",
    type=PositiveNumber(fraction=True),
    metavar="SECONDS",
    help="Seconds allowed per file [default: 120, or scan.timeout].",
)
@click.option(
    "--max-file-size",
    type=SizeType(),
    metavar="SIZE",
    help="Skip files larger than SIZE, e.g. 5MB [default: 5MB, or scan.max_file_size].",
)
@click.option(
    "--config",
    "config_path",
    type=FILE,
    metavar="FILE",
    help="Configuration file [default: PATH/.ospo.yml].",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def scan(path: Path, **options: Any) -> int:
    """Scan the tree, write the outputs asked for and print the summary."""
    from ospo.inputs import forget_started, start_listing

    start_listing(path)  # git answers while the scanners are imported
    try:
        return _scan(path, **options)
    finally:
        forget_started()


def _scan(
    path: Path,
    *,
    output: Path | None,
    cyclonedx: Path | None,
    cyclonedx_version: str,
    spdx: Path | None,
    spdx_version: str,
    envs: tuple[Path, ...],
    import_sboms: tuple[Path, ...],
    jobs: int | None,
    no_cache: bool,
    cache_url: str | None,
    cache_read_only: bool,
    shard: tuple[int, int] | None,
    excludes: tuple[str, ...],
    timeout: float | None,
    max_file_size: int | None,
    config_path: Path | None,
    quiet: bool,
) -> int:
    from ospo.api import ScanSettings, check_outputs, scan_tree, write_outputs

    if shard is not None:
        _check_shard(no_cache, cache_read_only, (output, cyclonedx, spdx))
    check_outputs(output, cyclonedx, spdx)  # before the scan, not after its work
    settings = ScanSettings(
        jobs=jobs or os.cpu_count() or 1,
        use_cache=not no_cache,
        cache_url=cache_url,
        cache_read_only=cache_read_only,
        shard=shard,
        excludes=excludes,
        timeout=timeout,
        max_file_size=max_file_size,
        config_path=config_path,
        envs=envs,
        import_sboms=import_sboms,
    )
    with _Progress(enabled=not quiet and sys.stderr.isatty()) as progress:
        outcome = scan_tree(path, settings, progress=progress.update)
    for warning in outcome.warnings:
        say(f"ospo: warning: {warning}", err=True)
    if shard is not None:
        return _shard_done(outcome.inventory, shard, quiet)
    written = write_outputs(
        outcome.inventory,
        inventory_path=output,
        cyclonedx_path=cyclonedx,
        spdx_path=spdx,
        root=path,
        cyclonedx_version=cyclonedx_version,
        spdx_version=spdx_version,
    )
    if not quiet:
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


def _check_shard(no_cache: bool, read_only: bool, outputs: tuple[Path | None, ...]) -> None:
    """A shard's results go to the cache and nowhere else: refuse what contradicts that."""
    if no_cache:
        raise click.UsageError("--shard stores its results in the cache: not with --no-cache")
    if read_only:
        raise click.UsageError(
            "--shard stores its results in the cache: not with --cache-read-only"
        )
    if any(o is not None for o in outputs):
        raise click.UsageError(
            "--shard writes no outputs: run ospo scan without --shard after the shards to "
            "assemble the inventory"
        )


def _shard_done(inventory: Any, shard: tuple[int, int], quiet: bool) -> int:
    """Report a shard's run; exit 3 when the store failed, since its results are lost."""
    stats = inventory.scan.stats
    store_failed = [i for i in inventory.scan.issues if i.kind.value == "cache"]
    for issue in store_failed:
        say(f"ospo: error: {issue.message}", err=True)
    if not quiet:
        say(
            f"Shard {shard[0]}/{shard[1]}: {stats.matched} file(s) scanned, "
            f"{stats.from_cache} already in the cache"
        )
    if store_failed or any(i.kind.value == "scan-error" for i in inventory.scan.issues):
        return int(ExitCode.OPERATIONAL_FAILURE)
    return int(ExitCode.PASS)


class _Progress:
    """click's progress bar on stderr while ScanCode works; nothing when disabled.

    The bar is made (and click's terminal module imported) at the first report of work,
    when the number of files to match is known; a fully cached scan draws none.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.render_finish()

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=total,
                label="Matching files",
                file=sys.stderr,
                show_pos=True,
                show_percent=True,
                show_eta=True,
                width=30,
            )
            self._bar.render_progress()
        if done > self._bar.pos:
            self._bar.update(done - self._bar.pos)
