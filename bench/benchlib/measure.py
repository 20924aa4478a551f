# SPDX-License-Identifier: Apache-2.0
"""Run one command and measure it: wall time, peak memory, CPU time, and the machine's load.

* Wall time is taken around the child process with ``time.perf_counter``.
* Peak RSS is the kernel's ``ru_maxrss`` for the command: the largest resident set of any
  single process in it (the command or a worker it waited for), not a sum. GNU time
  (``/usr/bin/time -v``) reports it when installed; otherwise the harness reads the same
  number from ``os.wait4`` for that child alone (``getrusage(RUSAGE_CHILDREN)`` would give
  the maximum over every child the harness ever ran).
* Because forked workers share memory with their parent, the sum of RSS over a process
  tree overstates what it uses; the harness also samples the *proportional* set size
  (PSS, from ``/proc/PID/smaps_rollup``) of the whole process tree, at most twice a second
  and no more than ~2% of a core, and keeps the peak of the sum, which counts each shared
  page once.
* Other load: the CPU time the whole machine spent (``/proc/stat``) during the command,
  minus the command's own CPU time and the harness's, is what other processes used. It is
  reported so that a number taken on a shared machine can be recognised as such.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchlib import BenchError

GNU_TIME = Path("/usr/bin/time")
_SAMPLE_SECONDS = 0.5  # the shortest interval between two PSS samples
_SAMPLE_COST_RATIO = 50  # ... and at least 50 times what the last sample took


@dataclass(frozen=True, slots=True, kw_only=True)
class Measurement:
    """What one run of a command took."""

    argv: tuple[str, ...]
    returncode: int
    wall: float  # seconds
    cpu: float  # user + system seconds of the command and its workers
    max_rss_kib: int  # largest single process
    peak_pss_kib: int | None  # sampled sum over the process tree; None if never sampled
    other_cpu: float  # core-seconds used by other processes while the command ran
    load_before: float  # 1-minute load average just before the command started


def rss_method() -> str:
    """Describe how peak RSS is measured on this machine."""
    if _gnu_time_available():
        return "`/usr/bin/time -v` (maximum resident set size)"
    return "`os.wait4` resource usage of the command (`ru_maxrss`); GNU time is not installed"


def run(
    argv: Sequence[str],
    *,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Measurement:
    """Run ``argv`` with its output in ``log`` and return the measurement."""
    log.parent.mkdir(parents=True, exist_ok=True)
    time_report = log.with_name(log.name + ".time")
    use_time = _gnu_time_available()
    full = [str(GNU_TIME), "-v", "-o", str(time_report), *argv] if use_time else list(argv)
    load = _loadavg()
    busy_before = _machine_busy()
    self_before = _self_cpu()
    with open(log, "wb") as out:
        start = time.perf_counter()
        try:
            # A session of its own, so that an interrupted run can stop the command and
            # every worker it started, and nothing else.
            proc = subprocess.Popen(
                full,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
                start_new_session=True,
            )
        except OSError as exc:
            raise BenchError(f"cannot run {argv[0]!r}: {exc}") from None
        sampler = _PssSampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        finally:
            sampler.stop()
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    other = _machine_busy() - busy_before - cpu - (_self_cpu() - self_before)
    max_rss = usage.ru_maxrss
    if use_time:
        max_rss = _parse_time_report(time_report, default=max_rss)
    return Measurement(
        argv=tuple(argv),
        returncode=proc.returncode,
        wall=wall,
        cpu=cpu,
        max_rss_kib=max_rss,
        peak_pss_kib=sampler.peak_kib,
        other_cpu=max(other, 0.0),
        load_before=load,
    )


def _gnu_time_available() -> bool:
    return GNU_TIME.is_file() and os.access(GNU_TIME, os.X_OK)


def _parse_time_report(path: Path, default: int) -> int:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return default
    for line in text.splitlines():
        name, _, value = line.strip().partition(":")
        if name == "Maximum resident set size (kbytes)":
            try:
                return int(value.strip())
            except ValueError:
                return default
    return default


def _loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def _machine_busy() -> float:
    """Return the CPU seconds all cores have spent busy since boot."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = handle.readline().split()
    except OSError:
        return 0.0
    # cpu user nice system idle iowait irq softirq steal guest guest_nice
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _PssSampler:
    """Sample the summed PSS of a process and its descendants until stopped."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_kib: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pss-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        interval = _SAMPLE_SECONDS
        while not self._stop.wait(interval):
            start = time.perf_counter()
            total = sum(_pss_kib(pid) for pid in _tree(self.root))
            if total and (self.peak_kib is None or total > self.peak_kib):
                self.peak_kib = total
            # Reading smaps_rollup of a process holding a large index costs tens of
            # milliseconds: sample less often then, so as to use at most ~2% of a core.
            interval = max(_SAMPLE_SECONDS, _SAMPLE_COST_RATIO * (time.perf_counter() - start))


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found = [root]
    for pid in found:
        found.extend(children.get(pid, ()))
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
