# SPDX-License-Identifier: Apache-2.0
"""The copyright pre-filter skips only groups of lines where ScanCode cannot find a copyright.

The argument (ospo/engine/copyrights.py): a copyright or holder comes only from a grammar
tree labelled COPYRIGHT*, every such tree holds a COPY or HOLDER token, and every lexer
pattern producing those tokens needs one of MARKERS in the line. These tests check each
step against the installed ScanCode, so an upgrade that breaks the argument fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ospo.engine.copyrights import MARKERS, detect_copyrights

_RULE = re.compile(r"^\s*<?([A-Z0-9\-]+)>?\s*:\s*\{(.*)\}")
_ELEMENT = re.compile(r"<([^>]+)>([?*+]?)")
_SOURCES = {"COPY", "HOLDER"}


def _copy_patterns() -> list[str]:
    from cluecode.copyrights import PATTERNS

    return [pattern for pattern, tag in PATTERNS if tag in _SOURCES]


def test_every_copyright_tree_needs_a_copy_or_holder_token() -> None:
    from cluecode.copyrights import GRAMMAR

    rules = [m.groups() for line in GRAMMAR.splitlines() if (m := _RULE.match(line))]
    labels = {label for label, _ in rules if "COPYRIGHT" in label} | {"NAME-COPY"}
    allowed = _SOURCES | labels

    def requires_source(body: str) -> bool:
        # some element that must occur (no ? or *) and can only be a source or such a tree
        return any(
            set(alts.split("|")) <= allowed and quant in ("", "+")
            for alts, quant in _ELEMENT.findall(body)
        )

    checked = [(label, body) for label, body in rules if label in labels]
    assert len(checked) > 150
    assert [r for r in checked if not requires_source(r[1])] == []


def test_copy_and_holder_patterns_are_the_reviewed_ones() -> None:
    # If ScanCode adds a pattern, review MARKERS against it, then update this count.
    assert len(_copy_patterns()) == 27


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_copy_or_holder_token_holds_a_marker(data: st.DataObject) -> None:
    for pattern in _copy_patterns():
        token = data.draw(st.from_regex(pattern, fullmatch=True))
        assert any(marker in token.lower() for marker in MARKERS), (pattern, token)


def test_same_statements_as_scancode_on_varied_text(tmp_path: Path) -> None:
    from scancode.api import get_copyrights

    samples = {
        "plain.c": "/* Copyright (c) 2019-2021 Example Corp. All rights reserved. */\n",
        "symbol.py": "# © 2020 Jane Doe <jane@example.com>\n",
        "entity.html": "<p>&copy; 2018 The Example Foundation</p>\n",
        "holder.txt": "The copyright holder is Tim Hudson (tjh@example.com).\n",
        "spdx.js": "// SPDX-FileCopyrightText: 2024 Example Contributors\n",
        "dates.txt": "Released 2020-01-01, see https://example.com/changes for details.\n",
        "nothing.py": "def f(x):\n    return x + 1\n",
    }
    for name, text in samples.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        theirs = get_copyrights(str(path))
        copyrights, holders = detect_copyrights(str(path))
        assert [(c["copyright"], c["start_line"]) for c in copyrights] == [
            (c["copyright"], c["start_line"]) for c in theirs["copyrights"]
        ], name
        assert [h["holder"] for h in holders] == [h["holder"] for h in theirs["holders"]], name
    assert detect_copyrights(str(tmp_path / "plain.c"))[0], "a statement must be found"


def test_a_remembered_group_gives_what_the_detector_gives_where_it_now_stands(
    tmp_path: Path,
) -> None:
    """Results are remembered per group of candidate lines and shifted to where the group
    stands in the next file: the same as running ScanCode's detector afresh."""
    from ospo.engine import copyrights

    text = (
        "MIT License\n\nCopyright (c) 2014-2021 Jane Doe <jane@example.com>\n"
        "Copyright 2022 Acme, Inc. All rights reserved.\n\n"
        "Permission is hereby granted, free of charge, to any person obtaining a copy\n"
        "The above copyright notice and this permission notice shall be included in all\n"
        "copies or substantial portions of the Software.\n"
    )
    first, later = tmp_path / "LICENSE", tmp_path / "COPYING"
    first.write_text(text, encoding="utf-8")
    later.write_text("\n" * 7 + "Legal\n\n" + text, encoding="utf-8")
    copyrights._GROUPS.clear()
    fresh = detect_copyrights(str(later))
    assert fresh[0] and fresh[1]
    assert {c["start_line"] for c in fresh[0]} == {12, 13}
    copyrights._GROUPS.clear()
    detect_copyrights(str(first))
    assert copyrights._GROUPS  # remembered
    assert detect_copyrights(str(later)) == fresh


def test_the_remembered_labels_are_the_lexers() -> None:
    """The lexer's labels are remembered per token text; that holds because every one of
    its patterns is a regular expression on the text alone. On the tokens of real files
    (installed license texts and sources, read twice so the second pass comes from the
    memory), the labels are exactly those of a fresh ScanCode lexer."""
    from cluecode.copyrights import PATTERNS, get_tokens
    from pygmars import lex
    from textcode.analysis import numbered_text_lines

    from ospo.engine.copyrights import _LabelMemo
    from realtree import site_packages

    assert all(isinstance(pattern, str) for pattern, _ in PATTERNS)
    site = site_packages()
    files = sorted(site.glob("*.dist-info/*LICENSE*"))[:20] + sorted((site / "click").glob("*.py"))
    assert len(files) > 20
    fresh = lex.Lexer(matchers=PATTERNS)
    memo = _LabelMemo(lex.Lexer(matchers=PATTERNS))
    labelled = 0
    for _round in range(2):
        for path in files:
            lines = list(numbered_text_lines(str(path), demarkup=True))
            theirs = [(t.value, t.label) for t in fresh.lex_tokens(list(get_tokens(lines)))]
            ours = [(t.value, t.label) for t in memo.lex_tokens(list(get_tokens(lines)))]
            assert ours == theirs, path
            labelled += sum(1 for _, label in theirs if label is not None)
    assert labelled > 1000


def test_the_grammar_builds_pygmars_trees() -> None:
    """The grammar joins the label string again only after a rule changed the tree; on
    the candidate groups of real files the trees are exactly pygmars' own."""
    from cluecode.copyrights import CopyrightDetector, collect_candidate_lines, get_tokens
    from pygmars.tree import Tree
    from textcode.analysis import numbered_text_lines

    from ospo.engine.copyrights import _Grammar
    from realtree import site_packages

    def dump(node: object) -> object:
        if isinstance(node, Tree):
            return (node.label, [dump(child) for child in node])
        return (node.label, node.value, node.start_line, node.pos)  # type: ignore[attr-defined]

    reference = CopyrightDetector()  # pygmars' parser as ScanCode sets it up
    grammar = _Grammar(reference.parser)
    site = site_packages()
    files = sorted(site.glob("*.dist-info/*LICENSE*"))[:15] + sorted((site / "click").glob("*.py"))
    groups = grouped = 0
    for path in files:
        lines = list(numbered_text_lines(str(path), demarkup=True))
        for group in collect_candidate_lines(lines):
            tokens = list(get_tokens(group))
            if not tokens:
                continue
            theirs = reference.parser.parse(list(reference.lexer.lex_tokens(tokens)))
            tokens = list(get_tokens(group))
            ours = grammar.parse(list(reference.lexer.lex_tokens(tokens)))
            assert dump(ours) == dump(theirs), path
            groups += 1
            grouped += any(isinstance(child, Tree) for child in theirs)
    assert groups > 50 and grouped > 20, (groups, grouped)
