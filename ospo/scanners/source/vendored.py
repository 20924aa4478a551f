# SPDX-License-Identifier: Apache-2.0
"""Third-party code copied into the product's tree, and which files belong to it.

A directory is the root of a vendored package when

* it sits directly in a directory named like a vendor directory (``vendor/``,
  ``third_party/``, ``node_modules/`` …, listed in :data:`VENDOR_DIRECTORIES`), with or without a
  manifest or license of its own (third-party code without a license is still third-party
  code, and its unknown license is reported); or
* anywhere else below the scan root, it holds its own license file (``LICENSE``,
  ``COPYING`` …): a copied library brings its license along.

A subdirectory with only a package manifest and no license of its own, outside a vendor
directory, is taken as a first-party subproject (a monorepo package), not vendored code;
so is a member of the tree's own workspace (npm, Yarn and pnpm workspaces, a Cargo
workspace), license file or not: the root's manifest names it as part of the product.
Files belong to the innermost vendored root above them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ospo import licensing
from ospo.model import Component, LicenseEvidence, LicenseSource, Scope
from ospo.scanners.workspaces import workspace_members

#: A directory directly inside one of these is a vendored package, with or without a
#: manifest or license of its own (compared case-insensitively).
VENDOR_DIRECTORIES = frozenset(
    {
        "vendor",
        "vendors",
        "vendored",
        "_vendor",
        "third_party",
        "third-party",
        "thirdparty",
        "3rdparty",
        "3rd_party",
        "external",
        "extern",
        "node_modules",
        "bower_components",
    }
)

#: A directory anywhere below the scan root that holds a file whose name starts with one
#: of these (case-insensitive, not a source file) is a vendored package too.
LICENSE_FILE_STEMS = ("license", "licence", "copying", "unlicense", "copyright")


def vendor_directories() -> frozenset[str]:
    """Return the directory names whose subdirectories are vendored packages."""
    return VENDOR_DIRECTORIES


_CODE_SUFFIXES = frozenset(
    {
        ".py",
        ".js",
        ".ts",
        ".go",
        ".rs",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".java",
        ".rb",
        ".php",
        ".cs",
        ".json",
        ".yml",
        ".yaml",
        ".html",
        ".css",
        ".sh",
        ".pyc",
        ".toml",
    }
)


def is_license_file(name: str) -> bool:
    """Return whether a file name is a license file (``LICENSE``, ``COPYING.txt`` …)."""
    lowered = name.lower()
    if not lowered.startswith(LICENSE_FILE_STEMS):
        return False
    return os.path.splitext(lowered)[1] not in _CODE_SUFFIXES


#: Manifests whose name, version and declared license a vendored package takes.
MANIFEST_NAMES = frozenset({"package.json", "pyproject.toml", "Cargo.toml", "composer.json"})


class _Manifest(NamedTuple):
    ecosystem: str  # purl type
    name: str | None
    version: str | None
    declared: str | None
    path: str


def find_vendored_roots(files: Sequence[str], root: Path | None = None) -> list[str]:
    """Return the vendored package roots (relative directories) among ``files``' parents.

    With the tree's ``root``, the members of its own workspaces are not vendored code."""
    members = workspace_members(root, tuple(files)) if root is not None else frozenset[str]()
    return list(_vendored_roots(tuple(files), members))


@lru_cache(maxsize=4)  # several scanners ask about the same listing in one scan
def _vendored_roots(files: tuple[str, ...], members: frozenset[str]) -> tuple[str, ...]:
    vendor_dirs = vendor_directories()
    roots: set[str] = set()
    for rel in files:
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            if parts[depth - 1].lower() not in vendor_dirs:
                continue
            is_scope = parts[depth].startswith("@") and depth + 1 < len(parts) - 1
            # a scoped npm package (node_modules/@scope/name) is one level deeper;
            # a single file directly in a vendor directory is a package of its own
            roots.add("/".join(parts[: depth + (2 if is_scope else 1)]))
        if len(parts) >= 2 and is_license_file(parts[-1]) and "/".join(parts[:-1]) not in members:
            roots.add("/".join(parts[:-1]))
    return tuple(sorted(roots))


def attribute(
    root: Path,
    files: Sequence[str],
    file_licenses: Mapping[str, str | None],
) -> tuple[list[Component], dict[str, str]]:
    """Return the vendored components and a map from file path to the owning purl."""
    vendored_roots = find_vendored_roots(files, root)
    if not vendored_roots:
        return [], {}
    by_root: dict[str, list[str]] = {r: [] for r in vendored_roots}
    owner: dict[str, str] = {}
    for rel in files:
        best = None
        for vroot in _ancestors(rel):
            if vroot in by_root:
                best = vroot
                break
        if best is not None:
            by_root[best].append(rel)
            owner[rel] = best

    components: list[Component] = []
    purl_of_root: dict[str, str] = {}
    for vroot, members in by_root.items():
        if not members:
            continue
        manifest = _read_manifest(root, vroot, members)
        component = _component(vroot, members, manifest, file_licenses)
        components.append(component)
        purl_of_root[vroot] = component.purl
    return components, {rel: purl_of_root[r] for rel, r in owner.items() if r in purl_of_root}


