# SPDX-License-Identifier: Apache-2.0
"""The portfolio on a real PostgreSQL server: real SBOMs published as releases, then asked
which releases ship a package, a version range, a license or a license category."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from packageurl import PackageURL
from pgserver import PostgresServer
from test_advisor import Registry, registry  # noqa: F401  # the recorded registries

from conftest import DATA, run_ospo, run_ospo_process
from ospo import inventory_json
from ospo.model import Component
from ospo.sbom import load_sbom

FLASK_REQUESTS = DATA / "sbom" / "cyclonedx-py-flask-requests.cdx.json"
FLASK = DATA / "sbom" / "sbom4python-flask.spdx.json"
CHECKER = DATA / "spdx3" / "ntia-conformance-checker-6.0.0.spdx3.json"
WEBAPP = DATA / "sbom" / "npm-webapp.cyclonedx-npm.cdx.json"

#: (SBOM, product, release) published into the module's portfolio.
PUBLISHED = (
    (FLASK_REQUESTS, "web", "1.0"),
    (FLASK, "web", "2.0"),
    (CHECKER, "checker", "6.0.0"),
)


def _publish(url: str, sbom: Path, product: str, release: str, *extra: str) -> Any:
    return run_ospo(
        "portfolio", "publish", "--store", url, "--sbom", sbom,
        "--product", product, "--release", release, "--offline", *extra,
    )  # fmt: skip


def _query(url: str, *question: str) -> dict[str, Any]:
    ran = run_ospo("portfolio", "query", "--store", url, *question, "--format", "json")
    assert ran.returncode == 0, ran.stderr
    answer: dict[str, Any] = json.loads(ran.stdout)
    return answer


def _releases(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["product"], r["release"]) for r in answer["releases"]]


@pytest.fixture(scope="module")
def portfolio(postgres: PostgresServer) -> str:
    """A database with the three releases of ``PUBLISHED``."""
    url = postgres.create_database("portfolio_module")
    for sbom, product, release in PUBLISHED:
        ran = _publish(url, sbom, product, release)
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.startswith(f"Published {product} {release} ("), ran.stdout
    return url


def test_releases_shipping_an_exact_purl(portfolio: str) -> None:
    answer = _query(portfolio, "--purl", "pkg:pypi/blinker@1.9.0")
    assert _releases(answer) == [("web", "1.0"), ("web", "2.0")]
    assert answer["query"] == {"purl": "pkg:pypi/blinker@1.9.0"}
    assert set(answer) == {"schema_version", "query", "releases"}
    first = answer["releases"][0]
    assert set(first) == {"product", "release", "verdict", "components"}
    assert first["components"] == [
        {
            "purl": "pkg:pypi/blinker@1.9.0",
            "name": "blinker",
            "version": "1.9.0",
            "scope": "runtime",
            "license_expression": "MIT",
            "finding": None,
        }
    ]
    assert _query(portfolio, "--purl", "pkg:pypi/blinker@1.8.2")["releases"] == []
    assert _query(portfolio, "--purl", "pkg:npm/blinker@1.9.0")["releases"] == []


def test_a_purl_without_version_is_any_version(portfolio: str) -> None:
    assert _releases(_query(portfolio, "--purl", "pkg:pypi/pip")) == [("web", "1.0")]
    # names compare as the policy compares them: PyPI's are case- and separator-blind
    assert _releases(_query(portfolio, "--purl", "pkg:pypi/PyLint")) == [("checker", "6.0.0")]
    assert _releases(_query(portfolio, "--purl", "pkg:pypi/charset_normalizer")) == [("web", "1.0")]
    assert _query(portfolio, "--purl", "pkg:pypi/django")["releases"] == []


def test_a_purl_with_a_version_range(portfolio: str) -> None:
    inside = _query(portfolio, "--purl", "pkg:pypi/blinker", "--vers", "vers:pypi/>=1.9.0|<2")
    assert _releases(inside) == [("web", "1.0"), ("web", "2.0")]
    assert inside["query"] == {"purl": "pkg:pypi/blinker", "vers": "vers:pypi/>=1.9.0|<2"}
    below = _query(portfolio, "--purl", "pkg:pypi/blinker", "--vers", "vers:pypi/<1.9.0")
    assert below["releases"] == []
    pip = _query(portfolio, "--purl", "pkg:pypi/pip", "--vers", "vers:pypi/>=23.2.1|<24")
    assert [c["purl"] for c in pip["releases"][0]["components"]] == ["pkg:pypi/pip@23.2.1"]
    assert (
        _query(portfolio, "--purl", "pkg:pypi/pip", "--vers", "vers:pypi/>23.2.1")["releases"] == []
    )


def test_releases_shipping_a_license(portfolio: str) -> None:
    mpl = _query(portfolio, "--license", "MPL-2.0")
    assert _releases(mpl) == [("web", "1.0")]
    assert [c["purl"] for c in mpl["releases"][0]["components"]] == ["pkg:pypi/certifi@2026.10.18"]
    # an expression: releases shipping any of its ids
    either = _query(portfolio, "--license", "GPL-2.0-or-later OR MPL-2.0")
    assert _releases(either) == [("checker", "6.0.0"), ("web", "1.0")]
    assert _query(portfolio, "--license", "GPL-2.0-only")["releases"] == []
    bsd = _query(portfolio, "--license", "BSD-3-Clause")
    assert _releases(bsd) == [("web", "1.0"), ("web", "2.0")]
    web2 = bsd["releases"][1]["components"]
    assert [c["name"] for c in web2] == [
        "click",
        "itsdangerous",
        "jinja2",
        "markupsafe",
        "werkzeug",
    ]


def test_releases_shipping_a_license_category(portfolio: str) -> None:
    assert _releases(_query(portfolio, "--category", "weak-copyleft-file")) == [("web", "1.0")]
    strong = _query(portfolio, "--category", "strong-copyleft")
    assert _releases(strong) == [("checker", "6.0.0")]
    assert [c["purl"] for c in strong["releases"][0]["components"]] == ["pkg:pypi/pylint"]
    assert _query(portfolio, "--category", "network-copyleft")["releases"] == []
    # three components of web 1.0 have no license: the category "unknown" finds them
    unknown = _query(portfolio, "--category", "unknown")
    web1 = dict(zip(_releases(unknown), unknown["releases"], strict=True))[("web", "1.0")]
    assert [c["name"] for c in web1["components"]] == ["Flask", "itsdangerous", "Jinja2"]


def test_the_text_answer(portfolio: str) -> None:
    ran = run_ospo("portfolio", "query", "--store", portfolio, "--purl", "pkg:pypi/pylint")
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0] == "1 release(s) ship purl pkg:pypi/pylint"
    assert lines[1].startswith("checker 6.0.0 (")
    assert lines[2] == "  pkg:pypi/pylint  GPL-2.0-or-later  [runtime]"
    none = run_ospo("portfolio", "query", "--store", portfolio, "--license", "AGPL-3.0-only")
    assert none.stdout == "0 release(s) ship license AGPL-3.0-only\n"


def test_what_a_release_keeps(portfolio: str) -> None:
    """Components, the findings of the check, one roll-up row per license and class (not
    per file), and the summary as jsonb."""
    checked = run_ospo("check", "--sbom", FLASK_REQUESTS, "--offline", "--format", "json")
    findings = json.loads(checked.stdout)["findings"]
    with psycopg.connect(portfolio) as conn:
        (release_id, summary) = conn.execute(
            "SELECT r.id, r.summary FROM ospo_releases r JOIN ospo_products p"
            " ON p.id = r.product_id WHERE p.name = 'web' AND r.name = '1.0'"
        ).fetchone() or (None, None)
        stored = conn.execute(
            "SELECT rule, severity, component FROM ospo_findings WHERE release_id = %s"
            " ORDER BY rule, component",
            (release_id,),
        ).fetchall()
        rollup = conn.execute(
            "SELECT license_id, license_class, components FROM ospo_release_licenses"
            " WHERE release_id = %s ORDER BY license_id",
            (release_id,),
        ).fetchall()
        components = conn.execute(
            "SELECT count(*) FROM ospo_components WHERE release_id = %s", (release_id,)
        ).fetchone()
    assert sorted(stored, key=str) == sorted(
        ((f["rule"], f["severity"], f["component"]) for f in findings), key=str
    )
    assert rollup == [
        ("Apache-2.0", "permissive", 1),
        ("BSD-3-Clause", "permissive", 4),
        ("MIT", "permissive", 5),
        ("MPL-2.0", "weak-copyleft-file", 1),
        ("NOASSERTION", "unknown", 3),
    ]
    assert components == (14,)
    assert summary["components"] == 14
    assert summary["findings"] == len(findings)
    assert summary["verdict"] == json.loads(checked.stdout)["verdict"]
    assert summary["source"] == "sbom"


def test_publishing_again_is_idempotent(postgres_url: str) -> None:
    assert _publish(postgres_url, FLASK, "web", "2.0").returncode == 0
    again = _publish(postgres_url, FLASK, "web", "2.0")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Already published, unchanged: web 2.0 (6 component(s)")
    # the same contents from another format of the same SBOM's producer is the same inventory
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM ospo_releases").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM ospo_components").fetchone() == (6,)


def test_other_contents_under_a_published_release(postgres_url: str) -> None:
    assert _publish(postgres_url, FLASK, "web", "2.0").returncode == 0
    clash = _publish(postgres_url, FLASK_REQUESTS, "web", "2.0")
    assert clash.returncode == 2
    assert "ospo: error: release '2.0' of 'web' was published with other contents" in clash.stderr
    assert "--replace" in clash.stderr
    assert clash.stdout == ""
    assert _releases(_query(postgres_url, "--purl", "pkg:pypi/pip")) == []
    replaced = _publish(postgres_url, FLASK_REQUESTS, "web", "2.0", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith("Replaced web 2.0 (14 component(s)")
    assert _releases(_query(postgres_url, "--purl", "pkg:pypi/pip")) == [("web", "2.0")]
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM ospo_components").fetchone() == (14,)
    # another release of the same product is another row
    assert _publish(postgres_url, FLASK, "web", "2.1").returncode == 0
    assert _releases(_query(postgres_url, "--purl", "pkg:pypi/blinker")) == [
        ("web", "2.0"),
        ("web", "2.1"),
    ]


def test_an_inventory_file_and_dev_components(postgres_url: str, tmp_path: Path) -> None:
    """An inventory from ``--inventory``; its dev components answer a purl question but
    count for no license question (they do not ship)."""
    inventory = tmp_path / "inventory.json"
    inventory.write_text(inventory_json.dumps(load_sbom(WEBAPP)), encoding="utf-8")
    ran = run_ospo(
        "portfolio", "publish", "--store", postgres_url, "--inventory", inventory,
        "--product", "webapp", "--release", "1.0.0", "--offline",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    dev = [c for c in load_sbom(WEBAPP).components if c.scope.value == "dev"]
    assert dev, "the npm SBOM marks its dev dependencies"
    found = _query(postgres_url, "--purl", dev[0].purl)
    assert found["releases"][0]["components"][0]["scope"] == "dev"
    licensed = _query(postgres_url, "--license", "PSF-2.0")  # argparse, a dev dependency
    assert all(
        c["scope"] in ("runtime", "optional") for r in licensed["releases"] for c in r["components"]
    )
    assert "pkg:npm/argparse@2.0.1" not in json.dumps(licensed)


def test_names_with_markup_are_stored_and_returned_as_text(
    postgres_url: str, tmp_path: Path
) -> None:
    hostile = '<script>alert("x")</script>\'; DROP TABLE ospo_releases; --'
    purl = PackageURL(type="npm", name=hostile, version="1.0.0").to_string()
    loaded = load_sbom(FLASK)
    odd = dataclasses.replace(loaded.components[0], name=hostile, version="1.0.0", purl=purl)
    inventory = tmp_path / "inventory.json"
    inventory.write_text(
        inventory_json.dumps(dataclasses.replace(loaded, components=(odd, *loaded.components[1:]))),
        encoding="utf-8",
    )
    ran = run_ospo(
        "portfolio", "publish", "--store", postgres_url, "--inventory", inventory,
        "--product", "<b>web</b>", "--release", "\"2.0\"", "--offline",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    answer = _query(postgres_url, "--purl", purl)
    assert _releases(answer) == [("<b>web</b>", '"2.0"')]
    assert answer["releases"][0]["components"][0]["name"] == hostile
    assert answer["releases"][0]["components"][0]["purl"] == purl
    text = run_ospo("portfolio", "query", "--store", postgres_url, "--purl", purl)
    assert '<b>web</b> "2.0"' in text.stdout
    assert hostile not in text.stdout  # the purl shows it encoded
    assert purl in text.stdout


def test_a_store_with_nothing_published(postgres_url: str) -> None:
    assert _query(postgres_url, "--purl", "pkg:pypi/pip")["releases"] == []
    with psycopg.connect(postgres_url) as conn:  # asking creates nothing
        assert conn.execute("SELECT to_regclass('ospo_releases')").fetchone() == (None,)


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://127.0.0.1:notaport/x", "store postgresql://127.0.0.1:notaport/x: "),
        ("postgresql://127.0.0.1/x?nosuch=1", "not a PostgreSQL URL (invalid URI query"),
        ("postgresql://127.0.0.1/x?mode=maybe", "mode='maybe' in the store's URL"),
        ("/tmp/some/cache", "is not a postgresql:// URL"),
    ],
)
def test_a_bad_url_is_an_input_error(url: str, message: str) -> None:
    for ran in (
        _publish(url, FLASK, "web", "2.0"),
        run_ospo("portfolio", "query", "--store", url, "--purl", "pkg:pypi/pip"),
    ):
        assert ran.returncode == 2, ran.stderr
        assert message in ran.stderr
        assert "Traceback" not in ran.stderr


def test_a_release_needs_names(postgres_url: str) -> None:
    ran = _publish(postgres_url, FLASK, " ", "2.0")
    assert ran.returncode == 2
    assert "the product and the release need a name (--product, --release)" in ran.stderr
    both = run_ospo(
        "portfolio", "publish", "--store", postgres_url, "--sbom", FLASK, "--inventory", FLASK,
        "--product", "web", "--release", "2.0",
    )  # fmt: skip
    assert both.returncode == 2
    assert "give --inventory or --sbom (one of them)" in both.stderr


def test_a_read_only_url_takes_no_release(postgres_url: str) -> None:
    ran = _publish(postgres_url + "?mode=ro", FLASK, "web", "2.0")
    assert ran.returncode == 2
    assert "is read-only (mode=ro): publishing writes to it" in ran.stderr
    assert _query(postgres_url + "?mode=ro", "--purl", "pkg:pypi/pip")["releases"] == []


def test_no_store_is_an_input_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .ospo.yml with cache:
    ran = run_ospo("portfolio", "query", "--purl", "pkg:pypi/pip")
    assert ran.returncode == 2
    assert "no store for the portfolio: give --store postgresql://" in ran.stderr


def test_an_unreachable_store_is_operational(postgres_url: str) -> None:
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/x?connect_timeout=5"
    for ran in (
        _publish(url, FLASK, "web", "2.0"),
        run_ospo("portfolio", "query", "--store", url, "--license", "MIT"),
    ):
        assert ran.returncode == 3, ran.stderr
        shown = url.partition("?")[0]
        assert f"ospo: error: store {shown} cannot be reached (connection failed:" in ran.stderr


def test_the_store_comes_from_the_environment(postgres_url: str, tmp_path: Path) -> None:
    """``OSPO_STORE_URL`` first, then the result store's ``OSPO_CACHE_URL``."""
    ran = run_ospo(
        "portfolio", "publish", "--sbom", FLASK, "--product", "web", "--release", "2.0",
        "--offline", env={"OSPO_STORE_URL": postgres_url, "OSPO_CACHE_URL": "/nowhere"},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    asked = run_ospo(
        "portfolio", "query", "--purl", "pkg:pypi/click", "--format", "json",
        env={"OSPO_CACHE_URL": postgres_url + "?mode=rw"},
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert _releases(json.loads(asked.stdout)) == [("web", "2.0")]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            ("--purl", "pkg:pypi/pip", "--license", "MIT"),
            "give one of --purl, --license, --category and --relicensed",
        ),
        ((), "give one of --purl, --license, --category and --relicensed"),
        (("--purl", "not a purl"), "'not a purl' is not a package URL"),
        (("--purl", "pkg:pypi/pip@1", "--vers", "vers:pypi/<2"), "without a version with --vers"),
        (("--purl", "pkg:pypi/pip", "--vers", "<2"), "'<2' is not a vers: version range"),
        (("--license", "MIT AND AND"), "'MIT AND AND' is not a valid SPDX expression"),
        (("--category", "copyleft"), "'copyleft' is not one of"),
        (("--license", "MIT", "--vers", "vers:pypi/<2"), "--vers narrows a --purl"),
    ],
)
def test_a_bad_question_is_an_input_error(
    postgres_url: str, question: tuple[str, ...], message: str
) -> None:
    ran = run_ospo("portfolio", "query", "--store", postgres_url, *question)
    assert ran.returncode == 2
    assert message in ran.stderr


