# SPDX-License-Identifier: Apache-2.0
"""SPDX 3.0 JSON-LD export and import.

The export of real inventories (ospo's scan of the npm example project and of the vendored
app) is validated against the official SPDX 3.0.1 JSON Schema with plain jsonschema, read
back and compared field by field with the inventory it came from.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import jsonschema
import pytest

from conftest import DATA, make_vendored_app, run_ospo
from ospo import inventory_json
from ospo.errors import OperationalError
from ospo.licensing import combine_and, normalize
from ospo.model import Component, Inventory, LicenseSource, Scope
from ospo.reporters.base import RenderOptions
from ospo.resources import schema_path
from ospo.sbom.spdx3 import Spdx3JsonReporter, read_spdx3, sniff, write_spdx3
from ospo.sbom.spdx3_validation import first_error

PINNED = RenderOptions(
    timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    serial_number=UUID("12345678-1234-5678-1234-567812345678"),
)


def official_errors(document: dict) -> list[str]:
    """Errors of plain jsonschema with the official SPDX 3.0.1 schema (no speed-ups)."""
    schema = json.loads(schema_path("spdx-3.0.1.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def read_text(text: str, name: str = "exported.spdx3.json") -> Inventory:
    return read_spdx3(json.loads(text), text, Path(name))


def by_type(document: dict, kind: str) -> list[dict]:
    return [e for e in document["@graph"] if e["type"] == kind]


@pytest.fixture(scope="module")
def npm_inventory(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> Inventory:
    """ospo's scan of the npm example project: 116 packages, dev and optional, hashes."""
    project = tmp_path_factory.mktemp("spdx3-npm") / "webapp"
    project.mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(DATA / "lockfiles" / "npm" / name, project / name)
    out = project.parent / "inv.json"
    proc = run_ospo("scan", project, "-q", "-o", out, env={"OSPO_CACHE_DIR": str(session_cache)})
    assert proc.returncode == 0, proc.stderr
    return inventory_json.load(out)


