# SPDX-License-Identifier: Apache-2.0
# ruff: noqa: E501
"""The effective license of real packages, as a careful reader of their files gives it.

The packages are pinned in ``tests/data/real-packages`` and installed from PyPI and npm by
``make install`` (into ``build/real-packages``), as a user installs them; the tests read
them offline with ``ospo scan --env``. Each row is a package, the license a reader who
opened its metadata and every license file it ships would state, and why. A package whose
answer changes fails here, whichever way it changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import run_ospo
from ospo.inventory_json import load
from ospo.model import ScanIssue

REAL = Path(
    os.environ.get("OSPO_REAL_PACKAGES", Path(__file__).parents[1] / "build" / "real-packages")
)
SITE = REAL / "site-packages"
#: Distributions the default policy denies in a binary or asks the board to decide, kept
#: out of the release that the NOTICE and packet tests build from ``SITE``.
REVIEW_SITE = REAL / "review-site-packages"
NODE_MODULES = REAL / "npm" / "node_modules"

#: The metadata declares the license and the license files hold its text, nothing more.
AGREE = "declares it; the license files hold its text and nothing more"

CASES = [
    ("npm", "@types/trusted-types", "2.0.7", "MIT", AGREE),
    (
        "npm",
        "argparse",
        "2.0.1",
        "Python-2.0",
        "a port of CPython's argparse, under the Python license stack",
    ),
    ("npm", "async-function", "1.0.0", "MIT", AGREE),
    ("npm", "async-generator-function", "1.0.0", "MIT", AGREE),
    (
        "npm",
        "atob",
        "2.1.2",
        "(MIT OR Apache-2.0) AND CC-BY-3.0",
        "declares MIT OR Apache-2.0 (both texts in LICENSE); LICENSE.DOCS puts its documentation under CC-BY-3.0",
    ),
    ("npm", "base64-js", "1.5.1", "MIT", AGREE),
    ("npm", "buffer", "6.0.3", "MIT", AGREE),
    ("npm", "call-bind-apply-helpers", "1.0.2", "MIT", AGREE),
    ("npm", "call-bound", "1.0.4", "MIT", AGREE),
    (
        "npm",
        "caniuse-lite",
        "1.0.30001759",
        "CC-BY-4.0",
        "data under CC-BY-4.0, declared and in LICENSE",
    ),
    ("npm", "core-js", "3.47.0", "MIT", AGREE),
    ("npm", "core-util-is", "1.0.3", "MIT", AGREE),
    ("npm", "deep-extend", "0.6.0", "MIT", AGREE),
    (
        "npm",
        "dompurify",
        "3.3.0",
        "MPL-2.0 OR Apache-2.0",
        "LICENSE offers Apache-2.0 or MPL-2.0 and holds both texts: a choice, not both",
    ),
    ("npm", "dunder-proto", "1.0.1", "MIT", AGREE),
    ("npm", "duplexer", "0.1.2", "MIT", AGREE),
    ("npm", "electron-to-chromium", "1.5.266", "ISC", AGREE),
    ("npm", "emoji-regex", "10.6.0", "MIT", AGREE),
    ("npm", "es-define-property", "1.0.1", "MIT", AGREE),
    ("npm", "es-errors", "1.3.0", "MIT", AGREE),
    ("npm", "es-object-atoms", "1.1.2", "MIT", AGREE),
    ("npm", "esprima", "4.0.1", "BSD-2-Clause", AGREE),
    ("npm", "function-bind", "1.1.2", "MIT", AGREE),
    ("npm", "generator-function", "2.0.1", "MIT", AGREE),
    ("npm", "get-intrinsic", "1.3.1", "MIT", AGREE),
    ("npm", "get-proto", "1.0.1", "MIT", AGREE),
    ("npm", "gopd", "1.2.0", "MIT", AGREE),
    ("npm", "has-symbols", "1.1.0", "MIT", AGREE),
    ("npm", "hasown", "2.0.4", "MIT", AGREE),
    ("npm", "ieee754", "1.2.1", "BSD-3-Clause", AGREE),
    ("npm", "immediate", "3.0.6", "MIT", AGREE),
    ("npm", "inherits", "2.0.4", "ISC", AGREE),
    ("npm", "ini", "1.3.8", "ISC", AGREE),
    ("npm", "isarray", "1.0.0", "MIT", AGREE),
    ("npm", "jquery", "3.7.1", "MIT", AGREE),
    (
        "npm",
        "json-schema",
        "0.4.0",
        "AFL-2.1 OR BSD-3-Clause",
        "declared choice; the file's AFL reference names the choice's AFL, not a third license",
    ),
    (
        "npm",
        "jszip",
        "3.10.1",
        "MIT OR GPL-3.0-or-later",
        "LICENSE.markdown offers MIT or GPLv3 and holds both texts: the GPL-3.0 text is one alternative's",
    ),
    ("npm", "language-subtag-registry", "0.3.23", "CC0-1.0", AGREE),
    ("npm", "lie", "3.3.0", "MIT", AGREE),
    (
        "npm",
        "lodash",
        "4.17.21",
        "MIT",
        "CC0 waives rights in sample code of the documentation, which the package does not ship",
    ),
    ("npm", "math-intrinsics", "1.1.0", "MIT", AGREE),
    ("npm", "minimist", "1.2.8", "MIT", AGREE),
    (
        "npm",
        "node-forge",
        "1.3.2",
        "BSD-3-Clause OR GPL-2.0-only",
        "LICENSE offers BSD-3-Clause or GPL-2.0 and holds both texts",
    ),
    ("npm", "object-inspect", "1.14.0", "MIT", AGREE),
    (
        "npm",
        "pako",
        "1.0.11",
        "MIT AND Zlib",
        "declares MIT AND Zlib; its LICENSE holds the MIT text only",
    ),
    ("npm", "process-nextick-args", "2.0.1", "MIT", AGREE),
    ("npm", "punycode", "2.3.1", "MIT", AGREE),
    ("npm", "qs", "6.14.0", "BSD-3-Clause", AGREE),
    (
        "npm",
        "rc",
        "1.2.8",
        "BSD-2-Clause OR MIT OR Apache-2.0",
        "three sibling files are the texts of the declared choice; LICENSE.BSD is the BSD-2-Clause-Views variant",
    ),
    ("npm", "react", "19.2.1", "MIT", AGREE),
    ("npm", "readable-stream", "2.3.8", "MIT", AGREE),
    ("npm", "safe-buffer", "5.1.2", "MIT", AGREE),
    ("npm", "sax", "1.4.3", "BlueOak-1.0.0", "BlueOak-1.0.0 declared and in LICENSE.md"),
    ("npm", "semver", "7.7.3", "ISC", AGREE),
    ("npm", "setimmediate", "1.0.5", "MIT", AGREE),
    ("npm", "side-channel", "1.1.1", "MIT", AGREE),
    ("npm", "side-channel-list", "1.0.1", "MIT", AGREE),
    ("npm", "side-channel-map", "1.0.1", "MIT", AGREE),
    ("npm", "side-channel-weakmap", "1.0.2", "MIT", AGREE),
    ("npm", "spdx-exceptions", "2.5.0", "CC-BY-3.0", AGREE),
    ("npm", "spdx-license-ids", "3.0.22", "CC0-1.0", AGREE),
    ("npm", "sprintf-js", "1.1.3", "BSD-3-Clause", AGREE),
    ("npm", "string_decoder", "1.1.1", "MIT", AGREE),
    ("npm", "strip-json-comments", "2.0.1", "MIT", AGREE),
    ("npm", "tslib", "2.8.1", "0BSD", "0BSD declared; CopyrightNotice.txt repeats the 0BSD grant"),
    ("npm", "tweetnacl", "1.0.3", "Unlicense", AGREE),
    (
        "npm",
        "type-fest",
        "4.41.0",
        "MIT OR CC0-1.0",
        "license-mit and license-cc0 are the texts of the declared choice",
    ),
    (
        "npm",
        "typescript",
        "5.9.3",
        "Apache-2.0 AND MIT AND LicenseRef-scancode-unicode AND W3C-20150513 AND CC-BY-4.0 AND LicenseRef-scancode-khronos",
        "Apache-2.0, and ThirdPartyNoticeText.txt: the lib.*.d.ts files incorporate DefinitelyTyped (MIT), Unicode data, W3C and WHATWG specifications (W3C, CC-BY-4.0) and Khronos IDL",
    ),
    (
        "npm",
        "uri-js",
        "4.4.1",
        "BSD-2-Clause",
        "declares BSD-2-Clause; its text is the BSD-2-Clause-Views variant, which asks nothing more",
    ),
    ("npm", "util-deprecate", "1.0.2", "MIT", AGREE),
    (
        "pypi",
        "aiohttp",
        "3.13.2",
        "Apache-2.0 AND MIT",
        "declares Apache-2.0 AND MIT: the wheel bundles llhttp (MIT), whose LICENSE it ships under vendor/",
    ),
    ("pypi", "anyio", "4.12.0", "MIT", AGREE),
    ("pypi", "attrs", "25.4.0", "MIT", AGREE),
    (
        "pypi",
        "botocore",
        "1.42.4",
        "Apache-2.0 AND MIT AND MPL-2.0",
        "NOTICE names vendored requests (Apache-2.0), six (MIT) and the certifi CA bundle (MPL-2.0), all shipped",
    ),
    ("pypi", "cachetools", "6.2.2", "MIT", AGREE),
    ("pypi", "certifi", "2025.11.12", "MPL-2.0", AGREE),
    (
        "pypi",
        "cffi",
        "2.0.0",
        "MIT",
        "declares MIT; LICENSE is MIT No Attribution, a variant that asks nothing more",
    ),
    (
        "pypi",
        "chardet",
        "5.2.0",
        "LGPL-2.0-or-later",
        "classifier LGPLv2+ beside the vague LGPL License field; the LGPL-2.1 text is a version that admits",
    ),
    ("pypi", "charset-normalizer", "3.4.4", "MIT", AGREE),
    ("pypi", "click", "8.3.1", "BSD-3-Clause", AGREE),
    (
        "pypi",
        "colorama",
        "0.4.6",
        "BSD-3-Clause",
        "only the vague BSD classifier; LICENSE.txt is the BSD-3-Clause text",
    ),
    (
        "pypi",
        "cryptography",
        "46.0.3",
        "Apache-2.0 OR BSD-3-Clause",
        "declared choice; LICENSE.APACHE and LICENSE.BSD are its alternatives' texts",
    ),
    ("pypi", "decorator", "5.2.1", "BSD-2-Clause", AGREE),
    (
        "pypi",
        "distlib",
        "0.4.0",
        "PSF-2.0",
        "declares PSF-2.0; LICENSE.txt is the CPython license document (Python-2.0, its alias)",
    ),
    (
        "pypi",
        "docutils",
        "0.22.3",
        "LicenseRef-scancode-public-domain AND CC-PDDC AND BSD-3-Clause AND BSD-2-Clause",
        "public domain with BSD parts; the GPL sections are about rst.el (not shipped) and eLyXer code since relicensed",
    ),
    ("pypi", "filelock", "3.20.0", "Unlicense", AGREE),
    ("pypi", "frozenlist", "1.8.0", "Apache-2.0", AGREE),
    (
        "pypi",
        "greenlet",
        "3.2.4",
        "MIT AND Python-2.0",
        "declares MIT AND Python-2.0; LICENSE.PSF is the PSF text, an alias of Python-2.0",
    ),
    (
        "pypi",
        "grpcio",
        "1.76.0",
        "Apache-2.0 AND BSD-3-Clause AND MPL-2.0",
        "vague Apache declaration; LICENSE adds the BSD-3-Clause and MPL-2.0 of code compiled into the binary",
    ),
    ("pypi", "h11", "0.16.0", "MIT", AGREE),
    ("pypi", "httpcore", "1.0.9", "BSD-3-Clause", AGREE),
    ("pypi", "httpx", "0.28.1", "BSD-3-Clause", AGREE),
    ("pypi", "idna", "3.11", "BSD-3-Clause", AGREE),
    (
        "pypi",
        "importlib_metadata",
        "8.7.0",
        "Apache-2.0",
        "only the vague Apache classifier; LICENSE is the Apache-2.0 text",
    ),
    (
        "pypi",
        "isodate",
        "0.7.2",
        "BSD-3-Clause",
        "only the vague BSD classifier; LICENSE is the BSD-3-Clause text",
    ),
    (
        "pypi",
        "Jinja2",
        "3.1.6",
        "BSD-3-Clause",
        "only the vague BSD classifier; LICENSE.txt is the BSD-3-Clause text",
    ),
    ("pypi", "jmespath", "1.0.1", "MIT", AGREE),
    (
        "pypi",
        "lxml",
        "6.0.2",
        "BSD-3-Clause",
        "LICENSES.txt says test.py (not in the wheel) is GPL: not a license of what ships",
    ),
    ("pypi", "Markdown", "3.10", "BSD-3-Clause", AGREE),
    ("pypi", "MarkupSafe", "3.0.3", "BSD-3-Clause", AGREE),
    (
        "pypi",
        "multidict",
        "6.7.0",
        "Apache-2.0",
        "License field 'Apache License 2.0' is not SPDX; LICENSE is the Apache-2.0 text",
    ),
    (
        "pypi",
        "numpy",
        "2.3.5",
        "BSD-3-Clause AND MIT AND Zlib AND BSD-3-Clause-Open-MPI AND GPL-3.0-or-later WITH GCC-exception-3.1 AND LGPL-2.1-or-later AND NCSA",
        "BSD-3-Clause plus what the wheel compiles in or bundles (OpenBLAS, LAPACK, libgfortran with the GCC exception, libquadmath; numpy/random/LICENSE.md's NCSA code); not meson or spin, which only build it",
    ),
    (
        "pypi",
        "packaging",
        "25.0",
        "Apache-2.0 OR BSD-2-Clause",
        "LICENSE offers either of LICENSE.APACHE (Apache-2.0) and LICENSE.BSD (BSD-2-Clause)",
    ),
    (
        "pypi",
        "pip",
        "25.3",
        "MIT AND Apache-2.0 AND MPL-2.0 AND Python-2.0 AND BSD-3-Clause AND (Apache-2.0 OR BSD-2-Clause) AND BSD-2-Clause AND ISC",
        "MIT plus the licenses of the libraries vendored under pip/_vendor, each shipped with its text",
    ),
    ("pypi", "platformdirs", "4.5.0", "MIT", AGREE),
    (
        "pypi",
        "protobuf",
        "6.33.1",
        "LicenseRef-scancode-protobuf",
        "declared '3-Clause BSD License' is not SPDX; LICENSE is Google's BSD-3 text, ScanCode's protobuf key",
    ),
    ("pypi", "psutil", "7.1.3", "BSD-3-Clause", AGREE),
    ("pypi", "pyasn1", "0.6.1", "BSD-2-Clause", AGREE),
    ("pypi", "pycparser", "2.23", "BSD-3-Clause", AGREE),
    ("pypi", "pydantic", "2.12.5", "MIT", AGREE),
    ("pypi", "pydantic_core", "2.41.5", "MIT", AGREE),
    ("pypi", "Pygments", "2.19.2", "BSD-2-Clause", AGREE),
    (
        "pypi",
        "PyNaCl",
        "1.6.1",
        "Apache-2.0",
        "declares Apache-2.0 and ships only that text (libsodium is compiled in, but its ISC text is not in the wheel)",
    ),
    ("pypi", "pyparsing", "3.2.5", "MIT", AGREE),
    (
        "pypi",
        "python-dateutil",
        "2.9.0.post0",
        "Apache-2.0 AND BSD-3-Clause",
        "LICENSE: Apache-2.0 for contributions since 2017 and BSD-3-Clause for the earlier ones: both apply",
    ),
    ("pypi", "pytz", "2025.2", "MIT", AGREE),
    ("pypi", "PyYAML", "6.0.3", "MIT", AGREE),
    (
        "pypi",
        "regex",
        "2025.11.3",
        "Apache-2.0 AND CNRI-Python",
        "declares Apache-2.0 AND CNRI-Python, the two texts its LICENSE.txt holds",
    ),
    ("pypi", "requests", "2.32.5", "Apache-2.0", AGREE),
    ("pypi", "rsa", "4.9.1", "Apache-2.0", AGREE),
    (
        "pypi",
        "s3transfer",
        "0.16.0",
        "Apache-2.0",
        "License field is not SPDX; classifier vague; LICENSE.txt is the Apache-2.0 text",
    ),
    (
        "pypi",
        "setuptools",
        "80.9.0",
        "MIT AND (Apache-2.0 OR BSD-2-Clause) AND BSD-3-Clause AND MPL-2.0",
        "MIT, and what it bundles in the package: packaging under _vendor/wheel/vendored (its pointer offers Apache-2.0 or BSD-2-Clause), validate-pyproject's schemas (MPL-2.0) and fastjsonschema (BSD-3-Clause) per setuptools/config's NOTICE files",
    ),
    ("pypi", "six", "1.17.0", "MIT", AGREE),
    (
        "pypi",
        "sniffio",
        "1.3.1",
        "MIT OR Apache-2.0",
        "LICENSE offers either of LICENSE.APACHE2 and LICENSE.MIT (ScanCode's rule names other files)",
    ),
    ("pypi", "SQLAlchemy", "2.0.44", "MIT", AGREE),
    (
        "pypi",
        "text-unidecode",
        "1.3",
        "GPL-1.0-or-later OR GPL-2.0-or-later OR Artistic-1.0-Perl",
        "LICENSE.txt offers GPL, GPLv2+ or the Artistic License and holds the Perl Artistic text",
    ),
    ("pypi", "tomli", "2.3.0", "MIT", AGREE),
    (
        "pypi",
        "tqdm",
        "4.67.1",
        "MPL-2.0 AND MIT",
        "declares MPL-2.0 AND MIT; LICENCE says which files are under which",
    ),
    (
        "pypi",
        "typing_extensions",
        "4.15.0",
        "PSF-2.0",
        "PSF-2.0; the CPython license document's history table, GPL footnotes and docs 0BSD are not grants",
    ),
    (
        "pypi",
        "tzdata",
        "2025.2",
        "Apache-2.0",
        "Apache-2.0 declared; licenses/LICENSE_APACHE repeats it",
    ),
    ("pypi", "urllib3", "2.5.0", "MIT", AGREE),
    ("pypi", "virtualenv", "20.35.4", "MIT", AGREE),
    (
        "pypi",
        "wheel",
        "0.45.1",
        "MIT AND (Apache-2.0 OR BSD-2-Clause)",
        "MIT, and packaging vendored under wheel/vendored/packaging with its LICENSE pointer and both texts",
    ),
    (
        "pypi",
        "wrapt",
        "2.0.1",
        "BSD-2-Clause",
        "no license metadata; LICENSE is the BSD-2-Clause text",
    ),
    ("pypi", "yarl", "1.22.0", "Apache-2.0", "Apache-2.0 declared; NOTICE repeats it"),
    ("pypi", "zipp", "3.23.0", "MIT", AGREE),
    # metadata in the forms the registries hold beside SPDX: PEP 639 expressions, free-text
    # License fields and names, classifiers only, license lists, choices in parentheses
    (
        "npm",
        "@fortawesome/fontawesome-free",
        "7.3.1",
        "CC-BY-4.0 AND OFL-1.1 AND MIT",
        "icons CC-BY-4.0, fonts OFL-1.1, code MIT: declared in parentheses and stated in LICENSE.txt",
    ),
    ("npm", "@xmldom/xmldom", "0.9.12", "MIT", AGREE),
    (
        "npm",
        "amdefine",
        "1.0.1",
        "BSD-3-Clause OR MIT",
        "LICENSE offers the new BSD or the MIT license and holds both texts",
    ),
    ("npm", "big-integer", "1.6.52", "Unlicense", AGREE),
    (
        "npm",
        "cldrjs",
        "0.5.5",
        "MIT",
        "the deprecated licenses list names MIT; LICENSE-MIT holds it",
    ),
    ("npm", "cssom", "0.5.0", "MIT", AGREE),
    (
        "npm",
        "dojo",
        "1.17.3",
        "BSD-3-Clause OR AFL-2.1",
        "LICENSE offers the modified BSD or the Academic Free License and holds both texts",
    ),
    ("npm", "esutils", "2.0.3", "BSD-2-Clause", AGREE),
    (
        "npm",
        "expand-template",
        "2.0.3",
        "MIT OR WTFPL",
        "declared choice in parentheses; LICENSE holds the MIT alternative only",
    ),
    (
        "npm",
        "font-awesome",
        "4.7.0",
        "OFL-1.1 AND MIT",
        "declared fonts OFL-1.1 and code MIT; no license file in the package",
    ),
    (
        "npm",
        "harmony-reflect",
        "1.6.2",
        "Apache-2.0 OR MPL-1.1",
        "declared choice; no license file in the package",
    ),
    (
        "npm",
        "jsbn",
        "0.1.1",
        "MIT AND MIT-Wu",
        "declared MIT; LICENSE is Tom Wu's variant, which also asks to keep the disclaimer intact",
    ),
    ("npm", "jschardet", "4.1.0", "0BSD", AGREE),
    (
        "npm",
        "jsonify",
        "0.0.1",
        "LicenseRef-scancode-public-domain",
        "license 'Public Domain', a name, not an SPDX id; no license file",
    ),
    ("npm", "jsonparse", "1.3.1", "MIT", AGREE),
    (
        "npm",
        "JSONStream",
        "1.3.5",
        "MIT OR Apache-2.0",
        "declared choice in parentheses; LICENSE.MIT and LICENSE.APACHE2 are its texts",
    ),
    ("npm", "longest", "1.0.1", "MIT", "license is an object {type, url}; LICENSE holds MIT"),
    ("npm", "mdn-data", "2.37.2", "CC0-1.0", AGREE),
    (
        "npm",
        "path-is-inside",
        "1.0.2",
        "WTFPL OR MIT",
        "declared choice; LICENSE.txt holds both texts",
    ),
    (
        "npm",
        "pause-stream",
        "0.0.11",
        "MIT OR Apache-2.0",
        'license is a list, ["MIT", "Apache2"]; LICENSE: \'Dual Licensed MIT and Apache 2\', both texts',
    ),
    ("npm", "robust-predicates", "3.0.3", "Unlicense", AGREE),
    (
        "npm",
        "spark-md5",
        "3.0.2",
        "WTFPL OR MIT",
        "declared choice; LICENSE holds the WTFPL alternative only",
    ),
    (
        "npm",
        "window-size",
        "0.1.0",
        "MIT",
        "the deprecated licenses list names MIT; LICENSE-MIT holds it",
    ),
    (
        "npm",
        "wordwrap",
        "0.0.2",
        "MIT",
        "license 'MIT/X11', a name, not an SPDX id; no license file",
    ),
    (
        "pypi",
        "astroid",
        "4.4.0",
        "LGPL-2.1-or-later",
        "License-Expression LGPL-2.1-or-later; LICENSE is the LGPL-2.1 text, a version it admits",
    ),
    (
        "pypi",
        "babel",
        "2.19.0",
        "BSD-3-Clause AND Unicode-3.0",
        "BSD-3-Clause, and the CLDR data it ships under babel/locale-data with its Unicode license",
    ),
    (
        "pypi",
        "beautifulsoup4",
        "4.15.0",
        "MIT",
        "License field 'MIT License' is a name; the classifier and LICENSE say MIT",
    ),
    (
        "pypi",
        "defusedxml",
        "0.7.1",
        "PSF-2.0",
        "License field 'PSFL' is a name; the classifier and LICENSE say PSF-2.0",
    ),
    ("pypi", "dnspython", "2.9.2", "ISC", AGREE),
    (
        "pypi",
        "docopt",
        "0.6.2",
        "MIT",
        "built from the sdist by pip; License MIT, LICENSE-MIT holds it",
    ),
    ("pypi", "email-validator", "2.4.0", "Unlicense", AGREE),
    ("pypi", "future", "1.0.0", "MIT", AGREE),
    ("pypi", "hatchling", "1.33.0", "MIT", AGREE),
    (
        "pypi",
        "html2text",
        "2025.4.15",
        "GPL-3.0-or-later",
        "License-Expression GPL-3.0-or-later; COPYING is the GPL-3.0 text, a version it admits",
    ),
    (
        "pypi",
        "html5lib",
        "1.1",
        "MIT",
        "License field 'MIT License' is a name; the classifier and LICENSE say MIT",
    ),
    ("pypi", "iniconfig", "2.3.1", "MIT", AGREE),
    ("pypi", "jsonschema", "4.26.0", "MIT", "License-Expression MIT; the text is in COPYING"),
    (
        "pypi",
        "kiwisolver",
        "1.5.1",
        "BSD-3-Clause",
        "the License field holds a whole license text; vague BSD classifier; LICENSE is BSD-3-Clause",
    ),
    (
        "pypi",
        "lz4",
        "4.4.5",
        "BSD-3-Clause",
        "only the vague BSD classifier; LICENSE is the BSD-3-Clause text",
    ),
    (
        "pypi",
        "msgpack",
        "1.2.4",
        "Apache-2.0",
        "License-Expression Apache-2.0; the text is in COPYING",
    ),
    (
        "pypi",
        "mutagen",
        "1.48.1",
        "GPL-2.0-or-later",
        "License-Expression GPL-2.0-or-later; COPYING is the GPL-2.0 text, a version it admits",
    ),
    (
        "pypi",
        "orjson",
        "3.13.0",
        "MPL-2.0 AND (Apache-2.0 OR MIT)",
        "License-Expression; the three files are the MPL-2.0 part and the texts of the choice",
    ),
    ("pypi", "pathspec", "1.1.1", "MPL-2.0", "only the MPL 2.0 classifier; LICENSE holds it"),
    (
        "pypi",
        "pexpect",
        "4.9.0",
        "ISC",
        "License field 'ISC license' is a name; the classifier and LICENSE say ISC",
    ),
    (
        "pypi",
        "ply",
        "3.11",
        "BSD-3-Clause",
        "License 'BSD' and no license file in the wheel: assumed BSD-3-Clause, as its sources' headers say",
    ),
    (
        "pypi",
        "ptyprocess",
        "0.7.0",
        "ISC",
        "License UNKNOWN; the ISC classifier and LICENSE say ISC",
    ),
    (
        "pypi",
        "pyOpenSSL",
        "26.4.0",
        "Apache-2.0",
        "License field 'Apache License, Version 2.0' is a name; vague classifier; LICENSE is Apache-2.0",
    ),
    (
        "pypi",
        "pycryptodome",
        "4.5.0",
        "BSD-2-Clause AND Unlicense AND MIT",
        "License-Expression; the mldsa-native and mlkem-native it compiles in offer Apache-2.0 OR ISC OR MIT, which its MIT satisfies; their documentation (CC-BY-4.0), proofs, tests and examples do not ship",
    ),
    (
        "pypi",
        "pycryptodomex",
        "3.24.2",
        "Unlicense AND BSD-2-Clause",
        "License field 'BSD, Public Domain' is not SPDX; LICENSE.rst dedicates PyCrypto's code with the Unlicense text and puts contributions under BSD-2-Clause",
    ),
    (
        "pypi",
        "pyserial",
        "3.5",
        "BSD-3-Clause",
        "License 'BSD', vague classifier, no license file in the wheel: assumed BSD-3-Clause, the license of its LICENSE.txt",
    ),
    (
        "pypi",
        "pyzmq",
        "27.3.0",
        "BSD-3-Clause AND ISC AND Apache-2.0 AND MPL-2.0",
        "BSD-3-Clause, and what the wheel bundles: libsodium (ISC) and libzmq (MPL-2.0) in pyzmq.libs, zmqstream adapted from tornado (Apache-2.0)",
    ),
    (
        "pypi",
        "simplejson",
        "4.3.0",
        "MIT OR AFL-2.1",
        "License field MIT OR AFL-2.1; LICENSE.txt holds both alternatives' texts",
    ),
    (
        "pypi",
        "sortedcontainers",
        "2.4.0",
        "Apache-2.0",
        "License field 'Apache 2.0' is a name; vague classifier; LICENSE is Apache-2.0",
    ),
    ("pypi", "toml", "0.10.2", "MIT", AGREE),
    (
        "pypi",
        "trove-classifiers",
        "2026.9.21.13",
        "Apache-2.0",
        "only the vague Apache classifier; LICENSE is the Apache-2.0 text",
    ),
    (
        "pypi",
        "ujson",
        "6.1.0",
        "BSD-3-Clause AND TCL",
        "License-Expression BSD-3-Clause AND TCL; LICENSE.txt holds both texts",
    ),
    (
        "pypi",
        "Unidecode",
        "1.4.0",
        "GPL-2.0-or-later",
        "License 'GPL' names no version; the classifier says GPLv2+ and LICENSE is the GPL-2.0 text",
    ),
    (
        "pypi",
        "uritemplate",
        "4.2.0",
        "BSD-3-Clause OR Apache-2.0",
        "License field 'BSD 3-Clause OR Apache-2.0' is not SPDX; LICENSE offers the same choice",
    ),
    (
        "pypi",
        "webencodings",
        "0.6.1",
        "BSD-3-Clause",
        "only the vague BSD classifier; LICENSE is the BSD-3-Clause text",
    ),
    ("pypi", "zope.interface", "8.7", "ZPL-2.1", AGREE),
    (
        "pypi",
        "ecdsa",
        "0.19.2",
        "MIT AND LicenseRef-scancode-public-domain",
        "declares MIT; LICENSE adds that Peter Pearson's portions were placed in the public domain",
    ),
    (
        "pypi",
        "fonttools",
        "4.69.1",
        "MIT AND BSD-3-Clause AND Apache-2.0",
        "MIT, and what LICENSE.external says it includes: Adobe's AGL (BSD-3-Clause) and cu2qu (Apache-2.0); the OFL fonts are for its tests, which the wheel does not ship",
    ),
    (
        "npm",
        "from",
        "0.1.7",
        "MIT OR Apache-2.0",
        "declares MIT; ships LICENSE.MIT and LICENSE.APACHE2, and its readme's License section says 'MIT / Apache2': a choice",
    ),
    (
        "npm",
        "through",
        "2.3.8",
        "MIT OR Apache-2.0",
        "declares MIT; ships LICENSE.MIT and LICENSE.APACHE2, and its readme's License section says 'MIT / Apache2': a choice",
    ),
    (
        "pypi",
        "uvloop",
        "0.23.0",
        "Apache-2.0 OR MIT",
        "License 'MIT License' is a name; the classifiers offer MIT and the vague Apache, and LICENSE-APACHE and LICENSE-MIT are the two texts: dual-licensed, as its README says",
    ),
    (
        "pypi",
        "pycurl",
        "7.49.0",
        "LGPL-2.1-only OR curl",
        "declares LGPL-2.1-only OR MIT; COPYING-MIT, the MIT alternative's file, holds the curl license (an MIT/X derivative with a no-endorsement clause)",
    ),
    # a license stated only in the README's License section
    (
        "npm",
        "better-assert",
        "1.0.2",
        "MIT",
        "no license in package.json, no license file; the README's License section holds '(The MIT License)' and its text",
    ),
    (
        "npm",
        "blob",
        "0.0.4",
        "MIT",
        "no license in package.json, no license file; the README's 'Licence' section says MIT",
    ),
    (
        "npm",
        "callsite",
        "1.0.0",
        "MIT",
        "no license in package.json, no license file; the README's License section says MIT",
    ),
    (
        "npm",
        "component-emitter",
        "1.1.2",
        "MIT",
        "no license in package.json, no license file; the README's License section says MIT",
    ),
    (
        "npm",
        "component-inherit",
        "0.0.3",
        "MIT",
        "no license in package.json or component.json, no license file; the README's License section says MIT",
    ),
    (
        "npm",
        "indexof",
        "0.0.1",
        "MIT",
        "no license in package.json or component.json, no license file; the README's License section says MIT",
    ),
    (
        "npm",
        "object-component",
        "0.0.3",
        "MIT",
        "no license in package.json, no license file; the README's License section says MIT",
    ),
]


@pytest.fixture(scope="module")
def components(
    tmp_path_factory: pytest.TempPathFactory, session_cache: Path
) -> dict[tuple[str, str], object]:
    if not (REAL / ".installed").is_file():
        pytest.fail(f"the real packages are not installed in {REAL}: run `make install`")
    work = tmp_path_factory.mktemp("real-packages")
    (work / "tree").mkdir()
    out = work / "inventory.json"
    # a module fixture runs before the per-test isolation: name the session's cache
    proc = run_ospo(
        *("scan", work / "tree", "--env", SITE, "--env", REVIEW_SITE),
        *("--env", NODE_MODULES, "-o", out, "-q"),
        env={"OSPO_CACHE_DIR": str(session_cache)},
    )
    assert proc.returncode == 0, proc.stderr
    inventory = load(out)
    return {(c.purl.split("/")[0][4:], c.name): c for c in inventory.components}


def test_the_set_is_what_was_installed(components: dict) -> None:
    installed = {(eco, name, version) for eco, name, version, _, _ in CASES}
    found = {(key[0], key[1], comp.version) for key, comp in components.items()}
    assert found == installed
    assert len(CASES) >= 50


@pytest.mark.parametrize(
    ("ecosystem", "name", "version", "expected", "reason"),
    CASES,
    ids=[f"{c[0]}:{c[1]}" for c in CASES],
)
def test_effective_license(
    components: dict, ecosystem: str, name: str, version: str, expected: str, reason: str
) -> None:
    comp = components[(ecosystem, name)]
    assert comp.version == version
    assert comp.license_expression == expected, reason


def _uncounted(comp: object, needle: str) -> list[object]:
    return [
        e
        for e in comp.licenses  # type: ignore[attr-defined]
        if not e.counted and needle in (e.note or "")
    ]


@pytest.mark.parametrize(
    ("ecosystem", "name", "license_id", "why"),
    [
        ("pypi", "typing_extensions", "GPL-1.0-or-later", "CPython license document"),
        ("pypi", "typing_extensions", "0BSD", "CPython license document"),
        ("pypi", "lxml", "GPL-1.0-or-later", "does not ship: test.py"),
        ("pypi", "docutils", "GPL-3.0-or-later", "does not ship: tools/editors/emacs/rst.el"),
        ("pypi", "docutils", "GPL-3.0-or-later", "relicensed"),
        ("pypi", "numpy", "Apache-2.0", "does not ship: vendored-meson"),
        ("npm", "lodash", "CC0-1.0", "documentation"),
        ("pypi", "pycryptodome", "CC-BY-4.0", "about the documentation"),
        ("pypi", "fonttools", "OFL-1.1", "for the tests"),
        ("pypi", "pycryptodome", "Apache-2.0", "does not ship: proofs/*"),
        ("pypi", "pycryptodome", "Apache-2.0", "the text of Apache-2.0, one alternative"),
    ],
)
def test_what_is_not_counted_stays_as_evidence_with_the_reason(
    components: dict, ecosystem: str, name: str, license_id: str, why: str
) -> None:
    comp = components[(ecosystem, name)]
    kept = [e for e in _uncounted(comp, why) if license_id in (e.expression or "")]
    assert kept, [(e.expression, e.note) for e in comp.licenses]
    assert all(e.location for e in kept)
    assert license_id not in (comp.license_expression or "").split()


def test_real_additions_stay(components: dict) -> None:
    """Code a wheel bundles or compiles in brings its license: each is counted from the
    file that says so."""
    numpy = components[("pypi", "numpy")]
    gcc = [
        e
        for e in numpy.licenses
        if e.counted and "GPL-3.0-or-later WITH GCC-exception-3.1" in (e.expression or "")
    ]
    assert gcc and gcc[0].location.endswith("LICENSE.txt")
    botocore = components[("pypi", "botocore")]
    assert any(e.counted and "MPL-2.0" in e.expression for e in botocore.licenses)
    pip = components[("pypi", "pip")]
    vendored = {
        e.location.split("/_vendor/")[1].split("/")[0]
        for e in pip.licenses
        if e.counted and "/_vendor/" in (e.location or "")
    }
    assert {"certifi", "resolvelib", "packaging", "distlib"} <= vendored


@pytest.mark.parametrize(
    ("ecosystem", "name", "alternative", "why"),
    [
        ("pypi", "packaging", "BSD-2-Clause", "one alternative of the choice stated in"),
        ("pypi", "sniffio", "MIT", "one alternative of the choice stated in"),
        ("pypi", "text-unidecode", "Artistic-1.0-Perl", "one alternative of a choice"),
    ],
)
def test_a_choice_in_prose_stays_a_choice(
    components: dict, ecosystem: str, name: str, alternative: str, why: str
) -> None:
    """The texts of a choice's alternatives are the alternatives, not licenses added."""
    comp = components[(ecosystem, name)]
    assert [e for e in _uncounted(comp, why) if alternative in (e.expression or "")]
    assert " AND " not in comp.license_expression
    assert alternative in comp.license_expression.split(" OR ")


