# SPDX-License-Identifier: Apache-2.0
"""The catalogue of hostile input: one row per case, each with the contract it checks.

Every row writes its own input (these are malformed or malicious files, so the test writes
them), runs one ``ospo`` command on it and checks the exit code, what the message says and
what it must never say, and what was written. The guarantees are documented in
``docs/guarantees.md``; a row here is the proof of one sentence there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree as ET

import pytest

from conftest import DATA, run_ospo

CONFIG = "product:\n  name: app\n  license: LicenseRef-Acme-Proprietary\nprofile: binary\n"
TOKEN = "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
PASSWORD = "hunter2-very-secret"
NPMRC = (
    f"//registry.npmjs.org/:_authToken={TOKEN}\nregistry=https://ci:{PASSWORD}@npm.example.com/\n"
)
#: Nine levels of ten aliases each: 10^9 nodes once expanded ("billion laughs").
ALIAS_BOMB = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
)
DEEP = "[" * 100_000
WAIVER = (
    "waivers:\n"
    "  - rule: license/review\n"
    "    component: pkg:npm/left-pad\n"
    "    decision: approve\n"
    "    reason: reviewed\n"
    "    approver: Ada\n"
    "    role: legal\n"
    "    date: {date}\n"
    "    expires: {expires}\n"
)
GPL_FILE = "/* SPDX-License-Identifier: GPL-2.0-only */\nint copied;\n"


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def app(**files: str | bytes) -> Callable[[Path], None]:
    """A product tree at ``app/`` with ``.ospo.yml`` and ``files`` (``__`` in a keyword is
    a ``/``, ``_dot_`` a leading ``.``)."""

    def make(tmp: Path) -> None:
        named = {k.replace("__", "/").replace("_dot_", "."): v for k, v in files.items()}
        write(tmp / "app", {".ospo.yml": CONFIG, **named})

    return make


def tree(files: dict[str, str | bytes]) -> Callable[[Path], None]:
    return lambda tmp: write(tmp, files)


def fifo_tree(tmp: Path) -> None:
    write(tmp, {"app/src/main.c": "int main;\n"})
    os.mkfifo(tmp / "app" / "src" / "pipe")


def inventory_issues(tmp: Path) -> list[dict[str, str]]:
    data = json.loads((tmp / "inv.json").read_text(encoding="utf-8"))
    issues: list[dict[str, str]] = data["scan"]["issues"]
    return issues


def issue_for(path_end: str, *words: str) -> Callable[[Path], None]:
    """The inventory holds one issue for the file ending in ``path_end``, saying ``words``."""

    def check(tmp: Path) -> None:
        found = [i for i in inventory_issues(tmp) if (i["path"] or "").endswith(path_end)]
        assert found, inventory_issues(tmp)
        assert all(w in found[0]["message"] for w in words), found[0]

    return check


def assert_inert(text: str) -> None:
    assert not [e for e in ESCAPES if e in text], text


def unreadable_tree(tmp: Path) -> None:
    write(tmp, {"app/main.c": "int main;\n", "app/secret.c": GPL_FILE, "app/Cargo.lock": ""})
    os.chmod(tmp / "app" / "secret.c", 0)
    os.chmod(tmp / "app" / "Cargo.lock", 0)


def unreadable_kept_apart(tmp: Path) -> None:
    """The readable file is in the inventory; a file permissions keep ospo from is an issue
    naming it (as root, which permissions do not stop, it is read like any other)."""
    inventory_lists("main.c", tmp)
    if os.geteuid() == 0:
        inventory_lists("secret.c", tmp)
        return
    issue_for("secret.c", "Permission denied")(tmp)
    issue_for("Cargo.lock", "Permission denied")(tmp)


def pom(artifact: str, parent: str = "", dependencies: str = "") -> str:
    return (
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        f"{parent}<groupId>org.example</groupId><artifactId>{artifact}</artifactId>"
        f"<version>1.0</version><dependencies>{dependencies}</dependencies></project>"
    )


def pom_with_parent_at(tmp: Path) -> None:
    """A pom whose relativePath names a parent outside the tree by its absolute path."""
    secret = "<dependency><groupId>org.secret</groupId><artifactId>leaked</artifactId>"
    secret += "<version>9.9</version></dependency>"
    parent = (
        "<parent><groupId>org.example</groupId><artifactId>outside</artifactId>"
        f"<version>1.0</version><relativePath>{tmp}/outside/pom.xml</relativePath></parent>"
    )
    write(tmp, {"outside/pom.xml": pom("outside", dependencies=secret)})
    write(tmp, {"app/pom.xml": pom("app", parent=parent)})


def no_component(word: str) -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        data = json.loads((tmp / "inv.json").read_text(encoding="utf-8"))
        assert not [c for c in data["components"] if word in c["purl"]], data["components"]

    return check


def git_repo(tmp: Path) -> None:
    """A clone with one commit, for ``ospo health``."""
    import subprocess

    write(tmp, {"repo/README": "hello\n"})
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
    }
    for command in (["init", "-q"], ["add", "README"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", "-C", str(tmp / "repo"), *command], check=True, env=env)


def inventory_lists(rel: str, tmp: Path) -> None:
    data = json.loads((tmp / "inv.json").read_text(encoding="utf-8"))
    assert rel in {f["path"] for f in data["files"]}


def no_issue_for(path_end: str) -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        assert not [i for i in inventory_issues(tmp) if (i["path"] or "").endswith(path_end)]

    return check


def well_formed_junit(tmp: Path) -> None:
    suite = ET.fromstring((tmp / "out.xml").read_bytes())
    names = [case.get("name") or "" for case in suite.iter("testcase")]
    assert any("\\x01" in name for name in names), names


def sarif_uri(expected: str) -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        data = json.loads((tmp / "out.sarif").read_text(encoding="utf-8"))
        uris = [
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in data["runs"][0]["results"]
            for loc in result.get("locations", [])
            if "physicalLocation" in loc
        ]
        assert expected in uris, uris

    return check


def nothing_at(name: str) -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        assert not (tmp / name).exists()

    return check


def cyclonedx(purl: str) -> str:
    component = {"type": "library", "name": "x", "version": "1", "purl": purl, "bom-ref": "x"}
    document = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1}
    return json.dumps({**document, "components": [component]})


def spdx_with_purl(purl: str) -> str:
    """npm's real SPDX document with the purl of its first package that has one replaced."""
    data = json.loads((DATA / "sbom" / "npm-sbom-webapp.spdx.json").read_text(encoding="utf-8"))
    refs = [r for p in data["packages"] for r in p.get("externalRefs", [])]
    next(r for r in refs if r["referenceType"] == "purl")["referenceLocator"] = purl
    return json.dumps(data)


def spdx3_with_purl(purl: str) -> str:
    """A real SPDX 3 document with the purl of its package ``pkg:pypi/sphinx`` replaced."""
    path = DATA / "spdx3" / "ntia-conformance-checker-6.0.0.spdx3.json"
    text = path.read_text(encoding="utf-8")
    assert text.count('"pkg:pypi/sphinx"') == 1
    return text.replace('"pkg:pypi/sphinx"', json.dumps(purl))


