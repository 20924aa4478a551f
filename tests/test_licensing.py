# SPDX-License-Identifier: Apache-2.0
"""The licensing adapter: checking, normalising and combining SPDX expressions."""

from __future__ import annotations

import pytest

from ospo import licensing


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("mit", "MIT"),
        ("mit or apache-2.0", "MIT OR Apache-2.0"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("Apache-2.0 and (MIT or BSD-3-Clause)", "Apache-2.0 AND (MIT OR BSD-3-Clause)"),
        ("MIT OR Apache-2.0 AND BSD-2-Clause", "MIT OR (Apache-2.0 AND BSD-2-Clause)"),
        ("LicenseRef-Acme-Proprietary", "LicenseRef-Acme-Proprietary"),
        ("MIT AND LicenseRef-scancode-public-domain", "MIT AND LicenseRef-scancode-public-domain"),
        # SPDX licenses that ScanCode's database (and so license-expression) calls exceptions
        ("MPL-2.0-no-copyleft-exception", "MPL-2.0-no-copyleft-exception"),
        ("mit AND mpl-2.0-no-copyleft-exception", "MIT AND MPL-2.0-no-copyleft-exception"),
        ("eCos-2.0", "eCos-2.0"),
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-with-classpath-exception"),
        ("GPL-3.0-with-GCC-exception OR MIT", "GPL-3.0-with-GCC-exception OR MIT"),
        # a deprecated id license-expression does not know is still an SPDX id (SPDX License
        # List, deprecated ids), spelled as SPDX spells it
        ("GPL-2.0-with-bison-exception", "GPL-2.0-with-bison-exception"),
        ("gpl-2.0-with-bison-exception OR mit", "GPL-2.0-with-bison-exception OR MIT"),
        # "+" (this version or any later one) on any license id
        ("Apache-2.0+", "Apache-2.0+"),
        ("apache-2.0+", "Apache-2.0+"),
        ("MIT+ OR (bsd-3-clause+ AND GPL-2.0+)", "MIT+ OR (BSD-3-Clause+ AND GPL-2.0-or-later)"),
        ("MPL-1.1+", "MPL-1.1+"),
        ("Apache-2.0+ WITH LLVM-exception", "Apache-2.0+ WITH LLVM-exception"),
        # a ScanCode clause that SPDX knows only as a LicenseRef: a license both ways
        (
            "Apache-2.0 AND LicenseRef-scancode-commons-clause",
            "Apache-2.0 AND LicenseRef-scancode-commons-clause",
        ),
        (
            "Apache-2.0 WITH LicenseRef-scancode-commons-clause",
            "Apache-2.0 WITH LicenseRef-scancode-commons-clause",
        ),
        ("GPL-2.0-only WITH Linux-syscall-note", "GPL-2.0-only WITH Linux-syscall-note"),
    ],
)
def test_valid_expressions_are_normalised(given: str, normalized: str) -> None:
    checked = licensing.check(given)
    assert checked.valid
    assert checked.normalized == normalized
    assert licensing.normalize(given) == normalized


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ("BSD License", "unknown license id(s): BSD License"),
        ("MIT OR", "not a license expression"),
        ("(MIT", "not a license expression"),
        ("", "empty license expression"),
        ("   ", "empty license expression"),
        ("Apache Software License", "unknown license id(s)"),
        # the SPDX grammar: an exception only after WITH, only an exception after WITH
        ("Classpath-exception-2.0", "Classpath-exception-2.0 is a license exception"),
        ("MIT AND LLVM-exception", "LLVM-exception is a license exception"),
        ("MIT WITH Apache-2.0", "Apache-2.0 is a license, not an exception"),
        ("GPL-2.0-only WITH MPL-2.0-no-copyleft-exception", "is a license, not an exception"),
        ("Classpath-exception-2.0 WITH GPL-2.0-only", "is a license exception, not a license"),
        ("NoSuchLicense-1.0+", "unknown license id(s): NoSuchLicense-1.0+"),
        ("MIT++", "unknown license id(s)"),
    ],
)
def test_invalid_expressions_become_evidence_not_exceptions(given: str, error: str) -> None:
    checked = licensing.check(given)
    assert not checked.valid
    assert checked.normalized is None
    assert error in checked.errors[0]


