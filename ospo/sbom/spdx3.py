# SPDX-License-Identifier: Apache-2.0
"""SPDX 3.0 JSON-LD in and out, mapped as the SPDX 2.3 support maps (``ospo.sbom.spdx2``).

Both directions are checked against the official SPDX 3.0 JSON Schema
(``ospo.sbom.spdx3_validation``): a document that does not validate is an input error naming
the file and the element; an export that does not validate is a bug (an operational error).

Reading: the product is the package the ``SpdxDocument``'s root element is (through a
``software_Sbom`` or other collection), else the only package. Every other
``software_Package`` with a purl (``software_packageUrl`` or a ``packageUrl`` external
identifier) is a component; ``hasDeclaredLicense`` and ``hasConcludedLicense``
relationships to a license (a ``simplelicensing_LicenseExpression``, an
``expandedlicensing`` license, set or operator, a listed license's IRI) are declared and
concluded evidence; ``NoneLicense`` says the package has no license; ``NoAssertionLicense``
and no relationship are no evidence. ``dependsOn``, ``contains`` and ``hasPrerequisite``
are runtime edges and ``hasOptionalDependency`` an optional one; a
``LifecycleScopedRelationship``'s ``scope`` makes the edge dev (development, build, design)
or test. From there the graph, scopes, direct flags and components are built by the SPDX
2.3 reader's own code. The creation info's tools and time are the scan's.

Writing: an ``SpdxDocument`` whose root is a ``software_Sbom`` whose root is the product
package (its declared outbound license); one ``software_Package`` per component with its
purl, version, hashes (``verifiedUsing``) and vendored path (``software_sourceInfo``);
declared (the valid declared expressions joined with AND) and concluded (the effective)
licenses as ``simplelicensing_LicenseExpression`` elements linked by ``hasDeclaredLicense``
and ``hasConcludedLicense``; ``dependsOn`` relationships with a lifecycle scope (runtime,
development, test) and ``hasOptionalDependency`` for optional components. Ids derive from
the inventory like the SPDX 2.3 export's namespace, so one inventory gives one document.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections import deque
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any, NamedTuple

from ospo.errors import InputError, OperationalError
from ospo.model import Component, Inventory, IssueKind, ScanInfo, ScanIssue, Scope, Subject, Tool
from ospo.reporters.base import RenderOptions, Reporter
from ospo.sbom.base import SbomInput, SbomReader
from ospo.sbom.spdx3_validation import CONTEXTS, first_error

#: The version ospo writes.
VERSION = "3.0.1"
_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
_CREATION = "_:creationinfo"
_TERMS = ("https://spdx.org/rdf/3.0.0/terms/", "https://spdx.org/rdf/3.0.1/terms/")
_LISTED = ("https://spdx.org/licenses/", "http://spdx.org/licenses/")
#: The individuals SPDX defines, as the JSON-LD context compacts their IRIs.
_INDIVIDUALS = {
    "expandedlicensing_NoneLicense": "NONE",
    "expandedlicensing_NoAssertionLicense": "NOASSERTION",
    "NoneElement": "NONE",
    "NoAssertionElement": "NOASSERTION",
}
#: The same, as full IRIs (after one of ``_TERMS``).
_INDIVIDUAL_IRIS = {
    "ExpandedLicensing/NoneLicense": "NONE",
    "ExpandedLicensing/NoAssertionLicense": "NOASSERTION",
    "Core/NoneElement": "NONE",
    "Core/NoAssertionElement": "NOASSERTION",
}
_COLLECTIONS = ("SpdxDocument", "software_Sbom", "Bom", "Bundle", "ai_AIPackage")

#: Relationship type -> the scope of the edge it makes (3.0.0 spells one type wrongly).
_EDGES = {
    "dependsOn": Scope.RUNTIME,
    "contains": Scope.RUNTIME,
    "hasPrerequisite": Scope.RUNTIME,
    "hasPrerequsite": Scope.RUNTIME,
    "hasOptionalDependency": Scope.OPTIONAL,
}
#: ``LifecycleScopeType`` -> scope; runtime and other leave the edge's own scope.
_LIFECYCLE = {
    "development": Scope.DEV,
    "build": Scope.DEV,
    "design": Scope.DEV,
    "test": Scope.TEST,
}
#: Scope -> (relationship type, lifecycle scope) ospo writes.
_WRITE_EDGE = {
    Scope.RUNTIME: ("dependsOn", "runtime"),
    Scope.DEV: ("dependsOn", "development"),
    Scope.TEST: ("dependsOn", "test"),
    Scope.OPTIONAL: ("hasOptionalDependency", None),
}
#: How ospo's export quotes declarations that are not SPDX expressions (``comment``).
_DECLARED_AS = re.compile(r"^Declared as (.+): not SPDX\.$", re.S)
#: Inventory hash names <-> SPDX 3 ``HashAlgorithm``.
_HASHES = {"SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def sniff(data: object) -> bool:
    """Whether ``data`` (parsed JSON) is an SPDX 3.0 JSON-LD document, by its ``@context``."""
    context = data.get("@context") if isinstance(data, dict) else None
    return isinstance(context, str) and context in CONTEXTS


class Spdx3JsonReader(SbomReader):
    """SPDX 3.0 JSON-LD: an object whose ``@context`` is SPDX 3.0's."""

    name = "spdx3-json"
    title = "SPDX 3.0 JSON-LD"

    def sniff(self, source: SbomInput) -> bool:
        """Whether the content is a JSON object with SPDX 3.0's ``@context``."""
        return sniff(source.json_object())

    def read(self, source: SbomInput) -> Inventory:
        """Validate the document against the SPDX 3.0 schema and return its inventory."""
        return read_spdx3(source.json(), source.text, source.path)


