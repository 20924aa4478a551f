# SPDX-License-Identifier: Apache-2.0
"""Loading policies, every rule family, waivers with expiry, and baselines."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ospo.errors import ConfigError
from ospo.evaluation import Finding, Severity
from ospo.model import (
    Component,
    CopyrightStatement,
    FileEntry,
    Inventory,
    LicenseEvidence,
    LicenseMatch,
    LicenseReference,
    LicenseSource,
    Scope,
    Subject,
)
from ospo.policy import evaluate, load_policy, load_waivers
from ospo.policy.model import Profile
from ospo.policy.rules import RULES, rule_docs

TODAY = date(2026, 11, 22)


def _component(name: str, version: str, expression: str | None, **kw: object) -> Component:
    return Component(
        purl=f"pkg:npm/{name}@{version}",
        name=name,
        version=version,
        license_expression=expression,
        licenses=(
            LicenseEvidence(
                expression=expression, source=LicenseSource.DECLARED, location="package-lock.json"
            ),
        )
        if expression
        else (),
        **kw,  # type: ignore[arg-type]
    )


def _inventory(
    *components: Component,
    files: tuple[FileEntry, ...] = (),
    license: str | None = "LicenseRef-Acme-Proprietary",
) -> Inventory:
    return Inventory(
        subject=Subject(name="product", declared_license=license),
        components=components,
        files=files,
    )


def _rules(inv: Inventory, **kw: object) -> list[tuple[str, str | None, Severity]]:
    ev = evaluate(inv, load_policy(), today=TODAY, **kw).evaluation  # type: ignore[arg-type]
    assert ev is not None
    return [(f.rule, f.component or f.path, f.severity) for f in ev.findings]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- loading ------------------------------------------------------------------------------


def test_default_policy_loads_and_every_rule_is_documented() -> None:
    policy = load_policy()
    assert policy.name == "default"
    assert len(policy.digest) == 64
    docs = rule_docs()
    for rule in RULES.values():
        assert rule.docs, rule.name
    assert {
        "license/denied",
        "license/review",
        "file/license",
        "waiver/expired",
        "contribution/dco",
        "consumption/denied-package",
    } <= set(docs)


def test_an_org_policy_extends_and_overrides_the_default(tmp_path: Path) -> None:
    org = _write(
        tmp_path / "org.yml",
        (
            "version: 1\nname: acme\nextends: default\n"
            "profiles:\n  binary:\n    weak-copyleft-file: review\n"
            "licenses:\n  overrides:\n    LicenseRef-Acme-Proprietary: proprietary\n"
            "consumption:\n  deny:\n    - purl: pkg:npm/left-pad\n      reason: unpublished once\n"
        ),
    )
    policy = load_policy(org)
    assert policy.name == "acme"
    assert policy.data["profiles"]["binary"]["weak-copyleft-file"] == "review"
    assert policy.data["profiles"]["binary"]["strong-copyleft"] == "deny", "merged, not replaced"
    assert policy.sources[0].endswith("org.yml")
    inv = _inventory(
        _component("left-pad", "1.3.0", "WTFPL"), _component("mpl-thing", "1.0.0", "MPL-2.0")
    )
    ev = evaluate(inv, policy, today=TODAY).evaluation
    assert ev is not None
    found = {(f.rule, f.component) for f in ev.findings}
    assert ("consumption/denied-package", "pkg:npm/left-pad@1.3.0") in found
    assert ("license/review", "pkg:npm/mpl-thing@1.0.0") in found


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            "version: 1\nextends: default\nprofiles:\n  binary:\n    permisive: allow\n",
            "profiles.binary: Additional properties are not allowed ('permisive'",
            5,
        ),
        (
            "version: 1\nextends: default\nprofiles:\n  binary:\n    permissive: maybe\n",
            "profiles.binary.permissive",
            5,
        ),
        (
            "version: 1\nextends: default\nconsumption:\n  deny:\n    - purl: left-pad\n",
            "consumption.deny.0.purl",
            5,
        ),
        (
            "version: 1\nextends: default\ndefault_profile: [binary\n",
            "flow sequence started on line 3",
            4,
        ),
        ("version: 1\nextends: nowhere.yml\n", "no such policy file", None),
        ("version: 1\nname: empty\n", "policy has no 'licenses'", None),
    ],
)
def test_policy_errors_name_file_line_and_key(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = _write(tmp_path / "policy.yml", text)
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    if line is not None:
        assert info.value.line == line


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "a.yml", "version: 1\nextends: b.yml\n")
    _write(tmp_path / "b.yml", "version: 1\nextends: a.yml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_policy(tmp_path / "a.yml")


# --- rules ----------------------------------------------------------------------------------


def test_component_rules_by_scope() -> None:
    inv = _inventory(
        _component("gpl-lib", "1.0.0", "GPL-3.0-only"),
        _component("gpl-tool", "2.0.0", "GPL-3.0-only", scope=Scope.DEV),
        _component("mystery", "0.1.0", None, unknown_reason="lock file records no license"),
        _component("mystery-dev", "0.1.0", None, scope=Scope.TEST),
        _component("choice", "1.0.0", "MIT OR GPL-2.0-only"),
    )
    rules = set(_rules(inv))
    assert ("license/denied", "pkg:npm/gpl-lib@1.0.0", Severity.ERROR) in rules
    assert not any(c == "pkg:npm/gpl-tool@2.0.0" for _, c, _ in rules), "dev tools are relaxed"
    assert ("license/unknown", "pkg:npm/mystery@0.1.0", Severity.WARNING) in rules
    assert ("license/unknown", "pkg:npm/mystery-dev@0.1.0", Severity.WARNING) in rules
    assert ("license/obligations", "pkg:npm/choice@1.0.0", Severity.INFO) in rules


def test_every_finding_says_how_to_fix_it() -> None:
    inv = _inventory(
        _component("gpl-lib", "1.0.0", "GPL-3.0-only"),
        _component("lgpl", "1.0.0", "LGPL-2.1-only"),
        _component("mystery", "0.1.0", None),
    )
    ev = evaluate(inv, load_policy(), today=TODAY).evaluation
    assert ev is not None and ev.findings
    assert all(f.how_to_fix and f.message for f in ev.findings)
    lgpl = next(f for f in ev.findings if f.component == "pkg:npm/lgpl@1.0.0")
    assert lgpl.rule == "license/review", "npm is bundled (static) by default"
    assert "link the library dynamically" in lgpl.how_to_fix


def test_evidence_rules() -> None:
    mismatch = Component(
        purl="pkg:pypi/thing@1.0",
        name="thing",
        version="1.0",
        license_expression="MIT AND GPL-2.0-only",
        licenses=(
            LicenseEvidence(expression="MIT", source=LicenseSource.DECLARED, location="METADATA"),
            LicenseEvidence(
                expression="GPL-2.0-only", source=LicenseSource.DETECTED, location="thing/COPYING"
            ),
            LicenseEvidence(
                expression="BSD License",
                source=LicenseSource.DECLARED,
                location="classifier",
                valid=False,
                note="unknown license id",
            ),
        ),
    )
    rules = set(_rules(_inventory(mismatch)))
    assert ("license/mismatch", "pkg:pypi/thing@1.0", Severity.WARNING) in rules
    assert ("license/invalid", "pkg:pypi/thing@1.0", Severity.INFO) in rules
    assert ("license/denied", "pkg:pypi/thing@1.0", Severity.ERROR) in rules


def _file(
    path: str, expression: str, *, package: str | None = None, holders: tuple[str, ...] = ()
) -> FileEntry:
    return FileEntry(
        path=path,
        sha256="0" * 64,
        size=1,
        license_expression=expression,
        package=package,
        detections=(
            LicenseMatch(
                license_expression=expression,
                start_line=3,
                end_line=3,
                score=100.0,
                matcher="1-spdx-id",
                rule="r",
                scancode_expression="x",
            ),
        ),
        holders=holders,
        copyrights=tuple(
            CopyrightStatement(statement=f"Copyright {h}", start_line=1, end_line=1)
            for h in holders
        ),
    )


def test_first_party_files_under_another_license() -> None:
    inv = _inventory(
        files=(
            _file("src/ok.c", "LicenseRef-Acme-Proprietary"),
            _file("src/copied.c", "GPL-2.0-or-later"),
            _file("src/helper.c", "MIT"),
            _file("src/notes.txt", "LicenseRef-scancode-unknown-license-reference"),
            _file("vendor/x/y.c", "GPL-2.0-only", package="pkg:generic/x"),
        )
    )
    inv = replace(inv, subject=replace(inv.subject, declared_license="LicenseRef-Acme-Proprietary"))
    ev = evaluate(inv, load_policy(), today=TODAY).evaluation
    assert ev is not None
    by_path = {f.path: f for f in ev.findings if f.path}
    assert by_path["src/copied.c"].rule == "file/license"
    assert by_path["src/copied.c"].severity is Severity.ERROR
    assert by_path["src/copied.c"].line == 3
    assert by_path["src/helper.c"].severity is Severity.INFO
    assert by_path["src/notes.txt"].rule == "license/unknown-reference"
    assert "src/ok.c" not in by_path
    assert "vendor/x/y.c" not in by_path, "vendored files are judged through their component"
    assert by_path["src/copied.c"].message.startswith(
        "src/copied.c is under GPL-2.0-or-later, not the product's license "
        "LicenseRef-Acme-Proprietary: "
    )
    # a product that declares no license: the message says so instead of naming one
    bare = evaluate(
        replace(inv, subject=replace(inv.subject, declared_license=None)),
        load_policy(),
        today=TODAY,
    ).evaluation
    assert bare is not None
    copied = next(f for f in bare.findings if f.path == "src/copied.c")
    assert copied.message.startswith(
        "src/copied.c is under GPL-2.0-or-later (the product declares no license): "
    )


def test_consumption_rules_with_version_ranges(tmp_path: Path) -> None:
    org = _write(
        tmp_path / "org.yml",
        (
            "version: 1\nextends: default\nconsumption:\n"
            "  deny:\n    - purl: pkg:npm/event-stream\n      versions: vers:npm/3.3.6\n"
            "      reason: compromised release\n"
            "  review:\n    - purl: pkg:npm/request\n      reason: deprecated\n"
            "  review_new_dependencies: true\n"
        ),
    )
    policy = load_policy(org)
    now = _inventory(
        _component("event-stream", "3.3.6", "MIT"),
        _component("event-stream-ok", "4.0.0", "MIT"),
        _component("request", "2.88.2", "Apache-2.0"),
        _component("new-thing", "1.0.0", "MIT"),
    )
    before = _inventory(_component("request", "2.88.0", "Apache-2.0"))
    ev = evaluate(now, policy, baseline=before, today=TODAY).evaluation
    assert ev is not None
    found = {(f.rule, f.component) for f in ev.findings}
    assert ("consumption/denied-package", "pkg:npm/event-stream@3.3.6") in found
    assert ("consumption/review-package", "pkg:npm/request@2.88.2") in found
    assert ("consumption/new-dependency", "pkg:npm/new-thing@1.0.0") in found
    assert ("consumption/new-dependency", "pkg:npm/request@2.88.2") not in found
    safe = evaluate(
        _inventory(_component("event-stream", "4.0.1", "MIT")), policy, today=TODAY
    ).evaluation
    assert safe is not None
    assert not any(f.rule == "consumption/denied-package" for f in safe.findings)


def test_contribution_rules_for_the_source_profile(tmp_path: Path) -> None:
    org = _write(
        tmp_path / "org.yml",
        (
            "version: 1\nextends: default\ncontribution:\n  copyright_holder: Acme Corporation\n"
            "  spdx_headers:\n    min_coverage: 0.9\n    extensions: [.py]\n"
        ),
    )
    files = (
        _file("LICENSE", "Apache-2.0"),
        _file("README.md", "Apache-2.0"),
        _file(".github/SECURITY.md", "Apache-2.0"),
        _file("src/a.py", "Apache-2.0", holders=("Acme Corporation",)),
        _file("src/b.py", "Apache-2.0", holders=("Someone Else",)),
        replace(_file("src/c.py", "Apache-2.0"), detections=(), license_expression=None),
    )
    inv = replace(
        _inventory(files=files, license="Apache-2.0"),
        subject=Subject(name="p", declared_license="Apache-2.0", profile="source"),
    )
    ev = evaluate(inv, load_policy(org), today=TODAY).evaluation
    assert ev is not None
    found = {(f.rule, f.path) for f in ev.findings}
    assert ("contribution/missing-file", "CONTRIBUTING") in found
    assert ("contribution/missing-file", "CODE_OF_CONDUCT") in found
    assert ("contribution/missing-file", "SECURITY") not in found, ".github/ counts"
    assert ("contribution/missing-file", "LICENSE") not in found
    assert ("contribution/copyright-holder", "src/b.py") in found
    assert ("contribution/spdx-headers", None) in found
    assert not any(r == "contribution/outbound-license" for r, _ in found)
    gpl = replace(inv, subject=replace(inv.subject, declared_license="GPL-3.0-only"))
    ev2 = evaluate(gpl, load_policy(org), today=TODAY).evaluation
    assert ev2 is not None
    assert any(f.rule == "contribution/outbound-license" for f in ev2.findings)
    # not published: the contribution rules do not apply
    binary = evaluate(inv, load_policy(org), profile=Profile.BINARY, today=TODAY).evaluation
    assert binary is not None
    assert not any(f.rule.startswith("contribution/") for f in binary.findings)


def test_dco_sign_off_on_real_commits(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@x", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (repo / "a").write_text("1", encoding="utf-8")
    git("add", "a")
    git("commit", "-q", "-m", "first")
    (repo / "a").write_text("2", encoding="utf-8")
    git("commit", "-q", "-a", "-s", "-m", "signed")
    (repo / "a").write_text("3", encoding="utf-8")
    git("commit", "-q", "-a", "-m", "unsigned")
    org = _write(tmp_path / "org.yml", "version: 1\nextends: default\ncontribution:\n  dco: true\n")
    inv = Inventory(subject=Subject(name="p", declared_license="Apache-2.0", profile="source"))
    ev = evaluate(inv, load_policy(org), today=TODAY, root=repo, commits="HEAD~2..HEAD").evaluation
    assert ev is not None
    dco = [f for f in ev.findings if f.rule == "contribution/dco"]
    assert len(dco) == 1
    assert "(unsigned)" in dco[0].message


# --- waivers and baselines ------------------------------------------------------------------


def _waivers(tmp_path: Path, body: str) -> Path:
    return _write(tmp_path / "waivers.yml", "version: 1\nwaivers:\n" + body)


def test_waivers_match_structurally_expire_and_report_unused(tmp_path: Path) -> None:
    path = _waivers(
        tmp_path,
        (
            "  - rule: license/denied\n    component: pkg:npm/gpl-lib\n    decision: approve\n"
            "    reason: dual-licensed to us commercially\n    approver: Jane Counsel\n"
            "    role: legal\n    ticket: OSRB-1\n    date: 2026-01-10\n    expires: 2026-12-31\n"
            "  - rule: license/review\n    component: pkg:npm/lgpl\n    decision: approve\n"
            "    reason: linked dynamically in practice\n    approver: Ed Eng\n"
            "    role: engineering\n    date: 2025-01-01\n    expires: 2025-12-31\n"
            "  - rule: license/denied\n    component: pkg:npm/long-gone\n    decision: approve\n"
            "    reason: old\n    approver: A\n    role: osrb\n    date: 2024-01-01\n"
            "  - rule: license/obligations\n    license: MIT\n    decision: deny\n"
            "    reason: no MIT here\n    approver: B\n    role: compliance\n    date: 2026-01-01\n"
            "    path: nothing\n"
        ),
    )
    waivers = load_waivers(path)
    assert waivers[0].source == f"{path}:3"
    inv = _inventory(
        _component("gpl-lib", "1.0.0", "GPL-3.0-only"),
        _component("lgpl", "1.0.0", "LGPL-2.1-only"),
        _component("mit-lib", "1.0.0", "MIT"),
    )
    ev = evaluate(inv, load_policy(), waivers=waivers, today=TODAY).evaluation
    assert ev is not None
    by = {(f.rule, f.component): f for f in ev.findings}
    gpl = by[("license/denied", "pkg:npm/gpl-lib@1.0.0")]
    assert gpl.waived and gpl.waiver is not None and gpl.waiver.ticket == "OSRB-1"
    lgpl = by[("license/review", "pkg:npm/lgpl@1.0.0")]
    assert not lgpl.waived, "an expired waiver covers nothing"
    assert ("waiver/expired", "pkg:npm/lgpl") in by
    assert ("waiver/unused", "pkg:npm/long-gone") in by
    assert ev.verdict == "fail"
    # message text plays no part in matching; an unrelated component is not covered
    other = evaluate(
        _inventory(_component("gpl-other", "1.0.0", "GPL-3.0-only")),
        load_policy(),
        waivers=waivers,
        today=TODAY,
    ).evaluation
    assert other is not None
    assert not any(f.waived for f in other.findings)
    # A commit's check (partial) cannot tell a waiver is unused, and an expired decision
    # on something the commit does not hold is not its business: only lgpl's is reported.
    commit = evaluate(inv, load_policy(), waivers=waivers, today=TODAY, partial=True).evaluation
    assert commit is not None
    waiver_findings = {
        (f.rule, f.component) for f in commit.findings if f.rule.startswith("waiver/")
    }
    assert waiver_findings == {("waiver/expired", "pkg:npm/lgpl")}
    lone = evaluate(
        _inventory(_component("mit-lib", "1.0.0", "MIT")),
        load_policy(),
        waivers=waivers,
        today=TODAY,
        partial=True,
    ).evaluation
    assert lone is not None
    assert not [f for f in lone.findings if f.rule.startswith("waiver/")]


def test_deny_decision_makes_a_review_an_error(tmp_path: Path) -> None:
    path = _waivers(
        tmp_path,
        (
            "  - rule: license/review\n    component: pkg:npm/lgpl\n    decision: deny\n"
            "    reason: static linking is not acceptable here\n    approver: Jane\n"
            "    role: legal\n    date: 2026-01-10\n"
        ),
    )
    ev = evaluate(
        _inventory(_component("lgpl", "1.0.0", "LGPL-2.1-only")),
        load_policy(),
        waivers=load_waivers(path),
        today=TODAY,
    ).evaluation
    assert ev is not None
    finding = next(f for f in ev.findings if f.rule == "license/review")
    assert finding.severity is Severity.ERROR
    assert "denied by OSRB decision" in finding.message


def test_version_range_waivers(tmp_path: Path) -> None:
    path = _waivers(
        tmp_path,
        (
            "  - rule: license/denied\n    component: pkg:npm/gpl-lib\n"
            "    versions: vers:npm/>=1.0.0|<2.0.0\n    decision: approve\n    reason: r\n"
            "    approver: A\n    role: legal\n    date: 2026-01-01\n"
        ),
    )
    waivers = load_waivers(path)
    inv = _inventory(
        _component("gpl-lib", "1.5.0", "GPL-3.0-only"),
        replace(_component("gpl-lib", "2.0.0", "GPL-3.0-only"), purl="pkg:npm/gpl-lib@2.0.0"),
    )
    ev = evaluate(inv, load_policy(), waivers=waivers, today=TODAY).evaluation
    assert ev is not None
    waived = {f.component: f.waived for f in ev.findings if f.rule == "license/denied"}
    assert waived == {"pkg:npm/gpl-lib@1.5.0": True, "pkg:npm/gpl-lib@2.0.0": False}


def test_bad_waivers_file(tmp_path: Path) -> None:
    path = _waivers(tmp_path, "  - rule: license/denied\n    decision: approve\n")
    with pytest.raises(ConfigError) as info:
        load_waivers(path)
    assert str(path) in str(info.value)
    assert info.value.line == 3


def test_baseline_marks_new_and_unchanged_and_only_new_gates() -> None:
    before = _inventory(_component("gpl-lib", "1.0.0", "GPL-3.0-only"))
    now = _inventory(
        _component("gpl-lib", "1.1.0", "GPL-3.0-only"),
        _component("agpl", "1.0.0", "AGPL-3.0-only"),
        _component("gone-ok", "1.0.0", "MIT"),
    )
    gone = _inventory(_component("old-review", "1.0.0", "LGPL-2.1-only"))
    ev = evaluate(now, load_policy(), baseline=before, today=TODAY).evaluation
    assert ev is not None
    status = {f.component: f.status for f in ev.findings}
    assert status["pkg:npm/gpl-lib@1.1.0"] == "unchanged", "same package, new version"
    assert status["pkg:npm/agpl@1.0.0"] == "new"
    only_new = evaluate(
        before, load_policy(), baseline=before, only_new=True, today=TODAY
    ).evaluation
    assert only_new is not None and only_new.verdict == "pass"
    full = evaluate(before, load_policy(), today=TODAY).evaluation
    assert full is not None and full.verdict == "fail"
    resolved = evaluate(before, load_policy(), baseline=gone, today=TODAY).evaluation
    assert resolved is not None
    assert [f.component for f in resolved.resolved] == ["pkg:npm/old-review@1.0.0"]


def test_fail_on_error_ignores_warnings() -> None:
    inv = _inventory(_component("lgpl", "1.0.0", "LGPL-2.1-only"))
    warn = evaluate(inv, load_policy(), today=TODAY).evaluation
    err = evaluate(inv, load_policy(), fail_on=Severity.ERROR, today=TODAY).evaluation
    assert warn is not None and err is not None
    assert (warn.verdict, err.verdict) == ("fail", "pass")


def test_finding_identity_ignores_versions_and_messages() -> None:
    a = Finding(
        rule="license/denied",
        severity=Severity.ERROR,
        message="m1",
        how_to_fix="f",
        component="pkg:npm/x@1.0.0",
        license="GPL-3.0-only",
    )
    b = replace(a, message="m2", component="pkg:npm/x@2.0.0")
    assert a.key() == b.key()


def test_ten_thousand_components_are_judged(tmp_path: Path) -> None:
    expressions = [
        "MIT",
        "Apache-2.0 OR MIT",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "LGPL-2.1-or-later",
        "BSD-3-Clause AND MIT",
        "MPL-2.0 OR GPL-3.0-only",
        "ISC",
        "CC0-1.0",
        None,
    ]
    comps = tuple(
        _component(f"p{i}", "1.0.0", expressions[i % len(expressions)]) for i in range(10_000)
    )
    ev = evaluate(_inventory(*comps), load_policy(), today=TODAY).evaluation
    assert ev is not None
    # every component gets its finding, except public domain ones (simply allowed)
    expected = sum(1 for i in range(10_000) if expressions[i % len(expressions)] != "CC0-1.0")
    assert len([f for f in ev.findings if f.component]) == expected


def test_files_are_judged_with_their_references_followed() -> None:
    """A file that says "see LICENSE" is judged by what the reference led to; only a
    reference that led to no license is a finding, naming the file looked for."""
    unknown = "LicenseRef-scancode-unknown-license-reference"
    found = LicenseReference(names=("LICENSE",), followed=("LICENSE",), license_expression="MIT")
    gpl = LicenseReference(
        names=("COPYING",), followed=("COPYING",), license_expression="GPL-2.0-only"
    )
    missing = LicenseReference(names=("COPYING",), license_expression=unknown)
    loop = LicenseReference(
        names=("LICENSE.txt",), followed=("LICENSE.txt",), license_expression=unknown
    )
    inv = _inventory(
        files=(
            replace(_file("README.md", unknown), reference=found),
            replace(_file("src/gpl/README", unknown), reference=gpl),
            replace(_file("docs/NOTES.txt", unknown), reference=missing),
            replace(_file("COPYING", unknown), reference=loop),
            _file("src/notes.txt", unknown),
        )
    )
    inv = replace(inv, subject=replace(inv.subject, declared_license="MIT"))
    ev = evaluate(inv, load_policy(), today=TODAY).evaluation
    assert ev is not None
    by_path = {f.path: f for f in ev.findings if f.path}
    assert "README.md" not in by_path, "the reference led to the product's license"
    assert by_path["src/gpl/README"].rule == "file/license"
    assert by_path["src/gpl/README"].license == "GPL-2.0-only"
    notes = by_path["docs/NOTES.txt"]
    assert notes.rule == "license/unknown-reference"
    assert "COPYING" in notes.message and "docs/" in notes.message
    assert "COPYING" in notes.how_to_fix
    assert "LICENSE.txt" in by_path["COPYING"].message
    assert "still names no license" in by_path["COPYING"].message
    # a file without the step's record (an inventory of an earlier version) is as before
    assert (
        by_path["src/notes.txt"].message
        == "src/notes.txt mentions a license ScanCode cannot identify"
    )


def test_the_shipped_policy_names_only_licenses_spdx_or_scancode_knows() -> None:
    """Loading skips the check for the shipped default policy (it is the same every run):
    this test makes it once."""
    from ospo.documents import load_yaml
    from ospo.policy.loader import _check_license_names, default_policy_path

    path = default_policy_path()
    _check_license_names(load_yaml(path, "policy.schema.json"), path)
