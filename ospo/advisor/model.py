# SPDX-License-Identifier: Apache-2.0
"""What a package registry says about one package, and the advice for an inventory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ospo.model import ScanIssue


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """One published version of a package.

    ``license`` is the registry's license string for this version as written (an SPDX
    expression, ``SEE LICENSE IN …``, a classifier's name, a whole text), None when the
    registry did not say or was not asked (PyPI tells the license of a version only on its
    own page). ``published`` is the day of its first upload; ``yanked`` means every file
    of the release was yanked (PyPI); ``deprecated`` is npm's deprecation message.
    """

    version: str
    published: date | None = None
    license: str | None = None
    yanked: bool = False
    deprecated: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageRecord:
    """A package as its registry describes it: releases ordered oldest version first."""

    ecosystem: str  # the purl type: pypi, npm
    name: str
    url: str  # the registry document read
    latest: str | None
    releases: tuple[Release, ...] = ()
    maintainers: int | None = None
    repository: str | None = None

    def release(self, version: str | None) -> Release | None:
        """The release of ``version``, or None when the registry does not list it."""
        return next((r for r in self.releases if r.version == version), None)

    def latest_release(self) -> Release | None:
        """The release the registry marks as the latest."""
        return self.release(self.latest)

    def to_json(self) -> dict[str, Any]:
        """The record as JSON, as the advisor's cache keeps it."""
        return {
            "ecosystem": self.ecosystem,
            "name": self.name,
            "url": self.url,
            "latest": self.latest,
            "maintainers": self.maintainers,
            "repository": self.repository,
            "releases": [
                {
                    "version": r.version,
                    "published": r.published.isoformat() if r.published else None,
                    "license": r.license,
                    "yanked": r.yanked,
                    "deprecated": r.deprecated,
                }
                for r in self.releases
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PackageRecord:
        """The record :meth:`to_json` wrote."""
        return cls(
            ecosystem=str(data["ecosystem"]),
            name=str(data["name"]),
            url=str(data["url"]),
            latest=data.get("latest"),
            maintainers=data.get("maintainers"),
            repository=data.get("repository"),
            releases=tuple(
                Release(
                    version=str(r["version"]),
                    published=date.fromisoformat(r["published"]) if r.get("published") else None,
                    license=r.get("license"),
                    yanked=bool(r.get("yanked")),
                    deprecated=r.get("deprecated"),
                )
                for r in data.get("releases", [])
            ),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Advice:
    """What the registries said about an inventory's components.

    ``records`` by package (:func:`package_key`: the purl without its version, so a
    baseline's other version of the package finds it too); ``notes`` say which
    components got no data and why (offline with nothing cached, a registry that did not
    answer, a package it does not know).
    """

    records: Mapping[str, PackageRecord] = field(default_factory=dict)
    notes: tuple[ScanIssue, ...] = ()

    def record(self, purl: str) -> PackageRecord | None:
        """What the registry said about the package of the component ``purl``, or None
        (no data)."""
        return self.records.get(package_key(purl))


def package_key(purl: str) -> str:
    """The package a purl names, without version or qualifiers, lowercased."""
    return purl.split("?", 1)[0].split("#", 1)[0].split("@", 1)[0].lower()


def merged(first: PackageRecord, second: PackageRecord) -> PackageRecord:
    """One package's record from two lookups (two versions in use): each release with the
    license either of them learnt (PyPI tells it per version)."""
    licenses = {r.version: r.license for r in second.releases if r.license}
    return replace(
        first,
        releases=tuple(
            r if r.license or r.version not in licenses else replace(r, license=licenses[r.version])
            for r in first.releases
        ),
    )
