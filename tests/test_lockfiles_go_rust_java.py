# SPDX-License-Identifier: Apache-2.0
"""Go, Rust and Java manifests and lock files, read from files the real tools wrote.

The Cargo workspace was locked by cargo itself, and what ``cargo metadata`` reports about
its resolve graph is saved beside the lock file as the reference. The go.mod/go.sum files
and the poms come from public repositories, unchanged (``tests/data/lockfiles/SOURCES.md``).
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
from lockfiles import LOCKS, by_purl, scan

from conftest import run_ospo
from ospo.model import Component, IssueKind, Scope
from ospo.scanners import SCANNERS
from ospo.scanners.lockfiles.cargo import CargoLockScanner, cargo_purl
from ospo.scanners.lockfiles.gomod import GoModScanner, golang_purl
from ospo.scanners.lockfiles.maven import MAX_DEPTH, MavenPomScanner
from ospo.scanners.lockfiles.maven_repository import (
    ENVIRONMENT_VARIABLE,
    locate_local_repository,
)


def test_registered() -> None:
    assert SCANNERS["go-mod"] is GoModScanner
    assert SCANNERS["cargo"] is CargoLockScanner
    assert SCANNERS["maven-pom"] is MavenPomScanner


# --- Go ----------------------------------------------------------------------------------


def _require_lines(go_mod: Path) -> dict[str, bool]:
    """``path@version`` → direct, read straight from the file's require lines."""
    out = {}
    inside = False
    for line in go_mod.read_text(encoding="utf-8").splitlines():
        if line.startswith("require ("):
            inside = True
        elif line == ")":
            inside = False
        elif inside:
            words = line.split()
            out[f"{words[0]}@{words[1]}"] = "// indirect" not in line
    return out


def test_go_mod_modern_lists_every_require_line_but_the_local_replacement() -> None:
    found = scan(GoModScanner(), LOCKS / "go")
    assert found.issues == ()
    comps = by_purl(found)
    expected = _require_lines(LOCKS / "go" / "go.mod")
    del expected["github.com/way-platform/tachograph-go@v0.17.0"]  # replace … => ..
    assert len(expected) == 6
    assert set(comps) == {golang_purl(*k.split("@")) for k in expected}
    for key, direct in expected.items():
        comp = comps[golang_purl(*key.split("@"))]
        assert comp.direct is direct, key
        assert comp.scope is Scope.RUNTIME  # Go has no dev scope
        assert comp.name == key.split("@")[0]
        assert comp.license_expression is None and comp.licenses == ()
        assert "go.mod records no license" in (comp.unknown_reason or "")
        assert comp.dependencies == ()
    # go 1.17+: go.sum is not a source of extra modules
    assert not any("cel-go" in p for p in comps)


def test_go_purl_namespace_is_the_path_up_to_the_last_slash() -> None:
    assert golang_purl("github.com/spf13/cobra", "v1.10.1") == (
        "pkg:golang/github.com/spf13/cobra@v1.10.1"
    )
    assert golang_purl("gopkg.in/yaml.v2", "v2.2.2") == "pkg:golang/gopkg.in/yaml.v2@v2.2.2"


def test_go_mod_before_1_17_adds_go_sum_modules_as_transitive() -> None:
    comps = by_purl(scan(GoModScanner(), LOCKS / "go-old"))
    required = _require_lines(LOCKS / "go-old" / "go.mod")
    full_hash = set()
    for line in (LOCKS / "go-old" / "go.sum").read_text(encoding="utf-8").splitlines():
        module, version, _ = line.split(" ")
        if not version.endswith("/go.mod"):
            full_hash.add(f"{module}@{version}")
    assert set(required) <= full_hash
    assert set(comps) == {golang_purl(*k.split("@")) for k in full_hash}
    assert len(comps) == 8
    for key in full_hash:
        comp = comps[golang_purl(*key.split("@"))]
        assert comp.direct is (key in required), key
        assert comp.scope is Scope.RUNTIME
    assert comps[golang_purl("github.com/russross/blackfriday/v2", "v2.0.1")].direct is False


def test_go_mod_replace_and_exclude_written_by_go_mod_edit() -> None:
    comps = by_purl(scan(GoModScanner(), LOCKS / "go-replace"))
    # toml v0.3.1 => toml v0.4.1: the replacement's coordinates
    assert golang_purl("github.com/BurntSushi/toml", "v0.4.1") in comps
    assert golang_purl("github.com/BurntSushi/toml", "v0.3.1") not in comps
    # matchr => ../matchr: local code, left out
    assert not any("matchr" in p for p in comps)
    # excluding a version not required changes nothing
    assert comps[golang_purl("gopkg.in/yaml.v2", "v2.2.2")].direct is True
    assert len(comps) == 7


def _sum_hashes(go_sum: Path) -> dict[str, str]:
    """``path@version`` → the ``h1:`` hash go.sum records for the module (not its go.mod)."""
    out = {}
    for line in go_sum.read_text(encoding="utf-8").splitlines():
        module, version, value = line.split(" ")
        if not version.endswith("/go.mod"):
            out[f"{module}@{version}"] = value
    return out


@pytest.mark.parametrize("directory", ["go", "go-old"])
def test_go_sum_module_hash_is_carried_apart_from_artifact_hashes(directory: str) -> None:
    recorded = _sum_hashes(LOCKS / directory / "go.sum")
    comps = scan(GoModScanner(), LOCKS / directory).components
    assert comps
    for comp in comps:
        key = f"{comp.name}@{comp.version}"
        assert comp.go_module_hash == recorded[key], key
        # a SHA-256, but of Go's listing of the module's files, not of its .zip: no
        # artifact hash
        assert len(base64.b64decode(recorded[key].removeprefix("h1:"))) == 32
        assert comp.hashes == ()


