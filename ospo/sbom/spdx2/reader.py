# SPDX-License-Identifier: Apache-2.0
"""Reading an SPDX 2.2 or 2.3 document (JSON or tag-value) into an inventory.

spdx-tools parses and validates the document; one that does not parse or validate is an
input error naming the file and the place. A few deviations that real producers make and
that change nothing ospo reads are repaired first and recorded as scan issues: a
``created`` time with fractional seconds (npm), a three-part ``licenseListVersion``
(sbom4python), a license that is not on the SPDX list (npm writes ``Public Domain``; it
becomes evidence marked invalid, as in every other input), a package with
``filesAnalyzed: false`` that CONTAINS a file (sbom4python) and a document without a
DESCRIBES relationship (ScanCode).

The product is the package the document DESCRIBES (else the only package); its declared
license (else its concluded one) is the outbound license. Every other package with a
``purl`` external reference is a component: ``licenseDeclared`` is declared evidence,
``licenseConcluded`` concluded evidence and ``licenseInfoFromFiles`` detected evidence;
NOASSERTION is no evidence and NONE says the package has no license. Packages without a
purl (a container, a lock file, an application grouping) are not components; the
dependency graph passes through them. Dependency relationships give the edges, the scope
(dev, test, optional: the least shipped edge on the best path from the product) and
``direct`` (reached straight from the product). Files are not read: ospo scans files
itself.
"""

from __future__ import annotations

import copy
import re
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ospo import licensing
from ospo.errors import InputError
from ospo.merge import effective_of, widest_scope
from ospo.model import (
    Component,
    Inventory,
    IssueKind,
    LicenseEvidence,
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
    GO_MODULE_HASH_COMMENT,
    UNKNOWN_LICENSE_COMMENT,
    VCS_REVISION_COMMENT,
    VENDORED_SOURCE_INFO,
    checked_evidence,
    without_purl_note,
)
from ospo.sbom.spdx2.validation import false_alarm

SUPPORTED = ("SPDX-2.2", "SPDX-2.3")

#: Relationship type -> (the parent is the element (True) or the related element, scope).
_EDGES: dict[str, tuple[bool, Scope]] = {
    "DEPENDS_ON": (True, Scope.RUNTIME),
    "CONTAINS": (True, Scope.RUNTIME),
    "HAS_PREREQUISITE": (True, Scope.RUNTIME),
    "DEPENDENCY_OF": (False, Scope.RUNTIME),
    "RUNTIME_DEPENDENCY_OF": (False, Scope.RUNTIME),
    "CONTAINED_BY": (False, Scope.RUNTIME),
    "PREREQUISITE_FOR": (False, Scope.RUNTIME),  # npm: a peer dependency
    "OPTIONAL_DEPENDENCY_OF": (False, Scope.OPTIONAL),
    "DEV_DEPENDENCY_OF": (False, Scope.DEV),
    "BUILD_DEPENDENCY_OF": (False, Scope.DEV),
    "TEST_DEPENDENCY_OF": (False, Scope.TEST),
}
#: How little a scope ships: a path is as shipped as its least shipped edge.
_RANK = {Scope.RUNTIME: 0, Scope.OPTIONAL: 1, Scope.DEV: 2, Scope.TEST: 3}

_FRACTION_JSON = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d+Z$")
_FRACTION_TV = re.compile(r"^(Created:\s*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d+Z[ \t]*$", re.M)
_LIST_VERSION = re.compile(r"^(\d+\.\d+)\.\d+$")
_LIST_VERSION_TV = re.compile(r"^(LicenseListVersion:\s*\d+\.\d+)\.\d+[ \t]*$", re.M)
_TV_VERSION = re.compile(r"^SPDXVersion:\s*(\S*)", re.M)
_LINE = re.compile(r"\bline:? (\d+)", re.IGNORECASE)
_TOOL = re.compile(r"^(.+?)[-\s]v?(\d[\w.+\-]*)$")

_REPAIRED_TIME = "creation time has fractional seconds, which SPDX does not allow; read without"
_REPAIRED_LIST = "licenseListVersion {0!r} is not MAJOR.MINOR as SPDX 2 requires; read as {1!r}"


