# SPDX-License-Identifier: Apache-2.0
"""GitLab Code Quality: the findings as the JSON report a merge request shows beside the diff.

GitLab reads a subset of the Code Climate issue format (``artifacts:reports:codequality``):
a list of issues, each with a description, a check name, a fingerprint that keeps its
identity across pipelines, a severity and a location (a file and its first line). A
finding about a file points at its line; a finding about a package points at the manifest
or lock file that declared its license, or the license file of vendored code. Waived
findings are left out: the review board decided them.
"""

from __future__ import annotations

import json
from typing import Any

from ospo.evaluation import Finding, Severity
from ospo.model import Component, Inventory
from ospo.reporters.base import RenderOptions, Reporter
from ospo.reporters.check import evaluation_of, finding_fingerprint

_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}
#: Where a finding without a file of its own points: the project's configuration.
_FALLBACK_PATH = ".ospo.yml"


class CodeQualityReporter(Reporter):
    """GitLab Code Quality JSON."""

    name = "codequality"
    title = "check results (GitLab Code Quality)"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the report: a JSON list of issues."""
        ev = evaluation_of(inventory)
        components = {c.purl: c for c in inventory.components}
        issues = [_issue(f, components.get(f.component or "")) for f in ev.findings if not f.waived]
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(f: Finding, component: Component | None) -> dict[str, Any]:
    return {
        "description": f"{f.message} How to fix: {f.how_to_fix}",
        "check_name": f.rule,
        "fingerprint": finding_fingerprint(f),
        "severity": _SEVERITY[f.severity],
        "location": {"path": _path_of(f, component), "lines": {"begin": f.line or 1}},
    }


def _path_of(f: Finding, component: Component | None) -> str:
    """The file of the finding; for a package, the file of the tree that declared it."""
    if f.path:
        return f.path
    if component is not None:
        for evidence in component.licenses:
            where = evidence.location
            if where and not where.startswith("/") and "://" not in where:
                return where
        if component.vendored_path:
            return component.vendored_path
    return _FALLBACK_PATH
