# SPDX-License-Identifier: Apache-2.0
"""``ospo init`` on real project layouts, in real git repositories.

Each test copies a real project's metadata (written by the real tools, see
``tests/data/lockfiles/SOURCES.md``) into a fresh git repository, runs ``ospo init`` and
reads back what it wrote; files of other tools that init adds to are real ones too, and
must come out byte-identical but for the added entry.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, run_ospo, run_ospo_process
from ospo.config import load_config
from ospo.documents import load_yaml

LOCKFILES = DATA / "lockfiles"
PIP_PRE_COMMIT = LOCKFILES / "pre-commit" / ".pre-commit-config.yaml"
PMBOOTSTRAP_GITLAB_CI = LOCKFILES / "gitlab-ci" / ".gitlab-ci.yml"
OSPO_HOOKS = [{"id": "ospo-check"}, {"id": "ospo-manifests"}]


def git_repo(path: Path, *, project: str | None = None, remote: str | None = None) -> Path:
    """A new git repository at ``path`` holding the files of a real project of
    ``tests/data/lockfiles`` (``project``), with ``remote`` as its origin."""
    if project is not None:
        shutil.copytree(LOCKFILES / project, path)
    else:
        path.mkdir(parents=True)
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.name", "ospo developers"),
        ("config", "user.email", "dev@ospo.invalid"),
    ):
        subprocess.run(["git", "-C", str(path), *args], check=True)
    if remote is not None:
        subprocess.run(["git", "-C", str(path), "remote", "add", "origin", remote], check=True)
    return path


def init(repo: Path, *args: str) -> tuple[int, str, str]:
    ran = run_ospo("init", str(repo), *args)
    return ran.returncode, ran.stdout, ran.stderr


def read_config(repo: Path) -> dict[str, object]:
    """``.ospo.yml`` as ospo reads it: validated against its schema."""
    data: dict[str, object] = load_yaml(repo / ".ospo.yml", "config.schema.json")
    return data


def test_python_project(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "service", project="uv")
    (repo / "tests").mkdir()
    (repo / "tests" / "test_app.py").write_text("def test_it():\n    assert True\n")
    code, out, err = init(repo, "--profile", "saas")
    assert (code, err) == (0, "")
    config = load_config(repo)
    assert config.product_name == "service"
    assert config.product_license == "Apache-2.0"
    assert config.profile == "saas"
    excluded = {rule.pattern: rule.reason for rule in config.excludes}
    assert excluded["tests/**"] == "test code, not shipped"
    assert ".ospo/**" in excluded and ".ospo.yml" in excluded
    assert "from pyproject.toml" in (repo / ".ospo.yml").read_text()
    for name in (".ospo.yml", ".ospo/waivers.yml", ".pre-commit-config.yaml"):
        assert f"wrote {name}\n" in out
    assert load_yaml(repo / ".ospo" / "waivers.yml", "waivers.schema.json") == {
        "version": 1,
        "waivers": [],
    }
    pre_commit = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert pre_commit["repos"][0]["hooks"] == OSPO_HOOKS
    # no forge: nothing for CI, and it says so
    assert not (repo / ".github").exists() and not (repo / ".gitlab-ci.yml").exists()
    assert "no forge detected" in out


def test_check_then_runs_with_no_options(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm", remote="git@github.com:acme/webapp.git")
    (repo / "test").mkdir()
    (repo / "test" / "app.test.js").write_text("it('works', () => {});\n")
    (repo / "index.js").write_text("module.exports = () => 42;\n")
    code, _out, _err = init(repo, "--profile", "binary", "--action", "acme/ospo@v1")
    assert code == 0
    ran = run_ospo_process("check", cwd=repo)
    # the lock file's jsonify declares "Public Domain": a review item, the gate fails on it
    assert ran.returncode == 1, ran.stderr
    assert ran.stderr == ""
    assert ran.stdout.startswith("webapp: FAIL — policy default, profile binary,")
    assert "pkg:npm/jsonify@0.0.1" in ran.stdout
    # what init wrote is not judged as part of the product
    for written in (".ospo.yml", ".ospo/waivers.yml", ".pre-commit-config.yaml", "test/"):
        assert f": {written}" not in ran.stdout


def test_npm_project(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "app", project="npm")
    (repo / "__tests__").mkdir()
    code, _out, _err = init(repo, "--profile", "internal")
    assert code == 0
    config = read_config(repo)
    assert config["product"] == {"name": "webapp", "license": "Apache-2.0"}
    assert config["profile"] == "internal"
    assert {"path": "__tests__/**", "reason": "test code (Jest), not shipped"} in config["scan"][
        "exclude"
    ]  # type: ignore[index]


def test_rust_project(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "demo", project="cargo")
    (repo / "tests").mkdir()
    (repo / "crates" / "util" / "tests").mkdir()
    code, _out, _err = init(repo, "--profile", "source")
    assert code == 0
    config = load_config(repo)
    assert (config.product_name, config.product_license) == ("demo-app", "Apache-2.0")
    # found at the top and in a workspace member: one rule for both
    assert [r.pattern for r in config.excludes] == ["**/tests/**", ".ospo.yml", ".ospo/**"]
    assert config.excludes[0].matches("crates/util/tests/it.rs")
    assert config.excludes[0].matches("tests/it.rs")


def test_poetry_and_pep_639_metadata(tmp_path: Path) -> None:
    poetry = git_repo(tmp_path / "poetry", project="poetry")
    assert init(poetry, "--profile", "saas")[0] == 0
    assert load_config(poetry).product_license == "Apache-2.0"  # [tool.poetry] license
    assert "[tool.poetry] license" in (poetry / ".ospo.yml").read_text()
    django = git_repo(tmp_path / "django")
    shutil.copy(DATA / "references" / "django-5.2.8" / "pyproject.toml", django)
    assert init(django, "--profile", "source")[0] == 0
    config = load_config(django)
    assert (config.product_name, config.product_license) == ("Django", "BSD-3-Clause")


def test_license_from_the_license_file(tmp_path: Path) -> None:
    """pip-lock's pyproject.toml declares no license: ScanCode reads the LICENSE file."""
    repo = git_repo(tmp_path / "service", project="pip-lock")
    shutil.copy(DATA / "vendored" / "six" / "LICENSE", repo / "LICENSE")
    code, out, _err = init(repo, "--profile", "binary")
    assert code == 0
    config = load_config(repo)
    assert (config.product_name, config.product_license) == ("service", "MIT")
    assert "LICENSE (detected by ScanCode)" in (repo / ".ospo.yml").read_text()
    assert "product.license" not in out


