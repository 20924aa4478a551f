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
    # plain MPL-2.0 reaches the GNU licenses through s.3.3 (mpl)
    ("MPL-2.0", "GPL-3.0-only", C, "MPL-2.0 section 3.3"),
    ("MPL-2.0", "GPL-2.0-or-later", C, "MPL-2.0 section 3.3"),
    ("MPL-2.0", "LGPL-3.0-only", C, "MPL-2.0 section 3.3"),
    ("MPL-2.0", "AGPL-3.0-only", C, "MPL-2.0 section 3.3"),
    # CDDL is GPL-incompatible for its own reasons, not GPL-2.0's (fsf: #CDDL)
    ("CDDL-1.0", "GPL-3.0-only", X, "CDDL's file-level copyleft"),
    ("CDDL-1.1", "GPL-2.0-only", X, "CDDL's file-level copyleft"),
]


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
    from ospo.documents import schema_validator

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
    # LLVM's exception waives sections of Apache-2.0; on a GPL it waives nothing, so the
    # GPL's own rule decides (text: LLVM-exception; gpl-faq: #AllCompatibility)
    ("GPL-3.0-only WITH LLVM-exception", "GPL-2.0-only", X, "the two versions do not mix"),
    ("GPL-2.0-only WITH LLVM-exception", "Apache-2.0", X, "strong copyleft would require"),
    # an exception only adds permissions: MIT with Classpath's is MIT (SPDX spec Annex D.4)
    ("MIT WITH Classpath-exception-2.0", "Apache-2.0", C, "which an Apache-2.0 project keeps"),
    ("BSD-3-Clause WITH Classpath-exception-2.0", "GPL-2.0-only", C, "GPL-compatible"),
    # Commons Clause takes away the right to sell: not open source, not even under the
    # license it modifies (osd: criterion 1; the policy's exception table)
    ("Apache-2.0 WITH LicenseRef-scancode-commons-clause", "Apache-2.0", X, "source-available"),
    ("Apache-2.0 WITH LicenseRef-scancode-commons-clause", "MIT", X, "cannot be passed on"),
]


# --- outbound licenses with an exception, and "or later" inbound ---------------------------

OUTBOUND_ROWS = [
    # a project under GPL-2.0 with the Classpath exception is under GPL-2.0 first: Apache-2.0
    # code cannot go in (fsf: #apache2), whatever the id the project's license is written in
    ("GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0", X, "GPL-2.0 does not allow"),
    ("GPL-2.0-with-classpath-exception", "Apache-2.0", X, "GPL-2.0 does not allow"),
    ("GPL-2.0-with-classpath-exception", "GPL-3.0-only", X, "the two versions do not mix"),
    # the same license with the same exception is the same license
    (
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        C,
        "the same license",
    ),
    ("Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception", C, "the same license"),
    # permissive code can be offered with the project's exception too (fsf: #GPLCompatible...)
    ("GPL-2.0-only WITH Classpath-exception-2.0", "MIT", C, "GPL-compatible permissive terms"),
    ("Apache-2.0 WITH LLVM-exception", "MIT", C, "which an Apache-2.0 project keeps"),
    ("Apache-2.0 WITH LLVM-exception", "GPL-2.0-only", X, "the whole Apache-2.0 project"),
    # copyleft code without the exception cannot be offered with it: the project's promise
    # to its users (link on any terms) would not hold for that code (text: Classpath-exception)
    ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only", R, "does not carry it"),
    ("GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later", R, "does not carry it"),
    # "or later" of a license: the recipient may always take that version itself, and no
    # later version exists to judge, so it is judged as that version (SPDX spec Annex D.2)
    ("GPL-2.0-only", "Apache-2.0+", X, "further restrictions that GPL-2.0 does not allow"),
    ("LGPL-2.1-only", "Apache-2.0+", X, "further restrictions under (L)GPL-2.1"),
    ("GPL-3.0-only", "Apache-2.0+", C, "accepts Apache-2.0's"),
    ("Apache-2.0", "Apache-2.0+", C, "the same license"),
    ("GPL-3.0-only", "MPL-1.1+", X, "MPL-1.1 code not also offered under a GNU license"),
    ("MPL-2.0", "MPL-1.1+", C, "any later version of the MPL"),
    # an id is the license SPDX normalises it to, deprecated or in any case (SPDX spec
    # Annex D.1: ids match case-insensitively; "GPL-2.0+" is GPL-2.0-or-later)
    ("GPL-3.0-only", "GPL-2.0+", C, "may be taken under GPL-3.0"),
    ("GPL-3.0-only", "GPL-2.0", X, "lacks 'or any later version'"),
    ("LGPL-3.0-only", "LGPL-2.1+", C, "may be taken under LGPL-3.0"),
    ("GPL-3.0-only", "AGPL-3.0", C, "the AGPL network clause"),
    ("GPL-3.0-only", "gpl-3.0-only", C, "the same license"),
    ("GPL-2.0-only", "apache-2.0", X, "further restrictions that GPL-2.0 does not allow"),
    ("apache-2.0", "GPL-3.0+", X, "strong copyleft would require the whole Apache-2.0 project"),
    # a project under a license the file does not list has no data: the OSRB decides
    ("Zlib", "GPL-3.0-only", R, "no compatibility data for this outbound license"),
    ("Zlib", "MIT", C, "permissive terms only ask for notices"),
    ("Zlib", "Zlib", C, "the same license"),
    # a project under another copyleft, or a license nobody knows, has no data: the OSRB
    ("EPL-2.0", "GPL-2.0-only", R, "no compatibility data for this outbound license"),
    ("LicenseRef-Acme-Proprietary", "GPL-2.0-only", R, "no compatibility data"),
]


