# SPDX-License-Identifier: Apache-2.0
"""The gate: which findings count against ``--fail-on``, from the engine and every reporter.

Each case judges one real component with the shipped policy and a real waivers file, and
checks the engine's verdict, the JSON, text, Markdown, JUnit and SARIF results against the
rule as written in docs/policy.md ("The gate"), stated independently below.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from ospo.evaluation import BaselineStatus, GateVerdict, Severity
from ospo.model import Component, Inventory, LicenseEvidence, LicenseSource, Subject
from ospo.policy import evaluate, load_policy, load_waivers
from ospo.reporters import REPORTERS, RenderOptions

TODAY = date(2026, 11, 22)

#: A license the shipped policy judges at each severity, and the rule id it reports under.
LICENSES = {
    Severity.ERROR: ("GPL-3.0-only", "license/denied"),
    Severity.WARNING: ("LGPL-2.1-only", "license/review"),
    Severity.INFO: ("MIT", "license/obligations"),
}
#: none, an approval, an approval that has expired, a denial.
DECISIONS = ("none", "approve", "expired", "deny")
#: no baseline, a baseline that had the finding already, a baseline without it.
BASELINES = ("none", "known", "new")

CASES = list(
    itertools.product(
        LICENSES, (Severity.ERROR, Severity.WARNING), DECISIONS, BASELINES, (False, True)
    )
)


def _inventory(expression: str | None) -> Inventory:
    components = ()
    if expression is not None:
        components = (
            Component(
                purl="pkg:npm/lib@1.0.0",
                name="lib",
                version="1.0.0",
                license_expression=expression,
                licenses=(
                    LicenseEvidence(
                        expression=expression,
                        source=LicenseSource.DECLARED,
                        location="package-lock.json",
                    ),
                ),
            ),
        )
    return Inventory(
        subject=Subject(name="product", declared_license="LicenseRef-Acme-Proprietary"),
        components=components,
    )


def _waivers(tmp_path: Path, rule: str, decision: str) -> Path:
    path = tmp_path / "waivers.yml"
    entries = "  []\n"
    if decision != "none":
        entries = (
            f"  - rule: {rule}\n    component: pkg:npm/lib\n"
            f"    decision: {'deny' if decision == 'deny' else 'approve'}\n"
            "    reason: decided\n    approver: Jane Counsel\n    role: legal\n"
            "    date: 2026-01-10\n"
            + ("    expires: 2026-06-30\n" if decision == "expired" else "")
        )
    path.write_text("version: 1\nwaivers:\n" + entries, encoding="utf-8")
    return path


def _expected(
    severity: Severity, fail_on: Severity, decision: str, baseline: str, only_new: bool
) -> tuple[bool, bool]:
    """Whether the component's finding counts, and whether the waiver's own finding does."""
    effective = Severity.ERROR if decision == "deny" else severity
    waived = decision == "approve"
    unchanged = baseline == "known"
    ranks = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
    finding_counts = (
        not waived and ranks[effective] >= ranks[fail_on] and not (only_new and unchanged)
    )
    # An expired decision is itself a warning, and never in a baseline judged without waivers.
    waiver_counts = decision == "expired" and fail_on is Severity.WARNING
    return finding_counts, waiver_counts


def _render(name: str, inventory: Inventory) -> str:
    return REPORTERS[name]().render(inventory, RenderOptions())


@pytest.mark.parametrize(("severity", "fail_on", "decision", "baseline", "only_new"), CASES)
def test_engine_and_reporters_apply_one_gate_rule(
    tmp_path: Path,
    severity: Severity,
    fail_on: Severity,
    decision: str,
    baseline: str,
    only_new: bool,
) -> None:
    expression, rule = LICENSES[severity]
    inventory = _inventory(expression)
    judged = evaluate(
        inventory,
        load_policy(),
        waivers=load_waivers(_waivers(tmp_path, rule, decision)),
        baseline={"none": None, "known": inventory, "new": _inventory(None)}[baseline],
        fail_on=fail_on,
        only_new=only_new,
        today=TODAY,
    )
    ev = judged.evaluation
    assert ev is not None
    finding_counts, waiver_counts = _expected(severity, fail_on, decision, baseline, only_new)
    expected_failing = int(finding_counts) + int(waiver_counts)
    verdict = GateVerdict.FAIL if expected_failing else GateVerdict.PASS

    (finding,) = [f for f in ev.findings if f.rule == rule]
    assert finding.waived is (decision == "approve")
    assert (
        finding.status
        == {
            "none": None,
            "known": BaselineStatus.UNCHANGED,
            "new": BaselineStatus.NEW,
        }[baseline]
    )
    assert ev.counts(finding) is finding_counts
    assert len(ev.failing) == expected_failing
    assert ev.verdict is verdict

    data = json.loads(_render("check-json", judged))
    assert (data["verdict"], data["counts"]["failing"]) == (verdict.value, expected_failing)

    text = _render("check-text", judged).splitlines()
    assert text[0].startswith(f"product: {verdict.value.upper()} — ")
    verb = "counts" if expected_failing == 1 else "count"
    assert f"; {expected_failing} {verb} against the gate" in text[1]
    marks = [line.split()[0] for line in text if line.startswith(f"  ✗ {rule}")]
    assert marks == (["✗"] if finding_counts else [])

    markdown = _render("markdown", judged)
    assert markdown.startswith(f"### {'❌' if expected_failing else '✅'} ospo: {verdict.value}")
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "`" in line]
    assert sum(f"`{rule}`" in row for row in rows) == int(finding_counts)
    assert len(rows) == expected_failing

    suite = ET.fromstring(_render("junit", judged))
    assert suite.get("failures") == str(expected_failing)
    (case,) = [c for c in suite.iter("testcase") if c.get("classname") == rule]
    assert (case.find("failure") is not None) is finding_counts

    sarif = json.loads(_render("sarif", judged))
    assert sarif["runs"][0]["properties"]["verdict"] == verdict.value


def test_a_finding_at_the_threshold_counts_and_one_below_does_not() -> None:
    judged = evaluate(_inventory("LGPL-2.1-only"), load_policy(), today=TODAY)
    assert judged.evaluation is not None
    on_warning = replace(judged.evaluation, fail_on=Severity.WARNING)
    on_error = replace(judged.evaluation, fail_on=Severity.ERROR)
    (finding,) = on_warning.findings
    assert finding.severity is Severity.WARNING
    assert on_warning.counts(finding) and on_warning.verdict is GateVerdict.FAIL
    assert on_warning.failing == (finding,)
    assert not on_error.counts(finding) and on_error.verdict is GateVerdict.PASS
    assert on_error.failing == ()
