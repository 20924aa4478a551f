# SPDX-License-Identifier: Apache-2.0
"""SPDX 2.2/2.3 import (JSON, tag-value) and SPDX 2.3 JSON export.

The SPDX documents were made by npm, sbom4python, Trivy and ScanCode
(``tests/data/sbom/SOURCES.md``); what ospo reads from each is checked against what the
document says, read here with plain ``json`` and regular expressions. The export is
validated against the official SPDX 2.3 JSON Schema and by spdx-tools.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import jsonschema
import pytest

from conftest import DATA, make_vendored_app, run_ospo
from ospo import inventory_json
from ospo.errors import InputError
from ospo.model import Inventory, LicenseSource, Scope
from ospo.reporters import RenderOptions
from ospo.sbom import load_sbom
from ospo.sbom.spdx2.writer import SpdxJsonReporter

SBOM = DATA / "sbom"
SCHEMA = DATA / "schemas" / "spdx-schema-2.3.1.json"
PINNED = RenderOptions(
    timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    serial_number=UUID("12345678-1234-5678-1234-567812345678"),
)
JSON_FIXTURES = (
    "npm-sbom-webapp.spdx.json",
    "sbom4python-flask.spdx.json",
    "trivy-conda.spdx.json",
    "scancode-vendored-pyspdxtools.spdx.json",
)
#: Tag-value documents and the JSON form of the same document.
TWINS = (
    ("sbom4python-flask.spdx", "sbom4python-flask.spdx.json"),
    ("trivy-conda-pyspdxtools.spdx", "trivy-conda.spdx.json"),
    ("scancode-vendored.spdx", "scancode-vendored-pyspdxtools.spdx.json"),
)


def schema_errors(document: dict) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def spdx_tools_messages(text: str) -> list[str]:
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    document = JsonLikeDictParser().parse(json.loads(text))
    return [m.validation_message for m in validate_full_spdx_document(document)]


def expected_from_json(name: str) -> dict:
    """What the document says, read without ospo: components, licenses and edges."""
    data = json.loads((SBOM / name).read_text(encoding="utf-8"))
    described = {
        r["relatedSpdxElement"]
        for r in data.get("relationships", [])
        if r["relationshipType"] == "DESCRIBES" and r["spdxElementId"] == "SPDXRef-DOCUMENT"
    } | set(data.get("documentDescribes", []))
    purl_of = {}
    for package in data["packages"]:
        for ref in package.get("externalRefs", []):
            if ref["referenceType"] == "purl" and package["SPDXID"] not in described:
                purl_of[package["SPDXID"]] = ref["referenceLocator"]
    licenses = {}
    for package in data["packages"]:
        if package["SPDXID"] in purl_of:
            licenses[purl_of[package["SPDXID"]]] = {
                k: package[k]
                for k in ("licenseDeclared", "licenseConcluded")
                if package.get(k) not in (None, "NOASSERTION", "NONE")
            }
    edges = set()
    for r in data.get("relationships", []):
        a, b, kind = r["spdxElementId"], r["relatedSpdxElement"], r["relationshipType"]
        if kind == "DEPENDS_ON" and a in purl_of and b in purl_of:
            edges.add((purl_of[a], purl_of[b]))
        if kind.endswith("DEPENDENCY_OF") and a in purl_of and b in purl_of:
            edges.add((purl_of[b], purl_of[a]))
    return {"licenses": licenses, "edges": edges}


def signature(inventory: Inventory) -> list[tuple]:
    """Everything the import yields about components, for comparing two imports."""
    return [
        (
            c.purl,
            c.name,
            c.version,
            c.scope,
            c.direct,
            c.license_expression,
            c.licenses,
            c.dependencies,
            c.unknown_reason,
        )
        for c in inventory.components
    ]


# --- import -------------------------------------------------------------------------


@pytest.mark.parametrize("name", JSON_FIXTURES)
def test_real_json_documents_import(name: str) -> None:
    inventory = load_sbom(SBOM / name)
    expected = expected_from_json(name)
    assert {c.purl for c in inventory.components} == set(expected["licenses"])
    for comp in inventory.components:
        said = expected["licenses"][comp.purl]
        evidence = {
            e.source: e.expression for e in comp.licenses if e.source is not LicenseSource.DETECTED
        }
        if "licenseDeclared" in said:
            assert evidence[LicenseSource.DECLARED] == said["licenseDeclared"], comp.purl
        else:
            assert LicenseSource.DECLARED not in evidence, comp.purl
        if "licenseConcluded" in said:
            assert evidence[LicenseSource.CONCLUDED] == said["licenseConcluded"], comp.purl
    edges = {(c.purl, d) for c in inventory.components for d in c.dependencies}
    assert expected["edges"] <= edges
    assert inventory.scan.tools


def test_npm_document_product_scopes_and_repairs() -> None:
    inventory = load_sbom(SBOM / "npm-sbom-webapp.spdx.json")
    assert inventory.subject.name == "webapp"
    assert inventory.subject.declared_license == "Apache-2.0"
    by_purl = {c.purl: c for c in inventory.components}
    assert by_purl["pkg:npm/mocha@12.0.3"].scope is Scope.DEV
    assert by_purl["pkg:npm/mocha@12.0.3"].direct
    assert by_purl["pkg:npm/picocolors@1.1.1"].scope is Scope.OPTIONAL
    assert by_purl["pkg:npm/ms@2.1.3"].scope is Scope.RUNTIME  # a peer: PREREQUISITE_FOR
    assert by_purl["pkg:npm/ms@2.1.3"].direct
    assert not by_purl["pkg:npm/debug@2.6.9"].direct
    jsonify = by_purl["pkg:npm/jsonify@0.0.1"]
    assert jsonify.license_expression is None
    (declared,) = jsonify.licenses
    assert declared.expression == "Public Domain"
    assert not declared.valid
    # npm writes milliseconds, which SPDX does not allow: read, and said so
    assert inventory.scan.timestamp == "2026-11-22T20:57:05Z"
    assert any("fractional seconds" in i.message for i in inventory.scan.issues)


def test_npm_document_matches_ospos_own_scan_of_the_lock_file(tmp_path: Path) -> None:
    """``npm sbom`` and ospo's reading of the same package-lock.json agree.

    Same 116 packages, the same licenses (jsonify's ``Public Domain`` is unknown in both),
    scopes, direct flags and edges. npm marks the peer dependency ms with
    PREREQUISITE_FOR, which ospo reads as a runtime edge, like its lock file reader does.
    """
    project = tmp_path / "npm"
    project.mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(DATA / "lockfiles" / "npm" / name, project / name)
    out = tmp_path / "inv.json"
    proc = run_ospo("scan", project, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    own = {c.purl: c for c in inventory_json.load(out).components}
    imported = {c.purl: c for c in load_sbom(SBOM / "npm-sbom-webapp.spdx.json").components}
    assert set(own) == set(imported)
    assert len(own) == 116
    for purl, comp in own.items():
        other = imported[purl]
        assert comp.license_expression == other.license_expression, purl
        assert (comp.scope, comp.direct) == (other.scope, other.direct), purl
        assert comp.dependencies == other.dependencies, purl


def test_products_without_purl_packages_and_without_describes() -> None:
    trivy = load_sbom(SBOM / "trivy-conda.spdx.json")
    # DESCRIBES the filesystem, which CONTAINS an application grouping without a purl,
    # which CONTAINS the packages: the grouping is passed through, the packages are direct
    assert trivy.subject.name == "testdata/fixtures/fs/conda"
    assert [(c.purl, c.direct, c.license_expression) for c in trivy.components] == [
        ("pkg:conda/openssl@1.1.1q", True, "OpenSSL"),
        ("pkg:conda/pip@22.2.2", True, "MIT"),
    ]
    assert any("conda-pkg" in i.message for i in trivy.scan.issues)
    # ScanCode writes no DESCRIBES: its only package is the product
    scancode = load_sbom(SBOM / "scancode-vendored.spdx")
    assert scancode.subject.name == "vendored"
    assert scancode.components == ()
    assert ("scancode-toolkit", "32.5.0") in [(t.name, t.version) for t in scancode.scan.tools]


def test_sbom4python_outbound_license_from_concluded() -> None:
    inventory = load_sbom(SBOM / "sbom4python-flask.spdx.json")
    # flask declares NOASSERTION ("BSD License" is not SPDX) and concludes BSD-3-Clause
    assert inventory.subject.name == "flask"
    assert inventory.subject.declared_license == "BSD-3-Clause"
    by_purl = {c.purl: c for c in inventory.components}
    assert by_purl["pkg:pypi/werkzeug@3.1.9"].direct
    assert not by_purl["pkg:pypi/markupsafe@3.0.4"].direct


@pytest.mark.parametrize(("tagvalue", "json_form"), TWINS)
def test_tag_value_and_json_of_the_same_document_import_the_same(
    tagvalue: str, json_form: str
) -> None:
    text = (SBOM / tagvalue).read_text(encoding="utf-8")
    from_tv = load_sbom(SBOM / tagvalue)
    from_json = load_sbom(SBOM / json_form)
    assert signature(from_tv) == signature(from_json)
    assert from_tv.subject == from_json.subject
    purls = re.findall(r"^ExternalRef: PACKAGE[-_]MANAGER purl (\S+)", text, re.M)
    assert {c.purl for c in from_tv.components} <= set(purls)


# --- export -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> dict:
    """The vendored app, scanned once: its tree, inventory and SPDX export."""
    app = make_vendored_app(tmp_path_factory.mktemp("spdx"))
    out = app.parent / "out"
    out.mkdir()
    proc = run_ospo(
        "scan",
        app,
        "-q",
        "-o",
        out / "inv.json",
        "--spdx",
        out / "bom.spdx.json",
        env={"OSPO_CACHE_DIR": str(session_cache)},
    )
    assert proc.returncode == 0, proc.stderr
    text = (out / "bom.spdx.json").read_text(encoding="utf-8")
    return {
        "app": app,
        "inventory": inventory_json.load(out / "inv.json"),
        "text": text,
        "data": json.loads(text),
    }


def test_export_validates_against_the_schema_and_spdx_tools(scanned: dict) -> None:
    assert schema_errors(scanned["data"]) == []
    assert spdx_tools_messages(scanned["text"]) == []
    assert scanned["data"]["spdxVersion"] == "SPDX-2.3"
    assert scanned["data"]["creationInfo"]["creators"][0] == "Tool: ospo-0.1.0"


def test_export_packages_edges_and_files(scanned: dict) -> None:
    data, app = scanned["data"], scanned["app"]
    packages = {p["SPDXID"]: p for p in data["packages"]}
    product = packages["SPDXRef-Product"]
    assert product["name"] == "app"
    described = [r for r in data["relationships"] if r["relationshipType"] == "DESCRIBES"]
    assert [r["relatedSpdxElement"] for r in described] == ["SPDXRef-Product"]
    purls = {
        ref["referenceLocator"]: p
        for p in data["packages"]
        for ref in p.get("externalRefs", [])
        if ref["referenceType"] == "purl"
    }
    assert set(purls) == {c.purl for c in scanned["inventory"].components}
    assert purls["pkg:npm/is-number@7.0.0"]["licenseDeclared"] == "MIT"
    assert purls["pkg:npm/is-number@7.0.0"]["licenseConcluded"] == "MIT"
    depends = {
        r["relatedSpdxElement"]
        for r in data["relationships"]
        if r["relationshipType"] == "DEPENDS_ON" and r["spdxElementId"] == "SPDXRef-Product"
    }
    assert depends == {p["SPDXID"] for p in purls.values()}  # vendored code is direct
    # every first-party file, with a SHA1 computed here from the file itself
    files = {f["fileName"]: f for f in data["files"]}
    assert set(files) == {f"./{f.path}" for f in scanned["inventory"].files}
    main = files["./src/main.py"]
    sha1 = hashlib.sha1((app / "src" / "main.py").read_bytes()).hexdigest()
    assert {"algorithm": "SHA1", "checksumValue": sha1} in main["checksums"]
    assert main["licenseInfoInFiles"] == ["LicenseRef-Acme-Proprietary"]
    assert main["copyrightText"] == "Copyright (c) 2026 Acme Corporation"
    assert files["./src/util.py"]["licenseInfoInFiles"] == ["NONE"]
    refs = {e["licenseId"] for e in data["hasExtractedLicensingInfos"]}
    assert refs == {"LicenseRef-Acme-Proprietary"}
    assert product["filesAnalyzed"] is True
    assert "MIT" in product["licenseInfoFromFiles"]


def test_dev_test_and_optional_scopes_become_their_relationships(scanned: dict) -> None:
    from dataclasses import replace

    inventory = scanned["inventory"]
    scopes = [Scope.DEV, Scope.TEST, Scope.OPTIONAL]
    components = tuple(
        replace(c, scope=s) for c, s in zip(inventory.components, scopes, strict=True)
    )
    data = json.loads(SpdxJsonReporter().render(replace(inventory, components=components), PINNED))
    assert schema_errors(data) == []
    kinds = {
        r["relationshipType"]
        for r in data["relationships"]
        if r["relatedSpdxElement"] == "SPDXRef-Product" and r["relationshipType"] != "DESCRIBES"
    }
    assert kinds == {"DEV_DEPENDENCY_OF", "TEST_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF"}
    again = load_spdx_text(json.dumps(data))
    assert [c.scope for c in again.components] == [c.scope for c in components]


def load_spdx_text(text: str) -> Inventory:
    from ospo.sbom.spdx2.reader import load_spdx_json

    return load_spdx_json(json.loads(text), text, Path("exported.spdx.json"))


def test_without_the_tree_files_are_left_out(scanned: dict) -> None:
    data = json.loads(SpdxJsonReporter().render(scanned["inventory"], PINNED))
    assert "files" not in data or data["files"] == []
    assert data["packages"][0]["filesAnalyzed"] is False
    assert "CycloneDX" in data["comment"]
    assert schema_errors(data) == []


def test_a_changed_tree_leaves_files_out(scanned: dict, tmp_path: Path) -> None:
    tree = tmp_path / "app"
    shutil.copytree(scanned["app"], tree)
    (tree / "src" / "util.py").write_text("changed\n", encoding="utf-8")
    data = json.loads(SpdxJsonReporter(root=tree).render(scanned["inventory"], PINNED))
    assert data["packages"][0]["filesAnalyzed"] is False


def test_export_import_export_is_stable(scanned: dict, tmp_path: Path) -> None:
    first = SpdxJsonReporter().render(scanned["inventory"], PINNED)
    path = tmp_path / "first.spdx.json"
    path.write_text(first, encoding="utf-8")
    second = SpdxJsonReporter().render(load_sbom(path), PINNED)
    assert second == first
    data = json.loads(first)
    assert data["creationInfo"]["created"] == "2026-01-02T03:04:05Z"
    assert data["documentNamespace"].endswith("12345678-1234-5678-1234-567812345678")


def test_scancode_license_refs_point_to_the_license_db(scanned: dict) -> None:
    from dataclasses import replace

    inventory = scanned["inventory"]
    comp = replace(inventory.components[0], license_expression="LicenseRef-scancode-unknown")
    data = json.loads(
        SpdxJsonReporter().render(
            replace(inventory, components=(comp, *inventory.components[1:])), PINNED
        )
    )
    (ref,) = [
        e
        for e in data["hasExtractedLicensingInfos"]
        if e["licenseId"] == "LicenseRef-scancode-unknown"
    ]
    assert "scancode-licensedb.aboutcode.org/unknown.html" in ref["extractedText"]
    assert schema_errors(data) == []


# --- the command line ---------------------------------------------------------------


def test_check_reads_an_spdx_sbom() -> None:
    proc = run_ospo(
        "check", "--sbom", SBOM / "sbom4python-flask.spdx", "--format", "json", "--profile", "saas"
    )
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout)
    assert data["verdict"] in ("pass", "fail")
    components = {f["component"] for f in data["findings"] if f["component"]}
    assert "pkg:pypi/werkzeug@3.1.9" in components


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"spdxVersion": "SPDX-2.3", "SPDXID": ', "not JSON"),
        ('{"spdxVersion": "SPDX-2.1"}', "SPDX version 'SPDX-2.1' is not supported"),
        ("SPDXVersion: SPDX-3.0\n", ":1: SPDX version 'SPDX-3.0' is not supported"),
        (
            "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nthis is not a tag\n",
            ":3: not a valid SPDX-2.3 document: Unknown tag provided in line 3",
        ),
    ],
)
def test_invalid_spdx_exits_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.spdx"
    path.write_text(content, encoding="utf-8")
    proc = run_ospo("check", "--sbom", path)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert str(path) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_required_field_names_the_package(tmp_path: Path) -> None:
    data = json.loads((SBOM / "trivy-conda.spdx.json").read_text(encoding="utf-8"))
    del data["packages"][1]["downloadLocation"]
    path = tmp_path / "bad.spdx.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = run_ospo("check", "--sbom", path)
    assert proc.returncode == 2
    assert (
        "at packages/1 (SPDXRef-Package-b1088cb4090e3a55): missing required field "
        "'downloadLocation'"
    ) in proc.stderr
    assert str(path) in proc.stderr


def test_dangling_relationship_is_an_input_error(tmp_path: Path) -> None:
    data = json.loads((SBOM / "trivy-conda.spdx.json").read_text(encoding="utf-8"))
    data["relationships"][1]["relatedSpdxElement"] = "SPDXRef-Nowhere"
    path = tmp_path / "bad.spdx.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="SPDXRef-Nowhere"):
        load_sbom(path)


def test_help_and_a_cached_scan_do_not_import_spdx_tools(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    (root / "a.py").write_text(f"# SPDX-License-Identifier: MIT\n# {root}\n", encoding="utf-8")
    probe = (
        "import contextlib, io, sys\n"
        "from ospo.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert run(['--help']) == 0\n"
        "    assert run(['scan', '--help']) == 0\n"
        f"    assert run(['scan', {str(root)!r}]) == 0\n"
        "print('spdx_tools' in sys.modules)\n"
    )
    for _ in range(2):  # the second scan is fully cached
        proc = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=600
        )
        assert proc.stdout.strip().splitlines()[-1] == "False"