def _ancestors(rel: str) -> list[str]:
    """Return ``rel`` itself, then its parent directories, innermost first."""
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _component(
    vroot: str,
    members: list[str],
    manifest: _Manifest | None,
    file_licenses: Mapping[str, str | None],
) -> Component:
    dirname = vroot.rsplit("/", 1)[-1]
    name = (manifest.name if manifest else None) or dirname
    version = manifest.version if manifest else None
    ptype = manifest.ecosystem if manifest and manifest.name else "generic"
    namespace = None
    pname = name
    if ptype == "npm" and name.startswith("@") and "/" in name:
        namespace, pname = name.split("/", 1)
    from packageurl import PackageURL

    purl = PackageURL(
        type=ptype,
        namespace=namespace,
        name=pname,
        version=version,
        qualifiers={"vendored_path": vroot} if ptype == "generic" else None,
    ).to_string()

    evidence: list[LicenseEvidence] = []
    declared: list[str] = []
    if manifest is not None and manifest.declared:
        checked = licensing.check(manifest.declared)
        evidence.append(
            LicenseEvidence(
                expression=checked.normalized or manifest.declared,
                source=LicenseSource.DECLARED,
                location=manifest.path,
                valid=checked.valid,
                note=None if checked.valid else "; ".join(checked.errors),
            )
        )
        declared.append(manifest.declared)
    detected: list[str] = []
    for rel in sorted(members):
        single_file = rel == vroot
        top_level = "/" not in rel[len(vroot) + 1 :]
        if not single_file and not (top_level and is_license_file(rel.rsplit("/", 1)[-1])):
            continue
        expr = file_licenses.get(rel)
        if expr:
            evidence.append(
                LicenseEvidence(expression=expr, source=LicenseSource.DETECTED, location=rel)
            )
            detected.append(expr)
    expression, reason = licensing.effective_license(declared, detected)
    if expression is None:
        reason = f"{reason} in {vroot}/"
    return Component(
        purl=purl,
        name=name,
        version=version,
        scope=Scope.RUNTIME,
        direct=True,
        license_expression=expression,
        licenses=tuple(evidence),
        unknown_reason=reason if expression is None else None,
        vendored_path=vroot,
    )


def _read_manifest(root: Path, vroot: str, members: list[str]) -> _Manifest | None:
    import tomllib  # only a tree with vendored code pays for it

    names = {m[len(vroot) + 1 :]: m for m in members if "/" not in m[len(vroot) + 1 :]}
    try:
        if "package.json" in names:
            data = json.loads((root / names["package.json"]).read_text(encoding="utf-8"))
            lic = data.get("license")
            if isinstance(lic, dict):
                lic = lic.get("type")
            return _Manifest(
                ecosystem="npm",
                name=_str(data.get("name")),
                version=_str(data.get("version")),
                declared=_str(lic),
                path=names["package.json"],
            )
        if "pyproject.toml" in names:
            data = tomllib.loads((root / names["pyproject.toml"]).read_text(encoding="utf-8"))
            project = data.get("project", {})
            lic = project.get("license")
            if isinstance(lic, dict):
                lic = lic.get("text")
            return _Manifest(
                ecosystem="pypi",
                name=_str(project.get("name")),
                version=_str(project.get("version")),
                declared=_str(lic),
                path=names["pyproject.toml"],
            )
        if "Cargo.toml" in names:
            data = tomllib.loads((root / names["Cargo.toml"]).read_text(encoding="utf-8"))
            package = data.get("package", {})
            return _Manifest(
                ecosystem="cargo",
                name=_str(package.get("name")),
                version=_str(package.get("version")),
                declared=_str(package.get("license")),
                path=names["Cargo.toml"],
            )
        if "composer.json" in names:
            data = json.loads((root / names["composer.json"]).read_text(encoding="utf-8"))
            lic = data.get("license")
            if isinstance(lic, list):
                lic = " OR ".join(str(x) for x in lic)
            name = _str(data.get("name"))
            return _Manifest(
                ecosystem="composer",
                name=name,
                version=_str(data.get("version")),
                declared=_str(lic),
                path=names["composer.json"],
            )
    except (OSError, ValueError, AttributeError):  # TOMLDecodeError is a ValueError
        return None
    return None


def _str(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
