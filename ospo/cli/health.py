# SPDX-License-Identifier: Apache-2.0
"""``ospo health``: activity, contributor diversity, releases and relicensing of git clones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import ANY_PATH, FILE, DateType
from ospo.errors import ExitCode, InputError


@click.command(
    help="Measure the health of local git clones REPO... (default: .) from their history: "
    "activity, contributor absence and elephant factors, new contributors, releases, the "
    "license at each release, and a verdict by the policy's thresholds. Exit 2 when a REPO "
    "cannot be read (the others are still reported).",
    context_settings=CONTEXT,
)
@click.argument("repos", nargs=-1, type=ANY_PATH, metavar="[REPO]...")
@click.option(
    "--as-of",
    "as_of",
    # git's dates are Unix times; the windows reach a year back and a day forward
    type=DateType(within=(date(1971, 1, 1), date(9998, 12, 31))),
    help="Measure as of the end of this day (UTC) [default: today].",
)
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
@click.option(
    "--policy",
    "policy_path",
    type=FILE,
    metavar="FILE",
    help="Policy file (thresholds, organisations) [default: policy: in .ospo.yml, else the "
    "shipped default].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
def health(
    repos: tuple[Path, ...],
    as_of: date | None,
    fmt: str,
    policy_path: Path | None,
    no_cache: bool,
) -> int:
    """Measure each repository, print the report, and exit 2 if one could not be read."""
    from ospo.api import CheckSettings, settings_policy
    from ospo.health import HealthSettings, repository_health
    from ospo.health.render import render_json, render_text

    settings = HealthSettings.from_policy(
        settings_policy(CheckSettings(policy_path=policy_path), Path.cwd())
    )
    day = as_of or datetime.now(UTC).date()
    reports = []
    failed = False
    for repo in repos or (Path("."),):
        try:
            reports.append(repository_health(repo, day, settings, use_cache=not no_cache))
        except InputError as exc:
            say(f"ospo: {exc}", err=True)
            failed = True
    say(render_json(reports) if fmt == "json" else render_text(reports), end="")
    return int(ExitCode.INPUT_ERROR if failed else ExitCode.PASS)
