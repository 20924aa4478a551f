# SPDX-License-Identifier: Apache-2.0
"""Compliance rules on licenses: components, vendored code, first-party files, evidence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ospo import licensing
from ospo.evaluation import Finding, Severity
from ospo.model import Component, FileEntry, LicenseSource
from ospo.policy.judge import Context
from ospo.policy.loader import compatibility_data
from ospo.policy.model import LicenseClass, Linkage, Outcome, Profile, RuleDoc
from ospo.policy.rules.base import SEVERITY_OF, Rule, RuleContext

#: Components that only run in the build (a workflow's actions): an unknown license of one
#: that is not shipped is reported as information.
BUILD_ONLY_PURLS = ("pkg:github/",)

_UNKNOWN_FIX = (
    "Establish the license: scan the installed package (ospo scan --env), or record the "
    "OSRB's concluded license with `ospo decide`."
)


class ComponentLicenseRule(Rule):
    """Judges the effective license of every component (dependencies and vendored code)."""

    name = "component-license"
    docs = (
        RuleDoc(rule="license/denied", summary="a component's license is denied in this context"),
        RuleDoc(
            rule="license/incompatible",
            summary="a component's license is incompatible with the product's outbound "
            "license (source profile)",
        ),
        RuleDoc(rule="license/review", summary="a component's license needs an OSRB decision"),
        RuleDoc(
            rule="license/obligations", summary="a component's license is allowed, with obligations"
        ),
        RuleDoc(rule="license/unknown", summary="a component's license could not be established"),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield one finding per component whose license is not simply allowed, and one per
        component that keeps an "or later" project from a version the others need."""
        outbound = ctx.inventory.subject.declared_license
        shipped_together: list[tuple[Component, Context]] = []
        for comp in ctx.inventory.components:
            shipped = ctx.shipped(comp)
            linkage = ctx.linkage(comp)
            context = Context(
                profile=ctx.profile, shipped=shipped, linkage=linkage, outbound=outbound
            )
            where = f"{comp.name}{'@' + comp.version if comp.version else ''}"
            if comp.vendored_path:
                where += f" (vendored in {comp.vendored_path}/)"
            if comp.license_expression is None:
                outcome = ctx.judge.judge("LicenseRef-ospo-unknown", context).outcome
                if outcome is Outcome.ALLOW:
                    continue
                severity = SEVERITY_OF[outcome]
                if not shipped and comp.purl.startswith(BUILD_ONLY_PURLS):
                    # a CI action runs in the build, is never shipped or installed with
                    # the product, and no file says its license: a note, not a decision
                    severity = Severity.INFO
                yield Finding(
                    rule="license/unknown",
                    severity=severity,
                    component=comp.purl,
                    message=f"{where}: no license could be established"
                    f"{': ' + comp.unknown_reason if comp.unknown_reason else ''}",
                    how_to_fix=_UNKNOWN_FIX,
                )
                continue
            verdict = ctx.judge.judge(comp.license_expression, context)
            if shipped and verdict.outcome is not Outcome.DENY:
                shipped_together.append((comp, context))
            if verdict.outcome is Outcome.ALLOW:
                continue
            rule = {
                Outcome.DENY: "license/incompatible" if verdict.incompatible else "license/denied",
                Outcome.REVIEW: "license/review",
                Outcome.OBLIGATIONS: "license/obligations",
            }[verdict.outcome]
            yield Finding(
                rule=rule,
                severity=SEVERITY_OF[verdict.outcome],
                component=comp.purl,
                license=comp.license_expression,
                elected_license=verdict.elected,
                message=f"{where} is under {comp.license_expression}: {'; '.join(verdict.reasons)}",
                how_to_fix=_how_to_fix(verdict.outcome, verdict.licenses, linkage, shipped),
                obligations=ctx.judge.obligations(verdict)
                if verdict.outcome is Outcome.OBLIGATIONS
                else (),
            )
        yield from _no_version_for_all(ctx, shipped_together)


