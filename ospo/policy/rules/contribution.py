# SPDX-License-Identifier: Apache-2.0
"""Contribution rules, for projects the organisation publishes as open source."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from ospo import licensing
from ospo.evaluation import Finding, Severity
from ospo.policy.judge import OPEN_SOURCE_CLASSES
from ospo.policy.model import Profile, RuleDoc
from ospo.policy.rules.base import Rule, RuleContext

#: Where a community file may live besides the root (GitHub's conventions).
_COMMUNITY_DIRS = ("", "docs/", ".github/")
_MISSING_LIST = 10


def _has_tree(ctx: RuleContext) -> bool:
    """Whether the inventory comes from a scanned tree (an SBOM lists no files)."""
    return bool(ctx.inventory.files) or ctx.inventory.scan.stats.files > 0


def contribution_enabled(ctx: RuleContext) -> bool:
    """Whether the contribution rules apply: by the policy, or for the source profile."""
    enabled = ctx.policy.data.get("contribution", {}).get("enabled", "auto")
    return bool(enabled is True or (enabled == "auto" and ctx.profile is Profile.SOURCE))


class ContributionRule(Rule):
    """Outbound license, community files, SPDX headers, copyright holder, DCO sign-off."""

    name = "contribution"
    docs = (
        RuleDoc(
            rule="contribution/outbound-license",
            summary="the project's own license is not on the approved outbound list",
        ),
        RuleDoc(
            rule="contribution/missing-file",
            summary="a required community file (LICENSE, README, ...) is missing",
        ),
        RuleDoc(
            rule="contribution/spdx-headers",
            summary="too few source files carry an SPDX-License-Identifier header",
        ),
        RuleDoc(
            rule="contribution/copyright-holder",
            summary="a source file names a copyright holder other than the organisation",
        ),
        RuleDoc(rule="contribution/dco", summary="a commit lacks a DCO Signed-off-by line"),
    )

    def evaluate(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield contribution findings when the rules apply."""
        if not contribution_enabled(ctx):
            return
        conf: dict[str, Any] = ctx.policy.data.get("contribution", {})
        tree = _has_tree(ctx)
        yield from self._outbound(ctx, conf, tree)
        if tree and not ctx.partial:  # a commit's files say nothing about the whole tree
            yield from self._files(ctx, conf)
        yield from self._headers(ctx, conf)
        yield from self._holders(ctx, conf)
        yield from self._dco(ctx, conf)

    def _outbound(self, ctx: RuleContext, conf: dict[str, Any], tree: bool) -> Iterator[Finding]:
        approved = conf.get("outbound_licenses", [])
        approved_ids = {licensing.normalize(a) or a for a in approved}
        product = ctx.inventory.subject.declared_license
        if product is None and not tree:
            return  # an SBOM that names no product license says nothing about the project's
        normalized = licensing.normalize(product)
        alternatives = (licensing.alternatives(normalized) or []) if normalized else []
        choices = [_granted(c) for c in alternatives]
        ids = tuple(dict.fromkeys(i for c in choices for i in c))
        if ids and set(ids) <= approved_ids:
            return
        classify = ctx.judge.classifier.classify
        closed = [i for i in ids if classify(i)[0] not in OPEN_SOURCE_CLASSES]
        # a choice with an open source alternative (dual licensing, open source or
        # commercial) publishes the project as open source: recipients may take that one
        if ids and any(all(classify(i)[0] in OPEN_SOURCE_CLASSES for i in c) for c in choices):
            # publishing under another open source license (GPL-3.0, say) is a legitimate
            # choice that the review board makes, not a violation
            yield Finding(
                rule="contribution/outbound-license",
                severity=Severity.WARNING,
                license=product,
                message=f"the project's license {product} is open source but not on the "
                f"approved outbound list ({', '.join(approved)}): the OSRB decides",
                how_to_fix="Ask the OSRB to approve publishing under this license (record it "
                "with `ospo decide`), or declare an approved license in .ospo.yml "
                "(product.license) and in LICENSE.",
            )
            return
        why = (
            f"{', '.join(closed)} is not an open source license"
            if closed
            else "no valid SPDX license is declared"
        )
        yield Finding(
            rule="contribution/outbound-license",
            severity=Severity.ERROR,
            license=product,
            message=f"the project's license {product or '(none declared)'} cannot be published "
            f"as open source: {why} (approved: {', '.join(approved)})",
            how_to_fix="Declare an open source license, preferably an approved one, in "
            ".ospo.yml (product.license) and in LICENSE.",
        )

    def _files(self, ctx: RuleContext, conf: dict[str, Any]) -> Iterator[Finding]:
        present = [f.path for f in ctx.inventory.files]
        for required in conf.get("required_files", []):
            wanted = required.upper()
            found = any(
                path.startswith(prefix)
                and "/" not in path[len(prefix) :]
                and PurePosixPath(path).name.upper().split(".")[0] == wanted
                for path in present
                for prefix in _COMMUNITY_DIRS
            )
            if not found:
                yield Finding(
                    rule="contribution/missing-file",
                    severity=Severity.WARNING,
                    path=required,
                    message=f"no {required} file at the root (or in docs/ or .github/)",
                    how_to_fix=f"Add {required} (e.g. {required}.md) to the repository.",
                )

    def _headers(self, ctx: RuleContext, conf: dict[str, Any]) -> Iterator[Finding]:
        spec = conf.get("spdx_headers", {})
        extensions = tuple(spec.get("extensions", []))
        minimum = float(spec.get("min_coverage", 0))
        sources = [
            f
            for f in ctx.inventory.files
            if f.package is None and f.scanned and f.path.endswith(extensions)
        ]
        if not sources:
            return
        missing = [
            f.path for f in sources if not any(d.matcher == "1-spdx-id" for d in f.detections)
        ]
        coverage = 1 - len(missing) / len(sources)
        if coverage < minimum:
            listed = ", ".join(missing[:_MISSING_LIST])
            more = (
                f" and {len(missing) - _MISSING_LIST} more" if len(missing) > _MISSING_LIST else ""
            )
            yield Finding(
                rule="contribution/spdx-headers",
                severity=Severity.WARNING,
                message=f"{coverage:.0%} of {len(sources)} source files carry an "
                f"SPDX-License-Identifier (minimum {minimum:.0%}); missing: {listed}{more}",
                how_to_fix="Add an `SPDX-License-Identifier: <license>` comment at the top of "
                "each source file (e.g. with `reuse annotate`).",
            )

    def _holders(self, ctx: RuleContext, conf: dict[str, Any]) -> Iterator[Finding]:
        entity = conf.get("copyright_holder")
        if not entity:
            return
        for f in ctx.inventory.files:
            if (
                f.package is None
                and f.holders
                and not any(entity.lower() in h.lower() for h in f.holders)
            ):
                line = f.copyrights[0].start_line if f.copyrights else None
                yield Finding(
                    rule="contribution/copyright-holder",
                    severity=Severity.WARNING,
                    path=f.path,
                    line=line,
                    message=f"{f.path} names {', '.join(f.holders)} as copyright holder, "
                    f"not {entity}",
                    how_to_fix=f"Use `Copyright <year> {entity}` in the header, or, for code "
                    "from elsewhere, treat it as vendored code with its own license.",
                )

    def _dco(self, ctx: RuleContext, conf: dict[str, Any]) -> Iterator[Finding]:
        if not conf.get("dco") or not ctx.commits or ctx.root is None:
            return
        proc = subprocess.run(
            ["git", "-C", str(ctx.root), "log", "--format=%H%x00%s%x00%B%x1e", ctx.commits],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            from ospo.errors import InputError

            raise InputError(f"cannot read commits {ctx.commits!r}: {proc.stderr.strip()}")
        for record in proc.stdout.split("\x1e"):
            if not record.strip():
                continue
            sha, subject, body = record.strip("\n").split("\x00", 2)
            if "Signed-off-by:" not in body:
                yield Finding(
                    rule="contribution/dco",
                    severity=Severity.ERROR,
                    message=f"commit {sha[:12]} ({subject}) has no Signed-off-by line",
                    how_to_fix="Amend the commit with `git commit --amend -s` (or rebase with "
                    "--signoff) to certify the Developer Certificate of Origin.",
                )


def _granted(licenses: frozenset[str]) -> tuple[str, ...]:
    """The licenses one alternative of the project's license publishes it under: an
    exception from the SPDX list only adds permissions (Apache-2.0 WITH LLVM-exception
    publishes under Apache-2.0's terms, and more); a clause that takes rights away is a
    LicenseRef, judged as a license; a deprecated id is the license it names."""
    exceptions = licensing.spdx_exception_ids()
    ids: list[str] = []
    for written in sorted(licenses):
        base, _, exception = (licensing.current_form(written) or written).partition(" WITH ")
        ids.append(base)
        if exception and exception.lower() not in exceptions:
            ids.append(exception)
    return tuple(ids)
