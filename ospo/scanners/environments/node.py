# SPDX-License-Identifier: Apache-2.0
"""Packages installed in a ``node_modules`` tree, nested ones included
(``ospo scan --env PATH``): each package's ``package.json`` ``license`` (or legacy
``licenses``), and its top-level license files."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from packageurl import PackageURL

from ospo.errors import InputError
from ospo.inputs import parse_json
from ospo.model import IssueKind, LicenseEvidence, LicenseSource, ScanIssue
from ospo.scanners.environments.base import (
    EnvironmentScanner,
    InstalledPackage,
    declared_in_metadata,
)
from ospo.scanners.licensefiles import is_license_file


class NodeModulesScanner(EnvironmentScanner):
    """Packages installed in a ``node_modules`` tree (nested ones included)."""

    name = "node-modules"

    def accepts(self, env: Path) -> bool:
        return env.is_dir() and (env.name == "node_modules" or (env / "node_modules").is_dir())

    def packages(self, env: Path) -> Iterator[InstalledPackage | ScanIssue]:
        root = env if env.name == "node_modules" else env / "node_modules"
        for manifest in sorted(_npm_manifests(root)):
            yield _npm_package(manifest, root)


def _npm_manifests(modules: Path) -> Iterator[Path]:
    """The ``package.json`` of every package installed in ``modules`` (a ``node_modules``
    directory), ``@scope/name`` ones and nested copies (``a/node_modules/b``) included.

    Only npm's own layout is followed, so a ``node_modules`` inside a package's test
    fixtures is not taken for installed packages, and the many files of the packages are
    never listed.
    """
    stack = [modules]
    while stack:
        where = stack.pop()
        try:
            entries = sorted(os.scandir(where), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            if entry.name.startswith("@"):
                try:
                    scoped = [e for e in os.scandir(entry.path) if e.is_dir(follow_symlinks=False)]
                except OSError:
                    continue
                packages = [Path(e.path) for e in scoped]
            else:
                packages = [Path(entry.path)]
            for package in packages:
                manifest = package / "package.json"
                if manifest.is_file():
                    yield manifest
                nested = package / "node_modules"
                if nested.is_dir():
                    stack.append(nested)


def _npm_package(manifest: Path, root: Path) -> InstalledPackage | ScanIssue:
    """The package whose ``package.json`` is ``manifest``, in the ``node_modules`` at
    ``root``; its evidence is located relative to the directory holding ``root``
    (``node_modules/express/package.json``), the same on every machine. A manifest that
    cannot be read, or names no package, is an issue naming it."""
    try:
        data = parse_json(manifest.read_text(encoding="utf-8"), str(manifest))
    except (OSError, UnicodeDecodeError) as exc:
        return _broken(manifest, f"cannot read: {exc}")
    except InputError as exc:
        return _broken(manifest, exc.message)
    if not isinstance(data, dict):
        return _broken(manifest, f"should be a JSON object, not {type(data).__name__}")
    if not isinstance(data.get("name"), str):
        return _broken(manifest, 'names no package (no "name" string)')
    name: str = data["name"]
    version = data.get("version") if isinstance(data.get("version"), str) else None
    where = manifest.relative_to(root.parent).as_posix()
    declared: list[LicenseEvidence] = []
    value = data.get("license")
    if isinstance(value, dict):
        value = value.get("type")
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if text.upper().startswith("SEE LICEN"):
            declared.append(
                LicenseEvidence(
                    expression=text,
                    source=LicenseSource.DECLARED,
                    location=where,
                    valid=False,
                    note="points at a license file: the file decides",
                )
            )
        elif text.upper() == "UNLICENSED":
            declared.append(
                LicenseEvidence(
                    expression="LicenseRef-npm-UNLICENSED",
                    source=LicenseSource.DECLARED,
                    location=where,
                    note="UNLICENSED: no rights are granted",
                )
            )
        else:
            declared.append(_declared_names([text], where))
    else:
        # the deprecated ``licenses`` list, or a list given as ``license`` (pause-stream's
        # ["MIT", "Apache2"]): the package offers each of them
        listed = value if isinstance(value, list) else data.get("licenses")
        raw = [x.get("type") if isinstance(x, dict) else x for x in listed or ()]
        types = [t.strip() for t in raw if isinstance(t, str) and t.strip()]
        if types:
            declared.append(_declared_names(types, where))
    files = tuple(
        sorted(p for p in manifest.parent.iterdir() if is_license_file(p.name) and p.is_file())
    )
    if not declared and not files:
        stated = _readme_license(
            manifest.parent,
            root.parent,
            "the package names no license in package.json and ships no license file",
        )
        if stated is not None:
            declared.append(stated)
    deps: dict[str, object] = (
        data["dependencies"] if isinstance(data.get("dependencies"), dict) else {}
    )
    namespace, _, short = name.rpartition("/")
    return InstalledPackage(
        purl=PackageURL(
            type="npm", namespace=namespace or None, name=short, version=version
        ).to_string(),
        name=name,
        version=version,
        declared=tuple(declared),
        license_files=files,
        requires=tuple(deps),
        location=manifest.as_posix(),
        base=root.parent,
        installed=partial(package_files, manifest.parent),
        stated=partial(
            _readme_license,
            manifest.parent,
            root.parent,
            "a choice that holds the declared license and the license files' licenses",
        ),
    )


def _declared_names(names: list[str], where: str) -> LicenseEvidence:
    """The evidence of the licenses a ``package.json`` offers (one, or a choice of
    several): an SPDX expression as it stands; else each free-text name ("MIT/X11",
    "Public Domain", "Apache2") read as the one license ScanCode's rules name; else the
    text, invalid, for the license files to decide."""
    joined = " OR ".join(names)
    evidence = declared_in_metadata(joined, where)
    if evidence.valid:
        return evidence
    from ospo.engine.scancode_engine import license_of_name

    ids = [
        checked.expression if checked.valid else license_of_name(name)
        for name, checked in ((n, declared_in_metadata(n, where)) for n in names)
    ]
    if any(i is None for i in ids):
        return evidence
    resolved = declared_in_metadata(" OR ".join(f"({i})" for i in ids if i), where)
    if not resolved.valid:
        return evidence
    return LicenseEvidence(
        expression=resolved.expression,
        source=LicenseSource.DECLARED,
        location=where,
        note=f"free-text license name {joined!r}, read with ScanCode's license rules",
    )


#: A heading of a README's license section: "## License", "License:", or "License" over
#: a line of "-" or "=".
_LICENSE_HEADING = re.compile(r"^\s*(#{1,6}\s*)?licen[cs]e\s*:?\s*#*\s*$", re.IGNORECASE)
_UNDERLINE = re.compile(r"^\s*(-{3,}|={3,})\s*$")
_MAX_README = 1_000_000


def _readme_license(directory: Path, base: Path, why: str) -> LicenseEvidence | None:
    """What the License section of a package's README names ("## License" over "MIT", or
    "MIT / Apache2", a choice), as declared evidence whose note ends with ``why``; None when
    there is no such section or its first paragraph names no license ScanCode's rules read.
    """
    readmes = sorted(
        p for p in directory.iterdir() if p.name.lower().startswith("readme") and p.is_file()
    )
    for readme in readmes:
        try:
            if readme.stat().st_size > _MAX_README:
                continue
            lines = readme.read_bytes().decode("utf-8", errors="replace").splitlines()
        except OSError:
            continue
        name = _license_section_name(lines)
        expression = _license_named(name) if name is not None else None
        if name is None or expression is None:
            continue
        return LicenseEvidence(
            expression=expression,
            source=LicenseSource.DECLARED,
            location=f"{readme.relative_to(base).as_posix()} (License section)",
            note=f"the README's License section says {name!r}; {why}",
        )
    return None


#: How a README offers one license or another: "MIT / Apache2", "MIT or Apache 2.0".
_ALTERNATIVES = re.compile(r"\s+/\s+|\s+or\s+", re.IGNORECASE)


def _license_named(name: str) -> str | None:
    """The SPDX expression a license name stands for: an expression as it is, else one
    license ScanCode's rules read in the whole name, else a choice of names each read so."""
    from ospo.engine.scancode_engine import license_of_name

    def one(text: str) -> str | None:
        checked = declared_in_metadata(text, "")
        return checked.expression if checked.valid else license_of_name(text)

    whole = one(name)
    if whole is not None:
        return whole
    parts = [p for p in _ALTERNATIVES.split(name) if p.strip()]
    if len(parts) < 2:
        return None
    ids = [one(p) for p in parts]
    if any(i is None for i in ids):
        return None
    return declared_in_metadata(" OR ".join(f"({i})" for i in ids if i), "").expression


