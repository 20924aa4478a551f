# SPDX-License-Identifier: Apache-2.0
"""The reporter interface: the whole inventory in, one document out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from ospo.model import Inventory

if TYPE_CHECKING:  # uuid imports platform: a cost for every report, needed by few
    from uuid import UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderOptions:
    """Values a reproducible build or a test pins; None means derive them."""

    timestamp: datetime | None = None
    serial_number: UUID | None = None


class Reporter(ABC):
    """Renders an inventory as one document."""

    name: ClassVar[str]
    #: What the document is, for messages ("CycloneDX 1.6 JSON SBOM").
    title: ClassVar[str]

    @abstractmethod
    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the document's text."""
