# SPDX-License-Identifier: Apache-2.0
"""Benchmark the pre-commit hook's cost before and after a change of the CLI; write
docs/benchmarks-hook.md.

The hook runs ``ospo check --staged FILE…`` on every commit. This measures that command,
end to end as a process (interpreter start-up, imports, configuration, the cached
result, the verdict), for two revisions of ospo in the same run on the same commit:

* *before*: a revision given by ``--before`` (default: the last revision whose CLI was
  built on argparse), its ``ospo/``, ``policies/`` and ``templates/`` taken from git;
* *after*: this checkout.

The commit: a git repository holding a copy of ospo's own source files, with one file
edited and staged, as a developer's commit would be. The cache is warmed by each
revision first, so both measure the hook's common path: nothing to scan, everything to
start. Runs alternate (before, after, after, before, …) so that a change of the
machine's load falls on both alike; the report gives medians and the difference, and
checks that both revisions print the same verdict with the same exit code.

Usage: ``.venv/bin/python bench/hook.py [--before REV] [--pairs N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from benchlib.environment import loadavg
from benchlib.report import write_atomically

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "hook"
REPORT = ROOT / "docs" / "benchmarks-hook.md"
#: The last revision whose CLI was argparse, hand-built.
ARGPARSE_REVISION = "49bc75d"
#: How much start-up the click CLI may add to the hook, in milliseconds.
BUDGET_MS = 15.0
EDITED = "src/errors.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=ARGPARSE_REVISION, help="revision to compare with")
    parser.add_argument("--pairs", type=int, default=20, help="runs of each revision")
    args = parser.parse_args()

    before_rev = _git(ROOT, "rev-parse", "--short", args.before)
    after_rev = _git(ROOT, "rev-parse", "--short", "HEAD")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    before = _extract(args.before, WORK / "before")
    # outside this checkout, so that no configuration of ospo's own is found above it
    repo = _commit(Path(tempfile.mkdtemp(prefix="ospo-hook-")) / "repo")
    cache = WORK / "cache"
    sources = {"before": before, "after": ROOT}

    first = {name: _run(src, repo, cache) for name, src in sources.items()}  # warm caches
    warm = {name: _run(src, repo, cache) for name, src in sources.items()}
    same = (warm["before"][1], warm["before"][2]) == (warm["after"][1], warm["after"][2])
    load_start = loadavg()
    times: dict[str, list[float]] = {"before": [], "after": []}
    for i in range(args.pairs):
        order = ("before", "after") if i % 2 == 0 else ("after", "before")
        for name in order:
            seconds, _, _ = _run(sources[name], repo, cache)
            times[name].append(seconds)
    med = {name: statistics.median(values) for name, values in times.items()}
    added_ms = (med["after"] - med["before"]) * 1000
    text = _report(
        before_rev=before_rev,
        after_rev=after_rev,
        pairs=args.pairs,
        times=times,
        added_ms=added_ms,
        same=same,
        exit_code=warm["after"][1],
        first=first,
        load=(load_start, loadavg()),
    )
    shutil.rmtree(repo.parent, ignore_errors=True)
    write_atomically(REPORT, text)
    print(text)
    return 0 if same and added_ms <= BUDGET_MS else 1


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _extract(revision: str, dest: Path) -> Path:
    """ospo's package and data files at ``revision``, in ``dest``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "ospo", "policies", "templates"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def _commit(repo: Path) -> Path:
    """A repository of ospo's own source files with one edited file staged."""
    # under another name than ospo/: ``python -m`` puts the working directory on the path
    shutil.copytree(ROOT / "ospo", repo / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "LICENSE", repo / "LICENSE")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "initial"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True)
    edited = repo / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    subprocess.run(["git", "add", EDITED], cwd=repo, check=True)
    return repo


def _run(source: Path, repo: Path, cache: Path) -> tuple[float, int, str]:
    """One hook run with ospo from ``source``: (seconds, exit code, output)."""
    env = {**os.environ, "PYTHONPATH": str(source), "OSPO_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ospo", "check", "--staged", EDITED],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"ospo from {source} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done.returncode, done.stdout + done.stderr


def _report(
    *,
    before_rev: str,
    after_rev: str,
    pairs: int,
    times: dict[str, list[float]],
    added_ms: float,
    same: bool,
    exit_code: int,
    first: dict[str, tuple[float, int, str]],
    load: tuple[str, str],
) -> str:
    def cell(values: list[float]) -> str:
        return (
            f"{statistics.median(values) * 1000:.1f} "
            f"({min(values) * 1000:.1f} to {max(values) * 1000:.1f})"
        )

    met = "**met**" if added_ms <= BUDGET_MS else "**not met**"
    lines = [
        "# Pre-commit hook start-up benchmark",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load[0]} at the start, {load[1]} at "
        "the end.",
        "",
        f"Command: `ospo check --staged {EDITED}` in a git repository holding ospo's own "
        "source files, with that file edited and staged, the cache warm (the hook's common "
        "path: start, read the configuration and the cached result, judge, print). "
        f"{pairs} runs of each revision, alternating; milliseconds, median (fastest to slowest), "
        "wall time of the whole process.",
        "",
        "Rerun: `.venv/bin/python bench/hook.py` (part of `make bench`).",
        "",
        "| revision | ms |",
        "| --- | ---: |",
        f"| before: `{before_rev}` (argparse CLI) | {cell(times['before'])} |",
        f"| after: `{after_rev}` (this checkout) | {cell(times['after'])} |",
        "",
        f"Start-up added by the change: **{added_ms:+.1f} ms** (target: at most "
        f"{BUDGET_MS:.0f} ms): {met}.",
        "",
        f"Both revisions print the same verdict with the same exit code ({exit_code}): "
        f"{'yes' if same else '**no**'}. The first, cold run of each (cache filled, "
        f"documents read): before {first['before'][0] * 1000:.0f} ms, after "
        f"{first['after'][0] * 1000:.0f} ms.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
