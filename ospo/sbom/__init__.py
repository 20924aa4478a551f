# SPDX-License-Identifier: Apache-2.0
"""SBOMs in and out: CycloneDX and SPDX, read into an inventory and written from one.

:func:`load_sbom` reads an SBOM made by any tool: it reads the file once and asks each
reader of :data:`READERS` in turn whether the content is in its format. The writers are
reporters (``ospo.reporters.REPORTERS``: ``cyclonedx``, ``cyclonedx-xml``, ``spdx``).

Each format has its package here, its reader and writer side by side (``cyclonedx/``,
``spdx2/``, ``spdx3/``); what readers and writers share (the names ospo gives its own data in an
SBOM, the serial number and time of an export) is in ``common``; the reader interface in
``base``.

Adding a format to read is one module with an :class:`~ospo.sbom.base.SbomReader`
(``sniff`` tells the format from the content and must claim no other reader's format;
``read`` validates and returns the inventory), one line in :data:`READERS` and a real
document of the format in ``tests/test_sbom_readers.py``'s ``SAMPLES`` (SPDX 3's reader
tells its JSON-LD by the ``@context``; SPDX 2 JSON has ``spdxVersion`` at the top). A
version to write goes into
:data:`CYCLONEDX_VERSIONS` or :data:`SPDX_VERSIONS` (``ospo.sbom.common``) and, for SPDX,
gets its writer in ``ospo.api.write_outputs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ospo.errors import InputError
from ospo.inputs import read_input_text
from ospo.model import Inventory
from ospo.registry import LazyRegistry
from ospo.sbom.base import SbomInput, SbomReader
from ospo.sbom.common import CYCLONEDX_VERSIONS, SPDX_VERSIONS

#: Every SBOM reader, by name, in the order they are asked.
READERS: Mapping[str, type[SbomReader]] = LazyRegistry[SbomReader](
    {
        "cyclonedx-json": "ospo.sbom.cyclonedx.reader:CycloneDxJsonReader",
        "cyclonedx-xml": "ospo.sbom.cyclonedx.xml:CycloneDxXmlReader",
        "spdx2-json": "ospo.sbom.spdx2.reader:Spdx2JsonReader",
        "spdx2-tagvalue": "ospo.sbom.spdx2.reader:Spdx2TagValueReader",
        "spdx3-json": "ospo.sbom.spdx3.reader:Spdx3JsonReader",
    }
)


def load_sbom(path: Path) -> Inventory:
    """Read the SBOM at ``path``; raise :class:`InputError` if it is not a valid one.

    The format is told from the content, not the file name.
    """
    source = SbomInput(path, read_input_text(path, "SBOM file"))
    readers = [reader_type() for reader_type in READERS.values()]
    for reader in readers:
        if reader.sniff(source):
            return reader.read(source)
    formats = ", ".join(r.title for r in readers)
    if not source.head.startswith(("{", "[", '"')) and not source.head[:1].isdigit():
        # neither JSON nor XML nor tag-value: SPDX's YAML or RDF, or no SBOM at all; a JSON
        # parser's "Expecting value" would not say so
        raise InputError(f"not an SBOM in a format ospo reads ({formats})", path=str(path))
    data = source.json()  # not JSON: says so, with the line
    if not isinstance(data, dict):
        raise InputError("not an SBOM (a JSON object was expected)", path=str(path))
    if "schema_version" in data and "files" in data:
        raise InputError("this is an ospo inventory: use --inventory", path=str(path))
    raise InputError(f"not an SBOM in a format ospo reads ({formats})", path=str(path))


__all__ = [
    "CYCLONEDX_VERSIONS",
    "READERS",
    "SPDX_VERSIONS",
    "SbomInput",
    "SbomReader",
    "load_sbom",
]