class Spdx2JsonReader(SbomReader):
    """SPDX 2 JSON: an object with ``spdxVersion``."""

    name = "spdx2-json"
    title = "SPDX 2.2/2.3 JSON"

    def sniff(self, source: SbomInput) -> bool:
        """Whether the content is a JSON object with ``spdxVersion``."""
        data = source.json_object()
        return data is not None and "spdxVersion" in data

    def read(self, source: SbomInput) -> Inventory:
        """Validate the document with spdx-tools and return its inventory."""
        return load_spdx_json(source.json(), source.text, source.path)


class Spdx2TagValueReader(SbomReader):
    """SPDX 2 tag-value: an ``SPDXVersion:`` tag near the top (or a leading comment)."""

    name = "spdx2-tagvalue"
    title = "SPDX 2.2/2.3 tag-value"

    def sniff(self, source: SbomInput) -> bool:
        """Whether the content starts as a tag-value document does."""
        return (
            source.head.startswith(("SPDXVersion:", "#")) or "\nSPDXVersion:" in source.text[:4096]
        )

    def read(self, source: SbomInput) -> Inventory:
        """Validate the document with spdx-tools and return its inventory."""
        return load_spdx_tagvalue(source.text, source.path)


def load_spdx_json(data: dict[str, Any], text: str, path: Path) -> Inventory:
    """Validate a parsed SPDX JSON document and turn it into an inventory."""
    del text  # the parsed form is enough; kept for the shape of the other loaders
    _check_version(data.get("spdxVersion"), path)
    repaired = copy.deepcopy(data)
    notes: list[str] = []
    creation = repaired.get("creationInfo")
    if isinstance(creation, dict):
        created = creation.get("created")
        if isinstance(created, str) and _FRACTION_JSON.match(created):
            creation["created"] = _FRACTION_JSON.sub(r"\1Z", created)
            notes.append(_REPAIRED_TIME)
        listed = creation.get("licenseListVersion")
        if isinstance(listed, str) and _LIST_VERSION.match(listed):
            creation["licenseListVersion"] = _LIST_VERSION.sub(r"\1", listed)
            notes.append(_REPAIRED_LIST.format(listed, creation["licenseListVersion"]))
    version = str(data.get("spdxVersion"))
    _check_required(repaired, path, version)
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    parser: Any = JsonLikeDictParser
    try:
        document = parser().parse(repaired)
    except SPDXParsingError as exc:
        raise _parse_error(_messages(exc), path, version) from None
    except Exception as exc:  # spdx-tools lets its type checks (beartype) escape
        raise _parse_error([f"{type(exc).__name__}: {exc}"], path, version) from None
    return _inventory(document, path, notes)


#: Required keys of the SPDX 2.3 JSON schema, by where they are required.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "": ("SPDXID", "creationInfo", "dataLicense", "name", "spdxVersion", "documentNamespace"),
    "creationInfo": ("created", "creators"),
    "packages": ("SPDXID", "downloadLocation", "name"),
    "files": ("SPDXID", "checksums", "fileName"),
    "relationships": ("spdxElementId", "relatedSpdxElement", "relationshipType"),
}


def _check_required(data: dict[str, Any], path: Path, version: str) -> None:
    """Name the first missing required key and where it is missing (spdx-tools cannot)."""

    def missing(where: str, element: Any, keys: tuple[str, ...]) -> None:
        if not isinstance(element, dict):
            raise InputError(
                f"not a valid {version} document at {where}: an object was expected",
                path=str(path),
            )
        for key in keys:
            if key not in element:
                raise InputError(
                    f"not a valid {version} document at {where}: missing required field {key!r}",
                    path=str(path),
                )

    missing("(top level)", data, _REQUIRED[""])
    missing("creationInfo", data["creationInfo"], _REQUIRED["creationInfo"])
    for key in ("packages", "files", "relationships"):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise InputError(
                f"not a valid {version} document at {key}: a list was expected", path=str(path)
            )
        for number, item in enumerate(items):
            name = item.get("SPDXID") if isinstance(item, dict) else None
            where = f"{key}/{number}" + (f" ({name})" if name else "")
            missing(where, item, _REQUIRED[key])