def test_a_choice_stated_in_prose_reference_by_reference_stays_a_choice(
    components: dict,
) -> None:
    """ScanCode matches "the Apache-2.0 license OR the ISC license OR the MIT license" one
    license at a time; the sentence makes them one choice, and the texts below it are the
    alternatives' texts."""
    comp = components[("pypi", "pycryptodome")]
    stated = [
        e
        for e in comp.licenses
        if e.counted and e.source.value == "detected" and e.location.endswith("LICENSE.rst")
    ]
    assert stated and "(Apache-2.0 OR ISC OR MIT)" in stated[0].expression
    for alternative in ("Apache-2.0", "ISC", "MIT"):
        texts = _uncounted(comp, f"the text of {alternative}, one alternative")
        assert any("mlkem-native" in e.location for e in texts), alternative


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("MIT/X11", "MIT"),
        ("Apache2", "Apache-2.0"),
        ("Apache 2.0", "Apache-2.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("MIT License", "MIT"),
        ("ISC license", "ISC"),
        ("BSD 3-Clause", "BSD-3-Clause"),
        ("Public Domain", "LicenseRef-scancode-public-domain"),
        # names ScanCode's rules do not read as one license, whole
        ("BSD", None),
        ("Dual License", None),
        ("BSD-like", None),
        ("LGPL with exceptions", None),
        ("MIT and Apache 2", None),
        ("UNKNOWN", None),
        ("", None),
    ],
)
def test_a_license_name_in_package_metadata(name: str, expected: str | None) -> None:
    from ospo.engine.scancode_engine import license_of_name

    assert license_of_name(name) == expected


