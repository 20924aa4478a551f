# SPDX-License-Identifier: Apache-2.0
"""The fast path loses no detection: ospo's per-file results equal ScanCode's on a real tree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# ScanCode's command follows references such as "see LICENSE.BSD" into other files and
# takes what it finds there into the referring file's answer; ospo does the same step on
# its inventory (``reference``) and keeps what each file itself says in
# ``license_expression``, which for those files is ScanCode's own per-file detection.
_CROSS_FILE = "unknown-reference-to-local-file"


def _follows_references(scancode_file: dict) -> bool:
    return any(
        _CROSS_FILE in (d.get("detection_log") or []) for d in scancode_file["license_detections"]
    )


def _scancode_api_expressions(paths: list[Path]) -> dict[str, str | None]:
    """Per-file expressions from ScanCode's API with its full matcher, in a clean process."""
    code = (
        "import json, sys\n"
        "from scancode.api import get_licenses\n"
        "print(json.dumps({p: get_licenses(p)['detected_license_expression_spdx']"
        " for p in sys.argv[1:]}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    result: dict[str, str | None] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_every_file_of_a_real_tree_matches_scancode(
    real_tree: Path, scancode_reference: dict, scanned_real_tree: dict
) -> None:
    ours = {f["path"]: f for f in scanned_real_tree["files"]}
    assert set(ours) == set(scancode_reference), "both tools must see the same files"
    assert len(ours) > 150
    assert scanned_real_tree["scan"]["issues"] == []

    license_diffs = []
    copyright_diffs = []
    for path, theirs in sorted(scancode_reference.items()):
        mine = ours[path]
        answer = (
            mine["license_expression"]
            if mine["reference"] is None
            else (mine["reference"]["license_expression"])
        )
        if answer != theirs["detected_license_expression_spdx"]:
            license_diffs.append(path)
        their_copyrights = [
            (c["copyright"], c["start_line"], c["end_line"]) for c in theirs["copyrights"]
        ]
        my_copyrights = [
            (c["statement"], c["start_line"], c["end_line"]) for c in mine["copyright_details"]
        ]
        their_holders = list(dict.fromkeys(h["holder"] for h in theirs["holders"]))
        if my_copyrights != their_copyrights or mine["holders"] != their_holders:
            copyright_diffs.append((path, my_copyrights, their_copyrights))

    assert copyright_diffs == []
    assert license_diffs == [], [
        (p, ours[p]["reference"], scancode_reference[p]["detected_license_expression_spdx"])
        for p in license_diffs
    ]
    # Where ScanCode's command followed a reference, what the file itself says must equal
    # ScanCode's own per-file detection with the full approximate matcher.
    followed = [p for p, theirs in scancode_reference.items() if _follows_references(theirs)]
    api = _scancode_api_expressions([real_tree / p for p in followed]) if followed else {}
    for path in followed:
        assert ours[path]["license_expression"] == api[str(real_tree / path)], path

    # The tree exercises what matters: many licenses, and files that needed the full matcher.
    expressions = {f["license_expression"] for f in ours.values() if f["license_expression"]}
    assert {"MIT", "Apache-2.0", "BSD-3-Clause"} <= expressions
    assert scanned_real_tree["scan"]["stats"]["full_matcher"] > 10
    matchers = {d["matcher"] for f in ours.values() for d in f["license_detections"]}
    assert "3-seq" in matchers, "some detection must come from the approximate matcher"
    assert sum(1 for f in ours.values() if f["copyrights"]) > 20


def test_licenseref_from_spdx_identifier_is_kept(tmp_path: Path) -> None:
    from ospo.engine.scancode_engine import detect_file

    source = tmp_path / "main.c"
    source.write_text(
        "/* SPDX-License-Identifier: LicenseRef-Acme-Proprietary */\nint main(void){return 0;}\n",
        encoding="utf-8",
    )
    record = detect_file(str(source))
    assert record["engine_expression"] == "LicenseRef-scancode-unknown-spdx"
    assert record["license_expression"] == "LicenseRef-Acme-Proprietary"
    assert record["detections"][0]["license_expression"] == "LicenseRef-Acme-Proprietary"

    both = tmp_path / "both.py"
    both.write_text("# SPDX-License-Identifier: MIT OR LicenseRef-Acme-1\n", encoding="utf-8")
    assert detect_file(str(both))["license_expression"] == "MIT OR LicenseRef-Acme-1"


def test_fast_path_is_installed_and_removable() -> None:
    from licensedcode import match_set

    from ospo.engine import fastpath, scancode_engine

    scancode_engine.load()
    assert match_set.compute_candidates is fastpath._compute_candidates
    fastpath.uninstall()
    try:
        assert match_set.compute_candidates is not fastpath._compute_candidates
    finally:
        from licensedcode.cache import get_index

        fastpath.install(get_index())


def test_candidates_are_scancodes_run_by_run() -> None:
    """For every query run of real license texts and sources, the candidate list (scores,
    rules, legalese intersections, order) equals ScanCode's own compute_candidates, in
    both of the ways ScanCode asks for it."""
    from licensedcode.cache import get_index
    from licensedcode.query import build_query

    from ospo.engine import fastpath, scancode_engine
    from realtree import site_packages

    scancode_engine.load()
    idx = get_index()
    site = site_packages()
    files = sorted(site.glob("*.dist-info/*LICEN[CS]E*"))[:20] + sorted(
        (site / "license_expression").glob("*.py")
    )
    compared = with_candidates = 0
    for path in files:
        query = build_query(location=str(path), idx=idx)
        if query is None:
            continue
        runs = [query.whole_query_run(), *query.query_runs]
        for run in runs:
            for high_resemblance in (False, True):
                theirs = fastpath._ORIGINAL(
                    run, idx, idx.approx_matchable_rids, top=50, high_resemblance=high_resemblance
                )
                ours = fastpath._compute_candidates(
                    run, idx, idx.approx_matchable_rids, top=50, high_resemblance=high_resemblance
                )
                assert [(c[0], c[1], list(c[3])) for c in ours] == [
                    (c[0], c[1], list(c[3])) for c in theirs
                ], (path, high_resemblance)
                compared += 1
                with_candidates += bool(theirs)
    assert compared > 100 and with_candidates > 20, (compared, with_candidates)
