# SPDX-License-Identifier: Apache-2.0
"""Gradle lock files and build scripts, and GitHub Actions workflows, read from files saved
unchanged from public repositories (``tests/data/lockfiles/SOURCES.md``).

Expectations are read from the files' text here, independently of the readers: the lock
lines split at ``=`` and ``:``, the catalog parsed with ``tomllib``, the ``uses:`` lines
matched by a regular expression.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from lockfiles import LOCKS, by_purl, scan

from conftest import DATA, run_ospo
from ospo.merge import merge_components
from ospo.model import Component, IssueKind, Scope
from ospo.scanners import SCANNERS
from ospo.scanners.lockfiles.github_actions import (
    MAX_WORKFLOW_BYTES,
    GithubActionsScanner,
    action_ref,
)
from ospo.scanners.lockfiles.gradle import (
    GradleScanner,
    configuration_scope,
    declaration_scope,
    runtime_twin,
)

UNRESOLVED = DATA / "gradle-unresolved" / "social-profile"
SHA = re.compile(r"^[0-9a-f]{40}$")


def test_registered() -> None:
    assert SCANNERS["gradle"] is GradleScanner
    assert SCANNERS["github-actions"] is GithubActionsScanner


def maven(group: str, name: str, version: str | None = None) -> str:
    return f"pkg:maven/{group}/{name}" + (f"@{version}" if version else "")


# --- Gradle lock files -------------------------------------------------------------------

#: The scope of every configuration the fixture's gradle.lockfile names, as this project
#: means it: the product's classpaths ship, the test classpaths are test, and the rest
#: feed tools of the build (linters, documentation, coverage, compiler plugins).
_CONFIGURATIONS = {
    "compileClasspath": Scope.RUNTIME,
    "runtimeClasspath": Scope.RUNTIME,
    "testCompileClasspath": Scope.TEST,
    "testRuntimeClasspath": Scope.TEST,
    **{
        name: Scope.DEV
        for name in [
            "cpd",
            "detekt",
            "ktlint",
            "ktlintBaselineReporter",
            "ktlintRuleset",
            "ktlintReporter",
            "jacocoAnt",
            "jacocoAgent",
            "dokkaGfmPlugin",
            "dokkaGfmRuntime",
            "dokkaHtmlPlugin",
            "dokkaHtmlRuntime",
            "dokkaJavadocPlugin",
            "dokkaJavadocRuntime",
            "dokkaJekyllPlugin",
            "dokkaJekyllRuntime",
            "dokkaHtmlGeneratorRuntimeResolver~internal",
            "dokkaHtmlPluginIntransitiveResolver~internal",
            "swiftExportClasspathResolvable",
            "kotlinCompilerClasspath",
            "kotlinBuildToolsApiClasspath",
            "kotlinAbiValidationCompatClasspath",
            "kotlinKlibCommonizerClasspath",
            "kotlinInternalAbiValidation",
            "kotlinCompilerPluginClasspathTest",
            "kotlinCompilerPluginClasspathMain",
            "kotlinBouncyCastleConfiguration",
        ]
    },
}


def _lock_lines(path: Path) -> dict[tuple[str, str, str], set[str]]:
    """(group, name, version) → configurations, straight from the lock file's lines."""
    out: dict[tuple[str, str, str], set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("empty=") or not line:
            continue
        coordinates, configurations = line.split("=")
        group, name, version = coordinates.split(":")
        out.setdefault((group, name, version), set()).update(configurations.split(","))
    return out


def _widest(scopes: set[Scope]) -> Scope:
    for scope in (Scope.RUNTIME, Scope.OPTIONAL, Scope.DEV, Scope.TEST):
        if scope in scopes:
            return scope
    raise AssertionError(scopes)


def _only(tmp_path: Path, fixture: str, *files: str) -> Path:
    """Copy ``files`` of the fixture to a project of their own."""
    project = tmp_path / fixture
    for file in files:
        (project / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LOCKS / fixture / file, project / file)
    return project


@pytest.fixture(scope="module")
def kotlin_template() -> dict[str, Component]:
    found = scan(GradleScanner(), LOCKS / "gradle")
    assert found.issues == ()
    return by_purl(found)


def test_lock_file_every_module_with_the_scope_of_its_configurations(
    kotlin_template: dict[str, Component],
) -> None:
    lines = _lock_lines(LOCKS / "gradle" / "gradle.lockfile")
    buildscript = _lock_lines(LOCKS / "gradle" / "buildscript-gradle.lockfile")
    assert {c for cs in lines.values() for c in cs} == set(_CONFIGURATIONS)
    expected = {maven(*k): _widest({_CONFIGURATIONS[c] for c in cs}) for k, cs in lines.items()}
    for key in buildscript:  # the build's own classpath: plugins
        expected.setdefault(maven(*key), Scope.DEV)
    assert len(lines) > 300
    assert {p: c.scope for p, c in kotlin_template.items()} == expected
    # the same module at two versions, each in its own configurations, is two components
    assert expected[maven("com.fasterxml.jackson.core", "jackson-core", "2.12.7")] is Scope.DEV
    assert maven("com.fasterxml.jackson.core", "jackson-core", "2.15.3") in expected
    assert expected[maven("org.jetbrains.kotlin", "kotlin-stdlib", "2.4.10")] is Scope.RUNTIME
    assert expected[maven("org.mockito", "mockito-core", "5.23.0")] is Scope.TEST
    for comp in kotlin_template.values():
        assert comp.license_expression is None and comp.licenses == ()
        assert "records no license" in (comp.unknown_reason or "")
        assert comp.name == ":".join(comp.purl.removeprefix("pkg:maven/").split("@")[0].split("/"))
        assert comp.dependencies == ()  # a lock file has no edges


def test_lock_file_direct_are_what_the_build_script_declares(
    kotlin_template: dict[str, Component],
) -> None:
    catalog = tomllib.loads((LOCKS / "gradle" / "gradle" / "libs.versions.toml").read_text())
    bundle = catalog["bundles"]["kotlin-testing"]
    declared = {("org.jetbrains.kotlin", "kotlin-stdlib")}  # implementation(kotlin("stdlib"))
    declared |= {tuple(catalog["libraries"][a]["module"].split(":")) for a in bundle}
    lines = _lock_lines(LOCKS / "gradle" / "gradle.lockfile")
    classpaths = {"compileClasspath", "runtimeClasspath", "testCompileClasspath"}
    classpaths.add("testRuntimeClasspath")
    expected = {maven(*k) for k, cs in lines.items() if k[:2] in declared and cs & classpaths}
    assert {p for p, c in kotlin_template.items() if c.direct} == expected
    assert len(expected) == 4
    # the versions of kotlin-stdlib that only the build's tools resolve are not direct
    tools_stdlib = [p for p in kotlin_template if "/kotlin-stdlib@" in p and p not in expected]
    assert len(tools_stdlib) >= 5
    # the lock file, not the catalog, says which version is used
    assert catalog["versions"]["kotest"] == "6.2.4"
    assert maven("io.kotest", "kotest-runner-junit5-jvm", "6.2.3") in expected
    assert not any(p.startswith("pkg:maven/io.kotest/") and "@6.2.4" in p for p in kotlin_template)


def test_lock_file_without_a_build_script_does_not_say_direct(tmp_path: Path) -> None:
    project = _only(tmp_path, "gradle", "gradle.lockfile")
    comps = by_purl(scan(GradleScanner(), project))
    assert len(comps) == len(_lock_lines(project / "gradle.lockfile"))
    assert not any(c.direct for c in comps.values())


def test_buildscript_and_settings_lock_files_are_the_build_s_own(tmp_path: Path) -> None:
    project = _only(tmp_path, "gradle", "buildscript-gradle.lockfile", "settings-gradle.lockfile")
    found = scan(GradleScanner(), project)
    assert found.issues == ()
    lines = _lock_lines(project / "buildscript-gradle.lockfile")
    assert {c for cs in lines.values() for c in cs} == {"classpath"}
    assert set(by_purl(found)) == {maven(*k) for k in lines}
    assert all(c.scope is Scope.DEV and not c.direct for c in found.components)
    assert "buildscript-gradle.lockfile records no license" in (
        found.components[0].unknown_reason or ""
    )


def test_legacy_lock_files_one_per_configuration() -> None:
    locks = LOCKS / "gradle-legacy" / "gradle" / "dependency-locks"
    expected: dict[str, set[Scope]] = {}
    for lock in locks.glob("*.lockfile"):
        scope = {
            "compileClasspath": Scope.RUNTIME,
            "runtimeClasspath": Scope.RUNTIME,
            "testCompileClasspath": Scope.TEST,
            "testRuntimeClasspath": Scope.TEST,
        }.get(lock.stem, Scope.DEV)
        for line in lock.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                expected.setdefault(maven(*line.split(":")), set()).add(scope)
    # on the compile classpath and not on the runtime one: compileOnly, never shipped
    runtime = set((locks / "runtimeClasspath.lockfile").read_text(encoding="utf-8").splitlines())
    compile_only = set()
    for line in (locks / "compileClasspath.lockfile").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and line not in runtime:
            compile_only.add(maven(*line.split(":")))
            expected[maven(*line.split(":"))] = {Scope.DEV}
    assert compile_only == {
        maven("com.google.code.findbugs", "jsr305", "3.0.2"),
        maven("org.eclipse.jdt", "org.eclipse.jdt.annotation", "2.2.600"),
    }
    found = scan(GradleScanner(), LOCKS / "gradle-legacy")
    assert found.issues == ()  # the build script beside them is not read on its own
    comps = by_purl(found)
    assert {p: c.scope for p, c in comps.items()} == {p: _widest(s) for p, s in expected.items()}
    assert not any(c.scope is Scope.RUNTIME for c in comps.values())
    assert comps[maven("org.assertj", "assertj-core", "3.19.0")].scope is Scope.TEST
    # declared: testImplementation('org.assertj:assertj-core:3.19.0'), and two JUnit
    # modules as "org.junit.jupiter:…:$jupiterVersion": the module is written out
    script = (LOCKS / "gradle-legacy" / "build.gradle").read_text(encoding="utf-8")
    declared = re.findall(r"""test\w+\(['"]([\w.\-]+):([\w.\-]+):""", script)
    assert len(declared) == 3
    assert {p for p, c in comps.items() if c.direct} == {
        p for p in comps if tuple(p.removeprefix("pkg:maven/").split("@")[0].split("/")) in declared
    }


@pytest.mark.parametrize(
    ("name", "scope"),
    [
        ("compileClasspath", Scope.RUNTIME),
        ("runtimeClasspath", Scope.RUNTIME),
        ("releaseRuntimeClasspath", Scope.RUNTIME),
        ("jvmMainCompileClasspath", Scope.RUNTIME),
        ("testRuntimeClasspath", Scope.TEST),
        ("debugUnitTestRuntimeClasspath", Scope.TEST),
        ("debugAndroidTestCompileClasspath", Scope.TEST),
        ("integrationTestRuntimeClasspath", Scope.TEST),
        ("annotationProcessor", Scope.DEV),
        ("testAnnotationProcessor", Scope.DEV),
        ("kapt", Scope.DEV),
        ("classpath", Scope.DEV),
        ("kotlinCompilerClasspath", Scope.DEV),
        ("kotlinCompilerPluginClasspathTest", Scope.DEV),
        ("dokkaHtmlGeneratorRuntimeResolver~internal", Scope.DEV),
    ],
)
def test_configuration_scopes(name: str, scope: Scope) -> None:
    assert configuration_scope(name) is scope


@pytest.mark.parametrize(
    ("name", "twin"),
    [
        ("compileClasspath", "runtimeClasspath"),
        ("debugCompileClasspath", "debugRuntimeClasspath"),
        ("testCompileClasspath", "testRuntimeClasspath"),
        ("runtimeClasspath", None),
        ("annotationProcessor", None),
    ],
)
def test_runtime_twin_of_a_compile_classpath(name: str, twin: str | None) -> None:
    assert runtime_twin(name) == twin


def test_lock_file_bad_lines_are_issues_and_the_rest_counts(tmp_path: Path) -> None:
    (tmp_path / "gradle.lockfile").write_text(
        "# This is a Gradle generated file for dependency locking.\n"
        "com.google.guava:guava:33.2.0-jre=runtimeClasspath\n"
        "com.google.guava:guava=runtimeClasspath\n"
        "junit:junit:4.13.2\n"
        "empty=annotationProcessor\n",
        encoding="utf-8",
    )
    found = scan(GradleScanner(), tmp_path)
    assert [c.purl for c in found.components] == [maven("com.google.guava", "guava", "33.2.0-jre")]
    assert [i.message.split(":")[0] for i in found.issues] == ["line 3", "line 4"]
    assert all(i.kind is IssueKind.MANIFEST and i.path == "gradle.lockfile" for i in found.issues)


def test_lock_file_of_garbage_is_bounded_issues(tmp_path: Path) -> None:
    (tmp_path / "gradle.lockfile").write_text("not a lock line\n" * 40, encoding="utf-8")
    found = scan(GradleScanner(), tmp_path)
    assert found.components == ()
    assert len(found.issues) == 6
    assert "35 more lines are not lock entries" in found.issues[-1].message


# --- Gradle build scripts without a lock file ------------------------------------------


def _dependencies_lines(script: Path, *, numbered: bool = False) -> list[Any]:
    """The lines of a build script from a ``dependencies {`` line to its closing brace."""
    out: list[Any] = []
    inside = False
    for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().endswith("dependencies {"):
            inside = True
        elif inside and line.strip() == "}":
            inside = False
        elif inside:
            out.append((number, line) if numbered else line)
    return out


_GROOVY_STRING = re.compile(r"^\s*(\w+) '([^']+)'\s*$")
_GROOVY_CATALOG = re.compile(r"^\s*(\w+) libs\.([\w.]+)\s*$")


def test_groovy_script_with_catalog_and_string_coordinates() -> None:
    root = LOCKS / "gradle-catalog"
    catalog = tomllib.loads((root / "gradle" / "libs.versions.toml").read_text())
    libraries = {alias.replace("-", "."): spec for alias, spec in catalog["libraries"].items()}
    scopes = {
        "implementation": Scope.RUNTIME,
        "testImplementation": Scope.TEST,
        "androidTestImplementation": Scope.TEST,
        "annotationProcessor": Scope.DEV,
    }
    expected: dict[str, Scope] = {}
    for line in _dependencies_lines(root / "app" / "build.gradle"):
        if found := _GROOVY_STRING.match(line):
            expected[maven(*found.group(2).split(":"))] = scopes[found.group(1)]
        elif found := _GROOVY_CATALOG.match(line):
            spec = libraries[found.group(2)]
            version = catalog["versions"][spec["version"]["ref"]]
            expected[maven(spec["group"], spec["name"], version)] = scopes[found.group(1)]
    assert len(expected) == 14
    result = scan(GradleScanner(), root)
    assert result.issues == ()
    comps = by_purl(result)
    assert {p: c.scope for p, c in comps.items()} == expected
    for comp in comps.values():
        assert comp.direct
        assert "declared in build.gradle with no Gradle lock file" in (comp.unknown_reason or "")
    assert comps[maven("com.github.bumptech.glide", "compiler", "4.15.1")].scope is Scope.DEV


def test_kotlin_script_without_its_lock_file_reads_catalog_bundles(tmp_path: Path) -> None:
    project = _only(tmp_path, "gradle", "build.gradle.kts", "gradle/libs.versions.toml")
    found = scan(GradleScanner(), project)
    assert found.issues == ()
    catalog = tomllib.loads((project / "gradle" / "libs.versions.toml").read_text())
    expected = {maven("org.jetbrains.kotlin", "kotlin-stdlib"): Scope.RUNTIME}
    for alias in catalog["bundles"]["kotlin-testing"]:
        spec = catalog["libraries"][alias]
        version = catalog["versions"][spec["version"]["ref"]]
        expected[maven(*spec["module"].split(":"), version)] = Scope.TEST
    comps = by_purl(found)
    assert {p: c.scope for p, c in comps.items()} == expected
    stdlib = comps[maven("org.jetbrains.kotlin", "kotlin-stdlib")]
    assert stdlib.version is None
    assert "the script gives no version" in (stdlib.unknown_reason or "")


def test_interpolated_declarations_are_issues_with_their_lines() -> None:
    expected_issues = set()
    expected: set[str] = set()
    for script in sorted(UNRESOLVED.rglob("build.gradle.kts")):
        rel = script.relative_to(UNRESOLVED).as_posix()
        for number, line in _dependencies_lines(script, numbered=True):
            if '("' in line and "${" in line:
                expected_issues.add((rel, number))
            elif found := re.match(r'^\s*\w+\("([^"$]+)"\)\s*$', line):
                expected.add(maven(*found.group(1).split(":")))
    assert len(expected_issues) == 13
    found = scan(GradleScanner(), UNRESOLVED)
    got = {(i.path, int(i.message.split(":")[0].removeprefix("line "))) for i in found.issues}
    assert got == expected_issues
    for issue in found.issues:
        assert issue.kind is IssueKind.MANIFEST
        assert "cannot be resolved without running Gradle (string interpolation)" in issue.message
        assert "${Versions." in issue.message
    # the literal ones are read; project(":api") is the build itself
    assert set(by_purl(found)) == expected
    assert not any("api" in c.name for c in found.components)


def test_multiplatform_source_sets_test_blocks_and_an_accessor_only_gradle_knows() -> None:
    root = DATA / "gradle-unresolved" / "kmp-clock"
    catalog = tomllib.loads((root / "gradle" / "libs.versions.toml").read_text())
    libraries = {alias.replace("-", "."): spec for alias, spec in catalog["libraries"].items()}
    expected: dict[str, Scope] = {}
    block = ""
    for line in (root / "composeApp" / "build.gradle.kts").read_text().splitlines():
        if found := re.match(r"^\s*(\w+)\.dependencies \{$", line):
            block = found.group(1)
        elif found := re.match(r"^\s*implementation\(libs\.([\w.]+)\)$", line):
            spec = libraries[found.group(1)]
            version = catalog["versions"][spec["version"]["ref"]]
            scope = Scope.TEST if block.endswith("Test") else Scope.RUNTIME
            expected[maven(*spec["module"].split(":"), version)] = scope
    assert len(expected) == 14
    found = scan(GradleScanner(), root)
    assert {p: c.scope for p, c in by_purl(found).items()} == expected
    assert expected[maven("org.jetbrains.kotlin", "kotlin-test", "2.3.20")] is Scope.TEST
    (issue,) = found.issues
    assert issue.path == "composeApp/build.gradle.kts"
    assert issue.message.startswith("line 28: implementation(compose.desktop.currentOs) ")
    assert "(a variable or expression)" in issue.message


@pytest.mark.parametrize(
    ("declaration", "why"),
    [
        ("implementation(retrofitCoordinates)", "a variable or expression"),
        ("implementation deps.retrofit", "a variable or expression"),
        ("implementation libs.nothing.here", "defines no library nothing.here"),
        ("implementation(libs.bundles.none)", "defines no such bundle"),
        ("implementation(libs.plugins.kotlin.jvm)", "a catalog plugin or version"),
        ('implementation("org.example:core:$coreVersion")', "string interpolation"),
        ("implementation(libs.unknown.version)", "which [versions] does not define"),
    ],
)
def test_unresolvable_declaration_is_an_issue_not_a_guess(
    tmp_path: Path, declaration: str, why: str
) -> None:
    (tmp_path / "gradle").mkdir()
    (tmp_path / "gradle" / "libs.versions.toml").write_text(
        '[versions]\nokio = "3.9.0"\n\n[libraries]\n'
        'okio = { module = "com.squareup.okio:okio", version.ref = "okio" }\n'
        'unknown-version = { module = "org.example:x", version.ref = "nope" }\n'
        'ranged = { module = "org.example:y", version = "[1.0,2.0)" }\n',
        encoding="utf-8",
    )
    (tmp_path / "build.gradle").write_text(
        f"dependencies {{\n    implementation libs.okio\n    {declaration}\n}}\n",
        encoding="utf-8",
    )
    found = scan(GradleScanner(), tmp_path)
    assert [c.purl for c in found.components] == [maven("com.squareup.okio", "okio", "3.9.0")]
    (issue,) = found.issues
    assert issue.path == "build.gradle"
    assert issue.message.startswith("line 3: ")
    assert why in issue.message


def test_script_neighbours_that_are_resolved(tmp_path: Path) -> None:
    (tmp_path / "gradle").mkdir()
    (tmp_path / "gradle" / "libs.versions.toml").write_text(
        '[versions]\nlib = { strictly = "1.4.2" }\n\n[libraries]\n'
        'ranged = { module = "org.example:y", version = "[1.0,2.0)" }\n'
        'strict = { group = "org.example", name = "strict", version.ref = "lib" }\n'
        'short = "org.example:short:2.0"\n',
        encoding="utf-8",
    )
    (tmp_path / "build.gradle.kts").write_text(
        "dependencies {\n"
        "    implementation(libs.ranged)\n"
        "    api(libs.strict) { isTransitive = false }\n"
        "    runtimeOnly(libs.short.get())\n"
        '    implementation(platform("org.example:bom:3.1"))\n'
        '    compileOnly(group = "org.example", name = "provided", version = "5")\n'
        '    testImplementation("org.example:fixtures:1.0:tests@zip")\n'
        '    implementation(project(":core"))\n'
        '    // implementation("org.example:commented:1")\n'
        "    constraints {\n"
        '        implementation("org.example:constrained:9")\n'
        "    }\n"
        "}\n",
        encoding="utf-8",
    )
    found = scan(GradleScanner(), tmp_path)
    assert found.issues == ()
    comps = {c.name: c for c in found.components}
    assert set(comps) == {
        "org.example:y",
        "org.example:strict",
        "org.example:short",
        "org.example:bom",
        "org.example:provided",
        "org.example:fixtures",
    }
    assert comps["org.example:y"].version is None
    assert "the range [1.0,2.0) is resolved by Gradle" in (
        comps["org.example:y"].unknown_reason or ""
    )
    assert comps["org.example:strict"].version == "1.4.2"
    assert comps["org.example:short"].scope is Scope.RUNTIME
    assert comps["org.example:provided"].scope is Scope.DEV
    fixtures = comps["org.example:fixtures"]
    assert fixtures.scope is Scope.TEST
    assert fixtures.purl == "pkg:maven/org.example/fixtures@1.0?classifier=tests&type=zip"


def test_dependencies_blocks_inside_test_suites_and_source_sets(tmp_path: Path) -> None:
    (tmp_path / "build.gradle.kts").write_text(
        'val banner = "dependencies { implementation(\\"org.example:in-a-string:1\\") }"\n'
        "kotlin {\n"
        "    sourceSets {\n"
        "        val jvmMain by getting {\n"
        '            dependencies { implementation("org.example:main:1") }\n'
        "        }\n"
        "        val jvmTest by getting {\n"
        "            dependencies {\n"
        '                implementation("org.example:unit:1")\n'
        "            }\n"
        "        }\n"
        "    }\n"
        "}\n"
        "testing {\n"
        "    suites {\n"
        "        val integration by registering(JvmTestSuite::class) {\n"
        '            dependencies { implementation("org.example:it:1") }\n'
        "        }\n"
        "    }\n"
        "}\n"
        "dependencies {\n"
        '    implementation("org.example:app:1") // {\n'
        "}\n",
        encoding="utf-8",
    )
    found = scan(GradleScanner(), tmp_path)
    assert found.issues == ()
    assert {c.name: c.scope for c in found.components} == {
        "org.example:main": Scope.RUNTIME,
        "org.example:unit": Scope.TEST,
        "org.example:it": Scope.TEST,
        "org.example:app": Scope.RUNTIME,
    }


@pytest.mark.parametrize(
    ("configuration", "scope"),
    [
        ("implementation", Scope.RUNTIME),
        ("api", Scope.RUNTIME),
        ("runtimeOnly", Scope.RUNTIME),
        ("releaseImplementation", Scope.RUNTIME),
        ("compile", Scope.RUNTIME),
        ("testImplementation", Scope.TEST),
        ("androidTestImplementation", Scope.TEST),
        ("testFixturesApi", Scope.TEST),
        ("compileOnly", Scope.DEV),
        ("annotationProcessor", Scope.DEV),
        ("kapt", Scope.DEV),
        ("ksp", Scope.DEV),
        ("classpath", Scope.DEV),
    ],
)
def test_declaration_scopes(configuration: str, scope: Scope) -> None:
    assert declaration_scope(configuration) is scope


def test_broken_catalog_is_an_issue_and_literal_declarations_still_count(
    tmp_path: Path,
) -> None:
    (tmp_path / "gradle").mkdir()
    (tmp_path / "gradle" / "libs.versions.toml").write_text(
        '[versions]\nokio = "3.9.0"\n[libraries\n', encoding="utf-8"
    )
    (tmp_path / "build.gradle").write_text(
        "dependencies {\n    implementation libs.okio\n"
        "    implementation 'junit:junit:4.13.2'\n}\n",
        encoding="utf-8",
    )
    found = scan(GradleScanner(), tmp_path)
    assert [c.purl for c in found.components] == [maven("junit", "junit", "4.13.2")]
    catalog_issue, accessor_issue = found.issues
    assert catalog_issue.path == "gradle/libs.versions.toml"
    assert catalog_issue.message.startswith("line 3: not valid TOML")
    assert accessor_issue.path == "build.gradle"
    assert accessor_issue.message.startswith("line 2: ")


def test_build_script_beside_a_lock_file_is_not_read_alone() -> None:
    scanner = GradleScanner()
    assert not scanner.wants("build.gradle.kts", frozenset({"build.gradle.kts", "gradle.lockfile"}))
    assert scanner.wants("app/build.gradle", frozenset({"build.gradle"}))
    assert scanner.wants("gradle/dependency-locks/compileClasspath.lockfile", frozenset())
    assert scanner.wants("lib/gradle/dependency-locks/compileClasspath.lockfile", frozenset())
    assert not scanner.wants(
        "lib/notgradle/dependency-locks/compileClasspath.lockfile", frozenset()
    )
    assert not scanner.wants("other/compileClasspath.lockfile", frozenset())


# --- GitHub Actions ----------------------------------------------------------------------

_USES = re.compile(r"^\s*(?:- )?uses:\s*(\S+)")


def _uses_lines(root: Path) -> dict[str, str]:
    """purl → ref of every remote ``uses:`` line of the workflows and actions below
    ``root``."""
    out = {}
    github = root / ".github"
    for workflow in sorted(
        [*github.glob("workflows/*.y*ml"), *github.glob("actions/*/action.y*ml")]
    ):
        for line in workflow.read_text(encoding="utf-8").splitlines():
            found = _USES.match(line)
            if found is None or found.group(1).startswith("./"):
                continue
            target, ref = found.group(1).split("@")
            owner, repo, *path = target.lower().split("/")
            purl = f"pkg:github/{owner}/{repo}@{ref}" + (f"#{'/'.join(path)}" if path else "")
            out[purl] = ref
    return out


def test_actions_pinned_to_commits_and_a_reusable_workflow_by_tag() -> None:
    root = LOCKS / "github-actions"
    expected = _uses_lines(root)
    found = scan(GithubActionsScanner(), root)
    assert found.issues == ()
    comps = by_purl(found)
    assert set(comps) == set(expected)
    assert len(comps) == 9
    for purl, comp in comps.items():
        assert comp.scope is Scope.DEV
        assert comp.direct
        assert comp.pinned is bool(SHA.match(expected[purl])), purl
        assert comp.version == expected[purl]
        assert comp.license_expression is None
        assert "used in .github/workflows/" in (comp.unknown_reason or "")
    workflow = comps[
        "pkg:github/slsa-framework/slsa-github-generator@v2.1.0"
        "#.github/workflows/generator_generic_slsa3.yml"
    ]
    assert workflow.pinned is False
    init = comps["pkg:github/github/codeql-action@f205ea1c3313d32999d8d6a48b4f6530d4437b38#init"]
    assert init.name == "github/codeql-action/init" and init.pinned is True
    # checkout is used in both workflows: one component, both files named
    checkout = comps["pkg:github/actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"]
    assert "codeql-analysis.yml" in (checkout.unknown_reason or "")
    assert "goreleaser.yaml" in (checkout.unknown_reason or "")


def test_actions_by_tag_and_a_local_reusable_workflow() -> None:
    root = LOCKS / "gradle"
    expected = _uses_lines(root)
    comps = by_purl(scan(GithubActionsScanner(), root))
    assert set(comps) == set(expected) and len(comps) == 4
    assert not any(c.pinned for c in comps.values())
    text = (root / ".github" / "workflows" / "dispatcher.yml").read_text(encoding="utf-8")
    assert "uses: ./.github/workflows/build-and-deploy.yml" in text  # not a component


def test_composite_action_of_the_repository_counts_what_it_runs() -> None:
    root = LOCKS / "github-composite"
    expected = _uses_lines(root)
    found = scan(GithubActionsScanner(), root)
    assert found.issues == ()
    comps = by_purl(found)
    assert set(comps) == set(expected)
    for purl, comp in comps.items():
        assert comp.pinned is bool(SHA.match(expected[purl])), purl
        assert comp.scope is Scope.DEV and comp.direct
    # the workflows run it as ./.github/actions/setup; what it runs is found in it
    setup_uv = comps["pkg:github/astral-sh/setup-uv@v7"]
    assert setup_uv.pinned is False
    assert "used in .github/actions/setup/action.yml" in (setup_uv.unknown_reason or "")
    # cog.yml uses tags where ci.yml pins the same actions
    assert comps["pkg:github/actions/checkout@v4"].pinned is False
    pinned = "pkg:github/actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"
    assert comps[pinned].pinned is True


def test_action_definitions_that_run_no_other_action(tmp_path: Path) -> None:
    (tmp_path / "action.yml").write_text(
        "name: x\nruns:\n  using: node20\n  main: dist/index.js\n", encoding="utf-8"
    )
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "action.yaml").write_text(
        "name: y\nruns:\n  using: docker\n  image: docker://alpine:3.20\n", encoding="utf-8"
    )
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "action.yml").write_text(
        "name: z\nruns:\n  using: docker\n  image: Dockerfile\n", encoding="utf-8"
    )
    found = scan(GithubActionsScanner(), tmp_path)
    assert found.issues == ()
    assert [c.purl for c in found.components] == ["pkg:docker/alpine@3.20"]


