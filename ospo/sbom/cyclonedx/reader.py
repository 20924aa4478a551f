# SPDX-License-Identifier: Apache-2.0
"""Reading a CycloneDX SBOM (1.2-1.7, JSON or XML) into an inventory.

The document is validated against the official schema of the version it declares, with
cyclonedx-python-lib; one that does not validate is an input error naming the file and the
place. CycloneDX XML is validated against its XSD and turned into the JSON shape by
``ospo.sbom.cyclonedx.xml``; from there both are built into the inventory by the same code.

``metadata.component`` is the product (its license is the outbound license); a component
with ``scope: excluded``, or marked ``cdx:npm:package:development``, is a dev dependency
(not shipped), one with ``scope: optional`` optional. License statements keep their
provenance: ``acknowledgement: concluded`` becomes concluded evidence, anything else
declared, and ``evidence.licenses`` detected. The ``ospo:`` properties and evidence
occurrences that ospo's own SBOMs carry are read back, so that an exported SBOM imports to
the inventory it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ospo import licensing
from ospo.errors import InputError, quote
from ospo.merge import effective_of
from ospo.model import (
    Component,
    Inventory,
    IssueKind,
    LicenseSource,
    ScanInfo,
    ScanIssue,
    Scope,
    Subject,
    Tool,
    go_module_hash,
)
from ospo.sbom.base import SbomInput, SbomReader
from ospo.sbom.common import (
    CYCLONEDX_VERSIONS,
    DECLARED_LICENSE,
    DETECTED_CONTEXT,
    GO_MODULE_HASH,
    PINNED,
    SBOM_EVIDENCE,
    SCOPE,
    UNKNOWN_LICENSE_REASON,
    VCS_REVISION,
    VENDORED_PATH,
    checked_evidence,
    purl_problem,
    qualified_name,
    without_purl_note,
)


class CycloneDxJsonReader(SbomReader):
    """CycloneDX JSON: an object with ``bomFormat: CycloneDX``."""

    name = "cyclonedx-json"
    title = f"CycloneDX {CYCLONEDX_VERSIONS[0]}-{CYCLONEDX_VERSIONS[-1]} JSON"

    def sniff(self, source: SbomInput) -> bool:
        """Whether the content is a JSON object with ``bomFormat: CycloneDX``."""
        data = source.json_object()
        return data is not None and data.get("bomFormat") == "CycloneDX"

    def read(self, source: SbomInput) -> Inventory:
        """Validate the document against its version's schema and return its inventory."""
        return cyclonedx_inventory(source.json(), source.path)


def cyclonedx_inventory(data: dict[str, Any], path: Path, *, validate: bool = True) -> Inventory:
    """Turn a parsed CycloneDX document (JSON shape) into an inventory.

    With ``validate`` (the default) the document is first checked against the JSON schema
    of its ``specVersion``; the XML reader passes False, having validated against the XSD.
    """
    if not validate:
        return _build(data, path)
    from ospo.sbom.cyclonedx.validation import Validation

    version = str(data.get("specVersion", ""))
    if version not in CYCLONEDX_VERSIONS:
        raise InputError(
            f"CycloneDX specVersion {version!r} is not supported ({', '.join(CYCLONEDX_VERSIONS)})",
            path=str(path),
        )
    # a large document is read while most of it is being validated; a document that is
    # not valid is refused for that, whatever reading it made of it
    with Validation(data, version) as validation:
        try:
            inventory = _build(data, path)
        except Exception:
            _raise_invalid(validation.error(), version, path)
            raise
        _raise_invalid(validation.error(), version, path)
    return inventory


def _raise_invalid(detail: Any | None, version: str, path: Path) -> None:
    """Raise InputError for the schema error ``detail``, if there is one."""
    if detail is not None:
        where = "/".join(str(p) for p in detail.absolute_path) or "(top level)"
        message = str(detail.message)
        if len(message) > 200:
            message = message[:200] + " …"
        raise InputError(
            f"not a valid CycloneDX {version} document at {where}: {message}", path=str(path)
        )


