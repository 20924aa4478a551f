# SPDX-License-Identifier: Apache-2.0
"""``ospo decide``: record an OSRB decision (a waiver) in the waivers file."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ospo.cli import UsageError, file_path, iso_date, say
from ospo.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``decide``."""
    required = parser.add_argument_group("required")
    required.add_argument(
        "--rule", required=True, help="Rule id, e.g. license/review (or license/*)."
    )
    required.add_argument("--decision", required=True, choices=("approve", "deny"))
    required.add_argument("--approver", required=True, help="Who decided.")
    required.add_argument(
        "--role", required=True, choices=("engineering", "product", "legal", "compliance", "osrb")
    )
    required.add_argument("--reason", required=True, help="Why, in a sentence.")
    about = parser.add_argument_group("what it is about (at least one)")
    about.add_argument(
        "--component", dest="purl", help="Package URL (a version pins it to that version)."
    )
    about.add_argument(
        "--path",
        dest="file_path",
        metavar="GLOB",
        help="File path (glob) for findings about files.",
    )
    about.add_argument(
        "--license",
        dest="license_expr",
        metavar="EXPRESSION",
        help="Only findings about this license.",
    )
    parser.add_argument(
        "--versions", metavar="RANGE", help="Version range, e.g. vers:npm/>=1.0.0|<2.0.0."
    )
    parser.add_argument("--ticket", help="Tracking ticket, e.g. OSRB-42.")
    parser.add_argument(
        "--expires",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="Last day the decision holds (YYYY-MM-DD).",
    )
    parser.add_argument(
        "--waivers",
        dest="waivers_path",
        type=file_path,
        default=Path(".ospo") / "waivers.yml",
        metavar="FILE",
        help="[default: .ospo/waivers.yml]",
    )
    parser.set_defaults(handler=decide)


def decide(args: argparse.Namespace) -> int:
    """Record the decision in the waivers file."""
    from ospo.policy.decisions import record_decision

    purl, path_glob, license_expr = args.purl, args.file_path, args.license_expr
    rule, decision, waivers_path = args.rule, args.decision, args.waivers_path
    if not (purl or path_glob or license_expr):
        raise UsageError("say what the decision is about: --component, --path or --license")
    entry = {
        "rule": rule,
        "component": purl,
        "versions": args.versions,
        "license": license_expr,
        "path": path_glob,
        "decision": decision,
        "reason": args.reason,
        "approver": args.approver,
        "role": args.role,
        "ticket": args.ticket,
        "date": date.today().isoformat(),
        "expires": args.expires.isoformat() if args.expires is not None else None,
    }
    count = record_decision(waivers_path, {k: v for k, v in entry.items() if v is not None})
    say(
        f"Recorded decision {count} in {waivers_path}: {decision} {rule} for "
        f"{purl or path_glob or license_expr}"
    )
    return int(ExitCode.PASS)
