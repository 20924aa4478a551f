# SPDX-License-Identifier: Apache-2.0
"""Third-party code copied into the product's tree, and which files belong to it.

A directory is the root of a vendored package when

* it sits directly in a vendor directory: a directory named like one (``vendor/``,
  ``third_party/``, ``node_modules/`` …, listed in :data:`VENDOR_DIRECTORIES`), with or without
  a manifest or license of its own (third-party code without a license is still third-party
  code, and its unknown license is reported); or
* anywhere else below the scan root, it holds its own license file (``LICENSE``,
  ``COPYING``, ``NOTICE`` …, :func:`ospo.scanners.licensefiles.is_license_file`): a copied
  library brings its license along.

A file directly in a vendor directory is a package of its own when it is code or a library
archive (``static/vendor/jquery-3.7.1.min.js``, ``third_party/stb_image.h``), named from the
file without ``.min`` and a version suffix, its license the one found in the file; other
files there (a README, Go's ``modules.txt``, pip's ``vendor.txt``, an ``__init__.py``)
are not. A directory in a vendor directory named for a kind of file (``javascript``,
``stylesheets``, ``assets`` …, :data:`ASSET_DIRECTORIES`) is a vendor directory itself,
except in ``node_modules`` (where ``css`` is a package's name): Rails' importmap keeps one
library per file in ``vendor/javascript/``.

A directory named like a vendor directory is not one, because the name is then a package's
name chosen by the product's own authors, when

* it lies in a Java, Kotlin, Scala or Groovy package path (below ``src/<set>/java/`` …):
  ``src/test/java/com/acme/external/`` is the package ``com.acme.external``; or
* it is a Rust module: it holds ``mod.rs``, or ``vendor.rs`` sits beside it; or
* it is named ``external`` or ``extern`` (names as often given to first-party modules as to
  copied code) and is a Python or Go package: it holds ``__init__.py`` or ``.go`` files.
  The other names keep their meaning in a package (pip's ``_vendor/`` has an
  ``__init__.py`` and holds vendored libraries).

Code copied into such a place is still found by its own license file. A file is never a
vendor directory. Go's ``vendor/`` lays packages out by import path: when it has a
``modules.txt``, the modules listed there are its packages (``vendor/golang.org/x/sys``,
``pkg:golang/golang.org/x/sys@v0.33.0``), one listed as replaced by a local directory is
first-party, and nothing else in it is vendored by its place.

License files in a ``META-INF/`` directory (``src/main/resources/META-INF/LICENSE``) go
into the jar built from the product's own code, with its license: they make nothing
vendored.

License-named pages of documentation (``.md``, ``.rst``, ``.html``, manual pages … below
``docs/``, ``doc/``, ``documentation/`` or ``man/``: ``docs/license.md``,
``docs/guide/licensing.md``, ``man/bundle-licenses.1``) are about licensing; they do not
make their directory a vendored package.

A subdirectory with only a package manifest and no license of its own, outside a vendor
directory, is taken as a first-party subproject (a monorepo package), not vendored code;
so is a member of the tree's own workspace (npm, Yarn and pnpm workspaces, a Cargo
workspace), license file or not: the root's manifest names it as part of the product.
Files belong to the innermost vendored root above them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ospo import licensing
from ospo.model import Component, LicenseEvidence, LicenseSource, Scope
from ospo.scanners.licensefiles import is_license_file
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

#: Package managers' directories: what is directly in them is always a package.
_PACKAGE_MANAGER_DIRECTORIES = frozenset({"node_modules", "bower_components"})

#: A directory of one of these names in a vendor directory (other than a package manager's)
#: sorts the vendored files by kind and is a vendor directory itself: Rails'
#: ``vendor/javascript/`` holds one library per file, ``vendor/assets/stylesheets/`` too.
ASSET_DIRECTORIES = frozenset(
    {"assets", "javascript", "javascripts", "js", "stylesheets", "styles", "css", "fonts"}
)

_NAMED_DIRECTORIES = VENDOR_DIRECTORIES | ASSET_DIRECTORIES

#: Vendor directory names that first-party Python and Go packages often have too.
_AMBIGUOUS_VENDOR_DIRECTORIES = frozenset({"external", "extern"})

#: ``src/<set>/<one of these>/`` is the root of a JVM language's package paths.
_JVM_SOURCE_DIRECTORIES = frozenset({"java", "kotlin", "scala", "groovy"})

#: License-named files of these kinds below a documentation directory are pages about
#: licensing, not license files of a vendored package.
DOCUMENTATION_DIRECTORIES = frozenset({"docs", "doc", "documentation", "man"})
_PAGE_SUFFIXES = frozenset(
    {".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".html", ".htm", ".ronn"}
    | {f".{section}" for section in range(1, 10)}  # manual pages: bundle-licenses.1
)

#: A file of one of these kinds directly in a vendor directory is a package of its own.
_LIBRARY_FILE_SUFFIXES = frozenset(
    {
        ".js",
        ".mjs",
        ".cjs",
        ".ts",
        ".css",
        ".py",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".hpp",
        ".go",
        ".rs",
        ".rb",
        ".php",
        ".java",
        ".lua",
        ".pl",
        ".pm",
        ".sh",
        ".jar",
    }
)

#: ``jquery-3.7.1``, ``d3.v7``: a library's name followed by its version.
_NAME_AND_VERSION = re.compile(
    r"^(?P<name>.+?)[-_.@]v?(?P<version>\d+(?:\.\d+)+(?:[-.+][0-9A-Za-z]+)*|(?<=v)\d+)$"
)


def vendor_directories() -> frozenset[str]:
    """Return the directory names whose subdirectories are vendored packages."""
    return VENDOR_DIRECTORIES


#: Manifests whose name, version and declared license a vendored package takes.
MANIFEST_NAMES = frozenset({"package.json", "pyproject.toml", "Cargo.toml", "composer.json"})


class _Manifest(NamedTuple):
    ecosystem: str  # purl type
    name: str | None
    version: str | None
    declared: str | None
    path: str


class _GoModule(NamedTuple):
    directory: str  # below vendor/, as modules.txt names it
    path: str  # the module the code comes from: a replacement's path, if replaced
    version: str | None
    listing: str  # the modules.txt that names it


def find_vendored_roots(files: Sequence[str], root: Path | None = None) -> list[str]:
    """Return the vendored package roots (relative paths) among ``files`` and their parents.

    With the tree's ``root``, the members of its own workspaces are not vendored code, and
    Go's ``vendor/modules.txt`` says which modules ``vendor/`` holds."""
    members = workspace_members(root, tuple(files)) if root is not None else frozenset[str]()
    go_vendor = tuple(
        (listing.rsplit("/", 1)[0], tuple(m.directory for m in modules))
        for listing, modules in _go_vendor_modules(root, files).items()
    )
    return list(_vendored_roots(tuple(files), members, go_vendor))


