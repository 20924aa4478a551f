# SPDX-License-Identifier: Apache-2.0
"""Bundler's lock file: ``Gemfile.lock`` (``gems.locked``), with the ``Gemfile`` beside it.

The lock file lists, per source (``GEM`` for a gem server, ``GIT``, ``PATH``), the gems it
resolved as ``name (version)`` or ``name (version-platform)`` under ``specs:``, each followed
by the gems it needs; ``DEPENDENCIES`` lists what the Gemfile asks for (``!`` marks a gem
from a git or path source). Gems from a ``PATH`` source are code in the same tree (the
project's own gem, a sibling gem of a monorepo) and are left out; what they need counts as
asked for by the project.

A gem locked for several platforms (``nokogiri (1.19.4)``, ``nokogiri
(1.19.4-x86_64-linux-gnu)``, ``nokogiri (1.19.4-arm64-darwin)``) is one component per
platform: each is a different .gem file, and which one is installed depends on the machine.
All of them share the gem's scope and direct flag, and a gem that needs ``nokogiri`` depends
on every one. Bundler 2.6 and later may add a ``CHECKSUMS`` section: the SHA-256 of each .gem
file (``name (version-platform) sha256=<hex>``), which becomes the component's hash; a gem
from git or a path has no checksum there.

The Gemfile is Ruby code: it is never run, only read with regular expressions for
``gem`` lines, ``group … do … end`` blocks and ``group:``/``groups:`` options. A gem in no
group is runtime; ``:development`` is dev, ``:test`` is test, a gem in both is dev (the
wider). Without the Gemfile every gem the lock file's ``DEPENDENCIES`` name is a runtime
root. Scopes of the other gems follow the graph. A Gemfile.lock records no license.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ospo.errors import InputError
from ospo.merge import widest_scope
from ospo.model import Component, IssueKind, ScanIssue, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import (
    NO_LICENSE_IN_LOCK,
    LockedPackage,
    add_root,
    assemble,
    group_scope,
)
from ospo.scanners.lockfiles.hashes import hex_hash
from ospo.scanners.lockfiles.reading import read_text, sibling

_LOCK_NAMES = {"Gemfile.lock": "Gemfile", "gems.locked": "gems.rb"}
_SOURCES = frozenset({"GEM", "GIT", "PATH", "PLUGIN SOURCE"})
# as Bundler's own lock-file parser splits them: the version ends at the first "-"
_SPEC = re.compile(r"^ {4}(?! )([^ (]+) \(([^-)]*)(?:-([^)]*))?\)$")
_SPEC_DEP = re.compile(r"^ {6}(?! )([^ (]+)(?: \(([^)]*)\))?$")
_DEPENDENCY = re.compile(r"^ {2}(?! )([^ (!]+)(?: \(([^)]*)\))?(!)?$")
_SOURCE_OPTION = re.compile(r"^ {2}(?! )[a-z_]+: ")
_CHECKSUM = re.compile(r"^ {2}(?! )([^ (]+ \([^)]*\))(?: (\S+))?$")
_MISSING = "that gem is missing from the inventory"


class GemfileLockScanner(ManifestScanner):
    """Gems recorded in Bundler's ``Gemfile.lock``."""

    name = "gemfile-lock"
    file_names = file_names_of("gemfile-lock")

    def parse(self, root: Path, rel: str, siblings: frozenset[str]) -> list[Component | ScanIssue]:
        """Return the locked gems with scope and edges; garbled lines are issues."""
        lock = _parse_lock(read_text(root, rel), rel)
        name = rel.rpartition("/")[2]
        gemfile = sibling(rel, _LOCK_NAMES[name])
        groups = read_gemfile_groups(root, gemfile) if _LOCK_NAMES[name] in siblings else None
        by_name: dict[str, list[str]] = {}
        for spec in lock.specs:
            if not spec.local:
                by_name.setdefault(spec.name, []).append(spec.key)
        packages = [
            LockedPackage(
                key=spec.key,
                name=spec.name,
                version=spec.version,
                purl=gem_purl(spec.name, spec.version, spec.platform),
                requires=tuple(k for dep in spec.requires for k in by_name.get(dep, ())),
                direct=spec.name in lock.direct,
                hashes=lock.checksums.get(spec.key, ()),
            )
            for spec in lock.specs
            if not spec.local
        ]
        roots: dict[str, Scope] = {}
        for gem in lock.direct | lock.local_direct:
            scope = _scope_of(gem, groups)
            for spec in lock.specs:
                if spec.name != gem:
                    continue
                # a local gem is first-party: what it needs is asked for in its place
                targets = spec.requires if spec.local else (spec.name,)
                for target in targets:
                    for key in by_name.get(target, ()):
                        add_root(roots, key, scope)
        components: list[Component | ScanIssue] = []
        components += assemble(
            packages, roots, location=rel, unknown_reason=NO_LICENSE_IN_LOCK.format(file=name)
        )
        components += [
            ScanIssue(
                kind=IssueKind.MANIFEST,
                path=rel,
                message=f"line {line}: {message}",
            )
            for line, message in lock.problems
        ]
        return components


def gem_purl(name: str, version: str | None, platform: str | None = None) -> str:
    """Return ``pkg:gem/<name>@<version>``, with a ``platform`` qualifier unless it is ruby."""
    from packageurl import PackageURL

    qualifiers = {"platform": platform} if platform and platform != "ruby" else None
    return PackageURL(type="gem", name=name, version=version, qualifiers=qualifiers).to_string()


@dataclass(slots=True)
class _Spec:
    name: str
    version: str | None
    platform: str | None
    local: bool  # from a PATH source: first-party code
    requires: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        platform = f"-{self.platform}" if self.platform else ""
        return f"{self.name} ({self.version}{platform})"


