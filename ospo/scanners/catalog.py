# SPDX-License-Identifier: Apache-2.0
"""Every scanner: the module it lives in, what it needs to run, and the files it reads.

Known without importing any scanner, so that a scan imports only the scanners that can
find something: a manifest scanner when a file it reads is in the tree, the environment
and SBOM scanners when they are asked for. The manifest scanners take their
:attr:`~ospo.scanners.lockfiles.base.ManifestScanner.file_names` from here.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    """Where a scanner lives and when it can find anything."""

    module: str  # below ospo.scanners
    cls: str
    #: the request field that must be non-empty for it to run, if any
    needs: str | None = None
    #: glob patterns of the file names it reads (case-insensitive; with a ``/``, of the
    #: name and the directories above it); empty: it reads no manifest file and always runs
    file_names: tuple[str, ...] = ()


#: name -> entry
CATALOG: dict[str, Entry] = {
    "source": Entry("source.detection", "SourceFileScanner"),
    "npm-lock": Entry(
        "lockfiles.npm", "NpmLockScanner", file_names=("package-lock.json", "npm-shrinkwrap.json")
    ),
    "package-json": Entry(
        "lockfiles.package_json", "PackageJsonScanner", file_names=("package.json",)
    ),
    "yarn-lock": Entry("lockfiles.yarn", "YarnLockScanner", file_names=("yarn.lock",)),
    "pnpm-lock": Entry("lockfiles.pnpm", "PnpmLockScanner", file_names=("pnpm-lock.yaml",)),
    "requirements": Entry("lockfiles.requirements", "RequirementsScanner", file_names=("*.txt",)),
    "pyproject": Entry("lockfiles.pyproject", "PyprojectScanner", file_names=("pyproject.toml",)),
    "poetry-lock": Entry("lockfiles.poetry", "PoetryLockScanner", file_names=("poetry.lock",)),
    "uv-lock": Entry("lockfiles.uv", "UvLockScanner", file_names=("uv.lock",)),
    "pipfile-lock": Entry(
        "lockfiles.pipfile", "PipfileLockScanner", file_names=("Pipfile", "Pipfile.lock")
    ),
    "pylock": Entry(
        "lockfiles.pylock", "PylockScanner", file_names=("pylock.toml", "pylock.*.toml")
    ),
    "go-mod": Entry("lockfiles.gomod", "GoModScanner", file_names=("go.mod",)),
    "cargo": Entry("lockfiles.cargo", "CargoLockScanner", file_names=("Cargo.lock", "Cargo.toml")),
    "maven-pom": Entry("lockfiles.maven", "MavenPomScanner", file_names=("pom.xml",)),
    "gradle": Entry(
        "lockfiles.gradle",
        "GradleScanner",
        file_names=(
            "gradle.lockfile",
            "buildscript-gradle.lockfile",
            "settings-gradle.lockfile",
            "gradle/dependency-locks/*.lockfile",
            "build.gradle",
            "build.gradle.kts",
        ),
    ),
    "github-actions": Entry(
        "lockfiles.github_actions",
        "GithubActionsScanner",
        file_names=(
            ".github/workflows/*.yml",
            ".github/workflows/*.yaml",
            "action.yml",
            "action.yaml",
        ),
    ),
    "gemfile-lock": Entry(
        "lockfiles.gemfile", "GemfileLockScanner", file_names=("Gemfile.lock", "gems.locked")
    ),
    "composer-lock": Entry(
        "lockfiles.composer", "ComposerLockScanner", file_names=("composer.lock",)
    ),
    "composer-json": Entry(
        "lockfiles.composer", "ComposerJsonScanner", file_names=("composer.json",)
    ),
    "nuget-lock": Entry(
        "lockfiles.nuget",
        "NugetLockScanner",
        file_names=("packages.lock.json", "packages.*.lock.json"),
    ),
    "python-environment": Entry("environments.python", "PythonEnvironmentScanner", needs="envs"),
    "node-modules": Entry("environments.node", "NodeModulesScanner", needs="envs"),
    "imported-sbom": Entry("imported", "ImportedSbomScanner", needs="import_sboms"),
}


def file_names(name: str) -> tuple[str, ...]:
    """Return the file-name patterns of the scanner called ``name``."""
    return CATALOG[name].file_names
