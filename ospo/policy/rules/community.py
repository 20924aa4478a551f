# SPDX-License-Identifier: Apache-2.0
"""Community and Competition rules on project health, measured from local git clones.

The organisation's own projects (``community.own_projects``, and the product itself when
``community.product`` says so) must meet the health thresholds. Dependencies get health
data from local clones the policy maps to their purls (``community.dependencies``): offline,
from the same history ``ospo health`` reads. The projects are measured before the rules run
(:func:`ospo.health.projects.measured_projects`, in ``RuleContext.health``): the health
package judges licenses with the policy, so the policy does not import it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ospo.errors import InputError
from ospo.evaluation import Finding, Severity
from ospo.policy.model import RuleDoc
from ospo.policy.rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from ospo.health.model import RepoHealth
    from ospo.health.projects import MeasuredProject


def _community(ctx: RuleContext) -> Mapping[str, Any]:
    community: Mapping[str, Any] = ctx.policy.data.get("community", {})
    return community


_FIX_HEALTH = (
    "Run `ospo health {path}` to see the figures; bring the project back within the "
    "thresholds (more maintainers, a release), or change community.thresholds in the "
    "policy, or ask the OSRB and record it with `ospo decide`."
)


class CommunityHealthRule(Rule):
    """The organisation's own projects meet their health thresholds; a dependency whose
    clone shows it dormant, or dominated by a competitor, is reported.

    One rule for both families, so that each clone's history is read once per check."""

    name = "community-health"
    docs = (
        RuleDoc(
            rule="community/own-project-health",
            summary="one of the organisation's own projects is at risk or dormant by the "
            "policy's health thresholds",
        ),
        RuleDoc(
            rule="community/dormant-dependency",
            summary="a dependency whose local clone shows no recent activity (dormant)",
        ),
        RuleDoc(
            rule="competition/competitor-dominated",
            summary="a dependency whose elephant factor is 1 and whose dominant "
            "organisation is on the policy's competitor list",
        ),
        RuleDoc(
            rule="competition/no-health-data",
            summary="a dependency's clone named in community.dependencies cannot be read",
        ),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield a finding per own project that misses its thresholds, and per dependency
        that is dormant or dominated by a competitor."""
        if ctx.partial or ctx.health is None:  # a commit's files say nothing about health
            return
        measured: tuple[MeasuredProject, ...] = ctx.health
        for project in measured:
            if project.component is None:
                yield from self._own(project.label, project.health)
        for project in measured:
            if project.component is not None:
                yield from self._dependency(ctx, project)

    def _own(self, entry: str, measured: RepoHealth | InputError) -> Iterator[Finding]:
        if isinstance(measured, InputError):
            yield Finding(
                rule="community/own-project-health",
                severity=Severity.WARNING,
                path=entry,
                message=f"own project {entry} cannot be measured: {measured.message}",
                how_to_fix="Point community.own_projects at a full local clone of the "
                "project (not shallow, with its history).",
            )
            return
        if measured.verdict.value == "active":
            return
        yield Finding(
            rule="community/own-project-health",
            severity=Severity.WARNING,
            path=entry,
            message=f"own project {entry} is {measured.verdict.value}: "
            + "; ".join(measured.reasons),
            how_to_fix=_FIX_HEALTH.format(path=entry),
        )

    def _dependency(self, ctx: RuleContext, project: MeasuredProject) -> Iterator[Finding]:
        purl, name, path, measured = (
            project.component or "",
            project.label,
            project.path,
            project.health,
        )
        if isinstance(measured, InputError):
            yield Finding(
                rule="competition/no-health-data",
                severity=Severity.WARNING,
                component=purl,
                message=f"{name}: the clone {path} cannot be measured: {measured.message}",
                how_to_fix="Clone the dependency's repository with its whole history at "
                "the path community.dependencies gives, or correct that path.",
            )
            return
        if measured.verdict.value == "dormant":
            yield Finding(
                rule="community/dormant-dependency",
                severity=Severity.WARNING,
                component=purl,
                message=f"{name} is dormant (its clone {path}): " + "; ".join(measured.reasons),
                how_to_fix="Replace the dependency with a maintained one, or plan to maintain "
                "it (fork); or ask the OSRB and record it with `ospo decide`.",
            )
        community = _community(ctx)
        competitors = {str(c).lower() for c in community.get("competitors", [])}
        dominant = measured.dominant_organisation
        if measured.elephant_factor != 1 or dominant is None or not competitors:
            return
        if not project.dominant_names & competitors:
            return
        yield Finding(
            rule="competition/competitor-dominated",
            severity=Severity.WARNING,
            component=purl,
            message=f"{name} is dominated by competitor {dominant}: elephant factor 1, "
            f"{measured.dominant_share:.0%} of the attributed commits of the last 365 "
            f"days (coverage {measured.elephant_coverage:.0%} of "
            f"{measured.activity.commits_365d} commits attributed to an organisation)",
            how_to_fix="Ask the OSRB whether depending on a competitor-controlled project "
            "is acceptable (record it with `ospo decide`), or plan an alternative.",
        )