def test_go_sum_hash_of_a_replaced_module_is_the_replacements_own() -> None:
    recorded = _sum_hashes(LOCKS / "go-replace" / "go.sum")
    comps = by_purl(scan(GoModScanner(), LOCKS / "go-replace"))
    # go mod edit -replace does not touch go.sum: it has v0.3.1's hash, not v0.4.1's
    assert "github.com/BurntSushi/toml@v0.3.1" in recorded
    assert "github.com/BurntSushi/toml@v0.4.1" not in recorded
    assert comps[golang_purl("github.com/BurntSushi/toml", "v0.4.1")].go_module_hash is None
    others = [c for c in comps.values() if c.name != "github.com/BurntSushi/toml"]
    assert others
    for comp in others:
        assert comp.go_module_hash == recorded[f"{comp.name}@{comp.version}"]


def test_go_sum_damaged_hash_is_an_issue_and_the_module_stays(tmp_path: Path) -> None:
    good = "h1:" + base64.b64encode(bytes(range(32))).decode()
    (tmp_path / "go.mod").write_text(
        "module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n"
        "\texample.com/b v1.0.0\n\texample.com/c v1.0.0\n\texample.com/d v1.0.0\n)\n",
        encoding="utf-8",
    )
    (tmp_path / "go.sum").write_text(
        f"example.com/a v1.0.0 {good}\n"
        f"example.com/a v1.0.0/go.mod {good}\n"
        "example.com/b v1.0.0 h1:bm90LWEtZGlnZXN0\n"  # base64, but not of 32 bytes
        f"example.com/b v1.0.0/go.mod {good}\n"
        f"example.com/c v1.0.0/go.mod {good}\n"  # only the go.mod's hash
        "example.com/d v1.0.0 h2:c29tZS1mdXR1cmUtc2NoZW1l\n",  # a scheme Go does not have
        encoding="utf-8",
    )
    found = scan(GoModScanner(), tmp_path)
    (issue,) = found.issues
    assert issue.kind is IssueKind.MANIFEST
    assert issue.path == "go.sum"
    assert issue.message.startswith("line 3: not a Go module hash")
    assert "example.com/b v1.0.0 is not recorded" in issue.message
    hashes = {c.name: c.go_module_hash for c in found.components}
    assert hashes == {
        "example.com/a": good,
        "example.com/b": None,
        "example.com/c": None,
        "example.com/d": None,
    }


def test_go_module_hash_in_the_inventory_and_every_sbom(tmp_path: Path) -> None:
    shutil.copytree(LOCKS / "go", tmp_path / "cli")
    out, bom, spdx = tmp_path / "inventory.json", tmp_path / "bom.cdx.json", tmp_path / "s.json"
    recorded = _sum_hashes(LOCKS / "go" / "go.sum")

    done = run_ospo("scan", tmp_path / "cli", "-q", "-o", out, "--cyclonedx", bom, "--spdx", spdx)

    assert done.returncode == 0, done.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    components = inventory["components"]
    assert components
    for comp in components:
        assert comp["go_module_hash"] == recorded[f"{comp['name']}@{comp['version']}"]
        assert comp["hashes"] == []
    expected = {c["purl"]: c["go_module_hash"] for c in components}

    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = bom.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    libraries = [c for c in json.loads(text)["components"] if c["type"] == "library"]
    assert {c["purl"] for c in libraries} == set(expected)
    for library in libraries:
        assert "hashes" not in library  # the h1: hash is of no file
        properties = {p["name"]: p["value"] for p in library["properties"]}
        assert properties["ospo:go_module_hash"] == expected[library["purl"]]

    from test_spdx import schema_errors, spdx_tools_messages

    spdx_text = spdx.read_text(encoding="utf-8")
    document = json.loads(spdx_text)
    assert schema_errors(document) == []
    assert spdx_tools_messages(spdx_text) == []
    packages = {
        p["externalRefs"][0]["referenceLocator"]: p
        for p in document["packages"]
        if p.get("externalRefs")
    }
    assert set(packages) == set(expected)
    for purl, package in packages.items():
        assert "checksums" not in package or package["checksums"] == []
        assert package["comment"].endswith(f"not of a file): {expected[purl]}")

    from ospo.model import Inventory
    from ospo.sbom import load_sbom

    for path in (bom, spdx):
        imported: Inventory = load_sbom(path)
        assert {c.purl: c.go_module_hash for c in imported.components} == expected, path


def test_go_module_hash_in_spdx3_and_back(tmp_path: Path) -> None:
    from test_spdx3 import official_errors

    from ospo.inventory_json import load
    from ospo.sbom import load_sbom
    from ospo.sbom.spdx3.writer import write_spdx3

    shutil.copytree(LOCKS / "go-old", tmp_path / "cli")
    out = tmp_path / "inventory.json"
    assert run_ospo("scan", tmp_path / "cli", "-q", "-o", out).returncode == 0
    inventory = load(out)
    expected = {c.purl: c.go_module_hash for c in inventory.components}
    assert expected and all(expected.values())
    text = write_spdx3(inventory)
    assert official_errors(json.loads(text)) == []
    (tmp_path / "s.spdx3.json").write_text(text, encoding="utf-8")
    back = load_sbom(tmp_path / "s.spdx3.json")
    assert {c.purl: c.go_module_hash for c in back.components} == expected


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("module example.com/m\n\ngo 1.21\n\nrequire (\n\tgithub.com/a/b\n)\n", 6, "usage"),
        ("module example.com/m\n\nrequre github.com/a/b v1.0.0\n", 3, "not a go.mod directive"),
        ("module example.com/m\n\nrequire github.com/a/b latest\n", 3, "not a module version"),
    ],
)
def test_go_mod_broken_is_a_manifest_issue_with_the_line(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "go.mod").write_text(text, encoding="utf-8")
    shutil.copytree(LOCKS / "go-old", tmp_path / "good")
    found = scan(GoModScanner(), tmp_path)
    (issue,) = found.issues
    assert issue.kind is IssueKind.MANIFEST
    assert issue.path == "bad/go.mod"
    assert issue.message.startswith(f"line {line}: ")
    assert says in issue.message
    assert len(found.components) == 8  # the rest of the scan went on