@pytest.mark.parametrize(("outbound", "inbound", "expected", "because"), OUTBOUND_ROWS)
def test_outbound_expressions_and_or_later(
    judge: Judge, outbound: str, inbound: str, expected: Compatibility, because: str
) -> None:
    _assert_verdict(judge, outbound, inbound, expected, because)


# --- several licenses at once into an "or later" project --------------------------------

#: (outbound, a component's expression, incompatible?), why
TOGETHER_ROWS = [
    # GPL-2.0-only code keeps the work at version 2, Apache-2.0 code needs version 3: no
    # version of the GPL accepts both (gpl-faq: #AllCompatibility; fsf: #apache2)
    ("GPL-2.0-or-later", "GPL-2.0-only AND Apache-2.0", True),
    ("GPL-2.0+", "Apache-2.0 AND GPL-2.0-only", True),
    ("GPL-2.0-or-later", "GPL-2.0-only AND (Apache-2.0 OR GPL-3.0-only)", True),
    ("LGPL-2.1-or-later", "LGPL-2.1-only AND Apache-2.0", True),
    ("GPL-1.0-or-later", "GPL-2.0-only AND Apache-2.0", True),
    # ... whereas one version that takes every part is enough
    ("GPL-2.0-or-later", "GPL-2.0-or-later AND Apache-2.0", False),
    ("GPL-2.0-or-later", "GPL-2.0-only AND MIT", False),
    ("GPL-2.0-or-later", "GPL-3.0-only AND Apache-2.0", False),
    ("GPL-2.0-or-later", "GPL-2.0-only AND (Apache-2.0 OR MIT)", False),
    ("LGPL-2.1-or-later", "LGPL-2.1-or-later AND Apache-2.0", False),
    # a project at one version: each part meets that version's rules alone
    ("GPL-3.0-only", "GPL-2.0-or-later AND Apache-2.0", False),
    ("GPL-2.0-only", "GPL-2.0-only AND MIT", False),
]


@pytest.mark.parametrize(("outbound", "expression", "incompatible"), TOGETHER_ROWS)
def test_every_part_needs_one_version_an_or_later_project_admits(
    judge: Judge, outbound: str, expression: str, incompatible: bool
) -> None:
    verdict = judge.judge(expression, Context(profile=Profile.SOURCE, outbound=outbound))
    assert verdict.incompatible is incompatible, verdict.reasons
    if incompatible:
        assert verdict.outcome is Outcome.DENY
        assert "no version of the project's license accepts every part" in verdict.reasons[0]
    else:
        assert verdict.outcome is not Outcome.DENY, verdict.reasons


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
    _assert_verdict(lifted, "GPL-3.0-only", inbound, C, "to make GPL-2.0-only permissive")
    _assert_verdict(lifted, "GPL-3.0-only", inbound, C, "GPL-compatible permissive terms")


# --- every outbound license in the file x the inbound licenses that matter ------------------

