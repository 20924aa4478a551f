# SPDX-License-Identifier: Apache-2.0
"""Rules on what the package registries say about the dependencies (``ospo.advisor``).

Consumption: a shipped dependency with no release for months, a yanked or deprecated
version in use, a version far behind the latest (libyears). Competition: a dependency whose
newer versions moved to a source-available or proprietary license (the open-core pattern),
or to a stronger copyleft, or to a license string that is not SPDX and needs a person.
Both stay quiet for a component the registries gave no data about (the scan's issues say
which) and when the policy's ``registry:`` section turns them off.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ospo import licensing
from ospo.advisor.documents import version_key
from ospo.advisor.model import PackageRecord, Release
from ospo.evaluation import Finding, Severity
from ospo.model import Component
from ospo.policy.model import LicenseClass, RuleDoc
from ospo.policy.rules.base import Rule, RuleContext

#: Classes that are not open source: what relicensing moves to.
CLOSED_CLASSES = frozenset(
    {
        LicenseClass.SOURCE_AVAILABLE,
        LicenseClass.PROPRIETARY,
        LicenseClass.NON_COMMERCIAL,
        LicenseClass.USE_RESTRICTED,
    }
)
#: How far the copyleft of an open source class reaches.
_COPYLEFT_RANK = {
    LicenseClass.PUBLIC_DOMAIN: 0,
    LicenseClass.PERMISSIVE: 0,
    LicenseClass.WEAK_COPYLEFT_FILE: 1,
    LicenseClass.WEAK_COPYLEFT_LIBRARY: 2,
    LicenseClass.STRONG_COPYLEFT: 3,
    LicenseClass.NETWORK_COPYLEFT: 4,
}
#: License strings registries use for terms that are not open source at all.
_PROPRIETARY_WORDS = frozenset({"unlicensed", "license :: other/proprietary license"})


def enabled(ctx: RuleContext, family: str) -> bool:
    """Whether the policy's ``registry:`` section turns on the ``family`` rules."""
    section = ctx.policy.data.get("registry", {})
    return bool(section.get(family, {}).get("enabled", False))


def _in_use(ctx: RuleContext, family: str) -> Iterator[tuple[Component, PackageRecord, Release]]:
    """The shipped components the registries described, with the release in use."""
    if ctx.registry is None or not enabled(ctx, family):
        return
    for comp in ctx.inventory.components:
        record = ctx.registry.record(comp.purl)
        release = record.release(comp.version) if record is not None else None
        if record is not None and release is not None and ctx.shipped(comp):
            yield comp, record, release


def _where(record: PackageRecord) -> str:
    return "PyPI" if record.ecosystem == "pypi" else "the npm registry"


