# SPDX-License-Identifier: Apache-2.0
"""``ospo health`` for machines (JSON, the keys DESIGN.md fixes first) and for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ospo.health.model import RepoHealth

HEALTH_SCHEMA_VERSION = 1
_BARS = " ▁▂▃▄▅▆▇█"


def to_json(report: RepoHealth) -> dict[str, Any]:
    """One repository's entry of the JSON list."""
    counts = report.activity
    return {
        "path": report.path,
        "commits_90d": counts.commits_90d,
        "commits_365d": counts.commits_365d,
        "active_contributors_90d": len(counts.authors_90d),
        "days_since_last_commit": counts.days_since_last_commit,
        "contributor_absence_factor": report.contributor_absence_factor,
        "elephant_factor": report.elephant_factor,
        "days_since_last_release": report.days_since_last_release,
        "verdict": report.verdict.value,
        "reasons": list(report.reasons),
        "schema_version": HEALTH_SCHEMA_VERSION,
        "as_of": report.as_of,
        "active_contributors_365d": len(counts.authors_365d),
        "contributor_absence_factor_90d": report.contributor_absence_factor_90d,
        "authors_365d": dict(sorted(counts.authors_365d.items(), key=lambda kv: (-kv[1], kv[0]))),
        "bot_commits_365d": counts.bot_commits_365d,
        "elephant_coverage": round(report.elephant_coverage, 4),
        "dominant_organisation": report.dominant_organisation,
        "dominant_share": round(report.dominant_share, 4),
        "organisations_365d": dict(
            sorted(counts.organisations_365d.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        "individual_commits_365d": counts.individual_commits_365d,
        "first_commit": counts.first_commit,
        "last_commit": counts.last_commit,
        "total_commits": counts.total_commits,
        "monthly_commits": [{"month": m, "commits": n} for m, n in counts.monthly],
        "new_contributors": [{"quarter": q, "count": n} for q, n in counts.new_contributors],
        "new_contributors_365d": counts.new_contributors_365d,
        "releases": [{"tag": r.tag, "date": r.date} for r in report.releases],
        "median_days_between_releases": report.median_days_between_releases,
        "license_history": [
            {
                "tag": s.tag,
                "date": s.date,
                "files": list(s.files),
                "license": s.expression,
                "undetected_files": list(s.undetected),
            }
            for s in report.license_history
        ],
        "license_changes": [
            {
                "tag": c.tag,
                "date": c.date,
                "previous_tag": c.previous_tag,
                "before": c.before,
                "after": c.after,
                "files_before": list(c.files_before),
                "files_after": list(c.files_after),
                "categories": list(c.categories),
                "classes": list(c.classes),
                "open_source": c.open_source,
                "needs_review": c.needs_review,
            }
            for c in report.license_changes
        ],
        "issues": list(report.issues),
    }


def render_json(reports: Sequence[RepoHealth]) -> str:
    """The JSON list of every repository measured."""
    return json.dumps([to_json(r) for r in reports], indent=2, ensure_ascii=False) + "\n"


def sparkline(values: Sequence[int]) -> str:
    """A one-line bar chart, one character per value, scaled to the largest."""
    top = max(values, default=0)
    if top == 0:
        return _BARS[0] * len(values)
    return "".join(_BARS[0 if v == 0 else 1 + (v * 7) // top] for v in values)


def render_text(reports: Sequence[RepoHealth]) -> str:
    """A short report per repository, for people."""
    out: list[str] = []
    for r in reports:
        a = r.activity
        out.append(f"{r.path}: {r.verdict.value} (as of {r.as_of})")
        out.extend(f"  - {reason}" for reason in r.reasons)
        out.append(
            f"  commits: {a.commits_90d} in 90 days, {a.commits_365d} in 365 days"
            f" ({a.bot_commits_365d} more by bots); last "
            + (
                f"{a.days_since_last_commit} days ago"
                if a.days_since_last_commit is not None
                else "never"
            )
        )
        if a.monthly:
            months = [n for _, n in a.monthly]
            out.append(
                f"  monthly:  {a.monthly[0][0]} |{sparkline(months)}| {a.monthly[-1][0]}"
                f"  (max {max(months)})"
            )
        out.append(
            f"  contributors: {len(a.authors_90d)} active in 90 days, {len(a.authors_365d)} "
            f"in 365 days; absence factor {r.contributor_absence_factor}; new per quarter "
            + ", ".join(f"{q} {n}" for q, n in a.new_contributors[-4:])
        )
        if r.elephant_factor is None:
            out.append("  elephant factor: none (no commit attributed to an organisation)")
        else:
            out.append(
                f"  elephant factor: {r.elephant_factor} (coverage {r.elephant_coverage:.0%};"
                f" {r.dominant_organisation} {r.dominant_share:.0%} of attributed commits)"
            )
        if r.releases:
            last = r.releases[-1]
            out.append(
                f"  releases: {len(r.releases)}; last {last.tag} on {last.date} "
                f"({r.days_since_last_release} days ago)"
                + (
                    f"; a release every {r.median_days_between_releases:g} days (median)"
                    if r.median_days_between_releases is not None
                    else ""
                )
            )
        else:
            out.append("  releases: no release-like tag")
        if r.license_history:
            first = r.license_history[0]
            out.append(f"  license at {first.tag}: {first.expression or 'none found'}")
        for c in r.license_changes:
            kind = (
                "needs review: a license text is not recognised"
                if c.needs_review
                else "open source"
                if c.open_source
                else "not open source"
            )
            out.append(
                f"  license changed at {c.tag} ({c.date}): {c.before or 'none'} -> "
                f"{c.after or 'none'} [{', '.join(c.categories) or 'no license'}; {kind}]"
                f" files {', '.join(c.files_before) or '-'} -> {', '.join(c.files_after) or '-'}"
            )
        out.extend(f"  issue: {issue}" for issue in r.issues)
    return "\n".join(out) + ("\n" if out else "")
