# SPDX-License-Identifier: Apache-2.0
"""Python manifests and lock files, read from files the tools wrote.

One small service (requests and click; PyYAML as an extra; pytest for development; mkdocs
as an optional docs group under Poetry) was locked by uv, Poetry, Pipenv, pip-tools,
``uv pip compile``, ``pip freeze``, ``pip lock`` and ``uv export`` (see
``tests/data/lockfiles/SOURCES.md``). All resolved requests 2.34.2, click 8.5.1 and
pytest 9.2.0 (Poetry: pytest 8.4.2, from its ``^8`` constraint).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lockfiles import LOCKS, broken_file_issue, scan

from conftest import run_ospo
from ospo.model import Component, IssueKind
from ospo.scanners.base import ScanRequest
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.pipfile import PipfileLockScanner
from ospo.scanners.lockfiles.poetry import PoetryLockScanner
from ospo.scanners.lockfiles.pylock import PylockScanner
from ospo.scanners.lockfiles.pyproject import PyprojectScanner, parse_requirement
from ospo.scanners.lockfiles.requirements import RequirementsScanner
from ospo.scanners.lockfiles.uv import UvLockScanner
from ospo.scanners.purls import pypi_purl

REQUESTS = "pkg:pypi/requests@2.34.2"
CLICK = "pkg:pypi/click@8.5.1"
PYTEST = "pkg:pypi/pytest@9.2.0"
REQUESTS_DEPS = (
    "pkg:pypi/certifi@2026.10.18",
    "pkg:pypi/charset-normalizer@3.5.2",
    "pkg:pypi/idna@3.20",
    "pkg:pypi/urllib3@2.8.0",
)
PYTEST_DEPS = (
    "pkg:pypi/iniconfig@2.3.1",
    "pkg:pypi/packaging@26.3",
    "pkg:pypi/pluggy@1.7.0",
    "pkg:pypi/pygments@2.21.0",
)


def components(scanner: ManifestScanner, root: Path) -> dict[str, Component]:
    contribution = scan(scanner, root)
    assert contribution.issues == ()
    return {c.purl: c for c in contribution.components}


def summary(got: dict[str, Component]) -> dict[str, tuple[str, bool]]:
    return {p: (c.scope.value, c.direct) for p, c in got.items()}


def copy_files(source: str, dest: Path, *names: str) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(LOCKS / source / name, dest / name)
    return dest


# --- uv.lock --------------------------------------------------------------------------


def test_uv_lock() -> None:
    got = components(UvLockScanner(), LOCKS / "uv")
    assert summary(got) == {
        "pkg:pypi/certifi@2026.10.18": ("runtime", False),
        "pkg:pypi/charset-normalizer@3.5.2": ("runtime", False),
        CLICK: ("runtime", True),
        "pkg:pypi/colorama@0.4.6": ("dev", False),  # pytest's, on Windows
        "pkg:pypi/idna@3.20": ("runtime", False),
        "pkg:pypi/iniconfig@2.3.1": ("dev", False),
        "pkg:pypi/packaging@26.3": ("dev", False),
        "pkg:pypi/pluggy@1.7.0": ("dev", False),
        "pkg:pypi/pygments@2.21.0": ("dev", False),
        PYTEST: ("dev", True),  # [dependency-groups] dev
        "pkg:pypi/pyyaml@6.0.3": ("optional", True),  # the "yaml" extra
        REQUESTS: ("runtime", True),
        "pkg:pypi/urllib3@2.8.0": ("runtime", False),
    }
    assert got[REQUESTS].dependencies == REQUESTS_DEPS
    assert got[PYTEST].dependencies == ("pkg:pypi/colorama@0.4.6", *PYTEST_DEPS)
    assert got[REQUESTS].name == "requests"
    assert got[REQUESTS].license_expression is None
    assert got[REQUESTS].unknown_reason == (
        "uv.lock records no license; scan the installed environment with --env"
    )


def test_uv_lock_hashes_are_the_sdists() -> None:
    """Each package's hash is its source distribution's, as uv recorded it (a version has
    one sdist and a wheel per platform)."""
    import re
    import tomllib

    lock = tomllib.loads((LOCKS / "uv" / "uv.lock").read_text(encoding="utf-8"))
    recorded = {
        pypi_purl(p["name"], p["version"]): p["sdist"]["hash"].removeprefix("sha256:")
        for p in lock["package"]
        if "sdist" in p
    }
    got = components(UvLockScanner(), LOCKS / "uv")
    with_hashes = {purl: c.hashes for purl, c in got.items() if c.hashes}
    assert set(with_hashes) == set(recorded) & set(got)
    for purl, hashes in with_hashes.items():
        assert hashes == (("SHA-256", recorded[purl]),)
        assert re.fullmatch("[0-9a-f]{64}", hashes[0][1])


# --- poetry.lock ----------------------------------------------------------------------


def test_poetry_lock_with_its_pyproject() -> None:
    got = components(PoetryLockScanner(), LOCKS / "poetry")
    assert len(got) == 26
    states = summary(got)
    assert states[REQUESTS] == ("runtime", True)
    assert states[CLICK] == ("runtime", True)
    assert states["pkg:pypi/pytest@8.4.2"] == ("dev", True)  # group "dev"
    assert states["pkg:pypi/mkdocs@1.6.1"] == ("dev", True)  # optional group "docs"
    # an extra of the project, and needed by mkdocs (docs): optional wins over dev
    assert states["pkg:pypi/pyyaml@6.0.3"] == ("optional", True)
    assert states["pkg:pypi/urllib3@2.8.0"] == ("runtime", False)
    assert states["pkg:pypi/jinja2@3.1.6"] == ("dev", False)
    assert states["pkg:pypi/markupsafe@3.0.4"] == ("dev", False)
    assert got[REQUESTS].dependencies == REQUESTS_DEPS
    assert got["pkg:pypi/jinja2@3.1.6"].dependencies == ("pkg:pypi/markupsafe@3.0.4",)
    assert "poetry.lock records no license" in (got[REQUESTS].unknown_reason or "")


def test_poetry_lock_alone_uses_its_groups(tmp_path: Path) -> None:
    project = copy_files("poetry", tmp_path / "p", "poetry.lock")
    states = summary(components(PoetryLockScanner(), project))
    assert states[REQUESTS][0] == "runtime"
    assert states["pkg:pypi/pytest@8.4.2"][0] == "dev"
    assert states["pkg:pypi/jinja2@3.1.6"][0] == "dev"
    # groups = ["main", "docs"]: the lock file alone cannot tell it is only an extra
    assert states["pkg:pypi/pyyaml@6.0.3"][0] == "runtime"
    # packages nothing in the lock file depends on are taken as direct
    assert states[REQUESTS][1] is True
    assert states["pkg:pypi/urllib3@2.8.0"][1] is False


# --- Pipfile.lock ---------------------------------------------------------------------


def test_pipfile_lock_with_its_pipfile() -> None:
    got = components(PipfileLockScanner(), LOCKS / "pipenv")
    assert summary(got) == {
        "pkg:pypi/certifi@2026.10.18": ("runtime", False),
        "pkg:pypi/charset-normalizer@3.5.2": ("runtime", False),
        CLICK: ("runtime", True),
        "pkg:pypi/idna@3.20": ("runtime", False),
        "pkg:pypi/iniconfig@2.3.1": ("dev", False),
        "pkg:pypi/packaging@26.3": ("dev", False),
        "pkg:pypi/pluggy@1.7.0": ("dev", False),
        "pkg:pypi/pygments@2.21.0": ("dev", False),
        PYTEST: ("dev", True),
        REQUESTS: ("runtime", True),
        "pkg:pypi/urllib3@2.8.0": ("runtime", False),
    }
    assert got[REQUESTS].dependencies == ()  # Pipfile.lock records no graph


def test_pipfile_alone(tmp_path: Path) -> None:
    project = copy_files("pipenv", tmp_path / "p", "Pipfile")
    assert summary(components(PipfileLockScanner(), project)) == {
        "pkg:pypi/requests": ("runtime", True),
        "pkg:pypi/click": ("runtime", True),
        "pkg:pypi/pytest": ("dev", True),
    }


# --- pylock.toml ----------------------------------------------------------------------


def test_pylock_from_uv_export() -> None:
    got = components(PylockScanner(), LOCKS / "uv-export")
    states = summary(got)
    assert len(states) == 13
    assert states[REQUESTS] == ("runtime", True)
    assert states[CLICK] == ("runtime", True)
    assert states[PYTEST] == ("dev", True)
    assert states["pkg:pypi/pyyaml@6.0.3"] == ("optional", True)
    # no graph and no groups in the file: the rest is runtime, the safe side
    assert states["pkg:pypi/iniconfig@2.3.1"] == ("runtime", False)
    assert states["pkg:pypi/colorama@0.4.6"] == ("runtime", False)
    assert got[REQUESTS].unknown_reason == (
        "pylock.toml records no license; scan the installed environment with --env"
    )


def test_pylock_from_pip_lock() -> None:
    states = summary(components(PylockScanner(), LOCKS / "pip-lock"))
    assert len(states) == 11  # the project itself (a local directory) is left out
    assert states[PYTEST] == ("test", True)  # the "test" extra
    assert states[REQUESTS] == ("runtime", True)
    assert states["pkg:pypi/urllib3@2.8.0"] == ("runtime", False)


def test_pylock_group_markers_give_the_scope(tmp_path: Path) -> None:
    (tmp_path / "pylock.toml").write_text(
        'lock-version = "1.0"\ncreated-by = "hand"\n'
        '[[packages]]\nname = "pytest"\nversion = "9.2.0"\n'
        "marker = \"'dev' in dependency_groups\"\n"
        '[[packages]]\nname = "PyYAML"\nversion = "6.0.3"\n'
        "marker = \"'yaml' in extras\"\n",
        encoding="utf-8",
    )
    assert summary(components(PylockScanner(), tmp_path)) == {
        PYTEST: ("dev", True),
        "pkg:pypi/pyyaml@6.0.3": ("optional", True),
    }


# --- requirements files ---------------------------------------------------------------


def test_pip_compile_output() -> None:
    got = components(RequirementsScanner(), LOCKS / "pip-tools")
    assert summary(got) == {
        "pkg:pypi/certifi@2026.10.18": ("runtime", False),
        "pkg:pypi/charset-normalizer@3.5.2": ("runtime", False),
        CLICK: ("runtime", True),
        "pkg:pypi/idna@3.20": ("runtime", False),
        "pkg:pypi/iniconfig@2.3.1": ("dev", False),
        "pkg:pypi/packaging@26.3": ("dev", False),
        "pkg:pypi/pluggy@1.7.0": ("dev", False),
        "pkg:pypi/pygments@2.21.0": ("dev", False),
        PYTEST: ("dev", True),
        REQUESTS: ("runtime", True),
        "pkg:pypi/urllib3@2.8.0": ("runtime", False),
    }
    # "# via requests" is an edge from requests
    assert got[REQUESTS].dependencies == REQUESTS_DEPS
    assert got[PYTEST].dependencies == PYTEST_DEPS
    assert got[REQUESTS].licenses == ()
    assert "--env" in (got[REQUESTS].unknown_reason or "")


def test_uv_pip_compile_output_with_markers_extras_and_hashes() -> None:
    got = components(RequirementsScanner(), LOCKS / "uv-pip-compile")
    states = summary(got)
    assert len(states) == 13
    # requests[socks]==2.34.2: the extra brings pysocks, "# via requests"
    assert states[REQUESTS] == ("runtime", True)
    assert got[REQUESTS].dependencies == (
        "pkg:pypi/certifi@2026.10.18",
        "pkg:pypi/charset-normalizer@3.5.2",
        "pkg:pypi/idna@3.20",
        "pkg:pypi/pysocks@1.7.1",
        "pkg:pypi/urllib3@2.8.0",
    )
    assert states["pkg:pypi/pysocks@1.7.1"] == ("runtime", False)
    # "colorama==0.4.6 ; sys_platform == 'win32'" in requirements-test.txt
    assert states["pkg:pypi/colorama@0.4.6"] == ("test", False)
    assert states[PYTEST] == ("test", True)
    assert "pkg:pypi/colorama@0.4.6" in got[PYTEST].dependencies


def test_pip_freeze_output_with_an_include() -> None:
    got = components(RequirementsScanner(), LOCKS / "pip-freeze")
    states = summary(got)
    # requirements.txt (plain freeze): everything it lists is taken as direct
    assert states[REQUESTS] == ("runtime", True)
    assert states["pkg:pypi/urllib3@2.8.0"] == ("runtime", True)
    # requirements-dev.txt: "-r requirements.txt", pytest, then "added by pip freeze"
    assert states[PYTEST] == ("dev", True)
    assert states["pkg:pypi/pygments@2.21.0"] == ("dev", False)  # written "Pygments"
    assert got["pkg:pypi/pygments@2.21.0"].name == "pygments"


def test_include_is_followed_and_a_missing_one_is_an_issue(tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text(
        "requests>=2.31  # HTTP\n", encoding="utf-8"
    )
    (tmp_path / "requirements" / "test.txt").write_text(
        "-r base.txt\n-r missing.txt\npytest==9.2.0\n", encoding="utf-8"
    )
    contribution = RequirementsScanner().scan(ScanRequest(root=tmp_path))
    got = {c.purl: c for c in contribution.components}
    assert summary(got) == {"pkg:pypi/requests": ("runtime", True), PYTEST: ("test", True)}
    (issue,) = contribution.issues
    assert issue.kind is IssueKind.MANIFEST
    assert issue.path == "requirements/test.txt"
    assert issue.message.startswith("line 2: -r missing.txt: the included file does not exist")


def test_requirements_written_by_hand(tmp_path: Path) -> None:
    # the kinds of line people write: unpinned, extras, markers, URLs, options, editables
    (tmp_path / "requirements.txt").write_text(
        "# runtime\n"
        "--index-url https://example.invalid/simple\n"
        "requests[socks] >= 2.31, < 3  # HTTP\n"
        "Click\n"
        "PyYAML==6.0.3 ; python_version >= '3.8' \\\n"
        "    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
        "zope.interface===7.2\n"
        "pip @ https://example.invalid/pip-25.0-py3-none-any.whl\n"
        "-e .\n"
        "./vendor/local-package\n"
        "-c constraints.txt\n",
        encoding="utf-8",
    )
    assert summary(components(RequirementsScanner(), tmp_path)) == {
        "pkg:pypi/requests": ("runtime", True),
        "pkg:pypi/click": ("runtime", True),
        "pkg:pypi/pyyaml@6.0.3": ("runtime", True),
        "pkg:pypi/zope-interface@7.2": ("runtime", True),
        "pkg:pypi/pip": ("runtime", True),
    }


def test_parse_requirement() -> None:
    parsed = parse_requirement("requests[socks,security]==2.34.2 ; python_version >= '3.8'")
    assert parsed is not None
    assert (parsed.name, parsed.extras, parsed.version, parsed.marker) == (
        "requests",
        ("socks", "security"),
        "2.34.2",
        "python_version >= '3.8'",
    )
    for unpinned in ("requests>=2.31,<3", "foo==1.*", "foo~=1.0", "foo"):
        found = parse_requirement(unpinned)
        assert found is not None and found.version is None, unpinned
    old_style = parse_requirement("foo (==1.0) ; extra == 'x'")
    assert old_style is not None and old_style.version == "1.0"
    assert parse_requirement("==1.0") is None


# --- pyproject.toml alone -------------------------------------------------------------


def test_pyproject_alone(tmp_path: Path) -> None:
    pep621 = copy_files("uv", tmp_path / "pep621", "pyproject.toml")
    assert summary(components(PyprojectScanner(), pep621)) == {
        "pkg:pypi/requests": ("runtime", True),
        "pkg:pypi/click": ("runtime", True),
        "pkg:pypi/pyyaml": ("optional", True),
        "pkg:pypi/pytest": ("dev", True),
    }
    poetry = copy_files("poetry", tmp_path / "poetry", "pyproject.toml")
    got = components(PyprojectScanner(), poetry)
    assert summary(got) == {
        "pkg:pypi/requests": ("runtime", True),
        "pkg:pypi/click": ("runtime", True),
        "pkg:pypi/pyyaml": ("optional", True),
        "pkg:pypi/pytest": ("dev", True),
        "pkg:pypi/mkdocs": ("dev", True),
    }
    assert "no lock file" in (got["pkg:pypi/requests"].unknown_reason or "")


def test_pyproject_beside_a_lock_file_is_left_to_the_lock_scanner() -> None:
    for directory in ("uv", "poetry", "uv-export", "pip-lock"):
        assert scan(PyprojectScanner(), LOCKS / directory).components == (), directory


# --- broken files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scanner", "name", "content", "expected"),
    [
        (UvLockScanner(), "uv.lock", 'version = 1\n[[package]]\nname = "x\n', "line 3:"),
        (UvLockScanner(), "uv.lock", "version = 1\npackage = 3\n", "should be a list"),
        (UvLockScanner(), "uv.lock", "[tool]\n", "not a uv lock file"),
        (PoetryLockScanner(), "poetry.lock", "[[package]]\nversion = '1'\n", "no name"),
        (PoetryLockScanner(), "poetry.lock", "package = [1, 2]\n", "should be a table"),
        (PipfileLockScanner(), "Pipfile.lock", '{"default": {\n"a": }\n}', "line 2:"),
        (PipfileLockScanner(), "Pipfile.lock", '{"_meta": {}}', "not a Pipfile.lock"),
        (PylockScanner(), "pylock.toml", '[[packages]]\nname = "x"\n', "no 'lock-version'"),
        (RequirementsScanner(), "requirements.txt", "requests\n<<<<<<< HEAD\n", "line 2:"),
        (PyprojectScanner(), "pyproject.toml", "[project]\ndependencies = 'x'\n", "list"),
    ],
)
def test_broken_file_is_an_issue(
    tmp_path: Path, scanner: ManifestScanner, name: str, content: str, expected: str
) -> None:
    broken_file_issue(tmp_path, scanner, name, content, expected)


# --- the whole command ----------------------------------------------------------------


def test_scan_command_on_a_python_project(tmp_path: Path) -> None:
    project = copy_files("uv", tmp_path / "service", "pyproject.toml", "uv.lock")
    copy_files("pip-tools", project / "deploy", "requirements.txt")
    broken = project / "legacy"
    broken.mkdir()
    (broken / "poetry.lock").write_text("[[package]\nname = 'x'\n", encoding="utf-8")
    out, bom = tmp_path / "inventory.json", tmp_path / "bom.cdx.json"

    proc = run_ospo("scan", project, "-q", "-o", out, "--cyclonedx", bom)

    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    comps = {c["purl"]: c for c in inventory["components"]}
    assert len(comps) == 13  # uv.lock and deploy/requirements.txt agree: merged
    requests = comps[REQUESTS]
    assert (requests["scope"], requests["direct"]) == ("runtime", True)
    assert requests["dependencies"] == list(REQUESTS_DEPS)
    assert comps[pypi_purl("pytest", "9.2.0")]["scope"] == "dev"
    (issue,) = [i for i in inventory["scan"]["issues"] if i["kind"] == "manifest"]
    assert issue["path"] == "legacy/poetry.lock"
    assert issue["message"].startswith("line 1: not valid TOML")

    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = bom.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    sbom = json.loads(text)
    deps = {d["ref"]: set(d.get("dependsOn", [])) for d in sbom["dependencies"]}
    assert deps["product"] == {REQUESTS, CLICK, PYTEST, "pkg:pypi/pyyaml@6.0.3"}
    assert deps[REQUESTS] == set(REQUESTS_DEPS)
    libraries = {c["purl"]: c for c in sbom["components"] if c["type"] == "library"}
    assert libraries[PYTEST]["scope"] == "excluded"
    assert libraries["pkg:pypi/pluggy@1.7.0"]["scope"] == "excluded"
    assert libraries["pkg:pypi/pyyaml@6.0.3"]["scope"] == "optional"
    assert libraries[REQUESTS]["scope"] == "required"
    assert "licenses" not in libraries[REQUESTS]  # no lock file here records one
