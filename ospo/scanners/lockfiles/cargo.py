# SPDX-License-Identifier: Apache-2.0
"""Rust: ``Cargo.lock`` (versions 1 to 4) with the ``Cargo.toml`` files of its workspace.

Each ``[[package]]`` has a name, a version, a ``source`` and its ``dependencies`` (as
``"name"``, ``"name version"`` or ``"name version (source)"``), so the graph is known.
Packages without a ``source`` are the workspace's own crates: they are not components, but
their ``Cargo.toml`` (found beside the lock file, through ``[workspace] members`` and
``path`` dependencies) says in which section each of their dependencies is asked for:
``[dependencies]`` is runtime (``optional = true``: optional), ``[dev-dependencies]`` dev,
and ``[build-dependencies]`` dev too — build scripts and procedural macros run on the
build machine and are not shipped; ``[target.'cfg(…)'.*]`` sections count the same, and a
renamed dependency (``package = "…"``) counts under its real name. A package from a git
repository is still a component, its purl carrying the repository and commit as
``vcs_url``. A ``Cargo.toml`` with no lock file (beside it or in a workspace above) gives
the exact pins (``=1.2.3``) only. Cargo records no licenses.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path, PurePosixPath
from typing import Any

from ospo.errors import InputError
from ospo.merge import widest_scope
from ospo.model import Component, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import (
    MANIFEST_ONLY,
    LockedPackage,
    add_root,
    assemble,
    make_component,
)
from ospo.scanners.lockfiles.hashes import hex_hash
from ospo.scanners.lockfiles.reading import (
    array,
    load_toml,
    sibling,
    string,
    table,
    tables,
    text,
)

#: Cargo.lock records no license (each crate's Cargo.toml does; cargo metadata shows them).
NO_LICENSE_IN_CARGO_LOCK = (
    "Cargo.lock records no license; import an SBOM made from the crates' metadata (--import-sbom)"
)
_CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"
_SECTIONS = (
    ("dependencies", Scope.RUNTIME),
    ("dev-dependencies", Scope.DEV),
    ("dev_dependencies", Scope.DEV),
    ("build-dependencies", Scope.DEV),
    ("build_dependencies", Scope.DEV),
)
_EXACT = re.compile(r"^=\s*(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$")
_ENTRY = re.compile(r"^(\S+)(?: (\S+))?(?: \((.+)\))?$")


def cargo_purl(name: str, version: str | None, source: str | None = None) -> str:
    """Return ``pkg:cargo/<name>@<version>``; a git source as the ``vcs_url`` qualifier."""
    from packageurl import PackageURL

    qualifiers: dict[str, str] = {}
    if source and source.startswith("git+"):
        url, _, commit = source.partition("#")
        url = url.split("?", 1)[0]
        qualifiers["vcs_url"] = f"{url}@{commit}" if commit else url
    elif source and source.startswith(("registry+", "sparse+")) and source != _CRATES_IO:
        qualifiers["repository_url"] = source.partition("+")[2]
    return PackageURL(type="cargo", name=name, version=version, qualifiers=qualifiers).to_string()


def declared_sections(manifest: dict[str, Any], rel: str) -> list[tuple[str, dict[str, Any]]]:
    """Return ``(section, dependencies)`` for every dependency table of a Cargo.toml."""
    out = [(name, table(manifest.get(name), f"[{name}]", rel)) for name, _ in _SECTIONS]
    for cfg, spec in table(manifest.get("target"), "[target]", rel).items():
        spec = table(spec, f"[target.'{cfg}']", rel)
        out += [
            (name, table(spec.get(name), f"[target.'{cfg}'.{name}]", rel)) for name, _ in _SECTIONS
        ]
    return out


def declared_scopes(
    manifest: dict[str, Any], rel: str, workspace: dict[str, Any]
) -> dict[str, Scope]:
    """Return the real crate name → scope of every dependency a Cargo.toml asks for."""
    inherited = table(workspace.get("dependencies"), "[workspace.dependencies]", rel)
    scopes: dict[str, Scope] = {}
    kinds = dict(_SECTIONS)
    for section, deps in declared_sections(manifest, rel):
        for key, spec in deps.items():
            spec = spec if isinstance(spec, dict) else {}
            base = inherited.get(key) if spec.get("workspace") is True else None
            real = text(spec.get("package")) or (
                text(base.get("package")) if isinstance(base, dict) else None
            )
            scope = kinds[section]
            if scope is Scope.RUNTIME and spec.get("optional") is True:
                scope = Scope.OPTIONAL
            name = real or key
            scopes[name] = widest_scope(scopes[name], scope) if name in scopes else scope
    return scopes


def _workspace_manifests(root: Path, rel: str, data: dict[str, Any]) -> list[str]:
    """Return the Cargo.toml files of a workspace: its members and path dependencies."""
    seen = [rel]
    todo = [(rel, data)]
    while todo:
        current, manifest = todo.pop()
        base = PurePosixPath(current).parent
        paths: list[str] = []
        workspace = table(manifest.get("workspace"), "[workspace]", current)
        excluded = {str(base / e) for e in array(workspace.get("exclude"), "exclude", current)}
        for pattern in array(workspace.get("members"), "[workspace] members", current):
            for found in sorted((root / base).glob(str(pattern))):
                member = PurePosixPath(found.relative_to(root).as_posix())
                if str(member) not in excluded:
                    paths.append(str(member / "Cargo.toml"))
        for _, deps in declared_sections(manifest, current):
            for spec in deps.values():
                if isinstance(spec, dict) and isinstance(spec.get("path"), str):
                    paths.append(str(PurePosixPath(base / spec["path"]) / "Cargo.toml"))
        for path in paths:
            norm = posixpath.normpath(path)
            if norm.startswith("..") or norm in seen or not (root / norm).is_file():
                continue
            seen.append(norm)
            try:
                todo.append((norm, load_toml(root, norm)))
            except InputError:
                continue  # reported by the scan of that Cargo.toml, if it is read alone
    return seen


class CargoLockScanner(ManifestScanner):
    """Crates recorded in ``Cargo.lock``; a ``Cargo.toml`` without one, its exact pins."""

    name = "cargo"
    file_names = file_names_of("cargo")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read Cargo.lock, and Cargo.toml where no Cargo.lock is beside it."""
        name = rel.rpartition("/")[2]
        return name == "Cargo.lock" or (name == "Cargo.toml" and "Cargo.lock" not in siblings)

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component]:
        """Return the locked crates (or the manifest's pins) with scope and edges."""
        if rel.rpartition("/")[2] == "Cargo.toml":
            return _manifest_only(root, rel)
        data = load_toml(root, rel)
        if "package" not in data:
            raise InputError("not a Cargo lock file: no [[package]]", path=rel)
        entries = tables(data.get("package"), "[[package]]", rel)
        keys: list[tuple[str, str, str | None]] = []
        for number, entry in enumerate(entries, 1):
            where = f"[[package]] #{number}"
            name = string(entry.get("name"), f"{where} name", rel)
            version = string(entry.get("version"), f"{where} version", rel)
            if name is None or version is None:
                raise InputError("a [[package]] has no name or version", path=rel)
            keys.append((name, version, text(entry.get("source"))))

        def resolve(ref: Any) -> tuple[str, str, str | None]:
            found = _ENTRY.match(str(ref))
            if not found:
                raise InputError(f"not a dependency entry: {ref!r}", path=rel)
            name, version, source = found.groups()
            matches = [
                k
                for k in keys
                if k[0] == name
                and (version is None or k[1] == version)
                and (source is None or k[2] == source)
            ]
            if len(matches) != 1:
                raise InputError(f"dependency {ref!r} does not name one [[package]]", path=rel)
            return matches[0]

        def key_of(k: tuple[str, str, str | None]) -> str:
            return f"{k[0]} {k[1]} {k[2] or ''}"

        local = {k for k in keys if k[2] is None}
        checksums = {k: e.get("checksum") for k, e in zip(keys, entries, strict=True)}
        graph = {
            key: [resolve(ref) for ref in array(entry.get("dependencies"), "dependencies", rel)]
            for key, entry in zip(keys, entries, strict=True)
        }
        scopes = self._local_scopes(root, rel)
        roots: dict[str, Scope] = {}
        for crate in local:
            asked = scopes.get(crate[0])
            for dep in graph[crate]:
                if dep not in local:
                    scope = asked.get(dep[0], Scope.RUNTIME) if asked is not None else Scope.RUNTIME
                    add_root(roots, key_of(dep), scope)
        packages = [
            LockedPackage(
                key=key_of(k),
                name=k[0],
                version=k[1],
                purl=cargo_purl(k[0], k[1], k[2]),
                requires=tuple(key_of(d) for d in graph[k] if d not in local),
                hashes=hex_hash("SHA-256", checksums.get(k)),
            )
            for k in keys
            if k not in local
        ]
        return assemble(
            packages,
            roots,
            location=rel,
            unknown_reason=NO_LICENSE_IN_CARGO_LOCK,
        )

    @staticmethod
    def _local_scopes(root: Path, rel: str) -> dict[str, dict[str, Scope]]:
        """The dependency scopes of each workspace crate, by crate name."""
        top = sibling(rel, "Cargo.toml")
        if not (root / top).is_file():
            return {}
        try:
            data = load_toml(root, top)
        except InputError:
            return {}
        workspace = table(data.get("workspace"), "[workspace]", top)
        out: dict[str, dict[str, Scope]] = {}
        for path in _workspace_manifests(root, top, data):
            manifest = data if path == top else load_toml(root, path)
            package = table(manifest.get("package"), "[package]", path)
            name = text(package.get("name"))
            if name is not None:
                out[name] = declared_scopes(manifest, path, workspace)
        return out


