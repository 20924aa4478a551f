# SPDX-License-Identifier: Apache-2.0
"""JavaScript manifests and lock files, read from files the package managers wrote.

The npm project (express, morgan, json-stable-stringify; mocha and @types/express as dev
dependencies; picocolors as an optional one; ms as a peer) was locked by npm 11, npm 6,
pnpm 12, 8 and 7, and Yarn 1 and 4 (``tests/data/lockfiles/SOURCES.md``). What npm itself
reports about the installed tree (``npm ls``, ``npm query``) is saved beside its lock file
and is the reference here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lockfiles import LOCKS, broken_file_issue, by_purl, copy_project, scan

from conftest import DATA, run_ospo
from ospo.model import Component, Scope
from ospo.scanners.base import ScanRequest
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.npm import NpmLockScanner
from ospo.scanners.lockfiles.package_json import PackageJsonScanner
from ospo.scanners.lockfiles.pnpm import PnpmLockScanner
from ospo.scanners.lockfiles.yarn import YarnLockScanner
from ospo.scanners.purls import npm_purl

DIRECT = {
    "pkg:npm/express@5.3.0": Scope.RUNTIME,
    "pkg:npm/morgan@1.12.1": Scope.RUNTIME,
    "pkg:npm/json-stable-stringify@1.3.0": Scope.RUNTIME,
    "pkg:npm/mocha@12.0.3": Scope.DEV,
    "pkg:npm/%40types/express@5.0.6": Scope.DEV,
    "pkg:npm/picocolors@1.1.1": Scope.OPTIONAL,
    "pkg:npm/ms@2.1.3": Scope.RUNTIME,  # a peer dependency of the project
}


# --- package-lock.json v3, against what npm itself reports ----------------------------


@pytest.fixture(scope="module")
def npm_lock() -> dict[str, Component]:
    contribution = scan(NpmLockScanner(), LOCKS / "npm")
    assert contribution.issues == ()
    return by_purl(contribution)


def test_npm_every_installed_package_with_npm_scope_and_license(
    npm_lock: dict[str, Component],
) -> None:
    installed = json.loads((LOCKS / "npm" / "npm-query.json").read_text(encoding="utf-8"))
    optional = json.loads((LOCKS / "npm" / "npm-query-optional.json").read_text(encoding="utf-8"))
    expected = {npm_purl(p["name"], p["version"]): p for p in installed if p["location"]}
    assert set(npm_lock) == set(expected)
    assert len(npm_lock) == 116
    for purl, package in expected.items():
        comp = npm_lock[purl]
        if package["dev"]:
            assert comp.scope is Scope.DEV, purl
        elif package["location"] in optional:
            assert comp.scope is Scope.OPTIONAL, purl
        else:
            assert comp.scope is Scope.RUNTIME, purl
        (evidence,) = comp.licenses
        assert evidence.location == "package-lock.json"
        assert evidence.source.value == "declared"
        assert evidence.expression == package["license"], purl


def test_npm_direct_dependencies_are_the_top_of_npm_ls(npm_lock: dict[str, Component]) -> None:
    tree = json.loads((LOCKS / "npm" / "npm-ls.json").read_text(encoding="utf-8"))
    top = {npm_purl(n, d["version"]) for n, d in tree["dependencies"].items()}
    assert {p for p, c in npm_lock.items() if c.direct} == top == set(DIRECT)
    for purl, scope in DIRECT.items():
        assert npm_lock[purl].scope is scope, purl


def test_npm_dependency_edges_match_npm_ls(npm_lock: dict[str, Component]) -> None:
    tree = json.loads((LOCKS / "npm" / "npm-ls.json").read_text(encoding="utf-8"))
    checked = 0

    def walk(deps: dict) -> None:
        nonlocal checked
        for name, node in deps.items():
            if "dependencies" not in node:
                continue  # printed once in full elsewhere ("deduped")
            purl = npm_purl(name, node["version"])
            children = {npm_purl(n, d["version"]) for n, d in node["dependencies"].items()}
            assert set(npm_lock[purl].dependencies) == children, purl
            checked += 1
            walk(node["dependencies"])

    walk(tree["dependencies"])
    assert checked > 30


def test_npm_production_tree_is_what_is_not_dev(npm_lock: dict[str, Component]) -> None:
    tree = json.loads((LOCKS / "npm" / "npm-ls-prod.json").read_text(encoding="utf-8"))
    prod: set[str] = set()

    def walk(deps: dict) -> None:
        for name, node in deps.items():
            prod.add(npm_purl(name, node["version"]))
            walk(node.get("dependencies", {}))

    walk(tree["dependencies"])
    shipped = {p for p, c in npm_lock.items() if c.scope in (Scope.RUNTIME, Scope.OPTIONAL)}
    assert shipped == prod


def test_npm_nested_copy_resolves_its_own_dependencies(npm_lock: dict[str, Component]) -> None:
    # node_modules/morgan/node_modules/debug (2.6.9) needs ms 2.0.0, nested beside it,
    # while the top-level debug (4.4.3) needs the top-level ms (2.1.3)
    old = npm_lock["pkg:npm/debug@2.6.9"]
    assert old.dependencies == ("pkg:npm/ms@2.0.0",)
    assert not old.direct
    assert old.scope is Scope.RUNTIME
    assert npm_lock["pkg:npm/debug@4.4.3"].dependencies == ("pkg:npm/ms@2.1.3",)
    assert "pkg:npm/debug@2.6.9" in npm_lock["pkg:npm/morgan@1.12.1"].dependencies


def test_npm_scoped_names_and_licenses(npm_lock: dict[str, Component]) -> None:
    node = npm_lock["pkg:npm/%40types/node@26.6.6"]
    assert node.name == "@types/node"
    assert node.scope is Scope.DEV
    assert not node.direct
    assert node.license_expression == "MIT"
    assert npm_lock["pkg:npm/argparse@3.0.4"].license_expression == "PSF-2.0"
    assert npm_lock["pkg:npm/glob@13.0.7"].license_expression == "BlueOak-1.0.0"


def test_npm_license_that_is_not_spdx_is_kept_invalid(npm_lock: dict[str, Component]) -> None:
    jsonify = npm_lock["pkg:npm/jsonify@0.0.1"]
    (evidence,) = jsonify.licenses
    assert evidence.expression == "Public Domain"
    assert evidence.valid is False
    assert evidence.note and "Public" in evidence.note
    assert jsonify.license_expression is None
    assert jsonify.unknown_reason == "declared license is not an SPDX expression: 'Public Domain'"


def test_npm_integrity_becomes_a_hex_sha512(npm_lock: dict[str, Component]) -> None:
    import base64

    lock = json.loads((LOCKS / "npm" / "package-lock.json").read_text(encoding="utf-8"))
    express = lock["packages"]["node_modules/express"]["integrity"]
    algorithm, _, encoded = express.partition("-")
    assert algorithm == "sha512"
    assert npm_lock["pkg:npm/express@5.3.0"].hashes == (
        ("SHA-512", base64.b64decode(encoded).hex()),
    )
    assert all(len(c.hashes) == 1 for c in npm_lock.values())


def test_npm_v1_lock_file(npm_lock: dict[str, Component]) -> None:
    contribution = scan(NpmLockScanner(), LOCKS / "npm-v1")
    assert contribution.issues == ()
    v1 = by_purl(contribution)
    assert len(v1) == 116
    assert {p for p, c in v1.items() if c.direct} == set(DIRECT)
    assert v1["pkg:npm/debug@2.6.9"].dependencies == ("pkg:npm/ms@2.0.0",)
    assert v1["pkg:npm/mocha@12.0.3"].scope is Scope.DEV
    assert v1["pkg:npm/express@5.3.0"].scope is Scope.RUNTIME
    # npm 6 records no license
    express = v1["pkg:npm/express@5.3.0"]
    assert express.licenses == ()
    assert express.license_expression is None
    assert express.unknown_reason == (
        "package-lock.json records no license; scan the installed environment with --env"
    )
    # what both npm versions resolved the same way, they agree on
    same = set(v1) & set(npm_lock)
    assert len(same) > 100
    for purl in same - {"pkg:npm/picocolors@1.1.1"}:  # npm 6 has no devOptional flag
        assert v1[purl].scope is npm_lock[purl].scope, purl


# --- yarn and pnpm: the same project --------------------------------------------------


@pytest.mark.parametrize(
    ("scanner", "directory"),
    [
        (YarnLockScanner(), "yarn-classic"),
        (YarnLockScanner(), "yarn-berry"),
        (PnpmLockScanner(), "pnpm"),
        (PnpmLockScanner(), "pnpm-v6"),
    ],
)
def test_other_lock_files_agree_with_npm(
    scanner: ManifestScanner, directory: str, npm_lock: dict[str, Component]
) -> None:
    contribution = scan(scanner, LOCKS / directory)
    assert contribution.issues == ()
    got = by_purl(contribution)
    assert len(got) == 116
    assert {p for p, c in got.items() if c.direct} == set(DIRECT)
    for purl, scope in DIRECT.items():
        assert got[purl].scope is scope, (directory, purl)
    # the nested old debug and its own ms, as in npm's tree (pnpm 12 also records
    # debug's optional peer supports-color, which mocha brings)
    assert "pkg:npm/ms@2.0.0" in got["pkg:npm/debug@2.6.9"].dependencies
    assert "pkg:npm/ms@2.1.3" not in got["pkg:npm/debug@2.6.9"].dependencies
    assert "pkg:npm/debug@2.6.9" in got["pkg:npm/morgan@1.12.1"].dependencies
    assert set(npm_lock["pkg:npm/express@5.3.0"].dependencies) == set(
        got["pkg:npm/express@5.3.0"].dependencies
    )
    for purl in ("pkg:npm/%40types/node@26.6.6", "pkg:npm/diff@9.0.0"):
        assert got[purl].scope is Scope.DEV, purl
        assert not got[purl].direct
    assert got["pkg:npm/qs@6.17.1"].scope is Scope.RUNTIME
    # the same tarballs: each tool records the same SHA-512 integrity as npm
    shared = set(got) & set(npm_lock)
    assert len(shared) > 100
    for purl in shared:
        if directory == "yarn-berry":
            assert got[purl].hashes == (), purl  # Berry's checksum is of its own zip
        else:
            assert got[purl].hashes == npm_lock[purl].hashes, (directory, purl)
    # neither yarn nor pnpm records licenses
    express = got["pkg:npm/express@5.3.0"]
    assert express.license_expression is None
    assert express.unknown_reason is not None and "records no license" in express.unknown_reason
    assert "--env" in express.unknown_reason


def test_yarn_and_pnpm_resolved_what_they_resolved() -> None:
    # yarn and pnpm picked a newer strip-json-comments than npm did; each says so
    classic = by_purl(scan(YarnLockScanner(), LOCKS / "yarn-classic"))
    assert "pkg:npm/strip-json-comments@5.1.0" in classic
    assert "pkg:npm/strip-json-comments@5.1.0" in classic["pkg:npm/mocha@12.0.3"].dependencies


def test_pnpm_v5_lock_file() -> None:
    contribution = scan(PnpmLockScanner(), LOCKS / "pnpm-v5")
    assert contribution.issues == ()
    got = by_purl(contribution)
    assert len(got) == 116
    # pnpm 7 does not record the project's own peer dependencies as importers
    assert {p for p, c in got.items() if c.direct} == set(DIRECT) - {"pkg:npm/ms@2.1.3"}
    assert got["pkg:npm/mocha@12.0.3"].scope is Scope.DEV
    assert got["pkg:npm/express@5.3.0"].scope is Scope.RUNTIME
    assert got["pkg:npm/debug@2.6.9"].dependencies == ("pkg:npm/ms@2.0.0",)


def test_yarn_lock_without_package_json(tmp_path: Path) -> None:
    project = copy_project("yarn-classic", tmp_path, "yarn.lock")
    got = by_purl(scan(YarnLockScanner(), project))
    assert len(got) == 116
    # nothing says what the project asked for: packages nobody depends on are direct
    direct = {p for p, c in got.items() if c.direct}
    assert {"pkg:npm/express@5.3.0", "pkg:npm/mocha@12.0.3", "pkg:npm/morgan@1.12.1"} <= direct
    assert "pkg:npm/debug@2.6.9" not in direct
    assert all(c.scope is Scope.RUNTIME for c in got.values())


def test_package_json_alone(tmp_path: Path) -> None:
    project = copy_project("npm", tmp_path, "package.json")
    got = by_purl(scan(PackageJsonScanner(), project))
    assert set(got) == {
        "pkg:npm/express",
        "pkg:npm/morgan",
        "pkg:npm/json-stable-stringify",
        "pkg:npm/mocha",
        "pkg:npm/%40types/express",
        "pkg:npm/picocolors",
        "pkg:npm/ms",
    }
    assert got["pkg:npm/mocha"].scope is Scope.DEV
    assert got["pkg:npm/picocolors"].scope is Scope.OPTIONAL
    assert got["pkg:npm/ms"].scope is Scope.RUNTIME
    assert all(c.direct and c.version is None for c in got.values())
    assert got["pkg:npm/express"].unknown_reason is not None
    assert "no lock file" in got["pkg:npm/express"].unknown_reason


def test_package_json_beside_a_lock_file_is_left_to_the_lock_scanner() -> None:
    assert scan(PackageJsonScanner(), LOCKS / "npm").components == ()


def test_node_modules_and_vendored_code_are_not_read(tmp_path: Path) -> None:
    project = copy_project("npm", tmp_path, "package.json", "package-lock.json")
    inner = project / "node_modules" / "express"
    inner.mkdir(parents=True)
    shutil.copyfile(LOCKS / "npm" / "package-lock.json", inner / "package-lock.json")
    vendored = project / "vendor" / "webapp"
    vendored.mkdir(parents=True)
    (vendored / "yarn.lock").write_text("not a lock file\n", encoding="utf-8")
    assert len(scan(NpmLockScanner(), project).components) == 116
    assert scan(YarnLockScanner(), project).issues == ()


def test_only_the_files_of_a_commit_are_read(tmp_path: Path) -> None:
    project = copy_project("npm", tmp_path, "package.json", "package-lock.json")
    request = ScanRequest(root=project, only=("package-lock.json",))
    assert len(NpmLockScanner().scan(request).components) == 116
    request = ScanRequest(root=project, only=("src/index.js",))
    assert NpmLockScanner().scan(request).components == ()


# --- broken files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scanner", "name", "content", "expected"),
    [
        (NpmLockScanner(), "package-lock.json", '{\n  "packages": {\n    "": {,\n', "line 3:"),
        (NpmLockScanner(), "package-lock.json", '{"packages": []}', "not an npm lock file"),
        (NpmLockScanner(), "package-lock.json", '{"packages": {"node_modules/a": 1}}', "table"),
        (
            YarnLockScanner(),
            "yarn.lock",
            "# yarn lockfile v1\n\nexpress@^5:\n  version\n",
            "line 4:",
        ),
        (YarnLockScanner(), "yarn.lock", "__metadata:\n  version: 8\n a: [\n", "not valid YAML"),
        (PnpmLockScanner(), "pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters: [\n", "line 3:"),
        (PnpmLockScanner(), "pnpm-lock.yaml", "lockfileVersion: banana\n", "lockfileVersion"),
        (PackageJsonScanner(), "package.json", '{"dependencies": ["express"]}', "should be"),
    ],
)
def test_broken_file_is_an_issue(
    tmp_path: Path, scanner: ManifestScanner, name: str, content: str, expected: str
) -> None:
    issue = broken_file_issue(tmp_path, scanner, name, content, expected)
    assert "missing from the inventory" in issue.message


# --- the whole command ----------------------------------------------------------------


def test_scan_command_on_an_npm_project(tmp_path: Path) -> None:
    project = copy_project("npm", tmp_path, "package.json", "package-lock.json")
    shutil.copytree(DATA / "vendored" / "is-number", project / "vendor" / "is-number")
    broken = project / "tools" / "legacy"
    broken.mkdir(parents=True)
    (broken / "yarn.lock").write_text('"left-pad@^1":\n  version "1.3.0\n', encoding="utf-8")
    out, bom = tmp_path / "inventory.json", tmp_path / "bom.cdx.json"

    proc = run_ospo("scan", project, "-q", "-o", out, "--cyclonedx", bom)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    components = {c["purl"]: c for c in inventory["components"]}
    assert len(components) == 117  # the lock file's 116 and the vendored is-number
    express = components["pkg:npm/express@5.3.0"]
    assert (express["scope"], express["direct"], express["license_expression"]) == (
        "runtime",
        True,
        "MIT",
    )
    assert express["licenses"] == [
        {
            "expression": "MIT",
            "source": "declared",
            "location": "package-lock.json",
            "valid": True,
            "note": None,
        }
    ]
    assert components["pkg:npm/is-number@7.0.0"]["vendored_path"] == "vendor/is-number"
    (issue,) = [i for i in inventory["scan"]["issues"] if i["kind"] == "manifest"]
    assert issue["path"] == "tools/legacy/yarn.lock"
    assert issue["message"].startswith("line 2:")

    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = bom.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    sbom = json.loads(text)
    deps = {d["ref"]: set(d.get("dependsOn", [])) for d in sbom["dependencies"]}
    assert deps["product"] == set(DIRECT) | {"pkg:npm/is-number@7.0.0"}
    assert deps["pkg:npm/morgan@1.12.1"] == {
        "pkg:npm/basic-auth@2.0.1",
        "pkg:npm/debug@2.6.9",
        "pkg:npm/depd@2.0.0",
        "pkg:npm/on-finished@2.4.2",
        "pkg:npm/on-headers@1.1.0",
    }
    libraries = {c["purl"]: c for c in sbom["components"] if c["type"] == "library"}
    assert libraries["pkg:npm/mocha@12.0.3"]["scope"] == "excluded"
    assert libraries["pkg:npm/%40types/node@26.6.6"]["scope"] == "excluded"
    assert libraries["pkg:npm/picocolors@1.1.1"]["scope"] == "optional"
    assert libraries["pkg:npm/express@5.3.0"]["scope"] == "required"
    assert libraries["pkg:npm/express@5.3.0"]["licenses"] == [
        {"expression": "MIT", "acknowledgement": "declared"}
    ]
    assert libraries["pkg:npm/jsonify@0.0.1"]["licenses"] == [
        {"license": {"name": "Public Domain", "acknowledgement": "declared"}}
    ]


# --- workspaces -------------------------------------------------------------------------


@pytest.mark.parametrize("project", ["npm-workspaces", "pnpm-workspaces"])
def test_workspace_members_are_first_party(project: str, tmp_path: Path) -> None:
    """A member is the product's own code: not vendored third-party code though it has a
    LICENSE file, not a component when another member depends on it, and its manifest is
    covered by the root's lock file (no versionless phantoms, no "commit the lock file")."""
    from ospo.api import ScanSettings, scan_tree

    root = Path(shutil.copytree(LOCKS / project, tmp_path / project))
    inventory = scan_tree(root, ScanSettings(use_cache=False)).inventory
    got = {c.purl: c for c in inventory.components}
    assert set(got) == {
        "pkg:npm/escape-html@1.0.3",
        "pkg:npm/ms@2.1.3",
        "pkg:npm/picocolors@1.1.1",
    }
    assert all(c.vendored_path is None for c in got.values())
    assert got["pkg:npm/picocolors@1.1.1"].scope is Scope.DEV
    assert got["pkg:npm/ms@2.1.3"].scope is Scope.RUNTIME
    owned = {f.path: f.package for f in inventory.files}
    assert owned["packages/a/LICENSE"] is None
    assert not [i for i in inventory.scan.issues if "lock" in i.message.lower()]


def test_a_package_json_outside_the_workspace_is_still_read(tmp_path: Path) -> None:
    """Only members are covered by the root lock file: another package.json in the tree,
    with no lock file of its own, still gives its dependencies."""
    root = Path(shutil.copytree(LOCKS / "npm-workspaces", tmp_path / "ws"))
    (root / "tools" / "x").mkdir(parents=True)
    (root / "tools" / "x" / "package.json").write_text(
        '{"name": "x", "dependencies": {"left-pad": "1.3.0"}}', encoding="utf-8"
    )
    found = {c.purl for c in scan(PackageJsonScanner(), root).components}
    assert found == {"pkg:npm/left-pad@1.3.0"}


def test_a_changed_root_manifest_changes_the_workspace(tmp_path: Path) -> None:
    from ospo.scanners.workspaces import workspace

    root = Path(shutil.copytree(LOCKS / "npm-workspaces", tmp_path / "ws"))
    assert workspace(root).holds("packages/a")
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    manifest["workspaces"] = ["libs/*"]
    (root / "package.json").write_text(json.dumps(manifest, indent=4), encoding="utf-8")
    assert not workspace(root).holds("packages/a")
    assert workspace(root).holds("libs/x")
