# SPDX-License-Identifier: Apache-2.0
"""uv's ``uv.lock``.

Every package is a ``[[package]]`` table with its resolved ``dependencies``, its
``optional-dependencies`` (extras) and, for the project's own packages, its
``dev-dependencies`` (dependency groups). The project and its workspace members are the
packages whose source is local (``editable``, ``virtual``, ``directory``): they are
first-party and left out, and what they ask for is direct — runtime for ``dependencies``,
optional (or test/dev when so named) for extras, dev (or test) for groups. Scopes of the
rest follow the graph; the extras a dependency asks for (``requests[socks]``) bring that
extra's packages in. A name locked at several versions (a forked resolution) is told apart
by the ``version`` each reference gives. uv records no licenses.
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
from ospo.scanners.lockfiles.hashes import hex_hash
from ospo.scanners.lockfiles.reading import array, load_toml, table, tables, text
from ospo.scanners.purls import pypi_name, pypi_purl

_LOCAL_SOURCES = ("editable", "virtual", "directory")


class UvLockScanner(ManifestScanner):
    """Packages recorded in uv's ``uv.lock``."""

    name = "uv-lock"
    file_names = file_names_of("uv-lock")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the locked packages with scope and dependency edges."""
        data = load_toml(root, rel)
        if "version" not in data or "package" not in data:
            raise InputError("not a uv lock file: no 'version' and '[[package]]' tables", path=rel)
        entries = tables(data["package"], "[[package]]", rel)
        versions: dict[str, list[str]] = {}
        local: set[str] = set()
        for entry in entries:
            name = text(entry.get("name"))
            if name is None:
                raise InputError("a [[package]] has no name", path=rel)
            versions.setdefault(pypi_name(name), []).append(str(entry.get("version", "")))
            if any(k in table(entry.get("source"), "source", rel) for k in _LOCAL_SOURCES):
                local.add(pypi_name(name))

        def key_of(ref: Any, where: str) -> str | None:
            ref = table(ref, where, rel)
            name = pypi_name(str(ref.get("name", "")))
            if name in local or name not in versions:
                return None
            candidates = versions[name]
            version = str(ref.get("version", candidates[0] if len(candidates) == 1 else ""))
            return f"{name}@{version}" if version in candidates else None

        # extras asked for anywhere bring that extra's packages in
        wanted_extras: dict[str, set[str]] = {}
        for entry in entries:
            for ref in _all_refs(entry, rel):
                key = key_of(ref, "dependency")
                if key is not None:
                    extras = ref.get("extra", []) if isinstance(ref, dict) else []
                    wanted_extras.setdefault(key, set()).update(str(e) for e in extras)

        roots: dict[str, Scope] = {}
        packages = []
        for entry in entries:
            name = pypi_name(str(entry["name"]))
            where = f"package {name}"
            deps = array(entry.get("dependencies"), f"{where} dependencies", rel)
            extras = table(
                entry.get("optional-dependencies"), f"{where} optional-dependencies", rel
            )
            if name in local:
                groups = table(entry.get("dev-dependencies"), f"{where} dev-dependencies", rel)
                sections = [(deps, Scope.RUNTIME)]
                sections += [(refs, group_scope(x, Scope.OPTIONAL)) for x, refs in extras.items()]
                sections += [(refs, group_scope(g, Scope.DEV)) for g, refs in groups.items()]
                for refs, scope in sections:
                    for ref in array(refs, where, rel):
                        key = key_of(ref, where)
                        if key is not None:
                            add_root(roots, key, scope)
                continue
            version = text(str(entry.get("version", ""))) or None
            key = f"{name}@{version or ''}"
            requires = [key_of(ref, where) for ref in deps]
            for extra in sorted(wanted_extras.get(key, ())):
                requires += [key_of(ref, where) for ref in array(extras.get(extra), where, rel)]
            packages.append(
                LockedPackage(
                    key=key,
                    name=name,
                    version=version,
                    purl=pypi_purl(name, version),
                    requires=tuple(k for k in requires if k is not None),
                    hashes=_sdist_hash(entry.get("sdist")),
                )
            )
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file="uv.lock"),
        )


def _all_refs(entry: dict[str, Any], rel: str) -> list[Any]:
    refs = list(array(entry.get("dependencies"), "dependencies", rel))
    for section in ("optional-dependencies", "dev-dependencies"):
        for group in table(entry.get(section), section, rel).values():
            refs += array(group, section, rel)
    return refs


def _sdist_hash(sdist: Any) -> tuple[tuple[str, str], ...]:
    """The source distribution's hash: the one artifact of a version (its wheels are one
    per platform, and which one is installed is not the lock file's to say)."""
    value = sdist.get("hash") if isinstance(sdist, dict) else None
    algorithm, _, digest = value.partition(":") if isinstance(value, str) else ("", "", "")
    return hex_hash("SHA-256", digest) if algorithm == "sha256" else ()
