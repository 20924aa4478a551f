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
from ospo.scanners.lockfiles.maven import MavenPomScanner


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


def maven(group: str, artifact: str, version: str | None = None) -> str:
    return f"pkg:maven/{group}/{artifact}" + (f"@{version}" if version else "")


def test_maven_multi_module_build() -> None:
    found = scan(MavenPomScanner(), LOCKS / "maven")
    assert found.issues == ()
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


def test_maven_broken_xml_is_a_manifest_issue_with_the_line(tmp_path: Path) -> None:
    shutil.copytree(LOCKS / "maven-gson", tmp_path / "good")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pom.xml").write_text(
        "<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n",
        encoding="utf-8",
    )
    found = scan(MavenPomScanner(), tmp_path)
    (issue,) = found.issues
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
    assert not any(i["kind"] == "manifest" for i in inventory["scan"]["issues"])
