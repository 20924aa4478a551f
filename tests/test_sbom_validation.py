# SPDX-License-Identifier: Apache-2.0
"""A large CycloneDX document is validated in two halves at once: the answer must be the
one a single pass over the whole document gives, valid or not, error for error."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema.exceptions import best_match

from ospo.sbom.cyclonedx.validation import strict_validator, validation_error

DATA = Path(__file__).parent / "data" / "sbom"


@pytest.fixture(scope="module")
def large() -> dict[str, Any]:
    """cdxgen's SBOM of a real npm project, its components repeated under new names until
    the document is large enough to be split."""
    document = json.loads((DATA / "npm-webapp.cdxgen.cdx.json").read_text())
    originals = document["components"]
    components, dependencies = [], []
    for copy_no in range(20):
        for comp in originals:
            comp = copy.deepcopy(comp)
            ref = f"{comp.get('bom-ref', comp['name'])}-copy{copy_no}"
            comp["bom-ref"] = ref
            comp["name"] = f"{comp['name']}-copy{copy_no}"
            components.append(comp)
            dependencies.append({"ref": ref, "dependsOn": []})
    document["components"] = components
    document["dependencies"] = document.get("dependencies", []) + dependencies
    assert len(components) + len(document["dependencies"]) > 2000
    return document


def one_pass(document: dict[str, Any]) -> Any:
    return best_match(strict_validator(document["specVersion"]).iter_errors(document))


def test_a_valid_large_document_is_valid(large: dict[str, Any]) -> None:
    assert one_pass(large) is None
    assert validation_error(large, large["specVersion"]) is None


def broken_in_head(doc: dict[str, Any]) -> None:
    doc["components"][3]["type"] = "nonsense"


def broken_in_tail(doc: dict[str, Any]) -> None:
    doc["components"][-3]["type"] = "nonsense"


def broken_dependency_in_tail(doc: dict[str, Any]) -> None:
    doc["dependencies"][-1]["dependsOn"] = "not a list"


def repeated_across_halves(doc: dict[str, Any]) -> None:
    doc["components"][-1] = copy.deepcopy(doc["components"][0])


def repeated_dependency_across_halves(doc: dict[str, Any]) -> None:
    doc["dependencies"][-1] = copy.deepcopy(doc["dependencies"][0])


def broken_metadata(doc: dict[str, Any]) -> None:
    doc["metadata"]["timestamp"] = 12


def unknown_top_level_key(doc: dict[str, Any]) -> None:
    doc["surprise"] = True


def no_spec_version(doc: dict[str, Any]) -> None:
    del doc["bomFormat"]


@pytest.mark.parametrize(
    "breakage",
    [
        broken_in_head,
        broken_in_tail,
        broken_dependency_in_tail,
        repeated_across_halves,
        repeated_dependency_across_halves,
        broken_metadata,
        unknown_top_level_key,
        no_spec_version,
    ],
)
def test_an_invalid_large_document_gets_the_error_of_one_pass(
    large: dict[str, Any], breakage: Any
) -> None:
    document = copy.deepcopy(large)
    breakage(document)
    expected = one_pass(document)
    assert expected is not None
    found = validation_error(document, document["specVersion"])
    assert found is not None
    assert (list(found.absolute_path), found.message) == (
        list(expected.absolute_path),
        expected.message,
    )


def test_a_large_document_is_read_while_it_is_validated(
    large: dict[str, Any], tmp_path: Path
) -> None:
    from ospo.sbom.cyclonedx.reader import cyclonedx_inventory

    inventory = cyclonedx_inventory(copy.deepcopy(large), tmp_path / "big.cdx.json")
    packages = [
        c for c in large["components"] if c.get("purl") and c["type"] not in ("file", "application")
    ]
    assert len(packages) > 2000
    assert sorted(c.purl for c in inventory.components) == sorted(c["purl"] for c in packages)
    assert {c.name for c in inventory.components} >= {"@types/node-copy19", "accepts-copy0"}


@pytest.mark.parametrize(
    ("breakage", "where"),
    [
        (broken_in_tail, "components/"),
        (broken_in_head, "components/3/type"),
        (repeated_across_halves, "components: "),
    ],
)
def test_a_large_invalid_document_is_refused_with_its_schema_error(
    large: dict[str, Any], tmp_path: Path, breakage: Any, where: str
) -> None:
    from ospo.errors import InputError
    from ospo.sbom.cyclonedx.reader import cyclonedx_inventory

    document = copy.deepcopy(large)
    breakage(document)
    with pytest.raises(InputError) as raised:
        cyclonedx_inventory(document, tmp_path / "big.cdx.json")
    assert f"not a valid CycloneDX 1.6 document at {where}" in str(raised.value)


def test_what_reading_an_invalid_document_would_trip_over_is_its_schema_error(
    large: dict[str, Any], tmp_path: Path
) -> None:
    """The document is read while it is validated: a component that is not an object at
    all must come out as the schema's complaint, not as a crash of the reader."""
    from ospo.errors import InputError
    from ospo.sbom.cyclonedx.reader import cyclonedx_inventory

    document = copy.deepcopy(large)
    document["components"][-2] = "not a component"
    with pytest.raises(InputError) as raised:
        cyclonedx_inventory(document, tmp_path / "big.cdx.json")
    index = len(document["components"]) - 2
    assert f"document at components/{index}: 'not a component' is not of type 'object'" in str(
        raised.value
    )
