# SPDX-License-Identifier: Apache-2.0
"""pip requirements files: ``requirements*.txt``, ``*-requirements.txt``, ``requirements/*.txt``.

Each requirement line (PEP 508: name, extras, version specifiers, environment markers,
``name @ url``) becomes a component: with its version when pinned exactly (``==`` or
``===``), without one otherwise. Comments, blank lines, line continuations, per-line
options (``--hash``) and global options (``--index-url`` …) are skipped; ``-r``/
``--requirement`` includes are followed (relative to the including file; a missing one is
an issue); ``-c`` constraints add nothing; ``-e`` and local paths are first-party.

The scope comes from the file name: ``test`` in it is test, ``dev``/``docs``/``lint`` …
dev, anything else runtime. Direct or transitive: files compiled by pip-tools or
``uv pip compile`` say why each package is there (``# via requests``, ``# via -r
requirements.in``): a package asked for by an input file is direct, one that others pull
in is transitive, and those others depend on it. ``pip freeze -r`` output lists what the
input named first and the rest under "added by pip freeze": those are transitive. A
requirements file without either is taken as a list of direct dependencies. No
requirements file records a license.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ospo.errors import InputError
from ospo.model import Component, ScanIssue, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner, manifest_issue
from ospo.scanners.lockfiles.components import group_scope, make_component
from ospo.scanners.lockfiles.pyproject import parse_requirement
from ospo.scanners.lockfiles.reading import read_text
from ospo.scanners.purls import pypi_name, pypi_purl

_UNKNOWN = "requirements files record no license; scan the installed environment with --env"
_FREEZE_ADDED = "## The following requirements were added by pip freeze:"
_VIA_INLINE = re.compile(r"^#\s*via\s+(.+)$")
_VIA_BLOCK = re.compile(r"^#\s*via\s*$")
_VIA_ITEM = re.compile(r"^#\s{2,}(\S.*)$")
_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(\S+)$")
_OPTION = re.compile(r"^-")
_LOCAL = re.compile(r"^(\.|/|~|file:)")


@dataclass(slots=True, kw_only=True)
class _Line:
    name: str
    version: str | None
    number: int
    added: bool  # listed under pip freeze's "added" heading
    via: list[str] = field(default_factory=list)


def file_scope(rel: str) -> Scope:
    """Return the scope a requirements file's name stands for."""
    path = PurePosixPath(rel)
    stem = path.stem.lower()
    if path.parent.name.lower() == "requirements":
        return group_scope(stem, Scope.RUNTIME)
    stem = stem.replace("requirements", "").strip("-_.")
    return group_scope(stem, Scope.RUNTIME) if stem else Scope.RUNTIME


class RequirementsScanner(ManifestScanner):
    """Requirements listed in pip requirements files."""

    name = "requirements"
    file_names = file_names_of("requirements")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read requirements*.txt, *requirements.txt and requirements/*.txt."""
        if not rel.lower().endswith(".txt"):
            return False  # cheap test first: this runs for every file of the tree
        path = PurePosixPath(rel)
        stem = path.stem.lower()
        return (
            stem.startswith("requirements")
            or stem.endswith("requirements")
            or path.parent.name.lower() == "requirements"
        )

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component | ScanIssue]:
        """Return the requirements of the file and of the files it includes."""
        return _parse(root, rel, frozenset({rel}))


def _parse(root: Path, rel: str, seen: frozenset[str]) -> list[Component | ScanIssue]:
    content = read_text(root, rel)
    lines: list[_Line] = []
    components: list[Component | ScanIssue] = []
    in_via_block = False
    added = False
    for number, logical in _logical_lines(content):
        stripped = logical.strip()
        if stripped == _FREEZE_ADDED:
            added = True
            continue
        if stripped.startswith("#"):
            comment = stripped
            if lines and (found := _VIA_INLINE.match(comment)) and not _VIA_BLOCK.match(comment):
                lines[-1].via += [v.strip() for v in found.group(1).split(",")]
                in_via_block = False
            elif lines and _VIA_BLOCK.match(comment):
                in_via_block = True
            elif lines and in_via_block and (item := _VIA_ITEM.match(comment)):
                lines[-1].via.append(item.group(1).strip())
            else:
                in_via_block = False
            continue
        in_via_block = False
        body = _strip_comment(stripped)
        if not body:
            continue
        include = _INCLUDE.match(body)
        if include:
            try:
                target = _include_path(root, rel, include.group(1), number)
                if target not in seen:
                    components += _parse(root, target, seen | {target})
            except InputError as exc:
                components.append(
                    manifest_issue(rel, exc, "the requirements it would add are missing")
                )
            continue
        if body.startswith(("-e", "--editable")) or _OPTION.match(body) or _LOCAL.match(body):
            continue  # options, editable (first-party) installs, local paths
        requirement = parse_requirement(body.split(" --", 1)[0])
        if requirement is None:
            raise InputError(f"not a requirement: {body[:80]!r}", path=rel, line=number)
        lines.append(
            _Line(
                name=pypi_name(requirement.name),
                version=requirement.version,
                number=number,
                added=added,
            )
        )

    scope = file_scope(rel)
    annotated = any(line.via for line in lines)
    frozen = any(line.added for line in lines)
    purls = {line.name: pypi_purl(line.name, line.version) for line in lines}
    needed_by: dict[str, set[str]] = {}
    for line in lines:
        for reason in line.via:
            parent = pypi_name(reason.split()[0]) if not reason.startswith("-") else None
            if parent in purls:
                needed_by.setdefault(parent, set()).add(purls[line.name])
    for line in lines:
        if annotated:
            direct = any(r.startswith(("-r ", "--requirement ")) for r in line.via)
        elif frozen:
            direct = not line.added
        else:
            direct = True
        components.append(
            make_component(
                purl=purls[line.name],
                name=line.name,
                version=line.version,
                scope=scope,
                direct=direct,
                dependencies=sorted(needed_by.get(line.name, ())),
                location=rel,
                unknown_reason=_UNKNOWN,
            )
        )
    return components


def _logical_lines(content: str) -> list[tuple[int, str]]:
    """Join backslash continuations; return (first line number, text) pairs."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(content.splitlines(), 1):
        if not pending:
            start = number
        line = raw.rstrip()
        if line.endswith("\\") and not line.lstrip().startswith("#"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined = " ".join(p.strip() for p in pending)
        out.append((start, joined))
        pending = []
    if pending:
        out.append((start, " ".join(p.strip() for p in pending)))
    return out


def _strip_comment(line: str) -> str:
    """Remove a trailing `` # comment`` (pip needs whitespace before the ``#``)."""
    return re.split(r"\s+#", line, maxsplit=1)[0].strip()


def _include_path(root: Path, rel: str, target: str, number: int) -> str:
    base = PurePosixPath(rel).parent
    joined = PurePosixPath(*(base / target).parts)
    outside = InputError(
        f"-r {target}: the included file is outside the scanned tree", path=rel, line=number
    )
    # an absolute path, or a symbolic link out of the tree, would read any file of the
    # machine (and quote it in issues): only the tree's own files are read
    if joined.is_absolute():
        raise outside
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            if not parts:
                raise outside
            parts.pop()
        elif part != ".":
            parts.append(part)
    resolved = "/".join(parts)
    if not (root / resolved).resolve().is_relative_to(root.resolve()):
        raise outside
    if not (root / resolved).is_file():
        raise InputError(f"-r {target}: the included file does not exist", path=rel, line=number)
    return resolved
