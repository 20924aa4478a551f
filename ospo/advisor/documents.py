# SPDX-License-Identifier: Apache-2.0
"""Reading the registries' documents: PyPI's JSON API and the npm registry's packuments.

Each reader takes the parsed JSON and returns a :class:`~ospo.advisor.model.PackageRecord`,
or raises ``ValueError`` when the document is not what the registry's API documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ospo import licensing
from ospo.advisor.model import PackageRecord, Release

#: Project URL labels on PyPI that name the source repository, most telling first.
_SOURCE_LABELS = ("source", "source code", "repository", "code", "github", "gitlab", "homepage")
_FORGES = ("github.com/", "gitlab.com/", "bitbucket.org/", "codeberg.org/")


def version_key(ecosystem: str, version: str) -> tuple[int, Any]:
    """A sort key ordering ``version`` as its ecosystem does; versions that do not parse
    sort first, by their text."""
    try:
        if ecosystem == "pypi":
            from packaging.version import Version

            return (1, Version(version))
        from univers.versions import SemverVersion

        return (1, SemverVersion(version))
    except Exception:  # packaging and univers raise several types for odd versions
        return (0, version)


def _day(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _sorted(ecosystem: str, releases: list[Release]) -> tuple[Release, ...]:
    return tuple(sorted(releases, key=lambda r: version_key(ecosystem, r.version)))


def pypi_license(info: Mapping[str, Any]) -> str | None:
    """The license PyPI's ``info`` of one version declares: ``license_expression``, else
    the license classifiers ospo maps to SPDX, else ``license`` when it is an SPDX
    expression, else the first license classifier, else ``license`` as written."""
    from ospo.scanners.environments.python import _trove

    expression = _text(info.get("license_expression"))
    if expression:
        return expression
    classifiers = [
        c
        for c in info.get("classifiers") or []
        if isinstance(c, str) and c.startswith("License ::")
    ]
    mapped = [_trove().get(c) for c in classifiers]
    if classifiers and all(mapped):
        return " OR ".join(dict.fromkeys(m for m in mapped if m))
    raw = _text(info.get("license"))
    if raw and raw.upper() in ("UNKNOWN", "NONE"):
        raw = None
    if raw and licensing.check(raw).valid:
        return raw
    if classifiers:
        return classifiers[0]
    return raw


def _pypi_repository(info: Mapping[str, Any]) -> str | None:
    urls = {str(k).lower(): v for k, v in (info.get("project_urls") or {}).items()}
    for label in _SOURCE_LABELS:
        url = _text(urls.get(label))
        if url and (label != "homepage" or any(f in url for f in _FORGES)):
            return url
    home = _text(info.get("home_page"))
    return home if home and any(f in home for f in _FORGES) else None


def read_pypi(doc: object, url: str) -> PackageRecord:
    """The record of PyPI's ``/pypi/NAME/json`` document."""
    if not isinstance(doc, dict) or not isinstance(doc.get("info"), dict):
        raise ValueError("not a PyPI project document (no 'info')")
    info = doc["info"]
    name = _text(info.get("name"))
    if name is None:
        raise ValueError("the PyPI document names no project")
    latest = _text(info.get("version"))
    releases = []
    for version, files in (doc.get("releases") or {}).items():
        files = [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []
        days = [
            d
            for d in (_day(f.get("upload_time_iso_8601") or f.get("upload_time")) for f in files)
            if d
        ]
        releases.append(
            Release(
                version=str(version),
                published=min(days) if days else None,
                license=pypi_license(info) if version == latest else None,
                yanked=bool(files) and all(f.get("yanked") is True for f in files),
            )
        )
    roles = (
        (doc.get("ownership") or {}).get("roles")
        if isinstance(doc.get("ownership"), dict)
        else None
    )
    return PackageRecord(
        ecosystem="pypi",
        name=name,
        url=url,
        latest=latest,
        releases=_sorted("pypi", releases),
        maintainers=len({r.get("user") for r in roles if isinstance(r, dict)}) if roles else None,
        repository=_pypi_repository(info),
    )


def npm_license(value: object, legacy: object = None) -> str | None:
    """The license an npm manifest declares: ``license`` as a string or the old
    ``{"type": …}`` object, else the old ``licenses`` list (joined with OR)."""
    if isinstance(value, dict):
        value = value.get("type")
    text = _text(value)
    if text:
        return text
    if isinstance(legacy, list):
        names = [_text(x.get("type") if isinstance(x, dict) else x) for x in legacy]
        return " OR ".join(n for n in names if n) or None
    return None


def _npm_repository(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("url")
    return _text(value)


def read_npm(doc: object, url: str) -> PackageRecord:
    """The record of the npm registry's document of a package (its packument)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("versions"), dict):
        raise ValueError("not an npm package document (no 'versions')")
    name = _text(doc.get("name"))
    if name is None:
        raise ValueError("the npm document names no package")
    times: dict[str, Any] = doc["time"] if isinstance(doc.get("time"), dict) else {}
    latest = _text((doc.get("dist-tags") or {}).get("latest"))
    releases = []
    for version, meta in doc["versions"].items():
        meta = meta if isinstance(meta, dict) else {}
        deprecated = meta.get("deprecated")
        releases.append(
            Release(
                version=str(version),
                published=_day(times.get(version)),
                license=npm_license(meta.get("license"), meta.get("licenses")),
                deprecated=deprecated.strip() or None if isinstance(deprecated, str) else None,
            )
        )
    latest_meta = doc["versions"].get(latest) if latest else None
    latest_meta = latest_meta if isinstance(latest_meta, dict) else {}
    maintainers = doc.get("maintainers")
    if not isinstance(maintainers, list):
        maintainers = latest_meta.get("maintainers")
    return PackageRecord(
        ecosystem="npm",
        name=name,
        url=url,
        latest=latest,
        releases=_sorted("npm", releases),
        maintainers=len(maintainers) if isinstance(maintainers, list) else None,
        repository=_npm_repository(doc.get("repository") or latest_meta.get("repository")),
    )
