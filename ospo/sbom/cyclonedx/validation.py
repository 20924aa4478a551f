# SPDX-License-Identifier: Apache-2.0
"""CycloneDX JSON validation against the official schema, in linear time.

cyclonedx-python-lib's validator is jsonschema's Draft 7 validator on the official schema.
The schema marks ``components`` (and other lists) ``uniqueItems``, which jsonschema checks
by comparing every pair of items: validating a 1,000-component SBOM took a minute here, a
10,000-component one far longer. This validator is the same one, on the same schema,
registry and format checker, with ``uniqueItems`` checked by hashing each item's canonical
JSON form instead.

A large document (thousands of components) is validated in two halves at once, one in a
forked process: the schema's top level judges each of its properties on its own, and each
item of ``components`` and ``dependencies`` on its own, so the document is valid exactly
when both halves are and no item of those lists repeats across the halves. Whenever either
half is not valid, the whole document is validated again in one piece, so the error
reported is the same one a single pass reports.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from functools import cache
from typing import Any

#: The lists a large document is split along, and the least items that pays for a fork.
_SPLIT_KEYS = ("components", "dependencies")
_PARALLEL_FROM = 2000
#: Keywords of a list's schema under which its halves may be judged apart.
_SPLITTABLE = frozenset({"type", "items", "uniqueItems", "title", "description", "$comment"})
_TOP_LEVEL = frozenset(
    {"$comment", "$id", "$schema", "additionalProperties", "definitions", "properties"}
    | {"required", "title", "type"}
)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if unique and validator.is_type(instance, "array") and not _all_unique(instance):
        yield ValidationError(f"{instance!r} has non-unique elements")


def _all_unique(items: list[Any]) -> bool:
    seen: set[str] = set()
    for item in items:
        key = json.dumps(item, sort_keys=True, separators=(",", ":"))
        if key in seen:
            return False
        seen.add(key)
    return True


@cache
def strict_validator(spec_version: str) -> Any:
    """Return a schema validator for CycloneDX JSON ``spec_version`` (e.g. ``"1.6"``)."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from jsonschema.validators import Draft7Validator, extend

    reference: Any = JsonStrictValidator(SchemaVersion.from_version(spec_version))._validator
    linear: Any = extend(  # type: ignore[no-untyped-call]
        Draft7Validator, validators={"uniqueItems": _unique_items}
    )
    return linear(
        reference.schema,
        registry=reference._registry,
        format_checker=reference.format_checker,
    )


def validation_error(document: Any, spec_version: str) -> Any | None:
    """Return the most relevant schema error of ``document``, or None when it is valid."""
    from jsonschema.exceptions import best_match

    validator = strict_validator(spec_version)
    if _valid_in_halves(validator, document):
        return None
    return best_match(validator.iter_errors(document))


def _valid_in_halves(validator: Any, document: Any) -> bool:
    """Whether a large ``document`` is valid, judged in two halves on two processors.

    False also when the document is too small to be worth it, when it cannot be split
    (see the module's docstring), or when no process can be forked: the caller then
    validates it in one piece."""
    if not isinstance(document, dict) or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    schema = validator.schema
    properties = schema.get("properties", {})
    if not set(schema) <= _TOP_LEVEL:
        return False
    lists = [
        key
        for key in _SPLIT_KEYS
        if isinstance(document.get(key), list) and set(properties.get(key, {})) <= _SPLITTABLE
    ]
    if sum(len(document[key]) for key in lists) < _PARALLEL_FROM:
        return False
    head = dict(document)
    tail = {key: document[key] for key in ("bomFormat", "specVersion") if key in document}
    for key in lists:
        middle = len(document[key]) // 2
        head[key], tail[key] = document[key][:middle], document[key][middle:]
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return False
    if pid == 0:  # the child judges the tail and says so in one byte, whatever happens
        try:
            os.close(read_end)
            os.write(write_end, b"1" if validator.is_valid(tail) else b"0")
        finally:
            os._exit(0)
    os.close(write_end)
    finished = False
    try:
        if validator.is_valid(head) and all(
            _all_unique(document[key]) for key in lists if properties[key].get("uniqueItems")
        ):
            finished = True
            return os.read(read_end, 1) == b"1"
        return False
    finally:
        if not finished:  # the answer is known, or nobody waits for it any more
            os.kill(pid, signal.SIGKILL)
        os.close(read_end)
        os.waitpid(pid, 0)
