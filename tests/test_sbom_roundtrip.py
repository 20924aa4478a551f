# SPDX-License-Identifier: Apache-2.0
"""ospo → SBOM → ospo, field by field, on a real scan.

The tree is the vendored app (first-party files, vendored code with its license files)
with the npm example project's lock file (scoped packages, dev and optional ones, hashes)
and a Maven build (a test dependency, group ids) beside it; a reviewer's conclusions are
added to the scanned inventory. Each SBOM is validated against its official schema, read
back, and every field of every component is compared with what that format and version
can hold (``docs/sbom.md`` says the same in prose). Files are not read back (ospo scans
files itself): they are checked in the document.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from packageurl import PackageURL
from test_sbom_interop import PINNED
from test_spdx import schema_errors

from conftest import DATA, make_vendored_app, run_ospo
from ospo import inventory_json, licensing
from ospo.merge import effective_of
from ospo.model import Component, FileEntry, Inventory, LicenseEvidence, LicenseSource, Scope
from ospo.sbom import load_sbom
from ospo.sbom.cyclonedx.writer import CycloneDxJsonReporter, CycloneDxXmlReporter
from ospo.sbom.spdx2.writer import SpdxJsonReporter

DECLARED, DETECTED, CONCLUDED = (
    LicenseSource.DECLARED,
    LicenseSource.DETECTED,
    LicenseSource.CONCLUDED,
)
#: A reviewer's conclusions: an undecided package and one whose declaration is confirmed.
CONCLUSIONS = {"pkg:npm/jsonify@0.0.1": "Unlicense", "pkg:npm/picocolors@1.1.1": "ISC"}


@pytest.fixture(scope="module")
def scanned(
    tmp_path_factory: pytest.TempPathFactory, session_cache: Path
) -> tuple[Inventory, Path]:
    """The real scan, with the reviewer's conclusions, a commit and an outbound license."""
    app = make_vendored_app(tmp_path_factory.mktemp("roundtrip"))
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(DATA / "lockfiles" / "npm" / name, app / name)
    shutil.copytree(DATA / "lockfiles" / "maven", app / "services")
    out = app.parent / "inv.json"
    proc = run_ospo("scan", app, "-q", "-o", out, env={"OSPO_CACHE_DIR": str(session_cache)})
    assert proc.returncode == 0, proc.stderr
    inventory = inventory_json.load(out)
    components = []
    for comp in inventory.components:
        if comp.purl in CONCLUSIONS:
            evidence = (
                *comp.licenses,
                LicenseEvidence(
                    expression=CONCLUSIONS[comp.purl], source=CONCLUDED, location="OSRB-7"
                ),
            )
            effective, _ = effective_of(evidence)
            comp = replace(
                comp, licenses=evidence, license_expression=effective, unknown_reason=None
            )
        components.append(comp)
    subject = replace(
        inventory.subject,
        vcs_revision="0123456789abcdef0123456789abcdef01234567",
        declared_license="LicenseRef-Acme-Proprietary",
    )
    return replace(inventory, subject=subject, components=tuple(components)), app


def test_the_scan_has_every_kind_of_field(scanned: tuple[Inventory, Path]) -> None:
    """What the round trips below compare is there to compare."""
    inventory, _ = scanned
    comps = inventory.components
    assert {c.scope for c in comps} == set(Scope)
    assert any(
        PackageURL.from_string(c.purl).namespace for c in comps if c.purl.startswith("pkg:npm")
    )
    assert any(c.name.count(":") == 1 for c in comps if c.purl.startswith("pkg:maven"))
    assert any(c.hashes for c in comps) and any(c.dependencies for c in comps)
    assert any(not c.direct for c in comps) and any(c.vendored_path for c in comps)
    assert any(c.unknown_reason for c in comps)
    assert any(not e.valid for c in comps for e in c.licenses if e.source is DECLARED)
    sources = [{e.source for e in c.licenses} for c in comps]
    assert {DECLARED, DETECTED} in sources and {DECLARED, CONCLUDED} in sources
    assert any(f.package for f in inventory.files) and any(f.copyrights for f in inventory.files)


# --- what a component looks like after the round trip ------------------------------------


def view(comp: Component) -> dict[str, Any]:
    """Every field of a component, license evidence split by provenance."""

    def evidence(source: LicenseSource) -> list[LicenseEvidence]:
        return [e for e in comp.licenses if e.source is source]

    return {
        "purl": comp.purl,
        "name": comp.name,
        "version": comp.version,
        "scope": comp.scope,
        "direct": comp.direct,
        "dependencies": comp.dependencies,
        "hashes": comp.hashes,
        "vendored_path": comp.vendored_path,
        "license_expression": comp.license_expression,
        "unknown": comp.unknown_reason is not None,
        "unknown_reason": comp.unknown_reason,
        "declared": sorted((e.expression or "", e.valid) for e in evidence(DECLARED)),
        "concluded": [e.expression for e in evidence(CONCLUDED)],
        "detected": [(e.expression, e.location) for e in evidence(DETECTED)],
    }


