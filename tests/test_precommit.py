# SPDX-License-Identifier: Apache-2.0
"""ospo's hooks in the real pre-commit framework, on real commits of a temporary repository.

``pre-commit try-repo`` against this checkout installs ospo the way a user's pre-commit
does (``language: python``: a virtual environment of its own, ospo built from the
repository), offline: pip finds ospo's dependencies already installed, those of the test
environment. The commits themselves run through ``git commit`` and the hook that
``pre-commit install`` wrote, with a ``.pre-commit-config.yaml`` that names a repository
holding this checkout's ``.pre-commit-hooks.yaml`` by path and revision; pre-commit reads the
hook definitions (entry, files, exclude, pass_filenames) from there, and
``language: unsupported`` runs the ``ospo`` of the test environment (this checkout's code)
instead of installing it again for every test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ospo.scanners.catalog import CATALOG
from ospo.scanners.lockfiles.discovery import matches
from ospo.scanners.lockfiles.requirements import RequirementsScanner

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
NPM = DATA / "lockfiles" / "npm"
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def _hook(hook_id: str) -> dict[str, object]:
    return next(h for h in HOOKS if h["id"] == hook_id)


def _gpl_notice() -> list[str]:
    """The notice the GPL-3.0 asks to put at the top of each source file, as ScanCode's
    license data has it (its "How to Apply These Terms" section)."""
    import licensedcode

    text = (Path(licensedcode.__file__).parent / "data" / "licenses" / "gpl-3.0.LICENSE").read_text(
        encoding="utf-8"
    )
    start = text.index("This program is free software: you can redistribute")
    end = text.index("If not, see <https://www.gnu.org/licenses/>.", start)
    block = text[start : text.index("\n", end)]
    return [line.strip() for line in block.splitlines()]


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def _commit_count(repo: Path) -> int:
    return int(_git(repo, "rev-list", "--count", "HEAD").stdout)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's hook definitions; its path and revision."""
    repo = tmp_path_factory.mktemp("ospo-hooks")
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", repo / ".pre-commit-hooks.yaml")
    _init(repo)
    _git(repo, "add", "-A")
    assert _git(repo, "commit", "-q", "-m", "hooks").returncode == 0
    return repo, _git(repo, "rev-parse", "HEAD").stdout.strip()


def _init(repo: Path) -> None:
    assert _git(repo, "init", "-q", "-b", "main").returncode == 0
    _git(repo, "config", "user.name", "Test Developer")
    _git(repo, "config", "user.email", "developer@example.invalid")
    _git(repo, "config", "commit.gpgsign", "false")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a developer's shell: ospo on the PATH (this checkout's code), and
    pre-commit's own store in the test's directory."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }


def _product(tmp_path: Path, hook_repo: tuple[Path, str], denied: str, env: dict[str, str]) -> Path:
    """A proprietary product with both hooks installed; its policy denies ``denied``."""
    repo = tmp_path / "acme-server"
    (repo / "src").mkdir(parents=True)
    _init(repo)
    (repo / ".ospo.yml").write_text(
        "product:\n"
        "  name: acme-server\n"
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
        f"{denied}",
        encoding="utf-8",
    )
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {path}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: ospo-check\n"
        "        language: unsupported\n"
        "      - id: ospo-manifests\n"
        "        language: unsupported\n",
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
    _git(repo, "add", "-A")
    assert _git(repo, "commit", "-q", "-m", "The product before the hooks").returncode == 0
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


