# SPDX-License-Identifier: Apache-2.0
"""The pre-commit path stays light: no ScanCode index, no heavy imports, unless needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("licensedcode.cache", "licensedcode.index", "scancode.api", "cluecode", "cyclonedx")


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))\n"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=600
    )
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_help_imports_nothing_heavy() -> None:
    loaded = _modules_after(
        "import contextlib, io\n"
        "from ospo.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert run(['--help']) == 0\n"
        "    assert run(['scan', '--help']) == 0\n"
    )
    assert not [m for m in loaded if m.startswith(HEAVY)]


def test_fully_cached_scan_does_not_load_the_license_index(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    # unique content: the session's shared cache must not know this file yet
    (root / "a.py").write_text(f"# SPDX-License-Identifier: MIT\n# {root}\n", encoding="utf-8")
    scan = (
        "import contextlib, io\n"
        "from ospo.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert run(['scan', {str(root)!r}]) == 0\n"
    )
    first = _modules_after(scan)
    assert "licensedcode.cache" in first, "the first scan needs ScanCode"
    again = _modules_after(scan)
    assert not [m for m in again if m.startswith(HEAVY)]


def test_a_cached_scan_does_not_read_distribution_metadata(tmp_path: Path) -> None:
    """The engine key (ScanCode's and license-expression's versions) is kept on disk with
    a stamp of the import directories; it is read again when the stamp changes."""
    from conftest import run_ospo_process as run_ospo

    root = tmp_path / "t"
    root.mkdir()
    (root / "a.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert run_ospo("scan", root, "-q", env={"OSPO_CACHE_DIR": str(cache)}).returncode == 0
    memo = json.loads((cache / "engine.json").read_text(encoding="utf-8"))
    key = memo["installed"]["key"]
    assert key.startswith("scancode-toolkit=") and "license-expression=" in key
    again = _modules_after(
        "import contextlib, io, os\n"
        f"os.environ['OSPO_CACHE_DIR'] = {str(cache)!r}\n"
        "from ospo.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert run(['scan', {str(root)!r}, '-q']) == 0\n"
    )
    assert "importlib.metadata" not in again
    # an installation changed (another stamp): the key is read from the metadata again
    memo["stamp"] = ["elsewhere:0"]
    memo["installed"]["key"] = "stale"
    (cache / "engine.json").write_text(json.dumps(memo), encoding="utf-8")
    assert run_ospo("scan", root, "-q", env={"OSPO_CACHE_DIR": str(cache)}).returncode == 0
    assert (
        json.loads((cache / "engine.json").read_text(encoding="utf-8"))["installed"]["key"] == key
    )
    # a damaged memo is read again too
    (cache / "engine.json").write_text("{not json", encoding="utf-8")
    assert run_ospo("scan", root, "-q", env={"OSPO_CACHE_DIR": str(cache)}).returncode == 0
    assert (
        json.loads((cache / "engine.json").read_text(encoding="utf-8"))["installed"]["key"] == key
    )


def test_a_cached_scan_imports_only_what_the_tree_needs(tmp_path: Path) -> None:
    """A rescan of a small tree is mostly start-up: modules a tree does not need (the
    scanners of files it does not hold, the reporters of outputs not asked for, YAML,
    tempfile, subprocess outside a git work tree) are not imported."""
    root = tmp_path / "t"
    root.mkdir()
    (root / "index.js").write_text("// SPDX-License-Identifier: MIT\n", encoding="utf-8")
    (root / "package.json").write_text(
        '{"name": "t", "version": "1.0.0", "license": "MIT", "dependencies": {"a": "1.0.0"}}',
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    scan = (
        "import contextlib, io, os\n"
        f"os.environ['OSPO_CACHE_DIR'] = {str(cache)!r}\n"
        f"os.environ['GIT_CEILING_DIRECTORIES'] = {str(tmp_path)!r}  # not in a work tree\n"
        "from ospo.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert run(['scan', {str(root)!r}, '-q']) == 0\n"
    )
    _modules_after(scan)  # fills the cache
    loaded = _modules_after(scan)
    assert "ospo.scanners.lockfiles.package_json" in loaded  # the tree holds a package.json
    unneeded = {
        "yaml",
        "tempfile",
        "tomllib",
        "logging",
        "xml.etree.ElementTree",
        "ospo.sbom.cyclonedx.writer",
        "ospo.scanners.lockfiles.npm",
        "ospo.scanners.lockfiles.pyproject",
        "ospo.scanners.lockfiles.maven",
        "ospo.scanners.environments",
        "subprocess",
        "signal",
        # click keeps its context in a threading.local, so threading itself is loaded;
        # no pool of workers is
        "concurrent.futures",
        "multiprocessing",
    }
    assert not unneeded & loaded
