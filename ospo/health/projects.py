# SPDX-License-Identifier: Apache-2.0
"""The projects a policy asks about (its own, the product when published, dependencies
mapped to local clones), measured as ``ospo health`` measures them, for the Community and
Competition rules and the packet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo.errors import InputError
from ospo.health.model import RepoHealth
from ospo.policy.matching import purl_matches
from ospo.policy.model import Profile

if TYPE_CHECKING:
    from ospo.model import Component
    from ospo.policy.loader import Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasuredProject:
    """A project whose health the policy asks about, and what its clone says."""

    label: str  # the policy's entry for an own project ("." for the product), else the name
    path: Path
    component: str | None  # the purl, for a dependency
    health: RepoHealth | InputError
    #: every name of the dominant organisation (the policy's aliases), lowercased
    dominant_names: frozenset[str] = frozenset()


def measured_projects(
    policy: Policy,
    root: Path | None,
    profile: Profile,
    components: Sequence[Component],
    today: date,
) -> list[MeasuredProject]:
    """The organisation's own projects, then the dependencies mapped to local clones, each
    measured as ``ospo health`` measures it (without the license history)."""
    from ospo.health import HealthSettings
    from ospo.health.orgs import Attribution

    community: Mapping[str, Any] = policy.data.get("community", {})
    settings = HealthSettings.from_policy(policy)
    own = [(str(entry), _resolve(root, entry)) for entry in community.get("own_projects", [])]
    product = community.get("product", "auto")
    if (
        root is not None
        and (product is True or (product == "auto" and profile is Profile.SOURCE))
        and (root / ".git").exists()
    ):
        own.insert(0, (".", root))
    out = [
        MeasuredProject(
            label=label, path=path, component=None, health=_measure(path, today, settings)
        )
        for label, path in own
    ]
    entries = community.get("dependencies", [])
    for comp in components if entries else ():
        for entry in entries:
            if purl_matches(entry["purl"], comp.purl):
                path = _resolve(root, entry["path"])
                health = _measure(path, today, settings)
                dominant = None if isinstance(health, InputError) else health.dominant_organisation
                names = Attribution.from_policy(community).names(dominant) if dominant else ()
                out.append(
                    MeasuredProject(
                        label=comp.name,
                        path=path,
                        component=comp.purl,
                        health=health,
                        dominant_names=frozenset(names),
                    )
                )
                break
    return out


def _measure(path: Path, today: date, settings: Any) -> RepoHealth | InputError:
    from ospo.health import repository_health

    try:
        return repository_health(path, today, settings, licenses=False)
    except InputError as exc:
        return exc


def _resolve(root: Path | None, entry: str) -> Path:
    """A path of the policy, relative to the product's root (else the current directory)."""
    path = Path(entry).expanduser()
    return path if path.is_absolute() or root is None else root / path
