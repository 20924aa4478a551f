# SPDX-License-Identifier: Apache-2.0
"""The policy's verdict on an inventory: findings, the decisions that waive them, obligations.

The part of the :class:`~ospo.model.Inventory` that the policy engine fills in
(``Inventory.evaluation``). Kept apart from :mod:`ospo.model` so that a scan, which never
judges, does not build these classes at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding weighs: a violation, a decision to make, or a note."""

    ERROR = "error"  # denied by policy
    WARNING = "warning"  # needs a decision by the OSRB
    INFO = "info"  # allowed, with obligations or notes

    @property
    def rank(self) -> int:
        """Order for comparisons: info < warning < error."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True, slots=True, kw_only=True)
class WaiverRef:
    """The OSRB decision that covers a finding."""

    decision: str  # approve | deny
    approver: str
    role: str
    reason: str
    ticket: str | None = None
    expires: str | None = None
    source: str | None = None  # file:line of the waiver


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
    status: str | None = None  # new | unchanged, with a baseline
    obligations: tuple[str, ...] = ()

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
    verdict: str  # pass | fail
    findings: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()  # in the baseline, gone now
    obligations: tuple[LicenseObligations, ...] = ()
    today: str | None = None
