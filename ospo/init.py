# SPDX-License-Identifier: Apache-2.0
"""``ospo init``: set a repository up for ospo, writing only files that do not exist yet.

Three steps, each usable alone: :func:`detect` reads what the project says about itself
(its name and outbound license from ``pyproject.toml``, ``package.json`` or ``Cargo.toml``,
else from its LICENSE file as ScanCode reads it; its test and fixture directories; the
forge it is hosted on), :func:`plan` decides what to write and what to leave alone, and
:func:`write` writes it. An existing ``.pre-commit-config.yaml`` or ``.gitlab-ci.yml`` is
only added to, at the end of its list, and only when reading the result back gives the
old document plus the new entry; otherwise it is left as it is and the entry is shown
for the user to paste.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from ospo.config import CONFIG_NAMES, ExcludeRule
from ospo.errors import InputError, OperationalError
from ospo.policy.model import Profile
from ospo.policy.waivers import DEFAULT_WAIVERS

#: The hooks ospo's repository offers in its ``.pre-commit-hooks.yaml``.
HOOK_IDS = ("ospo-check", "ospo-manifests")
#: Where ospo's repository keeps its GitLab CI template.
GITLAB_TEMPLATE = "ci/gitlab/ospo.gitlab-ci.yml"
#: Stands for ospo's repository and tag until the user names them (``--action``).
PLACEHOLDER = "REPLACE-ME"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
GITHUB_WORKFLOW = ".github/workflows/ospo.yml"
GITLAB_CI = ".gitlab-ci.yml"
#: Written instead of editing a ``.gitlab-ci.yml`` that cannot be edited safely.
GITLAB_SNIPPET = ".ospo/gitlab-ci-include.yml"

#: Directory names that hold tests or their data, and why they are not shipped.
TEST_DIRECTORIES = {
    "tests": "test code, not shipped",
    "test": "test code, not shipped",
    "testing": "test code, not shipped",
    "__tests__": "test code (Jest), not shipped",
    "spec": "test specifications (RSpec, Jasmine), not shipped",
    "fixtures": "test fixtures, not shipped",
    "__fixtures__": "test fixtures, not shipped",
    "testdata": "test data, not shipped",
    "test-data": "test data, not shipped",
    "test_data": "test data, not shipped",
}
#: Directories not looked into for test directories: tools' own, installed or built code.
_SKIPPED = {"node_modules", "vendor", "third_party", "target", "build", "dist", "venv"}
_MAX_DEPTH = 4

_ACTION = re.compile(r"^(?P<repo>[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+)@(?P<ref>[^\s@]+)$")


class Forge(StrEnum):
    """Where the repository is hosted, which decides the CI file init writes."""

    GITHUB = "github"
    GITLAB = "gitlab"


class Outcome(StrEnum):
    """What init does with one file."""

    WRITE = "write"  # a new file
    ADD = "add"  # an existing file, with an entry added at the end of a list
    KEEP = "keep"  # left alone; the reason says why
    SHOW = "show"  # left alone; the entry to add by hand is printed


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRef:
    """ospo's repository on GitHub and the tag or commit to use, ``OWNER/REPO@REF``.

    The same repository offers the composite action (``action.yml``), the pre-commit hooks
    (``.pre-commit-hooks.yaml``) and the GitLab template.
    """

    repo: str
    ref: str

    @classmethod
    def parse(cls, text: str) -> ActionRef:
        """Read ``OWNER/REPO@REF``; raise :class:`InputError` for anything else."""
        found = _ACTION.match(text.strip())
        if found is None:
            raise InputError(f"{text!r} is not OWNER/REPO@REF (e.g. acme/ospo@v1)")
        return cls(repo=found["repo"], ref=found["ref"])

    @property
    def placeholder(self) -> bool:
        """Whether this stands for a repository the user has not named yet."""
        return self.ref == PLACEHOLDER

    @property
    def url(self) -> str:
        """The repository's clone URL, as pre-commit wants it."""
        return f"https://github.com/{self.repo}"


