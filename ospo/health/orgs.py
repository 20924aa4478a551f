# SPDX-License-Identifier: Apache-2.0
"""Who is behind an author address: a bot, an individual, or an organisation.

Organisations come from e-mail domains. The policy's ``community`` section maps several
domains to one organisation, pins single addresses to one, names the public mail providers
(whose users are individuals) and adds bot addresses to the ones recognised here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Addresses of well-known automation accounts that carry no ``[bot]`` mark.
KNOWN_BOTS = frozenset(
    {
        "bot@renovateapp.com",
        "renovate@whitesourcesoftware.com",
        "support@dependabot.com",
        "dependabot-preview[bot]@users.noreply.github.com",
        "action@github.com",
        "actions@github.com",
        "github-actions@github.com",
        "noreply@weblate.org",
        "hosted@weblate.org",
        "pre-commit-ci[bot]@users.noreply.github.com",
    }
)
#: GitHub's private commit addresses: the person behind one is an individual.
NOREPLY_DOMAIN = "users.noreply.github.com"


def is_bot(email: str, name: str = "", extra: frozenset[str] = frozenset()) -> bool:
    """Whether the author is automation: a ``[bot]`` name or address (GitHub apps), a
    well-known bot address, or one the policy lists."""
    local = email.split("@", 1)[0]
    return (
        email in KNOWN_BOTS
        or email in extra
        or local.endswith("[bot]")
        or name.lower().endswith("[bot]")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribution:
    """How addresses are attributed, read from the policy's ``community`` section."""

    domains: Mapping[str, str]  # domain -> organisation
    identities: Mapping[str, str]  # address -> organisation
    public_providers: frozenset[str]
    bots: frozenset[str]

    @classmethod
    def from_policy(cls, community: Mapping[str, Any]) -> Attribution:
        """Read the ``organisations``, ``public_mail_providers`` and ``bots`` keys."""
        orgs = community.get("organisations", {})
        domains = {
            str(domain).lower(): str(org)
            for org, entry in orgs.get("aliases", {}).items()
            for domain in entry
        }
        identities = {str(k).lower(): str(v) for k, v in orgs.get("identities", {}).items()}
        return cls(
            domains=domains,
            identities=identities,
            public_providers=frozenset(
                str(d).lower() for d in community.get("public_mail_providers", [])
            ),
            bots=frozenset(str(b).lower() for b in community.get("bots", [])),
        )

    def organisation(self, email: str) -> str | None:
        """The organisation of a (lowercased) address, or None for an individual."""
        pinned = self.identities.get(email)
        if pinned is not None:
            return pinned
        _, at, domain = email.rpartition("@")
        if not at or "." not in domain:
            return None
        if domain == NOREPLY_DOMAIN or domain in self.public_providers:
            return None
        # a subdomain (us.ibm.com) belongs to the organisation of its parent (ibm.com)
        labels = domain.split(".")
        for start in range(len(labels) - 1):
            org = self.domains.get(".".join(labels[start:]))
            if org is not None:
                return org
        return domain

    def names(self, org: str) -> frozenset[str]:
        """The organisation's name and every domain the alias map gives it, lowercased."""
        lowered = org.lower()
        return frozenset({lowered, *(d for d, o in self.domains.items() if o.lower() == lowered)})
