# SPDX-License-Identifier: Apache-2.0
"""Pipenv's ``Pipfile.lock`` (and a ``Pipfile`` with no lock beside it).

The lock file has two flat sections: ``default`` (runtime) and ``develop`` (dev), each
mapping a name to its pinned ``version`` (``==2.32.3``), hashes and markers. It records
no dependency graph and no licenses: direct dependencies are the ones the ``Pipfile``
beside it names in ``[packages]`` or ``[dev-packages]``; without a Pipfile every package is
taken as direct. Local paths and editable installs are first-party and left out; a VCS
requirement has no version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import (
    MANIFEST_ONLY,
    NO_LICENSE_IN_LOCK,
    LockedPackage,
    assemble,
    make_component,
)
from ospo.scanners.lockfiles.pyproject import parse_requirement
from ospo.scanners.lockfiles.reading import load_json, load_toml, sibling, table
from ospo.scanners.purls import pypi_name, pypi_purl

_SECTIONS = (("default", Scope.RUNTIME), ("develop", Scope.DEV))
_PIPFILE_SECTIONS = (("packages", Scope.RUNTIME), ("dev-packages", Scope.DEV))


class PipfileLockScanner(ManifestScanner):
    """Packages recorded in Pipenv's ``Pipfile.lock``, or named in a lone ``Pipfile``."""

    name = "pipfile-lock"
    file_names = file_names_of("pipfile-lock")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read Pipfile.lock, and Pipfile where no lock file stands beside it."""
        name = rel.rpartition("/")[2]
        return name == "Pipfile.lock" or (name == "Pipfile" and "Pipfile.lock" not in siblings)

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the packages of the lock file (or the Pipfile's requirements)."""
        if rel.rpartition("/")[2] == "Pipfile":
            return _pipfile_only(root, rel)
        data = table(load_json(root, rel), "the lock file", rel)
        if not any(section in data for section, _ in _SECTIONS):
            raise InputError(
                "not a Pipfile.lock: it has neither a 'default' nor a 'develop' section",
                path=rel,
            )
        packages = []
        for section, scope in _SECTIONS:
            for name, entry in table(data.get(section), section, rel).items():
                entry = table(entry, f"{section}[{name!r}]", rel)
                if entry.get("path") or entry.get("editable"):
                    continue
                pinned = parse_requirement(f"{name}{entry.get('version', '')}")
                version = pinned.version if pinned is not None else None
                packages.append(
                    LockedPackage(
                        key=f"{pypi_name(name)}:{section}",
                        name=pypi_name(name),
                        version=version,
                        purl=pypi_purl(name, version),
                        scope=scope,
                    )
                )
        roots: dict[str, Scope] = {}
        pipfile = _read_pipfile(root, sibling(rel, "Pipfile"))
        if pipfile is not None:
            for name, scope in pipfile.items():
                for section, _ in _SECTIONS:
                    roots[f"{name}:{section}"] = scope
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file="Pipfile.lock"),
        )


def _read_pipfile(root: Path, rel: str) -> dict[str, Scope] | None:
    if not (root / rel).is_file():
        return None
    try:
        data = load_toml(root, rel)
        out: dict[str, Scope] = {}
        for section, scope in reversed(_PIPFILE_SECTIONS):
            for name in table(data.get(section), section, rel):
                out[pypi_name(name)] = scope
        return out
    except InputError:
        return None


def _pipfile_only(root: Path, rel: str) -> list[Component]:
    data = load_toml(root, rel)
    components = []
    for section, scope in _PIPFILE_SECTIONS:
        for name, spec in table(data.get(section), section, rel).items():
            version = _pinned(spec)
            if isinstance(spec, dict) and (spec.get("path") or spec.get("editable")):
                continue
            components.append(
                make_component(
                    purl=pypi_purl(name, version),
                    name=pypi_name(name),
                    version=version,
                    scope=scope,
                    direct=True,
                    location=rel,
                    unknown_reason=MANIFEST_ONLY.format(file="Pipfile"),
                )
            )
    return components


def _pinned(spec: Any) -> str | None:
    if isinstance(spec, dict):
        spec = spec.get("version")
    if not isinstance(spec, str):
        return None
    parsed = parse_requirement(f"x{spec}")
    return parsed.version if parsed is not None else None
