# SPDX-License-Identifier: Apache-2.0
"""SBOMs in and out: CycloneDX and SPDX, read into an inventory and written from one.

:func:`load_sbom` reads an SBOM made by any tool; the writers are reporters
(``ospo.reporters.REPORTERS``). Each format has its package here, with its reader and
writer side by side; what they share is in ``ospo.sbom.common``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ospo.errors import InputError
from ospo.inputs import read_input_text
from ospo.model import Inventory


def load_sbom(path: Path) -> Inventory:
    """Read the SBOM at ``path``; raise :class:`InputError` if it is not a valid one.

    The format is told from the content, not the file name: CycloneDX JSON or XML, SPDX
    JSON or tag-value.
    """
    text = read_input_text(path, "SBOM file")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<"):
        from ospo.sbom.cyclonedx.xml import load_cyclonedx_xml

        return load_cyclonedx_xml(text, path)
    if stripped.startswith(("SPDXVersion:", "#")) or "\nSPDXVersion:" in text[:4096]:
        from ospo.sbom.spdx2.reader import load_spdx_tagvalue

        return load_spdx_tagvalue(text, path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", path=str(path), line=exc.lineno) from None
    if not isinstance(data, dict):
        raise InputError("not an SBOM (a JSON object was expected)", path=str(path))
    if data.get("bomFormat") == "CycloneDX":
        from ospo.sbom.cyclonedx.reader import cyclonedx_inventory

        return cyclonedx_inventory(data, path)
    if "spdxVersion" in data:
        from ospo.sbom.spdx2.reader import load_spdx_json

        return load_spdx_json(data, text, path)
    if "schema_version" in data and "files" in data:
        raise InputError("this is an ospo inventory: use --inventory", path=str(path))
    raise InputError(
        "not an SBOM: neither CycloneDX (bomFormat) nor SPDX (spdxVersion)", path=str(path)
    )
