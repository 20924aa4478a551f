# SPDX-License-Identifier: Apache-2.0
"""Which file names are license files, for every scanner that looks for them.

A license file is told by its name: a license word anywhere in it (``LICENSE``,
``COPYING.LESSER``, ``apache-2.0.LICENSE``, ``MIT-LICENSE.txt``, ``NOTICE``, ``PATENTS``,
``legal.txt``), unless the name ends like source code, data, a template or an image
(``license.py``, ``licenses.json``, ``LicenseBadge.svg``): those are about licenses, they
do not grant one. The source tree's vendored code and the installed environments use the
same rule.
"""

from __future__ import annotations

import re

#: A file whose name holds one of these (case-insensitive) is a license file.
LICENSE_WORDS = ("licen", "copying", "copyright", "notice", "patent", "legal")
_LICENSE_WORD = re.compile("|".join(LICENSE_WORDS))  # every file of a tree is asked

#: Names ending in one of these are code, data, templates or images, whatever they say.
SOURCE_SUFFIXES = frozenset(
    {
        # code
        ".py",
        ".pyi",
        ".pyc",
        ".js",
        ".mjs",
        ".cjs",
        ".jsx",
        ".ts",
        ".tsx",
        ".vue",
        ".svelte",
        ".go",
        ".rs",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".cxx",
        ".hpp",
        ".hh",
        ".java",
        ".kt",
        ".kts",
        ".scala",
        ".groovy",
        ".rb",
        ".php",
        ".cs",
        ".fs",
        ".swift",
        ".m",
        ".mm",
        ".lua",
        ".pl",
        ".pm",
        ".r",
        ".dart",
        ".ex",
        ".exs",
        ".erl",
        ".hs",
        ".clj",
        ".sh",
        ".bash",
        ".ps1",
        ".bat",
        ".sql",
        ".class",
        ".o",
        ".so",
        ".dll",
        # styles, templates, pages
        ".css",
        ".scss",
        ".sass",
        ".less",
        ".html",
        ".htm",
        ".erb",
        ".ejs",
        ".hbs",
        ".j2",
        ".jinja",
        ".twig",
        # data and configuration
        ".json",
        ".yml",
        ".yaml",
        ".about",  # AboutCode's metadata about a file, beside the license file it names
        ".toml",
        ".xml",
        ".ini",
        ".cfg",
        ".lock",
        # images and fonts
        ".svg",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".ico",
        ".webp",
        ".woff",
        ".woff2",
        ".ttf",
    }
)


def is_license_file(name: str) -> bool:
    """Return whether a file name (not a path) is a license file.

    ``LICENSE``, ``COPYING.LESSER``, ``LICENCE.md``, ``apache-2.0.LICENSE``, ``NOTICE``
    and ``PATENTS`` are; ``license.py``, ``licenses.json`` and ``README.md`` are not."""
    lowered = name.lower()
    if _LICENSE_WORD.search(lowered) is None:
        return False
    dot = lowered.rfind(".")
    return dot <= 0 or lowered[dot:] not in SOURCE_SUFFIXES
