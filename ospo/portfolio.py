# SPDX-License-Identifier: Apache-2.0
"""The portfolio: every published release of every product, in PostgreSQL, and the
questions asked across them ("which releases ship log4j-core 2.14.1?", "which ship any
AGPL component?").

Relational tables hold what is queried: products, releases, the components of each release
(purl, the package without its version, name, version, type, scope, effective license with
its ids and classes), the findings of its evaluation, and one roll-up per release of the
license ids and classes it ships with how many components bring each (never one row per
file). The rest of a release (its subject, verdict, counts, policy) is one jsonb summary.
The tables are created by the first publish. Rows are copied in with COPY.

Publishing is idempotent: a release is known by product and release name, and carries the
digest of its inventory (:func:`ospo.signoff.inventory_digest`). Publishing the same
contents again changes nothing; other contents under the same name are refused unless
replacing is asked for.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from ospo.errors import InputError, OperationalError
from ospo.model import Inventory, Scope

if TYPE_CHECKING:
    import psycopg

    from ospo.policy.judge import Classifier
    from ospo.policy.loader import Policy

#: The environment variable naming the portfolio's store (before the cache's URL).
STORE_VARIABLE = "OSPO_STORE_URL"
#: Seconds to wait for a server (unless the URL sets its own ``connect_timeout``).
_CONNECT_TIMEOUT = 10
#: Serialises creating the tables among publishers meeting a new database at once.
_SCHEMA_LOCK = 0x6F73706F + 1
#: The scopes that ship with the product: what the license roll-up and queries count.
SHIPPED = (Scope.RUNTIME.value, Scope.OPTIONAL.value)
#: The roll-up's id for a component whose license is unknown (SPDX's word for it).
UNKNOWN_LICENSE = "NOASSERTION"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS ospo_products ("
    " id bigserial PRIMARY KEY, name text NOT NULL UNIQUE)",
    "CREATE TABLE IF NOT EXISTS ospo_releases ("
    " id bigserial PRIMARY KEY,"
    " product_id bigint NOT NULL REFERENCES ospo_products (id) ON DELETE CASCADE,"
    " name text NOT NULL, digest text NOT NULL, verdict text,"
    " published_at timestamptz NOT NULL DEFAULT now(), run_id text NOT NULL,"
    " summary jsonb NOT NULL, UNIQUE (product_id, name))",
    "CREATE TABLE IF NOT EXISTS ospo_components ("
    " release_id bigint NOT NULL REFERENCES ospo_releases (id) ON DELETE CASCADE,"
    " purl text NOT NULL, package text NOT NULL, name text NOT NULL, version text,"
    " type text NOT NULL, scope text NOT NULL, license_expression text,"
    " license_ids text[] NOT NULL, license_classes text[] NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ospo_components_package ON ospo_components (package, version)",
    "CREATE INDEX IF NOT EXISTS ospo_components_release ON ospo_components (release_id)",
    "CREATE TABLE IF NOT EXISTS ospo_findings ("
    " release_id bigint NOT NULL REFERENCES ospo_releases (id) ON DELETE CASCADE,"
    " rule text NOT NULL, severity text NOT NULL, component text, path text,"
    " license text, waived boolean NOT NULL, message text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ospo_findings_release ON ospo_findings (release_id)",
    "CREATE INDEX IF NOT EXISTS ospo_findings_rule ON ospo_findings (rule)",
    "CREATE TABLE IF NOT EXISTS ospo_release_licenses ("
    " release_id bigint NOT NULL REFERENCES ospo_releases (id) ON DELETE CASCADE,"
    " license_id text NOT NULL, license_class text NOT NULL, components integer NOT NULL,"
    " PRIMARY KEY (release_id, license_id, license_class))",
    "CREATE INDEX IF NOT EXISTS ospo_release_licenses_id ON ospo_release_licenses (license_id)",
    "CREATE INDEX IF NOT EXISTS ospo_release_licenses_class"
    " ON ospo_release_licenses (license_class)",
)

_COMPONENT_COLUMNS = (
    "release_id, purl, package, name, version, type, scope, license_expression,"
    " license_ids, license_classes"
)


class PublishState(StrEnum):
    """What publishing did to the release."""

    PUBLISHED = "published"
    REPLACED = "replaced"  # other contents were there, and --replace was given
    UNCHANGED = "unchanged"  # the same contents were there


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishResult:
    """What publishing a release did, and what the release holds."""

    product: str
    release: str
    digest: str
    state: PublishState
    components: int
    findings: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchedComponent:
    """A component of a release that answers the question."""

    purl: str
    name: str
    version: str | None
    scope: str
    license_expression: str | None
    finding: str | None = None  # what the finding that answers says, for relicensing


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseMatch:
    """A release that answers the question, with the components that make it answer."""

    product: str
    release: str
    verdict: str | None
    components: tuple[MatchedComponent, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """One question to the portfolio: exactly one of purl, license, category and
    relicensed; ``vers`` (a ``vers:`` range) narrows a purl without a version."""

    purl: str | None = None
    vers: str | None = None
    license: str | None = None
    category: str | None = None
    #: Releases with a component whose newer versions changed license (the registry
    #: rules' findings, stored when the release was published with registry data).
    relicensed: bool = False

    def as_json(self) -> dict[str, str | bool]:
        """The question as the JSON answer repeats it (only what was asked)."""
        asked = {
            "purl": self.purl,
            "vers": self.vers,
            "license": self.license,
            "category": self.category,
        }
        found: dict[str, str | bool] = {k: v for k, v in asked.items() if v is not None}
        if self.relicensed:
            found["relicensed"] = True
        return found


# --- where the portfolio is ---------------------------------------------------------------


def store_url(given: str | None, root: Path | None = None) -> str | None:
    """The portfolio's store: ``given`` (``--store``), else ``OSPO_STORE_URL``, else the
    result store's location (``OSPO_CACHE_URL``, else ``cache:`` in ``root``'s
    ``.ospo.yml``); None when none is set."""
    from ospo.api import store_location
    from ospo.config import ProjectConfig, load_config

    if given:
        return given
    if os.environ.get(STORE_VARIABLE):
        return os.environ[STORE_VARIABLE]
    config = load_config(root) if root is not None and root.is_dir() else ProjectConfig()
    return store_location(None, config)


def is_postgres(location: str | None) -> bool:
    """Whether ``location`` names a PostgreSQL database (not a local cache directory)."""
    from ospo.cache import POSTGRES_SCHEMES

    return location is not None and location.startswith(POSTGRES_SCHEMES)


@contextlib.contextmanager
def connect(url: str | None, *, writing: bool) -> Iterator[psycopg.Connection[Any]]:
    """A connection to the portfolio at ``url``, with its tables when ``writing``.

    Raise :class:`~ospo.errors.InputError` for a missing or unusable URL (not PostgreSQL,
    a query libpq does not know, ``mode=ro`` when writing) and
    :class:`~ospo.errors.OperationalError` for a server that cannot be reached.
    """
    from ospo.pgstore import shown_url, split_url

    if url is None:
        raise InputError(
            "no store for the portfolio: give --store postgresql://… or set OSPO_STORE_URL"
        )
    if not is_postgres(url):
        raise InputError(
            f"the portfolio is kept in PostgreSQL; {url!r} is not a postgresql:// URL "
            "(give --store or OSPO_STORE_URL)"
        )
    shown = shown_url(url)
    try:
        target, _ = split_url(url)
        urlsplit(target).port  # noqa: B018  # a port that is not a number raises here
    except ValueError as exc:
        raise InputError(f"store {shown}: {exc}") from None
    modes = [v for k, v in parse_qsl(urlsplit(url).query) if k == "mode"]
    if writing and modes and modes[-1] == "ro":
        raise InputError(f"store {shown} is read-only (mode=ro): publishing writes to it")
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise InputError("psycopg is not installed: pip install 'ospo[postgresql]'") from None
    try:
        conninfo_to_dict(target)
    except psycopg.ProgrammingError as exc:
        raise InputError(f"store {shown}: not a PostgreSQL URL ({_reason(exc)})") from None
    options: dict[str, Any] = {"autocommit": True, "application_name": "ospo"}
    if "connect_timeout" not in target:
        options["connect_timeout"] = _CONNECT_TIMEOUT
    try:
        conn = psycopg.connect(target, **options)
    except psycopg.Error as exc:
        raise OperationalError(f"store {shown} cannot be reached ({_reason(exc)})") from None
    try:
        if writing:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                for statement in _SCHEMA:
                    conn.execute(statement)
        yield conn
    except psycopg.Error as exc:
        raise OperationalError(f"store {shown} failed ({_reason(exc)})") from None
    finally:
        with contextlib.suppress(Exception):
            conn.close()


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# --- publishing -----------------------------------------------------------------------------


def publish(
    url: str | None,
    judged: Inventory,
    policy: Policy,
    *,
    product: str,
    release: str,
    replace: bool = False,
    source: str = "inventory",
) -> PublishResult:
    """Record the judged inventory as ``release`` of ``product`` in the portfolio at ``url``.

    ``judged`` carries its evaluation (:func:`ospo.api.check_inventory` with ``policy``).
    The same contents published again are left as they are (``unchanged``); other contents
    under the same release raise :class:`~ospo.errors.InputError` unless ``replace``.
    """
    from ospo.policy.judge import Classifier
    from ospo.signoff import inventory_digest

    if not product.strip() or not release.strip():
        raise InputError("the product and the release need a name (--product, --release)")
    digest = inventory_digest(judged)
    classifier = Classifier(policy)
    rows = _component_rows(judged, classifier)
    rollup = _rollup(judged, classifier)
    findings = _finding_rows(judged)
    summary = _summary(judged, source, len(rows), len(findings))
    with connect(url, writing=True) as conn, conn.transaction():
        # publishers of one release at once take turns: the later one finds it published
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            (json.dumps([product, release]),),
        )
        conn.execute(
            "INSERT INTO ospo_products (name) VALUES (%s) ON CONFLICT DO NOTHING", (product,)
        )
        found = conn.execute("SELECT id FROM ospo_products WHERE name = %s", (product,)).fetchone()
        assert found is not None
        product_id = found[0]
        known = conn.execute(
            "SELECT id, digest FROM ospo_releases WHERE product_id = %s AND name = %s FOR UPDATE",
            (product_id, release),
        ).fetchone()
        state = PublishState.PUBLISHED
        if known is not None:
            if known[1] == digest:
                return PublishResult(
                    product=product, release=release, digest=digest, state=PublishState.UNCHANGED,
                    components=len(rows), findings=len(findings),
                )  # fmt: skip
            if not replace:
                raise InputError(
                    f"release {release!r} of {product!r} was published with other contents "
                    f"({known[1]}, now {digest}): name this one otherwise, or --replace it"
                )
            conn.execute("DELETE FROM ospo_releases WHERE id = %s", (known[0],))
            state = PublishState.REPLACED
        release_id = _insert_release(conn, product_id, release, digest, judged, summary)
        if release_id is None:  # the lock above keeps other publishers out: never here
            raise OperationalError(f"release {release!r} of {product!r} appeared meanwhile")
        _copy(conn, "ospo_components", _COMPONENT_COLUMNS, ((release_id, *r) for r in rows))
        _copy(
            conn,
            "ospo_findings",
            "release_id, rule, severity, component, path, license, waived, message",
            ((release_id, *f) for f in findings),
        )
        _copy(
            conn,
            "ospo_release_licenses",
            "release_id, license_id, license_class, components",
            ((release_id, lid, klass, n) for (lid, klass), n in sorted(rollup.items())),
        )
    return PublishResult(
        product=product, release=release, digest=digest, state=state,
        components=len(rows), findings=len(findings),
    )  # fmt: skip


def _insert_release(
    conn: psycopg.Connection[Any],
    product_id: int,
    release: str,
    digest: str,
    judged: Inventory,
    summary: dict[str, Any],
) -> int | None:
    from psycopg.types.json import Jsonb

    from ospo.pgstore import run_id

    verdict = judged.evaluation.verdict.value if judged.evaluation is not None else None
    row = conn.execute(
        "INSERT INTO ospo_releases (product_id, name, digest, verdict, run_id, summary)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (product_id, name) DO NOTHING"
        " RETURNING id",
        (product_id, release, digest, verdict, run_id(), Jsonb(summary)),
    ).fetchone()
    return None if row is None else int(row[0])


def _copy(
    conn: psycopg.Connection[Any], table: str, columns: str, rows: Iterator[tuple[Any, ...]]
) -> None:
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _component_rows(judged: Inventory, classifier: Classifier) -> list[tuple[Any, ...]]:
    """One row per component: purl, package, name, version, type, scope, license, ids,
    classes."""
    rows = []
    for c in sorted(judged.components, key=lambda c: c.purl):
        terms = license_terms(c.license_expression, classifier)
        rows.append(
            (
                c.purl,
                package_key(c.purl) or c.purl,
                c.name,
                c.version,
                _purl_type(c.purl),
                c.scope.value,
                c.license_expression,
                list(dict.fromkeys(lid for lid, _ in terms)),
                list(dict.fromkeys(klass for _, klass in terms)),
            )
        )
    return rows


def license_terms(expression: str | None, classifier: Classifier) -> tuple[tuple[str, str], ...]:
    """The (license id, class) pairs of ``expression``: every license and exception id
    in it, each alternative of a choice included, a deprecated id that folds an exception
    in (``GPL-2.0-with-classpath-exception``) as the two it stands for; a license with an
    exception takes the class the policy gives the pair where no product is known
    (:meth:`Classifier.term_class`, as the judge reads it), and so does the exception. An
    unknown or invalid expression is (``NOASSERTION``, ``unknown``)."""
    from ospo import licensing
    from ospo.policy.model import LicenseClass

    unknown = ((UNKNOWN_LICENSE, LicenseClass.UNKNOWN.value),)
    if not expression:
        return unknown
    checked = licensing.check(expression)
    if not checked.valid or checked.normalized is None:
        return unknown
    spdx = licensing.spdx_licensing()
    pairs: list[tuple[str, str]] = []
    for symbol in spdx.license_symbols(spdx.parse(checked.normalized), decompose=False):
        if type(symbol).__name__ == "LicenseWithExceptionSymbol":
            term = f"{symbol.license_symbol.key} WITH {symbol.exception_symbol.key}"
        else:
            term = licensing.current_form(symbol.key) or symbol.key
        klass = classifier.term_class(term).value
        pairs += [(part, klass) for part in term.split(" WITH ")]
    return tuple(dict.fromkeys(pairs))


def _rollup(judged: Inventory, classifier: Classifier) -> Counter[tuple[str, str]]:
    """How many shipped components bring each (license id, class) pair."""
    counts: Counter[tuple[str, str]] = Counter()
    for c in judged.components:
        if c.scope.value in SHIPPED:
            counts.update(license_terms(c.license_expression, classifier))
    return counts


def _finding_rows(judged: Inventory) -> list[tuple[Any, ...]]:
    if judged.evaluation is None:
        return []
    return [
        (f.rule, f.severity.value, f.component, f.path, f.license, f.waived, f.message)
        for f in judged.evaluation.findings
    ]


def _summary(judged: Inventory, source: str, components: int, findings: int) -> dict[str, Any]:
    """The release's jsonb: what is shown, not queried."""
    ev = judged.evaluation
    counts: Counter[str] = Counter()
    if ev is not None:
        for f in ev.findings:
            counts["waived" if f.waived else f.severity.value] += 1
    return {
        "subject": {
            "name": judged.subject.name,
            "version": judged.subject.version,
            "vcs_revision": judged.subject.vcs_revision,
            "declared_license": judged.subject.declared_license,
        },
        "source": source,
        "verdict": None if ev is None else ev.verdict.value,
        "profile": None if ev is None else ev.profile,
        "policy": None if ev is None else {"name": ev.policy, "digest": ev.policy_digest},
        "counts": dict(sorted(counts.items())),
        "components": components,
        "findings": findings,
        "files": len(judged.files),
        "issues": len(judged.scan.issues),
    }


