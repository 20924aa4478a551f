# SPDX-License-Identifier: Apache-2.0
"""The rule interface and what every rule is given."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ospo.evaluation import Finding, Severity
from ospo.model import Component, Inventory, Scope
from ospo.policy.judge import Judge
from ospo.policy.loader import Policy
from ospo.policy.matching import purl_matches
from ospo.policy.model import Linkage, Outcome, Profile, RuleDoc

if TYPE_CHECKING:
    from ospo.advisor.model import Advice


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleContext:
    """The inventory under judgement and everything the rules may consult."""

    inventory: Inventory
    policy: Policy
    judge: Judge
    profile: Profile
    today: date
    baseline: Inventory | None = None
    root: Path | None = None  # the source tree, for rules that read git history
    commits: str | None = None  # a git revision range, for the DCO rule
    partial: bool = False  # the inventory holds only some files (a pre-commit check)
    registry: Advice | None = None  # what the package registries said (ospo.advisor)

    def shipped(self, component: Component) -> bool:
        """Whether the component ships with the product (not dev or test)."""
        return component.scope in (Scope.RUNTIME, Scope.OPTIONAL)

    def linkage(self, component: Component) -> Linkage:
        """How the component is linked: per component, else per ecosystem, else default."""
        data = self.policy.data["linkage"]
        for entry in data.get("components", []):
            if purl_matches(entry["purl"], component.purl):
                return Linkage(entry["linkage"])
        ecosystem = component.purl[4:].split("/", 1)[0]
        return Linkage(data.get("ecosystems", {}).get(ecosystem, data.get("default", "dynamic")))


class Rule(ABC):
    """Looks at the inventory and reports findings under the rule ids it owns."""

    name: ClassVar[str]
    docs: ClassVar[tuple[RuleDoc, ...]]

    @abstractmethod
    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield the findings for this inventory."""


SEVERITY_OF = {
    Outcome.DENY: Severity.ERROR,
    Outcome.REVIEW: Severity.WARNING,
    Outcome.OBLIGATIONS: Severity.INFO,
}
