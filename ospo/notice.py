# SPDX-License-Identifier: Apache-2.0
"""The attribution file a release ships with (``ospo notice``).

:func:`build_notice` gathers, for every component that ships (runtime and optional scopes,
vendored code included; dev and test left out and counted), its identity, its effective
license and the alternative the policy elects from an OR choice, its copyright statements
with the holders merged, its own license files and NOTICE files verbatim where ospo can read
them (an installed environment, a vendored directory, ``node_modules``), and the license
texts it needs that its own files do not hold, taken once each from ScanCode's license
data. :func:`render_notice` writes it as text, HTML or Markdown from the Jinja2 templates
``templates/notice.*.j2``; :func:`compare` tells whether a committed NOTICE is stale.

The same inventory gives byte-identical output: everything is sorted and nothing carries
the time of the run.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ospo import licensing
from ospo.model import Component, FileEntry, Inventory, LicenseSource

if TYPE_CHECKING:
    from ospo.cache import ResultCache
    from ospo.policy import Policy

#: Output format -> template in ``templates/``.
FORMATS = {"text": "notice.text.j2", "html": "notice.html.j2", "md": "notice.md.j2"}

#: The note the environment scanners give a file that holds one alternative of a choice.
_ALTERNATIVE_NOTE = "the text of one alternative of the choice"


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeFile:
    """A license or NOTICE file of a component, carried over verbatim."""

    path: str  # where it is: relative to the environment or the scanned tree
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribution:
    """One shipped component as the NOTICE states it."""

    purl: str
    name: str
    version: str | None
    scope: str
    license: str | None  # the effective license; None when unknown
    elected: str | None  # the alternative the policy elects from an OR choice
    unknown_reason: str | None
    vendored_path: str | None
    copyrights: tuple[str, ...]
    license_files: tuple[NoticeFile, ...]
    notice_files: tuple[NoticeFile, ...]
    #: own license files left out, each with why (the text of an alternative not elected)
    not_carried: tuple[tuple[str, str], ...]
    texts: tuple[str, ...]  # ids whose text is in the notice's license texts section
    unresolved: tuple[str, ...]  # ids whose text is known nowhere


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenseText:
    """A license or exception text from ScanCode's license data, printed once."""

    license_id: str
    name: str
    text: str
    used_by: tuple[str, ...]  # "name version" of the components that need it


@dataclass(frozen=True, slots=True, kw_only=True)
class Unresolved:
    """A license whose text neither the component nor ScanCode's data holds."""

    license_id: str
    used_by: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """The attribution file of one release."""

    product: str
    version: str | None
    components: tuple[Attribution, ...]
    texts: tuple[LicenseText, ...]
    unresolved: tuple[Unresolved, ...]
    left_out: tuple[tuple[str, int], ...]  # (scope, how many components) not shipped

    @property
    def unknown(self) -> tuple[Attribution, ...]:
        """The shipped components whose license is unknown."""
        return tuple(a for a in self.components if a.license is None)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeDiff:
    """How a committed NOTICE differs from the one the release needs."""

    added: tuple[str, ...]  # purls the committed file lacks
    removed: tuple[str, ...]  # purls it lists that no longer ship
    texts_missing: tuple[str, ...]  # license texts it lacks

    def summary(self) -> list[str]:
        """Short lines saying what changed."""
        lines = []
        if self.added:
            lines.append(f"components added: {', '.join(self.added)}")
        if self.removed:
            lines.append(f"components removed: {', '.join(self.removed)}")
        if self.texts_missing:
            lines.append(f"license texts missing: {', '.join(self.texts_missing)}")
        if not lines:
            lines.append(
                "the same components, but their attribution differs "
                "(licenses, copyrights, license or NOTICE files)"
            )
        return lines


