# SPDX-License-Identifier: Apache-2.0
"""What every command shares: help, version, shell completion, the exit-code contract."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import run_ospo, run_ospo_process
from ospo import __version__
from ospo.cli import COMMANDS, cli


def _complete(words: str) -> list[str]:
    """What bash completion offers for the command line ``words`` (cursor at the end)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_OSPO_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    ran = run_ospo(env=env)
    assert ran.returncode == 0, ran.stderr
    return [line.split(",", 1)[1] for line in ran.stdout.splitlines()]


def test_every_command_is_listed_and_loads() -> None:
    ran = run_ospo("--help")
    assert ran.returncode == 0
    for name, lazy in COMMANDS.items():
        assert f"  {name} " in ran.stdout
        assert lazy.summary.split(".")[0] in " ".join(ran.stdout.split())
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name


def test_version() -> None:
    ran = run_ospo("--version")
    assert (ran.returncode, ran.stdout) == (0, f"ospo, version {__version__}\n")


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("ospo sc", ["scan"]),
        ("ospo po", ["policy", "portfolio"]),
        ("ospo portfolio ", ["publish", "query"]),
        ("ospo portfolio query --category network", ["network-copyleft"]),
        ("ospo policy ", ["explain", "validate"]),
        ("ospo check --profile ", ["internal", "saas", "binary", "source"]),
        ("ospo check --fail-on ", ["error", "warning"]),
        ("ospo check --for", ["--format"]),
        ("ospo decide --role ", ["engineering", "product", "legal", "compliance", "osrb"]),
        ("ospo signoff --role ", ["engineering", "product", "legal", "compliance"]),
        ("ospo signoff --decision ", ["approve", "approve-with-conditions", "reject"]),
    ],
)
def test_shell_completion(words: str, offered: list[str]) -> None:
    assert _complete(words) == offered


def test_completion_script_for_each_shell() -> None:
    for shell, marker in (("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete")):
        ran = run_ospo(env={"_OSPO_COMPLETE": f"{shell}_source"})
        assert ran.returncode == 0
        assert marker in ran.stdout and "_OSPO_COMPLETE" in ran.stdout, shell


def test_unknown_command_suggests_and_exits_2() -> None:
    ran = run_ospo("chek")
    assert ran.returncode == 2
    assert "No such command 'chek'" in ran.stderr
    assert ran.stdout == ""


def test_a_bug_is_exit_3_with_a_hint_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import ospo.policy

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ospo.policy, "load_policy", broken)
    ran = run_ospo("policy", "validate")
    assert ran.returncode == 3
    assert "ospo: error: " in ran.stderr and "boom" in ran.stderr
    assert "OSPO_DEBUG=1" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_the_console_script_exits_with_the_code() -> None:
    """``main`` ends the process with ``os._exit``: the code must still be the contract's."""
    assert run_ospo_process("--version").returncode == 0
    assert run_ospo_process("chek").returncode == 2
    done = subprocess.run(
        [sys.executable, "-c", "from ospo.cli import main; main(['policy', 'explain', 'MIT'])"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "MIT" in done.stdout


def test_closed_choices_name_every_member_of_their_enum() -> None:
    """The CLI lists each closed set's names so that building a command imports no model;
    the lists must be the enums' values, in order."""
    from ospo.cli import params
    from ospo.evaluation import Decision, Role, Severity
    from ospo.policy.model import Profile

    assert params.ProfileType().choices == tuple(Profile)
    assert params.DecisionType().choices == tuple(Decision)
    assert params.RoleType().choices == tuple(Role)
    assert set(params.FailOnType().choices) == {Severity.ERROR, Severity.WARNING}


def test_sbom_version_choices_are_the_versions_ospo_writes() -> None:
    from ospo import sbom
    from ospo.cli import scan

    assert scan.CYCLONEDX_VERSIONS == sbom.CYCLONEDX_VERSIONS
    assert scan.SPDX_VERSIONS == sbom.SPDX_VERSIONS


def test_policy_explain_says_what_an_exception_does_and_when() -> None:
    ran = run_ospo("policy", "explain", "GPL-2.0-only WITH Universal-FOSS-exception-1.0")
    assert ran.returncode == 0, ran.stderr
    line = next(x for x in ran.stdout.splitlines() if x.startswith("Universal-FOSS"))
    assert "for an open source product" in line
    assert "ScanCode category" not in line
    kept = run_ospo("policy", "explain", "GPL-2.0-only WITH OpenJDK-assembly-exception-1.0")
    assert "leaves the license it modifies as it is" in kept.stdout


@pytest.mark.parametrize(
    ("subject", "said"),
    [
        (
            "GPL-2.0-with-classpath-exception",
            "weak-copyleft-file (a deprecated SPDX id for GPL-2.0-only WITH "
            "Classpath-exception-2.0)",
        ),
        ("GPL-2.0-with-autoconf-exception", "GPL-2.0-only WITH Autoconf-exception-2.0"),
    ],
)
def test_policy_explain_reads_a_deprecated_id_as_the_pair_it_stands_for(
    subject: str, said: str
) -> None:
    """A deprecated id that folds an exception in is no unknown license: explain names the
    license and exception it stands for, with the class the judge gives the pair."""
    ran = run_ospo("policy", "explain", subject)
    assert ran.returncode == 0, ran.stderr
    first = ran.stdout.splitlines()[0]
    assert first.startswith(f"{subject}: ") and said in first
    assert "unknown" not in first
