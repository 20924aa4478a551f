# SPDX-License-Identifier: Apache-2.0
"""Judging a license expression under a policy, a profile, a scope and a linkage.

* a license id gets a class (ScanCode's category refined by the policy's lists and
  overrides), and the class an outcome from the profile's matrix (or the ``non_shipped``
  matrix for dev/test components); weak library-level copyleft depends on linkage;
* ``X WITH exception`` takes the class the policy's exception table gives it, where the
  entry's condition holds (GCC's runtime exception makes GPL code permissive for the
  product; Classpath makes it file-level; Universal-FOSS helps only an open source
  product); an exception the table does not name can make a license stricter (by its
  ScanCode category: a use restriction is source-available), never milder; an exception
  that adds permissions never makes a license stricter, grants nothing on a license it is
  not written for, and cannot make a license that is not open source open source;
* a deprecated SPDX id that folds an exception in (``GPL-2.0-with-classpath-exception``)
  is judged as the ``X WITH E`` it stands for;
* ``AND`` takes the worst outcome of its parts; ``OR`` the best, and records which
  alternative was elected and why (the NOTICE uses the elected license);
* under the ``source`` profile every inbound license must also be compatible with the
  product's outbound license (``policies/compatibility.yml``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from ospo import licensing
from ospo.licensedb import license_table
from ospo.policy.loader import Policy, compatibility_data, obligations_data
from ospo.policy.model import Compatibility, LicenseClass, Linkage, Outcome, Profile

#: What SPDX's special values say in place of a license (SPDX 2.3 section 7.13).
_SPDX_SPECIAL = {
    "NOASSERTION": "states no license (SPDX NOASSERTION): its author made no assertion",
    "NONE": "grants no license (SPDX NONE): all rights are reserved by copyright's default",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """Where a license is judged."""

    profile: Profile
    shipped: bool = True
    linkage: Linkage = Linkage.DYNAMIC
    outbound: str | None = None  # the product's outbound license (source profile)


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The outcome for one expression, with the reasons and what was elected."""

    outcome: Outcome
    expression: str
    elected: str | None = None  # the alternative chosen from an OR
    reasons: tuple[str, ...] = ()
    licenses: tuple[tuple[str, LicenseClass], ...] = ()  # the licenses that apply
    incompatible: bool = False  # denied because of the outbound license


class ExceptionCondition(StrEnum):
    """When an entry of the policy's exception table applies (``only_if``)."""

    # the product is open source: the source profile, with an outbound license of an open
    # source class (what the exception means by OSI-approved or FSF-free)
    FOSS_PRODUCT = "foss-product"
    # the product is not distributed as source: every profile but ``source``
    OBJECT_FORM = "object-form"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionRule:
    """What the policy says a WITH exception does to the license it modifies."""

    klass: LicenseClass | None  # None: the license keeps its own class
    reason: str
    source: str | None = None
    only_if: ExceptionCondition | None = None
    written_for: tuple[str, ...] = ()  # empty: any license

    def is_written_for(self, license_id: str) -> bool:
        """Whether the exception speaks of ``license_id`` (an "or later" of one it names
        included)."""
        if not self.written_for:
            return True
        bare = license_id.lower().removesuffix("+")
        return any(bare == named.lower() for named in self.written_for)


# what each condition means, in words (for reasons and for the generated documentation)
CONDITIONS = {
    ExceptionCondition.FOSS_PRODUCT: "an open source product (the source profile with an open"
    " source outbound license)",
    ExceptionCondition.OBJECT_FORM: "a product not distributed as source",
}

#: The open source classes, from the mildest to the strictest copyleft.
_OPEN_SOURCE_ORDER = (
    LicenseClass.PUBLIC_DOMAIN,
    LicenseClass.PERMISSIVE,
    LicenseClass.WEAK_COPYLEFT_FILE,
    LicenseClass.WEAK_COPYLEFT_LIBRARY,
    LicenseClass.STRONG_COPYLEFT,
    LicenseClass.NETWORK_COPYLEFT,
)
OPEN_SOURCE_CLASSES = frozenset(_OPEN_SOURCE_ORDER)


