# SPDX-License-Identifier: Apache-2.0
"""``ospo decide``: record an OSRB decision (a waiver) in the waivers file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import FILE, DateType, DecisionType, RoleType, SpdxExpressionType
from ospo.errors import ExitCode


@click.command(
    help="Record an OSRB decision; `ospo check` applies it from then on.\n\n"
    "Say what it is about with at least one of --component, --path and --license.",
    context_settings=CONTEXT,
)
@click.option("--rule", required=True, help="Rule id, e.g. license/review (or license/*).")
@click.option("--decision", required=True, type=DecisionType())
@click.option("--approver", required=True, help="Who decided.")
@click.option("--role", required=True, type=RoleType())
@click.option("--reason", required=True, help="Why, in a sentence.")
@click.option("--component", "purl", help="Package URL (a version pins it to that version).")
@click.option(
    "--path", "path_glob", metavar="GLOB", help="File path (glob) for findings about files."
)
@click.option(
    "--license",
    "license_expr",
    type=SpdxExpressionType(),
    metavar="EXPRESSION",
    help="Only findings about this license.",
)
@click.option("--versions", metavar="RANGE", help="Version range, e.g. vers:npm/>=1.0.0|<2.0.0.")
@click.option("--ticket", help="Tracking ticket, e.g. OSRB-42.")
@click.option(
    "--expires", type=DateType(), metavar="YYYY-MM-DD", help="Last day the decision holds."
)
@click.option(
    "--waivers",
    "waivers_path",
    type=FILE,
    default=Path(".ospo") / "waivers.yml",
    show_default=True,
    metavar="FILE",
)
def decide(
    rule: str,
    decision: str,
    approver: str,
    role: str,
    reason: str,
    purl: str | None,
    path_glob: str | None,
    license_expr: str | None,
    versions: str | None,
    ticket: str | None,
    expires: date | None,
    waivers_path: Path,
) -> int:
    """Record the decision in the waivers file."""
    from ospo.policy.decisions import record_decision

    if not (purl or path_glob or license_expr):
        raise click.UsageError("say what the decision is about: --component, --path or --license")
    entry = {
        "rule": rule,
        "component": purl,
        "versions": versions,
        "license": license_expr,
        "path": path_glob,
        "decision": decision,
        "reason": reason,
        "approver": approver,
        "role": role,
        "ticket": ticket,
        "date": date.today().isoformat(),
        "expires": expires.isoformat() if expires is not None else None,
    }
    count = record_decision(waivers_path, {k: v for k, v in entry.items() if v is not None})
    say(
        f"Recorded decision {count} in {waivers_path}: {decision} {rule} for "
        f"{purl or path_glob or license_expr}"
    )
    return int(ExitCode.PASS)
