# SPDX-License-Identifier: Apache-2.0
"""Vendored code is attributed to its own package, not to the product."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA as TEST_DATA
from conftest import run_ospo
from ospo.scanners.licensefiles import is_license_file
from ospo.scanners.source.vendored import find_vendored_roots, library_name

DATA = TEST_DATA / "vendored"


def test_vendored_roots() -> None:
    files = [
        "LICENSE",
        "src/app.py",
        "vendor/x/a.c",
        "vendor/x/sub/b.c",
        "vendor/single.js",
        "node_modules/@scope/pkg/index.js",
        "node_modules/plain/index.js",
        "src/lib/copied/LICENSE.txt",
        "src/lib/copied/copied.js",
        "packages/first-party/pyproject.toml",
    ]
    assert find_vendored_roots(files) == [
        "node_modules/@scope/pkg",
        "node_modules/plain",
        "src/lib/copied",
        "vendor/single.js",
        "vendor/x",
    ]


def test_license_file_names() -> None:
    """One rule for the source tree and the installed environments: a license word
    anywhere in the name, unless the name ends like code, data, a template or an image."""
    for name in (
        "LICENSE",
        "COPYING.LESSER",
        "License.txt",
        "LICENCE.md",
        "LICENSE-MIT",
        "MIT-LICENSE.txt",
        "apache-2.0.LICENSE",
        "UNLICENSE",
        "NOTICE",
        "ThirdPartyNotices.txt",
        "PATENTS",
        "copyright",
        "LEGAL",
    ):
        assert is_license_file(name), name
    for name in (
        "license.py",
        "licenses.json",
        "license_test.go",
        "LicensePicker.tsx",
        "license-badge.svg",
        "legal.html",
        "patents.yml",
        "README.md",
        "AUTHORS",
        "CHANGELOG.md",
    ):
        assert not is_license_file(name), name


def test_scan_attributes_vendored_files(vendored_app: Path, tmp_path: Path) -> None:
    out = tmp_path / "inv.json"
    proc = run_ospo("scan", vendored_app, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    comps = {c["vendored_path"]: c for c in data["components"]}
    assert set(comps) == {"vendor/is-number", "third_party/six", "lib/markupsafe"}

    npm = comps["vendor/is-number"]
    assert npm["purl"] == "pkg:npm/is-number@7.0.0"
    assert npm["license_expression"] == "MIT"
    sources = {(e["source"], e["location"]) for e in npm["licenses"]}
    assert sources == {
        ("declared", "vendor/is-number/package.json"),
        ("detected", "vendor/is-number/LICENSE"),
    }

    six = comps["third_party/six"]
    assert six["purl"] == "pkg:generic/six?vendored_path=third_party/six"
    assert six["license_expression"] == "MIT"
    assert [e["source"] for e in six["licenses"]] == ["detected"]

    markupsafe = comps["lib/markupsafe"]
    assert markupsafe["license_expression"] == "BSD-3-Clause"

    owners = {f["path"]: f["package"] for f in data["files"]}
    assert owners["vendor/is-number/index.js"] == npm["purl"]
    assert owners["third_party/six/six.py"] == six["purl"]
    assert owners["lib/markupsafe/__init__.py"] == markupsafe["purl"]
    assert owners["src/main.py"] is None
    assert owners["src/util.py"] is None


def test_vendored_code_without_a_license_is_kept_as_unknown(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "third_party" / "blob").mkdir(parents=True)
    (root / "third_party" / "blob" / "blob.c").write_text("int blob;\n", encoding="utf-8")
    out = tmp_path / "inv.json"
    assert run_ospo("scan", root, "-q", "-o", out).returncode == 0
    (comp,) = json.loads(out.read_text(encoding="utf-8"))["components"]
    assert comp["license_expression"] is None
    assert comp["unknown_reason"] == (
        "no declared license and no license text found in third_party/blob/"
    )


def test_cargo_workspace_members_are_not_vendored(tmp_path: Path) -> None:
    """A crate of the tree's own Cargo workspace keeps its LICENSE and stays first-party;
    an excluded directory and a directory outside the workspace with a license are
    vendored code."""
    from ospo.scanners.source.vendored import find_vendored_roots

    (tmp_path / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/legacy"]\n', encoding="utf-8"
    )
    files = [
        "Cargo.toml",
        "crates/core/Cargo.toml",
        "crates/core/LICENSE-MIT",
        "crates/legacy/Cargo.toml",
        "crates/legacy/LICENSE",
        "third/zlib/LICENSE",
    ]
    for rel in files[1:]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x\n", encoding="utf-8")
    assert find_vendored_roots(files, tmp_path) == ["crates/legacy", "third/zlib"]
    # without the tree, nothing says what the workspace is
    assert find_vendored_roots(files) == ["crates/core", "crates/legacy", "third/zlib"]


def test_a_package_path_named_like_a_vendor_directory_is_first_party() -> None:
    """In a JVM source tree, ``external`` and ``vendor`` are package names; vendor
    directories elsewhere keep their meaning, resources included, and code copied into a
    package path is still found by its license file."""
    files = [
        "src/test/java/com/acme/external/ClientTest.java",
        "src/main/java/com/acme/vendor/Vendor.java",
        "app/src/main/kotlin/com/acme/thirdparty/Bridge.kt",
        "src/main/java/external/Api.java",
        "src/main/resources/static/vendor/clipboard.min.js",
        "src/main/java/com/acme/shaded/json/LICENSE",
        "src/main/java/com/acme/shaded/json/JSONObject.java",
        "third_party/zlib/zlib.h",
    ]
    assert find_vendored_roots(files) == [
        "src/main/java/com/acme/shaded/json",
        "src/main/resources/static/vendor/clipboard.min.js",
        "third_party/zlib",
    ]


def test_external_and_extern_packages_are_first_party() -> None:
    """``external`` and ``extern`` that are Python or Go packages are the product's own
    modules; the same names holding libraries, and ``_vendor`` though it is a Python
    package, are vendor directories."""
    files = [
        "setuptools/extern/__init__.py",
        "setuptools/extern/helpers/util.py",
        "pkg/external/client.go",
        "pkg/external/fake/fake.go",
        "extern/lua/lua.c",
        "external/googletest/CMakeLists.txt",
        "pip/_vendor/__init__.py",
        "pip/_vendor/vendor.txt",
        "pip/_vendor/typing_extensions.py",
        "pip/_vendor/rich/__init__.py",
    ]
    assert find_vendored_roots(files) == [
        "extern/lua",
        "external/googletest",
        "pip/_vendor/rich",
        "pip/_vendor/typing_extensions.py",
    ]


def test_a_rust_module_named_vendor_is_first_party() -> None:
    """``vendor/mod.rs`` and ``vendor.rs`` make ``vendor`` a module of the crate; a file
    is never a vendor directory; ``cargo vendor``'s directory is one."""
    files = [
        "src/vendor/mod.rs",
        "src/vendor/client.rs",
        "crates/b/src/vendor.rs",
        "crates/b/src/vendor/api.rs",
        "crates/c/src/vendor.rs",
        "bin/vendor",
        "vendor/serde/Cargo.toml",
        "vendor/serde/src/lib.rs",
    ]
    assert find_vendored_roots(files) == ["vendor/serde"]