def _commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    """``git commit`` as a developer runs it: git runs the installed pre-commit hook."""
    return subprocess.run(
        ["git", "commit", "-m", message],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


DENY_MORGAN = (
    "    - purl: pkg:npm/morgan\n      reason: logs request bodies; use the approved logger\n"
)


def test_pasting_a_gpl_header_into_a_proprietary_product_is_blocked(
    tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]
) -> None:
    repo = _product(tmp_path, hook_repo, DENY_MORGAN, env)
    before = _commit_count(repo)
    lines = [
        "# Request routing for acme-server.",
        "#",
        *(f"# {line}".rstrip() for line in _gpl_notice()),
        "",
        "def route(path: str) -> str:",
        "    return path",
    ]
    (repo / "src" / "router.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(repo, "add", "src/router.py")

    ran = _commit(repo, env, "Add the router")
    out = ran.stdout + ran.stderr
    assert ran.returncode != 0, out
    assert _commit_count(repo) == before
    assert re.search(r"ospo license and policy check\.+Failed", out), out
    # the finding names the file and the line the notice starts on, and how to fix it
    assert "src/router.py:3" in out, out
    assert "GPL-3.0-or-later" in out, out
    assert "how to fix:" in out, out
    assert re.search(r"ospo dependency check\.+\(no files to check\)Skipped", out), out


def test_a_clean_commit_passes(
    tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]
) -> None:
    repo = _product(tmp_path, hook_repo, DENY_MORGAN, env)
    before = _commit_count(repo)
    server = repo / "src" / "server.py"
    server.write_text(
        server.read_text(encoding="utf-8") + "\n\ndef stop() -> None:\n    return None\n",
        encoding="utf-8",
    )
    _git(repo, "add", "src/server.py")

    ran = _commit(repo, env, "Stop the server")
    out = ran.stdout + ran.stderr
    assert ran.returncode == 0, out
    assert _commit_count(repo) == before + 1
    assert re.search(r"ospo license and policy check\.+Passed", out), out
    assert re.search(r"ospo dependency check\.+\(no files to check\)Skipped", out), out


def test_a_lock_file_adding_a_denied_dependency_is_blocked(
    tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]
) -> None:
    repo = _product(tmp_path, hook_repo, DENY_MORGAN, env)
    before = _commit_count(repo)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(NPM / name, repo / name)
    _git(repo, "add", "package.json", "package-lock.json")

    ran = _commit(repo, env, "Add the web front end")
    out = ran.stdout + ran.stderr
    assert ran.returncode != 0, out
    assert _commit_count(repo) == before
    assert re.search(r"ospo dependency check\.+Failed", out), out
    assert "consumption/denied-package: pkg:npm/morgan@1.12.1" in out, out
    assert "logs request bodies; use the approved logger" in out, out
    # the manifests are ospo-manifests' alone: the file hook has nothing of this commit
    assert re.search(r"ospo license and policy check\.+\(no files to check\)Skipped", out), out


def test_a_lock_file_outside_the_denied_versions_passes(
    tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]
) -> None:
    # the lock file pins morgan 1.12.1; only older releases are denied
    denied = (
        "    - purl: pkg:npm/morgan\n"
        '      versions: "vers:npm/<1.10.0"\n'
        "      reason: logs request bodies\n"
        "    - purl: pkg:npm/left-pad\n"
        "      reason: not in the lock file\n"
    )
    repo = _product(tmp_path, hook_repo, denied, env)
    before = _commit_count(repo)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(NPM / name, repo / name)
    # one package of the lock file declares a license that is no SPDX expression (a warning
    # for the OSRB), so this product gates on violations only
    config = repo / ".pre-commit-config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      - id: ospo-manifests\n",
            "      - id: ospo-manifests\n        args: [--fail-on, error]\n",
        ),
        encoding="utf-8",
    )
    _git(repo, "add", "-A")

    ran = _commit(repo, env, "Add the web front end")
    out = ran.stdout + ran.stderr
    assert ran.returncode == 0, out
    assert _commit_count(repo) == before + 1
    assert re.search(r"ospo dependency check\.+Passed", out), out


