# SPDX-License-Identifier: Apache-2.0
"""``package.json``: a JavaScript project's own manifest.

It says which packages the project asks for and in which section (``dependencies``,
``devDependencies``, ``optionalDependencies``, ``peerDependencies``); the lock-file scanners
use that to tell direct from transitive and runtime from dev. On its own — a ``package.json``
with no lock file beside it — it gives components with the version only when the manifest
pins one exactly, and no license (only a lock file or the installed packages know it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import MANIFEST_ONLY, make_component
from ospo.scanners.lockfiles.reading import load_json, table, text
from ospo.scanners.purls import npm_purl

#: Lock files that, beside a package.json, say more than it does.
JS_LOCK_FILES = frozenset(
    {"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"}
)

_SECTIONS = (
    ("dependencies", Scope.RUNTIME),
    ("optionalDependencies", Scope.OPTIONAL),
    ("peerDependencies", Scope.RUNTIME),
    ("devDependencies", Scope.DEV),
)
_LOCAL = ("file:", "link:", "workspace:", "portal:")
_EXACT = re.compile(r"^[v=]?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$")


class Declared(NamedTuple):
    """A dependency as the project's manifest asks for it."""

    name: str
    spec: str  # the range or protocol as written
    scope: Scope


def declared_dependencies(data: Any, rel: str) -> list[Declared]:
    """Return what a package.json (or a lock file's copy of one) asks for, section by section."""
    manifest = table(data, "the manifest", rel)
    optional_peers = {
        name
        for name, meta in table(
            manifest.get("peerDependenciesMeta"), "peerDependenciesMeta", rel
        ).items()
        if isinstance(meta, dict) and meta.get("optional")
    }
    out = []
    for section, scope in _SECTIONS:
        for name, spec in table(manifest.get(section), section, rel).items():
            optional_peer = section == "peerDependencies" and name in optional_peers
            out.append(
                Declared(
                    name=name, spec=str(spec), scope=Scope.OPTIONAL if optional_peer else scope
                )
            )
    return out


def read_declared(root: Path, rel: str) -> list[Declared] | None:
    """Return what the package.json at ``rel`` asks for; None if there is none or it is broken.

    A broken package.json is reported by its own scanner; a lock-file scanner that reads it
    for context carries on without it.
    """
    if not (root / rel).is_file():
        return None
    try:
        return declared_dependencies(load_json(root, rel), rel)
    except InputError:
        return None


class PackageJsonScanner(ManifestScanner):
    """Dependencies named in a ``package.json`` that has no lock file beside it."""

    name = "package-json"
    file_names = file_names_of("package-json")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read package.json files that no lock file stands beside."""
        return rel.rpartition("/")[2] == "package.json" and not (siblings & JS_LOCK_FILES)

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return one component per dependency named in the manifest.

        A workspace member's manifest is covered by the lock file at the workspace root:
        it gives nothing of its own (its dependencies are the lock file's importers)."""
        from ospo.scanners.workspaces import workspace

        directory = rel.rpartition("/")[0]
        if directory and workspace(root).holds(directory) and _root_locked(root):
            return []
        components = []
        for dep in declared_dependencies(load_json(root, rel), rel):
            spec = dep.spec.strip()
            if spec.startswith(_LOCAL):
                continue  # first-party code in the same tree
            name = dep.name
            if spec.startswith("npm:"):  # an alias: "npm:real-name@range"
                target = spec[4:]
                at = target.find("@", 1)
                name, spec = (target[:at], target[at + 1 :]) if at > 0 else (target, "")
            version = exact_version(spec)
            components.append(
                make_component(
                    purl=npm_purl(name, version),
                    name=name,
                    version=version,
                    scope=dep.scope,
                    direct=True,
                    location=rel,
                    unknown_reason=MANIFEST_ONLY.format(file="package.json"),
                )
            )
        return components


def exact_version(spec: str) -> str | None:
    """Return the version a range pins exactly (``1.2.3``, ``=1.2.3``), else None."""
    found = _EXACT.match(text(spec) or "")
    return found.group(1) if found else None


def _root_locked(root: Path) -> bool:
    return any((root / name).is_file() for name in JS_LOCK_FILES)
