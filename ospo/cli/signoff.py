# SPDX-License-Identifier: Apache-2.0
"""``ospo signoff``: one role of the review board signs a release; the approval archives it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import (
    ANY_PATH,
    FILE,
    OFFLINE,
    POLICY,
    WAIVERS,
    BoardRoleType,
    DateType,
    ProfileType,
    SignoffType,
)
from ospo.errors import ExitCode, InputError, printable

if TYPE_CHECKING:
    from ospo.evaluation import Role
    from ospo.policy.model import Profile
    from ospo.signoff import SignoffDecision, SignoffStatus


@click.command(
    help="Sign the release of PATH (default: .) for one role of the review board.\n\n"
    "The signature is bound to the digest of what is judged now (inventory, findings, "
    "waivers, policy): when the release changes, earlier signatures no longer count. When "
    "every role the policy names has approved, the release is approved and archived.\n\n"
    "With --status, nothing is signed: the board's status is shown, and the exit code is 0 "
    "when the release is approved, 1 when it is not (yet).",
    context_settings=CONTEXT,
)
@click.argument("path", required=False, type=ANY_PATH)
@click.option(
    "--inventory",
    "inventory_path",
    type=FILE,
    metavar="FILE",
    help="Sign this inventory (from `ospo scan -o`) instead of scanning.",
)
@click.option(
    "--sbom", "sbom_path", type=FILE, metavar="FILE", help="Sign this CycloneDX or SPDX SBOM."
)
@click.option("--role", type=BoardRoleType(), help="The role you sign for.  [required]")
@click.option("--name", help="Who signs.  [required]")
@click.option("--decision", type=SignoffType(), help="[required]")
@click.option("--conditions", metavar="TEXT", help="Required with approve-with-conditions.")
@click.option("--ticket", help="Tracking ticket, e.g. OSRB-42.")
@click.option(
    "--date", "day", type=DateType(), metavar="YYYY-MM-DD", help="Day of the signature [today]."
)
@click.option(
    "--release",
    metavar="NAME",
    help="Name of the release in the archive [default: the product's version].",
)
@POLICY
@click.option("--profile", type=ProfileType(), help="How the product ships.")
@WAIVERS
@click.option(
    "--signoffs",
    "signoffs_path",
    type=FILE,
    metavar="FILE",
    help="Where signatures are kept [default: .ospo/signoffs.yml of the project].",
)
@click.option(
    "--status", "status_only", is_flag=True, help="Show the board's status; sign nothing."
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@OFFLINE
def signoff(
    path: Path | None,
    inventory_path: Path | None,
    sbom_path: Path | None,
    role: Role | None,
    name: str | None,
    decision: SignoffDecision | None,
    conditions: str | None,
    ticket: str | None,
    day: date | None,
    release: str | None,
    policy_path: Path | None,
    profile: Profile | None,
    waivers_path: Path | None,
    signoffs_path: Path | None,
    status_only: bool,
    no_cache: bool,
    offline: bool,
) -> int:
    """Judge the release, record the signature, show the board's status, archive."""
    from ospo.api import CheckSettings, check_inventory, settings_policy
    from ospo.cli.check import read_or_scan
    from ospo.signoff import (
        DEFAULT_SIGNOFFS,
        ReleaseState,
        archive_dir,
        release_status,
        sign_release,
    )

    if status_only:
        if role or name or decision or conditions or ticket or day or release:
            raise click.UsageError("--status signs nothing: give no --role, --name, --decision")
    else:
        for option, value in (("--role", role), ("--name", name), ("--decision", decision)):
            if value is None:
                raise click.UsageError(f"Missing option '{option}'.")
    given = [p for p in (path, inventory_path, sbom_path) if p is not None]
    if len(given) > 1:
        raise click.UsageError("give one of PATH, --inventory and --sbom")
    root = path if path is not None else Path(".")
    if not root.exists():
        raise InputError("path does not exist", path=str(root))
    if not root.is_dir():
        raise InputError("PATH is the product's directory; give a file with --inventory")
    inventory = read_or_scan(root, inventory_path, sbom_path, no_cache=no_cache)
    settings = CheckSettings(
        policy_path=policy_path, profile=profile, waivers_path=waivers_path, offline=offline
    )
    policy = settings_policy(settings, root)
    judged = check_inventory(inventory, settings, root=root)
    target = signoffs_path or root / DEFAULT_SIGNOFFS
    if status_only:
        status = release_status(judged, policy, target)
        say(f"{judged.subject.name} {judged.subject.version or ''}".rstrip() + f" ({target})")
        _show(status)
        approved = status.state is ReleaseState.APPROVED
        return int(ExitCode.PASS if approved else ExitCode.GATE_FAILED)
    assert role is not None and name is not None and decision is not None
    result = sign_release(
        judged,
        policy,
        role=role,
        name=name,
        decision=decision,
        conditions=conditions,
        ticket=ticket,
        date=(day or date.today()).isoformat(),
        release=release,
        signoffs=target,
        archive=archive_dir(root),
        root=root if inventory_path is None and sbom_path is None else None,
        store=_portfolio_store(root),
    )
    say(
        f"Recorded sign-off {result.count} in {target}: {role.value} {decision.value} "
        f"({printable(result.record.name)}) for {judged.subject.name} {result.release}"
    )
    _show(result.status)
    if result.archived is not None:
        done = "Archived" if result.archived_now else "Already archived:"
        say(f"{done} release {result.release} in {result.archived.directory}")
    if result.published is not None:
        say(f"Published release {result.release} of {result.published.product} to the portfolio")
    if result.publish_problem is not None:
        say(
            f"ospo: warning: release {result.release} is approved and archived but not in the "
            f"portfolio: {result.publish_problem}; publish it with `ospo portfolio publish`",
            err=True,
        )
    return int(ExitCode.PASS)


