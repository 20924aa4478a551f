# SPDX-License-Identifier: Apache-2.0
"""Every registry entry is what it says it is and works on a real tree: scanners, reporters,
rules."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
import sys
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from lockfiles import LOCKS

import ospo.scanners
from ospo.api import CheckSettings, ScanSettings, check_inventory, scan_tree
from ospo.model import Component
from ospo.policy import load_policy
from ospo.policy.judge import Judge
from ospo.policy.model import Profile
from ospo.policy.rules import RULES, RuleContext
from ospo.reporters import CHECK_FORMATS, REPORTERS, RenderOptions
from ospo.scanners import SCANNERS
from ospo.scanners.base import Scanner, ScanRequest
from ospo.scanners.catalog import CATALOG
from ospo.scanners.environments.base import EnvironmentScanner
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.discovery import (
    any_named,
    candidate_files,
    matches,
    named_files,
    siblings_by_directory,
)


def _scanner_classes() -> set[type[Scanner]]:
    """Every concrete scanner class defined anywhere below ``ospo.scanners``."""
    found: set[type[Scanner]] = set()
    prefix = f"{ospo.scanners.__name__}."
    for info in pkgutil.walk_packages(ospo.scanners.__path__, prefix):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, Scanner)
                and value.__module__ == module.__name__
                and not inspect.isabstract(value)
            ):
                found.add(value)
    return found


def test_every_scanner_class_is_registered_once_under_its_name() -> None:
    """A scanner module without its registry line (or a line naming the wrong class) fails
    here: the classes the package defines and the classes the registry gives are the same,
    one entry each, each under the name it declares."""
    classes = _scanner_classes()
    assert len(classes) >= 20
    registered = [SCANNERS[name] for name in SCANNERS]
    assert len(set(registered)) == len(registered)  # no class under two names
    assert set(registered) == classes
    for name, scanner_type in SCANNERS.items():
        assert scanner_type.name == name


def test_every_catalog_entry_points_into_the_folder_of_its_kind() -> None:
    """Lock-file scanners live in ``lockfiles/`` and read files, environment scanners live
    in ``environments/`` and need ``--env``; what a scanner needs is a request field."""
    request_fields = {f.name for f in fields(ScanRequest)}
    for name, entry in CATALOG.items():
        scanner_type = SCANNERS[name]
        assert scanner_type.__module__ == f"ospo.scanners.{entry.module}", name
        assert scanner_type.__name__ == entry.cls, name
        assert entry.needs is None or entry.needs in request_fields, name
        if issubclass(scanner_type, ManifestScanner):
            assert entry.module.startswith("lockfiles."), name
            assert entry.needs is None, name
            assert entry.file_names, name
            # the scanner filters on the names the scan used to decide to import it
            assert scanner_type.file_names == entry.file_names, name
        else:
            # a scanner that reads no manifest must not wait for one to appear
            assert entry.file_names == (), name
        if issubclass(scanner_type, EnvironmentScanner):
            assert entry.module.startswith("environments."), name
            assert entry.needs == "envs", name


def _example(pattern: str) -> str:
    """A file name the glob ``pattern`` matches (``pylock.*.toml`` -> ``pylock.x.toml``)."""
    return pattern.replace("*", "x").replace("?", "x")


@pytest.mark.parametrize(
    ("name", "pattern"),
    [(name, p) for name, entry in CATALOG.items() for p in entry.file_names],
)
def test_every_file_pattern_leads_to_its_scanner_alone(
    name: str, pattern: str, tmp_path: Path
) -> None:
    """A tree holding one file of a declared name makes the scan import that scanner, and
    no other manifest scanner; in upper case too (names are matched without case)."""
    for example in (_example(pattern), _example(pattern).upper()):
        root = tmp_path / example
        (root / example).parent.mkdir(parents=True)
        (root / example).write_text("", encoding="utf-8")
        request = ScanRequest(root=root)
        picked = {
            n for n, e in CATALOG.items() if e.file_names and any_named(request, e.file_names)
        }
        assert picked == {name}, example


def _trees(tmp_path: Path) -> list[Path]:
    """The lock-file fixtures twice: as their tools left each directory, and each file
    alone in a directory of its own (a manifest is read where no lock file lies beside it)."""
    as_written = tmp_path / "as-written"
    shutil.copytree(LOCKS, as_written)
    alone = tmp_path / "alone"
    for path in LOCKS.rglob("*"):
        if path.is_file():
            rel = path.relative_to(LOCKS).as_posix()
            place = alone / rel.replace("/", "--")
            place.mkdir(parents=True)
            shutil.copyfile(path, place / path.name)
    return [as_written, alone]


def _files_read(scanner: ManifestScanner, root: Path) -> list[tuple[str, frozenset[str]]]:
    """The files of ``root`` that ``scanner`` reads in a scan, chosen as a scan chooses,
    each with the names of the files beside it."""
    request = ScanRequest(root=root)
    candidates = candidate_files(request)
    siblings = siblings_by_directory(root, (), candidates)
    return [
        (rel, siblings[rel.rpartition("/")[0]])
        for rel in named_files(request, candidates, scanner.file_names)
        if scanner.wants(rel, siblings[rel.rpartition("/")[0]])
    ]


def test_every_lock_file_scanner_reads_a_fixture_a_real_tool_wrote(tmp_path: Path) -> None:
    """Each lock-file scanner reads at least one file of ``tests/data/lockfiles`` (written
    by the real package manager, or for the example project it locks, as ``SOURCES.md``
    says of every directory there) and finds packages there; where the files lie as their
    tools left them, nothing in a file it reads is left unused."""
    sources = (LOCKS / "SOURCES.md").read_text(encoding="utf-8")
    trees = _trees(tmp_path)
    for name, scanner_type in SCANNERS.items():
        if not issubclass(scanner_type, ManifestScanner):
            continue
        scanner = scanner_type()
        read = [(root, *file) for root in trees for file in _files_read(scanner, root)]
        assert read, name  # no fixture of this kind: add one made by the real tool
        found: list[Component] = []
        for root, rel, siblings in read:
            fixture = rel.split("/")[0].split("--")[0]
            assert f"`{fixture}/" in sources, (name, rel)
            items = scanner.parse(root, rel, siblings)
            components = [i for i in items if isinstance(i, Component)]
            if root.name == "as-written":  # alone, a file it includes may be missing
                assert len(components) == len(items), (name, rel)
            found += components
        assert found, name


def test_every_scanner_contributes(vendored_app: Path, tmp_path: Path) -> None:
    """Each scanner finds something in a tree of the kind it reads."""
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
        "gradle",
        "github-actions",
        "bundler",
        "composer",
        "nuget-multi",
    ):
        shutil.copytree(LOCKS / source, projects / source)
    (projects / "solo").mkdir()
    shutil.copyfile(LOCKS / "npm" / "package.json", projects / "solo" / "package.json")
    shutil.copyfile(LOCKS / "uv" / "pyproject.toml", projects / "solo" / "pyproject.toml")
    shutil.copyfile(LOCKS / "composer" / "composer.json", projects / "solo" / "composer.json")
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


def test_every_reporter_renders(vendored_app: Path) -> None:
    scanned = scan_tree(vendored_app, ScanSettings()).inventory
    inventory = check_inventory(scanned, CheckSettings(), root=vendored_app)
    assert set(REPORTERS) == {
        "inventory",
        "cyclonedx",
        "cyclonedx-xml",
        "spdx",
        "spdx3",
        "summary",
        "check-text",
        "check-json",
        "sarif",
        "junit",
        "markdown",
        "codequality",
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
    files = [p.relative_to(LOCKS).as_posix() for p in LOCKS.rglob("*") if p.is_file()]
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
            assert any(matches(rel, p) for p in scanner.file_names), (
                scanner_type.name,
                rel,
            )
