# SPDX-License-Identifier: Apache-2.0
"""OSRB decisions (waivers): loading, structural matching, expiry.

A waiver matches a finding on its rule id (or ``family/*``), and on whichever of component
purl (with or without version), version range (``vers:``), license and path it names —
never on message text. ``approve`` waives the finding; ``deny`` confirms it and makes it an
error. An expired waiver no longer covers anything and is itself reported, and so is a
waiver that matched nothing.
"""

from __future__ import annotations

import datetime
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ospo import licensing
from ospo.documents import line_of, load_yaml_document, require_expression
from ospo.errors import ConfigError, quote
from ospo.evaluation import Decision, Finding, Role, Severity, WaiverRef
from ospo.policy.matching import purl_matches, version_in_range
from ospo.policy.model import RuleDoc

DEFAULT_WAIVERS = Path(".ospo") / "waivers.yml"

WAIVER_DOCS = (
    RuleDoc(rule="waiver/expired", summary="an OSRB decision has expired and covers nothing"),
    RuleDoc(rule="waiver/unused", summary="an OSRB decision matches no finding"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Waiver:
    """One recorded decision."""

    rule: str
    decision: Decision
    reason: str
    approver: str
    role: Role
    date: str
    component: str | None = None
    versions: str | None = None
    license: str | None = None
    path: str | None = None
    ticket: str | None = None
    expires: str | None = None
    source: str = ""  # file:line

    def ref(self) -> WaiverRef:
        """The reference a covered finding carries."""
        return WaiverRef(
            decision=self.decision,
            approver=self.approver,
            role=self.role,
            reason=self.reason,
            ticket=self.ticket,
            expires=self.expires,
            source=self.source,
            date=self.date,
        )

    def expired(self, today: datetime.date) -> bool:
        """Whether the decision has expired (it covers the day it expires)."""
        return self.expires is not None and datetime.date.fromisoformat(self.expires) < today

    def matches(self, finding: Finding) -> bool:
        """Whether this decision is about ``finding`` (structurally)."""
        if self.rule.endswith("/*"):
            if not finding.rule.startswith(self.rule[:-1]):
                return False
        elif self.rule != finding.rule:
            return False
        if self.component is not None:
            if finding.component is None or not purl_matches(self.component, finding.component):
                return False
            if self.versions is not None:
                version = (
                    finding.component.split("@", 1)[1].split("?")[0]
                    if "@" in finding.component
                    else None
                )
                # the OSRB decided on the versions of the range, not on one it cannot place
                if not version_in_range(self.versions, version, unplaced=False):
                    return False
        if self.license is not None:
            wanted = licensing.normalize(self.license) or self.license
            have = {
                licensing.normalize(x) or x for x in (finding.license, finding.elected_license) if x
            }
            if wanted not in have:
                return False
        return self.path is None or (
            finding.path is not None and fnmatch.fnmatchcase(finding.path, self.path)
        )


def load_waivers(path: Path) -> tuple[Waiver, ...]:
    """Read and validate a waivers file; raise ConfigError with file and line on errors."""
    data, node = load_yaml_document(path, "waivers.schema.json")
    waivers = []
    for index, item in enumerate(data.get("waivers", [])):
        line = line_of(node, ["waivers", index])
        for key in ("date", "expires"):
            if item.get(key):
                _check_day(str(item[key]), f"waivers.{index}.{key}", path, line)
        if item.get("versions"):
            _check_range(item["versions"], f"waivers.{index}.versions", path, line)
        if item.get("license") is not None:  # else it would match no finding, in silence
            require_expression(str(item["license"]), f"waivers.{index}.license", path, line)
        waivers.append(
            Waiver(
                rule=item["rule"],
                decision=Decision(item["decision"]),
                reason=item["reason"],
                approver=item["approver"],
                role=Role(item["role"]),
                date=str(item["date"]),
                component=item.get("component"),
                versions=item.get("versions"),
                license=item.get("license"),
                path=item.get("path"),
                ticket=item.get("ticket"),
                expires=str(item["expires"]) if item.get("expires") else None,
                source=f"{path}:{line}" if line else str(path),
            )
        )
    return tuple(waivers)


def _check_day(text: str, where: str, path: Path, line: int | None) -> None:
    """Raise ConfigError if ``text`` (which has the schema's YYYY-MM-DD form) is not a day
    of the calendar (``2024-02-30``)."""
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"{where}: {quote(text)} is not a day of the calendar (YYYY-MM-DD)",
            path=str(path),
            line=line,
        ) from None


def _check_range(text: str, where: str, path: Path, line: int | None) -> None:
    """Raise ConfigError if ``text`` is not a ``vers:`` range univers can read: matching
    takes a version it cannot compare as inside the range, so a waiver with a range that
    does not parse would cover every version of the package."""
    from univers.version_range import VersionRange

    try:
        VersionRange.from_string(text)  # type: ignore[no-untyped-call]
    except Exception as exc:  # univers raises several unrelated types
        raise ConfigError(
            f"{where}: {quote(text)} is not a version range ({quote(str(exc))}); write it as "
            "vers:TYPE/CONSTRAINTS, e.g. vers:npm/>=1.0.0|<2.0.0",
            path=str(path),
            line=line,
        ) from None


def apply_waivers(
    findings: Sequence[Finding],
    waivers: Sequence[Waiver],
    today: datetime.date,
    *,
    partial: bool = False,
) -> list[Finding]:
    """Mark covered findings, and add findings for expired and unused waivers.

    ``partial``: the findings are those of some files only (a commit), which cannot tell
    that a waiver is unused, nor make a decision on another file this commit's business;
    an expired waiver is reported only when it matches one of these findings.
    """
    used: set[int] = set()
    out: list[Finding] = []
    for finding in findings:
        covering = None
        for index, waiver in enumerate(waivers):
            if waiver.matches(finding):
                used.add(index)
                if not waiver.expired(today):
                    covering = waiver
                    break
        if covering is None:
            out.append(finding)
        elif covering.decision is Decision.APPROVE:
            out.append(replace(finding, waived=True, waiver=covering.ref()))
        else:
            out.append(
                replace(
                    finding,
                    severity=Severity.ERROR,
                    waiver=covering.ref(),
                    message=f"{finding.message} — denied by OSRB decision ({covering.approver}, "
                    f"{covering.role}: {covering.reason})",
                    how_to_fix="The OSRB denied this; remove or replace it.",
                )
            )
    for index, waiver in enumerate(waivers):
        subject = waiver.component or waiver.path or waiver.license or "?"
        if partial and index not in used:
            continue
        if waiver.expired(today):
            out.append(
                Finding(
                    rule="waiver/expired",
                    severity=Severity.WARNING,
                    component=waiver.component,
                    path=waiver.path,
                    license=waiver.license,
                    message=f"the decision on {waiver.rule} for {subject} ({waiver.source}) "
                    f"expired on {waiver.expires}",
                    how_to_fix="Ask the OSRB to renew it (`ospo decide ... --expires`) or "
                    "remove it.",
                )
            )
        elif index not in used:
            out.append(
                Finding(
                    rule="waiver/unused",
                    severity=Severity.INFO,
                    component=waiver.component,
                    path=waiver.path,
                    license=waiver.license,
                    message=f"the decision on {waiver.rule} for {subject} ({waiver.source}) "
                    "matches no finding",
                    how_to_fix="Remove the waiver if what it decided is gone.",
                )
            )
    return out
