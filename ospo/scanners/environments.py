# SPDX-License-Identifier: Apache-2.0
"""Installed environments (``ospo scan --env PATH``): Python and ``node_modules``.

A lock file rarely says the license; an installed package does, twice: in its metadata
(declared) and in the license files it ships (detected, scanned with ScanCode through the
same cache as the source tree). Both are kept apart, with their locations, and the
effective license follows the design's rule (``ospo.licensing.effective_license``):

* Python (a virtual environment, a ``site-packages`` directory, or an interpreter):
  PEP 639 ``License-Expression``; else the ``License`` field when it is an SPDX expression;
  else the ``License ::`` trove classifiers (``policies/trove-classifiers.yml``; a vague one
  such as "BSD License" is kept as invalid evidence and gives way to the license files).
* ``node_modules``: each package's ``package.json`` ``license`` (or legacy ``licenses``),
  and its top-level license files.

A package whose license cannot be established is kept, with the reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from abc import abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import HeaderParser
from functools import cache
from pathlib import Path

import yaml
from packageurl import PackageURL

from ospo import licensing
from ospo.errors import InputError
from ospo.model import (
    Component,
    LicenseEvidence,
    LicenseSource,
    ScanIssue,
    ScanStats,
    Scope,
)
from ospo.resources import data_dir
from ospo.scanners.base import ScanContribution, Scanner, ScanRequest
from ospo.scanners.purls import pypi_name, pypi_purl
from ospo.scanners.source import detect_contents, hash_path
from ospo.scanners.vendored import is_license_file

_LICENSE_NAMES = ("license", "licence", "copying", "notice", "unlicense")
_MAX_DECLARED = 200  # a "License" field longer than this is a license text, not a name


@dataclass(frozen=True, slots=True, kw_only=True)
class _Package:
    """What an installed package says about itself, before its license files are scanned."""

    purl: str
    name: str
    version: str | None
    declared: tuple[LicenseEvidence, ...]
    license_files: tuple[Path, ...]
    requires: tuple[str, ...]  # names (normalised) of what it depends on
    location: str
    base: Path  # evidence is located relative to this directory


@cache
def _trove() -> dict[str, str | None]:
    data = yaml.safe_load(
        (data_dir("policies") / "trove-classifiers.yml").read_text(encoding="utf-8")
    )
    return dict(data["classifiers"])


class _EnvironmentScanner(Scanner):
    """Common work: scan the license files of every package, then build components."""

    @abstractmethod
    def _packages(self, env: Path) -> Iterator[_Package]:
        """The packages installed in ``env``."""

    @abstractmethod
    def _accepts(self, env: Path) -> bool:
        """Whether ``env`` is an environment of this scanner's kind."""

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Read every environment of ``request.envs`` this scanner understands."""
        envs = [e for e in request.envs if self._accepts(e)]
        if not envs:
            return ScanContribution()
        packages = [p for env in envs for p in self._packages(env)]
        issues: list[ScanIssue] = []
        contents: dict[str, str] = {}
        sha_of: dict[Path, str] = {}
        for package in packages:
            for path in package.license_files:
                hashed, issue = hash_path(path, request.max_file_size)
                if issue is not None:
                    issues.append(issue)
                if hashed is not None and hashed[2]:
                    sha_of[path] = hashed[0]
                    contents.setdefault(hashed[0], str(path))
        run = detect_contents(contents, request)
        components = []
        for package in packages:
            detected: list[LicenseEvidence] = []
            for path in package.license_files:
                record = run.records.get(sha_of.get(path, ""))
                if record and record.get("license_expression"):
                    detected.append(
                        LicenseEvidence(
                            expression=record["license_expression"],
                            source=LicenseSource.DETECTED,
                            location=_relative(path, package.base),
                        )
                    )
            expression, reason = licensing.effective_license(
                [e.expression for e in package.declared if e.expression and e.valid],
                [e.expression for e in detected if e.expression],
            )
            if expression is None and package.declared:
                reason = "; ".join(e.note or "" for e in package.declared if not e.valid) or reason
            components.append(
                Component(
                    purl=package.purl,
                    name=package.name,
                    version=package.version,
                    scope=Scope.RUNTIME,
                    scope_known=False,
                    direct=False,
                    license_expression=expression,
                    licenses=package.declared + tuple(detected),
                    unknown_reason=None
                    if expression is not None
                    else f"{reason} (installed in {package.location})",
                    dependencies=(),
                )
            )
        components = _link(components, packages)
        return ScanContribution(
            components=tuple(components),
            issues=tuple(issues)
            + tuple(
                ScanIssue(kind=f.kind, path=contents.get(sha), message=f.message)
                for sha, f in run.failures.items()
            ),
            stats=ScanStats(
                from_cache=run.from_cache, matched=run.matched, full_matcher=run.full_matcher
            ),
            warnings=run.warnings,
        )


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _link(components: list[Component], packages: list[_Package]) -> list[Component]:
    """Resolve dependency names to the installed packages' purls."""
    from dataclasses import replace

    by_name = {(c.purl.split("/", 1)[0], _key_name(c)): c.purl for c in components}
    out = []
    for comp, package in zip(components, packages, strict=True):
        ptype = comp.purl.split("/", 1)[0]
        deps = sorted({by_name[(ptype, n)] for n in package.requires if (ptype, n) in by_name})
        out.append(replace(comp, dependencies=tuple(deps)))
    return out


def _key_name(comp: Component) -> str:
    return pypi_name(comp.name) if comp.purl.startswith("pkg:pypi/") else comp.name


# --- Python ----------------------------------------------------------------------------


