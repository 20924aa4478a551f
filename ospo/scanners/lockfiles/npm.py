# SPDX-License-Identifier: Apache-2.0
"""npm's lock files: ``package-lock.json`` and ``npm-shrinkwrap.json``.

Versions 2 and 3 (npm 7 and later) are read from the ``packages`` map, keyed by install
path (``node_modules/a/node_modules/b`` is a second copy of ``b`` nested under ``a``). npm
computes each package's scope itself and records it as the ``dev``, ``optional`` and
``devOptional`` flags: those are taken as they are (``devOptional`` — needed as a dev
dependency or as an optional one — counts as optional). Direct dependencies are those the
project's own entry (``""``, and workspace folders) asks for; dependency edges follow
Node's resolution from each install path upwards. npm records the ``license`` of most
packages: it becomes declared evidence. Links (workspaces) are first-party and left out.

Version 1 (npm 6) has a nested ``dependencies`` tree instead and records no license; it is
read the same way, with the direct dependencies taken from the ``package.json`` beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import NO_LICENSE_IN_LOCK, LockedPackage, add_root, assemble
from ospo.scanners.lockfiles.hashes import integrity_hashes
from ospo.scanners.lockfiles.package_json import declared_dependencies, read_declared
from ospo.scanners.lockfiles.reading import load_json, sibling, string, table
from ospo.scanners.purls import npm_purl

_LOCK_NAMES = frozenset({"package-lock.json", "npm-shrinkwrap.json"})
_EDGES = ("dependencies", "peerDependencies")


class NpmLockScanner(ManifestScanner):
    """Packages recorded in npm's ``package-lock.json`` or ``npm-shrinkwrap.json``."""

    name = "npm-lock"
    file_names = file_names_of("npm-lock")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read npm lock files; a shrinkwrap wins over a package-lock beside it, as in npm."""
        name = rel.rpartition("/")[2]
        if name == "package-lock.json" and "npm-shrinkwrap.json" in siblings:
            return False
        return name in _LOCK_NAMES

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the packages of the lock file with scope, edges and recorded license."""
        data = table(load_json(root, rel), "the lock file", rel)
        name = rel.rpartition("/")[2]
        if isinstance(data.get("packages"), dict):
            packages, roots = _from_packages(data["packages"], rel)
        elif isinstance(data.get("dependencies"), dict) or data.get("lockfileVersion") == 1:
            packages, roots = _from_v1(root, rel, data)
        else:
            raise InputError(
                "not an npm lock file: it has neither a 'packages' nor a 'dependencies' map",
                path=rel,
            )
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file=name),
        )


def _package_name(path: str) -> str:
    """Return the package name an install path stands for (``node_modules/@s/n`` → ``@s/n``)."""
    return path.rsplit("node_modules/", 1)[-1]


def _resolve(packages: dict[str, Any], start: str, name: str) -> str | None:
    """Find ``name`` as Node would from the package installed at ``start``."""
    base = start
    while True:
        candidate = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind("/node_modules/")
        base = base[:cut] if cut != -1 else ""


def _from_packages(
    packages: dict[str, Any], rel: str
) -> tuple[list[LockedPackage], dict[str, Scope]]:
    local = {
        path
        for path, entry in packages.items()
        if "node_modules/" not in f"/{path}" or (isinstance(entry, dict) and entry.get("link"))
    }
    # local folders (the project, its workspaces) and links to them are first-party
    roots: dict[str, Scope] = {}
    for path in sorted(local):
        entry = packages[path]
        if not isinstance(entry, dict) or entry.get("link"):
            continue
        for dep in declared_dependencies(entry, rel):
            target = _resolve(packages, path, dep.name)
            if target is not None and target not in local:
                add_root(roots, target, dep.scope)
    result = []
    for path, entry in packages.items():
        if path in local:
            continue
        where = f"packages[{path!r}]"
        entry = table(entry, where, rel)
        name = string(entry.get("name"), f"{where}.name", rel) or _package_name(path)
        version = string(entry.get("version"), f"{where}.version", rel)
        if entry.get("dev"):
            scope = Scope.DEV
        elif entry.get("optional") or entry.get("devOptional"):
            scope = Scope.OPTIONAL
        else:
            scope = Scope.RUNTIME
        requires = [
            _resolve(packages, path, dep)
            for section in _EDGES
            for dep in table(entry.get(section), f"{where}.{section}", rel)
        ]
        optional = [
            _resolve(packages, path, dep)
            for dep in table(
                entry.get("optionalDependencies"), f"{where}.optionalDependencies", rel
            )
        ]
        result.append(
            LockedPackage(
                key=path,
                name=name,
                version=version,
                purl=npm_purl(name, version),
                requires=tuple(k for k in requires if k is not None and k not in local),
                optional_requires=tuple(k for k in optional if k is not None and k not in local),
                scope=scope,
                license=entry.get("license"),
                hashes=integrity_hashes(entry.get("integrity")),
            )
        )
    return result, roots


def _from_v1(
    root: Path, rel: str, data: dict[str, Any]
) -> tuple[list[LockedPackage], dict[str, Scope]]:
    flat: dict[str, dict[str, Any]] = {}

    def walk(deps: Any, prefix: str, where: str) -> None:
        for name, entry in table(deps, where, rel).items():
            path = f"{prefix}node_modules/{name}"
            entry = table(entry, f"{where}[{name!r}]", rel)
            flat[path] = entry
            walk(entry.get("dependencies"), f"{path}/", f"{where}[{name!r}].dependencies")

    walk(data.get("dependencies"), "", "dependencies")
    result = []
    for path, entry in flat.items():
        name = _package_name(path)
        version = string(entry.get("version"), f"{path}.version", rel)
        if version and version.startswith("npm:"):  # an alias: npm:real-name@version
            target = version[4:]
            at = target.find("@", 1)
            name, version = (target[:at], target[at + 1 :]) if at > 0 else (target, None)
        if version and (":" in version or "/" in version):
            version = None  # a URL or a local path, not a registry version
        if entry.get("dev"):
            scope = Scope.DEV
        elif entry.get("optional"):
            scope = Scope.OPTIONAL
        else:
            scope = Scope.RUNTIME
        requires = [
            _resolve(flat, path, dep) for dep in table(entry.get("requires"), "requires", rel)
        ]
        result.append(
            LockedPackage(
                key=path,
                name=name,
                version=version,
                purl=npm_purl(name, version),
                requires=tuple(k for k in requires if k is not None),
                scope=scope,
                hashes=integrity_hashes(entry.get("integrity")),
            )
        )
    roots: dict[str, Scope] = {}
    for dep in read_declared(root, sibling(rel, "package.json")) or []:
        target = f"node_modules/{dep.name}"
        if target in flat:
            add_root(roots, target, dep.scope)
    return result, roots