def _exception_rule(entry: str | Mapping[str, Any]) -> ExceptionRule:
    if isinstance(entry, str):
        return ExceptionRule(klass=LicenseClass(entry), reason="the policy's exception table")
    klass = entry.get("class")
    only_if = entry.get("only_if")
    return ExceptionRule(
        klass=None if klass is None else LicenseClass(klass),
        reason=str(entry["reason"]),
        source=entry.get("source"),
        only_if=None if only_if is None else ExceptionCondition(only_if),
        written_for=tuple(str(x) for x in entry.get("written_for", ())),
    )


def _spdx_id(license_id: str) -> str:
    """A license id as the policy names it, in the form the judge meets it: SPDX-normalised
    (``AGPL-3.0`` is AGPL-3.0-only), lower-cased."""
    return (licensing.normalize(license_id) or license_id).lower()


class Classifier:
    """License ids to classes, as the policy derives and overrides them."""

    def __init__(self, policy: Policy) -> None:
        lic = policy.data["licenses"]
        derive = lic.get("derive", {})
        self._categories: Mapping[str, str] = derive.get("categories", {})
        self._library = {_spdx_id(x) for x in derive.get("library_level", [])}
        self._network = {_spdx_id(x) for x in derive.get("network", [])}
        self._nc_markers = tuple(m.lower() for m in derive.get("non_commercial_markers", []))
        self._overrides = {
            _spdx_id(k): LicenseClass(v) for k, v in lic.get("overrides", {}).items()
        }
        self._exceptions = {
            k.lower(): _exception_rule(v) for k, v in lic.get("exceptions", {}).items()
        }
        self._cache: dict[str, tuple[LicenseClass, str]] = {}

    def classify(self, license_id: str) -> tuple[LicenseClass, str]:
        """Return the class of ``license_id`` and where it comes from."""
        cached = self._cache.get(license_id)
        if cached is None:
            cached = self._classify(license_id)
            self._cache[license_id] = cached
        return cached

    def _classify(self, license_id: str) -> tuple[LicenseClass, str]:
        info = license_table().lookup(license_id)
        # ScanCode's name for a license SPDX names (LicenseRef-scancode-agpl-3.0-plus) is
        # that license: the policy's lists name it by its SPDX id
        names = dict.fromkeys([license_id, *(() if info is None else (info.spdx,))])
        for name in names:
            lowered = name.lower()
            aka = "" if name == license_id else f" (as {name})"
            if lowered in self._overrides:
                return self._overrides[lowered], f"the policy's override{aka}"
            if lowered in self._network:
                return LicenseClass.NETWORK_COPYLEFT, f"network copyleft in the policy's list{aka}"
            if lowered in self._library:
                return (
                    LicenseClass.WEAK_COPYLEFT_LIBRARY,
                    f"library-level copyleft in the policy's list{aka}",
                )
        if info is None:
            return LicenseClass.UNKNOWN, "not in ScanCode's license database"
        key = info.key.lower()
        if any(marker in f"-{key}-" for marker in self._nc_markers):  # whole dash-words
            return LicenseClass.NON_COMMERCIAL, f"ScanCode key {info.key} marks it non-commercial"
        # a license its steward calls non-commercial ("HP Non-Commercial License") under a
        # key that does not say so; an exception so named grants a permission, restricts none
        name = "-" + re.sub(r"[^a-z0-9]+", "-", info.name.lower()).strip("-") + "-"
        if not info.is_exception and any(marker in name for marker in self._nc_markers):
            return LicenseClass.NON_COMMERCIAL, f"its name, {info.name!r}, marks it non-commercial"
        mapped = self._categories.get(info.category)
        if mapped is None:
            return LicenseClass.UNKNOWN, f"ScanCode category {info.category!r} is not classified"
        return LicenseClass(mapped), f"ScanCode category {info.category}"

    def term_class(self, term: str) -> LicenseClass:
        """The class of one license of an expression where no context is known, ``X WITH
        E`` and a deprecated id that folds one in included: a clause that takes rights away
        gives its class; an exception that adds permissions in every context gives its
        class where the license is open source, the exception is written for it and it asks
        less; otherwise the license keeps its own."""
        base, _, exception = (licensing.current_form(term) or term).partition(" WITH ")
        base_class = self.classify(base)[0]
        if not exception:
            return base_class
        rule = self.exception_rule(exception)
        if rule is None:
            derived = self.classify(exception)[0]
            restricts = derived not in OPEN_SOURCE_CLASSES and base_class in OPEN_SOURCE_CLASSES
            return derived if restricts else base_class
        if rule.klass is None or rule.only_if is not None or not rule.is_written_for(base):
            return base_class
        if rule.klass not in OPEN_SOURCE_CLASSES or base_class not in OPEN_SOURCE_CLASSES:
            return rule.klass if rule.klass not in OPEN_SOURCE_CLASSES else base_class
        return min(rule.klass, base_class, key=_OPEN_SOURCE_ORDER.index)

    def exception_class(self, exception_id: str) -> LicenseClass | None:
        """Return the class a WITH exception gives its license in every context, if any."""
        rule = self._exceptions.get(exception_id.lower())
        return rule.klass if rule is not None and rule.only_if is None else None

    def exception_rule(self, exception_id: str) -> ExceptionRule | None:
        """Return the policy's entry for a WITH exception, if it has one."""
        return self._exceptions.get(exception_id.lower())