def build_notice(
    inventory: Inventory,
    policy: Policy,
    *,
    profile: str | None = None,
    root: Path | None = None,
    today: date | None = None,
) -> Notice:
    """Return the NOTICE of ``inventory``.

    The policy (under ``profile``, else the inventory's or the policy's default) elects
    the alternative of every OR choice, as ``ospo check`` does. ``root`` is the scanned
    tree: vendored files are read from it when their content still has the recorded hash.
    """
    from ospo.licensedb import license_table
    from ospo.policy import resolve_profile
    from ospo.policy.judge import Context, Judge
    from ospo.policy.rules import RuleContext

    chosen = resolve_profile(policy, profile, inventory)
    ctx = RuleContext(
        inventory=inventory,
        policy=policy,
        judge=Judge(policy),
        profile=chosen,
        today=today or date.today(),
    )
    files_of: dict[str, list[FileEntry]] = {}
    for entry in inventory.files:
        if entry.package is not None:
            files_of.setdefault(entry.package, []).append(entry)
    bases = tuple(Path(e) for e in inventory.scan.environments)
    table = license_table()
    left_out: dict[str, int] = {}
    attributions = []
    needs: dict[str, set[str]] = {}
    copyrights = _CopyrightReader()
    try:
        for comp in inventory.components:
            if not ctx.shipped(comp):
                left_out[comp.scope.value] = left_out.get(comp.scope.value, 0) + 1
                continue
            elected = None
            if comp.license_expression is not None:
                elected = ctx.judge.judge(
                    comp.license_expression,
                    Context(
                        profile=chosen,
                        shipped=True,
                        linkage=ctx.linkage(comp),
                        outbound=inventory.subject.declared_license,
                    ),
                ).elected
            own = _own_files(comp, files_of.get(comp.purl, ()), bases, root, copyrights)
            attribution = _attribute(comp, elected, own)
            label = _label(comp)
            for license_id in attribution.texts:
                needs.setdefault(license_id, set()).add(label)
            attributions.append(attribution)
    finally:
        copyrights.close()
    texts, unresolved = [], []
    for license_id in sorted(needs, key=str.lower):
        info = table.lookup(license_id)
        text = _scancode_text(info.key) if info is not None else None
        used_by = tuple(sorted(needs[license_id], key=str.lower))
        if info is None or text is None:
            unresolved.append(Unresolved(license_id=license_id, used_by=used_by))
        else:
            texts.append(
                LicenseText(license_id=license_id, name=info.name, text=text, used_by=used_by)
            )
    missing = {u.license_id for u in unresolved}
    attributions = [_resolved(a, missing) for a in attributions]
    return Notice(
        product=inventory.subject.name,
        version=inventory.subject.version,
        components=tuple(
            sorted(attributions, key=lambda a: (a.name.lower(), a.name, a.version or "", a.purl))
        ),
        texts=tuple(texts),
        unresolved=tuple(unresolved),
        left_out=tuple(sorted(left_out.items())),
    )


def _label(comp: Component) -> str:
    return f"{comp.name} {comp.version}" if comp.version else comp.name