#: What a terminal or a log viewer acts on instead of showing: colour, clearing the screen,
#: rewriting a line, reversing the text that follows.
ESCAPES = ("\x1b[", "\x1b]", "\r", "\u202e", "\x07")
HOSTILE_NAME = "<img src=x onerror=alert(1)>\x1b[2J\u202e"
HOSTILE_VERSION = "1.0\x1b]0;owned\x07\r\n✗ license/denied: forged"


def hostile_component(**extra: object) -> dict[str, object]:
    """A GPL component whose name and version carry HTML, escape sequences and a forged line."""
    return {
        "type": "library",
        "name": HOSTILE_NAME,
        "version": HOSTILE_VERSION,
        "purl": "pkg:npm/x@1",
        "licenses": [{"license": {"id": "GPL-3.0-only"}}],
        **extra,
    }


def hostile_sbom(*components: dict[str, object]) -> str:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1}
    return json.dumps({**document, "components": list(components)})


def inert_file(name: str, *, html: bool = False) -> Callable[[Path], None]:
    """The written file shows the hostile values, escaped, and acts on none of them."""

    def check(tmp: Path) -> None:
        text = (tmp / name).read_text(encoding="utf-8")
        assert "\\u001b" in text, text[:2000]
        assert not [e for e in ESCAPES if e in text], text[:2000]
        assert "\n✗ license/denied: forged" not in text
        if html:
            assert "<img" not in text
            assert "&lt;img src=x onerror=alert(1)&gt;" in text

    return check


class Case(NamedTuple):
    """One hostile input: what the test writes, the command, and what ospo promises."""

    id: str
    contract: str
    make: Callable[[Path], None]
    args: tuple[str, ...]  # ``{tmp}`` is the test's directory
    exit_code: int
    says: tuple[str, ...] = ()  # in stderr
    never_says: tuple[str, ...] = ()  # in stdout or stderr
    then: Callable[[Path], None] | None = None


