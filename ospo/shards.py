# SPDX-License-Identifier: Apache-2.0
"""Shards of a scan: ``ospo scan --shard I/N`` scans only the files of shard I of N.

A file belongs to the shard its content hash gives: shard ``int(sha256[:8], 16) % N + 1``
(shards are counted from 1, as ``--shard 1/4`` … ``4/4``). Every runner computes the same
split without talking to the others, files with the same content fall in one shard, and
the split is even whatever the tree's layout.
"""

from __future__ import annotations

import re

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` as ``(I, N)``; ValueError unless 1 <= I <= N."""
    found = _SHARD.match(text)
    if not found:
        raise ValueError(f"not a shard: {text!r} (use I/N, e.g. 1/4)")
    index, count = int(found.group(1)), int(found.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"shard {text!r}: I must be between 1 and N")
    return index, count


def in_shard(sha256: str, index: int, count: int) -> bool:
    """Whether the content with hash ``sha256`` is in shard ``index`` of ``count``."""
    return int(sha256[:8], 16) % count == index - 1