def test_license_files_of_a_jar_are_the_products_own() -> None:
    """Jackson keeps the LICENSE and NOTICE of its jars in ``src/main/resources/META-INF/``
    (FasterXML/jackson-dataformat-xml's layout): the product's license, not vendored code;
    a library copied into the resources is still vendored."""
    files = [
        "LICENSE",
        "src/main/resources/META-INF/LICENSE",
        "src/main/resources/META-INF/NOTICE",
        "src/main/resources/META-INF/services/com.fasterxml.jackson.core.JsonFactory",
        "src/main/resources/static/lib/LICENSE.txt",
        "src/main/resources/static/lib/chart.js",
    ]
    assert find_vendored_roots(files) == ["src/main/resources/static/lib"]


def test_license_pages_of_the_documentation_are_not_license_files() -> None:
    """A documentation page about licensing does not make its directory vendored code;
    a license file in the documentation's tree (a copied theme) and a license page
    outside the documentation do."""
    files = [
        "docs/license.md",
        "docs/guide/licensing.md",
        "doc/LICENSE.rst",
        "Documentation/process/license-rules.rst",
        "bundler/lib/bundler/man/bundle-licenses.1",
        "bundler/lib/bundler/man/bundle-licenses.1.ronn",
        "docs/_themes/flask/LICENSE",
        "docs/_themes/flask/layout.html",
        "lib/copied/LICENSE.md",
        "lib/copied/copied.c",
    ]
    assert find_vendored_roots(files) == ["docs/_themes/flask", "lib/copied"]


def test_files_directly_in_a_vendor_directory() -> None:
    """Each library file directly in a vendor directory is a package of its own; a README,
    a listing or a placeholder there is not; packages in subdirectories, npm's scoped
    packages and nested node_modules keep their directories."""
    files = [
        "static/vendor/jquery.min.js",
        "static/vendor/lodash.js",
        "static/vendor/normalize.css",
        "static/vendor/README.md",
        "static/vendor/.gitkeep",
        "third_party/stb_image.h",
        "third_party/six/six.py",
        "third_party/six/LICENSE",
        "node_modules/@types/node/index.d.ts",
        "node_modules/express/node_modules/debug/src/index.js",
    ]
    assert find_vendored_roots(files) == [
        "node_modules/@types/node",
        "node_modules/express",
        "node_modules/express/node_modules/debug",
        "static/vendor/jquery.min.js",
        "static/vendor/lodash.js",
        "static/vendor/normalize.css",
        "third_party/six",
        "third_party/stb_image.h",
    ]


