# SPDX-License-Identifier: Apache-2.0
"""Project health from local git clones (``ospo health``): activity, contributor absence
and elephant factors, first-time contributors, releases, the license at each release, and
a verdict by the policy's thresholds.

Everything comes from the repository's own history, offline: one streamed ``git log``,
one ``git for-each-ref`` and one ``git cat-file --batch`` per repository.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any

from ospo.health.history import Window, absence_factor, activity, open_repository, release_tags
from ospo.health.model import Activity, HealthVerdict, LicenseChange, LicenseState, RepoHealth
from ospo.health.orgs import Attribution
from ospo.policy.loader import Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    """The policy's health thresholds; None leaves a check out."""

    dormant_after_days: int | None = 365
    max_days_since_last_commit: int | None = 90
    min_active_contributors_90d: int | None = 2
    min_contributor_absence_factor: int | None = 2
    min_new_contributors_365d: int | None = 1
    max_days_since_last_release: int | None = 365

    @classmethod
    def from_policy(cls, community: Mapping[str, Any]) -> Thresholds:
        """Read ``community.thresholds``; what it leaves out keeps the value above."""
        given = community.get("thresholds", {})
        return cls(**{k: given[k] for k in cls.__dataclass_fields__ if k in given})


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthSettings:
    """How ``ospo health`` attributes authors and judges a project."""

    attribution: Attribution
    thresholds: Thresholds
    policy: Policy

    @classmethod
    def from_policy(cls, policy: Policy) -> HealthSettings:
        """The settings of the policy's ``community`` section."""
        community = policy.data.get("community", {})
        return cls(
            attribution=Attribution.from_policy(community),
            thresholds=Thresholds.from_policy(community),
            policy=policy,
        )


def repository_health(
    path: Path,
    as_of: date,
    settings: HealthSettings,
    *,
    licenses: bool = True,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> RepoHealth:
    """Measure the repository at ``path`` as of the end of ``as_of`` (UTC).

    Raises :class:`~ospo.errors.InputError` for a path that is not a usable repository
    (missing, not git, empty, shallow). ``licenses`` reads the license files at each
    release tag (ScanCode, through the result cache).
    """
    open_repository(path)
    window = Window(as_of=as_of)
    counts = activity(path, window, settings.attribution)
    tagged = release_tags(path, window)
    releases = tuple(release for release, _ in tagged)
    states: tuple[LicenseState, ...] = ()
    changes: tuple[LicenseChange, ...] = ()
    issues: tuple[str, ...] = ()
    if licenses and tagged:
        from ospo.health.licenses import license_changes, license_history
        from ospo.policy.judge import Classifier

        states, issues = license_history(path, tagged, cache_dir=cache_dir, use_cache=use_cache)
        changes = license_changes(states, Classifier(settings.policy))
    orgs = counts.organisations_365d
    attributed = sum(orgs.values())
    dominant = max(sorted(orgs), key=lambda o: orgs[o]) if orgs else None
    days_since_release = (
        (as_of - date.fromisoformat(max(r.date for r in releases))).days if releases else None
    )
    days = [date.fromisoformat(r.date) for r in releases]
    gaps = [(later - earlier).days for earlier, later in pairwise(days)]
    verdict, reasons = judge(counts, days_since_release, settings.thresholds)
    return RepoHealth(
        path=str(path),
        as_of=as_of.isoformat(),
        activity=counts,
        contributor_absence_factor=absence_factor(counts.authors_365d),
        contributor_absence_factor_90d=absence_factor(counts.authors_90d),
        elephant_factor=absence_factor(orgs) if orgs else None,
        elephant_coverage=attributed / counts.commits_365d if counts.commits_365d else 0.0,
        dominant_organisation=dominant,
        dominant_share=orgs[dominant] / attributed if dominant is not None else 0.0,
        releases=releases,
        days_since_last_release=days_since_release,
        median_days_between_releases=float(median(gaps)) if gaps else None,
        license_history=states,
        license_changes=changes,
        verdict=verdict,
        reasons=reasons,
        issues=issues,
    )


def judge(
    counts: Activity, days_since_release: int | None, limits: Thresholds
) -> tuple[HealthVerdict, tuple[str, ...]]:
    """The verdict and the thresholds the project misses."""
    reasons: list[str] = []
    days = counts.days_since_last_commit
    dormant = days is None or (
        limits.dormant_after_days is not None and days > limits.dormant_after_days
    )
    if days is None:
        reasons.append("no commit by a person up to the as-of day")
    elif limits.dormant_after_days is not None and days > limits.dormant_after_days:
        reasons.append(f"last commit {days} days ago (dormant after {limits.dormant_after_days})")
    elif limits.max_days_since_last_commit is not None and days > limits.max_days_since_last_commit:
        reasons.append(
            f"last commit {days} days ago (more than {limits.max_days_since_last_commit})"
        )
    active = len(counts.authors_90d)
    if (
        limits.min_active_contributors_90d is not None
        and active < limits.min_active_contributors_90d
    ):
        reasons.append(
            f"{active} active contributor{'s' if active != 1 else ''} in the last 90 days "
            f"(fewer than {limits.min_active_contributors_90d})"
        )
    factor = absence_factor(counts.authors_365d)
    if (
        limits.min_contributor_absence_factor is not None
        and factor < limits.min_contributor_absence_factor
    ):
        reasons.append(
            f"contributor absence factor {factor} over 365 days "
            f"(below {limits.min_contributor_absence_factor})"
        )
    new = counts.new_contributors_365d
    if limits.min_new_contributors_365d is not None and new < limits.min_new_contributors_365d:
        reasons.append(
            f"{new} new contributor{'s' if new != 1 else ''} in 365 days "
            f"(fewer than {limits.min_new_contributors_365d})"
        )
    if (
        days_since_release is not None
        and limits.max_days_since_last_release is not None
        and days_since_release > limits.max_days_since_last_release
    ):
        reasons.append(
            f"last release {days_since_release} days ago "
            f"(more than {limits.max_days_since_last_release})"
        )
    if dormant:
        return HealthVerdict.DORMANT, tuple(reasons)
    return (HealthVerdict.AT_RISK if reasons else HealthVerdict.ACTIVE), tuple(reasons)


__all__ = ["HealthSettings", "RepoHealth", "Thresholds", "judge", "repository_health"]