PERMISSIVE = ("MIT", "BSD-2-Clause", "BSD-3-Clause", "ISC", "0BSD")
APACHE = ("Apache-2.0",)
MPL = ("MPL-2.0",)
LGPL21 = ("LGPL-2.1-only",)
LGPL21P = ("LGPL-2.1-or-later",)
LGPL3 = ("LGPL-3.0-only", "LGPL-3.0-or-later")
GPL2 = ("GPL-2.0-only",)
GPL2P = ("GPL-2.0-or-later",)
GPL3 = ("GPL-3.0-only", "GPL-3.0-or-later")
AGPL3 = ("AGPL-3.0-only", "AGPL-3.0-or-later")
NON_GNU = PERMISSIVE + APACHE + MPL
LGPL = LGPL21 + LGPL21P + LGPL3
GPL = GPL2 + GPL2P + GPL3
GPL_AGPL = GPL + AGPL3
GNU = LGPL + GPL_AGPL
EVERY = NON_GNU + GNU

#: What each family of outbound licenses says of a class, for inbound licenses no rule names:
#: {class: [(outbound licenses, verdict, phrase of the reason)]}
BY_CLASS: dict[LicenseClass, list[tuple[tuple[str, ...], Compatibility, str]]] = {
    # a public-domain dedication imposes nothing (fsf: #CC0; wheeler)
    LicenseClass.PUBLIC_DOMAIN: [(EVERY, C, "impose no terms")],
    # a restriction on use cannot be passed on under an open source license (osd 5, 6)
    LicenseClass.USE_RESTRICTED: [(EVERY, X, "restrict use")],
    # notices only; the FSF lists these permissive licenses as GPL-compatible (fsf; asf: A)
    LicenseClass.PERMISSIVE: [
        (PERMISSIVE + MPL, C, "only ask that notices be kept"),
        (APACHE, C, "which an Apache-2.0 project keeps"),
        (GNU, C, "GPL-compatible permissive terms"),
    ],
    # file-level copyleft stays with its files (mpl; asf: B); into the GPL only
    # through a secondary-license or compatibility clause (fsf)
    LicenseClass.WEAK_COPYLEFT_FILE: [
        (PERMISSIVE, R, "file-level copyleft: the project may include these files"),
        (APACHE, R, "file-level copyleft may be included if those files keep their license"),
        (MPL, C, "other file-level copyleft files keep their own terms"),
        (GNU, R, "check the license"),
    ],
    # strong copyleft takes the whole work (gpl-faq: #IfLibraryIsGPL; asf: X)
    LicenseClass.STRONG_COPYLEFT: [
        (PERMISSIVE, X, "strong copyleft requires the whole combined work"),
        (APACHE, X, "strong copyleft would require the whole Apache-2.0 project"),
        (MPL, X, "could no longer be offered under MPL-2.0 alone"),
        (LGPL, X, "would make the combined library subject to its terms"),
        (GPL_AGPL, X, "another strong copyleft requires derivatives under its own terms"),
    ],
    # library-level copyleft: usable without changing the project's license, but its code
    # stays LGPL (LGPL-2.1 s.6, LGPL-3.0 s.4; asf: X); other than the LGPL, read the license
    LicenseClass.WEAK_COPYLEFT_LIBRARY: [
        (PERMISSIVE, R, "may use an LGPL library and keep its own license"),
        (APACHE, R, "the ASF excludes LGPL from its own projects"),
        (MPL, R, "may combine MPL-2.0 code with LGPL code"),
        (GNU, R, "library-level copyleft other than the LGPL"),
    ],
    # network copyleft, likewise, and other than the AGPL it adds conditions (fsf: #RPL)
    LicenseClass.NETWORK_COPYLEFT: [
        (PERMISSIVE, X, "network copyleft requires the whole combined work"),
        (APACHE, X, "network copyleft would require the whole Apache-2.0 project"),
        (MPL, X, "could no longer be offered under MPL-2.0 alone"),
        (LGPL, X, "network copyleft would make the combined library"),
        (GPL, X, "adds conditions the GPL does not allow"),
        (AGPL3, X, "adds conditions the AGPL does not allow"),
    ],
}

#: Inbound licenses that no rule names, judged by their class alone.
BY_CLASS_ONLY = {
    LicenseClass.PUBLIC_DOMAIN: ["CC0-1.0", "Unlicense", "WTFPL"],
    LicenseClass.PERMISSIVE: [
        "MIT",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "0BSD",
        "Zlib",
        "BSL-1.0",
        "X11",
        "Python-2.0",
        "PSF-2.0",
        "UPL-1.0",
        "MIT-0",
        "CC-BY-4.0",
        "Unicode-DFS-2016",
        "curl",
        "CNRI-Python-GPL-Compatible",
        "libpng-2.0",
        "W3C",
        "HPND",
    ],
    LicenseClass.WEAK_COPYLEFT_FILE: ["OFL-1.1", "NPL-1.1", "SPL-1.0"],
    LicenseClass.STRONG_COPYLEFT: ["YPL-1.1", "Motosoto"],
    LicenseClass.NETWORK_COPYLEFT: ["RPL-1.1", "RPL-1.5"],
}