_READ_NAMES = (
    "import json, sys\n"
    "from ospo.engine import scancode_engine as engine\n"
    "answers = [engine.license_of_name(n) for n in sys.argv[1:]]\n"
    "print(json.dumps({'answers': answers, 'index': engine._loaded}))\n"
)


def _read_names(cache: Path, *names: str) -> dict[str, Any]:
    ran = subprocess.run(
        [sys.executable, "-c", _READ_NAMES, *names],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OSPO_CACHE_DIR": str(cache)},
        timeout=600,
    )
    result: dict[str, Any] = json.loads(ran.stdout)
    return result


def test_a_license_name_read_once_is_not_read_again_with_the_index(tmp_path: Path) -> None:
    """Reading a name loads ScanCode's index; the answer is kept with the cache, so the
    next process that meets the same names answers without loading it. A kept answer
    that is not an answer, or one kept for another engine, is read again."""
    cache = tmp_path / "cache"
    first = _read_names(cache, "MIT/X11", "Dual License")
    assert first == {"answers": ["MIT", None], "index": True}
    assert _read_names(cache, "MIT/X11", "Dual License") == {
        "answers": ["MIT", None],
        "index": False,
    }
    kept = cache / "license-names.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["names"]["MIT/X11"] = "GPL-3.0-only AND AND"
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert _read_names(cache, "MIT/X11") == {"answers": ["MIT"], "index": True}
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["engine"] = ["another engine", "1"]
    data["names"]["MIT/X11"] = "GPL-3.0-only"
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert _read_names(cache, "MIT/X11") == {"answers": ["MIT"], "index": True}


