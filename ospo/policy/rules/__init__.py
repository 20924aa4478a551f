# SPDX-License-Identifier: Apache-2.0
"""Policy rules: one module per family, one registry (:data:`RULES`) that the tests walk.

The policy (YAML) selects and parameterises these rules; it never carries code. Community
and Competition rules on project health register here too.
"""

from __future__ import annotations

from ospo.policy.model import RuleDoc
from ospo.policy.rules.base import Rule, RuleContext
from ospo.policy.rules.community import CommunityHealthRule
from ospo.policy.rules.consumption import NewDependencyRule, PackageListRule
from ospo.policy.rules.contribution import ContributionRule
from ospo.policy.rules.licenses import ComponentLicenseRule, FileLicenseRule, LicenseEvidenceRule
from ospo.policy.rules.registry import RegistryConsumptionRule, RegistryRelicensingRule
from ospo.policy.waivers import WAIVER_DOCS

#: Every rule, by name.
RULES: dict[str, type[Rule]] = {
    r.name: r
    for r in (
        ComponentLicenseRule,
        LicenseEvidenceRule,
        FileLicenseRule,
        PackageListRule,
        NewDependencyRule,
        ContributionRule,
        RegistryConsumptionRule,
        RegistryRelicensingRule,
        CommunityHealthRule,
    )
}


def rule_docs() -> dict[str, RuleDoc]:
    """Every rule id any registered rule may report, with what it means."""
    docs = {d.rule: d for r in RULES.values() for d in r.docs}
    docs.update({d.rule: d for d in WAIVER_DOCS})
    return docs


__all__ = ["RULES", "Rule", "RuleContext", "RuleDoc", "rule_docs"]