#: Inbound licenses with rules of their own: (inbound, outbound licenses, verdict, phrase).
NAMED_IDS: list[tuple[str, tuple[str, ...], Compatibility, str]] = [
    # Apache-2.0: notices; its patent termination and indemnity are further restrictions
    # under GPL-2.0 and LGPL-2.1, accepted by GPL-3.0 (fsf: #apache2; asf: GPL compatibility)
    ("Apache-2.0", PERMISSIVE + MPL, C, "only ask that notices be kept"),
    ("Apache-2.0", LGPL21, X, "further restrictions under (L)GPL-2.1"),
    ("Apache-2.0", GPL2, X, "further restrictions that GPL-2.0 does not allow"),
    ("Apache-2.0", LGPL21P, C, "distributed under LGPL-3.0 (or later)"),
    ("Apache-2.0", GPL2P, C, "distributed under GPL-3.0 (or later)"),
    ("Apache-2.0", LGPL3 + GPL3 + AGPL3, C, "accepts Apache-2.0's (and ECL-2.0's) patent terms"),
    # ECL-2.0 is Apache-2.0 with other patent wording: GPLv3 yes, GPLv2 no (fsf: #ECL2.0)
    ("ECL-2.0", APACHE, C, "which an Apache-2.0 project keeps"),
    ("ECL-2.0", LGPL21, X, "further restrictions under (L)GPL-2.1"),
    ("ECL-2.0", GPL2, X, "further restrictions that GPL-2.0 does not allow"),
    ("ECL-2.0", LGPL21P, C, "distributed under LGPL-3.0 (or later)"),
    ("ECL-2.0", GPL2P, C, "distributed under GPL-3.0 (or later)"),
    ("ECL-2.0", LGPL3 + GPL3 + AGPL3, C, "accepts Apache-2.0's (and ECL-2.0's) patent terms"),
    # Apache-1.1: permissive, but its name clauses are GPL-incompatible (fsf: #apache1.1)
    ("Apache-1.1", PERMISSIVE + MPL, C, "only ask that notices be kept"),
    ("Apache-1.1", APACHE, C, "which an Apache-2.0 project keeps"),
    ("Apache-1.1", GNU, X, "use of the name Apache"),
    # the advertising clause: a duty that travels, a GPL-incompatible restriction
    # (fsf: #OriginalBSD, #OpenSSL, #apache1; asf: X for BSD-4-Clause)
    ("BSD-4-Clause", PERMISSIVE + MPL, C, "advertising clause travels with the code"),
    ("BSD-4-Clause", APACHE, R, "the ASF does not accept BSD-4-Clause"),
    ("BSD-4-Clause", GNU, X, "advertising clause is a further restriction"),
    ("OpenSSL", PERMISSIVE + MPL, C, "advertising clause travels with the code"),
    ("OpenSSL", APACHE, R, "binds every advertisement of the project"),
    ("OpenSSL", GNU, X, "advertising clause is a further restriction"),
    ("Apache-1.0", PERMISSIVE + MPL, C, "advertising clause travels with the code"),
    ("Apache-1.0", APACHE, R, "binds every advertisement of the project"),
    ("Apache-1.0", GNU, X, "advertising clause is a further restriction"),
    # MS-PL keeps source under MS-PL only, GPL-incompatible (text: MS-PL 3(D); fsf: #ms-pl)
    ("MS-PL", NON_GNU, R, "in source form only under MS-PL"),
    ("MS-PL", GNU, X, "MS-PL keeps source under MS-PL only"),
    # AFL and PHP: permissive, GPL-incompatible (fsf: #AcademicFreeLicense, #PHP-3.01)
    ("AFL-3.0", PERMISSIVE + MPL, C, "only ask that notices be kept"),
    ("AFL-3.0", GNU, X, "AFL's patent termination"),
    # ... "all versions through 3.0" (fsf: #AcademicFreeLicense)
    ("AFL-2.0", GNU, X, "AFL's patent termination"),
    ("AFL-1.2", GNU, X, "AFL's patent termination"),
    ("AFL-1.1", GNU, X, "AFL's patent termination"),
    # CNRI's Python 1.6 license is governed by Virginia law: a further restriction; the
    # amended 1.6.1 wording (SPDX CNRI-Python-GPL-Compatible) is not (fsf: #PythonOld)
    ("CNRI-Python", GNU, X, "choice of Virginia law"),
    ("PHP-3.01", APACHE, C, "which an Apache-2.0 project keeps"),
    ("PHP-3.01", GNU, X, "PHP's name restrictions"),
    # JSON's "Good, not Evil" restricts use: not open source (fsf: #JSON; asf: X; osd 6)
    ("JSON", EVERY, X, "Good, not Evil"),
    # MPL-2.0: file-level; into the GNU licenses through s.3.3 (mpl)
    ("MPL-2.0", PERMISSIVE, R, "file-level copyleft: the project may include these files"),
    ("MPL-2.0", APACHE, R, "file-level copyleft may be included"),
    ("MPL-2.0", GNU, C, "MPL-2.0 section 3.3"),
    # Exhibit B (and MPL-1.x code, s.1.5(b)) disables s.3.3 (text: MPL-2.0 s.1.5; mpl)
    ("MPL-2.0-no-copyleft-exception", PERMISSIVE, R, "file-level copyleft: the project"),
    ("MPL-2.0-no-copyleft-exception", MPL, C, "Exhibit B only withholds"),
    ("MPL-2.0-no-copyleft-exception", GNU, X, "Incompatible With Secondary Licenses"),
    ("MPL-1.1", MPL, C, "any later version of the MPL"),
    ("MPL-1.1", APACHE, R, "file-level copyleft may be included"),
    ("MPL-1.1", GNU, X, "MPL-1.1 code not also offered under a GNU license"),
    # EPL-1.0 / CPL: weak copyleft + choice of law, GPL-incompatible (fsf: #EPL, #CPL)
    ("EPL-1.0", PERMISSIVE, R, "file-level copyleft: the project may include these files"),
    ("EPL-1.0", MPL, C, "other file-level copyleft files keep their own terms"),
    ("EPL-1.0", GNU, X, "choice-of-law clause"),
    ("CPL-1.0", GNU, X, "choice-of-law clause"),
    # EPL-2.0: GPL only with the Secondary License notice of Exhibit A; the LGPL is not one
    # (text: EPL-2.0 s.1, Exhibit A; fsf: #EPL2)
    ("EPL-2.0", APACHE, R, "file-level copyleft may be included"),
    ("EPL-2.0", MPL, C, "other file-level copyleft files keep their own terms"),
    ("EPL-2.0", GPL_AGPL, R, "designated the GPL as a Secondary License"),
    ("EPL-2.0", LGPL, X, "reaches only the GPL"),
    # CDDL: own notices + patent termination, GPL-incompatible (fsf: #CDDL)
    ("CDDL-1.0", PERMISSIVE, R, "file-level copyleft: the project may include these files"),
    ("CDDL-1.0", APACHE, R, "file-level copyleft may be included"),
    ("CDDL-1.0", MPL, C, "other file-level copyleft files keep their own terms"),
    ("CDDL-1.0", GNU, X, "CDDL's file-level copyleft"),
    ("CDDL-1.1", GNU, X, "GPL and CDDL modules cannot be linked together"),
    # CC BY-SA 4.0: one way into GPL-3.0 only (cc: compatiblelicenses; fsf: #ccbysa)
    ("CC-BY-SA-4.0", NON_GNU, R, "share-alike reaches adaptations"),
    ("CC-BY-SA-4.0", LGPL, X, "for software that is only GPL-3.0, not the LGPL"),
    ("CC-BY-SA-4.0", GPL2, X, "GPL-2.0 is not a BY-SA compatible license"),
    ("CC-BY-SA-4.0", GPL2P, C, "the combined work is distributed under GPL-3.0"),
    ("CC-BY-SA-4.0", GPL3, C, "one-way compatible with GPL-3.0"),
    ("CC-BY-SA-4.0", AGPL3, R, "two-step path"),
    ("CC-BY-SA-3.0", NON_GNU, R, "share-alike reaches adaptations"),
    ("CC-BY-SA-3.0", LGPL, X, "for software that is only GPL-3.0"),
    ("CC-BY-SA-3.0", GPL2, X, "GPL-2.0 is not a BY-SA compatible license"),
    ("CC-BY-SA-3.0", GPL2P + GPL3 + AGPL3, X, "only CC BY-SA 4.0 is declared compatible"),
    # EUPL-1.2 s.5 + Appendix: GPL-2.0/3.0, AGPL-3.0, LGPL-2.1/3.0, MPL-2.0 (eupl: Appendix)
    ("EUPL-1.2", PERMISSIVE, R, "the project's license is not listed there"),
    ("EUPL-1.2", APACHE, R, "which does not list Apache-2.0"),
    ("EUPL-1.2", MPL + GNU, C, "EUPL's compatibility clause"),
    # the Appendix of EUPL-1.0/1.1 lists GPL-2.0, not MPL-2.0 or GPL-3.0 (text: EUPL-1.1)
    ("EUPL-1.1", PERMISSIVE, R, "the project's license is not listed there"),
    ("EUPL-1.1", APACHE, R, "which does not list Apache-2.0"),
    ("EUPL-1.1", MPL, R, "which does not list MPL-2.0"),
    ("EUPL-1.1", GPL2 + GPL2P, C, "compatibility clause of EUPL-1.0 and 1.1"),
    ("EUPL-1.1", LGPL + GPL3 + AGPL3, R, "allows later EUPL versions"),
    ("EUPL-1.0", PERMISSIVE, R, "the project's license is not listed there"),
    ("EUPL-1.0", MPL, R, "which does not list MPL-2.0"),
    ("EUPL-1.0", APACHE, R, "which does not list Apache-2.0"),
    ("EUPL-1.0", LGPL + GPL3 + AGPL3, R, "allows later EUPL versions"),
    ("EUPL-1.0", GPL2 + GPL2P, C, "compatibility clause of EUPL-1.0 and 1.1"),
    # GPL-incompatible file-level copylefts (fsf: #ms-rl, #ArtisticLicense, #APSL2, #QPL)
    ("MS-RL", MPL, C, "other file-level copyleft files keep their own terms"),
    ("MS-RL", GNU, X, "its copyleft or attribution terms conflict"),
    ("Artistic-1.0", GNU, X, "its copyleft or attribution terms conflict"),
    ("APSL-2.0", GNU, X, "its copyleft or attribution terms conflict"),
    ("QPL-1.0", GNU, X, "its copyleft or attribution terms conflict"),
    # (fsf: #lucent102, #Nokia, #NOSL, #RealNetworks, #IPAFONT)
    ("LPL-1.02", GNU, X, "its copyleft or attribution terms conflict"),
    ("Nokia", GNU, X, "its copyleft or attribution terms conflict"),
    ("NOSL", GNU, X, "its copyleft or attribution terms conflict"),
    ("RPSL-1.0", GNU, X, "its copyleft or attribution terms conflict"),
    ("IPA", GNU, X, "its copyleft or attribution terms conflict"),
    # OSL: strong, GPL-incompatible (fsf: #OSL)
    ("OSL-3.0", GNU, X, "its copyleft or attribution terms conflict"),
    ("OSL-2.1", GNU, X, "its copyleft or attribution terms conflict"),
    # CPAL: file-level + attribution display + network use, GPL-incompatible (fsf: #CPAL)
    ("CPAL-1.0", NON_GNU, R, "display the original developer's attribution"),
    ("CPAL-1.0", GNU, X, "its copyleft or attribution terms conflict"),
    # Artistic-2.0 s.4(c)(ii) lets a Modified Version go under the GPL (fsf: #ArtisticLicense2)
    ("Artistic-2.0", PERMISSIVE, R, "file-level copyleft: the project may include these files"),
    ("Artistic-2.0", MPL, C, "other file-level copyleft files keep their own terms"),
    ("Artistic-2.0", LGPL, R, "check the license"),
    ("Artistic-2.0", GPL_AGPL, C, "relicensing clause"),
    # CeCILL-2.1 art. 5.3.4 lets the whole go under GPL/AGPL (fsf: #CeCILL)
    ("CECILL-2.1", LGPL, R, "check the license"),
    ("CECILL-2.1", GPL_AGPL, C, "CeCILL-2.1's compatibility clause"),
    # Sleepycat and Vim: copylefts the FSF lists as GPL-compatible (fsf: #BerkeleyDB, #Vim)
    ("Sleepycat", LGPL, X, "would make the combined library subject to its terms"),
    ("Sleepycat", GPL_AGPL, C, "lists this copyleft as GPL-compatible"),
    ("Vim", GPL_AGPL, C, "Vim's license lets modified copies"),
    # the LGPL: usable by anything, relicensable to the GPL (LGPL-2.1 s.3, s.6; fsf: #LGPL)
    ("LGPL-2.1-only", LGPL21P, C, "combines with an LGPL-2.1-or-later project"),
    ("LGPL-2.1-only", LGPL3, X, "LGPL-2.x-only code cannot be taken under LGPL-3.0"),
    ("LGPL-2.1-only", GPL2, C, "LGPL-2.x code may be taken under GPL-2.0"),
    ("LGPL-2.1-only", GPL2P + GPL3 + AGPL3, C, "the LGPL lets its code be taken under"),
    ("LGPL-2.1-or-later", LGPL21, C, "may be taken under LGPL-2.1"),
    ("LGPL-2.1-or-later", LGPL3, C, "may be taken under LGPL-3.0"),
    ("LGPL-2.1-or-later", GPL2, C, "LGPL-2.x code may be taken under GPL-2.0"),
    ("LGPL-2.1-or-later", GPL2P + GPL3 + AGPL3, C, "the LGPL lets its code be taken under"),
    ("LGPL-2.0-only", LGPL21 + LGPL21P, R, "cannot be relicensed as LGPL-2.1"),
    ("LGPL-2.0-only", LGPL3, X, "LGPL-2.x-only code cannot be taken under LGPL-3.0"),
    ("LGPL-2.0-only", GPL2, C, "LGPL-2.x code may be taken under GPL-2.0"),
    ("LGPL-2.0-only", GPL2P + GPL3 + AGPL3, C, "the LGPL lets its code be taken under"),
    ("LGPL-2.0-or-later", LGPL21, C, "may be taken under LGPL-2.1"),
    ("LGPL-2.0-or-later", LGPL21P, C, "combines with an LGPL-2.1-or-later project"),
    ("LGPL-2.0-or-later", LGPL3, C, "may be taken under LGPL-3.0"),
    ("LGPL-2.0-or-later", GPL2, C, "LGPL-2.x code may be taken under GPL-2.0"),
    ("LGPL-2.0-or-later", GPL2P + GPL3 + AGPL3, C, "the LGPL lets its code be taken under"),
    # LGPL-3.0: not under (L)GPL-2.x (fsf: #LGPLv3; gpl-faq: #AllCompatibility)
    ("LGPL-3.0-only", LGPL21, X, "LGPL-3.0 code cannot be distributed under LGPL-2.1"),
    ("LGPL-3.0-only", LGPL21P, C, "distributed under LGPL-3.0 (or later)"),
    ("LGPL-3.0-only", LGPL3, C, "may be taken under LGPL-3.0"),
    ("LGPL-3.0-only", GPL2, X, "the two versions do not mix"),
    ("LGPL-3.0-only", GPL2P + GPL3 + AGPL3, C, "LGPL-3.0 is GPL-3.0 plus permissions"),
    ("LGPL-3.0-or-later", LGPL21, X, "LGPL-3.0 code cannot be distributed under LGPL-2.1"),
    ("LGPL-3.0-or-later", LGPL21P, C, "distributed under LGPL-3.0 (or later)"),
    ("LGPL-3.0-or-later", LGPL3, C, "may be taken under LGPL-3.0"),
    ("LGPL-3.0-or-later", GPL2, X, "the two versions do not mix"),
    ("LGPL-3.0-or-later", GPL2P + GPL3 + AGPL3, C, "LGPL-3.0 is GPL-3.0 plus permissions"),
    # the GPL: never into a permissive or LGPL project; by version (gpl-faq: #AllCompatibility)
    ("GPL-2.0-only", LGPL, X, "would make the combined library GPL"),
    ("GPL-2.0-only", GPL2P, C, "distributed under GPL-2.0 only"),
    ("GPL-2.0-only", GPL3, X, "lacks 'or any later version'"),
    ("GPL-2.0-only", AGPL3, X, "AGPL-3.0 section 13 does not reach it"),
    ("GPL-2.0-or-later", LGPL, X, "would make the combined library GPL"),
    ("GPL-2.0-or-later", GPL2, C, "may be taken under GPL-2.0"),
    ("GPL-2.0-or-later", GPL3, C, "may be taken under GPL-3.0"),
    ("GPL-2.0-or-later", AGPL3, C, "AGPL-3.0 section 13 allows combining with GPL-3.0 code"),
    ("GPL-3.0-only", LGPL, X, "would make the combined library GPL"),
    ("GPL-3.0-only", GPL2, X, "the two versions do not mix"),
    ("GPL-3.0-only", GPL2P, C, "distributed under GPL-3.0 (or later)"),
    ("GPL-3.0-only", GPL3, C, "may be taken under GPL-3.0"),
    ("GPL-3.0-only", AGPL3, C, "AGPL-3.0 section 13 allows combining with GPL-3.0 code"),
    ("GPL-3.0-or-later", LGPL, X, "would make the combined library GPL"),
    ("GPL-3.0-or-later", GPL2, X, "the two versions do not mix"),
    ("GPL-3.0-or-later", GPL2P, C, "distributed under GPL-3.0 (or later)"),
    ("GPL-3.0-or-later", GPL3, C, "may be taken under GPL-3.0"),
    ("GPL-3.0-or-later", AGPL3, C, "AGPL-3.0 section 13 allows combining with GPL-3.0 code"),
    ("GPL-1.0-or-later", GPL2, C, "may be taken under GPL-2.0"),
    ("GPL-1.0-or-later", GPL2P, C, "may be taken under GPL-2.0 or any later version"),
    ("GPL-1.0-or-later", GPL3, C, "may be taken under GPL-3.0"),
    ("GPL-1.0-or-later", AGPL3, C, "GPL-1.0/2.0-or-later taken as GPL-3.0"),
    ("GPL-1.0-only", GPL_AGPL, X, "cannot be taken under a later version of the GPL"),
    # the AGPL: into GPL-3.0 by s.13 of both, never into GPL-2.0-only (fsf: #AGPLv3.0)
    ("AGPL-3.0-only", LGPL, X, "would make the combined library GPL"),
    ("AGPL-3.0-only", GPL2, X, "the two versions do not mix"),
    ("AGPL-3.0-only", GPL2P, C, "the AGPL network clause applies to the combination"),
    ("AGPL-3.0-only", GPL3, C, "the AGPL network clause"),
    ("AGPL-3.0-only", AGPL3, C, "may be taken under AGPL-3.0"),
    ("AGPL-3.0-or-later", LGPL, X, "would make the combined library GPL"),
    ("AGPL-3.0-or-later", GPL2, X, "the two versions do not mix"),
    ("AGPL-3.0-or-later", GPL2P, C, "the AGPL network clause applies to the combination"),
    ("AGPL-3.0-or-later", GPL3, C, "the AGPL network clause"),
    ("AGPL-3.0-or-later", AGPL3, C, "may be taken under AGPL-3.0"),
]


