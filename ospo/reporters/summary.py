# SPDX-License-Identifier: Apache-2.0
"""The short text summary ``ospo scan`` prints for a person."""

from __future__ import annotations

from collections import Counter, defaultdict

from ospo.licensing import license_ids
from ospo.model import Inventory
from ospo.reporters.base import RenderOptions, Reporter
from ospo.templating import render

_CATEGORY_ORDER = (
    "Public Domain",
    "Permissive",
    "Copyleft Limited",
    "Copyleft",
    "Free Restricted",
    "Proprietary Free",
    "Source-available",
    "Commercial",
    "Patent License",
    "CLA",
    "Unstated License",
    "Unknown",
)
_TOP_HOLDERS = 10
_TOP_ISSUES = 20


class ScanSummaryReporter(Reporter):
    """What was scanned, licenses by category, copyright holders, vendored code, issues."""

    name = "summary"
    title = "scan summary"

    def render(self, inventory: Inventory, options: RenderOptions) -> str:
        """Return the summary text."""
        from ospo.licensedb import license_table

        table = license_table()
        by_category: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in inventory.files:
            if entry.effective_license:
                for lid in license_ids(entry.effective_license):
                    by_category[table.category(lid)][lid] += 1
        order = {c: i for i, c in enumerate(_CATEGORY_ORDER)}
        categories = [
            (category, sorted(by_category[category].items(), key=lambda x: (-x[1], x[0])))
            for category in sorted(by_category, key=lambda c: (order.get(c, 99), c))
        ]
        holders: Counter[str] = Counter(h for f in inventory.files for h in f.holders)
        deps = [c for c in inventory.components if not c.vendored_path]
        return render(
            "scan-summary.txt.j2",
            subject=inventory.subject.name,
            stats=inventory.scan.stats,
            licensed_files=sum(1 for f in inventory.files if f.effective_license),
            categories=categories,
            holder_count=len(holders),
            holders=sorted(holders.items(), key=lambda x: (-x[1], x[0]))[:_TOP_HOLDERS],
            vendored=[c for c in inventory.components if c.vendored_path],
            dependencies=deps,
            dependency_scopes=", ".join(
                f"{n} {scope}" for scope, n in sorted(Counter(c.scope.value for c in deps).items())
            ),
            unknown_dependencies=[c for c in deps if c.license_expression is None],
            # rules that matched files, and installed dependency trees left unwalked
            excluded=[e for e in inventory.scan.excluded if e.files or "not walked" in e.reason],
            issue_count=len(inventory.scan.issues),
            issues=inventory.scan.issues[:_TOP_ISSUES],
        )