def _build(data: dict[str, Any], path: Path) -> Inventory:
    metadata = data.get("metadata", {})
    product = metadata.get("component") or {}
    product_ref = product.get("bom-ref")
    outbound = _expressions(product.get("licenses", []))
    subject = Subject(
        name=product.get("name") or path.stem,
        version=product.get("version") or None,
        vcs_revision=_properties(product).get(VCS_REVISION),
        declared_license=licensing.combine_and(e for e, _ in outbound) if outbound else None,
    )
    edges = {
        d["ref"]: tuple(d.get("dependsOn", [])) for d in data.get("dependencies", []) if "ref" in d
    }
    components = list(_flatten(data.get("components", [])))
    purl_of: dict[str, str] = {
        str(c["bom-ref"]): str(c["purl"]) for c in components if c.get("bom-ref") and c.get("purl")
    }
    # without the product's own dependency entry, nothing says what is direct
    if product_ref not in edges:
        product_ref = None
    direct_refs = set(edges.get(product_ref, ())) if product_ref else set()
    out = []
    without = []
    for comp in components:
        purl = comp.get("purl")
        if comp.get("type") in ("file", "application"):
            continue
        if not purl:
            without.append(str(comp.get("name") or comp.get("bom-ref") or "?"))
            continue
        _check_purl(comp, purl, path)
        out.append(_component(comp, purl, edges, purl_of, direct_refs, product_ref))
    tools = _tools(metadata)
    notes = [without_purl_note(sorted(without))] if without else []
    return Inventory(
        subject=subject,
        components=tuple(sorted(out, key=lambda c: c.purl)),
        scan=ScanInfo(
            tools=tools,
            timestamp=metadata.get("timestamp"),
            issues=tuple(
                ScanIssue(kind=IssueKind.MANIFEST, path=str(path), message=f"CycloneDX: {n}")
                for n in notes
            ),
        ),
    )


def _component(
    comp: dict[str, Any],
    purl: str,
    edges: dict[str, tuple[str, ...]],
    purl_of: dict[str, str],
    direct_refs: set[str],
    product_ref: str | None,
) -> Component:
    # declarations a conclusion stands in front of in ``licenses`` (ospo's own SBOMs: there,
    # before 1.6 and its acknowledgement, they say that ``licenses`` holds a conclusion)
    behind = _property_values(comp, DECLARED_LICENSE)
    evidence = [checked_evidence(e, LicenseSource.DECLARED, "sbom") for e in behind]
    evidence.extend(
        checked_evidence(
            expression,
            LicenseSource.CONCLUDED
            if ack == "concluded" or (ack is None and behind)
            else LicenseSource.DECLARED,
            "sbom",
        )
        for expression, ack in _expressions(comp.get("licenses", []))
    )
    evidence.extend(
        checked_evidence(expression, LicenseSource.DETECTED, location)
        for expression, location in _detected(comp.get("evidence", {}))
    )
    effective, reason = effective_of(evidence)
    if effective is None and not evidence:
        reason = "the SBOM states no license"
    ref = str(comp.get("bom-ref") or "")
    properties = _properties(comp)
    return Component(
        purl=purl,
        name=qualified_name(comp["name"], comp.get("group"), purl) if comp.get("name") else purl,
        version=comp.get("version") or None,  # 1.2 and 1.3 require one: "" for none
        scope=_scope(comp.get("scope"), properties),
        direct=(ref in direct_refs) if product_ref else True,
        license_expression=effective,
        licenses=tuple(evidence),
        unknown_reason=(properties.get(UNKNOWN_LICENSE_REASON) or reason)
        if effective is None
        else None,
        vendored_path=properties.get(VENDORED_PATH),
        dependencies=tuple(sorted({purl_of[r] for r in edges.get(ref, ()) if r in purl_of})),
        hashes=_hashes(comp.get("hashes", [])),
        go_module_hash=go_module_hash(properties.get(GO_MODULE_HASH)),
        pinned={"true": True, "false": False}.get(properties.get(PINNED, "")),
    )


