# SPDX-License-Identifier: Apache-2.0
"""``ospo decide``: record an OSRB decision (a waiver) in the waivers file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ospo.errors import ExitCode


@click.command()
@click.option("--rule", required=True, help="Rule id, e.g. license/review (or license/*).")
@click.option("--component", "purl", help="Package URL (a version pins it to that version).")
@click.option("--path", "file_path", help="File path (glob) for findings about files.")
@click.option("--license", "license_expr", help="Only findings about this license.")
@click.option("--versions", help="Version range, e.g. vers:npm/>=1.0.0|<2.0.0.")
@click.option("--decision", required=True, type=click.Choice(["approve", "deny"]))
@click.option("--approver", required=True, help="Who decided.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["engineering", "product", "legal", "compliance", "osrb"]),
)
@click.option("--reason", required=True, help="Why, in a sentence.")
@click.option("--ticket", help="Tracking ticket, e.g. OSRB-42.")
@click.option(
    "--expires",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day the decision holds (YYYY-MM-DD).",
)
@click.option(
    "--waivers",
    "waivers_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(".ospo") / "waivers.yml",
    show_default=True,
)
def decide(
    rule: str,
    purl: str | None,
    file_path: str | None,
    license_expr: str | None,
    versions: str | None,
    decision: str,
    approver: str,
    role: str,
    reason: str,
    ticket: str | None,
    expires: object,
    waivers_path: Path,
) -> int:
    """Record an OSRB decision; `ospo check` applies it from then on."""
    from ospo.policy.decisions import record_decision

    if not (purl or file_path or license_expr):
        raise click.UsageError("say what the decision is about: --component, --path or --license")
    entry = {
        "rule": rule,
        "component": purl,
        "versions": versions,
        "license": license_expr,
        "path": file_path,
        "decision": decision,
        "reason": reason,
        "approver": approver,
        "role": role,
        "ticket": ticket,
        "date": date.today().isoformat(),
        "expires": expires.date().isoformat() if isinstance(expires, datetime) else None,
    }
    count = record_decision(waivers_path, {k: v for k, v in entry.items() if v is not None})
    click.echo(
        f"Recorded decision {count} in {waivers_path}: {decision} {rule} for "
        f"{purl or file_path or license_expr}"
    )
    return int(ExitCode.PASS)