def test_go_mod_unclosed_block(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module m\n\nrequire (\n\tx.org/y v1.0.0\n", encoding="utf-8")
    (issue,) = scan(GoModScanner(), tmp_path).issues
    assert "not closed" in issue.message


# --- Rust --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cargo() -> dict[str, Component]:
    found = scan(CargoLockScanner(), LOCKS / "cargo")
    assert found.issues == ()
    return by_purl(found)


@pytest.fixture(scope="module")
def metadata() -> dict:
    return json.loads((LOCKS / "cargo" / "cargo-metadata.json").read_text(encoding="utf-8"))


def test_cargo_every_resolved_crate_but_the_workspace_members(
    cargo: dict[str, Component], metadata: dict
) -> None:
    members = set(metadata["workspace_members"])
    expected = {
        cargo_purl(n["name"], n["version"]) for n in metadata["nodes"] if n["name"] not in members
    }
    assert all(n["source"] is None for n in metadata["nodes"] if n["name"] in members)
    assert set(cargo) == expected
    assert len(cargo) == 21
    for comp in cargo.values():
        assert comp.licenses == ()
        assert "Cargo.lock records no license" in (comp.unknown_reason or "")


def test_cargo_edges_match_cargo_metadata(cargo: dict[str, Component], metadata: dict) -> None:
    members = set(metadata["workspace_members"])
    for node in metadata["nodes"]:
        if node["name"] in members:
            continue
        deps = {cargo_purl(d["name"], d["version"]) for d in node["deps"]}
        assert set(cargo[cargo_purl(node["name"], node["version"])].dependencies) == deps


def _reachable(metadata: dict, kinds: set[str]) -> set[str]:
    """Crates reached from the workspace members through edges of ``kinds`` first, then normal."""
    nodes = {(n["name"], n["version"]): n for n in metadata["nodes"]}
    members = set(metadata["workspace_members"])
    todo = [
        (d["name"], d["version"])
        for n in metadata["nodes"]
        if n["name"] in members
        for d in n["deps"]
        if kinds & set(d["kinds"]) and d["name"] not in members
    ]
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        purl = cargo_purl(*key)
        if purl in seen:
            continue
        seen.add(purl)
        todo += [(d["name"], d["version"]) for d in nodes[key]["deps"] if "normal" in d["kinds"]]
    return seen


def test_cargo_scopes_from_the_workspace_manifests(
    cargo: dict[str, Component], metadata: dict
) -> None:
    shipped = _reachable(metadata, {"normal"})
    for purl, comp in cargo.items():
        if purl in shipped:
            assert comp.scope in (Scope.RUNTIME, Scope.OPTIONAL), purl
        else:
            assert comp.scope is Scope.DEV, purl  # dev- and build-dependencies only
    assert cargo[cargo_purl("itoa", "1.0.1")].scope is Scope.OPTIONAL  # optional = true
    assert cargo[cargo_purl("cc", "1.0.73")].scope is Scope.DEV  # [build-dependencies]
    assert cargo[cargo_purl("regex", "1.7.1")].scope is Scope.DEV  # [dev-dependencies]
    assert cargo[cargo_purl("quickcheck", "1.0.3")].scope is Scope.DEV  # the member's dev dep
    assert cargo[cargo_purl("bitflags", "1.3.2")].scope is Scope.RUNTIME  # cfg(unix) target
    assert cargo[cargo_purl("log", "0.4.17")].scope is Scope.RUNTIME  # renamed: logging
    assert cargo[cargo_purl("memchr", "2.5.0")].scope is Scope.RUNTIME  # member's + regex's
    assert cargo[cargo_purl("libc", "0.2.139")].scope is Scope.DEV  # only under quickcheck


def test_cargo_direct_are_what_the_members_ask_for(
    cargo: dict[str, Component], metadata: dict
) -> None:
    members = set(metadata["workspace_members"])
    direct = {
        cargo_purl(d["name"], d["version"])
        for n in metadata["nodes"]
        if n["name"] in members
        for d in n["deps"]
        if d["name"] not in members
    }
    assert {p for p, c in cargo.items() if c.direct} == direct
    assert len(direct) == 9


def test_cargo_purls() -> None:
    assert cargo_purl(
        "serde", "1.0.152", "registry+https://github.com/rust-lang/crates.io-index"
    ) == ("pkg:cargo/serde@1.0.152")
    git = "git+https://github.com/rust-lang/regex?branch=main#0123abc"
    assert cargo_purl("regex", "1.7.1", git) == (
        "pkg:cargo/regex@1.7.1?vcs_url=git%2Bhttps://github.com/rust-lang/regex%400123abc"
    )


def test_cargo_toml_alone_gives_exact_pins_only(tmp_path: Path) -> None:
    project = tmp_path / "alone"
    project.mkdir()
    shutil.copyfile(LOCKS / "cargo" / "Cargo.toml", project / "Cargo.toml")
    comps = {c.name: c for c in scan(CargoLockScanner(), tmp_path).components}
    # the path dependency (demo-util) is first-party; log is asked for as "logging"
    assert set(comps) == {"serde", "anyhow", "log", "itoa", "bitflags", "regex", "cc"}
    assert all(c.version is None and c.direct for c in comps.values())
    assert comps["itoa"].scope is Scope.OPTIONAL
    assert comps["cc"].scope is Scope.DEV
    assert "no lock file" in (comps["serde"].unknown_reason or "")


def test_cargo_member_manifest_is_covered_by_the_workspace_lock() -> None:
    found = scan(CargoLockScanner(), LOCKS / "cargo")
    assert all(c.version is not None for c in found.components)


def test_cargo_broken_lock_is_a_manifest_issue_with_the_line(tmp_path: Path) -> None:
    shutil.copytree(LOCKS / "cargo", tmp_path / "good")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "Cargo.lock").write_text(
        'version = 4\n\n[[package]]\nname = "x"\nversion = 1.0"\n', encoding="utf-8"
    )
    found = scan(CargoLockScanner(), tmp_path)
    (issue,) = found.issues
    assert issue.kind is IssueKind.MANIFEST and issue.path == "bad/Cargo.lock"
    assert issue.message.startswith("line 5: not valid TOML")
    assert len(found.components) == 21


def test_cargo_dependency_naming_no_package_is_an_issue(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text(
        'version = 3\n\n[[package]]\nname = "a"\nversion = "1.0.0"\ndependencies = ["b"]\n',
        encoding="utf-8",
    )
    (issue,) = scan(CargoLockScanner(), tmp_path).issues
    assert "'b' does not name one [[package]]" in issue.message


# --- Maven -------------------------------------------------------------------------------

REPOSITORY = LOCKS / "maven-repository"  # real published poms, laid out as Maven stores them
POM = "{http://maven.apache.org/POM/4.0.0}"


@pytest.fixture(autouse=True)
def no_local_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_maven_home: Path
) -> Path:
    """The test's own local Maven repository: empty (not even created) unless it fills it."""
    repository = tmp_path / "m2-repository"
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(repository))
    return repository