@pytest.mark.parametrize(
    ("uses", "purl", "pinned"),
    [
        ("actions/checkout@v4", "pkg:github/actions/checkout@v4", False),
        ("actions/checkout@main", "pkg:github/actions/checkout@main", False),
        ("Actions/Checkout@" + "a" * 40, "pkg:github/actions/checkout@" + "a" * 40, True),
        ("actions/checkout@" + "a" * 39, "pkg:github/actions/checkout@" + "a" * 39, False),
        ("github/codeql-action/init@v3", "pkg:github/github/codeql-action@v3#init", False),
        ("docker://alpine:3.8", "pkg:docker/alpine@3.8", False),
        ("docker://rhysd/actionlint:latest", "pkg:docker/rhysd/actionlint@latest", False),
        ("docker://alpine", "pkg:docker/alpine", False),
        (
            "docker://ghcr.io/owner/image@sha256:" + "b" * 64,
            "pkg:docker/owner/image@sha256:" + "b" * 64 + "?repository_url=ghcr.io",
            True,
        ),
        ("docker://docker.io/library/node:20", "pkg:docker/library/node@20", False),
    ],
)
def test_action_refs(uses: str, purl: str, pinned: bool) -> None:
    ref = action_ref(uses)
    assert ref is not None
    assert ref.purl == purl
    assert ref.pinned is pinned


