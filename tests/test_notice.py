# SPDX-License-Identifier: Apache-2.0
"""``ospo notice``: the attribution file of a release, checked against real packages.

The real PyPI and npm packages that ``make install`` puts in ``build/real-packages`` are
scanned once; their NOTICE must carry every license and NOTICE file they really ship
(listed here from the dist-info and package directories, independently of ospo), the
elected alternative of a choice only, and be the same bytes on every run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_real_packages import NODE_MODULES, REAL, SITE

from conftest import make_vendored_app, run_ospo
from ospo.notice import merge_copyrights

LICENSE_NAMES = ("license", "licence", "copying", "notice", "unlicense")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> Path:
    """The real packages scanned into an inventory, and their NOTICE in every format."""
    if not (REAL / ".installed").is_file():
        pytest.fail(f"the real packages are not installed in {REAL}: run `make install`")
    work = tmp_path_factory.mktemp("notice")
    (work / "tree").mkdir()
    env = {"OSPO_CACHE_DIR": str(session_cache)}
    inventory = work / "inventory.json"
    proc = run_ospo(
        *("scan", work / "tree", "--env", SITE, "--env", NODE_MODULES, "-o", inventory, "-q"),
        *("--cyclonedx", work / "bom.cdx.json"),
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("NOTICE.txt", "NOTICE.html", "NOTICE.md"):
        proc = run_ospo(
            "notice", work / "tree", "--inventory", inventory, "-o", work / name, env=env
        )
        assert proc.returncode == 0, proc.stderr
    return work


@pytest.fixture(scope="module")
def text(work: Path) -> str:
    # bytes as written: a license file with CRLF line ends is carried with them
    return (work / "NOTICE.txt").read_bytes().decode("utf-8")


def _section(text: str, name: str, version: str) -> str:
    """The text NOTICE's entry of one component."""
    rule = "=" * 80
    header = f"{rule}\n{name} {version}\n{rule}\n"
    start = text.index(header)
    end = text.find(f"\n{rule}\n", start + len(header))
    return text[start:end]


def _shipped_files() -> list[tuple[str, str, Path]]:
    """(package, version, file) for every license and NOTICE file the packages ship."""
    found = []
    for dist_info in sorted(SITE.glob("*.dist-info")):
        metadata = (dist_info / "METADATA").read_text(encoding="utf-8").splitlines()
        name = next(line[6:] for line in metadata if line.startswith("Name: "))
        version = next(line[9:] for line in metadata if line.startswith("Version: "))
        for path in sorted(dist_info.rglob("*")):
            if (
                path.is_file()
                and path.name.lower().startswith(LICENSE_NAMES)
                and path.suffix not in (".py", ".json")
            ):
                found.append((name, version, path))
    manifests = [*NODE_MODULES.glob("*/package.json"), *NODE_MODULES.glob("@*/*/package.json")]
    for manifest in sorted(manifests):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for path in sorted(manifest.parent.iterdir()):
            if path.is_file() and path.name.lower().startswith(LICENSE_NAMES):
                found.append((data["name"], data["version"], path))
    return found


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def test_every_license_and_notice_file_shipped_is_carried_verbatim(text: str) -> None:
    shipped = _shipped_files()
    assert len(shipped) > 100
    notices = [f for f in shipped if f[2].name.lower().startswith("notice")]
    assert len(notices) >= 3  # botocore, s3transfer, yarl
    left = []
    for name, version, path in shipped:
        section = _section(text, name, version)
        if _read(path) in section:
            continue
        left.append((name, path.name))
        # only the text of an alternative the policy did not elect is left out, and the
        # NOTICE says so
        assert "Elected license: " in section, (name, path)
        assert re.search(rf"^Not carried: \S*/{re.escape(path.name)}: the text of ", section, re.M)
        assert not path.name.lower().startswith("notice")
    # the separate texts of choices
    assert {n for n, _ in left} == {
        "cryptography",
        "expand-template",
        "from",
        "JSONStream",
        "orjson",
        "packaging",
        "pycurl",
        "rc",
        "sniffio",
        "through",
        "type-fest",
        "uvloop",
    }