def maven(group: str, artifact: str, version: str | None = None) -> str:
    return f"pkg:maven/{group}/{artifact}" + (f"@{version}" if version else "")


def stored_pom(repository: Path, coordinates: str) -> Path:
    """Where Maven keeps the pom of ``group:artifact:version`` in ``repository``."""
    group, artifact, version = coordinates.split(":")
    return repository.joinpath(*group.split("."), artifact, version, f"{artifact}-{version}.pom")


def fill_repository(repository: Path, *coordinates: str) -> None:
    """Copy the saved poms of ``coordinates`` into ``repository`` where Maven puts them."""
    for each in coordinates:
        target = stored_pom(repository, each)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stored_pom(REPOSITORY, each), target)


def declared_versions(pom: Path) -> dict[str, str]:
    """``groupId:artifactId`` → version in the pom's own ``<dependencyManagement>``, its
    ``${…}`` replaced from its own ``<properties>`` (an import-scoped BOM included)."""
    from xml.etree import ElementTree

    project = ElementTree.parse(pom).getroot()
    properties = {
        e.tag.removeprefix(POM): (e.text or "").strip()
        for e in project.find(f"{POM}properties") or ()
    }
    out = {}
    for dep in project.iterfind(f"{POM}dependencyManagement/{POM}dependencies/{POM}dependency"):
        version = dep.findtext(f"{POM}version") or ""
        if version.startswith("${"):
            version = properties[version[2:-1]]
        out[f"{dep.findtext(f'{POM}groupId')}:{dep.findtext(f'{POM}artifactId')}"] = version
    return out


SPRING_BOOT = {  # the spring-boot 1.5.22 chain: sample -> samples -> starter-parent -> deps
    "samples": "org.springframework.boot:spring-boot-samples:1.5.22.RELEASE",
    "starter-parent": "org.springframework.boot:spring-boot-starter-parent:1.5.22.RELEASE",
    "dependencies": "org.springframework.boot:spring-boot-dependencies:1.5.22.RELEASE",
    "releasetrain": "org.springframework.data:spring-data-releasetrain:Ingalls-SR23",
    "data-build": "org.springframework.data.build:spring-data-build:1.9.23.RELEASE",
    "jackson-bom": "com.fasterxml.jackson:jackson-bom:2.8.11.20181123",
    "jackson-parent": "com.fasterxml.jackson:jackson-parent:2.8",
    "oss-parent": "com.fasterxml:oss-parent:27",
}


def test_maven_multi_module_build() -> None:
    found = scan(MavenPomScanner(), LOCKS / "maven")
    # the tree's parent comes from a repository, which is empty: named once, not per module
    (parent, bom) = found.issues
    assert parent.message.startswith(
        "parent org.springframework.boot:spring-boot-starter-parent:2.6.7 (of "
    )
    assert bom.message.startswith(
        "BOM org.springframework.cloud:spring-cloud-dependencies:2021.0.1 (of feign-api/pom.xml)"
    )
    comps = by_purl(found)
    resolved = {
        # order-service's own versions
        maven("com.alibaba.cloud", "spring-cloud-starter-alibaba-nacos-discovery", "2021.0.1.0"),
        maven("com.alibaba.cloud", "spring-cloud-starter-alibaba-nacos-config", "2021.0.1.0"),
        maven("org.springframework.cloud", "spring-cloud-starter-bootstrap", "3.1.1"),
        maven("org.springframework.cloud", "spring-cloud-starter-openfeign", "3.1.1"),
        maven("org.springframework.cloud", "spring-cloud-starter-loadbalancer", "3.1.1"),
        maven("io.github.openfeign", "feign-httpclient", "11.8"),
        # from the parent pom's <dependencyManagement> (../pom.xml)
        maven("mysql", "mysql-connector-java", "8.0.28"),
        maven("org.mybatis.spring.boot", "mybatis-spring-boot-starter", "2.2.2"),
    }
    unresolved = {  # managed by spring-boot-starter-parent, which is not in the tree
        maven("org.projectlombok", "lombok"),
        maven("org.springframework.boot", "spring-boot-starter-web"),
        maven("org.springframework.boot", "spring-boot-starter-test"),
    }
    assert set(comps) == resolved | unresolved
    # com.example:feign-api is a module of the tree: the project itself
    assert not any("feign-api" in p for p in comps)
    for purl in unresolved:
        assert comps[purl].version is None
        assert "does not resolve the version" in (comps[purl].unknown_reason or "")
        assert "not read: parent org.springframework.boot:spring-boot-starter-parent:2.6.7" in (
            comps[purl].unknown_reason or ""
        )
    for purl in resolved:
        assert "pom.xml records no license" in (comps[purl].unknown_reason or "")
    assert comps[maven("org.springframework.boot", "spring-boot-starter-test")].scope is Scope.TEST
    assert all(c.direct for c in comps.values())
    others = set(comps) - {maven("org.springframework.boot", "spring-boot-starter-test")}
    assert all(comps[p].scope is Scope.RUNTIME for p in others)
    # the project's own <licenses> are not a dependency's
    assert all(c.licenses == () for c in comps.values())


def test_maven_parent_version_property_and_no_parent_in_tree() -> None:
    comps = by_purl(scan(MavenPomScanner(), LOCKS / "maven-gson"))
    assert set(comps) == {
        maven("com.google.code.gson", "gson", "2.9.0-SNAPSHOT"),  # ${project.parent.version}
        maven("javax.annotation", "jsr250-api", "1.0"),
        maven("junit", "junit"),
    }
    assert comps[maven("junit", "junit")].scope is Scope.TEST


