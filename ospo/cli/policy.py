# SPDX-License-Identifier: Apache-2.0
"""``ospo policy``: validate a policy file; explain how it treats a license or a rule."""

from __future__ import annotations

from pathlib import Path

import click

from ospo.errors import ExitCode


@click.group()
def policy() -> None:
    """Validate and explain the policy."""


@policy.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
def validate(file: Path | None) -> int:
    """Check a policy FILE (default: the shipped policy) and what it extends."""
    from ospo.policy import load_policy

    loaded = load_policy(file)
    click.echo(
        f"{' <- '.join(loaded.sources)}: valid policy {loaded.name!r} (digest {loaded.digest[:12]})"
    )
    return int(ExitCode.PASS)


@policy.command()
@click.argument("subject")
@click.option(
    "--policy",
    "policy_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Policy file [default: the shipped policy].",
)
@click.option("--outbound", help="Outbound license for the source profile [default: none].")
def explain(subject: str, policy_path: Path | None, outbound: str | None) -> int:
    """Explain how the policy treats SUBJECT: a license expression or a rule id."""
    from ospo import licensing
    from ospo.errors import InputError
    from ospo.policy import load_policy
    from ospo.policy.judge import Context, Judge
    from ospo.policy.model import Linkage, Profile
    from ospo.policy.rules import rule_docs

    docs = rule_docs()
    if subject in docs:
        click.echo(f"{subject}: {docs[subject].summary}")
        return int(ExitCode.PASS)
    checked = licensing.check(subject)
    if not checked.valid or checked.normalized is None:
        known = ", ".join(sorted(docs))
        raise InputError(
            f"{subject!r} is neither a license expression ({'; '.join(checked.errors)})"
            f" nor a rule id ({known})"
        )
    loaded = load_policy(policy_path)
    judge = Judge(loaded)
    expression = checked.normalized
    for lid in licensing.license_ids(expression):
        klass, why = judge.classifier.classify(lid)
        exception = judge.classifier.exception_class(lid)
        if exception is not None:
            click.echo(f"{lid}: an exception; makes the license it modifies {exception.value}")
        else:
            click.echo(f"{lid}: {klass.value} ({why})")
    click.echo(f"\nUnder policy {loaded.name!r}:")
    for profile in Profile:
        for shipped, linkage in ((True, Linkage.DYNAMIC), (True, Linkage.STATIC), (False, None)):
            context = Context(
                profile=profile,
                shipped=shipped,
                linkage=linkage or Linkage.DYNAMIC,
                outbound=outbound if profile is Profile.SOURCE else None,
            )
            verdict = judge.judge(expression, context)
            label = (
                f"{profile.value}, {linkage.value} linking"
                if shipped and linkage
                else f"{profile.value}, dev/test only"
            )
            elected = f" (elects {verdict.elected})" if verdict.elected else ""
            click.echo(f"  {label:32} {verdict.outcome.value}{elected}")
        if profile is Profile.SOURCE and not outbound:
            click.echo("  (give --outbound LICENSE to check compatibility for the source profile)")
    as_shipped = judge.judge(expression, Context(profile=Profile.BINARY))
    obligations = judge.obligations(as_shipped)
    if obligations:
        click.echo("\nObligations when it ships:")
        for item in obligations:
            click.echo(f"  - {item}")
    return int(ExitCode.PASS)
