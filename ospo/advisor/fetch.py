# SPDX-License-Identifier: Apache-2.0
"""Asking the registries, through a cache on disk that expires.

One document per package (PyPI's ``/pypi/NAME/json``, npm's ``/NAME``), and on PyPI the
page of single versions (``/pypi/NAME/VERSION/json``) where the license of a version
matters: the version in use, and between it and the latest as few as a binary search for
the release that changed the license needs. Every answer is kept under the cache
directory; ``offline`` reads only what is kept, whatever its age. A registry that does not
answer, answers with an error or with something that is not its JSON leaves its
components without data, with a note, and the run goes on; after one connection failure
the registry is not asked again in the same run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ospo import __version__
from ospo.advisor.documents import pypi_license, read_npm, read_pypi
from ospo.advisor.model import Advice, PackageRecord, merged, package_key
from ospo.model import Component, IssueKind, ScanIssue

DEFAULT_PYPI = "https://pypi.org"
DEFAULT_NPM = "https://registry.npmjs.org"
#: The ecosystems (purl types) the advisor asks about.
ECOSYSTEMS = ("pypi", "npm")
#: The largest answer read (a popular npm package's document is a few MB).
MAX_BYTES = 64 * 1024 * 1024
_NAMES_IN_NOTE = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrySettings:
    """Where the registries are, how long an answer is kept, and whether to ask at all.

    The registry base URLs come from ``OSPO_PYPI_URL`` and ``OSPO_NPM_REGISTRY`` when set;
    ``OSPO_OFFLINE=1`` means ``offline``.
    """

    offline: bool = False
    max_age_hours: float = 24.0
    timeout: float = 5.0
    pypi_url: str = DEFAULT_PYPI
    npm_url: str = DEFAULT_NPM
    cache: Path | None = None  # default: ``registry/`` in ospo's cache directory
    workers: int = 8
    now: Callable[[], float] = field(default=time.time)

    @classmethod
    def from_environment(
        cls, *, offline: bool = False, policy: Mapping[str, Any] | None = None
    ) -> RegistrySettings:
        """Settings from the policy's ``registry:`` section and the environment."""
        section = policy or {}
        return cls(
            offline=offline or os.environ.get("OSPO_OFFLINE", "") not in ("", "0"),
            max_age_hours=float(section.get("cache_hours", 24)),
            timeout=float(section.get("timeout_seconds", 5)),
            pypi_url=os.environ.get("OSPO_PYPI_URL") or DEFAULT_PYPI,
            npm_url=os.environ.get("OSPO_NPM_REGISTRY") or DEFAULT_NPM,
        )


class _NoData(Exception):
    """The registry gave nothing usable for a component; the message says why."""


class _Missing(Exception):
    """The registry does not know the package or version (404)."""


def advise(components: Sequence[Component], settings: RegistrySettings) -> Advice:
    """Ask the registries about every PyPI and npm component of ``components``."""
    asker = _Asker(settings)
    wanted = [c for c in components if c.purl.split("/", 1)[0][4:] in ECOSYSTEMS]
    records: dict[str, PackageRecord] = {}
    failures: dict[tuple[str, str], list[str]] = {}
    if settings.offline:  # the cache alone answers: threads would only add their cost
        outcomes = [asker.lookup(c) for c in wanted]
    else:
        with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
            outcomes = list(pool.map(asker.lookup, wanted))
    for comp, outcome in zip(wanted, outcomes, strict=True):
        if isinstance(outcome, PackageRecord):
            key = package_key(comp.purl)
            records[key] = merged(records[key], outcome) if key in records else outcome
        else:
            failures.setdefault(outcome, []).append(f"{comp.name}@{comp.version or '?'}")
    notes = []
    for (where, reason), names in sorted(failures.items()):
        shown = ", ".join(sorted(names)[:_NAMES_IN_NOTE])
        more = f" and {len(names) - _NAMES_IN_NOTE} more" if len(names) > _NAMES_IN_NOTE else ""
        notes.append(
            ScanIssue(
                kind=IssueKind.REGISTRY,
                path=where,
                message=f"no registry data for {len(names)} component(s) ({reason}): {shown}{more}",
            )
        )
    return Advice(records=records, notes=tuple(notes))