@pytest.mark.parametrize(
    ("deprecated", "current"),
    [
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("gpl-3.0-with-gcc-exception", "GPL-3.0-only WITH GCC-exception-3.1"),
        ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
        ("WXWINDOWS", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"),
        ("GPL-2.0-only", None),
        ("Classpath-exception-2.0", None),
    ],
)
def test_the_current_form_of_a_deprecated_id(deprecated: str, current: str | None) -> None:
    assert licensing.current_form(deprecated) == current
    if current is not None:
        assert licensing.check(current).normalized == current
        # a license text detected under its current id agrees with the deprecated one
        assert licensing.mentions(deprecated, current)
        assert licensing.mentions(current, deprecated)
        declared = licensing.normalize(deprecated)
        assert licensing.effective_license([deprecated], [current]) == (declared, None)


def test_license_ids_in_order_of_appearance() -> None:
    assert licensing.license_ids("MIT AND (Apache-2.0 OR MIT)") == ("MIT", "Apache-2.0")
    assert licensing.license_ids("GPL-2.0-only WITH Classpath-exception-2.0") == (
        "GPL-2.0-only",
        "Classpath-exception-2.0",
    )
    assert licensing.license_ids("not valid (") == ()


def test_combine_and_keeps_choices_intact() -> None:
    assert licensing.combine_and([]) is None
    assert licensing.combine_and(["MIT", None, "MIT"]) == "MIT"
    assert licensing.combine_and(["MIT", "Apache-2.0 OR BSD-2-Clause"]) == (
        "MIT AND (Apache-2.0 OR BSD-2-Clause)"
    )


def test_scancode_refs_map_to_spdx_where_spdx_has_an_id() -> None:
    # bsd-new is ScanCode's key for BSD-3-Clause; a key SPDX lacks stays as it is.
    assert licensing.scancode_ref_to_spdx("LicenseRef-scancode-bsd-new OR MIT") == (
        "BSD-3-Clause OR MIT"
    )
    assert licensing.scancode_ref_to_spdx("LicenseRef-scancode-unknown-license-reference") == (
        "LicenseRef-scancode-unknown-license-reference"
    )


@pytest.mark.parametrize(
    ("line", "expression"),
    [
        ("/* SPDX-License-Identifier: LicenseRef-Acme-1 */", "LicenseRef-Acme-1"),
        ("# SPDX-License-Identifier: GPL-2.0+ OR MIT", "GPL-2.0-or-later OR MIT"),
        ("<!-- SPDX-License-Identifier: Apache-2.0 -->", "Apache-2.0"),
        ("// no identifier here", None),
        ("# SPDX-License-Identifier: Not A License", None),
    ],
)
def test_spdx_identifier_lines(line: str, expression: str | None) -> None:
    assert licensing.spdx_identifier_line(line) == expression


def test_effective_license_follows_the_design() -> None:
    choice = licensing.effective_license(["Apache-2.0 OR BSD-3-Clause"], ["Apache-2.0"])
    assert choice == ("Apache-2.0 OR BSD-3-Clause", None), "covered detections keep a choice"
    assert licensing.effective_license(["BSD-3-Clause"], ["Apache-2.0"]) == (
        "BSD-3-Clause AND Apache-2.0",
        None,
    ), "uncovered detections are added with AND"
    assert licensing.effective_license(["BSD License"], ["BSD-3-Clause"]) == (
        "BSD-3-Clause",
        None,
    ), "a vague declaration gives way to the precise detection"
    expression, reason = licensing.effective_license(["BSD License"], [])
    assert expression is None
    assert reason is not None and "BSD License" in reason
    assert licensing.effective_license([], []) == (
        None,
        "no declared license and no license text found",
    )


def test_every_spdx_exception_is_flagged_by_license_expression() -> None:
    """The adapter consults the SPDX exception list only for symbols license-expression
    flags as exceptions (or after WITH); that is exact only while every SPDX exception is
    flagged."""
    from packaging.licenses._spdx import EXCEPTIONS

    lic = licensing.spdx_licensing()
    for entry in EXCEPTIONS.values():
        (symbol,) = lic.license_symbols(lic.parse(entry["id"], validate=False, strict=False))
        known = not lic.unknown_license_keys(entry["id"])
        assert symbol.is_exception or not known, entry["id"]


@pytest.mark.parametrize(
    ("declared", "detected", "expected"),
    [
        # a pointer ("see LICENSE") beside the license it points to adds nothing
        (["MPL-2.0"], ["MPL-2.0 AND LicenseRef-scancode-unknown-license-reference"], "MPL-2.0"),
        # a warranty disclaimer or an unidentified permissive text grants nothing
        (
            ["Apache-2.0"],
            ["LicenseRef-scancode-warranty-disclaimer", "BSD-3-Clause"],
            "Apache-2.0 AND BSD-3-Clause",
        ),
        ([], ["MIT AND LicenseRef-scancode-other-permissive"], "MIT"),
        (
            [],
            ["LicenseRef-scancode-unknown-spdx AND ISC", "LicenseRef-scancode-free-unknown"],
            "ISC",
        ),
        # inside a choice the term stays: dropping an alternative would change the choice
        (
            [],
            ["MIT OR LicenseRef-scancode-other-permissive"],
            "MIT OR LicenseRef-scancode-other-permissive",
        ),
        # a real ScanCode-only license is a grant
        ([], ["LicenseRef-scancode-public-domain"], "LicenseRef-scancode-public-domain"),
    ],
)
def test_detections_that_grant_nothing_stay_out_of_the_effective_license(
    declared: list[str], detected: list[str], expected: str
) -> None:
    assert licensing.effective_license(declared, detected) == (expected, None)


def test_only_mentions_found_is_unknown_with_the_reason() -> None:
    expression, reason = licensing.effective_license(
        [], ["LicenseRef-scancode-unknown-license-reference"]
    )
    assert expression is None
    assert "only mention a license ScanCode cannot name" in (reason or "")
    assert "unknown-license-reference" in (reason or "")


@pytest.mark.parametrize(
    ("declared", "detected", "expected"),
    [
        # numpy and scipy wheels: the GCC runtime library's exception, found without the
        # GPL text, must not cost the licenses found beside it
        (
            ["BSD-3-Clause"],
            ["BSD-3-Clause AND GCC-exception-3.1", "Apache-2.0 AND GCC-exception-3.1"],
            ("BSD-3-Clause AND Apache-2.0", None),
        ),
        ([], ["MIT AND Classpath-exception-2.0"], ("MIT", None)),
        # an exception where it belongs stays
        (
            [],
            ["GPL-3.0-or-later WITH GCC-exception-3.1"],
            ("GPL-3.0-or-later WITH GCC-exception-3.1", None),
        ),
    ],
)
def test_a_bare_exception_does_not_discard_its_detection(
    declared: list[str], detected: list[str], expected: tuple[str, None]
) -> None:
    assert licensing.effective_license(declared, detected) == expected


@pytest.mark.parametrize(
    ("detected", "reason"),
    [
        (["GCC-exception-3.1"], "hold only an exception (GCC-exception-3.1)"),
        (["NoSuch-License-1.0"], "not an SPDX expression: 'NoSuch-License-1.0'"),
    ],
)
def test_the_reason_names_what_was_found(detected: list[str], reason: str) -> None:
    expression, why = licensing.effective_license([], detected)
    assert expression is None
    assert reason in (why or "")
    assert "no license text found" not in (why or "")


@pytest.mark.parametrize(
    "keys",
    [
        ["bsd-new", "unknown-license-reference AND python", "bsd-new"],
        ["mit", "mit AND cc0-1.0"],
        ["mit OR apache-2.0", "gpl-2.0-plus"],
        ["apache-2.0 WITH llvm-exception", "mit"],
        ["gpl-2.0", "mit", "gpl-2.0"],
        ["mit"],
    ],
)
def test_combine_as_scancode_writes_what_scancode_writes(keys: list[str]) -> None:
    """ScanCode joins detections' expressions in its own keys, then writes them in SPDX;
    joining the SPDX forms gives the same text."""
    from licensedcode.cache import build_spdx_license_expression, get_licensing
    from licensedcode.detection import combine_expressions

    scancode = get_licensing()
    theirs = build_spdx_license_expression(
        str(combine_expressions(keys, licensing=scancode)), licensing=scancode
    )
    spdx = [str(build_spdx_license_expression(k, licensing=scancode)) for k in keys]
    assert licensing.combine_as_scancode(spdx) == str(theirs)


def test_license_keys_of_expressions_valid_or_not() -> None:
    assert licensing.license_keys("MIT OR (Apache-2.0 WITH LLVM-exception)") == {
        "MIT",
        "Apache-2.0",
        "LLVM-exception",
    }
    assert licensing.license_keys("LicenseRef-scancode-unknown-license-reference AND MIT") == {
        "LicenseRef-scancode-unknown-license-reference",
        "MIT",
    }
    assert licensing.license_keys("MIT OR") == frozenset()
    assert licensing.combine_as_scancode([]) is None
