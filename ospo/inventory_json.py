# SPDX-License-Identifier: Apache-2.0
"""The JSON form of the inventory: stable keys, sorted, schema-versioned, validated on load."""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string  # the encoder's, non-ASCII kept
from pathlib import Path
from typing import Any

from ospo.documents import schema_validator
from ospo.errors import InputError
from ospo.inputs import parse_json, read_input_text
from ospo.model import (
    SCHEMA_VERSION,
    Component,
    CopyrightStatement,
    Exclusion,
    FileEntry,
    Inventory,
    IssueKind,
    LicenseEvidence,
    LicenseMatch,
    LicenseReference,
    LicenseSource,
    ScanInfo,
    ScanIssue,
    ScanStats,
    Scope,
    Subject,
    Tool,
)

JsonDict = dict[str, Any]


def to_json_dict(inv: Inventory) -> JsonDict:
    """Return the inventory as plain JSON data, with files and components sorted."""
    return _document(inv, [_file(f) for f in _sorted_files(inv)])


def _document(inv: Inventory, files: list[Any]) -> JsonDict:
    return {
        "schema_version": inv.schema_version,
        "subject": _subject(inv.subject),
        "files": files,
        "components": [_component(c) for c in sorted(inv.components, key=lambda c: c.purl)],
        "scan": _scan(inv.scan),
    }


def _sorted_files(inv: Inventory) -> list[FileEntry]:
    return sorted(inv.files, key=lambda f: f.path)


def dumps(inv: Inventory) -> str:
    """Serialise the inventory to deterministic JSON text, one file or component a line.

    A line per entry keeps diffs between two inventories readable, and lets Python's C
    encoder do the work (``indent`` would switch to the pure-Python one, several times
    slower on a large tree). The text is the same as encoding :func:`to_json_dict`.
    """
    data = _document(inv, [])
    rendered = {
        "files": _file_lines(_sorted_files(inv)),
        "components": [_compact(item) for item in data["components"]],
    }
    lines = ["{"]
    keys = list(data)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        items = rendered.get(key)
        if items:
            lines.append(f"  {json.dumps(key)}: [")
            lines.append(",\n".join(f"    {item}" for item in items))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {_compact(data[key])}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _file_lines(files: list[FileEntry]) -> list[str]:
    """Each file's entry as :func:`_file` encodes it.

    Files with the same record share their detection, copyright and holder tuples (the
    source scanner makes them once per record), and most of a tree shares a few records:
    what follows a file's path, hash and size is encoded once per record.
    """
    tails: dict[tuple[Any, ...], str] = {}
    lines = []
    for f in files:
        # The identities of the tuples stand for their contents: every file is alive here.
        key = (
            id(f.detections),
            id(f.copyrights),
            id(f.holders),
            f.license_expression,
            f.package,
            f.scanned,
            f.reference,
        )
        tail = tails.get(key)
        if tail is None:
            whole = _compact(_file(f))
            tail = tails[key] = whole[len(_compact(_file_head(f))) - 1 :]  # ", ..."
        # _file_head as the encoder writes it, without its closing brace
        lines.append(
            f'{{"path": {_string(f.path)}, "sha256": {_string(f.sha256)}, "size": {f.size}{tail}'
        )
    return lines


#: One encoder for every entry (``json.dumps`` with options builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)


def load(path: Path) -> Inventory:
    """Read and validate an inventory file written by ``ospo scan -o``."""
    text = read_input_text(path, "inventory file")
    return from_json_dict(parse_json(text, str(path)), source=str(path))


def from_json_dict(data: Any, *, source: str = "<inventory>") -> Inventory:
    """Validate ``data`` against the inventory schema and build the model from it."""
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError("not an ospo inventory (no schema_version)", path=source)
    major = str(data["schema_version"]).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise InputError(
            f"inventory schema version {data['schema_version']} is not supported "
            f"(this ospo reads {SCHEMA_VERSION.split('.')[0]}.x); rescan with this version",
            path=source,
        )
    errors = sorted(
        schema_validator("inventory.schema.json").iter_errors(data),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"invalid inventory at {where}: {first.message}{more}", path=source)
    return Inventory(
        schema_version=data["schema_version"],
        subject=Subject(**data["subject"]),
        files=tuple(_load_file(f) for f in data["files"]),
        components=tuple(_load_component(c) for c in data["components"]),
        scan=_load_scan(data["scan"]),
    )


def _subject(s: Subject) -> JsonDict:
    return {
        "name": s.name,
        "version": s.version,
        "vcs_revision": s.vcs_revision,
        "declared_license": s.declared_license,
        "profile": s.profile,
    }


def _file_head(f: FileEntry) -> JsonDict:
    """The keys that set each file apart: the first ones of :func:`_file`."""
    return {"path": f.path, "sha256": f.sha256, "size": f.size}


