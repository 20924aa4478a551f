# SPDX-License-Identifier: Apache-2.0
"""Python distributions installed in a virtual environment, a ``site-packages`` directory
or an interpreter's (``ospo scan --env PATH``).

The declared license is the PEP 639 ``License-Expression``; else the ``License`` field when
it is an SPDX expression; else the ``License ::`` trove classifiers
(``policies/trove-classifiers.yml``; a vague one such as "BSD License" is kept as invalid
evidence and gives way to the license files).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from email.parser import HeaderParser
from functools import cache, partial
from pathlib import Path

import yaml

from ospo.errors import InputError
from ospo.inputs import read_input_text
from ospo.model import IssueKind, LicenseEvidence, LicenseSource, ScanIssue
from ospo.resources import data_dir
from ospo.scanners.environments.base import (
    ASSUMED,
    EnvironmentScanner,
    InstalledPackage,
    declared_in_metadata,
)
from ospo.scanners.licensefiles import is_license_file
from ospo.scanners.purls import pypi_name, pypi_purl

_LICENSE_NAMES = ("license", "licence", "copying", "notice", "unlicense")
_MAX_DECLARED = 200  # a "License" field longer than this is a license text, not a name


@cache
def _trove_data() -> dict[str, dict[str, str | None]]:
    data = yaml.safe_load(
        (data_dir("policies") / "trove-classifiers.yml").read_text(encoding="utf-8")
    )
    return {"classifiers": dict(data["classifiers"]), "usual": dict(data.get("usual") or {})}


def _trove() -> dict[str, str | None]:
    return _trove_data()["classifiers"]


def _usual(declared: list[LicenseEvidence]) -> LicenseEvidence | None:
    """The license a vague declaration usually means ("BSD": BSD-3-Clause), marked
    assumed; used only when no license file says which."""
    usual = _trove_data()["usual"]
    for evidence in declared:
        text = evidence.expression or ""
        if evidence.valid or not usual.get(text):
            continue
        return LicenseEvidence(
            expression=usual[text],
            source=LicenseSource.DECLARED,
            location=evidence.location,
            note=f"{ASSUMED}{text!r} usually means {usual[text]}, and no license file says which",
        )
    return None


def _classified(classifiers: list[str]) -> tuple[str, ...]:
    """The licenses several ``License ::`` classifiers name when one of them is vague, the
    vague ones by what they usually mean ("Apache Software License": Apache-2.0); empty
    when the classifiers are precise (they are then declared) or fewer than two."""
    usual = _trove_data()["usual"]
    named = [_trove().get(c) or usual.get(c) for c in classifiers]
    if len(classifiers) < 2 or all(_trove().get(c) for c in classifiers) or None in named:
        return ()
    return tuple(dict.fromkeys(n for n in named if n))


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


class PythonEnvironmentScanner(EnvironmentScanner):
    """Python distributions installed in a virtual environment or site-packages."""

    name = "python-environment"

    def accepts(self, env: Path) -> bool:
        return bool(site_packages(env))

    def packages(self, env: Path) -> Iterator[InstalledPackage | ScanIssue]:
        for site in site_packages(env):
            for dist_info in sorted(site.glob("*.dist-info")):
                yield _python_package(dist_info)


def _python_package(dist_info: Path) -> InstalledPackage | ScanIssue:
    """The distribution whose metadata is in ``dist_info``; an issue naming its
    ``METADATA`` if that cannot be read or names no distribution."""
    metadata = dist_info / "METADATA"
    try:
        text = read_input_text(metadata, "METADATA", regular_only=True, undecodable="replace")
    except InputError as exc:
        return _broken(metadata, exc.message)
    meta = HeaderParser().parsestr(text)
    name = meta.get("Name")
    if not name or not isinstance(name, str) or not name.strip():
        return _broken(metadata, "names no distribution (no Name field)")
    version = meta.get("Version")
    location = dist_info.as_posix()
    declared: list[LicenseEvidence] = []
    expression = meta.get("License-Expression")
    license_field = (meta.get("License") or "").strip()
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    where = f"{dist_info.name}/METADATA"
    if expression:
        declared.append(declared_in_metadata(expression, f"{where} (License-Expression)"))
    elif license_field in _trove_data()["usual"]:
        # "GPL" parses as SPDX (GPL-1.0-or-later) yet says no version; a classifier
        # ("GPLv2+") or the license files may say which
        declared.append(
            LicenseEvidence(
                expression=license_field,
                source=LicenseSource.DECLARED,
                location=f"{where} (License)",
                valid=False,
                note="vague license name: the classifiers and license files decide",
            )
        )
    elif (
        license_field
        and "\n" not in license_field
        and len(license_field) <= _MAX_DECLARED
        and license_field.upper() not in ("UNKNOWN", "NONE")
    ):
        declared.append(declared_in_metadata(license_field, f"{where} (License)"))
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
            evidence = declared_in_metadata(choice, f"{where} (Classifier)")
            vague = [c for c in classifiers if not _trove().get(c)]
            if vague and evidence.valid:
                # "GPLv2+" beside a vague "Artistic License": the classifiers name only
                # part of the license, so they do not decide it
                evidence = LicenseEvidence(
                    expression=evidence.expression,
                    source=LicenseSource.DECLARED,
                    location=evidence.location,
                    valid=False,
                    note=f"incomplete: {vague[0]!r} is vague, so the classifiers name only "
                    "part of the license; the license files decide",
                )
            declared.append(evidence)
    files = _dist_info_license_files(dist_info, meta.get_all("License-File") or [])
    requires = tuple(
        pypi_name(re.split(r"[\s;<>=!~\[(]", r.strip(), maxsplit=1)[0])
        for r in meta.get_all("Requires-Dist") or []
        if "extra ==" not in r and "extra==" not in r
    )
    return InstalledPackage(
        purl=pypi_purl(name, version),
        name=name,
        version=version,
        declared=tuple(declared),
        license_files=files,
        requires=requires,
        location=location,
        base=dist_info.parent,
        installed=partial(_recorded_files, dist_info),
        editable_from=_editable_source(dist_info),
        assumed=_usual(declared),
        classified=_classified(classifiers) if not expression else (),
    )


def _editable_source(dist_info: Path) -> Path | None:
    """The directory an editable install (PEP 660, ``direct_url.json``) points at."""
    try:
        data = json.loads(
            read_input_text(dist_info / "direct_url.json", "direct_url.json", regular_only=True)
        )
    except (InputError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("dir_info"), dict):
        return None
    url = data.get("url")
    if not data["dir_info"].get("editable") or not isinstance(url, str):
        return None
    if not url.startswith("file://"):
        return None
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(url).path))


def _recorded_files(dist_info: Path) -> frozenset[str]:
    """The paths a distribution installed, as its ``RECORD`` lists them (relative to
    site-packages); empty when there is no RECORD."""
    try:
        text = read_input_text(
            dist_info / "RECORD", "RECORD", regular_only=True, undecodable="replace"
        )
    except InputError:
        return frozenset()
    return frozenset(
        row[0].removeprefix("./") for row in csv.reader(text.splitlines()) if row and row[0]
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
    # code the distribution bundles brings its license files along, inside the package
    # (typecode/_vendor/pygments/LICENSE, typecode_libmagic/licenses/libmagic/COPYING),
    # named as license files are (LICENSE*, COPYING*, NOTICE* …); a folder of many is a
    # corpus of license texts the package works with (ScanCode's data), not its licenses
    site = dist_info.parent
    licenses = [
        p
        for p in sorted(_recorded_files(dist_info))
        if not p.startswith(("../", "/"))
        and ".dist-info/" not in p
        and is_license_file(p.rsplit("/", 1)[-1])
    ]
    per_folder = Counter(p.rpartition("/")[0] for p in licenses)
    bundled = [p for p in licenses if p.rsplit("/", 1)[-1].lower().startswith(_BUNDLED_NAMES)]
    for relative in bundled[:_MAX_BUNDLED]:
        path = site / relative
        if per_folder[relative.rpartition("/")[0]] > _MAX_PER_FOLDER:
            continue
        if path.is_file() and path not in found:
            found.append(path)
    return tuple(found)


_BUNDLED_NAMES = ("license", "licence", "copying", "notice", "copyright", "unlicense", "patents")
#: A folder with more license files than this holds license texts as data.
_MAX_PER_FOLDER = 10
#: At most this many license files inside a distribution's own directories are read.
_MAX_BUNDLED = 500


def _broken(metadata: Path, why: str) -> ScanIssue:
    return ScanIssue(
        kind=IssueKind.MANIFEST,
        path=str(metadata),
        message=f"installed distribution not read: {why}; it is missing from the inventory",
    )
