# SPDX-License-Identifier: Apache-2.0
"""Legal scenarios, one row each: what careful counsel would conclude, and why.

Each row names the situation, ospo's expected answer under the default policy, and a
one-line legal reason with its source. The rows are judged by the real policy engine on
inventories shaped like the real thing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ospo.evaluation import Decision, Role, Severity
from ospo.model import Component, FileEntry, Inventory, LicenseEvidence, LicenseSource, Subject
from ospo.policy import evaluate, load_policy
from ospo.policy.judge import Context, Judge
from ospo.policy.model import Linkage, Outcome, Profile
from ospo.policy.waivers import Waiver

TODAY = date(2026, 12, 1)
OUTBOUND = "contribution/outbound-license"

#: (product license, expected severity of contribution/outbound-license or None, reason)
OUTBOUND_ROWS = [
    ("Apache-2.0", None, "on the approved list"),
    ("MIT OR Apache-2.0", None, "every alternative approved"),
    (
        "Apache-2.0 WITH LLVM-exception",
        None,
        "an SPDX exception only adds permissions to an approved license (LLVM-exception text)",
    ),
    ("MPL-2.0", None, "on the approved list"),
    (
        "GPL-3.0-only",
        Severity.WARNING,
        "OSI-approved copyleft: a legitimate choice the OSRB reviews (opensource.org/licenses)",
    ),
    ("GPL-2.0-or-later", Severity.WARNING, "OSI-approved copyleft: the OSRB reviews"),
    ("AGPL-3.0-only", Severity.WARNING, "OSI-approved network copyleft: the OSRB reviews"),
    ("LGPL-2.1-only", Severity.WARNING, "OSI-approved weak copyleft: the OSRB reviews"),
    (
        "EUPL-1.2",
        Severity.WARNING,
        "OSI-approved (opensource.org/licenses/EUPL-1.2): the OSRB reviews",
    ),
    ("Apache-2.0 AND GPL-3.0-only", Severity.WARNING, "open source both, one not approved"),
    (
        "BUSL-1.1",
        Severity.ERROR,
        "source-available: BUSL restricts production use; not open source (OSD)",
    ),
    ("SSPL-1.0", Severity.ERROR, "the OSI declined SSPL: source-available, not open source"),
    ("Elastic-2.0", Severity.ERROR, "source-available with use limitations; not open source"),
    (
        "Apache-2.0 WITH LicenseRef-scancode-commons-clause",
        Severity.ERROR,
        "the Commons Clause forbids selling: not open source (commonsclause.com FAQ)",
    ),
    (
        "Apache-2.0 AND LicenseRef-scancode-commons-clause",
        Severity.ERROR,
        "the same clause written as a conjunct",
    ),
    ("CC-BY-NC-4.0", Severity.ERROR, "non-commercial: fails OSD criterion 6"),
    (
        "JSON",
        Severity.ERROR,
        "'for Good, not Evil' restricts the field of use: OSD 6, FSF non-free",
    ),
    ("LicenseRef-Acme-Proprietary", Severity.ERROR, "an unknown, proprietary license"),
    # ids are case-insensitive and deprecated ids are the licenses they name (SPDX spec
    # Annex D.1, License List deprecated ids)
    ("apache-2.0", None, "the approved Apache-2.0, spelled in lower case"),
    ("BSD-2-Clause-NetBSD", None, "a deprecated id of BSD-2-Clause, which is approved"),
    ("GPL-2.0+", Severity.WARNING, "GPL-2.0-or-later: OSI-approved copyleft, the OSRB reviews"),
    (
        "GPL-2.0-with-classpath-exception",
        Severity.WARNING,
        "GPL-2.0-only WITH Classpath-exception-2.0: open source (OpenJDK's license), reviewed",
    ),
    ("eCos-2.0", Severity.WARNING, "GPL-2.0-or-later WITH eCos-exception-2.0: open source"),
    ("wxWindows", Severity.WARNING, "OSI-approved (opensource.org/licenses/wxwindows)"),
    ("MIT OR Apache-2.0 WITH LLVM-exception", None, "an approved license in each alternative"),
    # dual licensing, open source or commercial (MySQL, Qt): recipients may take the open
    # source license, so the project is open source; not every alternative is approved
    (
        "GPL-3.0-only OR LicenseRef-Acme-Commercial",
        Severity.WARNING,
        "the GPL alternative is open source (OSD); the commercial one is the OSRB's matter",
    ),
    (
        "Apache-2.0 OR LicenseRef-scancode-commercial-license",
        Severity.WARNING,
        "an approved open source alternative beside a commercial one",
    ),
    # ... but no open source alternative at all is no open source project
    (
        "BUSL-1.1 OR LicenseRef-Acme-Commercial",
        Severity.ERROR,
        "neither alternative is open source (BUSL restricts production use)",
    ),
    (
        "(Apache-2.0 AND LicenseRef-scancode-commons-clause) OR SSPL-1.0",
        Severity.ERROR,
        "each alternative restricts selling or service use: not open source (OSD 1, 6)",
    ),
]


def _tree_inventory(product_license: str | None) -> Inventory:
    files = tuple(
        FileEntry(path=p, sha256="0" * 64, size=1, scanned=True, license_expression=None)
        for p in ("LICENSE", "README.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "SECURITY.md")
    )
    return Inventory(
        subject=Subject(name="p", declared_license=product_license, profile="source"),
        files=files,
    )


def _sbom_inventory(product_license: str | None) -> Inventory:
    """What an SBOM gives: a product and its components, no files."""
    lib = Component(
        purl="pkg:npm/left-pad@1.3.0",
        name="left-pad",
        version="1.3.0",
        license_expression="MIT",
        licenses=(LicenseEvidence(expression="MIT", source=LicenseSource.DECLARED),),
    )
    return Inventory(
        subject=Subject(name="p", declared_license=product_license, profile="source"),
        components=(lib,),
    )


def _outbound(inventory: Inventory) -> list[Severity]:
    judged = evaluate(inventory, load_policy(None), profile=Profile.SOURCE, today=TODAY)
    assert judged.evaluation is not None
    return [f.severity for f in judged.evaluation.findings if f.rule == OUTBOUND]


@pytest.mark.parametrize(("product", "expected", "reason"), OUTBOUND_ROWS)
def test_outbound_license_of_a_published_project(
    product: str, expected: Severity | None, reason: str
) -> None:
    assert _outbound(_tree_inventory(product)) == ([] if expected is None else [expected]), reason


@pytest.mark.parametrize(
    ("approved", "product"),
    [
        ("[GPL-2.0+, MIT]", "GPL-2.0-or-later"),
        ("[gpl-2.0-or-later]", "GPL-2.0+"),
        ("[Apache-2.0, LGPL-2.1]", "LGPL-2.1-only OR Apache-2.0"),
    ],
)
def test_the_approved_list_names_licenses_as_spdx_does(
    tmp_path: Path, approved: str, product: str
) -> None:
    """An approved outbound license written with a deprecated or lower-case id is that
    license (SPDX spec Annex D.1)."""
    org = tmp_path / "org.yml"
    org.write_text(
        f"version: 1\nextends: default\ncontribution:\n  outbound_licenses: {approved}\n",
        encoding="utf-8",
    )
    judged = evaluate(
        _tree_inventory(product), load_policy(org), profile=Profile.SOURCE, today=TODAY
    )
    assert judged.evaluation is not None
    assert [f for f in judged.evaluation.findings if f.rule == OUTBOUND] == []


def test_a_project_without_a_license_cannot_be_published() -> None:
    # without a license nobody may use the code (copyright law's default): an error
    assert _outbound(_tree_inventory(None)) == [Severity.ERROR]


@pytest.mark.parametrize("product", [None, "Apache-2.0"])
def test_an_sbom_is_not_blamed_for_files_it_cannot_hold(product: str | None) -> None:
    """An SBOM lists no files: the community-file rules have nothing to judge, and a
    product license it does not state is no finding."""
    judged = evaluate(
        _sbom_inventory(product), load_policy(None), profile=Profile.SOURCE, today=TODAY
    )
    assert judged.evaluation is not None
    rules = [f.rule for f in judged.evaluation.findings]
    assert "contribution/missing-file" not in rules
    assert OUTBOUND not in rules


def test_an_sbom_that_states_a_closed_product_license_is_still_judged() -> None:
    assert _outbound(_sbom_inventory("BUSL-1.1")) == [Severity.ERROR]
    assert _outbound(_sbom_inventory("GPL-3.0-only")) == [Severity.WARNING]


def test_a_tree_missing_community_files_is_still_reported() -> None:
    inventory = Inventory(
        subject=Subject(name="p", declared_license="Apache-2.0", profile="source"),
        files=(
            FileEntry(
                path="LICENSE", sha256="0" * 64, size=1, scanned=True, license_expression=None
            ),
        ),
    )
    judged = evaluate(inventory, load_policy(None), profile=Profile.SOURCE, today=TODAY)
    assert judged.evaluation is not None
    missing = {f.path for f in judged.evaluation.findings if f.rule == "contribution/missing-file"}
    assert missing == {"README", "CONTRIBUTING", "CODE_OF_CONDUCT", "SECURITY"}


ALLOW, OBLIGATIONS, REVIEW, DENY = Outcome.ALLOW, Outcome.OBLIGATIONS, Outcome.REVIEW, Outcome.DENY
INTERNAL, SAAS, BINARY, SOURCE = Profile.INTERNAL, Profile.SAAS, Profile.BINARY, Profile.SOURCE

#: (expression, profile, linkage, expected outcome, reason)
PROFILE_ROWS = [
    # use restrictions: not open source, whatever ScanCode's category says
    (
        "JSON",
        BINARY,
        Linkage.DYNAMIC,
        DENY,
        "'shall be used for Good, not Evil' restricts use (FSF, Debian: non-free; ASF: category X)",
    ),
    ("JSON", SAAS, Linkage.DYNAMIC, DENY, "the restriction binds use, and a service uses it"),
    ("JSON", INTERNAL, Linkage.DYNAMIC, REVIEW, "internal use is still use: the OSRB decides"),
    ("JSON", SOURCE, Linkage.DYNAMIC, DENY, "cannot be part of an open source release (OSD 6)"),
    (
        "MIT OR JSON",
        BINARY,
        Linkage.DYNAMIC,
        OBLIGATIONS,
        "the choice of MIT avoids the restriction",
    ),
    (
        "Hippocratic-2.1",
        BINARY,
        Linkage.DYNAMIC,
        DENY,
        "ScanCode: Free Restricted (use restricted by human-rights conditions)",
    ),
    (
        "BSD-3-Clause-No-Military-License",
        SAAS,
        Linkage.DYNAMIC,
        DENY,
        "ScanCode: Free Restricted (no military use)",
    ),
    # Microsoft's Limited Permissive License grants rights "only to the software or
    # derivative works that you create that run on a Microsoft Windows operating system
    # product" (MS-LPL s.3(F)): a field-of-use restriction (OSD 6, 10), not open source
    ("MS-LPL", BINARY, Linkage.DYNAMIC, DENY, "MS-LPL s.3(F) Platform Limitation"),
    ("MS-LPL", SAAS, Linkage.DYNAMIC, DENY, "the restriction binds use"),
    ("MS-LPL", INTERNAL, Linkage.DYNAMIC, REVIEW, "internal use is still use: the OSRB decides"),
    ("LicenseRef-scancode-ms-lpl", BINARY, Linkage.DYNAMIC, DENY, "ScanCode's name of MS-LPL"),
    ("MIT OR MS-LPL", BINARY, Linkage.DYNAMIC, OBLIGATIONS, "the choice of MIT"),
    # a warranty disclaimer for nuclear use restricts nothing; "not licensed for" it does
    # (SPDX: BSD-3-Clause-No-Nuclear-Warranty "has a disclaimer ... instead of the
    # software not licensed for such use"; Fedora allows the one, not the other)
    (
        "BSD-3-Clause-No-Nuclear-Warranty",
        BINARY,
        Linkage.DYNAMIC,
        OBLIGATIONS,
        "'not designed or intended for use' in a nuclear facility: a disclaimer, no restriction",
    ),
    ("BSD-3-Clause-No-Nuclear-Warranty", SAAS, Linkage.DYNAMIC, OBLIGATIONS, "as above"),
    (
        "BSD-3-Clause-No-Nuclear-License",
        BINARY,
        Linkage.DYNAMIC,
        DENY,
        "'not designed, licensed or intended for use' in a nuclear facility: a restriction",
    ),
    ("BSD-3-Clause-No-Nuclear-License-2014", BINARY, Linkage.DYNAMIC, DENY, "as above"),
    # a license its steward names non-commercial is non-commercial, whatever ScanCode's key
    (
        "LicenseRef-scancode-hp",
        BINARY,
        Linkage.DYNAMIC,
        DENY,
        "'HP Non-Commercial License': no commercial use",
    ),
    (
        "LicenseRef-scancode-inria-compcert",
        SAAS,
        Linkage.DYNAMIC,
        DENY,
        "INRIA Non-Commercial License Agreement (CompCert): no commercial use",
    ),
    ("LicenseRef-scancode-phaser-academic", BINARY, Linkage.DYNAMIC, DENY, "Non-Commercial EULA"),
    # ... but an exception that grants non-commercial plugins a permission restricts nothing
    (
        "GPL-3.0-or-later WITH LicenseRef-scancode-vcvrack-exception-to-gpl-3.0",
        SAAS,
        Linkage.DYNAMIC,
        ALLOW,
        "a permission for plugins; the GPL's own terms in a service (GPL-3.0 s.0)",
    ),
    # the non-commercial marker is a whole word of the ScanCode key
    (
        "NCSA",
        BINARY,
        Linkage.DYNAMIC,
        OBLIGATIONS,
        "the University of Illinois/NCSA license is permissive (OSI); 'ncsa' is no -nc- marker",
    ),
    ("CC-BY-NC-4.0", BINARY, Linkage.DYNAMIC, DENY, "NonCommercial: no commercial use"),
    (
        "LicenseRef-scancode-netdata-ncul1",
        BINARY,
        Linkage.DYNAMIC,
        DENY,
        "Netdata's Non-Commercial Use License",
    ),
    # a service conveys nothing: neither GPL nor LGPL obligations arise, however linked
    ("GPL-3.0-only", SAAS, Linkage.STATIC, ALLOW, "GPL-3.0 s.0: mere interaction is not conveying"),
    (
        "LGPL-2.1-only",
        SAAS,
        Linkage.STATIC,
        OBLIGATIONS,
        "LGPL-2.1 s.6 relinking applies to distributed executables; a service distributes none",
    ),
    ("LGPL-3.0-or-later", SAAS, Linkage.DYNAMIC, OBLIGATIONS, "as above"),
    (
        "LGPL-2.1-only",
        BINARY,
        Linkage.STATIC,
        REVIEW,
        "a distributed static link must allow relinking (LGPL-2.1 s.6): the OSRB checks how",
    ),
    ("LGPL-2.1-only", BINARY, Linkage.DYNAMIC, OBLIGATIONS, "dynamic linking: notices and source"),
    # network clauses: obligations arise from use over a network
    ("AGPL-3.0-only", SAAS, Linkage.DYNAMIC, DENY, "AGPL-3.0 s.13: remote network interaction"),
    ("OSL-3.0", SAAS, Linkage.DYNAMIC, DENY, "OSL-3.0 s.5: External Deployment is distribution"),
    ("OSL-2.1", SAAS, Linkage.DYNAMIC, DENY, "OSL-2.1 s.5: External Deployment"),
    ("NPOSL-3.0", SAAS, Linkage.DYNAMIC, DENY, "the OSL-3.0 text: External Deployment"),
    ("RPL-1.5", SAAS, Linkage.DYNAMIC, DENY, "RPL-1.5: Deploy includes use by others"),
    (
        "Parity-7.0.0",
        SAAS,
        Linkage.DYNAMIC,
        DENY,
        "Parity 7.0.0: contribute software used to operate a service",
    ),
    ("OSL-1.0", SAAS, Linkage.DYNAMIC, DENY, "OSL-1.0 s.5: External Deployment (text)"),
    ("OSL-1.1", SAAS, Linkage.DYNAMIC, DENY, "OSL-1.1 s.5: External Deployment (text)"),
    ("OSL-1.0", INTERNAL, Linkage.DYNAMIC, ALLOW, "used by nobody other than us: no deployment"),
    (
        "TGPPL-1.0",
        SAAS,
        Linkage.DYNAMIC,
        DENY,
        "TGPPL-1.0 s.5 (the OSL-3.0 text): External Deployment",
    ),
    (
        "CAL-1.0",
        SAAS,
        Linkage.DYNAMIC,
        DENY,
        "CAL-1.0 s.4: made available 'via a network connection to the Recipient'",
    ),
    ("CAL-1.0", BINARY, Linkage.DYNAMIC, DENY, "CAL-1.0 s.4.1: source of the whole Work"),
    # the ODbL's share-alike reaches the database and databases derived from it, not the
    # software that uses it: "a Produced Work ... does not create a Derivative Database"
    # (ODbL-1.0 s.4.5(b)); notices go with what is publicly used (s.4.2, s.4.3)
    ("ODbL-1.0", BINARY, Linkage.STATIC, OBLIGATIONS, "ODbL-1.0 s.4.5(b): database-level"),
    ("ODbL-1.0", SAAS, Linkage.DYNAMIC, OBLIGATIONS, "ODbL-1.0 s.4.4: Publicly Use is share-alike"),
    ("ODbL-1.0", INTERNAL, Linkage.DYNAMIC, ALLOW, "ODbL-1.0 s.4.5(c): internal use is not public"),
    ("ODbL-1.0 OR CC-BY-4.0", BINARY, Linkage.STATIC, OBLIGATIONS, "the choice of CC BY"),
    (
        "CPAL-1.0",
        SAAS,
        Linkage.DYNAMIC,
        OBLIGATIONS,
        "CPAL-1.0 s.15: network use is distribution, file-level (MPL-1.1 based) obligations",
    ),
    ("CPAL-1.0", BINARY, Linkage.STATIC, OBLIGATIONS, "file-level copyleft: keep the files open"),
    # the network clause by profile: internal users are no "users interacting with it
    # remotely" outside the organisation; a binary conveys the whole (AGPL-3.0 s.13, s.6)
    ("AGPL-3.0-only", INTERNAL, Linkage.STATIC, ALLOW, "AGPL-3.0 s.13: no outside users"),
    ("AGPL-3.0-or-later", BINARY, Linkage.DYNAMIC, DENY, "AGPL-3.0 s.6: conveying object code"),
    ("AGPL-3.0-only OR GPL-3.0-only", SAAS, Linkage.DYNAMIC, ALLOW, "elect GPL-3.0: s.0"),
    ("AGPL-3.0-only OR MIT", SAAS, Linkage.DYNAMIC, OBLIGATIONS, "elect MIT: notices"),
    # file-level copyleft stays with its files, however linked (MPL-2.0 s.3.3, EPL-2.0 s.3)
    ("MPL-2.0", BINARY, Linkage.STATIC, OBLIGATIONS, "MPL-2.0 s.3.3: a Larger Work"),
    ("EPL-2.0", SAAS, Linkage.DYNAMIC, OBLIGATIONS, "EPL-2.0: file-level"),
    (
        "EPL-2.0 OR GPL-2.0-or-later WITH Classpath-exception-2.0",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "EPL-2.0 with a Secondary License (Exhibit A): either is file-level",
    ),
    (
        "CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "either",
    ),
    ("CDDL-1.0 AND GPL-2.0-only", BINARY, Linkage.DYNAMIC, DENY, "the GPL part binds the binary"),
    ("CDDL-1.0 AND GPL-2.0-only", SAAS, Linkage.DYNAMIC, OBLIGATIONS, "nothing is conveyed"),
    # public-domain dedications and licenses on no condition ask nothing; ISC and MIT,
    # whose notice conditions 0BSD and MIT-0 drop, keep theirs
    ("Unlicense", BINARY, Linkage.STATIC, ALLOW, "a dedication to the public domain"),
    ("CC0-1.0", SAAS, Linkage.DYNAMIC, ALLOW, "CC0-1.0 s.2: waiver"),
    ("WTFPL", BINARY, Linkage.STATIC, ALLOW, "'do what the fuck you want to'"),
    ("0BSD", BINARY, Linkage.STATIC, ALLOW, "0BSD: 'for any purpose with or without fee'"),
    ("MIT-0", BINARY, Linkage.STATIC, ALLOW, "MIT-0: MIT without its notice condition"),
    ("ISC", BINARY, Linkage.STATIC, OBLIGATIONS, "ISC: 'provided that the above copyright'"),
    ("MIT OR 0BSD", BINARY, Linkage.STATIC, ALLOW, "elect 0BSD: no condition"),
    ("0BSD AND MIT", BINARY, Linkage.STATIC, OBLIGATIONS, "MIT's notice for its part"),
    # fonts, data and documents
    ("OFL-1.1", BINARY, Linkage.STATIC, OBLIGATIONS, "OFL-1.1: bundling with software allowed"),
    ("CC-BY-4.0", SAAS, Linkage.DYNAMIC, OBLIGATIONS, "CC BY 4.0 s.3(a): attribution"),
    ("CC-BY-SA-4.0", BINARY, Linkage.STATIC, OBLIGATIONS, "CC BY-SA 4.0 s.3(b): adaptations"),
    ("CC-BY-NC-4.0", INTERNAL, Linkage.DYNAMIC, REVIEW, "is internal use commercial? the OSRB"),
    ("CC-BY-NC-SA-4.0", SAAS, Linkage.DYNAMIC, DENY, "NonCommercial: no commercial service"),
    ("CC-BY-ND-4.0", BINARY, Linkage.DYNAMIC, DENY, "NoDerivatives: not open source"),
    # notices: the advertising clause and Apache-2.0's NOTICE are obligations, not bars
    ("BSD-4-Clause", BINARY, Linkage.STATIC, OBLIGATIONS, "BSD-4-Clause clause 3"),
    ("Apache-2.0", BINARY, Linkage.STATIC, OBLIGATIONS, "Apache-2.0 s.4(d): NOTICE"),
    # nested choices: every choice is made
    (
        "(MIT OR Apache-2.0) AND (BSD-3-Clause OR GPL-2.0-only)",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "elect MIT and BSD-3-Clause",
    ),
    ("LGPL-2.1-or-later", INTERNAL, Linkage.STATIC, ALLOW, "nothing is conveyed outside"),
    ("LicenseRef-Acme-Internal", BINARY, Linkage.DYNAMIC, REVIEW, "unknown to the policy"),
    ("MIT AND LicenseRef-Acme-Internal", SAAS, Linkage.DYNAMIC, REVIEW, "unknown to the policy"),
    # ScanCode's own name for a license SPDX names (LicenseRef-scancode-<key>, as an SBOM
    # or a report written with ScanCode's keys carries it) is that license: the policy's
    # lists and overrides hold for it as for the SPDX id
    (
        "LicenseRef-scancode-agpl-3.0-plus",
        SAAS,
        Linkage.DYNAMIC,
        DENY,
        "AGPL-3.0-or-later: s.13 remote network interaction",
    ),
    ("LicenseRef-scancode-agpl-3.0", SAAS, Linkage.DYNAMIC, DENY, "AGPL-3.0-only s.13"),
    ("LicenseRef-scancode-osl-3.0", SAAS, Linkage.DYNAMIC, DENY, "OSL-3.0 s.5"),
    (
        "LicenseRef-scancode-lgpl-2.1-plus",
        BINARY,
        Linkage.STATIC,
        REVIEW,
        "LGPL-2.1-or-later s.6: a static link must allow relinking",
    ),
    ("LicenseRef-scancode-lgpl-3.0", BINARY, Linkage.STATIC, REVIEW, "LGPL-3.0 s.4(d)"),
    ("LicenseRef-scancode-lgpl-3.0", BINARY, Linkage.DYNAMIC, OBLIGATIONS, "LGPL-3.0 s.4(d)(1)"),
    ("LicenseRef-scancode-json", BINARY, Linkage.DYNAMIC, DENY, "'Good, not Evil' (FSF: non-free)"),
    ("LicenseRef-scancode-mit", BINARY, Linkage.DYNAMIC, OBLIGATIONS, "MIT: notices"),
    # deprecated SPDX ids: the same license as their current id, judged the same
    ("GPL-2.0+", BINARY, Linkage.DYNAMIC, DENY, "SPDX: GPL-2.0+ is GPL-2.0-or-later"),
    ("GPL-2.0", SAAS, Linkage.STATIC, ALLOW, "SPDX: GPL-2.0 is GPL-2.0-only; s.0 conveying"),
    ("LGPL-2.1+", BINARY, Linkage.STATIC, REVIEW, "SPDX: LGPL-2.1-or-later; s.6 relinking"),
    ("LGPL-2.1+", BINARY, Linkage.DYNAMIC, OBLIGATIONS, "LGPL-2.1 s.6(b): a shared library"),
    ("AGPL-3.0", SAAS, Linkage.DYNAMIC, DENY, "SPDX: AGPL-3.0 is AGPL-3.0-only; s.13"),
    ("AGPL-3.0", INTERNAL, Linkage.DYNAMIC, ALLOW, "AGPL-3.0 s.13 needs users other than us"),
    ("gpl-3.0-or-later", BINARY, Linkage.DYNAMIC, DENY, "SPDX ids match case-insensitively"),
    ("Apache-2.0 OR gpl-2.0+", BINARY, Linkage.STATIC, OBLIGATIONS, "the choice of Apache-2.0"),
    # deprecated SPDX ids that fold an exception into the license id (SPDX License List,
    # deprecated since 3.0: "use ... WITH"); ScanCode's database no longer carries them, so
    # they are the license WITH the exception, not an unknown license
    (
        "GPL-2.0-with-classpath-exception",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "GPL-2.0-only WITH Classpath-exception-2.0: independent modules on any terms",
    ),
    (
        "GPL-3.0-with-GCC-exception",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "GPL-3.0 WITH GCC-exception-3.1: target code on terms of your choice",
    ),
    (
        "GPL-2.0-with-GCC-exception",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "GPL-2.0 WITH GCC-exception-2.0: linking the compiled file without restriction",
    ),
    (
        "GPL-2.0-with-bison-exception",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "GPL-2.0 WITH Bison-exception-2.2: the parser skeleton on terms of your choice",
    ),
    (
        "GPL-2.0-with-font-exception",
        BINARY,
        Linkage.DYNAMIC,
        OBLIGATIONS,
        "GPL-2.0 WITH Font-exception-2.0: documents embedding the font are free",
    ),
    (
        "GPL-2.0-with-autoconf-exception",
        BINARY,
        Linkage.DYNAMIC,
        OBLIGATIONS,
        "GPL-2.0 WITH Autoconf-exception-2.0: generated configure scripts are free",
    ),
    (
        "GPL-3.0-with-autoconf-exception",
        BINARY,
        Linkage.DYNAMIC,
        OBLIGATIONS,
        "GPL-3.0 WITH Autoconf-exception-3.0",
    ),
    (
        "eCos-2.0",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "GPL-2.0-or-later WITH eCos-exception-2.0 (ScanCode: 'really GPL v2 or later + an "
        "exception')",
    ),
    (
        "wxWindows",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "LGPL-2.0-or-later WITH WxWindows-exception-3.1: object code under your own terms",
    ),
    (
        "wxWindows",
        SOURCE,
        Linkage.STATIC,
        OBLIGATIONS,
        "as source the library stays LGPL (WxWindows-exception-3.1 covers object code only)",
    ),
    ("GPL-2.0-with-classpath-exception", SAAS, Linkage.STATIC, OBLIGATIONS, "file-level"),
    (
        "MIT OR GPL-2.0-with-classpath-exception",
        BINARY,
        Linkage.STATIC,
        OBLIGATIONS,
        "either alternative is acceptable",
    ),
]


@pytest.mark.parametrize(("expression", "profile", "linkage", "expected", "reason"), PROFILE_ROWS)
def test_profiles(
    expression: str, profile: Profile, linkage: Linkage, expected: Outcome, reason: str
) -> None:
    judge = Judge(load_policy(None))
    verdict = judge.judge(expression, Context(profile=profile, linkage=linkage))
    assert verdict.outcome is expected, (reason, verdict.reasons)


@pytest.mark.parametrize(
    ("deprecated", "current"),
    [
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("GPL-3.0-with-GCC-exception", "GPL-3.0-only WITH GCC-exception-3.1"),
        ("GPL-2.0-with-GCC-exception", "GPL-2.0-only WITH GCC-exception-2.0"),
        ("GPL-2.0-with-bison-exception", "GPL-2.0-only WITH Bison-exception-2.2"),
        ("GPL-2.0-with-font-exception", "GPL-2.0-only WITH Font-exception-2.0"),
        ("GPL-2.0-with-autoconf-exception", "GPL-2.0-only WITH Autoconf-exception-2.0"),
        ("GPL-3.0-with-autoconf-exception", "GPL-3.0-only WITH Autoconf-exception-3.0"),
        ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
        ("wxWindows", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"),
    ],
)
def test_a_deprecated_id_with_an_exception_is_judged_as_what_it_stands_for(
    deprecated: str, current: str
) -> None:
    """The verdict is the current expression's, in every profile, and says so."""
    judge = Judge(load_policy(None))
    for profile in Profile:
        for linkage in Linkage:
            old = judge.judge(deprecated, Context(profile=profile, linkage=linkage))
            new = judge.judge(current, Context(profile=profile, linkage=linkage))
            assert (old.outcome, old.licenses) == (new.outcome, new.licenses)
            assert f"{deprecated} is the deprecated SPDX id of {current}" in old.reasons[0]
    # and against an outbound license, where compatibility decides
    for outbound in ("Apache-2.0", "GPL-2.0-only", "GPL-3.0-only"):
        context = Context(profile=SOURCE, outbound=outbound)
        old, new = judge.judge(deprecated, context), judge.judge(current, context)
        assert (old.outcome, old.incompatible) == (new.outcome, new.incompatible)


