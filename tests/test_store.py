# SPDX-License-Identifier: Apache-2.0
"""The result store: one contract for both backends (the local SQLite cache and the shared
PostgreSQL store, on a real server), then the shared store seen through ``ospo scan``: two
runners, two scans at once, shards and their assembly, a damaged row, a server that goes
away."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pgserver import postgres_server

from conftest import DATA, run_ospo, run_ospo_process
from ospo.cache import FILE_NAME, ResultStore, open_store, record_text, text_digest
from ospo.pgstore import run_id, shown_url, split_url
from ospo.shards import in_shard, parse_shard

KEY = "engine-A"
RECORD = {"license_expression": "MIT", "detections": [], "copyrights": [], "holders": []}
SHA = "a" * 64


def _sha(number: int) -> str:
    return f"{number:064x}"


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store is: a directory (SQLite) or a writable PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "cache")
    return str(request.getfixturevalue("postgres_url")) + "?mode=rw"


def _open(location: str, key: str = KEY, *, read_only: bool = False) -> ResultStore:
    store = open_store(key, location, read_only=read_only)
    assert store is not None
    return store


def _tamper(location: str, sha: str, record: str, digest: str | None = None) -> None:
    """Overwrite the stored text of ``sha`` behind the store's back."""
    digest = digest if digest is not None else text_digest(json.dumps(RECORD))
    if "://" in location:
        with psycopg.connect(split_url(location)[0], autocommit=True) as conn:
            conn.execute(
                "UPDATE ospo_results SET record = %s, digest = %s WHERE sha256 = %s",
                (record, digest, sha),
            )
        return
    conn = sqlite3.connect(Path(location) / FILE_NAME)
    with conn:
        conn.execute(
            "UPDATE results SET record = ?, digest = ? WHERE sha256 = ?", (record, digest, sha)
        )
    conn.close()


# --- the contract, on both backends -----------------------------------------------------


def test_hit_miss_and_reopen(location: str) -> None:
    store = _open(location)
    store.put_many({SHA: RECORD})
    assert store.get_many([SHA, "b" * 64]) == {SHA: RECORD}
    store.close()
    again = _open(location)
    assert again.get_many([SHA]) == {SHA: RECORD}
    assert again.get_many([]) == {}
    assert (again.warnings, again.problems) == ([], [])
    again.close()


def test_other_engine_key_misses(location: str) -> None:
    _open(location).put_many({SHA: RECORD})
    assert _open(location, "engine-B").get_many([SHA]) == {}
    assert _open(location, KEY).get_many([SHA]) == {SHA: RECORD}


@pytest.mark.parametrize("count", [1, 499, 501, 1999, 2000, 6000])
def test_a_whole_tree_is_looked_up_at_once(location: str, count: int) -> None:
    """Every size of look-up: one key, around SQLite's chunk, around the point where the
    PostgreSQL store copies the keys into a temporary table; stored and missing mixed."""
    store = _open(location)
    store.put_many({_sha(i): {"n": i} for i in range(0, count, 2)})
    found = store.get_many(_sha(i) for i in range(count))
    assert found == {_sha(i): {"n": i} for i in range(0, count, 2)}
    assert store.problems == []


def test_storing_again_is_no_error(location: str) -> None:
    store = _open(location)
    store.put_many({SHA: RECORD, "b" * 64: {"n": 1}})
    store.put_many({SHA: RECORD})
    other = _open(location)
    other.put_many({SHA: RECORD, "c" * 64: {"n": 2}})
    assert _open(location).get_many([SHA, "b" * 64, "c" * 64]) == {
        SHA: RECORD,
        "b" * 64: {"n": 1},
        "c" * 64: {"n": 2},
    }
    assert (store.problems, other.problems) == ([], [])


