# SPDX-License-Identifier: Apache-2.0
"""The review board's packet: one decision document per release, built from an evaluated
inventory.

:func:`build_packet` turns an :class:`~ospo.model.Inventory` whose evaluation is filled in
(and, optionally, the inventory of the last approved release and the board's sign-offs)
into a :class:`Packet`: the thirteen sections a release manager hands to the Open Source
Review Board. :func:`render_packet` lays it out as HTML, Markdown or PDF from the Jinja2
templates in ``templates/`` (or an organisation's own directory). Everything in it that
came from a scanned tree or an SBOM is untrusted text: the HTML is autoescaped, Markdown
cells are escaped, and nothing in the document fetches anything.
"""

from __future__ import annotations

import hashlib
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ospo.evaluation import BaselineStatus, Evaluation, Finding, Severity
from ospo.model import Component, Inventory, LicenseSource, Scope

if TYPE_CHECKING:
    from ospo.health.projects import MeasuredProject
    from ospo.policy.judge import Judge
    from ospo.policy.loader import Policy
    from ospo.policy.model import Profile

#: The roles of the board whose sign-off a release asks for, in the packet's order.
BOARD_ROLES = ("engineering", "product", "legal", "compliance")

#: The 5C areas of OSPO practice, and the area each family of rules belongs to.
AREAS = ("consumption", "compliance", "community", "contribution", "competition")
_AREA_OF_FAMILY = {
    "license": "compliance",
    "file": "compliance",
    "waiver": "compliance",
    "consumption": "consumption",
    "contribution": "contribution",
    "community": "community",
    "competition": "competition",
}

#: The section ids, in order: anchors in HTML, what the browser and PDF tests look for.
SECTIONS = (
    ("identity", "Identity"),
    ("verdict", "Verdict and summary"),
    ("decisions", "Decisions required"),
    ("changes", "Changed since the last approved release"),
    ("violations", "Violations"),
    ("obligations", "Obligations checklist"),
    ("waivers", "Waivers and elections"),
    ("unknowns", "Unknowns"),
    ("contribution", "Contribution and outbound checks"),
    ("community", "Community and competition"),
    ("inventory", "Inventory"),
    ("signoff", "Sign-off"),
    ("openchain", "OpenChain ISO/IEC 5230 evidence"),
)

NOTICE_ARTIFACT = "NOTICE (ospo notice)"
SOURCE_ARTIFACT = "the release's source archive and written source offer"

#: The license classes whose licenses ask for attribution and their own text.
_ATTRIBUTED = frozenset(
    {
        "permissive",
        "weak-copyleft-file",
        "weak-copyleft-library",
        "strong-copyleft",
        "network-copyleft",
    }
)

#: Obligation types of the checklist: the license classes that bring each, the licenses
#: that bring it whatever their class, and the artifact of the release that fulfils it.
OBLIGATION_TYPES: tuple[tuple[str, frozenset[str], frozenset[str], str], ...] = (
    (
        "attribution",
        _ATTRIBUTED,
        frozenset(),
        NOTICE_ARTIFACT,
    ),
    (
        "license text",
        _ATTRIBUTED,
        frozenset(),
        NOTICE_ARTIFACT,
    ),
    ("NOTICE carry-over", frozenset(), frozenset({"Apache-2.0"}), NOTICE_ARTIFACT),
    (
        "state changes",
        frozenset({"strong-copyleft", "network-copyleft", "weak-copyleft-library"}),
        frozenset({"Apache-2.0", "MPL-2.0", "EPL-2.0", "CC-BY-4.0"}),
        "a list of the changes made to these components, shipped with them",
    ),
    (
        "source offer",
        frozenset({"strong-copyleft", "weak-copyleft-library"}),
        frozenset(),
        SOURCE_ARTIFACT,
    ),
    (
        "network source offer",
        frozenset({"network-copyleft"}),
        frozenset(),
        "a source offer shown to every user of the service",
    ),
    (
        "relinking",
        frozenset({"weak-copyleft-library"}),
        frozenset(),
        "dynamic linking, or the object files to relink with",
    ),
    (
        "file-level source",
        frozenset({"weak-copyleft-file"}),
        frozenset({"MPL-2.0", "EPL-2.0"}),
        "the source of those files, with any changes, in the source archive",
    ),
)


