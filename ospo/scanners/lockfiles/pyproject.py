# SPDX-License-Identifier: Apache-2.0
"""``pyproject.toml``: a Python project's own manifest, and Python requirement strings.

It says what the project asks for: PEP 621 ``[project] dependencies`` (runtime) and
``[project.optional-dependencies]`` (extras: optional, or test/dev when named so), PEP 735
``[dependency-groups]`` (dev, or test when named so; ``include-group`` followed), and
Poetry's ``[tool.poetry.dependencies]`` (runtime, ``optional = true`` → optional),
``[tool.poetry.group.<name>.dependencies]`` and ``[tool.poetry.dev-dependencies]``. The lock
scanners use it to tell direct from transitive. On its own — no lock file beside it — it
gives components with the version only when a requirement pins one exactly (``==``), and no
license.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import MANIFEST_ONLY, group_scope, make_component
from ospo.scanners.lockfiles.reading import array, load_toml, table
from ospo.scanners.purls import pypi_name, pypi_purl

#: Lock files that, beside a pyproject.toml, say more than it does.
PY_LOCK_FILES = frozenset({"poetry.lock", "uv.lock", "pylock.toml", "Pipfile.lock"})

_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$"
)
_PINNED = re.compile(r"^\(?\s*===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*\)?$")
_POETRY_EXACT = re.compile(r"^=?=?\s*(\d+(?:\.\d+)*(?:[a-zA-Z0-9.+!_-]*))$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Requirement:
    """A PEP 508 requirement, as much of it as an inventory needs."""

    name: str  # as written
    extras: tuple[str, ...] = ()
    version: str | None = None  # when pinned exactly with == or ===
    url: str | None = None  # a direct reference (name @ url)
    marker: str | None = None


def parse_requirement(line: str) -> Requirement | None:
    """Parse a PEP 508 requirement string; None if it does not start with a name."""
    found = _REQUIREMENT.match(line)
    if not found:
        return None
    extras = tuple(e.strip() for e in (found.group("extras") or "").split(",") if e.strip())
    rest = found.group("rest").strip()
    url = None
    if rest.startswith("@"):
        url, _, marker = rest[1:].strip().partition(" ;")
        if not marker and ";" in url and " " not in url:
            url, _, marker = url.partition(";")
        spec = ""
    else:
        spec, _, marker = rest.partition(";")
    pinned = _PINNED.match(spec.strip())
    version = pinned.group(1) if pinned and "*" not in pinned.group(1) else None
    return Requirement(
        name=found.group("name"),
        extras=extras,
        version=version,
        url=url.strip() if url else None,
        marker=marker.strip() or None,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PyDeclared:
    """A dependency as a Python project's manifest asks for it."""

    name: str  # PEP 503 normalised
    version: str | None  # when pinned exactly
    scope: Scope
    extras: tuple[str, ...] = ()


