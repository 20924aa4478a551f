# SPDX-License-Identifier: Apache-2.0
"""The project configuration file ``.ospo.yml``: what it says, with defaults.

It is read and validated like every YAML document from users (:mod:`ospo.documents`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class ExcludeRule:
    """A glob over relative paths (``**`` spans directories) and why it is excluded."""

    pattern: str
    reason: str

    def matches(self, relpath: str) -> bool:
        """Return whether ``relpath`` or one of its parent directories matches."""
        regex = _compile_glob(self.pattern)
        if regex.match(relpath):
            return True
        parts = relpath.split("/")
        return any(regex.match("/".join(parts[:i])) for i in range(1, len(parts)))


_GLOB_CACHE: dict[str, re.Pattern[str]] = {}


def _compile_glob(pattern: str) -> re.Pattern[str]:
    cached = _GLOB_CACHE.get(pattern)
    if cached is not None:
        return cached
    pat = pattern.strip().strip("/")
    out = []
    i = 0
    while i < len(pat):
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif pat[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pat[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pat[i]))
            i += 1
    compiled = re.compile("^" + "".join(out) + "$")
    _GLOB_CACHE[pattern] = compiled
    return compiled


CONFIG_NAMES = (".ospo.yml", ".ospo.yaml")
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectConfig:
    """What ``.ospo.yml`` says, with defaults for what it does not."""

    path: Path | None = None
    product_name: str | None = None
    product_version: str | None = None
    product_license: str | None = None
    profile: str | None = None
    excludes: tuple[ExcludeRule, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    timeout: float = DEFAULT_TIMEOUT
    policy: Path | None = None  # the organisation's policy file, relative to the config
    archive: Path | None = None  # approved releases, relative to the config
    #: The result store: a ``postgresql://`` URL, or a directory relative to the config.
    cache: str | None = None


def find_config(root: Path) -> Path | None:
    """Return the configuration file at the scan root, if there is one; raise ConfigError
    for one that is not a file (a directory, a link to nothing)."""
    from ospo.errors import ConfigError
    from ospo.inputs import tree_document

    for name in CONFIG_NAMES:
        candidate = root / name
        if tree_document(candidate, ConfigError):
            return candidate
    return None


def load_config(root: Path, explicit: Path | None = None) -> ProjectConfig:
    """Load ``.ospo.yml`` from ``root`` (or ``explicit``); defaults when there is none."""
    path = explicit or find_config(root)
    if path is None:
        return ProjectConfig()
    # with its memo's cache: not for a tree without one
    from ospo.documents import line_of, load_yaml_document, require_expression

    data, lines = load_yaml_document(path, "config.schema.json")
    product = data.get("product", {})
    if product.get("license"):
        # every file and component is judged against it: a typo would change every verdict
        require_expression(
            str(product["license"]), "product.license", path, line_of(lines, ["product", "license"])
        )
    scan = data.get("scan", {})
    excludes = tuple(
        ExcludeRule(pattern=e["path"], reason=e.get("reason", "excluded by configuration"))
        for e in scan.get("exclude", [])
    )
    max_size = scan.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if isinstance(max_size, str):
        max_size = parse_size(max_size)
    return ProjectConfig(
        path=path,
        product_name=product.get("name"),
        product_version=_opt_str(product.get("version")),
        product_license=product.get("license"),
        profile=data.get("profile"),
        excludes=excludes,
        max_file_size=int(max_size),
        timeout=float(scan.get("timeout", DEFAULT_TIMEOUT)),
        policy=(path.parent / data["policy"]) if data.get("policy") else None,
        archive=(path.parent / data["archive"]) if data.get("archive") else None,
        cache=_cache_location(path, data.get("cache")),
    )


def _cache_location(config: Path, value: str | None) -> str | None:
    """``cache:`` of the configuration file ``config``: a URL as it is, a directory
    relative to the file."""
    if not value:
        return None
    if value.startswith(("postgresql://", "postgres://")):
        return value
    return str(config.parent / value.removeprefix("sqlite://"))


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Parse ``"5MB"``, ``"512k"``, ``"1.5GiB"`` or a plain byte count."""
    found = _SIZE.match(text)
    if not found:
        raise ValueError(f"not a size: {text!r} (use e.g. 5MB, 512KB)")
    number = float(found.group(1))
    unit = (found.group(2) or "b").lower()[:1]
    factor = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]
    return int(number * factor)


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