@pytest.mark.parametrize(
    ("expression", "said"),
    [
        # SPDX 2.3 s.7.13: NOASSERTION, no one said; NONE, no license is granted at all, so
        # copyright's default (all rights reserved) applies: either way, establish it
        ("NOASSERTION", "states no license (SPDX NOASSERTION)"),
        ("noassertion", "states no license (SPDX NOASSERTION)"),
        ("NONE", "grants no license (SPDX NONE): all rights are reserved"),
    ],
)
def test_spdx_special_values_are_said_for_what_they_are(expression: str, said: str) -> None:
    judge = Judge(load_policy(None))
    for profile in Profile:
        verdict = judge.judge(expression, Context(profile=profile))
        assert verdict.outcome is REVIEW
        assert said in verdict.reasons[0]
        assert "not a valid SPDX expression" not in verdict.reasons[0]


def test_use_restricted_is_said_so() -> None:
    verdict = Judge(load_policy(None)).judge("JSON", Context(profile=BINARY))
    assert "use-restricted" in verdict.reasons[0]


def test_the_class_reference_is_generated_from_the_policy() -> None:
    from ospo.policy.reference import classes_reference

    committed = Path(__file__).parents[1] / "docs" / "policy-classes.md"
    assert committed.read_text(encoding="utf-8") == classes_reference(), (
        "docs/policy-classes.md is stale: "
        "python -m ospo.policy.reference classes > docs/policy-classes.md"
    )


