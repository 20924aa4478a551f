# SPDX-License-Identifier: Apache-2.0
"""The registry advisor and the rules that judge its answers, against recorded answers of
PyPI and npm served from 127.0.0.1 (tests/data/registry/SOURCES.md)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import DATA, run_ospo
from ospo import inventory_json
from ospo.advisor.fetch import RegistrySettings, advise
from ospo.advisor.fill import fill_declared
from ospo.api import CheckSettings, check_inventory
from ospo.evaluation import Finding
from ospo.model import Component, Inventory, LicenseEvidence, LicenseSource, Scope, Subject

RECORDED = DATA / "registry"
TODAY = date(2026, 12, 7)


@dataclass
class Registry:
    """A registry on 127.0.0.1 answering from the recorded files, or failing as told."""

    url: str
    mode: str = "recorded"  # recorded, 500, garbage, slow
    asked: list[str] = field(default_factory=list)


def _handler(registry: Registry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            registry.asked.append(self.path)
            if registry.mode == "slow":
                time.sleep(2)
            if registry.mode == "500":
                self._answer(500, b"internal error")
                return
            if registry.mode == "garbage":
                self._answer(200, b"<html>a captive portal</html>")
                return
            path = _recorded(unquote(self.path))
            if path is None or not path.is_file():
                self._answer(404, b'{"message": "Not Found"}')
                return
            self._answer(200, path.read_bytes())

        def _answer(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (the timeout test)
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _recorded(path: str) -> Path | None:
    """The file answering ``path`` as PyPI (``/pypi/NAME/json``, ``/pypi/NAME/V/json``) or
    npm (``/NAME``) would."""
    parts = path.strip("/").split("/")
    if parts[0] == "pypi" and len(parts) == 3:
        return RECORDED / "pypi" / f"{parts[1]}.json"
    if parts[0] == "pypi" and len(parts) == 4:
        return RECORDED / "pypi" / parts[1] / f"{parts[2]}.json"
    if len(parts) == 1 or (len(parts) == 2 and parts[0].startswith("@")):
        return RECORDED / "npm" / f"{'/'.join(parts)}.json"
    return None


@pytest.fixture
def registry(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """Both registries at one local server; the advisor pointed at it, its cache empty."""
    monkeypatch.setenv("OSPO_CACHE_DIR", str(tmp_path_factory.mktemp("registry-cache")))
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    reg = Registry(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(reg)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.delenv("OSPO_ADVISOR", raising=False)
    monkeypatch.delenv("OSPO_OFFLINE", raising=False)
    monkeypatch.setenv("OSPO_PYPI_URL", reg.url)
    monkeypatch.setenv("OSPO_NPM_REGISTRY", reg.url)
    try:
        yield reg
    finally:
        server.shutdown()
        server.server_close()


def _settings(registry: Registry, cache: Path, **kw: object) -> RegistrySettings:
    return RegistrySettings(
        pypi_url=registry.url,
        npm_url=registry.url,
        cache=cache,
        **kw,  # type: ignore[arg-type]
    )


def _component(
    ecosystem: str, name: str, version: str, license: str | None = None, **kw: object
) -> Component:
    licenses = (
        (LicenseEvidence(expression=license, source=LicenseSource.DECLARED, location="lock"),)
        if license
        else ()
    )
    return Component(
        purl=f"pkg:{ecosystem}/{name}@{version}",
        name=name,
        version=version,
        license_expression=license,
        licenses=licenses,
        **kw,  # type: ignore[arg-type]
    )


def _inventory(*components: Component) -> Inventory:
    return Inventory(subject=Subject(name="product", profile="binary"), components=components)


def _findings(inv: Inventory, policy: Path | None = None, **kw: object) -> list[Finding]:
    settings = CheckSettings(today=TODAY, policy_path=policy, **kw)  # type: ignore[arg-type]
    judged = check_inventory(inv, settings)
    assert judged.evaluation is not None
    return [
        f
        for f in judged.evaluation.findings
        if f.rule.startswith("competition/")
        or f.rule
        in (
            "consumption/no-recent-release",
            "consumption/yanked-version",
            "consumption/deprecated-version",
            "consumption/libyears",
        )
    ]


def _policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yml"
    path.write_text("extends: default\n" + text, encoding="utf-8")
    return path


# --- what the advisor reads -------------------------------------------------------------


def test_npm_document_gives_releases_licenses_and_source(
    registry: Registry, tmp_path: Path
) -> None:
    advice = advise(
        [_component("npm", "directus", "9.22.4"), _component("npm", "is-number", "7.0.0")],
        _settings(registry, tmp_path),
    )
    assert advice.notes == ()
    directus = advice.record("pkg:npm/directus@9.22.4")
    assert directus is not None
    assert directus.latest == "12.4.1"
    assert directus.repository == "https://github.com/directus/directus.git"
    assert directus.maintainers == 2
    versions = [r.version for r in directus.releases]
    # ordered as semver orders them, not as the document lists them
    assert versions.index("9.0.0-rc.100") < versions.index("9.2.0") < versions.index("9.22.4")
    assert versions.index("10.9.3") < versions.index("10.10.0")
    assert directus.release("9.22.4").license == "GPL-3.0-only"  # type: ignore[union-attr]
    assert directus.release("10.0.0").license == "BUSL-1.1"  # type: ignore[union-attr]
    assert directus.release("12.0.2").license == "SEE LICENSE IN license"  # type: ignore[union-attr]
    is_number = advice.record("pkg:npm/is-number@7.0.0")
    assert is_number is not None
    # the old {"type": "MIT", "url": ...} form
    assert is_number.release("1.0.0").license == "MIT"  # type: ignore[union-attr]
    assert {r.license for r in is_number.releases} == {"MIT"}


def test_scoped_npm_package(registry: Registry, tmp_path: Path) -> None:
    comp = Component(
        purl="pkg:npm/%40tootallnate/once@2.0.0", name="@tootallnate/once", version="2.0.0"
    )
    advice = advise([comp], _settings(registry, tmp_path))
    assert advice.notes == ()
    assert registry.asked == ["/@tootallnate%2Fonce"]
    record = advice.record(comp.purl)
    assert record is not None and record.latest == "3.0.1"
    assert [r.version for r in record.releases][-2:] == ["3.0.0", "3.0.1"]


def test_pypi_search_for_the_release_that_changed_license(
    registry: Registry, tmp_path: Path
) -> None:
    advice = advise([_component("pypi", "sentry", "9.1.2")], _settings(registry, tmp_path))
    record = advice.record("pkg:pypi/sentry@9.1.2")
    assert record is not None
    assert record.latest == "23.7.1"
    assert record.release("23.7.1").license == "License :: Other/Proprietary License"  # type: ignore[union-attr]
    assert record.release("9.1.2").license == "BSD"  # type: ignore[union-attr]
    assert record.release("10.0.0").license == "License :: Other/Proprietary License"  # type: ignore[union-attr]
    assert record.release("9.1.2").yanked  # type: ignore[union-attr]
    assert record.release("9.1.2").published == date(2019, 7, 23)  # type: ignore[union-attr]
    pages = [p for p in registry.asked if p.count("/") == 4]
    # a binary search over 300-odd releases, not a page per release
    assert 1 < len(pages) <= 9


def test_pypi_page_of_a_version_missing_degrades(registry: Registry, tmp_path: Path) -> None:
    advice = advise([_component("pypi", "six", "1.16.0")], _settings(registry, tmp_path))
    record = advice.record("pkg:pypi/six@1.16.0")
    assert record is not None and advice.notes == ()
    assert record.release("1.16.0").license is None  # type: ignore[union-attr]
    assert record.release("1.17.0").license == "MIT"  # type: ignore[union-attr]
    assert record.repository == "https://github.com/benjaminp/six"


def test_unknown_package_is_a_note(registry: Registry, tmp_path: Path) -> None:
    advice = advise(
        [_component("npm", "no-such-package", "1.0.0"), _component("cargo", "serde", "1.0.0")],
        _settings(registry, tmp_path),
    )
    assert advice.records == {}
    assert len(advice.notes) == 1  # cargo is not asked about
    assert "does not know the package" in advice.notes[0].message
    assert "no-such-package@1.0.0" in advice.notes[0].message


# --- the declared license filled in -----------------------------------------------------


def test_registry_fills_in_a_missing_declared_license(registry: Registry, tmp_path: Path) -> None:
    bare = _component("npm", "is-number", "7.0.0")
    declared = _component("npm", "directus", "9.22.4", license="MIT")
    latest_six = _component("pypi", "six", "1.17.0")
    old_six = _component("pypi", "six", "1.16.0")  # PyPI's page of 1.16.0 answers 404
    inv = _inventory(bare, declared, latest_six, old_six)
    filled = fill_declared(inv, advise(inv.components, _settings(registry, tmp_path)))
    by_purl = {c.purl: c for c in filled.components}
    is_number = by_purl[bare.purl]
    assert is_number.license_expression == "MIT"
    assert [(e.expression, e.source, e.location) for e in is_number.licenses] == [
        ("MIT", LicenseSource.DECLARED, f"{registry.url}/is-number")
    ]
    assert by_purl[latest_six.purl].license_expression == "MIT"
    assert by_purl[latest_six.purl].licenses[0].location == f"{registry.url}/pypi/six/json"
    # a declared license stays as the inventory has it, even where the registry differs
    assert by_purl[declared.purl].licenses == declared.licenses
    assert by_purl[declared.purl].license_expression == "MIT"
    assert by_purl[old_six.purl].license_expression is None
    assert by_purl[old_six.purl].licenses == ()


# --- Competition: relicensing -----------------------------------------------------------


def test_relicensed_to_source_available_before_and_after(registry: Registry) -> None:
    before = _component("npm", "directus", "9.22.4", license="GPL-3.0-only")
    after = _component("npm", "directus", "10.5.2", license="BUSL-1.1")
    found = _findings(_inventory(before))
    relicensed = [f for f in found if f.rule == "competition/relicensed"]
    assert len(relicensed) == 1
    message = relicensed[0].message
    assert "changed license in 10.0.0" in message
    assert "from GPL-3.0-only (strong-copyleft) to BUSL-1.1 (source-available)" in message
    assert "9.22.4, is before the change" in message
    assert relicensed[0].severity.value == "warning"
    assert "Stay below 10.0.0" in relicensed[0].how_to_fix
    # the later "SEE LICENSE IN license" is never "unchanged"
    unclear = [f for f in found if f.rule == "competition/license-unclear"]
    assert len(unclear) == 1 and "12.0.2" in unclear[0].message
    assert "SEE LICENSE IN license" in unclear[0].message

    found = _findings(_inventory(after))
    relicensed = [f for f in found if f.rule == "competition/relicensed"]
    assert len(relicensed) == 1
    assert "changed license in 10.0.0" in relicensed[0].message
    assert "10.5.2, is after the change" in relicensed[0].message
    assert "Go back to 9.26.0" in relicensed[0].how_to_fix


def test_pypi_relicensing_found_by_search_and_inventory_license(registry: Registry) -> None:
    # PyPI says only "BSD" for 9.1.2: the inventory's license (from its files) stands in
    sentry = _component("pypi", "sentry", "9.1.2", license="BSD-3-Clause")
    relicensed = [f for f in _findings(_inventory(sentry)) if f.rule == "competition/relicensed"]
    assert len(relicensed) == 1
    message = relicensed[0].message
    assert "changed license in 10.0.0" in message
    assert "from BSD-3-Clause (permissive) (as the inventory has it)" in message
    assert "License :: Other/Proprietary License (proprietary)" in message
    assert "(PyPI)" in message and "before the change" in message


def test_no_relicensing_no_finding(registry: Registry) -> None:
    found = _findings(
        _inventory(
            _component("npm", "is-number", "6.0.0", license="MIT"),
            _component("pypi", "six", "1.17.0", license="MIT"),
            # the latest version: nothing newer to move to
            _component("npm", "directus", "12.4.1"),
        )
    )
    assert [f for f in found if f.rule.startswith("competition/")] == []


def test_dev_dependency_and_disabled_rules_stay_quiet(registry: Registry, tmp_path: Path) -> None:
    dev = _component("npm", "directus", "9.22.4", license="GPL-3.0-only", scope=Scope.DEV)
    assert _findings(_inventory(dev)) == []
    shipped = _component("npm", "directus", "9.22.4", license="GPL-3.0-only")
    off = _policy(tmp_path, "registry:\n  competition:\n    enabled: false\n")
    assert [
        f for f in _findings(_inventory(shipped), off) if f.rule.startswith("competition/")
    ] == []
    assert registry.asked  # consumption is still on, so the registry was asked
    both_off = _policy(
        tmp_path,
        "registry:\n  competition:\n    enabled: false\n  consumption:\n    enabled: false\n",
    )
    registry.asked.clear()
    assert _findings(_inventory(shipped), both_off) == []
    assert registry.asked == []  # no enabled rule needs the registries: none is asked


# --- Consumption ------------------------------------------------------------------------


def test_yanked_stale_and_deprecated(registry: Registry) -> None:
    found = _findings(
        _inventory(
            _component("pypi", "sentry", "9.1.2", license="BSD-3-Clause"),
            _component("npm", "request", "2.88.2", license="Apache-2.0"),
            _component("npm", "is-number", "7.0.0", license="MIT"),
        )
    )
    rules = {(f.rule, f.component) for f in found if f.rule.startswith("consumption/")}
    assert ("consumption/yanked-version", "pkg:pypi/sentry@9.1.2") in rules
    # sentry's last release on PyPI: 2023-07; the policy allows 24 months
    assert ("consumption/no-recent-release", "pkg:pypi/sentry@9.1.2") in rules
    assert ("consumption/deprecated-version", "pkg:npm/request@2.88.2") in rules
    assert not any(c == "pkg:npm/is-number@7.0.0" for _, c in rules)
    deprecated = next(f for f in found if f.rule == "consumption/deprecated-version")
    assert "request/request/issues/3142" in deprecated.message


def test_libyears_and_months_thresholds(registry: Registry, tmp_path: Path) -> None:
    six = _inventory(_component("pypi", "six", "1.16.0", license="MIT"))
    # 1.16.0 on 2021-05-05, 1.17.0 on 2024-12-04: 3.6 libyears; the default allows 5
    assert [f for f in _findings(six) if f.rule.startswith("consumption/")] == []
    strict = _policy(
        tmp_path,
        "registry:\n  consumption:\n    libyears: 3\n    severity: info\n",
    )
    libyears = [f for f in _findings(six, strict) if f.rule == "consumption/libyears"]
    assert len(libyears) == 1
    assert "3.6 libyears behind the latest 1.17.0" in libyears[0].message
    assert libyears[0].severity.value == "info"
    # 2024-12-04 to 2026-12-07 is 24 months: not more than 24; a month later it is
    settings = CheckSettings(today=date(2027, 1, 5))
    judged = check_inventory(six, settings)
    assert judged.evaluation is not None
    stale = [f for f in judged.evaluation.findings if f.rule == "consumption/no-recent-release"]
    assert len(stale) == 1 and "no release for 25 months" in stale[0].message


# --- when the registries do not answer --------------------------------------------------


def test_offline_with_empty_cache_is_no_data_and_the_run_goes_on(
    registry: Registry, tmp_path: Path
) -> None:
    inv = _inventory(_component("npm", "directus", "9.22.4", license="GPL-3.0-only"))
    judged = check_inventory(inv, CheckSettings(today=TODAY, offline=True))
    assert registry.asked == []
    assert judged.evaluation is not None
    # the license rules judge as ever; no registry rule reports anything without data
    assert {f.rule for f in judged.evaluation.findings} == {"license/denied"}
    notes = [i for i in judged.scan.issues if i.kind.value == "registry"]
    assert len(notes) == 1
    assert "offline, and the cache holds no answer" in notes[0].message
    assert "directus@9.22.4" in notes[0].message
    # asked once online, the answer is kept: offline then judges from the cache
    check_inventory(inv, CheckSettings(today=TODAY))
    asked = len(registry.asked)
    again = check_inventory(inv, CheckSettings(today=TODAY, offline=True))
    assert len(registry.asked) == asked
    assert again.evaluation is not None
    assert "competition/relicensed" in {f.rule for f in again.evaluation.findings}


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("500", "the registry answered HTTP 500"),
        ("garbage", "something that is not JSON"),
    ],
)
def test_registry_errors_are_no_data(
    registry: Registry, tmp_path: Path, mode: str, reason: str
) -> None:
    registry.mode = mode
    components = [_component("npm", "directus", "9.22.4"), _component("pypi", "six", "1.16.0")]
    advice = advise(components, _settings(registry, tmp_path))
    assert advice.records == {}
    assert len(advice.notes) == 1  # both registries at the one server
    assert reason in advice.notes[0].message
    assert advice.notes[0].path == registry.url
    # nothing bad was kept: when the registry recovers, it is asked again
    registry.mode = "recorded"
    assert advise(components, _settings(registry, tmp_path)).notes == ()


def test_timeout_is_no_data_and_the_registry_is_not_asked_again(
    registry: Registry, tmp_path: Path
) -> None:
    registry.mode = "slow"
    components = [_component("npm", name, "1.0.0") for name in ("a", "b", "c", "d")]
    started = time.monotonic()
    advice = advise(components, _settings(registry, tmp_path, timeout=0.3, workers=1))
    assert time.monotonic() - started < 1.5  # one timeout, not four
    assert len(registry.asked) == 1
    assert advice.records == {}
    assert len(advice.notes) == 1
    assert "the registry did not answer: timed out" in advice.notes[0].message
    assert "4 component(s)" in advice.notes[0].message


def test_closed_port_does_not_fail_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.delenv("OSPO_ADVISOR", raising=False)
    monkeypatch.delenv("OSPO_OFFLINE", raising=False)
    monkeypatch.setenv("OSPO_PYPI_URL", closed)
    monkeypatch.setenv("OSPO_NPM_REGISTRY", closed)
    inv = _inventory(_component("npm", "is-number", "7.0.0", license="MIT"))
    judged = check_inventory(inv, CheckSettings(today=TODAY))
    assert judged.evaluation is not None and judged.evaluation.verdict == "pass"
    assert any("did not answer" in i.message for i in judged.scan.issues)


# --- the cache --------------------------------------------------------------------------


def test_cache_expiry(registry: Registry, tmp_path: Path) -> None:
    clock = [1_000_000.0]
    components = [_component("npm", "is-number", "7.0.0")]

    def settings() -> RegistrySettings:
        return _settings(registry, tmp_path, max_age_hours=24, now=lambda: clock[0])

    advise(components, settings())
    assert len(registry.asked) == 1
    clock[0] += 23 * 3600
    assert advise(components, settings()).record(components[0].purl) is not None
    assert len(registry.asked) == 1  # fresh enough: from the cache
    clock[0] += 2 * 3600
    advise(components, settings())
    assert len(registry.asked) == 2  # expired: asked again
    # expired and the registry down: the stale answer is better than none
    clock[0] += 48 * 3600
    registry.mode = "500"
    stale = advise(components, settings())
    assert stale.notes == () and stale.record(components[0].purl) is not None


def test_damaged_cache_entry_is_asked_again(registry: Registry, tmp_path: Path) -> None:
    components = [_component("npm", "is-number", "7.0.0")]
    advise(components, _settings(registry, tmp_path))
    for kept in tmp_path.glob("*.json"):
        kept.write_text("{not json", encoding="utf-8")
    assert advise(components, _settings(registry, tmp_path)).notes == ()
    assert len(registry.asked) == 2


# --- the command line -------------------------------------------------------------------


def test_check_cli_offline_and_json(registry: Registry, tmp_path: Path) -> None:
    inv = _inventory(_component("npm", "directus", "9.22.4", license="GPL-3.0-only"))
    path = tmp_path / "inventory.json"
    path.write_text(inventory_json.dumps(inv), encoding="utf-8")
    # GPL-3.0-only is allowed for a product used internally only
    offline = run_ospo(
        "check", "--inventory", path, "--offline", "--format", "json", "--profile", "internal"
    )
    assert offline.returncode == 0, offline.stderr
    assert registry.asked == []
    online = run_ospo(
        "check",
        "--inventory",
        path,
        "--format",
        "json",
        "--profile",
        "internal",
        "--today",
        "2026-12-07",
    )
    assert online.returncode == 1
    findings = json.loads(online.stdout)["findings"]
    relicensed = [f for f in findings if f["rule"] == "competition/relicensed"]
    assert len(relicensed) == 1
    assert relicensed[0]["component"] == "pkg:npm/directus@9.22.4"
    assert relicensed[0]["how_to_fix"]


def test_packet_and_signoff_take_offline_as_check_does(registry: Registry, tmp_path: Path) -> None:
    inv = _inventory(_component("npm", "directus", "9.22.4", license="GPL-3.0-only"))
    path = tmp_path / "inventory.json"
    path.write_text(inventory_json.dumps(inv), encoding="utf-8")
    common = ("--inventory", path, "--profile", "internal", "--today", "2026-12-07")
    offline = run_ospo("packet", *common, "--format", "md", "-o", tmp_path / "p.md", "--offline")
    assert offline.returncode == 0, offline.stderr
    status = run_ospo("signoff", "--inventory", path, "--status", "--offline")
    assert status.returncode == 1, status.stderr  # nobody signed
    assert registry.asked == []
    assert "competition/relicensed" not in (tmp_path / "p.md").read_text(encoding="utf-8")
    online = run_ospo("packet", *common, "--format", "md", "-o", tmp_path / "q.md")
    assert online.returncode == 0, online.stderr
    assert registry.asked
    assert "competition/relicensed" in (tmp_path / "q.md").read_text(encoding="utf-8")


def test_policy_validate_rejects_a_typo_with_file_and_line(tmp_path: Path) -> None:
    path = _policy(tmp_path, "registry:\n  consumption:\n    months_without_relase: 12\n")
    ran = run_ospo("policy", "validate", path)
    assert ran.returncode == 2
    assert str(path) in ran.stderr
    assert ":4" in ran.stderr or "line 4" in ran.stderr
    assert "months_without_relase" in ran.stderr


# --- how a registry's license string is read --------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "klass"),
    [
        ("MIT", "open", "permissive"),
        ("GPL-3.0-only", "open", "strong-copyleft"),
        ("BUSL-1.1", "closed", "source-available"),
        ("SSPL-1.0", "closed", "source-available"),
        ("Elastic-2.0", "closed", "source-available"),
        ("MIT OR BUSL-1.1", "open", "permissive"),  # an open choice keeps it open
        ("Apache-2.0 AND BUSL-1.1", "closed", "source-available"),
        ("UNLICENSED", "closed", "proprietary"),
        ("License :: Other/Proprietary License", "closed", "proprietary"),
        ("SEE LICENSE IN LICENSE.md", "unclear", None),
        ("BSL-1.1", "unclear", None),  # not the SPDX id of the Business Source License
        ("Permission is hereby granted, free of charge, to any person", "unclear", None),
    ],
)
def test_terms_of_a_registry_license(text: str, kind: str, klass: str | None) -> None:
    from ospo.policy import load_policy
    from ospo.policy.judge import Judge
    from ospo.policy.model import Profile
    from ospo.policy.rules.base import RuleContext
    from ospo.policy.rules.registry import terms_of

    policy = load_policy()
    ctx = RuleContext(
        inventory=_inventory(),
        policy=policy,
        judge=Judge(policy),
        profile=Profile.BINARY,
        today=TODAY,
    )
    terms = terms_of(ctx, text)
    assert (terms.kind, terms.license_class.value if terms.license_class else None) == (
        kind,
        klass,
    )


def _judged_with(record_releases: list[tuple[str, str | None]], in_use: str) -> list[Finding]:
    """The registry findings for a package whose registry lists ``record_releases``
    (version, license), the last one the latest, with ``in_use`` in the product."""
    from ospo.advisor.model import Advice, PackageRecord, Release, package_key
    from ospo.policy import evaluate, load_policy

    comp = _component("npm", "lib", in_use, license=dict(record_releases)[in_use])
    record = PackageRecord(
        ecosystem="npm",
        name="lib",
        url="http://127.0.0.1/lib",
        latest=record_releases[-1][0],
        releases=tuple(Release(version=v, license=lic) for v, lic in record_releases),
    )
    judged = evaluate(
        _inventory(comp),
        load_policy(),
        today=TODAY,
        registry=Advice(records={package_key(comp.purl): record}),
    )
    assert judged.evaluation is not None
    return [f for f in judged.evaluation.findings if f.rule.startswith("competition/")]


def test_move_to_copyleft_is_a_license_change_not_relicensing() -> None:
    found = _judged_with([("1.0.0", "MIT"), ("1.1.0", "MIT"), ("2.0.0", "GPL-3.0-only")], "1.0.0")
    assert [(f.rule, f.severity.value) for f in found] == [("competition/license-changed", "info")]
    assert "changed license in 2.0.0 from MIT (permissive)" in found[0].message
    assert "to GPL-3.0-only (strong-copyleft)" in found[0].message
    # neighbours: another permissive license, and a copyleft that weakens, are no change
    assert _judged_with([("1.0.0", "BSD-3-Clause"), ("2.0.0", "MIT")], "1.0.0") == []
    assert _judged_with([("1.0.0", "GPL-2.0-only"), ("2.0.0", "Apache-2.0")], "1.0.0") == []
    # the versions between unknown: "after U, by V"
    gap = _judged_with([("1.0.0", "MIT"), ("1.5.0", None), ("2.0.0", "SSPL-1.0")], "1.0.0")
    assert [f.rule for f in gap] == ["competition/relicensed"]
    assert "changed license after 1.0.0, by 2.0.0," in gap[0].message
    # a move that happened before the version in use and was undone: not reported
    assert _judged_with([("1.0.0", "BUSL-1.1"), ("2.0.0", "Apache-2.0")], "2.0.0") == []


# --- the packet -------------------------------------------------------------------------


def test_packet_lists_community_and_competition(registry: Registry) -> None:
    from ospo.api import release_packet
    from ospo.packet import SECTIONS, render_packet

    inv = _inventory(
        _component("npm", "directus", "9.22.4", license="GPL-3.0-only"),
        _component("npm", "no-such-package", "1.0.0", license="MIT"),
    )
    packet = release_packet(inv, CheckSettings(today=TODAY, profile="internal"))
    assert ("community", "Community and competition") in SECTIONS
    assert [u.rule for u in packet.upstream] == [
        "competition/license-unclear",
        "competition/relicensed",
    ]
    assert packet.upstream[0].roles == ("legal", "product")
    assert len(packet.registry_notes) == 1
    assert "no-such-package@1.0.0" in packet.registry_notes[0]
    text = render_packet(packet, "md")
    assert isinstance(text, str)
    section = text.split("## 10. Community and competition", 1)[1].split("## 11. ", 1)[0]
    assert "competition/relicensed" in section and "changed license in 10.0.0" in section
    assert "Registry data missing" in section and "no-such-package@1.0.0" in section
    # the summary counts them in their own 5C area
    assert dict(packet.summary.by_area)["competition"] == 2


def test_baseline_with_another_version_keeps_the_finding_unchanged(
    registry: Registry, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        inventory_json.dumps(
            _inventory(_component("npm", "directus", "9.21.0", license="GPL-3.0-only"))
        ),
        encoding="utf-8",
    )
    now = _inventory(_component("npm", "directus", "9.22.4", license="GPL-3.0-only"))
    judged = check_inventory(now, CheckSettings(today=TODAY, baseline_path=baseline))
    assert judged.evaluation is not None
    relicensed = [f for f in judged.evaluation.findings if f.rule == "competition/relicensed"]
    assert [f.status.value if f.status else None for f in relicensed] == ["unchanged"]
    # the package asked about once, though two versions of it were judged
    assert registry.asked == ["/directus"]


def test_two_versions_of_one_pypi_package_share_what_was_learnt(
    registry: Registry, tmp_path: Path
) -> None:
    advice = advise(
        [_component("pypi", "sentry", "9.1.2"), _component("pypi", "sentry", "23.7.1")],
        _settings(registry, tmp_path),
    )
    record = advice.record("pkg:pypi/sentry@23.7.1")
    assert record is advice.record("pkg:pypi/sentry@9.1.2")
    assert record is not None
    assert record.release("9.1.2").license == "BSD"  # type: ignore[union-attr]
    assert record.release("10.0.0").license == "License :: Other/Proprietary License"  # type: ignore[union-attr]


def test_check_of_a_tree_fills_in_what_a_manifest_cannot_say(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "app"
    tree.mkdir()
    (tree / "package.json").write_text(
        json.dumps(
            {
                "name": "app",
                "version": "1.0.0",
                "license": "MIT",
                "dependencies": {"is-number": "7.0.0"},
            }
        ),
        encoding="utf-8",
    )
    (tree / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    out = tmp_path / "out.json"

    def is_number(ran_stdout: str) -> list[dict[str, object]]:
        findings = json.loads(ran_stdout)["findings"]
        return [f for f in findings if f["component"] == "pkg:npm/is-number@7.0.0"]

    monkeypatch.setenv("OSPO_ADVISOR", "off")
    without = run_ospo(
        "check", tree, "--format", "json", "--no-baseline", "-o", out, "--today", "2026-12-07"
    )
    assert without.returncode == 1, without.stderr
    assert [f["rule"] for f in is_number(out.read_text(encoding="utf-8"))] == ["license/unknown"]
    monkeypatch.delenv("OSPO_ADVISOR")
    with_registry = run_ospo(
        "check", tree, "--format", "json", "--no-baseline", "-o", out, "--today", "2026-12-07"
    )
    assert with_registry.returncode == 0, with_registry.stderr
    # known now, from the registry: MIT, allowed with its obligations
    assert [(f["rule"], f["license"]) for f in is_number(out.read_text(encoding="utf-8"))] == [
        ("license/obligations", "MIT")
    ]
    assert registry.asked == ["/is-number"]
