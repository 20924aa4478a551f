# SPDX-License-Identifier: Apache-2.0
"""The review board's sign-off of a release, and the archive of approved releases.

Each member of the board (engineering, product, legal, compliance) signs for one release:
approve, approve with conditions, or reject. A signature is bound to the digest of what
the board judged (:func:`release_digest`): the inventory without what changes from one
run to the next, the policy's findings and the waivers that cover them, and the policy
itself. A signature given for another digest no longer counts, and the status says so.

Signatures are appended to ``.ospo/signoffs.yml``, never rewritten. When every role the
policy names (``signoff.roles``) has approved the current digest, the release is approved
and its documents are archived under ``.ospo/releases/<release>/`` (or where
``archive:`` in ``.ospo.yml`` says), with an index that ``ospo check`` reads to compare
the next release with the last approved one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ospo.errors import ConfigError, ExitCode, InputError, OperationalError, OspoError
from ospo.evaluation import Role

if TYPE_CHECKING:
    from ospo.evaluation import Evaluation, Finding
    from ospo.model import Inventory
    from ospo.policy.loader import Policy
    from ospo.portfolio import PublishResult

#: Where signatures are kept, relative to the project's root.
DEFAULT_SIGNOFFS = Path(".ospo") / "signoffs.yml"
#: Where approved releases are archived, relative to the project's root.
DEFAULT_ARCHIVE = Path(".ospo") / "releases"
#: The archive's index: one entry per approved release, oldest first.
INDEX_NAME = "index.json"
#: The roles of the board; a release needs all of them unless the policy says otherwise.
BOARD_ROLES = (Role.ENGINEERING, Role.PRODUCT, Role.LEGAL, Role.COMPLIANCE)

_SCHEMA = "signoffs.schema.json"
_INDEX_SCHEMA = "releases.schema.json"
_HEADER = (
    "# Sign-offs of the Open Source Review Board, one entry per signature, oldest first.\n"
    "# Written by `ospo signoff`, which only ever appends; see docs/approval.md.\n"
)


class ReleaseBlocked(OspoError):
    """An approval of a release that the gate stops: findings still count against it."""

    exit_code = ExitCode.GATE_FAILED


class SignoffDecision(StrEnum):
    """What one member of the board decided about the release."""

    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve-with-conditions"
    REJECT = "reject"

    @property
    def approves(self) -> bool:
        """Whether the decision lets the release go (with or without conditions)."""
        return self is not SignoffDecision.REJECT


class ReleaseState(StrEnum):
    """Where the release stands with the board."""

    APPROVED = "approved"  # every required role approved the current digest
    REJECTED = "rejected"  # a role rejected the current digest
    PENDING = "pending"  # signatures missing, or given for another digest


@dataclass(frozen=True, slots=True, kw_only=True)
class Signoff:
    """One signature, as recorded in the sign-offs file."""

    role: Role
    name: str
    decision: SignoffDecision
    date: str  # YYYY-MM-DD
    digest: str  # release_digest() of what was judged
    conditions: str | None = None
    ticket: str | None = None
    product: str | None = None
    release: str | None = None
    source: str | None = None  # file:line of the record


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleStatus:
    """One required role's latest signature and whether it holds for the current digest.

    Everything but ``role`` and ``valid`` is None while the role has not signed.
    """

    role: Role
    name: str | None = None
    decision: SignoffDecision | None = None
    conditions: str | None = None
    ticket: str | None = None
    date: str | None = None
    digest: str | None = None
    valid: bool = False

    @property
    def signed(self) -> bool:
        """Whether the role has signed at all (for any digest)."""
        return self.decision is not None

    @property
    def stale(self) -> bool:
        """Whether the role signed, but for what the release was before it changed."""
        return self.signed and not self.valid


@dataclass(frozen=True, slots=True, kw_only=True)
class SignoffStatus:
    """The board's status for one digest: each required role, and the release's state."""

    digest: str
    roles: tuple[RoleStatus, ...]
    state: ReleaseState
    #: roles outside the required set whose signature for this digest rejects the release
    other_rejections: tuple[RoleStatus, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchivedRelease:
    """An approved release in the archive: its index entry."""

    release: str
    product: str
    version: str | None
    date: str
    digest: str
    directory: Path
    files: tuple[str, ...]
    signoffs: tuple[Mapping[str, Any], ...] = ()

    def index_entry(self) -> dict[str, Any]:
        """The entry as written to the index (``directory`` relative to the archive)."""
        return {
            "release": self.release,
            "product": self.product,
            "version": self.version,
            "date": self.date,
            "digest": self.digest,
            "directory": self.directory.name,
            "files": list(self.files),
            "signoffs": [dict(s) for s in self.signoffs],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovedRelease:
    """What the documents of an approved release are made from."""

    judged: Inventory  # with its evaluation
    policy: Policy
    status: SignoffStatus  # approved: every required role's signature
    release: str
    date: str
    root: Path | None = None  # the scanned tree, when there is one (vendored files)
    #: the inventory of the release approved before this one, if any
    baseline: Inventory | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArtifactWriter:
    """One document of an approved release's archive: its file name and how it is made."""

    file_name: str
    render: Callable[[ApprovedRelease], str]


