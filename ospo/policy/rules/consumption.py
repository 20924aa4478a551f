# SPDX-License-Identifier: Apache-2.0
"""Consumption rules: packages the organisation bans or wants reviewed, new dependencies."""

from __future__ import annotations

from collections.abc import Iterator

from ospo.evaluation import Finding, Severity
from ospo.policy.matching import purl_matches, version_in_range
from ospo.policy.model import RuleDoc
from ospo.policy.rules.base import Rule, RuleContext


class PackageListRule(Rule):
    """Packages denied or needing review by purl pattern and version range."""

    name = "package-list"
    docs = (
        RuleDoc(
            rule="consumption/denied-package", summary="a package (or version) the policy bans"
        ),
        RuleDoc(
            rule="consumption/review-package",
            summary="a package (or version) the policy wants reviewed",
        ),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield a finding for each component on the deny or review list."""
        consumption = ctx.policy.data.get("consumption", {})
        lists = (
            ("consumption/denied-package", Severity.ERROR, consumption.get("deny", [])),
            ("consumption/review-package", Severity.WARNING, consumption.get("review", [])),
        )
        for comp in ctx.inventory.components:
            for rule, severity, entries in lists:
                entry = next(
                    (
                        e
                        for e in entries
                        if purl_matches(e["purl"], comp.purl)
                        and ("versions" not in e or version_in_range(e["versions"], comp.version))
                    ),
                    None,
                )
                if entry is None:
                    continue
                reason = entry.get("reason") or "listed in the policy"
                versions = f" {entry['versions']}" if "versions" in entry else ""
                yield Finding(
                    rule=rule,
                    severity=severity,
                    component=comp.purl,
                    license=comp.license_expression,
                    message=f"{comp.name}@{comp.version or '?'} matches {entry['purl']}{versions}: "
                    f"{reason}",
                    how_to_fix="Remove or replace the package (or move to a version outside the "
                    "listed range)"
                    + (
                        ""
                        if severity is Severity.ERROR
                        else "; or ask the OSRB and record it with `ospo decide`"
                    )
                    + ".",
                )
                break


class NewDependencyRule(Rule):
    """With a baseline, a dependency that was not there before needs a review."""

    name = "new-dependency"
    docs = (
        RuleDoc(
            rule="consumption/new-dependency",
            summary="a dependency that is not in the baseline (when the policy asks)",
        ),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield a review finding for each component not in the baseline."""
        if ctx.baseline is None:
            return
        if not ctx.policy.data.get("consumption", {}).get("review_new_dependencies", False):
            return
        before = {_package(c.purl) for c in ctx.baseline.components}
        for comp in ctx.inventory.components:
            if _package(comp.purl) not in before:
                yield Finding(
                    rule="consumption/new-dependency",
                    severity=Severity.WARNING,
                    component=comp.purl,
                    license=comp.license_expression,
                    message=f"{comp.name} is a new dependency since the baseline",
                    how_to_fix="Ask the OSRB to approve the new dependency and record it with "
                    "`ospo decide`.",
                )


def _package(purl: str) -> str:
    return purl.split("@", 1)[0].split("?", 1)[0].lower()
