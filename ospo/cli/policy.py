# SPDX-License-Identifier: Apache-2.0
"""``ospo policy``: validate a policy file; explain how it treats a license or a rule."""

from __future__ import annotations

from pathlib import Path

import click

from ospo.cli.core import CONTEXT, say
from ospo.cli.params import FILE
from ospo.errors import ExitCode


@click.group(help="Validate and explain the policy.", context_settings=CONTEXT)
def policy() -> None:
    """The ``policy`` group: ``validate`` and ``explain``."""


@policy.command(
    "validate",
    help="Check a policy FILE (default: the shipped policy) and what it extends.",
    context_settings=CONTEXT,
)
@click.argument("file", type=FILE, required=False)
def validate(file: Path | None) -> int:
    """Load the policy (and what it extends) and say it is valid."""
    from ospo.policy import load_policy

    loaded = load_policy(file)
    say(
        f"{' <- '.join(loaded.sources)}: valid policy {loaded.name!r} (digest {loaded.digest[:12]})"
    )
    return int(ExitCode.PASS)


@policy.command(
    "explain",
    help="Explain how the policy treats SUBJECT: a license expression or a rule id.",
    context_settings=CONTEXT,
)
@click.argument("subject")
@click.option(
    "--policy",
    "policy_path",
    type=FILE,
    metavar="FILE",
    help="Policy file [default: the shipped policy].",
)
@click.option(
    "--outbound",
    metavar="LICENSE",
    help="Outbound license for the source profile [default: none].",
)
def explain(subject: str, policy_path: Path | None, outbound: str | None) -> int:
    """Explain a rule, or a license expression under every profile of the policy."""
    from ospo import licensing
    from ospo.errors import InputError
    from ospo.policy import load_policy
    from ospo.policy.judge import CONDITIONS, Context, Judge
    from ospo.policy.model import Linkage, Profile
    from ospo.policy.rules import rule_docs

    docs = rule_docs()
    if subject in docs:
        say(f"{subject}: {docs[subject].summary}")
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
        rule = judge.classifier.exception_rule(lid)
        if rule is not None:
            effect = (
                f"makes the license it modifies {rule.klass.value}"
                if rule.klass is not None
                else "leaves the license it modifies as it is"
            )
            if rule.only_if is not None and rule.klass is not None:
                effect += f" for {CONDITIONS[rule.only_if]}"
            say(f"{lid}: an exception; {effect} ({rule.reason})")
        elif (spelled := licensing.current_form(lid)) is not None:
            klass = judge.classifier.term_class(spelled)
            say(f"{lid}: {klass.value} (a deprecated SPDX id for {spelled})")
        else:
            klass, why = judge.classifier.classify(lid)
            say(f"{lid}: {klass.value} ({why})")
    say(f"\nUnder policy {loaded.name!r}:")
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
            say(f"  {label:32} {verdict.outcome.value}{elected}")
        if profile is Profile.SOURCE and not outbound:
            say("  (give --outbound LICENSE to check compatibility for the source profile)")
    as_shipped = judge.judge(expression, Context(profile=Profile.BINARY))
    obligations = judge.obligations(as_shipped)
    if obligations:
        say("\nObligations when it ships:")
        for item in obligations:
            say(f"  - {item}")
    return int(ExitCode.PASS)
