# SPDX-License-Identifier: Apache-2.0
"""Reference documents generated from the shipped policy data, for counsel to review.

``docs/policy-compatibility.md`` is :func:`compatibility_reference` of
``policies/compatibility.yml``, ``docs/policy-classes.md`` is :func:`classes_reference` of
the default policy; tests regenerate them and compare, so they cannot drift. Regenerate
with ``python -m ospo.policy.reference [compatibility|classes] > docs/policy-<that>.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from ospo.policy.loader import Policy, compatibility_data
from ospo.policy.model import Compatibility, LicenseClass

_INTRO = """\
# License compatibility (the `source` profile)

<!-- Generated from policies/compatibility.yml by ospo.policy.reference: do not edit. -->

Under the `source` profile every inbound license must be compatible with the product's
outbound license: can code under the **inbound** license go **into** a project published
under the **outbound** license? Each row below is one rule of
[`policies/compatibility.yml`](../policies/compatibility.yml): the inbound licenses it
covers, the verdict, the reason and its source. A finding quotes the reason and the source.

How a verdict is found, for inbound code under `X` (or `X WITH E`):

1. `X` is the outbound license itself: compatible, the same license (unless the policy
   says the exception `E` takes rights away).
2. The most specific rule wins: one naming the whole `X WITH E`, then one naming the
   exception `E`, then one naming `X`, then one naming the class of the license. Where the
   policy says a WITH exception lifts the copyleft or takes rights away, the class it
   gives decides before `X` does.
3. At each step the outbound license's own rules come before the rules for every outbound
   license; an outbound license not listed uses the rules for any other outbound license.
4. A compound outbound expression (`A OR B`) must accept the inbound license under every
   alternative: the worst verdict counts.

Verdicts: **compatible** (allowed, with the inbound license's obligations), **review** (the
OSRB decides; the reason says what to check) and **incompatible** (a `license/incompatible`
error).
"""


def compatibility_reference() -> str:
    """Return the Markdown reference of the compatibility table, every rule with its verdict,
    reason and source."""
    data = compatibility_data()
    out = [_INTRO]
    out.append("## Sources\n\n| key | source |\n| --- | --- |")
    for key, source in data["sources"].items():
        title = _cell(source["title"])
        link = f"[{title}]({source['url']})" if "url" in source else title
        out.append(f"| `{key}` | {link} |")
    out.append("")
    groups: dict[int, list[str]] = {}
    entries: list[Mapping[str, Any]] = []
    for outbound, entry in data["outbound"].items():
        index = next((i for i, e in enumerate(entries) if e == entry), len(entries))
        if index == len(entries):
            entries.append(entry)
        groups.setdefault(index, []).append(outbound)
    out.append("## By outbound license\n")
    for index, names in groups.items():
        out.append(f"### Into {', '.join(names)}\n")
        out.extend(_table(entries[index]))
    out.append("## Into every outbound license\n")
    out.append("After the outbound license's own rules.\n")
    out.extend(_table(data["common"]))
    out.append("## Into any other outbound license\n")
    out.append("An outbound license with no rules of its own.\n")
    out.extend(_table(data["fallback"]))
    return "\n".join(out).rstrip("\n") + "\n"


def _table(entry: Mapping[str, Any]) -> list[str]:
    rows = ["| inbound | verdict | reason | source |", "| --- | --- | --- | --- |"]
    for verdict in Compatibility:
        for rule in entry.get(verdict.value, []):
            inbound = [f"`{i}`" for i in rule.get("ids", [])]
            inbound += [f"`WITH {e}`" for e in rule.get("exceptions", [])]
            inbound += [f"class {c}" for c in rule.get("classes", [])]
            rows.append(
                f"| {', '.join(inbound)} | {verdict.value} | {_cell(rule['rationale'])} "
                f"| {_cell(rule['source'])} |"
            )
    return [*rows, ""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


_CLASSES_INTRO = """\
# License classes and what each means per profile (the default policy)

<!-- Generated from policies/default.yml by ospo.policy.reference: do not edit. -->

Every license ScanCode knows gets a class: from ScanCode's category, refined by the
policy's lists and overrides (first match wins, in the order below). Each class then has an
outcome per distribution profile (`allow`, `obligations`, `review`, `deny`), and one for
dev and test dependencies, which do not ship. WITH exceptions are in
[policy-exceptions.md](policy-exceptions.md); outbound compatibility (the `source`
profile) in [policy-compatibility.md](policy-compatibility.md).
"""


def classes_reference(policy: Policy | None = None) -> str:
    """Return the Markdown reference of the policy's license classes and profile matrix."""
    from ospo.policy import load_policy

    data = (policy or load_policy(None)).data
    lic = data["licenses"]
    derive = lic.get("derive", {})
    out = [_CLASSES_INTRO, "## How a license gets its class\n"]
    out.append("| rule | licenses | class |")
    out.append("| --- | --- | --- |")
    for license_id, klass in lic.get("overrides", {}).items():
        out.append(f"| 1. the policy's override | `{license_id}` | {klass} |")
    network = ", ".join(f"`{i}`" for i in derive.get("network", []))
    out.append(f"| 2. network copyleft list | {network} | network-copyleft |")
    library = ", ".join(f"`{i}`" for i in derive.get("library_level", []))
    out.append(f"| 3. library-level copyleft list | {library} | weak-copyleft-library |")
    markers = ", ".join(f"`{m}`" for m in derive.get("non_commercial_markers", []))
    out.append(
        "| 4. a non-commercial marker as whole words of the ScanCode key, or of the name of "
        f"a license (not an exception) | {markers} | non-commercial |"
    )
    for category, klass in derive.get("categories", {}).items():
        out.append(f"| 5. ScanCode category | {_cell(category)} | {klass} |")
    out.append("| 6. anything else (not in ScanCode's database, invalid) | | unknown |")
    out.append("")
    profiles: Mapping[str, Mapping[str, Any]] = data["profiles"]
    names = list(profiles)
    out.append("## Outcomes by class and profile\n")
    out.append("| class | " + " | ".join(names) + " | dev and test dependencies |")
    out.append("| --- |" + " --- |" * (len(names) + 1))
    for klass in LicenseClass:
        cells = [_outcome(profiles[name].get(klass.value)) for name in names]
        cells.append(_outcome(data["non_shipped"].get(klass.value)))
        out.append(f"| {klass.value} | " + " | ".join(cells) + " |")
    preference = ", ".join(lic.get("preference", []))
    out.append(
        f"\nAn OR is decided by the mildest outcome, then in this order of class: {preference}."
    )
    if last := lic.get("elect_last"):
        out.append(
            "In a class, an alternative holding one of these licenses is elected last: "
            + ", ".join(f"`{i}`" for i in last)
            + "."
        )
    return "\n".join(out).rstrip("\n") + "\n"


def _outcome(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{linkage}: {outcome}" for linkage, outcome in value.items())
    return str(value)


if __name__ == "__main__":
    # python -m ospo.policy.reference [compatibility|classes] > docs/policy-<that>.md
    which = sys.argv[1] if len(sys.argv) > 1 else "compatibility"
    sys.stdout.write(classes_reference() if which == "classes" else compatibility_reference())
