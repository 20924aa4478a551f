# SPDX-License-Identifier: Apache-2.0
"""The source trees the benchmark scans: pinned releases, downloaded once and reused.

Each tree is a published archive of a fixed version whose sha256 is pinned here, so every
rerun scans exactly the same bytes. Archives go to ``bench/work/downloads``, trees are
extracted (atomically: into a temporary directory, then renamed) to ``bench/work/trees``.
Next to each tree a ``.sha256`` file records the digest of its content right after
extraction (see :func:`benchlib.floor.hash_tree`); a tree that no longer matches it was
changed by hand and is refused rather than measured.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchlib import BenchError
from benchlib.floor import hash_tree


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeSpec:
    """A pinned source tree and how to fetch it."""

    key: str  # the name used with --trees
    title: str
    shape: str  # what kind of tree it is, for the report
    dirname: str  # the tree's directory name under bench/work/trees
    archive: str  # file name of the downloaded archive
    sha256: str  # of the archive
    archive_root: str  # the single top-level directory inside the archive
    fetch: tuple[str, ...]  # the download command; "{python}" and "{dest}" are filled in
    files: int  # regular files in the extracted tree
    change_path: str  # the source file the one-file-change step appends a line to
    comment: str  # how a comment line starts in that file


TREES: dict[str, TreeSpec] = {
    spec.key: spec
    for spec in (
        TreeSpec(
            key="django",
            title="Django 5.2.8 (sdist from PyPI)",
            shape="a large Python project: mostly .py, plus templates, JS, CSS and many .po",
            dirname="django-5.2.8",
            archive="django-5.2.8.tar.gz",
            sha256="23254866a5bb9a2cfa6004e8b809ec6246eba4b58a7589bc2772f1bcc8456c7f",
            archive_root="django-5.2.8",
            fetch=(
                "{python}",
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                "django==5.2.8",
                "-d",
                "{dest}",
            ),
            files=6890,
            change_path="django/utils/text.py",
            comment="#",
        ),
        TreeSpec(
            key="lodash",
            title="lodash 4.17.21 (package from the npm registry)",
            shape="a JavaScript package: ~1,000 small modules and one large bundle",
            dirname="lodash-4.17.21",
            archive="lodash-4.17.21.tgz",
            sha256="6a087ac9e5702a0c9d60fbcd48696012646ec8df1491dea472b150e79fcaf804",
            archive_root="package",
            fetch=("npm", "pack", "--silent", "lodash@4.17.21", "--pack-destination", "{dest}"),
            files=1054,
            change_path="debounce.js",
            comment="//",
        ),
    )
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Tree:
    """A tree ready to scan."""

    spec: TreeSpec
    path: Path
    archive: Path
    digest: str  # content digest recorded right after extraction
    reused: bool  # True when the tree was already extracted by an earlier run


def fetch_command(spec: TreeSpec, python: Path, dest: Path) -> list[str]:
    """Return the download command for ``spec`` with its placeholders filled in."""
    return [a.format(python=python, dest=dest) for a in spec.fetch]


def prepare(spec: TreeSpec, work: Path, python: Path) -> Tree:
    """Download (unless present) and extract (unless present) the tree of ``spec``."""
    downloads = work / "downloads"
    trees = work / "trees"
    downloads.mkdir(parents=True, exist_ok=True)
    trees.mkdir(parents=True, exist_ok=True)
    archive = downloads / spec.archive
    target = trees / spec.dirname
    stamp = trees / f"{spec.dirname}.sha256"
    if target.is_dir() and stamp.is_file():
        return Tree(
            spec=spec,
            path=target,
            archive=archive,
            digest=stamp.read_text(encoding="utf-8").strip(),
            reused=True,
        )
    if not archive.is_file():
        _download(spec, python, downloads)
    actual = _sha256(archive)
    if actual != spec.sha256:
        raise BenchError(
            f"{archive} has sha256 {actual}, expected {spec.sha256}; delete it to download again"
        )
    if target.exists():
        shutil.rmtree(target)  # an extraction without its stamp: incomplete, redo it
    _extract(spec, archive, trees, target)
    files, _size, digest = hash_tree(str(target))
    if files != spec.files:
        raise BenchError(
            f"{target} has {files} files after extraction, expected {spec.files}; "
            "delete it and the archive to start again"
        )
    stamp.write_text(digest + "\n", encoding="utf-8")
    return Tree(spec=spec, path=target, archive=archive, digest=digest, reused=False)


def _download(spec: TreeSpec, python: Path, downloads: Path) -> None:
    argv = fetch_command(spec, python, downloads)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BenchError(f"cannot run {argv[0]!r} to download {spec.title}: {exc}") from None
    if done.returncode != 0 or not (downloads / spec.archive).is_file():
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise BenchError(
            f"download of {spec.title} failed (exit {done.returncode}): {' '.join(argv)}\n{tail}"
        )


def _extract(spec: TreeSpec, archive: Path, trees: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix=f".extract-{spec.key}-", dir=trees) as tmp:
        try:
            with tarfile.open(archive) as tar:
                members = tar.getmembers()
                outside = [
                    m.name
                    for m in members
                    if m.name != spec.archive_root
                    and not m.name.startswith(spec.archive_root + "/")
                ]
                if outside:
                    raise BenchError(
                        f"{archive}: {len(outside)} member(s) outside "
                        f"{spec.archive_root}/, e.g. {outside[0]}"
                    )
                tar.extractall(tmp, members=members, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BenchError(f"cannot extract {archive}: {exc}") from None
        (Path(tmp) / spec.archive_root).rename(target)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
