# SPDX-License-Identifier: Apache-2.0
"""Maven: the direct dependencies a ``pom.xml`` declares.

A pom is a manifest, not a lock file: it names direct dependencies only (what they bring in
needs Maven's resolver; import a CycloneDX SBOM from the build for that). Versions are
taken as Maven takes them: ``${property}`` from ``<properties>`` (the pom's and its
parents'), ``${project.version}``, ``${project.groupId}``, ``${project.parent.version}``,
and a missing version from ``<dependencyManagement>``: the pom's own and its parents',
then the BOMs it imports (``<type>pom</type><scope>import</scope>``), the first BOM
winning, each BOM's versions worked out with its own properties and parents. A parent is
read from the tree through ``<relativePath>`` (``../pom.xml`` unless it says otherwise;
an empty ``<relativePath/>`` means the parent comes from a repository); a parent or BOM
the tree does not hold is read from Maven's local repository
(:mod:`.maven_repository`), never from the network. One that is in neither is a
``manifest`` issue naming it, once per scan, and a version that cannot be worked out is
None, with the reason. ``compile``, ``runtime`` and ``system`` scopes are runtime;
``test`` is test; ``provided`` is dev — the platform the product runs on supplies it (a
servlet container, the JDK), the product does not ship it; ``<optional>true</optional>``
makes a runtime dependency optional. A dependency on a module of the same build (any pom
in the tree) is the project itself and left out, and the pom's own ``<licenses>`` are the
project's, not a dependency's: poms record no license of their dependencies.

XML is parsed with the standard library; a document with a DOCTYPE (where entities are
declared) is refused, so no entity can expand.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

from ospo.errors import InputError
from ospo.model import Component, IssueKind, ScanIssue, Scope
from ospo.scanners.base import ScanContribution, ScanRequest
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import make_component
from ospo.scanners.lockfiles.discovery import candidate_files
from ospo.scanners.lockfiles.maven_repository import (
    ENVIRONMENT_VARIABLE,
    LocalRepository,
    locate_local_repository,
)
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
    managed: list[dict[str, str]] = field(default_factory=list)  # in their order
    imports: list[dict[str, str]] = field(default_factory=list)  # BOMs, in their order
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
            pom.managed.append(dep)
        elif dep.get("type") == "pom":  # Maven ignores an import of anything else
            pom.imports.append(dep)
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
    """Return the normalised relative path; None if it leads out of the tree (up, or from
    the root of the file system)."""
    norm = posixpath.normpath(path)
    return None if norm == ".." or norm.startswith(("../", "/")) else norm


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


#: How many parents (or nested BOM imports) are followed before a chain counts as runaway.
MAX_DEPTH = 32
#: How to make a parent or BOM available, said with every one that is not found.
MAKE_AVAILABLE = (
    "Run `mvn dependency:resolve` in the project (or `mvn -N install` in a checkout of that "
    "pom) to put it in the local repository, or set {variable} to a repository that has it"
)


class Role(StrEnum):
    """How a pom takes versions from another: by inheriting from it, or by importing it."""

    PARENT = "parent"
    BOM = "BOM"


@dataclass(frozen=True, slots=True)
class UnreadPom:
    """A parent or imported BOM whose versions could not be used, and why."""

    role: Role
    coordinates: str  # groupId:artifactId:version as declared, after properties
    declared_by: str  # the tree path or the coordinates of the pom that names it
    why: str  # the rest of the sentence: where ospo looked, or the cycle
    how_to_fix: str

    def message(self) -> str:
        """The issue's text: what, declared where, why, and what to do."""
        return (
            f"{self.role} {self.coordinates} (of {self.declared_by}) {self.why}; the versions "
            f"it manages are unknown. {self.how_to_fix}"
        )


@dataclass(slots=True)
class _Model:
    """What a pom means after inheritance and BOM imports, with what could not be read."""

    lineage: list[Pom]
    values: dict[str, str]
    managed: dict[tuple[str, str, str, str], dict[str, str]]  # by _managed_key
    unread: dict[str, UnreadPom]