def test_apache_notice_files_are_carried_verbatim(text: str) -> None:
    for name, version, notice in (
        ("botocore", "1.42.4", "botocore-1.42.4.dist-info/NOTICE"),
        ("s3transfer", "0.16.0", "s3transfer-0.16.0.dist-info/NOTICE.txt"),
        ("yarl", "1.22.0", "yarl-1.22.0.dist-info/licenses/NOTICE"),
    ):
        section = _section(text, name, version)
        body = _read(SITE / notice)
        assert f"----- NOTICE file: {notice} -----\n{body}\n----- end of {notice} -----" in section


def test_an_elected_choice_carries_only_the_elected_text(text: str) -> None:
    crypto = _section(text, "cryptography", "46.0.3")
    licenses = SITE / "cryptography-46.0.3.dist-info" / "licenses"
    assert "Elected license: Apache-2.0\n" in crypto
    assert _read(licenses / "LICENSE.APACHE") in crypto
    assert _read(licenses / "LICENSE") in crypto  # the statement of the choice itself
    assert "Redistribution and use in source and binary forms" not in crypto
    assert "Texts of its licenses" not in crypto  # its own files hold the elected text

    rc = _section(text, "rc", "1.2.8")  # BSD-2-Clause OR MIT OR Apache-2.0
    assert "Elected license: BSD-2-Clause\n" in rc
    assert _read(NODE_MODULES / "rc" / "LICENSE.BSD") in rc
    assert "Permission is hereby granted" not in rc  # MIT's text
    assert "Apache License" not in rc
    # LICENSE.BSD is the BSD-2-Clause-Views variant, so the elected text is added once
    assert 'Texts of its licenses: BSD-2-Clause (under "License texts")' in rc
    texts = text[text.index("LICENSE TEXTS") :]
    assert texts.count("\nLicense text: BSD-2-Clause (") == 1
    assert re.search(r"License text: BSD-2-Clause \(.*\)\nUsed by: [^\n]*rc 1\.2\.8", texts)

    # one file holding both alternatives is carried whole: ospo does not cut a license file
    jszip = _section(text, "jszip", "3.10.1")
    assert "Elected license: MIT\n" in jszip
    assert _read(NODE_MODULES / "jszip" / "LICENSE.markdown") in jszip


def test_a_text_is_printed_once_from_scancode_only_where_no_own_file_holds_it(text: str) -> None:
    from ospo.notice import _scancode_text

    texts = text[text.index("\nLICENSE TEXTS\n") :]
    ids = re.findall(r"^License text: (\S+) \(", texts, re.M)
    assert ids == sorted(set(ids), key=str.lower)
    botocore = _section(text, "botocore", "1.42.4")
    # Apache-2.0 is its LICENSE.txt; MIT and MPL-2.0 (vendored six, certifi) have no file
    assert 'Texts of its licenses: MIT, MPL-2.0 (under "License texts")' in botocore
    mit = _scancode_text("mit")
    assert mit is not None and mit.startswith("Permission is hereby granted")
    assert f"\n\n{mit}\n" in texts


def test_copyrights_are_those_of_the_files_merged_per_holder(text: str) -> None:
    rc = _section(text, "rc", "1.2.8")
    # LICENSE.BSD says 2013, LICENSE.MIT and LICENSE.APACHE2 2011: one holder, one line
    assert "Copyright notices:\n  Copyright (c) 2011, 2013 Dominic Tarr\n" in rc
    jszip = _section(text, "jszip", "3.10.1")
    # the GPL text's own copyright is not a holder of jszip
    assert "Free Software Foundation" not in jszip.split("----- License file")[0]
    assert "Stuart Knightley" in jszip.split("----- License file")[0]


def test_the_same_inventory_gives_the_same_bytes(work: Path, session_cache: Path) -> None:
    env = {"OSPO_CACHE_DIR": str(session_cache)}
    data = json.loads((work / "inventory.json").read_text(encoding="utf-8"))
    data["components"].reverse()  # the order of the inventory does not matter
    data["scan"]["timestamp"] = "2030-01-01T00:00:00Z"
    shuffled = work / "reversed.json"
    shuffled.write_text(json.dumps(data), encoding="utf-8")
    for name in ("NOTICE.txt", "NOTICE.html", "NOTICE.md"):
        again = work / f"again-{name}"
        proc = run_ospo("notice", work / "tree", "--inventory", shuffled, "-o", again, env=env)
        assert proc.returncode == 0, proc.stderr
        assert again.read_bytes() == (work / name).read_bytes(), name


