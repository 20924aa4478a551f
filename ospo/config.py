# SPDX-License-Identifier: Apache-2.0
"""The project configuration file ``.ospo.yml``, and YAML loading with line numbers.

YAML from users is read with ``safe_load`` only, validated once against a JSON Schema that
ships with ospo, and every error names the file, the line and the key path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo.errors import ConfigError
from ospo.inputs import read_input_text
from ospo.resources import schema_path

if TYPE_CHECKING:
    from ospo.documents import Lines


@dataclass(frozen=True, slots=True, kw_only=True)
class ExcludeRule:
    """A glob over relative paths (``**`` spans directories) and why it is excluded."""

    pattern: str
    reason: str

    def matches(self, relpath: str) -> bool:
        """Return whether ``relpath`` or one of its parent directories matches."""
        regex = _compile_glob(self.pattern)
        if regex.match(relpath):
            return True
        parts = relpath.split("/")
        return any(regex.match("/".join(parts[:i])) for i in range(1, len(parts)))


_GLOB_CACHE: dict[str, re.Pattern[str]] = {}


def _compile_glob(pattern: str) -> re.Pattern[str]:
    cached = _GLOB_CACHE.get(pattern)
    if cached is not None:
        return cached
    pat = pattern.strip().strip("/")
    out = []
    i = 0
    while i < len(pat):
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif pat[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    compiled = re.compile("^" + "".join(out) + "$")
    _GLOB_CACHE[pattern] = compiled
    return compiled


CONFIG_NAMES = (".ospo.yml", ".ospo.yaml")
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0
PROFILES = ("internal", "saas", "binary", "source")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectConfig:
    """What ``.ospo.yml`` says, with defaults for what it does not."""

    path: Path | None = None
    product_name: str | None = None
    product_version: str | None = None
    product_license: str | None = None
    profile: str | None = None
    excludes: tuple[ExcludeRule, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    timeout: float = DEFAULT_TIMEOUT
    policy: Path | None = None  # the organisation's policy file, relative to the config
    raw: dict[str, Any] = field(default_factory=dict)


@cache
def _loader() -> type[Any]:
    """``safe_load``'s loader, keeping dates as written (``2026-12-31`` stays a string).

    Built on first use: a scan of a tree without ``.ospo.yml`` does not import PyYAML here.
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


def load_yaml(path: Path, schema_name: str | None) -> Any:
    """Read YAML at ``path`` and validate it against ``schema_name`` (None: any YAML is
    taken); raise ConfigError."""
    return load_yaml_document(path, schema_name)[0]


def line_of(lines: Lines, key_path: Sequence[Any]) -> int | None:
    """Return the 1-based line of ``key_path`` (or of its nearest parent) in a document
    read by :func:`load_yaml_document`, which knows top-level keys and their entries."""
    path = tuple(key_path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), None)


def load_yaml_document(path: Path, schema_name: str | None) -> tuple[Any, Lines]:
    """Like :func:`load_yaml`, and also return the lines of its top-level keys and their
    entries (for messages). A text read and found valid before is not read again
    (:mod:`ospo.documents`)."""
    from ospo import documents

    text = read_input_text(path, "file", ConfigError)
    memo = documents.memo_path(text, schema_name)
    known = documents.recall(memo)
    if known is not None:
        return known
    import yaml

    loader = _loader()(text)
    try:
        node = loader.get_single_node()  # composed once: the data is built from it
        lines = _lines(node)  # first: building the data rewrites merge keys (<<) in the tree
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            problem = f"{problem} ({context} started on line {context_mark.line + 1})"
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"not valid YAML: {problem}", path=str(path), line=line) from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    validator = schema_validator(schema_name) if schema_name else None
    errors = sorted(validator.iter_errors(data), key=_error_order) if validator else []
    if errors:
        first = errors[0]
        key_path = list(first.absolute_path)
        line_path = key_path
        if first.validator == "additionalProperties" and isinstance(first.instance, dict):
            extras = sorted(set(first.instance) - set(first.schema.get("properties", {})))
            line_path = [*key_path, *extras[:1]]
        line = _line_of(yaml.compose(text, Loader=_loader()), line_path)  # the tree as written
        where = ".".join(str(k) for k in key_path) or "(top level)"
        raise ConfigError(f"{where}: {_message(first)}", path=str(path), line=line)
    documents.remember(memo, data, lines)
    return data, lines


def _lines(node: Any) -> Lines:
    """The lines of the document, of its top-level keys and of the entries below them."""
    import yaml

    if node is None:
        return {}
    lines: Lines = {(): int(node.start_mark.line) + 1}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = key_node.value
        lines[(key,)] = int(key_node.start_mark.line) + 1
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[(key, index)] = int(item.start_mark.line) + 1
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, _sub_value in value_node.value:
                lines[(key, sub_key.value)] = int(sub_key.start_mark.line) + 1
    return lines


def find_config(root: Path) -> Path | None:
    """Return the configuration file at the scan root, if there is one."""
    for name in CONFIG_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def load_config(root: Path, explicit: Path | None = None) -> ProjectConfig:
    """Load ``.ospo.yml`` from ``root`` (or ``explicit``); defaults when there is none."""
    path = explicit or find_config(root)
    if path is None:
        return ProjectConfig()
    data = load_yaml(path, "config.schema.json")
    product = data.get("product", {})
    scan = data.get("scan", {})
    excludes = tuple(
        ExcludeRule(pattern=e["path"], reason=e.get("reason", "excluded by configuration"))
        for e in scan.get("exclude", [])
    )
    max_size = scan.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if isinstance(max_size, str):
        max_size = parse_size(max_size)
    return ProjectConfig(
        path=path,
        product_name=product.get("name"),
        product_version=_opt_str(product.get("version")),
        product_license=product.get("license"),
        profile=data.get("profile"),
        excludes=excludes,
        max_file_size=int(max_size),
        timeout=float(scan.get("timeout", DEFAULT_TIMEOUT)),
        policy=(path.parent / data["policy"]) if data.get("policy") else None,
        raw=data,
    )


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Parse ``"5MB"``, ``"512k"``, ``"1.5GiB"`` or a plain byte count."""
    found = _SIZE.match(text)
    if not found:
        raise ValueError(f"not a size: {text!r} (use e.g. 5MB, 512KB)")
    number = float(found.group(1))
    unit = (found.group(2) or "b").lower()[:1]
    factor = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]
    return int(number * factor)


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


@cache
def schema_validator(schema_name: str) -> Any:
    """The validator of a JSON Schema shipped in ``ospo/schemas``, made once."""
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path(schema_name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _error_order(error: Any) -> tuple[int, list[str]]:
    return (-len(list(error.absolute_path)), [str(p) for p in error.absolute_path])


def _message(error: Any) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{error.message}; allowed keys: {', '.join(allowed)}"
    return str(error.message)


def _line_of(node: Any, key_path: Sequence[Any]) -> int | None:
    """Return the 1-based line of the YAML node at ``key_path`` (or of its nearest parent)."""
    if node is None:
        return None
    import yaml

    line = int(node.start_mark.line) + 1
    for key in key_path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(key):
                    line = int(key_node.start_mark.line) + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = int(node.start_mark.line) + 1
        else:
            return line
    return line
