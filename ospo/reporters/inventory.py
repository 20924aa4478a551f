# SPDX-License-Identifier: Apache-2.0
"""The inventory document itself (``ospo scan -o``), the hand-off between CI steps."""

from __future__ import annotations

from ospo import inventory_json
from ospo.model import Inventory
from ospo.reporters.base import RenderOptions, Reporter


class InventoryJsonReporter(Reporter):
    """The inventory as schema-versioned, sorted JSON."""

    name = "inventory"
    title = "inventory JSON"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the inventory's JSON text."""
        return inventory_json.dumps(inventory)
