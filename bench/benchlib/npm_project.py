# SPDX-License-Identifier: Apache-2.0
"""The npm project of ``bench/npm.py`` and the peer tool, installed with npm under bench/work.

The project is ``bench/npm-project`` (a ``package.json`` and the ``package-lock.json`` npm
wrote for it, both committed). It is copied to ``bench/work/npm/project`` and installed
there with ``npm ci --no-audit --no-fund --ignore-scripts``; a stamp next to it records the
sha256 of the lock file it was installed from, so a rerun reuses the installation while
the lock file is the same. The peer, ``@cyclonedx/cyclonedx-npm`` at a pinned version, is
installed with npm into a directory of its own (``bench/work/npm/cyclonedx-npm``), without
its optional dependencies (only its XML validation needs them, and they build libxml2).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchlib import BenchError

PEER_PACKAGE = "@cyclonedx/cyclonedx-npm"
PEER_VERSION = "6.0.1"
NPM_CI = ("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
PEER_INSTALL = (
    "npm",
    "install",
    "--no-audit",
    "--no-fund",
    "--ignore-scripts",
    "--omit=optional",
    "--save-exact",
    f"{PEER_PACKAGE}@{PEER_VERSION}",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class NpmProject:
    """The installed project and peer."""

    project: Path  # holds package.json, package-lock.json and node_modules
    peer: Path  # the cyclonedx-npm executable
    lock_sha256: str
    lock_entries: int  # installable entries of the lock file (``packages`` minus the root)
    installed_dirs: int  # package directories in node_modules, nested ones included
    node_modules_files: int  # regular files below node_modules
    node_modules_bytes: int
    node: str
    npm: str
    peer_version: str


def prepare(source: Path, work: Path) -> NpmProject:
    """Install the project of ``source`` and the peer under ``work``; reuse what is there."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} is not installed; the npm benchmark needs node and npm")
    lock = source / "package-lock.json"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    project = work / "project"
    stamp = work / "project.installed"
    if not (stamp.is_file() and stamp.read_text(encoding="ascii").strip() == digest):
        if project.exists():
            shutil.rmtree(project)
        project.mkdir(parents=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(source / name, project / name)
        print(f"npm-bench: installing the project ({' '.join(NPM_CI)})", flush=True)
        _npm(list(NPM_CI), project)
        stamp.write_text(digest + "\n", encoding="ascii")
    peer_dir = work / "cyclonedx-npm"
    peer = peer_dir / "node_modules" / ".bin" / "cyclonedx-npm"
    if _installed_version(peer_dir) != PEER_VERSION:
        if peer_dir.exists():
            shutil.rmtree(peer_dir)
        peer_dir.mkdir(parents=True)
        (peer_dir / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        print(f"npm-bench: installing the peer ({' '.join(PEER_INSTALL)})", flush=True)
        _npm(list(PEER_INSTALL), peer_dir)
    entries = json.loads(lock.read_text(encoding="utf-8"))["packages"]
    files, size = _count_files(project / "node_modules")
    return NpmProject(
        project=project,
        peer=peer,
        lock_sha256=digest,
        lock_entries=sum(1 for key in entries if key),
        installed_dirs=len(installed_package_dirs(project / "node_modules")),
        node_modules_files=files,
        node_modules_bytes=size,
        node=_version(["node", "--version"]).lstrip("v"),
        npm=_version(["npm", "--version"]),
        peer_version=_version([str(peer), "--version"]),
    )


def installed_package_dirs(node_modules: Path) -> list[str]:
    """Relative paths (``node_modules/a/node_modules/@s/b``) of every installed package."""
    found: list[str] = []
    pending = [node_modules]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            candidates = (
                [e for e in os.scandir(entry.path) if e.is_dir(follow_symlinks=False)]
                if entry.name.startswith("@")
                else [entry]
            )
            for package in candidates:
                if os.path.isfile(os.path.join(package.path, "package.json")):
                    found.append(Path(package.path).relative_to(node_modules.parent).as_posix())
                nested = os.path.join(package.path, "node_modules")
                if os.path.isdir(nested):
                    pending.append(Path(nested))
    return sorted(found)


def _installed_version(peer_dir: Path) -> str | None:
    manifest = peer_dir / "node_modules" / "@cyclonedx" / "cyclonedx-npm" / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def _npm(argv: list[str], cwd: Path) -> None:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(
            f"`{' '.join(argv)}` failed in {cwd} (exit {done.returncode}): "
            f"{done.stderr.strip()[-800:]}"
        )


def _version(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"`{' '.join(argv)}` failed: {done.stderr.strip()[-300:]}")
    return done.stdout.strip().splitlines()[-1]


def _count_files(root: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            try:
                info = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            files += 1
            size += info.st_size
    return files, size