def _board_project(tmp_path: Path) -> Path:
    """A project whose policy needs one signature (legal) to approve a release."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "policy.yml").write_text(
        "extends: default\nname: small-board\nsignoff:\n  roles: [legal]\n", encoding="utf-8"
    )
    (project / ".ospo.yml").write_text("policy: policy.yml\n", encoding="utf-8")
    return project


def _approve(project: Path, env: dict[str, str]) -> Any:
    return run_ospo_process(
        "signoff", "--sbom", FLASK, "--role", "legal", "--name", "Jane Counsel",
        "--decision", "approve", "--release", "3.1.0", "--offline", cwd=project, env=env,
    )  # fmt: skip


def test_an_approved_release_is_published(postgres_url: str, tmp_path: Path) -> None:
    project = _board_project(tmp_path)
    ran = _approve(project, {"OSPO_STORE_URL": postgres_url})
    assert ran.returncode == 0, ran.stderr
    assert "Archived release 3.1.0" in ran.stdout
    assert "Published release 3.1.0 of flask to the portfolio" in ran.stdout
    answer = _query(postgres_url, "--purl", "pkg:pypi/werkzeug")
    assert _releases(answer) == [("flask", "3.1.0")]
    # the same release published by hand afterwards is the same contents
    again = _publish(postgres_url, FLASK, "flask", "3.1.0")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Already published, unchanged: flask 3.1.0")


def test_an_unreachable_portfolio_loses_no_signature(tmp_path: Path) -> None:
    project = _board_project(tmp_path)
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/x"
    ran = _approve(project, {"OSPO_STORE_URL": url})
    assert ran.returncode == 0, ran.stderr
    assert "Archived release 3.1.0" in ran.stdout
    assert "Published" not in ran.stdout
    assert (
        "ospo: warning: release 3.1.0 is approved and archived but not in the portfolio: "
        f"store {url} cannot be reached" in ran.stderr
    )
    assert "publish it with `ospo portfolio publish`" in ran.stderr
    assert (project / ".ospo" / "releases" / "3.1.0" / "inventory.json").is_file()


def test_without_a_store_signing_publishes_nothing(tmp_path: Path) -> None:
    project = _board_project(tmp_path)
    ran = _approve(project, {})
    assert ran.returncode == 0, ran.stderr
    assert "Archived release 3.1.0" in ran.stdout
    assert "portfolio" not in ran.stdout + ran.stderr


def test_two_publishers_of_one_release_at_once(postgres_url: str) -> None:
    """Both succeed, one publishes and the other finds it published; one row each."""
    command = [
        sys.executable, "-m", "ospo", "portfolio", "publish", "--store", postgres_url,
        "--sbom", str(FLASK_REQUESTS), "--product", "web", "--release", "1.0", "--offline",
    ]  # fmt: skip
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    runs.append(
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    )
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    said = sorted(out.split(" web 1.0")[0] for out, _ in outputs)
    assert said == ["Already published, unchanged:", "Published"]
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM ospo_releases").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM ospo_components").fetchone() == (14,)
        assert conn.execute("SELECT count(*) FROM ospo_products").fetchone() == (1,)


@pytest.mark.parametrize(
    ("expression", "terms"),
    [
        ("MIT OR AGPL-3.0-only", (("MIT", "permissive"), ("AGPL-3.0-only", "network-copyleft"))),
        (
            "GPL-2.0-only WITH Classpath-exception-2.0",
            (
                ("GPL-2.0-only", "weak-copyleft-file"),
                ("Classpath-exception-2.0", "weak-copyleft-file"),
            ),
        ),
        ("GPL-2.0-only", (("GPL-2.0-only", "strong-copyleft"),)),
        # a deprecated id that folds an exception in ships the two it stands for
        (
            "GPL-2.0-with-classpath-exception",
            (
                ("GPL-2.0-only", "weak-copyleft-file"),
                ("Classpath-exception-2.0", "weak-copyleft-file"),
            ),
        ),
        # an exception only adds permissions: never stricter, nothing on a license it was
        # not written for; a clause that takes rights away gives its class
        (
            "MIT WITH Classpath-exception-2.0",
            (("MIT", "permissive"), ("Classpath-exception-2.0", "permissive")),
        ),
        (
            "GPL-2.0-only WITH LLVM-exception",
            (("GPL-2.0-only", "strong-copyleft"), ("LLVM-exception", "strong-copyleft")),
        ),
        (
            "Apache-2.0 WITH LicenseRef-scancode-commons-clause",
            (
                ("Apache-2.0", "source-available"),
                ("LicenseRef-scancode-commons-clause", "source-available"),
            ),
        ),
        ("BUSL-1.1 AND MIT", (("BUSL-1.1", "source-available"), ("MIT", "permissive"))),
        (None, (("NOASSERTION", "unknown"),)),
        ("MIT AND AND", (("NOASSERTION", "unknown"),)),
    ],
)
def test_the_license_ids_and_classes_a_component_ships(
    expression: str | None, terms: tuple[tuple[str, str], ...]
) -> None:
    """Each alternative of a choice ships; an exception the policy's table classes for
    every product gives its class to the license it modifies."""
    from ospo.policy import load_policy
    from ospo.policy.judge import Classifier
    from ospo.portfolio import license_terms

    assert license_terms(expression, Classifier(load_policy(None))) == terms


def test_releases_affected_by_a_relicensing(
    postgres_url: str,
    tmp_path: Path,
    registry: Registry,  # noqa: F811
) -> None:
    """A release published with the registries' data keeps the relicensing finding; one
    published offline before anything was asked has none, and does not answer."""
    directus = Component(
        purl="pkg:npm/directus@9.22.4",
        name="directus",
        version="9.22.4",
        license_expression="GPL-3.0-only",
    )
    loaded = load_sbom(FLASK)
    inventory = tmp_path / "inventory.json"
    inventory.write_text(
        inventory_json.dumps(
            dataclasses.replace(loaded, components=(*loaded.components, directus))
        ),
        encoding="utf-8",
    )
    publish = ("portfolio", "publish", "--store", postgres_url, "--inventory", inventory)
    # offline first: the advisor's cache is empty, so the check knows of no relicensing
    offline = run_ospo(*publish, "--product", "cms-offline", "--release", "1.0", "--offline")
    assert offline.returncode == 0, offline.stderr
    assert registry.asked == []
    online = run_ospo(*publish, "--product", "cms", "--release", "1.0")
    assert online.returncode == 0, online.stderr
    assert "/directus" in registry.asked
    answer = _query(postgres_url, "--relicensed")
    assert answer["query"] == {"relicensed": True}
    assert _releases(answer) == [("cms", "1.0")]
    (found,) = answer["releases"][0]["components"]
    assert found["purl"] == "pkg:npm/directus@9.22.4"
    assert "changed license in 10.0.0" in found["finding"]
    assert "9.22.4, is before the change" in found["finding"]
    text = run_ospo("portfolio", "query", "--store", postgres_url, "--relicensed")
    assert text.stdout.splitlines()[0] == "1 release(s) ship relicensed"
    assert text.stdout.splitlines()[3].startswith("    directus changed license in 10.0.0")