@pytest.mark.parametrize(
    ("manifest", "expression", "valid"),
    [
        ({"license": ["MIT", "Apache2"]}, "MIT OR Apache-2.0", True),
        ({"license": "MIT/X11"}, "MIT", True),
        ({"licenses": [{"type": "Apache2"}, {"type": "MIT"}]}, "Apache-2.0 OR MIT", True),
        ({"license": ["MIT", "Dual License"]}, "MIT OR Dual License", False),
        ({"license": ["MIT", 7, None, {"url": "x"}]}, "MIT", True),
        ({"license": "Do What You Want"}, "Do What You Want", False),
    ],
)
def test_a_package_json_license_that_is_a_name_or_a_list(
    tmp_path: Path, manifest: dict, expression: str, valid: bool
) -> None:
    """A name ScanCode reads as one license is declared with a note; one it cannot read
    stays invalid evidence and the package is kept."""
    import json

    from ospo.scanners.environments.node import _npm_package

    path = tmp_path / "node_modules" / "pkg" / "package.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"name": "pkg", "version": "1.0.0", **manifest}))
    package = _npm_package(path, tmp_path / "node_modules")
    assert not isinstance(package, ScanIssue), package
    (declared,) = package.declared
    assert (declared.expression, declared.valid) == (expression, valid)


