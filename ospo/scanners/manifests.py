# SPDX-License-Identifier: Apache-2.0
"""What the package-manifest and lock-file scanners share.

Each format has its own scanner module (``npm``, ``yarn``, ``pnpm``, ``requirements``, ``uv``
…), a :class:`ManifestScanner` that says which file names it reads and how to parse one. This
module finds those files (not under ``node_modules/`` nor in vendored code), turns a file
that cannot be parsed into a ``manifest`` issue instead of an exception, and turns a lock
file's dependency graph into components: the scope of each package (runtime beats optional
beats dev and test, along every path from the project's own manifest), whether it is a
direct dependency, the purls it depends on, and the license the lock file records.

No ScanCode import happens here: these scanners must stay cheap on a fully cached scan.
"""

from __future__ import annotations

import json
import re
from abc import abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from fnmatch import filter as filter_names
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, NamedTuple

from ospo import licensing
from ospo.errors import InputError
from ospo.merge import merge_components, narrow_to_optional, widest_scope
from ospo.model import Component, IssueKind, LicenseEvidence, LicenseSource, ScanIssue, Scope
from ospo.scanners.base import ScanContribution, Scanner, ScanRequest
from ospo.scanners.walk import list_files

#: Where a lock file records no license.
NO_LICENSE_IN_LOCK = "{file} records no license; scan the installed environment with --env"
#: Where only a manifest (no lock file) names the package.
MANIFEST_ONLY = (
    "named in {file} with no lock file beside it: license unknown (and the version, "
    "unless pinned exactly); commit the lock file or scan the installed environment "
    "with --env"
)

_Listing = tuple[tuple[str, ...], tuple[str, ...]]
_LISTINGS: ContextVar[dict[tuple[Path, tuple[Any, ...]], _Listing] | None] = ContextVar(
    "ospo_manifest_listings", default=None
)


_CANDIDATES: ContextVar[dict[tuple[Path, tuple[Any, ...]], list[str]] | None] = ContextVar(
    "ospo_manifest_candidates", default=None
)


@contextmanager
def shared_listing() -> Iterator[None]:
    """Within this block, the scanners of one request list the tree (and pick the files
    manifest scanners read) only once."""
    from ospo.scanners.walk import shared_listings

    token = _LISTINGS.set({})
    candidates = _CANDIDATES.set({})
    try:
        with shared_listings():
            yield
    finally:
        _CANDIDATES.reset(candidates)
        _LISTINGS.reset(token)


def _listing(request: ScanRequest) -> _Listing:
    """Return (files, vendored roots) of the tree, shared inside :func:`shared_listing`."""
    from ospo.scanners.vendored import find_vendored_roots

    memo = _LISTINGS.get()
    key = (request.root, tuple(request.excludes))
    if memo is not None and key in memo:
        return memo[key]
    files = list_files(request.root, request.excludes).files
    result = (files, tuple(find_vendored_roots(files)))
    if memo is not None:
        memo[key] = result
    return result


def candidate_files(request: ScanRequest) -> list[str]:
    """Return the files of the tree that belong to the product, not to vendored code."""
    memo = _CANDIDATES.get()
    key = (request.root, tuple(request.excludes))
    if memo is not None and key in memo:
        return memo[key]
    result = _candidate_files(request)
    if memo is not None:
        memo[key] = result
    return result


def _candidate_files(request: ScanRequest) -> list[str]:
    files, vendored_roots = _listing(request)
    vendored = set(vendored_roots)
    out = []
    for rel in files:
        if rel.startswith("node_modules/") or "/node_modules/" in rel:
            continue
        if vendored and _inside(rel, vendored):
            continue
        out.append(rel)
    return out


def _inside(rel: str, roots: set[str]) -> bool:
    """Whether ``rel`` is one of ``roots`` or below one."""
    if rel in roots:
        return True
    end = rel.rfind("/")
    while end > 0:
        if rel[:end] in roots:
            return True
        end = rel.rfind("/", 0, end)
    return False