def _no_version_for_all(
    ctx: RuleContext, judged: list[tuple[Component, Context]]
) -> Iterator[Finding]:
    """Under the source profile with an "or later" outbound license (GPL-2.0-or-later), the
    components together need one version it admits: GPL-2.0-only code keeps the work at
    version 2, Apache-2.0 code needs version 3 (gpl-faq: #AllCompatibility)."""
    outbound = ctx.inventory.subject.declared_license
    if ctx.profile is not Profile.SOURCE or not outbound or len(judged) < 2:
        return
    listed = compatibility_data()["outbound"]
    normalized = licensing.normalize(outbound) or outbound
    versions = [v for v in licensing.versions_admitted(normalized) if v in listed]
    if len(versions) < 2:
        return
    admitted: list[tuple[Component, frozenset[str]]] = []
    for comp, context in judged:
        assert comp.license_expression is not None
        fits = frozenset(
            v
            for v in versions
            if not ctx.judge.judge(
                comp.license_expression, replace(context, outbound=v)
            ).incompatible
        )
        admitted.append((comp, fits))
    if frozenset(versions).intersection(*(fits for _, fits in admitted)):
        return
    pinning = [(comp, fits) for comp, fits in admitted if fits != frozenset(versions)]
    for comp, fits in pinning:
        others = "; ".join(
            f"{c.name} only {' or '.join(sorted(f)) or 'none'}" for c, f in pinning if c is not comp
        )
        yield Finding(
            rule="license/incompatible",
            severity=Severity.ERROR,
            component=comp.purl,
            license=comp.license_expression,
            message=f"{comp.name}@{comp.version or '?'} is under {comp.license_expression}, which"
            f" {outbound} admits only as {' or '.join(sorted(fits)) or 'none'}; {others}: no"
            f" version of {outbound} accepts every component together"
            " (gpl-faq: #AllCompatibility)",
            how_to_fix="Replace one of these components with one under a license that the same "
            "version accepts, obtain a license for that version from its authors (then record "
            "it with `ospo decide`), or publish the project under the version they share.",
        )


def _how_to_fix(
    outcome: Outcome,
    licenses: tuple[tuple[str, LicenseClass], ...],
    linkage: Linkage,
    shipped: bool,
) -> str:
    if outcome is Outcome.OBLIGATIONS:
        # names no command that does not exist: attribution is the product's own file
        return (
            "Meet the obligations listed: ship the license texts and copyright notices in "
            "the product's NOTICE or third-party attribution file."
        )
    classes = {c for _, c in licenses}
    if outcome is Outcome.REVIEW:
        hint = "Ask the OSRB for a decision and record it with `ospo decide`"
        if LicenseClass.WEAK_COPYLEFT_LIBRARY in classes and linkage is Linkage.STATIC:
            hint += ", or link the library dynamically"
        return hint + "."
    fix = "Replace the component with one under an allowed license"
    if shipped:
        fix += ", make it a dev/test-only dependency if it does not ship"
    return (
        fix
        + ", or obtain a different license from its authors (then record it with `ospo decide`)."
    )