def _rows() -> list[tuple[str, str, Compatibility, str]]:
    """Every inbound license of the tables into every outbound license: a license into
    itself is the same license; a named row wins; otherwise the class decides."""
    named: dict[tuple[str, str], tuple[Compatibility, str]] = {}
    for inbound, outbounds, verdict, because in NAMED_IDS:
        for outbound in outbounds:
            assert (inbound, outbound) not in named, f"two rows for {inbound} into {outbound}"
            named[inbound, outbound] = (verdict, because)
    classify = Judge(load_policy(None)).classifier.classify
    inbound_ids = {i for ids in BY_CLASS_ONLY.values() for i in ids} | {i for i, *_ in NAMED_IDS}
    rows = []
    for inbound in sorted(inbound_ids):
        by_class = {o: (v, b) for outs, v, b in BY_CLASS[classify(inbound)[0]] for o in outs}
        for outbound in EVERY:
            if inbound == outbound:
                verdict, because = C, "the same license"
            else:
                verdict, because = named.get((inbound, outbound)) or by_class[outbound]
            rows.append((inbound, outbound, verdict, because))
    return [*rows, *NAMED, *WITH_ROWS]


ROWS = _rows()


@pytest.mark.parametrize(("inbound", "outbound", "expected", "because"), ROWS)
def test_inbound_into_outbound(
    judge: Judge, inbound: str, outbound: str, expected: Compatibility, because: str
) -> None:
    _assert_verdict(judge, outbound, inbound, expected, because)


def test_the_table_covers_every_outbound_license_in_the_file() -> None:
    assert set(EVERY) == set(compatibility_data()["outbound"])
    assert len(ROWS) > 700


# --- the reference counsel reads -----------------------------------------------------------


def test_the_reference_document_is_generated_from_the_file() -> None:
    from ospo.policy.reference import compatibility_reference

    committed = Path(__file__).parents[1] / "docs" / "policy-compatibility.md"
    generated = compatibility_reference()
    assert committed.read_text(encoding="utf-8") == generated, (
        "docs/policy-compatibility.md is stale: python -m ospo.policy.reference > "
        "docs/policy-compatibility.md"
    )
    # every rule of the file is a row: its reason and its source, next to its verdict
    for _, verdict, rule in _rules():
        assert f"| {verdict} | {rule['rationale']} | {rule['source']} |" in generated
    headed = {
        name
        for line in generated.splitlines()
        if line.startswith("### Into ")
        for name in line.removeprefix("### Into ").split(", ")
    }
    assert headed == set(compatibility_data()["outbound"])