@pytest.fixture(scope="module")
def vendored_inventory(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> Inventory:
    """ospo's scan of the vendored app: vendored components with their paths."""
    app = make_vendored_app(tmp_path_factory.mktemp("spdx3-vendored"))
    out = app.parent / "inv.json"
    proc = run_ospo("scan", app, "-q", "-o", out, env={"OSPO_CACHE_DIR": str(session_cache)})
    assert proc.returncode == 0, proc.stderr
    return inventory_json.load(out)


# --- export -------------------------------------------------------------------------


def test_export_validates_against_the_official_schema(
    npm_inventory: Inventory, vendored_inventory: Inventory
) -> None:
    for inventory in (npm_inventory, vendored_inventory):
        document = json.loads(write_spdx3(inventory, options=PINNED))
        assert official_errors(document) == []
        assert sniff(document)
        assert document["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"


def test_export_elements(npm_inventory: Inventory) -> None:
    document = json.loads(write_spdx3(npm_inventory, options=PINNED))
    (creation,) = by_type(document, "CreationInfo")
    assert creation["specVersion"] == "3.0.1"
    assert creation["created"] == "2026-01-02T03:04:05Z"
    tools = {e["spdxId"]: e["name"] for e in by_type(document, "Tool")}
    assert [tools[t] for t in creation["createdUsing"]] == [
        "ospo 0.1.0",
        *(f"{t.name} {t.version}" for t in npm_inventory.scan.tools if t.name != "ospo"),
    ]
    (spdx_document,) = by_type(document, "SpdxDocument")
    assert spdx_document["spdxId"].endswith("12345678-1234-5678-1234-567812345678")
    (sbom,) = by_type(document, "software_Sbom")
    assert spdx_document["rootElement"] == [sbom["spdxId"]]
    packages = {p["spdxId"]: p for p in by_type(document, "software_Package")}
    (product_id,) = sbom["rootElement"]
    assert packages[product_id]["name"] == npm_inventory.subject.name
    purls = {p["software_packageUrl"]: p for p in packages.values() if "software_packageUrl" in p}
    assert set(purls) == {c.purl for c in npm_inventory.components}
    mocha = purls["pkg:npm/mocha@12.0.3"]
    assert mocha["software_packageVersion"] == "12.0.3"
    (sha512,) = mocha["verifiedUsing"]
    assert sha512["algorithm"] == "sha512"
    assert ("SHA-512", sha512["hashValue"]) in npm_inventory.component(
        "pkg:npm/mocha@12.0.3"
    ).hashes
    expressions = {
        e["spdxId"]: e["simplelicensing_licenseExpression"]
        for e in by_type(document, "simplelicensing_LicenseExpression")
    }
    relations = [
        e
        for e in document["@graph"]
        if e["type"] in ("Relationship", "LifecycleScopedRelationship")
    ]
    licenses = {
        (r["from"], r["relationshipType"]): [expressions[t] for t in r["to"]]
        for r in relations
        if r["relationshipType"] in ("hasDeclaredLicense", "hasConcludedLicense")
    }
    assert licenses[(mocha["spdxId"], "hasDeclaredLicense")] == ["MIT"]
    assert licenses[(mocha["spdxId"], "hasConcludedLicense")] == ["MIT"]
    jsonify = purls["pkg:npm/jsonify@0.0.1"]
    assert jsonify["comment"] == "Declared as 'Public Domain': not SPDX."
    assert (jsonify["spdxId"], "hasDeclaredLicense") not in licenses
    from_product = {
        (r["relationshipType"], r.get("scope")): set(r["to"])
        for r in relations
        if r["from"] == product_id and r["relationshipType"] not in ("hasDeclaredLicense",)
    }
    assert mocha["spdxId"] in from_product[("dependsOn", "development")]
    assert from_product[("dependsOn", "runtime")] == {
        i
        for i, p in packages.items()
        if npm_inventory.component(p.get("software_packageUrl", "")) is not None
        and npm_inventory.component(p["software_packageUrl"]).direct
        and npm_inventory.component(p["software_packageUrl"]).scope is Scope.RUNTIME
    }


def test_same_inventory_same_bytes_and_ids_from_the_inventory(npm_inventory: Inventory) -> None:
    first = write_spdx3(npm_inventory)
    assert write_spdx3(npm_inventory) == first
    other = replace(npm_inventory, subject=replace(npm_inventory.subject, version="2.0.0"))
    second = write_spdx3(other)
    assert second != first
    ids = {e["spdxId"] for e in json.loads(first)["@graph"] if "spdxId" in e}
    assert not ids & {e["spdxId"] for e in json.loads(second)["@graph"] if "spdxId" in e}


def test_reporter_renders_the_same_document(npm_inventory: Inventory) -> None:
    assert Spdx3JsonReporter().render(npm_inventory, PINNED) == write_spdx3(
        npm_inventory, options=PINNED
    )
    assert Spdx3JsonReporter.name == "spdx3"


def test_an_export_that_does_not_validate_is_an_operational_error(
    vendored_inventory: Inventory,
) -> None:
    # a bug that put a number where the model says text: the schema catches it
    comp = replace(vendored_inventory.components[0], version=123)  # type: ignore[arg-type]
    broken = replace(vendored_inventory, components=(comp, *vendored_inventory.components[1:]))
    document = json.loads(write_spdx3(vendored_inventory, options=PINNED))
    assert first_error(document, "3.0.1") is None
    with pytest.raises(OperationalError, match="does not validate at @graph/"):
        write_spdx3(broken, options=PINNED)


# --- round trip ---------------------------------------------------------------------


def expected_declared(comp: Component) -> list[tuple[str | None, bool]]:
    """What an export keeps of the declarations: the valid ones joined with AND, else the
    text of one that is not SPDX."""
    declared = [e for e in comp.licenses if e.source is LicenseSource.DECLARED and e.expression]
    valid = combine_and(e.expression for e in declared if e.valid)
    if valid is not None:
        return [(normalize(valid), True)]
    return [(e.expression, False) for e in declared]


def assert_round_trip(inventory: Inventory) -> None:
    text = write_spdx3(inventory, options=PINNED)
    back = read_text(text)
    assert back.subject.name == inventory.subject.name
    assert back.subject.version == inventory.subject.version
    assert back.subject.declared_license == inventory.subject.declared_license
    assert [(t.name, t.version) for t in back.scan.tools] == [("ospo", "0.1.0")] + [
        (t.name, t.version) for t in inventory.scan.tools if t.name != "ospo"
    ]
    assert back.scan.timestamp == "2026-01-02T03:04:05Z"
    assert [c.purl for c in back.components] == [c.purl for c in inventory.components]
    for comp in inventory.components:
        again = back.component(comp.purl)
        assert again is not None
        for field in (
            "name",
            "version",
            "scope",
            "direct",
            "dependencies",
            "hashes",
            "vendored_path",
            "license_expression",
        ):
            assert getattr(again, field) == getattr(comp, field), (comp.purl, field)
        declared_again = [
            (e.expression, e.valid) for e in again.licenses if e.source is LicenseSource.DECLARED
        ]
        assert declared_again == expected_declared(comp), comp.purl
        concluded = [e.expression for e in again.licenses if e.source is LicenseSource.CONCLUDED]
        assert concluded == ([comp.license_expression] if comp.license_expression else [])


def test_round_trip_of_the_npm_project(npm_inventory: Inventory) -> None:
    assert {c.scope for c in npm_inventory.components} >= {Scope.DEV, Scope.OPTIONAL}
    assert any(c.hashes for c in npm_inventory.components)
    assert any(not e.valid for c in npm_inventory.components for e in c.licenses)
    assert_round_trip(npm_inventory)


def test_round_trip_of_the_vendored_app(vendored_inventory: Inventory) -> None:
    assert any(c.vendored_path for c in vendored_inventory.components)
    assert_round_trip(vendored_inventory)


def test_round_trip_of_every_scope_and_a_product_license(vendored_inventory: Inventory) -> None:
    scopes = [Scope.DEV, Scope.TEST, Scope.OPTIONAL]
    components = tuple(
        replace(c, scope=s) for c, s in zip(vendored_inventory.components, scopes, strict=True)
    )
    inventory = replace(
        vendored_inventory,
        components=components,
        subject=replace(
            vendored_inventory.subject,
            version="1.2.3",
            declared_license="Apache-2.0",
            vcs_revision="0123abc",
        ),
    )
    document = json.loads(write_spdx3(inventory, options=PINNED))
    assert official_errors(document) == []
    kinds = {
        (r["relationshipType"], r.get("scope"))
        for r in document["@graph"]
        if r["type"] in ("Relationship", "LifecycleScopedRelationship")
        and r["relationshipType"] not in ("hasDeclaredLicense", "hasConcludedLicense")
    }
    assert kinds == {
        ("dependsOn", "development"),
        ("dependsOn", "test"),
        ("hasOptionalDependency", None),
    }
    assert_round_trip(inventory)


@pytest.mark.parametrize("which", ["npm_inventory", "vendored_inventory"])
def test_export_import_export_is_byte_for_byte_stable(
    which: str, request: pytest.FixtureRequest
) -> None:
    inventory = request.getfixturevalue(which)
    first = write_spdx3(inventory, options=PINNED)
    second = write_spdx3(read_text(first), options=PINNED)
    assert second == first
