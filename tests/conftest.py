# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures: an isolated cache, real trees to scan, and the ``ospo`` command."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from pgserver import PostgresServer, postgres_server

from realtree import build_real_tree, site_packages

DATA = Path(__file__).parent / "data"

# No detection server for any ospo the suite runs, fixtures of a module or of the session
# included (the per-test isolation below does not reach those): a server outlives the
# command that starts it. tests/test_server.py starts its own, and stops them.
os.environ["OSPO_NO_SERVER"] = "1"
os.environ.pop("OSPO_SERVER_IDLE", None)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden``: rewrite golden files (and the documentation's screenshot) from
    this run instead of comparing with them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from this run instead of comparing with them",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files (``pytest --update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A result cache shared by tests that do not test the cache itself.

    Results are keyed by content, so sharing cannot change an answer; it only saves
    ScanCode's index load in every subprocess.
    """
    return tmp_path_factory.mktemp("ospo-cache")


@pytest.fixture(autouse=True)
def isolated_cache(session_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the user's cache: every test (and its subprocesses) uses the session's,
    and no store the environment names.

    Nor start a detection server, which would outlive the test: tests/test_server.py
    starts its own, in a directory of its own, and stops them.
    """
    monkeypatch.setenv("OSPO_CACHE_DIR", str(session_cache))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("OSPO_CACHE_URL", raising=False)
    monkeypatch.delenv("OSPO_CACHE_READ_ONLY", raising=False)
    monkeypatch.setenv("OSPO_NO_SERVER", "1")
    monkeypatch.delenv("OSPO_SERVER_IDLE", raising=False)
    return session_cache


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session, in a throwaway cluster (``pgserver``)."""
    with postgres_server() as server:
        yield server


_DATABASES = itertools.count(1)


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """The URL of a new, empty database of the session's server, for this test alone."""
    return postgres.create_database(f"test_{next(_DATABASES)}")


@pytest.fixture(autouse=True)
def no_maven_home(session_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read the user's Maven repository: a pom's parents and BOMs that are not in the
    tree are looked for in one that does not exist, unless a test makes its own."""
    repository = session_cache.parent / "no-maven-repository"
    monkeypatch.setenv("OSPO_MAVEN_REPOSITORY", str(repository))
    return repository


@pytest.fixture(autouse=True)
def no_registries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never ask a package registry: the registry advisor is off (and offline, should a
    test turn it on); tests of the advisor serve recorded answers from 127.0.0.1."""
    monkeypatch.setenv("OSPO_ADVISOR", "off")
    monkeypatch.setenv("OSPO_OFFLINE", "1")


class Ran(NamedTuple):
    """What a run of ``ospo`` gave: its exit code and what it printed, apart."""

    returncode: int
    stdout: str
    stderr: str


def run_ospo(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> Ran:
    """Run ``ospo ARGS`` in this process, as ``main`` would, and return what it gave.

    click's test runner gives the run its own standard streams and environment; the
    command goes through :func:`ospo.cli.run`, the very function ``main`` calls.
    """
    from click.testing import CliRunner

    from ospo.cli import run

    with CliRunner().isolation(env=env) as (stdout, stderr, _):
        code = run([str(a) for a in args])
        sys.stdout.flush()
        sys.stderr.flush()
    return Ran(code, stdout.getvalue().decode(), stderr.getvalue().decode())


def run_ospo_process(
    *args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ospo ARGS`` as a process, for what only a process shows (start-up,
    the exit itself, a working directory, a closed pipe, signals)."""
    return subprocess.run(
        [sys.executable, "-m", "ospo", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=900,
    )


def make_vendored_app(dest: Path) -> Path:
    """A product tree with first-party code and three kinds of vendored code.

    ``vendor/is-number`` (an npm package), ``third_party/six`` (a PyPI sdist's files) and
    ``lib/markupsafe`` (an installed library copied with its license file).
    """
    app = dest / "app"
    (app / "src").mkdir(parents=True)
    (app / "src" / "main.py").write_text(
        "# SPDX-License-Identifier: LicenseRef-Acme-Proprietary\n"
        "# Copyright (c) 2026 Acme Corporation\n"
        "\n"
        "def main() -> None:\n"
        "    print('hello')\n",
        encoding="utf-8",
    )
    (app / "src" / "util.py").write_text("def twice(x):\n    return 2 * x\n", encoding="utf-8")
    shutil.copytree(DATA / "vendored" / "is-number", app / "vendor" / "is-number")
    shutil.copytree(DATA / "vendored" / "six", app / "third_party" / "six")
    site = site_packages()
    lib = app / "lib" / "markupsafe"
    lib.mkdir(parents=True)
    for src in sorted((site / "markupsafe").glob("*.py")):
        shutil.copyfile(src, lib / src.name)
    license_file = next(site.glob("markupsafe-*.dist-info/licenses/LICENSE*"), None) or next(
        site.glob("markupsafe-*.dist-info/LICENSE*")
    )
    shutil.copyfile(license_file, lib / "LICENSE.txt")
    return app


@pytest.fixture
def vendored_app(tmp_path: Path) -> Path:
    return make_vendored_app(tmp_path)


@pytest.fixture(scope="session")
def real_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Installed sources and license files of real packages (see ``realtree``)."""
    root = tmp_path_factory.mktemp("real") / "tree"
    build_real_tree(root)
    return root


@pytest.fixture(scope="session")
def scancode_reference(real_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What the ``scancode`` command itself reports for ``real_tree`` (licenses, copyrights)."""
    out = tmp_path_factory.mktemp("scancode") / "scancode.json"
    scancode = Path(sys.executable).with_name("scancode")
    proc = subprocess.run(
        [
            str(scancode),
            "-l",
            "-c",
            "-n",
            str(os.cpu_count() or 1),
            "--quiet",
            "--json",
            str(out),
            str(real_tree),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    prefix = real_tree.name + "/"
    return {
        f["path"][len(prefix) :]: f
        for f in data["files"]
        if f["type"] == "file" and f["path"].startswith(prefix)
    }


@pytest.fixture(scope="session")
def scanned_real_tree(real_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """``ospo scan`` of ``real_tree`` with an empty cache, as inventory JSON."""
    cache = tmp_path_factory.mktemp("real-cache")
    out = tmp_path_factory.mktemp("real-out") / "inventory.json"
    proc = run_ospo("scan", real_tree, "-o", out, "-q", env={"OSPO_CACHE_DIR": str(cache)})
    assert proc.returncode == 0, proc.stderr
    yield json.loads(out.read_text(encoding="utf-8"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a detection server started by it is still running (and stop it):
    a server outlives the command that starts it, and each holds ScanCode's index."""
    import signal

    base = str(session.config._tmp_path_factory.getbasetemp())  # type: ignore[attr-defined]
    left = []
    for entry in Path("/proc").glob("[0-9]*/cmdline") if Path("/proc").is_dir() else ():
        try:
            argv = entry.read_bytes().split(b"\0")
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in argv]
        if "ospo.engine.server" in words and any(w.startswith(base) for w in words):
            left.append(" ".join(words))
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(entry.parent.name), signal.SIGTERM)
    if left:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\nDetection servers left running by the tests (stopped now):", *left, sep="\n  ")