def _file(f: FileEntry) -> JsonDict:
    return {
        **_file_head(f),
        "license_expression": f.license_expression,
        "copyrights": [c.statement for c in f.copyrights],
        "holders": list(f.holders),
        "package": f.package,
        "scanned": f.scanned,
        "license_detections": [
            {
                "license_expression": d.license_expression,
                "start_line": d.start_line,
                "end_line": d.end_line,
                "score": d.score,
                "matcher": d.matcher,
                "rule": d.rule,
                "scancode_expression": d.scancode_expression,
                "coverage": d.coverage,
                "detection": d.detection,
                "detection_expression": d.detection_expression,
            }
            for d in f.detections
        ],
        "reference": None
        if f.reference is None
        else {
            "names": list(f.reference.names),
            "followed": list(f.reference.followed),
            "license_expression": f.reference.license_expression,
        },
        "copyright_details": [
            {"statement": c.statement, "start_line": c.start_line, "end_line": c.end_line}
            for c in f.copyrights
        ],
    }


def _component(c: Component) -> JsonDict:
    return {
        "purl": c.purl,
        "name": c.name,
        "version": c.version,
        "scope": c.scope.value,
        "direct": c.direct,
        "license_expression": c.license_expression,
        "licenses": [
            {
                "expression": e.expression,
                "source": e.source.value,
                "location": e.location,
                "valid": e.valid,
                "note": e.note,
                **({} if e.counted else {"counted": False}),
            }
            for e in c.licenses
        ],
        "unknown_reason": c.unknown_reason,
        "vendored_path": c.vendored_path,
        "dependencies": sorted(c.dependencies),
        "hashes": [{"algorithm": a, "value": v} for a, v in sorted(c.hashes)],
        "go_module_hash": c.go_module_hash,
        "pinned": c.pinned,
    }


def _scan(s: ScanInfo) -> JsonDict:
    return {
        "tools": [{"name": t.name, "version": t.version} for t in s.tools],
        "timestamp": s.timestamp,
        "issues": [
            {"kind": i.kind.value, "path": i.path, "message": i.message}
            for i in sorted(s.issues, key=lambda i: (i.path or "", i.kind.value, i.message))
        ],
        "excluded": [
            {"pattern": e.pattern, "reason": e.reason, "files": e.files} for e in s.excluded
        ],
        "stats": {
            "files": s.stats.files,
            "from_cache": s.stats.from_cache,
            "matched": s.stats.matched,
            "full_matcher": s.stats.full_matcher,
            "seconds": s.stats.seconds,
        },
        **({"environments": list(s.environments)} if s.environments else {}),
    }


def _load_file(d: JsonDict) -> FileEntry:
    copyrights = tuple(
        CopyrightStatement(**c)
        for c in d.get("copyright_details")
        or [{"statement": s, "start_line": 0, "end_line": 0} for s in d["copyrights"]]
    )
    return FileEntry(
        path=d["path"],
        sha256=d["sha256"],
        size=int(d.get("size", 0)),  # the schema's integer may be written 3.0
        license_expression=d["license_expression"],
        detections=tuple(LicenseMatch(**m) for m in d.get("license_detections", [])),
        copyrights=copyrights,
        holders=tuple(d.get("holders", [])),
        package=d.get("package"),
        scanned=d.get("scanned", True),
        reference=None
        if d.get("reference") is None
        else LicenseReference(
            names=tuple(d["reference"]["names"]),
            followed=tuple(d["reference"].get("followed", [])),
            license_expression=d["reference"].get("license_expression"),
        ),
    )


def _load_component(d: JsonDict) -> Component:
    return Component(
        purl=d["purl"],
        name=d["name"],
        version=d["version"],
        scope=Scope(d["scope"]),
        direct=d["direct"],
        license_expression=d["license_expression"],
        licenses=tuple(
            LicenseEvidence(
                expression=e["expression"],
                source=LicenseSource(e["source"]),
                location=e.get("location"),
                valid=e.get("valid", True),
                note=e.get("note"),
                counted=e.get("counted", True),
            )
            for e in d["licenses"]
        ),
        unknown_reason=d.get("unknown_reason"),
        vendored_path=d.get("vendored_path"),
        dependencies=tuple(d.get("dependencies", [])),
        hashes=tuple((h["algorithm"], h["value"]) for h in d.get("hashes", [])),
        go_module_hash=d.get("go_module_hash"),
        pinned=d.get("pinned"),
    )


def _load_scan(d: JsonDict) -> ScanInfo:
    stats = d.get("stats", {})
    return ScanInfo(
        tools=tuple(Tool(**t) for t in d.get("tools", [])),
        timestamp=d.get("timestamp"),
        issues=tuple(
            ScanIssue(kind=IssueKind(i["kind"]), path=i["path"], message=i["message"])
            for i in d.get("issues", [])
        ),
        excluded=tuple(Exclusion(**e) for e in d.get("excluded", [])),
        stats=ScanStats(**stats),
        environments=tuple(d.get("environments", [])),
    )
