# SPDX-License-Identifier: Apache-2.0
"""The default policy judges real license expressions as the issue describes, per profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ospo.policy import load_policy
from ospo.policy.judge import Context, Judge, compatibility
from ospo.policy.model import Compatibility, LicenseClass, Linkage, Outcome, Profile

ALLOW, OBL, REVIEW, DENY = Outcome.ALLOW, Outcome.OBLIGATIONS, Outcome.REVIEW, Outcome.DENY


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge(load_policy())


def _outcome(judge: Judge, expression: str, profile: Profile, **kw: object) -> Outcome:
    return judge.judge(expression, Context(profile=profile, **kw)).outcome  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("MIT", OBL),
        ("Apache-2.0", OBL),
        ("BSD-3-Clause", OBL),
        ("CC0-1.0", ALLOW),
        ("Unlicense", ALLOW),
        ("MPL-2.0", OBL),
        ("EPL-2.0", OBL),
        ("GPL-2.0-only", DENY),
        ("GPL-3.0-or-later", DENY),
        ("AGPL-3.0-only", DENY),
        ("SSPL-1.0", DENY),
        ("BUSL-1.1", DENY),
        ("Elastic-2.0", DENY),
        ("Apache-2.0 WITH LicenseRef-scancode-commons-clause", DENY),
        ("CC-BY-NC-4.0", DENY),
        ("PolyForm-Noncommercial-1.0.0", DENY),
        ("LicenseRef-Acme-Unknown", REVIEW),
        ("LicenseRef-scancode-unknown-license-reference", REVIEW),
    ],
)
def test_binary_profile(judge: Judge, expression: str, expected: Outcome) -> None:
    assert _outcome(judge, expression, Profile.BINARY) is expected


def test_lgpl_depends_on_linkage(judge: Judge) -> None:
    for lgpl in ("LGPL-2.1-only", "LGPL-3.0-or-later"):
        assert _outcome(judge, lgpl, Profile.BINARY, linkage=Linkage.DYNAMIC) is OBL
        assert _outcome(judge, lgpl, Profile.BINARY, linkage=Linkage.STATIC) is REVIEW


def test_or_passes_if_any_alternative_passes_and_records_the_election(judge: Judge) -> None:
    verdict = judge.judge("MIT OR GPL-3.0-only", Context(profile=Profile.BINARY))
    assert verdict.outcome is OBL
    assert verdict.elected == "MIT"
    assert "elected MIT" in verdict.reasons[0]
    assert "GPL-3.0-only would be deny" in verdict.reasons[0]
    # even where both pass, the preferred (permissive) alternative is elected
    assert judge.judge("GPL-3.0-only OR MIT", Context(profile=Profile.SAAS)).elected == "MIT"
    # no alternative passes: the mildest outcome, still recorded
    both_bad = judge.judge("GPL-2.0-only OR AGPL-3.0-only", Context(profile=Profile.BINARY))
    assert both_bad.outcome is DENY


def test_and_needs_every_part(judge: Judge) -> None:
    assert _outcome(judge, "MIT AND GPL-3.0-only", Profile.BINARY) is DENY
    assert _outcome(judge, "MIT AND BSD-2-Clause", Profile.BINARY) is OBL
    nested = judge.judge("MIT AND (LGPL-2.1-only OR Apache-2.0)", Context(profile=Profile.BINARY))
    assert nested.outcome is OBL
    assert nested.elected == "MIT AND Apache-2.0"


def test_with_exceptions_count(judge: Judge) -> None:
    classpath = judge.judge(
        "GPL-2.0-only WITH Classpath-exception-2.0", Context(profile=Profile.BINARY)
    )
    assert classpath.outcome is OBL
    assert classpath.licenses[0][1] is LicenseClass.WEAK_COPYLEFT_FILE
    gcc = judge.judge("GPL-3.0-or-later WITH GCC-exception-3.1", Context(profile=Profile.BINARY))
    assert gcc.outcome is OBL
    assert gcc.licenses[0][1] is LicenseClass.PERMISSIVE
    # an exception the policy says nothing about leaves the license as it is
    unknown_exc = judge.judge(
        "GPL-2.0-only WITH Font-exception-2.0 AND GPL-2.0-only", Context(profile=Profile.BINARY)
    )
    assert unknown_exc.outcome is DENY


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("GPL-3.0-only", ALLOW),
        ("GPL-2.0-or-later", ALLOW),
        ("AGPL-3.0-only", DENY),
        ("SSPL-1.0", DENY),
        ("MIT", OBL),
        ("LGPL-2.1-only", OBL),
        ("CC-BY-NC-4.0", DENY),
        ("LicenseRef-Foo", REVIEW),
    ],
)
def test_saas_profile(judge: Judge, expression: str, expected: Outcome) -> None:
    assert _outcome(judge, expression, Profile.SAAS) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("GPL-3.0-only", ALLOW),
        ("AGPL-3.0-only", ALLOW),
        ("MIT", ALLOW),
        ("CC-BY-NC-SA-4.0", REVIEW),
        ("LicenseRef-Foo", REVIEW),
        ("BUSL-1.1", REVIEW),
    ],
)
def test_internal_profile(judge: Judge, expression: str, expected: Outcome) -> None:
    assert _outcome(judge, expression, Profile.INTERNAL) is expected


def test_dev_dependencies_are_relaxed_but_unknown_is_still_reported(judge: Judge) -> None:
    assert _outcome(judge, "GPL-3.0-only", Profile.BINARY, shipped=False) is ALLOW
    assert _outcome(judge, "AGPL-3.0-only", Profile.BINARY, shipped=False) is ALLOW
    assert _outcome(judge, "LicenseRef-Foo", Profile.BINARY, shipped=False) is REVIEW


@pytest.mark.parametrize(
    ("outbound", "inbound", "expected"),
    [
        ("GPL-3.0-only", "Apache-2.0", Compatibility.COMPATIBLE),
        ("Apache-2.0", "GPL-3.0-only", Compatibility.INCOMPATIBLE),
        ("Apache-2.0", "GPL-2.0-only", Compatibility.INCOMPATIBLE),
        ("GPL-2.0-only", "Apache-2.0", Compatibility.INCOMPATIBLE),
        ("GPL-2.0-or-later", "Apache-2.0", Compatibility.COMPATIBLE),
        ("GPL-3.0-only", "GPL-2.0-only", Compatibility.INCOMPATIBLE),
        ("MIT", "BSD-3-Clause", Compatibility.COMPATIBLE),
        ("Apache-2.0", "MPL-2.0", Compatibility.REVIEW),
        ("AGPL-3.0-only", "GPL-3.0-only", Compatibility.COMPATIBLE),
        ("LGPL-2.1-only", "Apache-2.0", Compatibility.INCOMPATIBLE),
        ("Apache-2.0", "LicenseRef-Acme", Compatibility.REVIEW),
        ("Apache-2.0", "LicenseRef-scancode-proprietary-license", Compatibility.INCOMPATIBLE),
        ("Zlib", "GPL-3.0-only", Compatibility.REVIEW),  # no data for Zlib: the OSRB decides
    ],
)
def test_outbound_compatibility_has_a_direction(
    judge: Judge, outbound: str, inbound: str, expected: Compatibility
) -> None:
    klass, _ = judge.classifier.classify(inbound)
    verdict, rationale = compatibility(outbound, inbound, klass)
    assert verdict is expected
    assert rationale


def test_source_profile_judges_against_the_outbound_license(judge: Judge) -> None:
    into_gpl = judge.judge("Apache-2.0", Context(profile=Profile.SOURCE, outbound="GPL-3.0-only"))
    assert into_gpl.outcome is OBL
    into_apache = judge.judge(
        "GPL-3.0-only", Context(profile=Profile.SOURCE, outbound="Apache-2.0")
    )
    assert into_apache.outcome is DENY
    assert into_apache.incompatible
    assert "asf" in into_apache.reasons[0]
    # a dual-licensed product must be able to ship the component under either license
    dual = judge.judge(
        "GPL-3.0-only", Context(profile=Profile.SOURCE, outbound="GPL-3.0-only OR Apache-2.0")
    )
    assert dual.outcome is DENY


def test_invalid_expression_is_judged_unknown_not_an_exception(judge: Judge) -> None:
    verdict = judge.judge("BSD License", Context(profile=Profile.BINARY))
    assert verdict.outcome is REVIEW
    assert "not a valid SPDX expression" in verdict.reasons[0]


def test_classification_comes_from_scancode_with_policy_refinements(judge: Judge) -> None:
    classify = judge.classifier.classify
    assert classify("MIT")[0] is LicenseClass.PERMISSIVE
    assert classify("CC0-1.0")[0] is LicenseClass.PUBLIC_DOMAIN
    assert classify("MPL-2.0")[0] is LicenseClass.WEAK_COPYLEFT_FILE
    assert classify("LGPL-2.1-only")[0] is LicenseClass.WEAK_COPYLEFT_LIBRARY
    assert classify("GPL-2.0-only")[0] is LicenseClass.STRONG_COPYLEFT
    assert classify("AGPL-3.0-or-later")[0] is LicenseClass.NETWORK_COPYLEFT
    assert classify("SSPL-1.0")[0] is LicenseClass.SOURCE_AVAILABLE
    assert classify("CC-BY-NC-4.0")[0] is LicenseClass.NON_COMMERCIAL
    assert classify("LicenseRef-scancode-commercial-license")[0] is LicenseClass.PROPRIETARY
    assert classify("LicenseRef-whatever")[0] is LicenseClass.UNKNOWN
    # every license ScanCode knows gets a class other than unknown unless ScanCode itself
    # has no category for it
    from ospo.licensedb import license_table

    table = license_table()
    unclassified = [
        i.key
        for i in table.by_key.values()
        if classify(i.spdx)[0] is LicenseClass.UNKNOWN
        and i.category not in ("Unstated License", "Patent License", "CLA")
    ]
    assert unclassified == []


def test_obligations_follow_the_licenses(judge: Judge) -> None:
    verdict = judge.judge("Apache-2.0", Context(profile=Profile.BINARY))
    obligations = judge.obligations(verdict)
    assert any("NOTICE" in o for o in obligations)
    assert any("license text" in o for o in obligations)


#: (expression, profile, a phrase one of its obligations holds, a phrase none may hold), why
OBLIGATION_ROWS = [
    # "All advertising materials mentioning features or use of this software must display
    # the following acknowledgement" (BSD-4-Clause clause 3; fsf: #OriginalBSD)
    ("BSD-4-Clause", Profile.BINARY, "advertising materials", None),
    ("BSD-4-Clause-UC", Profile.SAAS, "advertising materials", None),
    # the OpenSSL and SSLeay licenses carry the same clause (OpenSSL clause 3, SSLeay 3)
    ("OpenSSL", Profile.BINARY, "advertising materials", None),
    ("SSLeay-standalone", Profile.BINARY, "advertising materials", None),
    ("Apache-1.0", Profile.BINARY, "advertising materials", None),
    # Apache-1.1 clause 3: the acknowledgement goes in the end-user documentation
    ("Apache-1.1", Profile.BINARY, "end-user documentation", "advertising materials"),
    # a choice of MIT carries no advertising duty: only the elected license's obligations
    ("MIT OR BSD-4-Clause", Profile.BINARY, "NOTICE / attribution", "advertising materials"),
    ("BSD-4-Clause OR GPL-2.0-only", Profile.BINARY, "advertising materials", "source"),
    # Apache-2.0 s.4(d): the NOTICE file's attributions travel with the work
    ("Apache-2.0", Profile.SAAS, "NOTICE file contents", None),
    ("Apache-2.0 OR GPL-2.0-only", Profile.BINARY, "NOTICE file contents", "source"),
    ("MIT", Profile.BINARY, "NOTICE / attribution", "NOTICE file contents"),
    # CC BY-SA 4.0 s.3(b): adaptations under the same or a BY-SA compatible license
    ("CC-BY-SA-4.0", Profile.BINARY, "BY-SA compatible license", None),
    ("CC-BY-SA-3.0", Profile.BINARY, "BY-SA compatible license", None),
    # CC BY s.3(a): credit, a link to the license, and whether changes were made
    ("CC-BY-3.0", Profile.BINARY, "Give credit", None),
    # OFL-1.1 conditions 1 and 3: not sold by itself, Reserved Font Names kept off changes
    ("OFL-1.1", Profile.BINARY, "Reserved Font Name", None),
    ("OFL-1.1", Profile.BINARY, "sold by themselves", None),
    # ODbL-1.0 s.4.4: an adapted database used publicly stays under the ODbL
    ("ODbL-1.0", Profile.SAAS, "adapted database", None),
    # MPL-2.0 s.3.2: where the source of the covered files is available
    ("MPL-2.0", Profile.BINARY, "MPL-2.0 files", None),
    # "or later" of a license, ScanCode's name of it, or it with an exception: its duties
    ("Apache-2.0+", Profile.BINARY, "NOTICE file contents", None),
    ("LicenseRef-scancode-apache-2.0", Profile.BINARY, "NOTICE file contents", None),
    ("Apache-2.0 WITH LLVM-exception", Profile.BINARY, "NOTICE file contents", None),
    ("MPL-2.0+", Profile.BINARY, "MPL-2.0 files", None),
    ("LicenseRef-scancode-bsd-original", Profile.BINARY, "advertising materials", None),
    # a public-domain dedication asks nothing (CC0-1.0 s.2; Unlicense)
    ("CC0-1.0", Profile.BINARY, None, "license text"),
    ("Unlicense", Profile.BINARY, None, "license text"),
]


@pytest.mark.parametrize(("expression", "profile", "present", "absent"), OBLIGATION_ROWS)
def test_obligations_of_particular_licenses(
    judge: Judge, expression: str, profile: Profile, present: str | None, absent: str | None
) -> None:
    obligations = judge.obligations(judge.judge(expression, Context(profile=profile)))
    if present is not None:
        assert any(present in o for o in obligations), obligations
    if absent is not None:
        assert not any(absent in o for o in obligations), obligations


@pytest.mark.parametrize(
    ("expression", "profile", "elected", "choices"),
    [
        # legal: the recipient of a dual-licensed part may take either license (the OR);
        # the recorded election is what the NOTICE attributes, so no unelected license
        # may remain in it, at any depth
        ("Apache-2.0 AND (MIT OR GPL-2.0-only)", Profile.BINARY, "Apache-2.0 AND MIT", 1),
        ("(MIT OR GPL-2.0-only) AND Apache-2.0", Profile.BINARY, "MIT AND Apache-2.0", 1),
        (
            "(MIT OR GPL-2.0-only) AND (BSD-3-Clause OR GPL-3.0-only) AND Zlib",
            Profile.BINARY,
            "MIT AND BSD-3-Clause AND Zlib",
            2,
        ),
        ("GPL-3.0-only AND (MIT OR Apache-2.0)", Profile.SAAS, "GPL-3.0-only AND MIT", 1),
        (
            "(Apache-2.0 AND (MIT OR GPL-2.0-only)) OR AGPL-3.0-only",
            Profile.BINARY,
            "Apache-2.0 AND MIT",
            2,
        ),
        (
            "Zlib AND (GPL-2.0-only OR (BSD-2-Clause AND (ISC OR GPL-3.0-only)))",
            Profile.BINARY,
            "Zlib AND BSD-2-Clause AND ISC",
            2,
        ),
        ("(MIT OR Apache-2.0) AND (MIT OR BSD-3-Clause)", Profile.BINARY, "MIT", 2),
    ],
)
def test_every_choice_inside_an_and_is_recorded(
    judge: Judge, expression: str, profile: Profile, elected: str, choices: int
) -> None:
    verdict = judge.judge(expression, Context(profile=profile))
    assert verdict.elected == elected
    assert " OR " not in verdict.elected
    # the reasons say which choice was made where: one line per choice
    assert sum(r.startswith("elected ") for r in verdict.reasons) == choices, verdict.reasons
    # the election is judged as the expression was
    assert judge.judge(elected, Context(profile=profile)).outcome is verdict.outcome


@pytest.mark.parametrize(
    ("expression", "profile", "elected"),
    [
        # between two permissive licenses, the one without the advertising clause: every
        # advertisement would otherwise carry the acknowledgement (BSD-4-Clause clause 3;
        # fsf: #OriginalBSD), and it is GPL-incompatible where MIT is not
        ("BSD-4-Clause OR MIT", Profile.BINARY, "MIT"),
        ("OpenSSL OR Apache-2.0", Profile.BINARY, "Apache-2.0"),
        ("SSLeay-standalone OR BSD-3-Clause", Profile.SAAS, "BSD-3-Clause"),
        ("Apache-1.0 OR Apache-2.0", Profile.BINARY, "Apache-2.0"),
        ("(BSD-4-Clause OR ISC) AND Zlib", Profile.BINARY, "ISC AND Zlib"),
        # ... unless the other alternative is worse for the profile: class decides first
        ("BSD-4-Clause OR GPL-2.0-only", Profile.BINARY, "BSD-4-Clause"),
        ("BSD-4-Clause OR MPL-2.0", Profile.BINARY, "BSD-4-Clause"),
        # elsewhere the order written stands (cryptography's Apache-2.0 OR BSD-3-Clause)
        ("Apache-2.0 OR BSD-3-Clause", Profile.BINARY, "Apache-2.0"),
        ("MIT OR Apache-2.0", Profile.BINARY, "MIT"),
    ],
)
def test_an_election_avoids_the_advertising_clause(
    judge: Judge, expression: str, profile: Profile, elected: str
) -> None:
    verdict = judge.judge(expression, Context(profile=profile))
    assert verdict.elected == elected, verdict.reasons
    # the obligations listed are the elected license's: the advertising duty only with it
    obligations = judge.obligations(verdict)
    advertises = any(name in elected for name in ("BSD-4", "OpenSSL", "SSLeay", "Apache-1.0"))
    assert any("advertising" in o for o in obligations) is advertises, obligations


def test_an_organisation_s_lists_name_licenses_as_spdx_does(tmp_path: Path) -> None:
    """A policy that names a license by a deprecated or lower-case id names that license
    (SPDX spec Annex D.1): its override and lists hold for the current id."""
    org = tmp_path / "org.yml"
    org.write_text(
        "version: 1\nextends: default\nlicenses:\n"
        "  derive:\n    network: [AGPL-3.0, agpl-3.0-or-later, OSL-3.0]\n"
        "    library_level: [LGPL-2.1, LGPL-2.1+, lgpl-3.0-only]\n"
        "  overrides:\n    GPL-2.0+: proprietary\n    mpl-2.0: permissive\n",
        encoding="utf-8",
    )
    judge = Judge(load_policy(org))
    saas, static = (
        Context(profile=Profile.SAAS),
        Context(profile=Profile.BINARY, linkage=Linkage.STATIC),
    )
    for agpl in ("AGPL-3.0-only", "AGPL-3.0-or-later", "AGPL-3.0"):
        assert judge.judge(agpl, saas).outcome is DENY, agpl
    for lgpl in ("LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only"):
        assert judge.judge(lgpl, static).licenses[0][1] is LicenseClass.WEAK_COPYLEFT_LIBRARY
    assert judge.judge("GPL-2.0-or-later", saas).licenses[0][1] is LicenseClass.PROPRIETARY
    assert judge.judge("GPL-2.0-only", saas).licenses[0][1] is LicenseClass.STRONG_COPYLEFT
    assert judge.judge("MPL-2.0", static).licenses[0][1] is LicenseClass.PERMISSIVE


def test_no_choice_no_election(judge: Judge) -> None:
    for expression in ("MIT AND Zlib", "GPL-2.0-only WITH Classpath-exception-2.0", "MIT"):
        assert judge.judge(expression, Context(profile=Profile.BINARY)).elected is None


def test_how_to_fix_names_only_commands_that_exist() -> None:
    from ospo.cli import COMMANDS
    from ospo.policy.rules.licenses import _how_to_fix

    for outcome in Outcome:
        text = _how_to_fix(outcome, (("MIT", LicenseClass.PERMISSIVE),), Linkage.DYNAMIC, True)
        for command in re.findall(r"`ospo (\w[\w-]*)", text):
            assert command in COMMANDS, text
