# SPDX-License-Identifier: Apache-2.0
"""Which licenses a package's license files grant: the neighbours of the real packages'
cases, each in a package that differs from the next only in what it installs.

The license texts are ScanCode's own (its license data); the sentences around them are
the kind real packages write (lodash's, packaging's, lxml's wording). The packages are
laid out as pip installs them (``METADATA``, ``RECORD``, license files in the dist-info),
and read by ``ospo scan --env`` with the real ScanCode.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest

from conftest import run_ospo
from ospo.inventory_json import load

_LICENSES = Path(next(iter(find_spec("licensedcode").submodule_search_locations))) / "data"  # type: ignore[union-attr, arg-type]


def _text(key: str) -> str:
    """The text of a license as ScanCode's data holds it (after its front matter)."""
    raw = (_LICENSES / "licenses" / f"{key}.LICENSE").read_text(encoding="utf-8")
    return raw.split("\n---\n", 1)[1].lstrip("\n")


TESTS_GPL = (
    "\n\nThe test fixtures in tests/fixtures/ were written by another project and are\n"
    "distributed under the GNU General Public License, version 3 or later.\n"
)
ZLIB_SECTION = "\n\nThe code in src/vendor/zlib/ is distributed under the zlib license:\n\n"
DOCS_CC0 = (
    "\n\nCopyright and related rights for sample code are waived via CC0. Sample\n"
    "code is defined as all source code displayed within the prose of the\n"
    "documentation.\n\nCC0: http://creativecommons.org/publicdomain/zero/1.0/\n"
)
#: XZ Utils' licensing summary, as Pillow's wheel carries it for the liblzma it bundles.
XZ_SUMMARY = (
    "\n\n----\n\n"
    + """LIBLZMA

XZ Utils Licensing
==================

    Different licenses apply to different files in this package. Here
    is a rough summary of which licenses apply to which parts of this
    package (but check the individual files to be sure!):

      - liblzma is in the public domain.

      - xz, xzdec, and lzmadec command line tools are in the public
        domain unless GNU getopt_long had to be compiled and linked
        in from the lib directory. The getopt_long code is under
        GNU LGPLv2.1+.

      - The scripts to grep, diff, and view compressed files have been
        adapted from gzip. These scripts and their documentation are
        under GNU GPLv2+.

      - All the documentation in the doc directory and most of the
        XZ Utils specific documentation files in other directories
        are in the public domain.

      - Translated messages are in the public domain.

      - The build system contains public domain files, and files that
        are under GNU GPLv2+ or GNU GPLv3+. None of these files end up
        in the binaries being built.

      - Test files and test code in the tests directory, and debugging
        utilities in the debug directory are in the public domain.

      - The extra directory may contain public domain files, and files
        that are under various free software licenses.

    You can do whatever you want with the files that have been put into
"""
)
CHOICE = (
    "This software is made available under the terms of *either* of the licenses\n"
    "found in LICENSE.APACHE or LICENSE.BSD. Contributions to this software is made\n"
    "under the terms of *both* these licenses.\n"
)

#: name -> (declared License-Expression or None, license files, installed files)
PACKAGES: dict[str, tuple[str | None, dict[str, str], list[str]]] = {
    "acme-fixtures": ("MIT", {"LICENSE": _text("mit") + TESTS_GPL}, ["acme/__init__.py"]),
    "acme-fixtures-shipped": (
        "MIT",
        {"LICENSE": _text("mit") + TESTS_GPL},
        ["acme/__init__.py", "acme/tests/fixtures/sample.txt"],
    ),
    "acme-compiled": (
        "MIT",
        {"LICENSE": _text("mit") + ZLIB_SECTION + _text("zlib")},
        ["acme/__init__.py", "acme/_core.cpython-311-x86_64-linux-gnu.so"],
    ),
    "acme-pure": (
        "MIT",
        {"LICENSE": _text("mit") + ZLIB_SECTION + _text("zlib")},
        ["acme/__init__.py"],
    ),
    "acme-choice": (
        None,
        {
            "LICENSE": CHOICE,
            "LICENSE.APACHE": _text("apache-2.0"),
            "LICENSE.BSD": _text("bsd-simplified"),
        },
        ["acme/__init__.py"],
    ),
    "acme-docs": ("MIT", {"LICENSE": _text("mit") + DOCS_CC0}, ["acme/__init__.py"]),
    "acme-xz": (
        "MIT",
        {"LICENSE": _text("mit") + XZ_SUMMARY},
        ["acme/__init__.py", "acme/_imaging.cpython-311-x86_64-linux-gnu.so"],
    ),
    "acme-xz-tools": (
        "MIT",
        {"LICENSE": _text("mit") + XZ_SUMMARY},
        ["acme/__init__.py", "acme/_xz.cpython-311-x86_64-linux-gnu.so", "../../../bin/xzdiff"],
    ),
    "acme-docs-shipped": (
        "MIT",
        {"LICENSE": _text("mit") + DOCS_CC0},
        ["acme/__init__.py", "acme/docs/index.html"],
    ),
}


