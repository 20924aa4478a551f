# SPDX-License-Identifier: Apache-2.0
"""Installed environments: a real virtualenv (ospo's own) and a node_modules tree."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, run_ospo
from ospo import licensing
from ospo.model import LicenseSource
from ospo.scanners.base import ScanRequest
from ospo.scanners.environments.node import NodeModulesScanner
from ospo.scanners.environments.python import PythonEnvironmentScanner, site_packages
from ospo.scanners.purls import pypi_name

VENV = Path(sys.prefix)


@pytest.fixture(scope="module")
def venv_components() -> dict[str, object]:
    contribution = PythonEnvironmentScanner().scan(ScanRequest(root=Path("."), envs=(VENV,)))
    return {pypi_name(c.name): c for c in contribution.components}


def test_site_packages_from_venv_interpreter_or_directory() -> None:
    (site,) = site_packages(VENV)
    assert site.name == "site-packages"
    assert site_packages(site) == [site]
    assert site_packages(Path(sys.executable)) == [site]
    assert site_packages(DATA) == []


def test_declared_and_detected_are_kept_apart(venv_components: dict) -> None:
    expression = venv_components["license-expression"]
    assert expression.purl.startswith("pkg:pypi/license-expression@")
    assert expression.license_expression == "Apache-2.0"
    sources = {e.source for e in expression.licenses}
    assert sources == {LicenseSource.DECLARED, LicenseSource.DETECTED}
    detected = [e for e in expression.licenses if e.source is LicenseSource.DETECTED]
    # its data folder's cc-by-4.0.LICENSE is a text it works with, not named as a license
    # file is (LICENSE*, COPYING*, NOTICE* …): only the dist-info's files are its own
    assert all(".dist-info/" in (e.location or "") for e in detected)
    assert venv_components["packageurl-python"].license_expression == "MIT"


def test_vague_classifier_gives_way_to_license_files(venv_components: dict) -> None:
    # requests declares only the vague "Apache Software License" classifier in some
    # versions; wherever a declaration is vague, the license file decides.
    cases = [
        comp
        for comp in venv_components.values()
        if any(not e.valid and "vague" in (e.note or "") for e in comp.licenses)
        and any(e.source is LicenseSource.DETECTED for e in comp.licenses)
        and not any(e.valid for e in comp.licenses if e.source is LicenseSource.DECLARED)
    ]
    assert cases, "the environment has a package declared only by a vague classifier"
    assert [c.name for c in cases if c.license_expression is None] == []


def test_a_vague_declaration_alone_gives_its_usual_license_marked_assumed(
    venv_components: dict,
) -> None:
    ply = venv_components["ply"]  # declares "BSD" and ships no license file
    assert ply.license_expression == "BSD-3-Clause"
    assumed = [e for e in ply.licenses if (e.note or "").startswith("assumed: ")]
    assert [e.expression for e in assumed] == ["BSD-3-Clause"]
    assert "'BSD' usually means BSD-3-Clause" in assumed[0].note
    assert any(not e.valid and e.expression == "BSD" for e in ply.licenses)


def test_an_assumed_license_asks_the_osrb(tmp_path: Path) -> None:
    out = tmp_path / "inventory.json"
    (tmp_path / "tree").mkdir()
    scanned = run_ospo("scan", tmp_path / "tree", "--env", VENV, "-o", out, "-q")
    assert scanned.returncode == 0, scanned.stderr
    checked = run_ospo("check", "--inventory", out, "--format", "json")
    findings = json.loads(checked.stdout)["findings"]
    assumed = [f for f in findings if f["rule"] == "license/assumed"]
    assert [f["component"].split("@")[0] for f in assumed] == ["pkg:pypi/ply"]
    assert assumed[0]["severity"] == "warning"
    assert "ospo decide" in assumed[0]["how_to_fix"]


def test_unknown_is_kept_with_its_reason(tmp_path: Path) -> None:
    """A declaration that is neither SPDX nor a usual vague name, with no license file:
    unknown, with the reason and where the package is installed."""
    site = tmp_path / "site-packages"
    dist = site / "oddity-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: oddity\nVersion: 1.0\nLicense: Oddity Public Terms\n",
        encoding="utf-8",
    )
    contribution = PythonEnvironmentScanner().scan(ScanRequest(root=tmp_path, envs=(site,)))
    (oddity,) = contribution.components
    assert oddity.license_expression is None
    assert "Oddity Public Terms" in (oddity.unknown_reason or "")
    assert "installed in" in (oddity.unknown_reason or "")


def test_dependency_edges_point_at_installed_packages(venv_components: dict) -> None:
    jinja2 = venv_components["jinja2"]
    assert any(d.startswith("pkg:pypi/markupsafe@") for d in jinja2.dependencies)


def test_agrees_with_pip_licenses(venv_components: dict) -> None:
    """Every SPDX license pip-licenses reports is in ospo's expression; every difference
    is one of the cases explained below."""
    tool = Path(sys.executable).with_name("pip-licenses")
    proc = subprocess.run(
        [str(tool), "--python", sys.executable, "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    theirs = {pypi_name(p["Name"]): p["License"] for p in json.loads(proc.stdout)}
    assert len(theirs) >= 20
    valid = 0
    differences = {}
    for name, reported in theirs.items():
        if name == "ospo":  # the checkout itself, installed editable: not its own package
            continue
        comp = venv_components.get(name)
        assert comp is not None, f"{name} is installed but ospo did not see it"
        checked = licensing.check(reported)
        ours = comp.license_expression
        if checked.valid and checked.normalized:
            valid += 1
            if ours is None or not set(licensing.license_ids(checked.normalized)) <= set(
                licensing.license_ids(ours)
            ):
                differences[name] = (reported, ours)
        elif ours is None:
            differences[name] = (reported, ours)
    # ply says only "BSD" and ships no license file: BSD-3-Clause, assumed (pip-licenses
    # reports the raw "BSD"), so no difference remains
    assert differences == {}, differences
    known = sum(1 for c in venv_components.values() if c.license_expression)
    assert known > valid, "ospo establishes licenses where pip-licenses has only raw strings"


def test_agrees_with_cyclonedx_py(venv_components: dict, tmp_path: Path) -> None:
    """cyclonedx-py's SBOM of this very environment, imported, names the same packages,
    and every SPDX license it states is in ospo's expression for the package."""
    from ospo.sbom import load_sbom

    tool = VENV / "peers" / "bin" / "cyclonedx-py"
    assert tool.is_file(), "cyclonedx-py is installed by `make install` (.venv/peers)"
    sbom = tmp_path / "env.cdx.json"
    subprocess.run(
        [str(tool), "environment", sys.executable, "--of", "JSON", "--sv", "1.6", "-o", sbom],
        capture_output=True,
        check=True,
        timeout=300,
    )
    theirs = {pypi_name(c.name): c for c in load_sbom(sbom).components}
    assert len(theirs) >= 20
    ours = {name: c for name, c in venv_components.items()}
    # the same packages (ospo itself is the project, installed editable: cyclonedx-py
    # describes it as the SBOM's subject, not as a component)
    assert set(theirs) == set(ours) - {"ospo"}
    for name, comp in theirs.items():
        assert comp.purl == ours[name].purl, name
    differences = {}
    stated = 0
    for name, comp in theirs.items():
        declared = [e.expression for e in comp.licenses if e.valid and e.expression]
        if not declared:
            continue  # cyclonedx-py gives a name, not an SPDX id (e.g. "BSD License")
        stated += 1
        mine = ours[name].license_expression
        if mine is None or not all(licensing.mentions(mine, d) for d in declared):
            differences[name] = (declared, mine)
    assert stated >= 20
    # Every license cyclonedx-py states is named by ospo's answer, an alias counting as the
    # same license: defusedxml's classifier "Python Software Foundation License" is
    # Python-2.0 (the whole CPython license stack) to cyclonedx-py and PSF-2.0 to ospo, whose
    # answer is its LICENSE file's (the PSF License Agreement, which ScanCode detects as
    # PSF-2.0); distlib's PSF-2.0 and Python-2.0 are one text.
    assert differences == {}, differences
    detected = [e for e in ours["defusedxml"].licenses if e.source is LicenseSource.DETECTED]
    assert [e.expression for e in detected] == ["PSF-2.0"]