def package_key(purl: str) -> str | None:
    """``purl`` without version, qualifiers and subpath, its names normalised as the
    policy compares them; None for a purl that does not parse."""
    from ospo.policy.matching import package_name

    return package_name(purl)


def _purl_type(purl: str) -> str:
    return purl.removeprefix("pkg:").split("/", 1)[0].lower()


# --- questions --------------------------------------------------------------------------------

_SELECT = (
    "SELECT p.name, r.name, r.verdict, c.purl, c.name, c.version, c.scope,"
    " c.license_expression, NULL::text FROM ospo_components AS c"
    " JOIN ospo_releases AS r ON r.id = c.release_id"
    " JOIN ospo_products AS p ON p.id = r.product_id"
)
_ORDER = " ORDER BY p.name, r.name, c.purl"
#: The registry rules' findings of a dependency whose newer versions changed license.
RELICENSING_RULES = ("competition/relicensed", "competition/license-changed")


def ask(url: str | None, question: Question) -> tuple[ReleaseMatch, ...]:
    """The releases in the portfolio at ``url`` that answer ``question``, by product and
    release name, each with the components that make it answer.

    A purl with a version matches that version; without one, every version, or those in
    ``question.vers``. A license expression matches releases shipping any of its license
    ids; a category, those shipping a component of that license class. License and
    category questions count shipped components only (runtime and optional scope).
    Relicensing lists the releases whose check found a dependency relicensed by its newer
    versions (from the registries' data, where the release was published with it).
    """
    sql, params, keep = _plan(question)
    with connect(url, writing=False) as conn:
        if conn.execute("SELECT to_regclass('ospo_components')").fetchone() == (None,):
            return ()  # nothing was ever published there
        rows = conn.execute(sql + _ORDER, params).fetchall()
    matches: dict[tuple[str, str], tuple[str | None, list[MatchedComponent]]] = {}
    for product, release, verdict, purl, name, version, scope, expression, finding in rows:
        if not keep(purl, version):
            continue
        entry = matches.setdefault((product, release), (verdict, []))
        entry[1].append(
            MatchedComponent(
                purl=purl,
                name=name,
                version=version,
                scope=scope,
                license_expression=expression,
                finding=finding,
            )
        )
    return tuple(
        ReleaseMatch(product=product, release=release, verdict=verdict, components=tuple(found))
        for (product, release), (verdict, found) in matches.items()
    )