class _Asker:
    """One run's conversation with the registries (shared by the worker threads)."""

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings
        self.cache = settings.cache or _default_cache()
        self._down: dict[str, str] = {}  # registry -> why it is not asked again
        self._lock = threading.Lock()

    def lookup(self, comp: Component) -> PackageRecord | tuple[str, str]:
        """The record of ``comp``, or (registry, reason) when there is none."""
        ecosystem = comp.purl.split("/", 1)[0][4:]
        base = self.settings.pypi_url if ecosystem == "pypi" else self.settings.npm_url
        base = base.rstrip("/")
        if ecosystem == "pypi":
            url = f"{base}/pypi/{urllib.parse.quote(comp.name, safe='')}/json"
        else:
            url = f"{base}/{urllib.parse.quote(comp.name, safe='@')}"
        try:
            value = self._get(base, url)
            record = (read_pypi if ecosystem == "pypi" else read_npm)(value, url)
        except _Missing:
            return base, "the registry does not know the package"
        except _NoData as exc:
            return base, str(exc)
        except ValueError as exc:
            return base, f"the answer is not the registry's document: {exc}"
        if ecosystem == "pypi" and comp.version:
            record = self._pypi_versions(base, record, comp.version)
        return record

    def _pypi_versions(self, base: str, record: PackageRecord, in_use: str) -> PackageRecord:
        """``record`` with the license of the version in use and, when it differs from the
        latest's, of the release where it changed (a binary search; each answer cached)."""
        versions = [r.version for r in record.releases]
        if in_use not in versions or record.latest not in versions or in_use == record.latest:
            return record
        found: dict[str, str | None] = {}

        def license_of(version: str) -> str | None:
            if version not in found:
                url = f"{base}/pypi/{urllib.parse.quote(record.name, safe='')}/{version}/json"
                try:
                    page = self._get(base, url)
                except (_Missing, _NoData):
                    page = None
                info = page.get("info") if isinstance(page, dict) else None
                found[version] = pypi_license(info) if isinstance(info, dict) else None
            return found[version]

        low, high = versions.index(in_use), versions.index(str(record.latest))
        latest_license = record.releases[high].license
        low_license = license_of(in_use)
        if low_license is not None and low_license != latest_license:
            while high - low > 1:
                middle = (low + high) // 2
                middle_license = license_of(versions[middle])
                if middle_license is None:
                    break
                if middle_license == low_license:
                    low = middle
                else:
                    high = middle
        releases = tuple(
            replace(r, license=found[r.version])
            if r.license is None and found.get(r.version)
            else r
            for r in record.releases
        )
        return replace(record, releases=releases)

    def _get(self, base: str, url: str) -> Any:
        """The JSON at ``url``: fresh from the cache, else from the registry (and kept),
        else stale from the cache; raises :class:`_Missing` or :class:`_NoData`."""
        path = self.cache / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.json"
        kept = _read_kept(path, url)
        max_age = self.settings.max_age_hours * 3600
        if kept is not None and (self.settings.offline or self.settings.now() - kept[0] <= max_age):
            return _unwrap(kept[1])
        if self.settings.offline:
            raise _NoData("offline, and the cache holds no answer")
        with self._lock:
            down = self._down.get(base)
        if down is not None:
            if kept is not None:
                return _unwrap(kept[1])
            raise _NoData(down)
        try:
            value: dict[str, Any] = {"document": self._fetch(base, url)}
        except _Missing:
            value = {"missing": True}
        except _NoData:
            if kept is not None:
                return _unwrap(kept[1])
            raise
        with contextlib.suppress(OSError):
            from ospo.atomic import atomic_write_text

            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(
                path, json.dumps({"url": url, "fetched": self.settings.now(), "value": value})
            )
        return _unwrap(value)

    def _fetch(self, base: str, url: str) -> Any:
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": f"ospo/{__version__}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as answer:
                body = answer.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                raise _Missing() from None
            raise _NoData(f"the registry answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = f"the registry did not answer: {getattr(exc, 'reason', exc)}"
            with self._lock:
                reason = self._down.setdefault(base, reason)
            raise _NoData(reason) from None
        if len(body) > MAX_BYTES:
            raise _NoData(f"the answer is larger than {MAX_BYTES} bytes")
        try:
            return json.loads(body)
        except ValueError:
            raise _NoData("the registry answered with something that is not JSON") from None


def _unwrap(value: Mapping[str, Any]) -> Any:
    if value.get("missing"):
        raise _Missing()
    return value.get("document")


def _read_kept(path: Path, url: str) -> tuple[float, Mapping[str, Any]] | None:
    """(when fetched, what) the cache keeps for ``url``; None when nothing usable is kept."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("url") != url
        or not isinstance(data.get("value"), dict)
    ):
        return None
    fetched = data.get("fetched")
    return (float(fetched), data["value"]) if isinstance(fetched, (int, float)) else None


def _default_cache() -> Path:
    from ospo.cache import cache_dir

    return cache_dir() / "registry"