class RegistryConsumptionRule(Rule):
    """Shipped dependencies that are unmaintained, yanked, deprecated or far behind."""

    name = "registry-consumption"
    docs = (
        RuleDoc(
            rule="consumption/no-recent-release",
            summary="a shipped dependency with no release for longer than the policy allows",
        ),
        RuleDoc(
            rule="consumption/yanked-version",
            summary="the version in use was yanked from its registry",
        ),
        RuleDoc(
            rule="consumption/deprecated-version",
            summary="the version in use is deprecated in its registry",
        ),
        RuleDoc(
            rule="consumption/libyears",
            summary="the version in use is more libyears behind the latest than the policy allows",
        ),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield the Consumption findings of every described shipped component."""
        settings = ctx.policy.data.get("registry", {}).get("consumption", {})
        severity = Severity(settings.get("severity", "warning"))
        months = settings.get("months_without_release")
        most_libyears = settings.get("libyears")
        for comp, record, release in _in_use(ctx, "consumption"):
            label = f"{comp.name}@{comp.version}"
            if release.yanked:
                yield self._finding(
                    comp,
                    "consumption/yanked-version",
                    Severity.WARNING,
                    f"{label} was yanked from {_where(record)}",
                    f"Move to a release that is not yanked (the latest is {record.latest}).",
                )
            if release.deprecated:
                yield self._finding(
                    comp,
                    "consumption/deprecated-version",
                    Severity.WARNING,
                    f"{label} is deprecated in {_where(record)}: {release.deprecated}",
                    "Move to the version or package the deprecation names, or ask the OSRB "
                    "to accept it and record it with `ospo decide`.",
                )
            newest = max((r.published for r in record.releases if r.published), default=None)
            if months is not None and newest is not None:
                elapsed = _months(newest, ctx.today)
                if elapsed > months:
                    yield self._finding(
                        comp,
                        "consumption/no-recent-release",
                        severity,
                        f"{comp.name} has had no release for {elapsed} months (the last on "
                        f"{newest.isoformat()}; the policy allows {months})",
                        "Check whether the project is still maintained; replace it with a "
                        "maintained one, or ask the OSRB to accept it (`ospo decide`).",
                    )
            latest = record.latest_release()
            behind = _libyears(record.ecosystem, release, latest)
            if most_libyears is not None and behind is not None and behind > most_libyears:
                assert latest is not None
                yield self._finding(
                    comp,
                    "consumption/libyears",
                    severity,
                    f"{label} is {behind:.1f} libyears behind the latest {latest.version} "
                    f"(the policy allows {most_libyears})",
                    f"Upgrade {comp.name} to {latest.version}, or ask the OSRB to accept the "
                    "older version (`ospo decide`).",
                )

    @staticmethod
    def _finding(
        comp: Component, rule: str, severity: Severity, message: str, how_to_fix: str
    ) -> Finding:
        return Finding(
            rule=rule,
            severity=severity,
            component=comp.purl,
            license=comp.license_expression,
            message=message,
            how_to_fix=how_to_fix,
        )


def _months(since: date, today: date) -> int:
    return (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)


def _libyears(ecosystem: str, release: Release, latest: Release | None) -> float | None:
    """How much older the release in use is than the latest, in years; None when the
    registry does not date both or the version in use is not older."""
    if latest is None or release.published is None or latest.published is None:
        return None
    if version_key(ecosystem, release.version) >= version_key(ecosystem, latest.version):
        return None
    return max(0.0, (latest.published - release.published).days / 365.25)


class Openness(StrEnum):
    """Whether a version's terms are open source, not open source, or need a person."""

    OPEN = "open"
    CLOSED = "closed"
    UNCLEAR = "unclear"  # not an SPDX expression, or a license ospo cannot classify


@dataclass(frozen=True, slots=True, kw_only=True)
class Terms:
    """What a registry's license string for a version means to the policy."""

    text: str  # as the registry wrote it
    kind: Openness
    license_class: LicenseClass | None = None

    def describe(self) -> str:
        """The license and its class, for a message."""
        klass = f" ({self.license_class.value})" if self.license_class else ""
        return f"{self.text}{klass}"


def terms_of(ctx: RuleContext, text: str) -> Terms:
    """Classify a registry's license string with the policy's license classes: a string
    that is not an SPDX expression is ``unclear`` (a person reads it), never unchanged."""
    if text.strip().lower() in _PROPRIETARY_WORDS:
        return Terms(text=text, kind=Openness.CLOSED, license_class=LicenseClass.PROPRIETARY)
    checked = licensing.check(text)
    alternatives = (
        licensing.alternatives(checked.normalized) if checked.valid and checked.normalized else None
    )
    if not alternatives:
        return Terms(text=text, kind=Openness.UNCLEAR)
    outcomes: list[tuple[Openness, LicenseClass]] = []
    for alternative in alternatives:
        classes = [ctx.judge.classifier.term_class(lid) for lid in sorted(alternative)]
        closed = [c for c in classes if c in CLOSED_CLASSES]
        if closed:
            outcomes.append((Openness.CLOSED, closed[0]))
        elif all(c in _COPYLEFT_RANK for c in classes):
            outcomes.append((Openness.OPEN, max(classes, key=_COPYLEFT_RANK.__getitem__)))
        else:
            outcomes.append((Openness.UNCLEAR, LicenseClass.UNKNOWN))
    opened = [c for kind, c in outcomes if kind is Openness.OPEN]
    if opened:  # a choice of an open license keeps the package open
        return Terms(
            text=text, kind=Openness.OPEN, license_class=min(opened, key=_COPYLEFT_RANK.__getitem__)
        )
    if any(kind is Openness.UNCLEAR for kind, _ in outcomes):
        return Terms(text=text, kind=Openness.UNCLEAR)
    return Terms(text=text, kind=Openness.CLOSED, license_class=outcomes[0][1])


class RegistryRelicensingRule(Rule):
    """Dependencies whose newer versions changed license, as their registry tells it."""

    name = "registry-relicensing"
    docs = (
        RuleDoc(
            rule="competition/relicensed",
            summary="newer versions of a dependency moved to a source-available or "
            "proprietary license",
        ),
        RuleDoc(
            rule="competition/license-changed",
            summary="newer versions of a dependency moved to a stronger copyleft license",
        ),
        RuleDoc(
            rule="competition/license-unclear",
            summary="a newer version of a dependency declares a license that is not an SPDX "
            "expression: whether it changed needs review",
        ),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield the license changes across the releases of every described component."""
        for comp, record, release in _in_use(ctx, "competition"):
            yield from self._changes(ctx, comp, record, release)

    def _changes(
        self, ctx: RuleContext, comp: Component, record: PackageRecord, release: Release
    ) -> Iterator[Finding]:
        releases = list(record.releases)
        latest = record.latest_release()
        end = releases.index(latest) if latest is not None else len(releases) - 1
        at = releases.index(release)
        current = terms_of(ctx, release.license) if release.license else None
        inventory_says = comp.license_expression is not None and (
            current is None or current.kind is Openness.UNCLEAR
        )
        if inventory_says:
            # the registry's string for the version in use is vague ("BSD") or absent: the
            # inventory's license, from the package's own files, says what is in use
            assert comp.license_expression is not None
            current = terms_of(ctx, comp.license_expression)
        if current is None:
            return
        known = [
            (i, terms_of(ctx, r.license)) for i, r in enumerate(releases) if r.license and i != at
        ]
        known.append((at, current))
        known.sort(key=lambda pair: pair[0])
        later = [(i, t) for i, t in known if at < i <= end]
        origin = " (as the inventory has it)" if inventory_says else ""
        if current.kind is Openness.OPEN:
            closed = next(((i, t) for i, t in later if t.kind is Openness.CLOSED), None)
            if closed is not None:
                before = _previous(known, closed[0])
                note = origin if before[0] == at else ""
                yield self._relicensed(comp, record, releases, (before, closed), "before", note)
            stronger = next(
                (
                    (i, t)
                    for i, t in later
                    if t.kind is Openness.OPEN
                    and current.license_class is not None
                    and t.license_class is not None
                    and _COPYLEFT_RANK[t.license_class] > _COPYLEFT_RANK[current.license_class]
                ),
                None,
            )
            if stronger is not None:
                yield Finding(
                    rule="competition/license-changed",
                    severity=Severity.INFO,
                    component=comp.purl,
                    license=comp.license_expression,
                    message=f"{comp.name} {_changed_in(releases, known, stronger[0])} from "
                    f"{current.describe()}{origin} in the version in use {comp.version} to "
                    f"{stronger[1].describe()}",
                    how_to_fix=f"Before upgrading past {releases[stronger[0]].version}, check "
                    "that the copyleft of the new license fits how the product ships.",
                )
        elif current.kind is Openness.CLOSED:
            earlier = [(i, t) for i, t in known if i < at]
            last_open = next((p for p in reversed(earlier) if p[1].kind is Openness.OPEN), None)
            if last_open is not None:
                change = next((i, t) for i, t in known if i > last_open[0])
                yield self._relicensed(comp, record, releases, (last_open, change), "after", "")
        unclear = next(((i, t) for i, t in later if t.kind is Openness.UNCLEAR), None)
        if unclear is not None:
            text = releases[unclear[0]].license
            yield Finding(
                rule="competition/license-unclear",
                severity=Severity.WARNING,
                component=comp.purl,
                license=comp.license_expression,
                message=f"{comp.name} {releases[unclear[0]].version} declares {text!r} in "
                f"{_where(record)}, which is not an SPDX expression (the version in use "
                f"{comp.version}: {current.describe()}): whether the license changed needs "
                "review",
                how_to_fix="Read the license that version ships and record what it is with "
                "`ospo decide`, before upgrading to it.",
            )

    @staticmethod
    def _relicensed(
        comp: Component,
        record: PackageRecord,
        releases: Sequence[Release],
        change: tuple[tuple[int, Terms], tuple[int, Terms]],
        side: str,
        note: str,
    ) -> Finding:
        """The finding of a move to closed terms: ``change`` is (the last release known
        before it, the first after it), ``side`` says where the version in use stands."""
        before, after = change
        changed = _changed_in(releases, [before, after], after[0])
        fix = (
            f"Stay below {releases[after[0]].version} (and plan a replacement or a fork of "
            f"the last open release, {releases[before[0]].version}), or ask the OSRB and legal "
            "counsel whether the new terms are acceptable."
            if side == "before"
            else f"Go back to {releases[before[0]].version} (the last release under "
            f"{before[1].text}) or replace the package; or have legal counsel accept the "
            "new terms and record it with `ospo decide`."
        )
        return Finding(
            rule="competition/relicensed",
            severity=Severity.WARNING,
            component=comp.purl,
            license=comp.license_expression,
            message=f"{comp.name} {changed} from {before[1].describe()}{note} to "
            f"{after[1].describe()} ({_where(record)}); the version in use, "
            f"{comp.version}, is {side} the change",
            how_to_fix=fix,
        )


def _previous(known: Sequence[tuple[int, Terms]], index: int) -> tuple[int, Terms]:
    return [p for p in known if p[0] < index][-1]


def _changed_in(releases: Sequence[Release], known: Sequence[tuple[int, Terms]], index: int) -> str:
    """ "changed in V", or "changed after U, by V" when the registry does not tell the
    license of the releases between the last one known before and V."""
    before = [i for i, _ in known if i < index]
    if before and before[-1] < index - 1:
        return (
            f"changed license after {releases[before[-1]].version}, by {releases[index].version},"
        )
    return f"changed license in {releases[index].version}"