def _plan(question: Question) -> tuple[str, dict[str, Any], Any]:
    """The SQL of ``question``, its parameters and the test each row must pass after it."""
    asked = [q for q in (question.purl, question.license, question.category) if q is not None]
    if len(asked) + question.relicensed != 1:
        raise InputError("ask one question: --purl, --license, --category or --relicensed")
    if question.vers is not None and question.purl is None:
        raise InputError("--vers narrows a --purl")

    def every(_purl: str, _version: str | None) -> bool:
        return True

    if question.purl is not None:
        return _purl_plan(question.purl, question.vers)
    if question.relicensed:
        sql = (
            "SELECT p.name, r.name, r.verdict, c.purl, c.name, c.version, c.scope,"
            " c.license_expression, f.message FROM ospo_findings AS f"
            " JOIN ospo_releases AS r ON r.id = f.release_id"
            " JOIN ospo_products AS p ON p.id = r.product_id"
            " JOIN ospo_components AS c ON c.release_id = f.release_id AND c.purl = f.component"
            " WHERE f.rule = ANY(%(rules)s)"
        )
        return sql, {"rules": list(RELICENSING_RULES)}, every
    shipped = " AND c.scope = ANY(%(shipped)s)"
    if question.license is not None:
        from ospo import licensing

        checked = licensing.check(question.license)
        if not checked.valid or checked.normalized is None:
            raise InputError(
                f"{question.license!r} is not a valid SPDX expression: {'; '.join(checked.errors)}"
            )
        ids = list(licensing.license_ids(checked.normalized))
        sql = (
            _SELECT + " WHERE r.id IN (SELECT release_id FROM ospo_release_licenses"
            " WHERE license_id = ANY(%(ids)s)) AND c.license_ids && %(ids)s::text[]" + shipped
        )
        return sql, {"ids": ids, "shipped": list(SHIPPED)}, every
    from ospo.policy.model import LicenseClass

    try:
        klass = LicenseClass(str(question.category)).value
    except ValueError:
        names = ", ".join(c.value for c in LicenseClass)
        raise InputError(f"{question.category!r} is not a license category ({names})") from None
    sql = (
        _SELECT + " WHERE r.id IN (SELECT release_id FROM ospo_release_licenses"
        " WHERE license_class = %(klass)s) AND %(klass)s = ANY(c.license_classes)" + shipped
    )
    return sql, {"klass": klass, "shipped": list(SHIPPED)}, every


