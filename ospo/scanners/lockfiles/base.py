# SPDX-License-Identifier: Apache-2.0
"""The interface of a lock-file or manifest scanner, and the loop every one of them runs.

A :class:`ManifestScanner` says which file names it reads and how to parse one; its
:meth:`~ManifestScanner.scan` finds those files (:mod:`.discovery`) and turns a file that
cannot be parsed into a ``manifest`` issue instead of an exception.

No ScanCode import happens here nor in any lock-file scanner: they must stay cheap on a
fully cached scan.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import ClassVar

from ospo.errors import InputError
from ospo.merge import merge_components
from ospo.model import Component, IssueKind, ScanIssue
from ospo.scanners.base import ScanContribution, Scanner, ScanRequest
from ospo.scanners.lockfiles.discovery import candidate_files, named_files, siblings_by_directory


class ManifestScanner(Scanner):
    """A scanner for one family of manifest or lock files."""

    #: Glob patterns for the names of the files this scanner reads, from
    #: :mod:`ospo.scanners.catalog`. A scan asks :meth:`wants` only about files whose names
    #: match one (without regard to case), so a large tree is not offered to every scanner
    #: file by file, and does not import a scanner none of whose files it holds. Empty:
    #: every file is.
    file_names: ClassVar[tuple[str, ...]] = ()

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Return whether the file at ``rel`` (with the names of files beside it) is read:
        by default, whether its name matches one of :attr:`file_names`, as written."""
        name = rel.rpartition("/")[2]
        return any(fnmatchcase(name, pattern) for pattern in self.file_names)

    @abstractmethod
    def parse(
        self, root: Path, rel: str, siblings: frozenset[str]
    ) -> Sequence[Component | ScanIssue]:
        """Return the components the file at ``rel`` lists; raise ``InputError`` if broken.

        Issues among the results are parts of the file that could not be used (an included
        file that is missing) while the rest still counts.
        """

    def scan(self, request: ScanRequest) -> ScanContribution:
        """Parse every file of this family in the tree; a broken one is an issue."""
        files = candidate_files(request)
        siblings = siblings_by_directory(request.root, tuple(request.excludes), files)
        if self.file_names:
            files = named_files(request, files, self.file_names)
        only = request.only  # a commit's files: read only those
        if only is not None:
            wanted = set(only)
            files = [rel for rel in files if rel in wanted]
        components: list[Component] = []
        issues: list[ScanIssue] = []
        for rel in files:
            beside = siblings[rel.rpartition("/")[0]]
            if not self.wants(rel, beside):
                continue
            try:
                for item in self.parse(request.root, rel, beside):
                    if isinstance(item, ScanIssue):
                        issues.append(item)
                    else:
                        components.append(item)
            except InputError as exc:
                issues.append(_issue(rel, exc))
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
                # a shape no check above foresaw: still the file's fault, not a crash
                issues.append(
                    ScanIssue(
                        kind=IssueKind.MANIFEST,
                        path=rel,
                        message=f"unexpected structure ({type(exc).__name__}: {exc}); "
                        "its dependencies are missing from the inventory",
                    )
                )
        return ScanContribution(components=merge_components(components), issues=tuple(issues))


def _issue(rel: str, exc: InputError) -> ScanIssue:
    return manifest_issue(exc.path or rel, exc, "its dependencies are missing from the inventory")


def manifest_issue(rel: str, exc: InputError, consequence: str) -> ScanIssue:
    """Return the ``manifest`` issue for a file that could not be used, with the line."""
    where = f"line {exc.line}: " if exc.line is not None else ""
    return ScanIssue(
        kind=IssueKind.MANIFEST, path=rel, message=f"{where}{exc.message}; {consequence}"
    )
