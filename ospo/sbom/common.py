# SPDX-License-Identifier: Apache-2.0
"""What ospo's SBOM readers and writers share.

The names ospo gives its own data in an SBOM are written by a writer and read back by a
reader of the same format: each is defined here once, so that the two sides cannot drift
apart. Also here: a package's name beside its namespace (CycloneDX ``group``) and back,
the serial number and time an export derives from the inventory (every writer uses the
same), and license evidence read from an SBOM, checked as every other input's is.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ospo import licensing
from ospo.model import Inventory, LicenseEvidence, LicenseSource

if TYPE_CHECKING:  # uuid imports platform: a cost for every import, needed by writers only
    from uuid import UUID

    from ospo.reporters.base import RenderOptions

#: The CycloneDX versions ospo reads (JSON and XML) and writes.
CYCLONEDX_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
#: The SPDX versions ospo writes (it reads SPDX 2.2 and 2.3).
SPDX_VERSIONS = ("2.3", "3.0")

# --- CycloneDX properties (``properties[].name``) ---------------------------------------

#: The product's commit (on ``metadata.component``).
VCS_REVISION = "ospo:vcs_revision"
#: Where vendored code lives in the product's tree.
VENDORED_PATH = "ospo:vendored_path"
#: Why a component's license is unknown.
UNKNOWN_LICENSE_REASON = "ospo:unknown_license_reason"
#: On a file component: the purl of the vendored component the file belongs to.
FILE_PACKAGE = "ospo:package"
#: A scope CycloneDX's ``scope`` cannot tell apart (``test``: ``excluded`` is read as dev).
SCOPE = "ospo:scope"
#: A declared license that a conclusion stands in front of in ``licenses`` (CycloneDX
#: writers hold one expression there); one property per declaration.
DECLARED_LICENSE = "ospo:declared_license"
#: A Go module's hash as go.sum records it (``h1:`` and base64): a SHA-256 over Go's listing
#: of the module's files and their SHA-256s, not of any file, so not among ``hashes``.
GO_MODULE_HASH = "ospo:go_module_hash"
#: Whether the product refers to the component by fixed content (``true``) or by a tag or
#: branch that can move (``false``): GitHub Actions, container images.
PINNED = "ospo:pinned"

#: How ospo's CycloneDX says, in an evidence occurrence, which license was found there.
DETECTED_CONTEXT = "detected license: "
#: The location of detected evidence read from an SBOM that does not say in which file
#: each license was found (not a file: no occurrence is written for it).
SBOM_EVIDENCE = "sbom evidence"

# --- SPDX 2 ------------------------------------------------------------------------------

#: ``sourceInfo`` of a vendored package, followed by its path.
VENDORED_SOURCE_INFO = "vendored into the product at "
#: The product package's ``comment``, followed by the commit scanned.
VCS_REVISION_COMMENT = "VCS revision: "
#: A line of a package's ``licenseComments``, followed by why its license is unknown.
UNKNOWN_LICENSE_COMMENT = "License unknown: "
#: A line of a package's ``comment`` (SPDX 2 and 3), followed by its go.sum ``h1:`` hash. SPDX
#: checksums are of a file; this one is not, and the line says what it is of.
GO_MODULE_HASH_COMMENT = (
    "Go module hash from go.sum (a SHA-256 over Go's listing of the module's files and "
    "their SHA-256s, not of a file): "
)

# --- helpers ------------------------------------------------------------------------------

#: How an inventory joins a package's namespace (CycloneDX ``group``) to its name, by purl
#: type: ``org.example:core`` for Maven, ``@acme/tiny``, ``github.com/x/y`` otherwise.
_NAME_SEPARATORS = {"maven": ":"}


def short_name(name: str, group: str | None) -> str:
    """The name without its namespace: what CycloneDX puts beside ``group``."""
    if group:
        for separator in ("/", ":"):
            if name.startswith(f"{group}{separator}"):
                return name[len(group) + len(separator) :]
    return name


def qualified_name(name: str, group: str | None, purl: str) -> str:
    """The name as an inventory has it: with its namespace (``group``), unless it has it."""
    if not group or short_name(name, group) != name:
        return name
    kind = purl.removeprefix("pkg:").split("/", 1)[0].lower()
    return f"{group}{_NAME_SEPARATORS.get(kind, '/')}{name}"


#: The namespace of the serial numbers ospo derives (a UUID 5 namespace).
_SERIAL_NAMESPACE = "6f7370ef-0000-4000-8000-6379636c6f6e"


def serial_number(inventory: Inventory) -> UUID:
    """Derive an export's serial number from what the inventory says (not from how fast
    the scan was): the same inventory, the same number."""
    import json
    import uuid

    from ospo import inventory_json

    data = inventory_json.to_json_dict(inventory)
    data["scan"].pop("stats", None)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return uuid.uuid5(uuid.UUID(_SERIAL_NAMESPACE), digest)


def created(inventory: Inventory, options: RenderOptions) -> datetime:
    """The time an export states: the pinned one, else the scan's, else now."""
    if options.timestamp is not None:
        return options.timestamp
    if inventory.scan.timestamp:  # ospo writes ...Z; an imported SBOM may carry an offset
        stamp = datetime.fromisoformat(inventory.scan.timestamp)
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return datetime.now(UTC)


def checked_evidence(expression: str, source: LicenseSource, location: str) -> LicenseEvidence:
    """License evidence of ``expression`` as an SBOM states it: normalised when it is a
    valid SPDX expression, kept as written and marked invalid (with the reason) otherwise."""
    checked = licensing.check(expression)
    return LicenseEvidence(
        expression=checked.normalized or expression,
        source=source,
        location=location,
        valid=checked.valid,
        note=None if checked.valid else "; ".join(checked.errors),
    )


def without_purl_note(names: list[str]) -> str:
    """The scan issue's words for packages an SBOM lists without a purl: how many, and the
    first ten names. Such packages are passed through, never silently."""
    return (
        f"{len(names)} package(s) without a purl are not components: "
        + ", ".join(names[:10])
        + (" …" if len(names) > 10 else "")
    )


def purl_problem(purl: str) -> str | None:
    """Why ``purl`` from an SBOM being read is not a package URL, or None if it is one.
    Readers refuse such a component: what is read in is written out again, and every
    SBOM and inventory ospo writes holds valid purls."""
    from packageurl import PackageURL

    try:
        PackageURL.from_string(purl)
    except ValueError as exc:
        return str(exc)
    return None