def _inventory_json(approved: ApprovedRelease) -> str:
    from ospo.reporters.base import RenderOptions
    from ospo.reporters.inventory import InventoryJsonReporter

    return InventoryJsonReporter().render(approved.judged, RenderOptions())


def _evaluation_json(approved: ApprovedRelease) -> str:
    from ospo.reporters.base import RenderOptions
    from ospo.reporters.check import CheckJsonReporter

    return CheckJsonReporter().render(approved.judged, RenderOptions())


def _notice_text(approved: ApprovedRelease) -> str:
    from ospo.notice import build_notice, render_notice

    return render_notice(build_notice(approved.judged, approved.policy, root=approved.root), "text")


def _packet_html(approved: ApprovedRelease) -> str:
    """The packet the board approved: compared with the release approved before it, with
    the signatures that approved it."""
    from ospo.packet import build_packet, render_packet

    status = approved.status
    signed: tuple[Any, ...] = tuple(
        r for r in (*status.roles, *status.other_rejections) if r.name is not None
    )
    built = build_packet(
        approved.judged, approved.policy, baseline=approved.baseline, signoffs=signed
    )
    return cast(str, render_packet(built, "html"))


#: What an approved release's archive holds, one entry per document: the inventory, its
#: evaluation, the NOTICE the release ships with (``ospo notice``) and the board's packet.
ARTIFACT_WRITERS: tuple[ArtifactWriter, ...] = (
    ArtifactWriter(file_name="inventory.json", render=_inventory_json),
    ArtifactWriter(file_name="evaluation.json", render=_evaluation_json),
    ArtifactWriter(file_name="NOTICE.txt", render=_notice_text),
    ArtifactWriter(file_name="packet.html", render=_packet_html),
)


# --- the digest -----------------------------------------------------------------------------