@pytest.fixture
def offline_install(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    """The environment in which pre-commit's own install of ospo (``language: python``)
    needs no index: pip finds ospo's dependencies already installed, those of the test
    environment, and builds ospo with the hatchling found there."""
    here = Path(next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()))
    deps = tmp_path / "dependencies"
    deps.mkdir()
    for entry in here.iterdir():
        # not the test environment's own ospo: the hook must run the one pre-commit installs
        if "ospo" in entry.name.lower() or entry.suffix == ".pth":
            continue
        (deps / entry.name).symlink_to(entry)
    bin_dir = str(Path(sys.executable).parent)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p != bin_dir]
    return {
        **env,
        # no ospo on the PATH either: the hooks can run only the one pre-commit installs
        "PATH": os.pathsep.join(path),
        "PYTHONPATH": str(deps),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of --no-build-isolation
    }


def test_try_repo_installs_ospo_from_this_checkout_and_runs_both_hooks(
    tmp_path: Path, hook_repo: tuple[Path, str], offline_install: dict[str, str]
) -> None:
    repo = _product(tmp_path, hook_repo, DENY_MORGAN, offline_install)
    lines = [f"# {line}".rstrip() for line in _gpl_notice()]
    (repo / "src" / "router.py").write_text("\n".join(lines) + "\nROUTES = {}\n", "utf-8")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(NPM / name, repo / name)
    _git(repo, "add", "-A")
    changed = ("src/router.py", "package.json", "package-lock.json")

    ran = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--files", *changed],
        cwd=repo,
        env=offline_install,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    out = ran.stdout + ran.stderr
    assert ran.returncode == 1, out
    assert "Installing environment for" in out, out
    assert re.search(r"ospo license and policy check\.+Failed", out), out
    assert "src/router.py:1" in out, out
    assert re.search(r"ospo dependency check\.+Failed", out), out
    assert "consumption/denied-package: pkg:npm/morgan@1.12.1" in out, out


def _manifest_pattern() -> re.Pattern[str]:
    files = _hook("ospo-manifests")["files"]
    assert isinstance(files, str)
    return re.compile(files)


def _read_by_a_manifest_scanner(rel: str) -> bool:
    """Whether a manifest scanner of the catalog reads the file at ``rel``."""
    if RequirementsScanner().wants(rel, frozenset()):
        return True
    return any(
        matches(rel, pattern)
        for name, entry in CATALOG.items()
        if name != "requirements"
        for pattern in entry.file_names
    )


def _sample_paths() -> set[str]:
    """Paths to try: every file of this checkout and of the lock-file fixtures, and each
    catalog pattern made concrete, at the root and below a directory."""
    listed = _git(ROOT, "ls-files").stdout.split()
    paths = set(listed)
    for entry in CATALOG.values():
        for pattern in entry.file_names:
            for concrete in (pattern.replace("*", "x"), pattern.replace("*", "x.y")):
                paths |= {concrete, f"sub/dir/{concrete}", concrete.upper()}
    paths |= {
        "requirements/dev.txt",
        "requirements-dev.txt",
        "dev-requirements.txt",
        "docs/notes.txt",
        "LICENSE.txt",
        "workflows/ci.yml",
        "github/workflows/ci.yml",
        "src/package.json.bak",
        "mypackage.json",
        "gradle.lockfile.orig",
        "src/app.py",
    }
    return paths


def test_the_manifest_hook_takes_exactly_the_files_the_lock_file_scanners_read() -> None:
    pattern = _manifest_pattern()
    wrong = sorted(
        p for p in _sample_paths() if bool(pattern.search(p)) != _read_by_a_manifest_scanner(p)
    )
    assert wrong == []


def test_the_file_hook_takes_every_other_file() -> None:
    check, manifests = _hook("ospo-check"), _hook("ospo-manifests")
    assert check["exclude"] == manifests["files"]
    assert "files" not in check
    # both judge what they are given with the same command, in one process each
    for hook in (check, manifests):
        assert hook["entry"] == "ospo check --staged"
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is True
        assert hook["require_serial"] is True