def _resolved(attribution: Attribution, missing: set[str]) -> Attribution:
    """Move the ids without a known text from ``texts`` to ``unresolved``."""
    from dataclasses import replace

    gone = tuple(i for i in attribution.texts if i in missing)
    if not gone:
        return attribution
    return replace(
        attribution,
        texts=tuple(i for i in attribution.texts if i not in missing),
        unresolved=gone,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _OwnFile:
    path: str  # as the NOTICE shows it
    location: str  # as the component's evidence names it
    text: str
    notice: bool
    license_expression: str | None  # vendored files: what was detected in the file


@dataclass(frozen=True, slots=True, kw_only=True)
class _Own:
    files: tuple[_OwnFile, ...]
    copyrights: tuple[tuple[str, tuple[str, ...]], ...]  # (statement, holders of its file)


class _CopyrightReader:
    """The copyright statements and holders of a file as ScanCode finds them: from the
    result cache the scan filled (by content), else detected now."""

    def __init__(self) -> None:
        self._cache: ResultCache | None = None
        self._opened = False

    def __call__(self, path: Path, data: bytes) -> tuple[list[tuple[str, int]], tuple[str, ...]]:
        """``([(statement, end line)], holders)`` of the file at ``path`` holding ``data``."""
        if not self._opened:
            self._opened = True
            from ospo.cache import ResultCache
            from ospo.engine.scancode_engine import engine_key

            self._cache = ResultCache.open(engine_key())
        sha = hashlib.sha256(data).hexdigest()
        record = self._cache.get_many([sha]).get(sha) if self._cache is not None else None
        if record is not None:
            return (
                [(c["statement"], c["end_line"]) for c in record["copyrights"]],
                tuple(record["holders"]),
            )
        from ospo.engine.copyrights import detect_copyrights

        statements, holders = detect_copyrights(str(path))
        return (
            [(c["copyright"], c["end_line"]) for c in statements],
            tuple(h["holder"] for h in holders),
        )

    def close(self) -> None:
        """Close the cache, if it was opened."""
        if self._cache is not None:
            self._cache.close()


def _own_files(
    comp: Component,
    entries: Iterable[FileEntry],
    bases: tuple[Path, ...],
    root: Path | None,
    copyrights: _CopyrightReader,
) -> _Own:
    """The component's own license and NOTICE files, with the copyrights it states."""
    from ospo.scanners.licensefiles import is_license_file

    entries = tuple(entries)
    if entries:  # vendored code: the inventory has its files and their copyrights
        files = []
        for entry in sorted(entries, key=lambda e: e.path):
            name = entry.path.rsplit("/", 1)[-1]
            if not is_license_file(name):
                continue
            text = _read_checked(root / entry.path, entry.sha256) if root is not None else None
            if text is None:
                continue
            files.append(
                _OwnFile(
                    path=entry.path,
                    location=entry.path,
                    text=text,
                    notice=_is_notice(name),
                    license_expression=entry.effective_license,
                )
            )
        texts = {f.location: f.text.splitlines() for f in files}
        return _Own(
            files=tuple(files),
            copyrights=tuple(
                (c.statement, e.holders)
                for e in sorted(entries, key=lambda e: e.path)
                for c in e.copyrights
                if not _of_the_license_document(texts.get(e.path, []), c.end_line)
            ),
        )
    home = _installed_home(comp, bases)
    if home is None:
        return _Own(files=(), copyrights=())
    directory, base = home
    found = []
    stated: list[tuple[str, tuple[str, ...]]] = []
    for path in _installed_license_files(comp, directory):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        text = data.decode("utf-8", errors="replace")
        location = _relative(path, base)
        found.append(
            _OwnFile(
                path=location,
                location=location,
                text=text,
                notice=_is_notice(path.name),
                license_expression=None,
            )
        )
        statements, holders = copyrights(path, data)
        lines = text.splitlines()
        stated.extend(
            (statement, holders)
            for statement, end_line in statements
            if not _of_the_license_document(lines, end_line)
        )
    return _Own(files=tuple(found), copyrights=tuple(stated))


def _of_the_license_document(lines: list[str], end_line: int) -> bool:
    """Whether the statement ending at ``end_line`` is the license document's own
    copyright (the FSF's on a GPL text), not the package's: the document says so next."""
    following = " ".join(" ".join(lines[end_line : end_line + 3]).split()).lower()
    return "verbatim copies of this license document" in following


def _installed_license_files(comp: Component, directory: Path) -> list[Path]:
    """The license and NOTICE files an installed package ships, chosen as its scanner
    chooses them."""
    if comp.purl.startswith("pkg:pypi/"):
        from ospo.scanners.environments.python import _dist_info_license_files

        return list(_dist_info_license_files(directory, []))
    from ospo.scanners.licensefiles import is_license_file

    return sorted(p for p in directory.iterdir() if is_license_file(p.name) and p.is_file())


def _installed_home(comp: Component, bases: tuple[Path, ...]) -> tuple[Path, Path] | None:
    """The directory of an installed package (its ``.dist-info``, its ``node_modules``
    directory) and the environment its evidence is relative to, when still on disk."""
    if not bases or not comp.purl.startswith(("pkg:pypi/", "pkg:npm/")):
        return None
    for evidence in comp.licenses:
        if evidence.location is None or evidence.source is LicenseSource.CONCLUDED:
            continue
        location = _file_part(evidence.location)
        for base in bases:
            candidate = Path(location) if Path(location).is_absolute() else base / location
            if not candidate.is_file():
                continue
            if comp.purl.startswith("pkg:npm/"):
                if (candidate.parent / "package.json").is_file():
                    return candidate.parent, base
                continue
            for parent in (candidate.parent, *candidate.parents):
                if parent.name.endswith(".dist-info"):
                    return parent, base
    return None


def _file_part(location: str) -> str:
    """The file of an evidence location: without `` (field)`` or ``:lines`` after it."""
    location = location.split(" (", 1)[0]
    return re.sub(r":[0-9][0-9, -]*$", "", location)


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _read_checked(path: Path, sha256: str) -> str | None:
    """The text of ``path`` if its content is still the one recorded, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    return data.decode("utf-8", errors="replace")


def _is_notice(name: str) -> bool:
    return name.lower().startswith("notice")


def _attribute(comp: Component, elected: str | None, own: _Own) -> Attribution:
    """The component's entry: which own files are carried, which texts it still needs."""
    expression = elected or comp.license_expression
    wanted = set(licensing.license_ids(expression)) if expression else set()
    offered = (
        set(licensing.license_ids(comp.license_expression)) if comp.license_expression else set()
    )
    granted: dict[str, set[str]] = {}  # file -> the licenses it holds the text of
    for evidence in comp.licenses:
        if evidence.source is not LicenseSource.DETECTED or not evidence.location:
            continue
        if evidence.counted or (evidence.note or "").startswith(_ALTERNATIVE_NOTE):
            found = licensing.license_ids(evidence.expression) if evidence.expression else ()
            granted.setdefault(_file_part(evidence.location), set()).update(found)
    license_files, notice_files, not_carried = [], [], []
    covered: set[str] = set()
    for item in own.files:
        if item.notice:  # Apache-2.0 §4(d): a NOTICE file is always carried over
            notice_files.append(NoticeFile(path=item.path, text=item.text))
            continue
        ids = granted.get(item.location, set())
        if elected is not None and ids and ids <= offered and not ids & wanted:
            # the text of alternatives of the choice only, none of them elected
            not_carried.append(
                (item.path, f"the text of {', '.join(sorted(ids))}, an alternative not elected")
            )
            continue
        license_files.append(NoticeFile(path=item.path, text=item.text))
        covered |= ids
        if item.license_expression:
            covered |= set(licensing.license_ids(item.license_expression))
    needed = tuple(
        i for i in (licensing.license_ids(expression) if expression else ()) if i not in covered
    )
    return Attribution(
        purl=comp.purl,
        name=comp.name,
        version=comp.version,
        scope=comp.scope.value,
        license=comp.license_expression,
        elected=elected if elected != comp.license_expression else None,
        unknown_reason=comp.unknown_reason if comp.license_expression is None else None,
        vendored_path=comp.vendored_path,
        copyrights=merge_copyrights(own.copyrights),
        license_files=tuple(license_files),
        notice_files=tuple(notice_files),
        not_carried=tuple(not_carried),
        texts=needed,
        unresolved=(),
    )


# -- copyrights ---------------------------------------------------------------------

_YEAR_RANGE = re.compile(
    r"\b((?:19|20)\d\d)\b(?:\s*(?:-|\u2013|to)\s*((?:19|20)\d\d|\d\d|present|now)\b)?", re.I
)
_MARKS = re.compile(r"copyright|\(c\)|©|all rights reserved\.?", re.I)
#: Holders a license template or boilerplate names, not a person or organisation.
_BOILERPLATE = re.compile(
    r"[<\[{]|yyyy|^(the )?(original )?(copyright )?(holders?|owners?|authors?|contributors?)"
    r"( and contributors)?( of this (software|file|project))?$|^name of (the )?copyright",
    re.I,
)


#: A year a license template leaves to fill in (W3C's "Copyright (c) YEAR W3C").
_PLACEHOLDER = re.compile(r"\b(?:YEAR|YYYY|yyyy)\b|[<\[{]year[>\]}]")


def merge_copyrights(items: Iterable[tuple[str, tuple[str, ...]]]) -> tuple[str, ...]:
    """Copyright lines, cleaned and merged: one line per holder, its year ranges joined
    where they overlap or adjoin; statements whose holder is boilerplate are dropped.

    ``items`` are (statement, holders of the statement's file) as ScanCode found them.
    """
    by_holder: dict[str, tuple[str, list[tuple[int, int]], list[str]]] = {}
    for statement, holders in items:
        statement = " ".join(statement.split())
        holder = _holder_of(statement, holders)
        if not holder or _BOILERPLATE.search(holder) or _PLACEHOLDER.search(statement):
            continue
        key = re.sub(r"[\s.,;]+", " ", holder.lower()).strip()
        shown, years, statements = by_holder.setdefault(key, (holder, [], []))
        years.extend(_years(statement))
        if statement not in statements:
            statements.append(statement)
    lines = []
    for shown, years, statements in by_holder.values():
        if len(statements) == 1:
            lines.append(statements[0])  # nothing to merge: ScanCode's statement as found
            continue
        spans = _merged(years)
        when = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
        lines.append(f"Copyright (c) {when + ' ' if when else ''}{shown}")
    return tuple(sorted(dict.fromkeys(lines), key=str.lower))


def _holder_of(statement: str, holders: tuple[str, ...]) -> str:
    """The holder a statement names: the longest of ScanCode's holders it contains, else
    the statement without its marks and years."""
    lowered = statement.lower()
    inside = [h for h in holders if h and " ".join(h.split()).lower() in lowered]
    if inside:
        return " ".join(max(inside, key=len).split()).strip(" ,.;")
    rest = _YEAR_RANGE.sub(" ", _MARKS.sub(" ", statement))
    return " ".join(rest.split()).strip(" ,.;")


def _years(statement: str) -> Iterator[tuple[int, int]]:
    for match in _YEAR_RANGE.finditer(statement):
        start = int(match.group(1))
        end_text = match.group(2)
        if end_text is None or not end_text.isdigit():
            end = start
        elif len(end_text) == 2:
            end = start // 100 * 100 + int(end_text)
        else:
            end = int(end_text)
        yield (start, end) if end >= start else (start, start)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# -- license texts ------------------------------------------------------------------


def _scancode_text(key: str) -> str | None:
    """The text of ScanCode's license ``key``: its ``.LICENSE`` file after the YAML front
    matter; None when it has none."""
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "licenses"
    try:
        raw = (path / f"{key}.LICENSE").read_text(encoding="utf-8")
    except OSError:
        return None
    if raw.startswith("---"):
        _, _, raw = raw[3:].partition("\n---\n")
    text = raw.strip("\n")
    return text if text.strip() else None


# -- rendering and checking ---------------------------------------------------------


def render_notice(notice: Notice, fmt: str) -> str:
    """Render ``notice`` as ``text``, ``html`` or ``md``."""
    from ospo.templating import render

    return render(FORMATS[fmt], notice=notice, md=markdown_inline, fence=markdown_fence)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~&(){}])")


