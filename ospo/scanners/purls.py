# SPDX-License-Identifier: Apache-2.0
"""Package URLs and names of the ecosystems that both lock files and installed
environments name (PyPI, npm)."""

from __future__ import annotations

import re


def pypi_name(name: str) -> str:
    """Return the PEP 503 normalised form of a Python distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pypi_purl(name: str, version: str | None) -> str:
    """Return ``pkg:pypi/<name>@<version>``, the name as the purl spec has it: lowercase,
    ``_`` as ``-``, dots kept (``pkg:pypi/zope.interface``), as other SBOM tools write it.

    Matching across sources compares PEP 503 names (``ospo.merge.merge_key``).
    """
    from packageurl import PackageURL

    return PackageURL(type="pypi", name=name, version=version).to_string()


def npm_purl(name: str, version: str | None) -> str:
    """Return ``pkg:npm/<name>@<version>``, with a scope as the namespace (``%40scope``)."""
    from packageurl import PackageURL

    namespace = None
    if name.startswith("@") and "/" in name:
        namespace, name = name.split("/", 1)
    return PackageURL(type="npm", namespace=namespace, name=name, version=version).to_string()
