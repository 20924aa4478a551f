# SPDX-License-Identifier: Apache-2.0
"""Every registered scanner and reporter works on a real tree."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ospo.api import CheckSettings, ScanSettings, check_inventory, scan_tree
from ospo.policy import load_policy
from ospo.policy.judge import Judge
from ospo.policy.model import Profile
from ospo.policy.rules import RULES, RuleContext
from ospo.reporters import CHECK_FORMATS, REPORTERS, RenderOptions
from ospo.scanners import SCANNERS
from ospo.scanners.base import ScanRequest


def test_every_scanner_contributes(vendored_app: Path) -> None:
    assert SCANNERS
    for name, scanner_type in SCANNERS.items():
        contribution = scanner_type().scan(ScanRequest(root=vendored_app))
        assert contribution.files or contribution.components, name
        assert scanner_type.name == name


def test_every_reporter_renders(vendored_app: Path) -> None:
    scanned = scan_tree(vendored_app, ScanSettings()).inventory
    inventory = check_inventory(scanned, CheckSettings(), root=vendored_app)
    assert set(REPORTERS) == {
        "inventory",
        "cyclonedx",
        "summary",
        "check-text",
        "check-json",
        "sarif",
        "junit",
        "markdown",
    }
    assert set(CHECK_FORMATS.values()) <= set(REPORTERS)
    for name, reporter_type in REPORTERS.items():
        text = reporter_type().render(inventory, RenderOptions())
        assert text.endswith("\n"), name
        assert "is-number" in text, name


def test_every_rule_runs_and_documents_its_ids(vendored_app: Path) -> None:
    inventory = scan_tree(vendored_app, ScanSettings()).inventory
    policy = load_policy()
    ctx = RuleContext(
        inventory=inventory,
        policy=policy,
        judge=Judge(policy),
        profile=Profile.SOURCE,
        today=date(2026, 1, 1),
    )
    assert RULES
    for name, rule_type in RULES.items():
        assert rule_type.name == name
        documented = {d.rule for d in rule_type.docs}
        for finding in rule_type().evaluate(ctx):
            assert finding.rule in documented, (name, finding.rule)
            assert finding.how_to_fix
