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


# Real lock files with gems locked for several platforms, saved unchanged (SOURCES.md):
# rubygems.org's own (Bundler 4, CHECKSUMS, plain ruby gems beside the native ones, two gem
# servers) and one of Bundler's test fixtures (native gems only, no CHECKSUMS).
PLATFORM_LOCKS = ("bundler-checksums", "bundler-platforms")


def lock_sections(directory: str) -> dict[str, list[str]]:
    """The lines of the fixture's Gemfile.lock, by section heading (GEM sections joined)."""
    sections: dict[str, list[str]] = {}
    heading = ""
    lines = (LOCKS / directory / "Gemfile.lock").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line and not line.startswith(" "):
            heading = line
        elif line:
            sections.setdefault(heading, []).append(line)
    return sections


def locked_gems(directory: str) -> dict[str, list[str]]:
    """Each ``name (version[-platform])`` the GEM sections list, with the names it needs."""
    gems: dict[str, list[str]] = {}
    current: list[str] = []
    for line in lock_sections(directory)["GEM"]:
        if line.startswith("      "):
            current.append(line.split()[0])
        elif line.startswith("    "):
            current = gems.setdefault(line.strip(), [])
    return gems


def expected_purl(locked: str) -> str:
    name, _, inner = locked.partition(" (")
    version, _, platform = inner.rstrip(")").partition("-")
    return f"pkg:gem/{name}@{version}" + (f"?platform={platform}" if platform else "")


@pytest.mark.parametrize("directory", PLATFORM_LOCKS)
def test_bundler_every_platform_variant_is_a_component(directory: str) -> None:
    locked = locked_gems(directory)
    got = by_purl(scan(GemfileLockScanner(), LOCKS / directory))
    assert set(got) == {expected_purl(g) for g in locked}
    variants: dict[str, list[str]] = {}
    for gem in locked:
        variants.setdefault(gem.partition(" ")[0], []).append(gem)
    several = {name: gems for name, gems in variants.items() if len(gems) > 1}
    assert several  # the reason these files were chosen
    platforms = {p.strip() for p in lock_sections(directory)["PLATFORMS"]}
    for name, gems in several.items():
        comps = [got[expected_purl(g)] for g in gems]
        assert [c.name for c in comps] == [name] * len(gems)
        # the variants are one gem to the project: same scope, same direct flag
        assert len({(c.scope, c.direct) for c in comps}) == 1, name
        for gem, comp in zip(gems, comps, strict=True):
            platform = gem.partition(" (")[2].rstrip(")").partition("-")[2]
            assert (comp.purl.endswith(f"?platform={platform}")) is bool(platform)
            # a native gem is built for one of the platforms the lock file is resolved for
            assert not platform or platform in platforms or platform.rpartition("-")[0] in platforms


@pytest.mark.parametrize("directory", PLATFORM_LOCKS)
def test_bundler_each_variant_keeps_its_own_dependencies(directory: str) -> None:
    locked = locked_gems(directory)
    got = by_purl(scan(GemfileLockScanner(), LOCKS / directory))
    purls_of: dict[str, set[str]] = {}
    for gem in locked:
        purls_of.setdefault(gem.partition(" ")[0], set()).add(expected_purl(gem))
    for gem, needs in locked.items():
        # a need the lock file resolves to no spec (bundler itself) is no edge
        expected = set().union(*(purls_of.get(n, set()) for n in needs))
        assert set(got[expected_purl(gem)].dependencies) == expected, gem