# --- OSRB decisions: what a waiver covers -------------------------------------------------


def _gpl_component(purl: str, license_expression: str = "GPL-3.0-only") -> Component:
    name = purl.split("/")[-1].split("@")[0]
    version = purl.split("@")[1] if "@" in purl else None
    return Component(
        purl=purl,
        name=name,
        version=version,
        license_expression=license_expression,
        licenses=(LicenseEvidence(expression=license_expression, source=LicenseSource.DECLARED),),
    )


def _waived(waiver: Waiver, *components: Component) -> dict[str, bool]:
    """Each component's license finding: covered by ``waiver`` or not (binary profile)."""
    inventory = Inventory(subject=Subject(name="p", profile="binary"), components=components)
    judged = evaluate(inventory, load_policy(None), profile=BINARY, waivers=(waiver,), today=TODAY)
    assert judged.evaluation is not None
    return {
        f.component: f.waived
        for f in judged.evaluation.findings
        if f.rule.startswith("license/") and f.component is not None
    }


def _waiver(**kw: str) -> Waiver:
    fields: dict[str, Any] = {
        "rule": "license/denied",
        "decision": Decision.APPROVE,
        "reason": "licensed to us commercially",
        "approver": "Jane Counsel",
        "role": Role.LEGAL,
        "date": "2026-01-10",
        **kw,
    }
    return Waiver(**fields)


