# SPDX-License-Identifier: Apache-2.0
# Portions adapted from scancode-toolkit's licensedcode/match_set.py,
# Copyright (c) nexB Inc. and others, Apache-2.0.
"""A candidate pre-selection for ScanCode's approximate matcher that changes no result.

Where the time goes: ScanCode's approximate matcher (``match_set.compute_candidates``)
compares the token set of every query run against all ~30,000 approximately matchable
rules, in Python, for every file, although a typical source file matches none of them.

A rule can only become a candidate for a query run if the run holds at least
``rule.get_min_high_matched_length(unique=True)`` (at least one) of the rule's distinct
legalese ("high") tokens, and then passes the other set filters of
``match_set.compare_token_sets``. Every one of those filters is monotone in the query's
token set, and every query run (and every "near duplicate" whole-file run) of a file
holds a subset of the file's tokens. So the rules that pass the *set* filter on the
whole file's tokens are a superset of the rules that pass it on any run of the file.

Per file we compute that superset once: count high-token hits per rule through an
inverted index (a fraction of a millisecond), then run ScanCode's own
``compare_token_sets`` on the few rules with enough hits. ``compute_candidates`` is then
run exactly as ScanCode writes it, but iterating only over that superset, in the same
ascending rule-id order. Its first-stage list, its top-N truncation, its second stage and
its ranking are therefore identical, and so is every match. ``tests/test_fastpath.py``
checks this on a real tree against the ``scancode`` command.

Only the per-run loop is re-implemented here, with the set comparison of its first stage
(``compare_token_sets`` on token sets) written out inline; both mirror scancode-toolkit
32.5.0, which ``pyproject.toml`` pins, and a test compares the candidate lists run by
run with ScanCode's own function.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

_ORIGINAL: Any = None
_STATE: _Preselector | None = None


class _Preselector:
    """Inverted index from legalese token ids to approximately matchable rule ids."""

    def __init__(self, idx: Any) -> None:
        self.idx = idx
        len_legalese = idx.len_legalese
        postings: dict[int, list[int]] = {}
        rule_count = len(idx.rules_by_rid)
        min_high = [0] * rule_count
        # Scalars of compare_token_sets' filters, for the bounds in ``_compute_candidates``.
        self.length = [0] * rule_count
        self.min_length = [0] * rule_count
        self.min_containment = [0.0] * rule_count
        for rid in idx.approx_matchable_rids:
            rule = idx.rules_by_rid[rid]
            high = [tid for tid in idx.sets_by_rid[rid] if tid < len_legalese]
            needed = max(1, rule.get_min_high_matched_length(True))
            if needed > len(high):
                continue  # can never pass the high-token filter
            min_high[rid] = needed
            self.length[rid] = rule.get_length(True)
            self.min_length[rid] = rule.get_min_matched_length(True)
            self.min_containment[rid] = rule._minimum_containment or 0.0
            for tid in high:
                postings.setdefault(tid, []).append(rid)
        self.postings = postings
        self.min_high = min_high
        from intbitset import intbitset

        #: The legalese token ids (those below ``len_legalese``).
        self.high_ids = intbitset(list(range(len_legalese)))
        self._query: Any = None
        self._may_match = False
        self.files_with_candidates = 0

    def enough_high_tokens(self, tids: Any) -> list[int]:
        """Return, ascending, the rules with at least their minimum of high tokens in ``tids``.

        This is exactly the first filter of ``compare_token_sets`` (``high_matched_length``
        against ``get_min_high_matched_length``), computed for all rules at once.
        """
        len_legalese = self.idx.len_legalese
        postings = self.postings
        hits: Counter[int] = Counter()
        for tid in tids:
            if 0 <= tid < len_legalese:
                rids = postings.get(tid)
                if rids:
                    hits.update(rids)
        min_high = self.min_high
        return sorted(rid for rid, n in hits.items() if n >= min_high[rid])

    def bounded(self, rids: list[int], qlen: int) -> list[int]:
        """Keep the rules whose length and containment filters a query set of ``qlen`` can pass.

        The matched length is at most the query set's size, so rules that need more, or
        whose containment could not reach its minimum with it, fail in compare_token_sets.
        """
        length, min_length, min_containment = self.length, self.min_length, self.min_containment
        return [
            rid
            for rid in rids
            if min_length[rid] <= qlen
            and (not length[rid] or qlen / length[rid] >= min_containment[rid])
        ]

    def may_match(self, query: Any) -> bool:
        """Return whether any rule passes the first filters on all of ``query``'s tokens."""
        if query is self._query:
            return self._may_match
        tids = set(query.tokens)
        result = bool(self.bounded(self.enough_high_tokens(tids), len(tids)))
        if result:
            self.files_with_candidates += 1
        self._query = query
        self._may_match = result
        return result


def install(idx: Any) -> None:
    """Route ScanCode's candidate selection through the pre-selector, in this process."""
    global _ORIGINAL, _STATE
    from licensedcode import match_set

    if _ORIGINAL is None:
        _ORIGINAL = match_set.compute_candidates
    _STATE = _Preselector(idx)
    match_set.compute_candidates = _compute_candidates


