# SPDX-License-Identifier: Apache-2.0
"""Benchmark the portfolio on a real PostgreSQL server; write docs/benchmarks-portfolio.md.

A throwaway server is started for the run (``tests/pgserver.py``). 1,000 releases of 1,000
components each (100 products of 10 releases; synthetic npm packages drawn from a pool of
20,000, each with one license: mostly permissive, some copyleft, 20 under AGPL-3.0) are
published through :func:`ospo.portfolio.publish` (rows copied in with COPY), then the
questions are asked through :func:`ospo.portfolio.ask`, as ``ospo portfolio query`` does
(a connection each time included):

* releases shipping one purl (``pkg:npm/lodash@4.17.21``; target: under 50 ms);
* releases shipping any version of it, and a ``vers:`` range of it;
* releases shipping any AGPL (the ``network-copyleft`` category; target: under 1 s), and
  the license ``AGPL-3.0-only``.

Usage: ``.venv/bin/python bench/portfolio.py [--releases 1000] [--components 1000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's throwaway server
sys.path.insert(0, str(ROOT))  # this checkout's ospo, whichever the interpreter has installed

from benchlib.environment import loadavg  # noqa: E402
from benchlib.report import write_atomically  # noqa: E402
from pgserver import postgres_server  # noqa: E402

from ospo.model import Component, Inventory, Scope, Subject  # noqa: E402
from ospo.policy import load_policy  # noqa: E402
from ospo.portfolio import Question, ask, publish  # noqa: E402

REPORT = ROOT / "docs" / "benchmarks-portfolio.md"
POOL = 20_000
AGPL_PACKAGES = 20
#: Licenses of the pool's packages and their share (the rest of the pool is MIT).
LICENSES = (
    ("Apache-2.0", 0.15),
    ("BSD-3-Clause", 0.10),
    ("ISC", 0.06),
    ("LGPL-2.1-only", 0.03),
    ("MPL-2.0", 0.02),
    ("GPL-3.0-or-later", 0.02),
    ("MIT OR Apache-2.0", 0.02),
)
QUESTIONS = (
    ("one purl", Question(purl="pkg:npm/lodash@4.17.21"), 0.05),
    ("every version of a package", Question(purl="pkg:npm/lodash"), None),
    ("a vers: range", Question(purl="pkg:npm/lodash", vers="vers:npm/>=4.17.0|<4.17.21"), None),
    ("any AGPL", Question(category="network-copyleft"), 1.0),
    ("one license", Question(license="AGPL-3.0-only"), None),
)
LODASH = ("4.17.15", "4.17.19", "4.17.20", "4.17.21")


def _pool(rng: random.Random) -> list[tuple[str, str | None]]:
    """The pool's package names and licenses; package 0 is lodash (in every release)."""
    pool: list[tuple[str, str | None]] = [("lodash", "MIT")]
    agpl = set(rng.sample(range(1, POOL), AGPL_PACKAGES))
    for number in range(1, POOL):
        if number in agpl:
            pool.append((f"pkg-{number:05d}", "AGPL-3.0-only"))
            continue
        draw, license_ = rng.random(), "MIT"
        for expression, share in LICENSES:
            if draw < share:
                license_ = expression
                break
            draw -= share
        pool.append((f"pkg-{number:05d}", None if rng.random() < 0.02 else license_))
    return pool


