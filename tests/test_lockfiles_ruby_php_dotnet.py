# SPDX-License-Identifier: Apache-2.0
"""Ruby, PHP and .NET lock files, read from files the package managers wrote.

The Bundler project was locked by Bundler itself, the Composer project by Composer, and
the NuGet lock files were restored by NuGet in public projects
(``tests/data/lockfiles/SOURCES.md``). What Bundler's own lock-file parser and Composer's
``composer show`` report is saved beside each fixture and is the reference here; the NuGet
lock files are checked against a plain reading of their JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lockfiles import LOCKS, broken_file_issue, by_purl, copy_project, scan

from conftest import run_ospo
from ospo.model import Component, IssueKind, LicenseSource, Scope
from ospo.scanners import SCANNERS
from ospo.scanners.lockfiles.base import ManifestScanner
from ospo.scanners.lockfiles.components import MANIFEST_ONLY
from ospo.scanners.lockfiles.composer import ComposerJsonScanner, ComposerLockScanner, composer_purl
from ospo.scanners.lockfiles.gemfile import GemfileLockScanner, gem_purl
from ospo.scanners.lockfiles.nuget import NugetLockScanner, nuget_purl


def bundle_list(name: str) -> set[str]:
    """The gems a saved ``bundle list`` output names, as purls."""
    lines = (LOCKS / "bundler" / name).read_text(encoding="utf-8").splitlines()
    gems = [line.strip()[2:] for line in lines if line.startswith("  * ")]
    return {gem_purl(g.split(" (")[0], g.split(" (")[1].rstrip(")")) for g in gems}


def test_scanners_are_registered() -> None:
    for scanner in (GemfileLockScanner, ComposerLockScanner, ComposerJsonScanner, NugetLockScanner):
        assert SCANNERS[scanner.name] is scanner


# --- Bundler ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gems() -> dict[str, Component]:
    contribution = scan(GemfileLockScanner(), LOCKS / "bundler")
    assert contribution.issues == ()
    return by_purl(contribution)


@pytest.fixture(scope="module")
def bundler_reference() -> dict[str, list[dict[str, object]]]:
    text = (LOCKS / "bundler" / "bundler-lockfile-parser.json").read_text(encoding="utf-8")
    data: dict[str, list[dict[str, object]]] = json.loads(text)
    return data


def test_bundler_every_gem_from_a_gem_server_with_its_edges(
    gems: dict[str, Component], bundler_reference: dict[str, list[dict[str, object]]]
) -> None:
    specs = {str(s["name"]): s for s in bundler_reference["specs"]}
    remote = {n: s for n, s in specs.items() if s["source"] != "Path"}
    purl = {n: gem_purl(n, str(s["version"])) for n, s in specs.items()}
    assert set(gems) == {purl[n] for n in remote}
    assert len(gems) == 14
    for name, spec in remote.items():
        needs = {purl[str(d)] for d in spec["dependencies"]}  # type: ignore[attr-defined]
        assert set(gems[purl[name]].dependencies) == needs, name
    # the gem from a path source is the project's own code
    assert specs["acme-util"]["source"] == "Path"
    assert not any(c.name == "acme-util" for c in gems.values())


def test_bundler_direct_gems_are_the_lock_files_dependencies(
    gems: dict[str, Component], bundler_reference: dict[str, list[dict[str, object]]]
) -> None:
    asked = {str(d["name"]) for d in bundler_reference["dependencies"] if d["source"] != "Path"}
    assert {c.name for c in gems.values() if c.direct} == asked
    assert asked == {"rack", "rack-test", "rake", "rspec", "sinatra"}


def test_bundler_scopes_follow_the_gemfile_groups(gems: dict[str, Component]) -> None:
    runtime = bundle_list("bundle-list-default.txt") - {gem_purl("acme-util", "0.1.0")}
    assert {p for p, c in gems.items() if c.scope is Scope.RUNTIME} == runtime
    # rack-test is only in :test; rspec is in :development and :test (the wider wins)
    test_only = bundle_list("bundle-list-test.txt") - runtime
    assert gems[gem_purl("rack-test", "2.0.2")].scope is Scope.TEST
    for purl in test_only - {gem_purl("rack-test", "2.0.2")}:
        assert gems[purl].scope is Scope.DEV, purl
    assert gems[gem_purl("rake", "13.0.6")].scope is Scope.DEV  # group: :development
    # ruby2_keywords ships through sinatra -> mustermann; rack through the path gem too
    assert gems[gem_purl("ruby2_keywords", "0.0.5")].scope is Scope.RUNTIME
    assert bundle_list("bundle-list.txt") - {gem_purl("acme-util", "0.1.0")} == set(gems)


def test_bundler_lock_records_no_license(gems: dict[str, Component]) -> None:
    sinatra = gems["pkg:gem/sinatra@3.0.5"]
    assert sinatra.licenses == ()
    assert sinatra.license_expression is None
    assert sinatra.unknown_reason is not None and "Gemfile.lock" in sinatra.unknown_reason


def test_bundler_lock_without_gemfile_takes_every_dependency_as_runtime(tmp_path: Path) -> None:
    project = copy_project("bundler", tmp_path, "Gemfile.lock")
    found = by_purl(scan(GemfileLockScanner(), project))
    assert set(found) == set(bundle_list("bundle-list.txt")) - {gem_purl("acme-util", "0.1.0")}
    assert {c.scope for c in found.values()} == {Scope.RUNTIME}


def test_bundler_garbled_spec_line_is_an_issue_and_the_rest_counts(tmp_path: Path) -> None:
    project = copy_project("bundler", tmp_path, "Gemfile", "Gemfile.lock")
    lock = project / "Gemfile.lock"
    lines = lock.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line == "    tilt (2.0.11)\n")
    lines[number - 1] = "    tilt 2.0.11)\n"
    lock.write_text("".join(lines), encoding="utf-8")

    contribution = scan(GemfileLockScanner(), project)

    (issue,) = contribution.issues
    assert issue.kind is IssueKind.MANIFEST
    assert issue.path == "Gemfile.lock"
    assert issue.message.startswith(f"line {number}: not a gem specification: 'tilt 2.0.11)'")
    found = by_purl(contribution)
    assert len(found) == 13
    assert "pkg:gem/tilt@2.0.11" not in found
    assert found["pkg:gem/sinatra@3.0.5"].scope is Scope.RUNTIME


def test_bundler_file_that_is_not_a_lock_file(tmp_path: Path) -> None:
    (tmp_path / "Gemfile.lock").write_text("  just: text\n", encoding="utf-8")
    contribution = scan(GemfileLockScanner(), tmp_path)
    assert contribution.components == ()
    (issue,) = contribution.issues
    assert "not a Gemfile.lock" in issue.message


def test_gem_purl_platform_qualifier() -> None:
    assert gem_purl("nokogiri", "1.16.0", "x86_64-linux") == (
        "pkg:gem/nokogiri@1.16.0?platform=x86_64-linux"
    )
    assert gem_purl("rack", "2.2.22", "ruby") == "pkg:gem/rack@2.2.22"


# --- Composer --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def composer() -> dict[str, Component]:
    contribution = scan(ComposerLockScanner(), LOCKS / "composer")
    assert contribution.issues == ()
    return by_purl(contribution)


def composer_show(name: str) -> list[dict[str, object]]:
    data = json.loads((LOCKS / "composer" / name).read_text(encoding="utf-8"))
    key = "locked" if "locked" in data else "installed"
    packages: list[dict[str, object]] = data[key]
    return packages


def test_composer_packages_and_direct_as_composer_shows_them(
    composer: dict[str, Component],
) -> None:
    shown = composer_show("composer-show-locked.json")
    expected = {composer_purl(str(p["name"]), str(p["version"])): p for p in shown}
    assert set(composer) == set(expected)
    assert len(composer) == 3
    for purl, package in expected.items():
        assert composer[purl].direct is package["direct-dependency"], purl


def test_composer_scope_is_what_no_dev_leaves_out(composer: dict[str, Component]) -> None:
    no_dev = composer_show("composer-show-locked-no-dev.json")
    runtime = {composer_purl(str(p["name"]), str(p["version"])) for p in no_dev}
    assert {p for p, c in composer.items() if c.scope is Scope.RUNTIME} == runtime
    assert composer["pkg:composer/doctrine/instantiator@1.5.0"].scope is Scope.DEV


def test_composer_edges_match_the_dependency_tree(composer: dict[str, Component]) -> None:
    versions = {
        str(p["name"]): str(p["version"]) for p in composer_show("composer-show-locked.json")
    }

    def edges(node: dict[str, object]) -> set[str]:
        return {
            composer_purl(str(r["name"]), versions[str(r["name"])])
            for r in node.get("requires", [])  # type: ignore[attr-defined]
            if str(r["name"]) in versions
        }

    for root in composer_show("composer-show-locked-tree.json"):
        purl = composer_purl(str(root["name"]), str(root["version"]))
        assert set(composer[purl].dependencies) == edges(root), purl
    assert composer["pkg:composer/monolog/monolog@2.9.1"].dependencies == (
        "pkg:composer/psr/log@1.1.4",
    )


def test_composer_license_is_declared_evidence(composer: dict[str, Component]) -> None:
    lock = json.loads((LOCKS / "composer" / "composer.lock").read_text(encoding="utf-8"))
    recorded = {p["name"]: p["license"] for p in lock["packages"] + lock["packages-dev"]}
    for component in composer.values():
        assert recorded[component.name] == ["MIT"]
        (evidence,) = component.licenses
        assert (evidence.expression, evidence.source, evidence.location, evidence.valid) == (
            "MIT",
            LicenseSource.DECLARED,
            "composer.lock",
            True,
        )
        assert component.license_expression == "MIT"


def test_composer_several_licenses_are_a_choice(tmp_path: Path) -> None:
    project = copy_project("composer", tmp_path, "composer.json", "composer.lock")
    lock = json.loads((project / "composer.lock").read_text(encoding="utf-8"))
    lock["packages"][1]["license"] = ["LGPL-2.1-only", "GPL-3.0-or-later"]
    (project / "composer.lock").write_text(json.dumps(lock), encoding="utf-8")
    found = by_purl(scan(ComposerLockScanner(), project))
    assert found["pkg:composer/psr/log@1.1.4"].license_expression == (
        "LGPL-2.1-only OR GPL-3.0-or-later"
    )


def test_composer_json_alone(tmp_path: Path) -> None:
    project = copy_project("composer", tmp_path, "composer.json")
    assert scan(ComposerLockScanner(), project).components == ()
    contribution = scan(ComposerJsonScanner(), project)
    assert contribution.issues == ()
    found = by_purl(contribution)
    # php and ext-json are the platform, not packages; ranges give no version
    assert found.keys() == {"pkg:composer/monolog/monolog", "pkg:composer/doctrine/instantiator"}
    assert found["pkg:composer/monolog/monolog"].scope is Scope.RUNTIME
    assert found["pkg:composer/doctrine/instantiator"].scope is Scope.DEV
    assert all(c.direct for c in found.values())
    reason = MANIFEST_ONLY.format(file="composer.json")
    assert found["pkg:composer/monolog/monolog"].unknown_reason == reason


def test_composer_json_beside_a_lock_file_is_left_to_the_lock_scanner() -> None:
    assert scan(ComposerJsonScanner(), LOCKS / "composer").components == ()


def test_composer_purl_keeps_the_version_composer_records() -> None:
    assert composer_purl("Symfony/Console", "v5.4.3") == "pkg:composer/symfony/console@v5.4.3"


# --- NuGet -----------------------------------------------------------------------------


def nuget_reference(name: str) -> dict[str, dict[str, object]]:
    """Every package of a lock file's frameworks by purl, read as plain JSON."""
    data = json.loads((LOCKS / name / "packages.lock.json").read_text(encoding="utf-8"))
    out: dict[str, dict[str, object]] = {}
    for entries in data["dependencies"].values():
        for package, entry in entries.items():
            if entry["type"] != "Project":
                out.setdefault(nuget_purl(package, entry["resolved"]), {}).update(entry)
    return out