def release_digest(inventory: Inventory, evaluation: Evaluation, policy: Policy) -> str:
    """Return ``sha256:HEX``, the digest of what the board judges for this release.

    It covers the inventory's JSON form without what differs between two scans of the
    same files (``scan.timestamp``, ``scan.stats``, the versions in ``scan.tools``, and
    ``subject.vcs_revision``: committing the board's records makes a new revision of the
    same files, which the files' hashes already bind); the
    profile and each finding's rule, severity, component, path, line, license, elected
    license and waiver (decision, approver, role, reason, ticket, expiry); and the policy's
    name and digest. Left out: a finding's wording and how-to-fix text, its status against
    a baseline and the findings resolved since it (they change with the baseline, which
    changes when a release is approved), and where a waiver was read from.
    """
    judged = {
        "inventory": _stable_document(inventory),
        "evaluation": {
            "profile": evaluation.profile,
            "findings": sorted(
                (_finding_facts(f) for f in evaluation.findings),
                key=lambda f: json.dumps(f, sort_keys=True),
            ),
        },
        "policy": {"name": policy.name, "digest": policy.digest},
    }
    text = json.dumps(judged, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def inventory_digest(inventory: Inventory) -> str:
    """Return ``sha256:HEX``, the digest of the inventory alone, as :func:`release_digest`
    sees it (without what differs between two scans of the same files): what the
    portfolio knows a published release's contents by."""
    text = json.dumps(
        _stable_document(inventory), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stable_document(inventory: Inventory) -> dict[str, Any]:
    from ospo import inventory_json

    document = inventory_json.to_json_dict(inventory)
    scan = {k: v for k, v in document["scan"].items() if k not in {"timestamp", "stats", "tools"}}
    subject = {k: v for k, v in document["subject"].items() if k != "vcs_revision"}
    return {**document, "subject": subject, "scan": scan}


def _finding_facts(finding: Finding) -> dict[str, Any]:
    waiver = finding.waiver
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "component": finding.component,
        "path": finding.path,
        "line": finding.line,
        "license": finding.license,
        "elected_license": finding.elected_license,
        "waived": finding.waived,
        "waiver": None
        if waiver is None
        else {
            "decision": waiver.decision.value,
            "approver": waiver.approver,
            "role": waiver.role.value,
            "reason": waiver.reason,
            "ticket": waiver.ticket,
            "expires": waiver.expires,
        },
    }


# --- the records ----------------------------------------------------------------------------


def required_roles(policy: Policy) -> tuple[Role, ...]:
    """The roles whose approval a release needs: the policy's ``signoff.roles``, else all
    four roles of the board."""
    section = policy.data.get("signoff") or {}
    roles = section.get("roles")
    if not roles:
        return BOARD_ROLES
    return tuple(dict.fromkeys(Role(r) for r in roles))


def read_signoffs(path: Path) -> tuple[Signoff, ...]:
    """Read and validate the sign-offs file (none when it does not exist).

    Raise :class:`~ospo.errors.ConfigError` naming the file and the line when it is not
    valid, and naming it when it is not a regular file.
    """
    from ospo.inputs import tree_document

    if not tree_document(path, ConfigError):  # a named pipe would be waited on for ever
        return ()
    from ospo.documents import line_of, load_yaml_document

    data, lines = load_yaml_document(path, _SCHEMA)
    records = []
    for index, item in enumerate(data.get("signoffs") or []):
        line = line_of(lines, ["signoffs", index])
        records.append(
            Signoff(
                role=Role(item["role"]),
                name=item["name"],
                decision=SignoffDecision(item["decision"]),
                date=str(item["date"]),
                digest=item["digest"],
                conditions=item.get("conditions"),
                ticket=item.get("ticket"),
                product=item.get("product"),
                release=_opt_str(item.get("release")),
                source=f"{path}:{line}" if line else str(path),
            )
        )
    return tuple(records)


def signoff_status(
    records: Sequence[Signoff], digest: str, roles: Sequence[Role] = BOARD_ROLES
) -> SignoffStatus:
    """Return, for each role in ``roles``, its latest signature and whether it holds for
    ``digest``, and the release's state.

    The release is rejected when any role's latest signature for ``digest`` rejects it,
    approved when every role in ``roles`` approved ``digest`` (with or without
    conditions), and pending otherwise. A signature for another digest is shown, marked
    not valid: the release changed after it was given.
    """
    latest: dict[Role, Signoff] = {}
    for record in records:
        latest[record.role] = record  # records are in the order they were given
    statuses = tuple(_role_status(role, latest.get(role), digest) for role in roles)
    others = tuple(
        _role_status(role, record, digest)
        for role, record in latest.items()
        if role not in roles
        and record.digest == digest
        and record.decision is SignoffDecision.REJECT
    )
    if others or any(s.valid and s.decision is SignoffDecision.REJECT for s in statuses):
        state = ReleaseState.REJECTED
    elif all(s.valid and s.decision is not None and s.decision.approves for s in statuses):
        state = ReleaseState.APPROVED
    else:
        state = ReleaseState.PENDING
    return SignoffStatus(digest=digest, roles=statuses, state=state, other_rejections=others)


def _role_status(role: Role, record: Signoff | None, digest: str) -> RoleStatus:
    if record is None:
        return RoleStatus(role=role)
    return RoleStatus(
        role=role,
        name=record.name,
        decision=record.decision,
        conditions=record.conditions,
        ticket=record.ticket,
        date=record.date,
        digest=record.digest,
        valid=record.digest == digest,
    )


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the directory that holds ``path`` (``.ospo``), creating it first.

    Writers of the sign-offs file and the archive take it (the same lock as ``ospo
    decide``'s, :func:`ospo.atomic.locked`), so two members of the board signing at the
    same moment both get their record, and the release is archived once.
    """
    from ospo.atomic import locked as directory_locked

    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperationalError(f"cannot lock: {exc.strerror}", path=str(directory)) from exc
    with directory_locked(path):
        yield


def append_signoff(path: Path, record: Signoff) -> int:
    """Append ``record`` to the sign-offs file at ``path``; return how many it now holds.

    The caller holds :func:`locked` on ``path``. What the file said before is kept byte
    for byte: the record is added at its end. The existing file is validated first (a
    broken file is never written to), and the result before it replaces the file.
    """
    from ospo.atomic import atomic_write_text

    before = read_signoffs(path)
    entry = {
        "role": record.role.value,
        "name": record.name,
        "decision": record.decision.value,
        "conditions": record.conditions,
        "ticket": record.ticket,
        "date": record.date,
        "digest": record.digest,
        "product": record.product,
        "release": record.release,
    }
    entry = {k: v for k, v in entry.items() if v is not None}
    import yaml

    block = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100)
    if before:
        old = path.read_text(encoding="utf-8")
        text = old + ("" if old.endswith("\n") else "\n") + _indent(block)
    else:
        text = _HEADER + "version: 1\nsignoffs:\n" + _indent(block)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.new")
    staged.write_text(text, encoding="utf-8")
    try:
        after = read_signoffs(staged)
    except ConfigError as exc:
        raise ConfigError(f"the sign-off is not valid: {exc.message}", path=str(path)) from None
    finally:
        staged.unlink(missing_ok=True)
    if len(after) != len(before) + 1:
        raise ConfigError(
            "cannot append: the file does not end with its 'signoffs:' list", path=str(path)
        )
    atomic_write_text(path, text)
    return len(after)


def _indent(block: str) -> str:
    return "".join(f"  {line}" if line.strip() else line for line in block.splitlines(True))


# --- the archive ----------------------------------------------------------------------------


def read_index(archive: Path) -> tuple[ArchivedRelease, ...]:
    """The approved releases in the archive at ``archive``, oldest first (none when there
    is no archive)."""
    index = archive / INDEX_NAME
    if not index.is_file():
        return ()
    from ospo.documents import schema_validator

    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"not a valid archive index: {exc}", path=str(index)) from None
    error = next(iter(schema_validator(_INDEX_SCHEMA).iter_errors(data)), None)
    if error is not None:
        where = ".".join(str(k) for k in error.absolute_path) or "(top level)"
        raise InputError(f"not a valid archive index: {where}: {error.message}", path=str(index))
    return tuple(
        ArchivedRelease(
            release=str(e["release"]),
            product=str(e["product"]),
            version=e.get("version"),
            date=str(e["date"]),
            digest=str(e["digest"]),
            directory=archive / str(e["directory"]),
            files=tuple(e["files"]),
            signoffs=tuple(e.get("signoffs", ())),
        )
        for e in data["releases"]
    )


def latest_approved(archive: Path) -> ArchivedRelease | None:
    """The release approved last, if the archive has one."""
    releases = read_index(archive)
    return releases[-1] if releases else None


def archive_release(
    archive: Path,
    approved: ApprovedRelease,
    writers: Sequence[ArtifactWriter] = ARTIFACT_WRITERS,
) -> ArchivedRelease:
    """Archive an approved release: each writer's document, and its entry in the index.

    Every document is rendered first, then written into a fresh directory that is moved
    into place whole, and only then is the index rewritten (atomically). A release that
    is already archived for the same digest is returned as it is; one archived under the
    same name for another digest is an :class:`~ospo.errors.InputError`.
    """
    from ospo.atomic import atomic_write_text

    status, release, judged = approved.status, approved.release, approved.judged
    if status.state is not ReleaseState.APPROVED:
        raise InputError(f"the release is {status.state.value}, not approved")
    releases = read_index(archive)
    for known in releases:
        if known.release == release:
            if known.digest == status.digest:
                return known
            raise InputError(
                f"release {release!r} was approved before with other contents "
                f"({known.digest}); name this one with --release",
                path=str(known.directory),
            )
    target = archive / _directory_name(release)
    if target.exists():
        raise InputError("an archived release's directory is in the way", path=str(target))
    rendered = [(w.file_name, w.render(approved)) for w in writers]
    archive.mkdir(parents=True, exist_ok=True)
    staging = archive / f".{target.name}.{os.urandom(6).hex()}.tmp"
    try:
        staging.mkdir()
        for name, text in rendered:
            atomic_write_text(staging / name, text)
        entry = ArchivedRelease(
            release=release,
            product=judged.subject.name,
            version=judged.subject.version,
            date=approved.date,
            digest=status.digest,
            directory=target,
            files=tuple(name for name, _ in rendered),
            signoffs=tuple(_signature_json(s) for s in status.roles),
        )
        atomic_write_text(
            staging / "release.json",
            json.dumps(entry.index_entry(), indent=2, ensure_ascii=False) + "\n",
        )
        os.rename(staging, target)
    except OSError as exc:
        raise OperationalError(f"cannot archive: {exc.strerror}", path=str(target)) from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    index = {"version": 1, "releases": [r.index_entry() for r in (*releases, entry)]}
    atomic_write_text(archive / INDEX_NAME, json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    return entry


def _signature_json(status: RoleStatus) -> dict[str, Any]:
    return {
        "role": status.role.value,
        "name": status.name,
        "decision": None if status.decision is None else status.decision.value,
        "conditions": status.conditions,
        "ticket": status.ticket,
        "date": status.date,
    }


def _directory_name(release: str) -> str:
    """The release's directory name: its name with anything but letters, digits, ``.``,
    ``_``, ``+`` and ``-`` replaced by ``_`` (a release name comes from the user)."""
    cleaned = "".join(c if c.isalnum() or c in "._+-" else "_" for c in release)
    return cleaned.lstrip(".") or "_"


# --- one signature, end to end ----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SignResult:
    """What recording one signature did: the record, the status after it, and the archived
    release when this signature completed the approval."""

    record: Signoff
    count: int  # records in the file now
    status: SignoffStatus
    release: str
    archived: ArchivedRelease | None = None  # the release in the archive, once approved
    archived_now: bool = False  # whether this signature's approval archived it
    #: The approved release as published to the portfolio, when a store is configured.
    published: PublishResult | None = None
    #: Why the approved release could not be published (the signature stands).
    publish_problem: str | None = None


def archive_dir(root: Path) -> Path:
    """The archive of approved releases for the project at ``root``: ``archive:`` in its
    ``.ospo.yml`` (relative to that file), else ``.ospo/releases``."""
    from ospo.config import load_config

    config = load_config(root) if root.is_dir() else None
    if config is not None and config.archive is not None:
        return config.archive
    return root / DEFAULT_ARCHIVE


def release_name(judged: Inventory, digest: str, date: str, given: str | None = None) -> str:
    """The name a release is archived under: ``given`` (``--release``), else the product's
    version (the inventory's ``subject.version``, from ``product.version`` in
    ``.ospo.yml``), else the date and the digest's first twelve digits."""
    if given:
        return given
    if judged.subject.version:
        return judged.subject.version
    return f"{date}-{digest.removeprefix('sha256:')[:12]}"


def release_status(judged: Inventory, policy: Policy, signoffs: Path) -> SignoffStatus:
    """The board's status for the judged inventory (from :func:`ospo.api.check_inventory`)
    with the signatures in the file ``signoffs``."""
    evaluation = _evaluation(judged)
    digest = release_digest(judged, evaluation, policy)
    return signoff_status(read_signoffs(signoffs), digest, required_roles(policy))


def sign_release(
    judged: Inventory,
    policy: Policy,
    *,
    role: Role,
    name: str,
    decision: SignoffDecision,
    date: str,
    signoffs: Path,
    archive: Path,
    conditions: str | None = None,
    ticket: str | None = None,
    release: str | None = None,
    writers: Sequence[ArtifactWriter] = ARTIFACT_WRITERS,
    root: Path | None = None,
    store: str | None = None,
) -> SignResult:
    """Record one role's signature for the judged inventory and, when it completes the
    approval, archive the release and publish it to the portfolio at ``store`` (a
    PostgreSQL URL; none when None). A release that cannot be published is said in
    :attr:`SignResult.publish_problem`: the signature and the archive stand.

    ``judged`` is the inventory with its evaluation (:func:`ospo.api.check_inventory`),
    ``policy`` the policy it was judged with. Raise :class:`~ospo.errors.InputError` for a
    signature that cannot be recorded (conditions missing or given where they mean
    nothing, a release name already archived for other contents), and
    :class:`ReleaseBlocked` for an approval while the gate fails: the findings that count
    against it are decided one by one (``ospo decide``) before the release is approved;
    a rejection is always recorded. Nothing is written when it raises.
    """
    if decision is SignoffDecision.APPROVE_WITH_CONDITIONS and not (conditions or "").strip():
        raise InputError("approve-with-conditions needs the conditions (--conditions)")
    if conditions and decision is not SignoffDecision.APPROVE_WITH_CONDITIONS:
        raise InputError("conditions go with approve-with-conditions only")
    if not name.strip():
        raise InputError("the name of who signs is empty")
    evaluation = _evaluation(judged)
    failing = evaluation.failing
    if decision.approves and failing:
        first = failing[0]
        about = first.component or first.path or first.license or ""
        raise ReleaseBlocked(
            f"the gate fails ({len(failing)} finding(s) count against it, first "
            f"{first.rule} {about}): decide them with `ospo decide` before approving the "
            "release; a rejection can be recorded now"
        )
    digest = release_digest(judged, evaluation, policy)
    roles = required_roles(policy)
    chosen = release_name(judged, digest, date, release)
    with locked(signoffs):
        archived = None
        for known in read_index(archive):
            if known.release == chosen and known.digest == digest:
                archived = known
            elif known.release == chosen:
                raise InputError(
                    f"release {chosen!r} was approved before with other contents "
                    f"({known.digest}); name this one with --release",
                    path=str(known.directory),
                )
        record = Signoff(
            role=role,
            name=name.strip(),
            decision=decision,
            date=date,
            digest=digest,
            conditions=conditions,
            ticket=ticket,
            product=judged.subject.name,
            release=chosen,
        )
        count = append_signoff(signoffs, record)
        status = signoff_status(read_signoffs(signoffs), digest, roles)
        archived_now = archived is None and status.state is ReleaseState.APPROVED
        if archived_now:
            approved = ApprovedRelease(
                judged=judged,
                policy=policy,
                status=status,
                release=chosen,
                date=date,
                root=root,
                baseline=_previous_inventory(archive),
            )
            archived = archive_release(archive, approved, writers)
    published, problem = None, None
    if archived_now and store is not None:
        from ospo.portfolio import publish

        try:
            published = publish(
                store, judged, policy, product=judged.subject.name, release=chosen, source="signoff"
            )
        except OspoError as exc:
            problem = str(exc)
    return SignResult(
        record=record,
        count=count,
        status=status,
        release=chosen,
        archived=archived,
        archived_now=archived_now,
        published=published,
        publish_problem=problem,
    )


def _previous_inventory(archive: Path) -> Inventory | None:
    """The inventory of the release approved last, or None (none yet, or its file is
    gone or unreadable: the packet then compares with nothing, and says so)."""
    from ospo import inventory_json

    latest = latest_approved(archive)
    if latest is None:
        return None
    try:
        return inventory_json.load(latest.directory / "inventory.json")
    except (InputError, OSError):
        return None


def _evaluation(judged: Inventory) -> Evaluation:
    if judged.evaluation is None:
        raise ValueError("the inventory has not been judged (ospo.api.check_inventory)")
    return judged.evaluation


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