def test_bundler_native_gem_for_linux_is_kept_beside_the_plain_one() -> None:
    got = by_purl(scan(GemfileLockScanner(), LOCKS / "bundler-checksums"))
    nokogiri = {p: c for p, c in got.items() if c.name == "nokogiri"}
    locked = [g for g in locked_gems("bundler-checksums") if g.startswith("nokogiri (")]
    assert len(nokogiri) == len(locked) > 2
    plain = "pkg:gem/nokogiri@1.19.4"
    linux = "pkg:gem/nokogiri@1.19.4?platform=x86_64-linux-gnu"
    assert {plain, linux} <= set(nokogiri)
    # the plain gem compiles libxml2 itself; the native ones ship it built
    needs = {n.split("@")[0] for n in nokogiri[plain].dependencies}
    assert needs == {"pkg:gem/mini_portile2", "pkg:gem/racc"}
    assert nokogiri[linux].dependencies == ("pkg:gem/racc@1.8.1",)
    # what needs nokogiri needs whichever variant the machine installs
    assert set(nokogiri) <= set(got["pkg:gem/actionpack@8.1.3.1"].dependencies)


def test_bundler_platform_variants_in_the_scan_and_the_cyclonedx_sbom(tmp_path: Path) -> None:
    project = copy_project("bundler-platforms", tmp_path, "Gemfile", "Gemfile.lock")
    out, bom = tmp_path / "inventory.json", tmp_path / "bom.cdx.json"

    proc = run_ospo("scan", project, "-q", "-o", out, "--cyclonedx", bom)

    assert proc.returncode == 0, proc.stderr
    locked = locked_gems("bundler-platforms")
    inventory = json.loads(out.read_text(encoding="utf-8"))
    assert {c["purl"] for c in inventory["components"]} == {expected_purl(g) for g in locked}
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = bom.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    libraries = {c["bom-ref"]: c for c in json.loads(text)["components"]}
    sorbet = [g for g in locked if g.startswith("sorbet-static (")]
    for gem in sorbet:
        assert libraries[expected_purl(gem)]["purl"] == expected_purl(gem)
        assert libraries[expected_purl(gem)]["name"] == "sorbet-static"


# --- Bundler's CHECKSUMS ----------------------------------------------------------------


def recorded_checksums(directory: str) -> dict[str, str]:
    """``name (version[-platform])`` -> the sha256 its CHECKSUMS line records."""
    out = {}
    for line in lock_sections(directory).get("CHECKSUMS", []):
        gem, _, digests = line.strip().partition(") ")
        for pair in digests.split(","):
            if pair.startswith("sha256="):
                out[gem + ")"] = pair.removeprefix("sha256=")
    return out


def test_bundler_checksums_are_each_variants_hash() -> None:
    recorded = recorded_checksums("bundler-checksums")
    locked = locked_gems("bundler-checksums")
    assert recorded and set(recorded) == set(locked)
    got = by_purl(scan(GemfileLockScanner(), LOCKS / "bundler-checksums"))
    for gem, digest in recorded.items():
        assert got[expected_purl(gem)].hashes == (("SHA-256", digest),), gem
    # two builds of one version are two files with two digests
    linux = got["pkg:gem/nokogiri@1.19.4?platform=x86_64-linux-gnu"].hashes
    darwin = got["pkg:gem/nokogiri@1.19.4?platform=arm64-darwin"].hashes
    assert linux != darwin


def test_bundler_lock_without_checksums_records_no_hash() -> None:
    assert "CHECKSUMS" not in lock_sections("bundler-platforms")
    got = scan(GemfileLockScanner(), LOCKS / "bundler-platforms").components
    assert got and all(c.hashes == () for c in got)
    assert all(c.hashes == () for c in scan(GemfileLockScanner(), LOCKS / "bundler").components)