def _purl_plan(purl: str, vers: str | None) -> tuple[str, dict[str, Any], Any]:
    from packageurl import PackageURL

    from ospo.policy.matching import purl_matches, version_in_range

    try:
        wanted = PackageURL.from_string(purl)
    except ValueError as exc:
        raise InputError(f"{purl!r} is not a package URL ({exc})") from None
    if vers is not None:
        if wanted.version is not None:
            raise InputError("give a purl without a version with --vers")
        _check_vers(vers)
    sql = _SELECT + " WHERE c.package = %(package)s"
    params: dict[str, Any] = {"package": package_key(purl)}
    if wanted.version is not None:
        sql += " AND c.version = %(version)s"
        params["version"] = wanted.version

    def keep(have: str, version: str | None) -> bool:
        if not purl_matches(purl, have):
            return False
        return vers is None or version_in_range(vers, version)

    return sql, params, keep


def _check_vers(vers: str) -> None:
    from univers.version_range import VersionRange

    try:
        VersionRange.from_string(vers)  # type: ignore[no-untyped-call]
    except Exception as exc:  # univers raises several unrelated types
        raise InputError(f"{vers!r} is not a vers: version range ({_reason(exc)})") from None


def answer_json(question: Question, matches: Sequence[ReleaseMatch]) -> dict[str, Any]:
    """The JSON answer: the question, and each release's product, release name, verdict
    and matching components."""
    return {
        "schema_version": 1,
        "query": question.as_json(),
        "releases": [
            {
                "product": m.product,
                "release": m.release,
                "verdict": m.verdict,
                "components": [
                    {
                        "purl": c.purl,
                        "name": c.name,
                        "version": c.version,
                        "scope": c.scope,
                        "license_expression": c.license_expression,
                        "finding": c.finding,
                    }
                    for c in m.components
                ],
            }
            for m in matches
        ],
    }
