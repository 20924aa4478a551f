# SPDX-License-Identifier: Apache-2.0
"""The inventory's JSON form: round trip, schema, and clear errors for bad documents."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import run_ospo
from ospo import inventory_json
from ospo.errors import InputError
from ospo.model import (
    Component,
    CopyrightStatement,
    FileEntry,
    Inventory,
    IssueKind,
    LicenseEvidence,
    LicenseMatch,
    LicenseReference,
    LicenseSource,
    ScanInfo,
    ScanIssue,
    Scope,
    Subject,
    Tool,
)


def _inventory() -> Inventory:
    return Inventory(
        subject=Subject(name="demo", version="1.0", declared_license="Apache-2.0"),
        files=(
            FileEntry(
                path="src/a.py",
                sha256="a" * 64,
                size=10,
                license_expression="MIT",
                detections=(
                    LicenseMatch(
                        license_expression="MIT",
                        start_line=1,
                        end_line=1,
                        score=100.0,
                        matcher="1-spdx-id",
                        rule="spdx-license-identifier-mit",
                        scancode_expression="mit",
                    ),
                ),
                copyrights=(
                    CopyrightStatement(statement="Copyright 2020 A", start_line=2, end_line=2),
                ),
                holders=("A",),
            ),
        ),
        components=(
            Component(
                purl="pkg:npm/is-number@7.0.0",
                name="is-number",
                version="7.0.0",
                scope=Scope.RUNTIME,
                license_expression="MIT",
                licenses=(
                    LicenseEvidence(
                        expression="MIT",
                        source=LicenseSource.DECLARED,
                        location="vendor/is-number/package.json",
                    ),
                ),
                vendored_path="vendor/is-number",
            ),
        ),
        scan=ScanInfo(
            tools=(Tool(name="ospo", version="0"),),
            timestamp="2026-01-01T00:00:00Z",
            issues=(ScanIssue(kind=IssueKind.TOO_LARGE, path="big.bin", message="too big"),),
        ),
    )


def test_round_trip_is_lossless() -> None:
    inv = _inventory()
    assert inventory_json.from_json_dict(json.loads(inventory_json.dumps(inv))) == inv


def test_references_and_detection_groups_round_trip_and_old_entries_still_load() -> None:
    base = _inventory()
    match = replace(
        base.files[0].detections[0],
        coverage=62.5,
        detection=1,
        detection_expression="MIT AND LicenseRef-scancode-unknown-license-reference",
    )
    entry = replace(
        base.files[0],
        detections=(match,),
        reference=LicenseReference(
            names=("LICENSE", "COPYING"), followed=("LICENSE",), license_expression="MIT"
        ),
    )
    inv = replace(base, files=(entry,))
    data = json.loads(inventory_json.dumps(inv))
    assert inventory_json.from_json_dict(data) == inv
    assert data["files"][0]["reference"]["followed"] == ["LICENSE"]
    # an entry written before references were followed: no reference, one detection each
    for key in ("coverage", "detection", "detection_expression"):
        del data["files"][0]["license_detections"][0][key]
    del data["files"][0]["reference"]
    old = inventory_json.from_json_dict(data).files[0]
    assert old.reference is None and old.effective_license == old.license_expression
    assert old.detections[0] == replace(match, coverage=100.0, detection=0, detection_expression="")


def test_the_text_is_the_encoding_of_the_json_data_line_by_line() -> None:
    """dumps encodes what files share once; each line is still exactly the encoder's
    answer for that entry, whatever the path holds and whichever parts are shared."""
    base = _inventory()
    shared = base.files[0]
    odd = ('quote " and \\ back', "tab\tnew\nline\x01", "naïve/日本/é.py", "emoji/🙂.js", "x" * 300)
    files = [shared]
    for i, path in enumerate(odd):
        # the same record's tuples (as the scanner shares them) under another path ...
        files.append(replace(shared, path=path, sha256=f"{i:064x}", size=i * 1000))
        # ... with another package, and with equal but separate tuples
        files.append(replace(shared, path=path + "-p", package="pkg:npm/x@1"))
        files.append(
            replace(
                shared,
                path=path + "-c",
                detections=tuple(replace(d) for d in shared.detections),
                copyrights=(replace(shared.copyrights[0], statement="Copyright 2021 B"),),
                holders=("B",),
            )
        )
    # the same record's tuples with references followed to different answers
    followed = LicenseReference(names=("LICENSE",), followed=("LICENSE",), license_expression="MIT")
    files.append(replace(shared, path="ref/a", reference=followed))
    files.append(replace(shared, path="ref/b", reference=replace(followed, followed=())))
    files.append(
        FileEntry(path="u.bin", sha256="b" * 64, size=0, license_expression=None, scanned=False)
    )
    files.append(FileEntry(path="none.py", sha256="c" * 64, size=7, license_expression=None))
    inv = replace(base, files=tuple(files))
    data = inventory_json.to_json_dict(inv)
    text = inventory_json.dumps(inv)
    assert json.loads(text) == data
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
    lines = text.splitlines()
    start = lines.index('  "files": [') + 1
    assert lines[start : start + len(files)] == [
        f"    {encoder.encode(entry)}" + ("," if i < len(files) - 1 else "")
        for i, entry in enumerate(data["files"])
    ]


def test_a_size_written_as_a_whole_float_is_read_as_an_integer(tmp_path: Path) -> None:
    data = inventory_json.to_json_dict(_inventory())
    data["files"][0]["size"] = 10.0  # a JSON Schema integer all the same
    path = tmp_path / "inv.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    inv = inventory_json.load(path)
    assert inv.files[0].size == 10 and type(inv.files[0].size) is int
    assert '"size": 10, ' in inventory_json.dumps(inv)


def test_stable_keys_are_present() -> None:
    data = inventory_json.to_json_dict(_inventory())
    assert {"schema_version", "files", "components"} <= set(data)
    assert {"path", "sha256", "license_expression", "copyrights"} <= set(data["files"][0])
    assert {"purl", "name", "version", "scope", "direct", "license_expression", "licenses"} <= set(
        data["components"][0]
    )
    assert {"expression", "source", "location"} <= set(data["components"][0]["licenses"][0])


def test_schema_errors_name_the_key_path(tmp_path: Path) -> None:
    data = inventory_json.to_json_dict(_inventory())
    data["files"][0]["sha256"] = "not-a-hash"
    path = tmp_path / "inv.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"invalid inventory at files/0/sha256"):
        inventory_json.load(path)


GO_HASH = "h1:lJeBwCfmrnXthfAupyUTzJ/J4Nc1RsHC/mSRU2dll/s="  # cobra v1.10.1's, from a go.sum


def test_go_module_hash_round_trip_and_older_documents(tmp_path: Path) -> None:
    cobra = Component(
        purl="pkg:golang/github.com/spf13/cobra@v1.10.1",
        name="github.com/spf13/cobra",
        version="v1.10.1",
        go_module_hash=GO_HASH,
    )
    inv = replace(_inventory(), components=(cobra,))
    path = tmp_path / "inv.json"
    path.write_text(inventory_json.dumps(inv), encoding="utf-8")
    assert inventory_json.load(path).components == (cobra,)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["components"][0]["go_module_hash"] == GO_HASH
    # a document written before the key existed (schema 1.1) reads with none
    del data["components"][0]["go_module_hash"]
    data["schema_version"] = "1.1"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert inventory_json.load(path).components[0].go_module_hash is None


@pytest.mark.parametrize(
    "value",
    [GO_HASH.removesuffix("="), "h1:" + "A" * 40 + "==", GO_HASH.replace("h1:", "h2:"), "abc"],
)
def test_damaged_go_module_hash_is_refused(tmp_path: Path, value: str) -> None:
    data = inventory_json.to_json_dict(_inventory())
    data["components"][0]["go_module_hash"] = value
    path = tmp_path / "inv.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"invalid inventory at components/0/go_module_hash"):
        inventory_json.load(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"files": [', "not JSON"),
        ('{"hello": 1}', "not an ospo inventory"),
        ('{"schema_version": "9.0"}', "schema version 9.0 is not supported"),
        ('{"bomFormat": "CycloneDX", "specVersion": "1.6"}', "not an ospo inventory"),
    ],
)
def test_bad_documents_are_input_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "inv.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        inventory_json.load(path)


def test_binary_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "inv.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(InputError, match="inventory file is not UTF-8 text"):
        inventory_json.load(path)
    with pytest.raises(InputError, match="does not exist"):
        inventory_json.load(tmp_path / "missing.json")


def test_a_real_scan_validates_against_the_schema(vendored_app: Path, tmp_path: Path) -> None:
    out = tmp_path / "inv.json"
    assert run_ospo("scan", vendored_app, "-q", "-o", out).returncode == 0
    inv = inventory_json.load(out)
    assert inventory_json.dumps(inv) == out.read_text(encoding="utf-8")