# --- reading ------------------------------------------------------------------------


class _Checksum(NamedTuple):
    """A package hash in the shape ``ospo.sbom.spdx2`` reads (spdx-tools' ``Checksum``)."""

    algorithm: Any
    value: str


class _Algorithm(NamedTuple):
    name: str


@dataclass(frozen=True, slots=True)
class _Package:
    """An SPDX 3 package in the shape ``ospo.sbom.spdx2`` reads (spdx-tools' ``Package``)."""

    name: str | None
    version: str | None
    license_declared: Any
    license_concluded: Any
    source_info: str | None
    checksums: tuple[_Checksum, ...]
    license_info_from_files: tuple[Any, ...] = ()
    license_comment: str | None = None


def read_spdx3(data: dict[str, Any], text: str, path: Path) -> Inventory:
    """Validate a parsed SPDX 3.0 JSON-LD document and turn it into an inventory."""
    del text  # the parsed form is enough; kept for the shape of the other loaders
    context = data.get("@context")
    version = CONTEXTS.get(context) if isinstance(context, str) else None
    if version is None:
        raise InputError(
            f"not an SPDX 3.0 document: @context {context!r} is not one of " + ", ".join(CONTEXTS),
            path=str(path),
        )
    if not isinstance(data.get("@graph"), list):
        raise InputError(
            f"not an SPDX {version} document ospo reads: no @graph (the list of elements)",
            path=str(path),
        )
    found = first_error(data, version)
    if found is not None:
        raise InputError(
            f"not a valid SPDX {version} document at {found[0]}: {found[1]}", path=str(path)
        )
    return _Reader(data, version, path).inventory()