def test_maven_parent_from_the_local_repository(no_local_repository: Path) -> None:
    """gson's extras module, its parent pom installed where Maven would have put it."""
    parent = "com.google.code.gson:gson-parent:2.9.0-SNAPSHOT"
    fill_repository(no_local_repository, parent)
    found = scan(MavenPomScanner(), LOCKS / "maven-gson")
    comps = by_purl(found)
    junit = declared_versions(stored_pom(REPOSITORY, parent))["junit:junit"]
    assert junit == "4.13.2"
    assert set(comps) == {
        maven("com.google.code.gson", "gson", "2.9.0-SNAPSHOT"),
        maven("javax.annotation", "jsr250-api", "1.0"),
        maven("junit", "junit", junit),  # managed by the parent
    }
    assert comps[maven("junit", "junit", junit)].scope is Scope.TEST  # the module says test
    # the parent's own parent is not installed: named with where ospo looked, once
    (issue,) = found.issues
    assert issue.kind is IssueKind.MANIFEST and issue.path == "extras/pom.xml"
    assert issue.message.startswith(
        f"parent org.sonatype.oss:oss-parent:7 (of {parent}) is neither in the tree nor in "
        "the local Maven repository: ospo looked for "
        f"{stored_pom(no_local_repository, 'org.sonatype.oss:oss-parent:7')} "
    )
    assert "`mvn dependency:resolve`" in issue.message
    assert "`mvn -N install`" in issue.message
    assert ENVIRONMENT_VARIABLE in issue.message


def test_maven_local_repository_absent(no_local_repository: Path) -> None:
    assert not no_local_repository.exists()
    found = scan(MavenPomScanner(), LOCKS / "maven-gson")
    (issue,) = found.issues
    assert issue.message.startswith(
        "parent com.google.code.gson:gson-parent:2.9.0-SNAPSHOT (of extras/pom.xml) is "
        "neither in the tree nor in the local Maven repository: ospo looked for pom.xml and "
    )
    assert f"(the local repository {no_local_repository}, from {ENVIRONMENT_VARIABLE} in " in (
        issue.message
    )
    assert "does not exist)" in issue.message
    junit = by_purl(found)[maven("junit", "junit")]
    assert junit.version is None
    assert "not read: parent com.google.code.gson:gson-parent:2.9.0-SNAPSHOT" in (
        junit.unknown_reason or ""
    )


def test_maven_grandparents_and_imported_bom(no_local_repository: Path) -> None:
    """A spring-boot 1.5 sample: its parent, that one's parent and grandparent, and a BOM
    the grandparent imports, all from the local repository."""
    fill_repository(no_local_repository, *SPRING_BOOT.values())
    found = scan(MavenPomScanner(), LOCKS / "maven-spring-boot-sample")
    comps = {c.name: c for c in found.components}
    boot = declared_versions(stored_pom(REPOSITORY, SPRING_BOOT["dependencies"]))
    data = declared_versions(stored_pom(REPOSITORY, SPRING_BOOT["releasetrain"]))
    assert comps["org.springframework.boot:spring-boot-starter-web"].version == "1.5.22.RELEASE"
    for name in ("com.h2database:h2", "com.jayway.jsonpath:json-path"):  # ${…} of the grandparent
        assert comps[name].version == boot[name]
        assert "${" not in boot[name]
    hal = "org.springframework.data:spring-data-rest-hal-browser"
    assert hal not in boot and comps[hal].version == data[hal] == "2.6.23.RELEASE"
    assert all(c.version for c in comps.values())
    assert comps["com.jayway.jsonpath:json-path"].scope is Scope.TEST
    # the BOMs the grandparent imports that are not installed, each named once
    missing = {
        f"{name}:{boot[name]}"
        for name in boot
        if name.endswith(("-bom", "-releasetrain"))
        and f"{name}:{boot[name]}" not in (SPRING_BOOT.values())
    }
    assert len(missing) == 4  # log4j, spring framework, integration, security
    named = [i.message.split(" (of ")[0] for i in found.issues]
    assert sorted(named) == sorted(f"BOM {m}" for m in missing)
    assert all(f"(of {SPRING_BOOT['dependencies']})" in i.message for i in found.issues)


def test_maven_bom_properties_in_the_boms_own_context(tmp_path: Path) -> None:
    """jackson-bom defines jackson.version, so does spring-boot-dependencies that imports
    it, differently: the BOM's versions come from its own properties. And a version managed
    by a parent (spring-core, by spring-boot-starter-parent) wins over every BOM."""
    repository = tmp_path / "m2-repository"
    fill_repository(repository, *SPRING_BOOT.values())
    pom = (LOCKS / "maven-spring-boot-sample" / "pom.xml").read_text(encoding="utf-8")
    added = "".join(
        f"<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId></dependency>"
        for g, a in (
            ("com.fasterxml.jackson.core", "jackson-core"),
            ("com.fasterxml.jackson.core", "jackson-databind"),
            ("com.fasterxml.jackson.core", "jackson-annotations"),
            ("org.springframework", "spring-core"),
        )
    )
    (tmp_path / "sample").mkdir()
    (tmp_path / "sample" / "pom.xml").write_text(
        pom.replace("</dependencies>", added + "</dependencies>", 1), encoding="utf-8"
    )
    comps = {c.name: c for c in scan(MavenPomScanner(), tmp_path / "sample").components}
    boot = stored_pom(REPOSITORY, SPRING_BOOT["dependencies"]).read_text(encoding="utf-8")
    bom = declared_versions(stored_pom(REPOSITORY, SPRING_BOOT["jackson-bom"]))
    assert "<jackson.version>2.8.11.20181123</jackson.version>" in boot
    assert bom["com.fasterxml.jackson.core:jackson-core"] == "2.8.11"
    for name in ("jackson-core", "jackson-databind", "jackson-annotations"):
        key = f"com.fasterxml.jackson.core:{name}"
        assert comps[key].version == bom[key]
    assert "<spring.version>4.3.25.RELEASE</spring.version>" in boot
    assert comps["org.springframework:spring-core"].version == "4.3.25.RELEASE"


