# SPDX-License-Identifier: Apache-2.0
"""Benchmark the pre-commit hook on real commits, with the detection server warm; write
docs/benchmarks-hook-commits.md.

The repository: Django 5.2.8's sdist (6,890 files, the tree of ``bench/run.py``) committed
to a new git repository, its cache warmed by one ``ospo scan``. The commits edit real
source files the way a developer does, each run with new content (so the cache never
has it): 1, 2 and 3 files with code lines added, one file given an Apache-2.0 license
header, and one file with the GPL-3.0's notice pasted into it. Each is checked by the
command pre-commit runs, ``ospo check --staged FILES``, end to end as a process
(interpreter start-up included), with the server warm; and by ``scancode -l`` on the same
files. Runs alternate (ospo, scancode, scancode, ospo, ...). For each kind of commit the
hook's answer is compared with a full scan of the new contents: the same check with
``--no-cache`` and no server (every staged file detected in-process by ScanCode), and
each file's license expression with ``scancode -l``'s.

Before those, the first commit after the server has ended is measured once: it detects
in-process (loading the index) and starts the server for the next commit.

Usage: ``.venv/bin/python bench/hook_commits.py [--runs N]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # ospo, for its cache

from benchlib.environment import loadavg
from benchlib.report import write_atomically
from benchlib.trees import TREES, prepare

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "hook-commits"
REPORT = ROOT / "docs" / "benchmarks-hook-commits.md"
PYTHON = Path(sys.executable)
SCANCODE = PYTHON.parent / "scancode"
TARGET_S = 1.0
TARGET_RATIO = 10.0

#: Kind of commit -> (title, the files it edits and how).
COMMITS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "one": ("1 file, code lines added", (("django/utils/text.py", "code"),)),
    "two": (
        "2 files, code lines added",
        (("django/utils/text.py", "code"), ("django/utils/html.py", "code")),
    ),
    "three": (
        "3 files, code lines added",
        (
            ("django/utils/text.py", "code"),
            ("django/utils/html.py", "code"),
            ("django/core/paginator.py", "code"),
        ),
    ),
    "header": ("1 file, Apache-2.0 header added", (("django/utils/text.py", "header"),)),
    "gpl": ("1 file, GPL-3.0 notice pasted", (("django/core/paginator.py", "gpl"),)),
}


def _license_text(name: str, first: str, last: str) -> list[str]:
    """Lines of a license's own notice, as ScanCode's license data has it."""
    import licensedcode

    text = (Path(licensedcode.__file__).parent / "data" / "licenses" / name).read_text(
        encoding="utf-8"
    )
    start = text.index(first)
    end = text.index(last, start) + len(last)
    return [line.strip() for line in text[start:end].splitlines()]


def _edit(repo: Path, rel: str, how: str, tag: str) -> None:
    """Change ``rel`` as a commit would: new code lines, plus a license text for some."""
    path = repo / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    code = f"\n\ndef _changed_{tag}(value):\n    return [value, {len(tag)}, {tag!r}]\n"
    if how == "header":
        notice = _license_text(
            "apache-2.0.LICENSE",
            'Licensed under the Apache License, Version 2.0 (the "License");',
            "limitations under the License.",
        )
        lines = [f"# {line}".rstrip() + "\n" for line in notice] + ["\n", *lines]
    elif how == "gpl":
        notice = _license_text(
            "gpl-3.0.LICENSE",
            "This program is free software: you can redistribute",
            "If not, see <https://www.gnu.org/licenses/>.",
        )
        at = min(20, len(lines))
        lines[at:at] = ["\n"] + [f"# {line}".rstrip() + "\n" for line in notice] + ["\n"]
    path.write_text("".join(lines) + code, encoding="utf-8")


def _run(
    cmd: list[str], repo: Path, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def _commit(repo: Path, kind: str, tag: str) -> list[str]:
    """Reset the tree, make the commit's changes, stage them; the files changed."""
    _git(repo, "checkout", "-q", "--", ".")
    files = [rel for rel, _how in COMMITS[kind][1]]
    for rel, how in COMMITS[kind][1]:
        _edit(repo, rel, how, tag)
    _git(repo, "add", *files)
    return files