def test_vendor_directories_sorted_by_kind() -> None:
    """Rails keeps vendored libraries one per file in ``vendor/javascript/`` (importmap) and
    ``vendor/assets/javascripts/``: each file is a package, a subdirectory there too; in
    node_modules a package may be named ``css``. The ``vendor/javascript/`` files are
    those of basecamp/once-campfire."""
    files = [
        "vendor/.keep",
        "vendor/javascript/.keep",
        "vendor/javascript/@rails--request.js",
        "vendor/javascript/highlight.js/core.js",
        "vendor/javascript/trix.esm.min.js",
        "vendor/assets/javascripts/jquery-3.7.1.js",
        "vendor/assets/stylesheets/normalize.css",
        "node_modules/css/index.js",
    ]
    assert find_vendored_roots(files) == [
        "node_modules/css",
        "vendor/assets/javascripts/jquery-3.7.1.js",
        "vendor/assets/stylesheets/normalize.css",
        "vendor/javascript/@rails--request.js",
        "vendor/javascript/highlight.js",
        "vendor/javascript/trix.esm.min.js",
    ]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("jquery.min.js", ("jquery", None)),
        ("jquery-3.7.1.min.js", ("jquery", "3.7.1")),
        ("tslib-1.9.3.js", ("tslib", "1.9.3")),
        ("d3.v7.min.js", ("d3", "7")),
        ("socket.io-2.3.0.js", ("socket.io", "2.3.0")),
        ("vue-3.0.0-rc.1.js", ("vue", "3.0.0-rc.1")),
        ("js.cookie.min.js", ("js.cookie", None)),
        ("stb_image.h", ("stb_image", None)),
        ("html5shiv.js", ("html5shiv", None)),
        ("sha-256.js", ("sha-256", None)),
        ("@hotwired--stimulus.js", ("@hotwired/stimulus", None)),
    ],
)
def test_library_names_from_file_names(filename: str, expected: tuple[str, str | None]) -> None:
    assert library_name(filename) == expected


def test_go_vendor_directory_holds_the_modules_of_modules_txt(tmp_path: Path) -> None:
    """``go mod vendor`` lays modules out by import path: each module modules.txt lists is
    a package, not the host's directory, and modules.txt itself is nobody's package."""
    shutil.copytree(DATA / "go-relay", tmp_path, dirs_exist_ok=True)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert find_vendored_roots(files, tmp_path) == ["vendor/golang.org/x/sys"]


def test_go_modules_replaced_by_a_directory_are_first_party(tmp_path: Path) -> None:
    """A module replaced by a local directory is the product's own code even when
    ``go mod vendor`` copies it; a module replaced by another module is vendored."""
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "modules.txt").write_text(
        "# example.com/local v0.0.0 => ./local\n"
        "## explicit\n"
        "example.com/local\n"
        "# example.com/old v1.0.0 => example.com/new v1.2.0\n"
        "## explicit\n"
        "example.com/old\n",
        encoding="utf-8",
    )
    files = [
        "vendor/modules.txt",
        "vendor/example.com/local/local.go",
        "vendor/example.com/old/old.go",
        "vendor/example.com/stale/stale.go",
    ]
    assert find_vendored_roots(files, tmp_path) == ["vendor/example.com/old"]