#: (waiver fields, the component purl, its license, covered?), why
WAIVER_ROWS: list[tuple[dict[str, str], str, str, bool, str]] = [
    (
        {"component": "pkg:npm/gpl-lib"},
        "pkg:npm/gpl-lib@1.0.0",
        "GPL-3.0-only",
        True,
        "every version",
    ),
    # a decision is about one package: not a namesake, another ecosystem, a scoped twin
    (
        {"component": "pkg:npm/gpl-lib"},
        "pkg:npm/gpl-lib-extra@1.0.0",
        "GPL-3.0-only",
        False,
        "other",
    ),
    (
        {"component": "pkg:npm/gpl-lib"},
        "pkg:pypi/gpl-lib@1.0.0",
        "GPL-3.0-only",
        False,
        "ecosystem",
    ),
    (
        {"component": "pkg:npm/gpl-lib"},
        "pkg:npm/%40acme/gpl-lib@1.0.0",
        "GPL-3.0-only",
        False,
        "scope",
    ),
    # PyPI names compare normalised (PEP 503): Gpl_Lib is gpl-lib
    ({"component": "pkg:pypi/Gpl_Lib"}, "pkg:pypi/gpl-lib@2.0", "GPL-3.0-only", True, "PEP 503"),
    # a decision on one version covers that version only
    ({"component": "pkg:npm/gpl-lib@1.0.0"}, "pkg:npm/gpl-lib@1.0.1", "GPL-3.0-only", False, "pin"),
    # a version range covers the versions it holds, and none it cannot place: the OSRB
    # decided on those versions, not on an unknown one
    (
        {"component": "pkg:npm/gpl-lib", "versions": "vers:npm/>=1.0.0|<2.0.0"},
        "pkg:npm/gpl-lib@1.5.0",
        "GPL-3.0-only",
        True,
        "inside the range",
    ),
    (
        {"component": "pkg:npm/gpl-lib", "versions": "vers:npm/>=1.0.0|<2.0.0"},
        "pkg:npm/gpl-lib@latest",
        "GPL-3.0-only",
        False,
        "a tag is no version the range can place",
    ),
    (
        {"component": "pkg:npm/gpl-lib", "versions": "vers:npm/>=1.0.0|<2.0.0"},
        "pkg:npm/gpl-lib",
        "GPL-3.0-only",
        False,
        "no version at all",
    ),
    (
        {"component": "pkg:pypi/gpl-lib", "versions": "vers:pypi/>=1.0|<2.0"},
        "pkg:pypi/gpl-lib@not.a.version",
        "GPL-3.0-only",
        False,
        "an unparsable version",
    ),
    # expiry: the day it expires is covered, the day after is not
    (
        {"component": "pkg:npm/gpl-lib", "expires": "2026-12-01"},
        "pkg:npm/gpl-lib@1",
        "GPL-3.0-only",
        True,
        "last day",
    ),
    (
        {"component": "pkg:npm/gpl-lib", "expires": "2026-11-30"},
        "pkg:npm/gpl-lib@1",
        "GPL-3.0-only",
        False,
        "expired",
    ),
    # a decision on a license covers that license, whatever its id's spelling, and no other
    (
        {"license": "GPL-3.0"},
        "pkg:npm/gpl-lib@1",
        "GPL-3.0-only",
        True,
        "deprecated id of the same",
    ),
    ({"license": "gpl-3.0-only"}, "pkg:npm/gpl-lib@1", "GPL-3.0-only", True, "case-insensitive"),
    ({"license": "GPL-3.0-only"}, "pkg:npm/gpl-lib@1", "AGPL-3.0-only", False, "relicensed"),
    ({"license": "GPL-3.0-only"}, "pkg:npm/gpl-lib@1", "GPL-3.0-only AND MIT", False, "more"),
    # a decision on a rule covers that rule (or its family), not another
    (
        {"rule": "license/*", "component": "pkg:npm/gpl-lib"},
        "pkg:npm/gpl-lib@1",
        "GPL-3.0-only",
        True,
        "family",
    ),
    (
        {"rule": "license/review", "component": "pkg:npm/gpl-lib"},
        "pkg:npm/gpl-lib@1",
        "GPL-3.0-only",
        False,
        "rule",
    ),
]


