# SPDX-License-Identifier: Apache-2.0
"""The review board's packet (``ospo packet``): its twelve sections from a real scan, in
HTML opened by a real browser, in PDF read back by pdftotext, and in Markdown against
golden files (``pytest --update-golden`` rewrites them and ``docs/packet.png``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from conftest import run_ospo
from ospo import inventory_json
from ospo.api import CheckSettings, check_inventory, release_packet
from ospo.model import (
    Component,
    FileEntry,
    Inventory,
    IssueKind,
    LicenseEvidence,
    LicenseSource,
    ScanInfo,
    ScanIssue,
    Scope,
    Subject,
)
from ospo.packet import BOARD_ROLES, SECTIONS, Packet, build_packet, render_packet, roles_for
from ospo.policy import load_policy

REAL = Path(
    os.environ.get("OSPO_REAL_PACKAGES", Path(__file__).parents[1] / "build" / "real-packages")
)
GOLDEN = Path(__file__).parent / "data" / "packet"
SCREENSHOT = Path(__file__).parents[1] / "docs" / "packet.png"
TODAY = "2026-12-01"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> dict[str, Path]:
    """A product whose dependencies are the real installed packages, scanned once, and the
    inventory of its previous release with known differences."""
    if not (REAL / ".installed").is_file():
        pytest.fail(f"the real packages are not installed in {REAL}: run `make install`")
    work = tmp_path_factory.mktemp("packet")
    tree = work / "acme-console"
    tree.mkdir()
    (tree / ".ospo.yml").write_text(
        "product:\n  name: acme-console\n  version: 2.0.0\n  license: Apache-2.0\n",
        encoding="utf-8",
    )
    out = work / "inventory.json"
    ran = run_ospo(
        *("scan", tree, "--env", REAL / "site-packages", "--env", REAL / "npm" / "node_modules"),
        *("-o", out, "-q"),
        env={"OSPO_CACHE_DIR": str(session_cache)},
    )
    assert ran.returncode == 0, ran.stderr
    now = inventory_json.load(out)
    by_name = {c.name: c for c in now.components}
    # the previous release: typescript came since, core-js was older, esprima was declared
    # MIT then, dompurify's effective license offered GPL-2.0 where it now offers
    # Apache-2.0, and left-pad has gone since
    before = [c for c in now.components if c.name != "typescript"]
    before = [
        replace(c, version="3.40.0", purl="pkg:npm/core-js@3.40.0")
        if c.name == "core-js"
        else replace(
            c,
            license_expression="MIT",
            licenses=(LicenseEvidence(expression="MIT", source=LicenseSource.DECLARED),),
        )
        if c.name == "esprima"
        else replace(c, license_expression="MPL-2.0 OR GPL-2.0-only")
        if c.name == "dompurify"
        else c
        for c in before
    ]
    before.append(
        Component(
            purl="pkg:npm/left-pad@1.3.0",
            name="left-pad",
            version="1.3.0",
            license_expression="WTFPL",
            licenses=(LicenseEvidence(expression="WTFPL", source=LicenseSource.DECLARED),),
        )
    )
    assert {"typescript", "core-js", "esprima"} <= by_name.keys()
    baseline = work / "baseline.json"
    baseline.write_text(
        inventory_json.dumps(
            replace(
                now,
                subject=replace(now.subject, version="1.9.0"),
                components=tuple(before),
            )
        ),
        encoding="utf-8",
    )
    return {"tree": tree, "inventory": out, "baseline": baseline, "work": work}


def _packet_text(release: dict[str, Path], tmp_path: Path, fmt: str, *args: str) -> str:
    out = tmp_path / f"packet.{fmt}"
    # the product's tree is named, so its .ospo.yml and .ospo/waivers.yml are the ones read
    ran = run_ospo(
        "packet",
        release["tree"],
        *("--inventory", release["inventory"], "--format", fmt, "-o", out, "--today", TODAY),
        *args,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == ""
    assert f"wrote the {fmt} packet to {out}" in ran.stderr
    return out.read_text(encoding="utf-8") if fmt != "pdf" else _pdftotext(out)


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _masked(text: str) -> str:
    """The Markdown with the digests masked: they change with every policy edit."""
    return re.sub(r"\b[0-9a-f]{16}…", "<sha256>…", text)


# -- golden Markdown -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("binary", ()),
        ("internal", ("--profile", "internal")),
        ("saas", ("--profile", "saas")),
        ("source-since-1.9.0", ("--profile", "source", "--baseline", "BASELINE")),
    ],
)
def test_markdown_matches_golden(
    release: dict[str, Path], tmp_path: Path, update_golden: bool, name: str, args: tuple
) -> None:
    args = tuple(str(release["baseline"]) if a == "BASELINE" else a for a in args)
    text = _masked(_packet_text(release, tmp_path, "md", *args))
    golden = GOLDEN / f"{name}.md"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    for number, (_, title) in enumerate(SECTIONS, 1):
        assert f"\n## {number}. {title}\n" in text


# -- what the sections hold --------------------------------------------------------------


def test_banner_says_not_approved_while_decisions_pend(
    release: dict[str, Path], tmp_path: Path
) -> None:
    text = _packet_text(release, tmp_path, "md")
    banner = next(line for line in text.splitlines() if line.startswith("> "))
    assert banner.startswith("> **NOT APPROVED — ")
    assert "decisions pending" in banner
    assert "no valid sign-off from engineering, product, legal, compliance" in banner
    assert "**Gate: decisions pending**" in text


def test_changes_since_the_baseline(release: dict[str, Path]) -> None:
    inventory = inventory_json.load(release["inventory"])
    packet = release_packet(
        inventory,
        CheckSettings(baseline_path=release["baseline"], today=_date(TODAY)),
    )
    changes = packet.changes
    assert changes.baseline == "acme-console 1.9.0"
    assert [a for a in changes.added if a.startswith("typescript ")] == list(changes.added)
    assert changes.removed == ("left-pad 1.3.0",)
    assert changes.upgraded == (("core-js", "3.40.0", "3.47.0"),)
    esprima = {(c.source, c.before, c.after) for c in changes.licenses if c.name == "esprima"}
    # the baseline's esprima was declared MIT and had no license file read
    assert esprima == {
        ("declared", "MIT", "BSD-2-Clause"),
        ("detected", None, "BSD-2-Clause"),
        ("effective", "MIT", "BSD-2-Clause"),
    }
    # dompurify's effective license changed, and with it the alternative elected
    dompurify = {(c.source, c.before, c.after) for c in changes.licenses if c.name == "dompurify"}
    assert dompurify == {
        ("effective", "MPL-2.0 OR GPL-2.0-only", "MPL-2.0 OR Apache-2.0"),
        ("elected", "MPL-2.0", "Apache-2.0"),
    }
    assert {c.name for c in changes.licenses} == {"esprima", "dompurify"}
    # typescript is new, so its finding is asked about; atob's finding was there in the
    # approved release, on the same version and license: not asked again
    asked = {d.name for d in packet.decisions}
    assert "typescript" in asked
    assert "atob" not in asked
    assert any(c.startswith("atob 2.1.2: ") for c in changes.carried_over)
    assert all(f.startswith(("license/", "consumption/")) for f in changes.new_findings)
    assert any("pkg:npm/typescript@" in f for f in changes.new_findings)
    assert changes.waivers_added is None  # the baseline does not record its decisions


def test_without_a_baseline_the_packet_says_so(release: dict[str, Path]) -> None:
    inventory = inventory_json.load(release["inventory"])
    packet = release_packet(inventory, CheckSettings(today=_date(TODAY)))
    assert packet.changes.baseline is None
    assert packet.identity.baseline is None
    assert {d.name for d in packet.decisions} >= {"atob", "typescript"}


def test_a_transitive_component_shows_the_path_to_it() -> None:
    def npm(name: str, license: str, *deps: str, direct: bool = False) -> Component:
        return Component(
            purl=f"pkg:npm/{name}@1.0.0",
            name=name,
            version="1.0.0",
            direct=direct,
            license_expression=license,
            dependencies=tuple(f"pkg:npm/{d}@1.0.0" for d in deps),
        )

    inventory = Inventory(
        subject=Subject(name="app"),
        components=(
            npm("web", "MIT", "router", "lgpl-lib", direct=True),
            npm("router", "MIT", "parser"),
            npm("parser", "MIT", "deep-lgpl"),
            npm("deep-lgpl", "LGPL-2.1-only"),
            npm("lgpl-lib", "LGPL-2.1-only"),
            npm("orphan-lgpl", "LGPL-3.0-only"),
        ),
    )
    packet = build_packet(
        check_inventory(inventory, CheckSettings(today=_date(TODAY))), load_policy()
    )
    # npm code is bundled (static linkage): library copyleft needs the board under binary
    decided = {d.name: d for d in packet.decisions}
    assert decided.keys() == {"deep-lgpl", "lgpl-lib", "orphan-lgpl"}
    assert decided["deep-lgpl"].dependency_path == ("web", "router", "parser")
    assert decided["lgpl-lib"].dependency_path == ("web",)
    assert decided["orphan-lgpl"].dependency_path == ()
    assert all(d.roles == ("legal",) for d in decided.values())
    text = render_packet(packet, "md")
    assert "transitive through web → router → parser |" in text
    assert "transitive (the inventory records no path to it) |" in text


def test_packet_of_a_real_sbom_follows_its_dependency_graph(tmp_path: Path) -> None:
    sbom = Path(__file__).parent / "data" / "sbom" / "npm-webapp.cyclonedx-npm.cdx.json"
    out = tmp_path / "packet.md"
    ran = run_ospo(
        "packet", tmp_path, "--sbom", sbom, "--format", "md", "-o", out, "--today", TODAY
    )
    assert ran.returncode == 0, ran.stderr
    text = out.read_text(encoding="utf-8")
    assert "**Gate: decisions pending** — 116 components, 82 shipped." in text
    assert "82 shipped components; 34 dev and test components are not shipped" in text
    assert "| ScanCode | not used |" in text
    # jsonify declares "Public Domain", not an SPDX expression: the board is asked, and
    # told which direct dependency brings it
    assert "### jsonify 0.0.1 — license/unknown" in text
    assert (
        "| Component | pkg:npm/jsonify@0.0.1, scope runtime, transitive through "
        "json-stable-stringify |" in text
    )
    assert "- pkg:npm/jsonify@0.0.1: declared license is not an SPDX expression" in text


def test_packet_of_a_tree_reads_its_ospo_yml(tmp_path: Path) -> None:
    tree = tmp_path / "tool"
    tree.mkdir()
    (tree / ".ospo.yml").write_text(
        "product:\n  name: tool\n  version: 0.3.0\n  license: MIT\nprofile: source\n",
        encoding="utf-8",
    )
    (tree / "main.py").write_text(
        "# SPDX-License-Identifier: GPL-3.0-only\nprint('hello')\n", encoding="utf-8"
    )
    out = tmp_path / "packet.md"
    ran = run_ospo("packet", tree, "--format", "md", "-o", out, "--today", TODAY)
    assert ran.returncode == 0, ran.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Open Source Review Board packet: tool 0.3.0\n")
    assert "| Distribution profile | source |" in text
    assert "Outbound license: MIT" in text
    # a first-party file under another license than the product's
    assert "- main.py: GPL-3.0-only" in text


def test_decisions_name_their_role_from_the_policy(
    release: dict[str, Path], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\nextends: default\nroles:\n  license/mismatch: [compliance, legal]\n",
        encoding="utf-8",
    )
    inventory = inventory_json.load(release["inventory"])
    packet = release_packet(inventory, CheckSettings(policy_path=policy, today=_date(TODAY)))
    mismatches = [d for d in packet.decisions if d.rule == "license/mismatch"]
    assert mismatches
    assert {d.roles for d in mismatches} == {("compliance", "legal")}
    by_role = dict(packet.summary.by_role)
    assert by_role["compliance"] == by_role["legal"] == len(mismatches)
    # the shipped default: the family decides, a rule id wins over it, others go to the board
    default = load_policy()
    assert roles_for("license/review", default) == ("legal",)
    assert roles_for("consumption/denied-package", default) == ("engineering",)
    assert roles_for("contribution/dco", default) == ("engineering", "product")
    assert roles_for("waiver/expired", default) == ("compliance",)
    assert roles_for("health/dormant", default) == ("osrb",)
    assert roles_for("license/mismatch", load_policy(policy)) == ("compliance", "legal")
    assert roles_for("license/review", load_policy(policy)) == ("legal",)


def test_a_bad_roles_entry_is_a_policy_error(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text("version: 1\nextends: default\nroles:\n  license: [lawyer]\n", "utf-8")
    ran = run_ospo("policy", "validate", policy)
    assert ran.returncode == 2
    assert "roles" in ran.stderr and "lawyer" in ran.stderr


def test_obligations_checklist_names_the_notice(release: dict[str, Path]) -> None:
    inventory = inventory_json.load(release["inventory"])
    packet = release_packet(inventory, CheckSettings(today=_date(TODAY)))
    rows = {o.kind: o for o in packet.obligations}
    assert list(rows) == [
        "attribution",
        "license text",
        "NOTICE carry-over",
        "state changes",
        "source offer",
        "network source offer",
        "relinking",
        "file-level source",
    ]
    assert rows["attribution"].artifact == "NOTICE (ospo notice)"
    assert rows["attribution"].status == "to fulfil"
    assert rows["NOTICE carry-over"].licenses == ("Apache-2.0",)
    assert "pkg:npm/typescript@5.9.3" in rows["NOTICE carry-over"].components
    # nothing under a network copyleft license ships in these packages
    assert rows["network source offer"].status == "not triggered"
    assert rows["network source offer"].components == ()


def test_contribution_section_only_for_source(release: dict[str, Path]) -> None:
    inventory = inventory_json.load(release["inventory"])
    binary = release_packet(inventory, CheckSettings(today=_date(TODAY)))
    source = release_packet(inventory, CheckSettings(profile="source", today=_date(TODAY)))
    assert binary.contribution is None
    assert source.contribution is not None
    # the tree holds only .ospo.yml: the files a published project needs are missing
    assert any(v.rule == "contribution/missing-file" for v in source.contribution)
    assert source.outbound_license == "Apache-2.0"


WAIVERS = """\
version: 1
waivers:
  - rule: license/mismatch
    component: pkg:npm/atob
    decision: approve
    reason: "CC-BY-3.0 covers atob's documentation, which the product does not ship"
    approver: Jane Counsel
    role: legal
    ticket: OSRB-7
    date: 2026-11-20
    expires: 2026-12-20
  - rule: license/review
    component: pkg:npm/left-pad
    decision: approve
    reason: reviewed in 2025
    approver: Sam Officer
    role: compliance
    date: 2025-01-01
  - rule: license/mismatch
    component: pkg:npm/typescript
    decision: approve
    reason: reviewed for 5.x
    approver: Jane Counsel
    role: legal
    date: 2025-01-01
    expires: 2026-06-30
