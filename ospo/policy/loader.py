# SPDX-License-Identifier: Apache-2.0
"""Loading a policy: the shipped default, an organisation's file that extends it, validation.

A policy file may say ``extends: default`` (the shipped policy) or ``extends: PATH``
(relative to the file). Maps are merged key by key, lists replace. Every file is validated
against ``ospo/schemas/policy.schema.json`` on its own (so errors name the right file and
line), and the merged result once more.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ospo.documents import load_yaml, schema_validator
from ospo.errors import ConfigError
from ospo.resources import data_dir

DEFAULT = "default"


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """A validated, merged policy and where it came from."""

    name: str
    digest: str  # sha256 of the merged policy, to tell policies apart in reports
    sources: tuple[str, ...]
    data: Mapping[str, Any]


def default_policy_path() -> Path:
    """Return the path of the shipped default policy."""
    return data_dir("policies") / "default.yml"


def load_policy(path: Path | None = None) -> Policy:
    """Load ``path`` (or the default policy) with everything it extends."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    current = path or default_policy_path()
    seen: set[Path] = set()
    while True:
        resolved = current.resolve()
        if resolved in seen:
            raise ConfigError("policy extends itself (a cycle of 'extends')", path=str(current))
        seen.add(resolved)
        data = load_yaml(current, "policy.schema.json")
        if not isinstance(data, dict):
            raise ConfigError("a policy must be a mapping of keys", path=str(current))
        if resolved != default_policy_path().resolve():  # the shipped one is tested
            _check_license_names(data, current)
        chain.append((current, data))
        parent = data.get("extends")
        if parent is None:
            break
        current = default_policy_path() if parent == DEFAULT else (current.parent / parent)
        if not current.exists():
            raise ConfigError(f"extends {parent!r}: no such policy file", path=str(chain[-1][0]))
    merged: dict[str, Any] = {}
    for _, data in reversed(chain):
        merged = _merge(merged, {k: v for k, v in data.items() if k != "extends"})
    _check_merged(merged, chain[0][0], validated=len(chain) == 1)
    text = json.dumps(merged, sort_keys=True, default=str)
    return Policy(
        name=str(merged.get("name", chain[0][0].stem)),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        sources=tuple(str(p) for p, _ in chain),
        data=merged,
    )


def _check_license_names(data: Mapping[str, Any], path: Path) -> None:
    """Refuse a license a policy names in ``licenses.overrides`` or ``licenses.elect_last``
    that neither SPDX nor ScanCode knows: a typo there ("Apache2.0") silently changed
    nothing. A ``LicenseRef-`` of the organisation's own is taken as written."""
    licenses = data.get("licenses")
    if not isinstance(licenses, Mapping):
        return
    named = [("overrides", str(key)) for key in licenses.get("overrides") or {}]
    named += [("elect_last", str(key)) for key in licenses.get("elect_last") or []]
    if not named:
        return
    from ospo.licensedb import license_table

    table = license_table()
    for where, name in named:
        own = name.lower().startswith("licenseref-") and not name.lower().startswith(
            "licenseref-scancode-"
        )
        if own or table.lookup(name) is not None:
            continue
        import difflib

        from ospo.documents import line_in

        spdx_ids = {info.spdx.lower(): info.spdx for info in table.by_spdx.values()}
        close = difflib.get_close_matches(name.lower(), list(spdx_ids), n=1)
        hint = (
            f"did you mean {spdx_ids[close[0]]!r}?"
            if close
            else "name a license of your own LicenseRef-…"
        )
        raise ConfigError(
            f"licenses.{where}: {name!r} is a license neither SPDX nor ScanCode knows; {hint}",
            path=str(path),
            line=line_in(
                path, ["licenses", where, name] if where == "overrides" else ["licenses", where]
            ),
        )


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _check_merged(merged: dict[str, Any], top: Path, *, validated: bool) -> None:
    """Check the merged policy; ``validated``: it is one file's, already checked alone."""
    errors = (
        []
        if validated
        else sorted(
            schema_validator("policy.schema.json").iter_errors(merged),
            key=lambda e: list(e.absolute_path),
        )
    )
    if errors:
        first = errors[0]
        where = ".".join(str(k) for k in first.absolute_path) or "(top level)"
        raise ConfigError(
            f"after merging with what it extends, {where}: {first.message}", path=str(top)
        )
    for required in ("licenses", "profiles", "default_profile", "non_shipped", "linkage"):
        if required not in merged:
            raise ConfigError(
                f"policy has no {required!r} (write 'extends: default' to start from the "
                "shipped policy)",
                path=str(top),
            )


@cache
def compatibility_data() -> Mapping[str, Any]:
    """Return the outbound-compatibility table shipped in ``policies/compatibility.yml``,
    validated against ``ospo/schemas/compatibility.schema.json``."""
    data: Mapping[str, Any] = load_yaml(
        data_dir("policies") / "compatibility.yml", "compatibility.schema.json"
    )
    return data


@cache
def obligations_data() -> Mapping[str, Any]:
    """Return the obligations table shipped in ``policies/obligations.yml``."""
    data: Mapping[str, Any] = load_yaml(data_dir("policies") / "obligations.yml", None)
    return data
