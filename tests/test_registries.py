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
    from ospo.scanners.environments.node import NodeModulesScanner
    from ospo.scanners.environments.python import PythonEnvironmentScanner
    from ospo.scanners.lockfiles.base import ManifestScanner

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
        "go-old",
        "cargo",
        "maven",
        "bundler",
        "composer",
        "nuget-multi",
    ):
        shutil.copytree(locks / source, projects / source)
    (projects / "solo").mkdir()
    shutil.copyfile(locks / "npm" / "package.json", projects / "solo" / "package.json")
    shutil.copyfile(locks / "uv" / "pyproject.toml", projects / "solo" / "pyproject.toml")
    shutil.copyfile(locks / "composer" / "composer.json", projects / "solo" / "composer.json")
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
        "cyclonedx-xml",
        "spdx",
        "summary",
        "check-text",
        "check-json",
        "sarif",
        "junit",
        "markdown",
    }
    assert set(CHECK_FORMATS.values()) <= set(REPORTERS)
    for name, reporter_type in REPORTERS.items():
        assert reporter_type.name == name
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


def test_every_manifest_scanner_names_the_files_it_reads() -> None:
    """``file_names`` is the filter a scan applies before asking ``wants``: every file a
    scanner wants must match it, or that file would never be read."""
    from fnmatch import fnmatchcase

    from ospo.scanners.lockfiles.base import ManifestScanner

    locks = Path(__file__).parent / "data" / "lockfiles"
    files = [p.relative_to(locks).as_posix() for p in locks.rglob("*") if p.is_file()]
    files += ["requirements/base.txt", "dev-requirements.txt", "packages.App.lock.json"]
    # manifests read only where no lock file lies beside them
    files += [
        f"solo/{n}"
        for n in ("pyproject.toml", "Pipfile", "package.json", "Cargo.toml", "composer.json")
    ]
    by_dir: dict[str, set[str]] = {}
    for rel in files:
        parent, _, name = rel.rpartition("/")
        by_dir.setdefault(parent, set()).add(name)
    manifest_scanners = [s for s in SCANNERS.values() if issubclass(s, ManifestScanner)]
    assert len(manifest_scanners) >= 16
    for scanner_type in manifest_scanners:
        scanner = scanner_type()
        assert scanner.file_names, scanner_type.name
        wanted = [
            rel for rel in files if scanner.wants(rel, frozenset(by_dir[rel.rpartition("/")[0]]))
        ]
        assert wanted, scanner_type.name  # the fixtures hold a file of every kind
        for rel in wanted:
            name = rel.rpartition("/")[2].lower()
            assert any(fnmatchcase(name, p.lower()) for p in scanner.file_names), (
                scanner_type.name,
                rel,
            )
