# SPDX-License-Identifier: Apache-2.0
"""NuGet's lock file: ``packages.lock.json`` (and ``packages.<project>.lock.json``).

Versions 1 and 2 have the same shape: per target framework, each package with its
``type`` (``Direct``, ``Transitive``, ``CentralTransitive`` — pinned by central package
management — or ``Project``), the ``resolved`` version and the packages it needs. The
frameworks are merged: a package resolved at the same version for several frameworks is
one component, one resolved at different versions is one per version. ``Project`` entries
are the solution's own projects and are left out; what they need counts as asked for by
the project, not as direct.

The lock file does not say which packages ship. Two things beside it do, cheaply: a
``PackageReference`` with ``PrivateAssets="all"`` in the project file (analyzers, SourceLink
and other development dependencies, which NuGet marks so itself) is dev, and a test
project (one that references ``Microsoft.NET.Test.Sdk``, which makes it
``IsTestProject``, or says ``IsTestProject`` itself) has only test packages. Everything
else is runtime. A NuGet lock file records no license.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import NO_LICENSE_IN_LOCK, LockedPackage, add_root, assemble
from ospo.scanners.lockfiles.hashes import base64_hash
from ospo.scanners.lockfiles.reading import load_json, read_text, sibling, table, text

_LOCK_NAME = re.compile(r"^packages(?:\.(.+))?\.lock\.json$")
_PROJECT_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
_TEST_SDK = "microsoft.net.test.sdk"


class NugetLockScanner(ManifestScanner):
    """Packages recorded in NuGet's ``packages.lock.json``."""

    name = "nuget-lock"
    file_names = file_names_of("nuget-lock")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read packages.lock.json and packages.<project>.lock.json."""
        return _LOCK_NAME.match(rel.rpartition("/")[2]) is not None

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the locked packages of every target framework, merged."""
        data = table(load_json(root, rel), "the lock file", rel)
        frameworks = data.get("dependencies")
        if not isinstance(frameworks, dict) or "version" not in data:
            raise InputError(
                "not a NuGet lock file: it has no 'version' and 'dependencies' map", path=rel
            )
        found: dict[str, _Package] = {}
        project_needs: list[str] = []  # keys the solution's own projects ask for
        for framework, entries in frameworks.items():
            where = f"dependencies[{framework!r}]"
            entries = table(entries, where, rel)
            resolved = {
                name.lower(): text(table(entry, f"{where}[{name!r}]", rel).get("resolved"))
                for name, entry in entries.items()
            }

            def key_of(name: str, resolved: dict[str, str | None] = resolved) -> str | None:
                version = resolved.get(name.lower())
                return f"{name.lower()}@{version}" if version else None

            for name, entry in entries.items():
                needs = table(entry.get("dependencies"), f"{where}[{name!r}].dependencies", rel)
                keys = [k for k in map(key_of, needs) if k is not None]
                if entry.get("type") == "Project":
                    project_needs += keys
                    continue
                key = key_of(name)
                if key is None:
                    raise InputError(f"{where}[{name!r}] has no resolved version", path=rel)
                package = found.setdefault(key, _Package(name=name, version=resolved[name.lower()]))
                package.hashes = package.hashes or base64_hash("SHA-512", entry.get("contentHash"))
                package.requires.update(keys)
                package.direct = package.direct or entry.get("type") == "Direct"
        project = _read_project(root, rel, siblings)
        test_project = project.test or any(
            p.name.lower() == _TEST_SDK and p.direct for p in found.values()
        )
        roots: dict[str, Scope] = {}
        for key, package in found.items():
            if package.direct:
                dev = package.name.lower() in project.private
                add_root(
                    roots, key, Scope.TEST if test_project else Scope.DEV if dev else Scope.RUNTIME
                )
        for key in project_needs:
            if key in found:
                add_root(roots, key, Scope.TEST if test_project else Scope.RUNTIME)
        packages = [
            LockedPackage(
                key=key,
                name=package.name,
                version=package.version,
                purl=nuget_purl(package.name, package.version),
                requires=tuple(sorted(package.requires & found.keys())),
                direct=package.direct,
                hashes=package.hashes,
            )
            for key, package in found.items()
        ]
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file=rel.rpartition("/")[2]),
        )


def nuget_purl(name: str, version: str | None) -> str:
    """Return ``pkg:nuget/<name>@<version>``."""
    from packageurl import PackageURL

    return PackageURL(type="nuget", name=name, version=version).to_string()


@dataclass(slots=True)
class _Package:
    name: str
    version: str | None
    requires: set[str] = field(default_factory=set)
    direct: bool = False
    hashes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class _Project:
    private: frozenset[str] = frozenset()  # lowercased names with PrivateAssets="all"
    test: bool = False


def _read_project(root: Path, rel: str, siblings: frozenset[str]) -> _Project:
    """Read the project file beside the lock file, if there is exactly one (or one named
    like ``packages.<project>.lock.json``); an unreadable one is passed over."""
    candidates = sorted(n for n in siblings if n.endswith(_PROJECT_SUFFIXES))
    named = _LOCK_NAME.match(rel.rpartition("/")[2])
    if named and named.group(1):
        candidates = [n for n in candidates if n.rsplit(".", 1)[0] == named.group(1)]
    if len(candidates) != 1:
        return _Project()
    try:
        source = read_text(root, sibling(rel, candidates[0]))
        if "<!DOCTYPE" in source or "<!ENTITY" in source:
            return _Project()  # entities could expand without bound: not read
        tree = ET.fromstring(source)
    except (InputError, ET.ParseError):
        return _Project()
    private = set()
    test = False
    for element in tree.iter():
        tag = _local(element.tag)
        if tag == "IsTestProject" and (element.text or "").strip().lower() == "true":
            test = True
        if tag != "PackageReference":
            continue
        name = element.get("Include") or element.get("Update")
        assets = element.get("PrivateAssets")
        for child in element:
            if _local(child.tag) == "PrivateAssets":
                assets = child.text
        if name and _has_all(assets):
            private.add(name.lower())
    return _Project(private=frozenset(private), test=test)


def _local(tag: Any) -> str:
    """The element name without its XML namespace (old-style project files have one)."""
    return str(tag).rpartition("}")[2]


def _has_all(assets: str | None) -> bool:
    return any(part.strip().lower() == "all" for part in (assets or "").split(";"))
