# SPDX-License-Identifier: Apache-2.0
"""``ospo server``: see and stop the detection servers that keep ScanCode's index warm."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from ospo.cli.core import CONTEXT, say
from ospo.errors import ExitCode


@click.group(
    help="See and stop the background process that keeps ScanCode's license index loaded "
    "for the pre-commit hook (started by the first check that needs it; it ends itself "
    "after OSPO_SERVER_IDLE seconds without a request, 900 by default).",
    context_settings=CONTEXT,
)
def server() -> None:
    """The ``server`` group: ``status`` and ``stop``."""


@server.command("status", help="List the running servers of this user.", context_settings=CONTEXT)
def status() -> int:
    """Ask every server in the user's socket directory for its state."""
    from ospo.engine import client

    found = _servers("status")
    if not found:
        say(f"no server running (sockets: {client.server_dir()})")
    for path, answer in found:
        if answer is None:
            say(f"{path}: not answering (a server loading, or one that ended)")
            continue
        rss = answer.get("rss_bytes")
        memory = f"{rss / (1 << 20):,.0f} MiB" if isinstance(rss, int) else "unknown"
        idle = float(answer.get("idle_timeout") or 0)
        up = time.time() - float(answer.get("started") or time.time())
        say(
            f"pid {answer.get('pid')}: up {up:,.0f} s, {answer.get('files_answered')} files "
            f"answered, memory {memory}, ends after {idle:g} s idle\n"
            f"  engine: {answer.get('engine_key')}\n  socket: {path}"
        )
    return int(ExitCode.PASS)


@server.command("stop", help="Stop every running server of this user.", context_settings=CONTEXT)
def stop() -> int:
    """Ask every server in the user's socket directory to end."""
    found = _servers("stop")
    stopped = [answer for _path, answer in found if answer is not None]
    for answer in stopped:
        say(f"stopped server pid {answer.get('pid')}")
    if not stopped:
        say("no server running")
    return int(ExitCode.PASS)


def _servers(op: str) -> list[tuple[Path, dict[str, Any] | None]]:
    """Send ``op`` to every socket in the directory; each socket with its answer, if any."""
    import socket

    from ospo.engine import client

    if not hasattr(socket, "AF_UNIX"):
        return []  # no server can run here
    directory = client.server_dir()
    try:
        sockets = sorted(directory.glob("*.sock"))
    except OSError:
        return []
    answers: list[tuple[Path, dict[str, Any] | None]] = []
    for path in sockets:
        answer = client.request(path, {"protocol": client.PROTOCOL, "op": op}, 10.0)
        if answer is not None and answer.get("protocol") != client.PROTOCOL:
            answer = None
        answers.append((path, answer))
    return answers
