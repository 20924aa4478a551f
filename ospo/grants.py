# SPDX-License-Identifier: Apache-2.0
"""Which of the licenses ScanCode finds in a package's license files the package grants.

A package's license files hold more than its license: the history table of the CPython
license document names the GPL, a bundled library's section names the library's license,
a sentence explains that a test script (not shipped) is under the GPL, a pointer file says
"either of the licenses in LICENSE.APACHE or LICENSE.BSD". ScanCode reports every one of
those matches; a careful reader counts only what the package grants. The decision is made
per match, from ScanCode's own match data and from what the package installs, never from
a license's name:

* the **rule's kind** (ScanCode marks each rule as a license text, notice, reference, tag,
  intro or clue): a clue is never a grant; a short reference ("the GPL", "BSD License")
  in a file that also holds a license text or notice is a mention, not a grant;
* the **coverage** of an approximate match: a rule matched at less than
  :data:`MIN_APPROXIMATE_COVERAGE` percent is a resemblance, not that license;
* the **files the match is about**: a section that names files (``test.py``,
  ``tools/editors/emacs/rst.el``) none of which the package installs grants nothing to
  what the package ships;
* the **CPython license document**: its history table, its GPL-compatibility footnotes
  and its terms for code in Python's documentation are parts of that one document, whose
  grant is the Python license;
* a **choice** that points at sibling files ("either of the licenses found in
  LICENSE.APACHE2 or LICENSE.MIT") is a choice between what those files hold: the files are
  the alternatives' texts, not additions.

Every match stays as evidence, with its lines and, when it is not counted, the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from ospo import licensing

#: An approximate match (ScanCode's ``3-seq`` matcher) covering less of its rule than this,
#: in percent, is not counted.
MIN_APPROXIMATE_COVERAGE = 80.0

#: A notice of at most this many words ("under the GPL") is as weak as a reference.
_SHORT_NOTICE_WORDS = 3

#: How many lines above a match are searched for the files it is about.
_SECTION_LINES = 12

_STRONG_KINDS = frozenset({"text", "notice"})


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What ScanCode's rule data says about a rule: its kind, relevance and size."""

    kind: str  # text, notice, reference, tag, intro, clue or unknown
    relevance: float
    words: int
    referenced_filenames: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """One ScanCode match in a license file, as ospo's file records keep it."""

    expression: str
    start_line: int
    end_line: int
    score: float
    matcher: str
    rule: str
    #: how much of the rule matched, in percent, when ScanCode said (records before it
    #: was kept have None: the score and the rule's relevance tell it then)
    coverage: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Judged:
    """A match and whether it is counted; ``reason`` says why not."""

    match: Match
    counted: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseFile:
    """A license file of a package: its path relative to the package's base directory,
    ScanCode's matches in it, and a way to read its lines when a decision needs them."""

    location: str
    matches: tuple[Match, ...]
    read_lines: Callable[[], Sequence[str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class FileGrant:
    """What one license file grants: the counted expression (None when nothing is), each
    match judged, and the files whose texts are the alternatives of a choice it states."""

    location: str
    expression: str | None
    judged: tuple[Judged, ...]
    alternatives_in: tuple[str, ...] = ()
    #: the choices it states in prose, kept even where a text beside them in the same file
    #: makes the expression simpler
    stated: tuple[str, ...] = ()


@cache
def _rules_dir() -> Path | None:
    spec = find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "rules"


@cache
def rule_facts(identifier: str) -> RuleFacts:
    """Return the kind, relevance and size of ScanCode's rule ``identifier``; a license's
    own text (``mit.LICENSE``) is a text; a rule ospo cannot read is of unknown kind."""
    if identifier.endswith(".LICENSE"):
        return RuleFacts(kind="text", relevance=100.0, words=1_000)
    if identifier.startswith("spdx-license-identifier"):
        return RuleFacts(kind="tag", relevance=100.0, words=3)
    where = _rules_dir()
    try:
        text = (where / identifier).read_text(encoding="utf-8") if where else ""
    except (OSError, ValueError):
        text = ""
    head, _, body = text.partition("\n---\n")
    fields: dict[str, str] = {}
    referenced: list[str] = []
    in_refs = False
    for line in head.splitlines():
        if in_refs and line.startswith("    - "):
            referenced.append(line[6:].strip())
            continue
        in_refs = False
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
            in_refs = key.strip() == "referenced_filenames"
    kind = next(
        (
            k
            for k in ("text", "notice", "reference", "tag", "intro", "clue")
            if fields.get(f"is_license_{k}") == "yes"
        ),
        "unknown",
    )
    try:
        relevance = float(fields.get("relevance", "100"))
    except ValueError:
        relevance = 100.0
    words = len(re.findall(r"\w+", body.replace("{{", " ").replace("}}", " ")))
    return RuleFacts(
        kind=kind, relevance=relevance, words=words, referenced_filenames=tuple(referenced)
    )


def _weak(match: Match) -> bool:
    facts = rule_facts(match.rule)
    if facts.kind in ("reference", "tag", "intro", "clue", "unknown"):
        return True
    return facts.kind == "notice" and facts.words <= _SHORT_NOTICE_WORDS


def _coverage(match: Match) -> float:
    if match.coverage:
        return match.coverage
    relevance = rule_facts(match.rule).relevance or 100.0
    return min(100.0, match.score * 100.0 / relevance)


_URL = re.compile(r"\S+://\S+|www\.\S+|\S+\.(?:com|org|net|edu|io)/\S*")
_PATH = re.compile(
    r"(?<![\w@.])(?:[\w.*-]+/)+[\w.*-]*|(?<![\w/@.-])[\w*-]+\.(?:py|pyx|pyi|c|h|cc|cpp|js|mjs|"
    r"ts|el|sh|rs|go|java|css|pl|rb|php|so|dll|dylib|cmake|R)\b"
)
_LICENSE_TEXT_NAME = re.compile(r"(licen[cs]e|copying|notice|gpl|bsd|mit|apache)", re.I)
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$")
_PROSE = frozenset({"and", "or", "etc", "he", "she", "his", "her", "they", "it", "its"})

#: Directories that hold what a package uses to build, test or document itself, not what
#: it runs: a section about files below one of them is about what the package does not ship
#: even when its binaries were compiled from the same source tree.
NOT_SHIPPED_DIRECTORIES = frozenset(
    {
        "test",
        "tests",
        "testing",
        "testdata",
        "fixtures",
        "doc",
        "docs",
        "documentation",
        "example",
        "examples",
        "tools",
        "scripts",
        "ci",
        "dev",
        "bench",
        "benchmarks",
        "build",
        "cmake_modules",
        "editors",
        "java",
        "r",
        ".github",
        "github",
        "conda-recipes",
        "enterprise",
        "packaging",
        "vendored-meson",
        "_build_utils",
        "spin",
        "proofs",
    }
)
_COMPILED = frozenset(
    {
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".cxx",
        ".hpp",
        ".hh",
        ".f",
        ".f90",
        ".s",
        ".rs",
        ".go",
        ".pyx",
        ".pxd",
        ".cu",
        ".m",
        ".mm",
        ".inc",
    }
)
_BINARY = re.compile(r"\.(so|pyd|dll|dylib|node)(\.[\d.]+)?$", re.I)


def named_paths(line: str) -> list[str]:
    """The file and directory paths a line of prose names, without URLs, without the
    paths of license texts ("see doc/licenses/BSD.txt" says where a text is, not what it
    covers) and without prose that only looks like a path ("and/or")."""
    found = []
    for token in _PATH.findall(_URL.sub(" ", line)):
        directory = token.endswith("/")
        token = token.strip(".").removeprefix("./")
        parts = [p for p in token.split("/") if p]
        if not parts or any(p.lower() in _PROSE for p in parts):
            continue
        if any(re.fullmatch(r"licen[cs]es?", p, re.I) for p in parts[:-1]):
            continue
        if _LICENSE_TEXT_NAME.search(parts[-1]) and "." in parts[-1]:
            continue
        pathlike = (
            directory
            or "*" in token
            or _EXTENSION.search(parts[-1]) is not None
            or len(parts) >= 3
            or any(p.lower() in NOT_SHIPPED_DIRECTORIES for p in parts)
        )
        if len(parts) == 1 and _EXTENSION.search(parts[0]) is None:
            continue
        if pathlike:
            found.append("/".join(parts))
    return found


def _installed(path: str, installed: frozenset[str]) -> bool:
    """Whether a path named in a license file is among the package's installed files: the
    same last components (a source tree's ``src/lxml/x.py`` is the wheel's ``lxml/x.py``),
    a directory that holds installed files, or a glob that matches one."""
    parts = path.split("/")
    tail = "/".join(parts[-2:]) if len(parts) > 1 else parts[-1]
    for item in installed:
        if "*" in path:
            if fnmatch(item, f"*{tail}") or fnmatch(item, f"*{tail}.*"):
                return True
        elif item == tail or item.endswith(f"/{tail}") or f"/{tail}/" in f"/{item}":
            return True
    return False


def ships(path: str, installed: frozenset[str]) -> bool:
    """Whether what ``path`` names reaches the package's users: it is installed, or it is
    source a binary the package installs may have been compiled from (a C file, a source
    directory), unless it lies in a directory of tests, documentation or build tools."""
    if _installed(path, installed):
        return True
    parts = path.lower().split("/")
    if any(p in NOT_SHIPPED_DIRECTORIES for p in parts):
        return False
    if not any(_BINARY.search(item) for item in installed):
        return False
    suffix = _EXTENSION.search(parts[-1])
    return suffix is None or suffix.group(0).lower() in _COMPILED


def _section_paths(lines: Sequence[str], match: Match) -> list[str]:
    """The paths named by the nearest line, from a match's first line up, that names any."""
    first = max(0, match.start_line - 1 - _SECTION_LINES)
    for number in range(min(match.start_line, len(lines)) - 1, first - 1, -1):
        paths = named_paths(lines[number])
        if paths:
            return paths
    return []


_PYTHON_DOCUMENT = frozenset({"Python-2.0", "Python-2.0.1", "PSF-2.0"})


def _python_document_span(matches: Sequence[Match]) -> tuple[int, int] | None:
    """The lines of the CPython license document in a file: from its first Python match
    to the end of its Python text, or of the 0BSD terms that close the document."""
    python = [m for m in matches if set(licensing.license_ids(m.expression)) & _PYTHON_DOCUMENT]
    texts = [m for m in python if rule_facts(m.rule).kind == "text"]
    if not texts:
        return None
    start = min(m.start_line for m in python)
    end = max(m.end_line for m in texts)
    for m in sorted(matches, key=lambda m: m.start_line):
        if (
            m.start_line > end
            and m.start_line - end <= _DOCUMENT_GAP
            and set(licensing.license_ids(m.expression)) <= _PYTHON_DOCUMENT_PARTS
        ):
            end = m.end_line
    return start, end


#: What the CPython license document holds after its Python texts: the CWI and CNRI
#: licenses of the history, BSD mentions, the 0BSD terms for code in the documentation.
_PYTHON_DOCUMENT_PARTS = _PYTHON_DOCUMENT | {
    "CNRI-Python",
    "LicenseRef-scancode-python-cwi",
    "BSD-3-Clause",
    "0BSD",
    "LicenseRef-scancode-unknown-license-reference",
}
_DOCUMENT_GAP = 20


_RELICENSED = re.compile(r"\bre-?licen[cs]ed\b", re.IGNORECASE)


_DOCUMENTATION = re.compile(
    r"(sample|example)s? code\b.{0,120}\bdocumentation|code in the \w+ documentation",
    re.IGNORECASE,
)
#: A sentence that licenses the documentation alone ("Documentation is licensed under
#: CC-BY-4.0"), read on the match's own lines: the line above may speak of the code.
_DOCUMENTATION_ONLY = re.compile(
    r"\bdocumentation (is|are) (licen[cs]ed|released|made available|available) under",
    re.IGNORECASE,
)
_DOC_NAME = re.compile(r"(^|/)(docs?|documentation|html)/|\.(html|rst|ipynb)$", re.IGNORECASE)


def _is_documentation(path: str) -> bool:
    return _DOC_NAME.search(path) is not None and ".dist-info/" not in path


#: A section that opens by saying what it covers is for testing ("FontTools includes the
#: following font projects for testing purposes, which are under SIL Open Font License").
_TESTING = re.compile(
    r"\bfor (the )?(testing|tests)( purposes)?\b|\bonly used (for|in) (testing|tests)\b",
    re.IGNORECASE,
)
#: A line that separates the sections of a file that gathers the licenses of what a
#: package includes.
_SECTION_RULE = re.compile(r"^\s*(={3,}|\*{3,}|#{3,})\s*$")
_TEST_DIRECTORIES = frozenset({"test", "tests", "testing", "testdata", "fixtures"})


def _is_test_file(path: str) -> bool:
    return any(part.lower() in _TEST_DIRECTORIES for part in path.split("/")[:-1])


def _for_testing(lines: Sequence[str], match: Match) -> bool:
    """Whether the section ``match`` is in opens with a paragraph that says its material is
    for testing; a section starts at the file's start or after a line of ``=``."""
    start = 0
    for number in range(min(match.start_line, len(lines)) - 1, -1, -1):
        if _SECTION_RULE.match(lines[number]):
            start = number + 1
            break
    opening: list[str] = []
    for line in lines[start : match.end_line]:
        if not line.strip():
            if opening:
                break
            continue
        opening.append(line)
    return _TESTING.search(" ".join(opening)) is not None


def _before(lines: Sequence[str], match: Match) -> Sequence[str]:
    """A match's first lines and the four above it: the sentence that says what it is for."""
    return lines[max(0, match.start_line - 5) : min(match.end_line, match.start_line + 4)]


#: What a bundled library's own licensing summary says of the parts of its source that
#: are not the library (XZ Utils: "These scripts ... are under GNU GPLv2+", "The build
#: system contains ... files that are under GNU GPLv2+ or GNU GPLv3+").
_TOOLING = re.compile(
    r"\b(build system|(these|the) scripts|command[- ]line tools|test files|test code|"
    r"debugging utilities|the extra directory)\b",
    re.IGNORECASE,
)
_EXECUTABLE = re.compile(r"(^|/)(bin|scripts)/|\.(exe|sh)$")


def _label(cue: str) -> str:
    words = cue.lower().split()
    return " ".join(words[1:] if words[0] in ("the", "these") else words)


def _only_a_library(installed: frozenset[str]) -> bool:
    """Whether a package installs a compiled library and no programs: no script, no
    executable, no ``bin/`` (a wheel's console scripts are ``../../../bin/NAME``)."""
    return any(_BINARY.search(p) for p in installed) and not any(
        _EXECUTABLE.search(p) for p in installed
    )


def _paragraph(lines: Sequence[str], match: Match) -> Sequence[str]:
    """The paragraph a match starts in: back to the blank line above, at most a few lines."""
    first = match.start_line - 1
    while first > 0 and first > match.start_line - 8 and lines[first - 1].strip():
        first -= 1
    return lines[first : match.end_line]


def _around(lines: Sequence[str], match: Match) -> Sequence[str]:
    """A match's lines and the three after it: the rest of its sentence."""
    return lines[max(0, match.start_line - 1) : match.end_line + 3]


def judge_file(
    license_file: LicenseFile,
    *,
    installed: Callable[[], frozenset[str]],
    declared: str | None,
    siblings: Mapping[str, str],
    choices: Sequence[str] = (),
) -> FileGrant:
    """Decide which matches of one license file the package grants.

    ``installed`` gives the package's installed paths (called only when a section names
    files), ``declared`` its valid declared
    expression (matches it covers are always counted: they agree with it), ``siblings``
    the other license files of the package by file name with their detected expressions,
    ``choices`` the choices the license files beside it state: a license text of one of
    their alternatives is that alternative's text, not an addition.
    """
    matches = license_file.matches
    lines_cache: list[Sequence[str]] = []

    def lines() -> Sequence[str]:
        if not lines_cache:
            try:
                lines_cache.append(license_file.read_lines())
            except OSError:
                lines_cache.append(())
        return lines_cache[0]

    strong = [m for m in matches if not _weak(m) and _granting(m)]
    python_span = _python_document_span(matches)
    judged: list[Judged] = []
    for match in matches:
        judged.append(_judge(match, strong, python_span, declared, installed, lines))
    judged = [_absorbed(j, choices) for j in judged]
    judged = [_appendix_of_absorbed(j, judged) for j in judged]
    # a choice in prose is granted when any of its alternatives is: each is counted as
    # part of it, even one that alone would be a mere mention
    prose = [
        (choice, members)
        for choice, members in _prose_choices(matches, lines)
        if any(j.counted and j.match in members for j in judged)
    ]
    in_prose = [m for _, members in prose for m in members]
    judged = [Judged(match=j.match, counted=True) if j.match in in_prose else j for j in judged]
    refined = {
        alternative: j.match.expression
        for j in judged
        if not j.counted
        for alternative in [_alternative_of(j.match, choices)]
        if alternative is not None and alternative != j.match.expression
    }
    counted = [j.match for j in judged if j.counted]
    alternatives: list[str] = []
    parts: list[str] = []
    parts.extend(choice for choice, _ in prose)
    counted = [m for m in counted if m not in in_prose]
    for match in counted:
        choice = _choice_of_siblings(match, lines, siblings)
        if choice is not None:
            parts.append(choice[0])
            alternatives.extend(choice[1])
        else:
            parts.append(match.expression)
    if refined:
        parts = [_TOKEN.sub(lambda t: refined.get(t.group(0), t.group(0)), p) for p in parts]
    return FileGrant(
        location=license_file.location,
        expression=licensing.simplify(licensing.combine_and(parts)),
        judged=tuple(judged),
        alternatives_in=tuple(dict.fromkeys(alternatives)),
        stated=tuple(dict.fromkeys(choice for choice, _ in prose)),
    )


_TOKEN = re.compile(r"[^\s()]+")

#: A sentence that offers licenses one or another ("under your choice of the Apache-2.0
#: license OR the ISC license OR the MIT license"), which ScanCode matches one by one.
_OR = re.compile(r"\bor\b", re.IGNORECASE)
#: "or" that speaks of versions, not of licenses: "version 3 or later", "or (at your
#: option) any later version"
_OR_LATER = re.compile(r"\bor\s+(\(?at your option\)?\s+)?(any\s+)?later\b", re.IGNORECASE)
_AND = re.compile(r"\band\b|&", re.IGNORECASE)


def _prose_choices(
    matches: Sequence[Match], lines: Callable[[], Sequence[str]]
) -> list[tuple[str, list[Match]]]:
    """The choices stated in prose: references to two or more single licenses on the same
    or next lines that join them with "or" and never with "and", each choice with its
    matches."""
    references = sorted(
        (
            m
            for m in matches
            if rule_facts(m.rule).kind in ("reference", "notice")
            and _granting(m)
            and len(licensing.license_ids(m.expression)) == 1
        ),
        key=lambda m: (m.start_line, m.end_line),
    )
    groups: list[list[Match]] = []
    for match in references:
        if groups and match.start_line <= max(m.end_line for m in groups[-1]) + 1:
            groups[-1].append(match)
        else:
            groups.append([match])
    found: list[tuple[str, list[Match]]] = []
    for members in groups:
        ids = list(dict.fromkeys(m.expression for m in members))
        if len(ids) < 2 or any(
            licensing.mentions(a, b) or licensing.mentions(b, a) for a in ids for b in ids if a != b
        ):
            continue  # versions of one license ("the GPL, version 3 or later") are not a choice
        text = " ".join(lines()[members[0].start_line - 1 : max(m.end_line for m in members)])
        text = _OR_LATER.sub(" ", text)
        if len(_OR.findall(text)) < len(ids) - 1 or _AND.search(text):
            continue
        choice = licensing.normalize(" OR ".join(ids))
        if choice is not None:
            found.append((choice, members))
    return found


def _alternative_of(match: Match, choices: Sequence[str]) -> str | None:
    """The alternative of one of ``choices`` whose text ``match`` is (the same license, an
    alias, or a variant such as Artistic-1.0-Perl of Artistic-1.0), if it is a full text."""
    if rule_facts(match.rule).kind != "text":
        return None
    ids = licensing.license_ids(match.expression)
    if len(ids) != 1 or " OR " in match.expression.upper():
        return None
    (text_id,) = ids
    for choice in choices:
        for alternative in licensing.license_ids(choice):
            if licensing.mentions(alternative, text_id):
                return alternative
    return None


def _absorbed(judged: Judged, choices: Sequence[str]) -> Judged:
    if not judged.counted or not choices:
        return judged
    alternative = _alternative_of(judged.match, choices)
    if alternative is None:
        return judged
    return Judged(
        match=judged.match,
        counted=False,
        reason=f"the text of {judged.match.expression}, one alternative of a choice the "
        "license files beside it state",
    )


#: How far below a license text its own appendix reaches (Apache-2.0's filled-in notice).
_APPENDIX_LINES = 6


def _appendix_of_absorbed(judged: Judged, all_judged: Sequence[Judged]) -> Judged:
    """A notice of the same license right below the text of a choice's alternative (the
    Apache-2.0 text's filled-in appendix) belongs to that text: it is the alternative too."""
    if not judged.counted or rule_facts(judged.match.rule).kind not in ("notice", "reference"):
        return judged
    match = judged.match
    for other in all_judged:
        text = other.match
        if (
            not other.counted
            and (other.reason or "").startswith(f"the text of {match.expression},")
            and text.end_line < match.start_line <= text.end_line + _APPENDIX_LINES
        ):
            return Judged(match=match, counted=False, reason=other.reason)
    return judged


def _granting(match: Match) -> bool:
    return licensing.granting(match.expression) is not None


def _judge(
    match: Match,
    strong: Sequence[Match],
    python_span: tuple[int, int] | None,
    declared: str | None,
    installed: Callable[[], frozenset[str]],
    lines: Callable[[], Sequence[str]],
) -> Judged:
    if not _granting(match):
        return Judged(match=match, counted=False, reason="names no license")
    if declared is not None and licensing.mentions(declared, match.expression):
        return Judged(match=match, counted=True)
    facts = rule_facts(match.rule)
    if facts.kind == "clue":
        return Judged(match=match, counted=False, reason="a clue, not a license statement")
    if match.matcher.startswith("3") and _coverage(match) < MIN_APPROXIMATE_COVERAGE:
        return Judged(
            match=match,
            counted=False,
            reason=f"an approximate match covering {_coverage(match):.0f}% of ScanCode's "
            f"rule {match.rule}",
        )
    inside = next(
        (
            m
            for m in strong
            if m is not match
            and rule_facts(m.rule).kind == "text"
            and m.start_line <= match.start_line
            and match.end_line <= m.end_line
            and (m.start_line, m.end_line) != (match.start_line, match.end_line)
        ),
        None,
    )
    if inside is not None:
        return Judged(
            match=match,
            counted=False,
            reason=f"part of the {inside.expression} text on lines "
            f"{inside.start_line}-{inside.end_line}",
        )
    if (
        python_span is not None
        and python_span[0] <= match.start_line <= python_span[1]
        and not set(licensing.license_ids(match.expression)) <= _PYTHON_DOCUMENT
    ):
        return Judged(
            match=match,
            counted=False,
            reason="part of the CPython license document (its history, its GPL-"
            "compatibility table or its terms for code in Python's documentation)",
        )
    # the match's own sentence says what it covers before any path named above it does
    own = " ".join(lines()[max(0, match.start_line - 1) : match.end_line])
    if _DOCUMENTATION_ONLY.search(own) and not any(_is_documentation(p) for p in installed()):
        return Judged(
            match=match,
            counted=False,
            reason="about the documentation, which the package does not ship",
        )
    if _for_testing(lines(), match) and not any(_is_test_file(p) for p in installed()):
        return Judged(
            match=match,
            counted=False,
            reason="about material for the tests, which the package does not ship",
        )
    paths = _section_paths(lines(), match)
    if paths and not any(ships(p, installed()) for p in paths):
        return Judged(
            match=match,
            counted=False,
            reason=f"about files the package does not ship: {', '.join(paths[:3])}",
        )
    if _DOCUMENTATION.search(" ".join(_before(lines(), match))) and not any(
        _is_documentation(p) for p in installed()
    ):
        return Judged(
            match=match,
            counted=False,
            reason="about code in documentation, which the package does not ship",
        )
    part = None
    if rule_facts(match.rule).kind != "text":  # a license's own text speaks of scripts too
        part = _TOOLING.search(" ".join(_paragraph(lines(), match)))
    if part is not None and _only_a_library(installed()):
        return Judged(
            match=match,
            counted=False,
            reason=f"about a bundled library's {_label(part.group(0))}, which a package of "
            "libraries does not ship",
        )
    if _weak(match) and _RELICENSED.search(" ".join(_around(lines(), match))):
        return Judged(
            match=match,
            counted=False,
            reason="history: the section says the files were relicensed",
        )
    if _weak(match) and not paths:
        others = [
            m
            for m in strong
            if m is not match and not licensing.mentions(m.expression, match.expression)
        ]
        if others:
            return Judged(
                match=match,
                counted=False,
                reason=f"mentioned, not granted: a {facts.kind} in a file whose license "
                f"statement is {others[0].expression}",
            )
    return Judged(match=match, counted=True)


_SIBLING_NAME = re.compile(r"\b((?:LICEN[CS]E|COPYING)[-._][A-Za-z0-9.-]*[A-Za-z0-9])", re.I)


def _choice_of_siblings(
    match: Match, lines: Callable[[], Sequence[str]], siblings: Mapping[str, str]
) -> tuple[str, list[str]] | None:
    """When ``match`` states a choice and names sibling license files the package ships,
    return the choice between what those files hold, and their names."""
    if " OR " not in match.expression.upper() or not siblings:
        return None
    text = " ".join(lines()[max(0, match.start_line - 1) : match.end_line])
    named = list(dict.fromkeys(_SIBLING_NAME.findall(text)))
    named += [n for n in rule_facts(match.rule).referenced_filenames if n not in named]
    by_lower = {name.lower(): name for name in siblings}
    files = [by_lower[n.lower()] for n in named if n.lower() in by_lower]
    choices = [siblings[f] for f in files if siblings[f]]
    if len(choices) < 2:
        return None
    expression = licensing.normalize(" OR ".join(f"({c})" for c in choices))
    return (expression, files) if expression else None


def grants_of(
    files: Iterable[LicenseFile],
    *,
    installed: Callable[[], frozenset[str]],
    declared: str | None,
) -> list[FileGrant]:
    """Judge every license file of one package (see :func:`judge_file`)."""
    files = list(files)
    installed = cache(installed)  # listed once per package, and only if a section names files
    siblings = {
        f.location: licensing.combine_and(m.expression for m in f.matches if _granting(m)) or ""
        for f in files
    }

    def judge_all(choices: Mapping[str, Sequence[str]]) -> list[FileGrant]:
        grants = []
        for license_file in files:
            # the files beside it, by name (a vendored copy elsewhere has its own)
            here = _directory(license_file.location)
            others = {
                Path(location).name: expr
                for location, expr in siblings.items()
                if location != license_file.location and _directory(location) == here
            }
            grants.append(
                judge_file(
                    license_file,
                    installed=installed,
                    declared=declared,
                    siblings=others,
                    choices=choices.get(_directory(license_file.location), ()),
                )
            )
        return grants

    first = judge_all({})
    choices: dict[str, list[str]] = {}
    for grant in first:
        terms = licensing.and_terms(grant.expression) if grant.expression else []
        for term in dict.fromkeys([*terms, *grant.stated]):
            if " OR " in term.upper():
                choices.setdefault(_directory(grant.location), []).append(term)
    return judge_all(choices) if choices else first


def _directory(location: str) -> str:
    return location.rpartition("/")[0]
