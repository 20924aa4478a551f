# SPDX-License-Identifier: Apache-2.0
"""Scanners: each contributes part of the inventory; :func:`scan` runs them all.

One small interface (``ospo.scanners.base.Scanner``), one module per implementation, one
registry (:data:`SCANNERS`, from :mod:`ospo.scanners.catalog`) that the tests walk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ospo import __version__
from ospo.config import ProjectConfig
from ospo.errors import InputError
from ospo.merge import merge_components, merge_key
from ospo.model import Inventory, ScanInfo, ScanStats, Subject, Tool
from ospo.registry import LazyRegistry
from ospo.scanners.base import Scanner, ScanRequest
from ospo.scanners.catalog import CATALOG
from ospo.scanners.lockfiles.discovery import any_named, shared_listing
from ospo.scanners.source.references import follow_references
from ospo.scanners.source.walk import list_files

#: Every scanner, by name.
SCANNERS: Mapping[str, type[Scanner]] = LazyRegistry[Scanner](
    {name: f"ospo.scanners.{entry.module}:{entry.cls}" for name, entry in CATALOG.items()}
)


def _applies(name: str, request: ScanRequest) -> bool:
    """Whether the scanner can find anything for this request (else it is not imported):
    what it needs was asked for, and a file it reads is in the tree."""
    entry = CATALOG[name]
    if entry.needs is not None and not getattr(request, entry.needs):
        return False
    return not entry.file_names or any_named(request, entry.file_names)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanOutcome:
    """The inventory and the warnings met on the way (cache moved aside, …)."""

    inventory: Inventory
    warnings: tuple[str, ...] = ()


def scan(
    request: ScanRequest,
    config: ProjectConfig | None = None,
    *,
    timestamp: datetime | None = None,
) -> ScanOutcome:
    """Run every registered scanner on ``request.root`` and assemble the inventory."""
    root = request.root
    if not root.exists():
        raise InputError("path does not exist", path=str(root))
    if not root.is_dir():
        raise InputError(
            "not a directory: give the root of the product's source tree", path=str(root)
        )
    config = config or ProjectConfig()
    started = time.monotonic()
    with shared_listing():
        parts = [
            SCANNERS[name]().scan(request) for name in sorted(SCANNERS) if _applies(name, request)
        ]
        # the revision of the repository the files were listed from (none when walked)
        revision = list_files(root, request.excludes).revision
    # one component per package, whichever scanners found it
    components = merge_components(c for p in parts for c in p.components)
    by_key = {merge_key(c.purl): c.purl for c in components}
    packages = {f.package for p in parts for f in p.files if f.package is not None}
    moved = {old: by_key.get(merge_key(old), old) for old in packages}
    files = tuple(
        replace(f, package=moved[f.package])
        if f.package is not None and moved[f.package] != f.package
        else f
        for p in parts
        for f in p.files
    )
    if request.only is None:  # a selection (a commit's files) lacks the files referred to
        files = follow_references(files)
    tools = {("ospo", __version__)} | {(t.name, t.version) for p in parts for t in p.tools}
    stats = ScanStats(
        files=sum(p.stats.files for p in parts),
        from_cache=sum(p.stats.from_cache for p in parts),
        matched=sum(p.stats.matched for p in parts),
        full_matcher=sum(p.stats.full_matcher for p in parts),
        seconds=round(time.monotonic() - started, 3),
    )
    when = timestamp or _source_date_epoch() or datetime.now(UTC)
    subject = Subject(
        name=config.product_name or root.resolve().name or "product",
        version=config.product_version,
        vcs_revision=revision,
        declared_license=config.product_license,
        profile=config.profile,
    )
    inventory = Inventory(
        subject=subject,
        files=tuple(sorted(files, key=lambda f: f.path)),
        components=components,
        scan=ScanInfo(
            tools=tuple(Tool(name=n, version=v) for n, v in sorted(tools)),
            timestamp=when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            issues=tuple(i for p in parts for i in p.issues),
            excluded=tuple(e for p in parts for e in p.excluded),
            stats=stats,
            environments=tuple(sorted({e for p in parts for e in p.environments})),
        ),
    )
    return ScanOutcome(inventory=inventory, warnings=tuple(w for p in parts for w in p.warnings))


def _source_date_epoch() -> datetime | None:
    """Honour ``SOURCE_DATE_EPOCH`` (reproducible builds) for the inventory's timestamp."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError(f"SOURCE_DATE_EPOCH is not a Unix time: {value!r}") from None
