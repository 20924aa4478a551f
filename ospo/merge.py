# SPDX-License-Identifier: Apache-2.0
"""One component per package: merging what several sources say about the same package.

The same package can be found by several scanners — two lock files, a lock file and a copy
vendored into the tree. :func:`merge_components` turns them into one component keyed on the
purl without its qualifiers, except those that name a different artifact: ``pkg:generic``
purls keep theirs (a generic purl has no registry identity, and two vendored copies at
different paths are different code), and a gem keeps its ``platform`` (nokogiri built for
x86_64-linux is not the one built for arm64-darwin, nor the plain ``ruby`` one). All
evidence is kept (each statement once), the widest scope wins (runtime, then optional, then
dev, then test), the package is direct if any source says so, dependencies are united, and
the effective license is worked out again from the united evidence.

A component without a version (a manifest's version range, not resolved) is folded into the
versioned component of the same package when there is exactly one; with several versions it
stays apart, since there is no telling which one the manifest meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from ospo import licensing
from ospo.model import Component, LicenseEvidence, LicenseSource, Scope

#: Wider scopes first: what ships beats what might ship beats what never ships.
_RANK = {Scope.RUNTIME: 3, Scope.OPTIONAL: 2, Scope.DEV: 1, Scope.TEST: 0}


def widest_scope(*scopes: Scope) -> Scope:
    """Return the widest of ``scopes`` (runtime > optional > dev > test)."""
    return max(scopes, key=_RANK.__getitem__)


def narrow_to_optional(scope: Scope) -> Scope:
    """Return the scope a package gets through an optional edge from a ``scope`` package."""
    return Scope.OPTIONAL if scope is Scope.RUNTIME else scope


@lru_cache(maxsize=1 << 16)
def merge_key(purl: str) -> str:
    """Return the identity of a purl for merging: normalised, without qualifiers.

    PyPI names are compared in their PEP 503 form. ``pkg:generic`` purls keep their
    qualifiers, a gem its ``platform``. A string that is not a purl is its own key.
    """
    from packageurl import PackageURL

    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return purl
    name = parsed.name
    if parsed.type == "pypi":
        name = re.sub(r"[-_.]+", "-", name).lower()
    return PackageURL(
        type=parsed.type,
        namespace=parsed.namespace,
        name=name,
        version=parsed.version,
        qualifiers=_artifact_qualifiers(parsed.type, parsed.qualifiers),
        subpath=parsed.subpath,
    ).to_string()


#: Qualifiers that tell one artifact of a package version from another, by purl type.
_ARTIFACT_QUALIFIERS = {"gem": ("platform",)}


def _artifact_qualifiers(ptype: str, qualifiers: object) -> dict[str, str] | None:
    if not isinstance(qualifiers, dict):
        return None
    if ptype == "generic":
        return qualifiers
    kept = {k: qualifiers[k] for k in _ARTIFACT_QUALIFIERS.get(ptype, ()) if k in qualifiers}
    return kept or None


def merge_components(components: Iterable[Component]) -> tuple[Component, ...]:
    """Return one component per package, sorted by purl, with everything each source said."""
    groups: dict[str, list[Component]] = {}
    for comp in components:
        groups.setdefault(merge_key(comp.purl), []).append(comp)
    _fold_versionless(groups)
    merged = {key: _merge(key, parts) for key, parts in groups.items()}
    # Dependencies point at purls; point them at the merged components instead.
    target = {merge_key(c.purl): c.purl for c in merged.values()}
    result = []
    for comp in merged.values():
        deps = {target.get(merge_key(d), d) for d in comp.dependencies} - {comp.purl}
        if deps != set(comp.dependencies):
            comp = replace(comp, dependencies=tuple(sorted(deps)))
        result.append(comp)
    return tuple(sorted(result, key=lambda c: c.purl))


def _fold_versionless(groups: dict[str, list[Component]]) -> None:
    from packageurl import PackageURL

    versioned: dict[str, list[str]] = {}
    versionless: dict[str, str] = {}
    for key in groups:
        try:
            parsed = PackageURL.from_string(key)
        except ValueError:
            continue
        if parsed.type == "generic":
            continue
        base = PackageURL(type=parsed.type, namespace=parsed.namespace, name=parsed.name)
        if parsed.version:
            versioned.setdefault(base.to_string(), []).append(key)
        else:
            versionless[base.to_string()] = key
    for name, key in versionless.items():
        candidates = versioned.get(name, [])
        if len(candidates) == 1:
            groups[candidates[0]].extend(groups.pop(key))


def _merge(key: str, parts: list[Component]) -> Component:
    if len(parts) == 1:
        return parts[0]
    versioned = [p for p in parts if p.version]
    first = versioned[0] if versioned else parts[0]
    known = [p for p in parts if p.scope_known]  # an environment cannot tell dev from runtime
    evidence = tuple(dict.fromkeys(e for p in parts for e in p.licenses))
    expression, reason = effective_of(evidence)
    if expression is None and not evidence:
        reasons = [p.unknown_reason for p in parts if p.unknown_reason]
        reason = "; ".join(dict.fromkeys(reasons)) or reason
    return Component(
        purl=first.purl,  # as its source wrote it (qualifiers kept); the key only matches
        name=first.name,
        version=first.version,
        scope=widest_scope(*(p.scope for p in (known or parts))),
        scope_known=bool(known),
        direct=any(p.direct for p in parts),
        license_expression=expression,
        licenses=evidence,
        unknown_reason=None if expression else reason,
        vendored_path=next((p.vendored_path for p in parts if p.vendored_path), None),
        dependencies=tuple(sorted({d for p in parts for d in p.dependencies})),
        hashes=tuple(sorted({h for p in parts for h in p.hashes})),
        go_module_hash=next((p.go_module_hash for p in parts if p.go_module_hash), None),
        pinned=_pinned(parts),
    )


def _pinned(parts: Sequence[Component]) -> bool | None:
    """Pinned if every source that tells says so; one moving reference unpins it."""
    said = [p.pinned for p in parts if p.pinned is not None]
    return all(said) if said else None


def effective_of(evidence: Sequence[LicenseEvidence]) -> tuple[str | None, str | None]:
    """The effective license of a component's evidence, or None with the reason.

    A valid concluded license wins; otherwise declared and detected are combined by
    ``licensing.effective_license``."""
    concluded = [
        e.expression
        for e in evidence
        if e.source is LicenseSource.CONCLUDED and e.valid and e.expression
    ]
    if concluded:
        return concluded[0], None
    declared = [
        e.expression for e in evidence if e.source is LicenseSource.DECLARED and e.expression
    ]
    detected = [
        e.expression
        for e in evidence
        if e.source is LicenseSource.DETECTED and e.expression and e.counted
    ]
    return licensing.effective_license(declared, detected)
