# SPDX-License-Identifier: Apache-2.0
"""Reporters: one module per output format, one registry (:data:`REPORTERS`)."""

from __future__ import annotations

from ospo.reporters.base import RenderOptions, Reporter
from ospo.reporters.check import (
    CheckJsonReporter,
    CheckTextReporter,
    JunitReporter,
    MarkdownReporter,
)
from ospo.reporters.cyclonedx import CycloneDxJsonReporter, CycloneDxXmlReporter
from ospo.reporters.inventory import InventoryJsonReporter
from ospo.reporters.sarif import SarifReporter
from ospo.reporters.spdx import SpdxJsonReporter
from ospo.reporters.summary import ScanSummaryReporter

#: Every reporter, by name.
REPORTERS: dict[str, type[Reporter]] = {
    r.name: r
    for r in (
        InventoryJsonReporter,
        CycloneDxJsonReporter,
        CycloneDxXmlReporter,
        SpdxJsonReporter,
        ScanSummaryReporter,
        CheckTextReporter,
        CheckJsonReporter,
        SarifReporter,
        JunitReporter,
        MarkdownReporter,
    )
}

#: ``ospo check --format`` names, to reporter names.
CHECK_FORMATS = {
    "text": "check-text",
    "json": "check-json",
    "sarif": "sarif",
    "junit": "junit",
    "markdown": "markdown",
}

__all__ = ["CHECK_FORMATS", "REPORTERS", "RenderOptions", "Reporter"]