def test_maven_property_of_the_pom_overrides_its_parents_and_types_are_managed_apart(
    tmp_path: Path,
) -> None:
    """Spring Boot's documented way to change a managed version, a property of the child
    (h2.version), and a test-jar, which Maven manages apart from the jar."""
    fill_repository(tmp_path / "m2-repository", *SPRING_BOOT.values())
    pom = (LOCKS / "maven-spring-boot-sample" / "pom.xml").read_text(encoding="utf-8")
    added = (
        "<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot"
        "</artifactId><type>test-jar</type></dependency>"
        "<dependency><groupId>org.springframework.boot</groupId><artifactId>"
        "spring-boot-starter-json</artifactId><type>test-jar</type></dependency>"
    )
    text = pom.replace("<properties>", "<properties><h2.version>1.4.200</h2.version>", 1)
    (tmp_path / "sample").mkdir()
    (tmp_path / "sample" / "pom.xml").write_text(
        text.replace("</dependencies>", added + "</dependencies>", 1), encoding="utf-8"
    )
    boot = declared_versions(stored_pom(REPOSITORY, SPRING_BOOT["dependencies"]))
    assert boot["com.h2database:h2"] != "1.4.200"
    found = scan(MavenPomScanner(), tmp_path / "sample")
    comps = by_purl(found)
    assert maven("com.h2database", "h2", "1.4.200") in comps
    assert maven(
        "org.springframework.boot", "spring-boot", "1.5.22.RELEASE"
    ) + "?type=test-jar" in (comps)
    assert "org.springframework.boot:spring-boot-starter-json" not in boot  # 1.5 has none
    unmanaged = maven("org.springframework.boot", "spring-boot-starter-json") + "?type=test-jar"
    assert comps[unmanaged].version is None


def test_maven_parent_at_relative_path_of_another_version_is_not_used(
    tmp_path: Path, no_local_repository: Path
) -> None:
    """The pom at ../pom.xml is gson-parent, but of another version than extras names:
    Maven takes the parent from the repository then."""
    parent = "com.google.code.gson:gson-parent:2.9.0-SNAPSHOT"
    fill_repository(no_local_repository, parent)
    shutil.copytree(LOCKS / "maven-gson", tmp_path / "gson")
    older = stored_pom(REPOSITORY, parent).read_text(encoding="utf-8")
    older = older.replace("<version>2.9.0-SNAPSHOT</version>", "<version>2.8.9</version>", 1)
    (tmp_path / "gson" / "pom.xml").write_text(
        older.replace("<version>4.13.2</version>", "<version>4.12</version>"), encoding="utf-8"
    )
    comps = by_purl(scan(MavenPomScanner(), tmp_path / "gson"))
    assert maven("junit", "junit", "4.13.2") in comps
    # at the version extras names, the pom in the tree is the parent
    (tmp_path / "gson" / "pom.xml").write_text(
        older.replace("<version>2.8.9</version>", "<version>2.9.0-SNAPSHOT</version>", 1).replace(
            "<version>4.13.2</version>", "<version>4.12</version>"
        ),
        encoding="utf-8",
    )
    assert maven("junit", "junit", "4.12") in by_purl(scan(MavenPomScanner(), tmp_path / "gson"))


def test_maven_first_bom_wins_and_the_poms_own_management_wins(tmp_path: Path) -> None:
    """Two releases of jackson-bom manage jackson-databind differently; the import named
    first decides, and an entry of the pom's own management beats both."""
    repository = tmp_path / "m2-repository"
    older, newer = "2.8.11.20181123", "2.8.11.20200310"
    fill_repository(
        repository,
        f"com.fasterxml.jackson:jackson-bom:{older}",
        f"com.fasterxml.jackson:jackson-bom:{newer}",
        SPRING_BOOT["jackson-parent"],
        SPRING_BOOT["oss-parent"],
    )
    versions = {
        v: declared_versions(stored_pom(REPOSITORY, f"com.fasterxml.jackson:jackson-bom:{v}"))
        for v in (older, newer)
    }
    databind = "com.fasterxml.jackson.core:jackson-databind"
    assert versions[older][databind] != versions[newer][databind]
    base = (LOCKS / "maven-gson" / "extras" / "pom.xml").read_text(encoding="utf-8")

    def imports(*boms: str, own: str = "") -> str:
        entries = "".join(
            "<dependency><groupId>com.fasterxml.jackson</groupId><artifactId>jackson-bom"
            f"</artifactId><version>{v}</version><type>pom</type><scope>import</scope>"
            "</dependency>"
            for v in boms
        )
        return (
            f"<dependencyManagement><dependencies>{own}{entries}</dependencies>"
            "</dependencyManagement><dependencies><dependency><groupId>"
            "com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>"
            "</dependency>"
        )

    own = (
        "<dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>"
        "jackson-databind</artifactId><version>2.9.0</version></dependency>"
    )
    for order, expected in (
        ((older, newer), versions[older][databind]),
        ((newer, older), versions[newer][databind]),
        ((older, newer), "2.9.0"),
    ):
        project = tmp_path / "-".join(order) / expected
        project.mkdir(parents=True)
        text = base.replace(
            "<dependencies>", imports(*order, own=own if expected == "2.9.0" else ""), 1
        )
        (project / "pom.xml").write_text(text, encoding="utf-8")
        comps = {c.name: c for c in scan(MavenPomScanner(), project).components}
        assert comps[databind].version == expected, order