def uninstall() -> None:
    """Restore ScanCode's own candidate selection."""
    global _STATE
    from licensedcode import match_set

    if _ORIGINAL is not None:
        match_set.compute_candidates = _ORIGINAL
    _STATE = None


def files_with_candidates() -> int:
    """How many files so far needed ScanCode's approximate matcher at all."""
    return _STATE.files_with_candidates if _STATE is not None else 0


def _compute_candidates(
    query_run: Any,
    idx: Any,
    matchable_rids: Any,
    top: int = 50,
    high_resemblance: bool = False,
    high_resemblance_threshold: float = 0.8,
    _use_bigrams: bool = False,
) -> list[Any]:
    state = _STATE
    if state is None or idx is not state.idx or _use_bigrams:
        return _ORIGINAL(  # type: ignore[no-any-return]
            query_run,
            idx,
            matchable_rids,
            top=top,
            high_resemblance=high_resemblance,
            high_resemblance_threshold=high_resemblance_threshold,
            _use_bigrams=_use_bigrams,
        )
    from licensedcode import match_set

    if not state.may_match(query_run.query):
        return []

    # From here on: scancode-toolkit 32.5.0 match_set.compute_candidates, with the loop
    # over all rules replaced by a loop over the rules that pass its first filter on this
    # run (same ascending rid order).
    token_ids = query_run.matchable_tokens()
    qset, qmset = match_set.build_set_and_mset(token_ids, _use_bigrams=_use_bigrams)
    len_legalese = idx.len_legalese
    qlen = match_set.tids_set_counter(qset)
    allowed = state.bounded(state.enough_high_tokens(qset), qlen)
    if high_resemblance:
        low = high_resemblance_threshold * qlen - 2
        high = qlen / high_resemblance_threshold + 2
        allowed = [rid for rid in allowed if low <= state.length[rid] <= high]

    # The first stage compares token *sets*: match_set.compare_token_sets with its set
    # arguments (tids_sets_intersector, tids_set_counter, high_tids_set_subset,
    # unique=True, filter_non_matching=True), written out here with the rule's numbers
    # read once into the pre-selector's lists. The legalese part of the intersection is
    # taken with one intbitset operation instead of a Python loop over it: the same set.
    sortable_candidates = []
    sets_by_rid = idx.sets_by_rid
    rules_by_rid = idx.rules_by_rid
    high_ids = state.high_ids
    min_high, min_length = state.min_high, state.min_length
    length, min_containment = state.length, state.min_containment
    scores_vector = match_set.ScoresVector
    for rid in allowed:
        if rid not in matchable_rids:
            continue
        intersection = qset & sets_by_rid[rid]
        high_set_intersection = intersection & high_ids
        # min_high is at least 1: an empty legalese intersection fails here too
        if len(high_set_intersection) < min_high[rid]:
            continue
        matched_length = len(intersection)
        if matched_length < min_length[rid]:
            continue
        iset_len = length[rid]
        resemblance = matched_length / (qlen + iset_len - matched_length)
        containment = matched_length / iset_len
        minimum_containment = min_containment[rid]
        if minimum_containment and containment < minimum_containment:
            continue
        amplified_resemblance = resemblance**2
        svr = scores_vector(
            is_highly_resemblant=round(resemblance, 1) >= high_resemblance_threshold,
            containment=round(containment, 1),
            resemblance=round(amplified_resemblance, 1),
            matched_length=round(matched_length / 20, 1),
        )
        svf = scores_vector(
            is_highly_resemblant=resemblance >= high_resemblance_threshold,
            containment=containment,
            resemblance=amplified_resemblance,
            matched_length=matched_length,
        )
        if not high_resemblance or (svr.is_highly_resemblant and svf.is_highly_resemblant):
            sortable_candidates.append(((svr, svf), rid, rules_by_rid[rid], high_set_intersection))

    if not sortable_candidates:
        return sortable_candidates

    sortable_candidates.sort(reverse=True)
    candidates = sortable_candidates[: top * 10]
    sortable_candidates = []

    filter_non_matching = not _use_bigrams
    msets_by_rid = idx.msets_by_rid
    high_intersection_filter = partial(match_set.high_multiset_subset, _use_bigrams=_use_bigrams)

    for _score_vectors, rid, rule, high_set_intersection in candidates:
        scores_vectors, _intersection = match_set.compare_token_sets(
            qset=qmset,
            iset=msets_by_rid[rid],
            intersector=match_set.multisets_intersector,
            counter=match_set.multiset_counter,
            high_intersection_filter=high_intersection_filter,
            len_legalese=len_legalese,
            unique=False,
            rule=rule,
            filter_non_matching=filter_non_matching,
            high_resemblance_threshold=high_resemblance_threshold,
        )
        if scores_vectors:
            svr, svf = scores_vectors
            if not high_resemblance or (svr.is_highly_resemblant and svf.is_highly_resemblant):
                sortable_candidates.append((scores_vectors, rid, rule, high_set_intersection))

    if not sortable_candidates:
        return sortable_candidates

    candidates = sorted(match_set.filter_dupes(sortable_candidates), reverse=True)[:top]
    return candidates[:top]
