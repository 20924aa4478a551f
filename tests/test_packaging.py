# SPDX-License-Identifier: Apache-2.0
"""The wheel ships the data folders, and both entry points work."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import run_ospo

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("ospo-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for policy in (ROOT / "policies").iterdir():
        assert f"ospo/_data/policies/{policy.name}" in names
    for template in (ROOT / "templates").iterdir():
        assert f"ospo/_data/templates/{template.name}" in names
    assert "ospo/schemas/inventory.schema.json" in names
    assert "ospo/schemas/config.schema.json" in names
    assert "ospo/py.typed" in names


def test_every_source_file_has_an_spdx_header() -> None:
    missing = [
        str(p.relative_to(ROOT))
        for folder in ("ospo", "tests", "bench")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if "data" not in p.relative_to(ROOT).parts
        and "work" not in p.relative_to(ROOT).parts
        and "SPDX-License-Identifier: Apache-2.0" not in p.read_text(encoding="utf-8")[:200]
    ]
    assert missing == []


def test_module_and_console_script() -> None:
    proc = run_ospo("--version")
    assert (proc.returncode, proc.stdout.strip()) == (0, "ospo, version 0.1.0")
    script = Path(sys.executable).with_name("ospo")
    proc2 = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert proc2.returncode == 0
    assert "scan" in proc2.stdout