def test_no_license_or_not_spdx_is_said_and_left_commented(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "service", project="pip-lock")
    code, out, _err = init(repo, "--profile", "binary")
    assert code == 0
    assert load_config(repo).product_license is None
    assert "  # license: SPDX-EXPRESSION" in (repo / ".ospo.yml").read_text()
    assert "note: product.license is left commented in .ospo.yml: no project metadata" in out
    # a declaration that is not an SPDX expression is quoted, not written as the license
    other = git_repo(tmp_path / "other")
    (other / "package.json").write_text('{"name": "acme-ui", "license": "SEE LICENSE IN EULA"}')
    code, out, _err = init(other, "--profile", "binary")
    assert code == 0
    assert load_config(other).product_license is None
    assert "package.json says 'SEE LICENSE IN EULA', which is not an SPDX expression" in out


def test_existing_pre_commit_config_keeps_every_byte(tmp_path: Path) -> None:
    """pip's configuration: dashes at column 0, a comment, and `ci:` after `repos:`."""
    repo = git_repo(tmp_path / "service", project="uv")
    original = PIP_PRE_COMMIT.read_bytes()
    shutil.copy(PIP_PRE_COMMIT, repo / ".pre-commit-config.yaml")
    code, out, _err = init(repo, "--profile", "saas", "--action", "acme/ospo@v2.0.0")
    assert code == 0
    assert "added to .pre-commit-config.yaml:" in out
    after = (repo / ".pre-commit-config.yaml").read_bytes()
    entry = (
        b"- repo: https://github.com/acme/ospo\n"
        b"  rev: v2.0.0\n"
        b"  hooks:\n"
        b"    - id: ospo-check\n"
        b"    - id: ospo-manifests\n"
    )
    # the entry closes the `repos:` list, before the blank line and `ci:`
    cut = original.index(b"\nci:\n")
    assert after == original[:cut] + entry + original[cut:]
    before_data, after_data = yaml.safe_load(original), yaml.safe_load(after)
    assert after_data["repos"][:-1] == before_data["repos"]
    assert after_data["repos"][-1] == {
        "repo": "https://github.com/acme/ospo",
        "rev": "v2.0.0",
        "hooks": OSPO_HOOKS,
    }
    assert after_data["ci"] == before_data["ci"]
    # run again: ospo's hook is there, nothing changes
    code, out, _err = init(repo, "--profile", "saas", "--action", "acme/ospo@v2.0.0")
    assert "left .pre-commit-config.yaml alone: it runs ospo already" in out
    assert (repo / ".pre-commit-config.yaml").read_bytes() == after


