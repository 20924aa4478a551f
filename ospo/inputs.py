# SPDX-License-Identifier: Apache-2.0
"""Small shared readers for user input: text files and git, with errors that name the file."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo.errors import InputError, quote

if TYPE_CHECKING:  # subprocess is imported when git really runs: a scan outside git skips it
    import subprocess


#: The most characters ospo reads from one document a user names (an SBOM, an inventory).
MAX_INPUT_CHARS = 256 * 1024 * 1024
#: The most characters of a YAML document (``.ospo.yml``, a policy, waivers).
MAX_YAML_CHARS = 8 * 1024 * 1024
#: The deepest nesting of lists and mappings a JSON or YAML document may have.
MAX_NESTING = 200
#: The most nodes a YAML document may have once its aliases are expanded.
MAX_YAML_NODES = 1_000_000
#: What a document nested deeper than :data:`MAX_NESTING` is told.
TOO_DEEP = f"nested deeper than ospo reads ({MAX_NESTING} levels of lists and mappings)"

_CHUNK = 1024 * 1024


def read_input_text(
    path: Path,
    what: str,
    error: type[InputError] = InputError,
    *,
    limit: int = MAX_INPUT_CHARS,
    undecodable: str = "strict",
    newline: str | None = None,
    regular_only: bool = False,
) -> str:
    """Return the UTF-8 text of ``path``; raise ``error`` saying what could not be read.

    At most ``limit`` characters are read: a larger file, or a device that never ends
    (``/dev/zero``), is an error; so is a NUL character, which no text document holds. A
    UTF-8 byte order mark (what some Windows tools write first) is not part of the text.
    ``undecodable`` is how bytes that are not UTF-8 are decoded (``open``'s ``errors``):
    by default they are an error. ``newline`` is ``open``'s: by default every line end is
    read as ``\\n``; ``""`` keeps them as written. With ``regular_only`` (a file found in a
    tree or an environment, not one the user named), anything but a regular file is an
    error before it is opened: a named pipe would be waited on for ever.
    """
    chunks: list[str] = []
    size = 0
    try:
        if regular_only:
            mode = path.stat().st_mode
            if not stat.S_ISREG(mode):
                kind = "directory" if stat.S_ISDIR(mode) else special_kind(mode)
                raise error(f"{what} is a {kind}, not a regular file", path=str(path))
        with open(path, encoding="utf-8-sig", errors=undecodable, newline=newline) as handle:
            while chunk := handle.read(_CHUNK):
                if "\0" in chunk:
                    raise error(f"{what} is binary, not text (it holds a NUL byte)", path=str(path))
                size += len(chunk)
                if size > limit:
                    raise error(
                        f"{what} is larger than ospo reads ({limit // (1024 * 1024)} MiB)",
                        path=str(path),
                    )
                chunks.append(chunk)
    except FileNotFoundError:
        raise error(f"{what} does not exist", path=str(path)) from None
    except IsADirectoryError:
        raise error(f"{what} is a directory, not a file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise error(
            f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start:,}"
            f"{'; it looks like UTF-16' if _utf16(path) else ''})",
            path=str(path),
        ) from None
    except OSError as exc:
        raise error(f"cannot read {what}: {exc}", path=str(path)) from None
    return "".join(chunks)


def _utf16(path: Path) -> bool:
    """Whether ``path`` starts with a UTF-16 byte order mark."""
    try:
        with open(path, "rb") as handle:
            return handle.read(2) in (b"\xff\xfe", b"\xfe\xff")
    except OSError:
        return False


def special_kind(mode: int) -> str:
    """What a file of ``mode`` that is neither a regular file nor a directory is, in words."""
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def tree_document(path: Path, error: type[InputError] = InputError) -> bool:
    """Whether the tree holds the document ``path`` that ospo looks for by name
    (``.ospo.yml``, the waivers file): False when nothing is there. Something there that is
    not a regular file (a directory, a link to nothing, a named pipe) raises ``error``:
    passing over it would change the verdict in silence, and opening a pipe waits for ever.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise error("a symbolic link to nothing, not a file", path=str(path)) from None
        return False
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=str(path)) from None
    if stat.S_ISREG(mode):
        return True
    kind = "directory" if stat.S_ISDIR(mode) else special_kind(mode)
    raise error(f"a {kind}, not a file", path=str(path))