@pytest.mark.parametrize("uses", ["./.github/actions/setup", "./"])
def test_local_actions_are_the_repository_itself(uses: str) -> None:
    assert action_ref(uses) is None


def _workflow(root: Path, name: str, text: str) -> None:
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True, exist_ok=True)
    (workflows / name).write_text(text, encoding="utf-8")


def test_unusable_uses_are_issues_with_the_line(tmp_path: Path) -> None:
    _workflow(
        tmp_path,
        "ci.yml",
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: ${{ matrix.action }}\n"
        "      - uses: actions/setup-java\n"
        "      - uses: docker://ghcr.io/x/y@sha256:short\n",
    )
    found = scan(GithubActionsScanner(), tmp_path)
    assert [c.purl for c in found.components] == ["pkg:github/actions/checkout@v4"]
    messages = [i.message for i in found.issues]
    assert [m.split(":")[0] for m in messages] == ["line 7", "line 8", "line 9"]
    assert "jobs.build.steps[1].uses" in messages[0] and "an expression" in messages[0]
    assert "not owner/repo@ref" in messages[1]
    assert "not a container image reference" in messages[2]


def test_malformed_workflow_is_an_issue_and_the_others_are_read(tmp_path: Path) -> None:
    _workflow(tmp_path, "broken.yml", "jobs:\n  build:\n    steps: [\n")
    _workflow(tmp_path, "notes.yaml", "- just a list\n")
    _workflow(
        tmp_path,
        "release.yaml",
        "jobs:\n  call:\n    uses: octo/flows/.github/workflows/r.yml@v1\n",
    )
    found = scan(GithubActionsScanner(), tmp_path)
    assert [c.purl for c in found.components] == [
        "pkg:github/octo/flows@v1#.github/workflows/r.yml"
    ]
    issues = {i.path: i.message for i in found.issues}
    assert issues[".github/workflows/broken.yml"].startswith("line 4: not valid YAML")
    assert issues[".github/workflows/notes.yaml"].startswith("not a GitHub Actions workflow")


