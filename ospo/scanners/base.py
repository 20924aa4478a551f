# SPDX-License-Identifier: Apache-2.0
"""The scanner interface: a request in, a contribution to the inventory out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ospo.config import DEFAULT_MAX_FILE_SIZE, DEFAULT_TIMEOUT, ExcludeRule
from ospo.model import Component, Exclusion, FileEntry, ScanIssue, ScanStats, Tool

#: Called with (files done, files to do) while a scanner works.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanRequest:
    """What to scan and how."""

    root: Path
    jobs: int = 1
    use_cache: bool = True
    cache_dir: Path | None = None
    #: Where results are kept: a ``postgresql://`` URL or a directory; None: ``cache_dir``.
    cache_url: str | None = None
    #: Read results from the store, never write them (an untrusted pipeline).
    cache_read_only: bool = False
    #: ``(I, N)``: scan only the missing files of shard I of N (see ``ospo.shards``).
    shard: tuple[int, int] | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    excludes: tuple[ExcludeRule, ...] = ()
    progress: ProgressCallback | None = None
    #: Scan only these files (relative paths), e.g. the files of a commit; None: all.
    only: tuple[str, ...] | None = None
    #: Installed environments to read (a virtualenv, site-packages, node_modules).
    envs: tuple[Path, ...] = ()
    #: SBOMs made by other tools whose components join the inventory.
    import_sboms: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanContribution:
    """What one scanner adds to the inventory."""

    files: tuple[FileEntry, ...] = ()
    components: tuple[Component, ...] = ()
    issues: tuple[ScanIssue, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    tools: tuple[Tool, ...] = ()
    stats: ScanStats = field(default_factory=ScanStats)
    warnings: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()  # see ScanInfo.environments


class Scanner(ABC):
    """Looks at the product in one way and reports what it found."""

    name: ClassVar[str]

    @abstractmethod
    def scan(self, request: ScanRequest) -> ScanContribution:
        """Scan ``request.root`` and return this scanner's part of the inventory."""
