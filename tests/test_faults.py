# SPDX-License-Identifier: Apache-2.0
"""The catalogue of faults ospo survives: signals, full disks, devices, concurrent runs.

One row per fault, each with the contract it checks (docs/guarantees-faults.md states
them for users). Every case is a real process meeting a real fault: a signal sent with
``os.kill``, ``/dev/full`` and ``/dev/null``, a FIFO, a file size limit set with
``setrlimit`` in the child, a pipe whose reader has gone, several ``ospo`` processes at once.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
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


def sigterm_during_a_scan_with_workers(tmp_path: Path) -> None:
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
        assert proc.poll() is None, "the scan ended before it could be terminated"
        os.kill(proc.pid, signal.SIGTERM)  # what `timeout` and a CI cancellation send
        code = proc.wait(timeout=120)
        deadline = time.monotonic() + 10
        while _session_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        survivors = _session_members(proc.pid)
    finally:
        for pid in _session_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
    message = stderr_path.read_text(encoding="utf-8")
    assert survivors == [], "a ScanCode worker outlived ospo"
    assert code == 3, message
    assert "terminated" in message
    assert "Traceback" not in message
    assert not out.exists()
    assert not list(tmp_path.glob(".inv.json.*"))
    assert _cached_count(db) > 0, "what was computed before SIGTERM stays in the cache"


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


CATALOGUE: tuple[Fault, ...] = (
    Fault(
        name="sigterm-scan-workers",
        contract="SIGTERM ends a scan as Ctrl-C does: exit 3, no output written, what was "
        "computed stays in the cache, and no ScanCode worker outlives ospo",
        check=sigterm_during_a_scan_with_workers,
    ),
    Fault(
        name="sigterm-check",
        contract="SIGTERM during a check: exit 3 and a message, never a verdict, never a traceback",
        check=sigterm_during_a_check,
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
