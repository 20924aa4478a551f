# SPDX-License-Identifier: Apache-2.0
"""Compare what cyclonedx-npm and ospo say about the packages of one npm project.

Packages are compared by package URL without qualifiers (``pkg:npm/%40s/n@1.0.0``):
cyclonedx-npm lists every installed copy (nested ``node_modules`` included, as nested
components), ospo one component per name and version. For the packages both list, the
license cyclonedx-npm gives (the ``license`` of each ``package.json``, as it writes it) is
compared with

* ospo's declared license from the same ``package.json`` (the same source: these should
  agree), and
* ospo's effective license (``license_expression`` of the inventory: the declaration,
  refined by what the package's own license files say),

and every disagreement is put in one class, with the evidence. Expressions are compared
with license-expression (equivalent expressions agree: ``MIT OR Apache-2.0`` is
``Apache-2.0 OR MIT``), independently of ospo's own licensing adapter.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from license_expression import ExpressionError, Licensing, get_spdx_licensing
from packageurl import PackageURL

SAME = "same license"
ADDED = "ospo adds a license found in the package's license files (declared one kept)"
REFINED = "package.json license is not SPDX; ospo takes the license files' license"
FOUND = "no license in package.json; ospo finds one in the license files"
OBJECT = "cyclonedx-npm gives none; ospo reads the deprecated {type, url} or licenses form"
NEITHER = "neither tool gives a license"
KEPT_UNKNOWN = "package.json license is not SPDX; ospo leaves it unknown, with the reason"
DROPPED = "ospo gives no license where cyclonedx-npm gives an SPDX one"
OTHER = "different licenses"
CATEGORIES = (SAME, ADDED, REFINED, FOUND, OBJECT, NEITHER, KEPT_UNKNOWN, DROPPED, OTHER)


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerPackage:
    """One package as cyclonedx-npm lists it (all its installed copies together)."""

    purl: str
    licenses: tuple[str, ...]  # as written: SPDX ids, expressions or names
    kind: str  # "SPDX id", "SPDX expression", "name", "several", "none"
    instances: int
    development: bool  # every copy is marked cdx:npm:package:development
    optional: bool  # some copy has scope "optional"


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One package both tools list, and how their licenses compare."""

    purl: str
    peer: str | None
    peer_kind: str
    declared: str | None  # ospo's declaration from package.json (raw text if not SPDX)
    effective: str | None
    detected: tuple[str, ...]  # "EXPRESSION (location)"
    unknown_reason: str | None
    category: str
    declared_agrees: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """The whole comparison."""

    peer_instances: int
    peer_packages: int
    ours_packages: int
    rows: tuple[Row, ...]
    only_peer: tuple[tuple[str, str], ...]  # (purl, why)
    only_ours: tuple[tuple[str, str], ...]
    categories: dict[str, int]
    declared_agree: int
    dev_agree: int
    dev_differ: tuple[tuple[str, str, str], ...]  # (purl, peer, ours)
    optional_agree: int
    optional_differ: tuple[tuple[str, str, str], ...]
    sbom_matches_inventory: bool  # ospo's SBOM lists exactly the inventory's packages
    sbom_declared_agree: int  # ospo SBOM ``licenses`` equivalent to cyclonedx-npm's
    top_licenses: tuple[tuple[str, int, int], ...]  # (expression, peer, ospo effective)
    notes: tuple[str, ...] = field(default=())


