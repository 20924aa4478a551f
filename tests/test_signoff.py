# SPDX-License-Identifier: Apache-2.0
"""``ospo signoff`` and the archive of approved releases: the board's loop, end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import DATA, make_vendored_app, run_ospo, run_ospo_process
from ospo import inventory_json
from ospo.api import CheckSettings, check_inventory, settings_policy
from ospo.evaluation import Role
from ospo.packet import render_packet
from ospo.signoff import (
    ARTIFACT_WRITERS,
    BOARD_ROLES,
    ArtifactWriter,
    ReleaseState,
    SignoffDecision,
    read_index,
    read_signoffs,
    release_digest,
    release_status,
    sign_release,
    signoff_status,
)

CONFIG = (
    "product:\n  name: app\n  version: '2.0'\n  license: LicenseRef-Acme-Proprietary\n"
    "profile: binary\n"
)
GPL_FILE = "/* SPDX-License-Identifier: GPL-2.0-only */\nint copied;\n"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A real product tree (first-party code, vendored npm, PyPI and installed code) and
    its inventory, scanned once for the module."""
    app = make_vendored_app(tmp_path_factory.mktemp("signoff"))
    (app / ".ospo.yml").write_text(CONFIG, encoding="utf-8")
    inventory = app.parent / "inventory.json"
    ran = run_ospo("scan", app, "-o", inventory)
    assert ran.returncode == 0, ran.stderr
    return app, inventory


@pytest.fixture
def project(scanned: tuple[Path, Path], tmp_path: Path) -> Path:
    """A fresh copy of the product, with its inventory beside it as ``inventory.json``."""
    app, inventory = scanned
    copy = tmp_path / "app"
    shutil.copytree(app, copy)
    shutil.copyfile(inventory, tmp_path / "inventory.json")
    return copy


def _sign(project: Path, role: str, name: str, decision: str = "approve", *extra: str):
    """``ospo signoff`` of the project's scanned inventory, run in the project."""
    inventory = project.parent / "inventory.json"
    return run_ospo_process(
        "signoff",
        "--inventory",
        inventory,
        "--role",
        role,
        "--name",
        name,
        "--decision",
        decision,
        *extra,
        cwd=project,
    )


def _judged(project: Path, inventory: Path | None = None):
    """The project's inventory judged as ``ospo signoff`` judges it, and the policy."""
    loaded = inventory_json.load(inventory or project.parent / "inventory.json")
    settings = CheckSettings()
    return check_inventory(loaded, settings, root=project), settings_policy(settings, project)