def _declared(comp: Component) -> list[str]:
    return list(
        dict.fromkeys(e.expression for e in comp.licenses if e.source is DECLARED and e.expression)
    )


def _valid(expression: str) -> tuple[str, bool]:
    checked = licensing.check(expression)
    return checked.normalized or expression, checked.valid


def expected_cyclonedx(comp: Component, purls: set[str], version: str) -> dict[str, Any]:
    """What CycloneDX ``version`` gives back of ``comp``."""
    v = tuple(int(p) for p in version.split("."))
    conclusion = CONCLUSIONS.get(comp.purl)
    declared_valid = licensing.combine_and(
        e.expression for e in comp.licenses if e.source is DECLARED and e.valid
    )
    if conclusion and v >= (1, 3):  # the declarations stand behind it, as properties
        declared = sorted(_valid(x) for x in _declared(comp))
    elif conclusion:  # 1.2: nothing says it is a conclusion
        declared = [(conclusion, True)]
    elif declared_valid:  # one expression of the valid declarations
        declared = [(declared_valid, True)]
    else:  # names
        declared = sorted(_valid(x) for x in _declared(comp))
    detected = [e for e in comp.licenses if e.source is DETECTED]
    if v >= (1, 6):  # one occurrence per license file, its license in additionalContext
        found = [(e.expression, e.location) for e in detected]
    elif v >= (1, 3) and detected:  # evidence.licenses only
        found = [(licensing.combine_and(e.expression for e in detected), "sbom evidence")]
    else:
        found = []
    out = view(comp)
    out.update(
        dependencies=tuple(d for d in comp.dependencies if d in purls),
        declared=declared,
        concluded=[conclusion] if conclusion and v >= (1, 3) else [],
        detected=found,
    )
    if v < (1, 3):  # no properties: no test scope, vendored path, or reason
        out.update(scope=Scope.DEV if comp.scope is Scope.TEST else comp.scope, vendored_path=None)
        evidence = [
            *(LicenseEvidence(expression=x, source=DECLARED, valid=ok) for x, ok in declared),
        ]
        out["license_expression"] = effective_of(evidence)[0]
        out["unknown"] = out["license_expression"] is None
        out.pop("unknown_reason")
    return out


def expected_spdx(comp: Component, purls: set[str], files: tuple[FileEntry, ...]) -> dict[str, Any]:
    """What SPDX 2.3 gives back of ``comp`` (the files listed)."""
    own = [f for f in files if f.package == comp.purl]
    found = sorted({f.license_expression for f in own if f.license_expression})
    declared_valid = licensing.combine_and(
        e.expression for e in comp.licenses if e.source is DECLARED and e.valid
    )
    out = view(comp)
    out.update(
        dependencies=tuple(d for d in comp.dependencies if d in purls),
        # the valid declarations as one expression (a name cannot stand there)
        declared=[(declared_valid, True)] if declared_valid else [],
        # licenseConcluded is the effective license: ospo's conclusion, else a reviewer's
        concluded=[comp.license_expression] if comp.license_expression else [],
        # vendored code holds its files: the licenses found in them (NONE: none found);
        # a package without files has no place for it
        detected=[(x, "sbom files") for x in found] or ([(None, "sbom files")] if own else []),
    )
    return out


def compare(inventory: Inventory, imported: Inventory, expected: Any) -> None:
    purls = {c.purl for c in inventory.components}
    back = {c.purl: c for c in imported.components}
    assert set(back) == purls
    for comp in inventory.components:
        want = expected(comp, purls)
        got = view(back[comp.purl])
        got = {k: got[k] for k in want}
        assert got == want, comp.purl


# --- CycloneDX -----------------------------------------------------------------------------


def cyclonedx_document_checks(inventory: Inventory, data: dict, version: str) -> None:
    """In the document: group beside the short name, and the files with their evidence."""
    v = tuple(int(p) for p in version.split("."))
    libraries = {c["purl"]: c for c in data["components"] if c["type"] == "library"}
    for comp in inventory.components:
        written = libraries[comp.purl]
        namespace = PackageURL.from_string(comp.purl).namespace
        assert written.get("group") == namespace, comp.purl
        if namespace:
            assert f"{namespace}{comp.name[len(namespace)]}{written['name']}" == comp.name
    files = {c["name"]: c for c in data["components"] if c["type"] == "file"}
    listed = [f for f in inventory.files if f.license_expression or f.copyrights]
    assert set(files) == {f.path for f in listed}
    for entry in listed:
        written = files[entry.path]
        assert written["hashes"] == [{"alg": "SHA-256", "content": entry.sha256}]
        properties = {p["name"]: p["value"] for p in written.get("properties", [])}
        if v >= (1, 3):
            assert properties.get("ospo:package") == entry.package, entry.path
            evidence = written["evidence"]
            assert evidence.get("licenses", []) == (
                [{"expression": entry.license_expression}] if entry.license_expression else []
            )
            assert [c["text"] for c in evidence.get("copyright", [])] == [
                c.statement for c in entry.copyrights
            ]
            assert len(evidence.get("occurrences", [])) == (
                len(entry.detections) if v >= (1, 5) else 0
            )
        else:
            assert "evidence" not in written and not properties


