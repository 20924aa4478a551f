# SPDX-License-Identifier: Apache-2.0
"""SPDX 3.0 JSON-LD into an inventory (the mapping is in the package's docstring)."""

from __future__ import annotations

import contextlib
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ospo.errors import InputError, quote
from ospo.model import Inventory, IssueKind, ScanInfo, ScanIssue, Scope, Subject, Tool
from ospo.sbom.base import SbomInput, SbomReader
from ospo.sbom.common import purl_problem, without_purl_note
from ospo.sbom.spdx3 import DECLARED_AS
from ospo.sbom.spdx3.validation import CONTEXTS, first_error

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
    comment: str | None = None


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
        from ospo.sbom.spdx2.reader import (
            component_graph,
            components_of,
            outbound_license,
        )

        packages = {e["spdxId"]: e for e in self.of_type("software_Package")}
        product_id = self.product(packages)
        notes: list[str] = []
        purls = {i: p for i, e in packages.items() if (p := _purl(e)) and i != product_id}
        for spdx_id, purl in purls.items():
            if (problem := purl_problem(purl)) is not None:
                where = self.where.get(spdx_id, spdx_id)
                raise self.error(where, f"{quote(purl)} is not a valid package URL ({problem})")
        without = sorted(
            str(e.get("name") or i)
            for i, e in packages.items()
            if i not in purls and i != product_id
        )
        if without:
            notes.append(without_purl_note(without))
        declared, concluded, children = self.relationships(packages)
        graph, direct, scopes = component_graph(children, list(purls), product_id)

        shaped = {i: self.package(packages[i], declared, concluded) for i in purls}
        components = components_of(shaped, purls, graph, direct, scopes)

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
        lines = str(element.get("comment", "")).splitlines()
        comment = next((m for m in map(DECLARED_AS.match, lines) if m), None)
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
            comment=element.get("comment"),
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
