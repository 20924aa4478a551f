# SPDX-License-Identifier: Apache-2.0
"""``ospo scan`` end to end: outputs, summary, and every kind of bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_ospo
from ospo import inventory_json


def test_scan_writes_inventory_and_sbom_and_prints_summary(
    vendored_app: Path, tmp_path: Path
) -> None:
    inv, bom = tmp_path / "inventory.json", tmp_path / "bom.cdx.json"
    proc = run_ospo("scan", vendored_app, "-o", inv, "--cyclonedx", bom)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "Scanned app:" in proc.stdout
    assert "Permissive: MIT" in proc.stdout
    assert "Vendored code (3 packages):" in proc.stdout
    assert f"Wrote inventory JSON: {inv}" in proc.stdout
    data = json.loads(inv.read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.2"
    inventory_json.from_json_dict(data)  # validates against the shipped schema
    paths = [f["path"] for f in data["files"]]
    assert paths == sorted(paths)
    main = next(f for f in data["files"] if f["path"] == "src/main.py")
    assert main["license_expression"] == "LicenseRef-Acme-Proprietary"
    assert main["copyrights"] == ["Copyright (c) 2026 Acme Corporation"]
    assert main["holders"] == ["Acme Corporation"]
    assert main["package"] is None
    assert json.loads(bom.read_text(encoding="utf-8"))["specVersion"] == "1.6"


def test_quiet_prints_nothing(vendored_app: Path, tmp_path: Path) -> None:
    proc = run_ospo("scan", vendored_app, "-q", "-o", tmp_path / "i.json")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_output_is_deterministic(vendored_app: Path, tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    run_ospo(
        "scan",
        vendored_app,
        "-q",
        "-o",
        tmp_path / "1.json",
        "--cyclonedx",
        tmp_path / "1.cdx",
        env=env,
    )
    run_ospo(
        "scan",
        vendored_app,
        "-q",
        "-o",
        tmp_path / "2.json",
        "--cyclonedx",
        tmp_path / "2.cdx",
        env=env,
    )
    first = json.loads((tmp_path / "1.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "2.json").read_text(encoding="utf-8"))
    first["scan"].pop("stats"), second["scan"].pop("stats")
    assert first == second
    assert first["scan"]["timestamp"] == "2023-11-14T22:13:20Z"
    assert (tmp_path / "1.cdx").read_bytes() == (tmp_path / "2.cdx").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "/nonexistent/tree"], "/nonexistent/tree: path does not exist"),
        (["scan", ".", "--max-file-size", "lots"], "not a size"),
        (["scan", ".", "--jobs", "0"], "Invalid value for '-j' / '--jobs': '0' is not at least 1"),
        (["scan", ".", "--jobs", "two"], "'--jobs': 'two' is not a whole number"),
        (
            ["scan", ".", "--timeout", "0"],
            "Invalid value for '--timeout': '0' is not greater than 0",
        ),
        (["scan", ".", "--env", "/nonexistent/venv"], "'/nonexistent/venv' does not exist"),
        (["scan", ".", "--config", "/"], "Invalid value for '--config': File '/' is a directory."),
        (["scan", ".", "--no-such-option"], "No such option '--no-such-option'"),
        (["scna", "."], "No such command 'scna'"),
        (["scan", ".", "-o", "/nonexistent-dir/inv.json"], "output directory does not exist"),
    ],
)
def test_usage_and_input_errors_exit_2(args: list[str], message: str, vendored_app: Path) -> None:
    proc = run_ospo(*(vendored_app if arg == "." else arg for arg in args))
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_scanning_a_file_instead_of_a_tree_is_an_input_error(vendored_app: Path) -> None:
    proc = run_ospo("scan", vendored_app / "src" / "main.py")
    assert proc.returncode == 2
    assert "not a directory" in proc.stderr


def test_config_typo_names_file_line_and_key(vendored_app: Path) -> None:
    (vendored_app / ".ospo.yml").write_text(
        "product:\n  name: app\nscan:\n  exlude:\n    - path: x\n", encoding="utf-8"
    )
    proc = run_ospo("scan", vendored_app, "-q")
    assert proc.returncode == 2
    assert ".ospo.yml:4: scan: Additional properties are not allowed ('exlude'" in proc.stderr
    assert "allowed keys: exclude, max_file_size, timeout" in proc.stderr


def test_broken_yaml_names_line(vendored_app: Path) -> None:
    (vendored_app / ".ospo.yml").write_text("product:\n  name: [app\n", encoding="utf-8")
    proc = run_ospo("scan", vendored_app, "-q")
    assert proc.returncode == 2
    assert ".ospo.yml:" in proc.stderr and "not valid YAML" in proc.stderr


def test_odd_files_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    (root / "ok.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    shutil.copyfile(shutil.which("true") or "/bin/true", root / "python-binary")  # an ELF binary
    (root / "latin1.txt").write_bytes("Copyright (c) 2020 Jos\xe9 M\xfcller\n".encode("latin-1"))
    (root / "big.min.js").write_bytes(b"var a=1;" * (6 * 1024 * 1024 // 8 + 1))
    os.symlink("ok.py", root / "link.py")
    os.symlink("missing.py", root / "dangling.py")
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "up")  # a directory symlink loop
    os.symlink("self", root / "self")  # a self-referencing link
    odd_name = os.fsencode(str(root)) + b"/caf\xe9.c"
    with open(odd_name, "wb") as handle:
        handle.write(b"int x;\n")
    out = tmp_path / "inv.json"
    proc = run_ospo("scan", root, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    files = {f["path"]: f for f in data["files"]}
    issues = {(i["kind"], i["path"]) for i in data["scan"]["issues"]}
    assert files["ok.py"]["license_expression"] == "MIT"
    assert files["python-binary"]["scanned"] is True
    assert files["latin1.txt"]["copyrights"], "a Latin-1 file is still read"
    assert files["big.min.js"]["scanned"] is False
    assert len(files["big.min.js"]["sha256"]) == 64
    assert ("too-large", "big.min.js") in issues
    assert {
        ("symlink", "link.py"),
        ("symlink", "dangling.py"),
        ("symlink", "self"),
        ("symlink", "loop/up"),
    } <= issues
    assert any(kind == "unreadable" and "caf" in (path or "") for kind, path in issues)


#: Run in the child: as root, give up the capabilities that let root read any file
#: (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so file permissions really apply while the
#: interpreter keeps reading ospo and ScanCode wherever the clone and venv live.
_DROP_READ_ANYTHING = """
import ctypes, os
if os.geteuid() == 0:
    libc = ctypes.CDLL(None, use_errno=True)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # (effective, permitted, inheritable) x 2 words
    if libc.capget(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    keep = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
    for word in (0, 1, 2):
        data[word] &= keep
    if libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
"""


def test_unreadable_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    """A file the scan may not read is an issue; permissions must really apply, so root
    (CI containers) first gives up the capabilities that read any file."""
    root = tmp_path / "perm"
    root.mkdir()
    (root / "ok.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    secret = root / "secret.py"
    secret.write_text("x = 1\n", encoding="utf-8")
    secret.chmod(0)
    code = _DROP_READ_ANYTHING + (
        "import sys\nfrom ospo.cli import run\nsys.exit(run(sys.argv[1:]))\n"
    )
    out = tmp_path / "inv.json"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, "scan", str(root), "-q", "--no-cache", "-o", str(out)],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        data = json.loads(out.read_text(encoding="utf-8"))
        assert [f["path"] for f in data["files"]] == ["ok.py"]
        assert data["scan"]["issues"] == [
            {"kind": "unreadable", "path": "secret.py", "message": "cannot read: Permission denied"}
        ]
    finally:
        secret.chmod(0o600)


def test_ctrl_c_writes_no_output_and_keeps_the_cache(tmp_path: Path) -> None:
    from realtree import build_real_tree

    root = tmp_path / "tree"
    build_real_tree(root)
    out = tmp_path / "inv.json"
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo", "scan", str(root), "-q", "-j", "2", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OSPO_CACHE_DIR": str(cache)},
    )
    deadline = time.monotonic() + 120
    db = cache / "results.sqlite3"
    # Wait until results start reaching the cache, then interrupt.
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and _cached_count(db) > 0:
            break
        time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 3, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert not out.exists()
    assert not list(tmp_path.glob(".inv.json.*"))
    assert _cached_count(db) > 0, "what was computed before Ctrl-C stays in the cache"


def _cached_count(db: Path) -> int:
    import sqlite3

    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM results").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import pty

    root = tmp_path / "t"
    root.mkdir()
    # unique content, so that the session's shared cache does not know the file
    (root / "a.py").write_text(f"# SPDX-License-Identifier: MIT\n# {root}\n", encoding="utf-8")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo", "scan", str(root)],
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
    )
    os.close(follower)
    stdout, _ = proc.communicate(timeout=600)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert b"Matching files" in seen
    assert b"1/1  100%" in seen  # the bar is drawn once more when the last file is done
    assert "Matching files" not in stdout
    (root / "a.py").write_text(f"# SPDX-License-Identifier: BSD-2-Clause\n# {root}\n")
    piped = run_ospo("scan", root)  # stderr is not a terminal: no bar
    assert piped.returncode == 0
    assert "1 matched" in piped.stdout
    assert "Matching files" not in piped.stderr