class SignoffRecord(Protocol):
    """One role's sign-off on a release, as ``ospo signoff`` records it.

    ``valid`` is False when what the signature was bound to (inventory, evaluation, policy)
    changed since: the packet shows such a record, but not as a sign-off.
    """

    @property
    def role(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def decision(self) -> str: ...  # approve | approve-with-conditions | reject
    @property
    def conditions(self) -> str | None: ...
    @property
    def date(self) -> str: ...
    @property
    def valid(self) -> bool: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """What the packet is about and what made it (section 1)."""

    product: str
    version: str | None
    revision: str | None
    date: str
    profile: str
    policy: str
    policy_digest: str
    ospo_version: str
    scancode_version: str | None
    inventory_digest: str
    baseline: str | None  # "name version (sha256 …)" of the release compared with


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    """One bar of an inline chart, its share of the chart's width in percent."""

    label: str
    count: int
    percent: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """The verdict and the counts (section 2)."""

    verdict: str  # pass | fail | decisions pending
    by_severity: tuple[tuple[str, int, int], ...]  # severity, open, waived
    by_area: tuple[tuple[str, int], ...]
    by_role: tuple[tuple[str, int], ...]
    license_chart: tuple[Bar, ...]
    findings_chart: tuple[Bar, ...]
    components: int
    shipped: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionNeeded:
    """One finding that needs the board (section 3)."""

    rule: str
    subject: str  # purl or path
    name: str
    version: str | None
    scope: str | None
    dependency_path: tuple[str, ...]  # from a direct dependency down to it; () when direct
    direct: bool | None
    license: str | None
    evidence: tuple[str, ...]  # "declared MIT (METADATA)"
    why: str
    options: tuple[str, ...]
    recommended: str
    roles: tuple[str, ...]
    status: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """A finding that blocks the release (section 5)."""

    rule: str
    subject: str
    message: str
    how_to_fix: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class UpstreamFinding:
    """A finding on the health, control or licensing course of an upstream project
    (section 10): the Community and Competition rules and the registry's Consumption
    signals."""

    rule: str
    severity: str
    subject: str
    message: str
    how_to_fix: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseChange:
    """A component whose license changed between the releases."""

    name: str
    source: str  # declared | detected | concluded | effective | elected
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Changes:
    """What changed since the last approved release (section 4); ``baseline`` is None
    without one."""

    baseline: str | None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    upgraded: tuple[tuple[str, str, str], ...] = ()  # name, from, to
    licenses: tuple[LicenseChange, ...] = ()
    new_findings: tuple[str, ...] = ()
    resolved_findings: tuple[str, ...] = ()
    carried_over: tuple[str, ...] = ()  # approved before, unchanged, not asked again
    waivers_added: tuple[str, ...] | None = None  # None: the baseline does not say


@dataclass(frozen=True, slots=True, kw_only=True)
class Obligation:
    """One obligation type of the checklist (section 6)."""

    kind: str
    components: tuple[str, ...]
    licenses: tuple[str, ...]
    artifact: str
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WaiverRow:
    """An OSRB decision in force, or one that needs attention (section 7)."""

    rule: str
    subject: str
    decision: str
    approver: str
    role: str
    reason: str
    ticket: str | None
    date: str | None
    expires: str | None
    source: str | None
    note: str  # active | expires within 30 days


@dataclass(frozen=True, slots=True, kw_only=True)
class Election:
    """An OR choice made for a component (section 7)."""

    component: str
    expression: str
    elected: str
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Unknowns:
    """What could not be established (section 8); never dropped."""

    components: tuple[tuple[str, str], ...]  # purl, reason
    licenses_without_text: tuple[tuple[str, str], ...]  # license id, component names
    files: tuple[tuple[str, str], ...]  # path, why


@dataclass(frozen=True, slots=True, kw_only=True)
class InventoryRow:
    """One component of the inventory (section 11)."""

    name: str
    version: str | None
    purl: str
    scope: str
    direct: bool
    license: str | None
    elected: str | None
    provenance: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SignoffRow:
    """One role's line of the sign-off (section 12); blank until the role signs."""

    role: str
    name: str
    decision: str
    conditions: str
    date: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Which artifact of this run evidences an OpenChain clause (section 13)."""

    clause: str
    requirement: str
    artifact: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthRow:
    """One project's health (section 10): an own project or a dependency's clone, as
    ``ospo health`` measures it, with its commits of the last twelve months."""

    project: str
    component: str | None
    verdict: str  # active | at-risk | dormant | "not measured"
    reasons: tuple[str, ...]
    commits_90d: int | None = None
    commits_365d: int | None = None
    active_contributors_90d: int | None = None
    absence_factor: int | None = None
    elephant: str | None = None  # "1 (Acme, coverage 40%)"
    last_release: str | None = None  # "v2.1 (2026-03-01)"
    monthly: tuple[tuple[str, int], ...] = ()

    @property
    def bars(self) -> str:
        """The monthly commits as a one-line bar chart (text formats)."""
        from ospo.health.render import sparkline

        return sparkline([n for _, n in self.monthly])

    @property
    def chart(self) -> tuple[tuple[int, int, str], ...]:
        """(x, height, title) of each month's bar in a 96 x 24 drawing (HTML)."""
        top = max((n for _, n in self.monthly), default=0) or 1
        width = 96 // max(1, len(self.monthly))
        return tuple(
            (i * width, max(1 if n else 0, round(22 * n / top)), f"{month}: {n} commits")
            for i, (month, n) in enumerate(self.monthly)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Packet:
    """The review board's packet for one release."""

    identity: Identity
    banner: str | None  # "NOT APPROVED — …" while anything blocks or is pending
    approved: bool
    summary: Summary
    decisions: tuple[DecisionNeeded, ...]
    changes: Changes
    violations: tuple[Violation, ...]
    obligations: tuple[Obligation, ...]
    waivers: tuple[WaiverRow, ...]
    expired_waivers: tuple[str, ...]
    unused_waivers: tuple[str, ...]
    elections: tuple[Election, ...]
    unknowns: Unknowns
    contribution: tuple[Violation, ...] | None  # None: not a source release
    outbound_license: str | None
    upstream: tuple[UpstreamFinding, ...]
    registry_notes: tuple[str, ...]  # components the registries gave no data about
    health: tuple[HealthRow, ...]  # the projects the policy measures (ospo health)
    inventory: tuple[InventoryRow, ...]
    not_shipped: int
    differing_files: tuple[tuple[str, str], ...]  # path, license
    vendored: tuple[tuple[str, str, str], ...]  # path, component, license
    signoff: tuple[SignoffRow, ...]
    openchain: tuple[Evidence, ...]
    sections: tuple[tuple[str, str], ...] = SECTIONS


def roles_for(rule: str, policy: Policy | None) -> tuple[str, ...]:
    """The roles that decide findings of ``rule``: the policy's ``roles`` for the rule id,
    else for its family, else the board as a whole."""
    table: Mapping[str, Sequence[str]] = policy.data.get("roles", {}) if policy else {}
    found = table.get(rule) or table.get(rule.split("/", 1)[0])
    return tuple(found) if found else ("osrb",)


def inventory_digest(inventory: Inventory) -> str:
    """The sha256 of the inventory's JSON form (without its evaluation): what a packet and
    a sign-off are bound to."""
    from ospo import inventory_json

    text = inventory_json.dumps(replace(inventory, evaluation=None))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_packet(
    inventory: Inventory,
    policy: Policy,
    *,
    baseline: Inventory | None = None,
    signoffs: Sequence[SignoffRecord] = (),
    health: Sequence[MeasuredProject] = (),
) -> Packet:
    """Build the packet of an evaluated ``inventory`` (``ospo.api.check_inventory``).

    ``policy`` is the one it was judged with (roles, license classes); ``baseline`` the
    inventory of the last approved release; ``signoffs`` the board's records, newest last.
    Raises ValueError when the inventory has not been evaluated.
    """
    from ospo import __version__
    from ospo.policy.judge import Judge
    from ospo.policy.model import Profile

    ev = inventory.evaluation
    if ev is None:
        raise ValueError("the packet needs an evaluated inventory")
    today = ev.today or date.today().isoformat()
    judge = Judge(policy)
    profile = Profile(ev.profile)
    components = {c.purl: c for c in inventory.components}
    parents = _dependency_parents(inventory.components)
    names = {c.purl: c.name for c in inventory.components}
    roles_of = {rule: roles_for(rule, policy) for rule in {f.rule for f in ev.findings}}

    baseline_components = {c.purl: c for c in baseline.components} if baseline is not None else {}
    carried: list[str] = []
    decisions: list[DecisionNeeded] = []
    violations: list[Violation] = []
    contribution: list[Violation] = []
    for f in ev.findings:
        if f.waived:
            continue
        comp = components.get(f.component or "")
        if f.rule.startswith("contribution/"):
            contribution.append(_violation(f, roles_of[f.rule]))
        if f.severity is Severity.ERROR:
            violations.append(_violation(f, roles_of[f.rule]))
        elif f.severity is Severity.WARNING:
            if (
                f.status is BaselineStatus.UNCHANGED
                and comp is not None
                and _same(comp, baseline_components.get(comp.purl))
            ):
                carried.append(f"{comp.name} {comp.version or ''}: {f.rule}".strip())
                continue
            path = _dependency_path(comp.purl, parents, names) if comp else ()
            decisions.append(_decision(f, comp, path, roles_of[f.rule]))

    counting = [f for f in ev.findings if ev.counts(f)]
    blocking = sum(1 for f in counting if f.severity is Severity.ERROR)
    pending = len(counting) - blocking
    verdict = "fail" if blocking else "decisions pending" if pending else "pass"
    signoff = _signoff(signoffs)
    unsigned = [r.role for r in signoff if r.decision not in ("approve", "approve with conditions")]
    rejected = [r.role for r in signoff if r.decision == "reject"]
    reasons = []
    if blocking:
        verb = "block" if blocking != 1 else "blocks"
        reasons.append(f"{blocking} violation{'s' * (blocking != 1)} {verb} the release")
    if pending:
        reasons.append(f"{pending} decision{'s' * (pending != 1)} pending")
    if rejected:
        reasons.append(f"rejected by {', '.join(rejected)}")
    elif unsigned:
        reasons.append(f"no valid sign-off from {', '.join(unsigned)}")
    approved = not reasons
    banner = None if approved else "NOT APPROVED — " + "; ".join(reasons)

    classes = _component_classes(inventory.components, judge, profile, inventory)
    shipped = [c for c in inventory.components if c.scope in (Scope.RUNTIME, Scope.OPTIONAL)]
    summary = Summary(
        verdict=verdict,
        by_severity=tuple(
            (
                s.value,
                sum(1 for f in ev.findings if f.severity is s and not f.waived),
                sum(1 for f in ev.findings if f.severity is s and f.waived),
            )
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        ),
        by_area=_count(
            (_AREA_OF_FAMILY.get(f.rule.split("/", 1)[0], "compliance") for f in counting), AREAS
        ),
        by_role=_count(
            (role for f in counting for role in roles_of[f.rule]), (*BOARD_ROLES, "osrb")
        ),
        license_chart=_bars(Counter(classes[c.purl] for c in shipped)),
        findings_chart=_bars(
            Counter(f.severity.value for f in ev.findings if not f.waived),
            order=("error", "warning", "info"),
        ),
        components=len(inventory.components),
        shipped=len(shipped),
    )
    elected = {f.component: f.elected_license for f in ev.findings if f.elected_license}
    identity = _identity(inventory, ev, baseline, today, __version__)
    return Packet(
        identity=identity,
        banner=banner,
        approved=approved,
        summary=summary,
        decisions=tuple(decisions),
        changes=_changes(inventory, ev, baseline, judge, profile, carried),
        violations=tuple(violations),
        obligations=_obligations(ev),
        waivers=_waivers(ev.findings, date.fromisoformat(today)),
        expired_waivers=tuple(f.message for f in ev.findings if f.rule == "waiver/expired"),
        unused_waivers=tuple(f.message for f in ev.findings if f.rule == "waiver/unused"),
        elections=tuple(
            Election(
                component=f.component or "",
                expression=f.license or "",
                elected=f.elected_license or "",
                by=f"the policy's preference ({ev.policy})",
            )
            for f in ev.findings
            if f.elected_license and f.component
        ),
        unknowns=_unknowns(inventory),
        contribution=tuple(contribution) if ev.profile == "source" else None,
        outbound_license=inventory.subject.declared_license,
        upstream=_upstream(ev, roles_of),
        registry_notes=tuple(
            f"{i.path}: {i.message}" for i in inventory.scan.issues if i.kind.value == "registry"
        ),
        health=tuple(_health_row(m) for m in health),
        inventory=tuple(
            InventoryRow(
                name=c.name,
                version=c.version,
                purl=c.purl,
                scope=c.scope.value,
                direct=c.direct,
                license=c.license_expression,
                elected=elected.get(c.purl),
                provenance=_provenance(c),
            )
            for c in sorted(inventory.components, key=lambda c: (c.name, c.purl))
            if c.scope in (Scope.RUNTIME, Scope.OPTIONAL)
        ),
        not_shipped=len(inventory.components) - len(shipped),
        differing_files=tuple(
            (f.path or "", f.license or "") for f in ev.findings if f.rule == "file/license"
        ),
        vendored=tuple(
            (c.vendored_path, c.name, c.license_expression or "unknown")
            for c in sorted(inventory.components, key=lambda c: c.vendored_path or "")
            if c.vendored_path
        ),
        signoff=signoff,
        openchain=_openchain(ev, identity.inventory_digest, blocking),
    )


def _health_row(measured: MeasuredProject) -> HealthRow:
    from ospo.errors import InputError

    h = measured.health
    project = "this repository (the product)" if measured.label == "." else measured.label
    if isinstance(h, InputError):
        return HealthRow(
            project=project,
            component=measured.component,
            verdict="not measured",
            reasons=(h.message,),
        )
    elephant = None
    if h.elephant_factor is not None:
        elephant = (
            f"{h.elephant_factor} ({h.dominant_organisation}, coverage {h.elephant_coverage:.0%})"
        )
    last = h.releases[-1] if h.releases else None
    return HealthRow(
        project=project,
        component=measured.component,
        verdict=h.verdict.value,
        reasons=tuple(h.reasons),
        commits_90d=h.activity.commits_90d,
        commits_365d=h.activity.commits_365d,
        active_contributors_90d=len(h.activity.authors_90d),
        absence_factor=h.contributor_absence_factor,
        elephant=elephant,
        last_release=f"{last.tag} ({last.date})" if last else None,
        monthly=tuple(h.activity.monthly),
    )


def _upstream(
    ev: Evaluation, roles_of: Mapping[str, tuple[str, ...]]
) -> tuple[UpstreamFinding, ...]:
    """The findings of section 10, most severe first."""
    from ospo.policy.rules.registry import RegistryConsumptionRule

    registry_consumption = {d.rule for d in RegistryConsumptionRule.docs}
    chosen = [
        f
        for f in ev.findings
        if not f.waived
        and (f.rule.startswith(("community/", "competition/")) or f.rule in registry_consumption)
    ]
    chosen.sort(key=lambda f: (-f.severity.rank, f.rule, f.component or f.path or ""))
    return tuple(
        UpstreamFinding(
            rule=f.rule,
            severity=f.severity.value,
            subject=f.component or f.path or "the product",
            message=f.message,
            how_to_fix=f.how_to_fix,
            roles=roles_of[f.rule],
        )
        for f in chosen
    )


def _same(now: Component, before: Component | None) -> bool:
    return (
        before is not None
        and before.version == now.version
        and before.license_expression == now.license_expression
    )


def _count(values: Iterable[str], order: Sequence[str]) -> tuple[tuple[str, int], ...]:
    counted = Counter(values)
    extra = sorted(k for k in counted if k not in order)
    return tuple((k, counted.get(k, 0)) for k in (*order, *extra))


def _bars(counted: Counter[str], order: Sequence[str] = ()) -> tuple[Bar, ...]:
    keys = [k for k in order if counted.get(k)] or sorted(counted, key=lambda k: (-counted[k], k))
    top = max(counted.values(), default=0)
    return tuple(
        Bar(label=k, count=counted[k], percent=round(100 * counted[k] / top, 1)) for k in keys
    )


def _component_classes(
    components: Sequence[Component], judge: Judge, profile: Profile, inventory: Inventory
) -> dict[str, str]:
    """The license class of each component: the strictest class its license brings."""
    from ospo.policy.judge import Context
    from ospo.policy.model import LicenseClass

    order = {c: i for i, c in enumerate(LicenseClass)}
    context = Context(profile=profile, outbound=inventory.subject.declared_license)
    out: dict[str, str] = {}
    for comp in components:
        if comp.license_expression is None:
            out[comp.purl] = LicenseClass.UNKNOWN.value
            continue
        verdict = judge.judge(comp.license_expression, context)
        classes = [k for _, k in verdict.licenses] or [LicenseClass.UNKNOWN]
        out[comp.purl] = max(classes, key=lambda k: order[k]).value
    return out


def _dependency_parents(components: Sequence[Component]) -> dict[str, str | None]:
    """For each component reachable from a direct one, the component that first reaches it
    (breadth first, so the chain back is a shortest one); None for a direct component."""
    by_purl = {c.purl: c for c in components}
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for comp in components:
        if comp.direct:
            parent[comp.purl] = None
            queue.append(comp.purl)
    while queue:
        purl = queue.popleft()
        for child in by_purl[purl].dependencies if purl in by_purl else ():
            if child not in parent:
                parent[child] = purl
                queue.append(child)
    return parent


def _dependency_path(
    purl: str, parents: Mapping[str, str | None], names: Mapping[str, str]
) -> tuple[str, ...]:
    """The names from a direct dependency down to ``purl``'s parent; () when direct or when
    the inventory records no edge to it. Walked only for components the board is asked
    about, so a deep graph costs its depth per decision, not per component."""
    chain: list[str] = []
    step = parents.get(purl)
    while step is not None:
        chain.append(names.get(step, step))
        step = parents.get(step)
    return tuple(reversed(chain))


def _evidence(comp: Component) -> tuple[str, ...]:
    """The statements the effective license came from; those not counted, only counted."""
    counted = tuple(
        f"{e.source.value} {e.expression or 'none'}"
        + (f" ({e.location})" if e.location else "")
        + ("" if e.valid else " (not a valid SPDX expression)")
        for e in comp.licenses
        if e.counted
    )
    left_out = sum(1 for e in comp.licenses if not e.counted)
    return counted + ((f"{left_out} more mentioned but not counted",) if left_out else ())


def _provenance(comp: Component) -> str:
    sources = sorted({e.source.value for e in comp.licenses if e.counted and e.expression})
    return ", ".join(sources) if sources else "none"


#: What the board can do about a finding that needs it, by rule; the first is recommended.
_OPTIONS = {
    "license/review": (
        "replace the component with one under an allowed license",
        "buy a commercial license",
        "link it dynamically where the license allows that",
        "waive with a recorded reason (`ospo decide`)",
    ),
    "license/unknown": (
        "establish the license from the package's files or its authors, and record it as "
        "a concluded license",
        "replace the component",
        "waive with a recorded reason (`ospo decide`)",
    ),
    "license/unknown-reference": (
        "read the referenced license and record what it grants",
        "waive with a recorded reason (`ospo decide`)",
    ),
    "consumption/review-package": (
        "replace the component with the one the policy names",
        "waive with a recorded reason (`ospo decide`)",
    ),
    "consumption/new-dependency": (
        "approve the new dependency (`ospo decide`)",
        "remove it",
    ),
    "waiver/expired": (
        "renew the decision with a new expiry (`ospo decide --expires`)",
        "remove the waiver and decide again",
    ),
}


def _decision(
    f: Finding,
    comp: Component | None,
    path: tuple[str, ...],
    roles: tuple[str, ...],
) -> DecisionNeeded:
    options = _OPTIONS.get(f.rule, (f.how_to_fix, "waive with a recorded reason (`ospo decide`)"))
    recommended = f.how_to_fix if f.rule not in _OPTIONS else options[0]
    return DecisionNeeded(
        rule=f.rule,
        subject=f.component or f.path or "",
        name=comp.name if comp else (f.path or f.component or "the product"),
        version=comp.version if comp else None,
        scope=comp.scope.value if comp else None,
        dependency_path=path,
        direct=comp.direct if comp else None,
        license=f.license or (comp.license_expression if comp else None),
        evidence=_evidence(comp) if comp else (),
        why=f.message,
        options=options,
        recommended=recommended,
        roles=roles,
        status=f.status.value if f.status else None,
    )


def _violation(f: Finding, roles: tuple[str, ...]) -> Violation:
    return Violation(
        rule=f.rule,
        subject=f.component or f.path or "the product",
        message=f.message,
        how_to_fix=f.how_to_fix,
        roles=roles,
    )


def _identity(
    inventory: Inventory,
    ev: Evaluation,
    baseline: Inventory | None,
    today: str,
    version: str,
) -> Identity:
    scancode = next(
        (t.version for t in inventory.scan.tools if t.name.startswith("scancode")), None
    )
    before = None
    if baseline is not None:
        before = (
            f"{baseline.subject.name} {baseline.subject.version or ''}".strip()
            + f" (inventory sha256 {inventory_digest(baseline)[:16]}…)"
        )
    return Identity(
        product=inventory.subject.name,
        version=inventory.subject.version,
        revision=inventory.subject.vcs_revision,
        date=today,
        profile=ev.profile,
        policy=ev.policy,
        policy_digest=ev.policy_digest,
        ospo_version=version,
        scancode_version=scancode,
        inventory_digest=inventory_digest(inventory),
        baseline=before,
    )


def _changes(
    inventory: Inventory,
    ev: Evaluation,
    baseline: Inventory | None,
    judge: Judge,
    profile: Profile,
    carried: Sequence[str],
) -> Changes:
    """What changed since ``baseline``; the alternative elected from an OR is what the
    policy elects today on either side, so a changed expression shows its changed
    election."""
    from ospo.policy.judge import Context

    if baseline is None:
        return Changes(baseline=None)
    context = Context(profile=profile, outbound=inventory.subject.declared_license)

    def elect(comp: Component) -> str | None:
        if comp.license_expression is None:
            return None
        return judge.judge(comp.license_expression, context).elected

    def package(purl: str) -> str:
        return purl.split("@", 1)[0].split("?", 1)[0]

    now = {package(c.purl): c for c in inventory.components}
    before = {package(c.purl): c for c in baseline.components}
    upgraded = []
    licenses: list[LicenseChange] = []
    for key in sorted(now.keys() & before.keys()):
        a, b = before[key], now[key]
        if a.version != b.version:
            upgraded.append((b.name, a.version or "?", b.version or "?"))
        for source in (LicenseSource.DECLARED, LicenseSource.DETECTED, LicenseSource.CONCLUDED):
            was = _by_source(a, source)
            is_ = _by_source(b, source)
            if was != is_:
                licenses.append(
                    LicenseChange(name=b.name, source=source.value, before=was, after=is_)
                )
        if a.license_expression != b.license_expression:
            licenses.append(
                LicenseChange(
                    name=b.name,
                    source="effective",
                    before=a.license_expression,
                    after=b.license_expression,
                )
            )
        was_elected, now_elected = elect(a), elect(b)
        if was_elected != now_elected:
            licenses.append(
                LicenseChange(name=b.name, source="elected", before=was_elected, after=now_elected)
            )
    waivers_added = None
    if baseline.evaluation is not None:
        old = {(f.key(), f.waiver.source) for f in baseline.evaluation.findings if f.waiver}
        waivers_added = tuple(
            f"{f.rule} {f.component or f.path or ''}: {f.waiver.reason}"
            for f in ev.findings
            if f.waiver and (f.key(), f.waiver.source) not in old
        )
    return Changes(
        baseline=f"{baseline.subject.name} {baseline.subject.version or ''}".strip(),
        added=tuple(
            f"{now[k].name} {now[k].version or ''}".strip()
            for k in sorted(now.keys() - before.keys())
        ),
        removed=tuple(
            f"{before[k].name} {before[k].version or ''}".strip()
            for k in sorted(before.keys() - now.keys())
        ),
        upgraded=tuple(upgraded),
        licenses=tuple(licenses),
        new_findings=tuple(
            f"{f.rule} {f.component or f.path or ''}".strip()
            for f in ev.findings
            if f.status is BaselineStatus.NEW
        ),
        resolved_findings=tuple(
            f"{f.rule} {f.component or f.path or ''}".strip() for f in ev.resolved
        ),
        carried_over=tuple(carried),
        waivers_added=waivers_added,
    )


def _by_source(comp: Component, source: LicenseSource) -> str | None:
    found = sorted({e.expression for e in comp.licenses if e.source is source and e.expression})
    return " ; ".join(found) if found else None


def _obligations(ev: Evaluation) -> tuple[Obligation, ...]:
    out = []
    for kind, classes, licenses, artifact in OBLIGATION_TYPES:
        comps: set[str] = set()
        ids: set[str] = set()
        for entry in ev.obligations:
            if entry.license_class in classes or entry.license.split(" WITH ")[0] in licenses:
                comps.update(entry.components)
                ids.add(entry.license)
        status = "to fulfil" if comps else "not triggered"
        out.append(
            Obligation(
                kind=kind,
                components=tuple(sorted(comps)),
                licenses=tuple(sorted(ids)),
                artifact=artifact,
                status=status,
            )
        )
    return tuple(out)


def _waivers(findings: Sequence[Finding], today: date) -> tuple[WaiverRow, ...]:
    soon = today + timedelta(days=30)
    rows = []
    for f in findings:
        w = f.waiver
        if w is None:
            continue
        note = "active"
        if w.expires and date.fromisoformat(w.expires) <= soon:
            note = f"expires within 30 days ({w.expires})"
        rows.append(
            WaiverRow(
                rule=f.rule,
                subject=f.component or f.path or f.license or "",
                decision=w.decision.value,
                approver=w.approver,
                role=w.role.value,
                reason=w.reason,
                ticket=w.ticket,
                date=w.date,
                expires=w.expires,
                source=w.source,
                note=note,
            )
        )
    return tuple(rows)


def _unknowns(inventory: Inventory) -> Unknowns:
    from ospo.licensedb import license_table
    from ospo.licensing import license_ids

    table = license_table()
    without_text: dict[str, set[str]] = {}
    ids_of: dict[str, tuple[str, ...]] = {}
    for comp in inventory.components:
        if comp.license_expression is None:
            continue
        if comp.license_expression not in ids_of:
            ids_of[comp.license_expression] = license_ids(comp.license_expression)
        for lid in ids_of[comp.license_expression]:
            if table.lookup(lid) is None and not lid.endswith("-exception"):
                without_text.setdefault(lid, set()).add(comp.name)
    files = [(f.path, "not scanned") for f in inventory.files if not f.scanned]
    files += [
        (i.path or "(the run)", f"{i.kind.value}: {i.message}")
        for i in inventory.scan.issues
        if i.kind.value != "cache"
    ]
    return Unknowns(
        components=tuple(
            (c.purl, c.unknown_reason or "no license statement found")
            for c in sorted(inventory.components, key=lambda c: c.purl)
            if c.license_expression is None
        ),
        licenses_without_text=tuple(
            (lid, ", ".join(sorted(names))) for lid, names in sorted(without_text.items())
        ),
        files=tuple(dict.fromkeys(files)),
    )


def _signoff(records: Sequence[SignoffRecord]) -> tuple[SignoffRow, ...]:
    latest: dict[str, SignoffRecord] = {}
    for record in records:
        latest[record.role] = record  # newest last
    rows = []
    for role in BOARD_ROLES:
        r = latest.get(role)
        if r is None:
            rows.append(
                SignoffRow(role=role, name="", decision="", conditions="", date="", note="")
            )
        elif not r.valid:
            rows.append(
                SignoffRow(
                    role=role,
                    name=r.name,
                    decision="",
                    conditions="",
                    date=r.date,
                    note=f"{r.decision} by {r.name} no longer valid: what it signed changed",
                )
            )
        else:
            rows.append(
                SignoffRow(
                    role=role,
                    name=r.name,
                    decision=r.decision.replace("-", " "),
                    conditions=r.conditions or "",
                    date=r.date,
                    note="",
                )
            )
    return tuple(rows)


def _openchain(ev: Evaluation, digest: str, blocking: int) -> tuple[Evidence, ...]:
    incompatible = sum(1 for f in ev.findings if f.rule == "license/incompatible")
    return (
        Evidence(
            clause="3.1.5",
            requirement="license obligations reviewed for each use case",
            artifact=f"section 6 of this packet, from policy {ev.policy} "
            f"(sha256 {ev.policy_digest[:16]}…), profile {ev.profile}",
        ),
        Evidence(
            clause="3.3.1",
            requirement="a bill of materials of the open source in the supplied software",
            artifact=f"the inventory (sha256 {digest[:16]}…, `ospo scan -o`) and its SBOM "
            "(`ospo scan --cyclonedx` / `--spdx`); section 11 of this packet",
        ),
        Evidence(
            clause="3.3.2",
            requirement="use case: binary and source distribution",
            artifact=f"distribution profile {ev.profile}, judged in sections 2, 3 and 5",
        ),
        Evidence(
            clause="3.3.2",
            requirement="use case: modified open source",
            artifact="the state-changes row of section 6",
        ),
        Evidence(
            clause="3.3.2",
            requirement="use case: incompatible licenses",
            artifact=f"section 5 ({incompatible} license/incompatible finding"
            f"{'s' * (incompatible != 1)}, {blocking} violation{'s' * (blocking != 1)} in all)",
        ),
        Evidence(
            clause="3.3.2",
            requirement="use case: attribution",
            artifact=f"{NOTICE_ARTIFACT}; the attribution rows of section 6",
        ),
        Evidence(
            clause="3.4.1",
            requirement="compliance artifacts prepared and archived",
            artifact="this packet, the inventory, the SBOM and the NOTICE, archived with the "
            "sign-offs of section 12 when the release is approved",
        ),
    )


FORMATS = ("html", "md", "pdf")


def render_packet(packet: Packet, fmt: str, *, template_dir: Path | None = None) -> str | bytes:
    """Render ``packet`` as ``html`` or ``md`` text, or ``pdf`` bytes.

    ``template_dir`` holds an organisation's own ``packet.html.j2`` / ``packet.md.j2`` (and
    partials); a template it lacks comes from the shipped ones. A PDF is the HTML laid out
    by WeasyPrint, which is imported only here and never fetches anything.
    """
    from jinja2 import TemplateError, TemplateSyntaxError

    from ospo.errors import InputError
    from ospo.reporters.check import _md
    from ospo.templating import render

    if fmt not in FORMATS:
        raise ValueError(f"unknown packet format {fmt!r}")
    search = (template_dir,) if template_dir is not None else ()
    name = "packet.md.j2" if fmt == "md" else "packet.html.j2"
    try:
        text = render(name, search=search, filters={"md": _md}, p=packet)
    except TemplateSyntaxError as exc:
        raise InputError(
            f"template error: {exc.message}", path=exc.filename, line=exc.lineno
        ) from exc
    except TemplateError as exc:
        where = str(template_dir / name) if template_dir else name
        raise InputError(f"template error: {exc}", path=where) from exc
    if fmt != "pdf":
        return text
    return _pdf(text)


def _pdf(html: str) -> bytes:
    from ospo.errors import OperationalError

    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError as exc:  # the Python package, or Pango under it, is missing
        raise OperationalError(
            f"the PDF packet needs WeasyPrint and Pango ({exc}); run `make install`"
        ) from exc

    def refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise ValueError(f"the packet fetches nothing ({url})")

    document = weasyprint.HTML(string=html, url_fetcher=refuse)
    data: bytes = document.write_pdf()
    return data