@lru_cache(maxsize=4)  # several scanners ask about the same listing in one scan
def _vendored_roots(
    files: tuple[str, ...],
    members: frozenset[str],
    go_vendor: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[str, ...]:
    present = frozenset(files)
    go_packages = frozenset(rel.rpartition("/")[0] for rel in files if rel.endswith(".go"))
    modules_of = {vdir: sorted(dirs, key=len, reverse=True) for vdir, dirs in go_vendor}
    is_vendor: dict[str, bool] = {}
    roots: set[str] = set()
    for rel in files:
        parts = rel.split("/")
        lowered = rel.lower().split("/")
        for depth in range(1, 0 if _NAMED_DIRECTORIES.isdisjoint(lowered) else len(parts)):
            name = lowered[depth - 1]
            if name not in _NAMED_DIRECTORIES:
                continue
            vdir = "/".join(parts[:depth])
            if vdir in is_vendor:
                pass
            elif name in VENDOR_DIRECTORIES:
                is_vendor[vdir] = _is_vendor_directory(parts[:depth], present, go_packages)
            elif name in ASSET_DIRECTORIES and depth >= 2:
                # vendor/javascript/, vendor/assets/stylesheets/: files sorted by kind
                parent = "/".join(parts[: depth - 1])
                is_vendor[vdir] = is_vendor.get(parent, False) and (
                    lowered[depth - 2] not in _PACKAGE_MANAGER_DIRECTORIES
                )
            else:
                continue
            if is_vendor[vdir]:
                package = _package_root(parts, depth, modules_of.get(vdir))
                if package is not None:
                    roots.add(package)
        if (
            len(parts) >= 2
            and is_license_file(parts[-1])
            and not _is_documentation(parts)
            and parts[-2] != "META-INF"  # the license of the jar built from the product
            and "/".join(parts[:-1]) not in members
        ):
            roots.add("/".join(parts[:-1]))
    return tuple(sorted(roots))


def _is_vendor_directory(
    parts: list[str], present: frozenset[str], go_packages: frozenset[str]
) -> bool:
    """Whether the directory ``parts``, named like a vendor directory, is one (see the
    module's description)."""
    path = "/".join(parts)
    name = parts[-1]
    # src/<set>/<language>/ above it: a package of a JVM language
    if any(
        part == "src" and parts[i + 2].lower() in _JVM_SOURCE_DIRECTORIES
        for i, part in enumerate(parts[:-3])
    ):
        return False
    beside = "/".join([*parts[:-1], f"{name}.rs"])
    if f"{path}/mod.rs" in present or beside in present:
        return False
    if name.lower() in _AMBIGUOUS_VENDOR_DIRECTORIES:
        return f"{path}/__init__.py" not in present and path not in go_packages
    return True


def _package_root(parts: list[str], depth: int, go_modules: list[str] | None) -> str | None:
    """Return the package that the path ``parts`` belongs to in the vendor directory
    ``parts[:depth]``, or None when it belongs to none."""
    rest = parts[depth:]
    if go_modules is not None:
        below = "/".join(rest)
        for module in go_modules:  # innermost first: nested modules are modules of their own
            if below.startswith(module + "/"):
                return "/".join(parts[:depth]) + "/" + module
        return None
    if len(rest) == 1:
        return "/".join(parts) if _is_library_file(rest[0]) else None
    if (
        rest[0].lower() in ASSET_DIRECTORIES
        and parts[depth - 1].lower() not in _PACKAGE_MANAGER_DIRECTORIES
    ):
        return None  # a vendor directory of its own, one level down
    if rest[0].startswith("@") and len(rest) > 2:  # a scoped npm package: @scope/name
        return "/".join(parts[: depth + 2])
    return "/".join(parts[: depth + 1])


def _is_library_file(name: str) -> bool:
    """Whether a file directly in a vendor directory is a library of its own."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in _LIBRARY_FILE_SUFFIXES and name != "__init__.py"


def _is_documentation(parts: list[str]) -> bool:
    """Whether the file ``parts`` is a page of the documentation."""
    name = parts[-1].lower()
    dot = name.rfind(".")
    return (
        dot > 0
        and name[dot:] in _PAGE_SUFFIXES
        and any(p.lower() in DOCUMENTATION_DIRECTORIES for p in parts[:-1])
    )


def _go_vendor_modules(root: Path | None, files: Sequence[str]) -> dict[str, tuple[_GoModule, ...]]:
    """Return the modules each ``vendor/modules.txt`` of the tree lists, by listing."""
    if root is None:
        return {}
    found = {}
    for rel in files:
        if rel == "vendor/modules.txt" or rel.endswith("/vendor/modules.txt"):
            modules = _read_go_modules(root, rel)
            if modules:
                found[rel] = modules
    return found


def _read_go_modules(root: Path, listing: str) -> tuple[_GoModule, ...]:
    """Return the modules ``listing`` (a ``vendor/modules.txt``) names, leaving out those
    replaced by a local directory (first-party code)."""
    try:
        text = (root / listing).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    modules = []
    for line in text.splitlines():
        if not line.startswith("# "):  # "## explicit" and package lines
            continue
        left, arrow, right = line[2:].partition("=>")
        old, new = left.split(), right.split()
        if not old or (arrow and (not new or new[0].startswith((".", "/")))):
            continue
        path, version = (new[0], new[1] if len(new) > 1 else None) if new else (old[0], None)
        if not new and len(old) > 1:
            version = old[1]
        modules.append(_GoModule(directory=old[0], path=path, version=version, listing=listing))
    return tuple(modules)


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

    go_modules = {
        listing.rsplit("/", 1)[0] + "/" + module.directory: module
        for listing, modules in _go_vendor_modules(root, files).items()
        for module in modules
    }
    components: list[Component] = []
    purl_of_root: dict[str, str] = {}
    for vroot, members in by_root.items():
        if not members:
            continue
        go_module = go_modules.get(vroot)
        manifest = (
            _Manifest(
                ecosystem="golang",
                name=go_module.path,
                version=go_module.version,
                declared=None,
                path=go_module.listing,
            )
            if go_module is not None
            else _read_manifest(root, vroot, members)
        )
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
    single_file = members == [vroot]
    if manifest is not None and manifest.name:
        name, version = manifest.name, manifest.version
    elif single_file:
        name, version = library_name(vroot.rsplit("/", 1)[-1])
    else:
        name, version = vroot.rsplit("/", 1)[-1], manifest.version if manifest else None
    ptype = manifest.ecosystem if manifest and manifest.name else "generic"
    if ptype == "golang":
        from ospo.scanners.lockfiles.gomod import golang_purl

        purl = golang_purl(name, version)
    else:
        from packageurl import PackageURL

        namespace = None
        pname = name
        if name.startswith("@") and "/" in name:
            namespace, pname = name.split("/", 1)
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
        reason = f"{reason} in {vroot}" if single_file else f"{reason} in {vroot}/"
    return Component(
        purl=purl,
        name=name,
        version=version,
        scope=Scope.RUNTIME,
        # go.mod says which modules the product asks for; the others come with them
        direct=ptype != "golang",
        license_expression=expression,
        licenses=tuple(evidence),
        unknown_reason=reason if expression is None else None,
        vendored_path=vroot,
    )


def library_name(filename: str) -> tuple[str, str | None]:
    """Return the name and version of a library kept as one file, from the file's name.

    ``jquery-3.7.1.min.js`` is jquery 3.7.1, ``d3.v7.min.js`` d3 7, ``clipboard.min.js``
    clipboard of no known version, ``@hotwired--stimulus.js`` (as importmap names it)
    @hotwired/stimulus."""
    stem = filename.rsplit(".", 1)[0] if filename.rfind(".") > 0 else filename
    for tail in (".min", "-min"):
        stem = stem.removesuffix(tail)
    found = _NAME_AND_VERSION.match(stem)
    name, version = (found["name"], found["version"]) if found else (stem, None)
    if name.startswith("@") and "--" in name:  # importmap's file for @scope/name
        name = name.replace("--", "/", 1)
    return name, version


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
    except (OSError, ValueError, AttributeError, RecursionError):  # TOMLDecodeError: a ValueError
        return None
    return None


def _str(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
