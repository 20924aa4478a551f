# SPDX-License-Identifier: Apache-2.0
"""Every registered scanner and reporter works on a real tree."""

from __future__ import annotations

from pathlib import Path

from ospo.api import ScanSettings, scan_tree
from ospo.reporters import REPORTERS, RenderOptions
from ospo.scanners import SCANNERS
from ospo.scanners.base import ScanRequest


def test_every_scanner_contributes(vendored_app: Path) -> None:
    assert SCANNERS
    for name, scanner_type in SCANNERS.items():
        contribution = scanner_type().scan(ScanRequest(root=vendored_app))
        assert contribution.files or contribution.components, name
        assert scanner_type.name == name


def test_every_reporter_renders(vendored_app: Path) -> None:
    inventory = scan_tree(vendored_app, ScanSettings()).inventory
    assert set(REPORTERS) == {"inventory", "cyclonedx", "summary"}
    for name, reporter_type in REPORTERS.items():
        text = reporter_type().render(inventory, RenderOptions())
        assert text.endswith("\n"), name
        assert "is-number" in text, name