def test_bundler_checksums_reach_the_cyclonedx_sbom(tmp_path: Path) -> None:
    project = copy_project("bundler-checksums", tmp_path, "Gemfile", "Gemfile.lock")
    out, bom = tmp_path / "inventory.json", tmp_path / "bom.cdx.json"

    proc = run_ospo("scan", project, "-q", "-o", out, "--cyclonedx", bom)

    assert proc.returncode == 0, proc.stderr
    recorded = {expected_purl(g): d for g, d in recorded_checksums("bundler-checksums").items()}
    inventory = json.loads(out.read_text(encoding="utf-8"))
    hashes = {c["purl"]: c["hashes"] for c in inventory["components"]}
    assert hashes == {p: [{"algorithm": "SHA-256", "value": d}] for p, d in recorded.items()}
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = bom.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    libraries = {c["bom-ref"]: c for c in json.loads(text)["components"] if c["type"] == "library"}
    assert {p: c["hashes"] for p, c in libraries.items()} == {
        p: [{"alg": "SHA-256", "content": d}] for p, d in recorded.items()
    }


def checksums_lock(checksums: str) -> str:
    """A small lock file, written here, whose CHECKSUMS section is ``checksums``."""
    return (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    ffi (1.17.4)\n"
        "    ffi (1.17.4-x86_64-linux-gnu)\n    rack (3.2.6)\n\n"
        "GIT\n  remote: https://example.org/tool.git\n  revision: 0123abc\n  specs:\n"
        "    tool (0.1.0)\n\nPLATFORMS\n  ruby\n  x86_64-linux\n\n"
        "DEPENDENCIES\n  ffi\n  rack\n  tool!\n\nCHECKSUMS\n"
        + checksums
        + "\nBUNDLED WITH\n  2.6.2\n"
    )


def test_bundler_checksum_entries_without_a_sha256_give_no_hash(tmp_path: Path) -> None:
    digest = "ab" * 32
    (tmp_path / "Gemfile.lock").write_text(
        checksums_lock(
            f"  ffi (1.17.4-x86_64-linux-gnu) sha256={digest.upper()}\n"  # hex in capitals
            "  ffi (1.17.4) md5=0123456789abcdef0123456789abcdef\n"  # not an algorithm kept
            f"  rack (3.2.6) sha512={'cd' * 64},sha256={digest}\n"  # the sha256 of two
            "  tool (0.1.0)\n"  # from git: Bundler records no digest
            f"  gone (1.0.0) sha256={digest}\n"  # no such gem locked
        ),
        encoding="utf-8",
    )
    contribution = scan(GemfileLockScanner(), tmp_path)
    assert contribution.issues == ()
    got = {c.purl: c.hashes for c in contribution.components}
    assert got == {
        "pkg:gem/ffi@1.17.4": (),
        "pkg:gem/ffi@1.17.4?platform=x86_64-linux-gnu": (("SHA-256", digest),),
        "pkg:gem/rack@3.2.6": (("SHA-256", digest),),
        "pkg:gem/tool@0.1.0": (),
    }


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  rack (3.2.6) sha256=abc", "line {n}: not a SHA-256 digest for rack (3.2.6): 'abc'"),
        (f"  rack (3.2.6) sha256={'g' * 64}", "not a SHA-256 digest for rack (3.2.6)"),
        (f"  rack (3.2.6) sha256={'a' * 64},sha256=", "not a SHA-256 digest for rack (3.2.6): ''"),
        (f"  rack 3.2.6 sha256={'a' * 64}", "line {n}: not a checksum: 'rack 3.2.6 sha256="),
        (f"  rack (3.2.6) sha256={'a' * 64} extra", "not a checksum"),
    ],
)
def test_bundler_broken_checksum_is_an_issue_and_the_gem_stays(
    tmp_path: Path, line: str, expected: str
) -> None:
    (tmp_path / "Gemfile.lock").write_text(checksums_lock(line + "\n"), encoding="utf-8")
    contribution = scan(GemfileLockScanner(), tmp_path)
    (issue,) = contribution.issues
    assert issue.kind is IssueKind.MANIFEST
    number = checksums_lock("").splitlines().index("CHECKSUMS") + 2  # the line after it
    assert expected.format(n=number) in issue.message
    assert "missing from the inventory" not in issue.message
    assert "pkg:gem/rack@3.2.6" in {c.purl for c in contribution.components}
    assert len(contribution.components) == 4


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
