# SPDX-License-Identifier: Apache-2.0
"""Inbound code INTO a project published under an outbound license: the verdict and its reason.

Every row names the inbound license, the outbound license, the expected verdict and a
phrase of the expected reason (a right verdict for a wrong reason fails), and says in a
comment why, and on what authority.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from ospo.policy import load_policy
from ospo.policy.judge import Context, Judge, compatibility
from ospo.policy.loader import compatibility_data
from ospo.policy.model import Compatibility, LicenseClass, Outcome, Profile

C, R, X = Compatibility.COMPATIBLE, Compatibility.REVIEW, Compatibility.INCOMPATIBLE

OPEN_SOURCE_CLASSES = {
    LicenseClass.PUBLIC_DOMAIN,
    LicenseClass.PERMISSIVE,
    LicenseClass.WEAK_COPYLEFT_FILE,
    LicenseClass.WEAK_COPYLEFT_LIBRARY,
    LicenseClass.STRONG_COPYLEFT,
    LicenseClass.NETWORK_COPYLEFT,
}


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge(load_policy(None))


def _assert_verdict(
    judge: Judge, outbound: str, inbound: str, expected: Compatibility, because: str
) -> None:
    """Check ``inbound`` into ``outbound`` through the public function and through the judge
    under the source profile, verdict and reason both."""
    if " WITH " not in inbound:
        klass, _ = judge.classifier.classify(inbound)
        verdict, rationale = compatibility(outbound, inbound, klass)
        assert (verdict, because in rationale) == (expected, True), rationale
    judged = judge.judge(inbound, Context(profile=Profile.SOURCE, outbound=outbound))
    reason = judged.reasons[0]
    assert f"; {expected.value} with the outbound {outbound}: " in reason, reason
    assert because in reason, reason
    assert judged.incompatible is (expected is X)
    if expected is X:
        assert judged.outcome is Outcome.DENY
    elif expected is R:
        assert judged.outcome.rank >= Outcome.REVIEW.rank


# --- the cases counsel named ---------------------------------------------------------------

NAMED = [
    # GPL-3.0 s.13 and AGPL-3.0 s.13 both permit the combination; the AGPL part keeps its
    # network clause (fsf: #AGPLv3.0; text: GPL-3.0 s.13)
    ("AGPL-3.0-only", "GPL-3.0-only", C, "AGPL network clause"),
    ("AGPL-3.0-or-later", "GPL-3.0-or-later", C, "section 13 of both GPL-3.0 and AGPL-3.0"),
    # CC BY-SA 4.0 -> GPL-3.0 is one-way compatible (cc: compatiblelicenses; fsf: #ccbysa)
    ("CC-BY-SA-4.0", "GPL-3.0-only", C, "one-way compatible with GPL-3.0"),
    ("CC-BY-SA-4.0", "GPL-3.0-or-later", C, "one-way compatible with GPL-3.0"),
    # ... and not the other way, nor into GPL-2.0 (cc: only GPLv3 is BY-SA compatible)
    ("CC-BY-SA-4.0", "GPL-2.0-only", X, "declared one-way compatible with GPL-3.0 only"),
    # EUPL-1.2 s.5 compatibility clause + Appendix lists GPL-2.0 and GPL-3.0 (eupl: Appendix)
    ("EUPL-1.2", "GPL-2.0-only", C, "EUPL's compatibility clause"),
    ("EUPL-1.2", "GPL-3.0-only", C, "EUPL's compatibility clause"),
    # Exhibit B disables MPL-2.0 s.3.3, so no GNU license may be used (text: MPL-2.0 s.1.5)
    ("MPL-2.0-no-copyleft-exception", "GPL-3.0-only", X, "Incompatible With Secondary Licenses"),
    ("MPL-2.0-no-copyleft-exception", "GPL-2.0-only", X, "disables MPL-2.0 section 3.3"),
    ("MPL-2.0-no-copyleft-exception", "LGPL-2.1-only", X, "disables MPL-2.0 section 3.3"),
    ("MPL-2.0-no-copyleft-exception", "AGPL-3.0-only", X, "disables MPL-2.0 section 3.3"),
    # plain MPL-2.0 reaches the GNU licenses through s.3.3 (mpl: Q14)
    ("MPL-2.0", "GPL-3.0-only", C, "MPL-2.0 section 3.3"),
    ("MPL-2.0", "GPL-2.0-or-later", C, "MPL-2.0 section 3.3"),
    ("MPL-2.0", "LGPL-3.0-only", C, "MPL-2.0 section 3.3"),
    ("MPL-2.0", "AGPL-3.0-only", C, "MPL-2.0 section 3.3"),
    # CDDL is GPL-incompatible for its own reasons, not GPL-2.0's (fsf: #CDDL)
    ("CDDL-1.0", "GPL-3.0-only", X, "CDDL's file-level copyleft"),
    ("CDDL-1.1", "GPL-2.0-only", X, "CDDL's file-level copyleft"),
]


@pytest.mark.parametrize(("inbound", "outbound", "expected", "because"), NAMED)
def test_the_cases_counsel_named(
    judge: Judge, inbound: str, outbound: str, expected: Compatibility, because: str
) -> None:
    _assert_verdict(judge, outbound, inbound, expected, because)


def test_cddl_into_gpl3_is_not_explained_by_gpl2() -> None:
    # the wrong reason the one-rationale-per-outbound file used to print
    _, rationale = compatibility("GPL-3.0-only", "CDDL-1.0", LicenseClass.WEAK_COPYLEFT_FILE)
    assert "GPL-2.0-only" not in rationale


# --- the file itself -----------------------------------------------------------------------


def _entries() -> Iterator[tuple[str, Mapping[str, Any]]]:
    data = compatibility_data()
    yield from data["outbound"].items()
    yield "common", data["common"]
    yield "fallback", data["fallback"]


def _rules() -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for name, entry in _entries():
        for verdict in Compatibility:
            for rule in entry.get(verdict.value, []):
                yield name, verdict.value, rule


def test_every_rationale_names_a_known_source() -> None:
    sources = compatibility_data()["sources"]
    rules = list(_rules())
    assert len(rules) > 100
    for name, verdict, rule in rules:
        cited = [part.split(":", 1)[0].strip() for part in rule["source"].split(";")]
        assert cited, (name, verdict, rule)
        assert set(cited) <= set(sources), (name, verdict, rule["source"])
        assert rule["rationale"].strip(), (name, verdict)


def test_a_name_is_judged_once_per_outbound_license() -> None:
    for name, entry in _entries():
        for key in ("ids", "exceptions", "classes"):
            named = [
                n for v in Compatibility for r in entry.get(v.value, []) for n in r.get(key, [])
            ]
            assert len(named) == len(set(named)), (name, key, sorted(named))


def test_every_class_has_a_rule_for_every_outbound_license() -> None:
    data = compatibility_data()

    def classes(entry: Mapping[str, Any]) -> set[LicenseClass]:
        return {
            LicenseClass(c)
            for v in Compatibility
            for r in entry.get(v.value, [])
            for c in r.get("classes", [])
        }

    common = classes(data["common"])
    assert common == set(LicenseClass) - OPEN_SOURCE_CLASSES
    for name, entry in data["outbound"].items():
        assert classes(entry) == OPEN_SOURCE_CLASSES, name
    assert classes(data["fallback"]) == set(LicenseClass)


def test_the_file_validates_against_its_schema() -> None:
    from ospo.config import schema_validator

    errors = list(schema_validator("compatibility.schema.json").iter_errors(compatibility_data()))
    assert errors == []
    broken = {**compatibility_data(), "common": {"compatible": [{"classes": ["permissive"]}]}}
    assert list(schema_validator("compatibility.schema.json").iter_errors(broken))


# --- WITH exceptions -----------------------------------------------------------------------

WITH_ROWS = [
    # the runtime exception lets compiled code carry any license, even GPL-2.0-only's
    # (text: GCC-exception-3.1 s.1 "Eligible Compilation Process")
    ("GPL-3.0-or-later WITH GCC-exception-3.1", "GPL-2.0-only", C, "a compiled runtime"),
    ("GPL-3.0-or-later WITH GCC-exception-3.1", "Apache-2.0", C, "a compiled runtime"),
    # Bison's exception frees the generated parser (text: Bison-exception-2.2)
    ("GPL-3.0-or-later WITH Bison-exception-2.2", "MIT", C, "generated configure script or parser"),
    # LLVM's exception waives Apache-2.0's clauses that conflict with GPL-2.0 (text: LLVM-exception)
    (
        "Apache-2.0 WITH LLVM-exception",
        "GPL-2.0-only",
        C,
        "waived where they conflict with GPL-2.0",
    ),
    # Classpath: independent modules may link under any terms, the library stays GPL
    # (text: Classpath-exception-2.0)
    ("GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0", R, "independent modules"),
    ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-3.0-only", R, "independent modules"),
    # the same license with an extra permission is the same license (gpl-faq: #GPLIncompatibleLibs)
    ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only", C, "the same license"),
    # the font exception covers documents, not the font files (gpl-faq: #FontException)
    ("GPL-2.0-or-later WITH Font-exception-2.0", "MIT", R, "font files themselves"),
    # an exception the table does not name leaves the license it modifies (fsf: #GPLv2)
    ("GPL-2.0-only WITH openvpn-openssl-exception", "GPL-3.0-only", X, "cannot be relicensed"),
]


@pytest.mark.parametrize(("inbound", "outbound", "expected", "because"), WITH_ROWS)
def test_with_exceptions(
    judge: Judge, inbound: str, outbound: str, expected: Compatibility, because: str
) -> None:
    _assert_verdict(judge, outbound, inbound, expected, because)


def test_an_exception_the_policy_lifts_is_judged_by_its_class(tmp_path: Path) -> None:
    org = tmp_path / "org.yml"
    org.write_text(
        "version: 1\nextends: default\nlicenses:\n  exceptions:\n"
        "    Linux-syscall-note: permissive\n",
        encoding="utf-8",
    )
    lifted = Judge(load_policy(org))
    inbound = "GPL-2.0-only WITH Linux-syscall-note"
    # without the policy's word the note changes nothing: GPL-2.0-only stays out of GPL-3.0
    _assert_verdict(Judge(load_policy(None)), "GPL-3.0-only", inbound, X, "cannot be relicensed")
    _assert_verdict(lifted, "GPL-3.0-only", inbound, C, "to lift the copyleft of GPL-2.0-only")
    _assert_verdict(lifted, "GPL-3.0-only", inbound, C, "GPL-compatible permissive terms")