@pytest.fixture(scope="module")
def nuget_multi() -> dict[str, Component]:
    contribution = scan(NugetLockScanner(), LOCKS / "nuget-multi")
    assert contribution.issues == ()
    return by_purl(contribution)


def test_nuget_frameworks_merged(nuget_multi: dict[str, Component]) -> None:
    reference = nuget_reference("nuget-multi")
    assert set(nuget_multi) == set(reference)
    assert len(nuget_multi) == 17
    # resolved differently per framework: one component per version
    assert {
        "pkg:nuget/Microsoft.NETCore.Platforms@1.1.0",
        "pkg:nuget/Microsoft.NETCore.Platforms@5.0.0",
    } <= set(nuget_multi)
    # the solution's own project is not a package
    assert not any(
        c.name.lower() == "arknightsresources.operators.models" for c in nuget_multi.values()
    )
    data = json.loads((LOCKS / "nuget-multi" / "packages.lock.json").read_text(encoding="utf-8"))
    direct = {
        nuget_purl(name, entry["resolved"])
        for entries in data["dependencies"].values()
        for name, entry in entries.items()
        if entry["type"] == "Direct"
    }
    assert {p for p, c in nuget_multi.items() if c.direct} == direct


def test_nuget_edges_use_each_frameworks_resolved_versions(
    nuget_multi: dict[str, Component],
) -> None:
    # netstandard2.0 asks for System.Memory 4.5.4 and resolves 4.5.5
    assert nuget_multi["pkg:nuget/K4os.Compression.LZ4@1.2.16"].dependencies == (
        "pkg:nuget/System.Memory@4.5.5",
    )
    # CodePages needs Unsafe on netstandard2.0 and Platforms 5.0.0 on net6.0
    assert set(nuget_multi["pkg:nuget/System.Text.Encoding.CodePages@5.0.0"].dependencies) == {
        "pkg:nuget/System.Runtime.CompilerServices.Unsafe@6.0.0",
        "pkg:nuget/Microsoft.NETCore.Platforms@5.0.0",
    }