def site_packages(env: Path) -> list[Path]:
    """The site-packages directories of a venv, an interpreter or a site-packages path."""
    if env.is_dir() and any(env.glob("*.dist-info")):
        return [env]
    if env.is_dir() and (env / "pyvenv.cfg").exists():
        found = sorted(env.glob("lib/python3*/site-packages")) + sorted(
            env.glob("Lib/site-packages")
        )
        if found:
            return found
    if env.is_file() and env.name.startswith("python"):
        try:
            out = subprocess.run(
                [str(env), "-c", "import site,json;print(json.dumps(site.getsitepackages()))"],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise InputError(f"cannot run this interpreter: {exc}", path=str(env)) from None
        return [Path(p) for p in json.loads(out.stdout) if Path(p).is_dir()]
    return []


class PythonEnvironmentScanner(_EnvironmentScanner):
    """Python distributions installed in a virtual environment or site-packages."""

    name = "python-environment"

    def _accepts(self, env: Path) -> bool:
        return bool(site_packages(env))

    def _packages(self, env: Path) -> Iterator[_Package]:
        for site in site_packages(env):
            for dist_info in sorted(site.glob("*.dist-info")):
                package = _python_package(dist_info)
                if package is not None:
                    yield package


def _python_package(dist_info: Path) -> _Package | None:
    try:
        text = (dist_info / "METADATA").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    meta = HeaderParser().parsestr(text)
    name = meta.get("Name")
    if not name:
        return None
    version = meta.get("Version")
    location = dist_info.as_posix()
    declared: list[LicenseEvidence] = []
    expression = meta.get("License-Expression")
    license_field = (meta.get("License") or "").strip()
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    where = f"{dist_info.name}/METADATA"
    if expression:
        declared.append(_evidence(expression, f"{where} (License-Expression)"))
    elif (
        license_field
        and "\n" not in license_field
        and len(license_field) <= _MAX_DECLARED
        and license_field.upper() not in ("UNKNOWN", "NONE")
    ):
        declared.append(_evidence(license_field, f"{where} (License)"))
    if not expression and not any(e.valid for e in declared):
        mapped = []
        for classifier in classifiers:
            spdx = _trove().get(classifier)
            if spdx:
                mapped.append(spdx)
            else:
                declared.append(
                    LicenseEvidence(
                        expression=classifier,
                        source=LicenseSource.DECLARED,
                        location=f"{where} (Classifier)",
                        valid=False,
                        note="vague trove classifier: the license files decide",
                    )
                )
        if mapped:
            choice = " OR ".join(dict.fromkeys(mapped))
            declared.append(_evidence(choice, f"{where} (Classifier)"))
    files = _dist_info_license_files(dist_info, meta.get_all("License-File") or [])
    requires = tuple(
        pypi_name(re.split(r"[\s;<>=!~\[(]", r.strip(), maxsplit=1)[0])
        for r in meta.get_all("Requires-Dist") or []
        if "extra ==" not in r and "extra==" not in r
    )
    return _Package(
        purl=pypi_purl(name, version),
        name=name,
        version=version,
        declared=tuple(declared),
        license_files=files,
        requires=requires,
        location=location,
        base=dist_info.parent,
    )


def _evidence(expression: str, location: str) -> LicenseEvidence:
    checked = licensing.check(expression)
    if not checked.valid:
        translated = licensing.from_scancode_keys(expression)
        if translated is not None:
            return LicenseEvidence(
                expression=translated,
                source=LicenseSource.DECLARED,
                location=location,
                note=f"ScanCode keys: {expression}",
            )
    return LicenseEvidence(
        expression=checked.normalized or expression,
        source=LicenseSource.DECLARED,
        location=location,
        valid=checked.valid,
        note=None if checked.valid else "; ".join(checked.errors),
    )


def _dist_info_license_files(dist_info: Path, declared: list[str]) -> tuple[Path, ...]:
    found: list[Path] = []
    for entry in declared:
        for candidate in (dist_info / "licenses" / entry, dist_info / entry):
            if candidate.is_file():
                found.append(candidate)
                break
    for path in sorted(dist_info.rglob("*")):
        if (
            path.is_file()
            and path.name.lower().startswith(_LICENSE_NAMES)
            and path not in found
            and path.suffix not in (".py", ".json")
        ):
            found.append(path)
    return tuple(found)


# --- node_modules ----------------------------------------------------------------------


class NodeModulesScanner(_EnvironmentScanner):
    """Packages installed in a ``node_modules`` tree (nested ones included)."""

    name = "node-modules"

    def _accepts(self, env: Path) -> bool:
        return env.is_dir() and (env.name == "node_modules" or (env / "node_modules").is_dir())

    def _packages(self, env: Path) -> Iterator[_Package]:
        root = env if env.name == "node_modules" else env / "node_modules"
        for manifest in sorted(_npm_manifests(root)):
            package = _npm_package(manifest, root)
            if package is not None:
                yield package


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


def _npm_package(manifest: Path, root: Path) -> _Package | None:
    """The package whose ``package.json`` is ``manifest``, in the ``node_modules`` at
    ``root``; its evidence is located relative to the directory holding ``root``
    (``node_modules/express/package.json``), the same on every machine."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
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
            declared.append(_evidence(text, where))
    elif isinstance(data.get("licenses"), list):
        raw = [x.get("type") if isinstance(x, dict) else x for x in data["licenses"]]
        types = [t for t in raw if isinstance(t, str) and t]
        if types:
            declared.append(_evidence(" OR ".join(types), where))
    files = tuple(
        sorted(p for p in manifest.parent.iterdir() if is_license_file(p.name) and p.is_file())
    )
    deps: dict[str, object] = (
        data["dependencies"] if isinstance(data.get("dependencies"), dict) else {}
    )
    namespace, _, short = name.rpartition("/")
    return _Package(
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
    )
