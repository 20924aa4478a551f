# SPDX-License-Identifier: Apache-2.0
"""Composer's ``composer.lock``, and a ``composer.json`` with no lock file beside it.

Composer works out the scope itself: ``packages`` are what the project needs to run,
``packages-dev`` what only its ``require-dev`` pulls in. Each entry records its ``name``,
``version`` (as Composer shows it: a tag such as ``v5.4.3`` keeps its ``v``), ``license``
(a list; Composer documents several entries as a choice, so they are joined with OR) and
``require``; edges follow ``require`` to the locked packages, or to the one that
``provide``s or ``replace``s the name. Platform requirements (``php``, ``ext-*``,
``lib-*``, ``composer-plugin-api`` …) are not packages and are left out. Direct
dependencies are those the ``composer.json`` beside the lock file asks for.
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
    MANIFEST_ONLY,
    NO_LICENSE_IN_LOCK,
    LockedPackage,
    add_root,
    assemble,
    make_component,
)
from ospo.scanners.lockfiles.hashes import hex_hash
from ospo.scanners.lockfiles.package_json import exact_version
from ospo.scanners.lockfiles.reading import array, load_json, sibling, string, table, text

_PLATFORM = re.compile(
    r"^(php(-64bit|-ipv6|-zts|-debug)?|hhvm|composer(-plugin-api|-runtime-api)?|ext-.+|lib-.+)$"
)
_SECTIONS = (("require", Scope.RUNTIME), ("require-dev", Scope.DEV))


class ComposerLockScanner(ManifestScanner):
    """Packages recorded in Composer's ``composer.lock``."""

    name = "composer-lock"
    file_names = file_names_of("composer-lock")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the locked packages with Composer's scope, edges and recorded license."""
        data = table(load_json(root, rel), "the lock file", rel)
        if "packages" not in data and "packages-dev" not in data:
            raise InputError("not a composer.lock: it has no 'packages' list", path=rel)
        entries: list[tuple[dict[str, Any], Scope]] = []
        for section, scope in (("packages", Scope.RUNTIME), ("packages-dev", Scope.DEV)):
            for i, entry in enumerate(array(data.get(section), section, rel)):
                entry = table(entry, f"{section}[{i}]", rel)
                if text(entry.get("name")) is None:
                    raise InputError(f"{section}[{i}] has no name", path=rel)
                entries.append((entry, scope))
        providers: dict[str, str] = {}
        for entry, _ in entries:
            name = str(entry["name"]).lower()
            for link in ("provide", "replace"):
                for other in table(entry.get(link), f"{name} {link}", rel):
                    providers.setdefault(other.lower(), name)
        for entry, _ in entries:
            providers[str(entry["name"]).lower()] = str(entry["name"]).lower()
        packages = []
        for entry, scope in entries:
            name = str(entry["name"]).lower()
            version = string(entry.get("version"), f"{name} version", rel)
            requires = {
                providers[dep.lower()]
                for dep in table(entry.get("require"), f"{name} require", rel)
                if dep.lower() in providers
                and providers[dep.lower()] != name
                and not _PLATFORM.match(dep.lower())
            }
            packages.append(
                LockedPackage(
                    key=name,
                    name=name,
                    version=version,
                    purl=composer_purl(name, version),
                    requires=tuple(sorted(requires)),
                    scope=scope,
                    license=entry.get("license"),
                    hashes=hex_hash(
                        "SHA-1", table(entry.get("dist"), f"{name} dist", rel).get("shasum")
                    ),
                )
            )
        roots: dict[str, Scope] = {}
        for dep, scope in read_declared(root, sibling(rel, "composer.json")) or []:
            if dep in providers:
                add_root(roots, providers[dep], scope)
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file="composer.lock"),
        )


class ComposerJsonScanner(ManifestScanner):
    """Packages named in a ``composer.json`` that has no ``composer.lock`` beside it."""

    name = "composer-json"
    file_names = file_names_of("composer-json")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read composer.json files that no composer.lock stands beside."""
        return rel.rpartition("/")[2] == "composer.json" and "composer.lock" not in siblings

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return one component per package the manifest asks for; exact pins give a version."""
        components = []
        for name, scope, constraint in _declared(load_json(root, rel), rel):
            version = exact_version(constraint)
            components.append(
                make_component(
                    purl=composer_purl(name, version),
                    name=name,
                    version=version,
                    scope=scope,
                    direct=True,
                    location=rel,
                    unknown_reason=MANIFEST_ONLY.format(file="composer.json"),
                )
            )
        return components


def composer_purl(name: str, version: str | None) -> str:
    """Return ``pkg:composer/<vendor>/<name>@<version>`` (names lowercased, as the spec says)."""
    from packageurl import PackageURL

    vendor, _, package = name.lower().rpartition("/")
    return PackageURL(
        type="composer", namespace=vendor or None, name=package, version=version
    ).to_string()


def read_declared(root: Path, rel: str) -> list[tuple[str, Scope]] | None:
    """Return the packages a composer.json asks for; None if there is none or it is broken.

    A broken composer.json is reported by its own scanner when no lock file stands beside
    it; the lock-file scanner carries on without it.
    """
    if not (root / rel).is_file():
        return None
    try:
        return [(name, scope) for name, scope, _ in _declared(load_json(root, rel), rel)]
    except InputError:
        return None


def _declared(data: Any, rel: str) -> list[tuple[str, Scope, str]]:
    manifest = table(data, "the manifest", rel)
    out = []
    for section, scope in _SECTIONS:
        for name, constraint in table(manifest.get(section), section, rel).items():
            if not _PLATFORM.match(name.lower()):
                out.append((name.lower(), scope, str(constraint)))
    return out