#: Used when no ``--action`` is given: visibly not a real repository.
UNNAMED = ActionRef(repo=f"{PLACEHOLDER}/ospo", ref=PLACEHOLDER)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectFacts:
    """What the project says about itself."""

    name: str
    name_source: str  # the file it came from, or why none did
    license: str | None  # a valid SPDX expression, normalised
    license_source: str | None
    #: Why there is no license, or what the metadata said that is not SPDX.
    license_note: str | None
    excludes: tuple[ExcludeRule, ...]
    forges: tuple[Forge, ...]
    branch: str
    #: Metadata that could not be read, said and skipped.
    problems: tuple[str, ...] = ()
    #: The top of the git repository when the project is below it (a monorepo's member).
    repository_top: Path | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedFile:
    """One file init writes, adds to or leaves alone."""

    path: str  # relative to the root, /-separated
    outcome: Outcome
    text: str = ""  # the new file, or the entry added or shown
    reason: str = ""  # for KEEP and SHOW: why
    original: str | None = None  # for ADD: the text the entry was planned against
    new_text: str | None = None  # for ADD: the whole file after the addition


@dataclass(frozen=True, slots=True, kw_only=True)
class InitPlan:
    """Everything init will do in one repository, and what the user should know."""

    root: Path
    facts: ProjectFacts
    profile: Profile
    action: ActionRef
    files: tuple[PlannedFile, ...]
    notes: tuple[str, ...]


# --- detect ---------------------------------------------------------------------------


def detect(root: Path, *, read_license_file: bool = True) -> ProjectFacts:
    """Read the project's name, outbound license, test directories and forge.

    The license comes from the metadata (``pyproject.toml``, ``package.json``,
    ``Cargo.toml``, in that order); when none declares one, from the LICENSE file as
    ScanCode detects it (``read_license_file``), through ospo's result cache.
    """
    if not root.is_dir():
        raise InputError("not a directory", path=str(root))
    name, name_source = root.resolve().name or "product", "the directory's name"
    declared: tuple[str, str] | None = None
    problems = []
    for reader in (_pyproject, _package_json, _cargo_toml):
        try:
            found = reader(root)
        except InputError as exc:  # one broken file does not stop init: the others may say
            problems.append(f"{exc}; init went on without it")
            continue
        if found is None:
            continue
        found_name, found_license, source = found
        if found_name and name_source == "the directory's name":
            name, name_source = found_name, source.split(" (")[0]
        if found_license and declared is None:
            declared = (found_license, source)
    license_expr, license_source, note = None, None, None
    if declared is not None:
        license_expr, license_source, note = _spdx(*declared)
    if license_expr is None and read_license_file:
        from_file = _license_file(root)
        if from_file is not None:
            license_expr, license_source, note = from_file[0], from_file[1], note or from_file[2]
    if license_expr is None and note is None:
        note = "no project metadata declares a license and there is no LICENSE file"
    top = _repository_top(root)
    return ProjectFacts(
        name=name,
        name_source=name_source,
        license=license_expr,
        license_source=license_source,
        license_note=note,
        excludes=_test_excludes(root),
        forges=_forges(top or root),
        branch=_branch(root),
        problems=tuple(problems),
        repository_top=top,
    )


def _read_toml(path: Path) -> dict[str, Any] | None:
    import tomllib

    if not os.path.lexists(path):
        return None
    try:
        return tomllib.loads(_metadata_text(path))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the project's metadata: {exc}", path=path.name) from None


def _metadata_text(path: Path) -> str:
    """The text of a metadata file of the project: a regular file, bounded."""
    from ospo.inputs import read_input_text

    try:
        return read_input_text(path, "the file", regular_only=True)
    except InputError as exc:
        raise InputError(
            f"cannot read the project's metadata: {exc.message}", path=path.name
        ) from None


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The table ``data[key]``; empty when it is missing or not a table."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _pyproject(root: Path) -> tuple[str | None, str | None, str] | None:
    data = _read_toml(root / "pyproject.toml")
    if data is None:
        return None
    project = _table(data, "project")
    poetry = _table(_table(data, "tool"), "poetry")
    name = _text(project.get("name")) or _text(poetry.get("name"))
    lic: object = project.get("license")
    where = "pyproject.toml ([project] license)"
    if isinstance(lic, dict):  # PEP 621's table: {text = "..."} or {file = "..."}
        lic = lic.get("text")
    if not _text(lic) and _text(project.get("license-expression")):
        lic, where = (
            project.get("license-expression"),
            "pyproject.toml ([project] license-expression)",
        )
    if not _text(lic) and _text(poetry.get("license")):
        lic, where = poetry.get("license"), "pyproject.toml ([tool.poetry] license)"
    if not _text(lic):
        classifiers = project.get("classifiers") or poetry.get("classifiers") or []
        classifiers = classifiers if isinstance(classifiers, list) else []
        mapped = [_trove().get(c) for c in classifiers if str(c).startswith("License ::")]
        if mapped and all(mapped):
            lic = " AND ".join(dict.fromkeys(m for m in mapped if m))
            where = "pyproject.toml (License classifiers)"
        elif mapped:
            vague = [
                c for c in classifiers if str(c).startswith("License ::") and not _trove().get(c)
            ]
            lic, where = vague[0], "pyproject.toml (License classifiers)"
    return name, _text(lic), where if _text(lic) else "pyproject.toml"


