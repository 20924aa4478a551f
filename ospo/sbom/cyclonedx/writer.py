# SPDX-License-Identifier: Apache-2.0
"""CycloneDX SBOM (1.2-1.7, 1.6 by default) from the inventory, JSON or XML, validated
against the official schema of its version.

The product is ``metadata.component`` (its license is the declared outbound license).
Packages (dependencies from manifests and lock files, vendored code) are library
components with their declared license and the detected license evidence; dev and test
dependencies are ``scope: excluded``; each occurrence of detected license evidence names
the file and, in ``additionalContext``, the license found there. The product depends on the
direct components (vendored code is direct), and each component on the dependencies its
lock file records.
First-party files that carry license or copyright evidence are file components with their
sha256, the detected license expression as evidence, one occurrence per detection (path,
first line, and the line range in ``additionalContext``) and the copyright statements as
copyright evidence. Output is deterministic: the serial number is derived from the
inventory unless one is given, and the timestamp is the scan's. JSON and XML are made from
the same ``Bom`` (:func:`build_bom`).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from ospo.errors import InputError, OperationalError
from ospo.model import Component as OspoComponent
from ospo.model import FileEntry, Inventory, LicenseSource, Scope
from ospo.reporters.base import RenderOptions, Reporter
from ospo.sbom.common import (
    CYCLONEDX_VERSIONS,
    DECLARED_LICENSE,
    DETECTED_CONTEXT,
    FILE_PACKAGE,
    GO_MODULE_HASH,
    PINNED,
    SBOM_EVIDENCE,
    SCOPE,
    UNKNOWN_LICENSE_REASON,
    VCS_REVISION,
    VENDORED_PATH,
    created,
    serial_number,
    short_name,
)

#: The version written unless another is asked for.
DEFAULT_VERSION = "1.6"


class _CycloneDxReporter(Reporter):
    """CycloneDX of one version (:data:`CYCLONEDX_VERSIONS`), in one syntax."""

    #: ``cyclonedx.schema.OutputFormat`` member name.
    _syntax: ClassVar[str]

    def __init__(self, version: str = DEFAULT_VERSION) -> None:
        if version not in CYCLONEDX_VERSIONS:
            raise InputError(
                f"CycloneDX {version!r} is not a version ospo writes "
                f"({', '.join(CYCLONEDX_VERSIONS)})"
            )
        self.version = version

    @property
    def document_title(self) -> str:
        """What this reporter's document is, with its version ("CycloneDX 1.6 JSON SBOM")."""
        return f"CycloneDX {self.version} {self._syntax} SBOM"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the SBOM's text; raise if it does not validate against the official
        schema of its version.

        What the version cannot hold (properties before 1.3, evidence before 1.3 and its
        occurrences before 1.5, a license's acknowledgement before 1.6) is left out, as
        cyclonedx-python-lib's serialiser of that version leaves it out.
        """
        from cyclonedx.output import make_outputter
        from cyclonedx.schema import OutputFormat, SchemaVersion

        bom = build_bom(inventory, options)
        schema = SchemaVersion.from_version(self.version)
        outputter = make_outputter(bom, OutputFormat[self._syntax], schema)
        text = self._complete(outputter.output_as_string(indent=2))
        problem = self._problem(text)
        if problem is not None:
            raise OperationalError(
                f"internal error: the {self.document_title} does not validate{problem}"
            )
        return text + "\n"

    @abstractmethod
    def _problem(self, text: str) -> str | None:
        """Why ``text`` does not validate (" at WHERE: WHAT"), or None when it does."""

    def _complete(self, text: str) -> str:
        """The library's text, with what it leaves out and readers expect put back."""
        return text


class CycloneDxJsonReporter(_CycloneDxReporter):
    """CycloneDX JSON, version 1.6 unless another is given."""

    name = "cyclonedx"
    title = "CycloneDX JSON SBOM"
    _syntax = "JSON"

    def _complete(self, text: str) -> str:
        """Every ``dependencies`` entry says ``dependsOn``, empty for a leaf.

        cyclonedx-python-lib leaves an empty list out; the schema allows that, but widely
        used validators and readers take a missing ``dependsOn`` for an unknown graph.
        """
        import json

        data = json.loads(text)
        for entry in data.get("dependencies", []):
            entry.setdefault("dependsOn", [])
        # the library writes json.dumps(indent=2) too: only the added lists differ
        return json.dumps(data, indent=2)

    def _problem(self, text: str) -> str | None:
        import json

        from ospo.sbom.cyclonedx.validation import validation_error

        error = validation_error(json.loads(text), self.version)
        if error is None:
            return None
        where = "/".join(str(p) for p in error.absolute_path)
        return f" at {where}: {str(error.message)[:300]}"


class CycloneDxXmlReporter(_CycloneDxReporter):
    """CycloneDX XML, version 1.6 unless another is given."""

    name = "cyclonedx-xml"
    title = "CycloneDX XML SBOM"
    _syntax = "XML"

    def _problem(self, text: str) -> str | None:
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.xml import XmlValidator

        error = XmlValidator(SchemaVersion.from_version(self.version)).validate_str(text)
        return None if error is None else f": {str(error)[:300]}"


def _index_dependencies(bom: Any) -> None:
    """Make ``bom.register_dependency`` find an entry by its ref in a dict.

    The library's own looks through every entry on each call, and its writers call it for
    every component before writing (``Bom.validate``): seconds for a few thousand
    packages. Same entries, same output; set on the instance, since the document's
    element names come from its class.
    """
    from types import MethodType

    from cyclonedx.model.dependency import Dependency

    index: dict[Any, Any] = {}

    def register_dependency(self: Any, target: Any, depends_on: Any = None) -> None:
        if len(index) != len(self.dependencies):  # the set was replaced or changed
            index.clear()
            index.update((d.ref, d) for d in self.dependencies)
        entry = index.get(target.bom_ref)
        needs = list(depends_on or ())
        if entry is None:
            entry = Dependency(
                ref=target.bom_ref, dependencies=[Dependency(ref=d.bom_ref) for d in needs]
            )
            self.dependencies.add(entry)
            index[entry.ref] = entry
        elif needs:
            entry.dependencies.update(Dependency(ref=d.bom_ref) for d in needs)
        for other in needs:
            register_dependency(self, other)

    bom.register_dependency = MethodType(register_dependency, bom)


def build_bom(inventory: Inventory, options: RenderOptions) -> Any:
    """Return a ``cyclonedx.model.bom.Bom`` for the inventory."""
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentScope, ComponentType
    from cyclonedx.model.tool import ToolRepository
    from packageurl import PackageURL

    subject = inventory.subject
    product = Component(
        name=subject.name,
        version=subject.version,
        type=ComponentType.APPLICATION,
        bom_ref="product",
        licenses=_licenses(subject.declared_license, declared=True),
    )
    if subject.vcs_revision:
        product.properties.add(Property(name=VCS_REVISION, value=subject.vcs_revision))

    tools = ToolRepository()
    for tool in inventory.scan.tools:
        tools.components.add(
            Component(name=tool.name, version=tool.version, type=ComponentType.APPLICATION)
        )

    metadata = BomMetaData(component=product, tools=tools, timestamp=created(inventory, options))
    bom = Bom(metadata=metadata, serial_number=options.serial_number or serial_number(inventory))
    _index_dependencies(bom)

    libraries = {}
    for comp in inventory.components:
        purl = PackageURL.from_string(comp.purl)
        library = Component(
            name=short_name(comp.name, purl.namespace),
            group=purl.namespace or None,
            version=comp.version,
            type=ComponentType.LIBRARY,
            bom_ref=comp.purl,
            purl=purl,
            scope=ComponentScope.REQUIRED
            if comp.scope is Scope.RUNTIME
            else ComponentScope.OPTIONAL
            if comp.scope is Scope.OPTIONAL
            else ComponentScope.EXCLUDED,
            licenses=_component_licenses(comp),
            evidence=_component_evidence(comp),
            hashes=[HashType(alg=HashAlgorithm(a), content=v) for a, v in comp.hashes],
        )
        if comp.vendored_path:
            library.properties.add(Property(name=VENDORED_PATH, value=comp.vendored_path))
        if comp.unknown_reason:
            library.properties.add(Property(name=UNKNOWN_LICENSE_REASON, value=comp.unknown_reason))
        if comp.go_module_hash:
            library.properties.add(Property(name=GO_MODULE_HASH, value=comp.go_module_hash))
        if comp.scope is Scope.TEST:
            library.properties.add(Property(name=SCOPE, value=comp.scope.value))
        if comp.pinned is not None:
            library.properties.add(Property(name=PINNED, value=str(comp.pinned).lower()))
        if _conclusion(comp):
            for expression in _declared(comp):
                library.properties.add(Property(name=DECLARED_LICENSE, value=expression))
        bom.components.add(library)
        libraries[comp.purl] = library
    # the product depends on what it asks for itself (vendored code counts); each
    # component on what its lock file says it needs
    bom.register_dependency(product, [libraries[c.purl] for c in inventory.components if c.direct])
    for comp in inventory.components:
        needs = [libraries[d] for d in sorted(comp.dependencies) if d in libraries]
        bom.register_dependency(libraries[comp.purl], needs)

    for entry in inventory.files:
        if not (entry.effective_license or entry.copyrights):
            continue
        file_component = Component(
            name=entry.path,
            type=ComponentType.FILE,
            bom_ref=f"file:{entry.path}",
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=entry.sha256)],
            evidence=_file_evidence(entry),
        )
        if entry.package:
            file_component.properties.add(Property(name=FILE_PACKAGE, value=entry.package))
        bom.components.add(file_component)
    return bom