#: The hash algorithms an inventory keeps (CycloneDX names them as ospo does).
_KEPT_HASHES = frozenset({"SHA-1", "SHA-256", "SHA-384", "SHA-512"})


def _hashes(entries: Any) -> tuple[tuple[str, str], ...]:
    """(algorithm, lowercase hex) of the component's hashes that an inventory keeps."""
    found = {
        (str(h.get("alg")), str(h.get("content")).lower())
        for h in (entries if isinstance(entries, list) else ())
        if isinstance(h, dict) and h.get("alg") in _KEPT_HASHES and h.get("content")
    }
    return tuple(sorted(found))


def _scope(scope: str | None, properties: dict[str, str]) -> Scope:
    """``excluded`` and npm's development flag mean dev; ``optional`` optional; else runtime;
    ospo's own :data:`SCOPE` property says what ``excluded`` cannot (test).

    cyclonedx-npm leaves ``scope`` out, npm marks dev dependencies ``required`` and cdxgen
    some ``optional``: all three set the CycloneDX npm property
    ``cdx:npm:package:development`` on them.
    """
    if properties.get(SCOPE) in {s.value for s in Scope}:
        return Scope(properties[SCOPE])
    if scope == "excluded" or properties.get("cdx:npm:package:development") == "true":
        return Scope.DEV
    if scope == "optional":
        return Scope.OPTIONAL
    return Scope.RUNTIME


def _property_values(comp: dict[str, Any], name: str) -> list[str]:
    """Every value of the component's property ``name``, in order."""
    return [
        str(prop.get("value", ""))
        for prop in comp.get("properties", [])
        if isinstance(prop, dict) and prop.get("name") == name
    ]


def _properties(comp: dict[str, Any]) -> dict[str, str]:
    """The component's properties by name (the first value of a repeated name)."""
    out: dict[str, str] = {}
    for prop in comp.get("properties", []):
        if isinstance(prop, dict) and "name" in prop:
            out.setdefault(str(prop["name"]), str(prop.get("value", "")))
    return out


def _detected(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """(expression, location) of each detected license in ``evidence``.

    ospo's own SBOMs name the license found at each occurrence; other tools' occurrences
    say where the component was found, not its license, so their evidence keeps one
    location, :data:`SBOM_EVIDENCE` (so do ospo's before 1.6, which has no
    ``additionalContext``).
    """
    found = [
        (str(o["additionalContext"])[len(DETECTED_CONTEXT) :], str(o["location"]))
        for o in evidence.get("occurrences", [])
        if str(o.get("additionalContext", "")).startswith(DETECTED_CONTEXT) and o.get("location")
    ]
    if found:
        return found
    return [(e, SBOM_EVIDENCE) for e, _ in _expressions(evidence.get("licenses", []))]


def _check_purl(comp: dict[str, Any], purl: Any, path: Path) -> None:
    """Raise InputError naming the component if ``purl`` is not a package URL."""
    problem = purl_problem(str(purl))
    if problem is not None:
        name = comp.get("bom-ref") or comp.get("name") or "?"
        raise InputError(
            f"component {quote(name)}: purl {quote(purl)} is not a valid package URL ({problem})",
            path=str(path),
        )


def _flatten(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for comp in components:
        yield comp
        yield from _flatten(comp.get("components", []))


def _expressions(licenses: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """(expression, acknowledgement) for each license choice entry."""
    out: list[tuple[str, str | None]] = []
    for entry in licenses:
        if "expression" in entry:
            out.append((entry["expression"], entry.get("acknowledgement")))
        elif "license" in entry:
            lic = entry["license"]
            value = lic.get("id") or lic.get("name")
            if value:
                out.append((value, lic.get("acknowledgement")))
    return out


def _tools(metadata: dict[str, Any]) -> tuple[Tool, ...]:
    tools = metadata.get("tools", [])
    if isinstance(tools, dict):  # 1.5+: {components: [...], services: [...]}
        tools = tools.get("components", [])
    return tuple(
        Tool(name=str(t.get("name", "?")), version=str(t.get("version", "?")))
        for t in tools
        if isinstance(t, dict)
    )
