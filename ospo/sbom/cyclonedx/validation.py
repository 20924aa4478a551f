# SPDX-License-Identifier: Apache-2.0
"""CycloneDX JSON validation against the official schema, in linear time.

cyclonedx-python-lib's validator is jsonschema's Draft 7 validator on the official schema.
The schema marks ``components`` (and other lists) ``uniqueItems``, which jsonschema checks
by comparing every pair of items: validating a 1,000-component SBOM took a minute here, a
10,000-component one far longer. This validator is the same one, on the same schema,
registry and format checker, with ``uniqueItems`` checked by hashing each item's canonical
JSON form instead.

A large document (thousands of components) is validated in two parts at once, the larger
one in a forked process (:class:`Validation`): the schema's top level judges each of its
properties on its own, and each item of ``components`` and ``dependencies`` on its own, so
the document is valid exactly when both parts are and no item of those lists repeats
across the parts. Whenever a part is not valid, the whole document is validated again in
one piece, so the error reported is the same one a single pass reports.
"""

from __future__ import annotations

import contextlib
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


def _remembered_ref() -> Any:
    """jsonschema's ``$ref`` keyword, each reference resolved once per base URI instead of
    once per instance (a tenth of the time of a large document went to the same few
    look-ups). Draft 7 resolves a reference from its base URI alone; the resolver that
    comes with the target is the one jsonschema would use."""
    from jsonschema.exceptions import _WrappedReferencingError  # type: ignore[attr-defined]
    from referencing.exceptions import Unresolvable

    resolved: dict[tuple[str, str], tuple[Any, Any]] = {}

    def ref(validator: Any, ref: str, instance: Any, schema: Any) -> Iterator[Any]:
        key = (validator._resolver._base_uri, ref)
        target = resolved.get(key)
        if target is None:
            try:
                found = validator._resolver.lookup(ref)
            except Unresolvable as err:
                raise _WrappedReferencingError(err) from err
            target = resolved[key] = (found.contents, found.resolver)
        yield from validator.descend(instance, target[0], resolver=target[1])

    return ref


@cache
def strict_validator(spec_version: str) -> Any:
    """Return a schema validator for CycloneDX JSON ``spec_version`` (e.g. ``"1.6"``)."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from jsonschema.validators import Draft7Validator, extend

    reference: Any = JsonStrictValidator(SchemaVersion.from_version(spec_version))._validator
    linear: Any = extend(  # type: ignore[no-untyped-call]
        Draft7Validator, validators={"uniqueItems": _unique_items, "$ref": _remembered_ref()}
    )
    return linear(
        reference.schema,
        registry=reference._registry,
        format_checker=reference.format_checker,
    )


def validation_error(document: Any, spec_version: str) -> Any | None:
    """Return the most relevant schema error of ``document``, or None when it is valid."""
    with Validation(document, spec_version) as validation:
        return validation.error()


class Validation:
    """The validation of ``document``, under way: a large document's larger share is judged
    by a forked child from the moment this is made, so that the caller can work on the
    document meanwhile (read it into an inventory) before it asks for :meth:`error`. Use it
    as a context manager: leaving it ends the child whatever happened."""

    #: The share of a large document's lists the child judges: the caller's own work on
    #: the document (about half as long as validating it) runs beside the child too.
    CHILD_SHARE = 0.65

    def __init__(self, document: Any, spec_version: str) -> None:
        self.document = document
        self.validator = strict_validator(spec_version)
        self._pid = 0
        self._read_end = -1
        self._head: dict[str, Any] | None = None
        self._lists: list[str] = []
        self._fork_for_tail()

    def __enter__(self) -> Validation:
        return self

    def __exit__(self, *exc: object) -> None:
        self._end_child(kill=True)

    def error(self) -> Any | None:
        """The most relevant schema error, or None when the document is valid."""
        from jsonschema.exceptions import best_match

        if self._head is not None and self._valid_in_parts():
            return None
        self._end_child(kill=True)
        return best_match(self.validator.iter_errors(self.document))

    def _fork_for_tail(self) -> None:
        """Start a child judging the tail of a large document's lists (see the module's
        docstring); leave things as they are when the document is small or cannot be split
        or no process can be forked: :meth:`error` then validates it in one piece."""
        document, schema = self.document, self.validator.schema
        if not isinstance(document, dict) or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return
        properties = schema.get("properties", {})
        if not set(schema) <= _TOP_LEVEL:
            return
        lists = [
            key
            for key in _SPLIT_KEYS
            if isinstance(document.get(key), list) and set(properties.get(key, {})) <= _SPLITTABLE
        ]
        if sum(len(document[key]) for key in lists) < _PARALLEL_FROM:
            return
        head = dict(document)
        tail = {key: document[key] for key in ("bomFormat", "specVersion") if key in document}
        for key in lists:
            cut = round(len(document[key]) * (1 - self.CHILD_SHARE))
            head[key], tail[key] = document[key][:cut], document[key][cut:]
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child judges the tail and says so in one byte, whatever happens
            try:
                os.close(read_end)
                os.write(write_end, b"1" if self.validator.is_valid(tail) else b"0")
            finally:
                os._exit(0)
        os.close(write_end)
        self._pid, self._read_end, self._head, self._lists = pid, read_end, head, lists

    def _valid_in_parts(self) -> bool:
        """Whether the head is valid, no list item repeats across the parts, and the child
        found the tail valid."""
        properties = self.validator.schema.get("properties", {})
        if not self.validator.is_valid(self._head) or not all(
            _all_unique(self.document[key])
            for key in self._lists
            if properties[key].get("uniqueItems")
        ):
            return False
        answer = os.read(self._read_end, 1)
        self._end_child(kill=False)
        return answer == b"1"

    def _end_child(self, *, kill: bool) -> None:
        if not self._pid:
            return
        pid, self._pid = self._pid, 0
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.close(self._read_end)
        os.waitpid(pid, 0)
