# SPDX-License-Identifier: Apache-2.0
"""Valid YAML documents are read once: remembered by content, never when invalid."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ospo.documents import line_of, load_yaml_document
from ospo.errors import ConfigError

WAIVERS = """\
version: 1
waivers:
  - rule: license/denied
    component: pkg:npm/a
    decision: approve
    reason: first
    approver: A
    role: legal
    date: 2026-01-10

  - rule: license/denied
    component: pkg:npm/b
    decision: approve
    reason: second
    approver: B
    role: legal
    date: 2026-01-11
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("OSPO_CACHE_DIR", str(directory))
    return directory


def _memos(cache: Path) -> list[Path]:
    return sorted((cache / "documents").glob("*.json"))


def test_a_valid_document_is_read_once_then_recalled(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "waivers.yml"
    path.write_text(WAIVERS, encoding="utf-8")
    data, lines = load_yaml_document(path, "waivers.schema.json")
    assert data["waivers"][1]["reason"] == "second"
    assert data["waivers"][0]["date"] == "2026-01-10"  # dates stay as written
    assert (line_of(lines, ["waivers", 0]), line_of(lines, ["waivers", 1])) == (3, 11)
    assert line_of(lines, ["waivers", 1, "reason"]) == 11  # the nearest parent it knows
    assert len(_memos(cache)) == 1
    # Another process reads the same text without PyYAML or jsonschema, to the same answer.
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from ospo.documents import load_yaml_document\n"
        f"data, lines = load_yaml_document(Path({str(path)!r}), 'waivers.schema.json')\n"
        "print(json.dumps({'data': data, 'lines': sorted([list(k), v] for k, v in lines.items()),"
        " 'loaded': [m for m in ('yaml', 'jsonschema') if m in sys.modules]}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    again = json.loads(proc.stdout)
    assert again["loaded"] == []
    assert again["data"] == data
    assert again["lines"] == sorted([list(k), v] for k, v in lines.items())
    # a changed text is read afresh (and remembered besides)
    path.write_text(WAIVERS.replace("second", "other"), encoding="utf-8")
    assert load_yaml_document(path, "waivers.schema.json")[0]["waivers"][1]["reason"] == "other"
    assert len(_memos(cache)) == 2


def test_an_invalid_document_is_never_remembered(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "waivers.yml"
    path.write_text(WAIVERS.replace("decision: approve\n    reason: first", "reason: first"))
    for _ in range(2):  # the second read finds the error again, with its line
        with pytest.raises(ConfigError, match=r"waivers\.0: 'decision' is a required") as err:
            load_yaml_document(path, "waivers.schema.json")
        assert err.value.line == 3
    path.write_text("waivers: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_yaml_document(path, "waivers.schema.json")
    assert _memos(cache) == []


def test_a_damaged_memo_is_a_miss(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "waivers.yml"
    path.write_text(WAIVERS, encoding="utf-8")
    first = load_yaml_document(path, "waivers.schema.json")
    (memo,) = _memos(cache)
    for damage in ("{not json", '{"data": {}}', '{"data": {}, "lines": [["x"]]}'):
        memo.write_text(damage, encoding="utf-8")
        assert load_yaml_document(path, "waivers.schema.json") == first
        assert json.loads(memo.read_text(encoding="utf-8"))["data"] == first[0]  # rewritten


def test_data_json_cannot_keep_is_read_every_time(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "table.yml"
    path.write_text("1: one\n2: two\n", encoding="utf-8")  # integer keys: JSON has none
    for _ in range(2):
        assert load_yaml_document(path, None)[0] == {1: "one", 2: "two"}
    assert _memos(cache) == []


def test_no_usable_cache_directory_still_reads(tmp_path: Path, cache: Path) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the cache directory should be", encoding="utf-8")
    path = tmp_path / "waivers.yml"
    path.write_text(WAIVERS, encoding="utf-8")
    for _ in range(2):
        assert load_yaml_document(path, "waivers.schema.json")[0]["version"] == 1


def test_a_memo_that_cannot_be_written_is_no_error(tmp_path: Path, cache: Path) -> None:
    from ospo import documents

    path = tmp_path / "waivers.yml"
    path.write_text(WAIVERS, encoding="utf-8")
    # a directory where the memo would go: writing it fails, reading it too
    Path(documents.memo_path(WAIVERS, "waivers.schema.json")).mkdir(parents=True)
    for _ in range(2):
        assert load_yaml_document(path, "waivers.schema.json")[0]["version"] == 1


def test_schema_errors_point_at_the_text_as_written_merge_keys_and_all(
    tmp_path: Path, cache: Path
) -> None:
    path = tmp_path / ".ospo.yml"
    path.write_text("product: &p\n  name: x\n  license: MIT\nscan:\n  <<: *p\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_yaml_document(path, "config.schema.json")
    assert err.value.line == 4  # scan:, not a line of the product it merges
    assert "scan" in str(err.value)


def test_another_installation_reads_the_document_again(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML or jsonschema upgraded (site-packages changed): memos of before are not used."""
    from ospo import documents

    path = tmp_path / "waivers.yml"
    path.write_text(WAIVERS, encoding="utf-8")
    monkeypatch.setattr(documents, "installation_stamp", lambda: ["site-packages:1"])
    load_yaml_document(path, "waivers.schema.json")
    monkeypatch.setattr(documents, "installation_stamp", lambda: ["site-packages:2"])
    assert documents.recall(documents.memo_path(WAIVERS, "waivers.schema.json")) is None
    load_yaml_document(path, "waivers.schema.json")
    assert len(_memos(cache)) == 2