CASES = (
    # --- hostile text reaching an output ----------------------------------------------
    Case(
        "escapes-in-check-text",
        "a package name and version holding escape sequences, a bidi override and a line "
        "break are printed escaped by check's text report: nothing colours, clears or forges "
        "a line",
        tree({"s.cdx.json": hostile_sbom(hostile_component())}),
        ("check", "--sbom", "{tmp}/s.cdx.json"),
        1,
        never_says=(*ESCAPES, "\n✗ license/denied: forged"),
    ),
    Case(
        "escapes-in-check-text-file",
        "the same text report written with -o holds the values escaped",
        tree({"s.cdx.json": hostile_sbom(hostile_component())}),
        ("check", "--sbom", "{tmp}/s.cdx.json", "-o", "{tmp}/out.txt"),
        1,
        then=inert_file("out.txt"),
    ),
    Case(
        "escapes-in-notice-text",
        "a text NOTICE shows such a name and version escaped",
        tree({"s.cdx.json": hostile_sbom(hostile_component())}),
        ("notice", "--sbom", "{tmp}/s.cdx.json", "-o", "{tmp}/NOTICE"),
        0,
        then=inert_file("NOTICE"),
    ),
    Case(
        "escapes-in-notice-html",
        "an HTML NOTICE escapes the HTML of a name and the control characters beside it",
        tree({"s.cdx.json": hostile_sbom(hostile_component())}),
        ("notice", "--sbom", "{tmp}/s.cdx.json", "--format", "html", "-o", "{tmp}/n.html"),
        0,
        then=inert_file("n.html", html=True),
    ),
    Case(
        "escapes-in-packet-html",
        "the review board's HTML packet escapes them the same way",
        tree({"s.cdx.json": hostile_sbom(hostile_component())}),
        ("packet", "--sbom", "{tmp}/s.cdx.json", "--format", "html", "-o", "{tmp}/p.html"),
        0,
        then=inert_file("p.html", html=True),
    ),
    Case(
        "escapes-in-packet-md",
        "the Markdown packet escapes them too, Markdown aside",
        tree({"s.cdx.json": hostile_sbom(hostile_component())}),
        ("packet", "--sbom", "{tmp}/s.cdx.json", "--format", "md", "-o", "{tmp}/p.md"),
        0,
        then=inert_file("p.md"),
    ),
    Case(
        "escapes-in-file-name-markdown",
        "a file name holding a carriage return and an escape sequence is shown escaped in "
        "check's Markdown (a pull-request comment), its HTML made inert",
        app(**{"src__a\rb<i>c</i>\x1b[1m.c": GPL_FILE}),
        ("check", "{tmp}/app", "--format", "markdown"),
        1,
        never_says=(*ESCAPES, "<i>"),
    ),
    Case(
        "escapes-in-file-name-text",
        "the same file name is shown escaped in check's text report",
        app(**{"src__a\rb<i>c</i>\x1b[1m.c": GPL_FILE}),
        ("check", "{tmp}/app"),
        1,
        never_says=ESCAPES,
    ),
    Case(
        "escapes-in-signoff-status",
        "a sign-off in .ospo/signoffs.yml whose name, ticket and conditions hold escape "
        "sequences and a forged line is listed escaped by ospo signoff",
        app(
            main_dot_c="int main;\n",
            _dot_ospo__signoffs_dot_yml="version: 1\nsignoffs:\n  - role: legal\n"
            '    name: "Ada\\e[31m\\nForged: yes"\n    decision: approve-with-conditions\n'
            '    conditions: "c\\e]0;x\\a"\n    ticket: "T\\r1"\n'
            "    date: '2026-01-01'\n    digest: sha256:" + "0" * 64 + "\n"
            "    product: app\n    release: r1\n",
        ),
        ("signoff", "{tmp}/app", "--role", "product", "--name", "Bob", "--decision", "approve"),
        0,
        never_says=(*ESCAPES, "\nForged: yes"),
    ),
    Case(
        "escapes-in-sarif-message",
        "a file name with a bidi override and an escape sequence is escaped in SARIF's "
        "message text (code scanning shows it); the artifact URI still names the file",
        app(**{"src__evil\u202egnp.c\x1b[8m.c": GPL_FILE}),
        ("check", "{tmp}/app", "--format", "sarif", "-o", "{tmp}/out.sarif"),
        1,
        then=lambda tmp: (
            assert_inert(
                " ".join(
                    r["message"]["text"]
                    for r in json.loads((tmp / "out.sarif").read_text(encoding="utf-8"))["runs"][0][
                        "results"
                    ]
                )
            ),
            sarif_uri("src/evil%E2%80%AEgnp.c%1B%5B8m.c")(tmp),
        ),
    ),
    Case(
        "escapes-in-error-path",
        "an error naming a file whose name holds an escape sequence prints it escaped",
        tree({}),
        ("check", "--sbom", "{tmp}/a\x1b[31mred\u202e.json"),
        2,
        ("a\\u001b[31mred\\u202e.json", "does not exist"),
        ESCAPES,
    ),
    Case(
        "escapes-in-scan-issue",
        "a scan issue quoting a lock file's value holds no escape sequence",
        tree(
            {
                "app/package-lock.json": '{"lockfileVersion": 3, "packages": '
                '{"node_modules/\\u001b[2Jx": "not a table"}}'
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=lambda tmp: (
            issue_for("package-lock.json", "should be a table")(tmp)
            or (assert_inert(inventory_issues(tmp)[0]["message"]))
        ),
    ),
    # --- SBOMs from other tools ----------------------------------------------------------
    Case(
        "cyclonedx-component-without-purl",
        "a CycloneDX component without a purl is not dropped silently: the note names it, as "
        "for SPDX packages without one",
        tree(
            {
                "s.cdx.json": hostile_sbom(
                    {**hostile_component(), "name": "gpl-thing", "version": "2"},
                    {"type": "library", "name": "no-purl", "version": "1"},
                ).replace('"purl": "pkg:npm/x@1", ', "", 1)
            }
        ),
        ("check", "--sbom", "{tmp}/s.cdx.json"),
        0,
        (
            "s.cdx.json: CycloneDX: 2 package(s) without a purl are not components: gpl-thing, "
            "no-purl",
        ),
    ),
    # --- encodings and what is not a file ------------------------------------------------
    Case(
        "sbom-utf8-bom",
        "a CycloneDX document starting with a UTF-8 byte order mark (as Windows tools write "
        "it) is read and judged",
        tree({"s.cdx.json": "\ufeff" + cyclonedx("pkg:npm/x@1")}),
        ("check", "--sbom", "{tmp}/s.cdx.json", "--fail-on", "error"),
        0,
        never_says=("Unexpected UTF-8 BOM",),
    ),
    Case(
        "sbom-spdx-yaml",
        "an SPDX document in YAML is refused naming the formats ospo reads, not with a JSON "
        "parser's 'Expecting value'",
        tree({"s.spdx.yaml": "spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n"}),
        ("check", "--sbom", "{tmp}/s.spdx.yaml"),
        2,
        ("s.spdx.yaml: not an SBOM in a format ospo reads", "SPDX 2.2/2.3 tag-value"),
        ("Expecting value",),
    ),
    Case(
        "sbom-empty-file",
        "an empty SBOM file is refused the same way",
        tree({"s.json": ""}),
        ("check", "--sbom", "{tmp}/s.json"),
        2,
        ("s.json: not an SBOM in a format ospo reads",),
    ),
    Case(
        "sbom-utf16",
        "a UTF-16 SBOM is an input error saying it is not UTF-8, not a codec's words",
        lambda tmp: (tmp / "s.cdx.json").write_bytes(cyclonedx("pkg:npm/x@1").encode("utf-16")),
        ("check", "--sbom", "{tmp}/s.cdx.json"),
        2,
        ("s.cdx.json: SBOM file is not UTF-8 text", "UTF-16"),
        ("codec",),
    ),
    Case(
        "policy-binary",
        "a policy that is an image is an input error saying it is not UTF-8 text",
        tree({"app/.ospo.yml": CONFIG, "p.yml": b"\x89PNG\r\n\x1a\n"}),
        ("check", "{tmp}/app", "--policy", "{tmp}/p.yml"),
        2,
        ("p.yml: file is not UTF-8 text",),
        ("codec",),
    ),
    Case(
        "config-is-directory",
        "a directory named .ospo.yml is an input error, not a tree checked without its "
        "configuration",
        tree({"app/.ospo.yml/x": "", "app/main.c": "int main;\n"}),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml: a directory, not a file",),
    ),
    Case(
        "config-is-directory-scan",
        "scan stops the same way on a directory named .ospo.yml, writing nothing",
        tree({"app/.ospo.yml/x": "", "app/main.c": "int main;\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        2,
        (".ospo.yml: a directory, not a file",),
        then=nothing_at("inv.json"),
    ),
    Case(
        "config-dangling-symlink",
        ".ospo.yml linking to nothing is an input error, not a tree without configuration",
        lambda tmp: (
            write(tmp, {"app/main.c": "int main;\n"}),
            (tmp / "app" / ".ospo.yml").symlink_to(tmp / "gone.yml"),
        ),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml: a symbolic link to nothing",),
    ),
    Case(
        "config-fifo",
        "a named pipe called .ospo.yml is refused without being opened (that would wait)",
        lambda tmp: (write(tmp, {"app/main.c": "int main;\n"}), os.mkfifo(tmp / "app/.ospo.yml")),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml: a named pipe (FIFO), not a file",),
    ),
    Case(
        "waivers-is-directory",
        "a directory at .ospo/waivers.yml is an input error: the waivers are not dropped silently",
        app(_dot_ospo__waivers_dot_yml__x=""),
        ("check", "{tmp}/app"),
        2,
        ("waivers.yml: a directory, not a file",),
    ),
    Case(
        "spdx-tag-value-crlf",
        "an SPDX tag-value document with Windows line ends is read as with Unix ones: its "
        "GPL dependency is judged",
        tree(
            {
                "s.spdx": "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n"
                "DocumentName: x\nDocumentNamespace: http://example.com/x\nCreator: Tool: x\n"
                "Created: 2020-01-01T00:00:00Z\n\nPackageName: p\nSPDXID: SPDXRef-p\n"
                "PackageDownloadLocation: NOASSERTION\n\nPackageName: a\nSPDXID: SPDXRef-a\n"
                "PackageDownloadLocation: NOASSERTION\n"
                "ExternalRef: PACKAGE-MANAGER purl pkg:npm/a@1\n"
                "PackageLicenseDeclared: GPL-3.0-only\n\n"
                "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p\n"
                "Relationship: SPDXRef-p DEPENDS_ON SPDXRef-a\n".replace("\n", "\r\n")
            }
        ),
        ("check", "--sbom", "{tmp}/s.spdx", "--format", "json", "-o", "{tmp}/out.json"),
        1,
        then=lambda tmp: (
            None
            if "pkg:npm/a@1" in (tmp / "out.json").read_text(encoding="utf-8")
            else pytest.fail("the GPL dependency was not judged")
        ),
    ),
    # --- numbers where strings are -----------------------------------------------------
    Case(
        "npm-version-number",
        "a package-lock.json version written as a number is one issue naming the key, not a "
        "component whose version was dropped in silence",
        tree(
            {
                "app/package-lock.json": '{"lockfileVersion": 3, "packages": '
                '{"node_modules/left-pad": {"version": 1.3, "license": "WTFPL"}}}'
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for(
            "package-lock.json",
            "packages['node_modules/left-pad'].version should be a string, not a number",
        ),
    ),
    Case(
        "cargo-version-number",
        "a Cargo.lock version written as a TOML float is refused the same way",
        tree({"app/Cargo.lock": 'version = 3\n[[package]]\nname = "a"\nversion = 1.0\n'}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("Cargo.lock", "[[package]] #1 version should be a string"),
    ),
    Case(
        "composer-version-list",
        "a composer.lock version that is a list is refused, naming the package",
        tree({"app/composer.lock": '{"packages": [{"name": "a/b", "version": [1]}]}'}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("composer.lock", "a/b version should be a string, not a list"),
    ),
    Case(
        "yarn-berry-version-list",
        "a yarn.lock (berry) version that is a list is refused, not written as '[1]'",
        tree(
            {
                "app/yarn.lock": '__metadata:\n  version: 6\n"a@npm:^1":\n  version: [1]\n'
                '  resolution: "a@npm:1.0.0"\n'
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("yarn.lock", "version should be a string, not a list"),
    ),
    # --- includes that leave the tree --------------------------------------------------
    Case(
        "requirements-include-absolute",
        "-r /etc/hostname in a requirements file is an issue (outside the scanned tree): no "
        "file of the machine is read, nor quoted in the inventory",
        tree({"app/requirements.txt": "-r /etc/hostname\nfoo==1\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("requirements.txt", "line 1", "outside the scanned tree"),
    ),
    Case(
        "requirements-include-symlink-out",
        "-r through a symbolic link that leads out of the tree is refused the same way",
        lambda tmp: (
            write(tmp, {"app/requirements.txt": "-r other.txt\nfoo==1\n", "out.txt": "leaked\n"}),
            (tmp / "app" / "other.txt").symlink_to(tmp / "out.txt"),
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=lambda tmp: (
            issue_for("requirements.txt", "outside the scanned tree")(tmp),
            no_component("leaked")(tmp),
        ),
    ),
    Case(
        "requirements-include-inside",
        "-r of a file inside the tree is still followed",
        tree({"app/requirements.txt": "-r sub/more.txt\n", "app/sub/more.txt": "bar==2\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=lambda tmp: (
            None
            if "pkg:pypi/bar@2" in (tmp / "inv.json").read_text(encoding="utf-8")
            else pytest.fail("the included requirement is missing")
        ),
    ),
    Case(
        "maven-relative-path-absolute",
        "a pom whose <relativePath> is an absolute path out of the tree does not inherit from "
        "that file",
        pom_with_parent_at,
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=no_component("leaked"),
    ),
    # --- JSON that parses two ways ------------------------------------------------------
    Case(
        "sbom-duplicate-key",
        "a CycloneDX component naming its licenses twice (GPL, then MIT) is refused: read "
        "as the last one it would pass the gate in silence",
        tree(
            {
                "s.cdx.json": cyclonedx("pkg:npm/x@1").replace(
                    '"bom-ref": "x"',
                    '"bom-ref": "x", "licenses": [{"license": {"id": "GPL-3.0-only"}}], '
                    '"licenses": [{"license": {"id": "MIT"}}]',
                )
            }
        ),
        ("check", "--sbom", "{tmp}/s.cdx.json"),
        2,
        ("s.cdx.json: the key 'licenses' is written twice",),
    ),
    Case(
        "inventory-duplicate-key",
        "an inventory naming a key twice is refused the same way",
        tree({"inv.json": '{"schema_version": "1.0", "schema_version": "1.0"}'}),
        ("check", "--inventory", "{tmp}/inv.json"),
        2,
        ("inv.json: the key 'schema_version' is written twice",),
    ),
    Case(
        "lock-duplicate-key",
        "a package-lock.json naming a package twice is one issue naming the key; the scan goes on",
        tree(
            {
                "app/package-lock.json": '{"lockfileVersion": 3, "packages": {'
                '"node_modules/a": {"version": "1.0.0"}, "node_modules/a": {"version": "2.0.0"}}}',
                "app/Cargo.lock": "version = 3\n",
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("package-lock.json", "'node_modules/a' is written twice"),
    ),
    Case(
        "sbom-huge-integer",
        "an SBOM holding an integer of 5,000 digits is an input error (exit 2), not an "
        "internal error",
        tree(
            {
                "s.cdx.json": cyclonedx("pkg:npm/x@1").replace(
                    '"version": 1', '"version": ' + "9" * 5000
                )
            }
        ),
        ("check", "--sbom", "{tmp}/s.cdx.json"),
        2,
        ("s.cdx.json: holds an integer of more than 4,300 digits",),
        ("internal error", "set_int_max_str_digits"),
    ),
    Case(
        "inventory-huge-integer",
        "an inventory holding such an integer is an input error too",
        tree({"inv.json": '{"schema_version": ' + "9" * 5000 + "}"}),
        ("check", "--inventory", "{tmp}/inv.json"),
        2,
        ("inv.json: holds an integer of more than 4,300 digits",),
    ),
    Case(
        "lock-huge-integer",
        "a lock file holding such an integer is one issue saying so",
        tree({"app/package-lock.json": '{"lockfileVersion": ' + "9" * 5000 + "}"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("package-lock.json", "more than 4,300 digits"),
    ),
    # --- outputs -----------------------------------------------------------------------
    Case(
        "output-dir-missing-second",
        "scan -o into an existing directory with --cyclonedx into a missing one stops with "
        "exit 2 before scanning and writes neither",
        tree({"app/main.c": "int main;\n"}),
        (
            "scan",
            "{tmp}/app",
            "-o",
            "{tmp}/inv.json",
            "--cyclonedx",
            "{tmp}/missing/bom.json",
            "-q",
        ),
        2,
        ("missing: output directory does not exist",),
        then=nothing_at("inv.json"),
    ),
    Case(
        "output-same-file-twice",
        "-o and --cyclonedx naming the same file is a usage error: the second would replace "
        "the first in silence",
        tree({"app/main.c": "int main;\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/out.json", "--cyclonedx", "{tmp}/out.json", "-q"),
        2,
        ("out.json: two outputs name the same file",),
        then=nothing_at("out.json"),
    ),
    Case(
        "output-is-directory-spdx",
        "--spdx naming a directory is refused before the scan, naming it",
        tree({"app/main.c": "int main;\n", "outdir/keep": ""}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "--spdx", "{tmp}/outdir", "-q"),
        2,
        ("outdir",),
        then=nothing_at("inv.json"),
    ),
    # --- item 5: YAML alias bombs and document size --------------------------------------
    Case(
        "alias-bomb-config",
        ".ospo.yml whose aliases expand to a billion nodes is refused with file and line, "
        "not expanded",
        app(_dot_ospo_dot_yml=CONFIG + ALIAS_BOMB + "\n"),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml:", "alias bomb"),
    ),
    Case(
        "alias-bomb-policy",
        "a policy file that is an alias bomb is an input error naming it",
        tree({"app/.ospo.yml": CONFIG, "bomb.yml": ALIAS_BOMB + "\n"}),
        ("check", "{tmp}/app", "--policy", "{tmp}/bomb.yml"),
        2,
        ("bomb.yml:", "alias bomb"),
    ),
    Case(
        "alias-bomb-waivers",
        "a waivers file that is an alias bomb is an input error naming it",
        app(_dot_ospo__waivers_dot_yml=ALIAS_BOMB + "\n"),
        ("check", "{tmp}/app"),
        2,
        ("waivers.yml:", "alias bomb"),
    ),
    Case(
        "recursive-alias-policy",
        "an alias inside the node it names is refused, not followed for ever",
        tree({"app/.ospo.yml": CONFIG, "loop.yml": "a: &a [1, *a]\n"}),
        ("check", "{tmp}/app", "--policy", "{tmp}/loop.yml"),
        2,
        ("loop.yml:1:", "recursive"),
    ),
    Case(
        "aliases-in-moderation",
        "a document using a few aliases the ordinary way is read as before",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace("approver: Ada", "approver: &who Ada")
            + WAIVER.format(date="2024-01-01", expires="2030-01-01")
            .replace("waivers:\n", "")
            .replace("approver: Ada", "approver: *who")
            .replace("left-pad", "right-pad")
        ),
        ("check", "{tmp}/app"),
        0,
        never_says=("YAML alias",),
    ),
    Case(
        "duplicate-key-policy",
        "a policy that names one key twice in a mapping is refused at the second, with both "
        "lines: YAML would keep the last silently",
        tree(
            {
                "app/.ospo.yml": CONFIG,
                "dup.yml": "version: 1\nname: dup\nroles:\n  license: [legal]\n"
                "  file: [legal]\n  license: [product]\n",
            }
        ),
        ("check", "{tmp}/app", "--policy", "{tmp}/dup.yml"),
        2,
        ("dup.yml:6:", "the key 'license' is written twice (the first time on line 4)"),
    ),
    Case(
        "duplicate-key-config",
        ".ospo.yml naming profile twice is refused with its line",
        app(_dot_ospo_dot_yml=CONFIG + "profile: saas\n"),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml:5:", "the key 'profile' is written twice (the first time on line 4)"),
    ),
    Case(
        "duplicate-key-waiver",
        "a waiver naming its rule twice is refused, not read as the second rule",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace("    decision: approve\n", "    decision: approve\n    decision: deny\n")
        ),
        ("check", "{tmp}/app"),
        2,
        ("waivers.yml:5:", "the key 'decision' is written twice (the first time on line 4)"),
    ),
    Case(
        "duplicate-key-pnpm-lock",
        "a pnpm-lock.yaml naming a package twice is one issue with both lines: YAML would "
        "keep the second in silence",
        tree(
            {
                "app/pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages:\n"
                "  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n"
                "  a@1.0.0:\n    resolution: {integrity: sha512-BBBB}\n"
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for(
            "pnpm-lock.yaml", "line 5", "'a@1.0.0' is written twice (the first time on line 3)"
        ),
    ),
    Case(
        "duplicate-key-flow-mapping",
        "a key written twice inside one flow mapping ({a: 1, a: 2}) of a policy is refused too",
        tree(
            {
                "app/.ospo.yml": CONFIG,
                "p.yml": "version: 1\nname: x\nroles: {license: [legal], license: [product]}\n",
            }
        ),
        ("check", "{tmp}/app", "--policy", "{tmp}/p.yml"),
        2,
        ("p.yml:3:", "'license' is written twice"),
    ),
    Case(
        "duplicate-key-workflow",
        "a GitHub workflow naming a job twice is one issue; the scan goes on",
        tree(
            {
                "app/.github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"
                "    steps: [{uses: actions/checkout@v4}]\n  a:\n    runs-on: y\n"
                "    steps: [{uses: evil/action@v1}]\n"
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("ci.yml", "'a' is written twice"),
    ),
    Case(
        "merge-key-override",
        "a key a merge (<<) brings in may be overridden: that is no duplicate",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace("  - rule: license/review\n", "  - &first\n    rule: license/review\n")
            + "  - <<: *first\n    component: pkg:npm/right-pad\n"
        ),
        ("check", "{tmp}/app"),
        0,
        never_says=("written twice",),
    ),
    Case(
        "complex-key-policy",
        "a policy with a list as a mapping key ('? [a, b]') is an input error with its "
        "line, not an internal error",
        tree({"app/.ospo.yml": CONFIG, "p.yml": "version: 1\nname: x\n? [a, b]\n: x\n"}),
        ("check", "{tmp}/app", "--policy", "{tmp}/p.yml"),
        2,
        ("p.yml:3:", "a key of a mapping is itself a list or a mapping"),
        ("internal error", "unhashable"),
    ),
    Case(
        "policy-override-typo",
        "a license a policy overrides that neither SPDX nor ScanCode knows ('Apache2.0') is an "
        "input error with its line and the closest id: it silently changed nothing",
        tree(
            {
                "app/.ospo.yml": CONFIG,
                "p.yml": "version: 1\nname: x\nextends: default\nlicenses:\n  overrides:\n"
                "    LicenseRef-Acme-Proprietary: proprietary\n    Apache2.0: permissive\n",
            }
        ),
        ("check", "{tmp}/app", "--policy", "{tmp}/p.yml"),
        2,
        ("p.yml:7:", "'Apache2.0' is a license neither SPDX nor ScanCode knows", "'Apache-2.0'"),
    ),
    Case(
        "policy-override-unknown-scancode-ref",
        "a LicenseRef-scancode- name ScanCode does not have is refused too; the organisation's "
        "own LicenseRef- and ScanCode's keys are taken",
        tree(
            {
                "app/.ospo.yml": CONFIG,
                "p.yml": "version: 1\nname: x\nextends: default\nlicenses:\n  overrides:\n"
                "    json: permissive\n    LicenseRef-scancode-no-such-license: permissive\n",
            }
        ),
        ("check", "{tmp}/app", "--policy", "{tmp}/p.yml"),
        2,
        ("p.yml:7:", "'LicenseRef-scancode-no-such-license'"),
    ),
    Case(
        "policy-elect-last-typo",
        "a typo among the licenses an OR elects last is refused with the line of the list",
        tree(
            {
                "app/.ospo.yml": CONFIG,
                "p.yml": "version: 1\nname: x\nextends: default\nlicenses:\n"
                "  elect_last: [BSD-4-Clause, BSD-4-Clase-UC]\n",
            }
        ),
        ("policy", "validate", "{tmp}/p.yml"),
        2,
        ("p.yml:5:", "'BSD-4-Clase-UC'", "did you mean 'BSD-4-Clause-UC'?"),
    ),
    Case(
        "policy-override-known-names",
        "an override of an SPDX id, a ScanCode key, a ScanCode LicenseRef and the "
        "organisation's own LicenseRef is a valid policy",
        tree(
            {
                "app/.ospo.yml": CONFIG,
                "p.yml": "version: 1\nname: x\nextends: default\nlicenses:\n  overrides:\n"
                "    MIT: permissive\n    json: use-restricted\n"
                "    LicenseRef-scancode-ms-limited-community: use-restricted\n"
                "    LicenseRef-Acme-Proprietary: proprietary\n",
            }
        ),
        ("policy", "validate", "{tmp}/p.yml"),
        0,
        never_says=("neither SPDX nor ScanCode",),
    ),
    Case(
        "complex-key-config",
        "a mapping as a key deeper in .ospo.yml is refused the same way, with its line",
        app(_dot_ospo_dot_yml=CONFIG + "scan:\n  ? {a: 1}\n  : 1\n"),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml:6:", "a key of a mapping is itself a list or a mapping"),
    ),
    Case(
        "complex-key-pnpm-lock",
        "a pnpm-lock.yaml with such a key is one manifest issue naming its line",
        tree(
            {
                "app/pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages:\n  ? [a]\n"
                "  : {resolution: {integrity: x}}\n"
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("pnpm-lock.yaml", "line 3", "a key of a mapping"),
    ),
    Case(
        "config-license-unparsable",
        "product.license that is not an expression ('MIT AND (((') is refused with its "
        "line: every file would be judged against it",
        app(_dot_ospo_dot_yml=CONFIG.replace("LicenseRef-Acme-Proprietary", "MIT AND (((")),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml:3:", "product.license: 'MIT AND (((' is not an SPDX license expression"),
    ),
    Case(
        "config-license-unknown-id",
        "product.license naming no known license (a LicenseRef- without its prefix) is "
        "refused, saying how to write one's own",
        app(_dot_ospo_dot_yml=CONFIG.replace("LicenseRef-Acme-Proprietary", "Acme-Proprietary")),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        2,
        (".ospo.yml:3:", "unknown license id(s): Acme-Proprietary", "LicenseRef-NAME"),
        then=nothing_at("inv.json"),
    ),
    Case(
        "config-license-or-later",
        "an expression with an SPDX exception and an or-later form is read as before",
        app(
            _dot_ospo_dot_yml=CONFIG.replace(
                "LicenseRef-Acme-Proprietary", "GPL-2.0+ WITH Classpath-exception-2.0 OR MIT"
            ),
            main_dot_c="int main;\n",
        ),
        ("check", "{tmp}/app"),
        0,
        never_says=("not an SPDX license expression",),
    ),
    Case(
        "huge-config",
        "a YAML document larger than 8 MiB is refused before it is parsed",
        app(_dot_ospo_dot_yml=CONFIG + "#" + "x" * (9 * 1024 * 1024) + "\n"),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml:", "larger than ospo reads"),
    ),
    Case(
        "alias-bomb-pnpm-lock",
        "a lock file that is an alias bomb is one manifest issue; the scan goes on",
        tree({"app/pnpm-lock.yaml": "lockfileVersion: '9.0'\n" + ALIAS_BOMB + "\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("pnpm-lock.yaml", "alias bomb"),
    ),
    # --- item 6: messages quote little, and never a secret -----------------------------
    Case(
        "policy-is-npmrc",
        "with policy: ../.npmrc the message names the file but prints no token or password",
        tree({"app/.ospo.yml": CONFIG + "policy: ../.npmrc\n", ".npmrc": NPMRC}),
        ("check", "{tmp}/app"),
        2,
        (".npmrc:1:", "_authToken=***", "https://***@npm.example.com"),
        (TOKEN, PASSWORD, TOKEN[:12]),
    ),
    Case(
        "policy-option-is-npmrc",
        "--policy naming a credentials file is refused without printing its secrets",
        tree({"app/.ospo.yml": CONFIG, ".npmrc": NPMRC}),
        ("check", "{tmp}/app", "--policy", "{tmp}/.npmrc"),
        2,
        (".npmrc:1:",),
        (TOKEN, PASSWORD),
    ),
    Case(
        "policy-is-dotenv",
        "a .env named as the policy: GitHub and AWS keys and a password are not printed",
        tree(
            {
                "app/.ospo.yml": CONFIG,
                ".env": f"GITHUB_TOKEN=ghp_{'A1b2C3d4' * 5}\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"
                f"\nDB_PASSWORD={PASSWORD}\n",
            }
        ),
        ("check", "{tmp}/app", "--policy", "{tmp}/.env"),
        2,
        (".env:1:", "GITHUB_TOKEN=***"),
        ("ghp_", "AKIAIOSFODNN7EXAMPLE", PASSWORD),
    ),
    Case(
        "long-value-quoted",
        "a message quotes at most 80 characters of a value, however long it is",
        app(_dot_ospo_dot_yml=CONFIG.replace("profile: binary", "profile: " + "y" * 200_000)),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml:4: profile: 'yyy",),
        ("y" * 100,),
    ),
    Case(
        "token-in-go-sum",
        "a scan issue quoting a damaged line redacts what looks like a token",
        tree({"app/go.mod": "module example.com/app\n\ngo 1.21\n", "app/go.sum": TOKEN + "\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        never_says=(TOKEN,),
        then=issue_for("go.sum", "line 1", "***"),
    ),
    # --- item 7: deep nesting ------------------------------------------------------------
    Case(
        "deep-package-lock",
        "100,000 [ in package-lock.json is one manifest issue; the inventory is written",
        tree({"app/package-lock.json": DEEP, "app/Cargo.lock": "version = 3\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("package-lock.json", "nested deeper"),
    ),
    Case(
        "deep-cargo-lock",
        "100,000 [ in Cargo.lock is one manifest issue; the inventory is written",
        tree({"app/Cargo.lock": "version = " + DEEP + "\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("Cargo.lock", "nested deeper"),
    ),
    Case(
        "deep-pnpm-lock",
        "100,000 [ in pnpm-lock.yaml is one manifest issue; the inventory is written",
        tree({"app/pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages: " + DEEP + "\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("pnpm-lock.yaml", "nesting depth"),
    ),
    Case(
        "deep-but-parseable-lock",
        "nesting Python can parse but deeper than 200 levels is refused before it is walked",
        tree({"app/package-lock.json": "[" * 500 + "]" * 500}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("package-lock.json", "200 levels"),
    ),
    Case(
        "deep-vendored-manifest",
        "a vendored package.json nested 100,000 deep does not end the scan: the vendored "
        "code is still found by its directory and the inventory is written",
        tree({"app/vendor/x/package.json": DEEP, "app/vendor/x/x.c": "int x;\n"}),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json"),
        0,
        then=lambda tmp: inventory_lists("vendor/x/x.c", tmp),
    ),
    Case(
        "deep-sbom",
        "check --sbom on a deeply nested CycloneDX document is an input error (exit 2)",
        tree({"deep.cdx.json": '{"bomFormat": "CycloneDX", "components": ' + DEEP}),
        ("check", "--sbom", "{tmp}/deep.cdx.json"),
        2,
        ("deep.cdx.json:", "nested deeper"),
    ),
    Case(
        "deep-inventory",
        "check --inventory on a deeply nested file is an input error (exit 2)",
        tree({"inv.json": '{"schema_version": ' + DEEP}),
        ("check", "--inventory", "{tmp}/inv.json"),
        2,
        ("inv.json:", "nested deeper"),
    ),
    Case(
        "deep-config",
        "a deeply nested .ospo.yml is an input error naming it",
        app(_dot_ospo_dot_yml="product: " + DEEP + "\n"),
        ("check", "{tmp}/app"),
        2,
        (".ospo.yml", "nested deeper"),
    ),
    # --- item 8: purls in CycloneDX input ------------------------------------------------
    Case(
        "cyclonedx-invalid-purl",
        "a CycloneDX component whose purl is not a package URL is refused, naming it",
        tree({"bad.cdx.json": cyclonedx("pkg:npm/")}),
        ("check", "--sbom", "{tmp}/bad.cdx.json"),
        2,
        ("bad.cdx.json:", "component 'x'", "not a valid package URL"),
    ),
    Case(
        "cyclonedx-invalid-purl-imported",
        "scan --import-sbom of such a document stops with exit 2 and writes no SBOM",
        tree({"app/main.c": "int main;\n", "bad.cdx.json": cyclonedx("pkg:/x@1")}),
        (
            "scan",
            "{tmp}/app",
            "--import-sbom",
            "{tmp}/bad.cdx.json",
            "--cyclonedx",
            "{tmp}/out.cdx.json",
            "-q",
        ),
        2,
        ("bad.cdx.json:", "not a valid package URL"),
        ("ValueError", "Traceback"),
        nothing_at("out.cdx.json"),
    ),
    Case(
        "spdx-invalid-purl",
        "an SPDX document with such a purl is refused the same way (the neighbour's contract)",
        lambda tmp: write(tmp, {"bad.spdx.json": spdx_with_purl("pkg:/x@1")}),
        ("check", "--sbom", "{tmp}/bad.spdx.json"),
        2,
        ("bad.spdx.json:", "purl", "pkg:/x@1"),
    ),
    Case(
        "spdx3-invalid-purl",
        "an SPDX 3 package whose software_packageUrl is not a package URL is refused",
        lambda tmp: write(tmp, {"bad.spdx3.json": spdx3_with_purl("pkg:/sphinx")}),
        ("check", "--sbom", "{tmp}/bad.spdx3.json"),
        2,
        ("bad.spdx3.json:", "'pkg:/sphinx' is not a valid package URL"),
    ),
    Case(
        "cyclonedx-valid-purl",
        "the same document with a valid purl is read and judged",
        tree({"good.cdx.json": cyclonedx("pkg:npm/x@1")}),
        ("check", "--sbom", "{tmp}/good.cdx.json", "--fail-on", "error"),
        0,
    ),
    # --- item 9: a day that is not in the calendar -------------------------------------
    Case(
        "waiver-expires-feb-30",
        "expires: 2024-02-30 is an input error naming the waivers file, line and key",
        app(_dot_ospo__waivers_dot_yml=WAIVER.format(date="2024-01-01", expires="2024-02-30")),
        ("check", "{tmp}/app"),
        2,
        ("waivers.yml:2:", "waivers.0.expires", "'2024-02-30'", "not a day"),
        ("ValueError",),
    ),
    Case(
        "waiver-date-feb-30",
        "date: 2023-02-29 (not a leap year) is refused the same way",
        app(_dot_ospo__waivers_dot_yml=WAIVER.format(date="2023-02-29", expires="2025-01-01")),
        ("check", "{tmp}/app"),
        2,
        ("waivers.yml:2:", "waivers.0.date", "not a day"),
    ),
    Case(
        "waiver-leap-day",
        "expires: 2028-02-29, a leap day, is a day: the waivers are read",
        app(_dot_ospo__waivers_dot_yml=WAIVER.format(date="2024-01-01", expires="2028-02-29")),
        ("check", "{tmp}/app"),
        0,
        never_says=("not a day",),
    ),
    Case(
        "waiver-range-unreadable",
        "a waiver whose vers: range does not parse is refused with file, line and key: "
        "matching would take it as covering every version",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace("    decision:", "    versions: vers:npm/>>>1\n    decision:")
        ),
        ("check", "{tmp}/app"),
        2,
        ("waivers.yml:2:", "waivers.0.versions", "'vers:npm/>>>1' is not a version range"),
    ),
    Case(
        "waiver-license-not-spdx",
        "a waiver for a license written so that no SPDX expression reads it ('Apache 2.0') is "
        "refused with file, line and key: it matched nothing and was only reported unused",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace("    decision:", "    license: Apache 2.0\n    decision:")
        ),
        ("check", "{tmp}/app"),
        2,
        ("waivers.yml:2:", "waivers.0.license", "'Apache 2.0' is not an SPDX license expression"),
    ),
    Case(
        "waiver-license-expression",
        "a waiver for an SPDX expression, a deprecated id or a LicenseRef- is read as before",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace(
                "    decision:", "    license: (MIT OR GPL-2.0+) AND LicenseRef-Acme\n    decision:"
            )
        ),
        ("check", "{tmp}/app"),
        0,
        never_says=("not an SPDX license expression",),
    ),
    Case(
        "waiver-range-pypi-commas",
        "a PEP 440 range written in a vers: range (>=1,<2) is refused the same way",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace("    decision:", "    versions: vers:pypi/>=1,<2\n    decision:")
        ),
        ("check", "{tmp}/app"),
        2,
        ("waivers.0.versions", "not a version range"),
    ),
    Case(
        "waiver-range-readable",
        "a well-formed vers: range is read as before",
        app(
            _dot_ospo__waivers_dot_yml=WAIVER.format(
                date="2024-01-01", expires="2030-01-01"
            ).replace("    decision:", "    versions: vers:npm/>=1.0.0|<2.0.0\n    decision:")
        ),
        ("check", "{tmp}/app"),
        0,
        never_says=("not a version range",),
    ),
    Case(
        "decide-range-unreadable",
        "ospo decide refuses to record such a range and leaves no waivers file",
        tree({}),
        (
            "decide",
            "--rule",
            "license/review",
            "--component",
            "pkg:npm/a",
            "--versions",
            "vers:npm/>>>1",
            "--decision",
            "approve",
            "--approver",
            "Ada",
            "--role",
            "legal",
            "--reason",
            "reviewed",
            "--waivers",
            "{tmp}/w.yml",
        ),
        2,
        ("w.yml: the decision is not valid: waivers.0.versions",),
        then=nothing_at("w.yml"),
    ),
    # --- item 12: broken installed packages ------------------------------------------
    Case(
        "env-garbage-metadata",
        "--env: a dist-info whose METADATA is garbage is an issue naming that file",
        tree(
            {
                "app/main.c": "int main;\n",
                "site/good-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: good\n"
                "Version: 1.0\nLicense-Expression: MIT\n",
                "site/broken-1.0.dist-info/METADATA": b"\x89PNG\r\n\x1a\n\x00\xff\xfe garbage",
            }
        ),
        ("scan", "{tmp}/app", "--env", "{tmp}/site", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("broken-1.0.dist-info/METADATA", "not read"),
    ),
    Case(
        "env-package-json-array",
        "--env: a package.json that is an array is an issue naming it; the others are read",
        tree(
            {
                "app/main.c": "int main;\n",
                "node_modules/good/package.json": '{"name": "good", "version": "1.0.0", '
                '"license": "MIT"}',
                "node_modules/bad/package.json": "[1, 2, 3]",
            }
        ),
        ("scan", "{tmp}/app", "--env", "{tmp}/node_modules", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("bad/package.json", "not read", "JSON object"),
    ),
    Case(
        "env-package-json-not-json",
        "--env: a package.json that is not JSON is an issue naming it",
        tree(
            {
                "app/main.c": "int main;\n",
                "node_modules/bad/package.json": '{"name": ',
            }
        ),
        ("scan", "{tmp}/app", "--env", "{tmp}/node_modules", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("bad/package.json", "not JSON"),
    ),
    # --- item 13: the smaller ones ------------------------------------------------------
    Case(
        "fifo-in-tree",
        "a named pipe in the tree is an issue, never opened (opening one waits for ever)",
        fifo_tree,
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("src/pipe", "named pipe"),
    ),
    Case(
        "fifo-root-package-json",
        "a named pipe called package.json at the root is an issue; the workspace reader does "
        "not wait on it for ever",
        lambda tmp: (fifo_tree(tmp), os.mkfifo(tmp / "app" / "package.json")),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("package.json", "named pipe"),
    ),
    Case(
        "fifo-env-metadata",
        "--env: a named pipe as a dist-info's METADATA is an issue naming it, not a hang",
        lambda tmp: (
            write(tmp, {"app/main.c": "int main;\n", "site/x-1.0.dist-info/RECORD": ""}),
            os.mkfifo(tmp / "site" / "x-1.0.dist-info" / "METADATA"),
        ),
        ("scan", "{tmp}/app", "--env", "{tmp}/site", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("x-1.0.dist-info/METADATA", "named pipe (FIFO), not a regular file"),
    ),
    Case(
        "fifo-init-pyproject",
        "ospo init on a tree whose pyproject.toml is a named pipe says so and goes on",
        lambda tmp: (
            write(tmp, {"app/main.c": "int main;\n"}),
            os.mkfifo(tmp / "app/pyproject.toml"),
        ),
        ("init", "{tmp}/app", "--profile", "binary"),
        0,
        then=lambda tmp: (
            None
            if (tmp / "app" / ".ospo.yml").is_file()
            else pytest.fail("init wrote no configuration")
        ),
    ),
    Case(
        "fifo-signoffs",
        "ospo signoff on a tree whose .ospo/signoffs.yml is a named pipe stops with exit 2 "
        "naming it, instead of waiting for a writer",
        lambda tmp: (
            write(tmp, {"app/.ospo.yml": CONFIG, "app/main.c": "int main;\n"}),
            (tmp / "app" / ".ospo").mkdir(),
            os.mkfifo(tmp / "app" / ".ospo" / "signoffs.yml"),
        ),
        ("signoff", "{tmp}/app", "--role", "legal", "--name", "Ada", "--decision", "approve"),
        2,
        ("signoffs.yml: a named pipe (FIFO), not a file",),
    ),
    Case(
        "unreadable-files",
        "a source file and a lock file with no read permission cost only themselves: the "
        "scan ends with exit 0 and the rest is in the inventory",
        unreadable_tree,
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=unreadable_kept_apart,
    ),
    Case(
        "go-sum-malformed-line",
        "a go.sum line that is not module, version and hash is an issue naming its line",
        tree(
            {
                "app/go.mod": "module example.com/app\n\ngo 1.21\n",
                "app/go.sum": "github.com/x/y v1.0.0/go.mod h1:AAAA\nthis line is broken\n",
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=issue_for("go.sum", "line 2", "not a go.sum line"),
    ),
    Case(
        "go-sum-well-formed",
        "a go.sum of well-formed lines (and blank ones) gives no such issue",
        tree(
            {
                "app/go.mod": "module example.com/app\n\ngo 1.21\n",
                "app/go.sum": "github.com/x/y v1.0.0/go.mod h1:"
                "2a0cb3u6gVwDAW0Jv37kUnuSbhqJjBqMSuzWyZxwSmA=\n\n",
            }
        ),
        ("scan", "{tmp}/app", "-o", "{tmp}/inv.json", "-q"),
        0,
        then=no_issue_for("go.sum"),
    ),
    Case(
        "junit-control-character",
        "a control character in a file name leaves the JUnit report well-formed XML",
        app(**{"src__bad\x01name.c": GPL_FILE}),
        ("check", "{tmp}/app", "--format", "junit", "-o", "{tmp}/out.xml"),
        1,
        then=well_formed_junit,
    ),
    Case(
        "sarif-uri-encoded",
        "SARIF artifactLocation.uri is a URI reference: space, % and # percent-encoded",
        app(**{"src__a b%#.c": GPL_FILE}),
        ("check", "{tmp}/app", "--format", "sarif", "-o", "{tmp}/out.sarif"),
        1,
        then=sarif_uri("src/a%20b%25%23.c"),
    ),
    Case(
        "notice-check-dev-zero",
        "notice --check /dev/zero is an input error at once, not a read that fills memory",
        tree({"s.cdx.json": cyclonedx("pkg:npm/x@1")}),
        ("notice", "--sbom", "{tmp}/s.cdx.json", "--check", "/dev/zero"),
        2,
        ("/dev/zero: the NOTICE is binary",),
    ),
    Case(
        "notice-check-not-utf8",
        "a committed NOTICE that is not UTF-8 is not what ospo writes: stale (exit 1)",
        tree({"s.cdx.json": cyclonedx("pkg:npm/x@1"), "NOTICE": "caf\xe9".encode("latin-1")}),
        ("notice", "--sbom", "{tmp}/s.cdx.json", "--check", "{tmp}/NOTICE"),
        1,
    ),
    Case(
        "health-as-of-year-9999",
        "health --as-of 9999-12-31 is a usage error naming the days it measures, not an "
        "internal error (the windows reach past the last day Python knows)",
        git_repo,
        ("health", "{tmp}/repo", "--as-of", "9999-12-31"),
        2,
        ("'9999-12-31' is not between 1971-01-01 and 9998-12-31",),
        ("internal error",),
    ),
    Case(
        "health-as-of-year-1",
        "health --as-of 0001-01-01 is refused the same way",
        git_repo,
        ("health", "{tmp}/repo", "--as-of", "0001-01-01"),
        2,
        ("is not between 1971-01-01 and 9998-12-31",),
        ("internal error",),
    ),
    Case(
        "health-as-of-last-day",
        "health --as-of 9998-12-31, the last day it measures, is measured",
        git_repo,
        ("health", "{tmp}/repo", "--as-of", "9998-12-31", "--format", "json"),
        0,
        never_says=("internal error",),
    ),
    Case(
        "sbom-dev-zero",
        "check --sbom /dev/zero is an input error at once, not a read without end",
        tree({}),
        ("check", "--sbom", "/dev/zero"),
        2,
        ("/dev/zero:", "binary"),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    """``case.contract``: the exit code, what the message says and never says, what is left."""
    case.make(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    ran = run_ospo(*args)
    assert ran.returncode == case.exit_code, (case.contract, ran.stdout[-2000:], ran.stderr[-2000:])
    assert "Traceback" not in ran.stderr
    for words in case.says:
        assert words in ran.stderr, (case.contract, ran.stderr[-2000:])
    for words in case.never_says:
        assert words not in ran.stdout + ran.stderr, case.contract
    if case.exit_code == 2:
        assert len(ran.stderr) < 3000, "a message is short, whatever the input holds"
    if case.then is not None:
        case.then(tmp_path)


def test_every_case_states_its_contract() -> None:
    """One row per case, each with a distinct id and a contract in words."""
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(len(c.contract.split()) >= 6 for c in CASES)
