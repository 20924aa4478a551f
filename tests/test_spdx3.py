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
from ospo.errors import InputError, OperationalError
from ospo.licensing import combine_and, normalize
from ospo.model import Component, Inventory, LicenseSource, Scope
from ospo.reporters.base import RenderOptions
from ospo.resources import schema_path
from ospo.sbom.spdx3.reader import read_spdx3, sniff
from ospo.sbom.spdx3.validation import first_error
from ospo.sbom.spdx3.writer import Spdx3JsonReporter, write_spdx3


def _component(inventory: Inventory, purl: str) -> Component | None:
    """The component with ``purl``, or None."""
    return next((c for c in inventory.components if c.purl == purl), None)


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
    assert ("SHA-512", sha512["hashValue"]) in _component(
        npm_inventory, "pkg:npm/mocha@12.0.3"
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
        if _component(npm_inventory, p.get("software_packageUrl", "")) is not None
        and _component(npm_inventory, p["software_packageUrl"]).direct
        and _component(npm_inventory, p["software_packageUrl"]).scope is Scope.RUNTIME
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
        again = _component(back, comp.purl)
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


def test_scancode_license_refs_point_to_the_license_db(vendored_inventory: Inventory) -> None:
    comp = replace(
        vendored_inventory.components[0],
        license_expression="MIT AND LicenseRef-scancode-unknown",
    )
    inventory = replace(vendored_inventory, components=(comp, *vendored_inventory.components[1:]))
    document = json.loads(write_spdx3(inventory, options=PINNED))
    (expression,) = [
        e
        for e in by_type(document, "simplelicensing_LicenseExpression")
        if "LicenseRef" in e["simplelicensing_licenseExpression"]
    ]
    assert expression["simplelicensing_customIdToUri"] == [
        {
            "type": "DictionaryEntry",
            "key": "LicenseRef-scancode-unknown",
            "value": "https://scancode-licensedb.aboutcode.org/unknown.html",
        }
    ]
    assert official_errors(document) == []
    again = _component(read_text(json.dumps(document)), comp.purl)
    assert again is not None
    assert again.license_expression == "MIT AND LicenseRef-scancode-unknown"


@pytest.mark.parametrize("which", ["npm_inventory", "vendored_inventory"])
def test_export_import_export_is_byte_for_byte_stable(
    which: str, request: pytest.FixtureRequest
) -> None:
    inventory = request.getfixturevalue(which)
    first = write_spdx3(inventory, options=PINNED)
    second = write_spdx3(read_text(first), options=PINNED)
    assert second == first


# --- documents made by other tools ----------------------------------------------------

SPDX3 = DATA / "spdx3"
PITLOOM = SPDX3 / "ntia-conformance-checker-6.0.0.spdx3.json"


def expected_from_json(data: dict) -> dict:
    """What an SPDX 3 document says, read without ospo: packages, licenses and edges."""
    elements = {e.get("spdxId"): e for e in data["@graph"]}
    (document,) = [e for e in data["@graph"] if e["type"] == "SpdxDocument"]
    root = elements[document["rootElement"][0]]
    while root["type"] != "software_Package":
        root = elements[root["rootElement"][0]]
    purls = {
        e["spdxId"]: e["software_packageUrl"]
        for e in data["@graph"]
        if e["type"] == "software_Package" and e is not root
    }
    licenses: dict[tuple[str, str], str] = {}
    edges = set()
    for rel in data["@graph"]:
        if rel["type"] != "Relationship":
            continue
        for target in rel["to"]:
            if rel["relationshipType"].startswith("has") and rel["from"] in purls:
                found = elements[target]
                text = found.get("simplelicensing_licenseExpression") or found["name"]
                licenses[(purls[rel["from"]], rel["relationshipType"])] = text
            if rel["relationshipType"] == "dependsOn" and target in purls:
                edges.add((purls.get(rel["from"], "product"), purls[target]))
    return {"product": root, "purls": purls, "licenses": licenses, "edges": edges}


def test_a_document_made_by_pitloom() -> None:
    """ntia-conformance-checker 6.0.0's own SBOM, made by Pitloom 0.20.0 (see SOURCES.md)."""
    text = PITLOOM.read_text(encoding="utf-8")
    data = json.loads(text)
    assert official_errors(data) == []
    assert sniff(data)
    inventory = read_spdx3(data, text, PITLOOM)
    expected = expected_from_json(data)
    assert inventory.subject.name == "ntia_conformance_checker"
    assert inventory.subject.version == "6.0.0"
    assert inventory.subject.declared_license == "Apache-2.0"
    assert {c.purl for c in inventory.components} == set(expected["purls"].values())
    assert len(inventory.components) == 11
    for comp in inventory.components:
        concluded = expected["licenses"][(comp.purl, "hasConcludedLicense")]
        valid = concluded != "MIT License"  # Pitloom's license of pyrefly: not SPDX
        assert [(e.source, e.expression, e.valid) for e in comp.licenses] == [
            (LicenseSource.CONCLUDED, concluded, valid)
        ]
        assert comp.license_expression == (concluded if valid else None)
        assert (comp.scope, comp.direct) == (Scope.RUNTIME, True)  # Pitloom writes no scope
    assert [c.name for c in inventory.components if c.license_expression is None] == ["pyrefly"]
    assert {("product", c.purl) for c in inventory.components} == expected["edges"]
    assert [(t.name, t.version) for t in inventory.scan.tools] == [("Pitloom", "0.20.0")]
    assert inventory.scan.timestamp == "2026-10-05T17:25:21Z"


def test_ospos_export_read_by_the_official_spdx_bindings(npm_inventory: Inventory) -> None:
    """spdx-python-model (SPDX's own bindings) reads every package and license back."""
    import io

    from spdx_python_model import v3_0_1 as spdx

    text = write_spdx3(npm_inventory, options=PINNED)
    objects = spdx.SHACLObjectSet()
    spdx.JSONLDDeserializer().read(io.BytesIO(text.encode("utf-8")), objects)
    packages = {
        p.software_packageUrl: p
        for p in objects.foreach_type(spdx.software_Package)
        if p.software_packageUrl
    }
    assert set(packages) == {c.purl for c in npm_inventory.components}
    for comp in npm_inventory.components:
        assert packages[comp.purl].software_packageVersion == comp.version
    concluded = {
        rel.from_.software_packageUrl: rel.to[0].simplelicensing_licenseExpression
        for rel in objects.foreach_type(spdx.Relationship)
        if rel.relationshipType == spdx.RelationshipType.hasConcludedLicense
    }
    assert concluded == {
        c.purl: c.license_expression for c in npm_inventory.components if c.license_expression
    }


def bindings_document() -> tuple[str, dict]:
    """An SPDX 3.0.1 document written by spdx-python-model, with what ospo's own export
    never writes: expandedlicensing licenses, NoneLicense, a purl as external identifier,
    a build scope, an optional dependency and a package without a purl in between."""
    import io

    from spdx_python_model import v3_0_1 as spdx

    ns = "https://example.org/spdx3/bindings"
    objects = spdx.SHACLObjectSet()
    info = spdx.CreationInfo(
        specVersion="3.0.1",
        created=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
        createdBy=[f"{ns}#agent"],
        createdUsing=[f"{ns}#tool"],
    )
    info._id = "_:creation"

    def add(kind: type, key: str, **fields: object) -> object:
        obj = kind(_id=f"{ns}#{key}", creationInfo=info, **fields)
        objects.add(obj)
        return obj

    add(spdx.Organization, "agent", name="Example")

    def purl(text: str) -> list:
        return [
            spdx.ExternalIdentifier(
                externalIdentifierType=spdx.ExternalIdentifierType.packageUrl, identifier=text
            )
        ]

    add(
        spdx.Tool,
        "tool",
        name="Example SBOM maker",
        externalIdentifier=purl("pkg:pypi/example-sbom-maker@4.5.6"),
    )
    product = add(spdx.software_Package, "app", name="app", software_packageVersion="1.0")
    lib = add(
        spdx.software_Package,
        "lib",
        name="lib",
        externalIdentifier=purl("pkg:pypi/lib@2.0"),
        verifiedUsing=[spdx.Hash(algorithm=spdx.HashAlgorithm.sha256, hashValue="ab" * 32)],
    )
    tool = add(
        spdx.software_Package,
        "buildtool",
        name="buildtool",
        software_packageUrl="pkg:pypi/buildtool@3",
    )
    extra = add(
        spdx.software_Package, "extra", name="extra", software_packageUrl="pkg:pypi/extra@1"
    )
    bundle = add(spdx.software_Package, "bundle", name="a bundle without a purl")
    inner = add(
        spdx.software_Package, "inner", name="inner", software_packageUrl="pkg:pypi/inner@5"
    )
    gpl = add(
        spdx.expandedlicensing_OrLaterOperator,
        "gpl-or-later",
        expandedlicensing_subjectLicense="https://spdx.org/licenses/GPL-2.0-only",
    )
    choice = add(
        spdx.expandedlicensing_DisjunctiveLicenseSet,
        "choice",
        expandedlicensing_member=["https://spdx.org/licenses/MIT", gpl],
    )
    bad = add(
        spdx.simplelicensing_LicenseExpression, "bad", simplelicensing_licenseExpression="Foo-1.0"
    )
    with_exception = add(
        spdx.expandedlicensing_WithAdditionOperator,
        "with",
        expandedlicensing_subjectExtendableLicense="https://spdx.org/licenses/Apache-2.0",
        expandedlicensing_subjectAddition="https://spdx.org/licenses/LLVM-exception",
    )

    def relate(name: str, source: object, kind: str, targets: list, **fields: object) -> None:
        add(
            spdx.LifecycleScopedRelationship if "scope" in fields else spdx.Relationship,
            name,
            from_=source,
            relationshipType=getattr(spdx.RelationshipType, kind),
            to=targets,
            **fields,
        )

    relate("r1", lib, "hasDeclaredLicense", [choice])
    relate(
        "r2",
        tool,
        "hasConcludedLicense",
        ["https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoneLicense"],
    )
    relate("r3", extra, "hasDeclaredLicense", [bad])
    relate("r4", inner, "hasDeclaredLicense", [with_exception])
    relate("r5", product, "dependsOn", [lib, bundle])
    relate("r6", product, "dependsOn", [tool], scope=spdx.LifecycleScopeType.build)
    relate("r7", lib, "hasOptionalDependency", [extra])
    relate("r8", bundle, "contains", [inner])
    sbom = add(
        spdx.software_Sbom,
        "sbom",
        rootElement=[product],
        software_sbomType=[spdx.software_SbomType.build],
    )
    add(
        spdx.SpdxDocument,
        "document",
        rootElement=[sbom],
        profileConformance=[spdx.ProfileIdentifierType.core],
    )
    out = io.BytesIO()
    spdx.JSONLDSerializer().write(objects, out, force_at_graph=True)
    text = out.getvalue().decode("utf-8")
    return text, json.loads(text)


def test_a_document_written_by_the_official_spdx_bindings() -> None:
    text, data = bindings_document()
    assert official_errors(data) == []
    inventory = read_spdx3(data, text, Path("bindings.spdx3.json"))
    assert (inventory.subject.name, inventory.subject.version) == ("app", "1.0")
    assert [(t.name, t.version) for t in inventory.scan.tools] == [("Example SBOM maker", "4.5.6")]
    assert inventory.scan.timestamp == "2026-03-04T05:06:07Z"
    got = {
        c.purl: (c.scope, c.direct, c.license_expression, c.dependencies)
        for c in inventory.components
    }
    assert got == {
        "pkg:pypi/lib@2.0": (Scope.RUNTIME, True, "MIT OR GPL-2.0-or-later", ("pkg:pypi/extra@1",)),
        "pkg:pypi/buildtool@3": (Scope.DEV, True, None, ()),
        "pkg:pypi/extra@1": (Scope.OPTIONAL, False, None, ()),
        "pkg:pypi/inner@5": (Scope.RUNTIME, True, "Apache-2.0 WITH LLVM-exception", ()),
    }
    lib = _component(inventory, "pkg:pypi/lib@2.0")
    assert lib is not None and lib.hashes == (("SHA-256", "ab" * 32),)
    buildtool = _component(inventory, "pkg:pypi/buildtool@3")
    assert buildtool is not None
    assert buildtool.unknown_reason == "the SBOM states NONE: the package has no license"
    extra = _component(inventory, "pkg:pypi/extra@1")
    assert extra is not None
    (declared,) = extra.licenses
    assert (declared.expression, declared.valid) == ("Foo-1.0", False)
    assert "a bundle without a purl" in inventory.scan.issues[0].message


# --- what is not a valid SPDX 3 document --------------------------------------------


def small_export(vendored_inventory: Inventory) -> dict:
    return json.loads(write_spdx3(vendored_inventory, options=PINNED))


@pytest.mark.parametrize(
    "data",
    [
        {"spdxVersion": "SPDX-2.3"},
        {"@context": "https://spdx.org/rdf/3.0.2/spdx-context.jsonld"},
        {"bomFormat": "CycloneDX"},
        {"@context": ["https://spdx.org/rdf/3.0.1/spdx-context.jsonld"]},
        {"@context": {"@vocab": "https://spdx.org/rdf/3.0.1/terms/"}},
        [],
        "text",
        None,
    ],
)
def test_sniff_tells_spdx3_from_content_only(data: object) -> None:
    assert not sniff(data)


def mutate(document: dict, number: int, **changes: object) -> dict:
    graph = [dict(e) for e in document["@graph"]]
    for key, value in changes.items():
        if value is None:
            del graph[number][key]
        else:
            graph[number][key] = value
    return {**document, "@graph": graph}


def test_hostile_documents_are_input_errors(vendored_inventory: Inventory, tmp_path: Path) -> None:
    document = small_export(vendored_inventory)
    packages = [n for n, e in enumerate(document["@graph"]) if e["type"] == "software_Package"]
    relation = next(
        n for n, e in enumerate(document["@graph"]) if e.get("relationshipType") == "dependsOn"
    )
    package_id = document["@graph"][packages[1]]["spdxId"]
    expression = next(
        n
        for n, e in enumerate(document["@graph"])
        if e["type"] == "simplelicensing_LicenseExpression"
    )
    expression_id = document["@graph"][expression]["spdxId"]
    cases = [
        ({"spdxVersion": "SPDX-2.3"}, "not an SPDX 3.0 document: @context None is not one of"),
        (
            {**document, "@context": "https://spdx.org/rdf/3.0.2/spdx-context.jsonld"},
            "@context 'https://spdx.org/rdf/3.0.2/spdx-context.jsonld' is not one of",
        ),
        ({"@context": document["@context"]}, "no @graph"),
        (
            mutate(document, packages[1], bogus=1),
            f"at @graph/{packages[1]} ({package_id}): Unevaluated properties are not allowed "
            "('bogus' was unexpected)",
        ),
        (
            mutate(document, packages[1], software_packageVersion=7),
            f"at @graph/{packages[1]} ({package_id}): software_packageVersion: 7 is not of type",
        ),
        (mutate(document, packages[1], spdxId=None), f"at @graph/{packages[1]}: "),
        (
            mutate(document, relation, to=["https://example.org/nowhere#pkg"]),
            "to names 'https://example.org/nowhere#pkg', which the document does not define",
        ),
        (mutate(document, packages[2], spdxId=package_id), f"{package_id!r} is defined twice"),
        (
            mutate(document, relation, relationshipType="hasDeclaredLicense"),
            "is not a license",
        ),
        (
            mutate(
                document,
                expression,
                type="expandedlicensing_ConjunctiveLicenseSet",
                simplelicensing_licenseExpression=None,
                expandedlicensing_member=[expression_id, "https://spdx.org/licenses/MIT"],
            ),
            f"at @graph/{expression} ({expression_id}): the license contains itself",
        ),
    ]
    for data, message in cases:
        path = tmp_path / "bad.spdx3.json"
        with pytest.raises(InputError) as raised:
            read_spdx3(data, json.dumps(data), path)
        assert message in raised.value.message, raised.value.message
        assert raised.value.path == str(path)
        assert raised.value.exit_code == 2


def test_an_unknown_or_broken_license_is_evidence_marked_invalid(
    vendored_inventory: Inventory,
) -> None:
    document = small_export(vendored_inventory)
    for text in ("Not-A-License-1.0", "MIT AND AND", "LicenseRef-Acme AND Apache-2.0"):
        graph = [
            {**e, "simplelicensing_licenseExpression": text}
            if e["type"] == "simplelicensing_LicenseExpression"
            else e
            for e in document["@graph"]
        ]
        data = {**document, "@graph": graph}
        inventory = read_spdx3(data, json.dumps(data), Path("x.spdx3.json"))
        for comp in inventory.components:
            evidence = {(e.expression, e.valid) for e in comp.licenses}
            valid = text.startswith("LicenseRef")
            assert evidence == {(licensing_text(text), valid)}, comp.purl
            assert (comp.license_expression is None) is not valid


def licensing_text(text: str) -> str:
    from ospo.licensing import check

    return check(text).normalized or text


def test_the_fast_validator_agrees_with_plain_jsonschema(vendored_inventory: Inventory) -> None:
    """Same verdict, and the same place, on the export and on each element broken in turn."""
    document = small_export(vendored_inventory)
    assert official_errors(document) == []
    assert first_error(document, "3.0.1") is None
    first_of_type: dict[str, int] = {}
    for number, element in enumerate(document["@graph"]):
        first_of_type.setdefault(element["type"], number)
    numbers = sorted(first_of_type.values())  # plain jsonschema is slow: one of each kind
    broken = [
        ({**document, "extra": 1}, "(top level)", "[]"),
        *((mutate(document, n, bogus=True), f"@graph/{n}", f"['@graph', {n}]") for n in numbers),
        *(
            (mutate(document, n, type="software_Nothing"), f"@graph/{n}", f"['@graph', {n}]")
            for n in numbers
        ),
        *(
            (mutate(document, n, creationInfo=5), f"@graph/{n}", f"['@graph', {n}")
            for n in numbers
            if n  # the CreationInfo itself has none
        ),
        (mutate(document, 0, specVersion=None), "@graph/0", "['@graph', 0]"),
    ]
    for data, where, path in broken:
        plain = official_errors(data)
        fast = first_error(data, "3.0.1")
        assert fast is not None, where
        assert fast[0] == where or fast[0].startswith(f"{where} (")
        assert [e for e in plain if e.startswith(path)], (where, plain)


def test_a_3_0_0_document_is_validated_against_the_3_0_0_schema(
    vendored_inventory: Inventory,
) -> None:
    """No producer of SPDX 3.0.0 installs here: ospo's export, relabelled, stands in."""
    document = small_export(vendored_inventory)
    graph = [
        {**e, "specVersion": "3.0.0"} if e["type"] == "CreationInfo" else e
        for e in document["@graph"]
    ]
    old = {"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld", "@graph": graph}
    assert sniff(old)
    assert first_error(old, "3.0.1") is not None  # the 3.0.1 schema wants its own context
    inventory = read_spdx3(old, json.dumps(old), Path("old.spdx3.json"))
    assert inventory.components == read_text(json.dumps(document)).components
    with pytest.raises(InputError, match=r"not a valid SPDX 3\.0\.0 document at @graph/"):
        broken = mutate(old, 1, bogus=True)
        read_spdx3(broken, json.dumps(broken), Path("old.spdx3.json"))