@pytest.fixture(scope="module")
def misfire_tree(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> dict:
    """A product whose own code has directories and files named like vendored code, beside
    real vendored code of five kinds, scanned once: its inventory."""
    root = tmp_path_factory.mktemp("misfires") / "product"
    own = {
        "src/main.py": "def main() -> None:\n    print('hello')\n",
        "src/test/java/com/acme/external/ClientTest.java": (
            "package com.acme.external;\n\nclass ClientTest {}\n"
        ),
        "docs/license.md": "# License\n\nThis project is licensed under the Apache-2.0 license.\n",
        "docs/guide/licensing.md": "# Licensing\n\nSee the LICENSE file at the top.\n",
        "src/vendor/mod.rs": "pub mod client;\n",
        "src/vendor/client.rs": "pub fn call() {}\n",
        "static/vendor/README.md": "Libraries used by the pages.\n",
    }
    for rel, text in own.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    static = DATA / "static"
    shutil.copyfile(static / "clipboard.min.js", root / "static/vendor/clipboard.min.js")
    shutil.copyfile(static / "tslib.js", root / "static/vendor/tslib-1.9.3.js")
    shutil.copyfile(static / "js.cookie.min.js", root / "static/vendor/js.cookie.min.js")
    shutil.copytree(DATA / "six", root / "third_party" / "six")
    shutil.copytree(DATA / "go-relay", root, dirs_exist_ok=True)
    shutil.copytree(DATA / "is-number", root / "node_modules" / "is-number")
    # node_modules is walked only for what is committed there
    for args in (("init", "-q"), ("add", "-A")):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    out = root.parent / "inv.json"
    ran = run_ospo("scan", root, "-q", "-o", out, env={"OSPO_CACHE_DIR": str(session_cache)})
    assert ran.returncode == 0, ran.stderr
    return dict(json.loads(out.read_text(encoding="utf-8")))


def test_misfires_stay_first_party(misfire_tree: dict) -> None:
    vendored = {c["vendored_path"] for c in misfire_tree["components"] if c["vendored_path"]}
    assert vendored == {
        "node_modules/is-number",
        "static/vendor/clipboard.min.js",
        "static/vendor/js.cookie.min.js",
        "static/vendor/tslib-1.9.3.js",
        "third_party/six",
        "vendor/golang.org/x/sys",
    }
    owners = {f["path"]: f["package"] for f in misfire_tree["files"]}
    for rel in (
        "src/test/java/com/acme/external/ClientTest.java",
        "docs/license.md",
        "docs/guide/licensing.md",
        "src/vendor/mod.rs",
        "src/vendor/client.rs",
        "static/vendor/README.md",
        "vendor/modules.txt",
    ):
        assert owners[rel] is None, rel


def test_vendored_files_are_components_with_their_own_licenses(misfire_tree: dict) -> None:
    """Each library file in ``static/vendor/`` is its own component, named from the file,
    with the license ScanCode finds in its header."""
    comps = {c["vendored_path"]: c for c in misfire_tree["components"] if c["vendored_path"]}
    clipboard = comps["static/vendor/clipboard.min.js"]
    assert (clipboard["name"], clipboard["version"]) == ("clipboard", None)
    assert clipboard["purl"] == "pkg:generic/clipboard?vendored_path=static/vendor/clipboard.min.js"
    assert clipboard["license_expression"] == "MIT"
    assert [(e["source"], e["location"]) for e in clipboard["licenses"]] == [
        ("detected", "static/vendor/clipboard.min.js")
    ]

    tslib = comps["static/vendor/tslib-1.9.3.js"]
    assert (tslib["name"], tslib["version"]) == ("tslib", "1.9.3")
    assert tslib["purl"] == "pkg:generic/tslib@1.9.3?vendored_path=static/vendor/tslib-1.9.3.js"
    assert tslib["license_expression"] == "Apache-2.0"

    cookie = comps["static/vendor/js.cookie.min.js"]
    assert cookie["name"] == "js.cookie"
    assert cookie["license_expression"] is None
    assert cookie["unknown_reason"] == (
        "no declared license and no license text found in static/vendor/js.cookie.min.js"
    )

    six = comps["third_party/six"]
    assert (six["name"], six["license_expression"]) == ("six", "MIT")
    copied = comps["node_modules/is-number"]
    assert (copied["purl"], copied["license_expression"]) == ("pkg:npm/is-number@7.0.0", "MIT")

    owners = {f["path"]: f["package"] for f in misfire_tree["files"]}
    assert owners["static/vendor/tslib-1.9.3.js"] == tslib["purl"]
    assert owners["third_party/six/six.py"] == six["purl"]


def test_go_vendored_module_gives_go_mod_its_license(misfire_tree: dict) -> None:
    """go.mod names golang.org/x/sys without a license; its vendored copy is the same
    module and brings its LICENSE and PATENTS files."""
    (sys_module,) = [
        c for c in misfire_tree["components"] if c["purl"].startswith("pkg:golang/golang.org/x/sys")
    ]
    assert sys_module["purl"] == "pkg:golang/golang.org/x/sys@v0.33.0"
    assert sys_module["vendored_path"] == "vendor/golang.org/x/sys"
    assert sys_module["direct"] is True  # go.mod requires it directly
    detected = {e["location"] for e in sys_module["licenses"] if e["source"] == "detected"}
    assert detected == {"vendor/golang.org/x/sys/LICENSE", "vendor/golang.org/x/sys/PATENTS"}
    assert sys_module["license_expression"] == (
        "BSD-3-Clause AND LicenseRef-scancode-google-patent-license-golang"
    )
    owners = {f["path"]: f["package"] for f in misfire_tree["files"]}
    assert owners["vendor/golang.org/x/sys/unix/aliases.go"] == sys_module["purl"]