class Judge:
    """Outcomes for expressions; results are cached per (expression, context)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.classifier = Classifier(policy)
        self._profiles: Mapping[str, Mapping[str, Any]] = policy.data["profiles"]
        self._non_shipped: Mapping[str, Any] = policy.data["non_shipped"]
        preference = policy.data["licenses"].get("preference", [c.value for c in LicenseClass])
        self._preference = {LicenseClass(c): i for i, c in enumerate(preference)}
        self._elect_last = {_spdx_id(x) for x in policy.data["licenses"].get("elect_last", [])}
        self.judge = lru_cache(maxsize=65536)(self._judge)

    def _judge(self, expression: str, context: Context) -> Verdict:
        checked = licensing.check(expression)
        if not checked.valid or checked.normalized is None:
            outcome = self._matrix_outcome(LicenseClass.UNKNOWN, context)
            why = _SPDX_SPECIAL.get(expression.strip().upper())
            return Verdict(
                outcome=outcome,
                expression=expression,
                reasons=(
                    f"{expression!r} {why}: establish the license"
                    if why
                    else f"{expression!r} is not a valid SPDX expression: "
                    f"{'; '.join(checked.errors)}",
                ),
                licenses=((expression, LicenseClass.UNKNOWN),),
            )
        parsed = licensing.spdx_licensing().parse(checked.normalized)
        return self._node(parsed, context)

    # -- the expression tree -------------------------------------------------------

    def _node(self, node: Any, context: Context) -> Verdict:
        kind = type(node).__name__
        if kind == "AND":
            parts = [self._node(arg, context) for arg in node.args]
            worst = max(parts, key=lambda v: v.outcome.rank)
            # the parts that decide the outcome explain it
            decisive = [p for p in parts if p.outcome is worst.outcome]
            # every choice inside is recorded as made: the election is the AND of what
            # each part elected (or the part itself, where it held no choice)
            elected = None
            if any(p.elected for p in parts):
                elected = " AND ".join(dict.fromkeys(p.elected or p.expression for p in parts))
            # and the reasons say where each choice was made, decisive or not
            elections = [p.reasons[0] for p in parts if p.elected and p not in decisive]
            apart = self._no_version_for_all(node, parts, context)
            if apart is not None:
                return Verdict(
                    outcome=Outcome.DENY,
                    expression=str(node),
                    elected=elected,
                    reasons=(apart, *elections),
                    licenses=tuple(lc for p in parts for lc in p.licenses),
                    incompatible=True,
                )
            return Verdict(
                outcome=worst.outcome,
                expression=str(node),
                elected=elected,
                reasons=tuple(
                    dict.fromkeys([*(r for p in decisive for r in p.reasons), *elections])
                ),
                licenses=tuple(lc for p in parts for lc in p.licenses),
                incompatible=any(p.incompatible and p.outcome is worst.outcome for p in parts),
            )
        if kind == "OR":
            options = [self._node(arg, context) for arg in node.args]
            # Among acceptable alternatives (allow, obligations) the policy's preferred
            # class wins (MIT over GPL even where both pass); otherwise the mildest outcome;
            # in a class, a license the policy elects last (an advertising clause) loses.
            best_index = min(
                range(len(options)),
                key=lambda i: (
                    max(options[i].outcome.rank, Outcome.OBLIGATIONS.rank),
                    self._class_rank(options[i]),
                    options[i].outcome.rank,
                    self._elected_last(options[i]),
                    i,
                ),
            )
            best = options[best_index]
            others = [o for i, o in enumerate(options) if i != best_index]
            why = (
                f"elected {best.expression} ({best.outcome.value}) from the choice {node}"
                + "".join(f"; {o.expression} would be {o.outcome.value}" for o in others[:3])
            )
            return Verdict(
                outcome=best.outcome,
                expression=str(node),
                elected=best.elected or best.expression,
                reasons=(why, *best.reasons),
                licenses=best.licenses,
                incompatible=best.incompatible,
            )
        if kind == "LicenseWithExceptionSymbol":
            return self._with_exception(node.license_symbol.key, node.exception_symbol.key, context)
        key = getattr(node, "key", str(node))
        current = licensing.current_form(key)
        if current is not None:
            verdict = self._node(licensing.spdx_licensing().parse(current), context)
            said = f"{key} is the deprecated SPDX id of {current}"
            return replace(verdict, reasons=(f"{said}: {verdict.reasons[0]}", *verdict.reasons[1:]))
        klass, why = self.classifier.classify(key)
        return self._leaf(key, klass, why, context)

    def _no_version_for_all(self, node: Any, parts: list[Verdict], context: Context) -> str | None:
        """Why no single version an "or later" outbound license admits accepts every part
        of an AND (GPL-2.0-only code keeps the work at version 2, Apache-2.0 code needs
        version 3); None when one does, or the question does not arise."""
        if context.profile is not Profile.SOURCE or not context.shipped or not context.outbound:
            return None
        if any(p.incompatible for p in parts):
            return None  # already incompatible with the outbound license itself
        outbound = licensing.normalize(context.outbound) or context.outbound
        listed = compatibility_data()["outbound"]
        versions = [v for v in licensing.versions_admitted(outbound) if v in listed]
        if len(versions) < 2:
            return None
        refused: list[str] = []
        for version in versions:
            under = replace(context, outbound=version)
            barred = [v for v in (self._node(arg, under) for arg in node.args) if v.incompatible]
            if not barred:
                return None
            refused.append(f"{version} does not accept {barred[0].expression}")
        return (
            f"no version of the project's license accepts every part of {node}: the outbound"
            f" {context.outbound} may be taken as {' or '.join(versions)}, but "
            + "; ".join(refused)
            + " (gpl-faq: #AllCompatibility)"
        )

    def _with_exception(self, license_id: str, exception_id: str, context: Context) -> Verdict:
        name = f"{license_id} WITH {exception_id}"
        base_class, base_why = self.classifier.classify(license_id)
        rule = self.classifier.exception_rule(exception_id)
        if rule is None:
            # not in the table: its ScanCode category may restrict (a use restriction takes
            # rights away), but says nothing of when it would relax, so it never does
            base = self._leaf(
                name, base_class, f"{base_why}; {exception_id} relaxes nothing", context
            )
            derived, derived_why = self.classifier.classify(exception_id)
            if derived in OPEN_SOURCE_CLASSES:
                return base  # an open source category grants permissions: it adds no duty
            restricted = self._leaf(name, derived, f"{exception_id}: {derived_why}", context)
            return restricted if restricted.outcome.rank > base.outcome.rank else base
        if not rule.is_written_for(license_id):
            why = (
                f"{base_why}; {exception_id} is written for {', '.join(rule.written_for)}: it"
                f" grants nothing on {license_id} ({rule.reason})"
            )
            return self._leaf(name, base_class, why, context, compat_id=license_id)
        if rule.only_if is not None and not self._holds(rule.only_if, context):
            why = (
                f"{base_why}; {exception_id} applies only to {CONDITIONS[rule.only_if]}:"
                f" {rule.reason}"
            )
            return self._leaf(name, base_class, why, context)
        if rule.klass is None:
            why = f"{base_why}; {exception_id} changes no class: {rule.reason}"
            return self._leaf(name, base_class, why, context)
        why = f"{exception_id} makes {license_id} {rule.klass.value}: {rule.reason}"
        if rule.klass not in OPEN_SOURCE_CLASSES:
            # it takes rights away: whichever of the two is stricter decides
            base = self._leaf(name, base_class, base_why, context)
            restricted = self._leaf(name, rule.klass, why, context)
            return restricted if restricted.outcome.rank >= base.outcome.rank else base
        if base_class not in OPEN_SOURCE_CLASSES:
            why = (
                f"{base_why}; {exception_id} adds permissions to an open source license and"
                f" cannot make {license_id} ({base_class.value}) an open source license"
            )
            return self._leaf(name, base_class, why, context, compat_id=license_id)
        if _OPEN_SOURCE_ORDER.index(rule.klass) > _OPEN_SOURCE_ORDER.index(base_class):
            why = (
                f"{base_why}; {exception_id} only adds permissions, and {license_id} already"
                f" asks less than {rule.klass.value} ({rule.reason})"
            )
            return self._leaf(name, base_class, why, context, compat_id=license_id)
        return self._leaf(name, rule.klass, why, context)

    def _holds(self, condition: ExceptionCondition, context: Context) -> bool:
        if condition is ExceptionCondition.OBJECT_FORM:
            return context.profile is not Profile.SOURCE or not context.shipped
        outbound = licensing.licenses_of(context.outbound) if context.outbound else ()
        return (
            context.profile is Profile.SOURCE
            and bool(outbound)
            and all(
                self.classifier.classify(i.partition(" WITH ")[0])[0] in OPEN_SOURCE_CLASSES
                for i in outbound
            )
        )

    def _leaf(
        self,
        license_id: str,
        klass: LicenseClass,
        why: str,
        context: Context,
        *,
        compat_id: str | None = None,
    ) -> Verdict:
        """The verdict on one license (or ``X WITH E``) of class ``klass``; ``compat_id`` is
        what compatibility judges where an exception adds nothing to the license."""
        outcome = self._matrix_outcome(klass, context)
        where = (
            f"the {context.profile.value} profile" if context.shipped else "a dev/test dependency"
        )
        if klass is LicenseClass.WEAK_COPYLEFT_LIBRARY and context.shipped:
            where += f", {context.linkage.value} linking"
        compat_note = ""
        incompatible = False
        if context.profile is Profile.SOURCE and context.shipped and context.outbound:
            compat, rationale = compatibility(context.outbound, compat_id or license_id, klass)
            compat_note = f"; {compat.value} with the outbound {context.outbound}: {rationale}"
            if compat is Compatibility.INCOMPATIBLE:
                outcome, incompatible = Outcome.DENY, True
            elif compat is Compatibility.REVIEW and outcome.rank < Outcome.REVIEW.rank:
                outcome = Outcome.REVIEW
        reason = f"{license_id} is {klass.value} ({why}): {outcome.value} for {where}{compat_note}"
        return Verdict(
            outcome=outcome,
            expression=license_id,
            reasons=(reason,),
            licenses=((license_id, klass),),
            incompatible=incompatible,
        )

    def _matrix_outcome(self, klass: LicenseClass, context: Context) -> Outcome:
        matrix = self._profiles[context.profile.value] if context.shipped else self._non_shipped
        spec = matrix.get(klass.value, "review")
        if isinstance(spec, Mapping):
            spec = spec[context.linkage.value]
        return Outcome(spec)

    def _elected_last(self, verdict: Verdict) -> bool:
        return any(
            lid.partition(" WITH ")[0].lower() in self._elect_last for lid, _ in verdict.licenses
        )

    def _class_rank(self, verdict: Verdict) -> int:
        return max((self._preference.get(c, 99) for _, c in verdict.licenses), default=99)

    def obligations(self, verdict: Verdict) -> tuple[str, ...]:
        """Return what the licenses that apply ask of the product."""
        return self.obligations_of(verdict.licenses)

    @lru_cache(maxsize=4096)  # noqa: B019 - one Judge per evaluation; bounded
    def obligations_of(self, licenses: tuple[tuple[str, LicenseClass], ...]) -> tuple[str, ...]:
        """Return what these (license, class) pairs ask of the product."""
        data = obligations_data()
        out: list[str] = []
        for license_id, klass in licenses:
            for item in [
                *data["classes"].get(klass.value, []),
                *data["licenses"].get(_obligations_key(license_id), []),
            ]:
                if item not in out:
                    out.append(item)
        return tuple(out)


def _obligations_key(license_id: str) -> str:
    """The SPDX id whose duties ``license_id`` brings: its license without the exception,
    "or later" or ScanCode's name (the recipient may always take the version named)."""
    base = license_id.partition(" WITH ")[0]
    info = license_table().lookup(base)
    return info.spdx if info is not None else base.removesuffix("+")


