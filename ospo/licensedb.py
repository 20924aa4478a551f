# SPDX-License-Identifier: Apache-2.0
"""ScanCode's license database, reduced to what ospo needs and cached on disk.

ScanCode classifies every license it knows (category, SPDX key, other SPDX keys, whether it
is an exception). Loading its ~2,500 license files takes about a second, so the reduced
table is written once per ScanCode version under the cache directory and read from there.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from functools import cache

from ospo.atomic import atomic_write_text
from ospo.cache import cache_dir
from ospo.errors import OspoError


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseInfo:
    """One license as ScanCode's database describes it."""

    key: str  # ScanCode key, e.g. "bsd-new"
    spdx: str  # SPDX id, or LicenseRef-scancode-<key> where SPDX has none
    name: str
    category: str  # ScanCode category: Permissive, Copyleft, Copyleft Limited, ...
    is_exception: bool
    other_spdx: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenseTable:
    """Lookups by ScanCode key and by (case-insensitive) SPDX id."""

    by_key: dict[str, LicenseInfo]
    by_spdx: dict[str, LicenseInfo]

    def lookup(self, license_id: str) -> LicenseInfo | None:
        """Return the license for an SPDX id, a LicenseRef-scancode-* id or a ScanCode key."""
        lowered = license_id.lower()
        found = self.by_spdx.get(lowered)
        if found is None and lowered.startswith("licenseref-scancode-"):
            found = self.by_key.get(lowered[len("licenseref-scancode-") :])
        if found is None:
            found = self.by_key.get(lowered)
        if found is None and lowered.endswith("+"):
            # SPDX's "or any later version": the recipient may always take this one
            found = self.lookup(license_id[:-1])
        return found

    def category(self, license_id: str) -> str:
        """Return ScanCode's category for ``license_id``, or ``Unknown``."""
        info = self.lookup(license_id)
        return info.category if info is not None else "Unknown"


@cache
def license_table() -> LicenseTable:
    """Return the license table of the installed ScanCode, building the disk copy if needed."""
    from ospo.engine.scancode_engine import engine_versions

    # kept with the engine key, so a cached run reads no distribution metadata
    scancode_version = engine_versions()["scancode-toolkit"]
    path = cache_dir() / f"scancode-licenses-{scancode_version}.json"
    rows: list[dict[str, object]] | None = None
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rows = None
    if not isinstance(rows, list):
        rows = _rows_from_scancode()
        # no writable cache: the table is rebuilt next time
        with contextlib.suppress(OSError, OspoError):
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps(rows, sort_keys=True))
    infos = [
        LicenseInfo(
            key=str(r["key"]),
            spdx=str(r["spdx"]),
            name=str(r["name"]),
            category=str(r["category"]),
            is_exception=bool(r["is_exception"]),
            other_spdx=tuple(str(o) for o in r.get("other_spdx", ()) or ()),  # type: ignore[attr-defined]
        )
        for r in rows
    ]
    by_spdx: dict[str, LicenseInfo] = {}
    for info in infos:
        for other in info.other_spdx:
            by_spdx.setdefault(other.lower(), info)
    for info in infos:  # primary SPDX ids win over "other" ids
        by_spdx[info.spdx.lower()] = info
    return LicenseTable(by_key={i.key: i for i in infos}, by_spdx=by_spdx)


def _rows_from_scancode() -> list[dict[str, object]]:
    from licensedcode.models import load_licenses

    rows: list[dict[str, object]] = []
    for key, lic in sorted(load_licenses().items()):
        rows.append(
            {
                "key": key,
                "spdx": lic.spdx_license_key or f"LicenseRef-scancode-{key}",
                "name": lic.name or key,
                "category": lic.category or "Unstated License",
                "is_exception": bool(lic.is_exception),
                "other_spdx": sorted(lic.other_spdx_license_keys or ()),
            }
        )
    return rows
