# SPDX-License-Identifier: Apache-2.0
"""What the installed-environment scanners share: read each package's metadata, scan the
license files it ships, and keep declared and detected licenses apart.

A lock file rarely says the license; an installed package does, twice: in its metadata
(declared) and in the license files it ships (detected, scanned with ScanCode through the
same cache as the source tree). Both are kept apart, with their locations, and the
effective license follows the design's rule (``ospo.licensing.effective_license``). A
package whose license cannot be established is kept, with the reason.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ospo import grants, licensing
from ospo.model import (
    Component,
    LicenseEvidence,
    LicenseSource,
    ScanIssue,
    ScanStats,
    Scope,
)
from ospo.scanners.base import ScanContribution, Scanner, ScanRequest
from ospo.scanners.licensefiles import is_license_file
from ospo.scanners.purls import pypi_name
from ospo.scanners.source.detection import detect_contents, hash_path


def _no_files() -> frozenset[str]:
    return frozenset()


def _nothing_stated() -> LicenseEvidence | None:
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class InstalledPackage:
    """What an installed package says about itself, before its license files are scanned."""

    purl: str
    name: str
    version: str | None
    declared: tuple[LicenseEvidence, ...]
    license_files: tuple[Path, ...]
    requires: tuple[str, ...]  # names (normalised) of what it depends on
    location: str
    base: Path  # evidence is located relative to this directory
    #: the paths the package installs (relative, "/"-separated), read only when a license
    #: file's section names files
    installed: Callable[[], frozenset[str]] = _no_files
    #: the source directory of an editable install (``pip install -e``): the package is
    #: that directory's code, not a dependency installed from elsewhere
    editable_from: Path | None = None
    #: what a vague declaration usually means, taken only when nothing else establishes
    #: the license (note starting with :data:`ASSUMED`)
    assumed: LicenseEvidence | None = None
    #: the license the package's documentation states (an npm README's License section),
    #: read only when the license files add licenses the declaration does not name
    stated: Callable[[], LicenseEvidence | None] = _nothing_stated
    #: the licenses several license classifiers name, one of them vague (read by what it
    #: usually means): a choice when the license files hold exactly these licenses
    classified: tuple[str, ...] = ()


class EnvironmentScanner(Scanner):
    """Common work: scan the license files of every package, then build components."""

    @abstractmethod
    def packages(self, env: Path) -> Iterator[InstalledPackage | ScanIssue]:
        """The packages installed in ``env``, and an issue naming the file of each one
        whose metadata cannot be read (it is then missing from the inventory)."""

    @abstractmethod
    def accepts(self, env: Path) -> bool:
        """Whether ``env`` is an environment of this scanner's kind."""

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Read every environment of ``request.envs`` this scanner understands."""
        envs = [e for e in request.envs if self.accepts(e)]
        if not envs:
            return ScanContribution()
        found = [p for env in envs for p in self.packages(env)]
        packages = [
            p
            for p in found
            if isinstance(p, InstalledPackage) and not _is_the_product(p, request.root)
        ]
        issues: list[ScanIssue] = [p for p in found if isinstance(p, ScanIssue)]
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
            detected = _detected_evidence(package, run.records, sha_of)
            declared = _alternatives_as_shipped(
                [e.expression for e in package.declared if e.expression and e.valid], detected
            )
            expression, reason = licensing.effective_license(
                declared,
                [e.expression for e in detected if e.expression and e.counted],
            )
            declared_evidence = package.declared
            counted = [e.expression for e in detected if e.expression and e.counted]
            statement = _choice_that_settles(package, declared, counted, expression)
            if statement is not None:
                expression = statement.expression
                declared_evidence = (*package.declared, statement)
            offered = _classifiers_confirmed(package, declared, counted)
            if offered is not None:
                expression = offered.expression
                declared_evidence = (*package.declared, offered)
            if expression is None and package.assumed is not None:
                expression = package.assumed.expression
                declared_evidence = (*package.declared, package.assumed)
            elif expression is None and package.declared:
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
                    licenses=declared_evidence + tuple(detected),
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
            environments=tuple(sorted({p.base.resolve().as_posix() for p in packages})),
        )


#: A license file named for one license: COPYING-MIT, LICENSE.APACHE2, LICENSE-LGPL.
_NAMED_FILE = re.compile(r"^(?:licen[cs]e|copying)[-._]([a-z][a-z0-9.+-]*)$", re.IGNORECASE)


def _letters(name: str) -> str:
    return re.split(r"[^a-z]", name.lower(), maxsplit=1)[0]


def _alternatives_as_shipped(declared: list[str], detected: Sequence[LicenseEvidence]) -> list[str]:
    """The declared expression with each alternative of its choice that a license file is
    named for (COPYING-MIT) replaced by the one license that file's text is, when the
    declaration does not name it (pycurl: "LGPL-2.1-only OR MIT" declared, COPYING-MIT is
    the curl license): the file is that alternative, as the author wrote it."""
    base = licensing.combine_and(declared)
    choices = licensing.alternatives(base) if base else None
    if base is None or choices is None or len(choices) < 2:
        return declared
    singles = [next(iter(c)) for c in choices if len(c) == 1]
    replaced = base
    for evidence in detected:
        name = (evidence.location or "").rsplit("/", 1)[-1]
        found = _NAMED_FILE.match(name)
        ids = licensing.license_ids(evidence.expression or "")
        if not evidence.counted or found is None or len(ids) != 1:
            continue
        named = [a for a in singles if _letters(a) == _letters(found.group(1))]
        if len(named) != 1 or licensing.mentions(base, ids[0]):
            continue
        replaced = re.sub(rf"(?<![\w.+-]){re.escape(named[0])}(?![\w.+-])", ids[0], replaced)
    checked = licensing.normalize(replaced)
    return [checked] if checked and replaced != base else declared


def _classifiers_confirmed(
    package: InstalledPackage, declared: list[str], detected: list[str]
) -> LicenseEvidence | None:
    """The choice between the licenses a package's classifiers name (uvloop: "MIT
    License" and the vague "Apache Software License") when nothing valid is declared and
    its license files hold exactly those licenses, one text each (LICENSE-MIT,
    LICENSE-APACHE): several classifiers offer the licenses they name, as precise ones do."""
    if declared or len(package.classified) < 2 or not detected:
        return None
    found = [licensing.license_ids(e) for e in detected]
    if any(len(ids) != 1 for ids in found):
        return None
    if {ids[0] for ids in found} != set(package.classified):
        return None
    choice = licensing.normalize(" OR ".join(package.classified))
    if choice is None:
        return None
    return LicenseEvidence(
        expression=choice,
        source=LicenseSource.DECLARED,
        location=next((e.location for e in package.declared if e.location), package.location),
        note="the classifiers, one of them vague, offer these licenses, and the license "
        "files hold exactly their texts",
    )


def _choice_that_settles(
    package: InstalledPackage,
    declared: list[str],
    detected: list[str],
    expression: str | None,
) -> LicenseEvidence | None:
    """The choice the package's documentation states when it holds both the declared
    license and the licenses its files add to it (through: MIT declared, LICENSE.MIT and
    LICENSE.APACHE2 shipped, "MIT / Apache2" in the README): the files are the texts of the
    choice's alternatives, not licenses added. None otherwise, and when the files add
    nothing."""
    base = licensing.combine_and(declared)
    if base is None or expression is None or licensing.normalize(base) == expression:
        return None
    statement = package.stated()
    if statement is None or statement.expression is None:
        return None
    choice = statement.expression
    if " OR " not in choice.upper():
        return None
    if all(licensing.mentions(choice, e) for e in [base, *detected]):
        return statement
    return None


def _detected_evidence(
    package: InstalledPackage, records: Mapping[str, dict[str, Any]], sha_of: Mapping[Path, str]
) -> list[LicenseEvidence]:
    """The evidence of a package's license files: per file, what it grants (counted), and
    each match that grants nothing to the package, with the reason (kept, not counted)."""
    files: list[grants.LicenseFile] = []
    not_license_files: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path in package.license_files:
        sha = sha_of.get(path, "")
        if sha in seen:
            continue  # the same text twice (pip's vendored licenses: in the dist-info, again
            # beside the code): one is its evidence
        seen.add(sha)
        record = records.get(sha)
        if not record or not record.get("license_expression"):
            continue
        location = _relative(path, package.base)
        if not is_license_file(path.name):
            not_license_files.append((location, record["license_expression"]))
            continue
        files.append(
            grants.LicenseFile(
                location=location,
                matches=tuple(
                    grants.Match(
                        expression=d["license_expression"],
                        start_line=d["start_line"],
                        end_line=d["end_line"],
                        score=d["score"],
                        matcher=d["matcher"],
                        rule=d["rule"],
                        coverage=d.get("coverage"),
                    )
                    for d in record.get("detections", ())
                    if d.get("license_expression")
                ),
                read_lines=partial(_read_lines, path),
            )
        )
    declared = licensing.combine_and(e.expression for e in package.declared if e.valid)
    judged = grants.grants_of(files, installed=package.installed, declared=declared)
    chosen_in = {name: g.location for g in judged for name in g.alternatives_in}
    evidence: list[LicenseEvidence] = []
    for grant in judged:
        name = grant.location.rsplit("/", 1)[-1]
        whole = licensing.combine_and(j.match.expression for j in grant.judged)
        if name in chosen_in:
            evidence.append(
                LicenseEvidence(
                    expression=grant.expression or whole,
                    source=LicenseSource.DETECTED,
                    location=grant.location,
                    counted=False,
                    note=f"the text of one alternative of the choice stated in {chosen_in[name]}",
                )
            )
            continue
        if grant.expression is not None:
            evidence.append(
                LicenseEvidence(
                    expression=grant.expression,
                    source=LicenseSource.DETECTED,
                    location=grant.location,
                    note=f"a choice between the texts of {', '.join(grant.alternatives_in)}"
                    if grant.alternatives_in
                    else None,
                )
            )
        by_reason: dict[str, list[grants.Match]] = {}
        for item in grant.judged:
            if not item.counted and item.reason is not None:
                by_reason.setdefault(item.reason, []).append(item.match)
        for reason, matches in by_reason.items():
            lines = ", ".join(
                str(m.start_line) if m.start_line == m.end_line else f"{m.start_line}-{m.end_line}"
                for m in matches[:6]
            )
            evidence.append(
                LicenseEvidence(
                    expression=licensing.combine_and(m.expression for m in matches),
                    source=LicenseSource.DETECTED,
                    location=f"{grant.location}:{lines}",
                    counted=False,
                    note=f"not counted: {reason}",
                )
            )
    for location, expression in not_license_files:
        evidence.append(
            LicenseEvidence(
                expression=expression,
                source=LicenseSource.DETECTED,
                location=location,
                counted=False,
                note=NOT_A_LICENSE_FILE,
            )
        )
    return evidence


def _read_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8", errors="replace").splitlines()


def _is_the_product(package: InstalledPackage, root: Path) -> bool:
    """Whether ``package`` is the scanned tree itself, installed in editable mode into the
    environment that is read beside it (a project's own development environment): its
    files are the tree's, scanned as first-party code, not a dependency."""
    if package.editable_from is None:
        return False
    try:
        return package.editable_from.resolve() == root.resolve()
    except OSError:
        return False


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _link(components: list[Component], packages: list[InstalledPackage]) -> list[Component]:
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


def declared_in_metadata(expression: str, location: str) -> LicenseEvidence:
    """Return the declared-license evidence for a license an installed package's metadata
    names: checked, and translated when it is written in ScanCode's license keys."""
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


#: How the note of an assumed license starts (see :attr:`InstalledPackage.assumed`).
ASSUMED = "assumed: "

#: The note on a detection in a file the package lists as a license file that is not one
#: (a README, an AUTHORS file): evidence, not a grant.
NOT_A_LICENSE_FILE = "not a license file: kept as evidence, not counted"
