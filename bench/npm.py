# SPDX-License-Identifier: Apache-2.0
"""Benchmark ospo on an npm project of about 2,000 packages against cyclonedx-npm; write
docs/benchmarks-npm.md.

The project is ``bench/npm-project`` (``package.json`` and the ``package-lock.json`` npm
wrote for it), installed with ``npm ci --ignore-scripts`` under ``bench/work/npm``. Measured
in the same run, one command after the other, in rounds (so that a change in the machine's
load touches every tool alike):

* the peer ``cyclonedx-npm`` (pinned; it runs ``npm ls`` and reads every installed
  ``package.json``), plain and with ``--gather-license-texts`` (it then also embeds the text
  of each package's license files, without identifying them);
* ``ospo scan PROJECT --env PROJECT/node_modules --cyclonedx OUT -q``: the lock file, the
  installed packages' ``package.json`` and their license files matched with ScanCode, first
  with an empty cache, then with the cache of a first run.

Then the packages and licenses the tools report are compared (``benchlib/npm_compare.py``),
and the report is written atomically. The exit status is 0 when the report was written
(whether or not the target was met; the report says), 1 on an error.

Usage: ``.venv/bin/python bench/npm.py [--repeat N] [--cold-repeat N]``
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchlib import BenchError, measure
from benchlib.environment import Environment, describe, loadavg
from benchlib.measure import Measurement, rss_method
from benchlib.npm_compare import CATEGORIES, SAME, Comparison, compare, sbom_packages
from benchlib.npm_project import (
    NPM_CI,
    PEER_INSTALL,
    NpmProject,
    installed_package_dirs,
    prepare,
)
from benchlib.report import write_atomically

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "bench" / "npm-project"
WORK = ROOT / "bench" / "work" / "npm"
REPORT = ROOT / "docs" / "benchmarks-npm.md"
VENV = ROOT / ".venv"

#: Where a warm run spends its time, measured in one process with ospo's Python API.
_BREAKDOWN = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from ospo.api import ScanSettings, scan_tree
from ospo.sbom.cyclonedx.validation import validation_error
from ospo.reporters import RenderOptions
from ospo.sbom.cyclonedx.writer import build_bom
from cyclonedx.output.json import JsonV1Dot6
out = {"imports": time.perf_counter() - t}
project = Path(sys.argv[1])
settings = ScanSettings(jobs=int(sys.argv[2]), envs=(project / "node_modules",))
t = time.perf_counter(); outcome = scan_tree(project, settings)
out["scan (listing, lock file, node_modules, cache look-ups, merge)"] = time.perf_counter() - t
t = time.perf_counter(); bom = build_bom(outcome.inventory, RenderOptions())
out["CycloneDX model (build_bom)"] = time.perf_counter() - t
t = time.perf_counter(); text = JsonV1Dot6(bom).output_as_string(indent=2)
out["CycloneDX JSON serialisation"] = time.perf_counter() - t
t = time.perf_counter(); validation_error(json.loads(text), "1.6")
out["CycloneDX schema validation"] = time.perf_counter() - t
print(json.dumps(out))
"""


