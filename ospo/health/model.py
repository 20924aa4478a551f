# SPDX-License-Identifier: Apache-2.0
"""What ``ospo health`` finds out about one repository, as immutable records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class HealthVerdict(StrEnum):
    """How a project stands, by the policy's thresholds."""

    ACTIVE = "active"
    AT_RISK = "at-risk"
    DORMANT = "dormant"


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """A tag that looks like a release, and its date (the tag's, else its commit's)."""

    tag: str
    date: str  # YYYY-MM-DD, UTC


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseState:
    """The license files at the root of a release tag and what they grant together."""

    tag: str
    date: str
    files: tuple[str, ...]
    expression: str | None  # None: no license file, or nothing detected in them
    #: license files in which ScanCode recognised no license (a custom or new text)
    undetected: tuple[str, ...] = ()
    #: the blob ids of those files: a changed text that is still unrecognised is a change
    undetected_blobs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseChange:
    """Between two release tags, the root license files started to say something else."""

    tag: str  # the first tag with the new license
    date: str
    previous_tag: str
    before: str | None
    after: str | None
    files_before: tuple[str, ...]
    files_after: tuple[str, ...]
    #: ScanCode's categories of the licenses of ``after`` (Permissive, Source-available...)
    categories: tuple[str, ...]
    #: ospo's license classes of ``after`` (permissive, source-available...)
    classes: tuple[str, ...]
    open_source: bool  # every license of ``after`` is open source
    #: a license file of the new release holds a text ScanCode does not recognise
    needs_review: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """Counts from one pass over the history, for windows ending at the as-of day."""

    commits_90d: int
    commits_365d: int
    bot_commits_365d: int
    authors_90d: dict[str, int]
    authors_365d: dict[str, int]  # mailmapped address -> non-merge commits
    organisations_365d: dict[str, int]  # organisation -> attributed commits
    individual_commits_365d: int  # commits by individuals (personal addresses)
    days_since_last_commit: int | None
    first_commit: str | None
    last_commit: str | None
    monthly: tuple[tuple[str, int], ...]  # (YYYY-MM, commits), the 12 months up to as-of
    new_contributors: tuple[tuple[str, int], ...]  # (YYYYQn, first-time authors), 8 quarters
    new_contributors_365d: int
    total_commits: int  # up to as-of


@dataclass(frozen=True, slots=True, kw_only=True)
class RepoHealth:
    """The health of one repository as of one day."""

    path: str
    as_of: str
    activity: Activity
    contributor_absence_factor: int
    contributor_absence_factor_90d: int
    elephant_factor: int | None  # None: no commit could be attributed to an organisation
    elephant_coverage: float  # share of the window's commits attributed to an organisation
    dominant_organisation: str | None
    dominant_share: float  # the dominant organisation's share of the attributed commits
    releases: tuple[Release, ...]
    days_since_last_release: int | None
    #: the median number of days between consecutive releases (the cadence)
    median_days_between_releases: float | None
    license_history: tuple[LicenseState, ...]
    license_changes: tuple[LicenseChange, ...]
    verdict: HealthVerdict
    reasons: tuple[str, ...]
    issues: tuple[str, ...] = ()  # what could not be read (a license blob, a tag)
