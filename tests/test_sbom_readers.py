# SPDX-License-Identifier: Apache-2.0
"""Every registered SBOM reader claims its own format and no other, from the content alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA
from ospo.errors import InputError
from ospo.sbom import READERS, SbomInput, load_sbom

SBOMS = DATA / "sbom"

#: A real document of each reader's format (made by another tool), by reader name.
SAMPLES = {
    "cyclonedx-json": "syft-go-mod.cdx.json",
    "cyclonedx-xml": "syft-go-mod.cdx.xml",
    "spdx2-json": "trivy-conda.spdx.json",
    "spdx2-tagvalue": "sbom4python-flask.spdx",
    "spdx3-json": "../spdx3/ntia-conformance-checker-6.0.0.spdx3.json",
}


def test_every_reader_has_a_sample() -> None:
    assert set(READERS) == set(SAMPLES)
    for name, reader_type in READERS.items():
        assert reader_type.name == name


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_reader_claims_its_format_only(name: str, tmp_path: Path) -> None:
    # a name that says nothing: the content tells the format
    path = tmp_path / "document"
    shutil.copyfile(SBOMS / SAMPLES[name], path)
    source = SbomInput(path, path.read_text(encoding="utf-8"))
    claims = [n for n, reader_type in READERS.items() if reader_type().sniff(source)]
    assert claims == [name]
    inventory = READERS[name]().read(source)
    assert inventory.components
    assert load_sbom(path) == inventory


def test_unknown_content_names_the_formats_read(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"bomFormat": "Other", "version": 1}', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_sbom(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: not an SBOM in a format ospo reads (")
    for reader_type in READERS.values():
        assert reader_type.title in message


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ('{\n  "bomFormat": "CycloneDX",\n  "specVersion": ', "not JSON: Expecting value", 3),
        ('["a list"]', "not an SBOM (a JSON object was expected)", None),
        ('{"schema_version": "1.1", "files": []}', "this is an ospo inventory", None),
    ],
)
def test_content_that_is_no_sbom(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_sbom(path)
    assert raised.value.message.startswith(message)
    assert raised.value.path == str(path)
    assert raised.value.line == line