def _portfolio_store(root: Path) -> str | None:
    """The portfolio an approved release is published to: ``OSPO_STORE_URL``, else the
    shared result store's URL; None when neither is a PostgreSQL URL."""
    from ospo.portfolio import is_postgres, store_url

    url = store_url(None, root)
    return url if is_postgres(url) else None


def _show(status: SignoffStatus) -> None:
    """Print each required role's signature and the release's state."""
    say(f"release {status.state.value} — digest {status.digest}")
    for entry in (*status.roles, *status.other_rejections):
        if entry.decision is None:
            say(f"  {entry.role.value:<12} not signed")
            continue
        # names, tickets and conditions come from signoffs.yml, which a pull request may change
        line = (
            f"  {entry.role.value:<12} {entry.decision.value} — {printable(entry.name or '')}, "
            f"{entry.date}"
        )
        if entry.ticket:
            line += f", {printable(entry.ticket)}"
        if entry.conditions:
            line += f"; conditions: {printable(entry.conditions)}"
        if not entry.valid:
            line += " (signed for another digest: the release changed since; sign again)"
        say(line)


@click.command(
    help="List the approved releases in the archive of PATH (default: .), oldest first.",
    context_settings=CONTEXT,
)
@click.argument("path", required=False, type=ANY_PATH)
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
def releases(path: Path | None, fmt: str) -> int:
    """Print the archive's index."""
    import json

    from ospo.signoff import archive_dir, read_index

    root = path if path is not None else Path(".")
    if not root.is_dir():
        raise InputError("not a directory", path=str(root))
    archive = archive_dir(root)
    entries = read_index(archive)
    if fmt == "json":
        say(json.dumps([e.index_entry() for e in entries], indent=2, ensure_ascii=False))
        return int(ExitCode.PASS)
    if not entries:
        say(f"no approved release in {archive}")
        return int(ExitCode.PASS)
    for entry in entries:
        say(f"{entry.release}  {entry.date}  {entry.product}  {entry.digest}  {entry.directory}")
        for signature in entry.signoffs:
            line = f"    {signature['role']:<12} {signature['decision']} — {signature['name']}"
            if signature.get("conditions"):
                line += f"; conditions: {signature['conditions']}"
            say(line)
    return int(ExitCode.PASS)
