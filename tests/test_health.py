# SPDX-License-Identifier: Apache-2.0
"""``ospo health`` on real git repositories the tests build with known authors, dates,
merges, bots, a .mailmap and release tags, and on a real history (this project's)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conftest import run_ospo
from ospo.health import HealthSettings, Thresholds, judge, repository_health
from ospo.health.history import RELEASE_TAG, Window, absence_factor
from ospo.health.model import HealthVerdict
from ospo.health.orgs import Attribution, is_bot
from ospo.policy import load_policy

AS_OF = date(2026, 6, 30)
DEPENDABOT = "49699333+dependabot[bot]@users.noreply.github.com"


def _env(name: str, email: str, when: str) -> dict[str, str]:
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }


class Repo:
    """A repository built commit by commit with chosen authors and dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, who: tuple[str, str, str] = ("T", "t@x.invalid", "")) -> str:
        env = _env(*who) if who[2] else {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull}
        done = subprocess.run(
            [
                "git",
                "-C",
                str(self.path),
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@x.invalid",
                *args,
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        return done.stdout

    def commit(self, name: str, email: str, when: str, files: dict[str, str] | None = None) -> None:
        for rel, text in (files or {}).items():
            (self.path / rel).write_text(text, encoding="utf-8")
            self.git("add", rel)
        self.git(
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            f"work by {name} at {when}",
            who=(name, email, when),
        )


def _scancode_text(key: str) -> str:
    """A license text from ScanCode's own license data, without its YAML header."""
    import licensedcode

    text = (Path(licensedcode.__file__).parent / "data" / "licenses" / f"{key}.LICENSE").read_text(
        encoding="utf-8"
    )
    return text.split("---\n", 2)[2].lstrip("\n") if text.startswith("---\n") else text


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository of the scenario the assertions below count by hand."""
    repo = Repo(tmp_path_factory.mktemp("health") / "project")
    apache = _scancode_text("apache-2.0")
    repo.commit("Alice", "alice@acme.com", "2024-01-10T10:00:00Z", {"LICENSE": apache})
    repo.git("tag", "v1.0.0")
    repo.git("tag", "docs-snapshot")  # not a release
    repo.commit("Carol", "carol@gmail.com", "2024-05-01T10:00:00Z")
    repo.git("mv", "LICENSE", "LICENSE.md")
    repo.commit("Bob", "bob@acme.io", "2025-03-01T10:00:00Z")
    repo.git("tag", "-a", "v1.1.0", "-m", "1.1", who=("Bob", "bob@acme.io", "2025-03-02T09:00:00Z"))
    repo.commit("Carol", "carol@gmail.com", "2025-06-30T23:59:59Z")  # just before 365 days
    repo.commit("Dave", "dave@megacorp.com", "2025-07-01T00:00:00Z")  # first second of them
    repo.commit("Alice", "alice@acme.com", "2025-08-15T10:00:00Z")
    repo.commit("Alice", "ALICE@ACME.COM", "2025-08-15T11:00:00Z")
    repo.commit("Alice Laptop", "alice@old-laptop.local", "2025-08-15T12:00:00Z")
    repo.commit("Dave", "dave@megacorp.com", "2025-09-01T10:00:00Z")
    repo.commit("Dave", "dave@megacorp.com", "2025-09-01T11:00:00Z")
    repo.commit("Frank", "frank@us.megacorp.com", "2025-12-01T10:00:00Z")
    repo.commit(
        "Carol",
        "carol@gmail.com",
        "2026-02-01T10:00:00Z",
        {"LICENSE.md": _scancode_text("bsl-1.1")},
    )
    repo.git("tag", "v2.0.0")
    repo.commit(
        "Alice",
        "alice@acme.com",
        "2026-04-10T10:00:00Z",
        {".mailmap": "Alice <alice@acme.com> <alice@old-laptop.local>\n"},
    )
    repo.commit("Alice", "alice@acme.com", "2026-04-10T11:00:00Z")
    repo.commit("dependabot[bot]", DEPENDABOT, "2026-05-01T10:00:00Z")
    repo.commit("Renovate Bot", "bot@renovateapp.com", "2026-05-01T11:00:00Z")
    repo.commit("Erin", "123+erin@users.noreply.github.com", "2026-05-20T10:00:00Z")
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit("Erin", "123+erin@users.noreply.github.com", "2026-05-21T10:00:00Z")
    repo.git("checkout", "-q", "main")
    repo.git(
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "merge topic",
        "topic",
        who=("Alice", "alice@acme.com", "2026-05-22T10:00:00Z"),
    )
    repo.commit("Bob", "bob@acme.io", "2026-06-30T23:59:59Z")  # the last second of as-of
    repo.commit("Carol", "carol@gmail.com", "2026-07-01T00:00:00Z")  # after it
    repo.git("tag", "v3.0.0")  # dated after as-of
    return repo.path


def _policy(tmp_path: Path, community: str) -> Path:
    path = tmp_path / "org.yml"
    path.write_text("version: 1\nextends: default\ncommunity:\n" + community, encoding="utf-8")
    return path


ALIASES = "  organisations:\n    aliases: {acme: [acme.com, acme.io], megacorp: [megacorp.com]}\n"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> HealthSettings:
    return HealthSettings.from_policy(load_policy(_policy(tmp_path_factory.mktemp("p"), ALIASES)))


def test_activity_counts_by_commit_date_with_mailmap_merges_and_bots(
    history: Path, settings: HealthSettings
) -> None:
    report = repository_health(history, AS_OF, settings, licenses=False)
    a = report.activity
    assert (a.commits_90d, a.commits_365d, a.bot_commits_365d) == (5, 13, 2)
    assert a.authors_90d == {
        "alice@acme.com": 2,
        "123+erin@users.noreply.github.com": 2,
        "bob@acme.io": 1,
    }
    assert a.authors_365d == {
        "alice@acme.com": 5,  # two spellings and the address .mailmap maps
        "dave@megacorp.com": 3,
        "123+erin@users.noreply.github.com": 2,  # the merge is not counted, the branch is
        "frank@us.megacorp.com": 1,
        "carol@gmail.com": 1,
        "bob@acme.io": 1,
    }
    assert a.days_since_last_commit == 0
    assert (a.first_commit, a.last_commit, a.total_commits) == ("2024-01-10", "2026-06-30", 17)
    assert dict(a.monthly) == {
        "2025-07": 1, "2025-08": 3, "2025-09": 2, "2025-10": 0, "2025-11": 0, "2025-12": 1,
        "2026-01": 0, "2026-02": 1, "2026-03": 0, "2026-04": 2, "2026-05": 2, "2026-06": 1,
    }  # fmt: skip
    assert a.new_contributors == (
        ("2024Q3", 0), ("2024Q4", 0), ("2025Q1", 1), ("2025Q2", 0),
        ("2025Q3", 1), ("2025Q4", 1), ("2026Q1", 0), ("2026Q2", 1),
    )  # fmt: skip
    assert a.new_contributors_365d == 3
    assert report.contributor_absence_factor == 2  # alice 5 + dave 3 >= 13 / 2
    assert report.contributor_absence_factor_90d == 2
    assert (report.verdict, report.reasons) == (HealthVerdict.ACTIVE, ())


def test_elephant_factor_with_aliases_subdomains_individuals_and_coverage(
    history: Path, settings: HealthSettings, tmp_path: Path
) -> None:
    report = repository_health(history, AS_OF, settings, licenses=False)
    assert report.activity.organisations_365d == {"acme": 6, "megacorp": 4}
    assert report.activity.individual_commits_365d == 3  # gmail and GitHub's noreply
    assert report.elephant_factor == 1
    assert report.elephant_coverage == pytest.approx(10 / 13)
    assert (report.dominant_organisation, report.dominant_share) == ("acme", 0.6)
    # without the alias map each domain is its own organisation
    plain = HealthSettings.from_policy(load_policy(_policy(tmp_path, "  bots: []\n")))
    bare = repository_health(history, AS_OF, plain, licenses=False)
    assert bare.activity.organisations_365d == {
        "acme.com": 5,
        "megacorp.com": 3,
        "us.megacorp.com": 1,
        "acme.io": 1,
    }
    assert bare.elephant_factor == 1  # 5 of 10
    # an identity pinned to an organisation moves a personal address's commits to it
    pinned = HealthSettings.from_policy(
        load_policy(
            _policy(
                tmp_path,
                "  organisations:\n    aliases: {acme: [acme.com, acme.io]}\n"
                "    identities: {'carol@gmail.com': megacorp.com, "
                "'123+erin@users.noreply.github.com': megacorp.com}\n",
            )
        )
    )
    moved = repository_health(history, AS_OF, pinned, licenses=False)
    assert moved.activity.organisations_365d == {
        "acme": 6,
        "megacorp.com": 6,
        "us.megacorp.com": 1,
    }
    assert moved.elephant_coverage == 1.0
    assert moved.elephant_factor == 2  # 6 of 13 is not half


def _shortlog(repo: Path, window: Window, days: int) -> Counter[str]:
    out = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "shortlog",
            "-sne",
            "--no-merges",
            *window.git_range(days),
            "HEAD",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counts: Counter[str] = Counter()
    for line in out.splitlines():
        found = re.match(r"\s*(\d+)\t(.*) <(.*)>$", line)
        assert found, line
        email = found[3].lower()
        if not is_bot(email, found[2]):
            counts[email] += int(found[1])
    return counts


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 3, 31), date(2025, 8, 15), date(2027, 1, 1)])
def test_counts_agree_with_git_shortlog(
    history: Path, settings: HealthSettings, as_of: date
) -> None:
    report = repository_health(history, as_of, settings, licenses=False)
    window = Window(as_of=as_of)
    assert report.activity.authors_365d == dict(_shortlog(history, window, 365))
    assert report.activity.authors_90d == dict(_shortlog(history, window, 90))
    assert report.contributor_absence_factor == absence_factor(
        dict(_shortlog(history, window, 365))
    )


def test_verdicts_by_thresholds_with_reasons(history: Path, settings: HealthSettings) -> None:
    risky = repository_health(history, date(2026, 3, 31), settings, licenses=False)
    assert risky.verdict is HealthVerdict.AT_RISK
    assert risky.reasons == ("1 active contributor in the last 90 days (fewer than 2)",)
    late = repository_health(history, date(2027, 12, 31), settings, licenses=False)
    assert late.verdict is HealthVerdict.DORMANT
    assert late.activity.days_since_last_commit == 548  # the commit of 2026-07-01 counts now
    assert late.reasons == (
        "last commit 548 days ago (dormant after 365)",
        "0 active contributors in the last 90 days (fewer than 2)",
        "contributor absence factor 0 over 365 days (below 2)",
        "0 new contributors in 365 days (fewer than 1)",
        "last release 548 days ago (more than 365)",
    )
    before = repository_health(history, date(2023, 12, 31), settings, licenses=False)
    assert before.verdict is HealthVerdict.DORMANT
    assert before.activity.days_since_last_commit is None
    assert before.reasons[0] == "no commit by a person up to the as-of day"


def test_thresholds_come_from_the_policy_and_null_leaves_a_check_out() -> None:
    from ospo.health.model import Activity

    quiet = Activity(
        commits_90d=1, commits_365d=1, bot_commits_365d=0, authors_90d={"a@x.org": 1},
        authors_365d={"a@x.org": 1}, organisations_365d={"x.org": 1}, individual_commits_365d=0,
        days_since_last_commit=100, first_commit=None, last_commit=None, monthly=(),
        new_contributors=(), new_contributors_365d=0, total_commits=1,
    )  # fmt: skip
    assert judge(quiet, None, Thresholds())[0] is HealthVerdict.AT_RISK
    assert judge(quiet, None, Thresholds(dormant_after_days=99))[0] is HealthVerdict.DORMANT
    lenient = Thresholds(
        max_days_since_last_commit=None,
        min_active_contributors_90d=1,
        min_contributor_absence_factor=None,
        min_new_contributors_365d=None,
    )
    assert judge(quiet, 400, lenient) == (
        HealthVerdict.AT_RISK,
        ("last release 400 days ago (more than 365)",),
    )
    assert judge(quiet, 365, lenient) == (HealthVerdict.ACTIVE, ())


def test_releases_are_version_tags_dated_by_the_tag(
    history: Path, settings: HealthSettings
) -> None:
    report = repository_health(history, AS_OF, settings, licenses=False)
    assert [(r.tag, r.date) for r in report.releases] == [
        ("v1.0.0", "2024-01-10"),
        ("v1.1.0", "2025-03-02"),  # the annotated tag's own date
        ("v2.0.0", "2026-02-01"),
    ]
    assert report.days_since_last_release == 149
    assert report.median_days_between_releases == 376.5  # 417 and 336 days
    later = repository_health(history, date(2026, 7, 2), settings, licenses=False)
    assert later.releases[-1].tag == "v3.0.0"
    assert later.days_since_last_release == 1


@pytest.mark.parametrize(
    ("tag", "release"),
    [
        ("v1.2.3", True),
        ("1.0", True),
        ("release-2.0.1", True),
        ("pkg@4.17.21", True),
        ("v1.0.0-rc.1", True),
        ("v2", False),
        ("docs-snapshot", False),
        ("latest", False),
        ("nightly-20260101", False),
    ],
)
def test_release_like_tags(tag: str, release: bool) -> None:
    assert bool(RELEASE_TAG.match(tag)) is release


@pytest.mark.parametrize(
    ("email", "name", "bot"),
    [
        (DEPENDABOT, "dependabot[bot]", True),
        ("41898282+github-actions[bot]@users.noreply.github.com", "github-actions[bot]", True),
        ("bot@renovateapp.com", "Renovate Bot", True),
        ("ci@acme.com", "Release Bot [bot]", True),
        ("123+erin@users.noreply.github.com", "Erin", False),
        ("abbot@example.org", "Abbot", False),
    ],
)
def test_bot_recognition(email: str, name: str, bot: bool) -> None:
    assert is_bot(email, name) is bot


def test_attribution_of_addresses() -> None:
    attribution = Attribution.from_policy(
        {
            "organisations": {
                "aliases": {"ibm": ["ibm.com"]},
                "identities": {"x@gmail.com": "ibm"},
            },
            "public_mail_providers": ["gmail.com"],
        }
    )
    assert attribution.organisation("a@us.ibm.com") == "ibm"
    assert attribution.organisation("a@ibm.com") == "ibm"
    assert attribution.organisation("a@notibm.com") == "notibm.com"
    assert attribution.organisation("x@gmail.com") == "ibm"
    assert attribution.organisation("y@gmail.com") is None
    assert attribution.organisation("1+y@users.noreply.github.com") is None
    assert attribution.organisation("root@localhost") is None
    assert attribution.organisation("no-address") is None
    assert attribution.names("IBM") == frozenset({"ibm", "ibm.com"})


def test_license_history_follows_a_rename_and_reports_relicensing(
    history: Path, settings: HealthSettings
) -> None:
    report = repository_health(history, AS_OF, settings)
    assert [(s.tag, s.files, s.expression) for s in report.license_history] == [
        ("v1.0.0", ("LICENSE",), "Apache-2.0"),
        ("v1.1.0", ("LICENSE.md",), "Apache-2.0"),  # renamed, same license: no change
        ("v2.0.0", ("LICENSE.md",), "BUSL-1.1"),
    ]
    (change,) = report.license_changes
    assert (change.tag, change.previous_tag, change.before, change.after) == (
        "v2.0.0",
        "v1.1.0",
        "Apache-2.0",
        "BUSL-1.1",
    )
    assert change.categories == ("Source-available",)
    assert change.classes == ("source-available",)
    assert change.open_source is False
    assert report.issues == ()


def test_license_history_of_open_license_moves(tmp_path: Path, settings: HealthSettings) -> None:
    repo = Repo(tmp_path / "moves")
    repo.commit("A", "a@x.org", "2025-01-01T00:00:00Z", {"COPYING": _scancode_text("bsd-new")})
    repo.git("tag", "1.0")
    repo.commit("A", "a@x.org", "2025-02-01T00:00:00Z", {"COPYING": _scancode_text("mit")})
    repo.git("tag", "1.1")
    (repo.path / "COPYING").unlink()
    repo.git("add", "-A")
    repo.commit("A", "a@x.org", "2025-03-01T00:00:00Z", {"LICENCE.txt": _scancode_text("agpl-3.0")})
    repo.git("tag", "1.2")
    repo.git("rm", "-q", "LICENCE.txt")
    repo.commit("A", "a@x.org", "2025-04-01T00:00:00Z")
    repo.git("tag", "1.3")
    report = repository_health(repo.path, date(2025, 6, 1), settings)
    assert [
        (c.tag, c.before, c.after, c.classes, c.open_source) for c in report.license_changes
    ] == [
        ("1.1", "BSD-3-Clause", "MIT", ("permissive",), True),
        ("1.2", "MIT", "AGPL-3.0-only", ("network-copyleft",), True),
        ("1.3", "AGPL-3.0-only", None, (), False),
    ]
    assert report.license_history[-1].files == ()


CUSTOM = (
    "Acme Community License\n\nYou may read this code. You may not run it in production "
    "without a paid subscription from Acme Inc.\n"
)


def test_a_license_text_nobody_recognises_is_never_unchanged(
    tmp_path: Path, settings: HealthSettings
) -> None:
    repo = Repo(tmp_path / "custom")
    repo.commit("A", "a@x.org", "2025-01-01T00:00:00Z", {"LICENSE": _scancode_text("mit")})
    repo.git("tag", "v1.0")
    repo.commit("A", "a@x.org", "2025-02-01T00:00:00Z", {"LICENSE": CUSTOM})
    repo.git("tag", "v1.1")
    repo.commit("A", "a@x.org", "2025-03-01T00:00:00Z", {"README": "same license\n"})
    repo.git("tag", "v1.2")
    repo.commit(
        "A", "a@x.org", "2025-04-01T00:00:00Z", {"LICENSE": CUSTOM.replace("read", "study")}
    )
    repo.git("tag", "v1.3")
    report = repository_health(repo.path, date(2025, 6, 1), settings)
    assert [(s.tag, s.expression, s.undetected) for s in report.license_history] == [
        ("v1.0", "MIT", ()),
        ("v1.1", None, ("LICENSE",)),
        ("v1.2", None, ("LICENSE",)),
        ("v1.3", None, ("LICENSE",)),
    ]
    assert [
        (c.tag, c.before, c.after, c.open_source, c.needs_review) for c in report.license_changes
    ] == [
        ("v1.1", "MIT", None, False, True),
        ("v1.3", None, None, False, True),  # another unrecognised text: read it again
    ]


def test_a_second_run_reads_license_texts_from_the_cache(
    history: Path, settings: HealthSettings, isolated_cache: Path
) -> None:
    repository_health(history, AS_OF, settings)
    import ospo.engine.fastpath as fastpath

    before = fastpath.files_with_candidates()
    again = repository_health(history, AS_OF, settings)
    assert fastpath.files_with_candidates() == before
    assert again.license_changes[0].after == "BUSL-1.1"


# --- the command --------------------------------------------------------------------------


def test_cli_json_keys_and_values(history: Path) -> None:
    ran = run_ospo("health", history, "--as-of", "2026-06-30", "--format", "json")
    assert (ran.returncode, ran.stderr) == (0, "")
    (entry,) = json.loads(ran.stdout)
    assert {k: entry[k] for k in list(entry)[:10]} == {
        "path": str(history),
        "commits_90d": 5,
        "commits_365d": 13,
        "active_contributors_90d": 3,
        "days_since_last_commit": 0,
        "contributor_absence_factor": 2,
        "elephant_factor": 1,  # acme.com 5 of the 10 attributed commits, no alias map
        "days_since_last_release": 149,
        "verdict": "active",
        "reasons": [],
    }
    assert entry["elephant_coverage"] == round(10 / 13, 4)
    assert entry["license_changes"][0]["after"] == "BUSL-1.1"
    assert [m["commits"] for m in entry["monthly_commits"]] == [1, 3, 2, 0, 0, 1, 0, 1, 0, 2, 2, 1]


def test_cli_text_has_the_chart_reasons_and_relicensing(history: Path) -> None:
    ran = run_ospo("health", history, "--as-of", "2026-03-31")
    assert ran.returncode == 0
    lines = ran.stdout.splitlines()
    assert lines[0] == f"{history}: at-risk (as of 2026-03-31)"
    assert lines[1] == "  - 1 active contributor in the last 90 days (fewer than 2)"
    assert "  monthly:  2025-04 |" in ran.stdout
    assert (
        "license changed at v2.0.0 (2026-02-01): Apache-2.0 -> BUSL-1.1 "
        "[Source-available; not open source]" in ran.stdout
    )


def test_cli_reports_good_repositories_and_exits_2_for_bad_ones(
    history: Path, tmp_path: Path
) -> None:
    empty = Repo(tmp_path / "empty").path
    plain = tmp_path / "plain"
    plain.mkdir()
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history}", str(shallow)],
        check=True,
        capture_output=True,
    )
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    ran = run_ospo(
        "health", tmp_path / "missing", plain, empty, history, shallow, a_file,
        "--as-of", "2026-06-30", "--format", "json",
    )  # fmt: skip
    assert ran.returncode == 2
    assert [e["path"] for e in json.loads(ran.stdout)] == [str(history)]
    assert ran.stderr.splitlines() == [
        f"ospo: {tmp_path / 'missing'}: no such file or directory",
        f"ospo: {plain}: not a git repository",
        f"ospo: {empty}: an empty repository: it has no commit yet",
        f"ospo: {shallow}: a shallow clone: its history is cut, so its activity cannot be "
        "measured (fetch the whole history with `git fetch --unshallow`)",
        f"ospo: {a_file}: not a directory, so not a git repository",
    ]


def test_cli_reads_organisations_and_thresholds_from_the_policy(
    history: Path, tmp_path: Path
) -> None:
    policy = _policy(tmp_path, ALIASES + "  thresholds: {min_active_contributors_90d: 4}\n")
    ran = run_ospo(
        "health", history, "--as-of", "2026-06-30", "--format", "json", "--policy", policy
    )
    (entry,) = json.loads(ran.stdout)
    assert (entry["dominant_organisation"], entry["organisations_365d"]) == (
        "acme",
        {"acme": 6, "megacorp": 4},
    )
    assert (entry["verdict"], entry["reasons"]) == (
        "at-risk",
        ["3 active contributors in the last 90 days (fewer than 4)"],
    )
    typo = _policy(tmp_path, "  thresholds: {min_active_contributor_90d: 4}\n")
    ran = run_ospo("health", history, "--policy", typo)
    assert ran.returncode == 2
    assert f"{typo}:4: community.thresholds: Additional properties" in ran.stderr


def test_a_damaged_repository_is_named_with_gits_reason(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "damaged")
    repo.commit("A", "a@x.org", "2025-01-01T00:00:00Z")
    head = repo.git("rev-parse", "HEAD").strip()
    (repo.path / ".git" / "objects" / head[:2] / head[2:]).unlink()
    ran = run_ospo("health", repo.path, "--as-of", "2025-06-01")
    assert (ran.returncode, ran.stdout) == (2, "")
    assert ran.stderr.startswith(f"ospo: {repo.path}: git log failed: fatal: bad object HEAD")


def test_cli_rejects_a_bad_date() -> None:
    ran = run_ospo("health", ".", "--as-of", "30/06/2026")
    assert ran.returncode == 2
    assert "'30/06/2026' is not a date (YYYY-MM-DD)" in ran.stderr


# --- a real history -------------------------------------------------------------------------


def test_real_history_agrees_with_git_shortlog(tmp_path: Path, settings: HealthSettings) -> None:
    source = Path(__file__).resolve().parents[1]
    shallow = subprocess.run(
        ["git", "-C", str(source), "rev-parse", "--is-shallow-repository"],
        capture_output=True,
        text=True,
    )
    if shallow.returncode != 0 or shallow.stdout.strip() != "false":
        pytest.skip("the project's source is not a full git clone here")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True, capture_output=True)
    last = subprocess.run(
        ["git", "-C", str(clone), "log", "--format=%ct"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    as_of = datetime.fromtimestamp(max(int(t) for t in last.split()), UTC).date()
    report = repository_health(clone, as_of, settings, licenses=False)
    window = Window(as_of=as_of)
    assert report.activity.authors_365d == dict(_shortlog(clone, window, 365))
    assert report.activity.authors_90d == dict(_shortlog(clone, window, 90))
    assert report.activity.days_since_last_commit == 0
    # the whole history, bots left out, is every commit up to the last one
    whole = _shortlog(clone, window, 365 * 100)
    assert report.activity.total_commits == sum(whole.values())