def test_four_roles_approve_and_the_release_is_archived(project: Path) -> None:
    signers = [
        ("legal", "Jane Counsel", "approve", "--ticket", "OSRB-7"),
        ("engineering", "Eve Engineer", "approve-with-conditions", "--conditions", "pin six"),
        ("product", "Pat Product", "approve"),
    ]
    for role, name, decision, *extra in signers:
        ran = _sign(project, role, name, decision, *extra, "--date", "2026-12-01")
        assert ran.returncode == 0, ran.stderr
        assert "release pending" in ran.stdout
        assert "Archived" not in ran.stdout
    assert "  compliance   not signed" in ran.stdout
    assert (
        "  engineering  approve-with-conditions — Eve Engineer, 2026-12-01; conditions: pin six"
        in ran.stdout
    )
    assert not (project / ".ospo" / "releases").exists()
    inventory = project.parent / "inventory.json"
    pending = run_ospo_process("signoff", "--inventory", inventory, "--status", cwd=project)
    assert pending.returncode == 1, "not approved yet"
    assert pending.stdout.startswith("app 2.0 (.ospo/signoffs.yml)\nrelease pending")
    assert "  compliance   not signed" in pending.stdout
    empty = run_ospo_process("releases", cwd=project)
    assert (empty.returncode, empty.stdout) == (0, "no approved release in .ospo/releases\n")

    last = _sign(project, "compliance", "Chris Compliance", "approve", "--date", "2026-12-02")
    assert last.returncode == 0, last.stderr
    assert last.stderr == ""
    assert "Recorded sign-off 4 in .ospo/signoffs.yml: compliance approve (Chris Compliance)" in (
        last.stdout
    )
    assert "release approved — digest sha256:" in last.stdout
    assert "  legal        approve — Jane Counsel, 2026-12-01, OSRB-7" in last.stdout
    assert "Archived release 2.0 in .ospo/releases/2.0" in last.stdout

    records = read_signoffs(project / ".ospo" / "signoffs.yml")
    assert [(r.role, r.name) for r in records] == [
        (Role.LEGAL, "Jane Counsel"),
        (Role.ENGINEERING, "Eve Engineer"),
        (Role.PRODUCT, "Pat Product"),
        (Role.COMPLIANCE, "Chris Compliance"),
    ]
    judged, policy = _judged(project)
    digest = release_digest(judged, judged.evaluation, policy)
    assert {r.digest for r in records} == {digest}
    assert records[1].conditions == "pin six" and records[0].ticket == "OSRB-7"
    assert str(records[0].source).endswith(".ospo/signoffs.yml:5")

    archive = project / ".ospo" / "releases"
    (entry,) = read_index(archive)
    assert (entry.release, entry.product, entry.version) == ("2.0", "app", "2.0")
    assert (entry.date, entry.digest) == ("2026-12-02", digest)
    assert entry.files == ("inventory.json", "evaluation.json", "NOTICE.txt", "packet.html")
    assert [s["name"] for s in entry.signoffs] == [
        "Eve Engineer",
        "Pat Product",
        "Jane Counsel",
        "Chris Compliance",
    ]
    folder = archive / "2.0"
    assert sorted(p.name for p in folder.iterdir()) == [
        "NOTICE.txt",
        "evaluation.json",
        "inventory.json",
        "packet.html",
        "release.json",
    ]
    packet = (folder / "packet.html").read_text(encoding="utf-8")
    assert "APPROVED — every finding is decided and every role of the board signed off." in packet
    assert "NOT APPROVED" not in packet
    for signer in ("Eve Engineer", "Pat Product", "Jane Counsel", "Chris Compliance", "pin six"):
        assert signer in packet
    from ospo.notice import build_notice, render_notice

    assert (folder / "NOTICE.txt").read_text(encoding="utf-8") == render_notice(
        build_notice(inventory_json.load(folder / "inventory.json"), policy), "text"
    )
    assert json.loads((folder / "release.json").read_text())["digest"] == digest
    kept = inventory_json.load(folder / "inventory.json")
    assert inventory_json.to_json_dict(kept) == inventory_json.to_json_dict(
        inventory_json.load(project.parent / "inventory.json")
    )
    evaluation = json.loads((folder / "evaluation.json").read_text())
    assert evaluation["verdict"] == "pass"
    assert evaluation["policy_digest"] == policy.digest
    assert [f["rule"] for f in evaluation["findings"]] == [
        f.rule for f in judged.evaluation.findings
    ]

    approved = run_ospo_process("signoff", "--inventory", inventory, "--status", cwd=project)
    assert approved.returncode == 0
    assert "release approved" in approved.stdout
    assert len(read_signoffs(project / ".ospo" / "signoffs.yml")) == 4, "--status signs nothing"
    listed = run_ospo_process("releases", cwd=project)
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[0] == f"2.0  2026-12-02  app  {digest}  .ospo/releases/2.0"
    assert "    engineering  approve-with-conditions — Eve Engineer; conditions: pin six" in (
        listed.stdout
    )
    as_json = run_ospo_process("releases", project, "--format", "json")
    assert json.loads(as_json.stdout) == [entry.index_entry()]

    again = _sign(project, "legal", "Jane Counsel", "approve")
    assert again.returncode == 0
    assert "Already archived: release 2.0 in .ospo/releases/2.0" in again.stdout
    assert len(read_index(archive)) == 1, "the same release is archived once"


