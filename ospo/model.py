# SPDX-License-Identifier: Apache-2.0
"""The inventory: the one immutable document that flows through ospo's pipeline.

Scanners produce an :class:`Inventory`; later stages return new ones with
``dataclasses.replace``. Its JSON form (``ospo.inventory_json``) is the hand-off between CI
steps and carries :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from ospo.errors import printable, tidy_message

if TYPE_CHECKING:  # the policy engine's part, imported by the stages that judge
    from ospo.evaluation import Evaluation

SCHEMA_VERSION = "1.2"


class Scope(StrEnum):
    """Where a component is used; only ``runtime`` (and ``optional``) ship with the product."""

    RUNTIME = "runtime"
    DEV = "dev"
    TEST = "test"
    OPTIONAL = "optional"


class LicenseSource(StrEnum):
    """Provenance of a license statement about a component."""

    DECLARED = "declared"  # package metadata or manifest
    DETECTED = "detected"  # found by scanning the component's files
    CONCLUDED = "concluded"  # a human decision


class IssueKind(StrEnum):
    """Problems met during a scan; each is recorded, none stops the run."""

    TIMEOUT = "timeout"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"
    SYMLINK = "symlink"
    SCAN_ERROR = "scan-error"
    CACHE = "cache"
    MANIFEST = "manifest"
    REGISTRY = "registry"  # a package registry gave no data for some components


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseMatch:
    """One license detection in a file, as ScanCode reported it (expressions in SPDX)."""

    license_expression: str
    start_line: int
    end_line: int
    score: float
    matcher: str
    rule: str
    scancode_expression: str
    coverage: float = 100.0  # how much of the rule's text matched, in percent
    #: ScanCode groups nearby matches into one detection: which of the file's detections
    #: (counted from 0) this match is part of, and that detection's expression.
    detection: int = 0
    detection_expression: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyrightStatement:
    """A copyright statement and the lines it spans."""

    statement: str
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseReference:
    """A file's detections that point to another file ("see LICENSE"), followed there.

    ``names`` are the files the references name, as ScanCode's rules spell them;
    ``followed`` the files of the tree whose license matches were taken (none when no named
    file was found, none had a license, or ScanCode's rules kept the file's own answer);
    ``license_expression`` is the file's expression after the step, as ScanCode reports
    it (the file's own expression when nothing was taken).
    """

    names: tuple[str, ...]
    followed: tuple[str, ...] = ()
    license_expression: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FileEntry:
    """A file of the product's tree with what was found in it."""

    path: str  # relative, "/"-separated
    sha256: str
    size: int
    license_expression: str | None  # everything detected in the file, as one SPDX expression
    detections: tuple[LicenseMatch, ...] = ()
    copyrights: tuple[CopyrightStatement, ...] = ()
    holders: tuple[str, ...] = ()
    package: str | None = None  # purl of the vendored component the file belongs to
    scanned: bool = True  # False when the file was skipped (too large, unreadable)
    reference: LicenseReference | None = None  # set when the file points to another file

    @property
    def effective_license(self) -> str | None:
        """The file's license with its references to other files followed: what is judged."""
        return (
            self.license_expression if self.reference is None else self.reference.license_expression
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseEvidence:
    """A statement about a component's license with where it came from."""

    expression: str | None
    source: LicenseSource
    location: str | None = None
    valid: bool = True
    note: str | None = None
    #: False for evidence kept but not counted in the effective license (a mention, a
    #: section about files not shipped, a file that is not a license file); ``note`` says why
    counted: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """A package in the product: a dependency, or third-party code vendored into the tree."""

    purl: str
    name: str
    version: str | None
    scope: Scope = Scope.RUNTIME
    direct: bool = True
    license_expression: str | None = None  # the effective license, or None when unknown
    licenses: tuple[LicenseEvidence, ...] = ()
    unknown_reason: str | None = None
    vendored_path: str | None = None  # the directory of vendored code, if any
    dependencies: tuple[str, ...] = ()  # purls this component depends on
    #: (algorithm, lowercase hex) of the package's artifact where a lock file records it;
    #: algorithms as CycloneDX names them (``SHA-1``, ``SHA-256``, ``SHA-512``).
    hashes: tuple[tuple[str, str], ...] = ()
    #: Go's module hash as go.sum records it (``h1:`` and base64). It is a SHA-256, but over
    #: Go's listing of the module's files with the SHA-256 of each (what ``go mod verify``
    #: checks), not of the module's .zip or any other file, so it is not among ``hashes``.
    go_module_hash: str | None = None
    #: False when the source cannot tell the scope (an installed environment): when merged,
    #: the scope from a manifest or lock file wins. Not part of the JSON form.
    scope_known: bool = True
    #: Whether the reference the product uses names fixed content (a GitHub Action at a
    #: full commit SHA, a container image by digest) rather than a tag or branch that can
    #: move; None where the source has no such reference.
    pinned: bool | None = None

    def __post_init__(self) -> None:
        _printable_fields(self, "name", "version")


def go_module_hash(value: object) -> str | None:
    """Return ``value`` if it is a Go module hash as go.sum writes it (``h1:`` and the base64
    of a SHA-256 digest), else None: what :attr:`Component.go_module_hash` may hold."""
    import base64
    import binascii

    if not isinstance(value, str) or not value.startswith("h1:"):
        return None
    try:
        digest = base64.b64decode(value.removeprefix("h1:"), validate=True)
    except (binascii.Error, ValueError):
        return None
    return value if len(digest) == 32 else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """The product the inventory describes."""

    name: str
    version: str | None = None
    vcs_revision: str | None = None
    declared_license: str | None = None
    profile: str | None = None

    def __post_init__(self) -> None:
        _printable_fields(self, "name", "version")


def _printable_fields(document: object, *names: str) -> None:
    """Escape the unprintable characters of a name or version taken from someone else's
    file (:func:`~ospo.errors.printable`): no ecosystem allows them, and every output that
    shows the value (a terminal, a NOTICE, a packet) would act on them."""
    for name in names:
        value = getattr(document, name)
        if isinstance(value, str):
            object.__setattr__(document, name, printable(value))


@dataclass(frozen=True, slots=True, kw_only=True)
class Tool:
    """A tool that contributed to the inventory."""

    name: str
    version: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanIssue:
    """Something that went wrong for one file or input; the rest of the run went on."""

    kind: IssueKind
    path: str | None
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", tidy_message(self.message))


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclusion:
    """A path pattern left out of the scan, why, and how many files it matched."""

    pattern: str
    reason: str
    files: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanStats:
    """Counts and timings of one scan."""

    files: int = 0
    from_cache: int = 0
    matched: int = 0  # files that went through the license and copyright engines
    full_matcher: int = 0  # of those, files that needed ScanCode's approximate matcher
    seconds: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanInfo:
    """How the inventory was made."""

    tools: tuple[Tool, ...] = ()
    timestamp: str | None = None  # ISO 8601, UTC
    issues: tuple[ScanIssue, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    stats: ScanStats = field(default_factory=ScanStats)
    #: The directories of the installed environments read (site-packages, the parent of a
    #: node_modules), absolute: the evidence of installed packages is located relative to
    #: one of them, which is how their license and NOTICE files are found again.
    environments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    """What is in one release of a product."""

    schema_version: str = SCHEMA_VERSION
    subject: Subject
    files: tuple[FileEntry, ...] = ()
    components: tuple[Component, ...] = ()
    scan: ScanInfo = field(default_factory=ScanInfo)
    evaluation: Evaluation | None = None
