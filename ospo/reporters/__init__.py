# SPDX-License-Identifier: Apache-2.0
"""Reporters: one module per output format, one registry (:data:`REPORTERS`).

A reporter's module is imported when the reporter is asked for: writing the inventory
does not import the CycloneDX library, a scan that writes nothing imports no reporter.
"""

from __future__ import annotations

from collections.abc import Mapping

from ospo.registry import LazyRegistry
from ospo.reporters.base import RenderOptions, Reporter

#: Every reporter, by name.
REPORTERS: Mapping[str, type[Reporter]] = LazyRegistry[Reporter](
    {
        "inventory": "ospo.reporters.inventory:InventoryJsonReporter",
        "cyclonedx": "ospo.sbom.cyclonedx.writer:CycloneDxJsonReporter",
        "cyclonedx-xml": "ospo.sbom.cyclonedx.writer:CycloneDxXmlReporter",
        "spdx": "ospo.sbom.spdx2.writer:SpdxJsonReporter",
        "spdx3": "ospo.sbom.spdx3.writer:Spdx3JsonReporter",
        "summary": "ospo.reporters.summary:ScanSummaryReporter",
        "check-text": "ospo.reporters.check:CheckTextReporter",
        "check-json": "ospo.reporters.check:CheckJsonReporter",
        "sarif": "ospo.reporters.sarif:SarifReporter",
        "junit": "ospo.reporters.check:JunitReporter",
        "markdown": "ospo.reporters.check:MarkdownReporter",
        "codequality": "ospo.reporters.codequality:CodeQualityReporter",
    }
)

#: ``ospo check --format`` names, to reporter names.
CHECK_FORMATS = {
    "text": "check-text",
    "json": "check-json",
    "sarif": "sarif",
    "junit": "junit",
    "markdown": "markdown",
    "codequality": "codequality",
}

__all__ = ["CHECK_FORMATS", "REPORTERS", "RenderOptions", "Reporter"]
