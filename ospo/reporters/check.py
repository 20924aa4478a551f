# SPDX-License-Identifier: Apache-2.0
"""The results of ``ospo check``: for people (text, markdown) and for machines (JSON, JUnit).

SARIF lives in ``ospo.reporters.sarif``. Every format shows waived findings as waived and
each finding with how to fix it.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from xml.etree import ElementTree as ET

from ospo import __version__
from ospo.errors import OspoError, printable
from ospo.evaluation import Evaluation, Finding, GateVerdict, Severity
from ospo.model import Inventory
from ospo.reporters.base import RenderOptions, Reporter

CHECK_SCHEMA_VERSION = "1.0"
_HEADINGS = {
    Severity.ERROR: "Denied by policy (errors)",
    Severity.WARNING: "Needs an OSRB decision (warnings)",
    Severity.INFO: "Allowed, with obligations or notes (info)",
}


def evaluation_of(inventory: Inventory) -> Evaluation:
    """Return the inventory's evaluation; reporters of check results need one."""
    if inventory.evaluation is None:
        raise OspoError("internal error: the inventory has not been evaluated")
    return inventory.evaluation


def finding_fingerprint(finding: Finding) -> str:
    """A finding's identity across runs (its :meth:`~ospo.evaluation.Finding.key`), hashed:
    code scanning and merge-request reports match findings of two runs by it."""
    return hashlib.sha256("\0".join(finding.key()).encode()).hexdigest()[:32]


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding with the stable keys of the check JSON."""
    waiver = finding.waiver
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "component": finding.component,
        "path": finding.path,
        "line": finding.line,
        "license": finding.license,
        "elected_license": finding.elected_license,
        "message": finding.message,
        "how_to_fix": finding.how_to_fix,
        "waived": finding.waived,
        "waiver": None
        if waiver is None
        else {
            "decision": waiver.decision,
            "approver": waiver.approver,
            "role": waiver.role,
            "reason": waiver.reason,
            "ticket": waiver.ticket,
            "expires": waiver.expires,
            "source": waiver.source,
        },
        "status": finding.status,
        "obligations": list(finding.obligations),
    }


class CheckJsonReporter(Reporter):
    """The check result as JSON (stable keys: verdict, findings)."""

    name = "check-json"
    title = "check results (JSON)"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the JSON text."""
        ev = evaluation_of(inventory)
        data = {
            "schema_version": CHECK_SCHEMA_VERSION,
            "verdict": ev.verdict,
            "policy": ev.policy,
            "policy_digest": ev.policy_digest,
            "profile": ev.profile,
            "fail_on": ev.fail_on.value,
            "only_new": ev.only_new,
            "subject": {
                "name": inventory.subject.name,
                "version": inventory.subject.version,
                "license": inventory.subject.declared_license,
            },
            "counts": _counts(ev),
            "findings": [finding_json(f) for f in ev.findings],
            "resolved": [finding_json(f) for f in ev.resolved],
            "obligations": [
                {
                    "license": o.license,
                    "class": o.license_class,
                    "obligations": list(o.obligations),
                    "components": list(o.components),
                }
                for o in ev.obligations
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _counts(ev: Evaluation) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for f in ev.findings:
        if not f.waived:
            counts[f.severity.value] += 1
    counts["waived"] = sum(1 for f in ev.findings if f.waived)
    counts["failing"] = len(ev.failing)
    return counts


def _subject_of(finding: Finding) -> str:
    where = finding.component or finding.path or ""
    if finding.path and finding.line:
        where = f"{finding.path}:{finding.line}"
    return where


class CheckTextReporter(Reporter):
    """Findings for people: grouped by severity, each with how to fix it."""

    name = "check-text"
    title = "check results"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the text."""
        ev = evaluation_of(inventory)
        counts = _counts(ev)
        lines = [
            f"{printable(inventory.subject.name)}: {ev.verdict.upper()} — policy "
            f"{printable(ev.policy)}, profile "
            f"{ev.profile}, failing on {ev.fail_on.value}"
            f"{' (new findings only)' if ev.only_new else ''}",
            f"{_many(counts['error'], 'error')}, {_many(counts['warning'], 'warning')}, "
            f"{counts['info']} info, {counts['waived']} waived; "
            f"{counts['failing']} count{'s' * (counts['failing'] == 1)} against the gate",
        ]
        for severity in Severity.ERROR, Severity.WARNING, Severity.INFO:
            group = [f for f in ev.findings if f.severity is severity and not f.waived]
            if not group:
                continue
            lines += ["", _HEADINGS[severity] + ":"]
            for f in group:
                status = f" [{f.status}]" if f.status else ""
                mark = "✗" if ev.counts(f) else "-"
                lines.append(f"  {mark} {f.rule}{status}: {printable(_subject_of(f))}")
                lines.append(f"      {printable(f.message)}")
                lines.append(f"      how to fix: {printable(f.how_to_fix)}")
        waived = [f for f in ev.findings if f.waived]
        if waived:
            lines += ["", "Waived by OSRB decisions:"]
            for f in waived:
                w = f.waiver
                who = f"{w.approver} ({w.role})" if w else "?"
                ticket = f", {w.ticket}" if w and w.ticket else ""
                said = printable(f"{_subject_of(f)} — {who}{ticket}: {w.reason if w else ''}")
                lines.append(f"  ~ {f.rule}: {said}")
        if ev.resolved:
            lines += ["", f"Resolved since the baseline: {len(ev.resolved)}"]
            for f in ev.resolved:
                lines.append(f"  + {f.rule}: {printable(_subject_of(f))}")
        return "\n".join(lines) + "\n"


class MarkdownReporter(Reporter):
    """A pull-request comment: the verdict, what blocks, what needs a decision."""

    name = "markdown"
    title = "check results (Markdown)"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the Markdown text."""
        ev = evaluation_of(inventory)
        counts = _counts(ev)
        icon = "✅" if ev.verdict is GateVerdict.PASS else "❌"
        out = [
            f"### {icon} ospo: {ev.verdict} — {_md(inventory.subject.name)}",
            "",
            f"Policy **{_md(ev.policy)}**, profile **{ev.profile}**, failing on "
            f"**{ev.fail_on.value}**{' (new findings only)' if ev.only_new else ''}: "
            f"{_many(counts['error'], 'error')}, {_many(counts['warning'], 'warning')}, "
            f"{counts['info']} info, {counts['waived']} waived.",
        ]
        blocking = ev.failing
        if blocking:
            out += ["", "| | rule | where | license | how to fix |", "|---|---|---|---|---|"]
            for f in blocking:
                mark = "🛑" if f.severity is Severity.ERROR else "⚠️"
                out.append(
                    f"| {mark} | `{f.rule}` | {_md(_subject_of(f))} | {_md(f.license or '')} | "
                    f"{_md(f.how_to_fix)} |"
                )
        rest = [f for f in ev.findings if not ev.counts(f)]
        if rest:
            out += [
                "",
                f"<details><summary>{len(rest)} more (info, waived or not new)</summary>",
                "",
            ]
            for f in rest:
                state = " (waived)" if f.waived else ""
                out.append(f"- `{f.rule}`{state} {_md(_subject_of(f))}: {_md(f.message)}")
            out += ["", "</details>"]
        return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Escape text for a Markdown table cell (and keep HTML from package names inert, and
    control characters shown, not obeyed)."""
    escaped = (
        printable(text.replace("\n", " "))
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
    for char in "`*_[]":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


class JunitReporter(Reporter):
    """JUnit XML: one test case per finding; failures are what counts against the gate."""

    name = "junit"
    title = "check results (JUnit XML)"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the XML text."""
        ev = evaluation_of(inventory)
        suite = ET.Element(
            "testsuite",
            name=f"ospo check {inventory.subject.name}",
            tests=str(max(len(ev.findings), 1)),
            failures=str(len(ev.failing)),
            errors="0",
            skipped=str(sum(1 for f in ev.findings if f.waived)),
        )
        props = ET.SubElement(suite, "properties")
        for key, value in (
            ("policy", ev.policy),
            ("profile", ev.profile),
            ("fail_on", ev.fail_on.value),
            ("ospo", __version__),
        ):
            ET.SubElement(props, "property", name=key, value=value)
        if not ev.findings:
            ET.SubElement(suite, "testcase", classname="ospo", name="policy check")
        for f in ev.findings:
            case = ET.SubElement(suite, "testcase", classname=f.rule, name=_subject_of(f) or f.rule)
            if f.waived and f.waiver is not None:
                ET.SubElement(
                    case,
                    "skipped",
                    message=f"waived by {f.waiver.approver} ({f.waiver.role}): {f.waiver.reason}",
                )
            elif ev.counts(f):
                failure = ET.SubElement(case, "failure", type=f.severity.value, message=f.message)
                failure.text = f"how to fix: {f.how_to_fix}"
            else:
                out = ET.SubElement(case, "system-out")
                out.text = f"{f.severity.value}: {f.message}"
        ET.indent(suite)
        text = ET.tostring(suite, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + _NOT_XML.sub(_escaped, text) + "\n"


#: Characters XML 1.0 does not allow (control characters, lone surrogates from file names
#: that are not UTF-8, U+FFFE and U+FFFF): written as Python escapes, so the report stays
#: well-formed XML and still says which character it was.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escaped(found: re.Match[str]) -> str:
    return found.group().encode("unicode_escape").decode("ascii")


def _many(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``, ``0 errors``."""
    return f"{count} {noun}{'s' * (count != 1)}"
