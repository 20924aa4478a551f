# SPDX-License-Identifier: Apache-2.0
"""Artifact hashes as lock files record them, turned into (algorithm, hex) pairs."""

from __future__ import annotations

from typing import Any

_SRI_ALGORITHMS = {"sha1": "SHA-1", "sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}
_HEX_LENGTHS = {"SHA-1": 40, "SHA-256": 64, "SHA-384": 96, "SHA-512": 128}


def integrity_hashes(value: Any) -> tuple[tuple[str, str], ...]:
    """Return (algorithm, hex) for each hash of a Subresource Integrity string.

    npm, pnpm and Yarn record ``sha512-<base64>`` (several separated by spaces at times);
    anything else (Yarn Berry's own checksum format, a damaged value) gives nothing.
    """
    import base64
    import binascii

    found = []
    for token in value.split() if isinstance(value, str) else ():
        algorithm, _, encoded = token.partition("-")
        name = _SRI_ALGORITHMS.get(algorithm.lower())
        if name is None:
            continue
        try:
            digest = base64.b64decode(encoded, validate=True).hex()
        except (binascii.Error, ValueError):
            continue
        if len(digest) == _HEX_LENGTHS[name]:
            found.append((name, digest))
    return tuple(sorted(set(found)))


def hex_hash(algorithm: str, value: Any) -> tuple[tuple[str, str], ...]:
    """Return ((algorithm, hex),) if ``value`` is a hex digest of that algorithm, else ()."""
    if isinstance(value, str) and len(value) == _HEX_LENGTHS[algorithm]:
        lowered = value.lower()
        if all(c in "0123456789abcdef" for c in lowered):
            return ((algorithm, lowered),)
    return ()


def base64_hash(algorithm: str, value: Any) -> tuple[tuple[str, str], ...]:
    """Return ((algorithm, hex),) for a base64 digest of that algorithm (NuGet), else ()."""
    import base64
    import binascii

    if not isinstance(value, str):
        return ()
    try:
        digest = base64.b64decode(value, validate=True).hex()
    except (binascii.Error, ValueError):
        return ()
    return ((algorithm, digest),) if len(digest) == _HEX_LENGTHS[algorithm] else ()