def load_spdx_tagvalue(text: str, path: Path) -> Inventory:
    """Validate an SPDX tag-value document and turn it into an inventory."""
    found = _TV_VERSION.search(text)
    if found is None:
        raise InputError("not an SPDX tag-value document: no SPDXVersion tag", path=str(path))
    _check_version(found.group(1), path, line=text.count("\n", 0, found.start()) + 1)
    notes: list[str] = []
    if _FRACTION_TV.search(text):
        text = _FRACTION_TV.sub(r"\1Z", text)
        notes.append(_REPAIRED_TIME)
    listed = _LIST_VERSION_TV.search(text)
    if listed:
        value = listed.group(0).split(":", 1)[1].strip()
        text = _LIST_VERSION_TV.sub(r"\1", text)
        notes.append(_REPAIRED_LIST.format(value, value.rsplit(".", 1)[0]))
    from ply import yacc  # type: ignore[import-untyped]
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.tagvalue.parser import Parser

    parser: Any = Parser
    try:
        document = parser(errorlog=yacc.NullLogger(), write_tables=False, debug=False).parse(text)
    except SPDXParsingError as exc:
        raise _parse_error(_messages(exc), path, found.group(1)) from None
    except Exception as exc:  # spdx-tools lets its type checks (beartype) escape
        raise _parse_error([f"{type(exc).__name__}: {exc}"], path, found.group(1)) from None
    return _inventory(document, path, notes)


def _check_version(version: object, path: Path, line: int | None = None) -> None:
    if version not in SUPPORTED:
        raise InputError(
            f"SPDX version {version!r} is not supported ({', '.join(SUPPORTED)})",
            path=str(path),
            line=line,
        )


def _messages(error: Any) -> list[Any]:
    return list(error.get_messages())


