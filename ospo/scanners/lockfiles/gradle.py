# SPDX-License-Identifier: Apache-2.0
"""Gradle: dependency lock files, and build scripts with their version catalog where no lock
file is.

``gradle.lockfile`` (written by ``gradle dependencies --write-locks``) lists every resolved
module of a project, one ``group:name:version=configuration,…`` line each (``empty=``
names the configurations that resolved to nothing). The configurations say the scope: a
``…RuntimeClasspath`` or ``…CompileClasspath`` is runtime, or test when its source set is a
test one (``testRuntimeClasspath``, ``debugUnitTestCompileClasspath``); a module on a
compile classpath but not on the runtime classpath beside it, when that is locked too, is
``compileOnly``: never shipped, dev. Every other configuration (``annotationProcessor``,
``kapt``, ``detekt``, ``ktlint``, ``dokka…``, a compiler plugin's classpath) feeds a tool
of the build and is dev, as is everything in
``buildscript-gradle.lockfile`` and ``settings-gradle.lockfile`` (plugins and the build's
own classpath). A module in several configurations takes the widest scope. The lock file
has no edges: a module is direct when the build script beside it declares it for the
product or its tests (by coordinates, catalog entry, or ``"group:name:$version"``, whose
module is written out even where its version is not), in the versions their classpaths
resolve — not those only a tool of the build resolves; nothing is marked direct when there
is no build script to say. Gradle before 6 wrote one lock file per configuration,
``gradle/dependency-locks/<configuration>.lockfile``; those are read the same way.

Where a project has no lock file, its ``build.gradle`` or ``build.gradle.kts`` is read as
text — never run — for the declarations in its ``dependencies { … }`` blocks: string
coordinates (``implementation "g:a:v"``, ``implementation("g:a:v")``), the map form
(``group: 'g', name: 'a', version: 'v'``), ``kotlin("stdlib")``, and version catalog
accessors (``libs.foo.bar``, ``libs.bundles.foo``) resolved through the nearest
``gradle/libs.versions.toml`` above the script (``[versions]``, ``[libraries]`` with
``module`` or ``group``/``name``, ``version`` or ``version.ref``, ``[bundles]``).
``platform(…)``, ``enforcedPlatform(…)`` and ``testFixtures(…)`` count as the module they
wrap; ``project(…)``, ``files(…)`` and Gradle's own API are the build itself. A declaration
whose value only Gradle can work out (a variable, string interpolation, a method call) is
an issue naming the file and line, never a guess. Configurations with ``test`` in their
name, and blocks of a test source set or suite (``commonTest.dependencies { }``,
``testing { suites { … } }``), are test; ``implementation``, ``api``, ``runtimeOnly`` and
their per-variant forms runtime; ``compileOnly`` dev (the platform provides it at run
time); any other (``annotationProcessor``, ``kapt``, ``ksp``, ``classpath``, a plugin's
own) dev. Build scripts under ``buildSrc/`` or ``build-logic/`` build the build: all dev.
Gradle records no licenses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ospo.errors import InputError
from ospo.merge import widest_scope
from ospo.model import Component, ScanIssue, Scope
from ospo.scanners.base import ScanContribution, ScanRequest
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner, manifest_issue
from ospo.scanners.lockfiles.components import make_component
from ospo.scanners.lockfiles.maven import maven_purl
from ospo.scanners.lockfiles.reading import load_toml, read_text, table, text

LOCK_FILE = "gradle.lockfile"
#: Lock files of the build's own classpath: plugins and what the settings script uses.
BUILD_LOCK_FILES = ("buildscript-gradle.lockfile", "settings-gradle.lockfile")
BUILD_SCRIPTS = ("build.gradle.kts", "build.gradle")
CATALOG = "gradle/libs.versions.toml"
_LEGACY_LOCKS = "gradle/dependency-locks"

#: Gradle's lock files record no license.
NO_LICENSE_IN_LOCK = (
    "{file} records no license; import an SBOM made by the Gradle build (--import-sbom)"
)
#: Where only a build script (no lock file) names the module.
SCRIPT_ONLY = (
    "declared in {file} with no Gradle lock file beside it: license unknown (and the "
    "version, unless declared exactly); lock the dependencies (gradle dependencies "
    "--write-locks) or import an SBOM made by the Gradle build (--import-sbom)"
)
_NOT_RESOLVED = "its dependency is missing from the inventory"
#: At most this many malformed lines of one lock file are reported one by one.
_MAX_LINE_ISSUES = 5

_COORDINATE_PART = re.compile(r"^[A-Za-z0-9_.\-+]+$")
_RANGE = re.compile(r"[\[\]\(\),+]|latest\.")
_DEPENDENCIES_HEAD = re.compile(r"(?:^|[.\s])dependencies$")
_CALL = re.compile(r"^([A-Za-z_]\w*)\s*\((.*)\)$", re.S)
_BARE = re.compile(r"^([A-Za-z_]\w*)\s+([^\s=(].*)$", re.S)
_ACCESSOR = re.compile(r"^libs((?:\s*\.\s*\w+)+)(?:\s*\.\s*get\s*\(\s*\))?$")
_WRAPPERS = re.compile(r"^(?:platform|enforcedPlatform|testFixtures)\s*\((.*)\)$", re.S)
_KOTLIN = re.compile(r"""^kotlin\s*\(\s*(["'])([\w.\-]+)\1\s*(?:,\s*(["'])([^"'$]+)\3\s*)?\)$""")
_BUILD_ITSELF = re.compile(
    r"^(?:project\s*\(|projects\s*\.|files\s*\(|fileTree\s*\(|"
    r"(?:gradleApi|localGroovy|gradleTestKit|gradleKotlinDsl)\s*\(\s*\)$)"
)
_MODULE_THEN_VERSION = re.compile(r"""^(["'])([\w.\-]+):([\w.\-]+):[^"':]*\$[^"']*\1$""")
_MAP_ENTRY = re.compile(r"""^(\w+)\s*[:=]\s*(["'])([^"'$]*)\2$""")
_KEYWORDS = frozenset({"val", "var", "def", "if", "else", "for", "while", "return", "import"})


def configuration_scope(name: str) -> Scope:
    """Return the scope of a module a lock file lists under the configuration ``name``."""
    lowered = name.partition("~")[0].lower()  # dokkaHtmlGeneratorRuntimeResolver~internal
    for suffix in ("runtimeclasspath", "compileclasspath"):
        if lowered.endswith(suffix):
            return Scope.TEST if "test" in lowered[: -len(suffix)] else Scope.RUNTIME
    return Scope.DEV


def declaration_scope(configuration: str) -> Scope:
    """Return the scope of a module a build script declares in ``configuration``."""
    lowered = configuration.lower()
    if "test" in lowered:
        return Scope.TEST
    if lowered.endswith(("compileonly", "compileonlyapi")) or lowered.startswith("provided"):
        return Scope.DEV
    if lowered.endswith(("implementation", "api", "runtimeonly")) or lowered in {
        "compile",
        "runtime",
    }:
        return Scope.RUNTIME
    return Scope.DEV


# --- lock files --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LockEntry:
    """One module of a Gradle lock file, with the configurations that resolve it."""

    group: str
    name: str
    version: str
    configurations: tuple[str, ...]
    line: int


def parse_lock(
    source: str, rel: str, configuration: str | None = None
) -> tuple[list[LockEntry], set[str], list[ScanIssue]]:
    """Return the entries of a lock file, the configurations it locks (``empty=`` ones
    too) and an issue for each line that is not an entry.

    ``configuration`` is the one configuration of a pre-Gradle-6 lock file, whose lines
    are bare ``group:name:version``.
    """
    entries: list[LockEntry] = []
    locked: set[str] = set() if configuration is None else {configuration}
    bad: list[int] = []
    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        coordinates, equals, configs = line.partition("=")
        if configuration is not None and not equals:
            names: tuple[str, ...] = (configuration,)
        else:
            names = tuple(c.strip() for c in configs.split(",") if c.strip())
        if coordinates == "empty" and equals:
            locked.update(names)
            continue
        parts = coordinates.split(":")
        if (
            (not equals and configuration is None)
            or len(parts) != 3
            or not all(_COORDINATE_PART.match(p) for p in parts)
            or not names
        ):
            bad.append(number)
            continue
        locked.update(names)
        entries.append(
            LockEntry(
                group=parts[0], name=parts[1], version=parts[2], configurations=names, line=number
            )
        )
    issues = [
        manifest_issue(
            rel,
            InputError(
                "not a Gradle lock entry (group:name:version=configurations)", path=rel, line=n
            ),
            "that line is skipped",
        )
        for n in bad[:_MAX_LINE_ISSUES]
    ]
    if len(bad) > _MAX_LINE_ISSUES:
        issues.append(
            manifest_issue(
                rel,
                InputError(f"{len(bad) - _MAX_LINE_ISSUES} more lines are not lock entries"),
                "they are skipped",
            )
        )
    return entries, locked, issues


def runtime_twin(configuration: str) -> str | None:
    """Return the runtime classpath beside a compile classpath (``debugCompileClasspath``:
    ``debugRuntimeClasspath``), None for any other configuration."""
    suffix = "CompileClasspath"
    if not configuration.lower().endswith(suffix.lower()):
        return None
    prefix = configuration[: -len(suffix)]
    return f"{prefix}RuntimeClasspath" if prefix else "runtimeClasspath"


# --- version catalogs --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogLibrary:
    """A library of a version catalog: its module and version (None when not exact), with
    why not."""

    group: str
    name: str
    version: str | None
    why: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionCatalog:
    """The libraries and bundles of a ``libs.versions.toml``, by their accessor path
    (``androidx-core-ktx`` is ``androidx.core.ktx``)."""

    rel: str
    libraries: dict[str, CatalogLibrary | str]  # a library, or why it cannot be used
    bundles: dict[str, tuple[str, ...]]


def accessor(alias: str) -> str:
    """Return the accessor path Gradle generates for a catalog alias."""
    return re.sub(r"[-_.]", ".", alias)


def _exact(version: str | None, source: str = "the catalog") -> tuple[str | None, str | None]:
    """Return ``(version, None)`` for an exact version, ``(None, why)`` for a range or
    none at all."""
    if version is None:
        return None, f"{source} gives no version (a platform or plugin sets it)"
    if _RANGE.search(version):
        return None, f"the range {version} is resolved by Gradle at build time"
    return version, None


def _rich_version(value: Any) -> str | None:
    """The version a ``[versions]`` entry or an inline ``version = {…}`` asks for."""
    if isinstance(value, dict):
        for key in ("strictly", "require", "prefer"):
            if text(value.get(key)):
                return text(value.get(key))
        return None
    return text(value)


def parse_catalog(root: Path, rel: str) -> VersionCatalog:
    """Read a version catalog; raise ``InputError`` if it is not valid TOML or not a table
    where one is needed."""
    data = load_toml(root, rel)
    versions = table(data.get("versions"), "[versions]", rel)
    libraries: dict[str, CatalogLibrary | str] = {}
    for alias, spec in table(data.get("libraries"), "[libraries]", rel).items():
        libraries[accessor(alias)] = _library(alias, spec, versions)
    bundles: dict[str, tuple[str, ...]] = {}
    for alias, members in table(data.get("bundles"), "[bundles]", rel).items():
        if isinstance(members, list):
            bundles[accessor(alias)] = tuple(accessor(str(m)) for m in members)
    return VersionCatalog(rel=rel, libraries=libraries, bundles=bundles)


def _library(alias: str, spec: Any, versions: dict[str, Any]) -> CatalogLibrary | str:
    if isinstance(spec, str):
        parts = spec.split(":")
        if len(parts) not in (2, 3) or not all(parts):
            return f"library {alias} = {spec!r} is not group:name:version"
        version, why = _exact(parts[2] if len(parts) == 3 else None)
        return CatalogLibrary(group=parts[0], name=parts[1], version=version, why=why)
    if not isinstance(spec, dict):
        return f"library {alias} is neither a string nor a table"
    module = text(spec.get("module"))
    group, _, name = module.partition(":") if module else ("", "", "")
    group = group or text(spec.get("group")) or ""
    name = name or text(spec.get("name")) or ""
    if not group or not name:
        return f"library {alias} has no module, nor group and name"
    raw = spec.get("version")
    if isinstance(raw, dict) and "ref" in raw:
        ref = str(raw["ref"])
        if ref not in versions:
            return f"library {alias} refers to version {ref!r}, which [versions] does not define"
        version, why = _exact(_rich_version(versions[ref]))
    else:
        version, why = _exact(_rich_version(raw))
    return CatalogLibrary(group=group, name=name, version=version, why=why)


def find_catalog(root: Path, rel: str) -> str | None:
    """Return the version catalog of the build a script at ``rel`` belongs to: the nearest
    ``gradle/libs.versions.toml`` in its directory or above."""
    for parent in PurePosixPath(rel).parents:
        candidate = CATALOG if str(parent) == "." else f"{parent}/{CATALOG}"
        if (root / candidate).is_file():
            return candidate
    return None


# --- build scripts -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Declared:
    """A module a build script declares: its coordinates, scope and line."""

    group: str
    name: str
    version: str | None
    scope: Scope
    line: int
    why: str | None = None  # why the version is unknown
    classifier: str | None = None
    extension: str | None = None


def _blank_comments(source: str) -> str:
    """Return the script with its comments blanked out (line breaks kept) and its strings
    left as they are, so that offsets and line numbers stay those of the file."""
    out = list(source)
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c in "\"'":
            i = _string_end(source, i)
        elif source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end == -1 else end
            out[i:end] = " " * (end - i)
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out[i:end] = ["\n" if ch == "\n" else " " for ch in source[i:end]]
            i = end
        else:
            i += 1
    return "".join(out)


def _string_end(source: str, start: int) -> int:
    """Return the offset just past the string literal that starts at ``start``. A quote
    that does not close on its own line (triple quotes aside) is a lone character."""
    triple = source[start : start + 3]
    if triple in ('"""', "'''"):
        end = source.find(triple, start + 3)
        return len(source) if end == -1 else end + 3
    line_end = source.find("\n", start)
    line_end = len(source) if line_end == -1 else line_end
    end = source.find(source[start], start + 1, line_end)
    while end != -1 and _escaped(source, end):
        end = source.find(source[start], end + 1, line_end)
    return start + 1 if end == -1 else end + 1


def _escaped(source: str, at: int) -> bool:
    slashes = 0
    while at - slashes - 1 >= 0 and source[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _dependency_blocks(source: str) -> Iterator[tuple[int, bool]]:
    """Yield where the body of each ``dependencies { }`` block starts, and whether it lies
    in a block of tests (``commonTest { dependencies {``, ``testing { suites {``)."""
    heads: list[str] = []  # of the blocks open at this point, outermost first
    boundary = i = 0
    while i < len(source):
        c = source[i]
        if c in "\"'":
            i = _string_end(source, i)
            continue
        if c == "{":
            head = source[boundary:i].strip()
            if _DEPENDENCIES_HEAD.search(head):
                yield i + 1, any("test" in h.lower() for h in (*heads, head))
            heads.append(head)
            boundary = i + 1
        elif c == "}":
            if heads:
                heads.pop()
            boundary = i + 1
        elif c in "\n;":
            boundary = i + 1
        i += 1


def _top_level_statements(source: str, start: int) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, text)`` of each statement directly inside the block whose body
    starts at ``start`` (nested blocks — closures, ``constraints { }`` — left out)."""
    depth = parens = 0
    begin = start
    i, n = start, len(source)
    while i < n:
        c = source[i]
        if c in "\"'":
            i = _string_end(source, i)
            continue
        if c == "(":
            parens += 1
        elif c == ")":
            parens = max(parens - 1, 0)
        elif c == "{" and parens == 0:
            if depth == 0:
                yield begin, source[begin:i]
            depth += 1
        elif c == "}" and parens == 0:
            if depth == 0:
                yield begin, source[begin:i]
                return
            depth -= 1
            begin = i + 1
        elif c in "\n;" and depth == 0 and parens == 0:
            yield begin, source[begin:i]
            begin = i + 1
        i += 1
    yield begin, source[begin:]


def _split_arguments(arguments: str) -> list[str]:
    """Split a call's arguments at the commas outside parentheses and strings."""
    out, depth, begin, i = [], 0, 0, 0
    while i < len(arguments):
        c = arguments[i]
        if c in "\"'":
            end = arguments.find(c, i + 1)
            i = len(arguments) if end == -1 else end + 1
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(arguments[begin:i].strip())
            begin = i + 1
        i += 1
    out.append(arguments[begin:].strip())
    return [a for a in out if a]


def _literal(value: str) -> str | None:
    """The content of a string literal without interpolation, else None."""
    if (
        len(value) >= 2
        and value[0] == value[-1]
        and value[0] in "\"'"
        and value[0] not in value[1:-1]
    ):
        content = value[1:-1]
        return None if "$" in content else content
    return None


class ScriptDeclarations:
    """What a build script declares: modules, and the declarations that could not be
    resolved without running Gradle."""

    def __init__(self, root: Path, rel: str, catalog: VersionCatalog | None, build_logic: bool):
        self.root, self.rel, self.catalog, self.build_logic = root, rel, catalog, build_logic
        self.declared: list[Declared] = []
        self.issues: list[ScanIssue] = []
        #: (group, name, scope) of the declarations whose module is written out but whose
        #: version only Gradle knows: enough to tell a locked module is direct.
        self.named: list[tuple[str, str, Scope]] = []

    def read(self) -> ScriptDeclarations:
        """Read every ``dependencies { }`` block of the script."""
        source = read_text(self.root, self.rel)
        stripped = _blank_comments(source)
        for start, in_test in _dependency_blocks(stripped):
            for offset, statement in _top_level_statements(stripped, start):
                line = stripped.count("\n", 0, offset + len(statement) - len(statement.lstrip()))
                self._statement(" ".join(statement.split()), line + 1, in_test)
        return self

    def _statement(self, statement: str, line: int, in_test: bool) -> None:
        found = _CALL.match(statement) or _BARE.match(statement)
        if found is None or found.group(1) in _KEYWORDS:
            return
        configuration, arguments = found.group(1), found.group(2).strip()
        scope = Scope.TEST if in_test else declaration_scope(configuration)
        if self.build_logic:
            scope = Scope.DEV
        args = _split_arguments(arguments)
        if not args:
            return
        first = args[0]
        wrapped = _WRAPPERS.match(first)
        while wrapped:
            first = wrapped.group(1).strip()
            wrapped = _WRAPPERS.match(first)
        if _BUILD_ITSELF.match(first):
            return
        where = f"{configuration}({arguments})" if len(arguments) < 120 else configuration
        entries = [_MAP_ENTRY.match(a) for a in args]
        if all(entries):
            self._map({m.group(1): m.group(3) for m in entries if m}, scope, line, where)
            return
        interpolated = "$" in arguments
        why = "string interpolation" if interpolated else "a variable or expression"
        if len(args) > 1 and _literal(args[0]) is None:
            self._unresolved(where, line, why)
            return
        kotlin = _KOTLIN.match(first)
        if kotlin is not None:
            module = f"kotlin-{kotlin.group(2)}"
            self._add("org.jetbrains.kotlin", module, kotlin.group(4), scope, line)
            return
        literal = _literal(first)
        if literal is not None:
            self._coordinates(literal, scope, line, where)
            return
        found_accessor = _ACCESSOR.match(first)
        if found_accessor is not None:
            path = re.sub(r"\s+", "", found_accessor.group(1))[1:]
            self._catalog(path, scope, line, where)
            return
        written = _MODULE_THEN_VERSION.match(first)
        if written is not None:  # "g:a:$version": which module is plain, its version is not
            self.named.append((written.group(2), written.group(3), scope))
        self._unresolved(where, line, why)

    def _coordinates(self, literal: str, scope: Scope, line: int, where: str) -> None:
        notation, _, extension = literal.partition("@")
        parts = notation.split(":")
        if len(parts) < 2 or len(parts) > 4 or not all(_COORDINATE_PART.match(p) for p in parts):
            self._unresolved(where, line, "not group:name:version coordinates")
            return
        self._add(
            parts[0],
            parts[1],
            parts[2] if len(parts) > 2 else None,
            scope,
            line,
            classifier=parts[3] if len(parts) > 3 else None,
            extension=extension or None,
        )

    def _map(self, entries: dict[str, str], scope: Scope, line: int, where: str) -> None:
        if not entries.get("group") or not entries.get("name"):
            self._unresolved(where, line, "no group and name")
            return
        self._add(
            entries["group"],
            entries["name"],
            entries.get("version") or None,
            scope,
            line,
            classifier=entries.get("classifier") or None,
            extension=entries.get("ext") or None,
        )

    def _catalog(self, path: str, scope: Scope, line: int, where: str) -> None:
        if self.catalog is None:
            self._unresolved(where, line, f"no {CATALOG} in the tree defines it")
            return
        if path.startswith("bundles."):
            members = self.catalog.bundles.get(path.removeprefix("bundles."))
            if members is None:
                self._unresolved(where, line, f"{self.catalog.rel} defines no such bundle")
                return
            for member in members:
                self._library(member, scope, line, where)
            return
        if path.startswith(("plugins.", "versions.")):
            self._unresolved(where, line, "a catalog plugin or version, not a library")
            return
        self._library(path, scope, line, where)

    def _library(self, path: str, scope: Scope, line: int, where: str) -> None:
        assert self.catalog is not None
        library = self.catalog.libraries.get(path)
        if library is None:
            self._unresolved(where, line, f"{self.catalog.rel} defines no library {path}")
        elif isinstance(library, str):
            self._unresolved(where, line, f"in {self.catalog.rel}, {library}")
        else:
            self._add(library.group, library.name, library.version, scope, line, why=library.why)

    def _add(
        self,
        group: str,
        name: str,
        version: str | None,
        scope: Scope,
        line: int,
        *,
        why: str | None = None,
        classifier: str | None = None,
        extension: str | None = None,
    ) -> None:
        if why is None:
            version, why = _exact(version, "the script")
        self.declared.append(
            Declared(
                group=group,
                name=name,
                version=version,
                scope=scope,
                line=line,
                why=why,
                classifier=classifier,
                extension=extension,
            )
        )

    def _unresolved(self, where: str, line: int, why: str) -> None:
        self.issues.append(
            manifest_issue(
                self.rel,
                InputError(
                    f"{where} cannot be resolved without running Gradle ({why})",
                    path=self.rel,
                    line=line,
                ),
                _NOT_RESOLVED,
            )
        )


def _direct(asked: set[Scope], locked: set[Scope]) -> bool:
    """Whether a locked version of a module the script declares (in ``asked`` scopes) is
    the one it asks for: a module declared for the product or its tests is direct in the
    classpaths of the product and its tests, not where a build tool of the same build
    resolves another version of it; one declared for a tool (``kapt``, ``classpath``) is
    direct wherever it is locked."""
    if Scope.DEV in asked:
        return True
    return bool(asked) and bool(locked & {Scope.RUNTIME, Scope.TEST})


# --- the scanner -------------------------------------------------------------------------


class GradleScanner(ManifestScanner):
    """Modules in Gradle lock files; a build script without one, its declarations."""

    name = "gradle"
    file_names = file_names_of("gradle")

    def __init__(self) -> None:
        self._catalogs: dict[str, VersionCatalog | InputError] = {}

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read lock files, and build scripts where no lock file is beside them."""
        path = PurePosixPath(rel)
        if path.name in (LOCK_FILE, *BUILD_LOCK_FILES):
            return True
        if path.suffix == ".lockfile":
            return str(path.parent) == _LEGACY_LOCKS or str(path.parent).endswith(
                f"/{_LEGACY_LOCKS}"
            )
        if path.name in BUILD_SCRIPTS:
            return LOCK_FILE not in siblings and (
                path.name == "build.gradle.kts" or "build.gradle.kts" not in siblings
            )
        return False

    def parse(
        self, root: Path, rel: str, siblings: frozenset[str]
    ) -> Sequence[Component | ScanIssue]:
        """Return the modules of a lock file, or the declarations of a build script."""
        path = PurePosixPath(rel)
        if path.name in BUILD_SCRIPTS:
            project = path.parent
            if (root / project / _LEGACY_LOCKS).is_dir():
                return []  # its per-configuration lock files are read instead
            return self._script_only(root, rel)
        legacy = path.suffix == ".lockfile" and path.name not in (LOCK_FILE, *BUILD_LOCK_FILES)
        configuration = path.stem if legacy else None
        entries, locked, issues = parse_lock(read_text(root, rel), rel, configuration)
        members: dict[str, set[tuple[str, str, str]]] = {}
        for entry in entries:
            for name in entry.configurations:
                members.setdefault(name, set()).add((entry.group, entry.name, entry.version))
        if legacy:
            project = path.parent.parent.parent
            twin = runtime_twin(path.stem)
            if twin is not None and (root / path.parent / f"{twin}.lockfile").is_file():
                twin_entries, _, _ = parse_lock(
                    read_text(root, str(path.parent / f"{twin}.lockfile")), rel, twin
                )
                locked.add(twin)
                members[twin] = {(e.group, e.name, e.version) for e in twin_entries}
        else:
            project = path.parent
        build_classpath = path.name in BUILD_LOCK_FILES
        declared = self._declared_modules(root, project)
        found: dict[tuple[str, str, str], set[Scope]] = {}
        for entry in entries:
            key = (entry.group, entry.name, entry.version)
            for name in entry.configurations:
                scope = Scope.DEV if build_classpath else configuration_scope(name)
                twin = runtime_twin(name)
                if scope is Scope.RUNTIME and twin in locked and key not in members.get(twin, ()):
                    scope = Scope.DEV  # compileOnly: on the compile classpath, never shipped
                found.setdefault(key, set()).add(scope)
        reason = NO_LICENSE_IN_LOCK.format(file=path.name)
        out: list[Component | ScanIssue] = list(issues)
        for (group, name, version), scopes in found.items():
            asked = declared.get((group, name), set())
            out.append(
                make_component(
                    purl=maven_purl(group, name, version, {}),
                    name=f"{group}:{name}",
                    version=version,
                    scope=widest_scope(*scopes),
                    direct=_direct(asked, scopes),
                    location=rel,
                    unknown_reason=reason,
                )
            )
        return out

    def _declared_modules(
        self, root: Path, project: PurePosixPath
    ) -> dict[tuple[str, str], set[Scope]]:
        """The modules the project's build script declares, with the scopes it declares
        them in; empty without a script."""
        declared: dict[tuple[str, str], set[Scope]] = {}
        for name in BUILD_SCRIPTS:
            rel = name if str(project) == "." else f"{project}/{name}"
            if (root / rel).is_file():
                try:
                    script = self._read_script(root, rel)
                except InputError:
                    return {}
                for d in script.declared:
                    declared.setdefault((d.group, d.name), set()).add(d.scope)
                for group, module, scope in script.named:
                    declared.setdefault((group, module), set()).add(scope)
                return declared
        return declared

    def _read_script(self, root: Path, rel: str) -> ScriptDeclarations:
        catalog_rel = find_catalog(root, rel)
        catalog = None
        issues: list[ScanIssue] = []
        if catalog_rel is not None:
            if catalog_rel not in self._catalogs:
                try:
                    self._catalogs[catalog_rel] = parse_catalog(root, catalog_rel)
                except InputError as exc:
                    self._catalogs[catalog_rel] = exc
            found = self._catalogs[catalog_rel]
            if isinstance(found, InputError):
                issues.append(
                    manifest_issue(
                        found.path or catalog_rel,
                        found,
                        f"the catalog's libraries declared in {rel} are missing from the inventory",
                    )
                )
            else:
                catalog = found
        parts = PurePosixPath(rel).parts
        build_logic = "buildSrc" in parts or "build-logic" in parts
        script = ScriptDeclarations(root, rel, catalog, build_logic).read()
        script.issues[:0] = issues
        return script

    def _script_only(self, root: Path, rel: str) -> list[Component | ScanIssue]:
        script = self._read_script(root, rel)
        reason = SCRIPT_ONLY.format(file=PurePosixPath(rel).name)
        out: list[Component | ScanIssue] = list(script.issues)
        for d in script.declared:
            extra = {"classifier": d.classifier or "", "type": d.extension or "jar"}
            coordinates = f"{d.group}:{d.name}"
            out.append(
                make_component(
                    purl=maven_purl(d.group, d.name, d.version, extra),
                    name=coordinates,
                    version=d.version,
                    scope=d.scope,
                    direct=True,
                    location=rel,
                    unknown_reason=f"{reason}; {d.why}" if d.why else reason,
                )
            )
        return out

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Read the tree's catalogs afresh for each scan."""
        self._catalogs.clear()
        return super().scan(request)
