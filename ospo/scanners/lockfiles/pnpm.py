# SPDX-License-Identifier: Apache-2.0
"""pnpm's ``pnpm-lock.yaml``: lock file versions 5.x, 6.x and 9.x.

The importers (the project and its workspace packages) list what each asks for in
``dependencies``, ``devDependencies`` and ``optionalDependencies``, resolved to a version:
those are the direct dependencies with their scope. Packages (``snapshots`` in 9.x) carry
their own resolved dependencies, so the graph is exact; versions written with a peer
suffix (``5.3.0(supports-color@8.1.1)``) are one package. Versions 5 and 6 also record
``dev: true`` / ``dev: false`` per package, which is taken as it is; 9.x does not, and
scopes come from the graph. pnpm records no licenses. Links to local folders are
first-party and left out.
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
from ospo.scanners.lockfiles.reading import load_yaml, table
from ospo.scanners.purls import npm_purl

_SECTIONS = (
    ("dependencies", Scope.RUNTIME),
    ("optionalDependencies", Scope.OPTIONAL),
    ("devDependencies", Scope.DEV),
)
_LOCAL = ("link:", "file:", "workspace:")


class PnpmLockScanner(ManifestScanner):
    """Packages recorded in pnpm's ``pnpm-lock.yaml``."""

    name = "pnpm-lock"
    file_names = file_names_of("pnpm-lock")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the packages of the lock file with scope and dependency edges."""
        data = table(load_yaml(root, rel), "the lock file", rel)
        raw_version = data.get("lockfileVersion")
        try:
            major = int(float(str(raw_version)))
        except ValueError:
            raise InputError(
                f"not a pnpm lock file: lockfileVersion is {raw_version!r}", path=rel
            ) from None
        if major < 5:
            raise InputError(
                f"pnpm lock file version {raw_version} is not supported (5.x to 9.x are)",
                path=rel,
            )
        keys = _Keys(major)
        nodes = table(
            (data.get("snapshots") if major >= 9 else None) or data.get("packages"), "packages", rel
        )
        importers = table(data.get("importers"), "importers", rel) or {".": data}

        roots: dict[str, Scope] = {}
        for importer, entry in importers.items():
            entry = table(entry, f"importers[{importer!r}]", rel)
            for section, scope in _SECTIONS:
                for name, ref in table(entry.get(section), section, rel).items():
                    version = ref.get("version") if isinstance(ref, dict) else ref
                    key = keys.ref(name, str(version))
                    if key is not None:
                        add_root(roots, key, scope)

        resolutions = table(data.get("packages"), "packages", rel) if major >= 9 else {}
        packages = []
        for key, entry in nodes.items():
            where = f"packages[{key!r}]"
            entry = table(entry, where, rel)
            name, version = keys.split(str(key))
            if version is None or version.startswith(_LOCAL):
                continue
            requires = [
                keys.ref(n, str(v))
                for n, v in table(entry.get("dependencies"), f"{where}.dependencies", rel).items()
            ]
            optional = [
                keys.ref(n, str(v))
                for n, v in table(
                    entry.get("optionalDependencies"), f"{where}.optionalDependencies", rel
                ).items()
            ]
            flagged: Scope | None = None
            if major < 9:
                if entry.get("dev") is True:
                    flagged = Scope.DEV
                elif entry.get("optional") is True:
                    flagged = Scope.OPTIONAL
                elif "dev" in entry:
                    flagged = Scope.RUNTIME
            packages.append(
                LockedPackage(
                    key=str(key),
                    name=name,
                    version=version,
                    purl=npm_purl(name, version),
                    requires=tuple(k for k in requires if k is not None),
                    optional_requires=tuple(k for k in optional if k is not None),
                    scope=flagged,
                    hashes=integrity_hashes(_integrity(entry, resolutions, str(key))),
                )
            )
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_LOCK.format(file="pnpm-lock.yaml"),
        )


class _Keys:
    """How a lock file version names packages: ``name@1.0.0``, ``/name@1.0.0``, ``/name/1.0.0``."""

    def __init__(self, major: int) -> None:
        self.major = major

    def ref(self, name: str, version: str) -> str | None:
        """Return the package key a dependency reference points at; None for local ones."""
        if version.startswith(_LOCAL):
            return None
        if self.major >= 9:
            plain = version.split("(", 1)[0]
            return version if plain.find("@", 1) > 0 else f"{name}@{version}"
        if version.startswith("/"):  # an alias, or a package from another registry
            return version
        if self.major >= 6:
            return f"/{name}@{version}"
        return f"/{name}/{version}"

    def split(self, key: str) -> tuple[str, str | None]:
        """Return the package name and plain version (no peer suffix) of a key."""
        plain = key.split("(", 1)[0]
        if self.major >= 9:
            at = plain.find("@", 1)
            return (plain[:at], plain[at + 1 :]) if at > 0 else (plain, None)
        plain = plain.lstrip("/")
        if self.major >= 6:
            at = plain.find("@", 1)
            return (plain[:at], plain[at + 1 :]) if at > 0 else (plain, None)
        name, _, version = plain.rpartition("/")
        return (name, version.split("_", 1)[0]) if name else (plain, None)


def _integrity(entry: dict[str, Any], resolutions: dict[str, Any], key: str) -> Any:
    """The package's integrity: in its own entry (5.x-6.x), or in ``packages`` (9.x), where
    the key carries no peer suffix (``a@1.0.0(b@2.0.0)`` → ``a@1.0.0``)."""
    own = entry.get("resolution")
    if not isinstance(own, dict):
        own = resolutions.get(key.split("(", 1)[0])
        own = own.get("resolution") if isinstance(own, dict) else None
    return own.get("integrity") if isinstance(own, dict) else None
