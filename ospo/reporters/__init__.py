# SPDX-License-Identifier: Apache-2.0
"""Reporters: one module per output format, one registry (:data:`REPORTERS`)."""

from __future__ import annotations

from ospo.reporters.base import RenderOptions, Reporter
from ospo.reporters.cyclonedx import CycloneDxJsonReporter
from ospo.reporters.inventory import InventoryJsonReporter
from ospo.reporters.summary import ScanSummaryReporter

#: Every reporter, by name.
REPORTERS: dict[str, type[Reporter]] = {
    r.name: r for r in (InventoryJsonReporter, CycloneDxJsonReporter, ScanSummaryReporter)
}

__all__ = ["REPORTERS", "RenderOptions", "Reporter"]
