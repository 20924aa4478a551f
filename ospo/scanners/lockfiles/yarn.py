# SPDX-License-Identifier: Apache-2.0
"""Yarn's ``yarn.lock``, classic (v1) and berry (v2 and later).

Classic lock files are in Yarn's own indented format (read here line by line, so a broken
one is reported with its line); berry lock files are YAML. Each entry resolves one or more
descriptors (``name@range``) to a version, with the descriptors of its own dependencies, so
the graph is exact. Neither records dev flags nor licenses: direct dependencies and their
scope come from the ``package.json`` beside the lock file (without it, packages nothing
depends on are taken as direct, and scopes as runtime), and transitive scopes from the
graph. Workspaces and other local packages are first-party and left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ospo.errors import InputError
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import NO_LICENSE_IN_LOCK, LockedPackage, add_root, assemble
from ospo.scanners.lockfiles.hashes import integrity_hashes
from ospo.scanners.lockfiles.package_json import read_declared
from ospo.scanners.lockfiles.reading import load_yaml, read_text, sibling, string, table, text
from ospo.scanners.purls import npm_purl

_PAIR = re.compile(r'^("(?:[^"\\]|\\.)*"|[^\s"]+)\s+("(?:[^"\\]|\\.)*"|[^\s"]\S*)$')
_LOCAL_PROTOCOLS = ("workspace:", "link:", "portal:", "file:")


class YarnLockScanner(ManifestScanner):
    """Packages recorded in Yarn's ``yarn.lock`` (classic and berry)."""

    name = "yarn-lock"
    file_names = file_names_of("yarn-lock")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the packages of the lock file with scope and dependency edges."""
        content = read_text(root, rel)
        if re.search(r"^__metadata:", content, re.MULTILINE):
            packages, by_descriptor, workspace_deps = _berry(load_yaml(root, rel), rel)
            berry = True
        else:
            packages, by_descriptor = _classic(content, rel)
            workspace_deps = {}
            berry = False
        roots: dict[str, Scope] = {}
        declared = read_declared(root, sibling(rel, "package.json"))
        for dep in declared or []:
            key = _lookup(by_descriptor, dep.name, dep.spec, berry=berry)
            if key is not None:
                add_root(roots, key, dep.scope)
        if declared is None:
            for key, scope in workspace_deps.items():
                add_root(roots, key, scope)
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file="yarn.lock"),
        )


def _split_descriptor(descriptor: str) -> tuple[str, str]:
    """Split ``name@range`` (the name may start with ``@``)."""
    at = descriptor.find("@", 1)
    if at == -1:
        return descriptor, ""
    return descriptor[:at], descriptor[at + 1 :]


def _lookup(by_descriptor: dict[str, str], name: str, spec: str, *, berry: bool) -> str | None:
    found = by_descriptor.get(f"{name}@{spec}")
    if found is None and berry and ":" not in spec:
        found = by_descriptor.get(f"{name}@npm:{spec}")
    return found


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def _classic(content: str, rel: str) -> tuple[list[LockedPackage], dict[str, str]]:
    entries: list[tuple[list[str], dict[str, Any], int]] = []
    fields: dict[str, Any] | None = None
    section: dict[str, str] | None = None
    for number, raw in enumerate(content.splitlines(), 1):
        line = raw.rstrip()
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            if not body.endswith(":"):
                raise InputError(
                    f"not a yarn.lock entry: expected 'name@range:', found {body[:60]!r}",
                    path=rel,
                    line=number,
                )
            descriptors = [_unquote(d) for d in body[:-1].split(",") if d.strip()]
            fields, section = {}, None
            entries.append((descriptors, fields, number))
        elif fields is None:
            raise InputError("indented line before any entry", path=rel, line=number)
        elif indent == 2 and body.endswith(":"):
            section = {}
            fields[_unquote(body[:-1])] = section
        elif indent == 2:
            key, value = _pair(body, rel, number)
            fields[key], section = value, None
        elif section is not None:
            key, value = _pair(body, rel, number)
            section[key] = value
        else:
            raise InputError("unexpected indentation", path=rel, line=number)

    by_descriptor: dict[str, str] = {}
    for descriptors, _fields, number in entries:
        for descriptor in descriptors:
            by_descriptor[descriptor] = f"{descriptors[0]}#{number}"
    packages = []
    for descriptors, fields, number in entries:
        name, spec = _split_descriptor(descriptors[0])
        if spec.startswith("npm:"):  # an alias: the package is the one after npm:
            name, _ = _split_descriptor(spec[4:])
        if spec.startswith(_LOCAL_PROTOCOLS):
            continue
        version = fields.get("version")
        if not isinstance(version, str) or not version:
            raise InputError(f"entry {descriptors[0]!r} has no version", path=rel, line=number)

        def keys(section: Any) -> tuple[str, ...]:
            deps = section if isinstance(section, dict) else {}
            found = (by_descriptor.get(f"{n}@{r}") for n, r in deps.items())
            return tuple(k for k in found if k is not None)

        packages.append(
            LockedPackage(
                key=f"{descriptors[0]}#{number}",
                name=name,
                version=version,
                purl=npm_purl(name, version),
                requires=keys(fields.get("dependencies")),
                optional_requires=keys(fields.get("optionalDependencies")),
                hashes=integrity_hashes(fields.get("integrity")),
            )
        )
    return packages, by_descriptor


def _pair(body: str, rel: str, number: int) -> tuple[str, str]:
    found = _PAIR.match(body)
    if not found:
        raise InputError(f"expected 'key value', found {body[:60]!r}", path=rel, line=number)
    return _unquote(found.group(1)), _unquote(found.group(2))


def _berry(data: Any, rel: str) -> tuple[list[LockedPackage], dict[str, str], dict[str, Scope]]:
    entries = table(data, "the lock file", rel)
    table(entries.get("__metadata"), "__metadata", rel)
    by_descriptor: dict[str, str] = {}
    for key in entries:
        if key != "__metadata":
            for descriptor in str(key).split(","):
                by_descriptor[descriptor.strip()] = str(key)

    def edges(entry: dict[str, Any], where: str) -> tuple[list[str], list[str]]:
        meta = table(entry.get("dependenciesMeta"), f"{where}.dependenciesMeta", rel)
        required: list[str] = []
        optional: list[str] = []
        for section in ("dependencies", "optionalDependencies"):
            for name, spec in table(entry.get(section), f"{where}.{section}", rel).items():
                target = by_descriptor.get(f"{name}@{spec}")
                if target is None:
                    continue
                is_optional = section == "optionalDependencies" or (
                    isinstance(meta.get(name), dict) and meta[name].get("optional")
                )
                (optional if is_optional else required).append(target)
        return required, optional

    packages = []
    workspace_deps: dict[str, Scope] = {}
    local: set[str] = set()
    for key, entry in entries.items():
        if key == "__metadata":
            continue
        where = f"entry {key!r}"
        entry = table(entry, where, rel)
        resolution = text(entry.get("resolution")) or str(key).split(",")[0].strip()
        name, protocol = _split_descriptor(resolution)
        if protocol.startswith(_LOCAL_PROTOCOLS):
            local.add(str(key))
            required, optional = edges(entry, where)
            for target in required:
                add_root(workspace_deps, target, Scope.RUNTIME)
            for target in optional:
                add_root(workspace_deps, target, Scope.OPTIONAL)
            continue
        version = entry.get("version")
        if version is None:
            raise InputError(f"{where} has no version", path=rel)
        if isinstance(version, (list, dict)):  # a number is YAML's reading of 1.0 and kept
            string(version, f"{where}.version", rel)
        required, optional = edges(entry, where)
        packages.append(
            LockedPackage(
                key=str(key),
                name=name,
                version=str(version),
                purl=npm_purl(name, str(version)),
                requires=tuple(required),
                optional_requires=tuple(optional),
            )
        )
    workspace_deps = {k: s for k, s in workspace_deps.items() if k not in local}
    return packages, by_descriptor, workspace_deps
