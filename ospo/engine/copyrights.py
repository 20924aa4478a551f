# SPDX-License-Identifier: Apache-2.0
"""Copyright and holder detection with ScanCode's detector, minus the groups that cannot match.

ScanCode collects groups of "candidate lines" (any line with a year, a URL or a statement
marker) and runs its part-of-speech lexer and grammar on each group. Most groups in source
code are URLs and dates, and the lexer is where the time goes.

A copyright statement (and so a holder) is only built from a grammar tree that holds a
``COPY`` token or a ``HOLDER`` token (``holder is NAME <email>``). Every lexer pattern that
yields those tokens in scancode-toolkit 32.5.0 needs one of :data:`MARKERS` in the prepared
line text (case-insensitive). Groups whose text holds none of them are skipped; every
other group goes through ScanCode's own detector unchanged, so the statements, holders
and line numbers are ScanCode's. ``tests/test_copyright_prefilter.py`` pins the lexer
patterns this relies on and compares results with the ``scancode`` command.
"""

from __future__ import annotations

import sys
from time import time
from typing import Any

#: Lower-case substrings, one of which every COPY or HOLDER lexer token contains.
MARKERS = ("opyrigh", "opyleft", "copyirght", "cppyright", "(c)", "copr", "holder")

_DETECTOR: Any = None


def _may_hold_copyright(group: list[tuple[int, str]]) -> bool:
    text = " ".join(line for _, line in group).lower()
    return any(marker in text for marker in MARKERS)


def detect_copyrights(
    location: str, deadline: float = sys.maxsize
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return ``(copyrights, holders)`` for the file at ``location`` as ScanCode finds them.

    Each item is a mapping with ``copyright`` (or ``holder``), ``start_line``, ``end_line``.
    """
    global _DETECTOR
    from cluecode.copyrights import (
        CopyrightDetection,
        CopyrightDetector,
        HolderDetection,
        collect_candidate_lines,
    )
    from cluecode.linux_credits import detect_credits_authors
    from textcode.analysis import numbered_text_lines

    # ScanCode reports only authors for a Linux-style CREDITS file, no copyrights.
    if any(True for _ in detect_credits_authors(location)):
        return [], []

    numbered_lines = list(numbered_text_lines(location, demarkup=True))
    if not numbered_lines:
        return [], []
    if _DETECTOR is None:
        _DETECTOR = CopyrightDetector()
        _DETECTOR.lexer = _LabelMemo(_DETECTOR.lexer)
        _DETECTOR.parser = _Grammar(_DETECTOR.parser)
        _remember_line_preparation()

    copyrights: list[dict[str, Any]] = []
    holders: list[dict[str, Any]] = []
    for group in collect_candidate_lines(numbered_lines):
        if _may_hold_copyright(group):
            # The same group of lines gives the same statements, shifted to where the
            # group starts: license texts repeat their boilerplate from file to file.
            base = group[0][0]
            key = tuple((number - base, line) for number, line in group)
            found = _GROUPS.get(key)
            if found is None:
                found = ([], [])
                for detection in _DETECTOR.detect(
                    numbered_lines=group,
                    include_copyrights=True,
                    include_holders=True,
                    include_authors=False,
                    include_copyright_years=True,
                    include_copyright_allrights=False,
                ):
                    if isinstance(detection, CopyrightDetection):
                        found[0].append(_shifted(detection.to_dict(), -base))
                    elif isinstance(detection, HolderDetection):
                        found[1].append(_shifted(detection.to_dict(), -base))
                if len(_GROUPS) < _GROUPS_LIMIT:
                    _GROUPS[key] = found
            copyrights += [_shifted(item, base) for item in found[0]]
            holders += [_shifted(item, base) for item in found[1]]
        if time() > deadline:
            break
    return copyrights, holders


#: Results by group of candidate lines (texts and line offsets), within one process.
_GROUPS: dict[tuple[tuple[int, str], ...], tuple[list[dict[str, Any]], list[dict[str, Any]]]]
_GROUPS = {}
_GROUPS_LIMIT = 100_000


def _shifted(item: dict[str, Any], by: int) -> dict[str, Any]:
    return {**item, "start_line": item["start_line"] + by, "end_line": item["end_line"] + by}


class _LabelMemo:
    """ScanCode's copyright lexer, remembering the label it gives each token text.

    The lexer labels a token by trying its ~1,100 patterns in order until one matches the
    token's text; this is most of the time copyright detection takes (licence texts and
    translation catalogs have many candidate lines). Every pattern is a regular
    expression matched against the token's text alone (``tests/test_copyright_prefilter.py``
    pins this), so a text always gets the same label (or none): the first answer is kept
    and given again, and tokens come out exactly as ScanCode's lexer labels them.
    """

    _LIMIT = 500_000  # distinct token texts kept; then the memory starts again

    def __init__(self, lexer: Any) -> None:
        self._matchers: list[tuple[Any, str]] = lexer._matchers
        self._labels: dict[str, str | None] = {}

    def lex_tokens(self, tokens: Any, trace: bool = False) -> Any:
        """Yield ``tokens``, each labelled as ScanCode's ``Lexer.lex_tokens`` labels it."""
        labels = self._labels
        for token in tokens:
            value = token.value
            try:
                label = labels[value]
            except KeyError:
                label = None
                for matcher, candidate in self._matchers:
                    if matcher(value):
                        label = candidate
                        break
                if len(labels) >= self._LIMIT:
                    labels.clear()
                labels[value] = label
            if label is not None:
                token.label = label
            yield token


