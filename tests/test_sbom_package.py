# SPDX-License-Identifier: Apache-2.0
"""The SBOM package's shape: no module of ``ospo.sbom`` imports another in a circle, each
imports on its own in a fresh interpreter, and the old module paths are gone."""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
from pathlib import Path

import ospo.sbom

PACKAGE = Path(ospo.sbom.__file__).parent


def sbom_modules() -> dict[str, Path]:
    """Every module of ``ospo.sbom``, by dotted name, with its file."""
    found = {"ospo.sbom": PACKAGE / "__init__.py"}
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="ospo.sbom."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None and spec.origin is not None, info.name
        found[info.name] = Path(spec.origin)
    return found


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that ``name`` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in out if m in modules and m != name}


def test_the_package_has_its_formats() -> None:
    names = set(sbom_modules())
    assert {
        "ospo.sbom",
        "ospo.sbom.common",
        "ospo.sbom.cyclonedx.reader",
        "ospo.sbom.cyclonedx.writer",
        "ospo.sbom.cyclonedx.xml",
        "ospo.sbom.cyclonedx.validation",
        "ospo.sbom.spdx2.reader",
        "ospo.sbom.spdx2.writer",
    } <= names
    for gone in (
        "ospo.sbom_import",
        "ospo.cdx_xml",
        "ospo.cdx_validation",
        "ospo.spdx",
        "ospo.reporters.cyclonedx",
        "ospo.reporters.spdx",
    ):
        assert importlib.util.find_spec(gone) is None, gone


def test_no_import_circle() -> None:
    modules = sbom_modules()
    graph = {name: imports_of(name, path, set(modules)) for name, path in modules.items()}
    assert "ospo.sbom.cyclonedx.reader" in graph["ospo.sbom.cyclonedx.xml"]  # the walk sees
    assert "ospo.sbom.common" in graph["ospo.sbom.spdx2.writer"]  # from-imports of names

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph[node]):
                if nxt == start:
                    return [*path, nxt]
                if nxt not in path:
                    stack.append((nxt, [*path, nxt]))
        return None

    circles = {m: c for m in graph if (c := circle_from(m)) is not None}
    assert circles == {}


def test_each_module_imports_alone() -> None:
    for name in sbom_modules():
        proc = subprocess.run(
            [sys.executable, "-c", f"import {name}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, f"{name}: {proc.stderr}"
