# SPDX-License-Identifier: Apache-2.0
"""Writing OSRB decisions to the waivers file, validated, atomically."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from ospo.atomic import atomic_write_text, locked
from ospo.documents import load_yaml
from ospo.errors import ConfigError
from ospo.policy.waivers import load_waivers

_HEADER = (
    "# Decisions of the Open Source Review Board, applied by `ospo check`.\n"
    "# Written by `ospo decide`; see docs/policy.md (Waivers).\n"
)


def record_decision(path: Path, entry: dict[str, Any]) -> int:
    """Append ``entry`` to the waivers file at ``path``; return how many it now holds.

    The existing file is validated first (a broken file is never overwritten), and so is the
    result, before it replaces the file. The file is locked from reading to writing:
    decisions recorded at the same time are all kept.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        return _append(path, entry)


def _append(path: Path, entry: dict[str, Any]) -> int:
    data: dict[str, Any] = {"version": 1, "waivers": []}
    if path.exists():
        data = load_yaml(path, "waivers.schema.json")
    # closed sets (Decision, Role) are written as the plain words the schema lists
    plain = {k: v.value if isinstance(v, Enum) else v for k, v in entry.items()}
    data.setdefault("waivers", []).append(plain)
    text = _HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    staged = path.with_name(f".{path.name}.new")
    staged.write_text(text, encoding="utf-8")
    try:
        load_waivers(staged)  # the schema, and the days and ranges it cannot check
    except ConfigError as exc:
        staged.unlink(missing_ok=True)
        raise ConfigError(f"the decision is not valid: {exc.message}", path=str(path)) from None
    staged.unlink(missing_ok=True)
    atomic_write_text(path, text)
    return len(data["waivers"])