def compatibility(outbound: str, inbound: str, klass: LicenseClass) -> tuple[Compatibility, str]:
    """Whether ``inbound`` code may go into a project under ``outbound``, and why.

    A compound outbound expression must accept the inbound license in every alternative
    (recipients may pick any of them). An outbound ``X WITH E`` is ``X`` with a permission
    the project grants on its code: copyleft code that does not carry ``E`` cannot be offered
    with it.
    """
    outbound_licenses = licensing.licenses_of(outbound) or (outbound,)
    # the rules name licenses by their SPDX ids: "gpl-2.0+" is GPL-2.0-or-later
    named = licensing.licenses_of(inbound)
    inbound = named[0] if len(named) == 1 else inbound
    worst = (Compatibility.COMPATIBLE, "")
    order = {Compatibility.COMPATIBLE: 0, Compatibility.REVIEW: 1, Compatibility.INCOMPATIBLE: 2}
    for out_license in outbound_licenses:
        out_id, _, granted = out_license.partition(" WITH ")
        verdict = _compatibility_one(out_id, inbound, klass)
        carried = inbound.partition(" WITH ")[2]
        if (
            granted
            and verdict[0] is Compatibility.COMPATIBLE
            and carried.lower() != granted.lower()
            and klass not in (LicenseClass.PUBLIC_DOMAIN, LicenseClass.PERMISSIVE)
        ):
            verdict = (
                Compatibility.REVIEW,
                f"the project grants {granted} on its {out_id} code; {inbound} code does not"
                " carry it, so the exception cannot cover that code: the OSRB decides (policy)",
            )
        if order[verdict[0]] >= order[worst[0]]:
            worst = verdict
    return worst