def _manifest_only(root: Path, rel: str) -> list[Component]:
    """The dependencies a Cargo.toml names, when no lock file covers it."""
    parent = PurePosixPath(rel).parent
    for above in parent.parents:
        if (root / above / "Cargo.lock").is_file():
            return []  # a member of a workspace whose lock file is read instead
    manifest = load_toml(root, rel)
    kinds = dict(_SECTIONS)
    components = []
    for section, deps in declared_sections(manifest, rel):
        for key, spec in deps.items():
            spec = spec if isinstance(spec, dict) else {"version": spec}
            if "path" in spec or spec.get("workspace") is True:
                continue  # first-party code, or only known from the workspace's own manifest
            name = text(spec.get("package")) or key
            found = _EXACT.match(text(spec.get("version")) or "")
            version = found.group(1) if found else None
            scope = kinds[section]
            if scope is Scope.RUNTIME and spec.get("optional") is True:
                scope = Scope.OPTIONAL
            git = text(spec.get("git"))
            components.append(
                make_component(
                    purl=cargo_purl(name, version, f"git+{git}" if git else None),
                    name=name,
                    version=version,
                    scope=scope,
                    direct=True,
                    location=rel,
                    unknown_reason=MANIFEST_ONLY.format(file="Cargo.toml"),
                )
            )
    return components