def test_the_next_check_compares_with_the_approved_release(project: Path) -> None:
    first = run_ospo_process("check", "--format", "json", cwd=project)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert {f["status"] for f in json.loads(first.stdout)["findings"]} == {None}
    for role in ("engineering", "product", "legal", "compliance"):
        assert _sign(project, role, f"{role} lead").returncode == 0

    (project / "src" / "copied.c").write_text(GPL_FILE, encoding="utf-8")
    second = run_ospo_process("check", "--format", "json", cwd=project)
    assert second.returncode == 1
    assert "ospo: comparing with approved release 2.0" in second.stderr
    assert ".ospo/releases/2.0/inventory.json" in second.stderr
    findings = json.loads(second.stdout)["findings"]
    status = {(f["rule"], f["path"]): f["status"] for f in findings}
    assert status[("file/license", "src/copied.c")] == "new"
    assert {s for (rule, _), s in status.items() if rule != "file/license"} == {"unchanged"}

    packet = run_ospo_process(
        "packet", "--format", "md", "-o", project.parent / "p.md", cwd=project
    )
    assert packet.returncode == 0, packet.stderr
    assert "ospo: comparing with approved release 2.0" in packet.stderr
    text = (project.parent / "p.md").read_text(encoding="utf-8")
    assert "| Compared with | app 2.0 (inventory sha256 " in text
    assert "1 violation blocks the release" in text
    assert "**New findings (1)**\n- file/license src/copied.c" in text
    unpinned = run_ospo_process(
        "packet", "--no-baseline", "--format", "md", "-o", project.parent / "q.md", cwd=project
    )
    assert unpinned.returncode == 0 and "comparing" not in unpinned.stderr
    assert "every component and finding is shown as if new" in (
        (project.parent / "q.md").read_text(encoding="utf-8")
    )

    only_new = run_ospo_process("check", "--only-new", "--fail-on", "error", cwd=project)
    assert only_new.returncode == 1, "the new GPL file still fails"
    plain = run_ospo_process("check", "--no-baseline", "--format", "json", cwd=project)
    assert plain.returncode == 1
    assert "comparing" not in plain.stderr
    assert {f["status"] for f in json.loads(plain.stdout)["findings"]} == {None}
    both = run_ospo_process(
        "check", "--no-baseline", "--baseline", project.parent / "inventory.json", cwd=project
    )
    assert both.returncode == 2
    assert "give either --baseline or --no-baseline, not both" in both.stderr
    given = run_ospo_process(
        "check", "--baseline", project.parent / "inventory.json", "--format", "json", cwd=project
    )
    assert "comparing" not in given.stderr, "a baseline given wins over the archive"

    index = project / ".ospo" / "releases" / "index.json"
    (approved_entry,) = json.loads(index.read_text(encoding="utf-8"))["releases"]
    index.write_text(index.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    for broken in (run_ospo_process("check", cwd=project), run_ospo_process("releases", project)):
        assert broken.returncode == 2
        assert "releases/index.json: not a valid archive index" in broken.stderr
        assert "Traceback" not in broken.stderr
    outside = {"version": 1, "releases": [{**approved_entry, "directory": ".."}]}
    index.write_text(json.dumps(outside), encoding="utf-8")
    escape = run_ospo_process("check", cwd=project)
    assert escape.returncode == 2
    assert "not a valid archive index: releases.0.directory: '..' does not match" in escape.stderr
    unread = run_ospo_process("check", "--no-baseline", cwd=project)
    assert unread.returncode == 1, "--no-baseline does not read the archive: the GPL file fails"


def test_a_changed_release_invalidates_earlier_signatures(project: Path) -> None:
    assert _sign(project, "legal", "Jane Counsel").returncode == 0
    assert _sign(project, "product", "Pat Product").returncode == 0
    (project / "src" / "extra.py").write_text("def thrice(x):\n    return 3 * x\n")
    changed = project.parent / "changed.json"
    assert run_ospo("scan", project, "-o", changed).returncode == 0
    ran = run_ospo_process(
        "signoff",
        ".",
        "--role",
        "engineering",
        "--name",
        "Eve Engineer",
        "--decision",
        "approve",
        cwd=project,
    )
    assert ran.returncode == 0, ran.stderr
    assert "release pending" in ran.stdout
    assert "  engineering  approve — Eve Engineer" in ran.stdout
    stale = [line for line in ran.stdout.splitlines() if "another digest" in line]
    assert [line.split()[0] for line in stale] == ["product", "legal"]

    judged, policy = _judged(project, changed)
    status = release_status(judged, policy, project / ".ospo" / "signoffs.yml")
    by_role = {s.role: s for s in status.roles}
    assert by_role[Role.LEGAL].stale and not by_role[Role.LEGAL].valid
    assert by_role[Role.LEGAL].name == "Jane Counsel"
    assert by_role[Role.ENGINEERING].valid and not by_role[Role.ENGINEERING].stale
    assert not by_role[Role.COMPLIANCE].signed and not by_role[Role.COMPLIANCE].stale
    assert status.state is ReleaseState.PENDING
    before, _ = _judged(project)
    assert by_role[Role.LEGAL].digest == release_digest(before, before.evaluation, policy)


def test_committing_the_records_keeps_the_signatures_valid(project: Path) -> None:
    """In a git work tree, each member signs the tree itself and commits the record: the
    new revision holds the same files, so the signatures before it still count."""

    def git(*args: str) -> None:
        identity = ("-c", "user.name=r", "-c", "user.email=r@x.invalid")
        subprocess.run(
            ["git", "-C", str(project), *identity, *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "release 2.0")
    for role in ("engineering", "product", "legal", "compliance"):
        sign = ("signoff", ".", "--role", role, "--name", f"{role} lead")
        ran = run_ospo_process(*sign, "--decision", "approve", cwd=project)
        assert ran.returncode == 0, ran.stderr
        assert "another digest" not in ran.stdout
        git("add", ".ospo")
        git("commit", "-q", "-m", f"{role} signs 2.0")
    assert "release approved" in ran.stdout
    (entry,) = read_index(project / ".ospo" / "releases")
    inventory = inventory_json.load(entry.directory / "inventory.json")
    assert inventory.subject.vcs_revision is not None
    assert all(not f.path.startswith(".ospo/") for f in inventory.files)


def test_no_approval_while_the_gate_fails(project: Path) -> None:
    """A finding that counts against the gate is decided first (``ospo decide``); until
    then an approval is refused with the gate's exit code, and a rejection is recorded."""
    (project / "src" / "copied.c").write_text(GPL_FILE, encoding="utf-8")
    args = ("signoff", ".", "--role", "legal", "--name", "Jane Counsel", "--decision")
    for decision in (("approve",), ("approve-with-conditions", "--conditions", "c")):
        blocked = run_ospo_process(*args, *decision, cwd=project)
        assert blocked.returncode == 1, blocked.stderr
        assert "the gate fails (1 finding(s) count against it, first file/license" in (
            blocked.stderr
        )
        assert "src/copied.c" in blocked.stderr
        assert not (project / ".ospo" / "signoffs.yml").exists()
    rejected = run_ospo_process(*args, "reject", "--ticket", "OSRB-3", cwd=project)
    assert rejected.returncode == 0, rejected.stderr
    assert "release rejected" in rejected.stdout
    about = ("--rule", "file/license", "--path", "src/copied.c", "--decision", "approve")
    who = ("--approver", "Jane Counsel", "--role", "legal", "--reason", "relicensed to us")
    decided = run_ospo_process("decide", *about, *who, cwd=project)
    assert decided.returncode == 0, decided.stderr
    after = run_ospo_process(*args, "approve", cwd=project)
    assert after.returncode == 0, after.stderr
    assert "  legal        approve — Jane Counsel" in after.stdout
    assert "release pending" in after.stdout


def test_a_rejection_is_recorded_and_shown_and_never_archived(project: Path) -> None:
    for role in ("engineering", "product", "compliance"):
        assert _sign(project, role, f"{role} lead").returncode == 0
    ran = _sign(project, "legal", "Jane Counsel", "reject", "--ticket", "OSRB-9")
    assert ran.returncode == 0, ran.stderr
    assert "release rejected" in ran.stdout
    assert "  legal        reject — Jane Counsel" in ran.stdout
    assert not (project / ".ospo" / "releases").exists()
    # the same role signing again for the same release: its latest signature counts
    after = _sign(project, "legal", "Jane Counsel", "approve", "--ticket", "OSRB-10")
    assert "release approved" in after.stdout
    assert len(read_signoffs(project / ".ospo" / "signoffs.yml")) == 5


def test_an_sbom_from_another_tool_is_signed_like_an_inventory(project: Path) -> None:
    sbom = DATA / "sbom" / "cyclonedx-py-flask-requests.cdx.json"
    args = ("signoff", "--sbom", sbom, "--role", "legal", "--name", "Jane Counsel")
    rejected = run_ospo_process(*args, "--decision", "reject", "--release", "r1", cwd=project)
    assert rejected.returncode == 0, rejected.stderr
    (record,) = read_signoffs(project / ".ospo" / "signoffs.yml")
    assert (record.product, record.release) == (
        "cyclonedx-py-flask-requests.cdx",
        "r1",
    )  # named after the file
    status = run_ospo_process("signoff", "--sbom", sbom, "--status", cwd=project)
    assert status.returncode == 1
    assert "release rejected" in status.stdout
    assert "  legal        reject — Jane Counsel" in status.stdout


def test_signoff_status_per_role_and_state(project: Path) -> None:
    """The status function alone, over records made by the real writer."""
    judged, policy = _judged(project)
    path = project / ".ospo" / "signoffs.yml"
    roles = (Role.LEGAL, Role.COMPLIANCE)

    def sign(role: Role, decision: SignoffDecision, conditions: str | None = None) -> ReleaseState:
        return sign_release(
            judged,
            policy,
            role=role,
            name="someone",
            decision=decision,
            conditions=conditions,
            date="2026-12-06",
            signoffs=path,
            archive=project / "archive",
        ).status.state

    assert sign(Role.LEGAL, SignoffDecision.APPROVE) is ReleaseState.PENDING
    digest = release_digest(judged, judged.evaluation, policy)
    records = read_signoffs(path)
    assert signoff_status(records, digest, roles).state is ReleaseState.PENDING
    assert signoff_status(records, digest, (Role.LEGAL,)).state is ReleaseState.APPROVED
    assert signoff_status(records, "sha256:" + "0" * 64, (Role.LEGAL,)).state is (
        ReleaseState.PENDING
    )
    # a role outside the required ones that rejects this digest still rejects it
    assert sign(Role.PRODUCT, SignoffDecision.REJECT) is ReleaseState.REJECTED
    records = read_signoffs(path)
    status = signoff_status(records, digest, (Role.LEGAL,))
    assert status.state is ReleaseState.REJECTED
    assert [s.role for s in status.other_rejections] == [Role.PRODUCT]
    assert [s.signed for s in signoff_status((), digest).roles] == [False] * 4


def test_the_digest_binds_what_the_board_judged(project: Path) -> None:
    judged, policy = _judged(project)
    evaluation = judged.evaluation
    assert evaluation is not None
    digest = release_digest(judged, evaluation, policy)
    assert digest.startswith("sha256:") and len(digest) == 71

    # what differs between two scans of the same tree does not count
    scan = replace(
        judged.scan,
        timestamp="2030-01-01T00:00:00Z",
        stats=replace(judged.scan.stats, seconds=99.0, from_cache=0),
        tools=(),
    )
    assert release_digest(replace(judged, scan=scan), evaluation, policy) == digest
    subject = replace(judged.subject, vcs_revision="0" * 40)
    assert release_digest(replace(judged, subject=subject), evaluation, policy) == digest
    renamed = replace(judged.subject, version="2.1")
    assert release_digest(replace(judged, subject=renamed), evaluation, policy) != digest
    # nor a finding's wording or its status against a baseline
    reworded = tuple(replace(f, message="x", how_to_fix="y") for f in evaluation.findings)
    assert release_digest(judged, replace(evaluation, findings=reworded), policy) == digest
    # a component less, a file changed, a finding waived, another profile or policy: all do
    fewer = replace(judged, components=judged.components[1:])
    assert release_digest(fewer, evaluation, policy) != digest
    first = judged.files[0]
    touched = replace(judged, files=(replace(first, sha256="0" * 64), *judged.files[1:]))
    assert release_digest(touched, evaluation, policy) != digest
    waived = (replace(evaluation.findings[0], waived=True), *evaluation.findings[1:])
    assert release_digest(judged, replace(evaluation, findings=waived), policy) != digest
    assert release_digest(judged, replace(evaluation, profile="saas"), policy) != digest
    assert release_digest(judged, evaluation, replace(policy, digest="0" * 64)) != digest
    assert release_digest(judged, replace(evaluation, findings=()), policy) != digest


def test_concurrent_signoffs_lose_no_record(project: Path) -> None:
    """Eight members sign at the same moment, in eight processes: every record is kept,
    the file stays valid, and the release is archived once."""
    inventory = project.parent / "inventory.json"
    roles = ["engineering", "product", "legal", "compliance"] * 2
    ospo = (sys.executable, "-m", "ospo", "signoff", "--inventory", str(inventory))
    procs = [
        subprocess.Popen(
            [*ospo, "--role", role, "--name", f"signer {i}", "--decision", "approve"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, role in enumerate(roles)
    ]
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    assert [code for _, _, code in results] == [0] * 8, [err for _, err, _ in results]
    records = read_signoffs(project / ".ospo" / "signoffs.yml")
    assert sorted(r.name for r in records) == sorted(f"signer {i}" for i in range(8))
    assert sum("\nArchived release" in out for out, _, _ in results) == 1
    assert len(read_index(project / ".ospo" / "releases")) == 1


def test_earlier_records_are_kept_byte_for_byte(project: Path) -> None:
    path = project / ".ospo" / "signoffs.yml"
    assert _sign(project, "legal", "Jane Counsel").returncode == 0
    (project / ".ospo" / "signoffs.yml").write_text(
        path.read_text(encoding="utf-8") + "# reviewed in the December board meeting\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    assert _sign(project, "product", "Pat Product").returncode == 0
    after = path.read_bytes()
    assert after.startswith(before)
    assert len(read_signoffs(path)) == 2


def test_bad_input_exits_2_and_writes_nothing(project: Path) -> None:
    path = project / ".ospo" / "signoffs.yml"
    unknown = _sign(project, "lawyer", "x")
    assert unknown.returncode == 2
    assert "Invalid value for '--role': 'lawyer' is not one of 'engineering', 'product'" in (
        unknown.stderr
    )
    missing = run_ospo_process("signoff", "--role", "legal", "--name", "x", cwd=project)
    assert missing.returncode == 2 and "Missing option '--decision'." in missing.stderr
    both = _sign(project, "legal", "x", "approve", ".")
    assert both.returncode == 2 and "give one of PATH, --inventory and --sbom" in both.stderr
    mixed = run_ospo_process("signoff", "--status", "--role", "legal", cwd=project)
    assert mixed.returncode == 2 and "--status signs nothing" in mixed.stderr
    decision = _sign(project, "legal", "x", "maybe")
    assert decision.returncode == 2 and "Invalid value for '--decision'" in decision.stderr
    bare = _sign(project, "legal", "x", "approve-with-conditions")
    assert bare.returncode == 2
    assert "approve-with-conditions needs the conditions (--conditions)" in bare.stderr
    stray = _sign(project, "legal", "x", "approve", "--conditions", "c")
    assert stray.returncode == 2 and "conditions go with approve-with-conditions" in stray.stderr
    date = _sign(project, "legal", "x", "approve", "--date", "2026-12-32")
    assert date.returncode == 2 and "is not a date (YYYY-MM-DD)" in date.stderr
    assert not path.exists()
    nowhere = run_ospo_process(
        "signoff", "missing", "--role", "legal", "--name", "x", "--decision", "approve", cwd=project
    )
    assert nowhere.returncode == 2 and "missing: path does not exist" in nowhere.stderr

    assert _sign(project, "legal", "Jane Counsel").returncode == 0
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("decision: approve", "decision: approved"), encoding="utf-8")
    broken = _sign(project, "product", "Pat Product")
    assert broken.returncode == 2
    assert ".ospo/signoffs.yml:7: signoffs.0.decision: 'approved' is not one of" in broken.stderr
    assert "Traceback" not in broken.stderr
    path.write_text(good + "  - role: legal\n   name: [\n", encoding="utf-8")
    syntax = _sign(project, "product", "Pat Product")
    assert syntax.returncode == 2
    assert ".ospo/signoffs.yml:13: not valid YAML" in syntax.stderr
    path.write_text(good + "other: 1\n", encoding="utf-8")
    extra = _sign(project, "product", "Pat Product")
    assert extra.returncode == 2 and ".ospo/signoffs.yml:12: (top level)" in extra.stderr
    assert path.read_text(encoding="utf-8") == good + "other: 1\n", "never written over"


def test_the_policy_names_the_roles_a_release_needs(project: Path) -> None:
    (project / "policy.yml").write_text(
        "extends: default\nname: small-board\nsignoff:\n  roles: [legal, compliance]\n",
        encoding="utf-8",
    )
    with (project / ".ospo.yml").open("a", encoding="utf-8") as handle:
        handle.write("policy: policy.yml\narchive: ../approved\n")
    assert "release pending" in _sign(project, "legal", "Jane Counsel").stdout
    done = _sign(project, "compliance", "Chris Compliance")
    assert "release approved" in done.stdout, done.stdout
    assert "engineering" not in done.stdout
    (entry,) = read_index(project.parent / "approved")
    assert entry.directory == project.parent / "approved" / "2.0"
    assert not (project / ".ospo" / "releases").exists()
    check = run_ospo_process("check", cwd=project)
    assert "ospo: comparing with approved release 2.0" in check.stderr
    assert "approved/2.0/inventory.json" in check.stderr

    (project / "policy.yml").write_text(
        "extends: default\nsignoff:\n  roles: [legal, counsel]\n", encoding="utf-8"
    )
    bad = _sign(project, "legal", "Jane Counsel")
    assert bad.returncode == 2
    assert "policy.yml:3: signoff.roles.1: 'counsel' is not one of" in bad.stderr


def test_a_release_name_is_archived_once_per_contents(project: Path) -> None:
    for role in ("engineering", "product", "legal", "compliance"):
        assert _sign(project, role, f"{role} lead").returncode == 0
    (project / "src" / "copied.c").write_text(GPL_FILE, encoding="utf-8")
    (project / ".ospo" / "waivers.yml").write_text(
        "waivers:\n  - rule: file/license\n    path: src/copied.c\n    decision: approve\n"
        "    reason: relicensed to us\n    approver: Jane Counsel\n    role: legal\n"
        "    date: '2026-12-06'\n",
        encoding="utf-8",
    )
    args = ("signoff", ".", "--role", "legal", "--name", "Jane Counsel", "--decision", "approve")
    clash = run_ospo_process(*args, cwd=project)
    assert clash.returncode == 2
    assert "release '2.0' was approved before with other contents" in clash.stderr
    assert len(read_signoffs(project / ".ospo" / "signoffs.yml")) == 4, "nothing recorded"
    for role in ("engineering", "product", "legal", "compliance"):
        named = run_ospo_process(
            *args[:2], "--role", role, *args[4:], "--release", "2.0.1", cwd=project
        )
        assert named.returncode == 0, named.stderr
    assert [r.release for r in read_index(project / ".ospo" / "releases")] == ["2.0", "2.0.1"]
    check = run_ospo_process("check", "--format", "json", cwd=project)
    assert "comparing with approved release 2.0.1" in check.stderr
    assert {f["status"] for f in json.loads(check.stdout)["findings"]} == {"unchanged"}


def test_the_archive_takes_more_writers(project: Path) -> None:
    """The hook point for the NOTICE and the packet: a writer added is archived with the
    release and listed in its index entry."""
    judged, policy = _judged(project)
    summary = ArtifactWriter(
        file_name="components.txt",
        render=lambda approved: "".join(
            f"{c.purl} {approved.release} {approved.status.state}\n"
            for c in approved.judged.components
        ),
    )
    result = None
    for role in BOARD_ROLES:
        result = sign_release(
            judged,
            policy,
            role=role,
            name="n",
            decision=SignoffDecision.APPROVE,
            date="2026-12-06",
            signoffs=project / ".ospo" / "signoffs.yml",
            archive=project / "archive",
            writers=(*ARTIFACT_WRITERS, summary),
        )
    assert result is not None and result.archived is not None
    assert result.archived.files == (
        "inventory.json",
        "evaluation.json",
        "NOTICE.txt",
        "packet.html",
        "components.txt",
    )
    text = (project / "archive" / "2.0" / "components.txt").read_text(encoding="utf-8")
    assert text.splitlines() == [f"{c.purl} 2.0 approved" for c in judged.components]
    assert "pkg:npm/is-number@7.0.0 2.0 approved" in text.splitlines()


def test_the_packet_shows_the_signatures_recorded(project: Path) -> None:
    """What `ospo signoff` records appears in the packet's sign-off section: valid for the
    contents it was given for, not valid once they change."""
    from ospo.api import CheckSettings, release_packet

    judged, policy = _judged(project)
    sign_release(
        judged,
        policy,
        role=Role.LEGAL,
        name="Jane Counsel",
        decision=SignoffDecision.APPROVE,
        date="2026-12-06",
        signoffs=project / ".ospo" / "signoffs.yml",
        archive=project / "archive",
    )
    inventory = inventory_json.load(project.parent / "inventory.json")
    packet = release_packet(inventory, CheckSettings(), project)
    text = render_packet(packet, "md")
    assert "Jane Counsel" in text
    (legal,) = [row for row in packet.signoff if row.role == "legal"]
    assert (legal.name, legal.decision, legal.note) == ("Jane Counsel", "approve", "")
    changed = replace(inventory, components=inventory.components[1:])
    later = release_packet(changed, CheckSettings(), project)
    (legal,) = [row for row in later.signoff if row.role == "legal"]
    assert legal.decision == "" and "no longer valid" in legal.note