def parse_json(text: str, path: str, error: type[InputError] = InputError) -> Any:
    """Parse JSON ``text`` read from ``path``; raise ``error`` naming the line of a syntax
    error, or saying the document nests deeper than :data:`MAX_NESTING`.

    A document nested too deeply for Python's recursion (a hundred thousand ``[``) is an
    input error here, not a RecursionError that ends the run.
    """
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise error(
            f"not JSON: {exc.msg} (column {exc.colno})", path=path, line=exc.lineno
        ) from None
    except _DuplicateKey as exc:
        raise error(
            f"the key {quote(exc.key)} is written twice in one object: JSON readers keep "
            "one of the two in silence, so what this document says is not known",
            path=path,
        ) from None
    except ValueError:  # an integer of more digits than Python converts
        raise error(
            f"holds an integer of more than {sys.get_int_max_str_digits():,} digits, more "
            "than ospo reads",
            path=path,
        ) from None
    except RecursionError:
        raise error(TOO_DEEP, path=path) from None
    check_nesting(data, path, error)
    return data


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return data


def check_nesting(data: Any, path: str, error: type[InputError] = InputError) -> None:
    """Raise ``error`` if ``data`` (parsed JSON or TOML) nests lists and mappings deeper
    than :data:`MAX_NESTING`; every later step may then recurse safely. Walked a level at a
    time: each container is looked at once."""
    level = [data] if isinstance(data, (dict, list)) else []
    for _depth in range(MAX_NESTING):
        if not level:
            return
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, (dict, list))
        ]
    if level:
        raise error(TOO_DEEP, path=path)


def git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """Run ``git -C root ARGS``; None when git is not installed. Output is bytes."""
    return git_all(root, args)[0]


