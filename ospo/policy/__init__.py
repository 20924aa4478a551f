# SPDX-License-Identifier: Apache-2.0
"""The policy engine: judge an inventory against the organisation's policy.

:func:`evaluate` returns a new :class:`~ospo.model.Inventory` with its ``evaluation`` filled
in: every finding of every registered rule (with how to fix it), OSRB decisions applied,
new/unchanged status against a baseline, obligations per license, and the gate's verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ospo.evaluation import BaselineStatus, Evaluation, Finding, LicenseObligations, Severity
from ospo.model import Inventory
from ospo.policy.judge import Context, Judge
from ospo.policy.loader import Policy, load_policy
from ospo.policy.model import Outcome, Profile
from ospo.policy.rules import RULES, RuleContext
from ospo.policy.waivers import Waiver, apply_waivers, load_waivers

if TYPE_CHECKING:
    from ospo.advisor.model import Advice

__all__ = ["Policy", "evaluate", "load_policy", "load_waivers", "resolve_profile"]


def resolve_profile(policy: Policy, explicit: str | None, inventory: Inventory) -> Profile:
    """The profile: the option, else the inventory's (from .ospo.yml), else the policy's."""
    return Profile(explicit or inventory.subject.profile or policy.data["default_profile"])


def evaluate(
    inventory: Inventory,
    policy: Policy,
    *,
    profile: Profile | None = None,
    waivers: Sequence[Waiver] = (),
    baseline: Inventory | None = None,
    fail_on: Severity = Severity.WARNING,
    only_new: bool = False,
    today: date | None = None,
    root: Path | None = None,
    commits: str | None = None,
    judge: Judge | None = None,
    partial: bool = False,
    registry: Advice | None = None,
) -> Inventory:
    """Return ``inventory`` with its evaluation under ``policy``; ``registry`` is what the
    package registries said about its components, for the rules that judge it."""
    today = today or date.today()
    profile = profile or resolve_profile(policy, None, inventory)
    judge = judge or Judge(policy)
    ctx = RuleContext(
        inventory=inventory,
        policy=policy,
        judge=judge,
        profile=profile,
        today=today,
        baseline=baseline,
        root=root,
        commits=commits,
        partial=partial,
        registry=registry,
    )
    findings = [f for rule in RULES.values() for f in rule().evaluate(ctx)]
    findings = apply_waivers(findings, waivers, today, partial=partial)

    resolved: list[Finding] = []
    if baseline is not None:
        before_ctx = replace(ctx, inventory=baseline, baseline=None, commits=None)
        before = [f for rule in RULES.values() for f in rule().evaluate(before_ctx)]
        before_keys = {f.key() for f in before}
        now_keys = {f.key() for f in findings}
        findings = [
            replace(
                f,
                status=BaselineStatus.UNCHANGED if f.key() in before_keys else BaselineStatus.NEW,
            )
            for f in findings
        ]
        resolved = [f for f in before if f.key() not in now_keys]

    findings.sort(
        key=lambda f: (
            -f.severity.rank,
            f.rule,
            f.component or "",
            f.path or "",
            f.line or 0,
            f.message,
        )
    )
    evaluation = Evaluation(
        policy=policy.name,
        policy_digest=policy.digest,
        profile=profile.value,
        fail_on=fail_on,
        only_new=only_new,
        findings=tuple(findings),
        resolved=tuple(sorted(resolved, key=lambda f: f.key())),
        obligations=_obligations(inventory, judge, profile),
        today=today.isoformat(),
    )
    return replace(inventory, evaluation=evaluation)


def _obligations(
    inventory: Inventory, judge: Judge, profile: Profile
) -> tuple[LicenseObligations, ...]:
    """What each license in the shipped product asks of it, and which components bring it."""
    by_license: dict[str, tuple[str, list[str], list[str]]] = {}
    outbound = inventory.subject.declared_license
    for comp in inventory.components:
        if comp.license_expression is None or comp.scope.value not in ("runtime", "optional"):
            continue
        verdict = judge.judge(
            comp.license_expression, Context(profile=profile, shipped=True, outbound=outbound)
        )
        if verdict.outcome is Outcome.DENY:
            continue
        for license_id, klass in verdict.licenses:
            single = replace(verdict, licenses=((license_id, klass),))
            entry = by_license.setdefault(
                license_id, (klass.value, [], list(judge.obligations(single)))
            )
            entry[1].append(comp.purl)
    return tuple(
        LicenseObligations(
            license=lid,
            license_class=klass,
            obligations=tuple(obl),
            components=tuple(sorted(set(comps))),
        )
        for lid, (klass, comps, obl) in sorted(by_license.items())
        if obl
    )