class ManifestScanner(Scanner):
    """A scanner for one family of manifest or lock files."""

    #: Glob patterns for the names of the files this scanner reads, from
    #: :mod:`ospo.scanners.catalog`. A scan asks :meth:`wants` only about files whose names
    #: match one (without regard to case), so a large tree is not offered to every scanner
    #: file by file, and does not import a scanner none of whose files it holds. Empty:
    #: every file is.
    file_names: ClassVar[tuple[str, ...]] = ()

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Return whether the file at ``rel`` (with the names of files beside it) is read:
        by default, whether its name matches one of :attr:`file_names`, as written."""
        name = rel.rpartition("/")[2]
        return any(fnmatchcase(name, pattern) for pattern in self.file_names)

    @abstractmethod
    def parse(
        self, root: Path, rel: str, siblings: frozenset[str]
    ) -> Sequence[Component | ScanIssue]:
        """Return the components the file at ``rel`` lists; raise ``InputError`` if broken.

        Issues among the results are parts of the file that could not be used (an included
        file that is missing) while the rest still counts.
        """

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Parse every file of this family in the tree; a broken one is an issue."""
        files = candidate_files(request)
        siblings = _siblings(request.root, tuple(request.excludes), files)
        if self.file_names:
            files = _named(request, files, self.file_names)
        only = request.only  # a commit's files: read only those
        if only is not None:
            wanted = set(only)
            files = [rel for rel in files if rel in wanted]
        components: list[Component] = []
        issues: list[ScanIssue] = []
        for rel in files:
            beside = siblings[rel.rpartition("/")[0]]
            if not self.wants(rel, beside):
                continue
            try:
                for item in self.parse(request.root, rel, beside):
                    if isinstance(item, ScanIssue):
                        issues.append(item)
                    else:
                        components.append(item)
            except InputError as exc:
                issues.append(_issue(rel, exc))
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
                # a shape no check above foresaw: still the file's fault, not a crash
                issues.append(
                    ScanIssue(
                        kind=IssueKind.MANIFEST,
                        path=rel,
                        message=f"unexpected structure ({type(exc).__name__}: {exc}); "
                        "its dependencies are missing from the inventory",
                    )
                )
        return ScanContribution(components=merge_components(components), issues=tuple(issues))


def _siblings(root: Path, excludes: tuple[Any, ...], files: list[str]) -> dict[str, frozenset[str]]:
    """The file names of each directory, made once per scan (every manifest scanner asks)."""
    memo = _CANDIDATES.get()
    key = (root, ("siblings", *excludes))
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    by_dir: dict[str, set[str]] = {}
    for rel in files:
        parent, _, name = rel.rpartition("/")
        by_dir.setdefault(parent, set()).add(name)
    result = {d: frozenset(names) for d, names in by_dir.items()}
    if memo is not None:
        memo[key] = result  # type: ignore[assignment]
    return result


def any_named(request: ScanRequest, patterns: tuple[str, ...]) -> bool:
    """Whether a file of the product has a name matching one of ``patterns``, ignoring case."""
    return bool(_named(request, candidate_files(request), patterns))


def _named(request: ScanRequest, files: list[str], patterns: tuple[str, ...]) -> list[str]:
    """The files (in their order) whose names match one of ``patterns``, ignoring case."""
    memo = _CANDIDATES.get()
    key = (request.root, ("names", *request.excludes))
    by_name: dict[str, list[int]] | None = None
    if memo is not None:
        by_name = memo.get(key)  # type: ignore[assignment]
    if by_name is None:
        by_name = {}
        for index, rel in enumerate(files):
            by_name.setdefault(rel.rpartition("/")[2].lower(), []).append(index)
        if memo is not None:
            memo[key] = by_name  # type: ignore[assignment]
    picked: set[int] = set()
    for pattern in patterns:
        lowered = pattern.lower()
        if any(c in lowered for c in "*?["):
            for name in filter_names(by_name, lowered):  # the pattern compiled once
                picked.update(by_name[name])
        else:
            picked.update(by_name.get(lowered, ()))
    return [files[i] for i in sorted(picked)]


def _issue(rel: str, exc: InputError) -> ScanIssue:
    return manifest_issue(exc.path or rel, exc, "its dependencies are missing from the inventory")


def manifest_issue(rel: str, exc: InputError, consequence: str) -> ScanIssue:
    """Return the ``manifest`` issue for a file that could not be used, with the line."""
    where = f"line {exc.line}: " if exc.line is not None else ""
    return ScanIssue(
        kind=IssueKind.MANIFEST, path=rel, message=f"{where}{exc.message}; {consequence}"
    )


# --- reading ---------------------------------------------------------------------------


def read_text(root: Path, rel: str) -> str:
    """Return the file's text; raise ``InputError`` if it cannot be read as UTF-8."""
    try:
        return (root / rel).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=rel) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=rel) from None


def load_json(root: Path, rel: str) -> Any:
    """Parse a JSON file; raise ``InputError`` with the line on a syntax error."""
    try:
        return json.loads(read_text(root, rel))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", path=rel, line=exc.lineno
        ) from None


_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_toml(root: Path, rel: str) -> dict[str, Any]:
    """Parse a TOML file; raise ``InputError`` with the line on a syntax error."""
    import tomllib  # imported when a TOML file is read, not by every scan

    try:
        return tomllib.loads(read_text(root, rel))
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        found = _TOML_WHERE.search(text)
        line = int(found.group(1)) if found else None
        message = _TOML_WHERE.sub("", text)
        if found:
            message += f" (column {found.group(2)})"
        raise InputError(f"not valid TOML: {message}", path=rel, line=line) from None