def _install(site: Path, name: str, declared: str | None, files: dict, installed: list) -> None:
    dist = site / f"{name.replace('-', '_')}-1.0.dist-info"
    (dist / "licenses").mkdir(parents=True)
    meta = f"Metadata-Version: 2.4\nName: {name}\nVersion: 1.0\n"
    if declared:
        meta += f"License-Expression: {declared}\n"
    meta += "".join(f"License-File: {f}\n" for f in files)
    (dist / "METADATA").write_text(meta, encoding="utf-8")
    for file, text in files.items():
        (dist / "licenses" / file).write_text(text, encoding="utf-8")
    record = [*installed, *(f"{dist.name}/licenses/{f}" for f in files), f"{dist.name}/METADATA"]
    (dist / "RECORD").write_text("".join(f"{r},,\n" for r in record), encoding="utf-8")


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> dict:
    work = tmp_path_factory.mktemp("grants")
    site = work / "site-packages"
    for name, (declared, files, installed) in PACKAGES.items():
        _install(site, name, declared, files, installed)
    (work / "tree").mkdir()
    out = work / "inventory.json"
    ran = run_ospo(
        *("scan", work / "tree", "--env", site, "-o", out, "-q"),
        env={"OSPO_CACHE_DIR": str(session_cache)},
    )
    assert ran.returncode == 0, ran.stderr
    return {c.name: c for c in load(out).components}


@pytest.mark.parametrize(
    ("name", "expected", "why"),
    [
        ("acme-fixtures", "MIT", "the GPL section is about tests/fixtures/, not installed"),
        ("acme-fixtures-shipped", "MIT AND GPL-3.0-or-later", "the fixtures are installed"),
        ("acme-compiled", "MIT AND Zlib", "src/vendor/zlib/ may be compiled into the .so"),
        ("acme-pure", "MIT", "no binary: src/vendor/zlib/ is neither installed nor compiled in"),
        ("acme-choice", "Apache-2.0 OR BSD-2-Clause", "the pointer offers the siblings' texts"),
        ("acme-docs", "MIT", "CC0 covers sample code in documentation, not installed"),
        ("acme-docs-shipped", "MIT AND CC0-1.0", "the documentation is installed"),
        (
            "acme-xz",
            "MIT AND LicenseRef-scancode-public-domain",
            "a library only: XZ's GPL scripts, tools and build system do not ship",
        ),
        (
            "acme-xz-tools",
            "MIT AND LicenseRef-scancode-public-domain AND LGPL-2.1-or-later AND "
            "GPL-3.0-or-later AND LicenseRef-scancode-other-copyleft",
            "it installs a program: the tools' and scripts' licenses may apply (GPL-2.0+ "
            "beside GPL-3.0+ adds nothing)",
        ),
    ],
)
def test_what_a_license_file_grants_depends_on_what_ships(
    components: dict, name: str, expected: str, why: str
) -> None:
    assert components[name].license_expression == expected, why


def test_what_is_not_counted_says_why(components: dict) -> None:
    notes = {
        name: [e.note for e in components[name].licenses if not e.counted]
        for name in ("acme-fixtures", "acme-pure", "acme-docs", "acme-choice")
    }
    assert any("tests/fixtures" in n for n in notes["acme-fixtures"]), notes
    assert any("src/vendor/zlib" in n for n in notes["acme-pure"]), notes
    assert any("documentation" in n for n in notes["acme-docs"]), notes
    assert sum("alternative of the choice" in n for n in notes["acme-choice"]) == 2, notes
