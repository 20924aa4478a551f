# SPDX-License-Identifier: Apache-2.0
"""CycloneDX 1.2 to 1.7, in and out: each version ospo writes validates against its
official schema and reads back; 1.7 documents of the peer tool cyclonedx-py are read."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_sbom_interop import PINNED, rich_inventory

from ospo.api import write_outputs
from ospo.errors import InputError
from ospo.sbom import CYCLONEDX_VERSIONS, SPDX_VERSIONS, load_sbom
from ospo.sbom.cyclonedx.writer import CycloneDxJsonReporter, CycloneDxXmlReporter

PEER = Path(sys.prefix) / "peers" / "bin" / "cyclonedx-py"


def test_the_versions() -> None:
    assert CYCLONEDX_VERSIONS == ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
    assert "2.3" in SPDX_VERSIONS


@pytest.mark.parametrize("version", CYCLONEDX_VERSIONS)
def test_each_version_validates_and_reads_back(version: str, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from cyclonedx.validation.xml import XmlValidator

    schema = SchemaVersion.from_version(version)
    text = CycloneDxJsonReporter(version).render(rich_inventory(), PINNED)
    assert JsonStrictValidator(schema).validate_str(text) is None
    assert json.loads(text)["specVersion"] == version
    xml = CycloneDxXmlReporter(version).render(rich_inventory(), PINNED)
    assert XmlValidator(schema).validate_str(xml) is None
    assert f'<bom xmlns="http://cyclonedx.org/schema/bom/{version}"' in xml

    (tmp_path / "bom.json").write_text(text, encoding="utf-8")
    (tmp_path / "bom.xml").write_text(xml, encoding="utf-8")
    from_json, from_xml = load_sbom(tmp_path / "bom.json"), load_sbom(tmp_path / "bom.xml")
    assert from_json == from_xml
    assert [c.purl for c in from_json.components] == sorted(
        c.purl for c in rich_inventory().components
    )


def test_the_default_is_1_6() -> None:
    assert CycloneDxJsonReporter().version == CycloneDxXmlReporter().version == "1.6"
    assert CycloneDxJsonReporter().render(rich_inventory(), PINNED) == CycloneDxJsonReporter(
        "1.6"
    ).render(rich_inventory(), PINNED)
    assert CycloneDxJsonReporter("1.7").document_title == "CycloneDX 1.7 JSON SBOM"
    assert CycloneDxXmlReporter().document_title == "CycloneDX 1.6 XML SBOM"


def test_lower_versions_leave_out_what_they_cannot_hold() -> None:
    def library(version: str, purl: str) -> dict:
        data = json.loads(CycloneDxJsonReporter(version).render(rich_inventory(), PINNED))
        (found,) = [c for c in data["components"] if c.get("purl") == purl]
        return found

    six = "pkg:generic/six?vendored_path=third_party/six"
    assert "properties" not in library("1.2", six)  # properties came with 1.3
    assert {"name": "ospo:vendored_path", "value": "third_party/six"} in library("1.3", six)[
        "properties"
    ]
    assert "occurrences" not in library("1.4", six)["evidence"]  # occurrences came with 1.5
    assert library("1.5", six)["evidence"]["occurrences"]
    fsevents = "pkg:npm/fsevents@2.3.3"
    assert library("1.5", fsevents)["licenses"] == [{"expression": "MIT"}]
    assert library("1.7", fsevents)["licenses"] == [
        {"expression": "MIT", "acknowledgement": "concluded"}
    ]


def test_write_outputs_writes_the_version_asked_for(tmp_path: Path) -> None:
    json_path, xml_path = tmp_path / "bom.cdx.json", tmp_path / "bom.cdx.xml"
    written = write_outputs(rich_inventory(), cyclonedx_path=json_path, cyclonedx_version="1.7")
    assert written == [("CycloneDX 1.7 JSON SBOM", json_path)]
    assert json.loads(json_path.read_text(encoding="utf-8"))["specVersion"] == "1.7"
    write_outputs(rich_inventory(), cyclonedx_path=xml_path, cyclonedx_version="1.2")
    assert 'xmlns="http://cyclonedx.org/schema/bom/1.2"' in xml_path.read_text(encoding="utf-8")
    written = write_outputs(rich_inventory(), cyclonedx_path=json_path)
    assert written == [("CycloneDX 1.6 JSON SBOM", json_path)]


@pytest.mark.parametrize("version", SPDX_VERSIONS)
def test_write_outputs_writes_each_spdx_version(version: str, tmp_path: Path) -> None:
    path = tmp_path / "bom.spdx.json"
    (written,) = write_outputs(rich_inventory(), spdx_path=path, spdx_version=version)
    assert written[0].startswith(f"SPDX {version} ") and written[1] == path
    # SPDX 2: "spdxVersion": "SPDX-2.3"; SPDX 3: "specVersion": "3.0.1"
    version_key = rf'"(spdxVersion|specVersion)": "(SPDX-)?{re.escape(version)}'
    assert re.search(version_key, path.read_text(encoding="utf-8"))
    assert [c.purl for c in load_sbom(path).components] == sorted(
        c.purl for c in rich_inventory().components
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"cyclonedx_version": "1.1"}, "CycloneDX '1.1' is not a version ospo writes"),
        ({"spdx_version": "2.1"}, "SPDX '2.1' is not a version ospo writes"),
    ],
)
def test_a_version_ospo_does_not_write_writes_nothing(
    tmp_path: Path, arguments: dict, message: str
) -> None:
    paths = {"cyclonedx_path": tmp_path / "bom.json", "spdx_path": tmp_path / "bom.spdx.json"}
    with pytest.raises(InputError, match=re.escape(message)):
        write_outputs(rich_inventory(), inventory_path=tmp_path / "inv.json", **paths, **arguments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("syntax", ["JSON", "XML"])
def test_cyclonedx_py_1_7_is_read(syntax: str, tmp_path: Path) -> None:
    """The peer tool's SBOM of this very environment, at 1.7, names the packages installed."""
    assert PEER.is_file(), "cyclonedx-py is installed by `make install` (.venv/peers)"
    sbom = tmp_path / f"env.cdx.{syntax.lower()}"
    subprocess.run(
        [str(PEER), "environment", sys.executable, "--of", syntax, "--sv", "1.7", "-o", sbom],
        capture_output=True,
        check=True,
        timeout=300,
    )
    text = sbom.read_text(encoding="utf-8")
    if syntax == "JSON":
        assert json.loads(text)["specVersion"] == "1.7"
        purls = re.findall(r'"purl": "([^"]+)"', text)
    else:
        assert 'xmlns="http://cyclonedx.org/schema/bom/1.7"' in text
        purls = re.findall(r"<purl>([^<]+)</purl>", text)
    inventory = load_sbom(sbom)
    assert len(purls) > 50
    assert {c.purl for c in inventory.components} == set(purls)
    assert "cyclonedx-py" in {t.name for t in inventory.scan.tools}
    assert any(c.license_expression for c in inventory.components)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.7", "version": 1, "components": '
            '[{"type": "library", "name": "x", '
            '"licenses": [{"license": {"id": "Not-A-License"}}]}]}',
            "not a valid CycloneDX 1.7 document at components/0/licenses/0/license",
        ),
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.8"}',
            "CycloneDX specVersion '1.8' is not supported",
        ),
        (
            "<bom xmlns='http://cyclonedx.org/schema/bom/1.7' version='1'>\n  <components>\n"
            "    <component type='library'>\n      <version>1.0</version>\n    </component>\n"
            "  </components>\n</bom>\n",
            "not a valid CycloneDX 1.7 XML document: Element 'version'",
        ),
    ],
)
def test_invalid_1_7_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.cdx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_sbom(path)
    assert raised.value.path == str(path)
    assert raised.value.message.startswith(message)


