# SPDX-License-Identifier: Apache-2.0
"""The rule interface and what every rule is given."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from packageurl import PackageURL

from ospo.evaluation import Finding, Severity
from ospo.model import Component, Inventory, Scope
from ospo.policy.judge import Judge
from ospo.policy.loader import Policy
from ospo.policy.model import Linkage, Outcome, Profile


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


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDoc:
    """What a rule id means, for ``ospo policy explain`` and the docs."""

    rule: str
    summary: str


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


def purl_matches(pattern: str, purl: str) -> bool:
    """Whether ``purl`` is the package ``pattern`` names (and its version, if it has one)."""
    try:
        want = PackageURL.from_string(pattern)
        have = PackageURL.from_string(purl)
    except ValueError:
        return False
    if (want.type, _norm(want.type, want.namespace), _norm(want.type, want.name)) != (
        have.type,
        _norm(have.type, have.namespace),
        _norm(have.type, have.name),
    ):
        return False
    return want.version is None or want.version == have.version


def _norm(ptype: str, value: str | None) -> str:
    if value is None:
        return ""
    if ptype == "pypi":
        return value.lower().replace("_", "-").replace(".", "-")
    return value.lower() if ptype in ("npm", "github", "golang") else value


def version_in_range(vers: str, version: str | None) -> bool:
    """Whether ``version`` is inside the ``vers:`` range; an unparsable version counts as in."""
    if version is None:
        return True
    from univers.version_range import VersionRange

    try:
        spec = VersionRange.from_string(vers)  # type: ignore[no-untyped-call]
        return bool(spec.version_class(version) in spec)
    except Exception:  # univers raises several unrelated types for odd versions
        return True
