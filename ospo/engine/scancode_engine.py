# SPDX-License-Identifier: Apache-2.0
"""License and copyright detection for one file with ScanCode, as a plain record.

The record is what the cache stores and what worker processes send back, so it is plain
JSON data. Importing this module is cheap; :func:`load` pays for ScanCode's license index
(4-7 s, 1.4 GB) and is called only when a file really needs the matcher.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from functools import cache
from typing import Any

from ospo import licensing

#: Bump when the shape or the meaning of a record changes: old cache entries then miss.
ENGINE_REVISION = "2"

_UNKNOWN_SPDX = "LicenseRef-scancode-unknown-spdx"
_loaded = False


class FileTimeout(Exception):
    """The file took longer than the per-file timeout."""


def engine_key() -> str:
    """Identify everything that determines a record: ScanCode, its license data, ospo."""
    return _installed()["key"]


def engine_versions() -> dict[str, str]:
    """Return the versions of the detection tools, for the inventory's tool list."""
    return {"scancode-toolkit": _installed()["scancode-toolkit"]}


@cache
def _installed() -> dict[str, str]:
    """The engine key and ScanCode's version, read from the installed distributions.

    Reading them (``importlib.metadata``, every distribution's entry points) costs more
    than a cached rescan of a small tree, so the answer is kept in the cache directory
    with a stamp of the directories distributions are installed in (``site-packages``):
    installing, upgrading or removing one changes its directory, and the answer is read
    again.
    """
    import json

    from ospo.atomic import atomic_write_text
    from ospo.cache import cache_dir, installation_stamp
    from ospo.errors import OspoError

    stamp = installation_stamp()
    memo = cache_dir() / "engine.json"
    with contextlib.suppress(OSError, ValueError):
        known = json.loads(memo.read_text(encoding="utf-8"))
        if known.get("stamp") == stamp and known.get("revision") == ENGINE_REVISION:
            return dict(known["installed"])
    from importlib.metadata import entry_points, version

    plugins = sorted(
        ep.value for ep in entry_points(group="scancode_additional_license_location_provider")
    )
    scancode = version("scancode-toolkit")
    installed = {
        "scancode-toolkit": scancode,
        "key": (
            f"scancode-toolkit={scancode};"
            f"license-expression={version('license-expression')};"
            f"ospo-engine={ENGINE_REVISION};plugins={','.join(plugins)}"
        ),
    }
    text = json.dumps({"stamp": stamp, "revision": ENGINE_REVISION, "installed": installed})
    with contextlib.suppress(OSError, OspoError):  # cannot be written: read again next time
        memo.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(memo, text + "\n")
    return installed


def load() -> None:
    """Load ScanCode's license index and install the fast path, once per process."""
    global _loaded
    if _loaded:
        return
    import logging

    logging.getLogger("bs4").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="bs4")
    from licensedcode.cache import get_index

    from ospo.engine import fastpath

    fastpath.install(get_index())
    _loaded = True


def detect_file(location: str, timeout: float | None = None) -> dict[str, Any]:
    """Return the detection record for the file at ``location``.

    Raises :class:`FileTimeout` when ``timeout`` seconds pass first; a result is either
    complete or absent, never cut short.
    """
    load()
    from ospo.engine import fastpath

    before = fastpath.files_with_candidates()
    with _time_limit(timeout):
        from scancode.api import get_licenses

        from ospo.engine.copyrights import detect_copyrights

        lic = get_licenses(location)
        copyrights, holders = detect_copyrights(location)
    detections: list[dict[str, Any]] = []
    licenseref_fixed = False
    lines: list[str] | None = None
    for index, detection in enumerate(lic.get("license_detections", [])):
        # the user's LicenseRef, restored in a match, is restored in its detection too
        detection_expression = detection.get("license_expression_spdx") or ""
        first = len(detections)
        for match in detection.get("matches", []):
            spdx = match.get("license_expression_spdx") or ""
            if _UNKNOWN_SPDX in spdx and match.get("matcher") == "1-spdx-id":
                if lines is None:
                    lines = _read_lines(location)
                restored = _restore_licenseref(lines, match["start_line"], match["end_line"])
                if restored is not None:
                    spdx = restored
                    licenseref_fixed = True
                    detection_expression = detection_expression.replace(_UNKNOWN_SPDX, spdx, 1)
            detections.append(
                {
                    "license_expression": spdx,
                    "scancode_expression": match.get("license_expression") or "",
                    "start_line": match.get("start_line") or 0,
                    "end_line": match.get("end_line") or 0,
                    "score": float(match.get("score") or 0.0),
                    "matcher": match.get("matcher") or "",
                    "rule": match.get("rule_identifier") or "",
                    "coverage": float(match.get("match_coverage") or 0.0),
                    "detection": index,
                }
            )
        for record in detections[first:]:
            record["detection_expression"] = detection_expression
    engine_expression = lic.get("detected_license_expression_spdx")
    expression = engine_expression
    if licenseref_fixed:
        expression = licensing.combine_and(d["license_expression"] for d in detections)
    return {
        "license_expression": expression,
        "engine_expression": engine_expression,
        "detections": detections,
        "copyrights": [
            {"statement": c["copyright"], "start_line": c["start_line"], "end_line": c["end_line"]}
            for c in copyrights
        ],
        "holders": list(dict.fromkeys(h["holder"] for h in holders)),
        "full_matcher": fastpath.files_with_candidates() > before,
    }


