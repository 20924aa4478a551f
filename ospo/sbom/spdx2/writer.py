# SPDX-License-Identifier: Apache-2.0
"""SPDX 2.3 JSON SBOM from the inventory, built and written with spdx-tools, validated first.

The document DESCRIBES the product (its declared license is the outbound license). Every
component is a package with its purl, version, ``licenseDeclared`` (the declared
expressions joined with AND) and ``licenseConcluded`` (the effective license: a reviewer's
conclusion, else ospo's from declared and detected evidence), NOASSERTION when unknown. A
declaration that is not an SPDX expression cannot stand in ``licenseDeclared``: it is
NOASSERTION there and quoted in ``licenseComments``. The product DEPENDS_ON its direct
components and each component on its dependencies; an edge to a dev, test or optional
component is ``DEV_DEPENDENCY_OF``, ``TEST_DEPENDENCY_OF`` or ``OPTIONAL_DEPENDENCY_OF``
instead; vendored code says where it is in ``sourceInfo``. Every ``LicenseRef-*`` gets a
``hasExtractedLicensingInfos`` entry (ScanCode's point to its license database).

First-party files: SPDX 2.3 requires a SHA1 per file and the inventory keeps sha256. Given
the scanned tree (``root``), the reporter reads each file again, and only if every file
still has the sha256 the scan recorded does it list them all, with SHA1 and SHA256, the
licenses found in each (``licenseInfoInFiles``; NONE for a scanned file without any) and
the copyrights, in the product package (``filesAnalyzed: true`` with its verification
code). Otherwise (no tree, or the tree changed since the scan) files are left out, the
product is ``filesAnalyzed: false`` and the document comment says where file-level
evidence is: the CycloneDX export. Output is deterministic: the namespace is derived from
the inventory (or the pinned serial number) and the time is the scan's (or the pinned one).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from ospo.errors import OperationalError
from ospo.model import Component, FileEntry, Inventory, LicenseSource, Scope
from ospo.reporters.base import RenderOptions, Reporter
from ospo.sbom.common import (
    GO_MODULE_HASH_COMMENT,
    UNKNOWN_LICENSE_COMMENT,
    VCS_REVISION_COMMENT,
    VENDORED_SOURCE_INFO,
    created,
    serial_number,
)
from ospo.sbom.spdx2.validation import false_alarm

NAMESPACE = "https://spdx.org/spdxdocs/ospo"
_PRODUCT = "SPDXRef-Product"
SCANCODE_DB = "https://scancode-licensedb.aboutcode.org/{key}.html"
LICENSEREF = re.compile(r"(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+")
NOT_ID = re.compile(r"[^A-Za-z0-9.\-]+")
_NO_FILES = (
    "Files are not listed (the scanned tree was not available to compute the SHA1 SPDX "
    "requires, or it changed since the scan); the file-level license and copyright "
    "evidence is in ospo's CycloneDX export."
)
_EDGE = {
    Scope.DEV: "DEV_DEPENDENCY_OF",
    Scope.TEST: "TEST_DEPENDENCY_OF",
    Scope.OPTIONAL: "OPTIONAL_DEPENDENCY_OF",
}


class SpdxJsonReporter(Reporter):
    """SPDX 2.3, JSON."""

    name = "spdx"
    title = "SPDX 2.3 JSON SBOM"

    def __init__(self, root: Path | None = None) -> None:
        #: The scanned tree, to read files for their SHA1; None leaves files out.
        self.root = root

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the SBOM's JSON text; raise if spdx-tools does not validate it."""
        import io

        from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
        from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

        document = build_document(inventory, options, self.root)
        messages = [
            m
            for m in validate_full_spdx_document(document)
            if not false_alarm(str(m.validation_message))
        ]
        if messages:
            first = messages[0]
            raise OperationalError(
                "internal error: the SPDX document does not validate at "
                f"{first.context.spdx_id or first.context.parent_id}: "
                f"{str(first.validation_message)[:300]}"
            )
        out = io.StringIO()
        write_document_to_stream(document, out, validate=False)
        return out.getvalue() + "\n"


