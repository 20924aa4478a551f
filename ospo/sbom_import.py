# SPDX-License-Identifier: Apache-2.0
"""Reading an SBOM made by another tool into an inventory (CycloneDX JSON, spec 1.2-1.6).

The document is validated against the official schema of the version it declares, with
cyclonedx-python-lib; one that does not validate is an input error naming the file and the
place. ``metadata.component`` is the product (its license is the outbound license); a
component with ``scope: excluded`` is not shipped (dev/test). License statements keep their
provenance: ``acknowledgement: concluded`` becomes concluded evidence, anything else
declared, and ``evidence.licenses`` detected.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ospo import licensing
from ospo.errors import InputError
from ospo.inputs import read_input_text
from ospo.model import (
    Component,
    Inventory,
    LicenseEvidence,
    LicenseSource,
    ScanInfo,
    Scope,
    Subject,
    Tool,
)

_SUPPORTED = ("1.2", "1.3", "1.4", "1.5", "1.6")


def load_sbom(path: Path) -> Inventory:
    """Read the SBOM at ``path``; raise :class:`InputError` if it is not a valid one."""
    text = read_input_text(path, "SBOM file")
    stripped = text.lstrip()
    if stripped.startswith("<"):
        raise InputError(
            "CycloneDX XML is not read yet; export JSON (e.g. `cyclonedx-py ... --of JSON`)",
            path=str(path),
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", path=str(path), line=exc.lineno) from None
    if not isinstance(data, dict):
        raise InputError("not an SBOM (a JSON object was expected)", path=str(path))
    if data.get("bomFormat") == "CycloneDX":
        return _cyclonedx(data, text, path)
    if "spdxVersion" in data:
        raise InputError(
            "SPDX documents are not read yet; give a CycloneDX JSON SBOM", path=str(path)
        )
    if "schema_version" in data and "files" in data:
        raise InputError("this is an ospo inventory: use --inventory", path=str(path))
    raise InputError("not a CycloneDX SBOM (no bomFormat: CycloneDX)", path=str(path))


def _cyclonedx(data: dict[str, Any], text: str, path: Path) -> Inventory:
    from ospo.cdx_validation import validation_error

    version = str(data.get("specVersion", ""))
    if version not in _SUPPORTED:
        raise InputError(
            f"CycloneDX specVersion {version!r} is not supported ({', '.join(_SUPPORTED)})",
            path=str(path),
        )
    detail = validation_error(data, version)  # the most specific reason, if any
    if detail is not None:
        where = "/".join(str(p) for p in detail.absolute_path) or "(top level)"
        message = str(detail.message)
        if len(message) > 200:
            message = message[:200] + " …"
        raise InputError(
            f"not a valid CycloneDX {version} document at {where}: {message}", path=str(path)
        )

    metadata = data.get("metadata", {})
    product = metadata.get("component") or {}
    product_ref = product.get("bom-ref")
    outbound = _expressions(product.get("licenses", []))
    subject = Subject(
        name=product.get("name") or path.stem,
        version=product.get("version"),
        declared_license=licensing.combine_and(e for e, _ in outbound) if outbound else None,
    )
    edges = {
        d["ref"]: tuple(d.get("dependsOn", [])) for d in data.get("dependencies", []) if "ref" in d
    }
    components = list(_flatten(data.get("components", [])))
    purl_of: dict[str, str] = {
        str(c["bom-ref"]): str(c["purl"]) for c in components if c.get("bom-ref") and c.get("purl")
    }
    direct_refs = set(edges.get(product_ref, ())) if product_ref else set()
    out = []
    for comp in components:
        purl = comp.get("purl")
        if not purl or comp.get("type") in ("file", "application"):
            continue
        out.append(_component(comp, purl, edges, purl_of, direct_refs, product_ref))
    tools = _tools(metadata)
    return Inventory(
        subject=subject,
        components=tuple(sorted(out, key=lambda c: c.purl)),
        scan=ScanInfo(tools=tools, timestamp=metadata.get("timestamp")),
    )


def _component(
    comp: dict[str, Any],
    purl: str,
    edges: dict[str, tuple[str, ...]],
    purl_of: dict[str, str],
    direct_refs: set[str],
    product_ref: str | None,
) -> Component:
    evidence = []
    for expression, ack in _expressions(comp.get("licenses", [])):
        checked = licensing.check(expression)
        source = LicenseSource.CONCLUDED if ack == "concluded" else LicenseSource.DECLARED
        evidence.append(
            LicenseEvidence(
                expression=checked.normalized or expression,
                source=source,
                location="sbom",
                valid=checked.valid,
                note=None if checked.valid else "; ".join(checked.errors),
            )
        )
    for expression, _ in _expressions(comp.get("evidence", {}).get("licenses", [])):
        checked = licensing.check(expression)
        evidence.append(
            LicenseEvidence(
                expression=checked.normalized or expression,
                source=LicenseSource.DETECTED,
                location="sbom evidence",
                valid=checked.valid,
                note=None if checked.valid else "; ".join(checked.errors),
            )
        )
    concluded = [
        e.expression
        for e in evidence
        if e.source is LicenseSource.CONCLUDED and e.valid and e.expression
    ]
    effective: str | None
    reason: str | None
    if concluded:
        effective, reason = concluded[0], None
    else:
        effective, reason = licensing.effective_license(
            [e.expression for e in evidence if e.source is LicenseSource.DECLARED and e.expression],
            [e.expression for e in evidence if e.source is LicenseSource.DETECTED and e.expression],
        )
        if effective is None:
            reason = "the SBOM states no license" if not evidence else reason
    ref = str(comp.get("bom-ref") or "")
    return Component(
        purl=purl,
        name=comp.get("name") or purl,
        version=comp.get("version"),
        scope=Scope.DEV
        if comp.get("scope") == "excluded"
        else Scope.OPTIONAL
        if comp.get("scope") == "optional"
        else Scope.RUNTIME,
        direct=(ref in direct_refs) if product_ref else True,
        license_expression=effective,
        licenses=tuple(evidence),
        unknown_reason=reason if effective is None else None,
        dependencies=tuple(sorted({purl_of[r] for r in edges.get(ref, ()) if r in purl_of})),
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
