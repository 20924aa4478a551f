# SPDX-License-Identifier: Apache-2.0
"""Benchmark the review packet and the NOTICE; write docs/benchmarks-packet.md.

Measured in one run, one after the other, each as a command (start-up included), the best
of ``--repeat`` runs:

* ``ospo packet --sbom SBOM --format html`` and ``ospo notice --sbom SBOM`` on a CycloneDX
  SBOM of 10,000 components (the policy benchmark's SBOM: bench/policy.py), target under
  2 s each;
* the NOTICE of ospo's own environment (``.venv``, over a hundred distributions): ``ospo
  scan --env .venv`` (result cache warm, as on a developer's machine) then ``ospo notice
  --inventory``, against ``pip-licenses --with-license-file --with-notice-file`` on the same
  environment. Every license and NOTICE file the peer finds must be in ospo's NOTICE
  (compared with whitespace folded); the report lists any that is not, and the time ratio.

Usage: ``.venv/bin/python bench/packet.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from policy import COMPONENTS, build_sbom  # the same SBOM as the policy benchmark

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "packet"
REPORT = ROOT / "docs" / "benchmarks-packet.md"
OSPO = Path(sys.executable).with_name("ospo")
PIP_LICENSES = Path(sys.executable).with_name("pip-licenses")
TARGET_SECONDS = 2.0


def timed(cmd: list[str], repeat: int) -> tuple[float, subprocess.CompletedProcess[str]]:
    """The best wall time of ``repeat`` runs of ``cmd``, and the last run."""
    best, last = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        last = subprocess.run(cmd, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
    assert last is not None
    return best, last


def folded(text: str) -> str:
    return " ".join(text.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    sbom = WORK / "sbom-10000.cdx.json"
    build_sbom(sbom)

    # the invented components are nobody's packages: no registry is asked about them
    packet_cmd = [str(OSPO), "packet", "--sbom", str(sbom), "--format", "html", "--offline"]
    packet_s, packet = timed([*packet_cmd, "-o", str(WORK / "p.html")], args.repeat)
    notice_s, notice = timed(
        [str(OSPO), "notice", "--sbom", str(sbom), "--format", "text", "-o", str(WORK / "N.txt")],
        args.repeat,
    )
    for name, proc in (("packet", packet), ("notice", notice)):
        if proc.returncode != 0:
            print(f"ospo {name} failed: {proc.stderr}", file=sys.stderr)
            return 1

    venv = ROOT / ".venv"
    empty = WORK / "empty"
    empty.mkdir(exist_ok=True)
    inventory = WORK / "env-inventory.json"
    own_notice = WORK / "env-NOTICE.txt"
    scan_cmd = [str(OSPO), "scan", str(empty), "--env", str(venv), "-q", "-o", str(inventory)]
    subprocess.run(scan_cmd, check=True, capture_output=True)  # warms the result cache
    scan_s, _ = timed(scan_cmd, args.repeat)
    env_notice_s, env_notice = timed(
        [str(OSPO), "notice", "--inventory", str(inventory), "-o", str(own_notice)], args.repeat
    )
    if env_notice.returncode != 0:
        print(f"ospo notice failed: {env_notice.stderr}", file=sys.stderr)
        return 1
    peer_cmd = [
        str(PIP_LICENSES),
        "--python",
        str(venv / "bin" / "python"),
        "--with-license-file",
        "--with-notice-file",
        "--format=json",
    ]
    peer_s, peer = timed(peer_cmd, args.repeat)
    packages = json.loads(peer.stdout)
    ours = folded(own_notice.read_text(encoding="utf-8"))
    texts = 0
    missing: list[str] = []
    not_texts: list[str] = []  # the peer's pick is not a license text at all
    for package in packages:
        for key, file_key in (("LicenseText", "LicenseFile"), ("NoticeText", "NoticeFile")):
            text = package.get(key) or ""
            if not text.strip() or text.strip() == "UNKNOWN":
                continue
            where = str(package.get(file_key) or "")
            if "\x00" in text or where.endswith((".pyc", ".ABOUT")):
                not_texts.append(f"{package['Name']} {package['Version']}: {Path(where).name}")
                continue
            texts += 1
            if folded(text) not in ours:
                missing.append(f"{package['Name']} {package['Version']} ({key}: {where})")
    components = len(json.loads(inventory.read_text(encoding="utf-8"))["components"])
    ratio = (scan_s + env_notice_s) / peer_s

    def verdict(seconds: float) -> str:
        return "PASS" if seconds < TARGET_SECONDS else "FAIL"

    lines = [
        "# Benchmark: review packet and NOTICE",
        "",
        "Written by `bench/packet.py` (`make bench`); each time is the best of "
        f"{args.repeat} runs of the command, start-up included.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}.",
        "",
        f"## {COMPONENTS:,} components (CycloneDX SBOM, bench/policy.py's)",
        "",
        "| command | seconds | target | result |",
        "| --- | --- | --- | --- |",
        f"| `ospo packet --sbom … --format html` | {packet_s:.2f} | < {TARGET_SECONDS:g} s "
        f"| {verdict(packet_s)} |",
        f"| `ospo notice --sbom …` | {notice_s:.2f} | < {TARGET_SECONDS:g} s "
        f"| {verdict(notice_s)} |",
        "",
        f"## The NOTICE of ospo's own environment ({components} packages)",
        "",
        "| step | seconds |",
        "| --- | --- |",
        f"| `ospo scan --env .venv` (result cache warm) | {scan_s:.2f} |",
        f"| `ospo notice --inventory` | {env_notice_s:.2f} |",
        f"| `pip-licenses --with-license-file --with-notice-file` (the peer) | {peer_s:.2f} |",
        f"| ratio ospo / peer | {ratio:.2f} |",
        "",
        f"The peer found {texts} license and NOTICE texts in {len(packages)} packages; "
        f"{texts - len(missing)} of them are in ospo's NOTICE verbatim.",
    ]
    if not_texts:
        lines += [
            "",
            f"Not counted: {len(not_texts)} files the peer took for license files that are "
            "not license texts (a compiled `.pyc` module named license, AboutCode metadata):",
            "",
        ] + [f"- {n}" for n in not_texts]
    if missing:
        lines += ["", "Not in ospo's NOTICE:", ""] + [f"- {m}" for m in missing]
    else:
        lines += ["", "**PASS**: every license and NOTICE file the peer finds is in ospo's NOTICE."]
    text = "\n".join(lines) + "\n"
    fd, tmp = tempfile.mkstemp(dir=REPORT.parent, prefix=".benchmarks-packet.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, REPORT)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
