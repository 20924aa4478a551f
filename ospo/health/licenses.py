# SPDX-License-Identifier: Apache-2.0
"""What a repository's own license files said at each release tag, and where it changed.

The root's ``LICENSE*``, ``LICENCE*`` and ``COPYING*`` files are read at every release tag
through one ``git cat-file --batch`` process, so a file renamed between tags
(``LICENSE`` to ``LICENSE.md``) is followed by its name pattern, not by its name. Each
distinct text is detected once with ScanCode, through the result cache the scanner uses:
a second run detects nothing.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from ospo import licensing
from ospo.health.model import LicenseChange, LicenseState, Release
from ospo.licensedb import license_table
from ospo.policy.judge import OPEN_SOURCE_CLASSES, Classifier

_PREFIXES = ("license", "licence", "copying")
_FILE_MODES = (b"100644", b"100755")


def is_root_license_file(name: str) -> bool:
    """Whether a file at the root is one the license history reads."""
    return name.lower().startswith(_PREFIXES)


class _Objects:
    """One ``git cat-file --batch`` process, asked one object at a time."""

    def __init__(self, path: Path) -> None:
        self._proc = subprocess.Popen(
            ["git", "-C", str(path), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, name: str) -> tuple[str, bytes] | None:
        """The type and content of the object ``name``; None when it is missing."""
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(name.encode("utf-8") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        if len(header) != 3:
            return None
        size = int(header[2])
        data = proc.stdout.read(size)
        proc.stdout.read(1)  # the newline after the content
        return header[1].decode("ascii"), data

    def close(self) -> None:
        """End the process."""
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._proc.wait()


def _root_license_blobs(tree: bytes) -> list[tuple[str, str]]:
    """``(name, blob id)`` of the license files in a raw tree object, by name."""
    found = []
    pos = 0
    while pos < len(tree):
        space = tree.index(b" ", pos)
        nul = tree.index(b"\0", space)
        mode = tree[pos:space]
        name = tree[space + 1 : nul].decode("utf-8", "replace")
        oid = tree[nul + 1 : nul + 21].hex()
        pos = nul + 21
        if mode in _FILE_MODES and is_root_license_file(name):
            found.append((name, oid))
    return sorted(found)


def license_history(
    path: Path,
    releases: Sequence[tuple[Release, str]],
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> tuple[tuple[LicenseState, ...], tuple[str, ...]]:
    """The license files and their detected expression at each release tag, and the
    problems met (a text ScanCode could not read)."""
    objects = _Objects(path)
    per_tag: list[tuple[Release, list[tuple[str, str]]]] = []
    contents: dict[str, bytes] = {}  # blob id -> content
    try:
        for release, obj in releases:
            tree = objects.read(f"{obj}^{{tree}}")
            if tree is None or tree[0] != "tree":
                continue
            files = _root_license_blobs(tree[1])
            for _name, oid in files:
                if oid not in contents:
                    blob = objects.read(oid)
                    contents[oid] = blob[1] if blob is not None else b""
            per_tag.append((release, files))
    finally:
        objects.close()
    expressions, issues = _detect(contents, cache_dir=cache_dir, use_cache=use_cache)
    states = tuple(
        LicenseState(
            tag=release.tag,
            date=release.date,
            files=tuple(name for name, _ in files),
            expression=licensing.combine_and(expressions.get(oid) for _, oid in files),
            undetected=tuple(name for name, oid in files if not expressions.get(oid)),
            undetected_blobs=tuple(sorted(oid for _, oid in files if not expressions.get(oid))),
        )
        for release, files in per_tag
    )
    return states, issues


def _detect(
    contents: dict[str, bytes], *, cache_dir: Path | None, use_cache: bool
) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """Detected expression per blob id, through the scanner's cached detection."""
    if not contents:
        return {}, ()
    from ospo.scanners.base import ScanRequest
    from ospo.scanners.source.detection import detect_contents

    by_sha: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="ospo-health-") as tmp:
        paths: dict[str, str] = {}
        for number, (oid, data) in enumerate(sorted(contents.items())):
            sha = hashlib.sha256(data).hexdigest()
            by_sha.setdefault(sha, []).append(oid)
            if sha not in paths:
                target = Path(tmp) / f"{number}.txt"
                target.write_bytes(data)
                paths[sha] = str(target)
        request = ScanRequest(root=Path(tmp), use_cache=use_cache, cache_dir=cache_dir)
        run = detect_contents(paths, request)
    expressions: dict[str, str | None] = {}
    for sha, oids in by_sha.items():
        record = run.records.get(sha)
        for oid in oids:
            expressions[oid] = None if record is None else record.get("license_expression")
    issues = tuple(
        f"license file {', '.join(by_sha[sha])}: {failure.message}"
        for sha, failure in sorted(run.failures.items())
    )
    return expressions, issues + tuple(run.warnings)


def license_changes(
    states: Sequence[LicenseState], classifier: Classifier
) -> tuple[LicenseChange, ...]:
    """Each release where the license files started to say something else."""
    changes = []
    for before, after in pairwise(states):
        old = _normal(before.expression)
        new = _normal(after.expression)
        # a text nobody recognises that changed is a change: it needs reading, never
        # "unchanged"
        if old == new and (
            not after.undetected or after.undetected_blobs == before.undetected_blobs
        ):
            continue
        ids = licensing.license_ids(new) if new else ()
        classes = tuple(dict.fromkeys(classifier.classify(i)[0].value for i in ids))
        categories = tuple(dict.fromkeys(license_table().category(i) for i in ids))
        changes.append(
            LicenseChange(
                tag=after.tag,
                date=after.date,
                previous_tag=before.tag,
                before=old,
                after=new,
                files_before=before.files,
                files_after=after.files,
                categories=categories,
                classes=classes,
                open_source=bool(ids)
                and not after.undetected
                and all(classifier.classify(i)[0] in OPEN_SOURCE_CLASSES for i in ids),
                needs_review=bool(after.undetected),
            )
        )
    return tuple(changes)


def _normal(expression: str | None) -> str | None:
    return licensing.normalize(expression) if expression else None
