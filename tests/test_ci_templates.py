# SPDX-License-Identifier: Apache-2.0
"""The CI gate: the GitHub composite action (``action.yml``) and the GitLab template
(``ci/gitlab/ospo.gitlab-ci.yml``), run step by step.

Each shell step is taken from the YAML as it is written and run with bash against a copy
of a product repository, with the environment the runner would give it: the action's
inputs and expressions resolved, ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` files, the
job's variables. The install step really installs ospo from this checkout, into a fresh
virtual environment whose dependencies come from the test environment (no index is
reached). Steps that use other actions are checked for what they are given and for being
pinned to a commit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
GITLAB = yaml.safe_load((ROOT / "ci" / "gitlab" / "ospo.gitlab-ci.yml").read_text(encoding="utf-8"))
_SHA_REF = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@pytest.fixture(scope="module")
def ospo_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a fresh virtual environment, ready for the install step: its
    Python sees the test environment's packages, so installing ospo needs no index."""
    venv = tmp_path_factory.mktemp("ci-python") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    site = next((venv / "lib").glob("python3*/site-packages"))
    here = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (site / "zz-test-dependencies.pth").write_text(
        f"import site; site.addsitedir({here!r})\n", encoding="utf-8"
    )
    return venv / "bin"


def _runner_env(bin_dir: Path) -> dict[str, str]:
    """A CI machine's environment: python is the job's, nothing of this test run leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GITHUB_"))}
    env["PATH"] = str(bin_dir) + os.pathsep + os.environ.get("PATH", "")
    env["PIP_NO_INDEX"] = "1"
    env["PIP_NO_BUILD_ISOLATION"] = "0"  # pip's spelling of --no-build-isolation
    return env


def _product(dest: Path) -> Path:
    """A proprietary product: its own code, an npm lock file made by npm, and a policy
    that denies one of the packages the lock file names."""
    repo = dest / "acme-server"
    (repo / "src").mkdir(parents=True)
    (repo / ".ospo.yml").write_text(
        "product:\n"
        "  name: acme-server\n"
        '  version: "2.0.0"\n'
        "  license: LicenseRef-Acme-Proprietary\n"
        "profile: binary\n"
        "policy: org-policy.yml\n",
        encoding="utf-8",
    )
    (repo / "org-policy.yml").write_text(
        "version: 1\n"
        "name: acme\n"
        "extends: default\n"
        "licenses:\n"
        "  overrides:\n"
        "    LicenseRef-Acme-Proprietary: proprietary\n"
        "consumption:\n"
        "  deny:\n"
        "    - purl: pkg:npm/morgan\n"
        "      reason: logs request bodies; use the approved logger\n",
        encoding="utf-8",
    )
    (repo / "src" / "server.py").write_text(
        "# SPDX-License-Identifier: LicenseRef-Acme-Proprietary\n"
        "# Copyright (c) 2026 Acme Corporation\n"
        "\n"
        "def serve(port: int) -> int:\n"
        "    return port\n",
        encoding="utf-8",
    )
    for name in ("package.json", "package-lock.json"):
        shutil.copy(DATA / "lockfiles" / "npm" / name, repo / name)
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.name", "Test Developer"),
        ("config", "user.email", "developer@example.invalid"),
        ("add", "-A"),
        ("commit", "-q", "-m", "acme-server 2.0.0"),
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)
    return repo


# -- GitHub Actions ---------------------------------------------------------------------


class Step(NamedTuple):
    name: str
    returncode: int | None  # None: skipped
    stdout: str
    stderr: str


class ActionRun(NamedTuple):
    steps: dict[str, Step]
    outputs: dict[str, dict[str, str]]
    summary: str
    results: Path


def _run_action(workspace: Path, bin_dir: Path, tmp: Path, inputs: dict[str, str]) -> ActionRun:
    """Run the action's steps the way a runner does: in order, a failure skipping the
    steps that do not ask for ``always()``; ``uses:`` steps recorded, not run."""
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    temp = tmp / "runner-temp"
    temp.mkdir()
    summary = tmp / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    outputs: dict[str, dict[str, str]] = {}
    outcomes: dict[str, str] = {}
    steps: dict[str, Step] = {}
    failed = False

    def resolve(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            expr = m.group(1)
            if expr.startswith("inputs."):
                return values[expr.removeprefix("inputs.")]
            if expr == "github.action_path":
                return str(ROOT)
            if expr == "runner.temp":
                return str(temp)
            found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            assert found, f"an expression the test runner does not know: {expr}"
            return outputs.get(found[1], {}).get(found[2], "")

        return _EXPR.sub(one, text)

    def wanted(condition: str | None) -> bool:
        if condition is None:
            return not failed
        terms = [t.strip() for t in condition.split("&&")]
        assert "always()" in terms, f"a condition the test runner does not know: {condition}"
        for term in terms:
            if term == "always()":
                continue
            found = re.fullmatch(r"steps\.([\w-]+)\.outcome == 'success'", term)
            assert found, f"a condition the test runner does not know: {condition}"
            if outcomes.get(found[1]) != "success":
                return False
        return True

    for step in ACTION["runs"]["steps"]:
        name = step["name"]
        if not wanted(step.get("if")):
            steps[name] = Step(name, None, "", "")
            if "id" in step:
                outcomes[step["id"]] = "skipped"
            continue
        if "uses" in step:
            steps[name] = Step(name, 0, "", "")
            continue
        assert step["shell"] == "bash"
        output = tmp / f"output-{len(steps)}"
        output.write_text("", encoding="utf-8")
        env = _runner_env(bin_dir)
        env.update({k: resolve(str(v)) for k, v in step.get("env", {}).items()})
        env.update(
            GITHUB_OUTPUT=str(output),
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_WORKSPACE=str(workspace),
            GITHUB_ACTION_PATH=str(ROOT),
            RUNNER_TEMP=str(temp),
        )
        assert "${{" not in step["run"], "inputs reach scripts through env:, never inline"
        # what GitHub runs for `shell: bash`
        script = tmp / f"step-{len(steps)}.sh"
        script.write_text(step["run"], encoding="utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        steps[name] = Step(name, proc.returncode, proc.stdout, proc.stderr)
        if "id" in step:
            outcomes[step["id"]] = "success" if proc.returncode == 0 else "failure"
            lines = output.read_text(encoding="utf-8").splitlines()
            outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
        failed = failed or proc.returncode != 0
    return ActionRun(steps, outputs, summary.read_text(encoding="utf-8"), temp / "ospo-results")


def _uses(name: str) -> dict[str, Any]:
    return next(s for s in ACTION["runs"]["steps"] if s["name"] == name)


def test_the_action_blocks_a_denied_dependency_and_reports_it_everywhere(
    tmp_path: Path, ospo_env: Path
) -> None:
    workspace = _product(tmp_path)
    run = _run_action(workspace, ospo_env, tmp_path, {})
    steps = run.steps
    for name in ("Install ospo", "Scan", "Check", "NOTICE and review packet"):
        assert steps[name].returncode == 0, steps[name]
    assert "ospo, version" in steps["Install ospo"].stdout
    # the gate fails last, after the reports are uploaded
    gate = steps["Gate"]
    assert gate.returncode == 1
    assert "::error title=ospo::the gate failed" in gate.stdout
    assert steps["Upload SARIF to code scanning"].returncode == 0
    assert steps["Keep the results"].returncode == 0
    assert run.outputs["check"]["verdict"] == "fail"
    # the job summary is the Markdown report
    assert "### ❌ ospo: fail — acme-server" in run.summary
    assert "`consumption/denied-package` | pkg:npm/morgan@1.12.1" in run.summary
    # the log has the text report
    assert "consumption/denied-package: pkg:npm/morgan@1.12.1" in steps["Check"].stdout
    # the results: the inventory of the scanned product, its SBOM, the SARIF log
    results = Path(run.outputs["scan"]["results"])
    assert results == run.results
    inventory = json.loads((results / "inventory.json").read_text(encoding="utf-8"))
    assert inventory["subject"]["name"] == "acme-server"
    assert any(c["purl"] == "pkg:npm/morgan@1.12.1" for c in inventory["components"])
    bom = json.loads((results / "bom.cdx.json").read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX"
    sarif = json.loads((results / "ospo.sarif").read_text(encoding="utf-8"))
    rules = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert "consumption/denied-package" in rules


def test_the_action_with_the_baseline_of_the_approved_release_counts_only_new_findings(
    tmp_path: Path, ospo_env: Path
) -> None:
    workspace = _product(tmp_path)
    # the approved release's inventory: what `ospo scan -o` wrote for it
    release = tmp_path / "release-inventory.json"
    subprocess.run(
        [str(ospo_env / "ospo"), "scan", ".", "-q", "-o", str(release)],
        cwd=workspace,
        env=_runner_env(ospo_env),
        check=True,
        capture_output=True,
        timeout=900,
    )
    inputs = {"baseline": str(release), "only-new": "true"}
    (tmp_path / "same").mkdir()
    unchanged = _run_action(workspace, ospo_env, tmp_path / "same", inputs)
    assert unchanged.steps["Check"].returncode == 0, unchanged.steps["Check"]
    assert unchanged.outputs["check"]["verdict"] == "pass"
    assert unchanged.steps["Gate"].returncode == 0
    assert "the gate passed" in unchanged.steps["Gate"].stdout

    # a new file under the GPL after the release: new, so it counts
    (workspace / "src" / "router.py").write_text(
        "# SPDX-License-Identifier: GPL-3.0-or-later\n\ndef route(p):\n    return p\n",
        encoding="utf-8",
    )
    (tmp_path / "new").mkdir()
    changed = _run_action(workspace, ospo_env, tmp_path / "new", inputs)
    assert changed.outputs["check"]["verdict"] == "fail"
    assert changed.steps["Gate"].returncode == 1
    assert "src/router.py" in changed.summary
    assert "pkg:npm/morgan" not in changed.summary.split("<details>")[0]


def test_the_action_stops_on_a_usage_error_without_a_verdict(
    tmp_path: Path, ospo_env: Path
) -> None:
    workspace = _product(tmp_path)
    run = _run_action(workspace, ospo_env, tmp_path, {"only-new": "true"})
    check = run.steps["Check"]
    assert check.returncode == 2
    assert "--only-new needs --baseline" in check.stderr
    assert run.steps["Upload SARIF to code scanning"].returncode is None
    assert run.steps["Keep the results"].returncode == 0  # the inventory is still kept
    assert run.steps["Gate"].returncode is None


def test_the_action_fails_on_errors_only_when_asked(tmp_path: Path, ospo_env: Path) -> None:
    workspace = _product(tmp_path)
    policy = workspace / "org-policy.yml"
    # without the denial, what is left is a warning (a license npm records as no SPDX id)
    policy.write_text(policy.read_text(encoding="utf-8").split("consumption:")[0], encoding="utf-8")
    (tmp_path / "warning").mkdir()
    warning = _run_action(workspace, ospo_env, tmp_path / "warning", {})
    assert warning.outputs["check"]["verdict"] == "fail"
    assert "`license/unknown` | pkg:npm/jsonify@0.0.1" in warning.summary
    (tmp_path / "error").mkdir()
    error = _run_action(workspace, ospo_env, tmp_path / "error", {"fail-on": "error"})
    assert error.outputs["check"]["verdict"] == "pass"
    assert error.steps["Gate"].returncode == 0


def test_the_action_validates_against_the_action_metadata_schema() -> None:
    from jsonschema import Draft7Validator

    schema = json.loads((DATA / "schemas" / "github-action.json").read_text(encoding="utf-8"))
    assert [e.message for e in Draft7Validator(schema).iter_errors(ACTION)] == []
    # the schema does catch a step GitHub would refuse
    broken = json.loads(json.dumps(ACTION))
    del broken["runs"]["steps"][1]["shell"]
    assert list(Draft7Validator(schema).iter_errors(broken))


def test_the_action_uses_other_actions_pinned_to_a_commit() -> None:
    uses = [s["uses"] for s in ACTION["runs"]["steps"] if "uses" in s]
    assert uses
    assert [u for u in uses if not _SHA_REF.match(u)] == []
    assert _uses("Set up Python")["with"]["python-version"] == "3.11"
    sarif = _uses("Upload SARIF to code scanning")
    assert sarif["uses"].startswith("github/codeql-action/upload-sarif@")
    assert sarif["with"]["sarif_file"] == "${{ steps.scan.outputs.results }}/ospo.sarif"
    artifacts = _uses("Keep the results")
    assert artifacts["uses"].startswith("actions/upload-artifact@")
    assert artifacts["with"]["path"] == "${{ steps.scan.outputs.results }}"
    # the inputs a workflow can set, and the outputs it can read
    assert set(ACTION["inputs"]) == {"path", "profile", "fail-on", "baseline", "only-new"}
    assert ACTION["inputs"]["fail-on"]["default"] == "warning"
    assert set(ACTION["outputs"]) == {"verdict", "results"}


# -- GitLab CI ---------------------------------------------------------------------------


def _run_gitlab(
    workspace: Path, bin_dir: Path, variables: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run the job's script as the runner does: its lines in one shell, in order, stopping
    at the first that fails; the job's variables in the environment."""
    job = GITLAB["ospo"]
    env = _runner_env(bin_dir)
    env.update({k: str(v) for k, v in job["variables"].items()})
    env.update(variables)
    script = "\n".join(job["script"])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_the_gitlab_job_blocks_a_denied_dependency_with_a_junit_report(
    tmp_path: Path, ospo_env: Path
) -> None:
    workspace = _product(tmp_path)
    ran = _run_gitlab(workspace, ospo_env, {"OSPO_INSTALL": str(ROOT)})
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "consumption/denied-package: pkg:npm/morgan@1.12.1" in ran.stdout
    job = GITLAB["ospo"]
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    # what GitLab collects exists where the job wrote it
    junit = workspace / artifacts["reports"]["junit"]
    tree = ET.parse(junit)
    failures = [
        case
        for case in tree.iter("testcase")
        if case.find("failure") is not None and "morgan" in (case.get("name") or "")
    ]
    assert failures
    quality = json.loads(
        (workspace / artifacts["reports"]["codequality"]).read_text(encoding="utf-8")
    )
    (morgan,) = [i for i in quality if i["check_name"] == "consumption/denied-package"]
    assert "morgan@1.12.1" in morgan["description"]
    assert morgan["severity"] == "critical"
    assert morgan["location"]["path"] == "package-lock.json"
    for path in artifacts["paths"]:
        kept = workspace / path
        names = {p.name for p in kept.iterdir()}
        assert {"inventory.json", "bom.cdx.json", "ospo.sarif", "summary.md"} <= names
    assert "`consumption/denied-package`" in (workspace / "ospo-results" / "summary.md").read_text(
        encoding="utf-8"
    )


def test_the_gitlab_job_passes_with_the_baseline_and_only_new(
    tmp_path: Path, ospo_env: Path
) -> None:
    workspace = _product(tmp_path)
    release = tmp_path / "release-inventory.json"
    subprocess.run(
        [str(ospo_env / "ospo"), "scan", ".", "-q", "-o", str(release)],
        cwd=workspace,
        env=_runner_env(ospo_env),
        check=True,
        capture_output=True,
        timeout=900,
    )
    ran = _run_gitlab(
        workspace,
        ospo_env,
        {"OSPO_INSTALL": str(ROOT), "OSPO_BASELINE": str(release), "OSPO_ONLY_NEW": "true"},
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "PASS" in ran.stdout


def test_the_gitlab_job_offers_the_same_knobs_as_the_action() -> None:
    variables = GITLAB["ospo"]["variables"]
    knobs = {f"OSPO_{name.upper().replace('-', '_')}" for name in ACTION["inputs"]}
    assert knobs <= set(variables)
    assert variables["OSPO_FAIL_ON"] == ACTION["inputs"]["fail-on"]["default"]
    assert GITLAB["ospo"]["image"].startswith("python:3.11")