def _licenses(expression: str | None, *, declared: bool) -> list[Any]:
    from cyclonedx.model.license import LicenseAcknowledgement, LicenseExpression

    if not expression:
        return []
    ack = LicenseAcknowledgement.DECLARED if declared else LicenseAcknowledgement.CONCLUDED
    return [LicenseExpression(expression, acknowledgement=ack)]


def _conclusion(comp: OspoComponent) -> str | None:
    """The expression of the component's first valid human conclusion, if any."""
    concluded = [e for e in comp.licenses if e.source is LicenseSource.CONCLUDED and e.valid]
    return concluded[0].expression if concluded else None


def _declared(comp: OspoComponent) -> list[str]:
    """The component's distinct declared expressions, in order."""
    found = (e.expression for e in comp.licenses if e.source is LicenseSource.DECLARED)
    return list(dict.fromkeys(e for e in found if e))


def _component_licenses(comp: OspoComponent) -> list[Any]:
    """A human conclusion if there is one, else what the package declares.

    Valid declared expressions (from every source that found the package) are joined into
    one expression; a declaration that is not SPDX (``Public Domain``) is kept as a named
    license, since CycloneDX allows one expression or a list of named licenses, not both.
    Behind a conclusion, the declarations are properties (:data:`DECLARED_LICENSE`).
    """
    from cyclonedx.model.license import DisjunctiveLicense, LicenseAcknowledgement

    from ospo.licensing import combine_and

    conclusion = _conclusion(comp)
    if conclusion:
        return _licenses(conclusion, declared=False)
    declared = [e for e in comp.licenses if e.source is LicenseSource.DECLARED and e.expression]
    expression = combine_and(e.expression for e in declared if e.valid)
    if expression:
        return _licenses(expression, declared=True)
    return [
        DisjunctiveLicense(name=name, acknowledgement=LicenseAcknowledgement.DECLARED)
        for name in _declared(comp)
    ]