def test_pre_commit_config_indented_and_without_final_newline(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "app")
    text = "repos:\n    -   repo: local\n        hooks:\n        -   id: x\n            name: x\n            entry: x\n            language: system"  # noqa: E501
    (repo / ".pre-commit-config.yaml").write_text(text)
    assert init(repo, "--profile", "internal")[0] == 0
    after = (repo / ".pre-commit-config.yaml").read_text()
    assert after.startswith(text + "\n    -   repo: https://github.com/REPLACE-ME/ospo")
    assert yaml.safe_load(after)["repos"][1]["hooks"] == OSPO_HOOKS


def test_pre_commit_config_that_cannot_be_edited_is_left_and_shown(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "app")
    for text in (
        "repos: []\n",
        "repos:\n- {repo: local, hooks: []}\n--- \nrepos: []\n",
        "repos: [\n",
    ):
        (repo / ".pre-commit-config.yaml").write_text(text)
        code, out, _err = init(repo, "--profile", "internal")
        assert code == 0
        assert (repo / ".pre-commit-config.yaml").read_text() == text
        assert "left .pre-commit-config.yaml alone: it cannot be edited safely" in out
        # the entry to paste, as it goes under `repos:`
        assert "\n      - repo: https://github.com/REPLACE-ME/ospo  # REPLACE-ME: " in out
        assert (
            "\n        hooks:\n          - id: ospo-check\n          - id: ospo-manifests\n" in out
        )


def test_existing_config_is_left_alone(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm")
    (repo / ".ospo.yml").write_text("profile: internal\n")
    (repo / ".ospo").mkdir()
    (repo / ".ospo" / "waivers.yml").write_text("waivers: []\n")
    code, out, _err = init(repo, "--profile", "binary")
    assert code == 0
    assert (repo / ".ospo.yml").read_text() == "profile: internal\n"
    assert (repo / ".ospo" / "waivers.yml").read_text() == "waivers: []\n"
    assert "left .ospo.yml alone: it exists" in out
    assert "left .ospo/waivers.yml alone: it exists" in out
    assert "wrote .pre-commit-config.yaml" in out
    # .ospo.yaml is the other name ospo reads: it counts as a configuration too
    other = git_repo(tmp_path / "other", project="npm")
    (other / ".ospo.yaml").write_text("profile: saas\n")
    init(other, "--profile", "binary")
    assert not (other / ".ospo.yml").exists()


@pytest.mark.parametrize(
    ("remote", "make"),
    [
        ("https://github.com/acme/webapp.git", None),
        ("git@github.com:acme/webapp.git", None),
        (None, ".github"),
    ],
)
def test_github_detected(tmp_path: Path, remote: str | None, make: str | None) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm", remote=remote)
    if make:
        (repo / make).mkdir()
    code, out, _err = init(repo, "--profile", "binary", "--action", "acme/ospo@v1")
    assert code == 0
    assert "wrote .github/workflows/ospo.yml" in out
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "ospo.yml").read_text())
    steps = workflow["jobs"]["ospo"]["steps"]
    assert [s["uses"] for s in steps] == ["actions/checkout@v4", "acme/ospo@v1"]
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as true
    assert workflow["permissions"]["security-events"] == "write"
    assert not (repo / ".gitlab-ci.yml").exists()
    assert "REPLACE-ME" not in out