@cache
def _trove() -> dict[str, str | None]:
    import yaml

    from ospo.resources import data_dir

    text = (data_dir("policies") / "trove-classifiers.yml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text)["classifiers"])


def _package_json(root: Path) -> tuple[str | None, str | None, str] | None:
    path = root / "package.json"
    if not os.path.lexists(path):
        return None
    try:
        data = json.loads(_metadata_text(path))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read the project's metadata: {exc}", path=path.name) from None
    if not isinstance(data, dict):
        return None
    lic = data.get("license")
    if isinstance(lic, dict):  # the old {"type": ..., "url": ...} form
        lic = lic.get("type")
    return _text(data.get("name")), _text(lic), "package.json"


def _cargo_toml(root: Path) -> tuple[str | None, str | None, str] | None:
    data = _read_toml(root / "Cargo.toml")
    if data is None:
        return None
    package = _table(data, "package")
    return _text(package.get("name")), _text(package.get("license")), "Cargo.toml"


def _spdx(declared: str, source: str) -> tuple[str | None, str | None, str | None]:
    from ospo import licensing

    if declared.upper() == "UNLICENSED":  # npm's word for "not licensed to others"
        return (
            None,
            None,
            f"{source} says {declared!r} (proprietary), which is not an SPDX expression; "
            "a proprietary product names its license LicenseRef-ORGANISATION-Proprietary",
        )
    checked = licensing.check(declared)
    if checked.valid and checked.normalized:
        return checked.normalized, source, None
    return None, None, f"{source} says {declared!r}, which is not an SPDX expression"


_LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "COPYING")


def _license_file(root: Path) -> tuple[str | None, str | None, str | None] | None:
    for name in _LICENSE_FILES:
        path = root / name
        if path.is_file():
            break
    else:
        return None
    from ospo.config import DEFAULT_MAX_FILE_SIZE
    from ospo.scanners.base import ScanRequest
    from ospo.scanners.source.detection import detect_contents, hash_path

    hashed, issue = hash_path(path, DEFAULT_MAX_FILE_SIZE, display=name)
    if hashed is None or not hashed[2]:
        return None, None, f"{name} could not be read: {issue.message if issue else ''}"
    run = detect_contents({hashed[0]: str(path)}, ScanRequest(root=root))
    record = run.records.get(hashed[0])
    expression = record.get("license_expression") if record else None
    if not expression:
        return None, None, f"ScanCode found no license in {name}"
    from ospo import licensing

    checked = licensing.check(expression)
    if not checked.valid or not checked.normalized or "LicenseRef-scancode" in expression:
        return (
            None,
            None,
            f"ScanCode reads {name} as {expression}, which is not a known SPDX license",
        )
    return checked.normalized, f"{name} (detected by ScanCode)", None


def _test_excludes(root: Path) -> tuple[ExcludeRule, ...]:
    """An exclusion, with its reason, for each test or fixture directory in the tree."""
    found: dict[str, list[str]] = {}
    base = len(root.parts)
    for current, dirs, _files in os.walk(root):
        depth = len(Path(current).parts) - base
        kept = []
        for d in sorted(dirs):
            if d.startswith(".") or d in _SKIPPED:
                continue
            rel = Path(current, d).relative_to(root).as_posix()
            if d in TEST_DIRECTORIES:
                found.setdefault(d, []).append(rel)
                continue  # what is below a test directory is excluded with it
            if depth + 1 < _MAX_DEPTH:
                kept.append(d)
        dirs[:] = kept
    rules = []
    for name in sorted(found):
        paths = found[name]
        pattern = f"{name}/**" if paths == [name] else f"**/{name}/**"
        rules.append(ExcludeRule(pattern=pattern, reason=TEST_DIRECTORIES[name]))
    return tuple(rules)