def test_pre_commit_validates_the_hook_definitions(env: dict[str, str]) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def _readme_three_commands() -> list[str]:
    """The commands of the README's "In your repository: three commands", comments off."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## In your repository: three commands") :]
    block = section[section.index("```sh\n") + 6 : section.index("```\n", section.index("```sh"))]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_readme_three_commands_give_a_blocking_hook_and_a_ci_gate(
    tmp_path: Path, offline_install: dict[str, str]
) -> None:
    """A new user follows the README: install ospo and pre-commit, `ospo init`, `pre-commit
    install`. The installation is the real one (pip, from this checkout, into a new virtual
    environment; offline, its dependencies found installed); `--action` then names where the
    organisation keeps ospo, here this checkout at its current commit."""
    install, init, activate = _readme_three_commands()
    assert install == "pip install /path/to/ospo pre-commit", install
    assert init == "ospo init --profile binary --action OWNER/REPO@REF", init
    assert activate == "pre-commit install", activate

    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", venv], capture_output=True, timeout=300)
    assert made.returncode == 0, made.stderr
    env = {**offline_install, "PATH": f"{venv / 'bin'}{os.pathsep}{offline_install['PATH']}"}

    def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=900
        )

    installed = shell(install.replace("/path/to/ospo", str(ROOT)), tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # pip found pre-commit installed already (the dependencies of the test environment), so
    # it wrote no `pre-commit` command into the new environment: give it one
    (venv / "bin" / "pre-commit").write_text(
        f"#!{venv / 'bin' / 'python'}\nfrom pre_commit.main import main\nraise SystemExit(main())\n"
    )
    (venv / "bin" / "pre-commit").chmod(0o755)

    repo = tmp_path / "acme-server"
    (repo / "src").mkdir(parents=True)
    _init(repo)
    _git(repo, "remote", "add", "origin", "https://github.com/acme/acme-server.git")
    (repo / "package.json").write_text(
        '{"name": "acme-server", "version": "1.0.0", "license": "UNLICENSED"}\n'
    )
    (repo / "src" / "server.js").write_text("module.exports = (port) => port;\n")
    rev = _git(ROOT, "rev-parse", "HEAD").stdout.strip()
    ran = shell(init.replace("OWNER/REPO@REF", "acme/ospo@v1"), repo)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (repo / ".github" / "workflows" / "ospo.yml").is_file(), ran.stdout
    assert "uses: acme/ospo@v1" in (repo / ".github" / "workflows" / "ospo.yml").read_text()
    # the organisation's copy of ospo: this checkout, at its commit
    config = repo / ".pre-commit-config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "repo: https://github.com/acme/ospo" in text and "rev: v1" in text, text
    config.write_text(
        text.replace("https://github.com/acme/ospo", str(ROOT)).replace("rev: v1", f"rev: {rev}")
    )
    # UNLICENSED: the product owner names the proprietary license, as init's hint says
    dot_ospo = repo / ".ospo.yml"
    dot_ospo.write_text(
        re.sub(
            r"(?m)^  # license:.*$",
            "  license: LicenseRef-Acme-Proprietary",
            dot_ospo.read_text(encoding="utf-8"),
        )
    )
    assert "license: LicenseRef-Acme-Proprietary" in dot_ospo.read_text(encoding="utf-8")
    _git(repo, "add", "-A")
    assert _git(repo, "commit", "-q", "-m", "ospo init").returncode == 0
    hooked = shell(activate, repo)
    assert hooked.returncode == 0, hooked.stdout + hooked.stderr

    lines = [*(f"// {line}".rstrip() for line in _gpl_notice()), "module.exports = {};"]
    (repo / "src" / "router.js").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(repo, "add", "src/router.js")
    before = _commit_count(repo)
    blocked = _commit(repo, env, "Add the router")
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert _commit_count(repo) == before
    assert "src/router.js:1" in out, out

    _git(repo, "rm", "-q", "--cached", "src/router.js")
    (repo / "src" / "router.js").unlink()
    (repo / "src" / "server.js").write_text("module.exports = (port) => port + 1;\n")
    _git(repo, "add", "src/server.js")
    passed = _commit(repo, env, "Serve on the next port")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert _commit_count(repo) == before + 1
