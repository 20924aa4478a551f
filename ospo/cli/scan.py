# SPDX-License-Identifier: Apache-2.0
"""``ospo scan``: build the inventory of a source tree and write it out."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ospo.errors import ExitCode


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the inventory JSON here.",
)
@click.option(
    "--cyclonedx",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write a CycloneDX 1.6 SBOM here: XML if FILE ends in .xml, JSON otherwise.",
)
@click.option(
    "--spdx",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write an SPDX 2.3 JSON SBOM here.",
)
@click.option(
    "--env",
    "envs",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Installed environment to read packages from: a virtualenv, a site-packages "
    "directory, a Python interpreter or a node_modules tree; repeatable.",
)
@click.option(
    "--import-sbom",
    "import_sboms",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An SBOM made by another tool (CycloneDX 1.2-1.6 JSON or XML, SPDX 2.2/2.3 JSON or "
    "tag-value) whose components join the inventory; repeatable.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for ScanCode [default: all cores].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="GLOB",
    help="Leave out paths matching GLOB (** spans directories); repeatable.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds allowed per file [default: 120, or scan.timeout].",
)
@click.option(
    "--max-file-size",
    default=None,
    metavar="SIZE",
    help="Skip files larger than SIZE, e.g. 5MB [default: 5MB, or scan.max_file_size].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file [default: PATH/.ospo.yml].",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def scan(
    path: Path,
    output: Path | None,
    cyclonedx: Path | None,
    spdx: Path | None,
    envs: tuple[Path, ...],
    import_sboms: tuple[Path, ...],
    jobs: int | None,
    no_cache: bool,
    excludes: tuple[str, ...],
    timeout: float | None,
    max_file_size: str | None,
    config_path: Path | None,
    quiet: bool,
) -> int:
    """Scan PATH (default: .) for licenses, copyrights and vendored code."""
    from ospo.api import ScanSettings, scan_tree, write_outputs
    from ospo.config import parse_size

    max_size = None
    if max_file_size is not None:
        try:
            max_size = parse_size(max_file_size)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--max-file-size") from None
    settings = ScanSettings(
        jobs=jobs or os.cpu_count() or 1,
        use_cache=not no_cache,
        excludes=excludes,
        timeout=timeout,
        max_file_size=max_size,
        config_path=config_path,
        envs=envs,
        import_sboms=import_sboms,
    )
    with _Progress(enabled=not quiet and sys.stderr.isatty()) as progress:
        outcome = scan_tree(path, settings, progress=progress.update)
    for warning in outcome.warnings:
        click.echo(f"ospo: warning: {warning}", err=True)
    written = write_outputs(
        outcome.inventory,
        inventory_path=output,
        cyclonedx_path=cyclonedx,
        spdx_path=spdx,
        root=path,
    )
    if not quiet:
        from ospo.reporters.base import RenderOptions
        from ospo.reporters.summary import ScanSummaryReporter

        click.echo(ScanSummaryReporter().render(outcome.inventory, RenderOptions()), nl=False)
        for what, where in written:
            click.echo(f"Wrote {what}: {where}")
    if any(i.kind.value == "scan-error" for i in outcome.inventory.scan.issues):
        click.echo(
            "ospo: error: ScanCode failed on some files (see Issues); outputs were "
            "written with those files unscanned",
            err=True,
        )
        return int(ExitCode.OPERATIONAL_FAILURE)
    return int(ExitCode.PASS)


class _Progress:
    """A progress bar on stderr while ScanCode works; nothing when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._shown = 0

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
                length=total, label="Matching files", file=sys.stderr, show_pos=True, show_eta=True
            )
            self._bar.__enter__()
        self._bar.update(done - self._shown)
        self._shown = done
