# SPDX-License-Identifier: Apache-2.0
"""The Community and Competition rules on real histories the tests build, and the policy's
``community`` section."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_health import Repo

from conftest import run_ospo
from ospo.evaluation import Severity
from ospo.model import Component, Inventory, Subject
from ospo.policy import evaluate, load_policy
from ospo.policy.model import Profile
from ospo.policy.rules import rule_docs

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def widget(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dependency's clone: three developers of acme, one of globex, one individual."""
    repo = Repo(tmp_path_factory.mktemp("deps") / "widget")
    for day, who in enumerate(
        ["ann@acme.com", "ann@acme.com", "ben@acme.com", "cat@acme.io", "dan@globex.com"]
        + ["eve@gmail.com"] * 2,
        start=1,
    ):
        repo.commit(who.split("@")[0], who, f"2026-05-{day:02d}T12:00:00Z")
    repo.commit("ann", "ann@acme.com", "2024-01-01T00:00:00Z")  # an old commit first seen
    return repo.path


@pytest.fixture(scope="module")
def solo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project one person keeps, last touched in January."""
    repo = Repo(tmp_path_factory.mktemp("own") / "solo")
    repo.commit("Zed", "zed@example.org", "2025-11-01T12:00:00Z")
    repo.commit("Zed", "zed@example.org", "2026-01-15T12:00:00Z")
    return repo.path


def _policy(tmp_path: Path, community: str) -> Path:
    path = tmp_path / "org.yml"
    path.write_text("version: 1\nextends: default\ncommunity:\n" + community, encoding="utf-8")
    return path


def _inventory(*names: str) -> Inventory:
    return Inventory(
        subject=Subject(name="product", declared_license="Apache-2.0"),
        components=tuple(
            Component(purl=f"pkg:npm/{n}@1.0.0", name=n, version="1.0.0") for n in names
        ),
    )


def _findings(
    tmp_path: Path, community: str, inv: Inventory, today: date = TODAY, **kw: object
) -> list[tuple[str, str | None, Severity, str]]:
    ev = evaluate(
        inv,
        load_policy(_policy(tmp_path, community)),
        today=today,
        root=kw.pop("root", tmp_path),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    ).evaluation
    assert ev is not None
    return [
        (f.rule, f.component or f.path, f.severity, f.message)
        for f in ev.findings
        if f.rule.startswith(("community/", "competition/"))
    ]


ALIASES = "  organisations:\n    aliases: {acme: [acme.com, acme.io]}\n"


def test_a_dependency_a_competitor_dominates_needs_review(widget: Path, tmp_path: Path) -> None:
    community = (
        ALIASES + "  competitors: [acme.io]\n"
        f"  dependencies: [{{purl: pkg:npm/widget, path: {widget}}}]\n"
    )
    found = _findings(tmp_path, community, _inventory("widget", "other"))
    assert found == [
        (
            "competition/competitor-dominated",
            "pkg:npm/widget@1.0.0",
            Severity.WARNING,
            "widget is dominated by competitor acme: elephant factor 1, 80% of the attributed "
            "commits of the last 365 days (coverage 71% of 7 commits attributed to an "
            "organisation)",
        )
    ]


def test_competition_neighbours(widget: Path, tmp_path: Path) -> None:
    dep = f"  dependencies: [{{purl: pkg:npm/widget, path: {widget}}}]\n"
    # the dominant organisation is not a competitor
    assert (
        _findings(tmp_path, ALIASES + "  competitors: [globex]\n" + dep, _inventory("widget")) == []
    )
    # without the alias map acme.com has 3 of 5 attributed commits: still dominant, by name
    assert [
        f[0] for f in _findings(tmp_path, "  competitors: [acme.com]\n" + dep, _inventory("widget"))
    ] == ["competition/competitor-dominated"]
    # acme.io alone holds 1 of 5: the factor is 1 for acme.com, which is not listed
    assert _findings(tmp_path, "  competitors: [acme.io]\n" + dep, _inventory("widget")) == []
    # acme 3, acme.io 1, globex 3 (with eve's commits pinned to it): elephant factor 2
    split = (
        "  organisations:\n    aliases: {acme: [acme.com]}\n"
        "    identities: {'eve@gmail.com': globex.com}\n  competitors: [acme]\n" + dep
    )
    assert _findings(tmp_path, split, _inventory("widget")) == []
    # a dependency the inventory does not hold is not judged
    assert _findings(tmp_path, ALIASES + "  competitors: [acme]\n" + dep, _inventory("x")) == []


def test_a_clone_that_cannot_be_read_is_reported(tmp_path: Path) -> None:
    community = "  dependencies: [{purl: pkg:npm/widget, path: clones/widget}]\n"
    assert _findings(tmp_path, community, _inventory("widget")) == [
        (
            "competition/no-health-data",
            "pkg:npm/widget@1.0.0",
            Severity.WARNING,
            f"widget: the clone {tmp_path / 'clones/widget'} cannot be measured: no such file "
            "or directory",
        )
    ]


def test_a_dormant_dependency(widget: Path, tmp_path: Path) -> None:
    community = f"  dependencies: [{{purl: pkg:npm/widget, path: {widget}}}]\n"
    later = _findings(tmp_path, community, _inventory("widget"), today=date(2027, 6, 30))
    assert [(f[0], f[2]) for f in later] == [("community/dormant-dependency", Severity.WARNING)]
    assert "last commit 419 days ago (dormant after 365)" in later[0][3]
    assert _findings(tmp_path, community, _inventory("widget")) == []


def test_own_projects_meet_their_thresholds(widget: Path, solo: Path, tmp_path: Path) -> None:
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "solo").symlink_to(solo)
    community = f"  own_projects: [projects/solo, {widget}]\n"
    found = _findings(tmp_path, community, _inventory())
    assert found == [
        (
            "community/own-project-health",
            "projects/solo",
            Severity.WARNING,
            "own project projects/solo is at-risk: last commit 166 days ago (more than 90); "
            "0 active contributors in the last 90 days (fewer than 2); contributor absence "
            "factor 1 over 365 days (below 2)",
        )
    ]
    lenient = community + (
        "  thresholds: {max_days_since_last_commit: 200, min_active_contributors_90d: 0,"
        " min_contributor_absence_factor: 1}\n"
    )
    assert _findings(tmp_path, lenient, _inventory()) == []
    gone = _findings(tmp_path, "  own_projects: [projects/gone]\n", _inventory())
    assert [(f[0], f[1]) for f in gone] == [("community/own-project-health", "projects/gone")]
    assert "cannot be measured: no such file or directory" in gone[0][3]


def test_the_product_itself_when_it_is_published(solo: Path, tmp_path: Path) -> None:
    source = _findings(
        tmp_path, "  product: auto\n", _inventory(), root=solo, profile=Profile.SOURCE
    )
    assert [(f[0], f[1]) for f in source] == [("community/own-project-health", ".")]
    assert (
        _findings(tmp_path, "  product: auto\n", _inventory(), root=solo, profile=Profile.BINARY)
        == []
    )
    assert [
        f[1]
        for f in _findings(
            tmp_path, "  product: true\n", _inventory(), root=solo, profile=Profile.BINARY
        )
    ] == ["."]
    assert (
        _findings(tmp_path, "  product: false\n", _inventory(), root=solo, profile=Profile.SOURCE)
        == []
    )
    # a pre-commit check of some files says nothing about the project's health
    assert (
        _findings(
            tmp_path,
            "  product: true\n",
            _inventory(),
            root=solo,
            profile=Profile.SOURCE,
            partial=True,
        )
        == []
    )


def test_every_community_rule_is_documented() -> None:
    docs = rule_docs()
    for rule in (
        "community/own-project-health",
        "community/dormant-dependency",
        "competition/competitor-dominated",
        "competition/no-health-data",
    ):
        assert docs[rule].summary


def test_policy_validate_accepts_the_section_and_rejects_typos(tmp_path: Path) -> None:
    good = _policy(
        tmp_path, ALIASES + "  competitors: [acme]\n  thresholds: {dormant_after_days: null}\n"
    )
    assert run_ospo("policy", "validate", good).returncode == 0
    bad = _policy(tmp_path, "  thresholds:\n    max_days_since_last_comit: 30\n")
    ran = run_ospo("policy", "validate", bad)
    assert ran.returncode == 2
    assert f"{bad}:5: community.thresholds: Additional properties" in ran.stderr
    wrong = _policy(tmp_path, "  dependencies: [{purl: widget, path: x}]\n")
    ran = run_ospo("policy", "validate", wrong)
    assert ran.returncode == 2
    assert f"{wrong}:4: community.dependencies.0.purl" in ran.stderr


def test_the_packet_counts_them_under_community_and_competition(
    widget: Path, solo: Path, tmp_path: Path
) -> None:
    from ospo.packet import build_packet, roles_for

    policy = load_policy(
        _policy(
            tmp_path,
            ALIASES + f"  competitors: [acme]\n  own_projects: [{solo}]\n"
            f"  dependencies: [{{purl: pkg:npm/widget, path: {widget}}}]\n",
        )
    )
    judged = evaluate(_inventory("widget"), policy, today=TODAY, root=tmp_path)
    packet = build_packet(judged, policy)
    areas = dict(packet.summary.by_area)
    assert (areas["community"], areas["competition"]) == (1, 1)
    assert roles_for("community/own-project-health", policy) == ("engineering", "product")
    assert roles_for("competition/competitor-dominated", policy) == ("legal", "product")


def test_the_packet_shows_each_measured_project_with_its_monthly_commits(
    widget: Path, solo: Path, tmp_path: Path
) -> None:
    from ospo import inventory_json

    policy = _policy(
        tmp_path,
        ALIASES + f"  own_projects: [{solo}]\n"
        f"  dependencies: [{{purl: pkg:npm/widget, path: {widget}}}]\n",
    )
    inventory = tmp_path / "inventory.json"
    inventory.write_text(inventory_json.dumps(_inventory("widget")), encoding="utf-8")
    common = ("--inventory", inventory, "--policy", policy, "--offline", "--today", "2026-06-30")
    md = run_ospo("packet", tmp_path, *common, "--format", "md", "-o", tmp_path / "p.md")
    assert md.returncode == 0, md.stderr
    text = (tmp_path / "p.md").read_text(encoding="utf-8")
    rows = [
        line for line in text.splitlines() if line.startswith(f"| {solo}") or "widget (" in line
    ]
    assert len(rows) == 2, text
    own, dependency = rows
    # the solo project: commits in November and January, none in 90 days; one author
    assert own.startswith(f"| {solo} | at-risk; last commit 166 days ago (more than 90);"), own
    assert own.endswith(
        "| 0 / 2 | 0 | 1 | 1 (example.org, coverage 100%) | none | `    █ █     ` |"
    )
    # widget: 7 commits in May 2026 by 5 people; acme holds 4 of the 5 attributed ones
    assert dependency.startswith("| widget (`pkg:npm/widget@1.0.0`) | active |"), dependency
    assert "| 7 / 7 | 5 |" in dependency
    assert "| 1 (acme, coverage 71%) | none | `          █ ` |" in dependency, dependency

    html = run_ospo("packet", tmp_path, *common, "--format", "html", "-o", tmp_path / "p.html")
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="community">') : page.index('<section id="inventory">')]
    assert section.count('<svg class="spark"') == 2
    assert "<title>2026-05: 7 commits</title>" in section
    assert section.count("<rect ") == 24  # twelve months each