def _remember_line_preparation() -> None:
    """Let ScanCode's copyright module remember how it prepares and judges a line.

    ``prepare_text_line`` (markup, entities and punctuation cleaned, ASCII) and
    ``is_candidate`` (digits only? gibberish? a year or a statement marker?) are functions
    of the line's text alone, called for every line of every file, and lines repeat across
    files (license boilerplate, the messages of translation catalogs). Their module-level
    names are rebound to memoized versions, so ScanCode's own code calls those.
    """
    from functools import lru_cache

    from cluecode import copyrights

    for name in ("prepare_text_line", "is_candidate"):
        function = getattr(copyrights, name)
        if not hasattr(function, "cache_info"):
            setattr(copyrights, name, lru_cache(maxsize=200_000)(function))


class _Grammar:
    """ScanCode's copyright grammar (a pygmars ``Parser``), applied without rebuilding the
    label string for rules that change nothing.

    pygmars applies its ~400 rules one after the other; each rule joins the labels of the
    tree into a string (``<NNP><NNP><YR>``), substitutes its regular expression into it,
    and builds a new tree only when that changed the string. Most rules change nothing, and
    on a large group of lines (a translation catalog's header and credits) joining the
    labels again for each rule is most of the parse. Here the string is joined once and
    again only after a rule changed the tree; every step is pygmars' own
    (``Rule._transformer``, ``ParseString.to_tree``), so the tree is the same. A parser
    set up to trace, validate or loop is left to pygmars.
    """

    def __init__(self, parser: Any) -> None:
        self._parser = parser

    def parse(self, tree: Any) -> Any:
        """Return the parse tree pygmars' ``Parser.parse`` returns for ``tree``."""
        from pygmars.parse import ParseString
        from pygmars.tree import Tree

        parser = self._parser
        if not tree or parser._trace or parser._validate or parser._loop != 1:
            return parser.parse(tree)
        if not isinstance(tree, Tree):
            tree = Tree(parser._root_label, tree)
        # (a parser that does not validate made its rules without validation too)
        labels = _labels(tree)
        for rule in parser.rules:
            changed = rule._transformer(labels).replace("{}", "")
            if changed.rstrip() != labels.rstrip():
                grouping = ParseString(Tree(tree.label, []))
                grouping._tree = tree
                grouping._parse_string = changed
                tree = grouping.to_tree(rule.label)
                labels = _labels(tree)
        return tree


def _labels(tree: Any) -> str:
    """The label string pygmars' ``ParseString`` makes of a tree's children."""
    return "".join(f"<{node.label}>" for node in tree)