class LicenseEvidenceRule(Rule):
    """Invalid license statements, and declared licenses that disagree with detected ones."""

    name = "license-evidence"
    docs = (
        RuleDoc(
            rule="license/invalid", summary="a license statement is not a valid SPDX expression"
        ),
        RuleDoc(
            rule="license/assumed",
            summary="the license is what a vague declaration usually means, not stated",
        ),
        RuleDoc(
            rule="license/mismatch",
            summary="the detected license is not covered by the declared one",
        ),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield findings about the evidence itself."""
        for comp in ctx.inventory.components:
            for evidence in comp.licenses:
                if evidence.valid and (evidence.note or "").startswith("assumed: "):
                    yield Finding(
                        rule="license/assumed",
                        severity=Severity.WARNING,
                        component=comp.purl,
                        path=evidence.location,
                        license=evidence.expression,
                        message=f"{comp.name}: license {evidence.expression} is {evidence.note}",
                        how_to_fix="Read the package's source for its license text and record the "
                        "license the OSRB concludes with `ospo decide`; ask upstream to declare an "
                        "SPDX expression and ship the license file.",
                    )
                # Without a license at all, license/unknown reports it (with this reason);
                # beside a valid statement, an invalid one is a note.
                if not evidence.valid and comp.license_expression is not None:
                    yield Finding(
                        rule="license/invalid",
                        severity=Severity.INFO,
                        component=comp.purl,
                        path=evidence.location,
                        license=evidence.expression,
                        message=f"{comp.name}: {evidence.source.value} license "
                        f"{evidence.expression!r} is not a valid SPDX expression"
                        f"{' (' + evidence.note + ')' if evidence.note else ''}",
                        how_to_fix="Record the license the OSRB concludes with `ospo decide`, and "
                        "ask upstream to declare an SPDX expression.",
                    )
            mismatch = _mismatch(comp)
            if mismatch is not None:
                declared, detected = mismatch
                yield Finding(
                    rule="license/mismatch",
                    severity=Severity.WARNING,
                    component=comp.purl,
                    license=comp.license_expression,
                    message=f"{comp.name} declares {declared} but its files say {detected}",
                    how_to_fix="Check the license files and record the concluded license with "
                    "`ospo decide`; report the discrepancy upstream.",
                )


def _mismatch(comp: Component) -> tuple[str, str] | None:
    declared = [
        e.expression
        for e in comp.licenses
        if e.source is LicenseSource.DECLARED and e.valid and e.expression
    ]
    detected = [
        e.expression
        for e in comp.licenses
        if e.source is LicenseSource.DETECTED and e.valid and e.expression and e.counted
    ]
    if not declared or not detected:
        return None
    base = licensing.combine_and(declared) or ""
    uncovered = [d for d in detected if not licensing.mentions(base, d)]
    if not uncovered:
        return None
    return " AND ".join(dict.fromkeys(declared)), " AND ".join(dict.fromkeys(uncovered))


class FileLicenseRule(Rule):
    """First-party files whose license differs from the product's."""

    name = "file-license"
    docs = (
        RuleDoc(
            rule="file/license",
            summary="a first-party file carries a license other than the product's",
        ),
        RuleDoc(
            rule="license/unknown-reference",
            summary="a first-party file mentions a license ScanCode cannot identify, or "
            "refers to a file that was not found or names no license",
        ),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield findings for files whose detected license is not the product's."""
        product = ctx.inventory.subject.declared_license
        # whole licenses, each with its exception: a GPL-2.0-only file in a project that
        # grants the Classpath exception is not under the project's license
        product_ids = set(licensing.licenses_of(product)) if product else set()
        mentions = set(ctx.policy.data.get("files", {}).get("mentions", []))
        context = Context(
            profile=ctx.profile, shipped=True, linkage=Linkage.STATIC, outbound=product
        )
        for entry in ctx.inventory.files:
            effective = entry.effective_license
            if entry.package is not None or not effective:
                continue
            line = entry.detections[0].start_line if entry.detections else None
            expression, mentioned = _without_mentions(effective, mentions)
            ids = set(licensing.licenses_of(expression)) if expression else set()
            if ids <= product_ids:
                if mentioned:
                    yield _unknown_reference(entry, line)
                continue
            assert expression is not None
            verdict = ctx.judge.judge(expression, context)
            if verdict.outcome is Outcome.ALLOW:
                continue
            theirs = (
                f", not the product's license {product}"
                if product
                else " (the product declares no license)"
            )
            yield Finding(
                rule="file/license",
                severity=SEVERITY_OF[verdict.outcome],
                path=entry.path,
                line=line,
                license=effective,
                elected_license=verdict.elected,
                message=f"{entry.path} is under {effective}{theirs}: {'; '.join(verdict.reasons)}",
                how_to_fix="If the file was copied from elsewhere, treat it as vendored code "
                "(move it under vendor/ with its license) or replace it; if it is yours, "
                "correct its license header. Set product.license in .ospo.yml.",
                obligations=ctx.judge.obligations(verdict)
                if verdict.outcome is Outcome.OBLIGATIONS
                else (),
            )


def _unknown_reference(entry: FileEntry, line: int | None) -> Finding:
    """The finding for a file that only mentions a license, naming what was looked for."""
    message = f"{entry.path} mentions a license ScanCode cannot identify"
    how_to_fix = "Make the reference precise with an SPDX-License-Identifier line."
    ref = entry.reference
    if ref is not None:
        named = ", ".join(ref.names)
        folder = entry.path.rpartition("/")[0]
        where = f"in {folder}/ or at the root of the tree" if folder else "at the root of the tree"
        if ref.followed:
            message = (
                f"{entry.path} refers to {named} for its license; with what "
                f"{', '.join(ref.followed)} says, it still names no license ScanCode can "
                "identify (a reference that only refers on, or a loop)"
            )
        else:
            message = (
                f"{entry.path} refers to {named} for its license, but no file of that name "
                f"with a license was found {where}"
            )
        how_to_fix = (
            f"Add {named} with the license's text beside the file or at the root of the "
            "tree, or make the reference precise with an SPDX-License-Identifier line."
        )
    return Finding(
        rule="license/unknown-reference",
        severity=Severity.INFO,
        path=entry.path,
        line=line,
        license=entry.effective_license,
        message=message,
        how_to_fix=how_to_fix,
    )


def _without_mentions(expression: str, mentions: set[str]) -> tuple[str | None, bool]:
    """Drop the conjuncts that only mention a license; say whether there were any."""
    checked = licensing.check(expression)
    if not checked.valid or checked.normalized is None:
        return expression, False
    parsed = licensing.spdx_licensing().parse(checked.normalized)
    parts = []
    stack = [parsed]
    while stack:  # the conjuncts of nested ANDs, in order
        node = stack.pop(0)
        if type(node).__name__ == "AND":
            stack[:0] = list(node.args)
        else:
            parts.append(node)
    kept = [str(p) for p in parts if not set(licensing.license_ids(str(p))) <= mentions]
    return licensing.combine_and(kept), len(kept) < len(parts)
