# SPDX-License-Identifier: Apache-2.0
"""A real source tree for tests, built from the packages installed beside ospo.

Nothing here is typed by hand: the files are the installed sources and license files of
pinned, well-known packages (Apache-2.0, BSD-3-Clause, MIT, with headers, notices and full
texts, some modified), copied into a temporary directory.
"""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path

#: Installed packages whose sources go into the tree.
PACKAGES = ("click", "markupsafe", "packageurl", "boolean", "license_expression")
#: Files larger than this are left out, to keep ScanCode's reference run short.
MAX_BYTES = 150_000


def site_packages() -> Path:
    """Return the site-packages directory of the running interpreter."""
    return Path(sysconfig.get_paths()["purelib"])


def build_real_tree(dest: Path) -> list[str]:
    """Copy installed sources and every dist-info license file below ``dest``."""
    site = site_packages()
    copied: list[str] = []
    for name in PACKAGES:
        for src in sorted((site / name).rglob("*")):
            if (
                src.is_file()
                and "__pycache__" not in src.parts
                and src.suffix != ".pyc"
                and src.stat().st_size <= MAX_BYTES
            ):
                copied.append(_copy(src, site, dest))
    for dist_info in sorted(site.glob("*.dist-info")):
        for src in sorted(dist_info.rglob("*")):
            lowered = src.name.lower()
            if (
                src.is_file()
                and lowered.startswith(("license", "licence", "copying", "notice"))
                and src.stat().st_size <= MAX_BYTES
            ):
                copied.append(_copy(src, site, dest))
    return copied


def _copy(src: Path, site: Path, dest: Path) -> str:
    rel = src.relative_to(site)
    target = dest / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, target)
    return rel.as_posix()