def test_1_7_detailed_expressions_are_read(tmp_path: Path) -> None:
    """1.7 adds expression details (``expressionDetails``, ``<expression-detailed>``);
    documents made with cyclonedx-python-lib itself, the way a 1.7 producer writes them."""
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.license import (
        LicenseAcknowledgement,
        LicenseExpression,
        LicenseExpressionDetails,
    )
    from cyclonedx.output import make_outputter
    from cyclonedx.schema import OutputFormat, SchemaVersion
    from packageurl import PackageURL

    expression = LicenseExpression(
        "MIT OR Apache-2.0",
        acknowledgement=LicenseAcknowledgement.CONCLUDED,
        details=[LicenseExpressionDetails("MIT"), LicenseExpressionDetails("Apache-2.0")],
    )
    component = Component(
        name="left-pad",
        version="1.3.0",
        type=ComponentType.LIBRARY,
        bom_ref="left-pad",
        purl=PackageURL.from_string("pkg:npm/left-pad@1.3.0"),
        licenses=[expression],
    )
    for syntax, marker in (("JSON", '"expressionDetails"'), ("XML", "<expression-detailed ")):
        text = make_outputter(
            Bom(components=[component]), OutputFormat[syntax], SchemaVersion.V1_7
        ).output_as_string(indent=2)
        assert marker in text
        path = tmp_path / f"detailed.{syntax.lower()}"
        path.write_text(text, encoding="utf-8")
        (read,) = load_sbom(path).components
        assert read.license_expression == "MIT OR Apache-2.0", syntax
        assert [(e.expression, e.source.value) for e in read.licenses] == [
            ("MIT OR Apache-2.0", "concluded")
        ]


@pytest.mark.parametrize("version", ["1.2", "1.4", "1.6", "1.7"])
def test_every_dependency_entry_says_dependson(version: str) -> None:
    """A leaf's entry has ``"dependsOn": []``: readers and validators take a missing list
    for an unknown graph."""

    from ospo.reporters import RenderOptions
    from ospo.sbom.cyclonedx.writer import CycloneDxJsonReporter

    data = json.loads(CycloneDxJsonReporter(version).render(rich_inventory(), RenderOptions()))
    entries = data["dependencies"]
    assert entries and all("dependsOn" in e for e in entries)
    assert any(e["dependsOn"] == [] for e in entries)  # leaves are written, not left out
