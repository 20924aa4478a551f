# SPDX-License-Identifier: Apache-2.0
"""SARIF 2.1.0 for code-scanning: file and line for first-party findings, waivers as
suppressions, stable fingerprints so a finding keeps its identity across runs."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ospo import __version__
from ospo.evaluation import Finding, Severity
from ospo.model import Inventory
from ospo.reporters.base import RenderOptions, Reporter
from ospo.reporters.check import evaluation_of, finding_fingerprint

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class SarifReporter(Reporter):
    """SARIF 2.1.0 JSON."""

    name = "sarif"
    title = "check results (SARIF 2.1.0)"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the SARIF log."""
        from ospo.policy.rules import rule_docs

        ev = evaluation_of(inventory)
        docs = rule_docs()
        used = sorted({f.rule for f in ev.findings})
        rules = [
            {
                "id": rule,
                "name": rule.replace("/", "-"),
                "shortDescription": {"text": docs[rule].summary if rule in docs else rule},
            }
            for rule in used
        ]
        index = {rule: i for i, rule in enumerate(used)}
        run: dict[str, Any] = {
            "tool": {"driver": {"name": "ospo", "version": __version__, "rules": rules}},
            "results": [self._result(f, index[f.rule]) for f in ev.findings],
            "properties": {
                "policy": ev.policy,
                "policyDigest": ev.policy_digest,
                "profile": ev.profile,
                "verdict": ev.verdict,
            },
        }
        log = {"$schema": _SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"

    def _result(self, f: Finding, rule_index: int) -> dict[str, Any]:
        text = f"{f.message} How to fix: {f.how_to_fix}"
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": rule_index,
            "level": _LEVEL[f.severity],
            "message": {"text": text},
            "partialFingerprints": {"ospoFinding/v1": finding_fingerprint(f)},
            "properties": {
                k: v
                for k, v in (
                    ("component", f.component),
                    ("license", f.license),
                    ("electedLicense", f.elected_license),
                    ("status", f.status),
                )
                if v
            },
        }
        if f.path:
            location: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.path)}}
            if f.line:
                location["region"] = {"startLine": f.line}
            result["locations"] = [{"physicalLocation": location}]
        elif f.component:
            result["locations"] = [
                {"logicalLocations": [{"fullyQualifiedName": f.component, "kind": "package"}]}
            ]
        if f.waived and f.waiver is not None:
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"{f.waiver.reason} — {f.waiver.approver} ({f.waiver.role})"
                    + (f", {f.waiver.ticket}" if f.waiver.ticket else ""),
                }
            ]
        return result


def _uri(path: str) -> str:
    """A relative path as the URI reference SARIF's ``artifactLocation.uri`` must be:
    spaces, ``%``, ``#``, ``?`` and every byte outside ASCII percent-encoded (a file name
    that is not UTF-8 by its original bytes)."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")
