# SPDX-License-Identifier: Apache-2.0
"""The catalogue of faults ospo survives: signals, full disks, devices, concurrent runs.

One row per fault, each with the contract it checks (docs/guarantees.md (Faults) states
them for users). Every case is a real process meeting a real fault: a signal sent with
``os.kill``, ``/dev/full`` and ``/dev/null``, a FIFO, a file size limit set with
``setrlimit`` in the child, a pipe whose reader has gone, several ``ospo`` processes at once.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from realtree import build_real_tree

#: A policy-clean tree of one file: the fastest real run of ``ospo check``.
_CLEAN = "# SPDX-License-Identifier: MIT\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class Fault:
    """One fault of the catalogue: what happens, what ospo promises, and the check."""

    name: str
    contract: str
    check: Callable[[Path], None]


def _ospo(
    *args: str | os.PathLike[str],
    env: dict[str, str] | None = None,
    file_size_limit: int | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ospo ARGS`` as a process, with a file size limit if asked."""

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "ospo", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        preexec_fn=limit,
        check=False,
        timeout=timeout,
    )


def _tree(tmp_path: Path, text: str = _CLEAN) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    # unique content, so that the session's shared cache does not know the file
    (root / "a.py").write_text(f"{text}# {tmp_path}\n", encoding="utf-8")
    return root


def _session_members(session: int) -> list[int]:
    """The processes of ``session`` still alive (zombies are dead: only a wait is missing)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if fields[0] != "Z" and int(fields[3]) == session:
            members.append(int(entry.name))
    return members


def _cached_count(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM results").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


# --- signals ----------------------------------------------------------------------------


def _signal_during_a_scan_with_workers(tmp_path: Path, signum: int) -> tuple[int, str]:
    """Send ``signum`` to a scan while its two ScanCode workers run; return its exit code
    and stderr, once none of its processes is left (killed here if one is, and then
    reported)."""
    root = tmp_path / "tree"
    build_real_tree(root)
    out = tmp_path / "inv.json"
    cache = tmp_path / "cache"
    stderr_path = tmp_path / "stderr"
    with stderr_path.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ospo", "scan", str(root), "-q", "-j", "2", "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "OSPO_CACHE_DIR": str(cache)},
            start_new_session=True,  # its own session: every worker it forks is found
        )
    db = cache / "results.sqlite3"
    try:
        deadline = time.monotonic() + 300
        # the workers are running once results reach the cache
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists() and _cached_count(db) > 0:
                break
            time.sleep(0.5)
        assert proc.poll() is None, "the scan ended before the signal"
        os.kill(proc.pid, signum)  # to ospo alone, as `timeout` and the OOM killer do
        code = proc.wait(timeout=120)
        deadline = time.monotonic() + 10
        while _session_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        survivors = _session_members(proc.pid)
    finally:
        for pid in _session_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
    assert survivors == [], "a ScanCode worker outlived ospo"
    assert not out.exists()
    assert _cached_count(db) > 0, "what was computed before the signal stays in the cache"
    return code, stderr_path.read_text(encoding="utf-8")


def sigterm_during_a_scan_with_workers(tmp_path: Path) -> None:
    code, message = _signal_during_a_scan_with_workers(tmp_path, signal.SIGTERM)
    assert code == 3, message
    assert "terminated" in message
    assert "Traceback" not in message
    assert not list(tmp_path.glob(".inv.json.*"))


def sigkill_during_a_scan_with_workers(tmp_path: Path) -> None:
    code, _ = _signal_during_a_scan_with_workers(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL


def sigterm_during_a_check(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo", "check", str(root), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # inside the run: loading ScanCode's index for the new file, or judging
    os.kill(proc.pid, signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0:  # the check was over before the signal came: nothing to see
        pytest.skip("the check ended before SIGTERM reached it")
    assert proc.returncode == 3, stderr
    assert "terminated" in stderr
    assert "Traceback" not in stderr
    assert stdout == ""


# --- output targets ---------------------------------------------------------------------


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device like ``/dev/NAME`` (memory device 1, ``minor``) for ospo to write to.

    Made with mknod in ``tmp_path`` where that is allowed, so that a failure cannot replace
    the machine's own device; else the real one, which a user who is not root cannot
    replace anyway.
    """
    node = tmp_path / name
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        if os.geteuid() == 0:
            pytest.skip("cannot make a device node to write to")
        return Path("/dev") / name
    return node


def _is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(os.stat(path).st_mode)