@pytest.mark.parametrize(
    ("text", "digest"),
    [
        ('{"license_expression":"GPL-3.0-only"}', None),  # changed, digest of the original
        ('{"license_expression":"GPL-3.0-only"}', "0" * 32),  # changed, made-up digest
        ("not json at all", text_digest("not json at all")),  # its own digest, not JSON
        ("[1, 2]", text_digest("[1, 2]")),  # JSON with its own digest, not a record
        ("", text_digest("")),
    ],
)
def test_a_damaged_record_is_a_miss_then_stored_again(
    location: str, text: str, digest: str | None
) -> None:
    _open(location).put_many({SHA: RECORD, "b" * 64: RECORD})
    _tamper(location, SHA, text, digest)
    store = _open(location)
    assert store.get_many([SHA, "b" * 64]) == {"b" * 64: RECORD}
    assert any("damaged" in w for w in store.warnings)
    store.put_many({SHA: RECORD})  # what the scan recomputed replaces the damaged row
    assert _open(location).get_many([SHA]) == {SHA: RECORD}


def test_read_only_reads_and_never_writes(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _open(location).put_many({SHA: RECORD})
    reader = _open(location, read_only=True)
    assert reader.read_only
    assert reader.get_many([SHA]) == {SHA: RECORD}
    reader.put_many({"b" * 64: RECORD})
    monkeypatch.setenv("OSPO_CACHE_READ_ONLY", "1")
    by_env = _open(location)
    assert by_env.read_only
    by_env.put_many({"c" * 64: RECORD})
    monkeypatch.delenv("OSPO_CACHE_READ_ONLY")
    assert _open(location).get_many([SHA, "b" * 64, "c" * 64]) == {SHA: RECORD}


def test_a_read_only_store_leaves_a_damaged_record_where_it_is(location: str) -> None:
    _open(location).put_many({SHA: RECORD})
    _tamper(location, SHA, '{"x":1}')
    assert _open(location, read_only=True).get_many([SHA]) == {}
    if "://" in location:
        with psycopg.connect(split_url(location)[0]) as conn:
            assert conn.execute("SELECT record FROM ospo_results").fetchall() == [('{"x":1}',)]


def test_file_hashes_are_remembered_on_this_machine(location: str, tmp_path: Path) -> None:
    store = _open(location)
    path = str(tmp_path / "f.txt")
    store.remember_hashes({path: ("1:2:3:4:5", SHA)})
    store.close()
    again = _open(location)
    assert again.known_hashes({path: "1:2:3:4:5"}) == {path: SHA}
    assert again.known_hashes({path: "1:2:3:4:6"}) == {}


def _writer(location: str, start: int, barrier: Any) -> None:
    store = _open(location)
    barrier.wait()
    for first in range(start, start + 3000, 500):
        store.put_many({_sha(i): {"n": i} for i in range(first, first + 500)})
    assert store.problems == [] and store.warnings == []
    store.close()


def test_two_processes_store_overlapping_results_at_once(location: str) -> None:
    """Both succeed, with no error and no duplicate: 0-2999 and 1500-4499 overlap by half."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    procs = [
        context.Process(target=_writer, args=(location, start, barrier)) for start in (0, 1500)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0, 0]
    found = _open(location).get_many(_sha(i) for i in range(4500))
    assert found == {_sha(i): {"n": i} for i in range(4500)}
    if "://" in location:
        with psycopg.connect(split_url(location)[0]) as conn:
            assert conn.execute("SELECT count(*) FROM ospo_results").fetchone() == (4500,)


# --- the PostgreSQL store's own promises ------------------------------------------------


def test_postgresql_store_is_read_only_unless_its_url_says_rw(postgres_url: str) -> None:
    _open(postgres_url + "?mode=rw").put_many({SHA: RECORD})
    for url in (postgres_url, postgres_url + "?mode=ro"):
        store = _open(url)
        assert store.read_only
        assert store.get_many([SHA]) == {SHA: RECORD}
        store.put_many({"b" * 64: RECORD})
    assert _open(postgres_url).get_many(["b" * 64]) == {}


def test_a_writer_that_may_not_delete_keeps_the_damaged_row_and_goes_on(
    postgres_url: str,
) -> None:
    _open(postgres_url + "?mode=rw").put_many({SHA: RECORD})
    _tamper(postgres_url, SHA, '{"x":1}')
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS ospo_inserter")
        conn.execute("CREATE ROLE ospo_inserter LOGIN")
        conn.execute("GRANT SELECT, INSERT ON ospo_results TO ospo_inserter")
    url = postgres_url.replace("postgres@", "ospo_inserter@") + "?mode=rw"
    store = _open(url)
    assert store.get_many([SHA]) == {}
    assert store.problems == [], store.problems
    assert any("not removed" in w and "permission denied" in w for w in store.warnings)
    store.put_many({"b" * 64: RECORD})
    assert store.get_many(["b" * 64]) == {"b" * 64: RECORD}
    assert store.problems == []


def test_without_psycopg_the_store_is_a_problem_not_a_crash(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what a Python without it imports
    store = _open(postgres_url + "?mode=rw")
    assert store.get_many([SHA]) == {}
    assert len(store.problems) == 1
    assert "pip install 'ospo[postgresql]'" in store.problems[0]


def test_a_mode_that_is_neither_ro_nor_rw_is_a_problem_not_a_crash(postgres_url: str) -> None:
    store = _open(postgres_url + "?mode=write")
    assert store.get_many([SHA]) == {}
    assert store.problems and "mode=ro or mode=rw" in store.problems[0]


def test_the_url_keeps_its_own_parameters_and_loses_mode() -> None:
    url = "postgresql://u:secret@db.example:5432/ospo?sslmode=require&mode=rw"
    assert split_url(url) == ("postgresql://u:secret@db.example:5432/ospo?sslmode=require", True)
    assert split_url("postgresql://db/ospo") == ("postgresql://db/ospo", False)
    assert shown_url(url) == "postgresql://u@db.example:5432/ospo"
    assert "secret" not in shown_url("postgres://:secret@db/x")


def test_each_result_records_the_run_that_stored_it(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/product")
    monkeypatch.setenv("GITHUB_RUN_ID", "4242")
    monkeypatch.setenv("GITHUB_RUN_ATTEMPT", "2")
    _open(postgres_url + "?mode=rw").put_many({SHA: RECORD})
    monkeypatch.setenv("OSPO_RUN_ID", "nightly-17")
    _open(postgres_url + "?mode=rw").put_many({"b" * 64: RECORD, SHA: {"n": 0}})
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT sha256, run_id, record FROM ospo_results ORDER BY 1").fetchall()
    assert rows == [
        (
            SHA,
            "https://github.com/acme/product/actions/runs/4242/attempts/2",
            record_text(RECORD)[0],
        ),
        ("b" * 64, "nightly-17", record_text(RECORD)[0]),
    ]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"CI_JOB_URL": "https://gitlab.example/acme/p/-/jobs/9"},
            "https://gitlab.example/acme/p/-/jobs/9",
        ),
        ({"BUILD_URL": "https://jenkins.example/job/p/3/"}, "https://jenkins.example/job/p/3/"),
        ({"GITHUB_RUN_ID": "7"}, None),  # no repository: not a usable GitHub URL
        ({}, None),
    ],
)
def test_run_id_from_the_ci_or_this_process(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str | None
) -> None:
    for name in ("OSPO_RUN_ID", "GITHUB_RUN_ID", "GITHUB_REPOSITORY", "CI_JOB_URL", "BUILD_URL",
                 "BUILDKITE_BUILD_URL"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    if expected is not None:
        assert run_id() == expected
    else:
        import socket

        assert re.fullmatch(
            rf"{re.escape(socket.gethostname())}:{os.getpid()}:\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
            run_id(),
        )


def test_a_server_that_goes_away_turns_into_misses_and_a_problem(
    postgres_url: str, postgres: Any
) -> None:
    store = _open(postgres_url + "?mode=rw")
    store.put_many({SHA: RECORD})
    assert store.get_many([SHA]) == {SHA: RECORD}
    with psycopg.connect(postgres.url(), autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'ospo' AND datname = %s",
            (postgres_url.rsplit("/", 1)[1],),
        )
    assert store.get_many([SHA]) == {}
    store.put_many({"b" * 64: RECORD})
    assert len(store.problems) == 1 and "went on without it" in store.problems[0]
    assert "postgresql://postgres@127.0.0.1" in store.problems[0]
    store.close()


def test_a_large_look_up_is_streamed_and_still_checks_every_row(postgres_url: str) -> None:
    """Above the copy threshold rows come back in chunks, checked as they arrive: damage in
    the first chunk and in the last is caught, the rows between are all found."""
    import ospo.pgstore

    assert ospo.pgstore._chunked_rows()  # this libpq streams: the path below is the chunked one
    url = postgres_url + "?mode=rw"
    stored = {_sha(i): {"n": i} for i in range(0, 6000, 2)}
    _open(url).put_many(stored)
    _tamper(url, _sha(0), '{"n":"forged"}')
    _tamper(url, _sha(5998), "not json", text_digest("not json"))
    store = _open(url)
    found = store.get_many(_sha(i) for i in range(6000))
    assert found == {sha: r for sha, r in stored.items() if sha not in (_sha(0), _sha(5998))}
    assert any("2 damaged record(s)" in w for w in store.warnings)
    assert _open(url).get_many([_sha(0), _sha(5998), _sha(2)]) == {_sha(2): {"n": 2}}


def test_an_older_libpq_gets_the_same_answer_at_once(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libpq before 17 cannot receive rows in chunks: the look-up fetches them all."""
    import ospo.pgstore

    url = postgres_url + "?mode=rw"
    stored = {_sha(i): {"n": i} for i in range(0, 5000, 3)}
    _open(url).put_many(stored)
    monkeypatch.setattr(ospo.pgstore, "_chunked_rows", lambda: False)
    assert _open(url).get_many(_sha(i) for i in range(5000)) == stored


def test_a_server_that_goes_away_while_rows_stream_is_a_problem(
    postgres_url: str, postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server is cut off after the first rows of a look-up too large to sit in the
    socket's buffers: no partial answer, every file a miss, the failure said once."""
    import ospo.pgstore

    url = postgres_url + "?mode=rw"
    padding = "x" * 2000
    _open(url).put_many({_sha(i): {"n": i, "pad": padding} for i in range(30_000)})
    checked = ospo.pgstore.verify_records

    def cut_off_after_the_first_row(rows: Any) -> Any:
        rows = iter(rows)
        first = next(rows)
        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'ospo' AND datname = %s",
                (postgres_url.rsplit("/", 1)[1],),
            )
        return checked([first, *rows])

    monkeypatch.setattr(ospo.pgstore, "verify_records", cut_off_after_the_first_row)
    store = _open(url)
    assert store.get_many(_sha(i) for i in range(30_000)) == {}
    assert len(store.problems) == 1 and "went on without it" in store.problems[0]
    store.put_many({SHA: RECORD})  # nothing is stored on a failed store, nothing raised
    assert store.lost == 1


def test_a_server_that_cannot_be_reached_is_a_problem(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    store = _open(f"postgresql://ospo:pw@127.0.0.1:{port}/ospo?mode=rw&connect_timeout=3")
    assert time.monotonic() - started < 10
    assert store.get_many([SHA]) == {}
    store.put_many({SHA: RECORD})
    assert len(store.problems) == 1 and "pw" not in store.problems[0]


def _opener(url: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    store = _open(url)
    store.put_many({SHA: RECORD})
    results.put(store.problems)


def test_runners_meeting_a_new_database_at_once_all_use_it(postgres_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    procs = [
        context.Process(target=_opener, args=(postgres_url + "?mode=rw", barrier, results))
        for _ in range(4)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=120)
    assert outcomes == [[]] * 4


# --- shards -----------------------------------------------------------------------------


def test_shards_split_every_content_into_exactly_one() -> None:
    hashes = [text_digest(str(i)) * 2 for i in range(1000)]
    for count in (1, 2, 3, 7):
        owners = [[i for i in range(1, count + 1) if in_shard(h, i, count)] for h in hashes]
        assert all(len(o) == 1 for o in owners)
        sizes = [sum(1 for o in owners if o == [i]) for i in range(1, count + 1)]
        assert min(sizes) > 1000 / count * 0.8
    assert parse_shard("2/4") == (2, 4)
    assert parse_shard(" 1 / 1 ") == (1, 1)
    for bad in ("0/2", "3/2", "1/0", "1", "a/b", "-1/2"):
        with pytest.raises(ValueError):
            parse_shard(bad)


# --- the shared store seen through `ospo scan` ------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Real files with licenses and copyrights (a vendored npm package, Go's sys)."""
    root = tmp_path / "tree"
    for name in ("is-number", "go-relay"):
        shutil.copytree(DATA / "vendored" / name, root / name)
    (root / "SOURCES.md").write_bytes((DATA / "vendored" / "SOURCES.md").read_bytes())
    return root


_STATS = re.compile(r', "stats": \{[^{}]*\}')


def _without_stats(text: str) -> str:
    """The inventory's text without ``scan.stats`` (how long, how many from the cache:
    what the run did, not what the tree holds)."""
    assert len(_STATS.findall(text)) == 1
    return _STATS.sub("", text)


def _env(cache: Path, **more: str) -> dict[str, str]:
    return {"OSPO_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1700000000", **more}


def _scan_process(tree: Path, out: Path, cache: Path, *extra: str, **env: str) -> Any:
    return run_ospo_process("scan", tree, "-o", out, "-q", *extra, env=_env(cache, **env))


_INDEX_PROBE = (
    "import sys\n"
    "from ospo.cli import run\n"
    "code = run(sys.argv[1:])\n"
    "from ospo.engine import scancode_engine\n"
    "print('index loaded' if scancode_engine._loaded else 'index not loaded', code)\n"
)


def test_a_second_runner_scans_nothing_and_never_loads_the_index(
    tree: Path, tmp_path: Path, postgres_url: str
) -> None:
    url = postgres_url + "?mode=rw"
    first = _scan_process(tree, tmp_path / "1.json", tmp_path / "runner1", "--cache", url)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(
        [sys.executable, "-c", _INDEX_PROBE, "scan", str(tree), "-q", "-o",
         str(tmp_path / "2.json")],
        capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, **_env(tmp_path / "runner2", OSPO_CACHE_URL=url)},
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == ["index", "not", "loaded", "0"]
    one, two = ((tmp_path / f"{n}.json").read_text(encoding="utf-8") for n in (1, 2))
    assert _without_stats(one) == _without_stats(two)
    stats = json.loads(two)["scan"]["stats"]
    assert stats["matched"] == 0 and stats["from_cache"] > 0
    assert json.loads(one)["scan"]["stats"]["matched"] == stats["from_cache"]


def test_two_scans_of_one_tree_at_once_both_succeed(
    tree: Path, tmp_path: Path, postgres_url: str
) -> None:
    url = postgres_url + "?mode=rw"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ospo",
                "scan",
                str(tree),
                "-q",
                "--cache",
                url,
                "-o",
                str(tmp_path / f"{n}.json"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **_env(tmp_path / f"runner{n}")},
        )
        for n in (1, 2)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "warning" not in err, err
    one, two = ((tmp_path / f"{n}.json").read_text(encoding="utf-8") for n in (1, 2))
    assert _without_stats(one) == _without_stats(two)
    contents = {f["sha256"] for f in json.loads(one)["files"]}
    with psycopg.connect(postgres_url) as conn:
        stored = [r[0] for r in conn.execute("SELECT sha256 FROM ospo_results")]
    assert len(stored) == len(set(stored))
    assert set(stored) == contents


def test_shards_then_assembly_equal_one_process_byte_for_byte(
    tree: Path, tmp_path: Path, postgres_url: str
) -> None:
    single = _scan_process(tree, tmp_path / "single.json", tmp_path / "alone", "--no-cache")
    assert single.returncode == 0, single.stderr
    url = postgres_url + "?mode=rw"
    scanned = 0
    for index in (1, 2, 3):
        shard = run_ospo_process(
            "scan", tree, "--shard", f"{index}/3", "--cache", url,
            env=_env(tmp_path / f"machine{index}"),
        )  # fmt: skip
        assert shard.returncode == 0, shard.stderr
        found = re.search(rf"Shard {index}/3: (\d+) file\(s\) scanned", shard.stdout)
        assert found, shard.stdout
        scanned += int(found.group(1))
    assembled = _scan_process(
        tree, tmp_path / "assembled.json", tmp_path / "assembler", "--cache", url
    )
    assert assembled.returncode == 0, assembled.stderr
    text = (tmp_path / "assembled.json").read_text(encoding="utf-8")
    alone = (tmp_path / "single.json").read_text(encoding="utf-8")
    assert _without_stats(text) == _without_stats(alone)
    stats = json.loads(text)["scan"]["stats"]
    assert stats["matched"] == 0
    assert scanned == stats["from_cache"] == json.loads(alone)["scan"]["stats"]["matched"]


@pytest.mark.parametrize(
    "extra",
    [
        ("--shard", "1/2", "-o", "x.json"),
        ("--shard", "1/2", "--cyclonedx", "x.json"),
        ("--shard", "1/2", "--no-cache"),
        ("--shard", "1/2", "--cache-read-only"),
        ("--shard", "3/2"),
        ("--shard", "0/2"),
        ("--shard", "half"),
    ],
)
def test_shard_options_that_contradict_it_are_usage_errors(
    tree: Path, extra: tuple[str, ...]
) -> None:
    ran = run_ospo("scan", tree, "-q", *extra)
    assert ran.returncode == 2, ran.stderr
    assert "shard" in ran.stderr.lower()
    assert "Traceback" not in ran.stderr


def test_a_damaged_row_in_the_store_is_recomputed(
    tree: Path, tmp_path: Path, postgres_url: str
) -> None:
    url = postgres_url + "?mode=rw"
    first = _scan_process(tree, tmp_path / "1.json", tmp_path / "m1", "--cache", url)
    assert first.returncode == 0, first.stderr
    licensed = next(
        f for f in json.loads((tmp_path / "1.json").read_text())["files"]
        if f["license_expression"] == "MIT"
    )  # fmt: skip
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        changed = conn.execute(
            "UPDATE ospo_results SET record = replace(record, '\"MIT\"', '\"GPL-3.0-only\"') "
            "WHERE sha256 = %s",
            (licensed["sha256"],),
        ).rowcount
    assert changed == 1
    again = _scan_process(tree, tmp_path / "2.json", tmp_path / "m2", "--cache", url)
    assert again.returncode == 0, again.stderr
    assert "1 damaged record(s)" in again.stderr
    one, two = ((tmp_path / f"{n}.json").read_text(encoding="utf-8") for n in (1, 2))
    assert _without_stats(one) == _without_stats(two)
    assert json.loads(two)["scan"]["stats"]["matched"] == 1


def _wait_for_lookup(admin: psycopg.Connection[Any], database: str) -> None:
    """Wait until the scan has looked its files up in the store (it is loading ScanCode's
    index now, for seconds, before it stores anything), then cut its connection."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'ospo' "
            "AND datname = %s AND query LIKE %s",
            (database, "%ospo_results%ANY%"),
        ).fetchall()
        if rows:
            admin.execute("SELECT pg_terminate_backend(%s)", (rows[0][0],))
            return
        time.sleep(0.02)
    raise AssertionError("the scan never looked anything up")


@pytest.mark.parametrize("shard", [False, True])
def test_a_server_that_goes_away_mid_scan(
    tree: Path, tmp_path: Path, postgres_url: str, postgres: Any, shard: bool
) -> None:
    """The scan finishes on what it has and reports the store as an issue; only a shard,
    whose results go nowhere but the store, fails (exit 3)."""
    database = postgres_url.rsplit("/", 1)[1]
    out = tmp_path / "inv.json"
    command = [sys.executable, "-m", "ospo", "scan", str(tree), "-q", "--cache",
               postgres_url + "?mode=rw"]  # fmt: skip
    command += ["--shard", "1/1"] if shard else ["-o", str(out)]
    with psycopg.connect(postgres.url(), autocommit=True) as admin:
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **_env(tmp_path / "m")},
        )  # fmt: skip
        _wait_for_lookup(admin, database)
        _out, err = proc.communicate(timeout=600)
    assert "Traceback" not in err
    if shard:
        assert proc.returncode == 3, err
        assert "ospo: error: store postgresql://postgres@127.0.0.1" in err
        return
    assert proc.returncode == 0, err
    inventory = json.loads(out.read_text(encoding="utf-8"))
    issues = [i for i in inventory["scan"]["issues"] if i["kind"] == "cache"]
    assert len(issues) == 1 and "went on without it" in issues[0]["message"]
    assert any(f["license_expression"] == "MIT" for f in inventory["files"])


def test_an_unreachable_store_at_the_start_is_an_issue_not_a_failure(
    tree: Path, tmp_path: Path
) -> None:
    with postgres_server() as server:
        url = server.url() + "?mode=rw&connect_timeout=3"
    ran = run_ospo("scan", tree, "-q", "-o", tmp_path / "inv.json", "--cache", url)
    assert ran.returncode == 0, ran.stderr
    inventory = json.loads((tmp_path / "inv.json").read_text(encoding="utf-8"))
    assert [i["kind"] for i in inventory["scan"]["issues"]].count("cache") == 1
    assert any(f["license_expression"] == "MIT" for f in inventory["files"])
    shard = run_ospo("scan", tree, "-q", "--shard", "1/1", "--cache", url)
    assert shard.returncode == 3


def test_the_store_comes_from_the_option_the_environment_or_the_config(
    tree: Path, tmp_path: Path, postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--cache, else OSPO_CACHE_URL, else ``cache:`` in .ospo.yml; a directory is a local
    cache (relative to the configuration file)."""
    from ospo.api import store_location
    from ospo.config import load_config

    (tree / ".ospo.yml").write_text("cache: ../shared-cache\n", encoding="utf-8")
    config = load_config(tree)
    assert store_location(None, config) == str(tree / ".." / "shared-cache")
    monkeypatch.setenv("OSPO_CACHE_URL", "postgresql://db/env")
    assert store_location(None, config) == "postgresql://db/env"
    assert store_location("postgresql://db/option", config) == "postgresql://db/option"
    (tree / ".ospo.yml").write_text("cache: postgresql://db/conf?mode=rw\n", encoding="utf-8")
    monkeypatch.delenv("OSPO_CACHE_URL")
    assert store_location(None, load_config(tree)) == "postgresql://db/conf?mode=rw"

    (tree / ".ospo.yml").write_text("cache: ../shared-cache\n", encoding="utf-8")
    ran = _scan_process(tree, tmp_path / "inv.json", tmp_path / "own")
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "shared-cache" / FILE_NAME).is_file()
    assert not (tmp_path / "own" / FILE_NAME).exists()


def test_a_read_only_scan_fills_nothing(tree: Path, tmp_path: Path, postgres_url: str) -> None:
    for extra, env in (
        (("--cache", postgres_url), {}),  # no mode=rw
        (("--cache", postgres_url + "?mode=rw", "--cache-read-only"), {}),
        (("--cache", postgres_url + "?mode=rw"), {"OSPO_CACHE_READ_ONLY": "1"}),
    ):
        ran = _scan_process(tree, tmp_path / "inv.json", tmp_path / "m", *extra, **env)
        assert ran.returncode == 0, ran.stderr
        assert json.loads((tmp_path / "inv.json").read_text())["scan"]["issues"] == []
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT to_regclass('ospo_results')").fetchone() == (None,)