def _component_evidence(comp: OspoComponent) -> Any:
    from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
    from cyclonedx.model.license import LicenseExpression

    from ospo.licensing import combine_and

    detected = [
        e
        for e in comp.licenses
        if e.source is LicenseSource.DETECTED and e.expression and e.counted
    ]
    if not detected:
        return None
    expression = combine_and(e.expression for e in detected)
    return ComponentEvidence(
        licenses=[LicenseExpression(expression)] if expression else None,
        occurrences=[
            Occurrence(
                bom_ref=f"{comp.purl}#evidence-{number:04d}",
                location=e.location,
                additional_context=f"{DETECTED_CONTEXT}{e.expression}",
            )
            for number, e in enumerate(detected, 1)
            if e.location and e.location != SBOM_EVIDENCE
        ],
    )


def _file_evidence(entry: FileEntry) -> Any:
    from cyclonedx.model import Copyright
    from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
    from cyclonedx.model.license import LicenseExpression

    occurrences = [
        Occurrence(
            bom_ref=f"file:{entry.path}#detection-{number:04d}",
            location=entry.path,
            line=d.start_line or None,
            additional_context=(
                f"lines {d.start_line}-{d.end_line}: {d.license_expression} "
                f"(ScanCode {d.matcher}, rule {d.rule}, score {d.score:g})"
            ),
        )
        for number, d in enumerate(entry.detections, 1)
    ]
    return ComponentEvidence(
        licenses=[LicenseExpression(entry.effective_license)] if entry.effective_license else None,
        occurrences=occurrences or None,
        copyright=[Copyright(text=c.statement) for c in entry.copyrights] or None,
    )