def _release(
    rng: random.Random, pool: list[tuple[str, str | None]], n: int, index: int
) -> Inventory:
    chosen = [0, *rng.sample(range(1, len(pool)), n - 1)]
    components = []
    for number in chosen:
        name, license_ = pool[number]
        version = LODASH[index % len(LODASH)] if number == 0 else f"{1 + index % 3}.{number % 17}.0"
        components.append(
            Component(
                purl=f"pkg:npm/{name}@{version}",
                name=name,
                version=version,
                scope=Scope.DEV if rng.random() < 0.1 else Scope.RUNTIME,
                license_expression=license_,
            )
        )
    return Inventory(
        subject=Subject(name=f"product-{index // 10:03d}"), components=tuple(components)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = loadavg()
    rng = random.Random(17)
    pool = _pool(rng)
    policy = load_policy(None)
    with postgres_server() as server:
        url = server.create_database("portfolio")
        publish_seconds = []
        begin = time.perf_counter()
        for index in range(args.releases):
            inventory = _release(rng, pool, args.components, index)
            one = time.perf_counter()
            publish(
                url,
                inventory,
                policy,
                product=inventory.subject.name,
                release=f"{index % 10}.0",
            )
            publish_seconds.append(time.perf_counter() - one)
        load_total = time.perf_counter() - begin
        answers = []
        for title, question, target in QUESTIONS:
            ask(url, question)  # warm the server's cache, as a second question finds it
            seconds = []
            for _ in range(args.repeat):
                one = time.perf_counter()
                found = ask(url, question)
                seconds.append(time.perf_counter() - one)
            components = sum(len(m.components) for m in found)
            answers.append((title, question, target, seconds, len(found), components))
        process = _process_seconds(url)
        import psycopg

        with psycopg.connect(url) as conn:
            sizes = conn.execute(
                "SELECT (SELECT count(*) FROM ospo_components),"
                " (SELECT count(*) FROM ospo_release_licenses),"
                " pg_size_pretty(pg_database_size(current_database()))"
            ).fetchone()
    assert sizes is not None
    met = all(
        target is None or statistics.median(seconds) < target
        for _, _, target, seconds, _, _ in answers
    )
    lines = _report(args, started, load_start, publish_seconds, load_total, answers, process, sizes)
    write_atomically(REPORT, "\n".join(lines) + "\n")
    print(REPORT.read_text(encoding="utf-8"))
    return 0 if met else 1


def _process_seconds(url: str) -> float:
    """One ``ospo portfolio query`` process for one purl, wall time (Python's start-up in)."""
    one = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ospo", "portfolio", "query", "--store", url,
         "--purl", "pkg:npm/lodash@4.17.21", "--format", "json"],
        check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return time.perf_counter() - one


def _report(
    args: argparse.Namespace,
    started: str,
    load_start: str,
    publish_seconds: list[float],
    load_total: float,
    answers: list[tuple[str, Question, float | None, list[float], int, int]],
    process: float,
    sizes: tuple[int, int, str],
) -> list[str]:
    lines = [
        "# Portfolio benchmark",
        "",
        f"Measured {started} on {platform.node() or 'this machine'}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {load_start} at the start, "
        f"{loadavg()} at the end. PostgreSQL: a throwaway local server (`tests/pgserver.py`).",
        "",
        "Rerun: `.venv/bin/python bench/portfolio.py`. The portfolio: "
        f"{args.releases:,} releases (100 products of 10 releases) of {args.components:,} "
        f"components each, synthetic npm packages drawn from a pool of {POOL:,} with one "
        f"license each (mostly permissive; {AGPL_PACKAGES} under AGPL-3.0-only; 2% unknown; a "
        "tenth of each release's components in dev scope); `pkg:npm/lodash` in every "
        f"release, in {len(LODASH)} versions. {sizes[0]:,} component rows, {sizes[1]:,} "
        f"license roll-up rows; the database takes {sizes[2]}.",
        "",
        "## Publishing",
        "",
        f"Each release went through `ospo.portfolio.publish` (its rows copied in with COPY), "
        f"one connection and transaction each: {load_total:.1f} s for all; one release of "
        f"{args.components:,} components: median {_ms(statistics.median(publish_seconds))} ms, "
        f"slowest {_ms(max(publish_seconds))} ms.",
        "",
        "## Questions",
        "",
        f"`ospo.portfolio.ask`, as `ospo portfolio query` calls it, connection included; "
        f"{args.repeat} runs after one to warm up.",
        "",
        "| question | releases | components | median ms | slowest ms | target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for title, question, target, seconds, releases, components in answers:
        asked = ", ".join(f"{k} `{v}`" for k, v in question.as_json().items()).replace("|", "\\|")
        if target is None:
            verdict = ""
        else:
            met = statistics.median(seconds) < target
            verdict = f"under {target * 1000:.0f} ms: " + ("met" if met else "**missed**")
        lines.append(
            f"| {title} ({asked}) | {releases} | {components} | "
            f"{statistics.median(seconds) * 1000:.1f} | {max(seconds) * 1000:.1f} | {verdict} |"
        )
    lines += [
        "",
        f"One `ospo portfolio query --purl pkg:npm/lodash@4.17.21 --format json` process, "
        f"Python's start-up included: {process:.2f} s.",
    ]
    return lines


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


if __name__ == "__main__":
    sys.exit(main())