"""


def test_waivers_in_force_expiring_expired_and_unused(
    release: dict[str, Path], tmp_path: Path
) -> None:
    waivers = tmp_path / "waivers.yml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    inventory = inventory_json.load(release["inventory"])
    packet = release_packet(inventory, CheckSettings(waivers_path=waivers, today=_date(TODAY)))
    (row,) = packet.waivers
    assert (row.subject, row.approver, row.role, row.ticket, row.date, row.expires) == (
        "pkg:npm/atob@2.1.2",
        "Jane Counsel",
        "legal",
        "OSRB-7",
        "2026-11-20",
        "2026-12-20",
    )
    assert row.note == "expires within 30 days (2026-12-20)"
    assert row.source == f"{waivers}:3"
    assert [w for w in packet.unused_waivers if "left-pad" in w] == list(packet.unused_waivers)
    assert len(packet.expired_waivers) == 1 and "expired on 2026-06-30" in packet.expired_waivers[0]
    asked = {(d.rule, d.name) for d in packet.decisions}
    # the waived finding is not asked about; the one whose waiver expired is, and so is
    # the expired waiver itself, by compliance
    assert ("license/mismatch", "atob") not in asked
    assert ("license/mismatch", "typescript") in asked
    expired = next(d for d in packet.decisions if d.rule == "waiver/expired")
    assert expired.roles == ("compliance",)
    assert dict((s, w) for s, _, w in packet.summary.by_severity)["warning"] == 1
    text = render_packet(packet, "md")
    assert "| license/mismatch | pkg:npm/atob@2.1.2 | approve | Jane Counsel, legal |" in text
    # a waiver that is not within 30 days of its end is simply active
    later = release_packet(
        inventory, CheckSettings(waivers_path=waivers, today=_date("2026-11-01"))
    )
    assert [w.note for w in later.waivers] == ["active"]


def test_elections_are_listed_with_the_inventory(release: dict[str, Path]) -> None:
    inventory = inventory_json.load(release["inventory"])
    packet = release_packet(inventory, CheckSettings(today=_date(TODAY)))
    dompurify = next(e for e in packet.elections if e.component.startswith("pkg:npm/dompurify@"))
    assert dompurify.expression == "MPL-2.0 OR Apache-2.0"
    assert dompurify.elected == "Apache-2.0"  # permissive before weak copyleft
    row = next(r for r in packet.inventory if r.name == "dompurify")
    assert (row.license, row.elected) == ("MPL-2.0 OR Apache-2.0", "Apache-2.0")
    assert all(e.expression and e.elected for e in packet.elections)


def test_unknowns_are_never_dropped() -> None:
    inventory = Inventory(
        subject=Subject(name="unknowns"),
        files=(
            FileEntry(
                path="assets/huge.bin",
                sha256="0" * 64,
                size=10**9,
                license_expression=None,
                scanned=False,
            ),
        ),
        components=(
            Component(
                purl="pkg:pypi/mystery@1.0",
                name="mystery",
                version="1.0",
                unknown_reason="no license metadata and no license file",
            ),
            Component(
                purl="pkg:npm/inhouse@2.0.0",
                name="inhouse",
                version="2.0.0",
                license_expression="LicenseRef-acme-internal",
            ),
            Component(
                purl="pkg:npm/ok@1.0.0", name="ok", version="1.0.0", license_expression="MIT"
            ),
        ),
        scan=ScanInfo(
            issues=(
                ScanIssue(
                    kind=IssueKind.MANIFEST, path="package-lock.json", message="not valid JSON"
                ),
            )
        ),
    )
    packet = build_packet(
        check_inventory(inventory, CheckSettings(today=_date(TODAY))), load_policy()
    )
    assert packet.unknowns.components == (
        ("pkg:pypi/mystery@1.0", "no license metadata and no license file"),
    )
    assert packet.unknowns.licenses_without_text == (("LicenseRef-acme-internal", "inhouse"),)
    assert packet.unknowns.files == (
        ("assets/huge.bin", "not scanned"),
        ("package-lock.json", "manifest: not valid JSON"),
    )
    assert "unknown" in dict((b.label, b.count) for b in packet.summary.license_chart)
    text = render_packet(packet, "md")
    assert "- pkg:pypi/mystery@1.0: no license metadata and no license file" in text
    assert "- LicenseRef-acme-internal: inhouse" in text


# -- sign-off ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    role: str
    name: str
    decision: str
    conditions: str | None = None
    date: str = "2026-12-02"
    valid: bool = True


def _clean_inventory() -> Inventory:
    """A release with nothing to decide: one permissive component, shipped as a service."""
    return Inventory(
        subject=Subject(name="clean", version="1.0"),
        components=(
            Component(
                purl="pkg:pypi/idna@3.10",
                name="idna",
                version="3.10",
                license_expression="BSD-3-Clause",
                licenses=(
                    LicenseEvidence(expression="BSD-3-Clause", source=LicenseSource.DECLARED),
                ),
            ),
        ),
    )


def _clean_packet(signoffs: tuple[Signed, ...]) -> Packet:
    judged = check_inventory(
        _clean_inventory(), CheckSettings(profile="internal", today=_date(TODAY))
    )
    return build_packet(judged, load_policy(), signoffs=signoffs)


def test_blank_signoff_lines_until_signed() -> None:
    packet = _clean_packet(())
    assert [r.role for r in packet.signoff] == list(BOARD_ROLES)
    assert all(r.name == r.decision == r.date == "" for r in packet.signoff)
    assert packet.summary.verdict == "pass"
    assert packet.banner == (
        "NOT APPROVED — no valid sign-off from engineering, product, legal, compliance"
    )
    text = render_packet(packet, "md")
    assert "| legal |  |  |  |  |" in text


def test_approved_when_every_role_approves() -> None:
    signed = tuple(Signed(role=r, name=f"{r} lead", decision="approve") for r in BOARD_ROLES)
    packet = _clean_packet(
        (
            *signed[:3],
            Signed(
                role="compliance",
                name="C",
                decision="approve-with-conditions",
                conditions="ship the NOTICE",
            ),
        )
    )
    assert packet.approved and packet.banner is None
    row = packet.signoff[3]
    assert (row.decision, row.conditions) == ("approve with conditions", "ship the NOTICE")
    html = render_packet(packet, "html")
    assert "NOT APPROVED" not in html and "APPROVED — every finding is decided" in html


def test_a_rejection_or_a_stale_signature_is_not_an_approval() -> None:
    signed = [Signed(role=r, name=f"{r} lead", decision="approve") for r in BOARD_ROLES]
    rejected = _clean_packet(
        (*signed[:2], Signed(role="legal", name="L", decision="reject"), signed[3])
    )
    assert rejected.banner == "NOT APPROVED — rejected by legal"
    stale = _clean_packet((*signed[:3], replace(signed[3], valid=False)))
    assert stale.banner == "NOT APPROVED — no valid sign-off from compliance"
    assert "no longer valid" in stale.signoff[3].note
    # the newest record of a role is the one that counts
    renewed = _clean_packet((*signed[:3], replace(signed[3], valid=False), signed[3]))
    assert renewed.approved


# -- untrusted text ------------------------------------------------------------------------


def _hostile_packet() -> Packet:
    inventory = Inventory(
        subject=Subject(name="victim"),
        components=(
            Component(
                purl="pkg:npm/evil@1.0.0",
                name=HOSTILE,
                version="1.0.0|2",
                direct=False,
                license_expression="MIT | `GPL-2.0-only`",
                licenses=(
                    LicenseEvidence(
                        expression="MIT | `GPL-2.0-only`",
                        source=LicenseSource.DECLARED,
                        location="<img src=x onerror=alert(2)>",
                        valid=False,
                    ),
                ),
            ),
        ),
    )
    judged = check_inventory(inventory, CheckSettings(today=_date(TODAY)))
    return build_packet(judged, load_policy())


def test_hostile_names_stay_text_in_html() -> None:
    html = render_packet(_hostile_packet(), "html")
    assert isinstance(html, str)
    assert HOSTILE not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()


def test_hostile_names_stay_text_in_markdown() -> None:
    text = render_packet(_hostile_packet(), "md")
    assert isinstance(text, str)
    assert HOSTILE not in text and "<img" not in text
    row = next(line for line in text.splitlines() if line.startswith("| &lt;script&gt;"))
    # six columns: seven unescaped bars, the license's own bar escaped
    assert len(re.findall(r"(?<!\\)\|", row)) == 7
    assert "MIT \\| \\`GPL-2.0-only\\`" in row and "1.0.0\\|2" in row


def test_hostile_names_stay_text_in_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "hostile.pdf"
    data = render_packet(_hostile_packet(), "pdf")
    assert isinstance(data, bytes)
    pdf.write_bytes(data)
    text = _pdftotext(pdf)
    assert HOSTILE in text
    assert "MIT | `GPL-2.0-only`" in text


# -- PDF ---------------------------------------------------------------------------------


def test_pdf_has_every_section_and_numbered_pages(release: dict[str, Path], tmp_path: Path) -> None:
    text = _packet_text(release, tmp_path, "pdf")
    for number, (_, title) in enumerate(SECTIONS, 1):
        assert f"{number}. {title}" in text, title
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "packet.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 5
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert text.count("\f") >= pages - 1
    # every page says so, in its header, so no page can pass for an approval
    assert all("NOT APPROVED" in page for page in text.split("\f")[:pages])


# -- HTML in a real browser ----------------------------------------------------------------


def test_html_is_self_contained(release: dict[str, Path], tmp_path: Path) -> None:
    html = _packet_text(release, tmp_path, "html")
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">" in html
    )
    lowered = html.lower()
    for tag in ("<script", "<link", "<img", "<iframe", "<object", "@import", "url("):
        assert tag not in lowered
    assert re.findall(r"\bsrc\s*=", lowered) == []
    assert {h for h in re.findall(r'href="([^"]*)"', html) if not h.startswith("#")} == set()
    assert lowered.count("<svg") == 2
    assert "@media print" in html and "counter(pages)" in html


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs Debian's chromium (make install)"
)
def test_html_in_headless_chromium(
    release: dict[str, Path], tmp_path: Path, update_golden: bool
) -> None:
    _packet_text(release, tmp_path, "html")
    page = (tmp_path / "packet.html").as_uri()
    browser = [
        "chromium",
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        f"--user-data-dir={tmp_path / 'profile'}",
        # every host name resolves to nothing, so nothing can leave the machine
        "--host-resolver-rules=MAP * ~NOTFOUND",
        # the console on stderr: a fetch the page's policy blocks is logged there
        "--enable-logging=stderr",
        "--v=0",
        "--log-level=0",
    ]
    dom = subprocess.run(
        [*browser, "--dump-dom", page], capture_output=True, text=True, timeout=120, check=True
    )
    for section, _ in SECTIONS:
        assert f'<section id="{section}">' in dom.stdout, section
    assert "NOT APPROVED" in dom.stdout
    assert "Content Security Policy" not in dom.stderr  # the page tried to fetch nothing
    # the same page with one fetch slipped in: its policy blocks it, and the log shows it
    html = (tmp_path / "packet.html").read_text(encoding="utf-8")
    tampered = tmp_path / "tampered.html"
    tampered.write_text(
        html.replace("</body>", '<img src="https://example.invalid/pixel.png"></body>'), "utf-8"
    )
    blocked = subprocess.run(
        [*browser, "--dump-dom", tampered.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "'https://example.invalid/pixel.png' violates the following Content Security" in (
        blocked.stderr
    )
    shot = tmp_path / "packet.png"
    subprocess.run(
        [*browser, f"--screenshot={shot}", "--window-size=1280,2000", page],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one
    if update_golden:
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- the command ---------------------------------------------------------------------------


def test_template_dir_overrides_the_shipped_templates(
    release: dict[str, Path], tmp_path: Path
) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "packet.md.j2").write_text(
        "Acme packet for {{ p.identity.product }}: {{ p.decisions|length }} decisions\n", "utf-8"
    )
    text = _packet_text(release, tmp_path, "md", "--template-dir", str(own))
    assert re.fullmatch(r"Acme packet for acme-console: \d+ decisions\n", text)
    # what the directory lacks comes from the shipped templates
    html = _packet_text(release, tmp_path, "html", "--template-dir", str(own))
    assert '<section id="openchain">' in html


def test_a_broken_template_is_an_input_error(release: dict[str, Path], tmp_path: Path) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "packet.md.j2").write_text("line one\n{% for x %}\n", "utf-8")
    out = tmp_path / "p.md"
    ran = run_ospo(
        "packet",
        "--inventory",
        release["inventory"],
        "--format",
        "md",
        "--template-dir",
        own,
        "-o",
        out,
    )
    assert ran.returncode == 2
    assert f"{own / 'packet.md.j2'}:2: template error" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert not out.exists()


def test_usage_errors(release: dict[str, Path], tmp_path: Path) -> None:
    no_output = run_ospo("packet", "--inventory", release["inventory"])
    assert no_output.returncode == 2 and "-o" in no_output.stderr
    both = run_ospo(
        "packet",
        "--inventory",
        release["inventory"],
        "--sbom",
        release["inventory"],
        "-o",
        tmp_path / "p.html",
    )
    assert both.returncode == 2 and "not both" in both.stderr
    not_json = tmp_path / "not.json"
    not_json.write_text("{", "utf-8")
    bad = run_ospo("packet", "--inventory", not_json, "-o", tmp_path / "p.html")
    assert bad.returncode == 2 and str(not_json) in bad.stderr
    assert not (tmp_path / "p.html").exists()


# -- size ----------------------------------------------------------------------------------


def _large(n: int) -> Inventory:
    licenses = ["MIT", "Apache-2.0", "LGPL-2.1-only", "GPL-3.0-only", "MIT OR GPL-2.0-only", None]
    return Inventory(
        subject=Subject(name="large"),
        components=tuple(
            Component(
                purl=f"pkg:npm/p{i}@1.{i}.0",
                name=f"p{i}",
                version=f"1.{i}.0",
                direct=i < 10,
                scope=Scope.DEV if i % 11 == 0 else Scope.RUNTIME,
                license_expression=licenses[i % 6],
                dependencies=tuple(
                    f"pkg:npm/p{j}@1.{j}.0" for j in (2 * i + 1, 2 * i + 2) if j < n
                ),
            )
            for i in range(n)
        ),
    )


def test_a_large_inventory_is_rendered_whole() -> None:
    """10,000 components: every shipped one is in the packet and every finding is placed.
    (How long it takes is the benchmark's to measure, not a test's.)"""
    policy = load_policy()
    judged = check_inventory(_large(10_000), CheckSettings(today=_date(TODAY)))
    packet = build_packet(judged, policy)
    html = render_packet(packet, "html")
    assert html.count("<tr><td>p") >= 10_000 * 10 // 11
    assert len(packet.decisions) + len(packet.violations) > 10_000 // 3


def _date(text: str) -> date:
    return date.fromisoformat(text)
