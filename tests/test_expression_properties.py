# SPDX-License-Identifier: Apache-2.0
"""Properties of the expression engine that must hold for every expression.

Electing from an expression never yields a license that is not in it, nor a choice left
open; an expression and its election get the same verdict; reordering the operands of an
AND or an OR never changes a verdict.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ospo import licensing
from ospo.policy import load_policy
from ospo.policy.judge import Context, Judge
from ospo.policy.model import Linkage, Profile

JUDGE = Judge(load_policy(None))

#: Licenses of every class and kind of id the policy meets.
LEAVES = [
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "CC0-1.0",
    "MPL-2.0",
    "LGPL-2.1-only",
    "GPL-2.0-only",
    "GPL-3.0-or-later",
    "AGPL-3.0-only",
    "SSPL-1.0",
    "JSON",
    "CC-BY-NC-4.0",
    "Apache-2.0+",
    "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-3.0-only WITH GCC-exception-3.1",
    "LicenseRef-Acme-Proprietary",
    "MPL-2.0-no-copyleft-exception",
]


def _expressions() -> st.SearchStrategy[str]:
    leaf = st.sampled_from(LEAVES)

    def combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(
            st.sampled_from([" AND ", " OR "]), st.lists(children, min_size=2, max_size=3)
        ).map(lambda t: "(" + t[0].join(t[1]) + ")")

    return st.recursive(leaf, combine, max_leaves=6)


CONTEXTS = st.builds(
    Context,
    profile=st.sampled_from(list(Profile)),
    shipped=st.booleans(),
    linkage=st.sampled_from(list(Linkage)),
    outbound=st.sampled_from([None, "Apache-2.0", "GPL-3.0-only", "MIT"]),
)
FAST = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _leaves(expression: str) -> set[str]:
    return set(licensing.license_ids(expression))


@FAST
@given(_expressions(), CONTEXTS)
def test_an_election_is_made_of_the_expression_and_leaves_no_choice(
    expression: str, context: Context
) -> None:
    verdict = JUDGE.judge(expression, context)
    if " OR " not in expression:
        assert verdict.elected is None
        return
    assert verdict.elected is not None
    assert " OR " not in verdict.elected
    assert _leaves(verdict.elected) <= _leaves(expression)
    assert licensing.check(verdict.elected).valid


@FAST
@given(_expressions(), CONTEXTS)
def test_an_election_is_judged_as_its_expression(expression: str, context: Context) -> None:
    verdict = JUDGE.judge(expression, context)
    if verdict.elected is not None:
        assert JUDGE.judge(verdict.elected, context).outcome is verdict.outcome


@FAST
@given(_expressions(), CONTEXTS, st.randoms(use_true_random=False))
def test_operand_order_never_changes_a_verdict(
    expression: str, context: Context, random: object
) -> None:
    parsed = licensing.spdx_licensing().parse(expression)

    def shuffled(node: object) -> str:
        kind = type(node).__name__
        if kind in ("AND", "OR"):
            parts = [shuffled(arg) for arg in node.args]  # type: ignore[attr-defined]
            random.shuffle(parts)  # type: ignore[attr-defined]
            return "(" + f" {kind} ".join(parts) + ")"
        return str(node)

    assert (
        JUDGE.judge(shuffled(parsed), context).outcome is JUDGE.judge(expression, context).outcome
    )