@pytest.mark.parametrize(
    ("readme", "manifest", "expression"),
    [
        ("# x\n\n## License\n\nMIT\n", {}, "MIT"),
        ("x\n\nLicense\n-------\n\n(The MIT License)\n\nCopyright\n", {}, "MIT"),
        ("## License\n\n**ISC**\n", {}, "ISC"),
        # a License section that names no one license, or is not there
        ("## License\n\nSee the LICENSE file.\n", {}, None),
        ("## License\n\n" + "This code is yours to use as you see fit " * 5 + "\n", {}, None),
        ("## License\n", {}, None),
        ("## Licensing questions\n\nMIT\n", {}, None),
        ("License: see below\n\nMIT\n", {}, None),
        # package.json says it: the README is not read
        ("## License\n\nMIT\n", {"license": "ISC"}, "ISC"),
    ],
)
def test_a_license_stated_only_in_the_readme(
    tmp_path: Path, readme: str, manifest: dict, expression: str | None
) -> None:
    import json

    from ospo.scanners.environments.node import _npm_package

    path = tmp_path / "node_modules" / "pkg" / "package.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"name": "pkg", "version": "1.0.0", **manifest}))
    (path.parent / "Readme.md").write_text(readme)
    package = _npm_package(path, tmp_path / "node_modules")
    assert not isinstance(package, ScanIssue), package
    assert [e.expression for e in package.declared] == ([expression] if expression else [])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("MIT", "MIT"),
        ("MIT / Apache2", "MIT OR Apache-2.0"),
        ("MIT or Apache 2.0", "MIT OR Apache-2.0"),
        ("MIT/X11", "MIT"),
        ("The MIT License", "MIT"),
        # a part that names no license leaves the whole unread
        ("MIT / see the wiki", None),
        ("MIT and Apache 2", None),
    ],
)
def test_a_readme_license_name(name: str, expected: str | None) -> None:
    from ospo.scanners.environments.node import _license_named

    assert _license_named(name) == expected


