# SPDX-License-Identifier: Apache-2.0
"""Compare ospo's inventory with ScanCode's JSON output, file by file.

For every file, ospo's effective license (``reference.license_expression`` when the file
refers to another file, else ``license_expression``) must equal ScanCode's
``detected_license_expression_spdx`` (no expression on either side counts as equal), and
ospo's ``copyrights`` must equal ScanCode's ``copyrights[].copyright``, in order. ospo's
paths are relative to the tree; ScanCode's start with the tree's directory name, which is
removed. Holders are compared too, as an extra check (ospo keeps each holder once, in
order of appearance, so ScanCode's list is de-duplicated the same way). A file where
ScanCode followed a reference ("see LICENSE") into another file counts like any other:
ospo follows it too, and a different answer is a difference (its note names the files
ScanCode took matches from).

Not counted as differences, but listed:

* files where ospo deliberately restores the user's own ``LicenseRef-*`` from an
  ``SPDX-License-Identifier:`` line that ScanCode reports as
  ``LicenseRef-scancode-unknown-spdx``;
* files ospo did not scan (its ``scan.issues``: too large, unreadable, timed out, ...);
* files on which ScanCode itself reported a scan error;
* files ScanCode never lists because their name is a version-control name
  (``commoncode.ignore.ignores_VCS``, e.g. ``CVS``): a behaviour of the ``scancode``
  command that ospo does not copy, on purpose (see docs/scan.md), checked against
  ScanCode's own output before it is set aside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib import BenchError

UNKNOWN_SPDX = "LicenseRef-scancode-unknown-spdx"


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """One field of one file on which the two tools disagree."""

    path: str
    what: str  # "license", "copyrights", "holders", "missing"
    ospo: str
    scancode: str
    note: str = ""  # what ScanCode's output shows about the cause, when it shows something


@dataclass(slots=True, kw_only=True)
class Comparison:
    """The outcome of comparing one inventory with one ScanCode result."""

    compared: int = 0  # files present on both sides and scanned by both
    identical: int = 0  # of those, files equal in license and copyrights
    differences: list[Difference] = field(default_factory=list)  # license, copyrights, missing
    holder_differences: list[Difference] = field(default_factory=list)
    restored: list[Difference] = field(default_factory=list)
    explained: list[Difference] = field(default_factory=list)  # deliberate, see above
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, path, message)
    scancode_errors: list[tuple[str, str]] = field(default_factory=list)  # (path, errors)

    @property
    def license_differences(self) -> int:
        """Files whose license expressions differ."""
        return sum(1 for d in self.differences if d.what == "license")

    @property
    def copyright_differences(self) -> int:
        """Files whose copyright statements differ."""
        return sum(1 for d in self.differences if d.what == "copyrights")

    @property
    def missing(self) -> int:
        """Files listed by only one of the two tools."""
        return sum(1 for d in self.differences if d.what == "missing")


def load_json(path: Path) -> Any:
    """Read a JSON document, failing with a clear message."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise BenchError(f"cannot read {path}: {exc}") from None


def scancode_files(result: Any) -> dict[str, dict[str, Any]]:
    """Return ScanCode's file entries by path relative to the tree root."""
    files: dict[str, dict[str, Any]] = {}
    for entry in result.get("files", []):
        if entry.get("type") != "file":
            continue
        _root, _, rel = entry["path"].partition("/")
        files[rel] = entry
    return files


def inventory_files(inventory: Any) -> dict[str, dict[str, Any]]:
    """Return ospo's file entries by path."""
    return {entry["path"]: entry for entry in inventory.get("files", [])}