def test_maven_parent_and_bom_cycles_stop(tmp_path: Path) -> None:
    """Malformed poms whose parents and imports go round in a circle: the chain stops and
    says so, and the dependencies are still listed."""
    repository = tmp_path / "m2-repository"

    def install(coordinates: str, inside: str) -> None:
        group, artifact, version = coordinates.split(":")
        target = stored_pom(repository, coordinates)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f"<project><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
            f"<version>{version}</version>{inside}</project>",
            encoding="utf-8",
        )

    def parent(coordinates: str) -> str:
        group, artifact, version = coordinates.split(":")
        return (
            f"<parent><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
            f"<version>{version}</version></parent>"
        )

    def bom(coordinates: str) -> str:
        group, artifact, version = coordinates.split(":")
        return (
            "<dependencyManagement><dependencies><dependency>"
            f"<groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
            f"<version>{version}</version><type>pom</type><scope>import</scope>"
            "</dependency></dependencies></dependencyManagement>"
        )

    install("org.example:a:1", parent("org.example:b:1"))
    install("org.example:b:1", parent("org.example:a:1"))
    install("org.example:x:1", bom("org.example:y:1"))
    install("org.example:y:1", bom("org.example:x:1"))
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "pom.xml").write_text(
        "<project>"
        + parent("org.example:a:1")
        + "<artifactId>app</artifactId>"
        + bom("org.example:x:1")
        + "<dependencies><dependency><groupId>junit</groupId><artifactId>junit</artifactId>"
        "<version>4.13.2</version></dependency></dependencies></project>",
        encoding="utf-8",
    )
    found = scan(MavenPomScanner(), tmp_path / "app")
    assert [c.purl for c in found.components] == [maven("junit", "junit", "4.13.2")]
    messages = sorted(i.message for i in found.issues)
    assert len(messages) == 2
    assert messages[0].startswith(
        "BOM org.example:x:1 (of org.example:y:1) imports itself through "
        "org.example:x:1 -> org.example:y:1 -> org.example:x:1"
    )
    assert messages[1].startswith(
        "parent org.example:a:1 (of org.example:b:1) is its own ancestor: "
        "pom.xml -> org.example:a:1 -> org.example:b:1 -> org.example:a:1"
    )


def test_maven_runaway_parent_chain_stops(tmp_path: Path) -> None:
    """A chain of parents longer than any real build's stops at MAX_DEPTH, and says so."""
    for level in range(MAX_DEPTH + 5):
        target = stored_pom(tmp_path / "m2-repository", f"org.example:level{level}:1")
        target.parent.mkdir(parents=True)
        target.write_text(
            f"<project><groupId>org.example</groupId><artifactId>level{level}</artifactId>"
            "<version>1</version><parent><groupId>org.example</groupId>"
            f"<artifactId>level{level + 1}</artifactId><version>1</version></parent>"
            "</project>",
            encoding="utf-8",
        )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "pom.xml").write_text(
        "<project><parent><groupId>org.example</groupId><artifactId>level0</artifactId>"
        "<version>1</version></parent><artifactId>app</artifactId></project>",
        encoding="utf-8",
    )
    (issue,) = scan(MavenPomScanner(), tmp_path / "app").issues
    assert issue.message.startswith(
        f"parent org.example:level{MAX_DEPTH}:1 (of org.example:level{MAX_DEPTH - 1}:1) is "
        f"more than {MAX_DEPTH} parents up"
    )


def test_maven_unusable_pom_in_the_repository_is_named(tmp_path: Path) -> None:
    repository = tmp_path / "m2-repository"
    target = stored_pom(repository, "com.google.code.gson:gson-parent:2.9.0-SNAPSHOT")
    target.parent.mkdir(parents=True)
    target.write_text("<project>\n<parent>\n</project>\n", encoding="utf-8")
    (issue,) = scan(MavenPomScanner(), LOCKS / "maven-gson").issues
    assert issue.message.startswith(
        "parent com.google.code.gson:gson-parent:2.9.0-SNAPSHOT (of extras/pom.xml) is in the "
        f"local repository, but {target}, line 3 is unusable: not valid XML: mismatched tag"
    )
    target.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">]>\n<project>&a;</project>',
        encoding="utf-8",
    )
    (issue,) = scan(MavenPomScanner(), LOCKS / "maven-gson").issues
    assert f"{target}, line 2 is unusable: a pom with a DOCTYPE is not read" in issue.message
    target.write_bytes(b"<project>\xff</project>")
    (issue,) = scan(MavenPomScanner(), LOCKS / "maven-gson").issues
    assert f"{target} is unusable: not UTF-8 text" in issue.message


SETTINGS = (
    '<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">\n'
    "  <localRepository>{}</localRepository>\n"
    "</settings>\n"
)


def test_local_repository_is_found_as_maven_finds_it(tmp_path: Path) -> None:
    home, top = tmp_path / "home", tmp_path / "project"
    module = top / "module"
    module.mkdir(parents=True)
    (home / ".m2").mkdir(parents=True)

    def where(environ: dict[str, str] | None = None) -> tuple[Path, str]:
        found = locate_local_repository(module, top, environ or {}, home)
        assert found is not None
        return found.path, found.source

    assert where() == (home / ".m2" / "repository", "Maven's default location")
    settings = home / ".m2" / "settings.xml"
    settings.write_text(SETTINGS.format("${user.home}/m2-cache"), encoding="utf-8")
    assert where() == (home / "m2-cache", f"<localRepository> in {settings}")
    settings.write_text(SETTINGS.format("${env.CI_CACHE}/m2"), encoding="utf-8")
    assert where({"CI_CACHE": "/cache"})[0] == Path("/cache/m2")
    (top / ".mvn").mkdir()
    config = top / ".mvn" / "maven.config"
    config.write_text("--settings ci/settings.xml -B\n", encoding="utf-8")
    (top / "ci").mkdir()
    (top / "ci" / "settings.xml").write_text(SETTINGS.format("/srv/m2"), encoding="utf-8")
    assert where()[0] == Path("/srv/m2")
    config.write_text("-B -Dmaven.repo.local=.m2/repository\n", encoding="utf-8")
    assert where() == (top / ".m2" / "repository", f"-Dmaven.repo.local in {config}")
    override = {ENVIRONMENT_VARIABLE: str(tmp_path / "mine")}
    assert where(override) == (tmp_path / "mine", f"{ENVIRONMENT_VARIABLE} in the environment")


def test_local_repository_with_broken_settings_is_the_default(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".m2").mkdir(parents=True)
    (home / ".m2" / "settings.xml").write_text("<settings><localRepository>", encoding="utf-8")
    found = locate_local_repository(tmp_path, tmp_path, {}, home)
    assert found is not None and found.path == home / ".m2" / "repository"
    assert (found.problem or "").startswith(f"{home / '.m2' / 'settings.xml'} is not valid XML")