def _forges(root: Path) -> tuple[Forge, ...]:
    from ospo.inputs import git_text

    remotes = (git_text(root, "remote", "-v") or "").lower()
    forges = []
    if (root / ".github").is_dir() or "github.com" in remotes:
        forges.append(Forge.GITHUB)
    if (root / GITLAB_CI).is_file() or "gitlab" in remotes:
        forges.append(Forge.GITLAB)
    return tuple(forges)


def _branch(root: Path) -> str:
    """The default branch: the remote's, else the one checked out, else ``main``."""
    from ospo.inputs import git_text

    remote = git_text(root, "symbolic-ref", "--short", "refs/remotes/origin/HEAD")
    if remote and remote.startswith("origin/"):
        return remote.removeprefix("origin/")
    return git_text(root, "symbolic-ref", "--short", "HEAD") or "main"


def _repository_top(root: Path) -> Path | None:
    """The top of the git repository ``root`` is in, when that is not ``root`` itself."""
    from ospo.inputs import git_text

    top = git_text(root, "rev-parse", "--show-toplevel")
    if not top or Path(top).resolve() == root.resolve():
        return None
    return Path(top)


# --- plan -----------------------------------------------------------------------------


def plan(
    root: Path,
    *,
    profile: Profile,
    action: ActionRef | None = None,
    facts: ProjectFacts | None = None,
) -> InitPlan:
    """Decide what to write in ``root``; nothing is written yet."""
    facts = facts if facts is not None else detect(root)
    ref = action if action is not None else UNNAMED
    files = [
        _plan_config(root, facts, profile),
        _plan_new(root, DEFAULT_WAIVERS.as_posix(), waivers_text()),
    ]
    if facts.repository_top is not None:
        files.extend(_repository_files(facts.repository_top, ref, facts))
    else:
        files.append(_plan_pre_commit(root, ref))
        if Forge.GITHUB in facts.forges:
            files.append(_plan_new(root, GITHUB_WORKFLOW, github_workflow(ref, facts.branch)))
        if Forge.GITLAB in facts.forges:
            files.append(_plan_gitlab(root, ref))
    notes = list(facts.problems)
    if facts.license is None:
        notes.append(
            f"product.license is left commented in .ospo.yml: {facts.license_note}; "
            "write the product's outbound license there as an SPDX expression"
        )
    if not facts.forges:
        notes.append(
            "no forge detected (no .github/, no .gitlab-ci.yml, no GitHub or GitLab remote): "
            "no CI file written; see ospo's docs/init.md for the GitHub and GitLab set-up"
        )
    if ref.placeholder:
        notes.append(
            f"ospo's repository was not given (--action OWNER/REPO@REF): the pre-commit "
            f"entry and the CI file name {ref.repo}@{ref.ref}; replace {PLACEHOLDER} "
            "with the repository that hosts ospo and its tag before committing them"
        )
    return InitPlan(
        root=root,
        facts=facts,
        profile=profile,
        action=ref,
        files=tuple(files),
        notes=tuple(notes),
    )


def _repository_files(top: Path, ref: ActionRef, facts: ProjectFacts) -> list[PlannedFile]:
    """What to show, not write, for a project below the top of its git repository:
    pre-commit and the forges read their files at the top only."""
    shown = [(PRE_COMMIT_CONFIG, pre_commit_entry(ref, dash=2, body=4), "add this entry to")]
    if Forge.GITHUB in facts.forges:
        shown.append((GITHUB_WORKFLOW, github_workflow(ref, facts.branch), "write this as"))
    if Forge.GITLAB in facts.forges:
        include = gitlab_include(ref, dash=2, body=4, key=True)
        shown.append((GITLAB_CI, include, "add this to"))
    return [
        PlannedFile(
            path=name,
            outcome=Outcome.SHOW,
            text=text,
            reason=f"the project is below the top of its git repository, where {name} is "
            f"read; {what} {top / name} by hand",
        )
        for name, text, what in shown
    ]


def _plan_new(root: Path, rel: str, text: str) -> PlannedFile:
    if (root / rel).exists() or (root / rel).is_symlink():
        return PlannedFile(path=rel, outcome=Outcome.KEEP, reason="it exists")
    return PlannedFile(path=rel, outcome=Outcome.WRITE, text=text)