def _read_lines(location: str) -> list[str]:
    with open(location, "rb") as handle:
        return handle.read().decode("utf-8", errors="replace").splitlines()


def _restore_licenseref(lines: list[str], start: int, end: int) -> str | None:
    """Return the user's own expression from an SPDX-License-Identifier line, if valid."""
    for line in lines[max(start - 1, 0) : end]:
        found = licensing.spdx_identifier_line(line)
        if found is not None and "LicenseRef-" in found:
            return found
    return None


class _time_limit:
    """Raise FileTimeout in the main thread after ``seconds`` (no limit elsewhere).

    signal and threading are imported here, not with the module: a rescan that finds
    every file in the cache imports this module for the engine key alone.
    """

    def __init__(self, seconds: float | None) -> None:
        import threading

        self.seconds = seconds
        self.active = bool(seconds) and threading.current_thread() is threading.main_thread()

    def __enter__(self) -> None:
        import signal

        if self.active:
            signal.signal(signal.SIGALRM, _raise_timeout)
            signal.setitimer(signal.ITIMER_REAL, float(self.seconds or 0))

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)


def _raise_timeout(signum: int, frame: object) -> None:
    raise FileTimeout()


#: Between a name's letters and its version ("Apache2"), which ScanCode's rules spell apart.
_NAME_VERSION = re.compile(r"(?<=[A-Za-z])(?=\d)")


@cache
def license_of_name(name: str) -> str | None:
    """Return the SPDX id of the one license that ``name``, a free-text license name from
    package metadata ("MIT/X11", "Public Domain", "Apache 2.0"), names as a whole; None when
    ScanCode's rules match no license, more than one, only part of the name, or a text
    that names no license ("Dual License").

    Reading a name needs ScanCode's index, so each answer is kept in the cache directory
    (``license-names.json``, for this engine key): a scan that meets only names read
    before does not load the index, as a scan of files read before does not.
    """
    text = " ".join(name.split())
    if not text or len(text) > 100:
        return None
    known = _names_read()
    if text in known:
        return known[text]
    answer = _read_name(text)
    known[text] = answer
    _remember_names(known)
    return answer


_NAMES_FILE = "license-names.json"
#: Bump when the way a name is read changes: the answers kept before are then read again.
_NAMES_REVISION = "1"


@cache
def _names_read() -> dict[str, str | None]:
    """The answers kept for this engine key; an entry that is not a valid answer is left
    out (read again), as is a file that cannot be read or belongs to another engine."""
    import json

    from ospo.cache import cache_dir

    try:
        data = json.loads((cache_dir() / _NAMES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("engine") != [engine_key(), _NAMES_REVISION]:
        return {}
    names = data.get("names")
    if not isinstance(names, dict):
        return {}
    return {
        text: answer
        for text, answer in names.items()
        if isinstance(text, str)
        and (answer is None or (isinstance(answer, str) and licensing.check(answer).valid))
    }


def _remember_names(known: dict[str, str | None]) -> None:
    import json

    from ospo.atomic import atomic_write_text
    from ospo.cache import cache_dir
    from ospo.errors import OspoError

    engine = [engine_key(), _NAMES_REVISION]
    text = json.dumps({"engine": engine, "names": known}, sort_keys=True)
    with contextlib.suppress(OSError, OspoError):  # not kept: read again next time
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        atomic_write_text(directory / _NAMES_FILE, text + "\n")


def _read_name(text: str) -> str | None:
    load()
    from licensedcode.cache import get_index
    from licensedcode.query import build_query

    index = get_index()
    for candidate in dict.fromkeys((text, _NAME_VERSION.sub(" ", text))):
        query = build_query(query_string=candidate, idx=index)
        if query is None or not query.tokens:
            continue
        matches = index.match(query_string=candidate)
        if len(matches) != 1:
            continue
        match = matches[0]
        if match.coverage() < 100 or len(match.qspan) != len(query.tokens):
            continue
        spdx = licensing.from_scancode_keys(match.rule.license_expression)
        if spdx and spdx.lower() not in licensing.NOT_A_GRANT:
            return spdx
    return None