@pytest.mark.parametrize(("fields", "purl", "license_expression", "covered", "why"), WAIVER_ROWS)
def test_what_a_waiver_covers(
    fields: dict[str, str], purl: str, license_expression: str, covered: bool, why: str
) -> None:
    waived = _waived(_waiver(**fields), _gpl_component(purl, license_expression))
    assert waived == {purl: covered}, why


def test_an_expired_waiver_is_reported_and_one_component_s_waiver_covers_no_other() -> None:
    waiver = _waiver(component="pkg:npm/gpl-lib", expires="2026-06-30")
    inventory = Inventory(
        subject=Subject(name="p", profile="binary"),
        components=(_gpl_component("pkg:npm/gpl-lib@1.0.0"), _gpl_component("pkg:npm/gpl2@1.0")),
    )
    judged = evaluate(inventory, load_policy(None), profile=BINARY, waivers=(waiver,), today=TODAY)
    assert judged.evaluation is not None
    findings = judged.evaluation.findings
    assert [f.component for f in findings if f.rule == "waiver/expired"] == ["pkg:npm/gpl-lib"]
    assert not any(f.waived for f in findings)
    assert judged.evaluation.verdict == "fail"


# --- the components of one "or later" project, together -----------------------------------

#: (project license, {component: its license}, components reported incompatible), why
TOGETHER_ROWS: list[tuple[str, dict[str, str], set[str], str]] = [
    (
        "GPL-2.0-or-later",
        {"gpl2": "GPL-2.0-only", "apache": "Apache-2.0", "mit": "MIT"},
        {"gpl2", "apache"},
        "GPL-2.0-only keeps the work at version 2, Apache-2.0 needs version 3 (fsf: #apache2)",
    ),
    (
        "GPL-2.0-or-later",
        {"gpl2": "GPL-2.0-only", "gpl3": "GPL-3.0-or-later"},
        {"gpl2", "gpl3"},
        "version 2 only and version 3 or later: no version takes both (gpl-faq: #AllCompatibility)",
    ),
    (
        "LGPL-2.1-or-later",
        {"lgpl21": "LGPL-2.1-only", "apache": "Apache-2.0"},
        {"lgpl21", "apache"},
        "LGPL-2.1-only code and Apache-2.0 code need different versions of the LGPL",
    ),
    # one version that takes every component is enough
    (
        "GPL-2.0-or-later",
        {"gpl2plus": "GPL-2.0-or-later", "apache": "Apache-2.0", "mit": "MIT"},
        set(),
        "the work is taken under GPL-3.0, which accepts Apache-2.0 (fsf: #apache2)",
    ),
    ("GPL-2.0-or-later", {"gpl2": "GPL-2.0-only", "mit": "MIT"}, set(), "GPL-2.0 takes MIT"),
    (
        "GPL-2.0-or-later",
        {"gpl2": "GPL-2.0-only", "dual": "Apache-2.0 OR MIT"},
        set(),
        "the choice of MIT fits version 2",
    ),
    # a project at one version: each component meets that version's rules alone
    ("GPL-3.0-only", {"gpl2plus": "GPL-2.0-or-later", "apache": "Apache-2.0"}, set(), "v3"),
]