def test_without_action_a_marked_placeholder(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm", remote="https://github.com/acme/w.git")
    code, out, _err = init(repo, "--profile", "binary")
    assert code == 0
    workflow = (repo / ".github" / "workflows" / "ospo.yml").read_text()
    assert "uses: REPLACE-ME/ospo@REPLACE-ME  # REPLACE-ME:" in workflow
    assert "rev: REPLACE-ME  # REPLACE-ME:" in (repo / ".pre-commit-config.yaml").read_text()
    assert "note: ospo's repository was not given (--action OWNER/REPO@REF)" in out


def test_gitlab_detected_by_remote(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "svc", project="uv", remote="git@gitlab.example.com:acme/svc.git")
    code, out, _err = init(repo, "--profile", "saas", "--action", "acme/ospo@v1")
    assert code == 0
    assert "wrote .gitlab-ci.yml" in out and not (repo / ".github").exists()
    assert yaml.safe_load((repo / ".gitlab-ci.yml").read_text()) == {
        "include": [
            {
                "remote": "https://raw.githubusercontent.com/acme/ospo/v1/ci/gitlab/ospo.gitlab-ci.yml"
            }
        ]
    }


def test_existing_gitlab_ci_gets_the_include_appended(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "svc", project="uv")
    original = PMBOOTSTRAP_GITLAB_CI.read_bytes()
    shutil.copy(PMBOOTSTRAP_GITLAB_CI, repo / ".gitlab-ci.yml")
    code, out, _err = init(repo, "--profile", "saas", "--action", "acme/ospo@v1")
    assert code == 0
    assert "added to .gitlab-ci.yml:" in out
    after = (repo / ".gitlab-ci.yml").read_bytes()
    assert after.startswith(original)
    assert after[len(original) :] == (
        b"include:\n"
        b"  - remote: https://raw.githubusercontent.com/acme/ospo/v1/ci/gitlab/ospo.gitlab-ci.yml\n"
    )
    assert {k: v for k, v in yaml.safe_load(after).items() if k != "include"} == yaml.safe_load(
        original
    )


def test_gitlab_include_list_is_extended_and_other_forms_get_a_snippet(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "svc")
    listed = "include:\n  - template: Security/SAST.gitlab-ci.yml\n\ntest:\n  script: [make]\n"
    (repo / ".gitlab-ci.yml").write_text(listed)
    assert init(repo, "--profile", "saas", "--action", "acme/ospo@v1")[0] == 0
    after = (repo / ".gitlab-ci.yml").read_text()
    assert after == listed.replace(
        "\n\ntest:",
        "\n  - remote: https://raw.githubusercontent.com/acme/ospo/v1/ci/gitlab/ospo.gitlab-ci.yml"
        "\n\ntest:",
    )
    # a single include written as a string: not a list to add to
    other = git_repo(tmp_path / "other")
    single = "include: '/templates/.gitlab-ci-template.yml'\n"
    (other / ".gitlab-ci.yml").write_text(single)
    code, out, _err = init(other, "--profile", "saas", "--action", "acme/ospo@v1")
    assert code == 0
    assert (other / ".gitlab-ci.yml").read_text() == single
    assert "wrote .ospo/gitlab-ci-include.yml (.gitlab-ci.yml cannot be edited safely" in out
    snippet = yaml.safe_load((other / ".ospo" / "gitlab-ci-include.yml").read_text())
    assert snippet["include"][0]["remote"].endswith("/acme/ospo/v1/ci/gitlab/ospo.gitlab-ci.yml")


def test_not_interactive_without_profile_is_a_usage_error(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm")
    code, out, err = init(repo)
    assert code == 2
    assert out == ""
    assert "--profile is required when standard input is not a terminal" in err
    assert not (repo / ".ospo.yml").exists() and not (repo / ".ospo").exists()


@pytest.mark.parametrize(
    "value", ["acme/ospo", "ospo@v1", "acme/ospo@", "a/b/c@v1", "acme/ospo@v 1"]
)
def test_bad_action_is_a_usage_error(tmp_path: Path, value: str) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm")
    code, _out, err = init(repo, "--profile", "binary", "--action", value)
    assert code == 2
    assert "Invalid value for '--action'" in err and "OWNER/REPO@REF" in err
    assert not (repo / ".ospo.yml").exists()


def test_test_directories_below_vendored_and_hidden_ones_are_not_listed(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm")
    for d in ("node_modules/ms/test", ".venv/lib/tests", "src/parser/testdata", "docs/spec"):
        (repo / d).mkdir(parents=True)
    assert init(repo, "--profile", "binary")[0] == 0
    patterns = [r.pattern for r in load_config(repo).excludes]
    assert patterns == ["**/spec/**", "**/testdata/**", ".ospo.yml", ".ospo/**"]


def test_a_second_run_writes_nothing(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm", remote="https://gitlab.com/acme/w.git")
    (repo / ".github").mkdir()
    assert init(repo, "--profile", "binary")[0] == 0
    written = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git/" not in str(p)}
    code, out, _err = init(repo, "--profile", "saas")
    assert code == 0
    assert "wrote" not in out and "added" not in out
    assert {p: p.read_bytes() for p in written} == written
    for name in (".ospo.yml", ".ospo/waivers.yml", ".github/workflows/ospo.yml", ".gitlab-ci.yml"):
        assert f"left {name} alone" in out


def test_at_a_terminal_the_profile_is_asked(tmp_path: Path) -> None:
    """Standard input is a real terminal (a pseudo-terminal): click asks, and asks again
    after a name that is not a profile."""
    import os
    import pty

    repo = git_repo(tmp_path / "webapp", project="npm")
    leader, follower = pty.openpty()
    try:
        os.write(leader, b"cloud\nsaas\n")
        ran = subprocess.run(
            [sys.executable, "-m", "ospo", "init", "--action", "acme/ospo@v1"],
            stdin=follower,
            capture_output=True,
            text=True,
            cwd=repo,
            check=False,
            timeout=300,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert ran.returncode == 0, ran.stderr
    assert "How does the product ship?" in ran.stdout
    assert "'cloud' is not one of 'internal', 'saas', 'binary', 'source'" in ran.stdout
    assert load_config(repo).profile == "saas"


def test_broken_metadata_is_said_and_init_goes_on(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm")
    (repo / "pyproject.toml").write_text('[project]\nname = "half\n')
    code, out, err = init(repo, "--profile", "binary")
    assert (code, err) == (0, "")
    assert "note: " in out and "pyproject.toml: cannot read the project's metadata" in out
    assert "(at line 2, column 13); init went on without it" in out
    config = load_config(repo)  # package.json still says what the product is
    assert (config.product_name, config.product_license) == ("webapp", "Apache-2.0")


def test_npm_unlicensed_is_proprietary_with_a_hint(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "app")
    (repo / "package.json").write_text('{"name": "acme-ui", "license": "UNLICENSED"}')
    code, out, _err = init(repo, "--profile", "binary")
    assert code == 0
    assert load_config(repo).product_license is None
    assert "package.json says 'UNLICENSED' (proprietary)" in out
    assert "LicenseRef-ORGANISATION-Proprietary" in (repo / ".ospo.yml").read_text()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", 'project = "service"\n'),
        ("pyproject.toml", "[tool]\npoetry = 3\n[project]\nclassifiers = 'License :: X'\n"),
        ("Cargo.toml", "package = 1\n"),
        ("package.json", '["not", "an", "object"]'),
    ],
)
def test_metadata_of_the_wrong_shape_gives_the_directory_name(
    tmp_path: Path, name: str, text: str
) -> None:
    repo = git_repo(tmp_path / "acme-tool")
    (repo / name).write_text(text)
    code, out, err = init(repo, "--profile", "internal")
    assert (code, err) == (0, "")
    config = load_config(repo)
    assert (config.product_name, config.product_license) == ("acme-tool", None)
    assert "name: acme-tool  # from the directory's name" in (repo / ".ospo.yml").read_text()
    assert "note: product.license is left commented" in out


def test_windows_line_endings_are_kept(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "app")
    text = PIP_PRE_COMMIT.read_bytes().replace(b"\n", b"\r\n")
    (repo / ".pre-commit-config.yaml").write_bytes(text)
    assert init(repo, "--profile", "internal", "--action", "acme/ospo@v1")[0] == 0
    after = (repo / ".pre-commit-config.yaml").read_bytes()
    cut = text.index(b"\r\nci:\r\n")
    entry = b"- repo: https://github.com/acme/ospo\r\n  rev: v1\r\n  hooks:\r\n"
    hooks = b"    - id: ospo-check\r\n    - id: ospo-manifests\r\n"
    assert after == text[:cut] + entry + hooks + text[cut:]
    assert yaml.safe_load(after)["repos"][-1]["hooks"] == OSPO_HOOKS


def test_pre_commit_reads_what_init_wrote_and_added(tmp_path: Path) -> None:
    """The real pre-commit validates both: a new configuration and pip's, added to."""
    pytest.importorskip("pre_commit")
    fresh = git_repo(tmp_path / "fresh", project="npm")
    added = git_repo(tmp_path / "added", project="uv")
    shutil.copy(PIP_PRE_COMMIT, added / ".pre-commit-config.yaml")
    for repo in (fresh, added):
        assert init(repo, "--profile", "binary", "--action", "acme/ospo@v1.0.0")[0] == 0
        ran = subprocess.run(
            [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr


def test_a_project_below_the_top_of_its_repository(tmp_path: Path) -> None:
    """A monorepo's member: its own .ospo.yml, but pre-commit and the forge read their files
    at the top, so those are shown to add by hand, not written in the member."""
    top = git_repo(tmp_path / "mono", remote="https://github.com/acme/mono.git")
    member = top / "services" / "webapp"
    shutil.copytree(LOCKFILES / "npm", member)
    code, out, _err = init(member, "--profile", "saas", "--action", "acme/ospo@v1")
    assert code == 0
    assert load_config(member).product_name == "webapp"
    assert (member / ".ospo" / "waivers.yml").is_file()
    for name in (".pre-commit-config.yaml", ".github"):
        assert not (member / name).exists() and not (top / name).exists()
    assert (
        "left .pre-commit-config.yaml alone: the project is below the top of its git "
        f"repository, where .pre-commit-config.yaml is read; add this entry to {top}/"
    ) in out
    assert f"write this as {top}/.github/workflows/ospo.yml by hand:" in out
    assert "          - uses: acme/ospo@v1\n" in out


def test_the_workflow_runs_on_the_remote_default_branch(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm", remote="https://github.com/acme/w.git")
    head = (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--stdin"],
            input=b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 0 +0000\n"
            b"committer a <a@b> 0 +0000\n\nempty\n",
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    for args in (
        ("update-ref", "refs/remotes/origin/trunk", head),
        ("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk"),
        ("checkout", "-q", "-b", "feature/x"),
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    assert init(repo, "--profile", "saas")[0] == 0
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "ospo.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["trunk"]


def test_a_file_that_cannot_be_read_is_left_alone(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "webapp", project="npm", remote="git@gitlab.com:acme/w.git")
    latin1 = "# Configuration de l'équipe\nrepos: []\n".encode("latin-1")
    (repo / ".pre-commit-config.yaml").write_bytes(latin1)
    (repo / ".gitlab-ci.yml").write_bytes(latin1)
    code, out, err = init(repo, "--profile", "binary")
    assert (code, err) == (0, "")
    assert "left .pre-commit-config.yaml alone: it cannot be read: 'utf-8' codec" in out
    assert "left .gitlab-ci.yml alone: it cannot be read: 'utf-8' codec" in out
    assert (repo / ".pre-commit-config.yaml").read_bytes() == latin1
    assert (repo / ".ospo.yml").is_file()