def test_nuget_private_assets_in_the_project_file_are_dev(
    nuget_multi: dict[str, Component],
) -> None:
    dev = {
        "pkg:nuget/Microsoft.SourceLink.AzureRepos.Git@1.1.1",
        "pkg:nuget/Microsoft.SourceLink.Common@1.1.1",
        "pkg:nuget/Microsoft.Build.Tasks.Git@1.1.1",
    }
    assert {p for p, c in nuget_multi.items() if c.scope is Scope.DEV} == dev
    assert {c.scope for p, c in nuget_multi.items() if p not in dev} == {Scope.RUNTIME}
    # System.Text.Json comes only through the project reference: runtime, not direct
    json_ = nuget_multi["pkg:nuget/System.Text.Json@7.0.0"]
    assert (json_.scope, json_.direct) == (Scope.RUNTIME, False)


def test_nuget_without_project_file_everything_is_runtime(tmp_path: Path) -> None:
    project = copy_project("nuget-multi", tmp_path, "packages.lock.json")
    found = by_purl(scan(NugetLockScanner(), project))
    assert {c.scope for c in found.values()} == {Scope.RUNTIME}
    unknown = found["pkg:nuget/SixLabors.ImageSharp@2.1.3"].unknown_reason
    assert unknown is not None and "packages.lock.json" in unknown


