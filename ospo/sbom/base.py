# SPDX-License-Identifier: Apache-2.0
"""The SBOM reader interface: one SBOM file's content in, an inventory out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from ospo.errors import InputError
from ospo.inputs import parse_json
from ospo.model import Inventory


class SbomInput:
    """An SBOM file, read once: its text and, parsed at most once, its JSON form."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        #: The text without a byte order mark and leading white space.
        self.head = text.lstrip("\ufeff \t\r\n")
        self._parsed = False
        self._data: Any = None
        self._error: InputError | None = None

    def json(self) -> Any:
        """The parsed JSON value; raise :class:`InputError` (with the line) if it is not JSON
        or nests too deeply."""
        if not self._parsed:
            self._parsed = True
            try:
                self._data = parse_json(self.text, str(self.path))
            except InputError as exc:
                self._error = exc
        if self._error is not None:
            raise self._error
        return self._data

    def json_object(self) -> dict[str, Any] | None:
        """The JSON object of the file; None if it is not JSON or not an object."""
        if not self.head.startswith("{"):
            return None
        try:
            data = self.json()
        except InputError:
            return None
        return data if isinstance(data, dict) else None


class SbomReader(ABC):
    """Reads one SBOM format, told from the content (never from the file name)."""

    name: ClassVar[str]
    #: The format, for messages ("CycloneDX JSON").
    title: ClassVar[str]

    @abstractmethod
    def sniff(self, source: SbomInput) -> bool:
        """Whether ``source`` is in this reader's format (it may still be invalid)."""

    @abstractmethod
    def read(self, source: SbomInput) -> Inventory:
        """Validate ``source`` and return its inventory; raise :class:`InputError` naming
        the file and the place if it is not valid."""
