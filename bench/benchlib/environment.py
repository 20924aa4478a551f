# SPDX-License-Identifier: Apache-2.0
"""Describe the machine and the software a benchmark ran on."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchlib import BenchError

_VERSIONS = (
    "import importlib.metadata as m, json, platform; "
    "print(json.dumps({'python': platform.python_version(), "
    "'scancode': m.version('scancode-toolkit'), 'ospo': m.version('ospo')}))"
)

_PYTHON_SETTINGS = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONOPTIMIZE")


@dataclass(frozen=True, slots=True, kw_only=True)
class Environment:
    """Machine and software."""

    cpu_model: str
    cores: int
    ram_gib: float
    kernel: str
    python: str
    scancode: str
    ospo: str
    revision: str  # git commit of the repository, or why there is none
    source_digest: str  # sha256 over ospo's source files, to tell revisions apart
    python_settings: tuple[str, ...]  # environment variables that change how Python runs


def describe(root: Path, python: Path) -> Environment:
    """Describe this machine and the virtualenv whose interpreter is ``python``."""
    try:
        done = subprocess.run([str(python), "-c", _VERSIONS], capture_output=True, text=True)
    except OSError as exc:
        raise BenchError(f"cannot run {python}: {exc}") from None
    if done.returncode != 0:
        raise BenchError(
            f"{python} cannot report the versions of ospo and scancode-toolkit "
            f"(is the virtualenv installed? `make install`): {done.stderr.strip()[-300:]}"
        )
    versions = json.loads(done.stdout)
    return Environment(
        cpu_model=_cpu_model(),
        cores=os.cpu_count() or 1,
        ram_gib=_ram_gib(),
        kernel=f"{platform.system()} {platform.release()}",
        python=versions["python"],
        scancode=versions["scancode"],
        ospo=versions["ospo"],
        revision=_revision(root),
        source_digest=source_digest(root),
        python_settings=tuple(
            f"{name}={os.environ[name]}" for name in _PYTHON_SETTINGS if os.environ.get(name)
        ),
    )


def loadavg() -> str:
    """Return the three load averages from ``/proc/loadavg``."""
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                name, _, value = line.partition(":")
                if name.strip() == "model name":
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / (1 << 20)
    except (OSError, ValueError):
        pass
    return 0.0


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except OSError:
        return None


def _revision(root: Path) -> str:
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if head is None:
        return "unknown (git is not installed)"
    if head.returncode != 0:
        return "no commit yet (working tree)"
    status = _git(root, "status", "--porcelain", "--", "ospo")
    dirty = status is not None and bool(status.stdout.strip())
    return head.stdout.strip()[:12] + (" with uncommitted changes in ospo/" if dirty else "")


def revision(root: Path) -> str:
    """Return the git revision of the repository at ``root``, or why there is none."""
    return _revision(root)


def source_digest(root: Path) -> str:
    """Return a short sha256 over ospo's source files (``root/ospo``)."""
    package = root / "ospo"
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