#: Classes a WITH exception can give that decide on their own: it lifts the copyleft of the
#: license it modifies, or it takes rights away (Commons Clause).
_LIFTED = (LicenseClass.PUBLIC_DOMAIN, LicenseClass.PERMISSIVE)
_RESTRICTED = (LicenseClass.SOURCE_AVAILABLE, LicenseClass.NON_COMMERCIAL, LicenseClass.PROPRIETARY)


def _compatibility_one(
    outbound: str, inbound: str, klass: LicenseClass
) -> tuple[Compatibility, str]:
    """The same license is compatible (unless an exception takes rights away); otherwise the
    most specific rule wins: the whole ``X WITH E``, then ``E``, then ``X``, then the class;
    the outbound license's own rules before the ``common`` ones."""
    base, _, exception = inbound.partition(" WITH ")
    # "X+": the recipient may always take X itself, and no later version exists to judge
    version = base.removesuffix("+")
    if version == outbound and not (exception and klass in _RESTRICTED):
        return Compatibility.COMPATIBLE, "the same license"
    data = compatibility_data()
    tables = (data["outbound"].get(outbound, data["fallback"]), data["common"])
    if exception:
        found = _rule(tables, "ids", inbound) or _rule(tables, "exceptions", exception)
        if found:
            return found
        if klass in (*_LIFTED, *_RESTRICTED) and (found := _rule(tables, "classes", klass.value)):
            verdict, why = found
            return verdict, f"the policy takes {exception} to make {base} {klass.value}: {why}"
    found = (
        _rule(tables, "ids", base)
        or _rule(tables, "ids", version)
        or _rule(tables, "classes", klass.value)
    )
    if found:
        return found
    return Compatibility.REVIEW, f"no compatibility rule covers {inbound}: the OSRB decides"


def _rule(
    tables: tuple[Mapping[str, Any], ...], key: str, name: str
) -> tuple[Compatibility, str] | None:
    """The verdict and reason (with its source) of the first rule whose ``key`` lists ``name``."""
    for table in tables:
        for verdict in Compatibility:
            for rule in table.get(verdict.value, ()):
                if name in rule.get(key, ()):
                    return verdict, f"{rule['rationale']} ({rule['source']})"
    return None
