# SPDX-License-Identifier: Apache-2.0
"""Maven: the direct dependencies a ``pom.xml`` declares.

A pom is a manifest, not a lock file: it names direct dependencies only (what they bring in
needs Maven's resolver; import a CycloneDX SBOM from the build for that). Versions are
taken as Maven takes them: ``${property}`` from ``<properties>`` (the pom's and its
parents'), ``${project.version}``, ``${project.groupId}``, ``${project.parent.version}``,
and a missing version from ``<dependencyManagement>`` of the pom or a parent pom found in
the tree through ``<relativePath>`` (``../pom.xml`` unless it says otherwise; an empty
``<relativePath/>`` means the parent comes from a repository). A version that cannot be
worked out from the tree is None, with the reason. ``compile``, ``runtime`` and ``system``
scopes are runtime; ``test`` is test; ``provided`` is dev — the platform the product runs
on supplies it (a servlet container, the JDK), the product does not ship it;
``<optional>true</optional>`` makes a runtime dependency optional. A dependency on a
module of the same build (any pom in the tree) is the project itself and left out, and the
pom's own ``<licenses>`` are the project's, not a dependency's: poms record no license
of their dependencies.

XML is parsed with the standard library; a document with a DOCTYPE (where entities are
declared) is refused, so no entity can expand.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.base import ScanContribution, ScanRequest
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import make_component
from ospo.scanners.lockfiles.discovery import candidate_files
from ospo.scanners.lockfiles.reading import read_text

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY")
_PROPERTY = re.compile(r"\$\{([^}]+)\}")
_SCOPES = {
    "compile": Scope.RUNTIME,
    "runtime": Scope.RUNTIME,
    "system": Scope.RUNTIME,
    "provided": Scope.DEV,
    "test": Scope.TEST,
}
#: A pom records no license of its dependencies.
NO_LICENSE_IN_POM = (
    "pom.xml records no license of its dependencies; import an SBOM made by the Maven build "
    "(--import-sbom)"
)
#: A version the tree does not say.
UNRESOLVED_VERSION = (
    "pom.xml does not resolve the version of {coordinates} ({why}): version and license "
    "unknown; import an SBOM made by the Maven build (--import-sbom)"
)


@dataclass(slots=True)
class Pom:
    """What one pom.xml says, before inheritance."""

    rel: str
    group: str | None
    artifact: str | None
    version: str | None
    parent: tuple[str | None, str | None, str | None] | None  # groupId, artifactId, version
    parent_path: str | None  # the parent pom in the tree, if relativePath says where
    properties: dict[str, str] = field(default_factory=dict)
    managed: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    dependencies: list[dict[str, str]] = field(default_factory=list)


def parse_pom(source: str, rel: str) -> Pom:
    """Parse a pom.xml; raise ``InputError`` with the line if it is not safe, valid XML."""
    from xml.etree import ElementTree

    without_comments = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    doctype = _DOCTYPE.search(without_comments)
    if doctype is not None:
        raise InputError(
            "a pom with a DOCTYPE is not read (its entities could expand without bound)",
            path=rel,
            line=without_comments.count("\n", 0, doctype.start()) + 1,
        )
    try:
        project = ElementTree.fromstring(source)
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        message = str(exc).split(":")[0]
        raise InputError(
            f"not valid XML: {message} (column {column})", path=rel, line=line
        ) from None
    if _tag(project) != "project":
        raise InputError(f"not a Maven pom: the root element is <{_tag(project)}>", path=rel)
    parent_el = _child(project, "parent")
    parent = None
    parent_path = None
    if parent_el is not None:
        parent = (
            _text(parent_el, "groupId"),
            _text(parent_el, "artifactId"),
            _text(parent_el, "version"),
        )
        relative = _child(parent_el, "relativePath")
        where = "../pom.xml" if relative is None else (relative.text or "").strip()
        if where:
            base = PurePosixPath(rel).parent / where
            parent_path = _inside(str(base if where.endswith(".xml") else base / "pom.xml"))
    pom = Pom(
        rel=rel,
        group=_text(project, "groupId") or (parent[0] if parent else None),
        artifact=_text(project, "artifactId"),
        version=_text(project, "version") or (parent[2] if parent else None),
        parent=parent,
        parent_path=parent_path,
    )
    properties = _child(project, "properties")
    for prop in properties if properties is not None else ():
        if isinstance(prop.tag, str):
            pom.properties[_tag(prop)] = (prop.text or "").strip()
    management = _child(project, "dependencyManagement")
    for dep in _dependencies(management):
        if dep.get("scope") != "import":
            pom.managed[(dep.get("groupId", ""), dep.get("artifactId", ""))] = dep
    pom.dependencies = _dependencies(project)
    return pom


def _tag(element: Element) -> str:
    return str(element.tag).rpartition("}")[2]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((c for c in element if isinstance(c.tag, str) and _tag(c) == name), None)


def _text(element: Element, name: str) -> str | None:
    found = _child(element, name)
    value = (found.text or "").strip() if found is not None else ""
    return value or None


def _dependencies(element: Element | None) -> list[dict[str, str]]:
    deps = _child(element, "dependencies")
    out = []
    for dep in deps if deps is not None else ():
        if isinstance(dep.tag, str) and _tag(dep) == "dependency":
            out.append(
                {
                    _tag(c): (c.text or "").strip()
                    for c in dep
                    if isinstance(c.tag, str) and c.text and c.text.strip()
                }
            )
    return out


def _inside(path: str) -> str | None:
    """Return the normalised relative path; None if it leads out of the tree."""
    norm = posixpath.normpath(path)
    return None if norm == ".." or norm.startswith("../") else norm


def maven_purl(group: str, artifact: str, version: str | None, extra: dict[str, str]) -> str:
    """Return ``pkg:maven/<groupId>/<artifactId>@<version>`` (classifier, type as qualifiers)."""
    from packageurl import PackageURL

    qualifiers = {}
    if extra.get("classifier"):
        qualifiers["classifier"] = extra["classifier"]
    if extra.get("type", "jar") != "jar":
        qualifiers["type"] = extra["type"]
    return PackageURL(
        type="maven", namespace=group, name=artifact, version=version, qualifiers=qualifiers
    ).to_string()


class MavenPomScanner(ManifestScanner):
    """Direct dependencies declared in ``pom.xml`` files."""

    name = "maven-pom"
    file_names = file_names_of("maven-pom")

    def __init__(self) -> None:
        self._poms: dict[str, Pom | None] = {}
        self._modules: set[tuple[str | None, str | None]] | None = None

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Know every pom of the tree first: dependencies on them are the project's own."""
        self._poms.clear()
        self._modules = set()
        for rel in candidate_files(request):
            if rel.rpartition("/")[2] == "pom.xml":
                pom = self._pom(request.root, rel)
                if pom is not None:
                    self._modules.add((pom.group, pom.artifact))
        return super().scan(request)

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the pom's direct dependencies with version, scope and optionality."""
        pom = parse_pom(read_text(root, rel), rel)
        self._poms[rel] = pom
        lineage = self._lineage(root, pom)
        properties: dict[str, str] = {}
        managed: dict[tuple[str, str], dict[str, str]] = {}
        dependencies: dict[tuple[str, str, str, str], dict[str, str]] = {}
        for ancestor in reversed(lineage):  # the pom's own entries override its parents'
            properties.update(ancestor.properties)
            managed.update(ancestor.managed)
            for dep in ancestor.dependencies:
                key = (
                    dep.get("groupId", ""),
                    dep.get("artifactId", ""),
                    dep.get("type", "jar"),
                    dep.get("classifier", ""),
                )
                dependencies[key] = dep
        builtin = {
            "project.groupId": pom.group,
            "project.artifactId": pom.artifact,
            "project.version": pom.version,
            "project.parent.groupId": pom.parent[0] if pom.parent else None,
            "project.parent.version": pom.parent[2] if pom.parent else None,
        }
        for name in list(builtin):
            builtin[name.removeprefix("project.")] = builtin[name]
        builtin["pom.version"] = pom.version
        values = {**{k: v for k, v in builtin.items() if v is not None}, **properties}

        def expand(value: str | None) -> str | None:
            for _ in range(10):
                if value is None or "${" not in value:
                    break
                value = _PROPERTY.sub(lambda m: values.get(m.group(1), m.group(0)), value)
            return value

        modules = self._modules or {(pom.group, pom.artifact)}
        reason = NO_LICENSE_IN_POM
        components = []
        for dep in dependencies.values():
            group, artifact = expand(dep.get("groupId")), expand(dep.get("artifactId"))
            if not group or not artifact or "${" in group + artifact:
                continue
            if (group, artifact) in modules:
                continue  # a module of the same build: the project itself
            rules = managed.get((dep.get("groupId", ""), dep.get("artifactId", ""))) or {}
            raw = dep.get("version") or rules.get("version")
            version = expand(raw)
            why = None
            if raw is None:
                why = "no <version>, and no <dependencyManagement> in the tree gives one"
            elif version is None or "${" in version:
                why = f"{raw} is not defined in the tree"
            elif version.startswith(("[", "(")):
                why = f"the range {version} is resolved by Maven at build time"
            scope = _SCOPES.get(expand(dep.get("scope") or rules.get("scope")) or "compile")
            scope = scope or Scope.RUNTIME
            optional = expand(dep.get("optional") or rules.get("optional")) == "true"
            if optional and scope is Scope.RUNTIME:
                scope = Scope.OPTIONAL
            resolved = None if why else version
            coordinates = f"{group}:{artifact}"
            components.append(
                make_component(
                    purl=maven_purl(group, artifact, resolved, dep),
                    name=coordinates,
                    version=resolved,
                    scope=scope,
                    direct=True,
                    location=rel,
                    unknown_reason=UNRESOLVED_VERSION.format(coordinates=coordinates, why=why)
                    if why
                    else reason,
                )
            )
        return components

    def _pom(self, root: Path, rel: str) -> Pom | None:
        """The parsed pom at ``rel``, once per scan; None if it is missing or broken."""
        if rel not in self._poms:
            try:
                self._poms[rel] = parse_pom(read_text(root, rel), rel)
            except InputError:
                self._poms[rel] = None  # reported when the scan reads that pom itself
        return self._poms[rel]

    def _lineage(self, root: Path, pom: Pom) -> list[Pom]:
        """The pom and the parent poms found in the tree, nearest first."""
        lineage = [pom]
        current = pom
        while current.parent is not None and current.parent_path is not None:
            if not (root / current.parent_path).is_file():
                break
            parent = self._pom(root, current.parent_path)
            if parent is None or parent in lineage:
                break
            if (parent.group, parent.artifact) != current.parent[:2]:
                break  # relativePath points at another project: Maven would not use it
            lineage.append(parent)
            current = parent
        return lineage
