# SPDX-License-Identifier: Apache-2.0
"""One component per package, whatever found it: ``ospo.merge``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DATA, run_ospo
from ospo.merge import merge_components, merge_key, widest_scope
from ospo.model import Component, LicenseEvidence, LicenseSource, Scope

LOCKS = DATA / "lockfiles"


def declared(expression: str, location: str, *, valid: bool = True) -> LicenseEvidence:
    return LicenseEvidence(
        expression=expression, source=LicenseSource.DECLARED, location=location, valid=valid
    )


def detected(expression: str, location: str) -> LicenseEvidence:
    return LicenseEvidence(expression=expression, source=LicenseSource.DETECTED, location=location)


def component(purl: str, **fields: object) -> Component:
    name = purl.split("/")[-1].split("@")[0].split("?")[0]
    version = purl.split("@")[1].split("?")[0] if "@" in purl else None
    return Component(purl=purl, name=name, version=version, **fields)  # type: ignore[arg-type]


def test_scope_order() -> None:
    assert widest_scope(Scope.DEV, Scope.RUNTIME) is Scope.RUNTIME
    assert widest_scope(Scope.DEV, Scope.OPTIONAL) is Scope.OPTIONAL
    assert widest_scope(Scope.TEST, Scope.DEV) is Scope.DEV
    assert widest_scope(Scope.TEST) is Scope.TEST


def test_two_lock_files_make_one_component() -> None:
    a = component(
        "pkg:npm/debug@4.4.3",
        scope=Scope.DEV,
        direct=False,
        licenses=(declared("MIT", "package-lock.json"),),
        license_expression="MIT",
        dependencies=("pkg:npm/ms@2.1.3",),
    )
    b = component(
        "pkg:npm/debug@4.4.3",
        scope=Scope.RUNTIME,
        direct=True,
        licenses=(declared("MIT", "package-lock.json"),),
        license_expression="MIT",
        dependencies=("pkg:npm/supports-color@8.1.1",),
    )
    c = component("pkg:npm/debug@4.4.3", scope=Scope.OPTIONAL, direct=False)
    (merged,) = merge_components([a, b, c])
    assert merged.purl == "pkg:npm/debug@4.4.3"
    assert merged.scope is Scope.RUNTIME
    assert merged.direct is True
    assert merged.dependencies == ("pkg:npm/ms@2.1.3", "pkg:npm/supports-color@8.1.1")
    assert merged.licenses == (declared("MIT", "package-lock.json"),)  # said once
    assert merged.license_expression == "MIT"
    assert merged.unknown_reason is None


def test_lock_file_and_vendored_copy_keep_all_evidence() -> None:
    lock = component(
        "pkg:npm/pkg@1.0.0",
        direct=False,
        licenses=(declared("BSD-3-Clause", "package-lock.json"),),
        license_expression="BSD-3-Clause",
    )
    copy = component(
        "pkg:npm/pkg@1.0.0",
        licenses=(
            declared("BSD-3-Clause", "vendor/pkg/package.json"),
            detected("Apache-2.0", "vendor/pkg/LICENSE"),
        ),
        license_expression="BSD-3-Clause AND Apache-2.0",
        vendored_path="vendor/pkg",
    )
    (merged,) = merge_components([lock, copy])
    assert merged.vendored_path == "vendor/pkg"
    assert merged.direct is True
    assert [e.location for e in merged.licenses] == [
        "package-lock.json",
        "vendor/pkg/package.json",
        "vendor/pkg/LICENSE",
    ]
    # recomputed from all of it: the LICENSE grants more than the declaration says
    assert merged.license_expression == "BSD-3-Clause AND Apache-2.0"


def test_invalid_declaration_gives_way_to_detected_license() -> None:
    lock = component(
        "pkg:npm/jsonify@0.0.1",
        licenses=(declared("Public Domain", "package-lock.json", valid=False),),
        unknown_reason="declared license is not an SPDX expression: 'Public Domain'",
    )
    copy = component(
        "pkg:npm/jsonify@0.0.1",
        licenses=(detected("LicenseRef-scancode-public-domain", "vendor/jsonify/README"),),
        license_expression="LicenseRef-scancode-public-domain",
        vendored_path="vendor/jsonify",
    )
    (merged,) = merge_components([lock, copy])
    assert merged.license_expression == "LicenseRef-scancode-public-domain"
    assert merged.unknown_reason is None
    assert merged.licenses[0].valid is False  # kept, not dropped


def test_unknown_reasons_are_kept_when_nothing_is_known() -> None:
    a = component("pkg:pypi/click@8.5.1", unknown_reason="uv.lock records no license")
    b = component("pkg:pypi/click@8.5.1", unknown_reason="poetry.lock records no license")
    (merged,) = merge_components([a, b])
    assert merged.license_expression is None
    assert merged.unknown_reason == "uv.lock records no license; poetry.lock records no license"


def test_key_ignores_qualifiers_and_normalises_pypi_names() -> None:
    assert merge_key("pkg:npm/x@1.0.0?vendored_path=a") == "pkg:npm/x@1.0.0"
    assert merge_key("pkg:pypi/Zope.Interface@7.2") == "pkg:pypi/zope-interface@7.2"
    assert merge_key("pkg:npm/%40types/node@26.6.6") == "pkg:npm/%40types/node@26.6.6"
    assert merge_key("not a purl") == "not a purl"
    merged = merge_components(
        [
            component("pkg:pypi/zope.interface@7.2"),  # the purl spec's form
            component("pkg:pypi/zope-interface@7.2", direct=False),  # PEP 503's
            component("pkg:pypi/app-plugin@1", dependencies=("pkg:pypi/Zope.Interface@7.2",)),
        ]
    )
    # one component, with the purl its first source wrote
    assert [c.purl for c in merged] == ["pkg:pypi/app-plugin@1", "pkg:pypi/zope.interface@7.2"]
    # edges point at the merged component
    assert merged[0].dependencies == ("pkg:pypi/zope.interface@7.2",)


def test_generic_copies_at_different_paths_stay_apart() -> None:
    a = component("pkg:generic/six?vendored_path=third_party/six", vendored_path="third_party/six")
    b = component("pkg:generic/six?vendored_path=lib/six", vendored_path="lib/six")
    assert len(merge_components([a, b])) == 2


def test_gem_platform_variants_are_different_artifacts() -> None:
    linux = "pkg:gem/nokogiri@1.19.4?platform=x86_64-linux-gnu"
    darwin = "pkg:gem/nokogiri@1.19.4?platform=arm64-darwin"
    plain = "pkg:gem/nokogiri@1.19.4"
    assert merge_key(linux) == linux
    assert len({merge_key(linux), merge_key(darwin), merge_key(plain)}) == 3
    # only the platform tells artifacts apart: another qualifier still does not
    assert merge_key(f"{linux}&repository_url=https://gems.example") == linux
    assert merge_key("pkg:gem/rack@3.2.6?repository_url=https://gems.example") == (
        "pkg:gem/rack@3.2.6"
    )
    # another ecosystem's qualifiers still do not keep packages apart
    assert merge_key("pkg:npm/x@1.0.0?platform=linux") == "pkg:npm/x@1.0.0"
    app = component("pkg:gem/app@1", dependencies=(linux, darwin))
    merged = merge_components(
        [component(linux), component(darwin), component(plain), component(linux), app]
    )
    assert [c.purl for c in merged] == ["pkg:gem/app@1", plain, darwin, linux]
    assert set(merged[0].dependencies) == {darwin, linux}


def test_versionless_manifest_entry_folds_into_the_only_version() -> None:
    manifest = component("pkg:pypi/requests", unknown_reason="only a version range")
    locked = component("pkg:pypi/requests@2.34.2", direct=False, scope=Scope.RUNTIME)
    (merged,) = merge_components([manifest, locked])
    assert merged.purl == "pkg:pypi/requests@2.34.2"
    assert merged.version == "2.34.2"
    assert merged.direct is True
    # two versions: which one the manifest meant is unknown, so it stays apart
    other = component("pkg:pypi/requests@2.31.0", direct=False)
    assert len(merge_components([manifest, locked, other])) == 3


def test_single_components_pass_unchanged_and_sorted() -> None:
    b = component("pkg:npm/b@1", licenses=(declared("MIT", "x"),), license_expression="MIT")
    a = component("pkg:npm/a@1")
    assert merge_components([b, a]) == (a, b)
    assert merge_components(merge_components([b, a])) == (a, b)


def test_scan_merges_a_lock_file_with_code_vendored_in_the_tree(tmp_path: Path) -> None:
    project = tmp_path / "webapp"
    project.mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(LOCKS / "npm" / name, project / name)
    shutil.copytree(LOCKS / "npm-pack" / "ms", project / "third_party" / "ms")
    out = tmp_path / "inventory.json"

    proc = run_ospo("scan", project, "-q", "-o", out)

    assert proc.returncode == 0, proc.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    matches = [c for c in inventory["components"] if c["name"] == "ms"]
    assert [c["purl"] for c in matches] == ["pkg:npm/ms@2.0.0", "pkg:npm/ms@2.1.3"]
    ms = matches[1]
    assert ms["vendored_path"] == "third_party/ms"
    assert ms["direct"] is True
    assert ms["scope"] == "runtime"
    assert [(e["source"], e["location"]) for e in ms["licenses"]] == [
        ("declared", "package-lock.json"),
        ("declared", "third_party/ms/package.json"),
        ("detected", "third_party/ms/license.md"),
    ]
    assert ms["license_expression"] == "MIT"
    owned = {f["path"]: f["package"] for f in inventory["files"]}
    assert owned["third_party/ms/index.js"] == "pkg:npm/ms@2.1.3"


def test_an_environment_does_not_widen_a_manifest_scope() -> None:
    from_env = Component(
        purl="pkg:pypi/pytest@9.2.0",
        name="pytest",
        version="9.2.0",
        scope=Scope.RUNTIME,
        scope_known=False,
        license_expression="MIT",
        licenses=(
            LicenseEvidence(
                expression="MIT",
                source=LicenseSource.DECLARED,
                location="pytest-9.2.0.dist-info/METADATA",
            ),
        ),
    )
    from_manifest = Component(
        purl="pkg:pypi/pytest@9.2.0", name="pytest", version="9.2.0", scope=Scope.DEV
    )
    (merged,) = merge_components([from_env, from_manifest])
    assert merged.scope is Scope.DEV
    assert merged.license_expression == "MIT"
    (alone,) = merge_components([from_env])
    assert alone.scope is Scope.RUNTIME, "without a manifest, what is installed may ship"