def test_node_modules(tmp_path: Path) -> None:
    modules = tmp_path / "node_modules"
    shutil.copytree(DATA / "vendored" / "is-number", modules / "is-number")
    scoped = modules / "@acme" / "private"
    scoped.mkdir(parents=True)
    (scoped / "package.json").write_text(
        json.dumps(
            {
                "name": "@acme/private",
                "version": "1.0.0",
                "license": "UNLICENSED",
                "dependencies": {"is-number": "^7.0.0"},
            }
        ),
        encoding="utf-8",
    )
    nested = modules / "@acme" / "private" / "node_modules" / "legacy"
    nested.mkdir(parents=True)
    (nested / "package.json").write_text(
        json.dumps(
            {
                "name": "legacy",
                "version": "0.1.0",
                "licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}],
            }
        ),
        encoding="utf-8",
    )
    contribution = NodeModulesScanner().scan(ScanRequest(root=tmp_path, envs=(modules,)))
    comps = {c.purl: c for c in contribution.components}
    assert set(comps) == {
        "pkg:npm/is-number@7.0.0",
        "pkg:npm/%40acme/private@1.0.0",
        "pkg:npm/legacy@0.1.0",
    }
    is_number = comps["pkg:npm/is-number@7.0.0"]
    assert is_number.license_expression == "MIT"
    assert {e.source for e in is_number.licenses} == {
        LicenseSource.DECLARED,
        LicenseSource.DETECTED,
    }
    private = comps["pkg:npm/%40acme/private@1.0.0"]
    assert private.license_expression == "LicenseRef-npm-UNLICENSED"
    assert private.dependencies == ("pkg:npm/is-number@7.0.0",)
    assert comps["pkg:npm/legacy@0.1.0"].license_expression == "MIT OR Apache-2.0"


