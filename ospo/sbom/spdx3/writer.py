# SPDX-License-Identifier: Apache-2.0
"""An inventory as SPDX 3.0.1 JSON-LD (the mapping is in the package's docstring)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from ospo.errors import OperationalError
from ospo.model import Component, Inventory, Scope
from ospo.reporters.base import RenderOptions, Reporter
from ospo.sbom.spdx3 import CONTEXT, CREATION, HASHES, VERSION
from ospo.sbom.spdx3.validation import first_error

#: Scope -> (relationship type, lifecycle scope) ospo writes.
_WRITE_EDGE = {
    Scope.RUNTIME: ("dependsOn", "runtime"),
    Scope.DEV: ("dependsOn", "development"),
    Scope.TEST: ("dependsOn", "test"),
    Scope.OPTIONAL: ("hasOptionalDependency", None),
}


# --- writing ------------------------------------------------------------------------


class Spdx3JsonReporter(Reporter):
    """SPDX 3.0 (3.0.1), JSON-LD."""

    name = "spdx3"
    title = "SPDX 3.0 JSON-LD SBOM"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the SBOM's JSON-LD text; raise if it does not validate."""
        return write_spdx3(inventory, options=options)


def write_spdx3(inventory: Inventory, *, options: RenderOptions | None = None) -> str:
    """Return the SPDX 3.0.1 JSON-LD document of ``inventory``, validated."""
    document = build_document(inventory, options or RenderOptions())
    found = first_error(document, VERSION)
    if found is not None:
        raise OperationalError(
            f"internal error: the SPDX {VERSION} document does not validate at "
            f"{found[0]}: {found[1]}"
        )
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build_document(inventory: Inventory, options: RenderOptions) -> dict[str, Any]:
    """Return the SPDX 3.0.1 JSON-LD document of ``inventory`` as a dict (not validated)."""
    from ospo import __version__
    from ospo.licensing import combine_and
    from ospo.model import LicenseSource
    from ospo.sbom.common import GO_MODULE_HASH_COMMENT, VENDORED_SOURCE_INFO, serial_number
    from ospo.sbom.common import created as created_at
    from ospo.sbom.spdx2.writer import LICENSEREF, NAMESPACE, NOT_ID, SCANCODE_DB, package_id

    subject = inventory.subject
    serial = options.serial_number or serial_number(inventory)
    slug = NOT_ID.sub("-", f"{subject.name}-{subject.version or 'unversioned'}").strip("-")
    base = f"{NAMESPACE}/{slug}-{serial}"
    created = created_at(inventory, options).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def element(kind: str, spdx_id: str, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "spdxId": spdx_id, "creationInfo": CREATION, **fields}

    tools: dict[str, dict[str, Any]] = {}
    for name, version in [
        ("ospo", __version__),
        *((t.name, t.version) for t in inventory.scan.tools),
    ]:
        tool_id = f"{base}#Tool-{NOT_ID.sub('-', name).strip('-')}"
        tools.setdefault(tool_id, element("Tool", tool_id, name=f"{name} {version}"))
    agent = element("SoftwareAgent", f"{base}#SoftwareAgent-ospo", name="ospo")
    creation = {
        "type": "CreationInfo",
        "@id": CREATION,
        "specVersion": VERSION,
        "created": created,
        "createdBy": [agent["spdxId"]],
        "createdUsing": list(tools),
    }
    product_id = f"{base}#SPDXRef-Product"
    sbom_id = f"{base}#SBOM"
    title = f"{subject.name} {subject.version}" if subject.version else subject.name
    graph: list[dict[str, Any]] = [
        creation,
        element(
            "SpdxDocument",
            base,
            name=title,
            profileConformance=["core", "software", "simpleLicensing"],
            rootElement=[sbom_id],
        ),
        element("software_Sbom", sbom_id, rootElement=[product_id], software_sbomType=["source"]),
        agent,
        *tools.values(),
    ]
    product: dict[str, Any] = {"name": subject.name, "software_primaryPurpose": "application"}
    if subject.version:
        product["software_packageVersion"] = subject.version
    if subject.vcs_revision:
        product["comment"] = f"VCS revision: {subject.vcs_revision}"
    graph.append(element("software_Package", product_id, **product))

    expressions: dict[str, dict[str, Any]] = {}
    relationships: list[dict[str, Any]] = []

    def relate(source: str, kind: str, targets: list[str], scope: str | None = None) -> None:
        key = "|".join([source, kind, scope or "", *targets])
        rel_id = f"{base}#Relationship-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"
        fields: dict[str, Any] = {"from": source, "relationshipType": kind, "to": targets}
        if scope is None:
            relationships.append(element("Relationship", rel_id, **fields))
        else:
            relationships.append(
                element("LifecycleScopedRelationship", rel_id, scope=scope, **fields)
            )

    def license_of(source: str, kind: str, text: str | None) -> None:
        if not text:
            return
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        expr_id = f"{base}#LicenseExpression-{digest}"
        fields: dict[str, Any] = {"simplelicensing_licenseExpression": text}
        scancode = sorted(
            {r for r in LICENSEREF.findall(text) if r.startswith("LicenseRef-scancode-")}
        )
        if scancode:  # where ScanCode's licenses are defined, as the 2.3 export points
            fields["simplelicensing_customIdToUri"] = [
                {
                    "type": "DictionaryEntry",
                    "key": ref,
                    "value": SCANCODE_DB.format(key=ref[len("LicenseRef-scancode-") :]),
                }
                for ref in scancode
            ]
        expressions.setdefault(
            expr_id, element("simplelicensing_LicenseExpression", expr_id, **fields)
        )
        relate(source, kind, [expr_id])

    license_of(product_id, "hasDeclaredLicense", subject.declared_license)
    ids = {c.purl: f"{base}#{package_id(c)}" for c in inventory.components}
    for comp in inventory.components:
        declared = [e for e in comp.licenses if e.source is LicenseSource.DECLARED and e.expression]
        invalid = [e.expression for e in declared if not e.valid]
        valid = combine_and(e.expression for e in declared if e.valid)
        fields: dict[str, Any] = {
            "name": comp.name,
            "software_packageUrl": comp.purl,
            "software_primaryPurpose": "library",
        }
        if comp.version:
            fields["software_packageVersion"] = comp.version
        if comp.vendored_path:
            fields["software_sourceInfo"] = f"{VENDORED_SOURCE_INFO}{comp.vendored_path}"
        comment = []
        if invalid and valid is None:
            comment.append(f"Declared as {', '.join(repr(i) for i in invalid)}: not SPDX.")
        if comp.go_module_hash:
            comment.append(f"{GO_MODULE_HASH_COMMENT}{comp.go_module_hash}")
        if comment:
            fields["comment"] = "\n".join(comment)
        if comp.hashes:
            fields["verifiedUsing"] = [
                {"type": "Hash", "algorithm": HASHES[a], "hashValue": v}
                for a, v in comp.hashes
                if a in HASHES
            ]
        graph.append(element("software_Package", ids[comp.purl], **fields))
        license_of(ids[comp.purl], "hasDeclaredLicense", valid)
        license_of(ids[comp.purl], "hasConcludedLicense", comp.license_expression)

    by_purl = {c.purl: c for c in inventory.components}

    def depends(source: str, targets: list[Component]) -> None:
        for scope in (Scope.RUNTIME, Scope.OPTIONAL, Scope.DEV, Scope.TEST):
            chosen = sorted(ids[t.purl] for t in targets if t.scope is scope)
            if chosen:
                kind, lifecycle = _WRITE_EDGE[scope]
                relate(source, kind, chosen, lifecycle)

    depends(product_id, [c for c in inventory.components if c.direct])
    for comp in inventory.components:
        deps = [by_purl[d] for d in sorted(comp.dependencies) if d in by_purl and d != comp.purl]
        depends(ids[comp.purl], deps)
    graph.extend(expressions[k] for k in sorted(expressions))
    graph.extend(relationships)
    return {"@context": CONTEXT, "@graph": graph}