def load_yaml(root: Path, rel: str) -> Any:
    """Parse a YAML file safely; raise ``InputError`` with the line on a syntax error."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(read_text(root, rel), Loader=loader)  # C or Python SafeLoader only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(
            f"not valid YAML: {problem}",
            path=rel,
            line=mark.line + 1 if mark is not None else None,
        ) from None


def table(value: Any, where: str, rel: str) -> dict[str, Any]:
    """Return ``value`` if it is a mapping (or missing); raise ``InputError`` otherwise."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{where} should be a table, not {_kind(value)}", path=rel)
    return value


def array(value: Any, where: str, rel: str) -> list[Any]:
    """Return ``value`` if it is a list (or missing); raise ``InputError`` otherwise."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where} should be a list, not {_kind(value)}", path=rel)
    return value


def tables(value: Any, where: str, rel: str) -> list[dict[str, Any]]:
    """Return ``value`` as a list of tables (a TOML ``[[where]]`` array, or missing); raise
    ``InputError`` naming the entry that is not one (``[[package]] #3``)."""
    return [table(item, f"{where} #{i}", rel) for i, item in enumerate(array(value, where, rel), 1)]


def text(value: Any) -> str | None:
    """Return ``value`` stripped if it is a non-empty string, else None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _kind(value: Any) -> str:
    return {
        dict: "a table",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
    }.get(type(value), type(value).__name__)


def sibling(rel: str, name: str) -> str:
    """Return the path of ``name`` in the directory of ``rel``."""
    parent = PurePosixPath(rel).parent
    return name if str(parent) == "." else f"{parent}/{name}"


# --- purls and names -------------------------------------------------------------------


def pypi_name(name: str) -> str:
    """Return the PEP 503 normalised form of a Python distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pypi_purl(name: str, version: str | None) -> str:
    """Return ``pkg:pypi/<name>@<version>``, the name as the purl spec has it: lowercase,
    ``_`` as ``-``, dots kept (``pkg:pypi/zope.interface``), as other SBOM tools write it.

    Matching across sources compares PEP 503 names (``ospo.merge.merge_key``).
    """
    from packageurl import PackageURL

    return PackageURL(type="pypi", name=name, version=version).to_string()


def npm_purl(name: str, version: str | None) -> str:
    """Return ``pkg:npm/<name>@<version>``, with a scope as the namespace (``%40scope``)."""
    from packageurl import PackageURL

    namespace = None
    if name.startswith("@") and "/" in name:
        namespace, name = name.split("/", 1)
    return PackageURL(type="npm", namespace=namespace, name=name, version=version).to_string()


_GROUP_DEV = re.compile(r"dev|doc|lint|typ|mypy|style|format|check|build|release|bench")


def group_scope(name: str, default: Scope) -> Scope:
    """Return the scope a named extra or dependency group stands for.

    ``test``/``tests``/``testing`` groups are test; development tooling (``dev``, ``docs``,
    ``lint``, ``typing`` …) is dev; anything else keeps ``default`` (an extra is optional,
    a dependency group is dev).
    """
    lowered = name.lower()
    if "test" in lowered:
        return Scope.TEST
    if _GROUP_DEV.search(lowered):
        return Scope.DEV
    return default


# --- hashes ----------------------------------------------------------------------------

_SRI_ALGORITHMS = {"sha1": "SHA-1", "sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}
_HEX_LENGTHS = {"SHA-1": 40, "SHA-256": 64, "SHA-384": 96, "SHA-512": 128}


def integrity_hashes(value: Any) -> tuple[tuple[str, str], ...]:
    """Return (algorithm, hex) for each hash of a Subresource Integrity string.

    npm, pnpm and Yarn record ``sha512-<base64>`` (several separated by spaces at times);
    anything else (Yarn Berry's own checksum format, a damaged value) gives nothing.
    """
    import base64
    import binascii

    found = []
    for token in value.split() if isinstance(value, str) else ():
        algorithm, _, encoded = token.partition("-")
        name = _SRI_ALGORITHMS.get(algorithm.lower())
        if name is None:
            continue
        try:
            digest = base64.b64decode(encoded, validate=True).hex()
        except (binascii.Error, ValueError):
            continue
        if len(digest) == _HEX_LENGTHS[name]:
            found.append((name, digest))
    return tuple(sorted(set(found)))


def hex_hash(algorithm: str, value: Any) -> tuple[tuple[str, str], ...]:
    """Return ((algorithm, hex),) if ``value`` is a hex digest of that algorithm, else ()."""
    if isinstance(value, str) and len(value) == _HEX_LENGTHS[algorithm]:
        lowered = value.lower()
        if all(c in "0123456789abcdef" for c in lowered):
            return ((algorithm, lowered),)
    return ()


def base64_hash(algorithm: str, value: Any) -> tuple[tuple[str, str], ...]:
    """Return ((algorithm, hex),) for a base64 digest of that algorithm (NuGet), else ()."""
    import base64
    import binascii

    if not isinstance(value, str):
        return ()
    try:
        digest = base64.b64decode(value, validate=True).hex()
    except (binascii.Error, ValueError):
        return ()
    return ((algorithm, digest),) if len(digest) == _HEX_LENGTHS[algorithm] else ()


# --- components ------------------------------------------------------------------------


def declared_evidence(raw: Any, location: str) -> LicenseEvidence | None:
    """Return declared-license evidence for a recorded license value, checked, or None."""
    if isinstance(raw, dict):
        raw = raw.get("type")
    if isinstance(raw, list):
        names = [text(x.get("type") if isinstance(x, dict) else x) for x in raw]
        raw = " OR ".join(n for n in names if n) or None
    value = text(raw)
    if value is None:
        return None
    checked = licensing.check(value)
    return LicenseEvidence(
        expression=checked.normalized or value,
        source=LicenseSource.DECLARED,
        location=location,
        valid=checked.valid,
        note=None if checked.valid else "; ".join(checked.errors),
    )


def make_component(
    *,
    purl: str,
    name: str,
    version: str | None,
    scope: Scope,
    direct: bool,
    dependencies: Sequence[str] = (),
    license: Any = None,
    location: str,
    unknown_reason: str,
    hashes: tuple[tuple[str, str], ...] = (),
) -> Component:
    """Return a component with its declared license (if recorded) and effective license."""
    evidence = declared_evidence(license, location)
    expression: str | None = None
    reason: str | None = unknown_reason
    if evidence is not None:
        expression, reason = licensing.effective_license([evidence.expression or ""], [])
    return Component(
        purl=purl,
        name=name,
        version=version,
        scope=scope,
        direct=direct,
        license_expression=expression,
        licenses=(evidence,) if evidence is not None else (),
        unknown_reason=None if expression else reason,
        dependencies=tuple(sorted(set(dependencies) - {purl})),
        hashes=hashes,
    )


def add_root(roots: dict[str, Scope], key: str, scope: Scope) -> None:
    """Record that the project asks for ``key`` in a ``scope`` section (the widest wins)."""
    roots[key] = widest_scope(roots[key], scope) if key in roots else scope


class LockedPackage(NamedTuple):
    """A package as one lock file records it, before scopes are worked out."""

    key: str  # unique in its lock file: a node_modules path, name@version, …
    name: str
    version: str | None
    purl: str
    requires: tuple[str, ...] = ()  # keys of what it needs
    optional_requires: tuple[str, ...] = ()  # keys of what it may use
    scope: Scope | None = None  # when the lock file says
    direct: bool | None = None  # when the lock file says
    license: Any = None  # as recorded, None when not
    hashes: tuple[tuple[str, str], ...] = ()  # (algorithm, hex) of the artifact, if recorded


def assemble(
    packages: Sequence[LockedPackage],
    roots: Mapping[str, Scope],
    *,
    location: str,
    unknown_reason: str,
) -> list[Component]:
    """Turn a lock file's graph into components.

    ``roots`` are the keys the project's own manifest asks for, with the scope of the
    section that asks; a package's scope is the widest over every path from a root
    (through an optional edge, runtime becomes optional), unless the lock file says.
    Without roots, the packages nothing depends on are taken as direct, and a package the
    lock file gives no scope for is runtime (the safe side for compliance).
    """
    by_key = {p.key: p for p in packages}
    computed: dict[str, Scope] = {}
    work = [(k, s) for k, s in roots.items() if k in by_key]
    while work:
        key, scope = work.pop()
        known = computed.get(key)
        if known is not None and widest_scope(known, scope) is known:
            continue
        computed[key] = scope if known is None else widest_scope(known, scope)
        pkg = by_key[key]
        work += [(k, scope) for k in pkg.requires if k in by_key]
        work += [(k, narrow_to_optional(scope)) for k in pkg.optional_requires if k in by_key]
    depended_on = {k for p in packages for k in (*p.requires, *p.optional_requires)}
    components = []
    for pkg in packages:
        if pkg.direct is not None:
            direct = pkg.direct
        elif roots:
            direct = pkg.key in roots
        else:
            direct = pkg.key not in depended_on
        scope = pkg.scope or computed.get(pkg.key) or Scope.RUNTIME
        deps = [by_key[k].purl for k in (*pkg.requires, *pkg.optional_requires) if k in by_key]
        components.append(
            make_component(
                purl=pkg.purl,
                name=pkg.name,
                version=pkg.version,
                scope=scope,
                direct=direct,
                dependencies=deps,
                license=pkg.license,
                location=location,
                unknown_reason=unknown_reason,
                hashes=pkg.hashes,
            )
        )
    return components
