# SPDX-License-Identifier: Apache-2.0
"""Vendored code is attributed to its own package, not to the product."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_ospo
from ospo.scanners.source.vendored import find_vendored_roots, is_license_file


def test_vendored_roots() -> None:
    files = [
        "LICENSE",
        "src/app.py",
        "vendor/x/a.c",
        "vendor/x/sub/b.c",
        "vendor/single.js",
        "node_modules/@scope/pkg/index.js",
        "node_modules/plain/index.js",
        "src/lib/copied/LICENSE.txt",
        "src/lib/copied/copied.js",
        "packages/first-party/pyproject.toml",
    ]
    assert find_vendored_roots(files) == [
        "node_modules/@scope/pkg",
        "node_modules/plain",
        "src/lib/copied",
        "vendor/single.js",
        "vendor/x",
    ]


def test_license_file_names() -> None:
    assert is_license_file("LICENSE")
    assert is_license_file("COPYING.LESSER")
    assert is_license_file("License.txt")
    assert is_license_file("LICENCE.md")
    assert not is_license_file("license.py")
    assert not is_license_file("licenses.json")
    assert not is_license_file("README.md")


def test_scan_attributes_vendored_files(vendored_app: Path, tmp_path: Path) -> None:
    out = tmp_path / "inv.json"
    proc = run_ospo("scan", vendored_app, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    comps = {c["vendored_path"]: c for c in data["components"]}
    assert set(comps) == {"vendor/is-number", "third_party/six", "lib/markupsafe"}

    npm = comps["vendor/is-number"]
    assert npm["purl"] == "pkg:npm/is-number@7.0.0"
    assert npm["license_expression"] == "MIT"
    sources = {(e["source"], e["location"]) for e in npm["licenses"]}
    assert sources == {
        ("declared", "vendor/is-number/package.json"),
        ("detected", "vendor/is-number/LICENSE"),
    }

    six = comps["third_party/six"]
    assert six["purl"] == "pkg:generic/six?vendored_path=third_party/six"
    assert six["license_expression"] == "MIT"
    assert [e["source"] for e in six["licenses"]] == ["detected"]

    markupsafe = comps["lib/markupsafe"]
    assert markupsafe["license_expression"] == "BSD-3-Clause"

    owners = {f["path"]: f["package"] for f in data["files"]}
    assert owners["vendor/is-number/index.js"] == npm["purl"]
    assert owners["third_party/six/six.py"] == six["purl"]
    assert owners["lib/markupsafe/__init__.py"] == markupsafe["purl"]
    assert owners["src/main.py"] is None
    assert owners["src/util.py"] is None


def test_vendored_code_without_a_license_is_kept_as_unknown(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "third_party" / "blob").mkdir(parents=True)
    (root / "third_party" / "blob" / "blob.c").write_text("int blob;\n", encoding="utf-8")
    out = tmp_path / "inv.json"
    assert run_ospo("scan", root, "-q", "-o", out).returncode == 0
    (comp,) = json.loads(out.read_text(encoding="utf-8"))["components"]
    assert comp["license_expression"] is None
    assert comp["unknown_reason"] == (
        "no declared license and no license text found in third_party/blob/"
    )


def test_cargo_workspace_members_are_not_vendored(tmp_path: Path) -> None:
    """A crate of the tree's own Cargo workspace keeps its LICENSE and stays first-party;
    an excluded directory and a directory outside the workspace with a license are
    vendored code."""
    from ospo.scanners.source.vendored import find_vendored_roots

    (tmp_path / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/legacy"]\n', encoding="utf-8"
    )
    files = [
        "Cargo.toml",
        "crates/core/Cargo.toml",
        "crates/core/LICENSE-MIT",
        "crates/legacy/Cargo.toml",
        "crates/legacy/LICENSE",
        "third/zlib/LICENSE",
    ]
    for rel in files[1:]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x\n", encoding="utf-8")
    assert find_vendored_roots(files, tmp_path) == ["crates/legacy", "third/zlib"]
    # without the tree, nothing says what the workspace is
    assert find_vendored_roots(files) == ["crates/core", "crates/legacy", "third/zlib"]