def compare(
    peer_sbom: Path, ours_inventory: Path, ours_sbom: Path, lock: Path, installed: set[str]
) -> Comparison:
    """Compare cyclonedx-npm's SBOM with ospo's inventory and SBOM of the same project.

    ``installed`` holds the relative paths of the package directories in ``node_modules``.
    """
    peer = _peer_packages(_load(peer_sbom))
    inventory = _load(ours_inventory)
    ours = {
        _plain(c["purl"]): c for c in inventory["components"] if c["purl"].startswith("pkg:npm/")
    }
    sbom = _load(ours_sbom)
    sbom_libraries = {
        _plain(c["purl"]): c for c in sbom.get("components", []) if c.get("type") == "library"
    }
    lock_entries = _lock_by_purl(_load(lock))

    rows = []
    for purl in sorted(peer.keys() & ours.keys()):
        rows.append(_row(peer[purl], ours[purl]))
    categories = Counter(r.category for r in rows)

    only_peer = tuple(
        (
            p,
            "not in ospo's inventory"
            + (" (not in the lock file)" if p not in lock_entries else ""),
        )
        for p in sorted(peer.keys() - ours.keys())
    )
    only_ours = tuple(
        (p, _why_not_installed(lock_entries.get(p, []), installed))
        for p in sorted(ours.keys() - peer.keys())
    )

    dev_differ, optional_differ = [], []
    for purl in sorted(peer.keys() & ours.keys()):
        scope = ours[purl]["scope"]
        ours_dev = scope in ("dev", "test")
        if peer[purl].development != ours_dev:
            dev_differ.append(
                (purl, "development" if peer[purl].development else "not development", scope)
            )
        if peer[purl].optional != (scope == "optional"):
            optional_differ.append((purl, "optional" if peer[purl].optional else "required", scope))
    both = len(rows)

    sbom_declared_agree = 0
    for purl in peer.keys() & sbom_libraries.keys():
        theirs = _joined(peer[purl].licenses)
        mine = _joined(tuple(_license_strings(sbom_libraries[purl].get("licenses", []))))
        if _agree(theirs, mine):
            sbom_declared_agree += 1

    peer_top = Counter(_norm(_joined(p.licenses)) or "(none)" for p in peer.values())
    ours_top = Counter(_norm(c["license_expression"]) or "(none)" for c in ours.values())
    top = tuple(
        (expression, peer_top.get(expression, 0), ours_top.get(expression, 0))
        for expression, _ in (peer_top + ours_top).most_common(12)
    )
    return Comparison(
        peer_instances=sum(p.instances for p in peer.values()),
        peer_packages=len(peer),
        ours_packages=len(ours),
        rows=tuple(rows),
        only_peer=only_peer,
        only_ours=only_ours,
        categories={c: categories.get(c, 0) for c in CATEGORIES},
        declared_agree=sum(1 for r in rows if r.declared_agrees),
        dev_agree=both - len(dev_differ),
        dev_differ=tuple(dev_differ),
        optional_agree=both - len(optional_differ),
        optional_differ=tuple(optional_differ),
        sbom_matches_inventory=set(sbom_libraries) == set(ours),
        sbom_declared_agree=sbom_declared_agree,
        top_licenses=top,
    )


def sbom_packages(path: Path) -> list[dict[str, Any]]:
    """The library components of a CycloneDX JSON SBOM (nested ones included), as loaded."""
    return list(_walk(_load(path).get("components", [])))


# --- cyclonedx-npm ---------------------------------------------------------------------


def _peer_packages(bom: dict[str, Any]) -> dict[str, PeerPackage]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for component in _walk(bom.get("components", [])):
        if component.get("purl"):
            grouped.setdefault(_plain(component["purl"]), []).append(component)
    out = {}
    for purl, copies in grouped.items():
        licenses = tuple(
            dict.fromkeys(s for c in copies for s in _license_strings(c.get("licenses", [])))
        )
        entries = copies[0].get("licenses", [])
        if not entries:
            kind = "none"
        elif len(entries) > 1:
            kind = "several"
        elif "expression" in entries[0]:
            kind = "SPDX expression"
        elif "id" in entries[0].get("license", {}):
            kind = "SPDX id"
        else:
            kind = "name"
        out[purl] = PeerPackage(
            purl=purl,
            licenses=licenses,
            kind=kind,
            instances=len(copies),
            development=all(_property(c, "cdx:npm:package:development") == "true" for c in copies),
            optional=any(c.get("scope") == "optional" for c in copies),
        )
    return out


def _walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk(component.get("components", []))


def _property(component: dict[str, Any], name: str) -> str | None:
    for prop in component.get("properties", []):
        if prop.get("name") == name:
            return str(prop.get("value"))
    return None


def _license_strings(entries: list[dict[str, Any]]) -> Iterator[str]:
    for entry in entries:
        if "expression" in entry:
            yield str(entry["expression"])
        elif "license" in entry:
            lic = entry["license"]
            if lic.get("id") or lic.get("name"):
                yield str(lic.get("id") or lic.get("name"))


