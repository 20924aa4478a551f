# SPDX-License-Identifier: Apache-2.0
"""GitHub Actions: the actions and reusable workflows that a repository's workflows use.

Each ``uses:`` of a step (``owner/repo@ref``, ``owner/repo/path@ref`` for an action in a
subdirectory) and of a job (a reusable workflow, ``owner/repo/.github/workflows/x.yml@ref``)
in ``.github/workflows/*.yml`` or ``*.yaml`` is a component ``pkg:github/owner/repo@ref``,
the path as the purl's subpath. A step that runs a container image (``docker://image:tag``,
``docker://image@sha256:…``) is a component ``pkg:docker/…`` (the registry, when not Docker
Hub, as ``repository_url``). ``./path`` names an action or workflow of the repository
itself: first-party, not a component. All of them run in the build and are not shipped:
their scope is dev, and they are direct. A ``ref`` that is a full 40-digit commit SHA (an
image digest) is pinned; a tag or branch can move and is not: the component's ``pinned``
says which. A ``uses:`` made of an expression (``${{ … }}``) is an issue, not a guess.

The repository's own actions (``action.yml`` or ``action.yaml``, such as
``.github/actions/setup/action.yml``, which a workflow runs as ``./.github/actions/setup``)
are read the same way: the ``uses:`` of a composite action's steps, and the ``docker://``
image of a container action, are components too, dev like the rest — the actions an
action runs are fetched by the runner that runs it, never shipped with the product.

A workflow is YAML read with the safe loader; one larger than :data:`MAX_WORKFLOW_BYTES`
is not read. Workflows record no license of what they use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ospo.errors import InputError
from ospo.model import Component, ScanIssue, Scope
from ospo.scanners.catalog import file_names as file_names_of
from ospo.scanners.lockfiles.base import ManifestScanner, manifest_issue
from ospo.scanners.lockfiles.components import make_component
from ospo.scanners.lockfiles.reading import load_yaml, read_text

WORKFLOWS = ".github/workflows"
#: The names of an action's definition (a composite action of the repository, or the
#: repository itself when it is an action).
ACTION_FILES = ("action.yml", "action.yaml")
#: A workflow file above this size is not read (GitHub's own limit is far below it).
MAX_WORKFLOW_BYTES = 1 << 20
#: What a workflow records about the license of an action it uses: nothing.
NO_LICENSE_IN_WORKFLOW = (
    "used in {file}, which records no license of it; review the license in the action's "
    "repository and record the decision (ospo decide)"
)
_SHA = re.compile(r"^[0-9a-fA-F]{40}$")
_DIGEST = re.compile(r"^sha256:[0-9a-fA-F]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
_DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


class ActionRef(NamedTuple):
    """What a ``uses:`` refers to, as a component."""

    purl: str
    name: str
    version: str | None
    pinned: bool


def action_ref(uses: str) -> ActionRef | None:
    """Return what ``uses`` refers to; None for the repository's own actions and workflows.

    Raise ``InputError`` (without a path) when it names nothing ospo can identify.
    """
    from packageurl import PackageURL

    value = uses.strip()
    if value.startswith(("./", "../")):
        return None
    if "${{" in value:
        raise InputError("an expression, known only when the workflow runs")
    if value.startswith("docker://"):
        return _docker_ref(value.removeprefix("docker://"))
    target, at, ref = value.rpartition("@")
    parts = target.split("/")
    if not at or not ref or len(parts) < 2 or not all(_NAME.match(p) for p in parts):
        raise InputError("not owner/repo@ref, owner/repo/path@ref, ./path or docker://image")
    owner, repo, subpath = parts[0], parts[1], "/".join(parts[2:]) or None
    purl = PackageURL(type="github", namespace=owner, name=repo, version=ref, subpath=subpath)
    return ActionRef(
        purl=purl.to_string(),
        name="/".join(parts).lower(),
        version=ref,
        pinned=bool(_SHA.match(ref)),
    )


def _docker_ref(image: str) -> ActionRef:
    """``[registry/]path[:tag][@digest]`` as a ``pkg:docker`` purl."""
    from packageurl import PackageURL

    rest, _, digest = image.partition("@")
    head, _, last = rest.rpartition("/")
    last, _, tag = last.partition(":")
    path = f"{head}/{last}" if head else last
    segments = path.split("/")
    registry = None
    if len(segments) > 1 and (
        "." in segments[0] or ":" in segments[0] or segments[0] == "localhost"
    ):
        registry = segments.pop(0)
    if not segments or not all(segments) or (digest and not _DIGEST.match(digest)):
        raise InputError("not a container image reference (docker://image[:tag][@sha256:digest])")
    version = digest or tag or None
    qualifiers = {"repository_url": registry} if registry and registry not in _DOCKER_HUB else {}
    namespace = "/".join(segments[:-1]) or None
    purl = PackageURL(
        type="docker",
        namespace=namespace,
        name=segments[-1],
        version=version,
        qualifiers=qualifiers,
    )
    return ActionRef(
        purl=purl.to_string(), name="/".join(segments), version=version, pinned=bool(digest)
    )


def workflow_uses(data: Any, rel: str) -> Iterator[tuple[str, Any]]:
    """Yield ``(key path, value)`` of every ``uses:`` of a workflow's jobs and steps; raise
    ``InputError`` if the document is not a workflow."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), dict):
        raise InputError("not a GitHub Actions workflow: no jobs mapping", path=rel)
    for job_id, job in data["jobs"].items():
        if not isinstance(job, dict):
            continue
        if "uses" in job:
            yield f"jobs.{job_id}.uses", job["uses"]
        steps = job.get("steps")
        for index, step in enumerate(steps if isinstance(steps, list) else ()):
            if isinstance(step, dict) and "uses" in step:
                yield f"jobs.{job_id}.steps[{index}].uses", step["uses"]


