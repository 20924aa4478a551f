# SPDX-License-Identifier: Apache-2.0
"""ospo's Python API: everything the CLI does, callable from code."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ospo.config import ExcludeRule, ProjectConfig, load_config
from ospo.model import Inventory
from ospo.scanners import ScanOutcome, scan
from ospo.scanners.base import ProgressCallback, ScanRequest

if TYPE_CHECKING:
    from ospo.advisor.model import Advice
    from ospo.packet import Packet, SignoffRecord
    from ospo.policy import Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanSettings:
    """Command-line settings for a scan; None means "from .ospo.yml, else the default"."""

    jobs: int = 1
    use_cache: bool = True
    cache_dir: Path | None = None
    #: The result store: a ``postgresql://`` URL or a directory; None: ``OSPO_CACHE_URL``,
    #: else ``cache:`` in .ospo.yml, else the local cache.
    cache_url: str | None = None
    cache_read_only: bool = False  # read results from the store, never write them
    shard: tuple[int, int] | None = None  # (I, N): only the missing files of shard I of N
    excludes: Sequence[str] = ()
    timeout: float | None = None
    max_file_size: int | None = None
    config_path: Path | None = None
    only: tuple[str, ...] | None = None  # scan just these files (relative to the root)
    envs: tuple[Path, ...] = ()  # installed environments: a venv, site-packages, node_modules
    import_sboms: tuple[Path, ...] = ()  # SBOMs from other tools


def scan_tree(
    path: Path, settings: ScanSettings, progress: ProgressCallback | None = None
) -> ScanOutcome:
    """Scan the source tree at ``path`` with its ``.ospo.yml`` and ``settings``."""
    from ospo.errors import InputError

    if not path.exists():
        raise InputError("path does not exist", path=str(path))
    config = load_config(path, settings.config_path) if path.is_dir() else load_config(Path("."))
    excludes = config.excludes + tuple(
        ExcludeRule(pattern=p, reason="excluded on the command line") for p in settings.excludes
    )
    request = ScanRequest(
        root=path,
        jobs=settings.jobs,
        use_cache=settings.use_cache,
        cache_dir=settings.cache_dir,
        cache_url=store_location(settings.cache_url, config),
        cache_read_only=settings.cache_read_only,
        shard=settings.shard,
        timeout=settings.timeout if settings.timeout is not None else config.timeout,
        max_file_size=settings.max_file_size
        if settings.max_file_size is not None
        else config.max_file_size,
        excludes=excludes,
        progress=progress,
        only=settings.only,
        envs=settings.envs,
        import_sboms=settings.import_sboms,
    )
    return scan(request, config)


def store_location(given: str | None, config: ProjectConfig) -> str | None:
    """Where results are kept: ``given`` (``--cache``), else ``OSPO_CACHE_URL``, else
    ``cache:`` in .ospo.yml; None for the local cache."""
    import os

    from ospo.cache import URL_VARIABLE

    return given or os.environ.get(URL_VARIABLE) or config.cache


def check_outputs(*paths: Path | None) -> None:
    """Raise :class:`~ospo.errors.InputError` if an output asked for cannot be written (a
    directory, a missing directory) or two outputs name the same file (the second would
    replace the first in silence). The CLI asks before it scans."""
    from ospo.atomic import check_destination
    from ospo.errors import InputError

    seen: dict[str, Path] = {}
    for path in paths:
        if path is None:
            continue
        check_destination(path)
        if os.path.abspath(path).startswith(("/dev/", "/proc/")) or (
            path.exists() and not path.is_file()
        ):
            continue  # a device or descriptor is written into, not replaced
        key = os.path.realpath(path)
        if key in seen:
            raise InputError(f"two outputs name the same file ({seen[key]})", path=str(path))
        seen[key] = path


def write_outputs(
    inventory: Inventory,
    *,
    inventory_path: Path | None = None,
    cyclonedx_path: Path | None = None,
    spdx_path: Path | None = None,
    root: Path | None = None,
    cyclonedx_version: str = "1.6",
    spdx_version: str = "2.3",
) -> list[tuple[str, Path]]:
    """Render every requested document, then write each atomically; return what was written.

    Everything is rendered before anything is written, so a failure leaves no output
    half-made and none out of step with the others. ``root`` is the scanned tree: the SPDX
    export reads its files again for the SHA1 that SPDX requires. The SBOMs are of the
    versions given (``ospo.sbom.CYCLONEDX_VERSIONS``, ``ospo.sbom.SPDX_VERSIONS``); another
    is an :class:`~ospo.errors.InputError`, raised before anything is rendered.
    """
    if inventory_path is None and cyclonedx_path is None and spdx_path is None:
        return []  # nothing asked for: import no reporter
    from ospo.atomic import atomic_write_text
    from ospo.errors import InputError

    check_outputs(inventory_path, cyclonedx_path, spdx_path)
    from ospo.reporters.base import RenderOptions, Reporter

    jobs: list[tuple[str, Path, Reporter]] = []
    if inventory_path is not None:
        from ospo.reporters.inventory import InventoryJsonReporter

        reporter = InventoryJsonReporter()
        jobs.append((reporter.title, inventory_path, reporter))
    if cyclonedx_path is not None:
        # XML for a file named *.xml, JSON otherwise
        from ospo.sbom.cyclonedx.writer import CycloneDxJsonReporter, CycloneDxXmlReporter

        xml = cyclonedx_path.suffix.lower() == ".xml"
        cdx = (CycloneDxXmlReporter if xml else CycloneDxJsonReporter)(cyclonedx_version)
        jobs.append((cdx.document_title, cyclonedx_path, cdx))
    if spdx_path is not None:
        from ospo.sbom import SPDX_VERSIONS

        if spdx_version == "2.3":
            from ospo.sbom.spdx2.writer import SpdxJsonReporter

            spdx: Reporter = SpdxJsonReporter(root=root)
        elif spdx_version == "3.0":
            from ospo.sbom.spdx3.writer import Spdx3JsonReporter

            spdx = Spdx3JsonReporter()
        else:  # each version of SPDX_VERSIONS has its writer above
            raise InputError(
                f"SPDX {spdx_version!r} is not a version ospo writes ({', '.join(SPDX_VERSIONS)})"
            )
        jobs.append((spdx.title, spdx_path, spdx))
    options = RenderOptions()
    planned = [(title, where, job.render(inventory, options)) for title, where, job in jobs]
    for _title, where, text in planned:
        atomic_write_text(where, text)
    return [(title, where) for title, where, _ in planned]


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckSettings:
    """How to judge an inventory; None means "from .ospo.yml, else the policy's default"."""

    policy_path: Path | None = None
    profile: str | None = None
    waivers_path: Path | None = None
    baseline_path: Path | None = None
    fail_on: str = "warning"
    only_new: bool = False
    today: date | None = None
    commits: str | None = None
    offline: bool = False  # ask no package registry; use only what the cache keeps


def settings_policy(settings: CheckSettings, root: Path | None = None) -> Policy:
    """The policy ``settings`` name, else ``policy:`` in ``root``'s ``.ospo.yml``, else the
    shipped default policy."""
    from ospo.policy import load_policy

    config = load_config(root) if root is not None and root.is_dir() else None
    policy_path = settings.policy_path
    if policy_path is None and config is not None and config.policy is not None:
        policy_path = config.policy
    return load_policy(policy_path)


def check_inventory(
    inventory: Inventory,
    settings: CheckSettings,
    root: Path | None = None,
    *,
    partial: bool = False,
) -> Inventory:
    """Evaluate ``inventory`` with the policy, waivers and baseline the settings name.

    Waivers default to ``.ospo/waivers.yml`` under ``root`` when that file exists; the
    policy to ``policy:`` in ``.ospo.yml``, else the shipped default policy. ``partial``
    says the inventory holds only some files (a commit), so whole-tree rules stay quiet.
    """
    from ospo import inventory_json
    from ospo.evaluation import Severity
    from ospo.inputs import tree_document
    from ospo.policy import evaluate, load_waivers, resolve_profile
    from ospo.policy.waivers import DEFAULT_WAIVERS

    policy = settings_policy(settings, root)
    waivers_path = settings.waivers_path
    if waivers_path is None and root is not None and tree_document(root / DEFAULT_WAIVERS):
        waivers_path = root / DEFAULT_WAIVERS
    waivers = load_waivers(waivers_path) if waivers_path is not None else ()
    baseline = inventory_json.load(settings.baseline_path) if settings.baseline_path else None
    profile = resolve_profile(policy, settings.profile, inventory)
    advice = None if partial else registry_advice(inventory, policy, offline=settings.offline)
    if advice is not None:
        from ospo.advisor.fill import fill_declared

        inventory = fill_declared(inventory, advice)
    health = None
    if not partial and "community" in policy.data:
        from ospo.health.projects import measured_projects

        today = settings.today or date.today()
        health = measured_projects(policy, root, profile, inventory.components, today)
    return evaluate(
        inventory,
        policy,
        profile=profile,
        waivers=waivers,
        baseline=baseline,
        fail_on=Severity(settings.fail_on),
        only_new=settings.only_new,
        today=settings.today,
        root=root,
        commits=settings.commits,
        partial=partial,
        registry=advice,
        health=health,
    )


def registry_advice(
    inventory: Inventory, policy: Policy, *, offline: bool = False
) -> Advice | None:
    """What the package registries say about ``inventory``'s components, or None when no
    enabled rule needs it: the policy's ``registry:`` section turns the rules off, or
    ``OSPO_ADVISOR=off``."""
    import os

    section = policy.data.get("registry", {})
    wanted = any(
        section.get(family, {}).get("enabled") for family in ("consumption", "competition")
    )
    if not wanted or os.environ.get("OSPO_ADVISOR", "").lower() == "off":
        return None
    from ospo.advisor.fetch import RegistrySettings, advise

    return advise(
        inventory.components, RegistrySettings.from_environment(offline=offline, policy=section)
    )


def release_packet(
    inventory: Inventory,
    settings: CheckSettings,
    root: Path | None = None,
    *,
    signoffs: Sequence[SignoffRecord] = (),
) -> Packet:
    """Judge ``inventory`` as :func:`check_inventory` does and build the review board's
    packet from it, compared with ``settings.baseline_path`` when given; render it with
    :func:`ospo.packet.render_packet`.

    Without ``signoffs``, the sign-off section shows what ``ospo signoff`` recorded in the
    project's ``.ospo/signoffs.yml`` (under ``root``): each required role's latest
    signature, marked not valid when it was given for other contents than these."""
    from ospo import inventory_json
    from ospo.packet import build_packet

    judged = check_inventory(inventory, settings, root)
    policy = settings_policy(settings, root)
    baseline = inventory_json.load(settings.baseline_path) if settings.baseline_path else None
    if not signoffs and root is not None:
        signoffs = recorded_signoffs(judged, policy, root)
    return build_packet(
        judged, policy, baseline=baseline, signoffs=signoffs, health=_health(judged, policy, root)
    )


def _health(judged: Inventory, policy: Policy, root: Path | None) -> list[Any]:
    """The projects the policy's Community and Competition rules measure, measured again
    for the packet's chart (one streamed ``git log`` each)."""
    from ospo.health.projects import measured_projects
    from ospo.policy.model import Profile

    ev = judged.evaluation
    if ev is None or "community" not in policy.data:
        return []
    today = date.fromisoformat(ev.today) if ev.today else date.today()
    return measured_projects(policy, root, Profile(ev.profile), judged.components, today)


def recorded_signoffs(judged: Inventory, policy: Policy, root: Path) -> tuple[Any, ...]:
    """The latest signature of each required role for the project at ``root``, as
    :func:`ospo.signoff.signoff_status` judges it against ``judged``; empty when the board
    has not signed anything."""
    from ospo.signoff import (
        DEFAULT_SIGNOFFS,
        read_signoffs,
        release_digest,
        required_roles,
        signoff_status,
    )

    path = root / DEFAULT_SIGNOFFS
    if judged.evaluation is None or not path.is_file():
        return ()
    digest = release_digest(judged, judged.evaluation, policy)
    status = signoff_status(read_signoffs(path), digest, required_roles(policy))
    return tuple(r for r in (*status.roles, *status.other_rejections) if r.name is not None)
