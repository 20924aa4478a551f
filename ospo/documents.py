# SPDX-License-Identifier: Apache-2.0
"""YAML documents from users: read, validated once, remembered by their content.

YAML is read with ``safe_load``'s loader only (dates stay as written), validated against a
JSON Schema that ships with ospo, and every error names the file, the line and the key
path. The policy, waivers and ``.ospo.yml`` are all read here.

The pre-commit hook loads the same policy, waivers and ``.ospo.yml`` on every commit, and
reading them costs more than judging a commit: PyYAML's parser is pure Python and
importing jsonschema alone takes about 50 ms. A document that was parsed and found valid
is kept as JSON in the cache directory, under a digest of its text, of the schema it was
checked against, of ospo's version and of the installed packages (PyYAML, jsonschema);
the same text is then not parsed or validated again. Only valid documents are kept, and
only those JSON gives back unchanged. A memo that cannot be read or written is a miss,
never an error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ospo import __version__
from ospo.cache import cache_dir, installation_stamp, text_digest
from ospo.errors import ConfigError, OspoError, quote
from ospo.inputs import MAX_YAML_CHARS, load_yaml_text, read_input_text
from ospo.resources import schema_path

#: A document's line numbers by key path (top-level keys and the entries below them).
Lines = dict[tuple[str | int, ...], int]

_FOLDER = "documents"
#: Bump when what is kept, or how a document is read, changes: old memos then miss.
_REVISION = "1"


@cache
def _loader() -> type[Any]:
    """``safe_load``'s loader, keeping dates as written (``2026-12-31`` stays a string).

    Built on first use: a scan of a tree without ``.ospo.yml`` does not import PyYAML here.
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            """Refuse a key written twice in one mapping: YAML would keep the last one
            silently, and a policy or a waiver would not say what its author thinks."""
            seen: dict[Any, Any] = {}
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, str | int | bool | float) and key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"the key {key!r} is written twice (the first time on line "
                        f"{seen[key].line + 1})",
                        key_node.start_mark,
                    )
                if isinstance(key, str | int | bool | float):
                    seen[key] = key_node.start_mark
            return super().construct_mapping(node, deep=deep)

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
    (the memo below)."""
    text = read_input_text(path, "file", ConfigError, limit=MAX_YAML_CHARS)
    memo = memo_path(text, schema_name)
    known = recall(memo)
    if known is not None:
        return known
    import yaml

    lines: Lines = {}

    def keep_lines(node: Any) -> None:  # before the data: it rewrites merge keys (<<)
        lines.update(_lines(node))

    data = load_yaml_text(text, str(path), _loader(), ConfigError, keep_lines)
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
    remember(memo, data, lines)
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


@cache
def schema_validator(schema_name: str) -> Any:
    """The validator of a JSON Schema shipped in ``ospo/schemas``, made once."""
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path(schema_name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _error_order(error: Any) -> tuple[int, list[str]]:
    return (-len(list(error.absolute_path)), [str(p) for p in error.absolute_path])


def _message(error: Any) -> str:
    """The validator's message, quoting the user's value the way every message does
    (:func:`ospo.errors.quote`: short, secrets redacted)."""
    message = str(error.message).replace(repr(error.instance), quote(error.instance))
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{message}; allowed keys: {', '.join(allowed)}"
    return message


def require_expression(text: str, where: str, path: Path, line: int | None) -> None:
    """Raise ConfigError naming ``where`` (a key) if ``text``, a license a configuration
    file names, is not an SPDX license expression."""
    from ospo import licensing

    checked = licensing.check(text)
    if not checked.valid:
        raise ConfigError(
            f"{where}: {quote(text)} is not an SPDX license expression "
            f"({checked.errors[0]}); a license of your own is written LicenseRef-NAME",
            path=str(path),
            line=line,
        )


def line_in(path: Path, key_path: Sequence[Any]) -> int | None:
    """Return the 1-based line of ``key_path`` (or of its nearest parent) in the YAML file
    at ``path``, read and found valid before; None if it cannot be read again."""
    import yaml

    try:
        text = read_input_text(path, "file", ConfigError, limit=MAX_YAML_CHARS)
        return _line_of(yaml.compose(text, Loader=_loader()), key_path)
    except (ConfigError, yaml.YAMLError):
        return None


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


def memo_path(text: str, schema_name: str | None) -> str:
    """Where the memo of ``text`` checked against ``schema_name`` is (or would be) kept."""
    schema = "" if schema_name is None else schema_path(schema_name).read_text(encoding="utf-8")
    installed = ",".join(installation_stamp())
    key = text_digest(f"{__version__}:{_REVISION}:{installed}\0{schema_name}\0{schema}\0{text}")
    return os.path.join(cache_dir(), _FOLDER, f"{key}.json")


def recall(path: str) -> tuple[Any, Lines] | None:
    """The data and lines kept at ``path`` (:func:`memo_path`), if the document was read
    and found valid before."""
    try:
        with open(path, encoding="utf-8") as handle:
            memo = json.load(handle)
        lines = {tuple(keys): int(line) for keys, line in memo["lines"]}
        return memo["data"], lines
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(path: str, data: Any, lines: Lines) -> None:
    """Keep a valid document's data and lines at ``path`` (:func:`memo_path`)."""
    from ospo.atomic import atomic_write_text

    try:
        encoded = json.dumps({"data": data, "lines": [[list(p), n] for p, n in lines.items()]})
        if json.loads(encoded)["data"] != data:  # not plain JSON data (a set, an int key...)
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write_text(Path(path), encoded)
    except (OSError, ValueError, TypeError, OspoError):  # not kept: read again next time
        return