def test_maven_reads_the_repository_the_user_settings_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the override, the scan finds the repository as Maven would: here through
    ``~/.m2/settings.xml`` of a home directory made for the test."""
    home = tmp_path / "home"
    (home / ".m2").mkdir(parents=True)
    (home / ".m2" / "settings.xml").write_text(
        SETTINGS.format("${user.home}/maven-cache"), encoding="utf-8"
    )
    fill_repository(home / "maven-cache", "com.google.code.gson:gson-parent:2.9.0-SNAPSHOT")
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    monkeypatch.setenv("HOME", str(home))
    found = scan(MavenPomScanner(), LOCKS / "maven-gson")
    assert by_purl(found)[maven("junit", "junit", "4.13.2")].scope is Scope.TEST
    (issue,) = found.issues  # gson-parent's own parent, not installed
    assert f"from <localRepository> in {home / '.m2' / 'settings.xml'})" in issue.message


def test_maven_scopes_optional_properties_and_ranges(tmp_path: Path) -> None:
    """The scope rules, over a copy of the real parent pom given more dependencies."""
    pom = (LOCKS / "maven" / "pom.xml").read_text(encoding="utf-8")
    extra = """
        <dependency><groupId>javax.servlet</groupId><artifactId>javax.servlet-api</artifactId>
          <version>4.0.1</version><scope>provided</scope></dependency>
        <dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId>
          <version>${mysql.version}</version><scope>runtime</scope>
          <optional>true</optional></dependency>
        <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
          <version>[1.7,2.0)</version></dependency>
        <dependency><groupId>org.example</groupId><artifactId>x</artifactId>
          <version>${undefined.version}</version></dependency>
    </dependencies>
</project>"""
    (tmp_path / "pom.xml").write_text(pom.rpartition("</dependencies>")[0] + extra, "utf-8")
    comps = {c.name: c for c in scan(MavenPomScanner(), tmp_path).components}
    assert comps["javax.servlet:javax.servlet-api"].scope is Scope.DEV
    assert comps["com.h2database:h2"].scope is Scope.OPTIONAL
    assert comps["com.h2database:h2"].version == "8.0.28"
    assert comps["org.slf4j:slf4j-api"].version is None
    assert "range" in (comps["org.slf4j:slf4j-api"].unknown_reason or "")
    assert comps["org.example:x"].version is None
    assert "${undefined.version}" in (comps["org.example:x"].unknown_reason or "")
    # the parent outside the tree may define the property, not decide a range
    parent = "not read: parent org.springframework.boot:spring-boot-starter-parent:2.6.7"
    assert parent in (comps["org.example:x"].unknown_reason or "")
    assert parent not in (comps["org.slf4j:slf4j-api"].unknown_reason or "")


def test_maven_broken_xml_is_a_manifest_issue_with_the_line(tmp_path: Path) -> None:
    shutil.copytree(LOCKS / "maven-gson", tmp_path / "good")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pom.xml").write_text(
        "<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n",
        encoding="utf-8",
    )
    found = scan(MavenPomScanner(), tmp_path)
    (issue,) = [i for i in found.issues if "gson-parent" not in i.message]
    assert issue.kind is IssueKind.MANIFEST and issue.path == "bad/pom.xml"
    assert issue.message.startswith("line 4: not valid XML: mismatched tag")
    assert len(found.components) == 3


def test_maven_doctype_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pom.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<project>&b;</project>\n',
        encoding="utf-8",
    )
    (issue,) = scan(MavenPomScanner(), tmp_path).issues
    assert issue.message.startswith("line 2: a pom with a DOCTYPE is not read")


# --- the CLI -----------------------------------------------------------------------------


def test_scan_cli_over_go_rust_and_java(tmp_path: Path) -> None:
    product = tmp_path / "product"
    shutil.copytree(LOCKS / "cargo", product / "engine")
    (product / "engine" / "cargo-metadata.json").unlink()
    shutil.copytree(LOCKS / "go-old", product / "cli")
    shutil.copytree(LOCKS / "maven", product / "service")
    out = tmp_path / "inventory.json"
    done = run_ospo("scan", product, "-o", out)
    assert done.returncode == 0, done.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    purls = {c["purl"]: c for c in inventory["components"]}
    assert sum(p.startswith("pkg:cargo/") for p in purls) == 21
    assert sum(p.startswith("pkg:golang/") for p in purls) == 8
    assert sum(p.startswith("pkg:maven/") for p in purls) == 11
    assert purls["pkg:cargo/cc@1.0.73"]["scope"] == "dev"
    assert purls["pkg:cargo/serde@1.0.152"]["direct"] is True
    assert (
        purls["pkg:golang/gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405"]["direct"] is False
    )
    assert purls["pkg:maven/mysql/mysql-connector-java@8.0.28"]["scope"] == "runtime"
    assert purls["pkg:maven/mysql/mysql-connector-java@8.0.28"]["license_expression"] is None
    manifest = [i["message"] for i in inventory["scan"]["issues"] if i["kind"] == "manifest"]
    assert len(manifest) == 2  # the parent and the BOM the empty local repository lacks
    assert "spring-boot-starter-parent:2.6.7" in manifest[0] + manifest[1]


def test_scan_cli_reads_the_local_maven_repository(tmp_path: Path) -> None:
    repository = tmp_path / "repository"
    fill_repository(repository, *SPRING_BOOT.values())
    product = tmp_path / "product"
    shutil.copytree(LOCKS / "maven-spring-boot-sample", product)
    out = tmp_path / "inventory.json"
    done = run_ospo("scan", product, "-o", out, env={ENVIRONMENT_VARIABLE: str(repository)})
    assert done.returncode == 0, done.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    purls = {c["purl"] for c in inventory["components"]}
    hal = "org.springframework.data:spring-data-rest-hal-browser"
    version = declared_versions(stored_pom(REPOSITORY, SPRING_BOOT["releasetrain"]))[hal]
    assert maven(*hal.split(":"), version) in purls
    issues = [i for i in inventory["scan"]["issues"] if i["kind"] == "manifest"]
    assert len(issues) == 4 and all(i["path"] == "pom.xml" for i in issues)
    assert all(i["message"].startswith("BOM ") for i in issues)