def compare(inventory: Any, scancode: Any) -> Comparison:
    """Compare an ospo inventory with a ScanCode JSON result of the same tree."""
    ours = inventory_files(inventory)
    theirs = scancode_files(scancode)
    result = Comparison()
    skipped_paths: set[str] = set()
    for issue in inventory.get("scan", {}).get("issues", []):
        result.skipped.append((issue["kind"], issue.get("path") or "", issue["message"]))
        if issue.get("path"):
            skipped_paths.add(issue["path"])
    for path in sorted(ours.keys() | theirs.keys()):
        mine, other = ours.get(path), theirs.get(path)
        if mine is None or other is None:
            if path in skipped_paths:
                continue  # ospo did not list it for a reason it gave (a symlink, ...)
            vcs = _scancode_vcs_name(path) if other is None else None
            (result.explained if vcs else result.differences).append(
                Difference(
                    path=path,
                    what="missing",
                    ospo="listed" if mine is not None else "not listed",
                    scancode="listed" if other is not None else "not listed",
                    note=f"ScanCode always skips files and directories named `{vcs}` "
                    "(version-control names, `commoncode.ignore.ignores_VCS`)"
                    if vcs
                    else "",
                )
            )
            continue
        if not mine.get("scanned", True):
            continue  # reported among the skipped files
        errors = other.get("scan_errors") or []
        if errors:
            result.scancode_errors.append((path, "; ".join(str(e) for e in errors)))
            continue
        result.compared += 1
        equal = True
        lic_ours = effective_license(mine)
        lic_theirs = other.get("detected_license_expression_spdx") or None
        if lic_ours != lic_theirs:
            diff = Difference(
                path=path,
                what="license",
                ospo=str(lic_ours),
                scancode=str(lic_theirs),
                note=_reference_note(path, other),
            )
            if _is_restored_licenseref(mine, lic_theirs):
                result.restored.append(diff)
            else:
                result.differences.append(diff)
                equal = False
        cr_ours = list(mine.get("copyrights", []))
        cr_theirs = [c["copyright"] for c in other.get("copyrights", [])]
        if cr_ours != cr_theirs:
            result.differences.append(
                Difference(
                    path=path,
                    what="copyrights",
                    ospo=json.dumps(cr_ours, ensure_ascii=False),
                    scancode=json.dumps(cr_theirs, ensure_ascii=False),
                )
            )
            equal = False
        holders_ours = list(mine.get("holders", []))
        holders_theirs = list(dict.fromkeys(h["holder"] for h in other.get("holders", [])))
        if holders_ours != holders_theirs:
            result.holder_differences.append(
                Difference(
                    path=path,
                    what="holders",
                    ospo=json.dumps(holders_ours, ensure_ascii=False),
                    scancode=json.dumps(holders_theirs, ensure_ascii=False),
                )
            )
        if equal:
            result.identical += 1
    return result


def effective_license(entry: dict[str, Any]) -> str | None:
    """ospo's answer for a file: with its reference to another file followed, if any."""
    reference = entry.get("reference")
    if reference is not None:
        return reference.get("license_expression") or None
    return entry.get("license_expression") or None


def _is_restored_licenseref(entry: dict[str, Any], theirs: str | None) -> bool:
    """Tell whether ospo replaced ScanCode's unknown-spdx with the user's LicenseRef."""
    if theirs is None or UNKNOWN_SPDX not in theirs:
        return False
    return any(
        d.get("matcher") == "1-spdx-id"
        and "unknown-spdx" in (d.get("scancode_expression") or "")
        and "LicenseRef-" in (d.get("license_expression") or "")
        and UNKNOWN_SPDX not in (d.get("license_expression") or "")
        for d in entry.get("license_detections", [])
    )


def _reference_note(path: str, entry: dict[str, Any]) -> str:
    """Describe ScanCode's use of other files' matches in a file's detections, if any."""
    logs: set[str] = set()
    sources: set[str] = set()
    for detection in entry.get("license_detections", []):
        logs.update(detection.get("detection_log") or [])
        for match in detection.get("matches", []):
            source = (match.get("from_file") or "").partition("/")[2]
            if source and source != path:
                sources.add(source)
    if not sources:
        return ""
    how = ", ".join(f"`{log}`" for log in sorted(logs)) or "a reference"
    return (
        f"ScanCode followed {how} and took matches from "
        f"{', '.join(f'`{s}`' for s in sorted(sources))}: a whole-codebase step that "
        "looks at other files"
    )


def _scancode_vcs_name(path: str) -> str | None:
    """Return the part of ``path`` that ScanCode never scans (a VCS name), if any."""
    try:
        from commoncode.ignore import ignores_VCS
    except ImportError:  # not running in ScanCode's virtualenv: no explanation
        return None
    names = {n for n in ignores_VCS if not any(c in n for c in "*?[{/")}
    return next((part for part in path.split("/") if part in names), None)


def same_results(reference: Any, other: Any, *, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Return the paths whose entries differ between two inventories of the same tree."""
    ref, oth = inventory_files(reference), inventory_files(other)
    return sorted(
        path for path in (ref.keys() | oth.keys()) - ignore if ref.get(path) != oth.get(path)
    )


def entry_without_path(inventory: Any, path: str) -> dict[str, Any] | None:
    """Return the inventory entry of ``path`` without its path, for cross-tree checks."""
    entry = inventory_files(inventory).get(path)
    if entry is None:
        return None
    return {k: v for k, v in entry.items() if k != "path"}