def declared_dependencies(data: dict[str, Any], rel: str) -> list[PyDeclared]:
    """Return everything a parsed pyproject.toml asks for, with the scope of each section."""
    out: list[PyDeclared] = []
    project = table(data.get("project"), "[project]", rel)
    own = pypi_name(str(project.get("name", "")))

    def add(requirement: Any, scope: Scope, where: str) -> None:
        if not isinstance(requirement, str):
            raise InputError(f"{where}: a requirement should be a string", path=rel)
        parsed = parse_requirement(requirement)
        if parsed is None:
            raise InputError(f"{where}: not a requirement: {requirement!r}", path=rel)
        if pypi_name(parsed.name) != own:
            out.append(
                PyDeclared(
                    name=pypi_name(parsed.name),
                    version=parsed.version,
                    scope=scope,
                    extras=parsed.extras,
                )
            )

    for requirement in array(project.get("dependencies"), "[project] dependencies", rel):
        add(requirement, Scope.RUNTIME, "[project] dependencies")
    extras = table(project.get("optional-dependencies"), "[project.optional-dependencies]", rel)
    for extra, requirements in extras.items():
        where = f"[project.optional-dependencies] {extra}"
        for requirement in array(requirements, where, rel):
            add(requirement, group_scope(extra, Scope.OPTIONAL), where)

    groups = table(data.get("dependency-groups"), "[dependency-groups]", rel)

    def add_group(group: str, scope: Scope, seen: frozenset[str]) -> None:
        where = f"[dependency-groups] {group}"
        for item in array(groups.get(group), where, rel):
            if isinstance(item, dict) and "include-group" in item:
                included = str(item["include-group"])
                if included not in seen:
                    add_group(included, scope, seen | {included})
            else:
                add(item, scope, where)

    for group in groups:
        add_group(group, group_scope(group, Scope.DEV), frozenset({group}))

    uv = table(table(data.get("tool"), "[tool]", rel).get("uv"), "[tool.uv]", rel)
    for requirement in array(uv.get("dev-dependencies"), "[tool.uv] dev-dependencies", rel):
        add(requirement, Scope.DEV, "[tool.uv] dev-dependencies")

    poetry = table(table(data.get("tool"), "[tool]", rel).get("poetry"), "[tool.poetry]", rel)
    poetry_own = pypi_name(str(poetry.get("name", "")))
    sections: list[tuple[str, Any, Scope]] = [
        ("[tool.poetry.dependencies]", poetry.get("dependencies"), Scope.RUNTIME),
        ("[tool.poetry.dev-dependencies]", poetry.get("dev-dependencies"), Scope.DEV),
    ]
    for group, body in table(poetry.get("group"), "[tool.poetry.group]", rel).items():
        where = f"[tool.poetry.group.{group}.dependencies]"
        deps = table(body, f"[tool.poetry.group.{group}]", rel).get("dependencies")
        sections.append((where, deps, group_scope(group, Scope.DEV)))
    for where, deps, scope in sections:
        for name, spec in table(deps, where, rel).items():
            if name.lower() == "python" or pypi_name(name) in (own, poetry_own):
                continue
            declared = _poetry_dependency(name, spec, scope)
            if declared is not None:
                out.append(declared)
    return out


def _poetry_dependency(name: str, spec: Any, scope: Scope) -> PyDeclared | None:
    specs = spec if isinstance(spec, list) else [spec]
    versions: list[str | None] = []
    optional = False
    extras: list[str] = []
    for item in specs:
        if isinstance(item, dict):
            if "path" in item:
                return None  # a local package: first-party
            optional = optional or bool(item.get("optional"))
            extras += [str(e) for e in item.get("extras", []) if isinstance(e, str)]
            item = item.get("version")
        exact = _POETRY_EXACT.match(item.strip()) if isinstance(item, str) else None
        versions.append(exact.group(1) if exact else None)
    version = versions[0] if len(set(versions)) == 1 else None
    if optional and scope is Scope.RUNTIME:
        scope = Scope.OPTIONAL
    return PyDeclared(name=pypi_name(name), version=version, scope=scope, extras=tuple(extras))


def read_declared(root: Path, rel: str) -> list[PyDeclared] | None:
    """Return what the pyproject.toml at ``rel`` asks for; None if there is none or it is broken.

    A broken pyproject.toml is reported by its own scanner when it is read on its own; a
    lock-file scanner that reads it for context carries on without it.
    """
    if not (root / rel).is_file():
        return None
    try:
        return declared_dependencies(load_toml(root, rel), rel)
    except InputError:
        return None


class PyprojectScanner(ManifestScanner):
    """Dependencies named in a ``pyproject.toml`` that has no lock file beside it."""

    name = "pyproject"
    file_names = file_names_of("pyproject")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read pyproject.toml files that no Python lock file stands beside."""
        if rel.rpartition("/")[2] != "pyproject.toml" or siblings & PY_LOCK_FILES:
            return False
        return not any(n.startswith("pylock.") and n.endswith(".toml") for n in siblings)

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return one component per dependency the manifest names."""
        return [
            make_component(
                purl=pypi_purl(dep.name, dep.version),
                name=dep.name,
                version=dep.version,
                scope=dep.scope,
                direct=True,
                location=rel,
                unknown_reason=MANIFEST_ONLY.format(file="pyproject.toml"),
            )
            for dep in declared_dependencies(load_toml(root, rel), rel)
        ]