@pytest.mark.parametrize(("product", "licenses", "reported", "why"), TOGETHER_ROWS)
def test_the_components_of_an_or_later_project_need_one_version_together(
    product: str, licenses: dict[str, str], reported: set[str], why: str
) -> None:
    components = tuple(_gpl_component(f"pkg:npm/{n}@1.0.0", e) for n, e in licenses.items())
    inventory = Inventory(
        subject=Subject(name="p", declared_license=product, profile="source"),
        components=components,
    )
    judged = evaluate(inventory, load_policy(None), profile=SOURCE, today=TODAY)
    assert judged.evaluation is not None
    found = {
        f.component.split("/")[1].split("@")[0]
        for f in judged.evaluation.findings
        if f.rule == "license/incompatible" and f.component
    }
    assert found == reported, why
    for finding in judged.evaluation.findings:
        if finding.rule == "license/incompatible":
            assert "no version of" in finding.message and finding.how_to_fix


# --- a registry's license string, read with the same law -----------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "klass"),
    [
        # an exception from the SPDX list adds permissions: still open source, of the class
        # the policy gives the combination (LLVM-exception; Classpath-exception-2.0)
        ("Apache-2.0 WITH LLVM-exception", "open", "permissive"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "open", "weak-copyleft-file"),
        ("GPL-2.0-with-classpath-exception", "open", "weak-copyleft-file"),
        ("GPL-3.0-or-later WITH GCC-exception-3.1", "open", "permissive"),
        # ... where it applies in every context (Universal-FOSS only for an open source
        # product): otherwise the license keeps its class
        ("GPL-2.0-only WITH Universal-FOSS-exception-1.0", "open", "strong-copyleft"),
        ("MIT WITH Classpath-exception-2.0", "open", "permissive"),
        # a clause that takes rights away closes it (commonsclause.com: not open source)
        ("Apache-2.0 WITH LicenseRef-scancode-commons-clause", "closed", "source-available"),
        # ScanCode's names and deprecated ids are the licenses they name
        ("LicenseRef-scancode-agpl-3.0-plus", "open", "network-copyleft"),
        ("AGPL-3.0", "open", "network-copyleft"),
    ],
)
def test_a_registry_license_is_read_as_the_judge_reads_it(text: str, kind: str, klass: str) -> None:
    from ospo.policy.rules.base import RuleContext
    from ospo.policy.rules.registry import terms_of

    policy = load_policy(None)
    ctx = RuleContext(
        inventory=_tree_inventory("Apache-2.0"),
        policy=policy,
        judge=Judge(policy),
        profile=BINARY,
        today=TODAY,
    )
    terms = terms_of(ctx, text)
    assert (terms.kind.value, terms.license_class.value if terms.license_class else None) == (
        kind,
        klass,
    )


@pytest.mark.parametrize(
    ("product", "file_license", "reported"),
    [
        # the file's license is the product's, whatever id it is written in
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-with-classpath-exception", False),
        ("GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0", False),
        ("GPL-2.0-or-later", "GPL-2.0+", False),
        ("Apache-2.0", "apache-2.0", False),
        # a file under another license is reported
        ("Apache-2.0", "GPL-2.0-with-classpath-exception", True),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only", True),
    ],
)
def test_a_first_party_file_under_the_product_s_license_is_not_reported(
    product: str, file_license: str, reported: bool
) -> None:
    inventory = Inventory(
        subject=Subject(name="p", declared_license=product, profile="source"),
        files=(
            FileEntry(
                path="src/a.java",
                sha256="0" * 64,
                size=1,
                scanned=True,
                license_expression=file_license,
            ),
        ),
    )
    judged = evaluate(inventory, load_policy(None), profile=SOURCE, today=TODAY)
    assert judged.evaluation is not None
    found = [f for f in judged.evaluation.findings if f.rule == "file/license"]
    assert bool(found) is reported, [f.message for f in found]
