# SPDX-License-Identifier: Apache-2.0
"""Poetry's ``poetry.lock`` (lock file versions 1.x and 2.x).

Each ``[[package]]`` has its ``[package.dependencies]`` by name, so the graph is known.
Direct dependencies and the scope of each come from the ``pyproject.toml`` beside the lock
file (Poetry's own tables or PEP 621), and transitive scopes from the graph; a dependency
marked optional is followed as an optional edge, and one brought by an extra the depending
package asks for as a required edge. Without a pyproject.toml the lock file's own hints
are used: ``groups`` (2.1: ``main`` is runtime, other groups dev or test by name) or
``category`` (1.x), and ``optional = true``. Poetry records no licenses.
"""

from __future__ import annotations

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
from ospo.scanners.lockfiles.reading import array, load_toml, sibling, table, tables, text
from ospo.scanners.purls import pypi_name, pypi_purl


class PoetryLockScanner(ManifestScanner):
    """Packages recorded in Poetry's ``poetry.lock``."""

    name = "poetry-lock"
    file_names = file_names_of("poetry-lock")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the locked packages with scope and dependency edges."""
        data = load_toml(root, rel)
        if "package" not in data and "metadata" not in data:
            raise InputError("not a Poetry lock file: no [[package]] or [metadata]", path=rel)
        entries = tables(data.get("package"), "[[package]]", rel)
        names = set()
        for entry in entries:
            name = text(entry.get("name"))
            if name is None:
                raise InputError("a [[package]] has no name", path=rel)
            names.add(pypi_name(name))

        declared = read_declared(root, sibling(rel, "pyproject.toml"))
        wanted_extras: dict[str, set[str]] = {}
        for dep in declared or []:
            wanted_extras.setdefault(dep.name, set()).update(dep.extras)
        # which extras each package is asked for, by those that depend on it
        for entry in entries:
            deps = table(entry.get("dependencies"), "dependencies", rel)
            for dep_name, spec in deps.items():
                for item in spec if isinstance(spec, list) else [spec]:
                    if isinstance(item, dict):
                        wanted_extras.setdefault(pypi_name(dep_name), set()).update(
                            str(e) for e in item.get("extras", [])
                        )

        packages = []
        for entry in entries:
            name = pypi_name(str(entry["name"]))
            version = text(str(entry.get("version", ""))) or None
            where = f"package {name}"
            requires: list[str] = []
            optional: list[str] = []
            extra_names: set[str] = set()
            extras = table(entry.get("extras"), f"{where} extras", rel)
            for extra in wanted_extras.get(name, ()):
                for item in array(extras.get(extra), f"{where} extras", rel):
                    extra_names.add(pypi_name(str(item).split()[0].split("[")[0]))
            for dep_name, spec in table(entry.get("dependencies"), where, rel).items():
                target = pypi_name(dep_name)
                if target not in names:
                    continue
                items = spec if isinstance(spec, list) else [spec]
                is_optional = all(isinstance(i, dict) and i.get("optional") for i in items)
                if is_optional and target not in extra_names:
                    optional.append(target)
                else:
                    requires.append(target)
            packages.append(
                LockedPackage(
                    key=name,
                    name=name,
                    version=version,
                    purl=pypi_purl(name, version),
                    requires=tuple(requires),
                    optional_requires=tuple(optional),
                    scope=None if declared else _hint(entry),
                )
            )
        roots: dict[str, Scope] = {}
        for dep in declared or []:
            if dep.name in names:
                add_root(roots, dep.name, dep.scope)
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file="poetry.lock"),
        )


def _hint(entry: dict[str, Any]) -> Scope | None:
    """The scope the lock file itself gives a package, for when there is no pyproject.toml."""
    groups = entry.get("groups")
    category = entry.get("category")
    if isinstance(groups, list) and groups:
        if "main" in groups:
            return Scope.OPTIONAL if entry.get("optional") else Scope.RUNTIME
        scopes = [group_scope(str(g), Scope.DEV) for g in groups]
        return Scope.DEV if Scope.DEV in scopes else scopes[0]
    if isinstance(category, str):
        if category == "main":
            return Scope.OPTIONAL if entry.get("optional") else Scope.RUNTIME
        return group_scope(category, Scope.DEV)
    return None
