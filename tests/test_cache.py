# SPDX-License-Identifier: Apache-2.0
"""The result cache: hits, misses, damage of every kind, and two processes at once."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import run_ospo
from ospo.cache import FILE_NAME, ResultCache

KEY = "engine-A"
RECORD = {"license_expression": "MIT", "detections": [], "copyrights": [], "holders": []}


def _open(directory: Path, key: str = KEY) -> ResultCache:
    cache = ResultCache.open(key, directory)
    assert cache is not None
    return cache


def test_hit_and_miss(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    cache.put_many({"a" * 64: RECORD})
    assert cache.get_many(["a" * 64, "b" * 64]) == {"a" * 64: RECORD}
    cache.close()
    again = _open(tmp_path)
    assert again.get_many(["a" * 64]) == {"a" * 64: RECORD}
    assert again.warnings == []


def test_other_engine_key_misses(tmp_path: Path) -> None:
    _open(tmp_path).put_many({"a" * 64: RECORD})
    assert _open(tmp_path, "engine-B").get_many(["a" * 64]) == {}


def test_garbage_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database\x00" * 100)
    cache = _open(tmp_path)
    assert any("moved aside" in w for w in cache.warnings)
    assert list(tmp_path.glob(f"{FILE_NAME}.broken-*"))
    cache.put_many({"c" * 64: RECORD})
    assert cache.get_many(["c" * 64]) == {"c" * 64: RECORD}


def test_foreign_sqlite_database_is_moved_aside(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    conn.execute("CREATE TABLE results (x TEXT)")
    conn.execute("INSERT INTO results VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    cache = _open(tmp_path)
    assert any("not an ospo cache" in w for w in cache.warnings)
    assert cache.get_many(["a" * 64]) == {}


def test_tampered_record_is_dropped_not_trusted(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    cache.put_many({"d" * 64: RECORD})
    cache.close()
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    with conn:
        conn.execute(
            "UPDATE results SET record = ?",
            (json.dumps({**RECORD, "license_expression": "GPL-3.0-only"}),),
        )
    conn.close()
    cache = _open(tmp_path)
    assert cache.get_many(["d" * 64]) == {}
    assert any("damaged record" in w for w in cache.warnings)


def test_file_hashes_come_with_their_records_which_are_still_checked(tmp_path: Path) -> None:
    """known_hashes reads each unchanged file's record in the same query (by range for a
    whole tree, or path by path); get_many answers from those, digest-checked, and asks
    SQLite for the rest. A whole tree's range also drops the rows of its files that no
    longer exist."""
    tree = f"{tmp_path}/tree/"
    Path(tree).mkdir()
    (Path(tree) / "kept.py").write_text("x = 1\n", encoding="utf-8")  # there, not listed
    shas = {f"{tree}f{i}.py": f"{i:064x}" for i in range(1200)}  # more than one batch
    tampered = shas[f"{tree}f1.py"]
    signatures = {p: f"sig-{p}" for p in shas}
    signatures[f"{tree}f3.py"] = "changed"  # its hash is not known any more
    for under in (tree, None):
        directory = tmp_path / str(under is None)
        cache = _open(directory)
        cache.remember_hashes({p: (f"sig-{p}", sha) for p, sha in shas.items()})
        others = {"/t/tree-other/x.py": ("s", "e" * 64), "/t/x.py": ("s", "f" * 64)}
        cache.remember_hashes(
            {**others, f"{tree}gone.py": ("s", "d" * 64), f"{tree}kept.py": ("s", "c" * 64)}
        )
        cache.put_many({sha: {**RECORD, "n": i} for i, sha in enumerate(shas.values()) if i % 2})
        cache.put_many({"e" * 64: RECORD, "f" * 64: RECORD})
        cache.close()
        conn = sqlite3.connect(directory / FILE_NAME)
        with conn:  # tamper with one record: its digest no longer matches
            record = json.dumps({**RECORD, "n": 0})
            conn.execute("UPDATE results SET record = ? WHERE sha256 = ?", (record, tampered))
        conn.close()

        cache = _open(directory)
        known = cache.known_hashes(signatures, under=under)
        assert known == {p: sha for p, sha in shas.items() if p != f"{tree}f3.py"}
        found = cache.get_many([*shas.values(), "e" * 64])
        expected = {
            sha: {**RECORD, "n": i}
            for i, sha in enumerate(shas.values())
            if i % 2 and sha != tampered  # dropped, not trusted
        }
        assert found == {**expected, "e" * 64: RECORD}  # e was not read ahead: asked for
        assert any("1 damaged record" in w for w in cache.warnings)
        # a whole tree's range drops the rows of its files that no longer exist, only those
        rows = {p for (p,) in cache._conn.execute("SELECT path FROM hashes")}
        kept = {f"{tree}kept.py"} | ({f"{tree}gone.py"} if under is None else set())
        assert rows == set(shas) | set(others) | kept
        # what was read ahead is used once; asked again, the cache answers from SQLite
        cache.put_many({tampered: {**RECORD, "n": 1}})  # recomputed
        again = cache.get_many([tampered, shas[f"{tree}f5.py"]])
        assert again == {tampered: {**RECORD, "n": 1}, shas[f"{tree}f5.py"]: {**RECORD, "n": 5}}
        cache.close()


def test_truncated_database_is_detected(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    cache.put_many({f"{i:064x}": RECORD for i in range(2000)})
    cache.close()
    path = tmp_path / FILE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\xff" * 4096 + data[len(data) // 3 + 4096 :])
    cache = ResultCache.open(KEY, tmp_path)
    assert cache is not None
    # Either SQLite notices at once (moved aside) or on read; never a wrong record.
    found = cache.get_many([f"{i:064x}" for i in range(2000)])
    assert all(v == RECORD for v in found.values())
    assert any("damaged" in w for w in cache.warnings), "the damage is reported"
    cache.close()


def test_unwritable_cache_directory_means_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert ResultCache.open(KEY, blocker / "sub") is None


def _writer(directory: str, start: int) -> None:
    cache = ResultCache.open(KEY, Path(directory))
    assert cache is not None
    for i in range(start, start + 300):
        cache.put_many({f"{i:064x}": {**RECORD, "n": i}})
        cache.get_many([f"{(i * 7) % 600:064x}"])
    cache.close()


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_writer, args=(str(tmp_path), s)) for s in (0, 300)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    found = _open(tmp_path).get_many([f"{i:064x}" for i in range(600)])
    assert len(found) == 600
    assert all(found[f"{i:064x}"]["n"] == i for i in range(600))


def _first_opener(directory: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    cache = ResultCache.open(KEY, Path(directory))
    results.put((cache is not None, list(cache.warnings) if cache is not None else []))
    if cache is not None:
        cache.close()


def test_processes_creating_the_cache_at_the_same_moment_all_get_it(tmp_path: Path) -> None:
    """Several processes meeting a cache that does not exist yet: one creates it, the others
    wait for it. None of them fails or takes the half-made file for a foreign one (which
    happened to about one open in seven before creation was one transaction)."""
    context = multiprocessing.get_context("fork")
    outcomes = []
    for round_ in range(10):
        directory = tmp_path / str(round_)
        directory.mkdir()
        barrier, results = context.Barrier(6), context.Queue()
        procs = [
            context.Process(target=_first_opener, args=(str(directory), barrier, results))
            for _ in range(6)
        ]
        for proc in procs:
            proc.start()
        outcomes += [results.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=120)
    assert outcomes == [(True, [])] * 60


# --- the cache seen through `ospo scan` -------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.py").write_text("# SPDX-License-Identifier: MIT\nx = 1\n", encoding="utf-8")
    (root / "b.py").write_text("# Copyright 2021 Jane Doe\ny = 2\n", encoding="utf-8")
    return root


def _scan(tree: Path, out: Path, cache: Path, *extra: str) -> dict:
    proc = run_ospo("scan", tree, "-o", out, "-q", *extra, env={"OSPO_CACHE_DIR": str(cache)})
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_scan_uses_cache_and_rescans_only_changes(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _scan(tree, tmp_path / "1.json", cache)
    assert first["scan"]["stats"] == {**first["scan"]["stats"], "from_cache": 0, "matched": 2}
    second = _scan(tree, tmp_path / "2.json", cache)
    assert second["scan"]["stats"]["from_cache"] == 2
    assert second["scan"]["stats"]["matched"] == 0
    assert second["files"] == first["files"]

    (tree / "b.py").write_text("# SPDX-License-Identifier: Apache-2.0\ny = 3\n", encoding="utf-8")
    third = _scan(tree, tmp_path / "3.json", cache)
    assert third["scan"]["stats"]["from_cache"] == 1
    assert third["scan"]["stats"]["matched"] == 1
    by_path = {f["path"]: f for f in third["files"]}
    assert by_path["b.py"]["license_expression"] == "Apache-2.0"


def test_no_cache_neither_reads_nor_writes(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    data = _scan(tree, tmp_path / "1.json", cache, "--no-cache")
    assert data["scan"]["stats"]["from_cache"] == 0
    assert not (cache / FILE_NAME).exists()


def test_corrupt_cache_warns_and_gives_right_answers(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    good = _scan(tree, tmp_path / "1.json", cache)
    db = cache / FILE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"\x00garbage" * 1000)
    proc = run_ospo(
        "scan", tree, "-o", tmp_path / "2.json", "-q", env={"OSPO_CACHE_DIR": str(cache)}
    )
    assert proc.returncode == 0
    assert "moved aside" in proc.stderr
    assert "Traceback" not in proc.stderr
    again = json.loads((tmp_path / "2.json").read_text(encoding="utf-8"))
    assert again["files"] == good["files"]


def test_unchanged_files_are_not_read_again_but_changes_are_seen(
    tree: Path, tmp_path: Path
) -> None:
    """File hashes are remembered by signature (inode, size, times), like git's index."""
    import os
    import time

    cache = tmp_path / "cache"
    old = time.time() - 60  # not "racy": changed well before it was hashed
    for path in tree.iterdir():
        os.utime(path, (old, old))
    _scan(tree, tmp_path / "1.json", cache)
    conn = sqlite3.connect(cache / FILE_NAME)
    remembered = conn.execute("SELECT count(*) FROM hashes").fetchone()[0]
    conn.close()
    assert remembered == 2
    # Same size, same mtime, new content: the ctime still changes, so it is re-read.
    (tree / "a.py").write_text("# SPDX-License-Identifier: BSD\\nx = 1\\n", encoding="utf-8")
    os.utime(tree / "a.py", (old, old))
    again = _scan(tree, tmp_path / "2.json", cache)
    by_path = {f["path"]: f for f in again["files"]}
    assert by_path["a.py"]["license_expression"] != "MIT"
