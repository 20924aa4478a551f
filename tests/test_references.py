# SPDX-License-Identifier: Apache-2.0
"""References to another file ("see LICENSE") followed as the ``scancode`` command does.

One small Python project is built from real license texts (ScanCode's own license data)
and real ways of pointing to them (a README, ``pyproject.toml``'s ``license = {file =
...}``, ``setup.cfg``, ``PKG-INFO``, a source header), plus a reference to a missing file,
a chain that ends in a license and a loop. ``scancode -l -c --json`` runs on it once per
module (about 10 s) and ospo must give every file the same answer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, run_ospo
from ospo import inventory_json
from ospo.model import FileEntry
from ospo.scanners.source.references import RuleData, follow_references, rule_data

UNKNOWN_REFERENCE = "LicenseRef-scancode-unknown-license-reference"
UNKNOWN_SPDX = "LicenseRef-scancode-unknown-spdx"


def license_text(key: str) -> str:
    """The text of license ``key`` from ScanCode's data, without its YAML front matter."""
    import licensedcode

    path = Path(licensedcode.__file__).parent / "data" / "licenses" / f"{key}.LICENSE"
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1].lstrip("\n")


def build_project(root: Path) -> None:
    """Write the project: each file is one way of pointing to a license file."""
    files = {
        "LICENSE": license_text("bsd-new"),
        "README.md": "# demo\n\nThis project is licensed under the terms of the license in "
        "LICENSE.\nSee LICENSE for details.\n",
        "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0"\n'
        'license = {file = "LICENSE"}\n',
        "setup.cfg": "[metadata]\nname = demo\nlicense_files = LICENSE\n",
        "PKG-INFO": "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nLicense: BSD\n"
        "License-File: LICENSE\n",
        # a header naming one license and pointing to a file holding another
        "src/demo/__init__.py": "# Licensed under the Apache License, Version 2.0. See "
        "LICENSE file in the project root for full license information.\n\n"
        "def main():\n    return 0\n",
        # the user's own LicenseRef (which ScanCode calls unknown-spdx) is kept
        "src/main.c": "/* SPDX-License-Identifier: LicenseRef-Acme-Proprietary */\n"
        "/* See LICENSE for details. */\nint main(void) { return 0; }\n",
        # the file beside the reference wins over the root's
        "plugins/LICENSE": license_text("apache-2.0"),
        "plugins/README.md": "# plugin\n\nSee LICENSE for details.\n",
        "docs/NOTES.txt": "Terms of use: SEE LICENSE IN LICENSE.md\n",  # no such file
        # README -> LICENSE.txt -> COPYING, which holds the license
        "chain/COPYING": license_text("bsd-new"),
        "chain/LICENSE.txt": "See the file COPYING for copying permission.\n",
        "chain/README.txt": "For licensing, see LICENSE.txt\n",
        # COPYING <-> LICENSE.txt, and docs/README.txt pointing into the loop (at the root:
        # a directory with a license file of its own is vendored code, judged apart)
        "COPYING": "For licensing, see LICENSE.txt\n",
        "LICENSE.txt": "See the file COPYING for copying permission.\n",
        "docs/README.txt": "For licensing, see LICENSE.txt\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("references") / "demo"
    build_project(root)
    return root


def run_scancode(root: Path, out: Path) -> dict[str, Any]:
    """``scancode -l -c --quiet --json OUT NAME`` (licenses and copyrights, as the
    benchmark runs it), in the tree's parent directory."""
    scancode = Path(sys.executable).with_name("scancode")
    proc = subprocess.run(
        [str(scancode), "-l", "-c", "--quiet", "--json", str(out), root.name],
        cwd=root.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def run_scan(root: Path, out: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """ospo's inventory JSON and CycloneDX SBOM of the tree."""
    proc = run_ospo("scan", root, "-q", "-o", out / "inv.json", "--cyclonedx", out / "bom.cdx.json")
    assert proc.returncode == 0, proc.stderr
    return (
        json.loads((out / "inv.json").read_text(encoding="utf-8")),
        json.loads((out / "bom.cdx.json").read_text(encoding="utf-8")),
    )


@pytest.fixture(scope="module")
def scancode_answer(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_scancode(project, tmp_path_factory.mktemp("scancode") / "scancode.json")


@pytest.fixture(scope="module")
def scanned(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, Any]]:
    return run_scan(project, tmp_path_factory.mktemp("ospo"))


@pytest.fixture(scope="module")
def django(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """ScanCode's answer and ospo's inventory for Django's files that refer to its LICENSE
    (real files of the Django 5.2.8 sdist: tests/data/references/SOURCES.md)."""
    root = tmp_path_factory.mktemp("django") / "django-5.2.8"
    shutil.copytree(DATA / "references" / "django-5.2.8", root)
    out = tmp_path_factory.mktemp("django-out")
    return run_scancode(root, out / "scancode.json"), run_scan(root, out)[0]


def _scancode_files(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"].partition("/")[2]: f for f in answer["files"] if f["type"] == "file"}


def _effective(entry: dict[str, Any]) -> str | None:
    ref = entry.get("reference")
    return entry["license_expression"] if ref is None else ref["license_expression"]


def test_every_file_gets_scancodes_answer(
    scancode_answer: dict[str, Any], scanned: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    inventory, _ = scanned
    loaded = inventory_json.from_json_dict(inventory)  # valid against the shipped schema
    assert inventory_json.to_json_dict(loaded)["files"] == inventory["files"]
    theirs = _scancode_files(scancode_answer)
    ours = {f["path"]: f for f in inventory["files"]}
    assert set(ours) == set(theirs)
    for path, entry in ours.items():
        expected = theirs[path]["detected_license_expression_spdx"]
        if path == "src/main.c":
            expected = expected.replace(UNKNOWN_SPDX, "LicenseRef-Acme-Proprietary")
        assert _effective(entry) == expected, path
    # the files ScanCode changed by following a reference are the files ospo followed
    followed_by_scancode = {
        path
        for path, f in theirs.items()
        if any(
            "unknown-reference-to-local-file" in (d.get("detection_log") or [])
            for d in f["license_detections"]
        )
    }
    followed_by_ospo = {p for p, f in ours.items() if f["reference"] and f["reference"]["followed"]}
    assert followed_by_ospo == followed_by_scancode
    # the project exercises each case: followed to a license, not found, loops
    assert {"README.md", "pyproject.toml", "setup.cfg", "PKG-INFO", "chain/README.txt"} <= {
        p for p in followed_by_ospo if UNKNOWN_REFERENCE not in (_effective(ours[p]) or "")
    }
    assert ours["docs/NOTES.txt"]["reference"]["followed"] == []
    assert UNKNOWN_REFERENCE in (_effective(ours["docs/README.txt"]) or "")


def test_each_file_keeps_what_it_says_and_where_it_was_sent(
    scanned: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    inventory, bom = scanned
    ours = {f["path"]: f for f in inventory["files"]}
    readme = ours["README.md"]
    assert readme["license_expression"] == UNKNOWN_REFERENCE
    assert readme["reference"] == {
        "names": ["LICENSE"],
        "followed": ["LICENSE"],
        "license_expression": ours["LICENSE"]["license_expression"],
    }
    plugin = ours["plugins/README.md"]["reference"]
    assert plugin["followed"] == ["plugins/LICENSE"]
    assert plugin["license_expression"] == ours["plugins/LICENSE"]["license_expression"]
    assert ours["chain/README.txt"]["reference"]["followed"] == ["chain/LICENSE.txt"]
    assert _effective(ours["chain/README.txt"]) == ours["chain/COPYING"]["license_expression"]
    # the SBOM carries the license the reference leads to
    evidence = {
        c["name"]: c["evidence"]["licenses"][0]["expression"]
        for c in bom["components"]
        if c.get("type") == "file" and c.get("evidence", {}).get("licenses")
    }
    assert evidence["README.md"] == ours["LICENSE"]["license_expression"]


def test_only_references_that_lead_nowhere_are_findings(
    project: Path, scanned: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    inventory, _ = scanned
    inv = tmp_path / "inv.json"
    inv.write_text(json.dumps(inventory), encoding="utf-8")
    out = tmp_path / "check.json"
    proc = run_ospo("check", "--inventory", inv, "--format", "json", "-o", out)
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    unknown = {f["path"]: f for f in findings if f["rule"] == "license/unknown-reference"}
    assert set(unknown) == {"docs/NOTES.txt", "COPYING", "LICENSE.txt", "docs/README.txt"}
    notes = unknown["docs/NOTES.txt"]
    assert "LICENSE.md" in notes["message"] and "docs/" in notes["message"]
    assert "LICENSE.md" in notes["how_to_fix"]
    assert "LICENSE.txt" in unknown["docs/README.txt"]["message"]
    assert "still names no license" in unknown["docs/README.txt"]["message"]


def _entries(scanned: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, FileEntry]:
    inventory = inventory_json.from_json_dict(scanned[0])
    return {f.path: replace(f, reference=None) for f in inventory.files}


def _moved(entry: FileEntry, path: str) -> FileEntry:
    return replace(entry, path=path)


def test_the_file_beside_wins_then_the_root_and_nothing_else(
    scanned: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    found = _entries(scanned)
    readme, bsd, apache = found["README.md"], found["LICENSE"], found["plugins/LICENSE"]
    tree = [
        _moved(bsd, "LICENSE"),
        _moved(apache, "a/LICENSE"),
        _moved(readme, "a/README.md"),
        _moved(readme, "b/README.md"),
        _moved(readme, "b/c/README.md"),
    ]
    result = {f.path: f.reference for f in follow_references(tree)}
    assert result["a/README.md"] is not None and result["a/README.md"].followed == ("a/LICENSE",)
    assert result["a/README.md"].license_expression == apache.license_expression
    for path in ("b/README.md", "b/c/README.md"):  # not b/: the root
        ref = result[path]
        assert ref is not None and ref.followed == ("LICENSE",)
        assert ref.license_expression == bsd.license_expression
    assert result["LICENSE"] is None  # a license text refers to nothing
    # without a root LICENSE, a parent directory's is not looked at (nor is ScanCode's)
    nested = follow_references([_moved(bsd, "b/LICENSE"), _moved(readme, "b/c/README.md")])
    ref = nested[1].reference
    assert ref is not None and ref.followed == ()
    assert ref.license_expression == readme.license_expression


def test_loops_end_and_self_references_change_nothing(
    scanned: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    found = _entries(scanned)
    to_txt, to_copying = found["docs/README.txt"], found["LICENSE.txt"]
    loop = [_moved(to_txt, "x/COPYING"), _moved(to_copying, "x/LICENSE.txt")]
    for entry in follow_references(loop):
        assert entry.reference is not None
        assert entry.reference.license_expression == entry.license_expression
        assert entry.reference.followed  # followed once, into the loop, and stopped
    alone = follow_references([_moved(to_txt, "LICENSE.txt")])[0]  # "see LICENSE.txt"
    assert alone.reference is not None
    assert alone.reference.license_expression == alone.license_expression


def test_without_references_the_entries_are_returned_as_they_are(
    scanned: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    found = _entries(scanned)
    plain = [found["LICENSE"], found["plugins/LICENSE"]]
    assert follow_references(plain) == tuple(plain)


def test_rule_data_is_scancodes_own() -> None:
    """What is read from each rule file is what ScanCode's own rule model reads from it:
    every rule that names a file or is an introduction or a clue (about 4,000 files)."""
    import licensedcode
    from licensedcode.models import Rule

    rules = Path(licensedcode.__file__).parent / "data" / "rules"
    compared = referring = 0
    for path in sorted(rules.glob("*.RULE")):
        head = path.read_text(encoding="utf-8").partition("\n---")[0]
        ours = rule_data(path.name)
        if not any(k in head for k in ("referenced_filenames", "is_license_", "free-unknown")):
            assert ours == RuleData(), path.name
            continue
        rule = Rule.from_file(str(path))
        assert ours.referenced_filenames == tuple(rule.referenced_filenames), path.name
        assert ours.intro == bool(
            rule.is_license_intro
            or rule.is_license_clue
            or rule.license_expression == "free-unknown"
        ), path.name
        compared += 1
        referring += bool(ours.referenced_filenames)
    assert compared > 3000 and referring > 3000
    assert rule_data("bsd-new.LICENSE") == rule_data("no-such-rule_0.RULE") == RuleData()


def test_djangos_references_get_scancodes_answer(
    django: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """Files with several detections, one of them a reference: only that one is replaced,
    each keeps its place in the file's expression, as ScanCode writes it."""
    answer, inventory = django
    theirs = _scancode_files(answer)
    ours = {f["path"]: f for f in inventory["files"]}
    assert set(ours) == set(theirs)
    for path, entry in ours.items():
        assert _effective(entry) == theirs[path]["detected_license_expression_spdx"], path
    for path in ("PKG-INFO", "Django.egg-info/PKG-INFO", "pyproject.toml", "LICENSE.python"):
        assert UNKNOWN_REFERENCE in ours[path]["license_expression"], path
        assert ours[path]["reference"]["followed"] == ["LICENSE"], path


@pytest.fixture
def benchlib(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "bench"))
    from benchlib import compare

    return compare


def test_the_benchmark_counts_followed_references(
    benchlib: Any,
    scancode_answer: dict[str, Any],
    scanned: tuple[dict[str, Any], dict[str, Any]],
    django: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    inventory = scanned[0]
    for ours, theirs in ((inventory, scancode_answer), (django[1], django[0])):
        result = benchlib.compare(ours, theirs)
        assert result.differences == [] and result.explained == []
        assert [d.path for d in result.restored] == (["src/main.c"] if ours is inventory else [])
        assert result.compared == result.identical == len(ours["files"])
    # an answer that did not follow the reference is a difference, and says where
    # ScanCode took its matches from
    before = json.loads(json.dumps(inventory))
    readme = next(f for f in before["files"] if f["path"] == "README.md")
    readme["reference"] = None
    result = benchlib.compare(before, scancode_answer)
    assert [(d.path, d.what) for d in result.differences] == [("README.md", "license")]
    assert result.differences[0].ospo == UNKNOWN_REFERENCE
    assert "`LICENSE`" in result.differences[0].note
    # and so is a reference followed to another answer than ScanCode's
    wrong = json.loads(json.dumps(inventory))
    setup = next(f for f in wrong["files"] if f["path"] == "setup.cfg")
    setup["reference"]["license_expression"] = setup["license_expression"]
    assert [d.path for d in benchlib.compare(wrong, scancode_answer).differences] == ["setup.cfg"]


def test_a_selection_of_files_keeps_what_each_says(
    project: Path, scanned: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    """A commit's files (``check --staged``) lack the files referred to: nothing is
    followed, rather than a reference reported as leading nowhere."""
    from ospo.api import ScanSettings, scan_tree

    whole = {f["path"]: f for f in scanned[0]["files"]}
    inventory = scan_tree(project, ScanSettings(only=("README.md",))).inventory
    [readme] = inventory.files
    assert readme.reference is None
    assert readme.effective_license == whole["README.md"]["license_expression"]
