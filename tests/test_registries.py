# SPDX-License-Identifier: Apache-2.0
"""Every registered scanner and reporter works on a real tree."""

from __future__ import annotations

import shutil
import sys
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


def test_every_scanner_contributes(vendored_app: Path, tmp_path: Path) -> None:
    """Each scanner finds something in a tree of the kind it reads."""
    from ospo.scanners.environments import NodeModulesScanner, PythonEnvironmentScanner
    from ospo.scanners.manifests import ManifestScanner

    locks = Path(__file__).parent / "data" / "lockfiles"
    projects = tmp_path / "projects"
    for source in (
        "npm",
        "yarn-classic",
        "pnpm",
        "uv",
        "poetry",
        "pipenv",
        "uv-export",
        "pip-tools",
    ):
        shutil.copytree(locks / source, projects / source)
    (projects / "solo").mkdir()
    shutil.copyfile(locks / "npm" / "package.json", projects / "solo" / "package.json")
    shutil.copyfile(locks / "uv" / "pyproject.toml", projects / "solo" / "pyproject.toml")
    modules = tmp_path / "node_modules"
    shutil.copytree(
        Path(__file__).parent / "data" / "vendored" / "is-number", modules / "is-number"
    )
    envs = (Path(sys.prefix), modules)
    sbom = Path(__file__).parent / "data" / "sbom" / "cyclonedx-py-flask-requests.cdx.json"
    assert SCANNERS
    for name, scanner_type in SCANNERS.items():
        root = projects if issubclass(scanner_type, ManifestScanner) else vendored_app
        request = ScanRequest(root=root, envs=envs, import_sboms=(sbom,))
        contribution = scanner_type().scan(request)
        assert contribution.files or contribution.components, name
        assert scanner_type.name == name
    assert {PythonEnvironmentScanner.name, NodeModulesScanner.name} <= set(SCANNERS)


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
