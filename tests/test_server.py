# SPDX-License-Identifier: Apache-2.0
"""The detection server that keeps ScanCode's index warm for the pre-commit hook.

Real servers (``python -m ospo.engine.server``, started detached as a check starts them)
with real ScanCode, each in a socket directory of its own; every one is stopped, and
checked gone, before the module ends. The answers are compared with ``detect_file`` in
this process on real files; a refusal, a killed server and a peer that sends garbage all
leave the caller with the answer it computes itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import run_ospo, run_ospo_process
from ospo.engine import client, scancode_engine
from ospo.engine.scancode_engine import detect_file
from ospo.model import ScanIssue
from ospo.scanners.base import ScanRequest
from ospo.scanners.source.detection import detect_contents, hash_path
from realtree import site_packages

SITE = site_packages()


def _gpl_notice() -> str:
    """The notice the GPL-3.0 asks to put at the top of each source file, as ScanCode's
    license data has it."""
    import licensedcode

    text = (Path(licensedcode.__file__).parent / "data" / "licenses" / "gpl-3.0.LICENSE").read_text(
        encoding="utf-8"
    )
    start = text.index("This program is free software: you can redistribute")
    end = text.index("If not, see <https://www.gnu.org/licenses/>.", start)
    return text[start : text.index("\n", end)]


def _real_files(dest: Path) -> dict[str, Path]:
    """A plain code file, a file with an SPDX line, and a code file with the GPL notice
    pasted into it: installed sources, copied."""
    dest.mkdir(parents=True, exist_ok=True)
    plain = dest / "_native.py"
    shutil.copyfile(SITE / "markupsafe" / "_native.py", plain)
    spdx = dest / "utils.py"
    shutil.copyfile(SITE / "packageurl" / "utils.py", spdx)
    pasted = dest / "cli.py"
    code = (SITE / "click" / "globals.py").read_text(encoding="utf-8")
    notice = "".join(
        f"# {line.strip()}\n".replace("# \n", "#\n") for line in _gpl_notice().splitlines()
    )
    pasted.write_text(notice + "\n" + code, encoding="utf-8")
    return {"plain": plain, "spdx": spdx, "pasted": pasted}


def _todo(files: dict[str, Path]) -> dict[str, str]:
    todo = {}
    for path in files.values():
        hashed, issue = hash_path(path, 10**9)
        assert hashed is not None and issue is None
        todo[hashed[0]] = os.fspath(path)
    return todo


def _wait(predicate: Callable[[], bool], what: str, limit: float = 180.0) -> None:
    """Wait for ``predicate``; a generous limit, only so that a broken server fails the
    test instead of hanging it (no time is asserted)."""
    end = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def _status(path: Path) -> dict[str, Any]:
    answer = client.request(path, {"protocol": client.PROTOCOL, "op": "status"}, 30.0)
    assert answer is not None
    return answer


class Servers:
    """Socket directories of this module's servers, to start in and to clean up."""

    def __init__(self) -> None:
        self.dirs: list[Path] = []

    def directory(self) -> Path:
        # short: a Unix socket's path has at most 107 bytes
        made = Path(tempfile.mkdtemp(prefix="ospo-srv-"))
        self.dirs.append(made)
        return made

    def start(self, directory: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
        """Start a server as a check would; its socket and pid once it listens."""
        monkeypatch.setenv("OSPO_CACHE_DIR", os.fspath(directory))
        monkeypatch.delenv("OSPO_NO_SERVER", raising=False)
        key = scancode_engine.engine_key()
        assert client.start(client.server_dir(), key)
        path = client.socket_path(key)
        _wait(lambda: client.connect(path) is not None, "the server to listen")
        return path, int(_status(path)["pid"])

    def cleanup(self) -> None:
        """Stop every server left, and check that none is."""
        pids = []
        for directory in self.dirs:
            for path in (directory / "server").glob("*.sock"):
                answer = client.request(path, {"protocol": client.PROTOCOL, "op": "stop"}, 30.0)
                if answer is not None:
                    pids.append(int(answer["pid"]))
        for pid in pids:
            with contextlib.suppress(AssertionError):
                _wait(lambda pid=pid: not _alive(pid), "a server to end", 30.0)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        for directory in self.dirs:
            shutil.rmtree(directory, ignore_errors=True)
        assert not any(_alive(pid) for pid in pids)


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    made = Servers()
    yield made
    made.cleanup()


@pytest.fixture(scope="module")
def warm(servers: Servers) -> Iterator[tuple[Path, Path, int]]:
    """One server for the module: its directory, socket and pid."""
    with pytest.MonkeyPatch.context() as mp:
        directory = servers.directory()
        path, pid = servers.start(directory, mp)
    yield directory, path, pid


@pytest.fixture
def use_server(warm: tuple[Path, Path, int], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment of a check that may use the module's server."""
    monkeypatch.setenv("OSPO_CACHE_DIR", os.fspath(warm[0]))
    monkeypatch.delenv("OSPO_NO_SERVER", raising=False)
    return warm[1]


def test_the_server_answers_what_detect_file_answers(use_server: Path, tmp_path: Path) -> None:
    files = _real_files(tmp_path / "files")
    todo = _todo(files)
    before = _status(use_server)["files_answered"]
    served = client.detect(todo, scancode_engine.engine_key(), 120.0)
    assert set(served) == set(todo)
    for sha, location in todo.items():
        assert served[sha] == detect_file(location, timeout=120.0), location
    assert _status(use_server)["files_answered"] == before + len(todo)
    by_name = {Path(todo[sha]).name: record for sha, record in served.items()}
    assert isinstance(by_name["cli.py"], dict)
    assert "GPL-3.0-or-later" in by_name["cli.py"]["license_expression"]
    assert by_name["utils.py"]["license_expression"] == "MIT"
    assert by_name["_native.py"]["license_expression"] is None


def test_a_scan_through_the_server_equals_one_without_it(
    use_server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    files = _real_files(repo / "src")
    rels = [p.relative_to(repo).as_posix() for p in files.values()]
    before = _status(use_server)["files_answered"]
    with_server = tmp_path / "with.json"
    ran = run_ospo_process(
        "scan", repo, "-o", with_server, env={"OSPO_CACHE_DIR": os.fspath(use_server.parent.parent)}
    )
    assert ran.returncode == 0, ran.stderr
    assert _status(use_server)["files_answered"] >= before + len(rels)
    without = tmp_path / "without.json"
    ran = run_ospo_process(
        "scan",
        repo,
        "-o",
        without,
        env={"OSPO_CACHE_DIR": os.fspath(tmp_path / "own-cache"), "OSPO_NO_SERVER": "1"},
    )
    assert ran.returncode == 0, ran.stderr

    def files_of(path: Path) -> list[dict[str, Any]]:
        return sorted(json.loads(path.read_text(encoding="utf-8"))["files"], key=str)

    assert files_of(with_server) == files_of(without)
    assert {f["path"] for f in files_of(with_server)} >= set(rels)


def test_a_server_of_another_engine_key_is_refused_and_the_caller_falls_back(
    use_server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    todo = _todo(_real_files(tmp_path / "files"))
    before = _status(use_server)["files_answered"]
    answer = client.request(
        use_server,
        {"protocol": client.PROTOCOL, "op": "detect", "engine_key": "another", "files": []},
        30.0,
    )
    assert answer is not None and answer["refused"] == "another engine key"
    other_protocol = client.request(use_server, {"protocol": 99, "op": "detect"}, 30.0)
    assert other_protocol is not None and "refused" in other_protocol
    # the server listens where a client of another engine key looks for its own
    other = "scancode-toolkit=0.0;license-expression=0.0;ospo-engine=0;plugins="
    os.symlink(use_server, client.socket_path(other))
    try:
        assert client.detect(todo, other, 120.0) == {}
        monkeypatch.setattr(scancode_engine, "engine_key", lambda: other)
        run = detect_contents(todo, ScanRequest(root=tmp_path, use_cache=False, timeout=120.0))
    finally:
        os.unlink(client.socket_path(other))
    assert _status(use_server)["files_answered"] == before
    assert not client.lock_path(other).exists()  # refused is not absent: nothing started
    assert run.records == {sha: detect_file(path, timeout=120.0) for sha, path in todo.items()}


def _garbage_server(directory: Path, reply: Callable[[dict[str, Any]], bytes]) -> Path:
    """A peer at the socket a client looks for that answers each request with ``reply``."""
    path = client.socket_path(scancode_engine.engine_key(), directory)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(os.fspath(path))
    listener.listen(4)
    listener.settimeout(60.0)

    def serve() -> None:
        with listener:
            while True:
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                with conn:
                    try:
                        message = client.receive_message(conn)
                    except (OSError, client.ProtocolError, struct.error):
                        continue
                    if message.get("op") == "end":
                        return
                    with contextlib.suppress(OSError):
                        conn.sendall(reply(message))

    threading.Thread(target=serve, daemon=True).start()
    return path


def _frame(message: dict[str, Any]) -> bytes:
    data = json.dumps(message).encode()
    return struct.pack(">I", len(data)) + data


def _tampered(field: str) -> Callable[[dict[str, Any]], bytes]:
    """A well-framed answer with one thing wrong in it."""

    def reply(message: dict[str, Any]) -> bytes:
        results = []
        for f in message["files"]:
            record = {k: None for k in client.RECORD_FIELDS} | {"detections": []}
            item = {"sha256": f["sha256"], "record": record}
            item["digest"] = client.record_digest(record)
            if field == "digest":
                record["license_expression"] = "MIT"  # changed after its digest
            elif field == "sha256":
                item["sha256"] = "0" * 64
            elif field == "fields":
                del record["holders"]
                item["digest"] = client.record_digest(record)
            results.append(item)
        key = "another" if field == "engine_key" else message["engine_key"]
        return _frame({"protocol": client.PROTOCOL, "engine_key": key, "results": results})

    return reply


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(lambda m: b"\x00\x00\x00\x05hello", id="not-json"),
        pytest.param(lambda m: b"HTTP/1.1 200 OK\r\n\r\n", id="no-frame"),
        pytest.param(lambda m: b"\x7f\xff\xff\xff", id="huge-length"),
        pytest.param(lambda m: b"\x00\x00\x00\x10{", id="cut-short"),
        pytest.param(lambda m: _frame({"protocol": client.PROTOCOL}), id="no-results"),
        pytest.param(_tampered("digest"), id="record-changed-after-its-digest"),
        pytest.param(_tampered("sha256"), id="answer-for-another-file"),
        pytest.param(_tampered("fields"), id="record-missing-a-field"),
        pytest.param(_tampered("engine_key"), id="another-engine-key"),
    ],
)
def test_garbage_on_the_socket_falls_back_to_the_same_answer(
    reply: Callable[[dict[str, Any]], bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = Path(tempfile.mkdtemp(prefix="ospo-bad-"))
    try:
        monkeypatch.setenv("OSPO_CACHE_DIR", os.fspath(directory))
        monkeypatch.delenv("OSPO_NO_SERVER", raising=False)
        assert client.private_dir(client.server_dir())
        path = _garbage_server(client.server_dir(), reply)
        todo = _todo(_real_files(tmp_path / "files"))
        assert client.detect(todo, scancode_engine.engine_key(), 120.0) == {}
        run = detect_contents(todo, ScanRequest(root=tmp_path, use_cache=False, timeout=120.0))
        assert run.records == {sha: detect_file(p, timeout=120.0) for sha, p in todo.items()}
        assert not list(client.server_dir().glob("*.lock"))  # no server was started
        client.request(path, {"op": "end"}, 5.0)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_a_killed_server_falls_back_then_restarts_and_ospo_server_stop_ends_it(
    servers: Servers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = servers.directory()
    path, pid = servers.start(directory, monkeypatch)
    os.kill(pid, signal.SIGKILL)
    _wait(lambda: not _alive(pid), "the killed server to end")
    assert path.exists()  # a socket nobody listens on
    scratch = path.parent / f".{path.stem}.scratch"
    (scratch / "left-by-the-killed-server").write_bytes(b"content of a file in detection")
    todo = _todo(_real_files(tmp_path / "files"))
    # a whole tree's scan uses a server but starts none
    run = detect_contents(todo, ScanRequest(root=tmp_path, use_cache=False, timeout=120.0))
    assert run.records == {sha: detect_file(p, timeout=120.0) for sha, p in todo.items()}
    assert client.connect(path) is None
    assert not client.starting(scancode_engine.engine_key(), path.parent), "none is starting"
    # a commit's check (the pre-commit hook) falls back and starts one for the next commit
    commit = tuple(Path(p).relative_to(tmp_path).as_posix() for p in todo.values())
    request = ScanRequest(root=tmp_path, use_cache=False, timeout=120.0, only=commit)
    run = detect_contents(todo, request)
    assert run.records == {sha: detect_file(p, timeout=120.0) for sha, p in todo.items()}
    # the fallback started a new server for the next commit
    _wait(lambda: client.connect(path) is not None, "a new server to listen")
    new_pid = int(_status(path)["pid"])
    assert new_pid != pid
    # what the killed one could not clean up, the new one removed
    assert scratch.is_dir() and not list(scratch.iterdir())
    shown = run_ospo("server", "status")
    assert shown.returncode == 0
    assert f"pid {new_pid}:" in shown.stdout and "memory" in shown.stdout
    stopped = run_ospo("server", "stop")
    assert stopped.returncode == 0 and stopped.stdout == f"stopped server pid {new_pid}\n"
    _wait(lambda: not _alive(new_pid), "the stopped server to end")
    assert not path.exists() and not list(path.parent.glob(".*.sock.*"))
    assert run_ospo("server", "status").stdout.startswith("no server running")
    assert run_ospo("server", "stop").stdout == "no server running\n"


def test_the_server_ends_itself_after_the_idle_time(
    servers: Servers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSPO_SERVER_IDLE", "2")
    path, pid = servers.start(servers.directory(), monkeypatch)
    assert _status(path)["idle_timeout"] == 2.0
    _wait(lambda: not _alive(pid), "the idle server to end")
    assert not path.exists()


def test_no_server_is_started_when_forbidden_or_for_a_large_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = Path(tempfile.mkdtemp(prefix="ospo-none-"))
    try:
        monkeypatch.setenv("OSPO_CACHE_DIR", os.fspath(directory))
        todo = _todo(_real_files(tmp_path / "files"))
        key = scancode_engine.engine_key()
        assert client.detect(todo, key, 120.0) == {}  # OSPO_NO_SERVER=1
        assert not client.start(client.server_dir(), key)
        monkeypatch.delenv("OSPO_NO_SERVER", raising=False)
        many = {f"{n:064x}": next(iter(todo.values())) for n in range(client.SERVER_MAX_FILES + 1)}
        assert client.detect(many, key, 120.0) == {}
        assert not (directory / "server").exists()
        (directory / "server").mkdir(mode=0o755)
        os.chmod(directory / "server", 0o755)  # open to others: never used
        assert client.detect(todo, key, 120.0) == {}
        assert not list((directory / "server").iterdir())
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_the_results_of_a_server_go_into_the_cache(use_server: Path, tmp_path: Path) -> None:
    from ospo.cache import ResultCache

    todo = _todo(_real_files(tmp_path / "files"))
    cache = ResultCache.open(scancode_engine.engine_key(), tmp_path / "cache")
    assert cache is not None
    try:
        run = detect_contents(
            todo, ScanRequest(root=tmp_path, use_cache=True, timeout=120.0), cache
        )
        assert run.matched == len(todo) and not run.failures
        assert cache.get_many(todo) == run.records
    finally:
        cache.close()
    assert all(not isinstance(v, ScanIssue) for v in run.records.values())


def test_the_client_imports_no_scancode() -> None:
    code = (
        "import sys, ospo.engine.client, ospo.cli.server\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'licensedcode', 'scancode', 'commoncode', 'cluecode', 'typecode'}))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "[]\n"


def test_sigterm_ends_the_server_and_it_cleans_up(warm: tuple[Path, Path, int]) -> None:
    """Last in the module: it ends the module's server."""
    _directory, path, pid = warm
    os.kill(pid, signal.SIGTERM)
    _wait(lambda: not _alive(pid), "the server to end on SIGTERM")
    assert not path.exists()
    assert not (path.parent / f".{path.stem}.scratch").exists()
    assert client.connect(path) is None
