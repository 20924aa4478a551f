# SPDX-License-Identifier: Apache-2.0
"""What the manifest and lock-file tests share: scanning a fixture, copying one, and the
check that a broken file is an issue, not an exception."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DATA
from ospo.model import Component, IssueKind, ScanIssue
from ospo.scanners.base import ScanContribution, ScanRequest
from ospo.scanners.lockfiles.base import ManifestScanner

LOCKS = DATA / "lockfiles"


def scan(scanner: ManifestScanner, root: Path) -> ScanContribution:
    return scanner.scan(ScanRequest(root=root))


def by_purl(contribution: ScanContribution) -> dict[str, Component]:
    return {c.purl: c for c in contribution.components}


def copy_project(name: str, dest: Path, *files: str) -> Path:
    """Copy ``files`` of the fixture ``LOCKS/name`` to ``dest/name``."""
    project = dest / name
    project.mkdir(parents=True)
    for file in files:
        shutil.copyfile(LOCKS / name / file, project / file)
    return project


def broken_file_issue(
    tmp_path: Path, scanner: ManifestScanner, name: str, content: str, expected: str
) -> ScanIssue:
    """Scan a directory holding only ``name`` with ``content``: no component, one
    ``manifest`` issue naming the file and saying ``expected``. Returns the issue."""
    (tmp_path / name).write_text(content, encoding="utf-8")
    contribution = scan(scanner, tmp_path)
    assert contribution.components == ()
    (issue,) = contribution.issues
    assert issue.kind is IssueKind.MANIFEST
    assert issue.path == name
    assert expected in issue.message
    return issue