def test_nuget_test_project_version_2() -> None:
    contribution = scan(NugetLockScanner(), LOCKS / "nuget-test-project")
    assert contribution.issues == ()
    found = by_purl(contribution)
    reference = nuget_reference("nuget-test-project")
    assert set(found) == set(reference)
    assert len(found) == 36
    # it references Microsoft.NET.Test.Sdk: nothing in it ships
    assert {c.scope for c in found.values()} == {Scope.TEST}
    assert {p for p, c in found.items() if c.direct} == {
        p for p, e in reference.items() if e["type"] == "Direct"
    }
    # pinned centrally, needed by the referenced project: transitive
    guards = found["pkg:nuget/Atya.Foundation.Guards@1.0.0"]
    assert reference["pkg:nuget/Atya.Foundation.Guards@1.0.0"]["type"] == "CentralTransitive"
    assert guards.direct is False
    assert not any(c.name == "Atya.Templates.NuGetPackage" for c in found.values())


@pytest.mark.parametrize(
    ("scanner", "name", "content", "expected"),
    [
        (
            NugetLockScanner(),
            "packages.lock.json",
            '{"version": 1,\n "dependencies": {\n',
            "line 3:",
        ),
        (NugetLockScanner(), "packages.lock.json", '{"version": 2}', "not a NuGet lock file"),
        (
            NugetLockScanner(),
            "packages.lock.json",
            '{"version": 1, "dependencies": {"net8.0": {"A": {"type": "Direct"}}}}',
            "no resolved version",
        ),
        (ComposerLockScanner(), "composer.lock", '{"packages": [\n{"name": }\n]}', "line 2:"),
        (
            ComposerLockScanner(),
            "composer.lock",
            '{"packages": {"a/b": "1.0"}}',
            "should be a list",
        ),
        (ComposerJsonScanner(), "composer.json", '{"require": ["monolog/monolog"]}', "should be"),
    ],
)
def test_broken_file_is_an_issue(
    tmp_path: Path, scanner: ManifestScanner, name: str, content: str, expected: str
) -> None:
    issue = broken_file_issue(tmp_path, scanner, name, content, expected)
    assert "missing from the inventory" in issue.message


