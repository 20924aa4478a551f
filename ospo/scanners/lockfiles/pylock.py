# SPDX-License-Identifier: Apache-2.0
"""PEP 751 lock files: ``pylock.toml`` and ``pylock.<name>.toml``.

Each ``[[packages]]`` entry has a name, a version and where to get it; the tools that write
them today (``pip lock``, ``uv export``) record no dependency graph, and the optional
``dependencies`` array is followed when there is one. A marker naming a dependency group
(``'dev' in dependency_groups``) or an extra (``'yaml' in extras``) gives the scope;
otherwise a package is runtime (the safe side: nothing says it does not ship). Direct
dependencies are the ones the ``pyproject.toml`` beside the lock file names, with that
file's scopes; without it every package is taken as direct. Packages from a local
``directory`` are the project itself and left out. PEP 751 has no license field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import (
    NO_LICENSE_IN_LOCK,
    LockedPackage,
    add_root,
    assemble,
    group_scope,
)
from ospo.scanners.lockfiles.pyproject import read_declared
from ospo.scanners.lockfiles.reading import array, load_toml, sibling, tables, text
from ospo.scanners.purls import pypi_name, pypi_purl

_GROUP_MARKER = re.compile(r"""['"]([^'"]+)['"]\s+in\s+(dependency_groups|extras)""")


class PylockScanner(ManifestScanner):
    """Packages recorded in a PEP 751 ``pylock.toml``."""

    name = "pylock"
    file_names = file_names_of("pylock")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the locked packages with their scope."""
        data = load_toml(root, rel)
        if "lock-version" not in data:
            raise InputError("not a PEP 751 lock file: no 'lock-version'", path=rel)
        entries = tables(data.get("packages"), "[[packages]]", rel)
        versions: dict[str, list[str]] = {}
        for entry in entries:
            name = text(entry.get("name"))
            if name is None:
                raise InputError("a [[packages]] entry has no name", path=rel)
            if "directory" not in entry:
                versions.setdefault(pypi_name(name), []).append(str(entry.get("version", "")))

        def key_of(ref: Any) -> str | None:
            ref = ref if isinstance(ref, dict) else {}
            name = pypi_name(str(ref.get("name", "")))
            candidates = versions.get(name, [])
            version = str(ref.get("version", candidates[0] if len(candidates) == 1 else ""))
            return f"{name}@{version}" if version in candidates else None

        packages = []
        for entry in entries:
            if "directory" in entry:
                continue
            name = pypi_name(str(entry["name"]))
            version = text(str(entry.get("version", ""))) or None
            refs = array(entry.get("dependencies"), f"package {name} dependencies", rel)
            requires = [key_of(ref) for ref in refs]
            packages.append(
                LockedPackage(
                    key=f"{name}@{version or ''}",
                    name=name,
                    version=version,
                    purl=pypi_purl(name, version),
                    requires=tuple(k for k in requires if k is not None),
                    scope=_marker_scope(entry.get("marker")),
                )
            )
        roots: dict[str, Scope] = {}
        for dep in read_declared(root, sibling(rel, "pyproject.toml")) or []:
            for version in versions.get(dep.name, []):
                add_root(roots, f"{dep.name}@{version}", dep.scope)
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file=rel.rpartition("/")[2]),
        )


def _marker_scope(marker: Any) -> Scope | None:
    """The scope a marker gives (``'dev' in dependency_groups``), if it names groups or extras."""
    if not isinstance(marker, str):
        return None
    found = _GROUP_MARKER.findall(marker)
    if not found:
        return None
    scopes = [
        group_scope(name, Scope.DEV if kind == "dependency_groups" else Scope.OPTIONAL)
        for name, kind in found
    ]
    order = (Scope.OPTIONAL, Scope.DEV, Scope.TEST)
    return next(s for s in order if s in scopes)
