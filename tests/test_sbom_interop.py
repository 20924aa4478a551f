# SPDX-License-Identifier: Apache-2.0
"""CycloneDX interoperability: SBOMs of the peer tools import, agree with ospo's own scan,
and ospo's own SBOMs (JSON and XML) validate and survive export → import → export."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from packageurl import PackageURL

from conftest import DATA, run_ospo
from ospo import inventory_json, licensing
from ospo.model import (
    Component,
    Inventory,
    LicenseEvidence,
    LicenseSource,
    ScanInfo,
    Scope,
    Subject,
    Tool,
)
from ospo.reporters import RenderOptions
from ospo.sbom import load_sbom
from ospo.sbom.cyclonedx.writer import CycloneDxJsonReporter, CycloneDxXmlReporter

SBOMS = DATA / "sbom"
NPM_PROJECT = DATA / "lockfiles" / "npm"

#: every SBOM made by another tool, and the tool its metadata names
PEER_SBOMS = {
    "cyclonedx-py-flask-requests.cdx.json": "cyclonedx-py",
    "npm-webapp.cyclonedx-npm.cdx.json": "cyclonedx-npm",
    "npm-webapp.cyclonedx-npm.cdx.xml": "cyclonedx-npm",
    "npm-webapp.npm-sbom.cdx.json": "cli",  # npm names itself {vendor: npm, name: cli}
    "npm-webapp.cdxgen.cdx.json": "cdxgen",
    "syft-go-mod.cdx.json": "syft",
    "syft-go-mod.cdx.xml": "syft",
    "syft-hello-world-jar.cdx.json": "syft",
    "trivy-conda.cdx.json": "trivy",
    "trivy-conda-environment.cdx.json": "trivy",
}

PINNED = RenderOptions(
    timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    serial_number=UUID("12345678-1234-5678-1234-567812345678"),
)


def canonical(purl: str) -> str:
    return PackageURL.from_string(purl).to_string()


@pytest.mark.parametrize("name", sorted(PEER_SBOMS))
def test_peer_sbom_imports(name: str) -> None:
    inventory = load_sbom(SBOMS / name)
    assert inventory.components
    assert PEER_SBOMS[name] in {t.name for t in inventory.scan.tools}
    for component in inventory.components:
        assert canonical(component.purl) == component.purl


# --- the npm example project: the peers against ospo's own scan -----------------------------


@pytest.fixture(scope="module")
def npm_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Inventory, Path]:
    """ospo's own scan of the npm example project, with its SBOM written as XML."""
    work = tmp_path_factory.mktemp("npm-scan")
    project = work / "webapp"
    shutil.copytree(NPM_PROJECT, project)
    inventory, bom = work / "inv.json", work / "bom.cdx.xml"
    proc = run_ospo(
        "scan", project, "-q", "-o", inventory, "--cyclonedx", bom,
        env={"OSPO_CACHE_DIR": str(work / "cache")},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return inventory_json.load(inventory), bom


NPM_PEERS = [
    "npm-webapp.cyclonedx-npm.cdx.json",
    "npm-webapp.cyclonedx-npm.cdx.xml",
    "npm-webapp.npm-sbom.cdx.json",
    "npm-webapp.cdxgen.cdx.json",
]


@pytest.mark.parametrize("name", NPM_PEERS)
def test_npm_peers_agree_with_ospo(name: str, npm_scan: tuple[Inventory, Path]) -> None:
    own = {c.purl: c for c in npm_scan[0].components}
    peer = {c.purl: c for c in load_sbom(SBOMS / name).components}
    # every tool lists the same 116 installed packages, dev ones included; the root
    # (webapp) is each one's metadata.component, not a component
    assert len(own) == 116
    assert set(peer) == set(own)
    assert "pkg:npm/webapp@1.0.0" not in peer
    # the same license for every package; jsonify 0.0.1 declares none anywhere
    assert {p: c.license_expression for p, c in peer.items()} == {
        p: c.license_expression for p, c in own.items()
    }
    assert own["pkg:npm/jsonify@0.0.1"].license_expression is None
    # the same graph: direct dependencies and each package's own dependencies
    assert {p for p, c in peer.items() if c.direct} == {p for p, c in own.items() if c.direct}
    assert {p: c.dependencies for p, c in peer.items()} == {
        p: c.dependencies for p, c in own.items()
    }
    # scopes agree but for picocolors: the lock file marks it devOptional (an optional
    # dependency of the product that mocha, a dev dependency, also needs). ospo keeps it
    # optional, as it may ship; cyclonedx-npm and cdxgen flag it cdx:npm:package:development.
    # (npm sbom says scope "required" for dev dependencies and cdxgen "optional" for some:
    # the development flag is what tells them apart.)
    differ = {p: (own[p].scope, peer[p].scope) for p in own if own[p].scope != peer[p].scope}
    if "npm-sbom" in name:
        assert differ == {}
    else:
        assert differ == {"pkg:npm/picocolors@1.1.1": (Scope.OPTIONAL, Scope.DEV)}
    assert sum(c.scope is Scope.DEV for c in own.values()) == 33


def test_npm_sbom_names_the_directory(npm_scan: tuple[Inventory, Path]) -> None:
    # npm sbom names the product after the directory it ran in (a copy named "proj"), the
    # others after package.json; all three give it package.json's license
    names = {n: load_sbom(SBOMS / n).subject for n in NPM_PEERS}
    assert {s.name for s in names.values()} == {"webapp", "proj"}
    assert {s.declared_license for s in names.values()} == {"Apache-2.0"}


def test_xml_and_json_of_one_tool_import_alike() -> None:
    # the same cyclonedx-npm run, in both formats
    assert load_sbom(SBOMS / "npm-webapp.cyclonedx-npm.cdx.xml") == load_sbom(
        SBOMS / "npm-webapp.cyclonedx-npm.cdx.json"
    )
    # syft's JSON (spec 1.5) and XML (1.6, its legacy <tools><tool>) of one go.mod
    json_bom, xml_bom = (load_sbom(SBOMS / f"syft-go-mod.cdx.{ext}") for ext in ("json", "xml"))
    assert xml_bom.components == json_bom.components
    assert xml_bom.subject == json_bom.subject
    assert xml_bom.scan.tools == json_bom.scan.tools


def test_ospo_xml_sbom_of_the_npm_project(npm_scan: tuple[Inventory, Path]) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.xml import XmlValidator

    own, bom = npm_scan
    text = bom.read_text(encoding="utf-8")
    assert text.startswith("<?xml")
    assert XmlValidator(SchemaVersion.V1_6).validate_str(text) is None
    imported = load_sbom(bom)
    assert [(c.purl, c.scope, c.direct, c.license_expression) for c in imported.components] == [
        (c.purl, c.scope, c.direct, c.license_expression) for c in own.components
    ]


# --- syft and trivy: checked against the raw text --------------------------------------------


def test_trivy_against_its_text() -> None:
    text = (SBOMS / "trivy-conda.cdx.json").read_text(encoding="utf-8")
    purls = re.findall(r'"purl": "([^"]+)"', text)
    names = re.findall(r'"license": \{\s*"name": "([^"]+)"', text)
    assert len(purls) == len(names) == 2
    inventory = load_sbom(SBOMS / "trivy-conda.cdx.json")
    assert {c.purl: c.license_expression for c in inventory.components} == dict(
        zip(purls, names, strict=True)
    )  # OpenSSL and MIT: trivy gives SPDX ids as names
    assert all(c.direct for c in inventory.components)  # the product depends on both

    text = (SBOMS / "trivy-conda-environment.cdx.json").read_text(encoding="utf-8")
    inventory = load_sbom(SBOMS / "trivy-conda-environment.cdx.json")
    # the environment.yaml "application" between product and package has no purl
    assert [c.purl for c in inventory.components] == re.findall(r'"purl": "([^"]+)"', text)
    assert inventory.components[0].direct is False
    assert inventory.components[0].unknown_reason == "the SBOM states no license"


def test_syft_against_its_text() -> None:
    for name, pattern in [
        ("syft-go-mod.cdx.json", r'"purl": "([^"]+)"'),
        ("syft-go-mod.cdx.xml", r"<purl>([^<]+)</purl>"),
        ("syft-hello-world-jar.cdx.json", r'"purl":"([^"]+)"'),
    ]:
        text = (SBOMS / name).read_text(encoding="utf-8")
        inventory = load_sbom(SBOMS / name)
        assert [c.purl for c in inventory.components] == re.findall(pattern, text), name
        assert "licenses" not in text  # syft found none in a go.mod or a bare jar
        assert [c.license_expression for c in inventory.components] == [None]
        # a product without a dependency entry: nothing says what is indirect
        assert inventory.components[0].direct is True


# --- ospo's own SBOMs: schema-valid, and stable through export → import → export ------------


def _evidence(
    expression: str, source: LicenseSource, location: str | None = None, valid: bool = True
) -> LicenseEvidence:
    return LicenseEvidence(expression=expression, source=source, location=location, valid=valid)


DECLARED = LicenseSource.DECLARED
DETECTED = LicenseSource.DETECTED
CONCLUDED = LicenseSource.CONCLUDED


def rich_inventory() -> Inventory:
    """Licenses of every kind, nested dependencies, every scope, vendored code."""
    return Inventory(
        subject=Subject(
            name="shop",
            version="2.1.0",
            vcs_revision="0123456789abcdef0123456789abcdef01234567",
            declared_license="LicenseRef-Acme-Proprietary",
        ),
        components=(
            Component(
                purl="pkg:maven/org.example/core@1.0.0",
                name="core",
                version="1.0.0",
                license_expression="GPL-2.0-or-later WITH Classpath-exception-2.0",
                licenses=(
                    _evidence("GPL-2.0-or-later WITH Classpath-exception-2.0", DECLARED, "pom.xml"),
                ),
                dependencies=("pkg:npm/left-pad@1.3.0",),
            ),
            Component(
                purl="pkg:npm/left-pad@1.3.0",
                name="left-pad",
                version="1.3.0",
                direct=False,
                license_expression="MIT OR Apache-2.0",
                licenses=(
                    _evidence("MIT OR Apache-2.0", DECLARED, "package-lock.json"),
                    _evidence("MIT", DETECTED, "node_modules/left-pad/LICENSE-MIT"),
                    _evidence("Apache-2.0", DETECTED, "node_modules/left-pad/LICENSE-APACHE"),
                ),
                dependencies=("pkg:npm/%40acme/tiny@0.1.0",),
            ),
            Component(
                purl="pkg:npm/%40acme/tiny@0.1.0",
                name="@acme/tiny",
                version="0.1.0",
                scope=Scope.DEV,
                direct=False,
                license_expression="LicenseRef-Acme-Internal",
                licenses=(_evidence("LicenseRef-Acme-Internal", DECLARED, "package-lock.json"),),
            ),
            Component(
                purl="pkg:npm/fsevents@2.3.3",
                name="fsevents",
                version="2.3.3",
                scope=Scope.OPTIONAL,
                license_expression="MIT",
                licenses=(
                    _evidence("MIT OR GPL-3.0-only", DECLARED, "package-lock.json"),
                    _evidence("MIT", CONCLUDED, "OSRB-42"),
                ),
            ),
            Component(
                purl="pkg:pypi/pytest@8.3.0",
                name="pytest",
                version="8.3.0",
                scope=Scope.TEST,
                license_expression="MIT",
                licenses=(_evidence("MIT", DECLARED, "requirements-test.txt"),),
            ),
            Component(
                purl="pkg:pypi/mystery@0.1",
                name="mystery",
                version="0.1",
                unknown_reason="no license in the package metadata",
            ),
            Component(
                purl="pkg:pypi/oldlib@1.0",
                name="oldlib",
                version="1.0",
                unknown_reason="the declared license is not an SPDX expression",
                licenses=(_evidence("Public Domain", DECLARED, "METADATA", valid=False),),
            ),
            Component(
                purl="pkg:generic/six?vendored_path=third_party/six",
                name="six",
                version=None,
                license_expression="MIT",
                licenses=(_evidence("MIT", DETECTED, "third_party/six/LICENSE"),),
                vendored_path="third_party/six",
            ),
        ),
        scan=ScanInfo(tools=(Tool(name="ospo", version="0.1.0"),)),
    )


@pytest.mark.parametrize(
    ("reporter", "suffix"),
    [(CycloneDxJsonReporter(), "json"), (CycloneDxXmlReporter(), "xml")],
    ids=["json", "xml"],
)
def test_export_import_export_is_stable(
    reporter: CycloneDxJsonReporter | CycloneDxXmlReporter, suffix: str, tmp_path: Path
) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from cyclonedx.validation.xml import XmlValidator

    validator = JsonStrictValidator if suffix == "json" else XmlValidator
    first = reporter.render(rich_inventory(), PINNED)
    assert validator(SchemaVersion.V1_6).validate_str(first) is None
    path = tmp_path / f"bom.cdx.{suffix}"
    path.write_text(first, encoding="utf-8")
    imported = load_sbom(path)
    assert reporter.render(imported, PINNED) == first

    # what the import recovered
    original = {c.purl: c for c in rich_inventory().components}
    back = {c.purl: c for c in imported.components}
    assert set(back) == set(original)
    assert imported.subject == rich_inventory().subject
    for purl, comp in original.items():
        assert back[purl].direct == comp.direct, purl
        assert back[purl].dependencies == comp.dependencies, purl
        assert back[purl].vendored_path == comp.vendored_path, purl
        assert back[purl].license_expression == comp.license_expression, purl
        assert back[purl].unknown_reason == comp.unknown_reason, purl

        def detected(c: Component) -> list[tuple[str | None, str | None]]:
            return [(e.expression, e.location) for e in c.licenses if e.source is DETECTED]

        assert detected(back[purl]) == detected(comp), purl
    # dev and test are both "excluded" in CycloneDX; the property ospo:scope tells test apart
    assert {p: c.scope for p, c in back.items() if c.scope is not Scope.RUNTIME} == {
        "pkg:npm/%40acme/tiny@0.1.0": Scope.DEV,
        "pkg:pypi/pytest@8.3.0": Scope.TEST,
        "pkg:npm/fsevents@2.3.3": Scope.OPTIONAL,
    }
    # a conclusion stands in the licenses, the declaration it settles behind it (a property)
    assert [(e.expression, e.source) for e in back["pkg:npm/fsevents@2.3.3"].licenses] == [
        ("MIT OR GPL-3.0-only", DECLARED),
        ("MIT", CONCLUDED),
    ]
    assert [(e.expression, e.valid) for e in back["pkg:pypi/oldlib@1.0"].licenses] == [
        ("Public Domain", False)
    ]


def test_json_and_xml_exports_import_alike(tmp_path: Path) -> None:
    json_path, xml_path = tmp_path / "bom.json", tmp_path / "bom.xml"
    json_path.write_text(CycloneDxJsonReporter().render(rich_inventory(), PINNED), "utf-8")
    xml_path.write_text(CycloneDxXmlReporter().render(rich_inventory(), PINNED), "utf-8")
    assert load_sbom(xml_path) == load_sbom(json_path)


def test_xml_export_carries_what_json_does() -> None:
    data = json.loads(CycloneDxJsonReporter().render(rich_inventory(), PINNED))
    xml = CycloneDxXmlReporter().render(rich_inventory(), PINNED)
    assert xml.count("<component ") == len(data["components"]) + 2  # + product + ospo as a tool
    assert (
        '<expression acknowledgement="declared">GPL-2.0-or-later WITH Classpath-exception-2.0'
        in xml
    )
    assert '<property name="ospo:vendored_path">third_party/six</property>' in xml
    assert 'serialNumber="urn:uuid:12345678-1234-5678-1234-567812345678"' in xml


# --- XML that is not a valid SBOM ---------------------------------------------------------

BAD_XML = [
    (
        "<?xml version='1.0'?>\n<bom xmlns='http://cyclonedx.org/schema/bom/1.6'>\n"
        "  <components>\n</bom>\n",
        "not well-formed XML",
        4,
    ),
    (
        "<bom xmlns='http://cyclonedx.org/schema/bom/1.5' version='1'>\n  <components>\n"
        "    <component type='library'>\n      <version>1.0</version>\n    </component>\n"
        "  </components>\n</bom>\n",
        "not a valid CycloneDX 1.5 XML document: Element 'version': This element is not "
        "expected. Expected is one of",
        4,
    ),
    (
        "<?xml version='1.0'?>\n<!DOCTYPE bom [\n  <!ENTITY a 'aaaaaaaaaa'>\n"
        "  <!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n]>\n"
        "<bom xmlns='http://cyclonedx.org/schema/bom/1.6'><components><component "
        "type='library'><name>&b;</name></component></components></bom>\n",
        "must not have a DOCTYPE",
        2,
    ),
    (
        "<bom xmlns='http://cyclonedx.org/schema/bom/1.1' version='1'/>",
        "CycloneDX XML version '1.1' is not supported",
        None,
    ),
    (
        "<html><body>not an SBOM</body></html>",
        "not a CycloneDX XML document: the root element is 'html'",
        1,
    ),
]


@pytest.mark.parametrize(("content", "message", "line"), BAD_XML, ids=lambda v: str(v)[:20])
def test_invalid_xml_exits_2_with_file_and_place(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    path = tmp_path / "bad.cdx.xml"
    path.write_text(content, encoding="utf-8")
    proc = run_ospo("check", "--sbom", path)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert where in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "expression",
    [
        # valid SPDX that license-expression's strict parser (and so spdx-tools) refuses
        "MPL-2.0-no-copyleft-exception",
        "Apache-2.0 AND LicenseRef-scancode-commons-clause",
        "Apache-2.0+",
        "MIT+ OR GPL-2.0-or-later",
        # and its neighbours that it accepts
        "Apache-2.0 WITH LicenseRef-scancode-commons-clause",
        "GPL-2.0-only WITH Linux-syscall-note",
    ],
)
@pytest.mark.parametrize("name", ["bom.spdx.json", "bom.cdx.json", "bom.cdx.xml"])
def test_every_valid_spdx_expression_survives_each_format(
    tmp_path: Path, expression: str, name: str
) -> None:
    from ospo.api import write_outputs
    from ospo.model import Component, Inventory, LicenseEvidence, LicenseSource, ScanInfo, Subject

    component = Component(
        purl="pkg:npm/c@1.0.0",
        name="c",
        version="1.0.0",
        license_expression=expression,
        licenses=(LicenseEvidence(expression=expression, source=LicenseSource.DECLARED),),
    )
    inventory = Inventory(
        subject=Subject(name="p", version="1"),
        components=(component,),
        scan=ScanInfo(timestamp="2026-01-01T00:00:00Z"),
    )
    out = tmp_path / name
    key = "spdx_path" if "spdx" in name else "cyclonedx_path"
    write_outputs(inventory, **{key: out})  # type: ignore[arg-type]
    back = load_sbom(out).components
    assert [c.license_expression for c in back] == [licensing.normalize(expression)]
    assert back[0].licenses
    assert all(e.valid for e in back[0].licenses)