def _plan_config(root: Path, facts: ProjectFacts, profile: Profile) -> PlannedFile:
    for name in CONFIG_NAMES:
        if (root / name).exists():
            return PlannedFile(path=name, outcome=Outcome.KEEP, reason="it exists")
    return PlannedFile(
        path=CONFIG_NAMES[0], outcome=Outcome.WRITE, text=config_text(facts, profile)
    )


def _plan_pre_commit(root: Path, ref: ActionRef) -> PlannedFile:
    path = root / PRE_COMMIT_CONFIG
    if not path.exists():
        text = (
            "# Hooks run by pre-commit (https://pre-commit.com) on every commit.\n"
            "repos:\n" + pre_commit_entry(ref, dash=2, body=4)
        )
        return PlannedFile(path=PRE_COMMIT_CONFIG, outcome=Outcome.WRITE, text=text)
    try:
        original = _read(path)
    except InputError as exc:
        return PlannedFile(path=PRE_COMMIT_CONFIG, outcome=Outcome.KEEP, reason=exc.message)
    data = _load(original)
    repos = data.get("repos") if isinstance(data, dict) else None
    if isinstance(repos, list) and any(
        isinstance(r, dict)
        and any(isinstance(h, dict) and h.get("id") in HOOK_IDS for h in r.get("hooks") or [])
        for r in repos
    ):
        return PlannedFile(
            path=PRE_COMMIT_CONFIG, outcome=Outcome.KEEP, reason="it runs ospo already"
        )
    entry_data = {"repo": ref.url, "rev": ref.ref, "hooks": [{"id": i} for i in HOOK_IDS]}
    added = _add_to_list(
        original, "repos", lambda d, b: pre_commit_entry(ref, dash=d, body=b), entry_data
    )
    if added is None:
        return PlannedFile(
            path=PRE_COMMIT_CONFIG,
            outcome=Outcome.SHOW,
            text=pre_commit_entry(ref, dash=2, body=4),
            reason="it cannot be edited safely (its `repos:` is not a list in block style "
            "that an entry can be added to); add this entry to `repos:` by hand",
        )
    return PlannedFile(
        path=PRE_COMMIT_CONFIG,
        outcome=Outcome.ADD,
        text=added[0],
        original=original,
        new_text=added[1],
    )


def _plan_gitlab(root: Path, ref: ActionRef) -> PlannedFile:
    path = root / GITLAB_CI
    if not path.exists():
        return _plan_new(
            root, GITLAB_CI, "# CI pipeline.\n" + gitlab_include(ref, dash=2, body=4, key=True)
        )
    try:
        original = _read(path)
    except InputError as exc:
        return PlannedFile(path=GITLAB_CI, outcome=Outcome.KEEP, reason=exc.message)
    data = _load(original)
    if isinstance(data, dict) and any(
        GITLAB_TEMPLATE in json.dumps(v) for k, v in data.items() if k == "include"
    ):
        return PlannedFile(
            path=GITLAB_CI, outcome=Outcome.KEEP, reason="it includes ospo's template already"
        )
    entry_data = {"remote": gitlab_template_url(ref)}
    added = None
    if isinstance(data, dict) and "include" not in data:
        added = _add_key(
            original, "include", gitlab_include(ref, dash=2, body=4, key=True), [entry_data]
        )
    elif isinstance(data, dict):
        added = _add_to_list(
            original, "include", lambda d, b: gitlab_include(ref, dash=d, body=b), entry_data
        )
    if added is None:
        snippet = _plan_new(
            root,
            GITLAB_SNIPPET,
            "# Add this to the `include:` list of .gitlab-ci.yml (ospo init could not edit it\n"
            "# safely): it runs ospo's gate in the pipeline.\n"
            + gitlab_include(ref, dash=2, body=4, key=True),
        )
        if snippet.outcome is Outcome.WRITE:
            return PlannedFile(
                path=GITLAB_SNIPPET,
                outcome=Outcome.WRITE,
                text=snippet.text,
                reason=f"{GITLAB_CI} cannot be edited safely: its `include:` is not a list "
                "in block style; add the entry in this file to it by hand",
            )
        return snippet
    return PlannedFile(
        path=GITLAB_CI, outcome=Outcome.ADD, text=added[0], original=original, new_text=added[1]
    )


