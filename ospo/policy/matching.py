# SPDX-License-Identifier: Apache-2.0
"""Matching packages named in a policy or a waiver: by purl, and by ``vers:`` version range."""

from __future__ import annotations

from packageurl import PackageURL


def purl_matches(pattern: str, purl: str) -> bool:
    """Whether ``purl`` is the package ``pattern`` names (and its version, if it has one)."""
    try:
        want = PackageURL.from_string(pattern)
        have = PackageURL.from_string(purl)
    except ValueError:
        return False
    if (want.type, _norm(want.type, want.namespace), _norm(want.type, want.name)) != (
        have.type,
        _norm(have.type, have.namespace),
        _norm(have.type, have.name),
    ):
        return False
    return want.version is None or want.version == have.version


def _norm(ptype: str, value: str | None) -> str:
    if value is None:
        return ""
    if ptype == "pypi":
        return value.lower().replace("_", "-").replace(".", "-")
    return value.lower() if ptype in ("npm", "github", "golang") else value


def version_in_range(vers: str, version: str | None, *, unplaced: bool = True) -> bool:
    """Whether ``version`` is inside the ``vers:`` range; a missing or unparsable version is
    ``unplaced`` (in, by default: a deny list then errs on the safe side; a waiver, which
    must err the other way, passes False)."""
    if not version:
        return unplaced
    from univers.version_range import VersionRange

    try:
        spec = VersionRange.from_string(vers)  # type: ignore[no-untyped-call]
        return bool(spec.version_class(version) in spec)
    except Exception:  # univers raises several unrelated types for odd versions
        return unplaced


def package_name(purl: str) -> str | None:
    """``purl`` without its version, qualifiers and subpath, with its namespace and name
    normalised as :func:`purl_matches` compares them; None when it does not parse."""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    namespace = _norm(parsed.type, parsed.namespace)
    name = _norm(parsed.type, parsed.name)
    return f"pkg:{parsed.type}/{namespace}/{name}" if namespace else f"pkg:{parsed.type}/{name}"