# --- ospo ------------------------------------------------------------------------------


def _row(peer: PeerPackage, ours: dict[str, Any]) -> Row:
    evidence = ours.get("licenses", [])
    from_manifests = [
        e
        for e in evidence
        if e["source"] == "declared" and str(e.get("location", "")).endswith("/package.json")
    ]
    declared = _joined(
        tuple(dict.fromkeys(e["expression"] for e in from_manifests if e["expression"]))
    )
    detected = tuple(
        f"{e['expression']} ({e.get('location')})"
        for e in evidence
        if e["source"] == "detected" and e["expression"]
    )
    theirs = _joined(peer.licenses)
    effective = ours.get("license_expression")
    return Row(
        purl=peer.purl,
        peer=theirs,
        peer_kind=peer.kind,
        declared=declared,
        effective=effective,
        detected=detected,
        unknown_reason=ours.get("unknown_reason"),
        category=_category(theirs, declared, effective, bool(detected)),
        declared_agrees=_agree(theirs, declared),
    )


def _category(
    theirs: str | None, declared: str | None, effective: str | None, detected: bool
) -> str:
    valid = theirs is not None and _valid(theirs)
    if theirs is None:
        if effective is None:
            return NEITHER
        return OBJECT if declared is not None else FOUND
    if effective is None:
        return DROPPED if valid else KEPT_UNKNOWN
    if not valid:
        return REFINED
    if _agree(theirs, effective):
        return SAME
    if detected and _keys(theirs) <= _keys(effective):
        return ADDED
    return OTHER


# --- license expressions -----------------------------------------------------------------


@cache
def _licensing() -> Licensing:
    return get_spdx_licensing()


@cache
def _parsed(text: str) -> Any:
    try:
        info = _licensing().validate(text)
    except (AttributeError, ExpressionError):
        return None
    if info.errors or info.invalid_symbols:
        return None
    return _licensing().parse(info.normalized_expression)


def _valid(text: str) -> bool:
    return _parsed(text) is not None


def _norm(text: str | None) -> str | None:
    if text is None:
        return None
    parsed = _parsed(text)
    return text if parsed is None else str(parsed.simplify())


def _keys(text: str) -> set[str]:
    parsed = _parsed(text)
    return set() if parsed is None else set(_licensing().license_keys(parsed))


def _agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    pa, pb = _parsed(a), _parsed(b)
    if pa is None or pb is None:
        return a.strip().lower() == b.strip().lower()
    return bool(_licensing().is_equivalent(pa, pb))


def _joined(items: tuple[str, ...]) -> str | None:
    """One expression for a list of licenses (npm's legacy ``licenses`` list is a choice)."""
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return " OR ".join(f"({i})" if " " in i else i for i in items)


# --- lock file ---------------------------------------------------------------------------


def _lock_by_purl(lock: dict[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path, entry in lock.get("packages", {}).items():
        if not path or entry.get("link"):
            continue
        name = entry.get("name") or path.rsplit("node_modules/", 1)[-1]
        namespace, _, short = name.rpartition("/")
        purl = PackageURL(
            type="npm", namespace=namespace or None, name=short, version=entry.get("version")
        ).to_string()
        out.setdefault(purl, []).append((path, entry))
    return out


def _why_not_installed(entries: list[tuple[str, dict[str, Any]]], installed: set[str]) -> str:
    if not entries:
        return "not in the lock file"
    if any(path in installed for path, _ in entries):
        return "installed, but cyclonedx-npm does not list it"
    platform = [e for _, e in entries if e.get("os") or e.get("cpu")]
    if platform and all(e.get("optional") or e.get("devOptional") for _, e in entries):
        e = platform[0]
        where = "/".join(x for x in (",".join(e.get("os", [])), ",".join(e.get("cpu", []))) if x)
        return f"optional, for another platform ({where}): in the lock file, not installed here"
    return "in the lock file, not installed"


# --- helpers ----------------------------------------------------------------------------


def _plain(purl: str) -> str:
    parsed = PackageURL.from_string(purl)
    return PackageURL(
        type=parsed.type, namespace=parsed.namespace, name=parsed.name, version=parsed.version
    ).to_string()


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