def _flatten(messages: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for message in messages:
        if isinstance(message, list | tuple):
            out.extend(_flatten(message))
        else:
            out.append(str(message))
    return out


def _parse_error(messages: Iterable[Any], path: Path, version: str) -> InputError:
    flat = _flatten(messages) or ["unknown error"]
    first = flat[0]
    line = _LINE.search(first)
    if len(first) > 300:
        first = first[:300] + " …"
    return InputError(
        f"not a valid {version} document: {first}",
        path=str(path),
        line=int(line.group(1)) if line else None,
    )


def _tolerated(message: str) -> str | None:
    """How ospo reads past a deviation that leaves what it reads intact, or None."""
    if false_alarm(message):
        return ""  # valid SPDX that spdx-tools' parser refuses
    if message.startswith("Unrecognized license reference"):
        return ""  # the expression becomes evidence marked invalid
    if "there must be at least one relationship" in message and "DESCRIBES" in message:
        return f"{message}; the product is inferred"
    if message.startswith("package must contain no elements if files_analyzed is False"):
        return f"{message.split(',')[0]}, but it does; files are not read"
    return None


def _validate(document: Any, path: Path, notes: list[str]) -> None:
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    version = document.creation_info.spdx_version
    for message in validate_full_spdx_document(document):
        text = str(message.validation_message)
        tolerated = _tolerated(text)
        if tolerated is not None:
            if tolerated:
                notes.append(tolerated)
            continue
        context = message.context
        where = context.spdx_id or context.parent_id or "the document"
        if context.element_type is not None and context.spdx_id is None:
            where = f"{where} ({context.element_type.name.lower().replace('_', ' ')})"
        if len(text) > 300:
            text = text[:300] + " …"
        raise InputError(f"not a valid {version} document at {where}: {text}", path=str(path))


def _inventory(document: Any, path: Path, notes: list[str]) -> Inventory:
    _validate(document, path, notes)
    info = document.creation_info
    packages = {p.spdx_id: p for p in document.packages}
    described = [
        r.related_spdx_element_id
        for r in document.relationships
        if r.relationship_type.name == "DESCRIBES" and r.spdx_element_id == info.spdx_id
    ] + [
        r.spdx_element_id
        for r in document.relationships
        if r.relationship_type.name == "DESCRIBED_BY" and r.related_spdx_element_id == info.spdx_id
    ]
    product_ids = [i for i in described if i in packages]
    if not described and len(packages) == 1:
        product_ids = list(packages)
    product = packages[product_ids[0]] if product_ids else None

    purls = {i: purl for i, p in packages.items() if (purl := _purl(p)) is not None}
    if product is not None:
        purls.pop(product.spdx_id, None)
    without = sorted(p.name for i, p in packages.items() if i not in purls and p is not product)
    if without:
        notes.append(without_purl_note(without))

    children: dict[str, list[tuple[str, Scope]]] = {}
    for rel in document.relationships:
        kind = _EDGES.get(rel.relationship_type.name)
        target = rel.related_spdx_element_id
        if kind is None or not isinstance(target, str):
            continue
        forward, scope = kind
        parent, child = (rel.spdx_element_id, target) if forward else (target, rel.spdx_element_id)
        if parent in packages and child in packages and parent != child:
            children.setdefault(parent, []).append((child, scope))

    graph, direct, scopes = component_graph(
        children, list(purls), product.spdx_id if product is not None else None
    )

    components = components_of(packages, purls, graph, direct, scopes)

    comment = str(product.comment or "") if product is not None else ""
    subject = Subject(
        name=(product.name if product is not None else None) or info.name or path.stem,
        version=product.version if product is not None else None,
        vcs_revision=comment.removeprefix(VCS_REVISION_COMMENT)
        if comment.startswith(VCS_REVISION_COMMENT)
        else None,
        declared_license=outbound_license(product) if product is not None else None,
    )
    tools = tuple(tool_of_creator(a.name) for a in info.creators if a.actor_type.name == "TOOL")
    return Inventory(
        subject=subject,
        components=tuple(sorted(components.values(), key=lambda c: c.purl)),
        scan=ScanInfo(
            tools=tools,
            timestamp=info.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            issues=tuple(
                ScanIssue(kind=IssueKind.MANIFEST, path=str(path), message=f"SPDX: {n}")
                for n in notes
            ),
        ),
    )


def components_of(
    packages: Mapping[str, Any],
    purls: Mapping[str, str],
    graph: Mapping[str, list[tuple[str, Scope]]],
    direct: set[str],
    scopes: Mapping[str, Scope],
) -> dict[str, Component]:
    """One component per purl from the packages (by SPDX id) that have one; a purl found
    twice is one component."""
    components: dict[str, Component] = {}
    for spdx_id, purl in purls.items():
        comp = component_of(
            packages[spdx_id],
            purl,
            scope=scopes.get(spdx_id, Scope.RUNTIME),
            direct=spdx_id in direct,
            dependencies=sorted({purls[c] for c, _ in graph[spdx_id]} - {purl}),
        )
        earlier = components.get(purl)
        components[purl] = comp if earlier is None else merge_same_purl(earlier, comp)
    return components


def component_graph(
    children: dict[str, list[tuple[str, Scope]]], components: list[str], product: str | None
) -> tuple[dict[str, list[tuple[str, Scope]]], set[str], dict[str, Scope]]:
    """The component graph (edges passing through packages that are not components), the
    direct components and each component's scope, from the package edges."""
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


def least_shipped(a: Scope, b: Scope) -> Scope:
    return a if _RANK[a] >= _RANK[b] else b


def scopes_from(roots: list[str], graph: dict[str, list[tuple[str, Scope]]]) -> dict[str, Scope]:
    """The most shipped scope over all paths from the roots (a path is its least shipped edge)."""
    found: dict[str, Scope] = {}
    for limit in sorted(_RANK, key=_RANK.__getitem__):
        queue = deque(roots)
        seen = set(roots)
        while queue:
            node = queue.popleft()
            for child, scope in graph.get(node, []):
                if _RANK[scope] > _RANK[limit] or child in seen:
                    continue
                seen.add(child)
                found.setdefault(child, limit)
                queue.append(child)
    return found


def _purl(package: Any) -> str | None:
    for ref in package.external_references:
        if ref.reference_type == "purl" and ref.locator:
            return str(ref.locator)
    return None


def tool_of_creator(creator: str) -> Tool:
    found = _TOOL.match(creator.strip())
    if found is None:
        return Tool(name=creator.strip(), version="?")
    return Tool(name=found.group(1), version=found.group(2))


def _expression(value: Any) -> str | None:
    """The expression text of a license field; None for NOASSERTION, NONE and absent."""
    if value is None or type(value).__name__ in ("SpdxNoAssertion", "SpdxNone"):
        return None
    return str(value)


def _is_none(value: Any) -> bool:
    return type(value).__name__ == "SpdxNone"


def _evidence(value: Any, source: LicenseSource, location: str) -> LicenseEvidence | None:
    if _is_none(value):
        return LicenseEvidence(
            expression=None, source=source, location=location, note="NONE: no license"
        )
    expression = _expression(value)
    if expression is None:
        return None
    return checked_evidence(expression, source, location)


def outbound_license(product: Any) -> str | None:
    for value in (product.license_declared, product.license_concluded):
        expression = _expression(value)
        if expression is not None:
            normalized = licensing.normalize(expression)
            if normalized is not None:
                return normalized
    return None


def component_of(
    package: Any, purl: str, *, scope: Scope, direct: bool, dependencies: list[str]
) -> Component:
    evidence = [
        e
        for e in (
            _evidence(package.license_declared, LicenseSource.DECLARED, "sbom"),
            _evidence(package.license_concluded, LicenseSource.CONCLUDED, "sbom"),
            *(
                _evidence(v, LicenseSource.DETECTED, "sbom files")
                for v in package.license_info_from_files
            ),
        )
        if e is not None
    ]
    effective, reason = effective_of(evidence)
    if effective is None and any(e.expression is None for e in evidence):
        reason = "the SBOM states NONE: the package has no license"
    elif effective is None and not evidence:
        reason = "the SBOM states no license (NOASSERTION)"
    for line in str(package.license_comment or "").splitlines():
        if line.startswith(UNKNOWN_LICENSE_COMMENT):  # ospo's own: the reason it gave
            reason = line.removeprefix(UNKNOWN_LICENSE_COMMENT)
    module_hash = None
    for line in str(package.comment or "").splitlines():
        if line.startswith(GO_MODULE_HASH_COMMENT):  # ospo's own: go.sum's h1: hash
            module_hash = go_module_hash(line.removeprefix(GO_MODULE_HASH_COMMENT))
    source = str(package.source_info or "")
    vendored = source.removeprefix(VENDORED_SOURCE_INFO)
    return Component(
        purl=purl,
        name=package.name or purl,
        version=package.version,
        scope=scope,
        direct=direct,
        license_expression=effective,
        licenses=tuple(evidence),
        unknown_reason=reason if effective is None else None,
        vendored_path=vendored if vendored != source else None,
        dependencies=tuple(dependencies),
        hashes=tuple(
            sorted(
                {
                    (_HASH_NAMES[c.algorithm.name], c.value.lower())
                    for c in package.checksums
                    if c.algorithm.name in _HASH_NAMES
                }
            )
        ),
        go_module_hash=module_hash,
    )


#: SPDX checksum algorithms an inventory keeps, by the names CycloneDX (and ospo) use.
_HASH_NAMES = {"SHA1": "SHA-1", "SHA256": "SHA-256", "SHA384": "SHA-384", "SHA512": "SHA-512"}


def merge_same_purl(first: Component, other: Component) -> Component:
    """The same purl twice (a package installed in two places): one component."""
    from dataclasses import replace

    return replace(
        first,
        scope=widest_scope(first.scope, other.scope),
        direct=first.direct or other.direct,
        licenses=tuple(dict.fromkeys((*first.licenses, *other.licenses))),
        dependencies=tuple(sorted({*first.dependencies, *other.dependencies})),
    )
