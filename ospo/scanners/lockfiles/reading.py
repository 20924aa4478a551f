# SPDX-License-Identifier: Apache-2.0
"""Reading manifest and lock files: text, JSON, TOML and YAML with errors that name the
line, and checks of the shape of what was read that name the key."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from ospo.errors import InputError
from ospo.inputs import TOO_DEEP, check_nesting, load_yaml_text, parse_json


def read_text(root: Path, rel: str) -> str:
    """Return the file's text; raise ``InputError`` if it cannot be read as UTF-8."""
    try:
        return (root / rel).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=rel) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=rel) from None


def load_json(root: Path, rel: str) -> Any:
    """Parse a JSON file; raise ``InputError`` with the line on a syntax error, or saying
    it nests too deeply."""
    return parse_json(read_text(root, rel), rel)


_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_toml(root: Path, rel: str) -> dict[str, Any]:
    """Parse a TOML file; raise ``InputError`` with the line on a syntax error."""
    import tomllib  # imported when a TOML file is read, not by every scan

    try:
        data = tomllib.loads(read_text(root, rel))
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        found = _TOML_WHERE.search(text)
        line = int(found.group(1)) if found else None
        message = _TOML_WHERE.sub("", text)
        if found:
            message += f" (column {found.group(2)})"
        raise InputError(f"not valid TOML: {message}", path=rel, line=line) from None
    except RecursionError:
        raise InputError(TOO_DEEP, path=rel) from None
    check_nesting(data, rel)
    return data


def load_yaml(root: Path, rel: str) -> Any:
    """Parse a YAML file safely (bounded, see :func:`ospo.inputs.load_yaml_text`); raise
    ``InputError`` with the line on a syntax error."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C or Python SafeLoader only
    return load_yaml_text(read_text(root, rel), rel, loader)


def table(value: Any, where: str, rel: str) -> dict[str, Any]:
    """Return ``value`` if it is a mapping (or missing); raise ``InputError`` otherwise."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{where} should be a table, not {_kind(value)}", path=rel)
    return value


def array(value: Any, where: str, rel: str) -> list[Any]:
    """Return ``value`` if it is a list (or missing); raise ``InputError`` otherwise."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where} should be a list, not {_kind(value)}", path=rel)
    return value


def tables(value: Any, where: str, rel: str) -> list[dict[str, Any]]:
    """Return ``value`` as a list of tables (a TOML ``[[where]]`` array, or missing); raise
    ``InputError`` naming the entry that is not one (``[[package]] #3``)."""
    return [table(item, f"{where} #{i}", rel) for i, item in enumerate(array(value, where, rel), 1)]


def string(value: Any, where: str, rel: str) -> str | None:
    """Return ``value`` stripped if it is a non-empty string, None if it is missing or empty;
    raise ``InputError`` if it is something else (a version written as a number or a list
    is not one a registry knows: read as none, the package would lose it in silence)."""
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where} should be a string, not {_kind(value)}", path=rel)
    return text(value)


def text(value: Any) -> str | None:
    """Return ``value`` stripped if it is a non-empty string, else None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _kind(value: Any) -> str:
    return {
        dict: "a table",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
    }.get(type(value), type(value).__name__)


def sibling(rel: str, name: str) -> str:
    """Return the path of ``name`` in the directory of ``rel``."""
    parent = PurePosixPath(rel).parent
    return name if str(parent) == "." else f"{parent}/{name}"