def output_to_dev_null(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    ran = _ospo("check", _tree(tmp_path), "--format", "json", "-o", null)
    assert ran.returncode == 0, ran.stderr
    assert _is_char_device(null), "the device was replaced by a regular file"
    assert not list(null.parent.glob(".null.*"))


def scan_outputs_to_dev_null(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    ran = _ospo("scan", _tree(tmp_path), "-q", "-o", null, "--cyclonedx", null)
    assert ran.returncode == 0, ran.stderr
    assert _is_char_device(null), "the device was replaced by a regular file"


def output_to_dev_full(tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    ran = _ospo("check", _tree(tmp_path), "--format", "json", "-o", full)
    assert ran.returncode == 3, ran.stderr
    assert f"ospo: error: {full}: cannot write output: No space left on device" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert _is_char_device(full), "the device was replaced by a regular file"


def output_to_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        ran = _ospo("check", _tree(tmp_path), "--format", "json", "-o", fifo)
        received, _ = reader.communicate(timeout=60)
    finally:
        reader.kill()
    assert ran.returncode == 0, ran.stderr
    assert json.loads(received)["verdict"] == "pass"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced by a regular file"


def output_to_a_fifo_whose_reader_left(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    # the reader takes one byte and leaves: the rest of the inventory (more than a pipe
    # holds: an entry for each of 600 files of one content) has nowhere to go
    reader = subprocess.Popen(["head", "-c", "1", str(fifo)], stdout=subprocess.PIPE)
    tree = _tree(tmp_path)
    for number in range(600):
        (tree / f"copy{number}.py").write_bytes((tree / "a.py").read_bytes())
    try:
        ran = _ospo("scan", tree, "-q", "-o", fifo)
        reader.communicate(timeout=60)
    finally:
        reader.kill()
    assert ran.returncode == 3, ran.stderr
    assert "cannot write output: Broken pipe" in ran.stderr


def output_to_stdout_by_its_name(tmp_path: Path) -> None:
    # what /dev/stdout is: a link to the process's own descriptor 1
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    ran = _ospo("check", _tree(tmp_path), "--format", "json", "-o", stdout)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["verdict"] == "pass"
    assert stdout.is_symlink(), "the link was replaced by a regular file"


def output_to_stdout_redirected_to_a_file(tmp_path: Path) -> None:
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    log = tmp_path / "log"
    log.write_text("earlier\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as appended:
        ran = subprocess.run(
            [sys.executable, "-m", "ospo", "check", str(_tree(tmp_path)), "-o", str(stdout)],
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=600,
        )
    assert ran.returncode == 0, ran.stderr
    earlier, _, report = log.read_text(encoding="utf-8").partition("\n")
    assert earlier == "earlier", "what the file held before is kept (>> appends)"
    assert report.startswith("tree: PASS")
    assert stdout.is_symlink()


def output_to_a_full_disk(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text('{"old": true}\n', encoding="utf-8")
    # a file size limit makes every write past 10 bytes fail, as a full disk does
    ran = _ospo("check", _tree(tmp_path), "--format", "json", "-o", out, file_size_limit=10)
    assert ran.returncode == 3, ran.stderr
    assert f"ospo: error: {out}: cannot write output: File too large" in ran.stderr
    assert out.read_text(encoding="utf-8") == '{"old": true}\n', "the old report is kept"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- standard output ----------------------------------------------------------------------


def _reader_leaves_after_one_line(tmp_path: Path, unbuffered: str) -> None:
    tree = _tree(tmp_path, "# SPDX-License-Identifier: GPL-3.0-only\n")
    for number in range(600):  # a report of one finding per file: more than a pipe holds
        (tree / f"copy{number}.py").write_bytes((tree / "a.py").read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo", "check", str(tree), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # what `ospo check | head -1` reads before it leaves
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=600)
    assert first.startswith(b"{")
    assert code == 3, f"a truncated answer was taken for a verdict: exit {code}\n{stderr}"
    assert "Traceback" not in stderr


def unbuffered_reader_leaves(tmp_path: Path) -> None:
    _reader_leaves_after_one_line(tmp_path, "1")


def buffered_reader_leaves(tmp_path: Path) -> None:
    _reader_leaves_after_one_line(tmp_path, "")


def stdout_closed(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "ospo", "check", str(_tree(tmp_path))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # the caller closed descriptor 1 (`ospo check >&-`): the verdict has no reader
        preexec_fn=lambda: os.close(1),
        check=False,
        timeout=600,
    )
    assert ran.returncode == 3, ran.stderr
    assert "Traceback" not in ran.stderr


# --- concurrent use ------------------------------------------------------------------------


def concurrent_decisions(tmp_path: Path) -> None:
    waivers = tmp_path / ".ospo" / "waivers.yml"
    count = 8
    decide = (sys.executable, "-m", "ospo", "decide", "--rule", "compliance/license-denied")
    about = ("--decision", "approve", "--approver", "Counsel", "--role", "legal", "--reason", "r")
    procs = [
        subprocess.Popen(
            [*decide, *about, "--waivers", str(waivers), "--component", f"pkg:pypi/p{number}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(count)
    ]
    results = [(proc.wait(timeout=600), *proc.communicate()) for proc in procs]
    for code, stdout, stderr in results:
        assert code == 0, stderr
        assert stdout.startswith("Recorded decision "), stdout
    import yaml

    recorded = yaml.safe_load(waivers.read_text(encoding="utf-8"))["waivers"]
    components = sorted(waiver["component"] for waiver in recorded)
    assert components == sorted(f"pkg:pypi/p{n}" for n in range(count)), "decisions lost"
    numbers = sorted(int(stdout.split()[2]) for _, stdout, _ in results)
    assert numbers == list(range(1, count + 1)), "each run says which decision it recorded"
    assert [p.name for p in waivers.parent.iterdir()] == ["waivers.yml"], "nothing else left"


def lock_held_too_long(tmp_path: Path) -> None:
    from ospo.atomic import locked
    from ospo.errors import OperationalError

    shared = tmp_path / "waivers.yml"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom pathlib import Path\n"
            "from ospo.atomic import locked\n"
            f"with locked(Path({str(shared)!r})):\n    print('held', flush=True)\n"
            "    sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "held\n"
        started = time.monotonic()
        with (
            pytest.raises(OperationalError, match=r"another process has held it for over 0\.5 s"),
            locked(shared, timeout=0.5),
        ):
            pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    with locked(shared, timeout=0.5):  # the holder is gone: free again
        pass


# --- the result cache ---------------------------------------------------------------------


def _scan_with_cache(
    tree: Path, cache: Path, file_size_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    return _ospo(
        "scan", tree, "-q", env={"OSPO_CACHE_DIR": str(cache)}, file_size_limit=file_size_limit
    )


def _checkpointed(db: Path) -> None:
    """Fold the cache's write-ahead log into the file, so the file alone holds it all."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def cache_on_a_full_disk(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    cache = tmp_path / "cache"
    assert _scan_with_cache(tree, cache).returncode == 0
    db = cache / "results.sqlite3"
    kept = _cached_count(db)
    assert kept > 0
    # no file may grow past 4 KiB: SQLite cannot make its shared-memory file (32 KiB)
    ran = _scan_with_cache(tree, cache, file_size_limit=4096)
    assert ran.returncode == 0, ran.stderr
    assert "cache" in ran.stderr, "the cache problem is reported"
    assert "moved aside" not in ran.stderr
    assert sorted(p.name for p in cache.iterdir() if "broken" in p.name) == []
    assert _cached_count(db) == kept, "the valid cache is kept whole"
    again = _scan_with_cache(tree, cache)
    assert again.returncode == 0 and again.stderr == "", again.stderr


def cache_damaged_twice(tmp_path: Path) -> None:
    from ospo.cache import ResultCache

    cache = tmp_path / "cache"
    cache.mkdir()
    db = cache / "results.sqlite3"
    for number in range(2):  # within one second, in one process
        db.write_bytes(f"damage {number} ".encode() * 512)
        opened = ResultCache.open("key", cache)
        assert opened is not None
        assert any("moved aside" in warning for warning in opened.warnings)
        opened.close()
    aside = sorted(p for p in cache.iterdir() if p.name.startswith("results.sqlite3.broken-"))
    assert [p.read_bytes()[:8] for p in aside] == [b"damage 0", b"damage 1"], "none overwritten"


def cache_damaged_mid_run(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    cache = tmp_path / "cache"
    assert _scan_with_cache(tree, cache).returncode == 0
    db = cache / "results.sqlite3"
    _checkpointed(db)
    # the first page (header, schema) stays whole: the cache opens, and the damage is met
    # only when its tables are read, in the middle of the run
    data = db.read_bytes()
    db.write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))
    (tree / "b.py").write_text(f"# SPDX-License-Identifier: Apache-2.0\n# {tmp_path}\n")
    ran = _scan_with_cache(tree, cache)
    assert ran.returncode == 0, ran.stderr
    assert "moved aside" in ran.stderr
    assert "damaged" in ran.stderr
    aside = [p.name for p in cache.iterdir() if ".broken-" in p.name]
    assert len([name for name in aside if not name.endswith(("-wal", "-shm"))]) == 1
    assert _cached_count(db) == 2, "this run's results are in a new cache for the next run"


def stdout_closed_quiet_scan(tmp_path: Path) -> None:
    out = tmp_path / "inv.json"
    ran = subprocess.run(
        [sys.executable, "-m", "ospo", "scan", str(_tree(tmp_path)), "-q", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
        check=False,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stderr
    assert [f["path"] for f in json.loads(out.read_text(encoding="utf-8"))["files"]] == ["a.py"]


CATALOGUE: tuple[Fault, ...] = (
    Fault(
        name="sigterm-scan-workers",
        contract="SIGTERM ends a scan as Ctrl-C does: exit 3, no output written, what was "
        "computed stays in the cache, and no ScanCode worker outlives ospo",
        check=sigterm_during_a_scan_with_workers,
    ),
    Fault(
        name="sigkill-scan-workers",
        contract="SIGKILL (the OOM killer) cannot be handled, yet no ScanCode worker outlives "
        "ospo: each ends with its parent",
        check=sigkill_during_a_scan_with_workers,
    ),
    Fault(
        name="sigterm-check",
        contract="SIGTERM during a check: exit 3 and a message, never a verdict, never a traceback",
        check=sigterm_during_a_check,
    ),
    Fault(
        name="output-dev-null",
        contract="-o /dev/null writes into the device, never replaces it (even as root): exit 0",
        check=output_to_dev_null,
    ),
    Fault(
        name="scan-outputs-dev-null",
        contract="scan's -o and --cyclonedx to /dev/null write into the device: exit 0",
        check=scan_outputs_to_dev_null,
    ),
    Fault(
        name="output-dev-full",
        contract="-o /dev/full: the write error is reported with the path, exit 3",
        check=output_to_dev_full,
    ),
    Fault(
        name="output-fifo",
        contract="-o FIFO: the report goes through the FIFO, which stays a FIFO",
        check=output_to_a_fifo,
    ),
    Fault(
        name="output-fifo-reader-gone",
        contract="-o FIFO whose reader leaves early: a broken pipe is reported, exit 3",
        check=output_to_a_fifo_whose_reader_left,
    ),
    Fault(
        name="output-dev-stdout",
        contract="-o /dev/stdout writes to standard output; the link stays a link",
        check=output_to_stdout_by_its_name,
    ),
    Fault(
        name="output-dev-stdout-appended",
        contract="-o /dev/stdout with stdout appended to a file (>>): the file keeps what it "
        "held and gets the report after it",
        check=output_to_stdout_redirected_to_a_file,
    ),
    Fault(
        name="output-full-disk",
        contract="-o FILE on a full disk: the error is reported, exit 3, the old file is kept "
        "whole and no temporary file is left",
        check=output_to_a_full_disk,
    ),
    Fault(
        name="unbuffered-reader-gone",
        contract="PYTHONUNBUFFERED=1 and the reader leaves after one line (| head -1): the "
        "cut report is never a verdict, exit 3",
        check=unbuffered_reader_leaves,
    ),
    Fault(
        name="buffered-reader-gone",
        contract="the reader leaves after one line (| head -1): exit 3",
        check=buffered_reader_leaves,
    ),
    Fault(
        name="stdout-closed",
        contract="standard output closed (>&-): the verdict cannot be read, exit 3, no traceback",
        check=stdout_closed,
    ),
    Fault(
        name="stdout-closed-quiet",
        contract="standard output closed and nothing to say there (scan -q -o FILE): exit 0, "
        "the file complete",
        check=stdout_closed_quiet_scan,
    ),
    Fault(
        name="concurrent-decide",
        contract="several `ospo decide` at once on one waivers file: every decision is kept, "
        "each run reports its own number",
        check=concurrent_decisions,
    ),
    Fault(
        name="lock-held-too-long",
        contract="a file locked by another process past the wait: a clear error (exit 3), "
        "never a wait without end; free again once the holder is gone",
        check=lock_held_too_long,
    ),
    Fault(
        name="cache-full-disk",
        contract="a full disk while the cache opens: the scan runs without it and says so, "
        "the valid cache is kept whole and is used again once there is room",
        check=cache_on_a_full_disk,
    ),
    Fault(
        name="cache-damaged-twice",
        contract="a damaged cache is moved aside under a name of its own: a second one never "
        "overwrites the first",
        check=cache_damaged_twice,
    ),
    Fault(
        name="cache-damaged-mid-run",
        contract="damage found in the middle of a scan: the cache is moved aside and a new one "
        "keeps this run's results for the next",
        check=cache_damaged_mid_run,
    ),
)


@pytest.mark.parametrize("fault", CATALOGUE, ids=lambda fault: fault.name)
def test_fault(fault: Fault, tmp_path: Path) -> None:
    fault.check(tmp_path)


def test_every_fault_states_its_contract() -> None:
    names = [fault.name for fault in CATALOGUE]
    assert len(names) == len(set(names))
    for fault in CATALOGUE:
        assert fault.contract.strip(), fault.name
