# SPDX-License-Identifier: Apache-2.0
"""Benchmark ``ospo scan`` against ScanCode on real source trees; write docs/benchmarks.md.

For each pinned tree (see ``benchlib/trees.py``), one step after the other:

1. ``scancode -l -c -n CORES`` on the tree (the reference, in the same run);
2. ``ospo scan`` with an empty cache; its per-file licenses and copyrights are compared
   with ScanCode's;
3. ``ospo scan`` again with nothing changed, alternating with the floor (a process that
   only walks, reads and hashes the tree);
4. ``ospo scan`` of a copy of the tree with one line appended to one file, alternating
   with a scan of that file alone with an empty cache.

Then ``docs/benchmarks.md`` is written (atomically) from the measurements. Downloads,
trees, outputs and logs live in ``bench/work/``. Usage::

    .venv/bin/python bench/run.py [--trees django,lodash] [--skip-scancode] [--repeat N]

The exit status is 0 when the report was written (whether or not every target was met;
the report says), 1 on an error, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchlib import BenchError, measure
from benchlib.compare import compare, entry_without_path, load_json, same_results
from benchlib.environment import describe, loadavg, revision, source_digest
from benchlib.floor import hash_tree
from benchlib.measure import Measurement
from benchlib.report import RunInfo, render, write_atomically
from benchlib.results import ScancodeStep, Step, TreeResult, targets
from benchlib.trees import TREES, Tree, TreeSpec, prepare

ROOT = Path(__file__).resolve().parent.parent
FLOOR_SCRIPT = Path(__file__).resolve().parent / "benchlib" / "floor.py"


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """Settings shared by every step."""

    work: Path
    python: Path
    ospo: Path
    scancode: Path
    jobs: int
    repeat: int
    skip_scancode: bool
    #: ospo's source digest -> revision, for every code state an ospo step ran on
    ospo_sources: dict[str, str] = field(default_factory=dict)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = _parse_args(argv)
    # Stop cleanly (the measured command and its workers with it) on Ctrl-C or a plain
    # kill, also when started in the background, where SIGINT starts out ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run(args)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a directory that cannot be written, ...
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"bench: interrupted; {_rel(args.output)} was not written", file=sys.stderr)
        return 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmark ospo scan against scancode on real source trees and write "
        "the report (docs/benchmarks.md by default).",
    )
    parser.add_argument(
        "--trees",
        default=",".join(TREES),
        help=f"comma-separated trees to measure, from: {', '.join(TREES)} [default: all]",
    )
    parser.add_argument(
        "--skip-scancode",
        action="store_true",
        help="do not run scancode; reuse its result from an earlier run on the same tree "
        "content, if any (the report says so)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for both tools [default: the number of cores]",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of each short step (rescans, floor, one-file change); medians are "
        "reported [default: 5]",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="where to write the report [default: docs/benchmarks.md]",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "bench" / "work",
        help="downloads, trees and run outputs [default: bench/work]",
    )
    parser.add_argument(
        "--venv",
        type=Path,
        default=ROOT / ".venv",
        help="the virtualenv holding ospo and scancode [default: .venv]",
    )
    args = parser.parse_args(argv)
    names = [t.strip() for t in args.trees.split(",") if t.strip()]
    unknown = [t for t in names if t not in TREES]
    if unknown or not names:
        parser.error(f"--trees: unknown tree(s) {', '.join(unknown)}; known: {', '.join(TREES)}")
    args.trees = list(dict.fromkeys(names))
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.output = args.output.resolve()
    args.work = args.work.resolve()
    args.venv = args.venv.absolute()
    return args


def _run(args: argparse.Namespace) -> int:
    bindir = args.venv / "bin"
    for tool in ("python", "ospo", "scancode"):
        if not (bindir / tool).is_file():
            raise BenchError(f"{_rel(bindir / tool)} not found; run `make install` first")
    ctx = Context(
        work=args.work,
        python=bindir / "python",
        ospo=bindir / "ospo",
        scancode=bindir / "scancode",
        jobs=args.jobs,
        repeat=args.repeat,
        skip_scancode=args.skip_scancode,
    )
    started = _now()
    load_start = loadavg()
    env = describe(ROOT, ctx.python)
    _say(f"ospo {env.ospo}, scancode-toolkit {env.scancode}; load average {load_start}")
    results = [_bench_tree(TREES[name], ctx) for name in args.trees]
    invocation = shlex.join([_rel(Path(sys.executable)), "bench/run.py", *sys.argv[1:]])
    run = RunInfo(
        started=started,
        finished=_now(),
        command=invocation,
        default=not sys.argv[1:],
        jobs=ctx.jobs,
        repeat=ctx.repeat,
        load_start=load_start,
        load_end=loadavg(),
        revision_end=revision(ROOT),
        source_digest_end=source_digest(ROOT),
        ospo_sources=tuple(ctx.ospo_sources.items()),
    )
    write_atomically(args.output, render(env, run, results))
    failed = 0
    for result in results:
        for target in targets(result):
            verdict = {None: "n/a ", True: "PASS", False: "FAIL"}[target.passed]
            failed += target.passed is False
            _say(f"{verdict} {result.spec.key}: {target.name}: {target.measured}")
    _say(f"wrote {_rel(args.output)}" + (f"; {failed} target(s) not met" if failed else ""))
    return 0


# --- one tree ---------------------------------------------------------------------------


def _bench_tree(spec: TreeSpec, ctx: Context) -> TreeResult:
    _say(f"{spec.key}: preparing {spec.title}")
    tree = prepare(spec, ctx.work, ctx.python)
    files, size, digest = hash_tree(str(tree.path))  # also brings the tree into the page cache
    if digest != tree.digest:
        raise BenchError(
            f"{_rel(tree.path)} was changed since it was extracted; delete it (and "
            f"{_rel(tree.path)}.sha256) to extract it again"
        )
    rundir = ctx.work / "runs" / spec.key
    rundir.mkdir(parents=True, exist_ok=True)
    temporary: list[Path] = []
    try:
        return _measure_tree(spec, ctx, tree, rundir, files, size, temporary)
    finally:
        for path in temporary:
            shutil.rmtree(path, ignore_errors=True)


def _measure_tree(
    spec: TreeSpec,
    ctx: Context,
    tree: Tree,
    rundir: Path,
    files: int,
    size: int,
    temporary: list[Path],
) -> TreeResult:
    def new_cache() -> Path:
        path = Path(tempfile.mkdtemp(prefix=f"ospo-bench-cache-{spec.key}-"))
        temporary.append(path)
        return path

    scancode = _scancode(spec, ctx, tree, rundir)
    warnings: list[str] = []
    consistency: list[str] = []

    _say(f"{spec.key}: ospo, first scan (empty cache)")
    cache = new_cache()
    cold_run, cold_inv = _ospo(ctx, tree.path, rundir / "ospo-cold.json", cache, warnings)
    _say(f"{spec.key}: ospo, first scan: {cold_run.wall:.1f} s")
    cold = Step(
        name="ospo, first scan (empty cache)",
        command=_ospo_command(ctx, tree.path, rundir / "ospo-cold.json", cache="export"),
        runs=(cold_run,),
        stats=(cold_inv["scan"]["stats"],),
    )

    _say(f"{spec.key}: ospo rescan (no change), floor, fixed cost; {ctx.repeat} times each")
    warm_runs: list[Measurement] = []
    warm_stats: list[dict[str, Any]] = []
    floor_runs: list[Measurement] = []
    fixed_runs: list[Measurement] = []
    empty = rundir / "empty" / "tree"
    if empty.parent.exists():
        shutil.rmtree(empty.parent)
    empty.mkdir(parents=True)
    for i in range(1, ctx.repeat + 1):
        out = rundir / f"ospo-rescan-{i}.json"
        run, inv = _ospo(ctx, tree.path, out, cache, warnings)
        warm_runs.append(run)
        warm_stats.append(inv["scan"]["stats"])
        changed = same_results(cold_inv, inv)
        if changed:
            consistency.append(
                f"rescan {i} (nothing changed) gave other results than the first scan for "
                f"{len(changed)} file(s), e.g. `{changed[0]}`"
            )
        floor_runs.append(_floor(ctx, tree, rundir / f"floor-{i}.log"))
        fixed_runs.append(_ospo(ctx, empty, rundir / f"ospo-empty-{i}.json", cache, warnings)[0])
    warm = Step(
        name="ospo, rescan (no change)",
        command=_ospo_command(ctx, tree.path, rundir / "ospo-rescan-N.json", cache="same"),
        runs=tuple(warm_runs),
        stats=tuple(warm_stats),
    )
    floor = Step(
        name="floor: read + sha256 every file",
        command=shlex.join([_rel(ctx.python), _rel(FLOOR_SCRIPT), _rel(tree.path)]),
        runs=tuple(floor_runs),
    )
    fixed = Step(
        name="ospo, empty directory (fixed cost)",
        command=_ospo_command(ctx, empty, rundir / "ospo-empty-N.json", cache="same"),
        runs=tuple(fixed_runs),
    )
    _say(
        f"{spec.key}: rescan {warm.wall:.2f} s, floor {floor.wall:.2f} s, "
        f"fixed cost {fixed.wall:.2f} s (medians)"
    )

    change, one_file = _one_file_change(
        spec, ctx, tree, rundir, cache, new_cache, cold_inv, warnings, consistency
    )
    _say(f"{spec.key}: one file changed {change.wall:.2f} s, that file alone {one_file.wall:.2f} s")

    comparison = None
    if scancode.step is not None:
        comparison = compare(cold_inv, load_json(rundir / "scancode.json"))
        _say(
            f"{spec.key}: {comparison.compared} files compared with scancode, "
            f"{len(comparison.differences)} differences"
        )
    notes = []
    if files != cold_inv["scan"]["stats"].get("files"):
        notes.append(
            f"ospo listed {cold_inv['scan']['stats'].get('files')} files; the tree has {files}."
        )
    return TreeResult(
        spec=spec,
        path=_rel(tree.path),
        files=files,
        size=size,
        digest=tree.digest,
        scancode=scancode,
        cold=cold,
        warm=warm,
        floor=floor,
        fixed=fixed,
        change=change,
        one_file=one_file,
        comparison=comparison,
        consistency=consistency,
        warnings=list(dict.fromkeys(warnings)),
        notes=notes,
    )


def _one_file_change(
    spec: TreeSpec,
    ctx: Context,
    tree: Tree,
    rundir: Path,
    cache: Path,
    new_cache: Any,
    cold_inv: Any,
    warnings: list[str],
    consistency: list[str],
) -> tuple[Step, Step]:
    """Rescan a copy of the tree with one file changed; scan that file alone."""
    copy = rundir / "changed" / spec.dirname
    if copy.parent.exists():
        shutil.rmtree(copy.parent)
    shutil.copytree(tree.path, copy, symlinks=True)
    target = copy / spec.change_path
    if not target.is_file():
        raise BenchError(f"{spec.change_path} is not a file of {spec.title}")
    alone_root = rundir / "one-file"
    if alone_root.exists():
        shutil.rmtree(alone_root)
    _say(f"{spec.key}: one file changed ({spec.change_path}), {ctx.repeat} times")
    change_runs: list[Measurement] = []
    change_stats: list[dict[str, Any]] = []
    alone_runs: list[Measurement] = []
    alone_stats: list[dict[str, Any]] = []
    for i in range(1, ctx.repeat + 1):
        text = target.read_bytes()
        line = f"{spec.comment} benchmark: one-line change number {i}\n".encode()
        target.write_bytes(text + (b"" if text.endswith(b"\n") else b"\n") + line)

        out = rundir / f"ospo-change-{i}.json"
        run, inv = _ospo(ctx, copy, out, cache, warnings)
        change_runs.append(run)
        change_stats.append(inv["scan"]["stats"])
        others = same_results(cold_inv, inv, ignore=frozenset({spec.change_path}))
        if others:
            consistency.append(
                f"after changing `{spec.change_path}` (run {i}), {len(others)} other file(s) "
                f"got other results than in the first scan, e.g. `{others[0]}`"
            )
        if inv["scan"]["stats"].get("matched") != 1:
            consistency.append(
                f"after changing one file (run {i}), ospo matched "
                f"{inv['scan']['stats'].get('matched')} file(s), not 1"
            )

        alone_dir = alone_root / f"run-{i}"
        alone_dir.mkdir(parents=True)
        alone_file = alone_dir / target.name
        shutil.copyfile(target, alone_file)
        alone_out = rundir / f"ospo-one-file-{i}.json"
        alone_run, alone_inv = _ospo(ctx, alone_dir, alone_out, new_cache(), warnings)
        alone_runs.append(alone_run)
        alone_stats.append(alone_inv["scan"]["stats"])
        in_tree = entry_without_path(inv, spec.change_path)
        alone = entry_without_path(alone_inv, target.name)
        if in_tree != alone:
            consistency.append(
                f"`{spec.change_path}` (run {i}) got another result in the tree than alone"
            )
    change = Step(
        name="ospo, one file changed",
        command=f"# a copy of the tree; a line appended to {spec.change_path}\n"
        + _ospo_command(ctx, copy, rundir / "ospo-change-N.json", cache="same"),
        runs=tuple(change_runs),
        stats=tuple(change_stats),
    )
    one_file = Step(
        name="ospo, that one file alone (empty cache)",
        command=_ospo_command(
            ctx, alone_root / "run-N", rundir / "ospo-one-file-N.json", cache="new"
        ),
        runs=tuple(alone_runs),
        stats=tuple(alone_stats),
    )
    return change, one_file


# --- the tools --------------------------------------------------------------------------


def _scancode(spec: TreeSpec, ctx: Context, tree: Tree, rundir: Path) -> ScancodeStep:
    """Run scancode on the tree, or reuse an earlier result with --skip-scancode."""
    output = rundir / "scancode.json"
    record = rundir / "scancode-run.json"
    argv = [
        _rel(ctx.scancode),
        "-l",
        "-c",
        "-n",
        str(ctx.jobs),
        "--json",
        _rel(output),
        _rel(tree.path),
    ]
    name = f"scancode -l -c -n {ctx.jobs}"
    if ctx.skip_scancode:
        return _earlier_scancode(ctx, tree, output, record, name)
    _say(f"{spec.key}: {name} (the slow reference; minutes)")
    output.unlink(missing_ok=True)
    record.unlink(missing_ok=True)
    run = measure.run(argv, log=rundir / "scancode.log", cwd=ROOT)
    if not output.is_file():
        raise BenchError(
            f"scancode wrote no result (exit {run.returncode}); see "
            f"{_rel(rundir / 'scancode.log')}:\n{_tail(rundir / 'scancode.log')}"
        )
    _say(f"{spec.key}: scancode: {run.wall:.1f} s")
    step = Step(name=name, command=shlex.join(argv), runs=(run,))
    saved = {
        "date": _now(),
        "digest": tree.digest,
        "jobs": ctx.jobs,
        "version": _scancode_version(output),
        "command": step.command,
        "measurement": asdict(run),
    }
    write_atomically(record, json.dumps(saved, indent=2) + "\n")
    return ScancodeStep(step=step, origin="this run")


def _earlier_scancode(
    ctx: Context, tree: Tree, output: Path, record: Path, name: str
) -> ScancodeStep:
    none = "not run (--skip-scancode) and no earlier result for this tree content"
    if not record.is_file() or not output.is_file():
        return ScancodeStep(step=None, origin=none)
    saved = load_json(record)
    if saved.get("digest") != tree.digest or saved.get("jobs") != ctx.jobs:
        return ScancodeStep(step=None, origin=none + f" with {ctx.jobs} processes")
    if saved.get("version") != _scancode_version(output):
        return ScancodeStep(step=None, origin=none)
    data = dict(saved["measurement"])
    data["argv"] = tuple(data["argv"])
    run = Measurement(**data)
    step = Step(name=name, command=saved["command"], runs=(run,))
    return ScancodeStep(
        step=step,
        origin=f"not run again (--skip-scancode); time, memory and result are those of the "
        f"run of {saved['date']} UTC on the same tree content",
    )


def _scancode_version(output: Path) -> str | None:
    headers = load_json(output).get("headers") or [{}]
    version = headers[0].get("tool_version")
    return str(version) if version else None


def _ospo(
    ctx: Context, target: Path, output: Path, cache: Path, warnings: list[str]
) -> tuple[Measurement, Any]:
    """Run ``ospo scan`` on ``target``; return the measurement and the inventory."""
    output.unlink(missing_ok=True)
    argv = [
        _rel(ctx.ospo),
        "scan",
        _rel(target),
        "-o",
        _rel(output),
        "--jobs",
        str(ctx.jobs),
        "-q",
    ]
    env = dict(os.environ)
    # as an installed ospo runs: its modules' bytecode is cached after the first start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["OSPO_CACHE_DIR"] = str(cache)
    # the scan's own work only: no detection server (bench/hook_commits.py measures that)
    # started by the one-file rescan, loading an index beside the next measurement
    env["OSPO_NO_SERVER"] = "1"
    env["GIT_CEILING_DIRECTORIES"] = str(target.resolve().parent)
    log = output.with_suffix(".log")
    before = source_digest(ROOT)
    ctx.ospo_sources.setdefault(before, revision(ROOT))
    run = measure.run(argv, log=log, env=env, cwd=ROOT)
    after = source_digest(ROOT)
    ctx.ospo_sources.setdefault(after, revision(ROOT))
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("ospo:"):
            warnings.append(line)
    if not output.is_file():
        raise BenchError(
            f"ospo wrote no inventory (exit {run.returncode}): {shlex.join(argv)}\n{_tail(log)}"
        )
    return run, load_json(output)


def _ospo_command(ctx: Context, target: Path, output: Path, *, cache: str) -> str:
    """Return the command as a reader would type it; ``cache`` is "export", "same" or "new"."""
    argv = [_rel(ctx.ospo), "scan", _rel(target), "-o", _rel(output), "--jobs", str(ctx.jobs)]
    command = f"GIT_CEILING_DIRECTORIES=$PWD/{_rel(target.resolve().parent)} {shlex.join(argv)} -q"
    if cache == "export":
        return f"export OSPO_CACHE_DIR=$(mktemp -d)\n{command}"
    if cache == "new":
        return f"OSPO_CACHE_DIR=$(mktemp -d) {command}"
    return command


def _floor(ctx: Context, tree: Tree, log: Path) -> Measurement:
    run = measure.run([_rel(ctx.python), _rel(FLOOR_SCRIPT), _rel(tree.path)], log=log, cwd=ROOT)
    try:
        summary = json.loads(log.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BenchError(f"the floor measurement failed:\n{_tail(log)}") from None
    if summary["digest"] != tree.digest:
        raise BenchError(f"{_rel(tree.path)} changed while it was being measured")
    return run


# --- small helpers ----------------------------------------------------------------------


def _rel(path: Path) -> str:
    """Return ``path`` relative to the repository root when it is inside it."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(ROOT).as_posix()
    except ValueError:
        return str(absolute)


def _tail(path: Path, lines: int = 8) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M")


def _say(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