def build_document(inventory: Inventory, options: RenderOptions, root: Path | None) -> Any:
    """Return an ``spdx_tools.spdx.model.Document`` for the inventory."""
    from spdx_tools.spdx.model.actor import Actor, ActorType
    from spdx_tools.spdx.model.checksum import Checksum, ChecksumAlgorithm
    from spdx_tools.spdx.model.document import CreationInfo, Document
    from spdx_tools.spdx.model.package import (
        ExternalPackageRef,
        ExternalPackageRefCategory,
        Package,
        PackagePurpose,
    )
    from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    from ospo import __version__
    from ospo.licensing import combine_and

    subject = inventory.subject
    serial = options.serial_number or serial_number(inventory)
    slug = NOT_ID.sub("-", f"{subject.name}-{subject.version or 'unversioned'}").strip("-")
    creators = [Actor(ActorType.TOOL, f"ospo-{__version__}")]
    for tool in inventory.scan.tools:
        name = f"{tool.name}-{tool.version}"
        if name not in [c.name for c in creators]:
            creators.append(Actor(ActorType.TOOL, name))
    files = _files(inventory, root)
    info = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=f"{subject.name} {subject.version}" if subject.version else subject.name,
        document_namespace=f"{NAMESPACE}/{slug}-{serial}",
        creators=creators,
        created=created(inventory, options).replace(microsecond=0),
        document_comment=None if files is not None else _NO_FILES,
    )
    expressions: list[str] = []

    def expression(text: str | None) -> Any:
        if not text:
            return SpdxNoAssertion()
        expressions.append(text)
        return _parse(text)

    product = Package(
        spdx_id=_PRODUCT,
        name=subject.name,
        download_location=SpdxNoAssertion(),
        version=subject.version,
        files_analyzed=files is not None,
        license_declared=expression(subject.declared_license),
        license_concluded=SpdxNoAssertion(),
        copyright_text=SpdxNoAssertion(),
        primary_package_purpose=PackagePurpose.APPLICATION,
        comment=f"{VCS_REVISION_COMMENT}{subject.vcs_revision}" if subject.vcs_revision else None,
    )
    packages = [product]
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, _PRODUCT)]
    ids = {c.purl: package_id(c) for c in inventory.components}
    by_purl: dict[str, Any] = {}
    for comp in inventory.components:
        declared = [e for e in comp.licenses if e.source is LicenseSource.DECLARED and e.expression]
        valid = combine_and(e.expression for e in declared if e.valid)
        invalid = [e.expression for e in declared if e.expression and not e.valid]
        by_purl[comp.purl] = Package(
            spdx_id=ids[comp.purl],
            name=comp.name,
            download_location=SpdxNoAssertion(),
            version=comp.version,
            files_analyzed=False,
            license_declared=expression(valid),
            license_concluded=expression(comp.license_expression),
            license_comment=_license_comment(comp, invalid, valid),
            copyright_text=SpdxNoAssertion(),
            external_references=[
                ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", comp.purl)
            ],
            primary_package_purpose=PackagePurpose.LIBRARY,
            source_info=(
                f"{VENDORED_SOURCE_INFO}{comp.vendored_path}" if comp.vendored_path else None
            ),
            checksums=[Checksum(ChecksumAlgorithm[a.replace("-", "")], v) for a, v in comp.hashes],
            comment=(
                f"{GO_MODULE_HASH_COMMENT}{comp.go_module_hash}" if comp.go_module_hash else None
            ),
        )
        packages.append(by_purl[comp.purl])
    scopes = {c.purl: c.scope for c in inventory.components}
    for comp in inventory.components:
        if comp.direct:
            relationships.append(_edge(_PRODUCT, ids[comp.purl], comp.scope))
    for comp in inventory.components:
        for dep in sorted(comp.dependencies):
            if dep in scopes and dep != comp.purl:
                relationships.append(_edge(ids[comp.purl], ids[dep], scopes[dep]))
    spdx_files = []
    if files is not None:
        spdx_files = [_file(entry, sha1, expression) for entry, sha1 in files]
        # the product holds every file; vendored code the files of its directory too
        holders = [(_PRODUCT, product, list(range(len(files))))]
        vendored: dict[str, list[int]] = {}
        for number, (entry, _) in enumerate(files):
            if entry.package in by_purl:
                vendored.setdefault(entry.package, []).append(number)
        holders.extend((ids[purl], by_purl[purl], held) for purl, held in vendored.items())
        for spdx_id, package, held in holders:
            _analysed(package, [files[n] for n in held])
            relationships.extend(
                Relationship(spdx_id, RelationshipType.CONTAINS, spdx_files[n].spdx_id)
                for n in held
            )
    return Document(
        creation_info=info,
        packages=packages,
        files=spdx_files,
        relationships=relationships,
        extracted_licensing_info=_extracted(expressions),
    )


