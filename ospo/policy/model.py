# SPDX-License-Identifier: Apache-2.0
"""The policy engine's vocabulary: license classes, outcomes, profiles, linkage, and what
a rule id means."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LicenseClass(StrEnum):
    """What kind of terms a license imposes."""

    PUBLIC_DOMAIN = "public-domain"
    PERMISSIVE = "permissive"
    WEAK_COPYLEFT_FILE = "weak-copyleft-file"
    WEAK_COPYLEFT_LIBRARY = "weak-copyleft-library"
    STRONG_COPYLEFT = "strong-copyleft"
    NETWORK_COPYLEFT = "network-copyleft"
    SOURCE_AVAILABLE = "source-available"
    #: permissive-looking terms that restrict who may use it or for what (the JSON
    #: license's "for Good, not Evil"): not open source (OSD 5 and 6)
    USE_RESTRICTED = "use-restricted"
    NON_COMMERCIAL = "non-commercial"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    """What the policy says about a license in a given context."""

    ALLOW = "allow"
    OBLIGATIONS = "obligations"  # allowed, with obligations
    REVIEW = "review"  # the OSRB decides
    DENY = "deny"

    @property
    def rank(self) -> int:
        """Order: allow < obligations < review < deny."""
        return _OUTCOME_RANK[self]


_OUTCOME_RANK = {Outcome.ALLOW: 0, Outcome.OBLIGATIONS: 1, Outcome.REVIEW: 2, Outcome.DENY: 3}


class Profile(StrEnum):
    """How the product ships."""

    INTERNAL = "internal"
    SAAS = "saas"
    BINARY = "binary"
    SOURCE = "source"


class Linkage(StrEnum):
    """How a component is linked into the product."""

    STATIC = "static"
    DYNAMIC = "dynamic"


class Compatibility(StrEnum):
    """Whether inbound code may go into a project under an outbound license."""

    COMPATIBLE = "compatible"
    REVIEW = "review"
    INCOMPATIBLE = "incompatible"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDoc:
    """What a rule id means, for ``ospo policy explain`` and the docs."""

    rule: str
    summary: str