@pytest.mark.parametrize("version", ["1.7", "1.6", "1.5", "1.4", "1.3", "1.2"])
def test_cyclonedx_json(scanned: tuple[Inventory, Path], version: str, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    inventory, _ = scanned
    text = CycloneDxJsonReporter(version).render(inventory, PINNED)
    assert JsonStrictValidator(SchemaVersion.from_version(version)).validate_str(text) is None
    cyclonedx_document_checks(inventory, json.loads(text), version)
    path = tmp_path / "bom.cdx.json"
    path.write_text(text, encoding="utf-8")
    imported = load_sbom(path)
    compare(inventory, imported, lambda c, purls: expected_cyclonedx(c, purls, version))
    subject = inventory.subject
    assert imported.subject == (
        subject if version != "1.2" else replace(subject, vcs_revision=None)
    )


@pytest.mark.parametrize("version", ["1.7", "1.6", "1.4", "1.3", "1.2"])
def test_cyclonedx_json_export_import_export(
    scanned: tuple[Inventory, Path], version: str, tmp_path: Path
) -> None:
    """Byte for byte, but at 1.5: its occurrences name the license files but not which
    license was found in each (no ``additionalContext``), and the import keeps no file."""
    inventory = replace(scanned[0], files=())  # files are not read back
    text = CycloneDxJsonReporter(version).render(inventory, PINNED)
    path = tmp_path / "bom.cdx.json"
    path.write_text(text, encoding="utf-8")
    assert CycloneDxJsonReporter(version).render(load_sbom(path), PINNED) == text


@pytest.mark.parametrize("version", ["1.7", "1.6"])
def test_cyclonedx_xml(scanned: tuple[Inventory, Path], version: str, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.xml import XmlValidator

    inventory, _ = scanned
    text = CycloneDxXmlReporter(version).render(inventory, PINNED)
    assert XmlValidator(SchemaVersion.from_version(version)).validate_str(text) is None
    path = tmp_path / "bom.cdx.xml"
    path.write_text(text, encoding="utf-8")
    imported = load_sbom(path)
    compare(inventory, imported, lambda c, purls: expected_cyclonedx(c, purls, version))
    assert imported.subject == inventory.subject
    without_files = CycloneDxXmlReporter(version).render(replace(inventory, files=()), PINNED)
    assert CycloneDxXmlReporter(version).render(imported, PINNED) == without_files


# --- SPDX ----------------------------------------------------------------------------------


def test_spdx_2_3(scanned: tuple[Inventory, Path], tmp_path: Path) -> None:
    inventory, app = scanned
    text = SpdxJsonReporter(root=app).render(inventory, PINNED)
    data = json.loads(text)
    assert schema_errors(data) == []
    path = tmp_path / "bom.spdx.json"
    path.write_text(text, encoding="utf-8")
    imported = load_sbom(path)
    compare(inventory, imported, lambda c, purls: expected_spdx(c, purls, inventory.files))
    assert imported.subject == inventory.subject
    # the files, with the component each vendored one belongs to
    files = {f["fileName"]: f for f in data["files"]}
    assert set(files) == {f"./{f.path}" for f in inventory.files}
    for entry in inventory.files:
        written = files[f"./{entry.path}"]
        assert {"algorithm": "SHA256", "checksumValue": entry.sha256} in written["checksums"]
        nothing = "NONE" if entry.scanned else "NOASSERTION"
        assert written["licenseInfoInFiles"] == [entry.license_expression or nothing]
        statements = "\n".join(c.statement for c in entry.copyrights)
        assert written.get("copyrightText") == (statements or nothing)
        assert written.get("comment") == (
            f"Part of the vendored component {entry.package}" if entry.package else None
        )
    # ... and each file is CONTAINED by the product and, if vendored, by its package
    packages = {
        p["SPDXID"]: ref["referenceLocator"]
        for p in data["packages"]
        for ref in p.get("externalRefs", [])
        if ref["referenceType"] == "purl"
    }
    packages["SPDXRef-Product"] = None
    names = {f["SPDXID"]: f["fileName"][2:] for f in data["files"]}
    holders = {
        (packages[r["spdxElementId"]], names[r["relatedSpdxElement"]])
        for r in data["relationships"]
        if r["relationshipType"] == "CONTAINS"
    }
    assert holders == {(None, f.path) for f in inventory.files} | {
        (f.package, f.path) for f in inventory.files if f.package
    }
    vendored = [p for p in data["packages"] if p["SPDXID"] in packages and p.get("sourceInfo")]
    assert vendored and all(p["filesAnalyzed"] for p in vendored)