@pytest.mark.parametrize(
    ("declared", "files", "expected"),
    [
        ("LGPL-2.1-only OR MIT", [("COPYING-MIT", "curl", True)], "LGPL-2.1-only OR curl"),
        ("MIT OR Apache-2.0", [("LICENSE.MIT", "MIT-Wu", True)], "MIT-Wu OR Apache-2.0"),
        # the files hold the alternatives as declared, or say nothing one alternative is
        ("MIT OR Apache-2.0", [("LICENSE-MIT", "MIT", True)], "MIT OR Apache-2.0"),
        ("MIT", [("LICENSE-MIT", "curl", True)], "MIT"),
        ("MIT OR Apache-2.0", [("LICENSE-MIT", "MIT AND ISC", True)], "MIT OR Apache-2.0"),
        ("MIT OR Apache-2.0", [("LICENSE-MIT", "curl", False)], "MIT OR Apache-2.0"),
        ("LGPL-2.1-only OR MIT", [("COPYING", "curl", True)], "LGPL-2.1-only OR MIT"),
    ],
)
def test_a_file_named_for_an_alternative_is_that_alternative(
    declared: str, files: list[tuple[str, str, bool]], expected: str
) -> None:
    from ospo.model import LicenseEvidence, LicenseSource
    from ospo.scanners.environments.base import _alternatives_as_shipped

    detected = [
        LicenseEvidence(
            expression=expression,
            source=LicenseSource.DETECTED,
            location=f"pkg-1.0.dist-info/licenses/{name}",
            counted=counted,
        )
        for name, expression, counted in files
    ]
    assert _alternatives_as_shipped([declared], detected) == [expected]