@dataclass(slots=True)
class _Lock:
    specs: list[_Spec] = field(default_factory=list)
    direct: set[str] = field(default_factory=set)  # DEPENDENCIES from a gem server or git
    local_direct: set[str] = field(default_factory=set)  # DEPENDENCIES from a path
    problems: list[tuple[int, str]] = field(default_factory=list)  # line, what and so what
    checksums: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # by key


def _parse_lock(content: str, rel: str) -> _Lock:
    lock = _Lock()
    section: str | None = None
    current: _Spec | None = None
    in_specs = False
    seen_section = False
    for number, raw in enumerate(content.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if not line.startswith(" "):
            section, current, in_specs, seen_section = line.strip(), None, False, True
            continue
        if section in _SOURCES:
            if line == "  specs:":
                in_specs = True
            elif _SOURCE_OPTION.match(line) and not in_specs:
                pass  # remote:, revision:, branch:, glob: …
            elif not in_specs:
                lock.problems.append(
                    (number, f"unexpected line in the {section} section; {_MISSING}")
                )
            elif found := _SPEC.match(line):
                current = _Spec(
                    name=found.group(1),
                    version=found.group(2) or None,
                    platform=found.group(3),
                    local=section == "PATH",
                )
                lock.specs.append(current)
            elif (found := _SPEC_DEP.match(line)) and current is not None:
                current.requires.append(found.group(1))
            else:
                current = None  # its dependencies would be attached to the wrong gem
                lock.problems.append(
                    (number, f"not a gem specification: {line.strip()!r}; {_MISSING}")
                )
        elif section == "DEPENDENCIES":
            found = _DEPENDENCY.match(line)
            if found is None:
                lock.problems.append((number, f"not a dependency: {line.strip()!r}; {_MISSING}"))
            else:
                lock.direct.add(found.group(1))
        elif section == "CHECKSUMS":
            _read_checksum(lock, number, line)
    if not seen_section:
        raise InputError(
            "not a Gemfile.lock: it has no GEM, PATH or DEPENDENCIES section", path=rel
        )
    local = {s.name for s in lock.specs if s.local}
    lock.local_direct = lock.direct & local
    lock.direct -= local
    return lock


def _read_checksum(lock: _Lock, number: int, line: str) -> None:
    """Record the SHA-256 of one ``CHECKSUMS`` line (``name (version) sha256=<hex>``).

    Bundler writes ``algorithm=digest`` pairs separated by commas and knows only sha256;
    another algorithm is passed over. A gem from git or a path has no digest at all.
    """
    found = _CHECKSUM.match(line)
    if found is None:
        lock.problems.append(
            (number, f"not a checksum: {line.strip()!r}; no gem's hash is taken from it")
        )
        return
    key, digests = found.groups()
    hashes: list[tuple[str, str]] = []
    for pair in (digests or "").split(","):
        algorithm, _, digest = pair.partition("=")
        if algorithm != "sha256":
            continue
        recorded = hex_hash("SHA-256", digest)
        hashes += recorded
        if not recorded:
            lock.problems.append(
                (number, f"not a SHA-256 digest for {key}: {digest!r}; its hash is not recorded")
            )
    if hashes:
        lock.checksums[key] = tuple(hashes)


# --- the Gemfile -------------------------------------------------------------------------

_GEM = re.compile(r"""^\s*gem\s*\(?\s*["']([^"']+)["'](.*)$""")
_GROUP_BLOCK = re.compile(r"^\s*group\s*\(?(.+?)\)?\s+do\s*(?:\|[^|]*\|)?\s*(?:#.*)?$")
_OPENS_BLOCK = re.compile(
    r"(?:\bdo\s*(?:\|[^|]*\|)?|^\s*(?:if|unless|case|begin|while|until)\b.*)\s*(?:#.*)?$"
)
_ENDS_BLOCK = re.compile(r"^\s*end\b")
_GROUP_OPTION = re.compile(
    r"""(?:\bgroups?\s*:|:groups?\s*=>)\s*(\[[^\]]*\]|:\w+|["'][^"']+["'])"""
)
_NAME = re.compile(r"""[:"']?(\w+)""")


def read_gemfile_groups(root: Path, rel: str) -> dict[str, set[str]] | None:
    """Return, for each gem a Gemfile names, the groups it is in (empty: no group).

    The Gemfile is read, never run; a gem named more than once (under ``platforms`` or an
    ``if``) is in every group any of its lines puts it in. Returns None if it is unreadable.
    """
    try:
        content = read_text(root, rel)
    except InputError:
        return None
    groups: dict[str, set[str]] = {}
    stack: list[set[str]] = []
    for line in content.splitlines():
        code = "" if line.lstrip().startswith("#") else line
        if _ENDS_BLOCK.match(code):
            if stack:
                stack.pop()
            continue
        if found := _GROUP_BLOCK.match(code):
            stack.append({n.lower() for n in _NAME.findall(found.group(1))})
            continue
        if found := _GEM.match(code):
            names = set().union(*stack) if stack else set()
            option = _GROUP_OPTION.search(found.group(2))
            if option:
                names |= {n.lower() for n in _NAME.findall(option.group(1))}
            groups.setdefault(found.group(1), set()).update(names)
            if not names:
                groups[found.group(1)].add("default")
            continue
        if _OPENS_BLOCK.search(code):
            stack.append(set())
    return groups


def _scope_of(gem: str, groups: dict[str, set[str]] | None) -> Scope:
    """The scope the Gemfile's groups give ``gem``; runtime when no group or no Gemfile."""
    names = (groups or {}).get(gem) or {"default"}
    return widest_scope(
        *(Scope.RUNTIME if n == "default" else group_scope(n, Scope.RUNTIME) for n in names)
    )