def test_copyrights_detected_now_are_those_the_scan_cached(
    work: Path, tmp_path: Path, text: str
) -> None:
    out = tmp_path / "NOTICE.txt"
    empty = tmp_path / "empty-cache"
    proc = run_ospo(
        "notice", "--inventory", work / "inventory.json", "-o", out,
        env={"OSPO_CACHE_DIR": str(empty)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == text.encode("utf-8")


def test_from_an_sbom_every_component_is_listed_with_scancode_texts(
    work: Path, session_cache: Path, text: str
) -> None:
    out = work / "from-sbom.txt"
    proc = run_ospo(
        "notice", "--sbom", work / "bom.cdx.json", "-o", out,
        env={"OSPO_CACHE_DIR": str(session_cache)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    notice = out.read_text(encoding="utf-8")
    listed = re.findall(r"^Package URL: (\S+)$", notice, re.M)
    assert listed == re.findall(r"^Package URL: (\S+)$", text, re.M)
    assert "----- License file:" not in notice  # an SBOM carries no file
    botocore = _section(notice, "botocore", "1.42.4")
    assert 'Texts of its licenses: Apache-2.0, MIT, MPL-2.0 (under "License texts")' in botocore


@pytest.mark.parametrize("name", ["NOTICE.txt", "NOTICE.html", "NOTICE.md"])
def test_check_passes_on_a_fresh_notice_and_fails_on_a_stale_one(
    work: Path, session_cache: Path, name: str
) -> None:
    env = {"OSPO_CACHE_DIR": str(session_cache)}
    inventory = work / "inventory.json"
    fresh = run_ospo("notice", work / "tree", "--inventory", inventory, "--check", work / name)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert fresh.stdout == ""
    assert "up to date (204 components)" in fresh.stderr

    data = json.loads(inventory.read_text(encoding="utf-8"))
    data["components"] = [c for c in data["components"] if c["name"] != "attrs"]
    data["components"].append(
        {
            "purl": "pkg:npm/%40img/sharp-libvips-linux-x64@1.0.4",
            "name": "@img/sharp-libvips-linux-x64",
            "version": "1.0.4",
            "scope": "runtime",
            "direct": True,
            "license_expression": "LGPL-3.0-or-later",
            "licenses": [
                {"expression": "LGPL-3.0-or-later", "source": "declared", "location": None}
            ],
        }
    )
    changed = work / f"changed-{name}.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    stale = run_ospo(
        "notice", work / "tree", "--inventory", changed, "--check", work / name, env=env
    )
    assert stale.returncode == 1
    assert f"{work / name} is stale" in stale.stdout
    assert "components added: pkg:npm/%40img/sharp-libvips-linux-x64@1.0.4" in stale.stdout
    assert "components removed: pkg:pypi/attrs@25.4.0" in stale.stdout
    assert "license texts missing: LGPL-3.0-or-later" in stale.stdout


def test_check_says_what_a_stale_file_lacks(work: Path, session_cache: Path) -> None:
    env = {"OSPO_CACHE_DIR": str(session_cache)}
    committed = (work / "NOTICE.txt").read_text(encoding="utf-8")
    start = committed.index("\nLicense text: Zlib (")
    edited = work / "edited-NOTICE.txt"
    edited.write_text(committed[:start] + "\n", encoding="utf-8")
    proc = run_ospo("notice", "--inventory", work / "inventory.json", "--check", edited, env=env)
    assert proc.returncode == 1
    assert "license texts missing: Zlib" in proc.stdout
    assert "components added" not in proc.stdout

    edited.write_text(committed.replace("Dominic Tarr", "D. Tarr"), encoding="utf-8")
    proc = run_ospo("notice", "--inventory", work / "inventory.json", "--check", edited, env=env)
    assert proc.returncode == 1
    assert "the same components, but their attribution differs" in proc.stdout


def test_dev_and_test_components_are_left_out_and_counted(work: Path, session_cache: Path) -> None:
    data = json.loads((work / "inventory.json").read_text(encoding="utf-8"))
    scopes = {"attrs": "dev", "cachetools": "test", "colorama": "test", "anyio": "optional"}
    for comp in data["components"]:
        comp["scope"] = scopes.get(comp["name"], comp["scope"])
    inventory = work / "scoped.json"
    inventory.write_text(json.dumps(data), encoding="utf-8")
    out = work / "scoped-NOTICE.txt"
    proc = run_ospo(
        "notice", "--inventory", inventory, "-o", out, env={"OSPO_CACHE_DIR": str(session_cache)}
    )
    assert proc.returncode == 0, proc.stderr
    # jsonify's public domain dedication has no license text
    assert "(3 dev/test components left out, 1 licenses without a text)" in proc.stderr
    notice = out.read_text(encoding="utf-8")
    assert "\nLeft out: 1 dev, 2 test components, which do not ship with the product.\n" in notice
    assert "Package URL: pkg:pypi/attrs@" not in notice
    assert "Package URL: pkg:pypi/colorama@" not in notice
    assert "Package URL: pkg:pypi/anyio@4.12.0\n" in notice  # optional ships
    assert "This product includes the 201 third-party components below." in notice


def test_unknown_licenses_and_texts_nobody_has_are_said_not_skipped(
    work: Path, session_cache: Path
) -> None:
    data = json.loads((work / "inventory.json").read_text(encoding="utf-8"))
    for comp in data["components"]:
        if comp["name"] == "isodate":
            comp["license_expression"] = None
            comp["unknown_reason"] = "no license metadata and no license file"
        if comp["name"] == "idna":
            comp["license_expression"] = "LicenseRef-Acme-Proprietary"
        if comp["name"] == "h11":
            comp["licenses"] = []
            comp["license_expression"] = "GPL-2.0-only WITH Classpath-exception-2.0"
    inventory = work / "odd.json"
    inventory.write_text(json.dumps(data), encoding="utf-8")
    out = work / "odd-NOTICE.txt"
    proc = run_ospo(
        "notice", "--inventory", inventory, "-o", out, env={"OSPO_CACHE_DIR": str(session_cache)}
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 with an unknown license, 2 licenses without a text" in proc.stderr
    notice = out.read_text(encoding="utf-8")
    isodate = _section(notice, "isodate", "0.7.2")
    assert "License: [LICENSE UNKNOWN] no license metadata and no license file\n" in isodate
    assert "License unknown: 1 components, marked [LICENSE UNKNOWN]." in notice
    assert "Unresolved: 2 licenses without a known text" in notice
    unresolved = notice[notice.index("\nUNRESOLVED LICENSES\n") :]
    assert re.search(r"LicenseRef-Acme-Proprietary: no text is known; used by idna \S+", unresolved)
    idna = _section(notice, "idna", "3.11")
    assert "Without a known text: LicenseRef-Acme-Proprietary" in idna
    # an exception's text comes with the license's
    h11 = _section(notice, "h11", "0.16.0")
    assert "Texts of its licenses: GPL-2.0-only, Classpath-exception-2.0" in h11
    assert "\nLicense text: Classpath-exception-2.0 (" in notice
    assert "\nLicense text: GPL-2.0-only (" in notice


def test_vendored_code_carries_its_license_file_and_copyrights(tmp_path: Path) -> None:
    app = make_vendored_app(tmp_path)
    out = tmp_path / "NOTICE.txt"
    proc = run_ospo("notice", app, "-o", out)
    assert proc.returncode == 0, proc.stderr
    notice = out.read_text(encoding="utf-8")
    section = notice[notice.index("\nis-number ") : notice.index("----- end of vendor/is-number")]
    assert "Vendored in: vendor/is-number/\n" in section
    license_text = (app / "vendor" / "is-number" / "LICENSE").read_text(encoding="utf-8")
    assert f"----- License file: vendor/is-number/LICENSE -----\n{license_text}" in section
    assert "Copyright (c) 2014-present, Jon Schlinkert." in license_text
    assert re.search(r"Copyright notices:\n  Copyright \(c\) 2014[^\n]*Jon Schlinkert", section)
    # the product's own files are not third-party
    assert "Acme Corporation" not in notice

    # a vendored file changed since the scan is not carried as if it were the one scanned
    inventory = tmp_path / "inventory.json"
    assert run_ospo("scan", app, "-o", inventory, "-q").returncode == 0
    (app / "vendor" / "is-number" / "LICENSE").write_text("changed\n", encoding="utf-8")
    proc = run_ospo("notice", app, "--inventory", inventory)
    assert proc.returncode == 0, proc.stderr
    assert "changed\n" not in proc.stdout
    assert "----- License file: vendor/is-number/LICENSE" not in proc.stdout


EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> Path:
    """An installed npm package whose name, version and license file are hostile."""
    root = tmp_path_factory.mktemp("hostile")
    package = root / "node_modules" / "evil"
    package.mkdir(parents=True)
    (package / "package.json").write_text(
        json.dumps({"name": EVIL, "version": "1.0.0 ](javascript:x)", "license": "MIT"}),
        encoding="utf-8",
    )
    (package / "LICENSE").write_text(
        f"Copyright (c) 2024 {EVIL}\n\n```\n</pre><script>alert(2)</script>\n# Heading\n",
        encoding="utf-8",
    )
    (root / "tree").mkdir()
    inventory = root / "inventory.json"
    proc = run_ospo(
        *("scan", root / "tree", "--env", root / "node_modules", "-o", inventory, "-q"),
        env={"OSPO_CACHE_DIR": str(session_cache)},
    )
    assert proc.returncode == 0, proc.stderr
    return inventory


def test_html_escapes_what_comes_from_a_scanned_package(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "NOTICE.html"
    assert run_ospo("notice", "--inventory", hostile, "-o", out).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;/pre&gt;&lt;script&gt;alert(2)" in page
    assert "default-src 'none'" in page


def test_markdown_keeps_what_comes_from_a_scanned_package_as_text(
    hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "NOTICE.md"
    assert run_ospo("notice", "--inventory", hostile, "-o", out).returncode == 0
    fence: str | None = None
    outside = []
    for line in out.read_text(encoding="utf-8").splitlines():
        opening = re.match(r"^(`{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.startswith(fence) and not line.strip("`"):
            fence = None
        elif fence is None:
            outside.append(line)
    assert fence is None  # every fence closed where ospo closed it
    prose = "\n".join(outside)
    assert not re.search(r"(?<!\\)[<>\[\]]", prose.replace("[LICENSE UNKNOWN]", ""))
    assert "## \\<script\\>alert\\(1\\)\\</script\\> 1.0.0 \\]\\(javascript:x\\)" in prose
    assert "# Heading" not in prose  # the license's lines stay inside its fence


def test_a_committed_notice_that_is_not_there_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    proc = run_ospo("notice", tmp_path / "tree", "--check", tmp_path / "NOTICE")
    assert proc.returncode == 2
    assert "NOTICE: the NOTICE does not exist" in proc.stderr
    proc = run_ospo("notice", "-o", tmp_path / "a", "--check", tmp_path / "b")
    assert proc.returncode == 2
    assert "either -o or --check" in proc.stderr


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        # overlapping ranges of one holder: one line
        (
            ["Copyright (c) 2010-2012 Jane Doe", "Copyright 2011-2015 Jane Doe"],
            ["Copyright (c) 2010-2015 Jane Doe"],
        ),
        # adjoining years join; a gap stays a gap, on the same line
        (
            ["Copyright (c) 2010-2011 Jane Doe", "Copyright (c) 2012 Jane Doe."],
            ["Copyright (c) 2010-2012 Jane Doe"],
        ),
        (
            ["Copyright (c) 2010 Jane Doe", "(c) 2015 Jane Doe"],
            ["Copyright (c) 2010, 2015 Jane Doe"],
        ),
        # two holders stay two lines; one statement is kept as ScanCode found it
        (
            ["Copyright 2010 Jane Doe", "Copyright (C) 2012, ACME Inc. All rights reserved."],
            ["Copyright (C) 2012, ACME Inc. All rights reserved.", "Copyright 2010 Jane Doe"],
        ),
        # the same statement twice is one line
        (["Copyright 2010 Jane Doe", "Copyright 2010 Jane Doe"], ["Copyright 2010 Jane Doe"]),
        # a license template's placeholders are not holders
        (["Copyright [yyyy] [name of copyright owner]"], []),
        (["Copyright (c) <year> <copyright holders>"], []),
        (["Copyright (c) the copyright holders"], []),
        # W3C's license template (typescript's ThirdPartyNoticeText.txt quotes it)
        (["Copyright (c) YEAR W3C(r) (MIT, ERCIM, Keio, Beihang) Disclaimers"], []),
        # a year is a year, whatever the case of the word around it
        (["Copyright (c) 2019 Year Zero Ltd"], ["Copyright (c) 2019 Year Zero Ltd"]),
        (["copyright holders and contributors"], []),
    ],
)
def test_merge_copyrights(statements: list[str], expected: list[str]) -> None:
    assert list(merge_copyrights((s, ()) for s in statements)) == expected