def markdown_inline(value: object) -> str:
    """``value`` as Markdown text that cannot open a tag, a link or a structure."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def markdown_fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def format_for(path: Path) -> str:
    """The format a NOTICE file's name suggests: ``html``, ``md`` or ``text``."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    return "text"


def compare(committed: str, notice: Notice, fmt: str) -> NoticeDiff | None:
    """None when ``committed`` is exactly what ``notice`` renders to in ``fmt``; else what
    differs, as far as the committed file's listing tells."""
    if committed == render_notice(notice, fmt):
        return None
    purls, ids = _listed(committed, fmt)
    now = [a.purl for a in notice.components]
    return NoticeDiff(
        added=tuple(p for p in now if p not in purls),
        removed=tuple(sorted(purls - set(now))),
        texts_missing=tuple(t.license_id for t in notice.texts if t.license_id not in ids),
    )


def _listed(text: str, fmt: str) -> tuple[set[str], set[str]]:
    """The purls and license-text ids a rendered NOTICE lists."""

    def plain(value: str) -> str:
        if fmt == "html":
            return html.unescape(value)
        if fmt == "md":
            return re.sub(r"\\(.)", r"\1", value)
        return value

    purls = {
        plain(m)
        for m in re.findall(r"^\s*(?:- |<li>)?Package URL: (?:<code>)?([^\s<]+)", text, re.M)
    }
    ids = {plain(m) for m in re.findall(r"License text: (?:<code>)?([^\s<]+)", text)}
    return purls, ids
