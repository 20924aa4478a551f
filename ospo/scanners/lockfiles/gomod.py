# SPDX-License-Identifier: Apache-2.0
"""Go modules: ``go.mod`` and the ``go.sum`` beside it.

``require`` lines name the modules the build uses; one marked ``// indirect`` is a
transitive dependency, the others are direct. Since Go 1.17 (``go 1.17`` or later in the
file) go.mod lists every module the build needs; an older go.mod lists only some, so the
modules ``go.sum`` has a full ``h1:`` hash for (not only a ``/go.mod`` hash) are added as
transitive dependencies, the highest version of each. A ``replace`` by another module
(``old => new v1.2.3``) puts the new coordinates in place of the old; a ``replace`` by a
directory (``old => ../old``) makes the module local, first-party code, and it is left
out. A version go.mod excludes is never selected: a required one has no version. Go has
no development scope: every module is runtime. Neither file records a license or the
dependency graph.

go.sum's ``h1:`` hash of each module used (of the replacement, when go.mod replaces it) is
kept as the component's ``go_module_hash``, as go.sum writes it: a SHA-256 over Go's listing
of the module's files and their own SHA-256s, not of the module's .zip, so it is not among
the artifact hashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ospo.errors import InputError, quote
from ospo.model import Component, IssueKind, ScanIssue, Scope, go_module_hash
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner, manifest_issue
from ospo.scanners.lockfiles.components import make_component
from ospo.scanners.lockfiles.reading import read_text, sibling

_GO_VERSION = re.compile(r"^(\d+)\.(\d+)")
_VERSION = re.compile(r"^v\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$")
_BLOCKS = frozenset({"require", "replace", "exclude", "retract", "tool", "ignore", "godebug"})
_SINGLE = frozenset({"module", "go", "toolchain"})
#: Neither go.mod nor go.sum records a license.
NO_LICENSE_IN_GO_MOD = (
    "go.mod records no license; import an SBOM made from the module cache (--import-sbom)"
)
#: Where a required version is excluded: Go selects another one, which go.mod does not name.
EXCLUDED_VERSION = "go.mod excludes the version it requires; the version Go selects is not recorded"


@dataclass(slots=True)
class GoMod:
    """What a go.mod says, directive by directive."""

    module: str | None = None
    go: str | None = None
    requires: list[tuple[str, str, bool]] = field(default_factory=list)  # path, version, indirect
    replaces: dict[tuple[str, str | None], tuple[str, str | None]] = field(default_factory=dict)
    excludes: set[tuple[str, str]] = field(default_factory=set)


def parse_go_mod(source: str, rel: str) -> GoMod:
    """Parse the text of a go.mod; raise ``InputError`` with the line on a syntax error."""
    mod = GoMod()
    block: str | None = None
    for number, raw in enumerate(source.splitlines(), 1):
        code, _, comment = raw.partition("//")
        indirect = comment.strip().startswith("indirect")
        words = _words(code, rel, number)
        if not words:
            continue
        if block is not None:
            if words == [")"]:
                block = None
                continue
            _directive(mod, block, words, indirect, rel, number)
            continue
        verb, args = words[0], words[1:]
        if verb in _BLOCKS and args == ["("]:
            block = verb
            continue
        if verb not in _BLOCKS and verb not in _SINGLE:
            raise InputError(f"not a go.mod directive: {verb!r}", path=rel, line=number)
        _directive(mod, verb, args, indirect, rel, number)
    if block is not None:
        raise InputError(f"the {block} block is not closed with ')'", path=rel)
    return mod


def _words(code: str, rel: str, number: int) -> list[str]:
    """Split a go.mod line into words; quoted strings ("…" or `…`) are one word."""
    words: list[str] = []
    for found in re.finditer(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)', code):
        quoted, raw_quoted, bare = found.groups()
        word = quoted if quoted is not None else raw_quoted if raw_quoted is not None else bare
        if bare is not None and ('"' in bare or "`" in bare):
            raise InputError("unterminated quoted string", path=rel, line=number)
        words.append(word)
    return words


def _directive(
    mod: GoMod, verb: str, args: list[str], indirect: bool, rel: str, number: int
) -> None:
    def need(count: int, form: str) -> None:
        if len(args) != count:
            raise InputError(f"usage: {verb} {form}", path=rel, line=number)

    if verb == "module":
        need(1, "module/path")
        mod.module = args[0]
    elif verb == "go":
        need(1, "1.N")
        mod.go = args[0]
    elif verb == "require":
        need(2, "module/path vX.Y.Z")
        mod.requires.append((args[0], _version(args[1], rel, number), indirect))
    elif verb == "exclude":
        need(2, "module/path vX.Y.Z")
        mod.excludes.add((args[0], _version(args[1], rel, number)))
    elif verb == "replace":
        if "=>" not in args:
            raise InputError("usage: replace module/path [vX.Y.Z] => target", path=rel, line=number)
        arrow = args.index("=>")
        old, new = args[:arrow], args[arrow + 1 :]
        if len(old) not in (1, 2) or len(new) not in (1, 2):
            raise InputError("usage: replace module/path [vX.Y.Z] => target", path=rel, line=number)
        old_version = _version(old[1], rel, number) if len(old) == 2 else None
        new_version = _version(new[1], rel, number) if len(new) == 2 else None
        mod.replaces[(old[0], old_version)] = (new[0], new_version)
    # toolchain, retract, tool, ignore, godebug: nothing an inventory needs


def _version(word: str, rel: str, number: int) -> str:
    if not _VERSION.match(word):
        raise InputError(f"not a module version: {word!r}", path=rel, line=number)
    return word


def _complete(go: str | None) -> bool:
    """Whether a go.mod of this ``go`` version lists every module the build needs (≥ 1.17)."""
    found = _GO_VERSION.match(go or "")
    return found is not None and (int(found.group(1)), int(found.group(2))) >= (1, 17)


def _sum_modules(source: str) -> dict[str, list[str]]:
    """Return the versions go.sum has a full ``h1:`` hash for (not only ``/go.mod``), by path."""
    out: dict[str, list[str]] = {}
    for line in source.splitlines():
        words = line.split()
        if len(words) == 3 and not words[1].endswith("/go.mod"):
            out.setdefault(words[0], []).append(words[1])
    return out


def _sum_hashes(source: str, rel: str) -> tuple[dict[tuple[str, str], str], list[ScanIssue]]:
    """Return go.sum's ``h1:`` hash of each module version (not of its ``/go.mod``), and a
    ``manifest`` issue for each hash that is damaged; another hash scheme is passed over."""
    hashes: dict[tuple[str, str], str] = {}
    issues = []
    for number, line in enumerate(source.splitlines(), 1):
        words = line.split()
        if words and len(words) != 3:
            issues.append(
                ScanIssue(
                    kind=IssueKind.MANIFEST,
                    path=rel,
                    message=f"line {number}: not a go.sum line (module, version and hash): "
                    f"{quote(line.strip())}; it is not read",
                )
            )
            continue
        if len(words) != 3 or words[1].endswith("/go.mod") or not words[2].startswith("h1:"):
            continue
        value = go_module_hash(words[2])
        if value is None:
            issues.append(
                ScanIssue(
                    kind=IssueKind.MANIFEST,
                    path=rel,
                    message=f"line {number}: not a Go module hash (h1: and the base64 of a "
                    f"SHA-256): {words[2]!r}; the hash of {words[0]} {words[1]} is not recorded",
                )
            )
        else:
            hashes[(words[0], words[1])] = value
    return hashes, issues


def _semver_key(version: str) -> tuple[tuple[int, ...], int, str]:
    """Order module versions: release numbers, then releases above pre-releases."""
    core, _, rest = version.lstrip("v").partition("-")
    core = core.split("+")[0]
    numbers = tuple(int(n) if n.isdigit() else 0 for n in core.split("."))
    return numbers, 0 if rest else 1, rest


def golang_purl(path: str, version: str | None) -> str:
    """Return ``pkg:golang/<module path>@<version>`` (the namespace ends at the last ``/``)."""
    from packageurl import PackageURL

    namespace, _, name = path.rpartition("/")
    return PackageURL(
        type="golang", namespace=namespace or None, name=name, version=version
    ).to_string()


def _is_local(target: str) -> bool:
    return target.startswith(("./", "../", "/")) or target in (".", "..")


class GoModScanner(ManifestScanner):
    """Modules required by a ``go.mod`` (with its ``go.sum`` for files before Go 1.17)."""

    name = "go-mod"
    file_names = file_names_of("go-mod")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component | ScanIssue]:
        """Return the required modules, direct or transitive, all runtime, with the hash
        go.sum records for each; a damaged go.sum line is an issue."""
        mod = parse_go_mod(read_text(root, rel), rel)
        results: list[Component | ScanIssue] = []
        go_sum: str | None = None
        if "go.sum" in siblings:
            try:
                go_sum = read_text(root, sibling(rel, "go.sum"))
            except InputError as exc:
                results.append(
                    manifest_issue(
                        sibling(rel, "go.sum"),
                        exc,
                        "its module hashes (and, before go 1.17, its modules) are missing",
                    )
                )
        hashes: dict[tuple[str, str], str] = {}
        if go_sum is not None:
            hashes, issues = _sum_hashes(go_sum, sibling(rel, "go.sum"))
            results += issues
        found: dict[tuple[str, str], tuple[bool, str | None]] = {}  # (path, version) -> direct
        for path, version, indirect in mod.requires:
            if (path, version) in mod.excludes:
                found[(path, version)] = (not indirect, EXCLUDED_VERSION)
            else:
                found.setdefault((path, version), (not indirect, None))
        if not _complete(mod.go) and go_sum is not None:
            required = {path for path, _ in found}
            for path, versions in _sum_modules(go_sum).items():
                allowed = [v for v in versions if (path, v) not in mod.excludes]
                if path in required or path == mod.module or not allowed:
                    continue
                found[(path, max(allowed, key=_semver_key))] = (False, None)
        reason = NO_LICENSE_IN_GO_MOD
        for (path, version), (direct, excluded) in sorted(found.items()):
            target = mod.replaces.get((path, version)) or mod.replaces.get((path, None))
            name, actual = path, version  # type: tuple[str, str | None]
            if target is not None:
                if target[1] is None and _is_local(target[0]):
                    continue  # replaced by a directory of the same tree: first-party code
                name, actual = target[0], target[1] or version
            if excluded:
                actual = None
            component = make_component(
                purl=golang_purl(name, actual),
                name=name,
                version=actual,
                scope=Scope.RUNTIME,
                direct=direct,
                location=rel,
                unknown_reason=f"{excluded}; {reason}" if excluded else reason,
            )
            # the hash of the module that is used: a replacement's own, if go.sum has it
            module_hash = hashes.get((name, actual)) if actual else None
            results.append(replace(component, go_module_hash=module_hash))
        return results
