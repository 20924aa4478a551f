# SPDX-License-Identifier: Apache-2.0
"""The tree's own workspaces: the directories its root manifests name as members.

npm and Yarn (``workspaces`` in package.json), pnpm (``packages`` in pnpm-workspace.yaml)
and Cargo (``[workspace] members``, less ``exclude``) let one repository hold several
packages of the product. A member is first-party code: not vendored third-party code even
with a license file of its own, and its manifest is covered by the root's lock file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path


class Workspace:
    """The member patterns of the root manifests of one tree."""

    def __init__(self, patterns: list[str], excluded: list[str]) -> None:
        self._patterns = [_glob(p) for p in patterns if not p.startswith("!")]
        self._excluded = [_glob(p.removeprefix("!")) for p in excluded]
        self._excluded += [_glob(p[1:]) for p in patterns if p.startswith("!")]

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def holds(self, directory: str) -> bool:
        """Whether the directory (relative to the root) is a member."""
        return any(fnmatchcase(directory, g) for g in self._patterns) and not any(
            fnmatchcase(directory, g) for g in self._excluded
        )


#: The root manifests that can name workspace members.
_MANIFESTS = ("package.json", "pnpm-workspace.yaml", "Cargo.toml")


def workspace(root: Path) -> Workspace:
    """Read the root's package.json, pnpm-workspace.yaml and Cargo.toml for members; a
    file that cannot be read names none.

    Every package.json of a tree asks; the manifests are read again only when one of them
    changed (by its size and modification time)."""
    stamp = []
    for name in _MANIFESTS:
        try:
            st = (root / name).stat()
        except OSError:
            continue
        stamp.append((name, st.st_size, st.st_mtime_ns))
    return _workspace(root, tuple(stamp))


@lru_cache(maxsize=8)
def _workspace(root: Path, stamp: tuple[tuple[str, int, int], ...]) -> Workspace:
    del stamp  # the cache key: the manifests as they are now
    patterns: list[str] = []
    excluded: list[str] = []
    manifest = _read(root / "package.json", json.loads)
    found = manifest.get("workspaces") if isinstance(manifest, dict) else None
    if isinstance(found, dict):
        found = found.get("packages")
    patterns += _strings(found)
    if (root / "pnpm-workspace.yaml").is_file():
        import yaml

        from ospo.inputs import load_yaml_text

        path = root / "pnpm-workspace.yaml"
        pnpm = _read(path, lambda text: load_yaml_text(text, str(path), yaml.SafeLoader))
        patterns += _strings(pnpm.get("packages") if isinstance(pnpm, dict) else None)
    if (root / "Cargo.toml").is_file():
        import tomllib

        cargo = _read(root / "Cargo.toml", tomllib.loads)
        members = cargo.get("workspace") if isinstance(cargo, dict) else None
        if isinstance(members, dict):
            patterns += _strings(members.get("members"))
            excluded += _strings(members.get("exclude"))
    return Workspace(patterns, excluded)


def workspace_members(root: Path, files: tuple[str, ...]) -> frozenset[str]:
    """The member directories among the directories of ``files`` (relative paths)."""
    found = workspace(root)
    if not found:
        return frozenset()
    directories: set[str] = set()
    for rel in files:
        parts = rel.split("/")[:-1]
        directories.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(d for d in directories if found.holds(d))


def _glob(pattern: str) -> str:
    # "./packages/*", "packages/**", "crates/*/" -> a shell pattern over the relative path
    return pattern.removeprefix("./").rstrip("/").replace("**", "*")


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _read(path: Path, parse: Callable[[str], object]) -> object:
    from ospo.inputs import read_input_text

    try:
        # a named pipe called package.json would be waited on for ever
        return parse(read_input_text(path, "manifest", regular_only=True))
    except Exception:  # a manifest that cannot be read names no member; its scanner reports it
        return None
