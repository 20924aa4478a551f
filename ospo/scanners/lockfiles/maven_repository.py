# SPDX-License-Identifier: Apache-2.0
"""Maven's local repository: where it is, and where a pom lies in it.

Parent poms and imported BOMs that are not in the scanned tree are read from the local
repository that Maven itself fills (``~/.m2/repository`` unless configured). ospo finds it
from files the way Maven does, nearest setting first:

1. ``OSPO_MAVEN_REPOSITORY`` in the environment (ospo's own override);
2. ``-Dmaven.repo.local=PATH`` in ``.mvn/maven.config`` of the project (the nearest
   ``.mvn`` directory at or above the pom, within the tree; a relative path is taken from
   the directory holding ``.mvn``, where ``mvn`` runs), which is how a project passes Maven
   options in a file;
3. ``<localRepository>`` in the user settings: the file ``-s``/``--settings`` names in
   that ``maven.config``, else ``~/.m2/settings.xml`` (``${user.home}`` and ``${env.NAME}``
   are expanded as Maven expands them; a relative path is taken from the project's top);
4. ``~/.m2/repository``.

Options given to ``mvn`` on the command line or in ``MAVEN_OPTS``, and the global settings
of a Maven installation, are not files of the project or the user: ospo does not see them.
Nothing here runs Maven or reaches the network.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The environment variable that points ospo at another local repository.
ENVIRONMENT_VARIABLE = "OSPO_MAVEN_REPOSITORY"
_REPO_LOCAL = "maven.repo.local"
_SETTINGS_VARIABLE = re.compile(r"\$\{(user\.home|env\.([A-Za-z_][A-Za-z0-9_]*))\}")


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalRepository:
    """A local Maven repository and the setting that chose it."""

    path: Path
    #: Where the location came from, in words for messages.
    source: str
    #: A setting that could not be used (a settings.xml that is not valid XML), or None.
    problem: str | None = None

    def pom(self, group: str, artifact: str, version: str) -> Path:
        """Return where Maven keeps the pom of ``group:artifact:version``."""
        return (
            self.path.joinpath(*group.split(".")) / artifact / version / f"{artifact}-{version}.pom"
        )


def locate_local_repository(
    start: Path,
    top: Path,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> LocalRepository | None:
    """Return the local repository Maven would use for the pom in the directory ``start``.

    ``top`` is the root of the scanned tree (``.mvn`` is not looked for above it);
    ``environ`` and ``home`` default to the process's environment and home directory.
    None when nothing is configured and there is no home directory to hold ``~/.m2``.
    """
    env = os.environ if environ is None else environ
    override = env.get(ENVIRONMENT_VARIABLE, "").strip()
    if override:
        return LocalRepository(
            path=Path(override).expanduser(), source=f"{ENVIRONMENT_VARIABLE} in the environment"
        )
    if home is None:
        try:
            home = Path.home()
        except RuntimeError:  # no HOME and no password entry
            home = None
    settings = home / ".m2" / "settings.xml" if home is not None else None
    config = _maven_config(start, top)
    if config is not None:
        base = config.parent.parent
        options = _options(config)
        repo_local = options.get(_REPO_LOCAL)
        if repo_local:
            return LocalRepository(path=base / repo_local, source=f"-D{_REPO_LOCAL} in {config}")
        if options.get("settings"):
            settings = base / options["settings"]
    problem = None
    if settings is not None and settings.is_file():
        found, problem = _settings_repository(settings, env, home)
        if found:  # a relative path is taken from where mvn runs: the project's top
            base = config.parent.parent if config is not None else top
            return LocalRepository(path=base / found, source=f"<localRepository> in {settings}")
    if home is None:
        return None
    return LocalRepository(
        path=home / ".m2" / "repository", source="Maven's default location", problem=problem
    )


def _maven_config(start: Path, top: Path) -> Path | None:
    """The nearest ``.mvn/maven.config`` from ``start`` up to ``top``."""
    current = start
    while True:
        candidate = current / ".mvn" / "maven.config"
        if candidate.is_file():
            return candidate
        if current == top or current.parent == current:
            return None
        current = current.parent


def _options(config: Path) -> dict[str, str]:
    """``maven.repo.local`` and ``settings`` as ``maven.config`` sets them."""
    try:
        words = shlex.split(config.read_text(encoding="utf-8"), comments=True)
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    found: dict[str, str] = {}
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word == "-D" and following.startswith(f"{_REPO_LOCAL}="):
            found[_REPO_LOCAL] = following.partition("=")[2]
        elif word.startswith(f"-D{_REPO_LOCAL}="):
            found[_REPO_LOCAL] = word.partition("=")[2]
        elif word in ("-s", "--settings") and following:
            found["settings"] = following
        elif word.startswith("--settings="):
            found["settings"] = word.partition("=")[2]
    return found


def _settings_repository(
    settings: Path, environ: Mapping[str, str], home: Path | None
) -> tuple[str | None, str | None]:
    """``<localRepository>`` of a settings file, expanded; or why it could not be read."""
    from xml.etree import ElementTree
    from xml.etree.ElementTree import ParseError

    try:
        text = settings.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"{settings} cannot be read ({exc})"
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return None, f"{settings} has a DOCTYPE and is not read"
    try:
        root = ElementTree.fromstring(text)
    except ParseError as exc:
        return None, f"{settings} is not valid XML ({exc})"
    element = next(
        (c for c in root if isinstance(c.tag, str) and c.tag.endswith("localRepository")), None
    )
    value = (element.text or "").strip() if element is not None else ""
    if not value:
        return None, None

    def variable(match: re.Match[str]) -> str:
        if match.group(1) == "user.home":
            return str(home) if home is not None else match.group(0)
        return environ.get(match.group(2), match.group(0))

    return _SETTINGS_VARIABLE.sub(variable, value), None