def test_oversized_workflow_is_not_read(tmp_path: Path) -> None:
    _workflow(tmp_path, "big.yml", "jobs: {}\n" + "#" * MAX_WORKFLOW_BYTES)
    (issue,) = scan(GithubActionsScanner(), tmp_path).issues
    assert issue.path == ".github/workflows/big.yml"
    assert "more than the" in issue.message


def test_only_workflows_directly_in_the_workflows_directory(tmp_path: Path) -> None:
    scanner = GithubActionsScanner()
    assert scanner.wants(".github/workflows/ci.yml", frozenset())
    assert scanner.wants("services/api/.github/workflows/ci.yaml", frozenset())
    assert not scanner.wants(".github/workflows/templates/ci.yml", frozenset())
    assert not scanner.wants(".github/dependabot.yml", frozenset())
    assert not scanner.wants("ci/workflows/ci.yml", frozenset())


def test_merged_pin_is_false_if_any_source_says_it_moves() -> None:
    base = Component(purl="pkg:github/actions/checkout@v4", name="actions/checkout", version="v4")
    from dataclasses import replace

    assert merge_components([replace(base, pinned=True), replace(base)])[0].pinned is True
    assert (
        merge_components([replace(base, pinned=True), replace(base, pinned=False)])[0].pinned
        is False
    )
    assert merge_components([base, replace(base, scope=Scope.DEV)])[0].pinned is None