class _Reader:
    """One document being read: its elements by id and what refers to what."""

    def __init__(self, data: dict[str, Any], version: str, path: Path) -> None:
        self.version = version
        self.path = path
        self.graph: list[dict[str, Any]] = data["@graph"]
        self.where: dict[str, str] = {}
        self.elements: dict[str, dict[str, Any]] = {}
        for number, element in enumerate(self.graph):
            key = element.get("spdxId") or element.get("@id")
            if isinstance(key, str):
                if key in self.elements:
                    raise self.error(f"@graph/{number}", f"{key!r} is defined twice")
                self.elements[key] = element
                self.where[key] = f"@graph/{number} ({key})"
        imported = [
            e.get("externalSpdxId")
            for doc in self.of_type("SpdxDocument")
            for e in doc.get("import", doc.get("imports", []))
            if isinstance(e, dict)
        ]
        self.external = {e for e in imported if isinstance(e, str)}

    def error(self, where: str, message: str) -> InputError:
        return InputError(
            f"not a valid SPDX {self.version} document at {where}: {message}", path=str(self.path)
        )

    def of_type(self, *kinds: str) -> list[dict[str, Any]]:
        return [e for e in self.graph if e.get("type") in kinds]

    def refers(self, element: dict[str, Any], key: str, target: object) -> str | None:
        """The id ``element`` names in ``key``; an error if the document does not define it."""
        if isinstance(target, dict):  # an element given in place
            target = target.get("spdxId") or target.get("@id")
        if not isinstance(target, str):
            return None
        if target in self.elements or target in self.external:
            return target
        if target.startswith(_TERMS + _LISTED) or target in _INDIVIDUALS:
            return target
        where = self.where.get(str(element.get("spdxId")), "@graph")
        raise self.error(where, f"{key} names {target!r}, which the document does not define")

    def inventory(self) -> Inventory:
        from ospo.sbom.spdx2.reader import component_of, merge_same_purl, outbound_license

        packages = {e["spdxId"]: e for e in self.of_type("software_Package")}
        product_id = self.product(packages)
        notes: list[str] = []
        purls = {i: p for i, e in packages.items() if (p := _purl(e)) and i != product_id}
        without = sorted(
            str(e.get("name") or i)
            for i, e in packages.items()
            if i not in purls and i != product_id
        )
        if without:
            notes.append(
                f"{len(without)} package(s) without a purl are not components: "
                + ", ".join(without[:10])
                + (" …" if len(without) > 10 else "")
            )
        declared, concluded, children = self.relationships(packages)
        graph, direct, scopes = component_graph(children, list(purls), product_id)

        components: dict[str, Component] = {}
        for spdx_id, purl in purls.items():
            comp = component_of(
                self.package(packages[spdx_id], declared, concluded),
                purl,
                scope=scopes.get(spdx_id, Scope.RUNTIME),
                direct=spdx_id in direct,
                dependencies=sorted({purls[c] for c, _ in graph[spdx_id]} - {purl}),
            )
            earlier = components.get(purl)
            components[purl] = comp if earlier is None else merge_same_purl(earlier, comp)

        product = packages.get(product_id) if product_id else None
        document = next(iter(self.of_type("SpdxDocument")), None)
        name = (product or {}).get("name") or (document or {}).get("name") or self.path.stem
        creation = self.creation_info(product or document or next(iter(self.graph), {}))
        return Inventory(
            subject=Subject(
                name=str(name),
                version=product.get("software_packageVersion") if product else None,
                declared_license=(
                    outbound_license(self.package(product, declared, concluded))
                    if product
                    else None
                ),
            ),
            components=tuple(sorted(components.values(), key=lambda c: c.purl)),
            scan=ScanInfo(
                tools=self.tools(creation),
                timestamp=creation.get("created"),
                issues=tuple(
                    ScanIssue(kind=IssueKind.MANIFEST, path=str(self.path), message=f"SPDX: {n}")
                    for n in notes
                ),
            ),
        )

    def product(self, packages: dict[str, dict[str, Any]]) -> str | None:
        """The package the document's root elements lead to, else the only package."""
        queue = deque(
            self.refers(doc, "rootElement", r)
            for doc in self.of_type("SpdxDocument")
            for r in doc.get("rootElement", [])
        )
        seen: set[str] = set()
        while queue:
            node = queue.popleft()
            if node is None or node in seen:
                continue
            seen.add(node)
            if node in packages:
                return node
            element = self.elements.get(node, {})
            if element.get("type") in _COLLECTIONS:
                queue.extend(
                    self.refers(element, "rootElement", r) for r in element.get("rootElement", [])
                )
        return next(iter(packages)) if len(packages) == 1 else None

    def relationships(
        self, packages: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[tuple[str, Scope]]]]:
        """Declared and concluded license texts of each package, and the dependency edges."""
        declared: dict[str, list[str]] = {}
        concluded: dict[str, list[str]] = {}
        children: dict[str, list[tuple[str, Scope]]] = {}
        for rel in self.of_type("Relationship", "LifecycleScopedRelationship"):
            source = self.refers(rel, "from", rel.get("from"))
            targets = [self.refers(rel, "to", t) for t in rel.get("to", [])]
            kind = rel.get("relationshipType")
            if kind in ("hasDeclaredLicense", "hasConcludedLicense") and source in packages:
                found = declared if kind == "hasDeclaredLicense" else concluded
                found.setdefault(source, []).extend(self.license(t, rel) for t in targets if t)
            elif kind in _EDGES and source in packages:
                scope = _EDGES[kind]
                lifecycle = _LIFECYCLE.get(str(rel.get("scope")))
                if lifecycle is not None:
                    from ospo.sbom.spdx2.reader import least_shipped

                    scope = least_shipped(scope, lifecycle)
                children.setdefault(source, []).extend(
                    (t, scope) for t in targets if t in packages and t != source
                )
        return declared, concluded, children

    def license(
        self, target: str, rel: dict[str, Any], inside: frozenset[str] = frozenset()
    ) -> str:
        """The SPDX expression text of a license element or IRI; NONE/NOASSERTION as such."""
        if target in inside:
            raise self.error(self.where[target], "the license contains itself")
        if target in _INDIVIDUALS:
            return _INDIVIDUALS[target]
        for terms in _TERMS:
            if target.startswith(terms) and target[len(terms) :] in _INDIVIDUAL_IRIS:
                return _INDIVIDUAL_IRIS[target[len(terms) :]]
        if target.startswith(_LISTED):
            return target.rsplit("/", 1)[1]
        element = self.elements.get(target)
        if element is None:
            raise self.error(
                self.where.get(str(rel.get("spdxId")), "@graph"), f"{target!r} is not a license"
            )
        kind = str(element.get("type"))
        if kind == "simplelicensing_LicenseExpression":
            return str(element.get("simplelicensing_licenseExpression", ""))
        if kind == "simplelicensing_SimpleLicensingText":  # a license named, not an expression
            return str(element.get("name") or element.get("simplelicensing_licenseText", ""))

        def member(key: str) -> str:
            ref = self.refers(element, key, element.get(key))
            if ref is None:
                raise self.error(self.where[target], f"{key} is missing")
            return self.license(ref, element, inside | {target})

        def members(joiner: str) -> str:
            refs = [
                self.refers(element, "member", m)
                for m in element.get("expandedlicensing_member", [])
            ]
            return joiner.join(
                f"({self.license(r, element, inside | {target})})" for r in refs if r
            )

        if kind == "expandedlicensing_ConjunctiveLicenseSet":
            return members(" AND ")
        if kind == "expandedlicensing_DisjunctiveLicenseSet":
            return members(" OR ")
        if kind == "expandedlicensing_OrLaterOperator":
            subject = member("expandedlicensing_subjectLicense")
            if subject.endswith("-only"):  # GPL-2.0-only, or later: GPL-2.0-or-later
                return subject[: -len("-only")] + "-or-later"
            return subject + "+"
        if kind == "expandedlicensing_WithAdditionOperator":
            return (
                member("expandedlicensing_subjectExtendableLicense")
                + " WITH "
                + member("expandedlicensing_subjectAddition")
            )
        if kind.startswith("expandedlicensing_"):  # a license or addition: its id
            tail = target.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            return (
                tail
                if tail.startswith(("LicenseRef-", "AdditionRef-")) or target.startswith(_LISTED)
                else str(element.get("name") or tail)
            )
        raise self.error(self.where[target], f"a {kind} is not a license")

    def package(
        self,
        element: dict[str, Any],
        declared: dict[str, list[str]],
        concluded: dict[str, list[str]],
    ) -> _Package:
        spdx_id = element["spdxId"]
        said = declared.get(spdx_id, [])
        comment = _DECLARED_AS.match(str(element.get("comment", "")))
        if not said and comment:  # ospo's export: declarations that are not SPDX
            import ast

            with contextlib.suppress(ValueError, SyntaxError):
                said = [str(t) for t in ast.literal_eval(f"[{comment.group(1)}]")]
        return _Package(
            name=element.get("name"),
            version=element.get("software_packageVersion"),
            license_declared=_license_value(said),
            license_concluded=_license_value(concluded.get(spdx_id, [])),
            source_info=element.get("software_sourceInfo"),
            license_comment=element.get("comment"),
            checksums=tuple(
                _Checksum(_Algorithm(str(h.get("algorithm", "")).upper()), str(h.get("hashValue")))
                for h in element.get("verifiedUsing", [])
                if isinstance(h, dict) and h.get("type") == "Hash"
            ),
        )

    def creation_info(self, element: dict[str, Any]) -> dict[str, Any]:
        info = element.get("creationInfo")
        if isinstance(info, str):
            info = self.elements.get(info)
        if not isinstance(info, dict):
            raise self.error(
                self.where.get(str(element.get("spdxId")), "@graph"), "no creationInfo"
            )
        return info

    def tools(self, creation: dict[str, Any]) -> tuple[Tool, ...]:
        from packageurl import PackageURL

        from ospo.sbom.spdx2.reader import tool_of_creator

        out = []
        for ref in creation.get("createdUsing", []):
            tool = self.elements.get(str(self.refers(creation, "createdUsing", ref)), {})
            name = str(tool.get("name") or "")
            version = None
            for ident in tool.get("externalIdentifier", []):
                if ident.get("externalIdentifierType") == "packageUrl":
                    with contextlib.suppress(ValueError):
                        version = PackageURL.from_string(str(ident.get("identifier"))).version
            if name:
                out.append(Tool(name=name, version=version) if version else tool_of_creator(name))
        return tuple(out)


