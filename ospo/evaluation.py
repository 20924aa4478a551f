# SPDX-License-Identifier: Apache-2.0
"""The policy's verdict on an inventory: findings, the decisions that waive them, obligations
and the gate's rule.

The part of the :class:`~ospo.model.Inventory` that the policy engine fills in
(``Inventory.evaluation``). Kept apart from :mod:`ospo.model` so that a scan, which never
judges, does not build these classes at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ospo.errors import printable


class Severity(StrEnum):
    """How much a finding weighs: a violation, a decision to make, or a note."""

    ERROR = "error"  # denied by policy
    WARNING = "warning"  # needs a decision by the OSRB
    INFO = "info"  # allowed, with obligations or notes

    @property
    def rank(self) -> int:
        """Order for comparisons: info < warning < error."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Decision(StrEnum):
    """What the OSRB decided about a finding."""

    APPROVE = "approve"  # waives the finding
    DENY = "deny"  # confirms it, as an error


class Role(StrEnum):
    """The part of the OSRB an approver speaks for."""

    ENGINEERING = "engineering"
    PRODUCT = "product"
    LEGAL = "legal"
    COMPLIANCE = "compliance"
    OSRB = "osrb"  # the board as a whole


class BaselineStatus(StrEnum):
    """Whether a finding was already there in the baseline."""

    NEW = "new"
    UNCHANGED = "unchanged"


class GateVerdict(StrEnum):
    """Whether the release gate lets the inventory through."""

    PASS = "pass"
    FAIL = "fail"


@dataclass(frozen=True, slots=True, kw_only=True)
class WaiverRef:
    """The OSRB decision that covers a finding."""

    decision: Decision
    approver: str
    role: Role
    reason: str
    ticket: str | None = None
    expires: str | None = None
    source: str | None = None  # file:line of the waiver
    date: str | None = None  # when it was decided


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """What a policy rule found, and how to fix it."""

    rule: str
    severity: Severity
    message: str
    how_to_fix: str
    component: str | None = None  # purl
    path: str | None = None
    line: int | None = None
    license: str | None = None
    elected_license: str | None = None  # the alternative elected from an OR
    waived: bool = False
    waiver: WaiverRef | None = None
    status: BaselineStatus | None = None  # with a baseline
    obligations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # a message quotes file names and package names from someone else's tree: every
        # format (SARIF, JUnit, JSON, the packet) then shows their control characters and
        # bidi overrides escaped instead of obeying them
        for name in ("message", "how_to_fix"):
            object.__setattr__(self, name, printable(getattr(self, name), lines=True))

    def key(self) -> tuple[str, str, str, str]:
        """Identity across releases: rule, package (without version), path, license."""
        package = (self.component or "").split("@", 1)[0].split("?", 1)[0]
        return (self.rule, package, self.path or "", self.license or "")


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseObligations:
    """What a license asks of the product, and which components bring it."""

    license: str
    license_class: str
    obligations: tuple[str, ...]
    components: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
    """The policy's verdict on an inventory."""

    policy: str
    policy_digest: str
    profile: str
    fail_on: Severity
    only_new: bool
    findings: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()  # in the baseline, gone now
    obligations: tuple[LicenseObligations, ...] = ()
    today: str | None = None

    def counts(self, finding: Finding) -> bool:
        """Whether ``finding`` counts against the gate: it is not waived by an OSRB decision,
        its severity is at or above ``fail_on``, and, with ``only_new``, it is not unchanged
        since the baseline. The one statement of the gate rule."""
        return (
            not finding.waived
            and finding.severity.rank >= self.fail_on.rank
            and not (self.only_new and finding.status == BaselineStatus.UNCHANGED)
        )

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings that count against the gate, in order."""
        return tuple(f for f in self.findings if self.counts(f))

    @property
    def verdict(self) -> GateVerdict:
        """The gate's verdict: fail when any finding counts against it."""
        return GateVerdict.FAIL if self.failing else GateVerdict.PASS