def _scancode(repo: Path, files: list[str], out: Path) -> tuple[float, dict[str, Any]]:
    """``scancode -l`` on a directory holding just ``files``; its time and its result."""
    inputs = out.parent / "scancode-input"
    shutil.rmtree(inputs, ignore_errors=True)
    for rel in files:
        (inputs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(repo / rel, inputs / rel)
    seconds, proc = _run(
        [str(SCANCODE), "-l", "--quiet", "--json", str(out), str(inputs)], repo, dict(os.environ)
    )
    if proc.returncode != 0:
        raise SystemExit(f"scancode failed: {proc.stderr[-2000:]}")
    result = json.loads(out.read_text(encoding="utf-8"))
    by_path = {}
    for entry in result["files"]:
        if entry.get("type") == "file":
            by_path[entry["path"].partition("/")[2]] = entry.get("detected_license_expression_spdx")
    return seconds, by_path


def _hook_records(repo: Path, files: list[str]) -> dict[str, Any]:
    """The cached records of the staged contents (what the hook's run stored)."""
    import hashlib

    from ospo.cache import ResultCache
    from ospo.engine.scancode_engine import engine_key

    shas = {rel: hashlib.sha256((repo / rel).read_bytes()).hexdigest() for rel in files}
    cache = ResultCache.open(engine_key())
    assert cache is not None
    try:
        records = cache.get_many(shas.values())
    finally:
        cache.close()
    return {rel: records.get(sha) for rel, sha in shas.items()}


def _server_status() -> dict[str, Any] | None:
    from ospo.engine import client
    from ospo.engine.scancode_engine import engine_key

    return client.request(
        client.socket_path(engine_key()), {"protocol": client.PROTOCOL, "op": "status"}, 30.0
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command per commit")
    args = parser.parse_args()

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    load_before = loadavg()
    tree = prepare(TREES["django"], ROOT / "bench" / "work", PYTHON)
    repo = WORK / "repo"
    if (repo / ".git").is_dir() and (WORK / "cache").is_dir():  # an earlier run's: reused
        _git(repo, "reset", "-q", "--hard")
    else:
        shutil.rmtree(WORK, ignore_errors=True)
        shutil.copytree(tree.path, repo)
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "Django 5.2.8")
    files_in_repo = len(_git(repo, "ls-files", "-z").split("\0")) - 1

    os.environ["OSPO_CACHE_DIR"] = str(WORK / "cache")
    os.environ["OSPO_SERVER_IDLE"] = "3600"
    os.environ.pop("OSPO_NO_SERVER", None)
    os.environ["PYTHONPATH"] = str(ROOT)
    # as an installed ospo runs: its bytecode cached by the first run, used by the others
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    env = dict(os.environ)
    ospo = [str(PYTHON), "-m", "ospo"]
    full_env = env | {"OSPO_NO_SERVER": "1"}

    # no server before the first commit (one left by an earlier run is stopped)
    subprocess.run([*ospo, "server", "stop"], cwd=repo, env=env, capture_output=True, check=False)
    warm_s, proc = _run([*ospo, "scan", ".", "-o", str(WORK / "inventory.json")], repo, env)
    if proc.returncode != 0:
        raise SystemExit(f"ospo scan failed: {proc.stderr[-2000:]}")
    print(f"cache warmed by ospo scan in {warm_s:.1f} s", file=sys.stderr)
    assert _server_status() is None, "no server may run before the first commit"

    run_id = format(time.time_ns(), "x")  # contents no earlier run put in the cache
    files = _commit(repo, "one", f"first_{run_id}")
    first_s, proc = _run([*ospo, "check", "--staged", *files], repo, env)
    began = time.perf_counter()
    while _server_status() is None:
        if time.perf_counter() - began > 120:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    ready_s = time.perf_counter() - began
    print(f"first commit {first_s:.2f} s; server listening {ready_s:.2f} s later", file=sys.stderr)

    rows = []
    for kind, (title, _edits) in COMMITS.items():
        ours: list[float] = []
        theirs: list[float] = []
        checks: dict[str, Any] = {}
        for run in range(args.runs):
            files = _commit(repo, kind, f"{kind}{run}_{run_id}")
            order = ("ospo", "scancode") if run % 2 == 0 else ("scancode", "ospo")
            for which in order:
                if which == "ospo":
                    seconds, proc = _run([*ospo, "check", "--staged", *files], repo, env)
                    if proc.returncode not in (0, 1):
                        raise SystemExit(f"ospo check failed: {proc.stderr[-2000:]}")
                    ours.append(seconds)
                    hook = proc
                else:
                    seconds, scancode = _scancode(repo, files, WORK / "scancode.json")
                    theirs.append(seconds)
            if run == 0:
                checks = _compare(repo, files, hook, scancode, ospo, full_env)
        median_ours = statistics.median(ours)
        median_theirs = statistics.median(theirs)
        rows.append(
            {
                "kind": kind,
                "title": title,
                "files": len(COMMITS[kind][1]),
                "ospo": median_ours,
                "ospo_max": max(ours),
                "scancode": median_theirs,
                "ratio": median_theirs / median_ours,
                **checks,
            }
        )
        print(f"{kind}: ospo {median_ours:.3f} s, scancode {median_theirs:.2f} s", file=sys.stderr)

    status = _server_status() or {}
    subprocess.run([*ospo, "server", "stop"], cwd=repo, env=env, capture_output=True, check=False)
    text = _report(
        rows,
        runs=args.runs,
        files_in_repo=files_in_repo,
        warm_s=warm_s,
        first_s=first_s,
        ready_s=ready_s,
        rss=status.get("rss_bytes"),
        started=started,
        load=(load_before, loadavg()),
    )
    write_atomically(REPORT, text)
    print(f"wrote {REPORT}", file=sys.stderr)
    return 0


def _compare(
    repo: Path,
    files: list[str],
    hook: subprocess.CompletedProcess[str],
    scancode: dict[str, Any],
    ospo: list[str],
    full_env: dict[str, str],
) -> dict[str, Any]:
    """The hook's answer against a full scan of the same contents, and ScanCode's."""
    _s, full = _run([*ospo, "check", "--staged", "--no-cache", *files], repo, full_env)
    _s, hook_json = _run([*ospo, "check", "--staged", "--format", "json", *files], repo, full_env)
    _s, full_json = _run(
        [*ospo, "check", "--staged", "--no-cache", "--format", "json", *files], repo, full_env
    )
    records = _hook_records(repo, files)
    licenses = {rel: (r or {}).get("license_expression") for rel, r in records.items()}
    return {
        "same_output": hook.stdout == full.stdout and hook.returncode == full.returncode,
        "same_json": json.loads(hook_json.stdout) == json.loads(full_json.stdout),
        "same_as_scancode": all(licenses[rel] == scancode.get(rel) for rel in files),
        "licenses": licenses,
        "exit": hook.returncode,
        "output": hook.stdout,
    }


def _report(rows: list[dict[str, Any]], **run: Any) -> str:
    rss = run["rss"]
    memory = f"{rss / (1 << 20):,.0f} MiB" if isinstance(rss, int) else "not measured"
    ok = all(
        r["ospo"] < TARGET_S
        and r["ratio"] >= TARGET_RATIO
        and r["same_output"]
        and r["same_json"]
        and r["same_as_scancode"]
        for r in rows
    )
    out = [
        "# Benchmark: the pre-commit hook on real commits",
        "",
        f"Generated by `.venv/bin/python bench/hook_commits.py --runs {run['runs']}` "
        f"on {run['started']} (UTC); every number below was measured in that run.",
        "",
        f"The repository: Django 5.2.8's sdist ({run['files_in_repo']:,} files) in a git "
        "repository, the cache warmed by `ospo scan` (the whole tree; "
        f"{run['warm_s']:.1f} s in this run, a rescan when an earlier run left the cache). Each "
        "commit edits real source files with new content (never in the cache); it is "
        "checked by `ospo check --staged FILES` (what pre-commit runs), end to end as a "
        "process, with the detection server warm, and by `scancode -l` on the same files. "
        f"Medians of {run['runs']} runs each, alternating.",
        "",
        f"Target: under {TARGET_S:g} s median and at least {TARGET_RATIO:g}x faster than "
        "`scancode -l`, with the answer a full scan gives: "
        f"**{'met' if ok else 'NOT met'}**.",
        "",
        "| Commit | ospo check --staged (median, max) | scancode -l (median) | Faster | "
        "Same output and JSON as a full scan | Same licenses as scancode -l | Exit | "
        "Licenses found |",
        "|---|--:|--:|--:|:-:|:-:|:-:|---|",
    ]
    for r in rows:
        found = ", ".join(f"`{v}`" for v in dict.fromkeys(r["licenses"].values()) if v) or "none"
        out.append(
            f"| {r['title']} | {r['ospo']:.3f} s ({r['ospo_max']:.3f} s) | "
            f"{r['scancode']:.2f} s | {r['ratio']:.0f}x | "
            f"{'yes' if r['same_output'] and r['same_json'] else '**no**'} | "
            f"{'yes' if r['same_as_scancode'] else '**no**'} | {r['exit']} | {found} |"
        )
    out += [
        "",
        "A *full scan* here is the same command with `--no-cache` and `OSPO_NO_SERVER=1`: "
        "every staged file detected by ScanCode in the command's own process. Its text "
        "output, exit code and JSON findings are compared with the hook's.",
        "",
        "## The first commit, and the server",
        "",
        f"- The first commit with no server running took {run['first_s']:.2f} s: it detects "
        "in its own process (loading the license index) as before, and starts the server "
        f"without waiting for it; the server listened {run['ready_s']:.2f} s after that "
        "commit ended. Waiting for the server instead would cost the same index load plus "
        "the request, and a commit would hang on a server that cannot start; so the first "
        "check does not wait.",
        f"- The server's resident memory (RSS) after these commits: {memory}. It ends "
        "itself after `OSPO_SERVER_IDLE` seconds without a request (900 by default); "
        "`ospo server stop` ends it at once.",
        "",
        "## What the hook printed",
        "",
    ]
    for r in rows:
        if r["output"].strip():
            out += [
                f"{r['title']} (exit {r['exit']}):",
                "",
                "```text",
                r["output"].rstrip(),
                "```",
                "",
            ]
    out += [
        "## Machine",
        "",
        f"- {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}",
        f"- Load average (1, 5, 15 min): {run['load'][0]} at the start, {run['load'][1]} at "
        "the end.",
        "",
        "## How to rerun",
        "",
        "```sh",
        ".venv/bin/python bench/hook_commits.py --runs 7",
        "```",
        "",
        "The Django sdist is downloaded from PyPI once (`bench/run.py`'s pinned archive) and "
        "kept in `bench/work/`.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