# --- the whole command ----------------------------------------------------------------


def test_scan_command_on_ruby_php_and_dotnet_projects(tmp_path: Path) -> None:
    product = tmp_path / "product"
    copy_project("bundler", product, "Gemfile", "Gemfile.lock")
    copy_project("composer", product, "composer.json", "composer.lock")
    copy_project("nuget-multi", product, "packages.lock.json", "ArknightsResources.Utility.csproj")
    broken = product / "tools" / "legacy"
    broken.mkdir(parents=True)
    (broken / "Gemfile.lock").write_text(
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 2.2.22\n\nDEPENDENCIES\n  rack\n",
        encoding="utf-8",
    )
    out = tmp_path / "inventory.json"

    proc = run_ospo("scan", product, "-q", "-o", out)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    components = {c["purl"]: c for c in inventory["components"]}
    assert sum(p.startswith("pkg:gem/") for p in components) == 14
    assert sum(p.startswith("pkg:composer/") for p in components) == 3
    assert sum(p.startswith("pkg:nuget/") for p in components) == 17
    sinatra = components["pkg:gem/sinatra@3.0.5"]
    assert (sinatra["scope"], sinatra["direct"], sinatra["license_expression"]) == (
        "runtime",
        True,
        None,
    )
    monolog = components["pkg:composer/monolog/monolog@2.9.1"]
    assert (monolog["scope"], monolog["direct"], monolog["license_expression"]) == (
        "runtime",
        True,
        "MIT",
    )
    assert monolog["licenses"] == [
        {
            "expression": "MIT",
            "source": "declared",
            "location": "composer/composer.lock",
            "valid": True,
            "note": None,
        }
    ]
    assert components["pkg:nuget/Microsoft.SourceLink.Common@1.1.1"]["scope"] == "dev"
    assert components["pkg:composer/doctrine/instantiator@1.5.0"]["scope"] == "dev"
    (issue,) = [i for i in inventory["scan"]["issues"] if i["kind"] == "manifest"]
    assert issue["path"] == "tools/legacy/Gemfile.lock"
    assert issue["message"].startswith("line 4: not a gem specification")
