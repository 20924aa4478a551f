# SPDX-License-Identifier: Apache-2.0
"""What a lock file or manifest records, turned into components.

The scope of each package (runtime beats optional beats dev and test, along every path
from the project's own manifest), whether it is a direct dependency, the purls it depends
on, and the license the file records, checked, as declared evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from ospo import licensing
from ospo.merge import narrow_to_optional, widest_scope
from ospo.model import Component, LicenseEvidence, LicenseSource, Scope
from ospo.scanners.lockfiles.reading import text

#: Where a lock file records no license.
NO_LICENSE_IN_LOCK = "{file} records no license; scan the installed environment with --env"
#: Where only a manifest (no lock file) names the package.
MANIFEST_ONLY = (
    "named in {file} with no lock file beside it: license unknown (and the version, "
    "unless pinned exactly); commit the lock file or scan the installed environment "
    "with --env"
)

_GROUP_DEV = re.compile(r"dev|doc|lint|typ|mypy|style|format|check|build|release|bench")


def group_scope(name: str, default: Scope) -> Scope:
    """Return the scope a named extra or dependency group stands for.

    ``test``/``tests``/``testing`` groups are test; development tooling (``dev``, ``docs``,
    ``lint``, ``typing`` …) is dev; anything else keeps ``default`` (an extra is optional,
    a dependency group is dev).
    """
    lowered = name.lower()
    if "test" in lowered:
        return Scope.TEST
    if _GROUP_DEV.search(lowered):
        return Scope.DEV
    return default


def declared_evidence(raw: Any, location: str) -> LicenseEvidence | None:
    """Return declared-license evidence for a recorded license value, checked, or None."""
    if isinstance(raw, dict):
        raw = raw.get("type")
    if isinstance(raw, list):
        names = [text(x.get("type") if isinstance(x, dict) else x) for x in raw]
        raw = " OR ".join(n for n in names if n) or None
    value = text(raw)
    if value is None:
        return None
    checked = licensing.check(value)
    return LicenseEvidence(
        expression=checked.normalized or value,
        source=LicenseSource.DECLARED,
        location=location,
        valid=checked.valid,
        note=None if checked.valid else "; ".join(checked.errors),
    )


def make_component(
    *,
    purl: str,
    name: str,
    version: str | None,
    scope: Scope,
    direct: bool,
    dependencies: Sequence[str] = (),
    license: Any = None,
    location: str,
    unknown_reason: str,
    hashes: tuple[tuple[str, str], ...] = (),
    pinned: bool | None = None,
) -> Component:
    """Return a component with its declared license (if recorded) and effective license."""
    evidence = declared_evidence(license, location)
    expression: str | None = None
    reason: str | None = unknown_reason
    if evidence is not None:
        expression, reason = licensing.effective_license([evidence.expression or ""], [])
    return Component(
        purl=purl,
        name=name,
        version=version,
        scope=scope,
        direct=direct,
        license_expression=expression,
        licenses=(evidence,) if evidence is not None else (),
        unknown_reason=None if expression else reason,
        dependencies=tuple(sorted(set(dependencies) - {purl})),
        hashes=hashes,
        pinned=pinned,
    )


def add_root(roots: dict[str, Scope], key: str, scope: Scope) -> None:
    """Record that the project asks for ``key`` in a ``scope`` section (the widest wins)."""
    roots[key] = widest_scope(roots[key], scope) if key in roots else scope


class LockedPackage(NamedTuple):
    """A package as one lock file records it, before scopes are worked out."""

    key: str  # unique in its lock file: a node_modules path, name@version, …
    name: str
    version: str | None
    purl: str
    requires: tuple[str, ...] = ()  # keys of what it needs
    optional_requires: tuple[str, ...] = ()  # keys of what it may use
    scope: Scope | None = None  # when the lock file says
    direct: bool | None = None  # when the lock file says
    license: Any = None  # as recorded, None when not
    hashes: tuple[tuple[str, str], ...] = ()  # (algorithm, hex) of the artifact, if recorded


def assemble(
    packages: Sequence[LockedPackage],
    roots: Mapping[str, Scope],
    *,
    location: str,
    unknown_reason: str,
) -> list[Component]:
    """Turn a lock file's graph into components.

    ``roots`` are the keys the project's own manifest asks for, with the scope of the
    section that asks; a package's scope is the widest over every path from a root
    (through an optional edge, runtime becomes optional), unless the lock file says.
    Without roots, the packages nothing depends on are taken as direct, and a package the
    lock file gives no scope for is runtime (the safe side for compliance).
    """
    by_key = {p.key: p for p in packages}
    computed: dict[str, Scope] = {}
    work = [(k, s) for k, s in roots.items() if k in by_key]
    while work:
        key, scope = work.pop()
        known = computed.get(key)
        if known is not None and widest_scope(known, scope) is known:
            continue
        computed[key] = scope if known is None else widest_scope(known, scope)
        pkg = by_key[key]
        work += [(k, scope) for k in pkg.requires if k in by_key]
        work += [(k, narrow_to_optional(scope)) for k in pkg.optional_requires if k in by_key]
    depended_on = {k for p in packages for k in (*p.requires, *p.optional_requires)}
    components = []
    for pkg in packages:
        if pkg.direct is not None:
            direct = pkg.direct
        elif roots:
            direct = pkg.key in roots
        else:
            direct = pkg.key not in depended_on
        scope = pkg.scope or computed.get(pkg.key) or Scope.RUNTIME
        deps = [by_key[k].purl for k in (*pkg.requires, *pkg.optional_requires) if k in by_key]
        components.append(
            make_component(
                purl=pkg.purl,
                name=pkg.name,
                version=pkg.version,
                scope=scope,
                direct=direct,
                dependencies=deps,
                license=pkg.license,
                location=location,
                unknown_reason=unknown_reason,
                hashes=pkg.hashes,
            )
        )
    return components