class MavenPomScanner(ManifestScanner):
    """Direct dependencies declared in ``pom.xml`` files."""

    name = "maven-pom"
    file_names = file_names_of("maven-pom")

    def __init__(self) -> None:
        self._root = Path(".")
        self._poms: dict[str, Pom | None] = {}
        self._modules: set[tuple[str | None, str | None]] | None = None
        self._tree: dict[tuple[str, str, str], str] = {}  # coordinates → tree path
        self._repositories: dict[Path, LocalRepository | None] = {}
        self._stored: dict[Path, Pom | str | None] = {}  # see _read_stored
        self._boms: dict[tuple[str, Path | None], _Model] = {}
        self._unread: dict[str, ScanIssue] = {}  # by coordinates: the first pom that needed it

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Know every pom of the tree first: dependencies on them are the project's own."""
        self._root = request.root
        self._poms.clear()
        self._tree.clear()
        self._repositories.clear()
        self._stored.clear()
        self._boms.clear()
        self._unread.clear()
        self._modules = set()
        for rel in candidate_files(request):
            if rel.rpartition("/")[2] == "pom.xml":
                pom = self._pom(request.root, rel)
                if pom is not None:
                    self._modules.add((pom.group, pom.artifact))
                    if pom.group and pom.artifact and pom.version:
                        self._tree.setdefault((pom.group, pom.artifact, pom.version), rel)
        found = super().scan(request)
        return replace(found, issues=(*found.issues, *self._unread.values()))

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the pom's direct dependencies with version, scope and optionality.

        A parent or BOM that could not be read is remembered, with the first pom that needed
        it, for :meth:`scan` to report once.
        """
        self._root = root
        pom = parse_pom(read_text(root, rel), rel)
        self._poms[rel] = pom
        start = root / PurePosixPath(rel).parent
        model = self._model(pom, start, ())
        dependencies: dict[tuple[str, str, str, str], dict[str, str]] = {}
        for ancestor in reversed(model.lineage):  # the pom's own entries override its parents'
            for dep in ancestor.dependencies:
                key = (
                    dep.get("groupId", ""),
                    dep.get("artifactId", ""),
                    dep.get("type", "jar"),
                    dep.get("classifier", ""),
                )
                dependencies[key] = dep
        expand = _expander(model.values)
        not_read = ", ".join(f"{u.role} {u.coordinates}" for u in model.unread.values())
        modules = self._modules or {(pom.group, pom.artifact)}
        results: list[Component] = []
        for dep in dependencies.values():
            group, artifact = expand(dep.get("groupId")), expand(dep.get("artifactId"))
            if not group or not artifact or "${" in group + artifact:
                continue
            if (group, artifact) in modules:
                continue  # a module of the same build: the project itself
            rules = model.managed.get(_managed_key(group, artifact, dep, expand)) or {}
            raw = dep.get("version")
            version = expand(raw) if raw is not None else rules.get("version")
            why = None
            if raw is None and version is None:
                why = "no <version>, and no <dependencyManagement> read gives one"
            elif version is None or "${" in version:
                why = f"{raw or version} is not defined in the pom or the parents read"
            elif version.startswith(("[", "(")):
                why = f"the range {version} is resolved by Maven at build time"
            if why and not_read and (version is None or "${" in version):
                why += f"; not read: {not_read}"  # what the missing poms may have given
            scope_name = expand(dep.get("scope")) or rules.get("scope") or "compile"
            scope = _SCOPES.get(scope_name) or Scope.RUNTIME
            optional = (expand(dep.get("optional")) or rules.get("optional")) == "true"
            if optional and scope is Scope.RUNTIME:
                scope = Scope.OPTIONAL
            resolved = None if why else version
            coordinates = f"{group}:{artifact}"
            results.append(
                make_component(
                    purl=maven_purl(group, artifact, resolved, dep),
                    name=coordinates,
                    version=resolved,
                    scope=scope,
                    direct=True,
                    location=rel,
                    unknown_reason=UNRESOLVED_VERSION.format(coordinates=coordinates, why=why)
                    if why
                    else NO_LICENSE_IN_POM,
                )
            )
        for unread in model.unread.values():
            if unread.coordinates not in self._unread:
                self._unread[unread.coordinates] = ScanIssue(
                    kind=IssueKind.MANIFEST, path=rel, message=unread.message()
                )
        repository = self._repository(start)
        if repository is not None and repository.problem:
            self._unread.setdefault(
                repository.problem,
                ScanIssue(
                    kind=IssueKind.MANIFEST,
                    path=rel,
                    message=f"{repository.problem}; its <localRepository> is not used",
                ),
            )
        return results

    def _pom(self, root: Path, rel: str) -> Pom | None:
        """The parsed pom at ``rel``, once per scan; None if it is missing or broken."""
        if rel not in self._poms:
            try:
                self._poms[rel] = parse_pom(read_text(root, rel), rel)
            except InputError:
                self._poms[rel] = None  # reported when the scan reads that pom itself
        return self._poms[rel]

    def _model(self, pom: Pom, start: Path, importing: tuple[str, ...]) -> _Model:
        """Inherit from the parents, then import the BOMs: Maven's order, as far as the tree
        and the local repository hold the poms. ``importing`` is the chain of BOMs being
        imported, to stop an import cycle."""
        lineage, unread = self._lineage(pom, start)
        properties: dict[str, str] = {}
        for ancestor in reversed(lineage):
            properties.update(ancestor.properties)
        builtin = {
            "project.groupId": pom.group,
            "project.artifactId": pom.artifact,
            "project.version": pom.version,
            "project.parent.groupId": pom.parent[0] if pom.parent else None,
            "project.parent.artifactId": pom.parent[1] if pom.parent else None,
            "project.parent.version": pom.parent[2] if pom.parent else None,
        }
        for name in list(builtin):
            builtin[name.removeprefix("project.")] = builtin[name]
        builtin["pom.version"] = pom.version
        values = {**{k: v for k, v in builtin.items() if v is not None}, **properties}
        expand = _expander(values)
        managed: dict[tuple[str, str, str, str], dict[str, str]] = {}
        for ancestor in reversed(lineage):
            for entry in ancestor.managed:
                done = {k: expand(v) or "" for k, v in entry.items()}
                key = _managed_key(done.get("groupId", ""), done.get("artifactId", ""), done)
                managed[key] = done
        # the pom's own imports come before its parents'; each with the pom that declares it
        boms: dict[tuple[str, str], tuple[str, str]] = {}
        for ancestor in lineage:
            for entry in ancestor.imports:
                group, artifact = expand(entry.get("groupId")), expand(entry.get("artifactId"))
                version = expand(entry.get("version")) or ""
                boms.setdefault((group or "", artifact or ""), (version, ancestor.rel))
        for (group, artifact), (version, label) in boms.items():
            coordinates = f"{group}:{artifact}:{version}"
            if not version or "${" in coordinates:
                unread.setdefault(
                    coordinates,
                    UnreadPom(
                        role=Role.BOM,
                        coordinates=coordinates,
                        declared_by=label,
                        why="has a version that neither the pom nor its parents define",
                        how_to_fix="Define the property in the pom or a parent pom",
                    ),
                )
                continue
            if coordinates in importing or len(importing) >= MAX_DEPTH:
                unread.setdefault(
                    coordinates,
                    UnreadPom(
                        role=Role.BOM,
                        coordinates=coordinates,
                        declared_by=label,
                        why="imports itself through " + " -> ".join((*importing, coordinates))
                        if coordinates in importing
                        else f"is imported more than {MAX_DEPTH} BOMs deep",
                        how_to_fix="Break the cycle of <scope>import</scope> entries",
                    ),
                )
                continue
            bom, missing = self._find(group, artifact, version, start, Role.BOM, label)
            if bom is None:
                if missing is not None:
                    unread.setdefault(coordinates, missing)
                continue
            repository = self._repository(start)
            cached = (coordinates, repository.path if repository is not None else None)
            if cached not in self._boms:
                self._boms[cached] = self._model(bom, start, (*importing, coordinates))
            imported = self._boms[cached]
            for managed_key, entry in imported.managed.items():
                managed.setdefault(managed_key, entry)  # the pom's own, then the first BOM
            for name, problem in imported.unread.items():
                unread.setdefault(name, problem)
        return _Model(lineage=lineage, values=values, managed=managed, unread=unread)

    def _lineage(self, pom: Pom, start: Path) -> tuple[list[Pom], dict[str, UnreadPom]]:
        """The pom and its parent poms, nearest first, from the tree or the local
        repository; and the parent that ended the chain early, if one did."""
        lineage = [pom]
        chain = [pom.rel]
        current = pom
        unread: dict[str, UnreadPom] = {}
        while current.parent is not None:
            group, artifact, version = current.parent
            coordinates = f"{group}:{artifact}:{version}"
            label = current.rel
            parent = None
            looked = []
            if current.parent_path is not None:
                looked.append(current.parent_path)
                if (self._root / current.parent_path).is_file():
                    candidate = self._pom(self._root, current.parent_path)
                    if candidate is not None and _is_release_of(
                        candidate, group, artifact, version
                    ):
                        parent = candidate  # else relativePath points at another project
            if parent is None:
                found, missing = self._find(
                    group, artifact, version, start, Role.PARENT, label, tuple(looked)
                )
                if found is None:
                    if missing is not None:
                        unread[coordinates] = missing
                    break
                parent = found
            chain.append(parent.rel)
            if parent in lineage or len(lineage) > MAX_DEPTH:
                unread[coordinates] = UnreadPom(
                    role=Role.PARENT,
                    coordinates=coordinates,
                    declared_by=label,
                    why="is its own ancestor: " + " -> ".join(chain)
                    if parent in lineage
                    else f"is more than {MAX_DEPTH} parents up",
                    how_to_fix="Correct the <parent> of the poms in this chain",
                )
                break
            lineage.append(parent)
            current = parent
        return lineage, unread

    def _find(
        self,
        group: str | None,
        artifact: str | None,
        version: str | None,
        start: Path,
        role: Role,
        declared_by: str,
        looked: tuple[str, ...] = (),
    ) -> tuple[Pom | None, UnreadPom | None]:
        """The pom of ``group:artifact:version`` from the tree (a module of the build) or
        the local repository; else what to report about it."""
        coordinates = f"{group}:{artifact}:{version}"
        if not group or not artifact or not version or "${" in coordinates:
            return None, UnreadPom(
                role=role,
                coordinates=coordinates,
                declared_by=declared_by,
                why="is not named by literal coordinates, so no repository can be searched for it",
                how_to_fix="Name it with a literal groupId, artifactId and version",
            )
        rel = self._tree.get((group, artifact, version))
        if rel is not None and rel not in looked:
            module = self._pom(self._root, rel)
            if module is not None:
                return module, None
        repository = self._repository(start)
        how = MAKE_AVAILABLE.format(variable=ENVIRONMENT_VARIABLE)
        if repository is None:
            where = ", ".join((*looked, "no local Maven repository (no home directory)"))
            return None, UnreadPom(
                role=role,
                coordinates=coordinates,
                declared_by=declared_by,
                why=f"is not in the tree, and there is no local repository to look in "
                f"(looked at {where})",
                how_to_fix=f"Set {ENVIRONMENT_VARIABLE} to a local repository that holds it",
            )
        path = repository.pom(group, artifact, version)
        if path not in self._stored:
            self._stored[path] = _read_stored(path, coordinates)
        found = self._stored[path]
        if isinstance(found, Pom):
            return found, None
        if found is not None:
            return None, UnreadPom(
                role=role,
                coordinates=coordinates,
                declared_by=declared_by,
                why=f"is in the local repository, but {found}",
                how_to_fix=how,
            )
        where = " and ".join((*looked, str(path)))
        state = "" if repository.path.is_dir() else ", does not exist"
        return None, UnreadPom(
            role=role,
            coordinates=coordinates,
            declared_by=declared_by,
            why=f"is neither in the tree nor in the local Maven repository: ospo looked for "
            f"{where} (the local repository {repository.path}, from {repository.source}{state})",
            how_to_fix=how,
        )

    def _repository(self, start: Path) -> LocalRepository | None:
        """The local repository Maven would use for a pom in ``start``, once per directory."""
        if start not in self._repositories:
            self._repositories[start] = locate_local_repository(start, self._root)
        return self._repositories[start]


def _read_stored(path: Path, coordinates: str) -> Pom | str | None:
    """The pom at ``path`` in a local repository; None if there is none; why it cannot be
    used if it is broken."""
    if not path.is_file():
        return None
    try:
        pom = parse_pom(path.read_text(encoding="utf-8-sig"), str(path))
    except InputError as exc:
        where = f", line {exc.line}" if exc.line is not None else ""
        return f"{path}{where} is unusable: {exc.message}"
    except UnicodeDecodeError:
        return f"{path} is unusable: not UTF-8 text"
    except OSError as exc:
        return f"{path} cannot be read: {exc.strerror or exc}"
    pom.rel = coordinates
    pom.parent_path = None  # Maven ignores relativePath in a repository
    return pom


def _is_release_of(pom: Pom, group: str | None, artifact: str | None, version: str | None) -> bool:
    """Whether ``pom`` is the parent a ``<parent>`` names: the same project and, where both
    versions are written out, the same version (Maven goes to the repository otherwise)."""
    if (pom.group, pom.artifact) != (group, artifact):
        return False
    written = [v for v in (pom.version, version) if v is not None and "${" not in v]
    return len(written) < 2 or written[0] == written[1]


def _managed_key(
    group: str,
    artifact: str,
    entry: dict[str, str],
    expand: Callable[[str | None], str | None] = lambda value: value,
) -> tuple[str, str, str, str]:
    """Maven's key for a managed dependency: a ``test-jar`` or a classifier is managed apart."""
    return (
        group,
        artifact,
        expand(entry.get("type")) or "jar",
        expand(entry.get("classifier")) or "",
    )


def _expander(values: dict[str, str]) -> Callable[[str | None], str | None]:
    """Return a function that replaces ``${name}`` with its value (nested up to ten deep)."""

    def expand(value: str | None) -> str | None:
        for _ in range(10):
            if value is None or "${" not in value:
                break
            value = _PROPERTY.sub(lambda m: values.get(m.group(1), m.group(0)), value)
        return value

    return expand
