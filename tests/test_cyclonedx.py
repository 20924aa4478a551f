# SPDX-License-Identifier: Apache-2.0
"""The CycloneDX SBOM validates against the official 1.6 schema and carries the evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from conftest import run_ospo
from ospo import inventory_json
from ospo.reporters import RenderOptions
from ospo.sbom.cyclonedx.writer import CycloneDxJsonReporter


@pytest.fixture
def sbom(vendored_app: Path, tmp_path: Path) -> dict:
    out = tmp_path / "bom.cdx.json"
    proc = run_ospo("scan", vendored_app, "-q", "--cyclonedx", out)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    return json.loads(text)


def test_product_and_vendored_components(sbom: dict) -> None:
    assert sbom["bomFormat"] == "CycloneDX"
    assert sbom["specVersion"] == "1.6"
    assert sbom["metadata"]["component"]["name"] == "app"
    libraries = {c["purl"]: c for c in sbom["components"] if c["type"] == "library"}
    npm = libraries["pkg:npm/is-number@7.0.0"]
    assert npm["licenses"] == [{"expression": "MIT", "acknowledgement": "declared"}]
    assert npm["evidence"]["licenses"] == [{"expression": "MIT"}]
    assert npm["evidence"]["occurrences"][0]["location"] == "vendor/is-number/LICENSE"
    deps = {d["ref"]: d.get("dependsOn", []) for d in sbom["dependencies"]}
    assert set(deps["product"]) == set(libraries)


def test_file_evidence_has_expression_lines_and_copyright(sbom: dict) -> None:
    files = {c["name"]: c for c in sbom["components"] if c["type"] == "file"}
    main = files["src/main.py"]
    assert main["hashes"][0]["alg"] == "SHA-256"
    assert main["evidence"]["licenses"] == [{"expression": "LicenseRef-Acme-Proprietary"}]
    (occurrence,) = main["evidence"]["occurrences"]
    assert occurrence["location"] == "src/main.py"
    assert occurrence["line"] == 1
    assert occurrence["additionalContext"].startswith("lines 1-1: LicenseRef-Acme-Proprietary")
    assert main["evidence"]["copyright"] == [{"text": "Copyright (c) 2026 Acme Corporation"}]
    assert "src/util.py" not in files, "files without evidence add nothing to the SBOM"
    six = files["third_party/six/six.py"]
    assert {"name": "ospo:package", "value": "pkg:generic/six?vendored_path=third_party/six"} in (
        six["properties"]
    )


def test_timestamp_and_serial_can_be_pinned(vendored_app: Path, tmp_path: Path) -> None:
    out = tmp_path / "inv.json"
    assert run_ospo("scan", vendored_app, "-q", "-o", out).returncode == 0
    inv = inventory_json.load(out)
    options = RenderOptions(
        timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        serial_number=UUID("12345678-1234-5678-1234-567812345678"),
    )
    data = json.loads(CycloneDxJsonReporter().render(inv, options))
    assert data["serialNumber"] == "urn:uuid:12345678-1234-5678-1234-567812345678"
    assert data["metadata"]["timestamp"] == "2026-01-02T03:04:05+00:00"


@pytest.mark.parametrize("version", ["1.7", "1.4", "1.2"])
def test_scan_writes_the_cyclonedx_version_asked_for(
    vendored_app: Path, tmp_path: Path, version: str
) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    from ospo.sbom import load_sbom

    out = tmp_path / "bom.cdx.json"
    proc = run_ospo("scan", vendored_app, "-q", "--cyclonedx", out, "--cyclonedx-version", version)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert json.loads(text)["specVersion"] == version
    assert JsonStrictValidator(SchemaVersion.from_version(version)).validate_str(text) is None
    purls = {c.purl for c in load_sbom(out).components}
    assert "pkg:npm/is-number@7.0.0" in purls


def test_an_sbom_version_ospo_does_not_write_is_a_usage_error(
    vendored_app: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bom.cdx.json"
    proc = run_ospo("scan", vendored_app, "-q", "--cyclonedx", out, "--cyclonedx-version", "2.0")
    assert proc.returncode == 2
    assert "'2.0' is not one of '1.2', '1.3', '1.4', '1.5', '1.6', '1.7'" in proc.stderr
    assert not out.exists()
