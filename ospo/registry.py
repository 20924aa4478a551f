# SPDX-License-Identifier: Apache-2.0
"""A registry of implementations by name whose modules are imported on first use.

Scanners and reporters are many and some are heavy (the CycloneDX library, XML); a run
needs few of them. The registry knows each by ``module:Class`` and imports it when asked
for, so start-up stays cheap and the tests can still walk every entry.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import Generic, TypeVar

T = TypeVar("T")


class LazyRegistry(Mapping[str, type[T]], Generic[T]):
    """``name -> class``, from ``name -> "package.module:Class"``."""

    def __init__(self, where: Mapping[str, str]) -> None:
        self._where = dict(where)

    def __getitem__(self, name: str) -> type[T]:
        module, _, cls = self._where[name].partition(":")
        found: type[T] = getattr(import_module(module), cls)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)
