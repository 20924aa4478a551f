# SPDX-License-Identifier: Apache-2.0
"""Community and Competition rules on project health, measured from local git clones.

The organisation's own projects (``community.own_projects``, and the product itself when
``community.product`` says so) must meet the health thresholds. Dependencies get health
data from local clones the policy maps to their purls (``community.dependencies``): offline,
from the same history ``ospo health`` reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo.errors import InputError
from ospo.evaluation import Finding, Severity
from ospo.health.model import RepoHealth
from ospo.policy.matching import purl_matches
from ospo.policy.model import Profile, RuleDoc
from ospo.policy.rules.base import Rule, RuleContext

if TYPE_CHECKING:
    from ospo.model import Component
    from ospo.policy.loader import Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasuredProject:
    """A project whose health the policy asks about, and what its clone says."""

    label: str  # the policy's entry for an own project ("." for the product), else the name
    path: Path
    component: str | None  # the purl, for a dependency
    health: RepoHealth | InputError


def measured_projects(
    policy: Policy,
    root: Path | None,
    profile: Profile,
    components: Sequence[Component],
    today: date,
) -> list[MeasuredProject]:
    """The organisation's own projects, then the dependencies mapped to local clones, each
    measured as ``ospo health`` measures it (without the license history)."""
    from ospo.health import HealthSettings

    community: Mapping[str, Any] = policy.data.get("community", {})
    settings = HealthSettings.from_policy(policy)
    own = [(str(entry), _resolve(root, entry)) for entry in community.get("own_projects", [])]
    product = community.get("product", "auto")
    if (
        root is not None
        and (product is True or (product == "auto" and profile is Profile.SOURCE))
        and (root / ".git").exists()
    ):
        own.insert(0, (".", root))
    out = [
        MeasuredProject(
            label=label, path=path, component=None, health=_measure(path, today, settings)
        )
        for label, path in own
    ]
    entries = community.get("dependencies", [])
    for comp in components if entries else ():
        for entry in entries:
            if purl_matches(entry["purl"], comp.purl):
                path = _resolve(root, entry["path"])
                health = _measure(path, today, settings)
                out.append(
                    MeasuredProject(label=comp.name, path=path, component=comp.purl, health=health)
                )
                break
    return out


def _measure(path: Path, today: date, settings: Any) -> RepoHealth | InputError:
    from ospo.health import repository_health

    try:
        return repository_health(path, today, settings, licenses=False)
    except InputError as exc:
        return exc


def _resolve(root: Path | None, entry: str) -> Path:
    """A path of the policy, relative to the product's root (else the current directory)."""
    path = Path(entry).expanduser()
    return path if path.is_absolute() or root is None else root / path


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
        if ctx.partial:  # a commit's files say nothing about a project's health
            return
        measured = measured_projects(
            ctx.policy, ctx.root, ctx.profile, ctx.inventory.components, ctx.today
        )
        for project in measured:
            if project.component is None:
                yield from self._own(project.label, project.health)
        for project in measured:
            if project.component is not None:
                yield from self._dependency(
                    ctx, project.component, project.label, project.path, project.health
                )

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

    def _dependency(
        self, ctx: RuleContext, purl: str, name: str, path: Path, measured: RepoHealth | InputError
    ) -> Iterator[Finding]:
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
        from ospo.health.orgs import Attribution

        if not Attribution.from_policy(community).names(dominant) & competitors:
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
