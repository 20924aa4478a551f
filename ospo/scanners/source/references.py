# SPDX-License-Identifier: Apache-2.0
"""A file's references to another file ("see LICENSE"), followed as ScanCode's command does.

Some of ScanCode's rules match a mere pointer to another file — "See LICENSE for details",
``license = {file = "LICENSE"}``, ``License-File: LICENSE`` — and name that file in their
``referenced_filenames``. After every file is detected, the ``scancode`` command takes the
license matches of the named file (beside the referring file, else at the root of the
tree) into the referring file's detection (``licensedcode.plugin_license``). This module
does the same on the inventory's file entries. Each entry keeps what the file itself says
(the cache stays per content, whatever the path); the step is recomputed from the entries
at every scan and reads only the rule files of the matches found, never the license index.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ospo import licensing
from ospo.model import FileEntry, LicenseMatch, LicenseReference

#: ScanCode's exact multi-pattern matcher: a match by it covers its whole rule.
_EXACT_MATCHER = "2-aho"
#: More licenses than this in the referenced files and ScanCode keeps the file's own answer.
_MAX_REFERENCED_KEYS = 5


@dataclass(frozen=True, slots=True)
class RuleData:
    """What the step needs of one of ScanCode's rules."""

    referenced_filenames: tuple[str, ...] = ()
    intro: bool = False  # an introduction ("licensed under:") or a clue, not a license


_PLAIN = RuleData()


def follow_references(files: Sequence[FileEntry]) -> tuple[FileEntry, ...]:
    """Return ``files`` with the references of each file followed to the files they name.

    A file with such a reference gets a :class:`~ospo.model.LicenseReference`; the others
    are returned as they are. Files are taken in the order of ScanCode's walk (a
    directory's files before its subdirectories), each once, so a reference to a file
    that only refers on takes what that file holds at that point, and a loop ends.
    """
    referring = [
        f for f in files if any(rule_data(m.rule).referenced_filenames for m in f.detections)
    ]
    if not referring:
        return tuple(files)
    by_path = {f.path: f for f in files}
    state: dict[str, list[_Detection]] = {}

    def detections_of(path: str) -> list[_Detection]:
        if path not in state:
            state[path] = _detections(by_path[path])
        return state[path]

    references: dict[str, LicenseReference] = {}
    for entry in sorted(referring, key=lambda f: _walk_key(f.path)):
        names: list[str] = []
        followed: list[str] = []
        modified = False
        for detection in detections_of(entry.path):
            named = _unique(
                n for m in detection.matches for n in rule_data(m.rule).referenced_filenames
            )
            if not named or len({m.origin for m in detection.matches}) >= 2:
                continue  # no reference, or one already followed
            names += [n for n in named if n not in names]
            taken: list[_Detection] = []
            sources: list[str] = []
            for name in named:
                target = _find(name, entry.path, by_path)
                if target is not None and detections_of(target):
                    taken += detections_of(target)
                    sources.append(target)
            if not taken:
                continue
            referenced = licensing.combine_as_scancode([d.expression for d in taken])
            if not _use_referenced(referenced, detection.expression):
                continue
            detection.matches = detection.matches + [m for d in taken for m in d.matches]
            kept = _without(_without(detection.matches, _is_intro), _is_reference)
            detection.expression = licensing.combine_as_scancode([m.expression for m in kept]) or ""
            followed += [s for s in sources if s not in followed]
            modified = True
        if names:
            expression = (
                licensing.combine_as_scancode([d.expression for d in detections_of(entry.path)])
                if modified
                else entry.license_expression
            )
            references[entry.path] = LicenseReference(
                names=tuple(names), followed=tuple(followed), license_expression=expression
            )
    return tuple(
        f if f.path not in references else replace(f, reference=references[f.path]) for f in files
    )


class _Match:
    """A match during the step: its expression, its rule, and the file it came from."""

    __slots__ = ("coverage", "expression", "matcher", "origin", "rule")

    def __init__(self, match: LicenseMatch, origin: str) -> None:
        self.expression = match.license_expression
        self.rule = match.rule
        self.matcher = match.matcher
        self.coverage = match.coverage
        self.origin = origin


class _Detection:
    """One of ScanCode's detections in a file; the step extends it in place."""

    __slots__ = ("expression", "matches")

    def __init__(self, expression: str, matches: list[_Match]) -> None:
        self.expression = expression
        self.matches = matches