@dataclass(slots=True, kw_only=True)
class Step:
    """One measured command and its runs."""

    key: str
    name: str
    command: str
    runs: list[Measurement] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(m.wall for m in self.runs)

    @property
    def spread(self) -> str:
        walls = [m.wall for m in self.runs]
        return f"{_secs(min(walls))} to {_secs(max(walls))}" if len(walls) > 1 else ""

    @property
    def cpu(self) -> float:
        return statistics.median(m.cpu for m in self.runs)

    @property
    def max_rss_kib(self) -> int:
        return max(m.max_rss_kib for m in self.runs)

    @property
    def peak_pss_kib(self) -> int | None:
        values = [m.peak_pss_kib for m in self.runs if m.peak_pss_kib]
        return max(values) if values else None

    @property
    def other_cores(self) -> float:
        return max(m.other_cpu / m.wall for m in self.runs if m.wall > 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each quick step")
    parser.add_argument(
        "--cold-repeat", type=int, default=3, help="runs of ospo with an empty cache"
    )
    args = parser.parse_args()
    try:
        return run(args.repeat, args.cold_repeat)
    except BenchError as exc:
        print(f"npm-bench: error: {exc}", file=sys.stderr)
        return 1


def run(repeat: int, cold_repeat: int) -> int:
    started = datetime.now(UTC)
    load_start = loadavg()
    python = VENV / "bin" / "python"
    ospo = VENV / "bin" / "ospo"
    env_info = describe(ROOT, python)
    WORK.mkdir(parents=True, exist_ok=True)
    project = prepare(SOURCE, WORK)
    out = WORK / "out"
    caches = WORK / "caches"
    logs = WORK / "logs"
    for directory in (out, caches, logs):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    jobs = env_info.cores
    # The project lies in this repository's ignored bench/work: make git see no repository
    # there, so that ospo lists the project's files as it would in a plain directory.
    ospo_env = {**_environ(), "GIT_CEILING_DIRECTORIES": str(WORK)}

    def ospo_argv(sbom: Path) -> list[str]:
        return [
            str(ospo),
            "scan",
            str(project.project),
            "--env",
            str(project.project / "node_modules"),
            "--cyclonedx",
            str(sbom),
            "-q",
        ]

    peer_argv = [str(project.peer), "--output-format", "JSON", "--output-file"]
    peer_out = out / "cyclonedx-npm.cdx.json"
    texts_out = out / "cyclonedx-npm-texts.cdx.json"
    cold_out = out / "ospo-cold.cdx.json"
    warm_out = out / "ospo-warm.cdx.json"
    steps = {
        "peer": Step(
            key="peer",
            name="cyclonedx-npm",
            command=_shell([*peer_argv, str(peer_out), "package.json"], project.project),
        ),
        "texts": Step(
            key="texts",
            name="cyclonedx-npm --gather-license-texts",
            command=_shell(
                [*peer_argv, str(texts_out), "--gather-license-texts", "package.json"],
                project.project,
            ),
        ),
        "cold": Step(
            key="cold",
            name="ospo scan, first run (empty cache)",
            command="OSPO_CACHE_DIR=$(mktemp -d) " + _shell(ospo_argv(cold_out)),
        ),
        "warm": Step(
            key="warm",
            name="ospo scan, rescan (cache of a first run)",
            command="OSPO_CACHE_DIR=CACHE_OF_A_FIRST_RUN " + _shell(ospo_argv(warm_out)),
        ),
    }
    warm_cache = caches / "cold-0"
    for round_ in range(max(repeat, cold_repeat)):
        if round_ < repeat:
            _measure(
                steps["peer"],
                [*peer_argv, str(peer_out), "package.json"],
                logs,
                round_,
                cwd=project.project,
            )
            _measure(
                steps["texts"],
                [*peer_argv, str(texts_out), "--gather-license-texts", "package.json"],
                logs,
                round_,
                cwd=project.project,
            )
        if round_ < cold_repeat:
            cache = caches / f"cold-{round_}"
            cache.mkdir()
            _measure(
                steps["cold"],
                ospo_argv(cold_out),
                logs,
                round_,
                env={**ospo_env, "OSPO_CACHE_DIR": str(cache)},
            )
        if round_ < repeat:
            _measure(
                steps["warm"],
                ospo_argv(warm_out),
                logs,
                round_,
                env={**ospo_env, "OSPO_CACHE_DIR": str(warm_cache)},
            )
        print(f"npm-bench: round {round_ + 1} done", flush=True)

    # For the comparison: the same rescan, also writing the inventory (not measured).
    inventory = out / "ospo-inventory.json"
    compared_sbom = out / "ospo-compared.cdx.json"
    subprocess.run(
        [*ospo_argv(compared_sbom), "-o", str(inventory)],
        env={**ospo_env, "OSPO_CACHE_DIR": str(warm_cache)},
        check=True,
        capture_output=True,
    )
    installed = set(installed_package_dirs(project.project / "node_modules"))
    comparison = compare(
        peer_out, inventory, compared_sbom, project.project / "package-lock.json", installed
    )
    stats = json.loads(inventory.read_text(encoding="utf-8"))["scan"].get("stats", {})
    consistency = _consistency(cold_out, warm_out, compared_sbom, peer_out, texts_out)
    breakdown = _breakdown(python, project, ospo_env, warm_cache, jobs)
    finished = datetime.now(UTC)
    text = render(
        env_info=env_info,
        project=project,
        steps=steps,
        comparison=comparison,
        stats=stats,
        consistency=consistency,
        breakdown=breakdown,
        started=started,
        finished=finished,
        load=(load_start, loadavg()),
        jobs=jobs,
        repeat=(repeat, cold_repeat),
    )
    write_atomically(REPORT, text)
    print(text)
    return 0


def _measure(
    step: Step,
    argv: list[str],
    logs: Path,
    round_: int,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> None:
    measured = measure.run(argv, log=logs / f"{step.key}-{round_}.log", env=env, cwd=cwd)
    if measured.returncode != 0:
        log = (logs / f"{step.key}-{round_}.log").read_text(encoding="utf-8", errors="replace")
        raise BenchError(f"{step.name} exited {measured.returncode}: {log.strip()[-800:]}")
    step.runs.append(measured)


def _consistency(cold: Path, warm: Path, compared: Path, peer: Path, texts: Path) -> list[str]:
    """What should hold between the outputs of the runs; each problem as a sentence."""
    problems = []

    def content(path: Path) -> tuple[object, object]:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data.get("components"), data.get("dependencies")

    if content(cold) != content(warm):
        problems.append("ospo's first run and rescan wrote different components or dependencies")
    if content(warm) != content(compared):
        problems.append("the rescan that also wrote the inventory gave a different SBOM")
    peer_set = {c.get("purl") for c in sbom_packages(peer)}
    texts_set = {c.get("purl") for c in sbom_packages(texts)}
    if peer_set != texts_set:
        problems.append("cyclonedx-npm listed other packages with --gather-license-texts")
    return problems


def _breakdown(
    python: Path, project: NpmProject, env: dict[str, str], cache: Path, jobs: int
) -> dict[str, float] | str:
    done = subprocess.run(
        [str(python), "-c", _BREAKDOWN, str(project.project), str(jobs)],
        env={**env, "OSPO_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return f"not measured: {done.stderr.strip().splitlines()[-1:]}"
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the report ------------------------------------------------------------------------


def render(
    *,
    env_info: Environment,
    project: NpmProject,
    steps: dict[str, Step],
    comparison: Comparison,
    stats: dict[str, int],
    consistency: list[str],
    breakdown: dict[str, float] | str,
    started: datetime,
    finished: datetime,
    load: tuple[str, str],
    jobs: int,
    repeat: tuple[int, int],
) -> str:
    """Return the Markdown report."""
    peer, texts, cold, warm = (steps[k] for k in ("peer", "texts", "cold", "warm"))
    c = comparison
    out = [
        "# npm dependency benchmark: ospo against cyclonedx-npm",
        "",
        f"Generated by `.venv/bin/python bench/npm.py` (`make bench`) from "
        f"{started:%Y-%m-%d %H:%M} to {finished:%Y-%m-%d %H:%M} (UTC). Every number below was "
        "measured in that run and written by `bench/npm.py`; to update this page, run it "
        "again.",
        "",
        "Requirement: reading a lock file of about 2,000 npm packages and the "
        "`node_modules` they are installed in, and exporting the SBOM, no slower than "
        "`@cyclonedx/cyclonedx-npm` on the same project in the same run, with the licenses "
        "it gives.",
        "",
        "## Summary",
        "",
        "| Step | Runs | Wall time (median) | vs cyclonedx-npm | Peak RSS (largest process) "
        "| Peak PSS (all processes, sampled) | CPU time | Other load |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for step in (peer, texts, cold, warm):
        spread = f" ({step.spread})" if step.spread else ""
        ratio = "1x" if step is peer else _ratio(step.wall / peer.wall)
        out.append(
            f"| {step.name} | {len(step.runs)} | {_secs(step.wall)}{spread} | {ratio} | "
            f"{_mib(step.max_rss_kib)} | "
            f"{_mib(step.peak_pss_kib) if step.peak_pss_kib else 'n/a'} | {_secs(step.cpu)} | "
            f"{step.other_cores:.2f} cores |"
        )
    out += [
        "",
        "Wall times are medians (fastest to slowest in brackets); peak memory is the largest "
        "over the runs. The ratio is the step's median over cyclonedx-npm's.",
        "",
        "## Target",
        "",
        "| Target | Required | Measured | Result |",
        "|---|---|---|---|",
    ]
    for step, against in ((warm, peer), (cold, peer), (warm, texts), (cold, texts)):
        ratio = step.wall / against.wall
        out.append(
            f"| {step.name} vs `{against.name}` | no slower (<= 1.00x) | {ratio:.2f}x "
            f"({_secs(step.wall)} vs {_secs(against.wall)}) | "
            f"{'PASS' if ratio <= 1 else 'FAIL'} |"
        )
    same = c.categories[SAME]
    both = len(c.rows)
    given = [r for r in c.rows if r.peer is not None]
    kept = sum(1 for r in given if r.declared_agrees)
    out += [
        f"| Licenses: ospo gives every license cyclonedx-npm gives | all {len(given):,} "
        f"packages (of {both:,} both list) that cyclonedx-npm gives a license | "
        f"{kept:,} in ospo's declared licenses; ospo's effective license equals it for "
        f"{same:,} of {both:,}, the others are classified below | "
        f"{'PASS' if kept == len(given) else 'FAIL'} |",
        "",
        "The first two rows are the requirement; the rows against `--gather-license-texts` "
        "compare with the peer's mode that reads license files too (it embeds their text, "
        "base64, without identifying the license, where ospo matches them with ScanCode).",
        "",
        "## Machine and software",
        "",
        f"- CPU: {env_info.cpu_model}, {env_info.cores} cores; RAM: {env_info.ram_gib:.1f} GiB; "
        f"{env_info.kernel}",
        f"- Python {env_info.python}; ospo {env_info.ospo} (revision {env_info.revision}, "
        f"ospo/ source digest `{env_info.source_digest}`); scancode-toolkit "
        f"{env_info.scancode}",
        f"- node {project.node}; npm {project.npm}; cyclonedx-npm {project.peer_version}",
        f"- Load average (1, 5, 15 min): {load[0]} at the start, {load[1]} at the end. *Other "
        "load* in the table is the CPU time the machine spent outside the measured command "
        "during it, in cores (the most of any run).",
        f"- Peak RSS is read with {rss_method()}; for cyclonedx-npm it is the largest of "
        "its processes (node, and the `npm ls` it runs).",
    ]
    if env_info.python_settings:
        out.append(
            f"- Set in the environment: {', '.join(env_info.python_settings)}; the ospo "
            "commands run without `PYTHONDONTWRITEBYTECODE`, as an installed ospo does "
            "(bytecode cached by the first run)"
        )
    out += [
        "",
        "## The project",
        "",
        f"`bench/npm-project/package.json` (runtime, dev and optional dependencies: React, "
        "Express, the AWS S3 client, Firebase, d3, webpack, Babel, ESLint, Jest, TypeScript, "
        "semantic-release, …) and the `package-lock.json` npm wrote for it (sha256 "
        f"`{project.lock_sha256[:16]}`): {project.lock_entries:,} packages in the lock file; "
        f"installed with `{' '.join(NPM_CI)}` into `bench/work/npm/project`: "
        f"{project.installed_dirs:,} package directories (nested copies included), "
        f"{c.peer_packages:,} distinct name@version; `node_modules` holds "
        f"{project.node_modules_files:,} files, {project.node_modules_bytes / 1e6:,.0f} MB.",
        "",
        f"The peer is installed with `{' '.join(PEER_INSTALL)}` into "
        "`bench/work/npm/cyclonedx-npm`. Its JSON validation needs optional packages that "
        "are not installed, so it skips validation; ospo validates every SBOM it writes "
        "against the CycloneDX 1.6 schema (part of its time).",
        "",
        "ospo walks the project for its own files and leaves `node_modules` out of that "
        "walk (installed packages are not the product's source; `scan.excluded` says so): "
        "the packages come from the lock file and from `--env`.",
        "",
        f"ospo's own counts (`scan.stats` of a rescan): {stats.get('from_cache', 0):,} "
        "distinct license file contents, each matched by ScanCode in a first run "
        f"(with {jobs} worker processes) and read from the cache in a rescan.",
        "",
        "## Where a rescan spends its time",
        "",
    ]
    if isinstance(breakdown, str):
        out += [f"Breakdown {breakdown}.", ""]
    else:
        out += [
            "One rescan in a single process through ospo's Python API (`scan_tree`, then "
            "the CycloneDX reporter's steps), with the warm cache; interpreter start-up "
            "and writing the file are not included:",
            "",
            "| Part | Seconds |",
            "|---|--:|",
            *[f"| {part} | {seconds:.2f} |" for part, seconds in breakdown.items()],
            f"| total | {sum(breakdown.values()):.2f} |",
            "",
        ]
    out += _licenses(c)
    out += ["## Consistency", ""]
    if consistency:
        out += [f"- {p}" for p in consistency]
    else:
        out.append(
            "ospo's first run, its rescans and the rescan that also wrote the inventory gave "
            "the same SBOM components and dependencies; cyclonedx-npm listed the same "
            "packages with and without `--gather-license-texts`."
        )
    out += [
        "",
        "## Commands",
        "",
        f"Each round runs, one after the other: cyclonedx-npm, cyclonedx-npm "
        f"--gather-license-texts, ospo with a new empty cache (in the first {repeat[1]} "
        f"round{'s' if repeat[1] != 1 else ''}), ospo with the cache of the first round's "
        f"first run; {repeat[0]} round{'s' if repeat[0] != 1 else ''}. "
        "ospo commands run with `GIT_CEILING_DIRECTORIES=bench/work/npm`, so that git "
        "treats the project as a plain directory and not as part of this repository.",
        "",
        "```sh",
    ]
    for step in (peer, texts, cold, warm):
        out += [f"# {step.name}", step.command]
    out += [
        "```",
        "",
        "Rerun: `.venv/bin/python bench/npm.py [--repeat N] [--cold-repeat N]` (installs "
        "are kept in `bench/work/npm` and reused while the lock file is the same).",
        "",
    ]
    return "\n".join(out)


def _licenses(c: Comparison) -> list[str]:
    both = len(c.rows)
    out = [
        "## Packages and licenses compared",
        "",
        "Packages are compared by package URL without qualifiers. cyclonedx-npm lists every "
        "installed copy (a package nested in another's `node_modules` is a nested "
        "component); ospo lists each name@version once, with the scope the lock file gives.",
        "",
        "| | cyclonedx-npm | ospo |",
        "|---|--:|--:|",
        f"| components (copies) | {c.peer_instances:,} | {c.ours_packages:,} |",
        f"| distinct packages | {c.peer_packages:,} | {c.ours_packages:,} |",
        f"| listed by this tool only | {len(c.only_peer):,} | {len(c.only_ours):,} |",
        "",
    ]
    for title, items in (("cyclonedx-npm only", c.only_peer), ("ospo only", c.only_ours)):
        if items:
            out += [f"<details><summary>{title}: {len(items)}</summary>", ""]
            out += [f"- `{purl}`: {why}" for purl, why in items]
            out += ["", "</details>", ""]
    out += [
        f"Of the {both:,} packages both list:",
        "",
        f"- **Declared license** (the `license` of `package.json`, read by both): "
        f"{c.declared_agree:,} equal ({_pct(c.declared_agree, both)}); in ospo's SBOM "
        f"(`licenses`, the declaration): {c.sbom_declared_agree:,} equal.",
        f"- **Development dependency** (cyclonedx-npm's `cdx:npm:package:development` on "
        f"every copy; ospo's scope `dev`): {c.dev_agree:,} agree, {len(c.dev_differ)} differ.",
        f"- **Optional** (cyclonedx-npm's `scope: optional`; ospo's scope `optional`): "
        f"{c.optional_agree:,} agree, {len(c.optional_differ)} differ.",
        f"- ospo's SBOM lists exactly the packages of its inventory: "
        f"{'yes' if c.sbom_matches_inventory else 'NO'}.",
        "",
        "**Effective license**: cyclonedx-npm's license against ospo's effective license "
        "(the inventory's `license_expression`: the declaration, refined by the license "
        "files the package ships):",
        "",
        "| Class | Packages |",
        "|---|--:|",
        *[f"| {name} | {c.categories[name]:,} |" for name in CATEGORIES],
        f"| total | {both:,} |",
        "",
        "Whether a license ospo adds from a license file is right is a matter of the file: "
        "the table below names each file and what ScanCode found in it.",
        "",
    ]
    rows = [r for r in c.rows if r.category != SAME or not r.declared_agrees]
    if rows:
        out += [
            f"<details><summary>Packages whose licenses differ: {len(rows)}</summary>",
            "",
            "| Package | cyclonedx-npm | ospo declared | ospo effective | ospo detected "
            "(file) | Class |",
            "|---|---|---|---|---|---|",
        ]
        for r in rows:
            out.append(
                f"| `{r.purl}` | {_cell(r.peer)} | {_cell(r.declared)} | "
                f"{_cell(r.effective or f'unknown: {r.unknown_reason}')} | "
                f"{_cell('; '.join(r.detected))} | {r.category} |"
            )
        out += ["", "</details>", ""]
    for title, items in (
        ("Development flag differs", c.dev_differ),
        ("Optional flag differs", c.optional_differ),
    ):
        if items:
            out += [
                f"<details><summary>{title}: {len(items)}</summary>",
                "",
                "| Package | cyclonedx-npm | ospo scope |",
                "|---|---|---|",
                *[f"| `{p}` | {a} | {b} |" for p, a, b in items],
                "",
                "</details>",
                "",
            ]
    out += [
        "Most frequent licenses (cyclonedx-npm's declared; ospo's effective):",
        "",
        "| License | cyclonedx-npm | ospo |",
        "|---|--:|--:|",
        *[f"| {_cell(e)} | {a:,} | {b:,} |" for e, a, b in c.top_licenses],
        "",
    ]
    return out


# --- helpers ----------------------------------------------------------------------------


def _environ() -> dict[str, str]:
    env = dict(os.environ)
    # as an installed ospo runs: its modules' bytecode is cached after the first start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _shell(argv: list[str], cwd: Path | None = None) -> str:
    if cwd is None:
        return " ".join(shlex.quote(_short(a)) for a in argv)
    relative = [os.path.relpath(a, cwd) if a.startswith(str(ROOT)) else a for a in argv]
    text = " ".join(shlex.quote(a) for a in relative)
    return f"(cd {shlex.quote(_short(str(cwd)))} && {text})"


def _short(arg: str) -> str:
    return arg.replace(str(ROOT) + "/", "")


def _ratio(ratio: float) -> str:
    return f"{ratio:.2f}x the time"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _secs(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def _cell(text: str | None) -> str:
    return "none" if text is None else text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main())