def git_all(
    root: Path, *commands: tuple[str, ...]
) -> list[subprocess.CompletedProcess[bytes] | None]:
    """Run ``git -C root ARGS`` for each of ``commands`` at the same time (their start-up,
    a few milliseconds each, overlaps); None for one that could not start (no git).

    A command started earlier with :func:`start_git` is not started again: its answer is
    collected here.
    """
    from subprocess import CompletedProcess

    started = [_STARTED.pop((str(root), args), None) or _spawn(root, args) for args in commands]
    done: list[subprocess.CompletedProcess[bytes] | None] = []
    for proc in started:
        if proc is None:
            done.append(None)
            continue
        out, err = proc.communicate()
        done.append(CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def start_git(root: Path, *commands: tuple[str, ...]) -> None:
    """Start ``git -C root ARGS`` for each of ``commands`` now, for :func:`git_all` to
    collect later: the CLI starts the questions a scan will ask first, and git answers
    while the rest of ospo is imported."""
    for args in commands:
        key = (str(root), args)
        if key not in _STARTED:
            proc = _spawn(root, args)
            if proc is not None:
                _STARTED[key] = proc


def forget_started() -> None:
    """Stop and forget the commands started ahead that nobody collected (the scan they
    were for stopped early): a later question must not get their stale answer."""
    while _STARTED:
        _key, proc = _STARTED.popitem()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


#: Commands started ahead by :func:`start_git`, by (root, arguments).
_STARTED: dict[tuple[str, tuple[str, ...]], subprocess.Popen[bytes]] = {}


def _spawn(root: Path, args: tuple[str, ...]) -> subprocess.Popen[bytes] | None:
    import subprocess

    try:
        return subprocess.Popen(
            ["git", "-C", str(root), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError:
        return None


# --- the listing of a work tree (ospo.scanners.source.walk) ------------------------------

#: Is the tree ignored by its repository? 1: no; 0: yes; 128: no repository git can use.
GIT_CHECK_IGNORED = ("check-ignore", "-q", ".")
#: Tracked files and untracked ones .gitignore leaves, told apart by ls-files' tag.
GIT_LIST_FILES = ("ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard")
#: The commit checked out (none before the first commit).
GIT_HEAD = ("rev-parse", "--verify", "-q", "HEAD")


def enclosing_git(root: Path) -> bool | None:
    """Where git's repository may be: True when ``root`` holds ``.git`` (the top of a
    work tree), False when a directory above it does (or ``GIT_DIR`` says where), None
    when neither does.

    The search goes up the way git's own does: from the real path of ``root``, and not
    into a directory named in ``GIT_CEILING_DIRECTORIES``.
    """
    if "GIT_DIR" in os.environ:
        return False
    here = os.path.realpath(root)
    if os.path.lexists(os.path.join(here, ".git")):
        return True
    ceilings = _ceilings()
    while True:
        parent = os.path.dirname(here)
        if parent == here or parent in ceilings:
            return None
        here = parent
        if os.path.lexists(os.path.join(here, ".git")):
            return False


def _ceilings() -> set[str]:
    """The directories of ``GIT_CEILING_DIRECTORIES`` as git reads them: absolute paths
    only; up to the first empty entry, symbolic links resolved; after it, each taken as
    written but for one trailing separator (git compares those as strings)."""
    ceilings = set()
    resolve = True
    for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep):
        if not entry:
            resolve = False
        elif os.path.isabs(entry):
            if resolve:
                ceilings.add(os.path.realpath(entry))
            else:
                ceilings.add(entry[:-1] if len(entry) > 1 and entry.endswith(os.sep) else entry)
    return ceilings


def start_listing(root: Path) -> None:
    """Start the git questions the listing of ``root`` asks first (see
    ``ospo.scanners.source.walk``), so that git answers while the caller goes on."""
    if not os.path.isdir(root):
        return
    top = enclosing_git(root)
    if top is True:
        start_git(root, GIT_LIST_FILES, GIT_HEAD)
    elif top is False:
        start_git(root, GIT_CHECK_IGNORED)


def git_text(root: Path, *args: str) -> str | None:
    """Run git and return its stripped output, or None if git is missing or failed."""
    proc = git(root, *args)
    if proc is None or proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", errors="replace").strip()


# --- YAML from users (ospo.documents, ospo.scanners.lockfiles.reading) --------------------


def load_yaml_text(
    text: str,
    path: str,
    loader_type: type[Any],
    error: type[InputError] = InputError,
    before_construct: Callable[[Any], None] | None = None,
) -> Any:
    """Parse YAML ``text`` read from ``path`` with ``loader_type`` (a safe loader) and
    return its data; raise ``error`` naming the line of a syntax error.

    The node tree is checked before any data is built from it: no deeper than
    :data:`MAX_NESTING`, no more than :data:`MAX_YAML_NODES` nodes once aliases are
    expanded (a "billion laughs" document is refused, not expanded), no alias inside the
    node it names. ``before_construct`` sees the node tree first (building the data
    rewrites merge keys in it).
    """
    import yaml

    loader = loader_type(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_nodes(node, path, error)
        if before_construct is not None:
            before_construct(node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            problem = f"{problem} ({context} started on line {context_mark.line + 1})"
        line = mark.line + 1 if mark is not None else None
        raise error(f"not valid YAML: {problem}", path=path, line=line) from None
    except RecursionError:
        raise error(TOO_DEEP, path=path) from None
    finally:
        loader.dispose()


def _check_yaml_nodes(root: Any, path: str, error: type[InputError]) -> None:
    """Raise ``error`` if the node tree under ``root`` nests too deeply, expands to too
    many nodes or holds an alias inside the node it names. Each node is looked at once:
    the expanded size of a node named by many aliases is counted, not walked again. A
    mapping key that is not a scalar is refused too (no document ospo reads has one, and
    what is built from the tree takes keys for strings), and so is a key written twice in
    one mapping."""
    import yaml

    size: dict[int, int] = {}
    ancestors: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, finished = stack.pop()
        key = id(node)
        children = _yaml_children(node)
        if finished:
            ancestors.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children)
            if size[key] > MAX_YAML_NODES:
                raise error(
                    f"YAML aliases expand to more than {MAX_YAML_NODES:,} nodes "
                    "(an alias bomb is not read)",
                    path=path,
                    line=int(node.start_mark.line) + 1,
                )
            continue
        if key in size:
            continue
        if key in ancestors:
            raise error(
                "a YAML alias refers to a node that holds it (a recursive document is not read)",
                path=path,
                line=int(node.start_mark.line) + 1,
            )
        if depth >= MAX_NESTING:
            raise error(TOO_DEEP, path=path, line=int(node.start_mark.line) + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                line = int(key_node.start_mark.line) + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    raise error(
                        "a key of a mapping is itself a list or a mapping (YAML's '? ' "
                        "complex key); ospo reads only plain keys",
                        path=path,
                        line=line,
                    )
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                named = (key_node.tag, key_node.value)
                if named in seen:
                    raise error(
                        f"the key {key_node.value!r} is written twice (the first time on "
                        f"line {seen[named]}): YAML would keep the last one in silence",
                        path=path,
                        line=line,
                    )
                seen[named] = line
        ancestors.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children)


def _yaml_children(node: Any) -> list[Any]:
    value = node.value
    if not isinstance(value, list):  # a scalar
        return []
    if value and isinstance(value[0], tuple):  # a mapping: (key, value) pairs
        return [part for pair in value for part in pair]
    return value