def _license_section_name(lines: list[str]) -> str | None:
    """The first paragraph under a README's license heading, when it is short enough to be
    a license's name ("MIT", "(The MIT License)")."""
    for number, line in enumerate(lines):
        setext = (
            line.strip().lower().rstrip(":") in ("license", "licence")
            and number + 1 < len(lines)
            and _UNDERLINE.match(lines[number + 1]) is not None
        )
        if not (_LICENSE_HEADING.match(line) and (line.lstrip().startswith("#") or setext)):
            continue
        rest = lines[number + (2 if setext else 1) :]
        paragraph: list[str] = []
        for item in rest:
            if not item.strip():
                if paragraph:
                    break
                continue
            if item.lstrip().startswith("#") or _UNDERLINE.match(item):
                break
            paragraph.append(item.strip())
        text = " ".join(paragraph).strip().strip("*_`").strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
        return text if text and len(text) <= 100 else None
    return None


_MAX_LISTED = 20_000


def package_files(directory: Path) -> frozenset[str]:
    """The files of an installed npm package, relative to its directory, without nested
    ``node_modules`` (other packages); at most a bounded number."""
    found: list[str] = []
    for where, dirs, names in os.walk(directory):
        dirs[:] = [d for d in dirs if d != "node_modules"]
        base = Path(where).relative_to(directory)
        found.extend((base / n).as_posix().removeprefix("./") for n in names)
        if len(found) >= _MAX_LISTED:
            break
    return frozenset(found)


def _broken(manifest: Path, why: str) -> ScanIssue:
    return ScanIssue(
        kind=IssueKind.MANIFEST,
        path=str(manifest),
        message=f"installed package not read: {why}; it is missing from the inventory",
    )