def _purl(element: dict[str, Any]) -> str | None:
    purl = element.get("software_packageUrl")
    if isinstance(purl, str) and purl:
        return purl
    for ident in element.get("externalIdentifier", []):
        if ident.get("externalIdentifierType") == "packageUrl" and ident.get("identifier"):
            return str(ident["identifier"])
    return None


def _license_value(texts: list[str]) -> Any:
    """One license field as ``ospo.sbom.spdx2`` reads it: NONE, NOASSERTION (None) or the text."""
    from spdx_tools.spdx.model.spdx_none import SpdxNone

    if "NONE" in texts:
        return SpdxNone()
    found = [t for t in texts if t and t != "NOASSERTION"]
    if not found:
        return None
    return found[0] if len(found) == 1 else " AND ".join(f"({t})" for t in found)


def component_graph(
    children: dict[str, list[tuple[str, Scope]]], components: list[str], product: str | None
) -> tuple[dict[str, list[tuple[str, Scope]]], set[str], dict[str, Scope]]:
    """The component graph (edges passing through packages that are not components), the
    direct components and each component's scope, from the package edges."""
    from ospo.sbom.spdx2.reader import least_shipped, scopes_from

    wanted = set(components)

    def component_children(node: str) -> list[tuple[str, Scope]]:
        out: list[tuple[str, Scope]] = []
        seen = {node}
        queue: deque[tuple[str, Scope]] = deque(children.get(node, []))
        while queue:
            child, scope = queue.popleft()
            if child in seen:
                continue
            seen.add(child)
            if child in wanted:
                out.append((child, scope))
            else:
                queue.extend((c, least_shipped(scope, s)) for c, s in children.get(child, []))
        return out

    graph = {
        node: component_children(node) for node in [*components, *([product] if product else [])]
    }
    if product is not None:
        roots = [product]
        direct = {c for c, _ in graph[product]}
    else:
        reached = {c for node in components for c, _ in graph[node]}
        roots = [node for node in components if node not in reached]
        direct = set(components)
    return graph, direct, scopes_from(roots, graph)


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
    from ospo.sbom.common import VENDORED_SOURCE_INFO, serial_number
    from ospo.sbom.common import created as created_at
    from ospo.sbom.spdx2.writer import LICENSEREF, NAMESPACE, NOT_ID, SCANCODE_DB, package_id

    subject = inventory.subject
    serial = options.serial_number or serial_number(inventory)
    slug = NOT_ID.sub("-", f"{subject.name}-{subject.version or 'unversioned'}").strip("-")
    base = f"{NAMESPACE}/{slug}-{serial}"
    created = created_at(inventory, options).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def element(kind: str, spdx_id: str, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "spdxId": spdx_id, "creationInfo": _CREATION, **fields}

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
        "@id": _CREATION,
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
        if invalid and valid is None:
            fields["comment"] = f"Declared as {', '.join(repr(i) for i in invalid)}: not SPDX."
        if comp.hashes:
            fields["verifiedUsing"] = [
                {"type": "Hash", "algorithm": _HASHES[a], "hashValue": v}
                for a, v in comp.hashes
                if a in _HASHES
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
    return {"@context": _CONTEXT, "@graph": graph}
