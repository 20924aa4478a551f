# SPDX-License-Identifier: Apache-2.0
"""The policy engine's modules import one another in one direction only.

The import graph is read from the source (imports inside functions count: they are a
dependency all the same; imports only for type checking do not), and each module is also
imported alone in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import ospo

PACKAGE_DIR = Path(ospo.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(path): path
    for path in sorted(PACKAGE_DIR.rglob("*.py"))
    if "__pycache__" not in path.parts
}
POLICY_MODULES = sorted(m for m in MODULES if m == "ospo.policy" or m.startswith("ospo.policy."))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(module: str, tree: ast.AST) -> set[str]:
    """The ospo modules ``module`` imports, anywhere but under ``if TYPE_CHECKING``."""
    is_package = MODULES[module].name == "__init__.py"
    names: set[str] = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        todo.extend(ast.iter_child_nodes(node))
    edges = set()
    own_packages = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    for name in names:
        parts = name.split(".")
        # importing a.b.c runs a/__init__ and a/b/__init__ first, unless they are the
        # importer's own packages (already being imported)
        for i in range(1, len(parts) + 1):
            target = ".".join(parts[:i])
            if target in MODULES and target != module and target not in own_packages:
                edges.add(target)
    return edges


def _graph() -> dict[str, set[str]]:
    return {
        module: _imported(module, ast.parse(path.read_text(encoding="utf-8")))
        for module, path in MODULES.items()
    }


def _cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_the_graph_reader_finds_imports_in_functions_and_skips_type_checking() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from ospo.policy.rules.base import Rule\n"
        "if TYPE_CHECKING:\n"
        "    from ospo.api import scan\n"
        "def f():\n"
        "    from ospo.policy import waivers\n"
    )
    assert _imported("ospo.policy.loader", tree) == {
        "ospo.policy.rules",
        "ospo.policy.rules.base",
        "ospo.policy.waivers",
    }
    assert _cycle_through("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle_through("a", {"a": {"b"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize("module", POLICY_MODULES)
def test_no_policy_module_imports_itself_back(module: str) -> None:
    assert _cycle_through(module, _graph()) is None


@pytest.mark.parametrize("module", POLICY_MODULES)
def test_each_policy_module_imports_alone(module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
