# SPDX-License-Identifier: Apache-2.0
"""``ospo portfolio``: publish a release to the portfolio, and ask which releases ship what."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import FILE, OFFLINE, POLICY, ProfileType
from ospo.errors import ExitCode
from ospo.policy.model import LicenseClass, Profile

_STORE_HELP = (
    "The portfolio's PostgreSQL URL [default: OSPO_STORE_URL, else OSPO_CACHE_URL, else "
    "cache: in .ospo.yml]."
)


@click.group(
    help="Publish releases to the organisation's portfolio and ask which releases ship what.",
    context_settings=CONTEXT,
)
def portfolio() -> None:
    """The ``portfolio`` group: ``publish`` and ``query``."""


@portfolio.command(
    "publish",
    help="Judge an inventory or SBOM as `ospo check` does and record it as RELEASE of "
    "PRODUCT, with its components, findings and licenses. Publishing the same contents "
    "again changes nothing; other contents under the same release are refused (exit 2) "
    "unless --replace.",
    context_settings=CONTEXT,
)
@click.option("--store", metavar="URL", help=_STORE_HELP)
@click.option(
    "--inventory",
    "inventory_path",
    type=FILE,
    metavar="FILE",
    help="An inventory (from `ospo scan -o`).",
)
@click.option("--sbom", "sbom_path", type=FILE, metavar="FILE", help="A CycloneDX or SPDX SBOM.")
@click.option("--product", required=True, metavar="NAME", help="The product's name.")
@click.option("--release", required=True, metavar="VERSION", help="The release's name.")
@POLICY
@click.option(
    "--profile", type=ProfileType(), help="How the product ships [default: the policy's]."
)
@click.option("--replace", is_flag=True, help="Replace a release published with other contents.")
@OFFLINE
def publish(
    store: str | None,
    inventory_path: Path | None,
    sbom_path: Path | None,
    product: str,
    release: str,
    policy_path: Path | None,
    profile: Profile | None,
    replace: bool,
    offline: bool,
) -> int:
    """Read, judge and publish one release."""
    from ospo import portfolio as pf
    from ospo.api import CheckSettings, check_inventory, settings_policy
    from ospo.cli.check import read_or_scan

    if (inventory_path is None) == (sbom_path is None):
        raise click.UsageError("give --inventory or --sbom (one of them)")
    root = Path(".")
    url = pf.store_url(store, root)
    inventory = read_or_scan(root, inventory_path, sbom_path)
    settings = CheckSettings(policy_path=policy_path, profile=profile, offline=offline)
    judged = check_inventory(inventory, settings, root=root)
    result = pf.publish(
        url,
        judged,
        settings_policy(settings, root),
        product=product,
        release=release,
        replace=replace,
        source="inventory" if inventory_path is not None else "sbom",
    )
    what = {
        pf.PublishState.PUBLISHED: "Published",
        pf.PublishState.REPLACED: "Replaced",
        pf.PublishState.UNCHANGED: "Already published, unchanged:",
    }[result.state]
    say(
        f"{what} {result.product} {result.release} ({result.components} component(s), "
        f"{result.findings} finding(s), {result.digest})"
    )
    return int(ExitCode.PASS)


@portfolio.command(
    "query",
    help="List the releases that ship a package (--purl, any version without one, or the "
    "versions in --vers), a license (--license: any id of the expression), a license "
    "category (--category), or a dependency relicensed upstream (--relicensed).",
    context_settings=CONTEXT,
)
@click.option("--store", metavar="URL", help=_STORE_HELP)
@click.option("--purl", metavar="PURL", help="A package URL, with or without a version.")
@click.option("--vers", metavar="RANGE", help="Only versions in this vers: range (with --purl).")
@click.option("--license", "license_expr", metavar="EXPR", help="An SPDX id or expression.")
@click.option(
    "--category",
    type=click.Choice([c.value for c in LicenseClass]),
    help="A license category (class).",
)
@click.option(
    "--relicensed",
    is_flag=True,
    help="Releases with a dependency whose newer versions changed license (registry data).",
)
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
def query(
    store: str | None,
    purl: str | None,
    vers: str | None,
    license_expr: str | None,
    category: str | None,
    relicensed: bool,
    fmt: str,
) -> int:
    """Ask the portfolio one question and print the releases that answer it."""
    from ospo import portfolio as pf

    if sum(q is not None for q in (purl, license_expr, category)) + relicensed != 1:
        raise click.UsageError("give one of --purl, --license, --category and --relicensed")
    question = pf.Question(
        purl=purl, vers=vers, license=license_expr, category=category, relicensed=relicensed
    )
    matches = pf.ask(pf.store_url(store, Path(".")), question)
    if fmt == "json":
        say(json.dumps(pf.answer_json(question, matches), indent=2, ensure_ascii=False))
        return int(ExitCode.PASS)
    asked = " ".join(k if v is True else f"{k} {v}" for k, v in question.as_json().items())
    say(f"{len(matches)} release(s) ship {asked}")
    for m in matches:
        say(f"{m.product} {m.release}" + (f" ({m.verdict})" if m.verdict else ""))
        for c in m.components:
            say(f"  {c.purl}  {c.license_expression or 'unknown license'}  [{c.scope}]")
            if c.finding:
                say(f"    {c.finding}")
    return int(ExitCode.PASS)