def _read(path: Path) -> str:
    """The text of ``path`` with its line endings as they are (they are written back)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"it cannot be read: {exc}", path=str(path)) from None


def _load(text: str) -> Any:
    """The YAML document in ``text``; None when it is not exactly one valid document."""
    import yaml

    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return None
    return docs[0] if len(docs) == 1 else None


def _add_to_list(
    original: str,
    key: str,
    render: Callable[[int, int], str],
    entry: dict[str, Any],
) -> tuple[str, str] | None:
    """Add an entry at the end of the block-style list under the top-level ``key``.

    ``render(dash, body)`` gives the entry's text with its dash and its keys at those
    columns (the list's own). Returns ``(added text, new file text)``, or None when the
    list is not there, not in block style, or the result would read as anything but the
    old document with the entry appended.
    """
    import yaml

    try:
        node = yaml.compose(original)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    value = next((v for k, v in node.value if k.value == key), None)
    if not isinstance(value, yaml.SequenceNode) or value.flow_style or not value.value:
        return None
    lines = original.splitlines(keepends=True)
    first = value.value[0]
    first_line = lines[first.start_mark.line]
    dash = len(first_line) - len(first_line.lstrip(" "))
    if not first_line.lstrip(" ").startswith("-") or first.start_mark.column <= dash:
        return None
    body = first.start_mark.column
    end = _last_mark(value.value[-1])
    cut = end.line + 1 if end.column > 0 else end.line
    prefix = "".join(lines[:cut])
    added = _line_endings(render(dash, body), original)
    if prefix and not prefix.endswith("\n"):
        added = _line_endings("\n", original) + added
    new_text = prefix + added + "".join(lines[cut:])
    expected = _load(original)
    if not isinstance(expected, dict) or not isinstance(expected.get(key), list):
        return None
    expected[key] = [*expected[key], entry]
    if _load(new_text) != expected:
        return None
    return added, new_text


def _add_key(original: str, key: str, block: str, value: Any) -> tuple[str, str] | None:
    """Add a top-level ``key`` (its text ``block``) at the end of a block-style mapping."""
    expected = _load(original)
    if not isinstance(expected, dict) or original.lstrip().startswith("{"):
        return None
    added = _line_endings(
        block if original.endswith("\n") or not original else "\n" + block, original
    )
    new_text = original + added
    expected[key] = value
    if _load(new_text) != expected:
        return None
    return added, new_text


def _line_endings(text: str, like: str) -> str:
    """``text`` with the line endings of ``like`` (Windows' when it has them)."""
    return text.replace("\n", "\r\n") if "\r\n" in like else text


def _last_mark(node: Any) -> Any:
    """Where the last value inside ``node`` ends (before comments and blank lines)."""
    import yaml

    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark


# --- the texts ------------------------------------------------------------------------


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back unchanged, else quoted."""
    import yaml

    if re.fullmatch(r"[A-Za-z0-9_@.][A-Za-z0-9 ,._@/+()*-]*", text) and not text.endswith(" "):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text)


def config_text(facts: ProjectFacts, profile: Profile) -> str:
    """The ``.ospo.yml`` for the project, validated against ospo's configuration schema."""
    import yaml

    from ospo.documents import schema_validator

    lines = [
        "# ospo's configuration for this project, written by `ospo init`.",
        "# `ospo check` reads it; see ospo's docs/configuration.md for every key.",
        "product:",
        f"  name: {_scalar(facts.name)}  # from {facts.name_source}",
    ]
    if facts.license is not None:
        lines.append(
            f"  license: {_scalar(facts.license)}"
            f"  # the outbound license, from {facts.license_source}"
        )
    else:
        lines.append(f"  # {facts.license_note}:")
        lines.append("  # license: SPDX-EXPRESSION  # the outbound license, e.g. Apache-2.0 or MIT")
    lines.append(
        f"profile: {profile.value}  # how the product ships: internal | saas | binary | source"
    )
    lines.append("scan:")
    lines.append("  exclude:")
    for rule in facts.excludes:
        lines.append(f"    - path: {_scalar(rule.pattern)}")
        lines.append(f"      reason: {_scalar(rule.reason)}")
    lines.append("    - path: .ospo.yml")
    lines.append("      reason: this file, which names the outbound license; not shipped")
    lines.append("    - path: .ospo/**")
    lines.append(
        "      reason: the review board's decisions, which quote license names; not shipped"
    )
    text = "\n".join(lines) + "\n"
    errors = list(schema_validator("config.schema.json").iter_errors(yaml.safe_load(text)))
    if errors:  # what init writes is ospo's own text: a failure here is ospo's bug
        raise OperationalError(f"the configuration init wrote is not valid: {errors[0].message}")
    return text


def waivers_text() -> str:
    """An empty waivers file, as ``ospo decide`` starts one."""
    from ospo.policy.decisions import _HEADER

    return _HEADER + "version: 1\nwaivers: []\n"


def pre_commit_entry(ref: ActionRef, *, dash: int, body: int) -> str:
    """ospo's entry of ``repos:``, its dash at column ``dash`` and its keys at ``body``."""
    pad = " " * body
    mark = f"  # {PLACEHOLDER}: ospo's repository and tag" if ref.placeholder else ""
    hooks = "".join(f"{pad}  - id: {hook}\n" for hook in HOOK_IDS)
    return (
        f"{' ' * dash}-{' ' * (body - dash - 1)}repo: {ref.url}{mark}\n"
        f"{pad}rev: {ref.ref}{mark}\n"
        f"{pad}hooks:\n{hooks}"
    )


def gitlab_template_url(ref: ActionRef) -> str:
    """Where GitLab reads ospo's template from: the raw file in ospo's repository."""
    return f"https://raw.githubusercontent.com/{ref.repo}/{ref.ref}/{GITLAB_TEMPLATE}"


def gitlab_include(ref: ActionRef, *, dash: int, body: int, key: bool = False) -> str:
    """The ``include:`` entry of ospo's GitLab template (with the key when ``key``)."""
    mark = f"  # {PLACEHOLDER}: ospo's repository and tag" if ref.placeholder else ""
    entry = f"{' ' * dash}-{' ' * (body - dash - 1)}remote: {gitlab_template_url(ref)}{mark}\n"
    return ("include:\n" + entry) if key else entry


def github_workflow(ref: ActionRef, branch: str) -> str:
    """The GitHub Actions workflow running ospo's composite action on pushes and pull requests."""
    mark = (
        f"  # {PLACEHOLDER}: ospo's repository and tag, OWNER/REPO@REF" if ref.placeholder else ""
    )
    return (
        "# ospo's gate: licenses, copyrights and dependencies judged against the policy\n"
        "# (.ospo.yml), on every push and pull request. Written by `ospo init`.\n"
        "name: ospo\n"
        "on:\n"
        "  push:\n"
        f"    branches: [{_scalar(branch)}]\n"
        "  pull_request:\n"
        "  workflow_dispatch:\n"
        "permissions:\n"
        "  contents: read\n"
        "  security-events: write  # findings go to code scanning as SARIF\n"
        "jobs:\n"
        "  ospo:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        f"      - uses: {ref.repo}@{ref.ref}{mark}\n"
    )


# --- write ----------------------------------------------------------------------------


def write(init_plan: InitPlan) -> tuple[PlannedFile, ...]:
    """Carry out ``init_plan``; return what was done, file by file.

    A new file is created only if it still does not exist; an addition is made only if the
    file still holds the text it was planned against. Otherwise the file is left alone,
    and the result says so.
    """
    done = []
    for item in init_plan.files:
        path = init_plan.root / item.path
        if item.outcome is Outcome.WRITE:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(path, "x", encoding="utf-8", newline="") as handle:
                    handle.write(item.text)
            except FileExistsError:
                item = PlannedFile(path=item.path, outcome=Outcome.KEEP, reason="it exists")
            except OSError as exc:
                raise OperationalError(f"cannot write: {exc.strerror}", path=str(path)) from None
        elif item.outcome is Outcome.ADD and (new_text := item.new_text) is not None:
            try:
                current: str | None = _read(path)
                mode = path.stat().st_mode
            except (InputError, OSError):
                current, mode = None, 0
            if current != item.original:
                item = PlannedFile(
                    path=item.path, outcome=Outcome.KEEP, reason="it changed while init ran"
                )
            else:
                from ospo.atomic import atomic_write_text

                atomic_write_text(path, new_text)
                os.chmod(path, mode & 0o7777)
        done.append(item)
    return tuple(done)
