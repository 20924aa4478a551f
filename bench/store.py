# SPDX-License-Identifier: Apache-2.0
"""Benchmark the shared result store on a real PostgreSQL server; write
docs/benchmarks-store.md.

A throwaway server is started for the run (``tests/pgserver.py``: ``initdb`` in a temporary
directory, a loopback port, stopped after). On one pinned real tree (lodash 4.17.21 from
the npm registry, see ``benchlib.trees``) it measures, each step a separate ``ospo scan``
process:

* a single process with a local cache, then the local cache's rescan;
* two runners on different machines (different local cache directories) sharing one
  store: the second must scan 0 files, never load ScanCode's index, and take at most twice
  the local rescan;
* two shards on this machine's two cores at once (``--shard 1/2``, ``--shard 2/2``) and the
  assembly, against the single process: wall-time ratio, and the same inventory bytes
  (``scan.stats`` aside: timings and counts of the run);

and, in a database filled with 2,000,000 results, one look-up of 100,000 hashes (target:
under 1 s).

Usage: ``.venv/bin/python bench/store.py [--tree lodash] [--rows 2000000] [--keys 100000]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's throwaway server
sys.path.insert(0, str(ROOT))  # this checkout's ospo, whichever the interpreter has installed

from benchlib.environment import loadavg  # noqa: E402
from benchlib.report import write_atomically  # noqa: E402
from benchlib.trees import TREES, prepare  # noqa: E402
from pgserver import PostgresServer, postgres_server  # noqa: E402

WORK = ROOT / "bench" / "work"
REPORT = ROOT / "docs" / "benchmarks-store.md"
_STATS = re.compile(r', "stats": \{[^{}]*\}')
_INDEX_PROBE = (
    "import sys\n"
    "from ospo.cli import run\n"
    "code = run(sys.argv[1:])\n"
    "from ospo.engine import scancode_engine\n"
    "print('index-loaded' if scancode_engine._loaded else 'index-not-loaded')\n"
    "sys.exit(code)\n"
)


#: How many times the rescan and the second runner are each timed (the median is kept).
REPEATS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default="django", choices=sorted(TREES))
    parser.add_argument(
        "--also", default="lodash", help="a second tree for the two runners alone ('' for none)"
    )
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--lookup-only", action="store_true", help="print the look-up only")
    args = parser.parse_args()
    if args.lookup_only:
        with postgres_server() as server:
            print(_lookup(server, args.rows, args.keys))
        return 0

    names = [args.tree] + [n for n in (args.also,) if n and n != args.tree]
    trees = {name: prepare(TREES[name], WORK, Path(sys.executable)).path for name in names}
    run_dir = WORK / "store"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = loadavg()
    with postgres_server() as server:
        runners = {
            name: _runners(server, tree, run_dir / name, f"runners_{name}")
            for name, tree in trees.items()
        }
        shards = _shards(server, trees[args.tree], run_dir / args.tree)
        lookup = _lookup(server, args.rows, args.keys)
    lines = _report(args.tree, started, load_start, runners, shards, lookup, args)
    write_atomically(REPORT, "\n".join(lines) + "\n")
    print(REPORT.read_text(encoding="utf-8"))
    met = runners[args.tree]["met"] and shards["met"] and lookup["seconds"] < 1.0
    return 0 if met else 1


def _ospo(
    tree: Path, local: Path, *args: str, probe: bool = False
) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "OSPO_CACHE_DIR": str(local), "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("OSPO_CACHE_URL", None)
    command = [sys.executable, "-c", _INDEX_PROBE] if probe else [sys.executable, "-m", "ospo"]
    started = time.monotonic()
    ran = subprocess.run(
        [*command, "scan", str(tree), "-q", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    seconds = time.monotonic() - started
    if ran.returncode != 0:
        raise SystemExit(f"ospo scan {' '.join(args)} failed ({ran.returncode}):\n{ran.stderr}")
    return seconds, ran


def _settle() -> None:
    """Let the writing of what the last steps produced finish before timing short steps
    (the kernel writes dirty pages back in the background, on the same two cores)."""
    os.sync()
    time.sleep(3)


def _stats(path: Path) -> dict[str, int]:
    return dict(json.loads(path.read_text(encoding="utf-8"))["scan"]["stats"])


def _runners(server: PostgresServer, tree: Path, work: Path, database: str) -> dict[str, Any]:
    """One process with a local cache and its rescan; then two runners sharing a store,
    the second with its own empty local cache. The rescan and the second runner are timed
    :data:`REPEATS` times each, in turns."""
    work.mkdir(parents=True, exist_ok=True)
    single_out, second_out = work / "single.json", work / "2.json"
    t_single, _ = _ospo(tree, work / "local", "-o", str(single_out))
    store = server.create_database(database) + "?mode=rw"
    t_first, _ = _ospo(tree, work / "runner1", "--cache", store, "-o", str(work / "1.json"))
    t_again, _ = _ospo(tree, work / "runner1", "--cache", store, "-o", str(work / "1b.json"))
    rescans, seconds, index_loaded = [], [], False
    _settle()
    for _ in range(REPEATS):
        rescans.append(_ospo(tree, work / "local", "-o", str(work / "rescan.json"))[0])
        shutil.rmtree(work / "runner2", ignore_errors=True)  # a new machine each time
        t_second, second = _ospo(
            tree, work / "runner2", "--cache", store, "-o", str(second_out), probe=True
        )
        seconds.append(t_second)
        index_loaded = index_loaded or second.stdout.strip() != "index-not-loaded"
    second_stats = _stats(second_out)
    rescan, t_second = statistics.median(rescans), statistics.median(seconds)
    return {
        "files": _stats(single_out)["files"],
        "single": t_single,
        "rescan": rescan,
        "first": t_first,
        "again": t_again,
        "second": t_second,
        "ratio": t_second / rescan,
        "second_matched": second_stats["matched"],
        "second_from_cache": second_stats["from_cache"],
        "index_loaded": index_loaded,
        "single_out": single_out,
        "met": second_stats["matched"] == 0 and not index_loaded and t_second <= 2 * rescan,
    }


def _shards(server: PostgresServer, tree: Path, work: Path) -> dict[str, Any]:
    """``--shard 1/2`` and ``--shard 2/2`` at once, then the assembly, against the single
    process of :func:`_runners` (same tree, same ``work``)."""
    assembled_out = work / "asm.json"
    shards = server.create_database("shards") + "?mode=rw"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("OSPO_CACHE_URL", None)
    command = [sys.executable, "-m", "ospo", "scan", str(tree), "-q", "--cache", shards]
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [*command, "--shard", f"{i}/2", "--jobs", "1"],
            env={**env, "OSPO_CACHE_DIR": str(work / f"shard{i}")},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 2)
    ]
    for proc in procs:
        _out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a shard failed ({proc.returncode}):\n{err}")
    t_shards = time.monotonic() - started
    t_assembly, _ = _ospo(tree, work / "assembler", "--cache", shards, "-o", str(assembled_out))
    single_text = (work / "single.json").read_text(encoding="utf-8")
    same_bytes = _STATS.sub("", single_text) == _STATS.sub(
        "", assembled_out.read_text(encoding="utf-8")
    )
    return {
        "shards": t_shards,
        "assembly": t_assembly,
        "same_bytes": same_bytes,
        "met": same_bytes and _stats(assembled_out)["matched"] == 0,
    }


#: The server's memory for a store's pages in the tuned run: an eighth of this machine's
#: 24 GiB, below the quarter of RAM PostgreSQL's documentation suggests for a dedicated
#: server. The default (128 MB) holds a quarter of a 2,000,000-result table.
TUNED = {"shared_buffers": "2GB"}


def _lookup(server: PostgresServer, rows: int, keys: int) -> dict[str, float]:
    """Fill a database with ``rows`` results (distinct records, as a real store holds),
    then look ``keys`` of them up at once through the store, as a scan does (with the
    garbage collector's thresholds ``ospo.cli.main`` sets for every run): on the server
    as started (PostgreSQL's default memory settings), then restarted with :data:`TUNED`."""
    import gc
    import hashlib

    gc.set_threshold(50_000, 20, 100)

    import psycopg

    from ospo.cache import open_store, record_text

    url = server.create_database("lookup")
    store = open_store("bench-engine", url + "?mode=rw")  # creates the table
    assert store is not None
    store.close()
    started = time.monotonic()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY ospo_results (engine, sha256, record, digest, run_id) FROM STDIN"
        ) as cp:
            for i in range(rows):
                record = {
                    "license_expression": "MIT" if i % 3 else None,
                    "copyrights": [{"statement": f"Copyright {i} Example", "end_line": 2}],
                    "holders": [f"Example {i}"],
                }
                sha = hashlib.sha256(str(i).encode()).hexdigest()
                cp.write_row(("bench-engine", sha, *record_text(record), "bench"))
        cur.execute("ANALYZE ospo_results")
    fill = time.monotonic() - started
    wanted = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(0, rows, rows // keys)]
    wanted = wanted[:keys]
    measured: dict[str, float] = {"fill": fill, "keys": len(wanted)}
    _settle()
    for name in ("default", "tuned"):
        if name == "tuned":
            server.stop()
            server.settings.update(TUNED)
            server.start()
        measured.update({f"{name}_{k}": v for k, v in _look_up(url, wanted).items()})
    measured["seconds"] = measured["tuned_seconds"]
    return measured


def _look_up(url: str, wanted: list[str]) -> dict[str, float]:
    """Best and worst of 3 look-ups of ``wanted`` through the store, and the best of the
    query alone (rows fetched, not checked)."""
    from ospo.cache import open_store
    from ospo.pgstore import PostgresResultStore

    timings, queries = [], []
    for _ in range(3):
        store = open_store("bench-engine", url)
        assert isinstance(store, PostgresResultStore) and store._conn is not None
        started = time.monotonic()
        rows = list(store._rows(store._conn, wanted))  # the round trip alone, unchecked
        queries.append(time.monotonic() - started)
        started = time.monotonic()
        found = store.get_many(wanted)
        timings.append(time.monotonic() - started)
        store.close()
        if len(found) != len(wanted) or len(rows) != len(wanted):
            raise SystemExit(f"looked up {len(wanted)} hashes, found {len(found)}")
    return {"seconds": min(timings), "worst": max(timings), "query": min(queries)}


def _report(
    tree: str,
    started: str,
    load_start: str,
    runners: dict[str, dict[str, Any]],
    shards: dict[str, Any],
    lookup: dict[str, float],
    args: argparse.Namespace,
) -> list[str]:
    main = runners[tree]
    split = (shards["shards"] + shards["assembly"]) / main["single"]
    yes = {True: "yes", False: "**no**"}
    lines = [
        "# Shared result store benchmark",
        "",
        f"Measured {started} on {platform.node() or 'this machine'}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {load_start} at the start, "
        f"{loadavg()} at the end. PostgreSQL: a throwaway local server (`tests/pgserver.py`).",
        "",
        "Rerun: `.venv/bin/python bench/store.py` (part of `make bench`). Every step is one "
        "`ospo scan` process, wall time.",
        "",
        "## Two runners, one store",
        "",
        "Runner 2 is a new machine: its own empty local cache, so it hashes every file (the "
        "local rescan does not even read unchanged files) and starts a local cache; it must "
        "scan 0 files, never load ScanCode's index, and take at most 2x the local rescan. "
        f"The rescan and runner 2 are each timed {REPEATS} times, in turns: medians.",
        "",
        "| tree | files | one process, empty local cache | local rescan | runner 1, empty "
        "store | runner 1 again | runner 2 | runner 2 / rescan | files runner 2 scanned | "
        "index loaded |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in runners.items():
        lines.append(
            f"| {TREES[name].title} | {r['files']:,} | {r['single']:.1f} s | "
            f"{r['rescan']:.2f} s | {r['first']:.1f} s | {r['again']:.2f} s | "
            f"{r['second']:.2f} s | **{r['ratio']:.2f}x** | {r['second_matched']} "
            f"({r['second_from_cache']:,} results from the store) | "
            f"{'yes' if r['index_loaded'] else 'no'} |"
        )
    small = [r for name, r in runners.items() if name != tree]
    lines += [
        "",
        f"Target, on {TREES[tree].title}: {main['ratio']:.2f}x the local rescan, "
        f"{main['second_matched']} files scanned, index "
        f"{'loaded' if main['index_loaded'] else 'never loaded'}: "
        f"{'**met**' if main['met'] else '**not met**'}.",
    ]
    if small:
        lines[-1] += (
            " On a small tree the ratio is higher: runner 2 pays fixed costs the rescan does "
            "not (importing the PostgreSQL driver, about 0.1 s; reading the installed "
            "distributions for the engine key, which the local cache remembers), and the "
            "rescan itself is mostly the interpreter's start."
        )
    lines += [
        "",
        f"## Two shards on two cores ({TREES[tree].title})",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| one process, empty local cache | {main['single']:.1f} |",
        f"| `--shard 1/2` and `--shard 2/2` at once, one worker each | {shards['shards']:.1f} |",
        f"| assembly (`ospo scan` without `--shard`) | {shards['assembly']:.1f} |",
        "",
        f"Shards plus assembly / one process: **{split:.2f}**. The assembled inventory is "
        "byte-identical to the single process's, `scan.stats` aside: "
        f"{yes[bool(shards['same_bytes'])]}.",
        "",
        "## Look-up",
        "",
        f"{lookup['keys']:,.0f} hashes looked up at once (`ResultStore.get_many`: keys copied "
        "into a temporary table and joined; the rows streamed back in chunks, each record "
        "checked against its digest and parsed while the server finds the next) in a "
        f"store of {args.rows:,} results (filled in {lookup['fill']:.0f} s); best and worst "
        "of 3, and the best of the query alone (rows fetched, not checked):",
        "",
        "| server memory for pages (`shared_buffers`) | look-up, best | worst | query alone |",
        "| --- | ---: | ---: | ---: |",
        f"| 128 MB (PostgreSQL's default) | {lookup['default_seconds']:.2f} s "
        f"| {lookup['default_worst']:.2f} s | {lookup['default_query']:.2f} s |",
        f"| {TUNED['shared_buffers'].replace('GB', ' GB')} (a dedicated server's setting) "
        f"| {lookup['tuned_seconds']:.2f} s | {lookup['tuned_worst']:.2f} s "
        f"| {lookup['tuned_query']:.2f} s |",
        "",
        f"Target: under 1 s, on a server configured as one is for this size: "
        f"**{lookup['tuned_seconds']:.2f} s**, "
        f"{'**met**' if lookup['tuned_seconds'] < 1 else '**not met**'}"
        f"{'' if lookup['default_seconds'] < 1 else ' (not with the default memory)'}. "
        "With the default 128 MB, most index and table pages of 2,000,000 results come from "
        "the operating system's cache, not the server's. Every record here is distinct, the "
        "worst case: in a real tree many files share one record (no license, no copyright), "
        "checked once.",
    ]
    return lines


if __name__ == "__main__":
    sys.exit(main())
