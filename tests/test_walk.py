# SPDX-License-Identifier: Apache-2.0
"""Listing the files of a tree: git's ignore rules, exclusions with reasons, no link loops."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from ospo.config import ExcludeRule
from ospo.scanners.source.walk import list_files


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_git_work_tree_honours_gitignore(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "build").mkdir()
    (root / "src" / "a.py").write_text("a = 1\n", encoding="utf-8")
    (root / "src" / "tracked.log").write_text("kept: tracked\n", encoding="utf-8")
    (root / "build" / "out.o").write_text("object\n", encoding="utf-8")
    (root / "notes.log").write_text("ignored\n", encoding="utf-8")
    (root / ".gitignore").write_text("build/\n*.log\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-f", "src/tracked.log")
    (root / "untracked.py").write_text("b = 2\n", encoding="utf-8")
    listing = list_files(root)
    assert listing.git
    assert listing.files == (".gitignore", "src/a.py", "src/tracked.log", "untracked.py")


def test_deleted_tracked_file_is_not_listed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "gone.py").write_text("x\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "gone.py")
    (root / "gone.py").unlink()
    assert list_files(root).files == ()


def test_plain_tree_skips_dot_git_and_never_follows_links(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text("x\n", encoding="utf-8")
    (root / "pkg").mkdir()
    (root / "pkg" / "m.py").write_text("m\n", encoding="utf-8")
    os.symlink("..", root / "pkg" / "parent")
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    listing = list_files(root)
    assert not listing.git
    assert listing.files == ("pkg/m.py",)
    assert listing.symlinks == ("loop-a", "loop-b", "pkg/parent")


@pytest.mark.parametrize("git", [False, True])
def test_the_root_ospo_records_are_not_part_of_the_product(tmp_path: Path, git: bool) -> None:
    """``.ospo/`` at the root holds the board's waivers, sign-offs and approved releases:
    never listed, in a git work tree (tracked or not) or a plain one. A ``.ospo`` deeper
    down, or a file whose name only starts with it, is the product's."""
    root = tmp_path / "repo"
    for rel in (
        ".ospo/waivers.yml",
        ".ospo/signoffs.yml",
        ".ospo/releases/1.0/evaluation.json",
        "sub/.ospo/kept.yml",
        ".ospo.yml",
        ".ospo-notes",
        "src/a.py",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n", encoding="utf-8")
    if git:
        _git(root, "init", "-q")
        _git(root, "add", ".ospo/waivers.yml")
    listing = list_files(root)
    assert listing.git is git
    assert listing.files == (".ospo-notes", ".ospo.yml", "src/a.py", "sub/.ospo/kept.yml")


def test_exclusions_count_files_and_keep_reasons(tmp_path: Path) -> None:
    root = tmp_path / "t"
    for rel in ("src/a.py", "tests/fixtures/x/y.json", "tests/test_a.py", "docs/a.min.js"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n", encoding="utf-8")
    rules = (
        ExcludeRule(pattern="tests/fixtures", reason="test data"),
        ExcludeRule(pattern="**/*.min.js", reason="generated"),
        ExcludeRule(pattern="nothing/**", reason="matches nothing"),
    )
    listing = list_files(root, rules)
    assert listing.files == ("src/a.py", "tests/test_a.py")
    assert [(e.pattern, e.reason, e.files) for e in listing.excluded] == [
        ("tests/fixtures", "test data", 1),
        ("**/*.min.js", "generated", 1),
        ("nothing/**", "matches nothing", 0),
    ]


def test_glob_semantics() -> None:
    rule = ExcludeRule(pattern="vendor/*/test?.c", reason="r")
    assert rule.matches("vendor/x/test1.c")
    assert not rule.matches("vendor/x/y/test1.c")
    assert ExcludeRule(pattern="**/node_modules", reason="r").matches("a/b/node_modules/c/d.js")
    assert ExcludeRule(pattern="docs", reason="r").matches("docs/index.md")
    assert not ExcludeRule(pattern="doc", reason="r").matches("docs/index.md")


def test_a_tree_ignored_by_its_enclosing_repository_is_walked(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "build" / "unpacked").mkdir(parents=True)
    (repo / ".gitignore").write_text("build/\n", encoding="utf-8")
    (repo / "build" / "unpacked" / "a.c").write_text("int a;\n", encoding="utf-8")
    _git(repo, "init", "-q")
    listing = list_files(repo / "build" / "unpacked")
    assert not listing.git
    assert listing.files == ("a.c",)


def test_revision_and_files_of_a_subdirectory_of_a_repository(tmp_path: Path) -> None:
    """git is asked in three ways: at the top of a work tree, below it (where the tree
    may be ignored), and not at all where no ``.git`` is above the tree."""
    repo = tmp_path / "repo"
    (repo / "lib").mkdir(parents=True)
    (repo / "lib" / "b.py").write_text("b = 1\n", encoding="utf-8")
    (repo / "lib" / "new.py").write_text("n = 1\n", encoding="utf-8")
    _git(repo, "init", "-q")
    assert list_files(repo).revision is None  # no commit yet
    _git(repo, "add", "lib/b.py")
    _git(repo, "-c", "user.name=a", "-c", "user.email=a@example.org", "commit", "-qm", "b")
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    for root, files in ((repo, ("lib/b.py", "lib/new.py")), (repo / "lib", ("b.py", "new.py"))):
        listing = list_files(root)
        assert (listing.git, listing.revision, listing.files) == (True, head, files)
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "c.py").write_text("c = 1\n", encoding="utf-8")
    walked = list_files(plain)
    assert (walked.git, walked.revision, walked.files) == (False, None, ("c.py",))


def test_git_ceiling_directories_stop_the_search_as_they_stop_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below a ceiling (``GIT_CEILING_DIRECTORIES``) git finds no repository, and ospo
    does not ask it: the tree is walked as a plain directory, gitignore or not."""
    from ospo import inputs

    repo = tmp_path / "repo"
    (repo / "unpacked" / "lib").mkdir(parents=True)
    (repo / "unpacked" / "lib" / "a.c").write_text("int a;\n", encoding="utf-8")
    (repo / ".gitignore").write_text("*.c\n", encoding="utf-8")
    _git(repo, "init", "-q")
    assert inputs.enclosing_git(repo / "unpacked") is False
    assert list_files(repo / "unpacked").files == ()  # git's listing leaves *.c out
    link = tmp_path / "link"
    link.symlink_to(repo, target_is_directory=True)
    for ceiling in (str(repo), f"::{repo}", str(link)):  # as git reads it: links resolved
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", ceiling)
        assert inputs.enclosing_git(repo / "unpacked" / "lib") is None
        listing = list_files(repo / "unpacked")
        assert (listing.git, listing.files) == (False, ("lib/a.c",))
        # git agrees: no repository from there
        found = subprocess.run(
            ["git", "-C", str(repo / "unpacked"), "rev-parse", "--git-dir"], capture_output=True
        )
        assert found.returncode != 0
    # the top of the work tree itself is found, ceiling or not (git looks there first)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo))
    assert inputs.enclosing_git(repo) is True
    # a ceiling after an empty entry is taken as written: a link there is not resolved
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", f":{link}")
    assert inputs.enclosing_git(repo / "unpacked") is False
    found = subprocess.run(["git", "-C", str(repo / "unpacked"), "rev-parse"], capture_output=True)
    assert found.returncode == 0
    # after an empty entry git compares entries as strings (one trailing separator aside):
    # a spelling other than the directory's own is not that directory, for git nor for ospo
    for ceiling, found in ((f":{repo}/", None), (f":{repo}//", False), (f":{repo}/.", False)):
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", ceiling)
        assert inputs.enclosing_git(repo / "unpacked") is found
        git_says = subprocess.run(["git", "-C", str(repo / "unpacked"), "rev-parse"])
        assert (git_says.returncode == 0) is (found is False)
    # relative entries are ignored, as git ignores them
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", "repo")
    assert inputs.enclosing_git(repo / "unpacked") is False


def _installed_trees(root: Path) -> None:
    for rel in (
        "src/app.js",
        "node_modules/left-pad/index.js",
        "web/node_modules/@scope/x/package.json",
        "venv/lib/python3.11/site-packages/six.py",
        "venv/pyvenv.cfg",
        "tools/venv-notes/readme.txt",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n", encoding="utf-8")


def test_installed_dependency_trees_are_not_walked(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    _installed_trees(root)
    listing = list_files(root)
    assert listing.files == ("src/app.js", "tools/venv-notes/readme.txt")
    assert [e.pattern for e in listing.excluded] == ["node_modules", "venv", "web/node_modules"]
    assert all("--env" in e.reason and "not walked" in e.reason for e in listing.excluded)
    # an exclusion the project configured for the same directory is reported once
    rule = ExcludeRule(pattern="node_modules", reason="ours")
    listing = list_files(root, (rule,))
    assert [e.pattern for e in listing.excluded] == ["node_modules", "venv", "web/node_modules"]
    assert listing.excluded[0].reason == "ours"


def test_installed_trees_in_git_are_left_out_unless_tracked(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _installed_trees(root)
    _git(root, "init", "-q")
    _git(root, "add", "src/app.js", "node_modules/left-pad/index.js")  # vendored on purpose
    listing = list_files(root)
    assert listing.git
    assert listing.files == (
        "node_modules/left-pad/index.js",
        "src/app.js",
        "tools/venv-notes/readme.txt",
    )
    # nothing untracked under node_modules/ here: only the other two are left out
    assert [e.pattern for e in listing.excluded] == ["venv", "web/node_modules"]


def test_git_questions_started_ahead_are_collected_by_the_listing(tmp_path: Path) -> None:
    """The CLI starts git's first questions before it imports the scanners; the listing
    collects those answers, and answers nobody collected are dropped, not kept for later."""
    from ospo import inputs

    repo = tmp_path / "repo"
    (repo / "lib").mkdir(parents=True)
    (repo / "lib" / "a.py").write_text("a = 1\n", encoding="utf-8")
    _git(repo, "init", "-q")
    # the top of the work tree, and below it
    for root, files in ((repo, ("lib/a.py",)), (repo / "lib", ("a.py",))):
        inputs.start_listing(root)
        assert inputs._STARTED
        listing = list_files(root)
        assert not inputs._STARTED  # collected
        assert (listing.git, listing.files) == (True, files)
    inputs.start_listing(repo / "lib")
    inputs.forget_started()
    assert not inputs._STARTED
    (repo / ".gitignore").write_text("lib/\n", encoding="utf-8")
    assert not list_files(repo / "lib").git  # asked afresh: now ignored, so walked


@pytest.mark.parametrize(
    "size", [0, 1, 4095, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 7]
)
@pytest.mark.parametrize("listed", ["same", "smaller", "larger", "none"])
def test_a_file_is_hashed_whole_whatever_size_it_had_when_listed(
    tmp_path: Path, size: int, listed: str
) -> None:
    """The size seen when the tree was listed only shortens reading: a file that grew or
    shrank since, or whose size is not known, is still hashed to its end."""
    import hashlib

    from ospo.scanners.source.detection import hash_path

    content = os.urandom(size)
    path = tmp_path / "f.bin"
    path.write_bytes(content)
    hint = {"same": size, "smaller": max(size - 3, 0), "larger": size + 100, "none": 0}[listed]
    hashed, issue = hash_path(str(path), size, size_hint=hint)
    assert issue is None
    assert hashed == (hashlib.sha256(content).hexdigest(), size, True)
    assert hash_path(path, max(size - 1, 0), size_hint=hint)[0] == (
        hashlib.sha256(content).hexdigest(),
        size,
        size == 0,  # over the limit: hashed, not scannable
    )


def test_a_directory_or_a_missing_file_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    from ospo.scanners.source.detection import hash_path

    for path in (tmp_path, tmp_path / "gone"):
        hashed, issue = hash_path(path, 100, display="x", size_hint=10)
        assert hashed is None and issue is not None and issue.path == "x"
        assert issue.message.startswith("cannot read: ")
