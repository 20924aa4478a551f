# SPDX-License-Identifier: Apache-2.0
"""SBOMs made by other tools (``ospo scan --import-sbom FILE``), read into the inventory.

Their components join the others and are merged with what the lock files and installed
environments say about the same packages; an SBOM that is not valid stops the scan with
exit code 2 and says what is wrong and where (``ospo.sbom``).
"""

from __future__ import annotations

from ospo.model import Component, Tool
from ospo.scanners.base import ScanContribution, Scanner, ScanRequest


class ImportedSbomScanner(Scanner):
    """Components of CycloneDX SBOMs given with ``--import-sbom``."""

    name = "imported-sbom"

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Read every SBOM of ``request.import_sboms``."""
        from ospo.sbom import load_sbom

        components: list[Component] = []
        tools: list[Tool] = []
        for path in request.import_sboms:
            imported = load_sbom(path)
            components.extend(imported.components)
            tools.extend(imported.scan.tools)
        return ScanContribution(components=tuple(components), tools=tuple(tools))