def test_scan_with_env_end_to_end(tmp_path: Path) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "app.py").write_text("# SPDX-License-Identifier: MIT\nimport click\n")
    out = tmp_path / "inv.json"
    proc = run_ospo(
        "scan", root, "--env", VENV, "-q", "-o", out, "--cyclonedx", tmp_path / "bom.json"
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    names = {c["name"] for c in data["components"]}
    assert {"click", "license-expression", "scancode-toolkit"} <= names
    missing = run_ospo("scan", root, "--env", tmp_path / "nowhere")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr


def test_no_component_license_is_a_mere_mention(venv_components: dict) -> None:
    """Real packages of this environment (lxml, hypothesis, scancode-toolkit ship such
    files): a pointer, a disclaimer or an unnamed text is evidence, never a license."""
    from ospo.licensing import NOT_A_GRANT, license_ids

    mentioned = [
        c.name
        for c in venv_components.values()
        for e in c.licenses
        if e.expression and {i.lower() for i in license_ids(e.expression)} & NOT_A_GRANT
    ]
    assert mentioned, "the environment has packages whose files ScanCode finds mentions in"

    def ids(expressions: object) -> set[str]:
        return {i.lower() for e in expressions for i in license_ids(e)}  # type: ignore[attr-defined]

    leaked = {
        c.name: c.license_expression
        for c in venv_components.values()
        if c.license_expression
        and " OR " not in c.license_expression
        # what the package itself declares stands (scancode-toolkit declares other-permissive)
        and (ids([c.license_expression]) & NOT_A_GRANT)
        - ids(
            e.expression for e in c.licenses if e.source is LicenseSource.DECLARED and e.expression
        )
    }
    assert leaked == {}


def test_a_readme_listed_as_a_license_file_is_evidence_not_a_grant(venv_components: dict) -> None:
    """license-expression lists its README.rst as a License-File; the README's examples
    of expressions (GPL among them) are kept as evidence and do not reach the license."""
    from ospo.scanners.environments.base import NOT_A_LICENSE_FILE

    package = venv_components["license-expression"]
    readme = [e for e in package.licenses if (e.location or "").endswith("README.rst")]
    assert readme and all(e.note == NOT_A_LICENSE_FILE for e in readme)
    licenses = [e for e in package.licenses if (e.location or "").endswith(".LICENSE")]
    assert licenses and all(e.note is None for e in licenses)
    assert package.license_expression == "Apache-2.0"


def test_the_project_installed_in_editable_mode_is_not_its_own_dependency() -> None:
    """ospo's own environment holds ospo, installed from this checkout with ``pip install
    -e``: scanning the checkout with that environment does not list ospo as a package of
    ospo; scanning another tree with it does (it is then a dependency like any other)."""
    (dist_info,) = site_packages(VENV)[0].glob("ospo-*.dist-info")
    url = json.loads((dist_info / "direct_url.json").read_text(encoding="utf-8"))["url"]
    checkout = Path(url.removeprefix("file://"))  # the checkout the venv was installed from
    scanner = PythonEnvironmentScanner()
    own = scanner.scan(ScanRequest(root=checkout, envs=(VENV,)))
    other = scanner.scan(ScanRequest(root=DATA, envs=(VENV,)))
    assert "ospo" not in {c.name for c in own.components}
    assert "ospo" in {c.name for c in other.components}
    assert len(other.components) == len(own.components) + 1


def test_license_files_of_bundled_code_count_and_a_corpus_of_texts_does_not(
    venv_components: dict,
) -> None:
    """typecode vendors pygments with its LICENSE inside the package, and that license is
    shipped; ScanCode ships thousands of license texts as its data, which are not its
    licenses."""
    typecode = venv_components["typecode"]
    vendored = [e for e in typecode.licenses if e.location == "typecode/_vendor/pygments/LICENSE"]
    assert vendored and vendored[0].counted and "BSD-2-Clause" in vendored[0].expression
    assert "BSD-2-Clause" in typecode.license_expression
    scancode = venv_components["scancode-toolkit"]
    data = [e for e in scancode.licenses if "licensedcode/data/" in (e.location or "")]
    assert data == []