def _license_comment(comp: Component, invalid: list[str], valid: str | None) -> str | None:
    """What ``licenseDeclared`` and ``licenseConcluded`` cannot say: a declaration that is
    not SPDX (when none is), and why the license is unknown."""
    lines = []
    if invalid and valid is None:
        lines.append("Declared as " + ", ".join(repr(i) for i in invalid) + ": not SPDX.")
    if comp.unknown_reason:
        lines.append(f"{UNKNOWN_LICENSE_COMMENT}{comp.unknown_reason}")
    return "\n".join(lines) or None


def _analysed(package: Any, files: list[tuple[FileEntry, str]]) -> None:
    """Make ``package`` one whose ``files`` are listed: their verification code and the
    licenses found in them (``licenseInfoFromFiles``, NONE if none was)."""
    from spdx_tools.spdx.model.package import PackageVerificationCode

    sha1s = "".join(sorted(sha1 for _, sha1 in files)).encode("ascii")
    package.files_analyzed = True
    package.verification_code = PackageVerificationCode(
        hashlib.sha1(sha1s, usedforsecurity=False).hexdigest()
    )
    found = sorted({e.effective_license for e, _ in files if e.effective_license})
    package.license_info_from_files = [_parse(e) for e in found] or [_none()]


def _parse(expression: str) -> Any:
    from ospo.licensing import spdx_licensing

    return spdx_licensing().parse(expression)


def _none() -> Any:
    from spdx_tools.spdx.model.spdx_none import SpdxNone

    return SpdxNone()


def package_id(comp: Component) -> str:
    digest = hashlib.sha256(comp.purl.encode("utf-8")).hexdigest()[:12]
    return f"SPDXRef-Package-{NOT_ID.sub('-', comp.name).strip('-')}-{digest}"


def _edge(parent: str, child: str, scope: Scope) -> Any:
    from spdx_tools.spdx.model.relationship import Relationship, RelationshipType

    if scope in _EDGE:
        return Relationship(child, RelationshipType[_EDGE[scope]], parent)
    return Relationship(parent, RelationshipType.DEPENDS_ON, child)


def _files(inventory: Inventory, root: Path | None) -> list[tuple[FileEntry, str]] | None:
    """Each file with its SHA1, if the tree still holds every file as scanned; else None."""
    if root is None or not inventory.files or not root.is_dir():
        return None
    out = []
    for entry in sorted(inventory.files, key=lambda f: f.path):
        try:
            data = (root / entry.path).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            return None
        out.append((entry, hashlib.sha1(data, usedforsecurity=False).hexdigest()))
    return out


def _file(entry: FileEntry, sha1: str, expression: Any) -> Any:
    from spdx_tools.spdx.model.checksum import Checksum, ChecksumAlgorithm
    from spdx_tools.spdx.model.file import File
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    digest = hashlib.sha256(entry.path.encode("utf-8")).hexdigest()[:16]
    if entry.effective_license:
        found = [expression(entry.effective_license)]
    else:
        found = [_none() if entry.scanned else SpdxNoAssertion()]
    copyrights = "\n".join(c.statement for c in entry.copyrights)
    comment: Any = f"Part of the vendored component {entry.package}" if entry.package else None
    return File(
        name=f"./{entry.path}",
        spdx_id=f"SPDXRef-File-{digest}",
        checksums=[
            Checksum(ChecksumAlgorithm.SHA1, sha1),
            Checksum(ChecksumAlgorithm.SHA256, entry.sha256),
        ],
        license_concluded=SpdxNoAssertion(),
        license_info_in_file=found,
        copyright_text=copyrights or (_none() if entry.scanned else SpdxNoAssertion()),
        comment=comment,
    )


def _extracted(expressions: list[str]) -> list[Any]:
    """An ExtractedLicensingInfo for each LicenseRef the document uses."""
    from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo

    refs = sorted({m for e in expressions for m in LICENSEREF.findall(e) if ":" not in m})
    out = []
    for ref in refs:
        if ref.startswith("LicenseRef-scancode-"):
            from ospo.licensedb import license_table

            key = ref[len("LicenseRef-scancode-") :]
            info = license_table().lookup(ref)
            out.append(
                ExtractedLicensingInfo(
                    license_id=ref,
                    extracted_text=(
                        f"The license ScanCode calls {key!r}: its text is in ScanCode's "
                        f"license database, {SCANCODE_DB.format(key=key)}"
                    ),
                    license_name=info.name if info is not None else key,
                    cross_references=[SCANCODE_DB.format(key=key)],
                )
            )
        else:
            out.append(
                ExtractedLicensingInfo(
                    license_id=ref,
                    extracted_text=(
                        f"{ref}: a license not on the SPDX License List, named by this "
                        "identifier where it was found; its text is not included here."
                    ),
                    license_name=ref[len("LicenseRef-") :],
                )
            )
    return out
