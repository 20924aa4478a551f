# SPDX-License-Identifier: Apache-2.0
"""All of ospo's license-expression logic, in one adapter over ``license-expression``.

Expressions from outside (package metadata, SBOMs, users) are checked, not trusted: an
invalid one comes back as a :class:`CheckedExpression` with ``valid=False`` and the
reasons, never as an exception. ``LicenseRef-*`` ids are valid SPDX and kept as written;
``LicenseRef-scancode-<key>`` ids are mapped to the SPDX id when SPDX has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

_LICENSEREF = re.compile(r"^(DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+$")
_SCANCODE_REF = re.compile(r"LicenseRef-scancode-([A-Za-z0-9.\-]+)")
_SPDX_LID = re.compile(r"SPDX-License-Identifier\s*:\s*(.+)", re.IGNORECASE)
_LID_TRAILER = re.compile(r"\s*(\*/|-->|\*\)|#\}|%>|\"\"\"|''').*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedExpression:
    """An expression as given, and what checking it found."""

    original: str
    normalized: str | None  # SPDX-normalised form when valid
    valid: bool
    errors: tuple[str, ...] = ()
    unknown_symbols: tuple[str, ...] = ()


@cache
def spdx_licensing() -> Any:
    """Return the shared SPDX ``Licensing`` object (built once, about 20 ms)."""
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@cache
def check(expression: str) -> CheckedExpression:
    """Parse and validate ``expression`` as SPDX; never raises."""
    text = expression.strip()
    if not text:
        return CheckedExpression(
            original=expression, normalized=None, valid=False, errors=("empty license expression",)
        )
    licensing = spdx_licensing()
    try:
        # not strict: the library takes ScanCode's word for which ids are exceptions, and
        # ScanCode calls some SPDX licenses exceptions; the SPDX list decides below
        parsed = licensing.parse(text, validate=False, strict=False)
    except Exception as exc:  # license-expression raises several unrelated types
        return CheckedExpression(
            original=expression,
            normalized=None,
            valid=False,
            errors=(f"not a license expression: {exc}",),
        )
    if parsed is None:
        return CheckedExpression(
            original=expression, normalized=None, valid=False, errors=("empty license expression",)
        )
    misplaced = _misplaced(licensing, parsed)
    if misplaced:
        return CheckedExpression(
            original=expression, normalized=None, valid=False, errors=misplaced
        )
    unknown_keys = licensing.unknown_license_keys(parsed)
    unknown = tuple(
        key
        for key in unknown_keys
        if not _LICENSEREF.match(key)
        and not _or_later_of_known(key)
        and key.lower() not in _DEPRECATED_IDS
    )
    if unknown:
        return CheckedExpression(
            original=expression,
            normalized=None,
            valid=False,
            errors=(f"unknown license id(s): {', '.join(unknown)}",),
            unknown_symbols=unknown,
        )
    normalized = str(parsed)
    if any(k.lower() in _DEPRECATED_IDS for k in unknown_keys):
        # license-expression does not know every deprecated id: spell those as SPDX does
        normalized = _TOKEN.sub(_canonical_deprecated, normalized)
    if "+" in normalized:
        normalized = _TOKEN.sub(_canonical_or_later, normalized)
    return CheckedExpression(original=expression, normalized=normalized, valid=True)


#: Deprecated SPDX ids that fold an exception into the license's id (the SPDX License List
#: deprecated them in 3.0: "use a license expression with WITH"), as that expression. A
#: "GPL-2.0" in them is version 2 only, as the deprecated ``GPL-2.0`` is; eCos and wxWindows
#: grant "version 2, or any later version" in their own texts (and ScanCode's ``replaced_by``).
_DEPRECATED_WITH = {
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-only WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
    "wxWindows": "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
}
_DEPRECATED_IDS = {k.lower(): k for k in _DEPRECATED_WITH}


def current_form(license_id: str) -> str | None:
    """The ``X WITH E`` expression a deprecated SPDX id such as
    ``GPL-2.0-with-classpath-exception`` stands for; None for any other id."""
    spelled = _DEPRECATED_IDS.get(license_id.lower())
    return None if spelled is None else _DEPRECATED_WITH[spelled]


def _canonical_deprecated(match: re.Match[str]) -> str:
    return _DEPRECATED_IDS.get(match.group(0).lower(), match.group(0))


def _canonical_or_later(match: re.Match[str]) -> str:
    token = match.group(0)
    if not token.endswith("+") or not _or_later_of_known(token):
        return token
    return f"{spdx_licensing().parse(token[:-1])}+"


@cache
def spdx_exception_ids() -> frozenset[str]:
    """The exception ids of the SPDX License List, lower-cased.

    license-expression marks as exceptions what ScanCode's database does, and that
    database calls some SPDX *licenses* exceptions (``MPL-2.0-no-copyleft-exception``,
    ``eCos-2.0``, the deprecated ``GPL-2.0-with-…-exception`` ids) and keys that SPDX
    knows only as ``LicenseRef-`` (``LicenseRef-scancode-commons-clause``). The SPDX list
    itself (as the PyPA's ``packaging`` ships it) decides what may follow ``WITH``.
    """
    from packaging.licenses._spdx import EXCEPTIONS

    return frozenset(EXCEPTIONS)


def _misplaced(licensing: Any, parsed: Any) -> tuple[str, ...]:
    """Errors for an SPDX exception used as a license, or a license used after WITH."""
    symbols = list(licensing.license_symbols(parsed, decompose=False))
    # license-expression flags every SPDX exception (and more) as one: an expression with
    # no WITH and no flagged symbol needs no list (importing it costs 20 ms on the hook)
    if not any(
        type(s).__name__ == "LicenseWithExceptionSymbol" or getattr(s, "is_exception", False)
        for s in symbols
    ):
        return ()
    exceptions = spdx_exception_ids()
    errors: list[str] = []
    for symbol in symbols:
        if type(symbol).__name__ == "LicenseWithExceptionSymbol":
            license_key = symbol.license_symbol.key
            exception_key = symbol.exception_symbol.key
            if license_key.lower() in exceptions:
                errors.append(f"{license_key} is a license exception, not a license")
            # a LicenseRef after WITH is not SPDX 2 grammar, but ScanCode writes its own
            # exceptions so (``Apache-2.0 WITH LicenseRef-scancode-commons-clause``)
            if exception_key.lower() not in exceptions and not _LICENSEREF.match(exception_key):
                errors.append(
                    f"{exception_key} is a license, not an exception: it cannot follow WITH"
                )
        elif symbol.key.lower() in exceptions:
            errors.append(f"{symbol.key} is a license exception: it can only follow WITH")
    return tuple(dict.fromkeys(errors))


def _or_later_of_known(key: str) -> bool:
    """``X+`` (SPDX's "this version or any later one") of a license id the library knows."""
    return key.endswith("+") and not spdx_licensing().unknown_license_keys(key[:-1])


def normalize(expression: str | None) -> str | None:
    """Return the SPDX-normalised expression, or None if it is missing or invalid."""
    if expression is None:
        return None
    return check(expression).normalized


@cache
def license_ids(expression: str) -> tuple[str, ...]:
    """Return the license and exception ids in a valid expression, in order of appearance."""
    checked = check(expression)
    if not checked.valid or checked.normalized is None:
        return ()
    licensing = spdx_licensing()
    parsed = licensing.parse(checked.normalized)
    return tuple(dict.fromkeys(s.key for s in licensing.license_symbols(parsed, decompose=True)))


def combine_and(expressions: Iterable[str | None]) -> str | None:
    """Join expressions with AND, each term once, in order; None when there are none.

    Terms of an AND inside are terms of the whole (``MIT`` and ``MIT AND CC0-1.0`` make
    ``MIT AND CC0-1.0``); a choice (OR) stays one term.
    """
    parts: list[str] = []
    for expr in expressions:
        for term in _and_terms(expr) if expr else ():
            if term not in parts:
                parts.append(term)
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return " AND ".join(_wrap(p) for p in parts)


def combine_as_scancode(expressions: Sequence[str]) -> str | None:
    """Join expressions with AND as ScanCode does: each distinct one once, nesting kept.

    ``MIT`` and ``MIT AND CC0-1.0`` make ``MIT AND (MIT AND CC0-1.0)``: ScanCode's reports
    keep each detection's expression whole, and comparing with them needs the same form.
    """
    from license_expression import combine_expressions

    licensing = spdx_licensing()
    parsed = [licensing.parse(e, validate=False, strict=False) for e in expressions if e]
    if not parsed:
        return None
    return str(combine_expressions(parsed, licensing=licensing))


def license_keys(expression: str) -> frozenset[str]:
    """The license and exception ids of ``expression`` as written, valid or not."""
    licensing = spdx_licensing()
    try:
        return frozenset(licensing.license_keys(licensing.parse(expression, validate=False)))
    except Exception:  # license-expression raises several unrelated types
        return frozenset()


def _and_terms(expression: str) -> list[str]:
    """The top-level AND terms of ``expression`` (itself when it is not an AND)."""
    if " AND " not in expression.upper():
        return [expression]
    try:
        parsed = spdx_licensing().parse(expression, validate=False)
    except Exception:  # license-expression raises several unrelated types
        return [expression]
    if type(parsed).__name__ != "AND":
        return [expression]
    return [t for arg in parsed.args for t in _and_terms(str(arg))]


def and_terms(expression: str) -> list[str]:
    """The top-level AND terms of an expression (itself when it is not an AND)."""
    return _and_terms(expression)


#: Ids that name one license text: SPDX's Python-2.0 is the CPython license stack, whose
#: own grant is the PSF license agreement.
_ALIASES = {"psf-2.0": "python-2.0", "python-2.0.1": "python-2.0"}
#: License texts that are a variant of another license and ask nothing more of the
#: recipient, so that the text of the variant agrees with a statement of the license
#: (``BSD-2-Clause`` declared, the BSD-2-Clause-Views text shipped). Variants that add a
#: duty or a restriction (MIT-advertising, BSD-3-Clause-No-Nuclear-License,
#: BSD-3-Clause-Attribution) are not here: their text is an addition.
VARIANT_OF = {
    "bsd-2-clause-views": "bsd-2-clause",
    "mit-0": "mit",
    "artistic-1.0-perl": "artistic-1.0",
    "artistic-1.0-cl8": "artistic-1.0",
}
_VERSIONED = re.compile(r"^(AGPL|GPL|LGPL|GFDL)-(\d\.\d)(-only|-or-later|\+)?$", re.IGNORECASE)


#: The versions of each GNU license family, oldest first.
_GNU_VERSIONS = {
    "GPL": ("1.0", "2.0", "3.0"),
    "LGPL": ("2.0", "2.1", "3.0"),
    "AGPL": ("1.0", "3.0"),
}


def versions_admitted(license_id: str) -> tuple[str, ...]:
    """The single versions an "or later" GNU license lets its recipient take, oldest first
    (GPL-2.0-or-later: GPL-2.0-only, GPL-3.0-only); () for any other license."""
    found = _VERSIONED.match(license_id)
    if found is None or (found.group(3) or "").lower() not in ("-or-later", "+"):
        return ()
    family = found.group(1).upper()
    versions = _GNU_VERSIONS.get(family, ())
    return tuple(f"{family}-{v}-only" for v in versions if float(v) >= float(found.group(2)))


def _symbol_covers(base: str, term: str) -> bool:
    """Whether the license ``base`` (an id, or ``X WITH E``) covers ``term``: the same
    license, an alias of it, the text of a version its "or later" admits, an "or later"
    from an earlier version, or the license or exception ``X WITH E`` is made of."""
    if base.lower() == term.lower():
        return True
    base, term = current_form(base) or base, current_form(term) or term
    if " WITH " in base.upper():
        license_part, _, exception = re.split(r"\s+(WITH)\s+", base, flags=re.I)
        if " WITH " in term.upper():
            term_license, _, term_exception = re.split(r"\s+(WITH)\s+", term, flags=re.I)
            return term_exception.lower() == exception.lower() and _symbol_covers(
                license_part, term_license
            )
        return term.lower() == exception.lower() or _symbol_covers(license_part, term)
    if " WITH " in term.upper():
        return False
    b, t = base.lower(), term.lower()
    if _ALIASES.get(b, b) == _ALIASES.get(t, t) or VARIANT_OF.get(t) == b:
        return True
    vb, vt = _VERSIONED.match(base), _VERSIONED.match(term)
    if vb is None or vt is None or vb.group(1).lower() != vt.group(1).lower():
        return False
    base_later = (vb.group(3) or "").lower() in ("-or-later", "+")
    term_later = (vt.group(3) or "").lower() in ("-or-later", "+")
    if base_later and term_later:
        # whoever complies with "2.1 or later" complies with "2.0 or later"
        return float(vb.group(2)) >= float(vt.group(2))
    # a license text names its own version ("-only" for ScanCode): under "or later" it is
    # the text of a version the notice admits
    return base_later and not term_later and float(vb.group(2)) <= float(vt.group(2))


def _symbols(expression: str) -> list[str]:
    licensing = spdx_licensing()
    parsed = licensing.parse(expression, validate=False)
    return [str(s) for s in licensing.license_symbols(parsed, decompose=False)]


def licenses_of(expression: str) -> tuple[str, ...]:
    """The licenses of a valid expression in order, each with its exception (``X WITH E``)
    and a deprecated id that folds one in written as ``X WITH E``; () when it is invalid."""
    checked = check(expression)
    if not checked.valid or checked.normalized is None:
        return ()
    return tuple(dict.fromkeys(current_form(s) or s for s in _symbols(checked.normalized)))


def mentions(base: str, term: str) -> bool:
    """Whether every license ``term`` names is one ``base`` names (or covers: an alias, a
    version text under "or later", a part of ``X WITH E``): a detected text that agrees
    with a declared expression, a choice's alternatives included."""
    try:
        base_symbols = _symbols(base)
        term_symbols = _symbols(term)
    except Exception:  # license-expression raises several unrelated types
        return False
    return all(any(_symbol_covers(b, t) for b in base_symbols) for t in term_symbols)


def implies(base: str, term: str) -> bool:
    """Whether whoever complies with ``base`` complies with ``term`` (each alternative of
    ``base`` holds the licenses of some alternative of ``term``), so that ``term`` beside
    ``base`` in an AND adds nothing. Expressions too large to expand imply nothing."""
    base_dnf, term_dnf = _dnf(base), _dnf(term)
    if base_dnf is None or term_dnf is None:
        return False
    return all(
        any(all(any(_symbol_covers(b, t) for b in conj) for t in other) for other in term_dnf)
        for conj in base_dnf
    )


_MAX_ALTERNATIVES = 64


def alternatives(expression: str) -> list[frozenset[str]] | None:
    """``expression`` as the choices it offers, each the set of license ids it needs
    (``MIT OR (Apache-2.0 AND BSD-3-Clause)``: ``{MIT}``, ``{Apache-2.0, BSD-3-Clause}``);
    None when it does not parse or has too many choices."""
    return _dnf(expression)


def _dnf(expression: str) -> list[frozenset[str]] | None:
    """``expression`` as its alternatives, each the set of licenses it needs."""
    try:
        parsed = spdx_licensing().parse(expression, validate=False)
    except Exception:  # license-expression raises several unrelated types
        return None

    def walk(node: Any) -> list[frozenset[str]] | None:
        kind = type(node).__name__
        if kind == "OR":
            out: list[frozenset[str]] = []
            for arg in node.args:
                part = walk(arg)
                if part is None:
                    return None
                out.extend(part)
            return out if len(out) <= _MAX_ALTERNATIVES else None
        if kind == "AND":
            acc = [frozenset[str]()]
            for arg in node.args:
                part = walk(arg)
                if part is None:
                    return None
                acc = [a | p for a in acc for p in part]
                if len(acc) > _MAX_ALTERNATIVES:
                    return None
            return acc
        return [frozenset({str(node)})]

    return walk(parsed)


def simplify(expression: str | None) -> str | None:
    """Drop the AND terms of ``expression`` that another of its terms covers (a GPL-3.0
    text beside ``GPL-3.0-or-later WITH GCC-exception-3.1``, an exception's bare text
    beside the license it modifies, PSF-2.0 beside Python-2.0)."""
    if expression is None:
        return None
    terms = and_terms(expression)
    kept: list[str] = []
    for index, term in enumerate(terms):
        others = [t for i, t in enumerate(terms) if i != index]
        if any(implies(other, term) and not implies(term, other) for other in others):
            continue
        if any(implies(k, term) for k in kept):
            continue
        kept.append(term)
    return combine_and(kept)


def granting(expression: str) -> str | None:
    """``expression`` without the AND terms that grant nothing (see :data:`NOT_A_GRANT`);
    None if nothing is left."""
    return _granting(expression)


def _wrap(expression: str) -> str:
    parsed = spdx_licensing().parse(expression, validate=False)
    if type(parsed).__name__ in ("OR",):
        return f"({expression})"
    return expression


def scancode_ref_to_spdx(expression: str) -> str:
    """Replace ``LicenseRef-scancode-<key>`` ids that SPDX has an id for with that id."""
    from ospo.licensedb import license_table

    table = license_table()

    def repl(match: re.Match[str]) -> str:
        info = table.by_key.get(match.group(1).lower())
        if info is not None and not info.spdx.startswith("LicenseRef-"):
            return info.spdx
        for other in info.other_spdx if info is not None else ():
            if not other.startswith("LicenseRef-"):
                return other
        return match.group(0)

    return _SCANCODE_REF.sub(repl, expression)


def spdx_identifier_line(line: str) -> str | None:
    """Return the expression of an ``SPDX-License-Identifier:`` line if it is valid SPDX."""
    found = _SPDX_LID.search(line)
    if not found:
        return None
    value = _LID_TRAILER.sub("", found.group(1)).strip().strip("\"'`,;")
    checked = check(value)
    return checked.normalized if checked.valid else None


def effective_license(
    declared: Sequence[str], detected: Sequence[str]
) -> tuple[str | None, str | None]:
    """Return ``(expression, unknown_reason)`` from declared and detected evidence.

    The declared expression stands when the detected licenses are all covered by it (a
    choice stays a choice); detected licenses it does not cover are added with AND; an
    invalid (vague) declaration gives way to what was detected. With neither, the result
    is None and the reason says so.
    """
    valid_declared = [n for n in (normalize(d) for d in declared) if n]
    found = [n for n in (_readable(d) for d in detected) if n]
    valid_detected = [g for g in (_granting(d) for d in found) if g]
    if not valid_declared and not valid_detected:
        if declared:
            return None, f"declared license is not an SPDX expression: {declared[0]!r}"
        if found:
            noise = ", ".join(dict.fromkeys(i for d in found for i in license_ids(d)))
            return None, (
                f"the license files only mention a license ScanCode cannot name ({noise}): "
                "read them"
            )
        if detected:
            bare = [d for d in detected if d.strip().lower() in spdx_exception_ids()]
            if bare and len(bare) == len(detected):
                return None, (
                    f"the license files hold only an exception ({bare[0]}), which grants "
                    "nothing without the license it modifies: read them"
                )
            return None, f"the license found is not an SPDX expression: {detected[0]!r}"
        return None, "no declared license and no license text found"
    base = combine_and(valid_declared)
    if base is None:
        return simplify(combine_and(valid_detected)), None
    # a detected choice the declared expression already satisfies (MIT declared; a
    # bundled library's "Apache-2.0 OR ISC OR MIT" found) adds nothing
    extra = [d for d in valid_detected if not mentions(base, d) and not implies(base, d)]
    return combine_and([base, *extra]), None


#: What ScanCode reports for text that names no license it knows: a pointer ("see
#: LICENSE"), an unknown SPDX id, an unidentified free or permissive text, a warranty
#: disclaimer, a contributor agreement. Kept as evidence; never a license of a component.
NOT_A_GRANT = frozenset(
    f"licenseref-scancode-{key}"
    for key in (
        "unknown-license-reference",
        "unknown-spdx",
        "unknown",
        "free-unknown",
        "other-permissive",
        "warranty-disclaimer",
        "generic-cla",
    )
)


def _readable(detected: str) -> str | None:
    """A detected expression, normalised; one that is invalid only because ScanCode found an
    exception's text without its license (``BSD-3-Clause AND GCC-exception-3.1`` in a
    numpy wheel) loses that bare exception, which grants nothing alone, not the rest."""
    normalized = normalize(detected)
    if normalized is not None or " AND " not in detected.upper():
        return normalized
    exceptions = spdx_exception_ids()
    terms = [t for t in _and_terms(detected) if t.strip().lower() not in exceptions]
    rest = combine_and(terms)
    return normalize(rest) if rest is not None and terms != _and_terms(detected) else None


def _granting(expression: str) -> str | None:
    """``expression`` without the AND terms that grant nothing; None if nothing is left.

    A choice or an exception that holds such a term is kept whole: dropping an alternative
    would change the choice."""
    terms = [t for t in _and_terms(expression) if t.lower() not in NOT_A_GRANT]
    return combine_and(terms)


_TOKEN = re.compile(r"[()]|[^\s()]+")


def from_scancode_keys(expression: str) -> str | None:
    """Translate an expression written in ScanCode's license keys to SPDX ids.

    Returns None unless every license token is a ScanCode key and the result is valid.
    """
    from ospo.licensedb import license_table

    table = license_table()
    out: list[str] = []
    for token in _TOKEN.findall(expression):
        upper = token.upper()
        if token in "()" or upper in ("AND", "OR", "WITH"):
            out.append(upper if upper in ("AND", "OR", "WITH") else token)
            continue
        info = table.by_key.get(token.lower())
        if info is None:
            return None
        out.append(info.spdx)
    return normalize(" ".join(out).replace("( ", "(").replace(" )", ")"))