# --- the CLI -----------------------------------------------------------------------------


def test_scan_cli_gradle_and_actions_to_inventory_and_cyclonedx(tmp_path: Path) -> None:
    product = tmp_path / "product"
    shutil.copytree(LOCKS / "gradle", product)
    shutil.copytree(LOCKS / "github-actions" / ".github", product / "services" / ".github")
    shutil.copytree(LOCKS / "gradle-catalog", product / "android")
    out, bom = tmp_path / "inventory.json", tmp_path / "bom.cdx.json"
    done = run_ospo("scan", product, "-q", "-o", out, "--cyclonedx", bom)
    assert done.returncode == 0, done.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    assert not any(i["kind"] == "manifest" for i in inventory["scan"]["issues"])
    purls = {c["purl"]: c for c in inventory["components"]}
    locked = _lock_lines(LOCKS / "gradle" / "gradle.lockfile")
    assert {maven(*k) for k in locked} <= set(purls)
    stdlib = purls[maven("org.jetbrains.kotlin", "kotlin-stdlib", "2.4.10")]
    assert (stdlib["scope"], stdlib["direct"], stdlib["pinned"]) == ("runtime", True, None)
    actions = {p: c for p, c in purls.items() if p.startswith("pkg:github/")}
    assert len(actions) == 13
    assert all(c["scope"] == "dev" and c["pinned"] is not None for c in actions.values())
    assert purls["pkg:github/actions/checkout@v7.0.1"]["pinned"] is False

    text = bom.read_text(encoding="utf-8")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    sbom = json.loads(text)
    libraries = {c["purl"]: c for c in sbom["components"] if c["type"] == "library"}
    checkout = libraries["pkg:github/actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"]
    assert checkout["scope"] == "excluded"
    assert {"name": "ospo:pinned", "value": "true"} in checkout["properties"]
    assert (checkout["group"], checkout["name"]) == ("actions", "checkout")
    tag = libraries["pkg:github/actions/checkout@v7.0.1"]
    assert {"name": "ospo:pinned", "value": "false"} in tag["properties"]
    assert libraries[stdlib["purl"]]["scope"] == "required"
    deps = {d["ref"]: d.get("dependsOn", []) for d in sbom["dependencies"]}
    assert stdlib["purl"] in deps["product"]

    # read back, the pins are what was written
    again, empty = tmp_path / "again.json", tmp_path / "empty"
    empty.mkdir()
    done = run_ospo("scan", empty, "-q", "-o", again, "--import-sbom", bom)
    assert done.returncode == 0, done.stderr
    imported = {c["purl"]: c for c in json.loads(again.read_text())["components"]}
    assert {p: imported[p]["pinned"] for p in actions} == {
        p: c["pinned"] for p, c in actions.items()
    }
    assert imported[stdlib["purl"]]["pinned"] is None


def test_an_action_without_a_license_is_a_note_not_a_decision(tmp_path: Path) -> None:
    """Actions run in CI and are never shipped; nothing offline says their license. Their
    unknown license is reported as information, so a repository's workflows alone do not
    fail the gate."""
    tree = tmp_path / "tree"
    shutil.copytree(LOCKS / "github-actions", tree)
    out = tmp_path / "inventory.json"
    scanned = run_ospo("scan", tree, "-o", out, "-q")
    assert scanned.returncode == 0, scanned.stderr
    checked = run_ospo("check", "--inventory", out, "--format", "json")
    findings = json.loads(checked.stdout)["findings"]
    unknown = [f for f in findings if f["rule"] == "license/unknown"]
    actions = [f for f in unknown if f["component"].startswith("pkg:github/")]
    assert actions, unknown
    assert {f["severity"] for f in actions} == {"info"}
    assert not [
        f
        for f in findings
        if f["component"] and f["component"].startswith("pkg:github/") and f["severity"] != "info"
    ]