def _detections(entry: FileEntry) -> list[_Detection]:
    """The file's detections, rebuilt from its matches (in order, grouped by detection)."""
    groups: dict[int, list[LicenseMatch]] = {}
    for match in entry.detections:
        groups.setdefault(match.detection, []).append(match)
    return [
        _Detection(
            matches[0].detection_expression
            or licensing.combine_as_scancode([m.license_expression for m in matches])
            or "",
            [_Match(m, entry.path) for m in matches],
        )
        for matches in groups.values()
    ]


def _use_referenced(referenced: str | None, own: str) -> bool:
    """ScanCode's choice (``use_referenced_license_expression``) to take what was found."""
    if referenced is None:
        return False
    if "unknown" in own or referenced == own:
        return True
    keys = licensing.license_keys(referenced)
    if keys == licensing.license_keys(own):
        return False  # the same licenses: the reference points to notices, not a license
    return len(keys) <= _MAX_REFERENCED_KEYS


def _is_intro(match: _Match) -> bool:
    return rule_data(match.rule).intro and (
        match.matcher == _EXACT_MATCHER or match.coverage == 100
    )


def _is_reference(match: _Match) -> bool:
    return bool(rule_data(match.rule).referenced_filenames)


def _without(matches: list[_Match], drop: Callable[[_Match], bool]) -> list[_Match]:
    """``matches`` but those ``drop`` tells, unless that leaves none (as ScanCode filters)."""
    kept = [m for m in matches if not drop(m)]
    return kept or matches


def _find(name: str, referrer: str, files: dict[str, FileEntry]) -> str | None:
    """The file ``name`` beside ``referrer``, else at the root of the tree, if listed."""
    cleaned = posixpath.normpath(name.replace("\\", "/").rstrip("/"))
    if cleaned in (".", ""):
        return None
    parent = referrer.rpartition("/")[0]
    for candidate in (posixpath.join(parent, cleaned) if parent else cleaned, cleaned):
        if candidate in files:
            return candidate
    return None


def _walk_key(path: str) -> list[tuple[bool, str, str]]:
    """Sort key of ScanCode's walk: in each directory, files first, then by lowercase name."""
    parts = path.split("/")
    return [(True, p.lower(), p) for p in parts[:-1]] + [(False, parts[-1].lower(), parts[-1])]


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


@cache
def rule_data(identifier: str) -> RuleData:
    """Read what the step needs from ScanCode's rule file ``identifier``, once.

    License texts (``*.LICENSE``) and rules made at match time (SPDX ids) refer to
    nothing; a rule file that cannot be read counts as referring to nothing too.
    """
    rules = _rules_dir()
    if rules is None or not identifier.endswith(".RULE") or "/" in identifier:
        return _PLAIN
    try:
        text = (rules / identifier).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return _PLAIN
    head = text.removeprefix("---\n").partition("\n---")[0]
    return _front_matter(head) if any(k in head for k in _KEYS) else _PLAIN


#: The keys of a rule's front matter the step reads; a rule without any is plain.
_KEYS = ("referenced_filenames:", "is_license_intro:", "is_license_clue:", "free-unknown")
_TRUE = ("yes", "true")


def _front_matter(head: str) -> RuleData:
    """Read a rule's YAML front matter as ScanCode writes it (flat keys, block lists).

    Read by hand: loading a YAML parser costs more than the rest of a rescan of a small
    tree, and the tests compare the result with ScanCode's own reading of every rule.
    """
    names: list[str] = []
    intro = False
    in_names = False
    for line in head.splitlines():
        item = line.lstrip()
        if in_names and item.startswith("- "):
            names.append(_scalar(item[2:]))
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        in_names = key == "referenced_filenames" and not value
        intro = (
            intro
            or (key, value) == ("license_expression", "free-unknown")
            or (key in ("is_license_intro", "is_license_clue") and value in _TRUE)
        )
    return RuleData(referenced_filenames=tuple(n for n in names if n), intro=intro)


def _scalar(value: str) -> str:
    """A YAML scalar as written on one line: quoted ('' escapes a quote) or plain."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


@cache
def _rules_dir() -> Path | None:
    """ScanCode's rule files, found without importing ScanCode."""
    from importlib.util import find_spec

    spec = find_spec("licensedcode")
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        rules = Path(location) / "data" / "rules"
        if rules.is_dir():
            return rules
    return None
