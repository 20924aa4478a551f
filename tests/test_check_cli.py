# SPDX-License-Identifier: Apache-2.0
"""``ospo check``, ``ospo policy`` and ``ospo decide`` end to end: formats and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import DATA, run_ospo, run_ospo_process

SBOM = DATA / "sbom" / "cyclonedx-py-flask-requests.cdx.json"
CONFIG = "product:\n  name: app\n  license: LicenseRef-Acme-Proprietary\nprofile: binary\n"


@pytest.fixture
def app(vendored_app: Path) -> Path:
    (vendored_app / ".ospo.yml").write_text(CONFIG, encoding="utf-8")
    return vendored_app


def test_passing_product_exits_0(app: Path) -> None:
    proc = run_ospo("check", app)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("app: PASS — policy default, profile binary")
    assert "license/obligations: pkg:npm/is-number@7.0.0" in proc.stdout
    assert proc.stderr == ""


def test_a_gpl_file_fails_the_gate_with_exit_1(app: Path) -> None:
    (app / "src" / "copied.c").write_text(
        "/* SPDX-License-Identifier: GPL-2.0-only */\nint copied;\n", encoding="utf-8"
    )
    proc = run_ospo("check", app)
    assert proc.returncode == 1
    assert "FAIL" in proc.stdout.splitlines()[0]
    assert "✗ file/license: src/copied.c:1" in proc.stdout
    assert "how to fix:" in proc.stdout
    assert run_ospo("check", app, "--profile", "saas").returncode == 0, "GPL is fine for SaaS"


def test_json_has_the_stable_keys(app: Path, tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    proc = run_ospo("check", app, "--format", "json", "-o", out)
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert f"pass: wrote json results to {out}" in proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["verdict"] == "pass"
    keys = {
        "rule",
        "severity",
        "component",
        "path",
        "license",
        "elected_license",
        "message",
        "how_to_fix",
        "waived",
        "status",
    }
    assert data["findings"] and all(keys <= set(f) for f in data["findings"])
    assert {o["license"] for o in data["obligations"]} == {"BSD-3-Clause", "MIT"}


def test_sarif_validates_and_points_at_lines(app: Path, tmp_path: Path) -> None:
    from jsonschema import Draft4Validator

    (app / "src" / "copied.c").write_text(
        "int a;\n/* SPDX-License-Identifier: GPL-3.0-or-later */\n", encoding="utf-8"
    )
    proc = run_ospo("check", app, "--format", "sarif")
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    schema = json.loads((DATA / "schemas" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    errors = list(Draft4Validator(schema).iter_errors(log))
    assert errors == []
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "file/license"]
    location = result["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "src/copied.c"}, "region": {"startLine": 2}}
    assert result["level"] == "error"
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "file/license"
    assert len(rule_ids) == len(set(rule_ids))


def test_junit_and_markdown(app: Path) -> None:
    (app / "src" / "copied.c").write_text("// SPDX-License-Identifier: AGPL-3.0-only\n")
    junit = run_ospo("check", app, "--format", "junit")
    assert junit.returncode == 1
    suite = ET.fromstring(junit.stdout)
    assert suite.tag == "testsuite"
    assert suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and "how to fix" in (failure.text or "")
    markdown = run_ospo("check", app, "--format", "markdown")
    assert markdown.stdout.startswith("### ❌ ospo: fail — app")
    assert "| 🛑 | `file/license` | src/copied.c:1 | AGPL-3.0-only |" in markdown.stdout


def test_gitlab_code_quality_points_at_files_and_manifests(app: Path) -> None:
    (app / "src" / "copied.c").write_text(
        "int a;\n/* SPDX-License-Identifier: GPL-3.0-or-later */\n", encoding="utf-8"
    )
    for name in ("package.json", "package-lock.json"):
        shutil.copy(DATA / "lockfiles" / "npm" / name, app / name)
    (app / ".ospo" / "waivers.yml").parent.mkdir()
    (app / ".ospo" / "waivers.yml").write_text(
        "version: 1\n"
        "waivers:\n"
        "  - rule: license/obligations\n"
        "    component: pkg:npm/is-number\n"
        "    decision: approve\n"
        "    reason: the NOTICE ships its license\n"
        "    approver: Jane Counsel\n"
        "    role: legal\n"
        "    date: 2026-01-05\n",
        encoding="utf-8",
    )
    proc = run_ospo("check", app, "--format", "codequality")
    assert proc.returncode == 1, proc.stderr
    issues = json.loads(proc.stdout)
    sarif = json.loads(run_ospo("check", app, "--format", "sarif").stdout)["runs"][0]["results"]
    assert len(issues) == len([r for r in sarif if "suppressions" not in r])
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert "How to fix:" in issue["description"]
        assert (app / issue["location"]["path"]).is_file(), issue
        assert issue["location"]["lines"]["begin"] >= 1
    by_rule = {(i["check_name"], i["location"]["path"]): i for i in issues}
    gpl = by_rule["file/license", "src/copied.c"]
    assert (gpl["severity"], gpl["location"]["lines"]) == ("critical", {"begin": 2})
    # the same identity as in code scanning
    (result,) = [
        r
        for r in sarif
        if r["ruleId"] == "file/license"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/copied.c"
    ]
    assert gpl["fingerprint"] == result["partialFingerprints"]["ospoFinding/v1"]
    # a package points at the lock file that declared it; the waived one is left out
    jsonify = by_rule["license/unknown", "package-lock.json"]
    assert jsonify["severity"] == "major"
    assert "jsonify@0.0.1" in jsonify["description"]
    assert not any("is-number" in i["description"] for i in issues)


def test_inventory_baseline_and_only_new(app: Path, tmp_path: Path) -> None:
    (app / "src" / "old.c").write_text("// SPDX-License-Identifier: GPL-2.0-only\n")
    base = tmp_path / "base.json"
    assert run_ospo("scan", app, "-q", "-o", base).returncode == 0
    (app / "src" / "new.c").write_text("// SPDX-License-Identifier: SSPL-1.0\n")
    now = tmp_path / "now.json"
    assert run_ospo("scan", app, "-q", "-o", now).returncode == 0
    proc = run_ospo("check", "--inventory", now, "--baseline", base, "--format", "json")
    data = json.loads(proc.stdout)
    status = {f["path"]: f["status"] for f in data["findings"] if f["path"]}
    assert status["src/old.c"] == "unchanged"
    assert status["src/new.c"] == "new"
    assert proc.returncode == 1
    (app / "src" / "new.c").unlink()
    assert run_ospo("scan", app, "-q", "-o", now).returncode == 0
    gate = run_ospo("check", "--inventory", now, "--baseline", base, "--only-new")
    assert gate.returncode == 0, "the old GPL file is known; nothing new"
    assert run_ospo("check", "--inventory", now).returncode == 1


def test_usage_errors_exit_2(app: Path, tmp_path: Path) -> None:
    cases = [
        (["check", app, "--only-new"], "--only-new needs --baseline"),
        (["check", "--inventory", tmp_path / "missing.json"], "does not exist"),
        (["check", app, "--format", "pdf"], "Invalid value for '--format': 'pdf' is not one of"),
        (["check", app, "--profile", "cloud"], "Invalid value for '--profile': 'cloud' is not one"),
        (["check", app, "--fail-on", "info"], "Invalid value for '--fail-on': 'info' is not one"),
        (["check", app, "--policy", tmp_path / "missing.yml"], "does not exist"),
        (["check", "--inventory", SBOM], "not an ospo inventory"),
    ]
    for args, message in cases:
        proc = run_ospo(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_sbom_from_another_tool(tmp_path: Path) -> None:
    proc = run_ospo("check", "--sbom", SBOM, "--format", "json")
    data = json.loads(proc.stdout)
    unknown = sorted(f["component"] for f in data["findings"] if f["rule"] == "license/unknown")
    # cyclonedx-py passes on the vague "BSD License" classifier for these three
    assert unknown == [
        "pkg:pypi/flask@3.1.0",
        "pkg:pypi/itsdangerous@2.2.0",
        "pkg:pypi/jinja2@3.1.6",
    ]
    obligations = {
        f["component"]: f["license"] for f in data["findings"] if f["rule"] == "license/obligations"
    }
    assert obligations["pkg:pypi/requests@2.32.3"] == "Apache-2.0"
    assert obligations["pkg:pypi/certifi@2026.10.18"] == "MPL-2.0"
    assert proc.returncode == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": '
            '[{"type": "library", "name": "x", '
            '"licenses": [{"license": {"id": "Not-A-License"}}]}]}',
            "not a valid CycloneDX 1.6 document at components/0/licenses/0/license",
        ),
        ('{"bomFormat": "CycloneDX", "specVersion": "0.9"}', "specVersion '0.9' is not supported"),
        ('{"spdxVersion": "SPDX-2.3"}', "not a valid SPDX-2.3 document at (top level)"),
        ("[1, 2", "not JSON"),
        ("<bom xmlns='http://cyclonedx.org/schema/bom/1.6'><components>", "not well-formed XML"),
    ],
)
def test_invalid_sboms_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    proc = run_ospo("check", "--sbom", path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert str(path) in proc.stderr


def test_package_names_with_html_stay_inert(tmp_path: Path) -> None:
    sbom = json.loads(SBOM.read_text(encoding="utf-8"))
    sbom["components"][2]["name"] = "<script>alert(1)</script>|x"  # MarkupSafe, BSD-3-Clause
    path = tmp_path / "html.cdx.json"
    path.write_text(json.dumps(sbom), encoding="utf-8")
    proc = run_ospo("check", "--sbom", path, "--format", "markdown")
    assert "<script>" not in proc.stdout
    assert "&lt;script&gt;" in proc.stdout


def test_staged_files_only(app: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(app), "-c", "user.name=T", "-c", "user.email=t@x", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "init")
    (app / "src" / "gpl.c").write_text("// SPDX-License-Identifier: GPL-2.0-only\nint g;\n")
    (app / "src" / "unstaged.c").write_text("// SPDX-License-Identifier: AGPL-3.0-only\n")
    git("add", "src/gpl.c")
    proc = run_ospo_process("check", "--staged", cwd=app)
    assert proc.returncode == 1, proc.stderr
    assert "src/gpl.c" in proc.stdout
    assert "unstaged.c" not in proc.stdout
    assert "is-number" not in proc.stdout, "only the staged files are judged"
    files = run_ospo_process("check", "--staged", "src/unstaged.c", cwd=app)
    assert files.returncode == 1
    assert "src/unstaged.c" in files.stdout
    git("reset", "-q")
    nothing = run_ospo_process("check", "--staged", cwd=app)
    assert nothing.returncode == 0
    assert "no files to check" in nothing.stderr


def test_policy_validate_and_explain(tmp_path: Path) -> None:
    ok = run_ospo("policy", "validate")
    assert ok.returncode == 0 and "valid policy 'default'" in ok.stdout
    bad = tmp_path / "p.yml"
    bad.write_text("version: 1\nextends: default\nprofiles:\n  binary:\n    permisive: allow\n")
    proc = run_ospo("policy", "validate", bad)
    assert proc.returncode == 2
    assert f"{bad}:5: profiles.binary: Additional properties" in proc.stderr
    explain = run_ospo("policy", "explain", "GPL-2.0-only WITH Classpath-exception-2.0")
    assert explain.returncode == 0
    assert "binary, static linking" in explain.stdout
    assert "Classpath-exception-2.0: an exception" in explain.stdout
    rule = run_ospo("policy", "explain", "waiver/expired")
    assert rule.stdout.startswith("waiver/expired: ")
    nonsense = run_ospo("policy", "explain", "not a thing (")
    assert nonsense.returncode == 2


def test_decide_records_a_waiver_that_check_applies(app: Path) -> None:
    (app / "src" / "copied.c").write_text("// SPDX-License-Identifier: LGPL-2.1-only\n")
    assert run_ospo("check", app).returncode == 1
    proc = run_ospo_process(
        "decide",
        "--rule",
        "file/license",
        "--path",
        "src/copied.c",
        "--decision",
        "approve",
        "--approver",
        "Jane Counsel",
        "--role",
        "legal",
        "--reason",
        "relicensed to us",
        "--ticket",
        "OSRB-7",
        "--expires",
        "2099-12-31",
        cwd=app,
    )
    assert proc.returncode == 0, proc.stderr
    assert (app / ".ospo" / "waivers.yml").is_file()
    after = run_ospo("check", app)
    assert after.returncode == 0, after.stdout
    assert "~ file/license: src/copied.c:1 — Jane Counsel (legal), OSRB-7" in after.stdout
    missing = _decide(app)
    assert missing.returncode == 2
    assert "say what the decision is about" in missing.stderr
    for expires in ("2099-13-01", "20991231"):
        bad = _decide(app, "--path", "a", "--expires", expires)
        assert bad.returncode == 2, expires
        assert (
            f"Invalid value for '--expires': {expires!r} is not a date (YYYY-MM-DD)" in bad.stderr
        )


def _decide(app: Path, *about: str) -> subprocess.CompletedProcess[str]:
    """``ospo decide`` with every required option and ``about`` added."""
    required = ("--rule", "x/y", "--decision", "approve", "--approver", "a", "--role", "legal")
    return run_ospo_process("decide", *required, "--reason", "r", *about, cwd=app)


def test_output_that_cannot_reach_its_reader_is_not_a_pass() -> None:
    """``ospo check | head``: when the reader went away, the exit code is not 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before ospo writes anything
    proc = subprocess.run(
        [sys.executable, "-m", "ospo", "policy", "explain", "MIT"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    os.close(write_end)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def test_check_without_git_or_config_uses_defaults(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    shutil.copytree(DATA / "vendored" / "six", root)
    proc = run_ospo("check", root, "--format", "json")
    data = json.loads(proc.stdout)
    assert data["profile"] == "binary"
    assert data["policy"] == "default"


def test_scan_imports_an_sbom_from_another_tool(tmp_path: Path) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "app.py").write_text("# SPDX-License-Identifier: MIT\n", encoding="utf-8")
    out = tmp_path / "inv.json"
    proc = run_ospo("scan", root, "--import-sbom", SBOM, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    comps = {c["purl"]: c for c in json.loads(out.read_text(encoding="utf-8"))["components"]}
    assert comps["pkg:pypi/requests@2.32.3"]["license_expression"] == "Apache-2.0"
    assert len(comps) == 14
    bad = tmp_path / "bad.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "0.9"}', encoding="utf-8")
    failed = run_ospo("scan", root, "--import-sbom", bad, "-q", "-o", out)
    assert failed.returncode == 2
    assert "specVersion '0.9' is not supported" in failed.stderr