def action_uses(data: Any) -> Iterator[tuple[str, Any]]:
    """Yield ``(key path, value)`` of what an action definition runs: the ``uses:`` of a
    composite action's steps, the ``docker://`` image of a container action. Nothing for
    a document that is not an action definition (no ``runs`` mapping)."""
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, dict):
        return
    if runs.get("using") == "composite":
        steps = runs.get("steps")
        for index, step in enumerate(steps if isinstance(steps, list) else ()):
            if isinstance(step, dict) and "uses" in step:
                yield f"runs.steps[{index}].uses", step["uses"]
    elif runs.get("using") == "docker":
        image = runs.get("image")
        if isinstance(image, str) and image.startswith("docker://"):
            yield "runs.image", image


class GithubActionsScanner(ManifestScanner):
    """Actions, reusable workflows and container images used by GitHub workflows and by
    the repository's own actions."""

    name = "github-actions"
    file_names = file_names_of("github-actions")

    def wants(self, rel: str, siblings: frozenset[str]) -> bool:
        """Read the YAML files directly in a ``.github/workflows`` directory, and action
        definitions (``action.yml``, ``action.yaml``)."""
        parent, _, name = rel.rpartition("/")
        if name in ACTION_FILES:
            return True
        in_workflows = parent == WORKFLOWS or parent.endswith(f"/{WORKFLOWS}")
        return in_workflows and name.lower().endswith((".yml", ".yaml"))

    def parse(
        self, root: Path, rel: str, siblings: frozenset[str]
    ) -> Sequence[Component | ScanIssue]:
        """Return what the workflow's jobs and steps, or the action's steps, use."""
        try:
            size = (root / rel).stat().st_size
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=rel) from None
        if size > MAX_WORKFLOW_BYTES:
            raise InputError(
                f"{size} bytes, more than the {MAX_WORKFLOW_BYTES} a workflow is read up to",
                path=rel,
            )
        data = load_yaml(root, rel)
        reason = NO_LICENSE_IN_WORKFLOW.format(file=rel)
        out: list[Component | ScanIssue] = []
        lines: list[str] | None = None
        is_action = rel.rpartition("/")[2] in ACTION_FILES
        for where, uses in action_uses(data) if is_action else workflow_uses(data, rel):
            try:
                if not isinstance(uses, str):
                    raise InputError("not a string")
                ref = action_ref(uses)
            except InputError as exc:
                if lines is None:
                    lines = read_text(root, rel).splitlines()
                shown = uses if isinstance(uses, str) else repr(uses)
                out.append(
                    manifest_issue(
                        rel,
                        InputError(
                            f"{where}: {shown!r} is {exc.message}",
                            path=rel,
                            line=_line_of(lines, shown),
                        ),
                        "what it uses is missing from the inventory",
                    )
                )
                continue
            if ref is None:
                continue
            out.append(
                make_component(
                    purl=ref.purl,
                    name=ref.name,
                    version=ref.version,
                    scope=Scope.DEV,
                    direct=True,
                    location=rel,
                    unknown_reason=reason,
                    pinned=ref.pinned,
                )
            )
        return out


def _line_of(lines: list[str], value: str) -> int | None:
    """The first line with ``uses:`` and ``value``, if there is one."""
    for number, line in enumerate(lines, 1):
        if "uses" in line and value in line:
            return number
    return None
